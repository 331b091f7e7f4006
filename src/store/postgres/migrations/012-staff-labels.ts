// What staff record is labelled as staff may record it (issue 17, red team): a note with no
// change (the change that changes nothing) written by staff in plain SQL without naming it was
// labelled `edit`, an admin's action, by the guard's own derivation. A trigger before the
// history's insert (as the ledger's code runs it) labels such an entry `progress`, as rectify's
// own `progress ID <same> -m NOTE` records it. Admins' entries keep their label.
import type { MigrationContext, PgMigration } from './types.js';

export const staffLabels: PgMigration = {
  version: 12,
  name: 'staff-labels',
  sql(c: MigrationContext): string {
    const admin = `'${c.names.admin.replace(/'/g, "''")}'`;
    return `
CREATE FUNCTION history_label() RETURNS trigger LANGUAGE plpgsql SET search_path = pg_catalog, ${c.schema}, pg_temp AS $$
BEGIN
  IF NEW.changes = '{}' AND NOT pg_has_role(session_user, ${admin}, 'MEMBER') THEN
    NEW.action := 'progress';
  END IF;
  RETURN NEW;
END $$;
REVOKE ALL ON FUNCTION history_label() FROM PUBLIC;
CREATE TRIGGER history_label BEFORE INSERT ON history FOR EACH ROW WHEN (NEW.action = 'edit') EXECUTE FUNCTION history_label();
`;
  },
};
