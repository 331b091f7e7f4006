// A fifth red team's attacks (issue 17), as real login roles with plain SQL and through the
// CLI: what got through the guard of migrations 001-025, each seen failing there.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { FIXTURES } from '../helpers/cli.js';
import { HAS_PG, PG_URL_FOR, freshLedgerUrl, inProcess, inTransaction, loginRole, makeLedger, serverSql, testDatabase, tryOn, type Ledger } from './helpers.js';

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
    // A notice goes to a recipient's address (migration 36): 办公室, which owns M1.3, has one.
    ok(await L.inproc(L.users.admin, ['contact', 'set', '办公室', '--email', 'office@example.org']));
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
  // tx_groups kept 10,000 rows (one a writing transaction, and nothing ever pruned them). A
  // thousand calls tell the same (1,003 rows before the fix), in a tenth of the suite's time.
  it("the guard's table of transactions' groups does not grow with every transaction", async () => {
    const s = L.connect(L.users.staff);
    const calls = await Promise.all(Array.from({ length: 1_000 }, () => tryOn(s, 'SELECT grp FROM tx_group()')));
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

  // Seen on main e847012: before the guard an admin held ALL on every table. One that wrote a
  // history entry with seq and group 2147483647 (the largest integer), an item and a removal
  // with that key, went through the upgrade, which set each sequence to the largest number in
  // use: every write after it failed for every role ("nextval: reached maximum value of
  // sequence \"groups\"", exit 1, "this is a bug in rectify"), and only a superuser could mend it.
  it('no number written by hand before the upgrade stops the ledger after it', async () => {
    const db = await testDatabase();
    const dump = readFileSync(join(FIXTURES, 'pg', 'ledger-v2.sql'), 'utf8').replaceAll('rectifyfix_v2_', `${db}_v2_`);
    for (const r of ['viewer', 'staff', 'admin']) await serverSql().unsafe(`CREATE ROLE "${db}_v2_${r}" NOLOGIN`).catch(() => {});
    await serverSql().unsafe(`GRANT "${db}_v2_viewer" TO "${db}_v2_staff"; GRANT "${db}_v2_staff" TO "${db}_v2_admin"`);
    expect((await tryOn(L.connect(null), dump)).message).toBeUndefined();
    const old = await loginRole('oldadmin5');
    await serverSql().unsafe(`GRANT "${db}_v2_admin" TO "${old}"`);
    const a = L.connect(old, { searchPath: 'v2' });
    const MAX = 2147483647;
    for (const text of [
      `INSERT INTO history (seq, grp, at, by, item, action, status, progress, via, changes, note) VALUES (${MAX}, ${MAX}, '2026-12-06T08:00:00.000+00:00', '办公室', 1, 'progress', 'in_progress', 40, 'cli', '{}', '手写')`,
      `INSERT INTO evidence (key, item, seq, text) VALUES (${MAX}, 1, ${MAX}, '手写材料')`,
      `INSERT INTO items (key, id, measure, num, status, progress, term, created_at, updated_at, title) VALUES (${MAX}, 'M1.90', 1, 90, 'open', 0, 'deadline', '2026-12-06T08:00:00.000+00:00', '2026-12-06T08:00:00.000+00:00', '手写事项')`,
      `INSERT INTO history (seq, grp, at, by, item, action, status, progress, via, changes) VALUES (${MAX - 1}, ${MAX - 1}, '2026-12-06T08:00:00.000+00:00', '办公室', ${MAX}, 'create', 'open', 0, 'cli', '{}')`,
      `INSERT INTO item_problems (item, pos, problem) VALUES (${MAX}, 0, 1)`,
      `INSERT INTO removed (key, grp, at, by, id, title) VALUES (${MAX}, ${MAX - 2}, '2026-12-06T08:00:00.000+00:00', '办公室', 'M9.9', '手写')`,
    ]) expect((await tryOn(a, text)).message).toBeUndefined();
    const su = PG_URL_FOR(db, 'v2', 'postgres');
    const up = await inProcess(['init', '--upgrade'], { RECTIFY_DB: su, RECTIFY_USER: '书记' });
    expect(up.code, up.stderr).toBe(0);
    const before = (await inProcess(['export', '--format', 'jsonl'], { RECTIFY_DB: su, RECTIFY_USER: 'x' })).stdout;
    const admin = await loginRole('newadmin5');
    ok(await inProcess(['grant', admin, 'admin'], { RECTIFY_DB: su, RECTIFY_USER: '书记' }));
    const as = { RECTIFY_DB: PG_URL_FOR(db, 'v2', admin), RECTIFY_USER: '书记' };
    const runs: Record<string, number> = {};
    for (const args of [['progress', 'M1.1', '60'], ['add', '--measure', 'M1', '新事项'], ['done', 'M2.1', '--evidence', '材料'],
      ['undo'], ['rm', 'M1.90']]) {
      const r = await inProcess(args, as);
      runs[args.slice(0, 2).join(' ')] = r.code;
      if (r.code !== 0) runs[r.stderr.trim()] = r.code;
    }
    expect(runs).toEqual({ 'progress M1.1': 0, 'add --measure': 0, 'done M2.1': 0, undo: 0, 'rm M1.90': 0 });
    // Nothing was lost: the entries written by hand are there, in their place.
    const item = (text: string, id: string) => text.split('\n').filter((l) => l.includes('"kind":"item"')).map((l) => JSON.parse(l) as
      { id: string; history: { note: string | null; action: string }[]; evidence: string[] }).find((i) => i.id === id)!;
    const after = (await inProcess(['export', '--format', 'jsonl'], { RECTIFY_DB: su, RECTIFY_USER: 'x' })).stdout;
    const [b, c] = [item(before, 'M1.1'), item(after, 'M1.1')];
    expect(c.history.slice(0, b.history.length)).toEqual(b.history);
    expect({ hand: b.history.at(-1)!.note, evidence: c.evidence.includes('手写材料'), next: c.history.at(-1)!.action })
      .toEqual({ hand: '手写', evidence: true, next: 'progress' });
  }, 120_000);
});
