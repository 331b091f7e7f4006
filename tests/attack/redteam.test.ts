// A second red team's attacks (issue 17), as real login roles with plain SQL: what got through
// the guard of migrations 001-005, each seen failing there, and the refusals that hold.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIXTURES, tempDir } from '../helpers/cli.js';
import {
  HAS_PG, PG_URL_FOR, TODAY, inProcess, inTransaction, loginRole, makeLedger, newInconsistencies, parseDump, rebuildFigures, serverSql, shownFigures,
  testDatabase, tryOn, type Ledger, type Sql,
} from './helpers.js';

describe.runIf(HAS_PG)('a second red team', () => {
  let L: Ledger;
  const ok = (r: { code: number; stderr: string }) => expect(r.code, r.stderr).toBe(0);
  const lastGroup = (id: string) => `(SELECT grp FROM history WHERE item = (SELECT key FROM items WHERE id = '${id}') ORDER BY seq DESC LIMIT 1)`;

  beforeAll(async () => {
    L = await makeLedger();
  }, 120_000);

  // Seen on the guard of 002: staff's own undo and a change in one transaction were one entry
  // labelled `progress`; the evidence the undo took away was gone from the ledger (not on the
  // item, not in any entry), and an admin's assign made before an undo was recorded as the undo.
  it('an undo and another change of one item in one transaction: no evidence goes without a trace, no change passes as an undo', async () => {
    ok(await L.inproc(L.users.staff, ['progress', 'M1.3', '30']));
    ok(await L.inproc(L.users.staff, ['done', 'M1.1', '--evidence', '会议纪要甲']));
    const before = await L.dump();
    const s = L.connect(L.users.staff);
    const a = L.connect(L.users.admin);
    const committed = {
      undoThenChange: await inTransaction(s, [`SELECT undo_group(${lastGroup('M1.1')}, '组织科')`,
        `SELECT set_config('rectify.action', 'progress', true)`,
        `UPDATE items SET status = 'in_progress', progress = 40 WHERE id = 'M1.1'`]),
      changeThenUndo: await inTransaction(a, [`UPDATE items SET owner = '某人' WHERE id = 'M1.3'`,
        `SELECT undo_group(${lastGroup('M1.3')}, '书记')`]),
    };
    const after = await L.dump();
    const bad: string[] = [];
    for (const [id, text] of [['M1.1', '会议纪要甲']] as const) {
      if (!JSON.stringify(after.items.get(id)).includes(text)) bad.push(`${id}: the evidence ${text} is gone without a trace`);
    }
    for (const [id, it] of after.items) {
      const added = it.history.slice(before.items.get(id)!.history.length);
      for (const e of added.filter((x) => x.action === 'undo')) {
        const reverted = it.history.filter((x) => x.action !== 'undo' && x.seq !== undefined && x.seq < (e.seq ?? 0)).at(-1);
        const allowed = new Set([...Object.keys(reverted?.changes ?? {}), 'evidence']);
        for (const k of Object.keys(e.changes)) if (!allowed.has(k)) bad.push(`${id}: a change of ${k} recorded as an undo`);
      }
    }
    expect({ bad, inconsistent: newInconsistencies(before, after) }).toEqual({ bad: [], inconsistent: [] });
    // The undo alone still goes through, in a transaction of its own.
    expect(committed).toEqual({ undoThenChange: false, changeThenUndo: false });
    ok(await L.inproc(L.users.staff, ['undo']));
    expect(after.items.get('M1.1')).toMatchObject({ status: 'done', evidence: ['会议纪要甲'] });
    expect((await L.dump()).items.get('M1.1')).toMatchObject({ status: 'open', progress: 0, evidence: [] });
  });

  // Seen on main 5f1d63a: the entry's time was the server's, but its written offset the
  // client's (rectify.at): staff who set -14:00 had their change of the office's afternoon
  // written on the day before, which score's on-time rate reads.
  it("writes a ledger role's entry in the ledger's own offset, whatever offset the client lends", async () => {
    const s = L.connect(L.users.staff);
    const office = (await L.dump()).items.get('M1.2')!.history[0]!.at.slice(-6);
    const committed = await inTransaction(s, [
      `SELECT set_config('rectify.at', '2020-01-01T00:00:00.000-14:00', true)`,
      `SELECT set_config('rectify.note', '时区', true)`,
      `UPDATE items SET status = 'in_progress', progress = 15 WHERE id = 'M1.2'`,
    ]);
    expect(committed).toBe(true);
    const entry = (await L.dump()).items.get('M1.2')!.history.at(-1)!;
    expect(entry.note).toBe('时区');
    expect(entry.at.slice(-6)).toBe(office);
    expect(entry.at.startsWith('2020-')).toBe(false);
    // An admin's the same; a viewer writes nothing, and a role that may merely CONNECT cannot
    // even make the transaction's group and time.
    const a = L.connect(L.users.admin);
    expect(await inTransaction(a, [
      `SELECT set_config('rectify.at', '2020-01-01T00:00:00.000+14:00', true)`,
      `UPDATE items SET owner = '时区' WHERE id = 'M1.3'`,
    ])).toBe(true);
    expect((await L.dump()).items.get('M1.3')!.history.at(-1)!.at.slice(-6)).toBe(office);
    expect(await inTransaction(L.connect(L.users.viewer), [`UPDATE items SET owner = '时区' WHERE id = 'M1.3'`])).toBe(false);
    expect((await tryOn(L.connect(L.users.outsider), 'SELECT tx_group()')).ok).toBe(false);
  });

  // Seen on main 15e1396: init waited for an advisory lock keyed on the database's name, which a
  // role that may merely CONNECT held: init stalled for the lock's time and the new ledger went
  // without the database's summary for good (overview reading its roll-ups the slow way).
  it('a role that may merely CONNECT neither stalls init nor keeps a new ledger out of the database\'s summary', async () => {
    const hold = L.connect(L.users.outsider);
    const db = L.db;
    const held: string[] = [];
    for (const key of [`rectify_overview:${db}`, 'rectify_overview', db]) {
      if ((await tryOn(hold, `SELECT pg_advisory_lock(1381253203, hashtext('${key}'))`)).ok) held.push(key);
    }
    expect(held.length, 'an outsider may take advisory locks').toBeGreaterThan(0);
    try {
      const url = PG_URL_FOR(db, 'rtsummary', 'postgres');
      const started = Date.now();
      const r = await inProcess(['init', join(L.dir, 'seed.yaml')], { RECTIFY_DB: url, RECTIFY_USER: '书记' });
      const waited = Date.now() - started;
      expect(r.code, r.stderr).toBe(0);
      const rows = (await L.attempt(null, `SELECT ledger FROM rectify_overview.ledgers WHERE ledger = 'rtsummary'`)).rows ?? [];
      expect({ joined: rows.length, fast: waited < 8000 }).toEqual({ joined: 1, fast: true });
    } finally {
      await tryOn(hold, 'SELECT pg_advisory_unlock_all()');
    }
  }, 60_000);

  // Seen on main 15e1396: `rm` of an item deletes its entries, but the database summary's count
  // of extensions (what overview shows a supervising body) kept its extensions.
  it('the database summary\'s extensions follow the rows when an admin removes an item it extended', async () => {
    ok(await L.inproc(L.users.admin, ['assign', 'M3.9', '--due', '2024-07-31']));
    ok(await L.inproc(L.users.admin, ['assign', 'M3.9', '--due', '2024-08-31']));
    ok(await L.inproc(L.users.admin, ['rm', 'M3.9']));
    const r = await L.attempt(null, `SELECT (SELECT extensions FROM rectify_overview.ledgers WHERE ledger = '${L.schema}') AS shown,
      (SELECT count(*)::int FROM history h WHERE h.action = 'extend' AND NOT EXISTS (SELECT 1 FROM undone u WHERE u.grp = h.grp)) AS rows`);
    const [row] = (r.rows ?? []) as { shown: number; rows: number }[];
    expect(row).toEqual({ shown: row!.rows, rows: row!.rows });
  });

  // Seen on main 15e1396: staff's note with no change, label left out, was recorded as `edit`.
  it('staff\'s note alone in plain SQL is recorded with a label staff may record', async () => {
    const before = await L.dump();
    const s = L.connect(L.users.staff);
    await inTransaction(s, [`SELECT set_config('rectify.note', '只是备注', true)`, `UPDATE items SET progress = progress WHERE id = 'M3.7'`]);
    const added = (await L.dump()).items.get('M3.7')!.history.slice(before.items.get('M3.7')!.history.length);
    expect(added.map((e) => [e.action, e.note, e.dbUser])).toEqual([['progress', '只是备注', L.users.staff]]);
  });

  // Seen on the guard of 002: a CR before a LF passed the server's text rules (staff's note, an
  // admin's detail), which the seed refuses anywhere; notices and contacts, which an export
  // carries, had no rules at all; an admin's texts longer than the seed allows and a report date
  // that is none went in (migrations 6 and 8). The export then did not reload, and the history
  // keeps what an entry said.
  it('nothing staff or an admin writes in plain SQL keeps the export from reloading (a CR, notices, contacts)', async () => {
    const s = L.connect(L.users.staff);
    const a = L.connect(L.users.admin);
    const wrote: string[] = [];
    if (await inTransaction(s, [`SELECT set_config('rectify.note', E'会\\r\\n议', true)`,
      `UPDATE items SET progress = 20, status = 'in_progress' WHERE id = 'M2.1'`])) wrote.push('staff: a note with CR LF');
    for (const text of [
      `UPDATE items SET detail = E'甲\\r\\n乙' WHERE id = 'M2.2'`,
      `UPDATE items SET title = E'标题\\r\\n' WHERE id = 'M2.3'`,
      `INSERT INTO notices (at, day, by, recipient, channel, items) VALUES (E'2024-05-10T09:00:00.000+08:00', '2024-05-10', E'书记\\x07', '办公室', 'email', 'M2.1')`,
      `INSERT INTO notices (at, day, by, recipient, channel, items) VALUES ('昨天', '2024-05-10', '书记', '办公室', 'email', 'M2.1')`,
      `INSERT INTO notices (at, day, by, recipient, channel, items) VALUES ('2024-05-10T09:00:00.000+08:00', '2024-02-30', '书记', '办公室', 'email', '')`,
      `INSERT INTO notices (at, day, by, recipient, channel, items) VALUES ('2024-05-10T09:00:00.000+08:00', '2024-05-10', '书记', E'\\x1b[31m', 'email', '')`,
      `INSERT INTO notices (at, day, by, recipient, channel, items) VALUES ('2024-05-10T09:00:00.000+08:00', '2024-05-10', '书记', '  ', 'email', E'M2.1\\x01')`,
      `INSERT INTO contacts (name, email) VALUES (E'科室\\x07', NULL)`,
      `INSERT INTO contacts (name, email) VALUES ('科室乙', E'a@b\\x01.cn')`,
      `INSERT INTO contacts (name) VALUES (' ')`,
      `UPDATE items SET title = repeat('长', 501) WHERE id = 'M2.4'`,
      `UPDATE items SET owner = repeat('人', 101) WHERE id = 'M2.5'`,
      `UPDATE items SET department = repeat('科', 101) WHERE id = 'M2.5'`,
      `UPDATE items SET detail = repeat('详', 20001) WHERE id = 'M2.6'`,
      `UPDATE problems SET title = repeat('题', 501) WHERE id = 'P1.1'`,
      `UPDATE areas SET name = repeat('面', 501) WHERE id = 'A1'`,
      `UPDATE causes SET title = repeat('因', 501) WHERE id = 'C1'`,
      `UPDATE measures SET detail = repeat('措', 20001) WHERE id = 'M1'`,
      `UPDATE report SET date = 'not a date'`,
      `UPDATE report SET unit = repeat('单', 501)`,
    ]) if ((await tryOn(a, text)).ok) wrote.push(text);
    // What rectify itself writes still goes in.
    ok(await L.inproc(L.users.admin, ['contact', 'set', '办公室', '--email', 'office@example.org']));
    const reloads: Record<string, number> = {};
    for (const format of ['jsonl', 'yaml']) {
      const out = await L.inproc(null, ['export', '--format', format]);
      const file = join(L.dir, `redteam-export.${format}`);
      writeFileSync(file, out.stdout);
      const r = await L.inproc(null, ['--db', join(L.dir, `redteam-reload-${format}.db`), 'init', file]);
      reloads[format] = out.code === 0 ? r.code : -1;
      if (r.code !== 0) reloads[`${format}: ${r.stderr.split('\n')[0]}`] = r.code;
    }
    expect({ reloads, wrote }).toEqual({ reloads: { jsonl: 0, yaml: 0 }, wrote: [] });
  });
});

