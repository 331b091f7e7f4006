// An extension (延期) is a due date moved later, whatever the label (issue 17, red team 4).
// rectify records `extend` for a due date moved to a later one and `assign` for one brought
// forward (core/items.ts planAssign); the guard took the client's `assign` for a date moved
// later, and derived `extend` for one brought forward when no label was given. An admin in plain
// SQL so hid an extension from `score` (which judges an item by its original deadline, the one
// before its first extension) and from the database's overview (its count of extensions, what a
// supervisor reads), and counted one that was none. The history's label of an entry whose
// change moves a set due date to another is now the server's, from the dates (a trigger before
// the history's insert, as the ledger's own code writes it; 005's count of extensions, after
// the insert, sees the label written).
import type { MigrationContext, PgMigration } from './types.js';

export const extensionsByDate: PgMigration = {
  version: 21,
  name: 'extensions-by-date',
  sql(c: MigrationContext): string {
    return `
CREATE FUNCTION history_extension() RETURNS trigger LANGUAGE plpgsql SET search_path = pg_catalog, ${c.schema}, pg_temp AS $$
DECLARE
  v_due jsonb;
BEGIN
  BEGIN
    v_due := NEW.changes::jsonb->'due';
  EXCEPTION WHEN others THEN
    RETURN NEW;
  END;
  IF jsonb_typeof(v_due->0) = 'string' AND jsonb_typeof(v_due->1) = 'string' THEN
    NEW.action := CASE WHEN v_due->>1 > v_due->>0 THEN 'extend' ELSE 'assign' END;
  END IF;
  RETURN NEW;
END $$;
REVOKE ALL ON FUNCTION history_extension() FROM PUBLIC;
CREATE TRIGGER history_extension BEFORE INSERT ON history FOR EACH ROW
  WHEN (NEW.action IN ('assign', 'extend') AND NEW.changes LIKE '%"due":%') EXECUTE FUNCTION history_extension();
`;
  },
};
