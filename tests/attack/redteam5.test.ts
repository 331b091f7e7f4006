// A fifth red team's attacks (issue 17), as real login roles with plain SQL and through the
// CLI: what got through the guard of migrations 001-025, each seen failing there.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { HAS_PG, freshLedgerUrl, inProcess, inTransaction, makeLedger, tryOn, type Ledger } from './helpers.js';

describe.runIf(HAS_PG)('a fifth red team', () => {
  let L: Ledger;
  const ok = (r: { code: number; stderr: string }) => expect(r.code, r.stderr).toBe(0);

  beforeAll(async () => {
    L = await makeLedger();
  }, 120_000);

  /** The notices in rectify's own export (as the superuser). */
  const exportedNotices = async (url: string) => {
    const r = await inProcess(['export', '--format', 'jsonl'], { RECTIFY_DB: url, RECTIFY_USER: 'x' });
    expect(r.code, r.stderr).toBe(0);
    return r.stdout.split('\n').filter((l) => l.includes('"kind":"notice"')).map((l) => JSON.parse(l) as { at: string; day: string; by: string });
  };

  // Seen on main ca3de95: a notice's time and day were the client's. An admin's plain SQL
  // recorded a reminder as sent on 2024-01-02 at 09:00 (督办: the proof that a reminder went in
  // time), months before it was written; `log` and the export showed it so.
  it('a notice is recorded at the time the server took it, whatever time and day the client sends', async () => {
    const serverNow = (await L.attempt(null, 'SELECT now() AS t')).rows![0] as { t: Date };
    const a = L.connect(L.users.admin);
    const wrote = await tryOn(a, `INSERT INTO notices (at, day, by, recipient, channel, items)
      VALUES ('2024-01-02T09:00:00.000+08:00', '2024-01-02', '书记', '办公室', 'email', 'M1.3')`);
    expect(wrote.message).toBeUndefined();
    const [n] = await exportedNotices(L.address(null));
    // Written in the ledger's offset, as its entries are.
    const offset = (await L.dump()).items.get('M1.1')!.history[0]!.at.slice(-6);
    expect({ backdated: Date.parse(n!.at) < serverNow.t.getTime() - 1000, dayOfAt: n!.day === n!.at.slice(0, 10), offset: n!.at.slice(-6) })
      .toEqual({ backdated: false, dayOfAt: true, offset });
    // `log` shows it at that time too.
    const log = await L.inproc(L.users.viewer, ['log', '--json']);
    ok(log);
    expect(log.stdout).not.toContain('2024-01-02T09:00');
    // A copy made by the ledger's owner keeps the notices' times as they were recorded.
    const file = join(L.dir, 'notices.jsonl');
    const dump = await inProcess(['export', '--format', 'jsonl'], { RECTIFY_DB: L.address(null), RECTIFY_USER: 'x' });
    writeFileSync(file, dump.stdout);
    const other = await freshLedgerUrl();
    ok(await inProcess(['init', file], { RECTIFY_DB: other, RECTIFY_USER: '书记' }));
    expect(await exportedNotices(other)).toEqual(await exportedNotices(L.address(null)));
  });

  // Seen on main ca3de95: staff called tx_group() directly, 10,000 times, one transaction each:
  // tx_groups kept 10,000 rows (one a writing transaction, and nothing ever pruned them).
  it("the guard's table of transactions' groups does not grow with every transaction", async () => {
    const s = L.connect(L.users.staff);
    const calls = await Promise.all(Array.from({ length: 10_000 }, () => tryOn(s, 'SELECT grp FROM tx_group()')));
    expect(calls.filter((c) => !c.ok).length).toBe(0);
    for (let n = 0; n < 3; n++) ok(await L.inproc(L.users.staff, ['progress', `M3.${n + 1}`, '10']));
    const rows = (await L.attempt(null, 'SELECT count(*)::int AS n FROM tx_groups')).rows;
    expect(rows).toEqual([{ n: 1 }]);
    // The changes still go by transaction: undo takes back the last one whole.
    ok(await L.inproc(L.users.staff, ['undo']));
    const d = await L.dump();
    expect(['M3.1', 'M3.2', 'M3.3'].map((id) => d.items.get(id)!.progress)).toEqual([10, 10, 0]);
  }, 120_000);

  // Seen on main ca3de95: an admin's plain SQL set a pin (`UPDATE items SET pins = pins | 4`)
  // without changing the field: the history got an `edit` entry that changed nothing and said
  // nothing. rectify pins only with a change (or, for `assign`, with a note saying why), and
  // pins the owner, department and due date with `assign` alone, the term with an `edit` of it.
  it('no entry pins a field without saying so, and none claims an edit that changed nothing', async () => {
    const a = L.connect(L.users.admin);
    const committed = {
      pinAlone: await inTransaction(a, [`UPDATE items SET pins = pins | 4 WHERE id = 'M2.3'`]),
      pinAsEdit: await inTransaction(a, [`UPDATE items SET pins = pins | 1, title = '改过的标题' WHERE id = 'M2.4'`]),
      termPinWithoutTerm: await inTransaction(a, [`SELECT set_config('rectify.note', '备注', true)`,
        `UPDATE items SET pins = pins | 8 WHERE id = 'M2.5'`]),
      pinAsImport: await inTransaction(a, [`SELECT set_config('rectify.action', 'import', true)`,
        `UPDATE items SET pins = pins | 2, title = '导入的标题' WHERE id = 'M2.7'`]),
    };
    const d = await L.dump();
    const empty = [...d.items.values()].flatMap((i) => i.history
      .filter((e) => !['undo', 'create'].includes(e.action) && Object.keys(e.changes).length === 0 && e.note === null && e.evidence.length === 0)
      .map((e) => `${i.id} ${e.action}`));
    expect({ committed, empty }).toEqual({
      committed: { pinAlone: false, pinAsEdit: false, termPinWithoutTerm: false, pinAsImport: false }, empty: [] });
    // As rectify records it: a note with the pin is an assign; a pin with its field's change.
    expect(await inTransaction(a, [`SELECT set_config('rectify.note', '时限已确认', true)`,
      `UPDATE items SET pins = pins | 4 WHERE id = 'M2.6'`])).toBe(true);
    expect(await inTransaction(a, [`UPDATE items SET pins = pins | 1, owner = '组织科' WHERE id = 'M2.8'`])).toBe(true);
    ok(await L.inproc(L.users.admin, ['assign', 'M2.9', '--due', '2024-06-30', '-m', '时限不变，确认']));
    const after = await L.dump();
    const last = (id: string) => {
      const e = after.items.get(id)!.history.at(-1)!;
      return [e.action, Object.keys(e.changes).join(',')];
    };
    expect([last('M2.6'), last('M2.8'), last('M2.9')]).toEqual([['assign', ''], ['assign', 'owner'], ['assign', '']]);
  });

  // Tried on main (migration 28's prune of tx_groups, which deletes rows and so locks them), and it
  // holds: staff that called tx_group() in a transaction they keep open (having taken away the
  // row of the transaction before) make no writer wait: the prune skips a row another is taking
  // away. Nor may a ledger role set a rectify.* setting on itself (ALTER ROLE ... SET) or on the
  // database: PostgreSQL 15 refuses a placeholder setting to a role that is not a superuser.
  it('staff holding a transaction open after tx_group() make no writer wait; no role sets rectify.* on itself', async () => {
    ok(await L.inproc(L.users.staff, ['progress', 'M1.4', '10']));
    const s = L.connect(L.users.staff);
    expect(await tryOn(s, 'BEGIN')).toMatchObject({ ok: true });
    expect((await tryOn(s, 'SELECT grp FROM tx_group()')).message).toBeUndefined();
    const started = Date.now();
    const r = await L.cliAsync(L.users.staff2, ['progress', 'M1.5', '20']);
    const took = Date.now() - started;
    await tryOn(s, 'ROLLBACK');
    expect({ code: r.code, stderr: r.stderr, waited: took > 8000 }).toEqual({ code: 0, stderr: '', waited: false });
    const refused: string[] = [];
    for (const who of [L.users.staff, L.users.admin]) {
      const c = L.connect(who);
      for (const text of [`ALTER ROLE "${who}" SET rectify.by = '书记'`, `ALTER ROLE "${who}" SET rectify.at = '2000-01-01T00:00:00.000+08:00'`,
        `ALTER ROLE "${who}" SET rectify.bulk = 'on'`, `ALTER ROLE "${who}" IN DATABASE "${L.db}" SET rectify.action = 'import'`,
        `ALTER DATABASE "${L.db}" SET rectify.via = 'seed'`]) {
        if (!(await tryOn(c, text)).ok) refused.push(text);
      }
    }
    expect(refused.length).toBe(10);
  }, 60_000);
});
