// The history a ledger of an earlier version brings into the guard (issue 17, red team), as the
// ledger's owner role. Before the guard, staff and admins wrote history rows themselves: a red
// team's staff role inserted, on the earlier version, an entry under the secretary's name whose
// "changes" signed the item off and renamed it, and one whose "changes" was not JSON. After
// `init --upgrade` the secretary's undo applied the first (as the guard's own undo_group), and
// the second made log, show, export and copy fail for everyone, for good: nobody may write the
// history any more.
//
// - Entries from before the guard (no recorded_at: the server did not record them) are never
//   undone: an undo reverts what the server recorded (docs/postgres.md, guarantee 3). A trigger
//   on `undone`, where every undo ends, refuses them (55000).
// - Their "changes" that rectify cannot read (not a JSON object of [before, after] pairs) are
//   kept as they were in history.unreadable_changes (not exported) and read as {} (no fields).
//   Entries the guard recorded are never touched: only rows without recorded_at are looked at.
import type { MigrationContext, PgMigration } from './types.js';

export const historyBeforeGuard: PgMigration = {
  version: 7,
  name: 'history-before-guard',
  sql(c: MigrationContext): string {
    const s = c.schema;
    return `
CREATE FUNCTION undo_recorded_only() RETURNS trigger LANGUAGE plpgsql SET search_path = pg_catalog, ${s}, pg_temp AS $$
BEGIN
  IF EXISTS (SELECT 1 FROM history WHERE grp = NEW.grp AND recorded_at IS NULL) THEN
    RAISE EXCEPTION 'rectify: change % was recorded before the server kept the history and is not undone', NEW.grp
      USING ERRCODE = '55000';
  END IF;
  RETURN NEW;
END $$;
REVOKE ALL ON FUNCTION undo_recorded_only() FROM PUBLIC;
CREATE TRIGGER undone_recorded BEFORE INSERT ON undone FOR EACH ROW EXECUTE FUNCTION undo_recorded_only();

CREATE FUNCTION readable_changes(t text) RETURNS boolean LANGUAGE plpgsql IMMUTABLE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  j jsonb;
BEGIN
  j := t::jsonb;
  RETURN jsonb_typeof(j) = 'object'
     AND NOT EXISTS (SELECT 1 FROM jsonb_each(j) e WHERE jsonb_typeof(e.value) <> 'array' OR jsonb_array_length(e.value) <> 2);
EXCEPTION WHEN others THEN
  RETURN false;
END $$;
REVOKE ALL ON FUNCTION readable_changes(text) FROM PUBLIC;
ALTER TABLE history ADD COLUMN unreadable_changes text;
ALTER TABLE history DISABLE TRIGGER history_written;
UPDATE history SET unreadable_changes = changes, changes = '{}' WHERE recorded_at IS NULL AND NOT readable_changes(changes);
ALTER TABLE history ENABLE TRIGGER history_written;
`;
  },
};
