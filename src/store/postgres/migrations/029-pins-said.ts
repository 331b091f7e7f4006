// No entry pins a field without saying so (issue 17, red team 5). A pin marks a field set from
// the command line, which a later import keeps; the history writes an entry where pins were set,
// labelled as the change was. An admin's plain SQL set a pin without changing its field
// (`UPDATE items SET pins = pins | 4`): the history got an `edit` entry that changed nothing and
// said nothing, and pins came with changes that pin nothing (an `edit` of the title pinning the
// owner, an `import` pinning the department). rectify pins the owner, the department and the due
// date with `assign` alone (those it was given, changed or not: one not changed only with a note,
// as a command that changes nothing records nothing), and the term with an `edit` that changes
// it (core/items.ts planAssign, planEdit). The history refuses any other entry that sets a pin
// (a trigger before its insert, as the ledger's own code writes it; create and undo entries are
// not looked at), and an entry whose only change is such a pin, with a note, is an `assign`
// whatever it was called (the label is the server's, as 021 labels extensions by their dates).
import type { MigrationContext, PgMigration } from './types.js';

/** rows.ts PIN_BITS: owner 1, department 2, due 4 (assign's); term 8 (edit's). */
const ASSIGNED = 7;
const TERM = 8;

export const pinsSaid: PgMigration = {
  version: 29,
  name: 'pins-said',
  sql(c: MigrationContext): string {
    return `
CREATE FUNCTION history_pins() RETURNS trigger LANGUAGE plpgsql SET search_path = pg_catalog, ${c.schema}, pg_temp AS $$
DECLARE
  v_changes jsonb;
BEGIN
  BEGIN
    v_changes := NEW.changes::jsonb;
  EXCEPTION WHEN others THEN
    RETURN NEW;
  END;
  IF NEW.pins_set & ${TERM} <> 0 AND NOT (NEW.action = 'edit' AND v_changes ? 'term') THEN
    RAISE EXCEPTION 'rectify: the term is pinned by an edit that changes it, not by %', NEW.action USING ERRCODE = '42501';
  END IF;
  IF NEW.pins_set & ${ASSIGNED} <> 0 THEN
    IF v_changes = '{}'::jsonb AND NEW.note IS NULL THEN
      RAISE EXCEPTION 'rectify: a pin alone changes nothing; assign pins what it sets, or says why with a note' USING ERRCODE = '42501';
    END IF;
    IF v_changes = '{}'::jsonb THEN NEW.action := 'assign'; END IF;
    IF NEW.action NOT IN ('assign', 'extend') THEN
      RAISE EXCEPTION 'rectify: an owner, department or due date is pinned by assign, not by %', NEW.action USING ERRCODE = '42501';
    END IF;
  END IF;
  RETURN NEW;
END $$;
REVOKE ALL ON FUNCTION history_pins() FROM PUBLIC;
CREATE TRIGGER history_pins BEFORE INSERT ON history FOR EACH ROW
  WHEN (NEW.pins_set <> 0 AND NEW.action NOT IN ('create', 'undo')) EXECUTE FUNCTION history_pins();
`;
  },
};
