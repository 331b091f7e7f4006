// Attacks on the history and the rows it speaks for, by staff, viewers and admins with plain SQL
// (docs/postgres.md, "What the server guarantees", 2 to 4). Each is judged by its outcome in the
// contract's terms, read back through rectify: every change of an item's state has exactly one
// entry, by the role that made it; no entry without a change; the dashboard equals a rebuild
// from the rows; everyone can still read and write afterwards.
import { beforeAll, describe, expect, it } from 'vitest';
import { HAS_PG, makeLedger, newEntriesFaults, tryOn, type Ledger } from './helpers.js';

describe.runIf(HAS_PG)('attacks on the history', () => {
  // L takes most attacks, each on items of its own; J and Q take the two whose success would
  // spoil every later read (malformed history) or write (sequences), on today's code.
  let L: Ledger;

  beforeAll(async () => {
    L = await makeLedger();
  }, 120_000);

  /** Tables and sequences of the ledger's schema, as any role sees them in the catalogue. */
  const catalogue = async (on = L) => {
    const r = await on.attempt(L.users.viewer, `SELECT c.relname AS name, c.relkind AS kind FROM pg_class c
      JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = '${on.schema}' AND c.relkind IN ('r', 'S', 'p', 'v')`);
    expect(r.ok, r.message).toBe(true);
    return r.rows as { name: string; kind: string }[];
  };
  it('a viewer cannot write anything: no table, sequence, schema object or setting of the ledger', async () => {
    const before = await L.dump();
    const cat = await catalogue();
    const wrote: string[] = [];
    const v = L.connect(L.users.viewer);
    const attempt = async (text: string) => {
      const r = await tryOn(v, text);
      if (r.ok) wrote.push(text);
    };
    for (const t of cat.filter((c) => c.kind !== 'S')) {
      const cols = (await tryOn(v, `SELECT attname FROM pg_attribute WHERE attrelid = '"${L.schema}"."${t.name}"'::regclass AND attnum > 0 AND NOT attisdropped AND attgenerated = '' ORDER BY attnum`)).rows as { attname: string }[];
      const col = cols[cols.length - 1]!.attname;
      await attempt(`UPDATE "${t.name}" SET "${col}" = "${col}"`);
      await attempt(`DELETE FROM "${t.name}" WHERE false`);
      await attempt(`INSERT INTO "${t.name}" SELECT * FROM "${t.name}" WHERE false`);
      await attempt(`TRUNCATE "${t.name}"`);
      await attempt(`LOCK TABLE "${t.name}" IN EXCLUSIVE MODE`);
    }
    for (const s of cat.filter((c) => c.kind === 'S')) await attempt(`SELECT setval('"${s.name}"', 1000000)`);
    await attempt(`CREATE TABLE "${L.schema}".planted (x int)`);
    await attempt(`CREATE FUNCTION "${L.schema}".planted() RETURNS int LANGUAGE sql AS 'SELECT 1'`);
    expect(wrote).toEqual([]);
    const r = await L.inproc(L.users.viewer, ['progress', 'M2.9', '10']);
    expect(r.code).toBe(4);
    expect(newEntriesFaults(before, await L.dump(), L.users.viewer)).toEqual([]);
  });

});
