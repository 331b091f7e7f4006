// A fifth red team's attacks (issue 17), as real login roles with plain SQL and through the
// CLI: what got through the guard of migrations 001-025, each seen failing there.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { HAS_PG, freshLedgerUrl, inProcess, makeLedger, tryOn, type Ledger } from './helpers.js';

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
});
