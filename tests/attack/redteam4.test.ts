// A fourth red team's attacks (issue 17), as real login roles with plain SQL and through the
// CLI: what got through the guard of migrations 001-019, each seen failing there.
import { beforeAll, describe, expect, it } from 'vitest';
import { HAS_PG, inTransaction, makeLedger, type Ledger } from './helpers.js';

describe.runIf(HAS_PG)('a fourth red team', () => {
  let L: Ledger;
  const ok = (r: { code: number; stderr: string }) => expect(r.code, r.stderr).toBe(0);

  beforeAll(async () => {
    L = await makeLedger();
  }, 120_000);

  /** Each item's updated_at and number of entries, as the superuser reads them. */
  const stamps = async (ids: string[]) => {
    const r = await L.attempt(null, `SELECT i.id, i.updated_at AS at, (SELECT count(*)::int FROM history h WHERE h.item = i.key) AS entries
      FROM items i WHERE i.id IN (${ids.map((id) => `'${id}'`).join(', ')}) ORDER BY i.id`);
    expect(r.message).toBeUndefined();
    return Object.fromEntries((r.rows as { id: string; at: string; entries: number }[]).map((x) => [x.id, { at: x.at, entries: x.entries }]));
  };
  const later = () => new Promise((r) => setTimeout(r, 20));

  // Seen on main bb68db5: staff's plain SQL UPDATE that changed nothing (progress = progress;
  // or 40 and back to 30 in one transaction) moved the item's updated_at to the server's time,
  // and the history, which writes no entry where nothing changed, said nothing of it: the row
  // changed with no entry, and `show` told of a change nobody recorded.
  it("an UPDATE that changes nothing leaves the item's time as it was (no row changes without an entry)", async () => {
    ok(await L.inproc(L.users.staff, ['progress', 'M1.1', '30']));
    ok(await L.inproc(L.users.admin, ['edit', 'M1.2', '--title', '改名']));
    const ids = ['M1.1', 'M1.2', 'M1.4'];
    const before = await stamps(ids);
    await later();
    const s = L.connect(L.users.staff);
    const a = L.connect(L.users.admin);
    expect(await inTransaction(s, [`UPDATE items SET progress = progress, status = status WHERE id = 'M1.1'`])).toBe(true);
    expect(await inTransaction(s, [`SELECT set_config('rectify.action', 'progress', true)`,
      `UPDATE items SET progress = 40 WHERE id = 'M1.1'`, `UPDATE items SET progress = 30 WHERE id = 'M1.1'`])).toBe(true);
    expect(await inTransaction(s, [`UPDATE items SET updated_at = '2000-01-01T00:00:00.000+08:00' WHERE id = 'M1.4'`])).toBe(true);
    expect(await inTransaction(a, [`UPDATE items SET title = title, owner = owner WHERE id = 'M1.2'`])).toBe(true);
    expect(await stamps(ids)).toEqual(before);
    // What rectify records still moves it, with its entry: a note, evidence, a change of addresses.
    await later();
    ok(await L.inproc(L.users.staff, ['progress', 'M1.1', '-m', '推进中']));
    ok(await L.inproc(L.users.admin, ['edit', 'M1.2', '--addresses', 'P1.1,P1.2']));
    const after = await stamps(ids);
    for (const id of ['M1.1', 'M1.2']) {
      expect({ id, entries: after[id]!.entries, moved: after[id]!.at > before[id]!.at }).toEqual({ id, entries: before[id]!.entries + 1, moved: true });
    }
  });

  // Seen on main bb68db5: evidence had no count limit per `done`: staff set rectify.evidence to
  // 5,000 texts and one `done` took them all (5,000 rows, on a ledger whose `show` lists each).
  it('one done records at most 100 evidence texts, in plain SQL and through the CLI', async () => {
    const s = L.connect(L.users.staff);
    const texts = (n: number) => JSON.stringify(Array.from({ length: n }, (_, i) => `材料${i + 1}`));
    const done = (n: number, id: string) => inTransaction(s, [`SELECT set_config('rectify.action', 'done', true)`,
      `SELECT set_config('rectify.evidence', '${texts(n)}', true)`, `UPDATE items SET status = 'done', progress = 100 WHERE id = '${id}'`]);
    expect(await done(5000, 'M2.1')).toBe(false);
    expect(await done(101, 'M2.2')).toBe(false);
    expect(await done(100, 'M2.3')).toBe(true);
    const d = await L.dump();
    expect([d.items.get('M2.1')!.evidence.length, d.items.get('M2.2')!.evidence.length, d.items.get('M2.3')!.evidence.length])
      .toEqual([0, 0, 100]);
    const many = Array.from({ length: 101 }, (_, i) => ['--evidence', `件${i}`]).flat();
    const r = await L.inproc(L.users.staff, ['done', 'M2.4', ...many]);
    expect({ code: r.code, lines: r.stderr.trim().split('\n').length, says: /100/.test(r.stderr), stdout: r.stdout })
      .toEqual({ code: 2, lines: 1, says: true, stdout: '' });
    expect((await L.dump()).items.get('M2.4')!.status).toBe('open');
  });
});
