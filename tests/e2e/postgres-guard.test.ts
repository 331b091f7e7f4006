// What the server guarantees against its own office (docs/postgres.md, "What the server
// guarantees"): each attack of issue 17, tried as real login roles with plain SQL and through
// rectify, must be refused by the server (or change nothing), and the ledger stay whole.
import postgres from 'postgres';
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIXTURES, rectify, tempDir, type RunResult } from '../helpers/cli.js';
import { HAS_PG, asUser, dbSql, freshLedgerUrl, loginRole, serverSql, testDatabase } from '../helpers/pg.js';
import { PG_LATEST_VERSION } from '../../src/store/postgres/migrations/index.js';

describe.runIf(HAS_PG)('the server trusts no client', () => {
  const t = tempDir('rectify-pg-guard-');
  let url = '';
  let schema = '';
  let db = '';
  const users = { creator: '', secretary: '', staff: '', staff2: '', viewer: '', outsider: '' };
  const roleOf = (r: string) => `${db}_${schema}_${r}`;
  const opened: postgres.Sql[] = [];

  const as = (user: string, args: string[], by = user, extra: Record<string, string> = {}): RunResult =>
    rectify(args, { cwd: t.dir, env: { RECTIFY_DB: asUser(url, user), RECTIFY_USER: by, RECTIFY_TODAY: '2024-05-10', ...extra } });
  /** One connection as a login role, in the ledger's schema. */
  const connectAs = (user: string): postgres.Sql => {
    const u = new URL(asUser(url, user));
    u.searchParams.delete('schema');
    const sql = postgres(u.toString(), { max: 1, onnotice: () => {}, connection: { search_path: `"${schema}"` } }) as unknown as postgres.Sql;
    opened.push(sql);
    return sql;
  };
  /** Plain SQL as a login role (several statements, one transaction): the error's SQLSTATE, or 'ok'. */
  const attempt = async (user: string, text: string): Promise<string> => {
    const sql = connectAs(user);
    try {
      await sql.unsafe(`BEGIN; ${text}; COMMIT`);
      return 'ok';
    } catch (e) {
      await sql.unsafe('ROLLBACK').catch(() => {});
      return (e as { code?: string }).code ?? String(e);
    } finally {
      // Closed at once: dozens of attempts kept open till the end ran the server out of
      // connection slots (53300) when other suites ran beside this one.
      await sql.end({ timeout: 1 }).catch(() => {});
    }
  };
  const exported = () => {
    const r = as(users.secretary, ['export', '--format', 'json']);
    expect(r.code, r.stderr).toBe(0);
    return r.stdout;
  };
  const superSql = async () => {
    const sql = await dbSql();
    await sql.unsafe(`SET search_path = "${schema}"`);
    return sql;
  };

  beforeAll(async () => {
    db = await testDatabase();
    url = await freshLedgerUrl();
    schema = new URL(url).searchParams.get('schema')!;
    for (const k of Object.keys(users) as (keyof typeof users)[]) users[k] = await loginRole(k);
    // init by a login role that may create schemas and roles, not by the superuser.
    await serverSql().unsafe(`ALTER ROLE "${users.creator}" CREATEROLE; GRANT CREATE ON DATABASE "${db}" TO "${users.creator}"`);
    const init = as(users.creator, ['init'], '办公室');
    expect(init.code, init.stderr).toBe(0);
    for (const [user, role] of [[users.secretary, 'admin'], [users.staff, 'staff'], [users.staff2, 'staff'], [users.viewer, 'viewer']] as const) {
      const g = as(users.creator, ['grant', user, role]);
      expect(g.code, g.stderr).toBe(0);
    }
  }, 120_000);
  afterAll(async () => {
    for (const s of opened) await s.end({ timeout: 1 }).catch(() => {});
    t.cleanup();
  });

  it('owns everything by a NOLOGIN owner role that no login role is a member of, never by a superuser', async () => {
    const sql = await superSql();
    const owners = await sql.unsafe(`
      SELECT DISTINCT r.rolname, r.rolcanlogin, r.rolsuper FROM pg_class c JOIN pg_roles r ON r.oid = c.relowner
       WHERE c.relnamespace = to_regnamespace($1)
      UNION SELECT r.rolname, r.rolcanlogin, r.rolsuper FROM pg_proc p JOIN pg_roles r ON r.oid = p.proowner WHERE p.pronamespace = to_regnamespace($1)
      UNION SELECT r.rolname, r.rolcanlogin, r.rolsuper FROM pg_namespace n JOIN pg_roles r ON r.oid = n.nspowner WHERE n.nspname = $2`,
    [`"${schema}"`, schema]);
    expect([...owners]).toEqual([{ rolname: roleOf('owner'), rolcanlogin: false, rolsuper: false }]);
    const members = await sql.unsafe(`SELECT count(*)::int AS n FROM pg_auth_members m JOIN pg_roles u ON u.oid = m.member
      WHERE m.roleid = to_regrole($1) AND u.rolcanlogin`, [roleOf('owner')]);
    expect(members[0]!.n).toBe(0);
    // Group roles hold nothing that runs code or takes ownership.
    const grants = await sql.unsafe(`
      SELECT DISTINCT privilege_type FROM information_schema.table_privileges
       WHERE table_schema = $1 AND grantee IN ($2, $3, $4)`, [schema, roleOf('viewer'), roleOf('staff'), roleOf('admin')]);
    const kinds = grants.map((g) => g.privilege_type as string);
    for (const bad of ['TRIGGER', 'REFERENCES', 'TRUNCATE']) expect(kinds).not.toContain(bad);
  });

  it('refuses an admin a trigger, and so never runs planted code as the superuser', async () => {
    const code = await attempt(users.secretary, `
      CREATE FUNCTION pg_temp.evil() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'ran as %', current_user; END $$;
      CREATE TRIGGER evil BEFORE UPDATE ON items FOR EACH ROW EXECUTE FUNCTION pg_temp.evil()`);
    expect(code).toBe('42501');
    expect(await attempt(users.secretary, `CREATE TABLE ${'"'}${schema}${'"'}.mine (x int)`)).toBe('42501');
    expect(await attempt(users.secretary, 'ALTER TABLE items ADD COLUMN x int')).toBe('42501');
  });

  it('keeps the history the database\'s: no role inserts, edits, deletes or truncates it, nor evidence or undo records', async () => {
    const before = exported();
    for (const user of [users.staff, users.secretary]) {
      expect(await attempt(user, `INSERT INTO history (seq, grp, at, by, item, action, status, progress, via, changes)
        VALUES (9999, 1, '2024-01-01T00:00:00.000+08:00', '书记', 1, 'assign', 'open', 0, 'cli', 'not json')`)).toBe('42501');
      expect(await attempt(user, `INSERT INTO history (grp, at, by, item, action, status, progress, via, changes)
        VALUES (1, '2024-01-01T00:00:00.000+08:00', '书记', 1, 'progress', 'open', 0, 'cli', '{}')`)).toBe('42501');
      expect(await attempt(user, `UPDATE history SET note = 'x'`)).toBe('42501');
      expect(await attempt(user, `DELETE FROM history`)).toBe('42501');
      expect(await attempt(user, `TRUNCATE history`)).toBe('42501');
      expect(await attempt(user, `INSERT INTO evidence (item, seq, text) VALUES (1, 1, 'x')`)).toBe('42501');
      expect(await attempt(user, `DELETE FROM evidence`)).toBe('42501');
      expect(await attempt(user, `INSERT INTO undone (grp, by_grp) VALUES (1, 2)`)).toBe('42501');
      expect(await attempt(user, `INSERT INTO removed (grp, at, by, id, title) VALUES (1, 'x', 'x', 'x', 'x')`)).toBe('42501');
      expect(await attempt(user, `UPDATE measures SET done = 99`)).toBe('42501');
      expect(await attempt(user, `SELECT setval('groups', 1000)`)).toBe('42501');
    }
    expect(exported()).toBe(before);
    // Even the owner's own code never truncates the history: the superuser meets the trigger.
    const sql = await superSql();
    await expect(sql.unsafe('TRUNCATE history CASCADE')).rejects.toMatchObject({ code: '42501' });
  });

  it('writes the entry itself when staff change an item with plain SQL, and refuses what the rules forbid', async () => {
    // A plain UPDATE by staff is recorded by the server, under their database role.
    expect(await attempt(users.staff, `SELECT set_config('rectify.by', '组织科', true); UPDATE items SET status = 'in_progress', progress = 20 WHERE id = 'M2.1'`)).toBe('ok');
    const show = JSON.parse(as(users.viewer, ['show', 'M2.1', '--json']).stdout) as { history: { action: string; by: string; dbUser?: string; changes?: unknown }[] };
    const last = show.history[show.history.length - 1]!;
    expect(last).toMatchObject({ action: 'progress', by: '组织科', dbUser: users.staff });
    // No entry without a change of state, whatever the client says.
    const n = show.history.length;
    expect(await attempt(users.staff, `UPDATE items SET progress = progress WHERE id = 'M2.1'`)).toBe('ok');
    expect((JSON.parse(as(users.viewer, ['show', 'M2.1', '--json']).stdout) as { history: unknown[] }).history).toHaveLength(n);
    // "done" at 3 %, sign-off and reopening by staff, a signed-off item touched: refused.
    expect(await attempt(users.staff, `UPDATE items SET status = 'done', progress = 3 WHERE id = 'M2.1'`)).toBe('23514');
    expect(await attempt(users.staff, `UPDATE items SET status = 'verified', progress = 100 WHERE id = 'M2.1'`)).toBe('42501');
    expect(await attempt(users.staff, `UPDATE items SET title = 'x' WHERE id = 'M2.1'`)).toBe('42501');
    expect(await attempt(users.staff, `UPDATE items SET status = 'open', progress = 0 WHERE id = 'M2.1'`)).toBe('42501');
    // A label that does not fit the change, an undo staged by hand, a control character: refused.
    expect(await attempt(users.staff, `SELECT set_config('rectify.action', 'undo', true); UPDATE items SET progress = 30 WHERE id = 'M2.1'`)).toBe('42501');
    expect(await attempt(users.staff, `SELECT set_config('rectify.action', 'verify', true); UPDATE items SET progress = 30 WHERE id = 'M2.1'`)).toBe('42501');
    expect(await attempt(users.staff, `SELECT set_config('rectify.note', E'bad\\x07bell', true); UPDATE items SET progress = 30 WHERE id = 'M2.1'`)).toBe('22023');
    expect(await attempt(users.staff, `SELECT set_config('rectify.by', E'two\\nlines', true); UPDATE items SET progress = 30 WHERE id = 'M2.1'`)).toBe('22023');
    // Evidence is the server's to record, with done only.
    expect(await attempt(users.staff, `SELECT set_config('rectify.evidence', '["照片"]', true); UPDATE items SET progress = 40 WHERE id = 'M2.1'`)).toBe('42501');
    // Every export still reloads (the history holds nothing a seed could not).
    const file = join(t.dir, 'after-sql.jsonl');
    const dump = as(users.viewer, ['export', '--format', 'jsonl']);
    expect(dump.code, dump.stderr).toBe(0);
    writeFileSync(file, dump.stdout);
    const re = rectify(['init', file], { cwd: t.dir, env: { RECTIFY_DB: join(t.dir, 'reload.db') } });
    expect(re.code, re.stderr).toBe(0);
  });

  it('lets no setting skip a rule: rectify.bulk in psql or in the address changes nothing for a non-owner', async () => {
    expect(await attempt(users.secretary, `SET LOCAL rectify.bulk = 'on'; UPDATE items SET status = 'in_progress', progress = 50 WHERE id = 'M3.2'`)).toBe('ok');
    expect(await attempt(users.staff, `SET LOCAL rectify.bulk = 'on'; UPDATE items SET status = 'done', progress = 100 WHERE id = 'M3.2'`)).toBe('ok');
    const a = as(users.staff, ['progress', 'M3.1', '10'], '组织科');
    expect(a.code, a.stderr).toBe(0);
    const viaAddress = rectify(['status'], { cwd: t.dir, env: { RECTIFY_DB: `${asUser(url, users.staff)}&rectify.bulk=on` } });
    expect(viaAddress.code).toBe(2);
    // The roll-ups equal their rebuild from the rows.
    const sql = await superSql();
    const rollups = async () => JSON.stringify(await sql.unsafe(`
      SELECT (SELECT json_agg(json_build_object('k', key, 'i', items, 'd', done) ORDER BY key) FROM measures) AS m,
             (SELECT json_agg(json_build_object('o', owner, 's', status, 'n', n) ORDER BY owner, status) FROM owner_counts) AS o,
             (SELECT json_agg(json_build_object('d', due, 'o', owner, 'n', n) ORDER BY due, owner) FROM due_counts) AS d,
             (SELECT json_agg(json_build_object('k', key, 'i', items, 'u', unfinished) ORDER BY key) FROM problems) AS p`));
    const kept = await rollups();
    await sql.unsafe(`BEGIN; SET LOCAL SESSION AUTHORIZATION "${users.secretary}"; SELECT recount_rollups(); COMMIT`);
    expect(await rollups()).toBe(kept);
  });

  it('takes back only what undo may: staff their own role\'s changes, refused naming admin; nothing when the item moved', () => {
    expect(as(users.staff, ['progress', 'M4.1', '30'], '组织科').code).toBe(0);
    // Another staff member acting for the same name reaches no further than their own role.
    const other = as(users.staff2, ['undo'], '组织科');
    expect(other.code).toBe(4);
    expect(other.stderr).toContain(`needs the role ${roleOf('admin')}`);
    // The item moved since: refused, even for an admin.
    expect(as(users.secretary, ['assign', 'M4.1', '王五'], '办公室').code).toBe(0);
    const moved = as(users.staff, ['undo'], '组织科');
    expect(moved.code).toBe(4);
    const admin = as(users.secretary, ['undo'], '办公室');
    expect(admin.code, admin.stderr).toBe(0);
    const own = as(users.staff, ['undo'], '组织科');
    expect(own.code, own.stderr).toBe(0);
    expect(own.stdout).toContain('M4.1');
  });

  it('refuses an undo staged by hand through its function when the change is not the caller\'s', async () => {
    expect(as(users.staff, ['progress', 'M4.2', '20'], '组织科').code).toBe(0);
    const sql = await superSql();
    const [g] = await sql.unsafe(`SELECT max(grp) AS grp FROM history`);
    expect(await attempt(users.staff2, `SELECT undo_group(${g!.grp}, '组织科')`)).toBe('42501');
    expect(await attempt(users.viewer, `SELECT undo_group(${g!.grp}, '组织科')`)).toBe('42501');
  });

  it('lets nothing outside the ledger\'s roles hold its lock', async () => {
    // The lock of the earlier version, held by an outsider, no longer stops anyone.
    const out = connectAs(users.outsider);
    const reserved = await out.reserve();
    await reserved.unsafe(`SELECT pg_advisory_lock(1381253203, hashtext($1))`, [schema]);
    const r = as(users.staff, ['progress', 'M5.1', '10'], '组织科');
    await reserved.unsafe('SELECT pg_advisory_unlock_all()');
    reserved.release();
    expect(r.code, r.stderr).toBe(0);
    // No USAGE on the schema: the function is not even there for it (42883), let alone its lock.
    expect(['42501', '42883']).toContain(await attempt(users.outsider, 'SELECT lock_ledger()'));
    expect(['42501', '42P01']).toContain(await attempt(users.outsider, 'SELECT 1 FROM ledger_lock FOR UPDATE'));
    expect(await attempt(users.viewer, 'SELECT 1 FROM ledger_lock FOR UPDATE')).toBe('42501');
  });

  it('keeps the roles the ledger\'s: the last admin stays, grants name login roles, admins cannot hand out roles in psql', async () => {
    const sql = await superSql();
    // Login admins hold no ADMIN OPTION: only grant_role (and so the rules) hands roles out.
    expect(await attempt(users.secretary, `GRANT "${roleOf('admin')}" TO "${users.viewer}"`)).toBe('42501');
    expect(await attempt(users.secretary, `REVOKE "${roleOf('admin')}" FROM "${users.creator}"`)).toBe('42501');
    const none = as(users.secretary, ['grant', roleOf('viewer'), 'admin']);
    expect(none.code).toBe(3);
    // Two admins (creator, secretary): the first goes, the last stays.
    expect(as(users.secretary, ['revoke', users.creator, 'admin']).code).toBe(0);
    const last = as(users.secretary, ['revoke', users.secretary, 'admin']);
    expect(last.code).toBe(4);
    expect(last.stderr).toContain('last admin');
    expect(last.stderr).toContain('rectify grant');
    const still = await sql.unsafe(`SELECT pg_has_role($1, $2, 'MEMBER') AS yes`, [users.secretary, roleOf('admin')]);
    expect(still[0]!.yes).toBe(true);
    expect(as(users.secretary, ['grant', users.creator, 'admin']).code).toBe(0);
  });

  it('takes the time of an entry from the server, not the client\'s clock', async () => {
    expect(await attempt(users.staff, `SELECT set_config('rectify.at', '2020-01-01T00:00:00.000+08:00', true);
      UPDATE items SET status = 'in_progress', progress = 15 WHERE id = 'M1.2'`)).toBe('ok');
    const show = JSON.parse(as(users.viewer, ['show', 'M1.2', '--json']).stdout) as { updatedAt: string; history: { at: string }[] };
    const at = show.history[show.history.length - 1]!.at;
    expect(at.endsWith('+08:00')).toBe(true);
    expect(Math.abs(Date.parse(at) - Date.now())).toBeLessThan(10 * 60_000);
    expect(show.updatedAt).toBe(at);
    // Staff never leave an item in progress at 100 (that is done), nor reopen one.
    expect(await attempt(users.staff, `UPDATE items SET status = 'in_progress', progress = 100 WHERE id = 'M1.2'`)).toBe('23514');
  });

  it('refuses an admin\'s plain SQL that writes what no export would reload', async () => {
    for (const text of [
      `UPDATE items SET title = E'标题\\x07' WHERE id = 'M1.2'`, `UPDATE items SET owner = E'某\\x1b人' WHERE id = 'M1.2'`,
      `UPDATE items SET title = '' WHERE id = 'M1.2'`, `UPDATE items SET due = '2024-02-30' WHERE id = 'M1.2'`,
      `UPDATE problems SET title = E'问题\\x7f' WHERE id = 'P1.1'`, `UPDATE areas SET name = E'\\x02'`,
      `UPDATE report SET title = E'台账\\x04'`, `INSERT INTO causes (id, pos, title) VALUES ('bad id', 99, 'x')`,
    ]) {
      expect({ text, code: await attempt(users.secretary, text) }).toEqual({ text, code: '23514' });
    }
  });

  it('refuses an admin writing db_user or history, with NULLs too', async () => {
    expect(await attempt(users.secretary, `UPDATE history SET db_user = NULL`)).toBe('42501');
    expect(await attempt(users.secretary, `INSERT INTO history (grp, at, by, item, action, status, progress, via, db_user)
      VALUES (1, 'x', 'x', 1, 'edit', 'open', 0, 'cli', NULL)`)).toBe('42501');
    expect(await attempt(users.secretary, `SET LOCAL rectify.copy = 'on'; SELECT set_config('rectify.action', NULL, true); UPDATE items SET title = title || '!' WHERE id = 'M1.1'`)).toBe('ok');
    const show = JSON.parse(as(users.viewer, ['show', 'M1.1', '--json']).stdout) as { history: { action: string; dbUser?: string }[] };
    expect(show.history[show.history.length - 1]).toMatchObject({ action: 'edit', dbUser: users.secretary });
  });
});

