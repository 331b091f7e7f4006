// No ledger role runs out the numbers the ledger hands out (issue 17, red team 6). Every sequence
// of a ledger was an integer one (2,147,483,647 numbers), and a number a sequence hands out is
// never given back, not even by a ROLLBACK: staff took one group for each call of tx_group() in a
// new transaction (2,000 calls in 0.8 s over one psql connection at load 7.8: the 2,147,483,647
// numbers of an integer in about ten days, less with more connections), a history number for each entry
// written in a transaction they then rolled back (SET CONSTRAINTS ALL IMMEDIATE writes the
// entries; an UPDATE of every item they may move writes one each), and up to 100 evidence
// numbers with each such `done`; an admin took item, measure, problem, area, cause, removal and
// notice numbers by INSERTs it rolled back. When a sequence reached its end, every write that
// needs it failed for everyone ("nextval: reached maximum value of sequence"), and only a
// superuser could mend it, with nothing in the history to say who did it. Now every sequence is
// a bigint one that ends at 2^53 - 1 (9,007,199,254,740,991, the largest integer a JavaScript
// number holds exactly, which is how rectify reads them): at a million numbers a second that
// is 285 years. The columns that hold them (keys and the references to them, groups, history
// numbers) and the functions that keep them in variables are widened with them.
//
// The cost is one rewrite of each table that holds such a column, in the upgrade's transaction
// (measured on the bench's ledger of 100,000 items and 360,000 entries: 4.3 s at load 2.5; at
// init the tables are empty). ALTER ... TYPE keeps every value and fires no row trigger, so the
// history's guard (written_by_ledger, which refuses any UPDATE of it) stands as it is and the
// history is not rewritten row by row; `export --format json` prints the same bytes after. A
// trigger that names such a column (items_rollup: UPDATE OF measure) is put back as it was.
import type { MigrationContext, PgMigration } from './types.js';

/** The largest integer a JavaScript number holds exactly. */
export const NUMBER_MAX = '9007199254740991';

/** Each column that holds a number a sequence hands out (table.column). */
const WIDE: readonly string[] = [
  'history.seq', 'history.grp', 'history.item', 'history.reverts', 'evidence.key', 'evidence.item', 'evidence.seq',
  'items.key', 'items.measure', 'item_problems.item', 'item_problems.problem', 'areas.key', 'problems.key', 'problems.area',
  'causes.key', 'measures.key', 'removed.key', 'removed.grp', 'undone.grp', 'undone.by_grp', 'tx_groups.grp',
  'pending.item', 'notices.key',
];

/** The functions that keep such a number in an integer: [signature, [text, widened text]...]. */
const FUNCTIONS: readonly [string, string, readonly (readonly [string, string])[]][] = [
  ['touch(integer, boolean)', 'touch(bigint, boolean)', [['p_item integer', 'p_item bigint']]],
  ['item_state(integer)', 'item_state(bigint)', [['p_key integer', 'p_key bigint']]],
  ['undo_group_rows(integer, text)', 'undo_group_rows(bigint, text)', [['p_grp integer', 'p_grp bigint'], ['v_last integer;', 'v_last bigint;']]],
  ['undo_group(integer, text)', 'undo_group(bigint, text)', [['p_grp integer', 'p_grp bigint']]],
  ['record_changes()', 'record_changes()', [['v_item integer;', 'v_item bigint;'], ['v_seq integer;', 'v_seq bigint;'],
    ["(v_meta->>'reverts')::int,", "(v_meta->>'reverts')::bigint,"]]],
  ['item_problems_before()', 'item_problems_before()', [['v_item integer;', 'v_item bigint;']]],
  ['item_problems_moved()', 'item_problems_moved()', [['v_item integer :=', 'v_item bigint :=']]],
];

const lit = (s: string) => `'${s.replace(/'/g, "''")}'`;

export const numbersThatLast: PgMigration = {
  version: 35,
  name: 'numbers-that-last',
  sql(c: MigrationContext): string {
    const s = c.schema;
    const tables = [...new Set(WIDE.map((w) => w.split('.')[0]!))];
    const alter = tables.map((t) => `ALTER TABLE ${t} ${WIDE.filter((w) => w.startsWith(`${t}.`))
      .map((w) => `ALTER COLUMN ${w.split('.')[1]} TYPE bigint`).join(', ')};`).join('\n');
    const functions = FUNCTIONS.map(([from, to, edits]) => `
  v_def := pg_get_functiondef(${lit(from)}::regprocedure);
${edits.map(([a, b]) => `  IF strpos(v_def, ${lit(a)}) = 0 THEN RAISE EXCEPTION 'rectify: % has no %', ${lit(from)}, ${lit(a)}; END IF;
  v_def := replace(v_def, ${lit(a)}, ${lit(b)});`).join('\n')}
  ${from === to ? '' : `DROP FUNCTION ${from};`}
  EXECUTE v_def;
  REVOKE ALL ON FUNCTION ${to} FROM PUBLIC;`).join('\n');
    return `
DO $d$
DECLARE
  v_cols constant text[] := ARRAY[${WIDE.map(lit).join(', ')}];
  v_triggers text[];
  v_def text;
  v_seq text;
BEGIN
  -- A trigger that names a column to widen (UPDATE OF ...) stands aside meanwhile, and comes back as it was.
  SELECT coalesce(array_agg(pg_get_triggerdef(t.oid) ORDER BY t.tgname), '{}') INTO v_triggers FROM pg_trigger t
   WHERE NOT t.tgisinternal AND t.tgrelid IN (SELECT c.oid FROM pg_class c WHERE c.relnamespace = '${s}'::regnamespace)
     AND EXISTS (SELECT 1 FROM unnest(t.tgattr::int2[]) a JOIN pg_attribute at ON at.attrelid = t.tgrelid AND at.attnum = a
                  WHERE (SELECT relname FROM pg_class WHERE oid = t.tgrelid) || '.' || at.attname = ANY (v_cols));
  FOREACH v_def IN ARRAY v_triggers LOOP
    EXECUTE format('DROP TRIGGER %s ON %s', substring(v_def FROM '^CREATE (?:CONSTRAINT )?TRIGGER (\\S+) '), substring(v_def FROM ' ON (\\S+) '));
  END LOOP;
  EXECUTE ${dollar(alter)};
  FOREACH v_def IN ARRAY v_triggers LOOP EXECUTE v_def; END LOOP;
  -- Identity columns' sequences follow their column's type; the groups' is the ledger's own.
  ALTER SEQUENCE groups AS bigint;
  FOR v_seq IN SELECT q.oid::regclass::text FROM pg_class q WHERE q.relkind = 'S' AND q.relnamespace = '${s}'::regnamespace LOOP
    EXECUTE format('ALTER SEQUENCE %s MAXVALUE ${NUMBER_MAX}', v_seq);
  END LOOP;
${functions}
END $d$;
GRANT EXECUTE ON FUNCTION undo_group(bigint, text) TO ${c.staff};
`;
  },
};

/** A text as a dollar-quoted literal whose tag occurs nowhere in it. */
function dollar(text: string): string {
  let tag = 'body';
  while (text.includes(`$${tag}$`)) tag += 'x';
  return `$${tag}$${text}$${tag}$`;
}
