// What `assign` pinned stays pinned, and an import leaves it alone (issue 17, red team 4). A pin
// marks a field last set from the command line (`assign`, `add`), which a later import keeps
// (seed-format.md, "Loading into an existing ledger"); only an undo of that change takes the pin
// away. An admin's plain SQL did both: an UPDATE labelled `import` moved a due date `assign` had
// set half a year later (an extension the history called an import, which score and overview
// do not count), and an UPDATE of pins took them away (an entry `edit` that changed nothing).
// A check on the row, as the caller (the ledger's own undo runs as the owner and is let by):
// a pin is never taken away, and a change labelled `import` never touches a pinned field. Since
// no statement lowers the pins, the pins a statement finds hold all the transaction began with.
import type { MigrationContext, PgMigration } from './types.js';

/** rows.ts PIN_BITS. */
const PINS = { owner: 1, department: 2, due: 4, term: 8 } as const;

export const pinsKept: PgMigration = {
  version: 22,
  name: 'pins-kept',
  sql(c: MigrationContext): string {
    const owner = `'${c.names.owner.replace(/'/g, "''")}'`;
    const touched = Object.entries(PINS)
      .map(([f, bit]) => `(OLD.pins & ${bit} <> 0 AND NEW.${f} IS DISTINCT FROM OLD.${f})`)
      .join(' OR ');
    return `
CREATE FUNCTION items_pins() RETURNS trigger LANGUAGE plpgsql SET search_path = pg_catalog, ${c.schema}, pg_temp AS $$
BEGIN
  IF current_user = ${owner} OR pg_has_role(session_user, ${owner}, 'MEMBER') THEN RETURN NEW; END IF;
  IF OLD.pins & ~NEW.pins <> 0 THEN
    RAISE EXCEPTION 'rectify: only an undo of the change that set it takes a pin away' USING ERRCODE = '42501';
  END IF;
  IF nullif(current_setting('rectify.action', true), '') = 'import' AND (${touched}) THEN
    RAISE EXCEPTION 'rectify: an import keeps what assign or add set on %', OLD.id USING ERRCODE = '42501';
  END IF;
  RETURN NEW;
END $$;
REVOKE ALL ON FUNCTION items_pins() FROM PUBLIC;
CREATE TRIGGER items_pins BEFORE UPDATE OF pins, owner, department, due, term ON items FOR EACH ROW EXECUTE FUNCTION items_pins();
`;
  },
};
