// The row checks of migration 30 (seed_text, seed_id, real_date) are inlined into each CHECK,
// with no `SET search_path` of their own: every operator and function in them is named in
// pg_catalog, so that none is looked up through the search_path of whoever writes the row. An
// admin that owns another schema (another application's, in the same database) plants operators
// there that say yes to everything and puts that schema first: the CHECKs still refuse.
import { beforeAll, describe, expect, it } from 'vitest';
import { HAS_PG, makeLedger, tryOn, type Ledger } from './helpers.js';

describe.runIf(HAS_PG)('the row checks, inlined', () => {
  let L: Ledger;

  beforeAll(async () => {
    L = await makeLedger();
  }, 120_000);

  it("are not steered by operators an admin plants in a schema it puts first in its search_path", async () => {
    const evil = `${L.schema}_evil`;
    expect(await L.attempt(null, `CREATE SCHEMA "${evil}" AUTHORIZATION "${L.users.admin}"`)).toMatchObject({ ok: true });
    try {
      await attack(evil);
    } finally {
      await L.attempt(null, `DROP SCHEMA "${evil}" CASCADE`);
    }
  });

  async function attack(evil: string) {
    const a = L.connect(L.users.admin);
    const yes = (name: string, l: string, r: string) => [
      `CREATE FUNCTION "${evil}".${name}(${l}, ${r}) RETURNS boolean LANGUAGE sql IMMUTABLE AS 'SELECT true'`,
    ];
    const plant = [
      ...yes('t', 'text', 'text'), ...yes('n', 'numeric', 'numeric'),
      `CREATE OPERATOR "${evil}".~ (LEFTARG = text, RIGHTARG = text, FUNCTION = "${evil}".t)`,
      `CREATE OPERATOR "${evil}".!~ (LEFTARG = text, RIGHTARG = text, FUNCTION = "${evil}".t)`,
      `CREATE OPERATOR "${evil}".<> (LEFTARG = text, RIGHTARG = text, FUNCTION = "${evil}".t)`,
      `CREATE OPERATOR "${evil}".<= (LEFTARG = numeric, RIGHTARG = numeric, FUNCTION = "${evil}".n)`,
    ];
    for (const p of plant) expect(await tryOn(a, p)).toMatchObject({ ok: true });
    const steered = async (statement: string) => {
      const r = await tryOn(a, 'BEGIN');
      expect(r.ok).toBe(true);
      await tryOn(a, `SET LOCAL search_path = "${evil}", "${L.schema}", pg_catalog`);
      const w = await tryOn(a, statement);
      await tryOn(a, w.ok ? 'COMMIT' : 'ROLLBACK');
      return w.ok || w.message!;
    };
    // Each refused, as without the planted operators: a control character, a title of white
    // space, an empty owner, an id no seed takes, a day the month does not have.
    expect({
      control: await steered(`UPDATE items SET title = 'a' || chr(1) || 'b' WHERE id = 'M1.1'`),
      blank: await steered(`UPDATE items SET title = chr(12288) || '标题' WHERE id = 'M1.1'`),
      empty: await steered(`UPDATE measures SET detail = '' WHERE id = 'M1'`),
      id: await steered(`INSERT INTO areas (id, pos, name) VALUES ('1坏', 99, '坏')`),
      day: await steered(`UPDATE items SET due = '2025-02-30' WHERE id = 'M1.1'`),
    }).toEqual({
      control: expect.stringMatching(/check constraint/), blank: expect.stringMatching(/check constraint/),
      empty: expect.stringMatching(/check constraint/), id: expect.stringMatching(/check constraint/),
      day: expect.stringMatching(/check constraint/),
    });
    // The same role writes what the checks take, with the same path.
    expect(await steered(`UPDATE items SET due = '2025-02-28' WHERE id = 'M1.1'`)).toBe(true);
    const d = await L.dump();
    expect(d.items.get('M1.1')!.title).not.toMatch(/\u0001|^\u3000/);
  }
});
