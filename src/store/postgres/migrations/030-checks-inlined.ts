// The text, id and date checks of every row made inlinable (issue 17: `init` of 100,000 items on
// a server within 15 s; every write of an item). seed_text, seed_id and real_date (002, 006, 014),
// the CHECKs of items, problems, measures, areas, causes, the report, contacts and notices, were
// SQL functions with `SET search_path`, which PostgreSQL never inlines: each call set and reset
// the path, six a row of items. Measured on the 100,000 items of the bench ledger (load 8, one
// query each): the five calls of items' CHECK 5.3 s, the same tests written in the query 0.8 s.
// The same tests now, with every operator and function named in pg_catalog (OPERATOR(pg_catalog.~),
// pg_catalog.substr, ...): nothing in them is looked up through the caller's search_path, which
// is what the SET clause guarded against (a role's own `!~` in a schema it put first, making the
// check say yes), so they need no SET and are inlined into each CHECK. The CHECKs name the
// functions by OID and stay as they are. An attack in tests/attack/redteam4.test.ts plants such
// operators and checks that the CHECKs still refuse.
import { CONTROL, EDGE } from './014-trimmed-text.js';
import type { PgMigration } from './types.js';

const op = (o: string) => `OPERATOR(pg_catalog.${o})`;

export const checksInlined: PgMigration = {
  version: 30,
  name: 'checks-inlined',
  sql(): string {
    return `
CREATE OR REPLACE FUNCTION seed_text(value text, required boolean) RETURNS boolean
  LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE WHEN value IS NULL THEN NOT required
              ELSE value ${op('!~')} ${CONTROL} AND value ${op('<>')} '' AND value ${op('!~')} ${EDGE} END
$$;
CREATE OR REPLACE FUNCTION seed_id(value text) RETURNS boolean
  LANGUAGE sql IMMUTABLE AS $$
  SELECT value ${op('~')} '^[A-Za-z][A-Za-z0-9._-]{0,31}$'
$$;
CREATE OR REPLACE FUNCTION real_date(value text) RETURNS boolean
  LANGUAGE sql IMMUTABLE AS $$
  SELECT value IS NULL OR (value ${op('~')} '^(?!0000)[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$'
    AND CAST(pg_catalog.substr(value, 9, 2) AS pg_catalog.int4) ${op('<=')} extract(day FROM
          pg_catalog.make_date(CAST(pg_catalog.substr(value, 1, 4) AS pg_catalog.int4), CAST(pg_catalog.substr(value, 6, 2) AS pg_catalog.int4), 1)
          ${op('+')} CAST('1 month' AS pg_catalog.interval) ${op('-')} CAST('1 day' AS pg_catalog.interval)))
$$;
`;
  },
};