describe.runIf(HAS_PG)('init of a shared ledger', () => {
  const t = tempDir('rectify-pg-init-');
  afterAll(() => t.cleanup());

  it('never adopts a schema that exists: public, information_schema, or one made by someone else', async () => {
    const url = await freshLedgerUrl();
    for (const schema of ['public', 'information_schema']) {
      const u = new URL(url);
      u.searchParams.set('schema', schema);
      const r = rectify(['init'], { cwd: t.dir, env: { RECTIFY_DB: u.toString() } });
      expect(r.code).toBe(4);
      expect(r.stderr).toContain(schema);
    }
    const schema = new URL(url).searchParams.get('schema')!;
    const sql = await dbSql();
    await sql.unsafe(`CREATE SCHEMA "${schema}"; CREATE TABLE "${schema}".theirs (x int)`);
    const r = rectify(['init'], { cwd: t.dir, env: { RECTIFY_DB: url } });
    expect(r.code).toBe(4);
    expect(r.stderr).toContain(schema);
    const left = await sql.unsafe(`SELECT count(*)::int AS n FROM pg_class WHERE relnamespace = to_regnamespace($1)`, [`"${schema}"`]);
    expect(left[0]!.n).toBe(1);
  });

  it('never shares a role name between two ledgers (a_b + c and a + b_c)', async () => {
    const db = await testDatabase();
    const base = await freshLedgerUrl();
    const u1 = new URL(base);
    u1.searchParams.set('schema', 'x_y');
    expect(rectify(['init'], { cwd: t.dir, env: { RECTIFY_DB: u1.toString() } }).code).toBe(0);
    // Another database whose name ends where the schema began: the same role names.
    const other = `${db}_x`;
    await serverSql().unsafe(`CREATE DATABASE "${other}"`);
    try {
      const u2 = new URL(base);
      u2.pathname = `/${other}`;
      u2.searchParams.set('schema', 'y');
      const r = rectify(['init'], { cwd: t.dir, env: { RECTIFY_DB: u2.toString() } });
      expect(r.code).toBe(4);
      expect(r.stderr).toContain(`${db}_x_y_`);
      expect(r.stderr.split('\n').filter(Boolean)).toHaveLength(2);
    } finally {
      await serverSql().unsafe(`DROP DATABASE IF EXISTS "${other}" WITH (FORCE)`);
    }
  });
});

