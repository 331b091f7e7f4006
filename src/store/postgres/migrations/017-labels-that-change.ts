// A sign-off or a reopening is recorded only when the status changed (issue 17, red team 3). The
// guard checks a change's label against what changed, but took any label for an entry that
// changed nothing (a note): an admin labelled such a note `verify` on an item in progress and
// `reopen` on an open one, and the report listed them as signed off and reopened that week.
// rectify itself never records either without the status changing (ALLOWED_FROM in
// core/items.ts), so the history refuses them. A note with no change keeps any other label
// (`progress`, `done` with evidence, `assign`... as rectify records them).
import type { MigrationContext, PgMigration } from './types.js';

export const labelsThatChange: PgMigration = {
  version: 17,
  name: 'labels-that-change',
  sql(c: MigrationContext): string {
    return `
CREATE FUNCTION history_claims() RETURNS trigger LANGUAGE plpgsql SET search_path = pg_catalog, ${c.schema}, pg_temp AS $$
BEGIN
  RAISE EXCEPTION 'rectify: % records a change of status, and none was made', NEW.action USING ERRCODE = '42501';
END $$;
REVOKE ALL ON FUNCTION history_claims() FROM PUBLIC;
CREATE TRIGGER history_claims BEFORE INSERT ON history FOR EACH ROW
  WHEN (NEW.action IN ('verify', 'reopen') AND NOT NEW.changes LIKE '%"status":%') EXECUTE FUNCTION history_claims();
`;
  },
};
