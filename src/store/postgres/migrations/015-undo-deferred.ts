// An undo's entry is written once the undo has noted what it took back (issue 17, red team 3).
// The guard writes each entry at COMMIT (items_record and item_problems_record, constraint
// triggers deferred), and undo_group() notes the entry it reverts and the evidence it takes away
// after it has changed the item. Staff who SET CONSTRAINTS ALL IMMEDIATE before calling it had
// the entry written in between: it named no reverted entry and no evidence, and the evidence
// was gone without a trace. undo_group() now defers the two triggers itself and then does what
// it did (undo_group_rows, no longer anyone's to call); made immediate after it, they find the
// notes complete.
import type { MigrationContext, PgMigration } from './types.js';

export const undoDeferred: PgMigration = {
  version: 15,
  name: 'undo-deferred',
  sql(c: MigrationContext): string {
    const s = c.schema;
    return `
ALTER FUNCTION undo_group(integer, text) RENAME TO undo_group_rows;
REVOKE ALL ON FUNCTION undo_group_rows(integer, text) FROM PUBLIC, ${c.staff};
CREATE FUNCTION undo_group(p_grp integer, p_by text) RETURNS void
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, ${s}, pg_temp AS $$
BEGIN
  SET CONSTRAINTS ${s}.items_record, ${s}.item_problems_record DEFERRED;
  PERFORM undo_group_rows(p_grp, p_by);
END $$;
REVOKE ALL ON FUNCTION undo_group(integer, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION undo_group(integer, text) TO ${c.staff};
`;
  },
};
