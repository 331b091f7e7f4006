// Every number the ledger hands out has room to go on (issue 17, red team 5). Before the guard
// an admin held ALL on every table and sequence: a history entry written by hand with seq and
// group 2147483647 (the largest integer), or an item with that key, went through the upgrade as
// it was, and 009 set each sequence to the largest number in use; after the upgrade every write
// failed for every role ("nextval: reached maximum value of sequence groups", an unexpected
// failure, exit 1) and only a superuser could mend it. A real ledger never comes near: 100,000
// items use some 200,000 numbers. Now a number space whose largest number leaves less than
// ROOM is mended at the upgrade: the numbers above TOP (only such rows, in their order, each
// space's references with them) move to just after the largest number below it, so that order
// is kept and nothing is lost but the numbers themselves; the sequences then follow the rows
// again (009). A ledger with no such number (every new one, at init) is left as it is. Run as
// the owner, in the upgrade's transaction: the foreign keys stand aside for the move (and are
// checked again when they are put back) and the ledger's own triggers with them.
import { sequencesFromRows } from './009-sequences-from-rows.js';
import type { MigrationContext, PgMigration } from './types.js';

/** How many numbers a space must still be able to hand out. */
const ROOM = 100_000_000;
const TOP = 2_147_483_647 - ROOM;

/** Each space: the columns that hold its numbers (table.column), the numbered one first. */
const SPACES: readonly (readonly string[])[] = [
  ['history.grp', 'removed.grp', 'undone.grp', 'undone.by_grp', 'tx_groups.grp'],
  ['history.seq', 'history.reverts', 'evidence.seq'],
  ['items.key', 'history.item', 'item_problems.item', 'evidence.item', 'pending.item'],
  ['areas.key', 'problems.area'],
  ['problems.key', 'item_problems.problem'],
  ['measures.key', 'items.measure'],
  ['causes.key'],
  ['evidence.key'],
  ['removed.key'],
];

export const numbersWithRoom: PgMigration = {
  version: 31,
  name: 'numbers-with-room',
  sql(c: MigrationContext): string {
    const s = c.schema;
    const parts = (col: string) => col.split('.') as [string, string];
    const values = (space: readonly string[]) => space.map((col) => {
      const [t, f] = parts(col);
      return `SELECT ${f} AS v FROM ${t}`;
    }).join(' UNION ');
    const mend = SPACES.map((space) => `
  SELECT max(v) INTO v_max FROM (${values(space)}) x;
  IF v_max > ${TOP} THEN
    IF v_tabs IS NULL THEN
      SELECT array_agg(conrelid::regclass::text), array_agg(conname::text), array_agg(pg_get_constraintdef(oid))
        INTO v_tabs, v_names, v_defs FROM pg_constraint WHERE contype = 'f' AND connamespace = '${s}'::regnamespace;
      v_tabs := coalesce(v_tabs, '{}');
      FOR i IN 1 .. cardinality(v_tabs) LOOP
        EXECUTE format('ALTER TABLE %s DROP CONSTRAINT %I', v_tabs[i], v_names[i]);
      END LOOP;
      FOR v_tab IN SELECT c.oid::regclass::text FROM pg_class c WHERE c.relnamespace = '${s}'::regnamespace AND c.relkind = 'r' LOOP
        EXECUTE format('ALTER TABLE %s DISABLE TRIGGER USER', v_tab);
      END LOOP;
    END IF;
    SELECT coalesce(max(v), 0) INTO v_low FROM (${values(space)}) x WHERE v <= ${TOP};
    SELECT array_agg(v ORDER BY v), array_agg((v_low + n)::int ORDER BY v) INTO v_old, v_new
      FROM (SELECT v, row_number() OVER (ORDER BY v) AS n FROM (${values(space)}) x WHERE v > ${TOP}) y;
${space.map((col) => {
      const [tab, f] = parts(col);
      return `    UPDATE ${tab} moved SET ${f} = m.new FROM unnest(v_old, v_new) AS m(old, new) WHERE moved.${f} = m.old;`;
    }).join('\n')}
  END IF;`).join('\n');
    return `
DO $d$
DECLARE
  v_max bigint;
  v_low bigint;
  v_old integer[];
  v_new integer[];
  v_tabs text[];
  v_names text[];
  v_defs text[];
  v_tab text;
BEGIN
${mend}
  IF v_tabs IS NOT NULL THEN
    FOR v_tab IN SELECT c.oid::regclass::text FROM pg_class c WHERE c.relnamespace = '${s}'::regnamespace AND c.relkind = 'r' LOOP
      EXECUTE format('ALTER TABLE %s ENABLE TRIGGER USER', v_tab);
    END LOOP;
    FOR i IN 1 .. cardinality(v_tabs) LOOP
      EXECUTE format('ALTER TABLE %s ADD CONSTRAINT %I %s', v_tabs[i], v_names[i], v_defs[i]);
    END LOOP;
  END IF;
END $d$;
${sequencesFromRows.sql(c)}
`;
  },
};
