// A fourth red team's attacks (issue 17), as real login roles with plain SQL and through the
// CLI: what got through the guard of migrations 001-019, each seen failing there.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { FIXTURES } from '../helpers/cli.js';
import { HAS_PG, PG_URL_FOR, inProcess, inTransaction, loginRole, makeLedger, serverSql, testDatabase, tryOn, type Dump, type HistoryEntry, type Ledger } from './helpers.js';

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
  /** The extensions the history holds, less those an undo took back. */
  const standingExtensions = (d: Dump) => {
    const entries = [...d.items.values()].flatMap((i) => i.history) as (HistoryEntry & { reverts?: number | null })[];
    const reverted = new Set(entries.flatMap((e) => (typeof e.reverts === 'number' ? [e.reverts] : [])));
    return entries.filter((e) => e.action === 'extend' && !reverted.has(e.seq ?? -1)).length;
  };

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

  // Tried on main 607264a, and it holds: a role that may merely CONNECT reads the OIDs of a
  // ledger's tables from pg_class (readable by all) and opens each through pg_relation_size(oid),
  // which checks no privilege, inside a transaction it keeps open. Had it kept a lock, the
  // upgrade's ALTERs would wait on it and the ledger stay refused until upgraded; the function
  // lets each lock go at once, and the upgrade goes through while the transaction is open.
  it("an outsider's open transaction that opened a ledger's tables by OID does not hold up its upgrade", async () => {
    const db = await testDatabase();
    const dump = readFileSync(join(FIXTURES, 'pg', 'ledger-v2.sql'), 'utf8').replaceAll('rectifyfix_v2_', `${db}_v2_`);
    for (const r of ['viewer', 'staff', 'admin']) await serverSql().unsafe(`CREATE ROLE "${db}_v2_${r}" NOLOGIN`);
    await serverSql().unsafe(`GRANT "${db}_v2_viewer" TO "${db}_v2_staff"; GRANT "${db}_v2_staff" TO "${db}_v2_admin"`);
    expect((await tryOn(L.connect(null), dump)).message).toBeUndefined();
    const out = L.connect(L.users.outsider);
    expect(await tryOn(out, 'BEGIN')).toMatchObject({ ok: true });
    const held = await tryOn(out, `SELECT count(pg_relation_size(c.oid))::int AS n FROM pg_class c
      WHERE c.relnamespace = (SELECT oid FROM pg_namespace WHERE nspname = 'v2') AND c.relkind = 'r'`);
    expect(held.message).toBeUndefined();
    const url = PG_URL_FOR(db, 'v2', 'postgres');
    const up = await inProcess(['init', '--upgrade'], { RECTIFY_DB: url, RECTIFY_USER: '书记' });
    expect(up.code, up.stderr).toBe(0);
    await tryOn(out, 'ROLLBACK');
  }, 60_000);

  // Seen on main 607264a: the guard took an admin's label `assign` for a due date moved later
  // (which rectify records as `extend`, 延期) and derived `extend` for one brought forward when no
  // label was given (rectify: `assign`). An admin in plain SQL hid an extension from `score`
  // (the original deadline, the on-time rate) and from the database's overview, which a
  // supervisor reads, and counted one that was none.
  it('a due date moved later is recorded as an extension, one brought forward is not, whatever the label', async () => {
    const a = L.connect(L.users.admin);
    expect(await inTransaction(a, [`SELECT set_config('rectify.action', 'assign', true)`,
      `UPDATE items SET due = '2024-12-31' WHERE id = 'M3.3'`])).toBe(true);
    expect(await inTransaction(a, [`UPDATE items SET due = '2024-05-01' WHERE id = 'M3.9'`])).toBe(true);
    ok(await L.inproc(L.users.admin, ['assign', 'M3.6', '--due', '2024-05-01']));
    ok(await L.inproc(L.users.admin, ['assign', 'M3.6', '--due', '2024-04-20']));
    const d = await L.dump();
    const last = (id: string, n = 1) => d.items.get(id)!.history.slice(-n).map((e) => e.action);
    expect({ M33: last('M3.3'), M39: last('M3.9'), M36: last('M3.6', 2) })
      .toEqual({ M33: ['extend'], M39: ['assign'], M36: ['extend', 'assign'] });
    expect((await L.attempt(null, `SELECT extensions FROM rectify_overview.ledgers WHERE ledger = '${L.schema}'`)).rows)
      .toEqual([{ extensions: standingExtensions(d) }]);
  });

  // Seen on main 98aee5e: what `assign` set (pinned: a later import keeps it) an admin's plain
  // SQL changed under the label `import`, which rectify's import never does to a pinned field:
  // M2.9's due, set by assign, moved half a year later as an "import" (no extension counted);
  // and an admin's UPDATE took the pins away, which only an undo of that assign does.
  it('what assign pinned no import-labelled change moves, and only an undo takes a pin away', async () => {
    const a = L.connect(L.users.admin);
    ok(await L.inproc(L.users.admin, ['assign', 'M2.9', '--due', '2024-06-15']));
    const committed = {
      importDue: await inTransaction(a, [`SELECT set_config('rectify.action', 'import', true)`,
        `UPDATE items SET due = '2024-12-31' WHERE id = 'M2.9'`]),
      unpin: await inTransaction(a, [`UPDATE items SET pins = 0 WHERE id = 'M2.9'`]),
    };
    const item = (await L.dump()).items.get('M2.9')!;
    expect({ committed, due: item.due, last: item.history.at(-1)!.action })
      .toEqual({ committed: { importDue: false, unpin: false }, due: '2024-06-15', last: 'assign' });
    // rectify's own import keeps the pinned date; its undo of an assign takes the pin away.
    ok(await L.inproc(L.users.admin, ['import', join(L.dir, 'seed.yaml')]));
    expect((await L.dump()).items.get('M2.9')!.due).toBe('2024-06-15');
    ok(await L.inproc(L.users.admin, ['assign', 'M2.6', '--due', '2024-05-05']));
    ok(await L.inproc(L.users.admin, ['undo']));
    const undone = (await L.attempt(null, `SELECT due, pins FROM items WHERE id = 'M2.6'`)).rows;
    expect(undone).toEqual([{ due: '2024-04-01', pins: 0 }]);
  });

  // Seen on main 43a0381: a note with no change labelled `extend` was taken (migration 21 labels
  // by the dates only where a due date moved): an admin's plain SQL put three such notes on M3.1,
  // which has no due date at all, and score and the overview counted three extensions. rectify
  // records `extend` only with a due date moved later.
  it('no entry says a due date was extended when none moved', async () => {
    const a = L.connect(L.users.admin);
    const committed: boolean[] = [];
    for (let n = 0; n < 3; n++) {
      committed.push(await inTransaction(a, [`SELECT set_config('rectify.action', 'extend', true)`,
        `SELECT set_config('rectify.note', '延期${n}', true)`, `UPDATE items SET title = title WHERE id = 'M3.1'`]));
    }
    const d = await L.dump();
    const claimed = [...d.items.values()].flatMap((i) => i.history.filter((e) => e.action === 'extend' && !e.changes.due).map(() => i.id));
    expect({ committed, claimed }).toEqual({ committed: [false, false, false], claimed: [] });
    expect((await L.attempt(null, `SELECT extensions FROM rectify_overview.ledgers WHERE ledger = '${L.schema}'`)).rows)
      .toEqual([{ extensions: standingExtensions(d) }]);
    // The note itself may still be written as what it is.
    expect(await inTransaction(a, [`SELECT set_config('rectify.note', '备注', true)`, `UPDATE items SET title = title WHERE id = 'M3.1'`]))
      .toBe(true);
  });

  // Seen on main 797dcaf: an admin's plain SQL took a signed-off item back to work as `progress`
  // (verified 100% -> in progress 50%), and another back to done with no label (recorded `done`,
  // a completion), moved a done item back to work at 100% as `progress`, and an item in progress
  // back to open as `progress`. rectify takes a sign-off or a completion back only by `reopen`
  // (to in progress, the progress kept) or by undo, and never makes an item open again but by
  // undo: the report listed no reopening, and two items "completed" twice.
  it('a sign-off or a completion is taken back only as a reopening, and no item goes back to open but by undo', async () => {
    const a = L.connect(L.users.admin);
    for (const id of ['M1.5', 'M1.7', 'M1.8']) ok(await L.inproc(L.users.staff, ['done', id]));
    for (const id of ['M1.5', 'M1.7']) ok(await L.inproc(L.users.admin, ['verify', id]));
    ok(await L.inproc(L.users.staff, ['progress', 'M1.10', '30']));
    const before = await L.dump();
    const committed = {
      verifiedToWork: await inTransaction(a, [`SELECT set_config('rectify.action', 'progress', true)`,
        `UPDATE items SET status = 'in_progress', progress = 50 WHERE id = 'M1.5'`]),
      verifiedToDone: await inTransaction(a, [`UPDATE items SET status = 'done' WHERE id = 'M1.7'`]),
      doneToWorkAsProgress: await inTransaction(a, [`SELECT set_config('rectify.action', 'progress', true)`,
        `UPDATE items SET status = 'in_progress' WHERE id = 'M1.8'`]),
      backToOpen: await inTransaction(a, [`UPDATE items SET status = 'open', progress = 0 WHERE id = 'M1.10'`]),
    };
    const after = await L.dump();
    const state = (d: Dump) => ['M1.5', 'M1.7', 'M1.8', 'M1.10'].map((id) => `${id} ${d.items.get(id)!.status}`);
    expect({ committed, state: state(after) }).toEqual({
      committed: { verifiedToWork: false, verifiedToDone: false, doneToWorkAsProgress: false, backToOpen: false }, state: state(before) });
    // rectify's own reopen and undo still take them back.
    ok(await L.inproc(L.users.admin, ['reopen', 'M1.5', '-m', '返工']));
    // (With the reason a reopening gives: migration 38.)
    expect(await inTransaction(a, [`SELECT set_config('rectify.note', '返工', true)`, `UPDATE items SET status = 'in_progress' WHERE id = 'M1.8'`])).toBe(true);
    const d = await L.dump();
    expect([d.items.get('M1.5')!.history.at(-1)!.action, d.items.get('M1.8')!.history.at(-1)!.action]).toEqual(['reopen', 'reopen']);
    ok(await L.inproc(L.users.staff, ['undo']));
    expect((await L.dump()).items.get('M1.10')!.status).toBe('open');
  });

  // Tried on main 797dcaf, and it holds: contacts' robot keys and signing secrets are read by
  // the ledger's admins alone. Staff, a viewer, the database's supervisor and a role that may
  // merely CONNECT reach them through no table, view or function they may use, and no command
  // they may run (export, copy out, remind, log) prints them; the supervisor writes nothing.
  it("contacts' keys and secrets reach no one but admins; a supervisor reads and writes nothing else", async () => {
    const KEY = 'robotkey0rt4';
    const SECRET = 'SECsigning0rt4';
    ok(await L.inproc(L.users.admin, ['contact', 'set', '办公室', '--webhook', `wecom:https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=${KEY}`]));
    ok(await L.inproc(L.users.admin, ['contact', 'set', '组织科', '--webhook', 'dingtalk:https://oapi.dingtalk.com/robot/send?access_token=tok0rt4',
      '--secret', SECRET]));
    const watcher = await loginRole('watcher');
    const dbUrl = new URL(L.address(null));
    dbUrl.searchParams.delete('schema');
    ok(await inProcess(['grant', watcher, 'supervisor'], { RECTIFY_DB: dbUrl.toString() }));
    const leaks: string[] = [];
    for (const who of [L.users.staff, L.users.viewer, watcher, L.users.outsider]) {
      const c = L.connect(who);
      const tried = [
        'SELECT * FROM contacts', 'SELECT * FROM contact_names', 'SELECT * FROM notices',
        `SELECT string_agg(p.oid::regprocedure::text, ' ') AS f FROM pg_proc p
          WHERE p.pronamespace = to_regnamespace('${L.schema}') AND has_function_privilege(p.oid, 'EXECUTE')`,
        `SELECT * FROM pg_stats WHERE schemaname = '${L.schema}' AND tablename = 'contacts'`,
      ];
      for (const q of tried) {
        const r = await tryOn(c, q);
        const text = JSON.stringify(r);
        if (text.includes(KEY) || text.includes(SECRET) || text.includes('tok0rt4')) leaks.push(`${who}: ${q}`);
      }
      for (const args of [['export', '--format', 'jsonl'], ['export', '--format', 'json'], ['remind', '--json'], ['log'],
        ['copy', L.address(who), join(L.dir, `${who}.db`)]]) {
        const r = await L.inproc(who, args);
        if ([r.stdout, r.stderr].some((t) => t.includes(KEY) || t.includes(SECRET) || t.includes('tok0rt4'))) leaks.push(`${who}: rectify ${args[0]}`);
      }
      for (const sqlText of [`UPDATE items SET progress = 10, status = 'in_progress' WHERE id = 'M3.2'`,
        `UPDATE contacts SET secret = 'x'`, `INSERT INTO notices (at, day, by, recipient, channel, items) VALUES ('2024-05-10T09:00:00+08:00', '2024-05-10', 'x', 'x', 'email', 'M3.2')`]) {
        if (who !== L.users.staff && (await tryOn(c, sqlText)).ok) leaks.push(`${who} wrote: ${sqlText}`);
      }
    }
    // A copy made by staff holds the names alone.
    const copied = await inProcess(['export', '--format', 'jsonl'], { RECTIFY_DB: join(L.dir, `${L.users.staff}.db`) });
    expect(copied.stdout).toContain('组织科');
    expect(leaks).toEqual([]);
    const w = await L.inproc(watcher, ['progress', 'M3.2', '10']);
    expect(w.code).toBe(4);
  });

  // Seen on main 797dcaf: an admin's plain SQL set a measure's last number to 2147483647 (or
  // inserted a measure with it), the largest integer; `add` on it then failed for good ("integer
  // out of range", an unexpected failure, exit 1), since nobody may lower the number (019). The
  // largest number an item's id carries is 999,999,999 (store/rows.ts idNumber); past it `add`
  // goes on with ids whose number no longer counts.
  it("no number an admin writes into a measure stops `add` on it for good", async () => {
    const a = L.connect(L.users.admin);
    expect((await tryOn(a, `UPDATE measures SET last_num = 2147483647 WHERE id = 'M2'`)).message).toBeUndefined();
    await tryOn(a, `INSERT INTO measures (id, pos, title, last_num) VALUES ('M9', 9, '措施九', 2147483647)`);
    for (const m of ['M2', 'M9', 'M2']) {
      const r = await L.inproc(L.users.admin, ['add', '--measure', m, `新事项${m}`]);
      expect({ m, code: r.code, stderr: r.stderr }).toEqual({ m, code: 0, stderr: '' });
    }
    const added = [...(await L.dump()).items.keys()].filter((k) => /^M[29]\.\d{10}$/.test(k)).sort();
    expect(added).toEqual(['M2.1000000000', 'M2.1000000001', 'M9.1000000000']);
  });
});
