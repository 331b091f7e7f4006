// The database summary counted once when a ledger's roll-ups are counted afresh (issue 17: `init`
// of 100,000 items on a server within 15 s). recount_rollups() (005) deleted and rewrote
// owner_counts and due_counts, and each row of them fired the summary's row triggers
// (overview_counts, overview_due) before overview_recount() counted the same row afresh: for
// 100,000 items with 19,637 (due, owner) rows, about 20,000 updates of one summary row and its
// due rows, whose chain of dead versions each next update walks. Measured on that ledger, one
// transaction each, rolled back (load 7): 12.0 s with the triggers, 3.3 s without. The two
// triggers stand aside while the item roll-ups are counted (ALTER TABLE … DISABLE TRIGGER, as
// the tables' owner: it locks out writers of those two tables, which the recount's deletes do
// anyway, not readers; rolled back with the transaction if anything fails), then the summary is
// counted once. Installed only where 005's triggers are (the ledger joined the summary).
import type { MigrationContext, PgMigration } from './types.js';

export const recountOnce: PgMigration = {
  version: 26,
  name: 'recount-once',
  sql(c: MigrationContext): string {
    const s = c.schema;
    return `
DO $do$
BEGIN
  IF to_regprocedure('overview_recount()') IS NOT NULL THEN
    EXECUTE $body$
CREATE OR REPLACE FUNCTION recount_rollups() RETURNS void
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, ${s}, pg_temp AS $f$
BEGIN
  ALTER TABLE owner_counts DISABLE TRIGGER overview_counts;
  ALTER TABLE due_counts DISABLE TRIGGER overview_due;
  PERFORM recount_item_rollups();
  ALTER TABLE owner_counts ENABLE TRIGGER overview_counts;
  ALTER TABLE due_counts ENABLE TRIGGER overview_due;
  PERFORM overview_recount();
END $f$;
$body$;
  END IF;
END $do$;`;
  },
};