describe.runIf(HAS_PG)('upgrading a shared ledger made by the earlier version', () => {
  const t = tempDir('rectify-pg-upgrade-');
  afterAll(() => t.cleanup());

  it('brings it under the guard in one transaction, losing nothing: export prints the same bytes', async () => {
    const db = await testDatabase();
    const sql = await dbSql();
    // The fixture was dumped from database rectifyfix (schema v2); its roles follow the database.
    const dump = readFileSync(join(FIXTURES, 'pg', 'ledger-v2.sql'), 'utf8').replaceAll('rectifyfix_v2_', `${db}_v2_`);
    for (const r of ['viewer', 'staff', 'admin']) await serverSql().unsafe(`CREATE ROLE "${db}_v2_${r}" NOLOGIN`);
    await serverSql().unsafe(`GRANT "${db}_v2_viewer" TO "${db}_v2_staff"; GRANT "${db}_v2_staff" TO "${db}_v2_admin"`);
    const clerk = await loginRole('clerk');
    await serverSql().unsafe(`GRANT "${db}_v2_staff" TO "${clerk}"; GRANT "${db}_v2_admin" TO "${await loginRole('sec')}" WITH ADMIN OPTION`);
    await sql.unsafe(dump);
    const url = new URL(await freshLedgerUrl());
    url.searchParams.set('schema', 'v2');
    const expected = readFileSync(join(FIXTURES, 'pg', 'ledger-v2.export.json'), 'utf8');
    // Before the upgrade, a staff member is told to ask the owner.
    const early = rectify(['status'], { cwd: t.dir, env: { RECTIFY_DB: asUser(url.toString(), clerk) } });
    expect(early.code).toBe(4);
    expect(early.stderr).toContain('init --upgrade');
    const up = rectify(['init', '--upgrade'], { cwd: t.dir, env: { RECTIFY_DB: url.toString() } });
    expect(up.code, up.stderr).toBe(0);
    expect(up.stdout).toContain(`1 to ${PG_LATEST_VERSION}`);
    // From before the guard (version 1), so its history is written by the server from now on.
    expect(up.stdout).toContain('its history is now written by the server');
    const after = rectify(['export', '--format', 'json'], { cwd: t.dir, env: { RECTIFY_DB: url.toString() } });
    expect(after.stdout).toBe(expected);
    // The planner's statistics taken afresh (a rewrite drops those of the columns it changed).
    const stats = await sql.unsafe(`SELECT count(*)::int AS n FROM pg_stats WHERE schemaname = 'v2' AND tablename = 'history' AND attname = 'seq'`);
    expect(stats[0]!.n).toBe(1);
    const again = rectify(['init', '--upgrade'], { cwd: t.dir, env: { RECTIFY_DB: url.toString() } });
    expect(again.stdout).toContain('up to date');
    // The upgrade gave it an id of its own (034), which no export carries.
    const ids = await sql.unsafe(`SELECT id FROM v2.ledger`);
    expect(ids.map((r) => r.id)).toEqual([expect.stringMatching(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/)]);
    // Now under the guard: owned by the owner role, the old ADMIN OPTION gone, staff at work.
    const owner = await sql.unsafe(`SELECT DISTINCT tableowner FROM pg_tables WHERE schemaname = 'v2'`);
    expect(owner.map((o) => o.tableowner)).toEqual([`${db}_v2_owner`]);
    const opt = await sql.unsafe(`SELECT count(*)::int AS n FROM pg_auth_members m JOIN pg_roles u ON u.oid = m.member
      WHERE m.admin_option AND u.rolcanlogin AND m.roleid = to_regrole($1)`, [`${db}_v2_admin`]);
    expect(opt[0]!.n).toBe(0);
    const p = rectify(['progress', 'M2.2', '50'], { cwd: t.dir, env: { RECTIFY_DB: asUser(url.toString(), clerk), RECTIFY_USER: '宣传科' } });
    expect(p.code, p.stderr).toBe(0);
    const truncate = await sql.unsafe(`SET search_path = v2; TRUNCATE history CASCADE`).then(() => 'ok', (e: { code: string }) => e.code);
    expect(truncate).toBe('42501');
  });

  it('opens a ledger file made by the earlier version with the same export', () => {
    const file = join(t.dir, 'v2.db');
    copyFileSync(join(FIXTURES, 'pg', 'ledger-v2.db'), file);
    const r = rectify(['export', '--format', 'json'], { cwd: t.dir, env: { RECTIFY_DB: file } });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe(readFileSync(join(FIXTURES, 'pg', 'ledger-v2.export.json'), 'utf8'));
  });
});
