// Who may do what on a ledger on a server: the three roles, refused by the server itself,
// through rectify and through plain SQL (docs/postgres.md, "Who may do what").
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rectify, tempDir, type RunResult } from '../helpers/cli.js';
import { HAS_PG, asUser, freshLedgerUrl, loginRole } from '../helpers/pg.js';

describe.runIf(HAS_PG)('roles on a shared ledger', () => {
  const t = tempDir('rectify-pg-roles-');
  let url = '';
  let schema = '';
  const users = { secretary: '', staff: '', staff2: '', viewer: '', outsider: '' };
  const roleOf = (r: string) => `${new URL(url).pathname.slice(1)}_${schema}_${r}`;
  const sqlAs: postgres.Sql[] = [];

  /** rectify as a database user, acting as `by`. */
  const as = (user: string, args: string[], by = user): RunResult =>
    rectify(args, { cwd: t.dir, env: { RECTIFY_DB: asUser(url, user), RECTIFY_USER: by, RECTIFY_TODAY: '2024-05-10' } });
  /** Plain SQL as a database user, in the ledger's schema. */
  const plain = async (user: string, text: string): Promise<unknown> => {
    const u = new URL(asUser(url, user));
    u.searchParams.delete('schema');
    const sql = postgres(u.toString(), { max: 1, onnotice: () => {}, connection: { search_path: `"${schema}"` } });
    sqlAs.push(sql);
    return sql.unsafe(text);
  };

  beforeAll(async () => {
    url = await freshLedgerUrl();
    schema = new URL(url).searchParams.get('schema')!;
    for (const k of Object.keys(users) as (keyof typeof users)[]) users[k] = await loginRole(k);
    const init = rectify(['init'], { cwd: t.dir, env: { RECTIFY_DB: url } });
    expect(init.code, init.stderr).toBe(0);
    // The database administrator (here the superuser who ran init) hands out the roles.
    for (const [user, role] of [[users.secretary, 'admin'], [users.staff, 'staff'], [users.viewer, 'viewer']] as const) {
      const g = rectify(['grant', user, role], { cwd: t.dir, env: { RECTIFY_DB: url } });
      expect(g.code, g.stderr).toBe(0);
    }
  }, 120_000);
  afterAll(async () => {
    for (const s of sqlAs) await s.end({ timeout: 1 });
    t.cleanup();
  });

  it('lets a viewer read everything and change nothing, each refusal one line naming the role and who grants it', () => {
    for (const args of [['status'], ['list'], ['show', 'M1.1'], ['log'], ['report'], ['export', '--format', 'json']]) {
      const r = as(users.viewer, args);
      expect({ args, code: r.code, stderr: r.stderr }).toEqual({ args, code: 0, stderr: '' });
    }
    const p = as(users.viewer, ['progress', 'M1.1', '10']);
    expect(p.code).toBe(4);
    expect(p.stderr.trim().split('\n')).toHaveLength(1);
    expect(p.stderr).toContain(`it needs the role ${roleOf('staff')}, which a member of ${roleOf('admin')} can grant`);
    // Several items' changes go out without a wait: the refusal told is the first's, not the
    // aborted transaction's answer to the rest.
    const many = as(users.viewer, ['progress', 'M1.1,M1.2,M2.1', '10']);
    expect({ code: many.code, stderr: many.stderr }).toEqual({ code: 4, stderr: p.stderr });
    const a = as(users.viewer, ['assign', 'M1.1', '某人']);
    expect(a.code).toBe(4);
    expect(a.stderr).toContain(`needs the role ${roleOf('admin')}`);
    expect(as(users.viewer, ['status']).stdout).toContain('0 in progress');
    // A viewer may take a copy out (a backup file), the same export on both sides.
    const backup = `${t.dir}/backup.db`;
    const c = as(users.viewer, ['copy', asUser(url, users.viewer), backup]);
    expect(c.code, c.stderr).toBe(0);
    const exported = (db: string) => rectify(['export', '--format', 'json'], { cwd: t.dir, env: { RECTIFY_DB: db } }).stdout;
    expect(exported(backup)).toBe(exported(asUser(url, users.viewer)));
  });

  it('lets staff record progress and completion and undo their own, but not sign off, assign or add', () => {
    expect(as(users.staff, ['progress', 'M1.1', '40', '-m', '推进中'], '办公室').code).toBe(0);
    expect(as(users.staff, ['done', 'M1.2', '--evidence', '会议纪要'], '办公室').code).toBe(0);
    for (const args of [['verify', 'M1.2'], ['assign', 'M1.1', '某人'], ['add', '--measure', 'M1', '新事项'], ['reopen', 'M1.2', '-m', 'x']]) {
      const r = as(users.staff, args, '办公室');
      expect({ args, code: r.code }).toEqual({ args, code: 4 });
      expect(r.stderr).toContain(`needs the role ${roleOf('admin')}`);
    }
    const undo = as(users.staff, ['undo'], '办公室');
    expect(undo.code, undo.stderr).toBe(0);
    expect(as(users.staff, ['show', 'M1.2', '--json']).stdout).toContain('"status": "open"');
  });

  it('records who typed each change beside whom it was for, and shows it where the two differ', () => {
    expect(as(users.staff, ['progress', 'M2.1', '20'], '宣传部').code).toBe(0);
    const show = JSON.parse(as(users.viewer, ['show', 'M2.1', '--json']).stdout) as { history: { by: string; dbUser?: string }[] };
    expect(show.history.at(-1)).toMatchObject({ by: '宣传部', dbUser: users.staff });
    expect(as(users.viewer, ['log', 'M2.1']).stdout).toContain(`宣传部 (${users.staff})`);
  });

  it('lets the secretary (admin) sign off, and refuses staff who would undo it', () => {
    expect(as(users.staff, ['done', 'M2.2'], '办公室').code).toBe(0);
    expect(as(users.secretary, ['verify', 'M2.2'], '办公室').code).toBe(0);
    // The same actor name, another database role: the server refuses.
    const r = as(users.staff, ['undo'], '办公室');
    expect(r.code).toBe(4);
    expect(r.stderr).toContain(`needs the role ${roleOf('admin')}`);
    expect(JSON.parse(as(users.viewer, ['show', 'M2.2', '--json']).stdout)).toMatchObject({ status: 'verified' });
  });

  it('refuses the same things through plain SQL', async () => {
    await expect(plain(users.viewer, 'DELETE FROM history')).rejects.toMatchObject({ code: '42501' });
    await expect(plain(users.viewer, `UPDATE items SET progress = 50`)).rejects.toMatchObject({ code: '42501' });
    await expect(plain(users.staff, `UPDATE items SET status = 'verified' WHERE id = 'M1.1'`)).rejects.toMatchObject({ code: '42501' });
    await expect(plain(users.staff, `UPDATE items SET owner = '某人' WHERE id = 'M1.1'`)).rejects.toMatchObject({ code: '42501' });
    await expect(plain(users.staff, `UPDATE items SET status = 'open' WHERE id = 'M2.2'`)).rejects.toMatchObject({ code: '42501' });
    await expect(plain(users.staff, `UPDATE history SET note = 'x'`)).rejects.toMatchObject({ code: '42501' });
    await expect(plain(users.staff, `DELETE FROM history`)).rejects.toMatchObject({ code: '42501' });
    await expect(plain(users.staff, `INSERT INTO history (grp, at, by, item, action, status, progress, via)
      SELECT 1, 'x', 'x', key, 'verify', 'verified', 100, 'cli' FROM items LIMIT 1`)).rejects.toMatchObject({ code: '42501' });
    // The history is the server's: staff write none of it, whatever they claim; a change they
    // make in SQL is recorded as theirs.
    await expect(plain(users.staff, `INSERT INTO history (grp, at, by, item, action, status, progress, via, db_user)
      SELECT 1, 'x', 'x', key, 'progress', status, progress, 'cli', 'someone-else' FROM items WHERE id = 'M3.1'`))
      .rejects.toMatchObject({ code: '42501' });
    await plain(users.staff, `UPDATE items SET status = 'in_progress', progress = 5 WHERE id = 'M3.1'`);
    const [row] = (await plain(users.viewer, `SELECT db_user FROM history ORDER BY seq DESC LIMIT 1`)) as { db_user: string }[];
    expect(row!.db_user).toBe(users.staff);
    await expect(plain(users.outsider, `SELECT count(*) FROM "${schema}".items`)).rejects.toMatchObject({ code: '42501' });
  });

  it('lets admins grant and revoke, lists who can reach the ledger, and refuses the rest', () => {
    const notAdmin = as(users.staff, ['grant', users.staff2, 'staff']);
    expect(notAdmin.code).toBe(4);
    expect(notAdmin.stderr).toContain(roleOf('admin'));
    expect(as(users.secretary, ['grant', users.staff2, 'staff']).stdout).toContain(`is now staff`);
    expect(as(users.secretary, ['grant', users.staff2, 'staff']).stdout).toContain('already was staff');
    expect(as(users.staff2, ['progress', 'M3.2', '10']).code).toBe(0);
    const list = JSON.parse(as(users.viewer, ['users', '--json']).stdout) as { user: string; role: string }[];
    expect(list).toEqual(expect.arrayContaining([
      { user: users.secretary, role: 'admin' }, { user: users.staff, role: 'staff' },
      { user: users.staff2, role: 'staff' }, { user: users.viewer, role: 'viewer' },
    ]));
    expect(list.map((u) => u.user)).not.toContain(users.outsider);
    expect(as(users.secretary, ['revoke', users.staff2, 'staff']).stdout).toContain('no longer staff');
    const revoked = as(users.staff2, ['progress', 'M3.2', '20']);
    expect(revoked.code, revoked.stderr).toBe(4);
    expect(as(users.secretary, ['grant', 'no-such-role-here', 'staff']).code).toBe(3);
    expect(as(users.secretary, ['grant', users.staff2, 'boss']).code).toBe(2);
    const outsider = as(users.outsider, ['status']);
    expect(outsider.code).toBe(4);
    expect(outsider.stderr).toContain(roleOf('viewer'));
  });

  it('says that access to a ledger file is by its file permissions', () => {
    const dir = tempDir();
    try {
      for (const args of [['grant', 'zhang', 'staff'], ['revoke', 'zhang', 'staff'], ['users']]) {
        const r = rectify(args, { cwd: dir.dir });
        expect({ args, code: r.code }).toEqual({ args, code: 2 });
        expect(r.stderr).toContain('file permissions');
      }
    } finally {
      dir.cleanup();
    }
  });
});