describe.runIf(HAS_PG)('a second red team on a ledger of an earlier version', () => {
  let db = '';
  let su: Sql;
  const conns: Sql[] = [];
  const url = () => PG_URL_FOR(db, 'v2', 'postgres');
  const connectAs = (user: string) => {
    const c = postgres(PG_URL_FOR(db, 'v2', user).replace(/\?.*$/, ''), { max: 1, onnotice: () => {}, password: 'secret-pw' }) as unknown as Sql;
    conns.push(c);
    return c;
  };

  // The earlier version's ledger (the fixture), and what its staff could write there with plain
  // SQL before the guard: an entry under the secretary's name that would sign off and rename an
  // item if undone, and one whose changes are not JSON.
  beforeAll(async () => {
    db = await testDatabase();
    su = connectAs('postgres');
    const dump = readFileSync(join(FIXTURES, 'pg', 'ledger-v2.sql'), 'utf8').replaceAll('rectifyfix_v2_', `${db}_v2_`);
    for (const r of ['viewer', 'staff', 'admin']) await serverSql().unsafe(`CREATE ROLE "${db}_v2_${r}" NOLOGIN`);
    await serverSql().unsafe(`GRANT "${db}_v2_viewer" TO "${db}_v2_staff"; GRANT "${db}_v2_staff" TO "${db}_v2_admin"`);
    await su.unsafe(dump);
    const staff = await loginRole('rtoldstaff');
    await serverSql().unsafe(`GRANT "${db}_v2_staff" TO "${staff}"`);
    const s = connectAs(staff);
    const insert = (offset: number, status: string, changes: string) => s.unsafe(`INSERT INTO v2.history (grp, at, by, item, action, status,
      progress, via, changes) SELECT nextval('v2.groups'), '2024-05-10T09:00:00.000+08:00', '书记', key, 'progress', '${status}', 0, 'cli',
      '${changes}' FROM v2.items ORDER BY key LIMIT 1 OFFSET ${offset}`);
    await insert(0, 'open', 'not json {');
    await insert(1, 'open', '{"status":["verified","open"],"progress":[100,0],"title":["被篡改","x"]}');
    // And what its admin could: every sequence of the ledger moved back to its start.
    const admin = await loginRole('rtoldadmin');
    await serverSql().unsafe(`GRANT "${db}_v2_admin" TO "${admin}"`);
    const a = connectAs(admin);
    for (const { seq } of (await a.unsafe(`SELECT c.oid::regclass::text AS seq FROM pg_class c
        WHERE c.relnamespace = 'v2'::regnamespace AND c.relkind = 'S'`)) as unknown as { seq: string }[]) {
      await a.unsafe(`SELECT setval('${seq}', 1, false)`);
    }
    // And the roll-ups status reads.
    await a.unsafe(`UPDATE v2.owner_counts SET n = n + 7; UPDATE v2.measures SET done = items; UPDATE v2.problems SET unfinished = 0`);
  }, 120_000);
  afterAll(async () => {
    for (const c of conns) await c.end({ timeout: 1 }).catch(() => {});
  });

  // Seen on main 15e1396: the upgrade waited for an advisory lock keyed on the schema's name,
  // which any role that may CONNECT can take and hold for as long as its session lasts; every
  // command of the superuser then ended "busy", and everyone else was told the ledger must
  // first be upgraded: a ledger of an earlier version out of use for all, by an outsider.
  it('a role that may merely CONNECT cannot keep a ledger of an earlier version from its upgrade', async () => {
    const outsider = await loginRole('rtoutsider');
    const hold = connectAs(outsider);
    try {
      // Every advisory lock keyed on what an outsider can know of the ledger, held by its session.
      const held: string[] = [];
      for (const key of ['v2', '"v2"', `${db}:v2`, `v2:${db}`]) {
        for (const text of [`SELECT pg_advisory_lock(1381253203, hashtext('${key}'))`, `SELECT pg_advisory_lock(hashtext('${key}'))`]) {
          if ((await tryOn(hold, text)).ok) held.push(text);
        }
      }
      expect(held.length, 'an outsider may take advisory locks').toBeGreaterThan(0);
      const started = Date.now();
      const up = await inProcess(['init', '--upgrade'], { RECTIFY_DB: url(), RECTIFY_USER: '书记' });
      const waited = Date.now() - started;
      expect({ code: up.code, stderr: up.stderr }).toEqual({ code: 0, stderr: '' });
      expect(waited).toBeLessThan(8000);
    } finally {
      await tryOn(hold, 'SELECT pg_advisory_unlock_all()');
    }
  }, 60_000);

  // Seen on main 15e1396 (migrations 1-6): after the upgrade the secretary's undo applied the
  // forged entry (the item signed off and renamed "被篡改"), and the one that is not JSON made
  // log, show, export and copy fail for everyone ("unexpected failure"), with no way left to
  // mend it.
  it('what staff wrote into the history before the guard is never undone, and everyone can still read the history', async () => {
    const env = { RECTIFY_DB: url(), RECTIFY_USER: '书记' };
    const t = tempDir('rectify-rt-');
    const reads: Record<string, number> = {};
    for (const args of [['log'], ['show', 'M1.1'], ['export', '--format', 'json'], ['copy', url(), join(t.dir, 'c.db')]]) {
      const r = await inProcess(args, env);
      reads[args[0]!] = r.code;
      if (r.code !== 0) reads[`${args[0]}: ${r.stderr.split('\n')[0]}`] = r.code;
    }
    const item = async () => [...await su.unsafe(`SELECT title, status, progress FROM v2.items ORDER BY key LIMIT 1 OFFSET 1`)];
    const before = await item();
    const undo = await inProcess(['undo'], env);
    t.cleanup();
    expect({ reads, undo: undo.code, item: await item() }).toEqual({ reads: { log: 0, show: 0, export: 0, copy: 0 }, undo: 4, item: before });
    expect(JSON.stringify(before)).not.toContain('被篡改');
    expect(undo.stderr).toContain('before the server kept the history');
  }, 60_000);

  // Seen on main 15e1396 (migrations 1-8): the sequences the earlier version's admin moved back
  // stayed where it left them; after the upgrade every write failed on a duplicate key
  // ("unexpected failure"), and only a superuser could set them right.
  it('writes go on after the upgrade whatever the earlier version\'s admin did to the sequences', async () => {
    const env = { RECTIFY_DB: url(), RECTIFY_USER: '书记' };
    const runs: Record<string, string> = {};
    for (const args of [['progress', 'M2.1', '20'], ['add', '新事项', '--measure', 'M1'], ['assign', 'M2.2', '某人']]) {
      const r = await inProcess(args, env);
      runs[args[0]!] = `${r.code} ${r.stderr.split('\n')[0]}`;
    }
    expect(runs).toEqual({ progress: '0 ', add: '0 ', assign: '0 ' });
  }, 60_000);

  // Seen on main 15e1396 (migrations 1-9): the roll-ups the earlier version's admin rewrote stayed
  // as it left them: status showed 61 items of a 12-item ledger and every problem rectified.
  it('shows after the upgrade the figures the rows give, whatever the earlier version\'s admin did to the roll-ups', async () => {
    const env = { RECTIFY_DB: url(), RECTIFY_USER: '书记', RECTIFY_TODAY: TODAY };
    const status = await inProcess(['status', '--json'], env);
    const dump = await inProcess(['export', '--format', 'jsonl'], env);
    expect(status.code, status.stderr).toBe(0);
    expect(shownFigures(status.stdout)).toEqual(rebuildFigures(parseDump(dump.stdout)));
  }, 60_000);
});
