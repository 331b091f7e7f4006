// A third red team's attacks (issue 17), as real login roles with plain SQL and through the
// CLI: what got through the guard of migrations 001-013, each seen failing there.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PG_LATEST_VERSION } from '../../src/store/postgres/migrations/index.js';
import { FIXTURES } from '../helpers/cli.js';
import { HAS_PG, PG_URL_FOR, inProcess, inTransaction, loginRole, makeLedger, serverSql, testDatabase, tryOn, type Ledger } from './helpers.js';

describe.runIf(HAS_PG)('a third red team', () => {
  let L: Ledger;

  beforeAll(async () => {
    L = await makeLedger();
  }, 120_000);
  /** The export reloads into a file, whose own export prints the same bytes (dbUser aside). */
  const reloadsTheSame = async (name: string) => {
    const dump = await inProcess(['export', '--format', 'jsonl'], { RECTIFY_DB: L.address(null) });
    expect(dump.code, dump.stderr).toBe(0);
    const file = `${L.dir}/${name}.jsonl`;
    writeFileSync(file, dump.stdout);
    const reload = await inProcess(['init', file], { RECTIFY_DB: `${L.dir}/${name}.db`, RECTIFY_USER: '书记' });
    expect(reload.stderr).toBe('');
    const json = async (db: string) => (await inProcess(['export', '--format', 'json'], { RECTIFY_DB: db })).stdout;
    const strip = (t: string) => t.replace(/\n\s*"dbUser": "[^"]*",?/g, '');
    expect(strip(await json(`${L.dir}/${name}.db`))).toBe(strip(await json(L.address(null))));
  };
  afterAll(async () => {
    await tryOn(L.connect(null), `ALTER ROLE "${L.users.outsider}" NOCREATEDB`);
  });

  // Seen on main 8bc32bd: overview read every schema holding tables named like a ledger's, a
  // session's temporary schema too. A role that may merely CONNECT made temporary `migrations`
  // and `owner_counts` (a view calling its own function in pg_temp); the superuser's `rectify
  // overview` listed it as a ledger and ran the function as the superuser (ALTER ROLE ... CREATEDB).
  it("overview reads only the ledgers rectify made: a CONNECT-only role's temporary look-alike runs nothing", async () => {
    const out = L.connect(L.users.outsider);
    for (const s of [
      `CREATE FUNCTION pg_temp.planted() RETURNS int LANGUAGE plpgsql AS $$
         BEGIN EXECUTE format('ALTER ROLE %I CREATEDB', '${L.users.outsider}'); RETURN 1; EXCEPTION WHEN others THEN RETURN 1; END $$`,
      'CREATE TEMP TABLE migrations (version int)',
      `CREATE TEMP VIEW owner_counts AS SELECT 'x'::text AS owner, 'open'::text AS status, pg_temp.planted() AS n`,
      'CREATE TEMP TABLE report (title text, unit text)',
      'CREATE TEMP TABLE due_counts (due text, owner text, n int)',
      'CREATE TEMP TABLE history (action text, grp int)',
      'CREATE TEMP TABLE undone (grp int)',
    ]) expect((await tryOn(out, s)).message).toBeUndefined();
    const dbUrl = new URL(L.address(null));
    dbUrl.searchParams.delete('schema');
    const r = await inProcess(['overview', '--json'], { RECTIFY_DB: dbUrl.toString(), RECTIFY_TODAY: '2024-05-10' });
    const ran = (await L.attempt(null, `SELECT rolcreatedb AS ran FROM pg_roles WHERE rolname = '${L.users.outsider}'`)).rows;
    const shown = r.code === 0 ? (JSON.parse(r.stdout) as { ledgers: { address: string }[] }).ledgers.map((l) => l.address) : [];
    expect({ code: r.code, ran, planted: shown.filter((a) => /pg_temp/.test(a)) }).toEqual({ code: 0, ran: [{ ran: false }], planted: [] });
    expect(shown.some((a) => a.endsWith(`schema=${L.schema}`))).toBe(true);
    await out.end({ timeout: 1 });
  });

  // Seen on main 8bc32bd: `copy` of a shared ledger to another schema wrote every entry's
  // recorded_at (the server's own time of the entry, what an auditor checks the client's `at`
  // against) as the time of the copy, and an entry from before the guard (none) got one too.
  it("copy from a server to a server keeps each entry's recorded_at as the server wrote it", async () => {
    const ok = (r: { code: number; stderr: string }) => expect(r.code, r.stderr).toBe(0);
    ok(await L.inproc(L.users.staff, ['progress', 'M2.1', '40']));
    await new Promise((r) => setTimeout(r, 50));
    ok(await L.inproc(L.users.admin, ['assign', 'M2.2', '某科']));
    // An entry from before the guard has none (here made so by the superuser, past the triggers).
    expect(await inTransaction(L.connect(null), ['SET LOCAL session_replication_role = replica',
      'UPDATE history SET recorded_at = NULL WHERE seq = 1'])).toBe(true);
    const to = PG_URL_FOR(L.db, 'copied3', 'postgres');
    await new Promise((r) => setTimeout(r, 50));
    ok(await inProcess(['copy', L.address(null), to], { RECTIFY_USER: '书记', RECTIFY_TODAY: '2024-05-10' }));
    const times = async (schema: string) =>
      (await L.attempt(null, `SELECT json_agg(json_build_array(seq, recorded_at) ORDER BY seq)::text AS t FROM "${schema}".history`)).rows;
    const [from, copied] = [await times(L.schema), await times('copied3')];
    expect(copied).toEqual(from);
    expect(JSON.stringify(from)).toContain('[1, null]');
  });

  // Seen on main a1010dc: the server's blank test trimmed only ASCII white space, and it let
  // leading and trailing white space through, where a dump's reader trims as JavaScript does
  // (U+3000, the ideographic space of Chinese input, U+00A0, U+FEFF...). An admin's title of
  // one U+3000 and staff's actor of U+3000 U+00A0, both in plain SQL, were taken; the export
  // then did not reload ("item[0].title is empty", "history[1].by is empty"), and a title with a
  // trailing space reloaded as another title.
  it('what a ledger role writes in plain SQL keeps the export reloadable to the same bytes', async () => {
    const a = L.connect(L.users.admin);
    const s = L.connect(L.users.staff);
    for (const text of [
      `UPDATE items SET title = U&'\\3000' WHERE id = 'M3.1'`,
      `UPDATE items SET title = '事项 ', detail = U&'\\00A0说明' WHERE id = 'M3.2'`,
      `UPDATE items SET owner = U&'\\FEFF办公室' WHERE id = 'M3.3'`,
      `UPDATE areas SET name = U&'方面\\2003' WHERE id = 'A3'`,
      `UPDATE measures SET title = U&'\\3000措施' WHERE id = 'M3'`,
      `UPDATE report SET unit = U&'单位\\3000'`,
    ]) await tryOn(a, text);
    await inTransaction(s, [`SELECT set_config('rectify.by', U&'\\3000\\00A0', true)`,
      `UPDATE items SET status = 'in_progress', progress = 10 WHERE id = 'M3.4'`]);
    await inTransaction(s, [`SELECT set_config('rectify.by', U&'组织科\\3000', true)`,
      `UPDATE items SET status = 'in_progress', progress = 20 WHERE id = 'M3.5'`]);
    await reloadsTheSame('reload3');
  });

  // Seen on main 07dc035: the guard writes an undo's entry at COMMIT (a deferred constraint
  // trigger), after undo_group() has noted what it took back. Staff who SET CONSTRAINTS ALL
  // IMMEDIATE first had the entry written in the middle of undo_group(): it said neither which
  // entry it reverted nor the evidence it took away, and the evidence was gone without a trace.
  it("staff's undo with the guard's triggers made immediate still records what it reverted and the evidence it took", async () => {
    const ok = (r: { code: number; stderr: string }) => expect(r.code, r.stderr).toBe(0);
    ok(await L.inproc(L.users.staff, ['done', 'M2.6', '--evidence', '验收单丙']));
    const s = L.connect(L.users.staff);
    const grp = `(SELECT max(grp) FROM history WHERE item = (SELECT key FROM items WHERE id = 'M2.6'))`;
    await inTransaction(s, ['SET CONSTRAINTS ALL IMMEDIATE', `SELECT undo_group(${grp}, '组织科')`]);
    // The function undo_group() calls is not staff's to call around it.
    expect((await tryOn(s, `SELECT undo_group_rows(${grp}, '组织科')`)).ok).toBe(false);
    const item = (await L.dump()).items.get('M2.6')!;
    const last = item.history.at(-1)! as { action: string; changes: Record<string, unknown>; reverts?: number | null };
    expect({ status: item.status, evidence: item.evidence, action: last.action, reverts: typeof last.reverts, taken: last.changes.evidence })
      .toEqual({ status: 'open', evidence: [], action: 'undo', reverts: 'number', taken: [['验收单丙'], []] });
  });

  // Seen on main 07dc035: an admin may INSERT an item's `num` (the number its listing order
  // reads), and nothing tied it to the id: M1.99 with num 0 listed first, and the export,
  // reloaded (num taken from the id), listed it last: another export.
  it("an item's number in plain SQL is its id's, so that listings and a reloaded export keep their order", async () => {
    const a = L.connect(L.users.admin);
    await tryOn(a, `INSERT INTO items (id, measure, num, term, title, created_at, updated_at)
      VALUES ('M1.99', (SELECT key FROM measures WHERE id = 'M1'), 0, 'deadline', '插队', 'x', 'x')`);
    await tryOn(a, `INSERT INTO items (id, measure, num, term, title, created_at, updated_at)
      VALUES ('M1-extra', (SELECT key FROM measures WHERE id = 'M1'), 5, 'deadline', '无号', 'x', 'x')`);
    await reloadsTheSame('reload3n');
  });

  // Seen on main d372fc0: the earlier version gave its admins ALL on `migrations`, and the new
  // one believed its highest row. An admin wrote the latest version (16) there; `init --upgrade` then said
  // the ledger was up to date, it stayed without the guard (staff could write its history), and
  // every change failed as "unexpected failure: function lock_ledger() does not exist".
  it('an upgrade is not talked out of by a version row an admin of the earlier version wrote', async () => {
    const db = await testDatabase();
    const dump = readFileSync(join(FIXTURES, 'pg', 'ledger-v2.sql'), 'utf8').replaceAll('rectifyfix_v2_', `${db}_v2_`);
    for (const r of ['viewer', 'staff', 'admin']) await serverSql().unsafe(`CREATE ROLE "${db}_v2_${r}" NOLOGIN`);
    await serverSql().unsafe(`GRANT "${db}_v2_viewer" TO "${db}_v2_staff"; GRANT "${db}_v2_staff" TO "${db}_v2_admin"`);
    const old = await loginRole('v2admin');
    await serverSql().unsafe(`GRANT "${db}_v2_admin" TO "${old}" WITH ADMIN OPTION`);
    expect((await tryOn(L.connect(null), dump)).message).toBeUndefined();
    const top = PG_LATEST_VERSION;
    expect((await tryOn(L.connect(old), `INSERT INTO v2.migrations (version, name) VALUES (2, 'guard'), (${top}, 'forged')`)).message)
      .toBeUndefined();
    const url = PG_URL_FOR(db, 'v2', 'postgres');
    const up = await inProcess(['init', '--upgrade'], { RECTIFY_DB: url, RECTIFY_USER: '书记' });
    expect({ code: up.code, stderr: up.stderr, upToDate: /up to date/.test(up.stdout) }).toEqual({ code: 0, stderr: '', upToDate: false });
    const after = (await L.attempt(null, `SELECT to_regprocedure('v2.lock_ledger()') IS NOT NULL AS guarded,
      (SELECT count(*)::int FROM v2.migrations) AS versions`)).rows;
    expect(after).toEqual([{ guarded: true, versions: PG_LATEST_VERSION }]);
    const id = ((await L.attempt(null, 'SELECT id FROM v2.items ORDER BY key LIMIT 1')).rows as { id: string }[])[0]!.id;
    const r = await inProcess(['progress', id, '10'], { RECTIFY_DB: url, RECTIFY_USER: '书记' });
    expect(r.code, r.stderr).toBe(0);
  });

  // Seen on main 3d91485: the guard checks a change's label against what changed, but took any
  // label for an entry that changed nothing (a note). An admin labelled such a note `verify` on
  // an item in progress and `reopen` on an open one: the report listed them as signed off and
  // reopened that week, which rectify itself never records (a sign-off and a reopening always
  // change the status).
  it('no entry says an item was signed off or reopened when its status did not change', async () => {
    const a = L.connect(L.users.admin);
    const ok = (r: { code: number; stderr: string }) => expect(r.code, r.stderr).toBe(0);
    ok(await L.inproc(L.users.staff, ['progress', 'M2.7', '50']));
    for (const [id, action] of [['M2.7', 'verify'], ['M2.9', 'reopen']] as const) {
      await inTransaction(a, [`SELECT set_config('rectify.action', '${action}', true)`, `SELECT set_config('rectify.note', '伪造', true)`,
        `UPDATE items SET title = title WHERE id = '${id}'`]);
    }
    const claimed = [...(await L.dump()).items.values()].flatMap((it) => it.history
      .filter((e) => (e.action === 'verify' || e.action === 'reopen') && !('status' in e.changes)).map((e) => `${it.id} ${e.action}`));
    expect(claimed).toEqual([]);
    // The note itself may still be written as what it is.
    expect(await inTransaction(a, [`SELECT set_config('rectify.note', '备注', true)`, `UPDATE items SET title = title WHERE id = 'M2.9'`]))
      .toBe(true);
  });

  // Seen on main with migration 17: a note with no change labelled `done` was taken on an item
  // still in progress, evidence and all: staff in plain SQL had M2.10 show evidence and a `done`
  // entry at 30%, which rectify records only with the item done (done on a done item adds
  // evidence; on any other it makes it done).
  it('no entry says an item was done, with evidence, while it stays in progress', async () => {
    const ok = (r: { code: number; stderr: string }) => expect(r.code, r.stderr).toBe(0);
    ok(await L.inproc(L.users.staff, ['progress', 'M2.10', '30']));
    await inTransaction(L.connect(L.users.staff), [`SELECT set_config('rectify.action', 'done', true)`,
      `SELECT set_config('rectify.evidence', '["伪证"]', true)`, `UPDATE items SET progress = progress WHERE id = 'M2.10'`]);
    const item = (await L.dump()).items.get('M2.10')!;
    expect({ status: item.status, evidence: item.evidence, last: item.history.at(-1)!.action })
      .toEqual({ status: 'in_progress', evidence: [], last: 'progress' });
    // Evidence added to a done item, as `done` on it does, still goes in.
    ok(await L.inproc(L.users.staff, ['done', 'M2.10', '--evidence', '报告']));
    ok(await L.inproc(L.users.staff, ['done', 'M2.10', '--evidence', '补充']));
    expect((await L.dump()).items.get('M2.10')!.evidence).toEqual(['报告', '补充']);
  });

  // Seen on main with migration 18: a schema named pg_... follows the id rule, but PostgreSQL keeps
  // such names for itself: `init` there failed as "unexpected failure ... a bug in rectify" (exit
  // 1), and any command opened a session's temporary schema (pg_temp_3) as if it were a ledger,
  // reading whatever views that session made there, as whoever ran it.
  it('refuses a schema named pg_... as an address rectify does not accept (exit 2, one line)', async () => {
    const base = new URL(L.address(null));
    for (const [schema, args] of [['pg_x', ['init', join(L.dir, 'seed.yaml')]], ['pg_temp_3', ['status']], ['pg_catalog', ['log']]] as const) {
      base.searchParams.set('schema', schema);
      const r = await inProcess([...args], { RECTIFY_DB: base.toString(), RECTIFY_USER: '书记' });
      expect({ schema, code: r.code, first: r.stderr.split('\n')[0] }).toEqual({
        schema, code: 2, first: `rectify: the schema in ${base.toString()} is not a name rectify accepts` });
    }
  });

  // Seen on main 587fe7d: a measure's last_num (the highest number its items have had, so that
  // `add` never hands out one again) was any number an admin's plain SQL wrote: lowered to 0,
  // `add` gave M1.1 to a new item where a removed M1.1 had been (and M1.99, inserted without
  // raising it, was counted afresh by a reloaded export: another lastNumber).
  it("a measure's last number only grows, and follows the items an admin inserts", async () => {
    const a = L.connect(L.users.admin);
    const ok = (r: { code: number; stderr: string }) => expect(r.code, r.stderr).toBe(0);
    ok(await L.inproc(L.users.admin, ['add', '--measure', 'M1', '新增事项']));
    const ids = (d: Awaited<ReturnType<Ledger['dump']>>) => [...d.items.keys()].filter((k) => k.startsWith('M1.'));
    const before = ids(await L.dump());
    const added = before.sort((x, y) => Number(y.slice(3)) - Number(x.slice(3)))[0]!;
    ok(await L.inproc(L.users.admin, ['rm', added]));
    await tryOn(a, `UPDATE measures SET last_num = 1 WHERE id = 'M1'`);
    ok(await L.inproc(L.users.admin, ['add', '--measure', 'M1', '再次新增']));
    const fresh = ids(await L.dump()).filter((k) => !before.includes(k));
    expect(fresh).toHaveLength(1);
    expect(Number(fresh[0]!.slice(3))).toBeGreaterThan(Number(added.slice(3)));
    await tryOn(a, `INSERT INTO items (id, measure, num, term, title, created_at, updated_at)
      VALUES ('M3.77', (SELECT key FROM measures WHERE id = 'M3'), 77, 'deadline', '跳号', 'x', 'x')`);
    await reloadsTheSame('reload3m');
  });
});
