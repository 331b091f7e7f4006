// The guard's per-item functions as PL/pgSQL, whose plans a session keeps (issue 17: a change
// of many items on a server; every change). item_state() (002, its key a bigint since 035) and
// json_compact() (002) were SQL functions with `SET search_path`, which PostgreSQL never inlines
// and whose body it parses and plans again at every call: item_state() runs three times for
// each item a change touches (touch(), items_state() and record_changes() at COMMIT),
// json_compact() twice for each field an entry records. A staff `progress` of 2,000 items of
// the bench's 100,000-item ledger spent 53% of the server's time (perf, the backend's samples)
// in those calls; the UPDATE of the 2,000 items took 2.9-3.5 s with them, 0.66 s as PL/pgSQL
// (psql, load 3-4; the ledger at version 32, before 035 widened the keys). The same bodies, the
// same owner, rights and search_path; only the language differs.
import type { MigrationContext, PgMigration } from './types.js';

export const plansKept: PgMigration = {
  version: 40,
  name: 'plans-kept',
  sql(c: MigrationContext): string {
    return `
CREATE OR REPLACE FUNCTION item_state(p_key bigint) RETURNS jsonb
  LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, ${c.schema}, pg_temp AS $$
BEGIN
  RETURN (SELECT jsonb_build_object(
    'title', i.title, 'detail', i.detail, 'owner', i.owner, 'department', i.department, 'due', i.due, 'term', i.term,
    'status', i.status, 'progress', i.progress, 'pins', i.pins,
    'measure', (SELECT m.id FROM measures m WHERE m.key = i.measure),
    'addresses', coalesce((SELECT jsonb_agg(p.id ORDER BY ip.pos) FROM item_problems ip JOIN problems p ON p.key = ip.problem
                            WHERE ip.item = i.key), '[]'::jsonb))
    FROM items i WHERE i.key = p_key);
END $$;

CREATE OR REPLACE FUNCTION json_compact(v jsonb) RETURNS text
  LANGUAGE plpgsql IMMUTABLE SET search_path = pg_catalog, pg_temp AS $$
BEGIN
  RETURN CASE WHEN jsonb_typeof(v) = 'array'
              THEN '[' || coalesce((SELECT string_agg(e::text, ',' ORDER BY n) FROM jsonb_array_elements(v) WITH ORDINALITY AS x(e, n)), '') || ']'
              ELSE v::text END;
END $$;
`;
  },
};
