// Attacks on who may do what (docs/postgres.md, "What the server guarantees", 3, 5 and 6): undo
// across roles, a role taking another role in plain SQL, the last admin, and a role that may
// merely CONNECT holding up the ledger's writers.
import { beforeAll, describe, expect, it } from 'vitest';
import { HAS_PG, makeLedger, tryOn, type Ledger } from './helpers.js';

describe.runIf(HAS_PG)('attacks on roles', () => {
  let L: Ledger;
  const ok = (r: { code: number; stderr: string }) => expect(r.code, r.stderr).toBe(0);
  const usersOf = async () => {
    const r = await L.inproc(L.users.viewer, ['users', '--json']);
    ok(r);
    return JSON.parse(r.stdout) as { user: string; role: string }[];
  };

  beforeAll(async () => {
    L = await makeLedger();
  }, 120_000);

  it('refuses staff an undo of another staff member\'s change (exit 4, naming admin), and lets an admin take it back', async () => {
    ok(await L.inproc(L.users.staff2, ['progress', 'M1.1', '30'], '科室'));
    const r = L.cli(L.users.staff, ['undo'], '科室');
    expect(r.code).toBe(4);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain(L.group('admin'));
    expect(r.stderr).not.toContain(`role ${L.group('staff')}`);
    expect((await L.dump()).items.get('M1.1')).toMatchObject({ status: 'in_progress', progress: 30 });
    ok(L.cli(L.users.admin, ['undo'], '科室'));
    expect((await L.dump()).items.get('M1.1')).toMatchObject({ status: 'open', progress: 0 });
  });

  it('refuses staff an undo of an admin\'s change made under the same actor name', async () => {
    ok(await L.inproc(L.users.admin, ['progress', 'M1.2', '50'], '办公室'));
    const r = L.cli(L.users.staff, ['undo'], '办公室');
    expect(r.code).toBe(4);
    expect(r.stderr).toContain(L.group('admin'));
    expect((await L.dump()).items.get('M1.2')).toMatchObject({ progress: 50 });
  });

  it('lets no staff or viewer take a ledger role, or the owner\'s, in plain SQL', async () => {
    const before = (await usersOf());
    const owners = ((await L.attempt(L.users.viewer, `SELECT DISTINCT pg_get_userbyid(relowner) AS o FROM pg_class c
      JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = '${L.schema}'`)).rows as { o: string }[]).map((r) => r.o);
    const took: string[] = [];
    for (const user of [L.users.staff, L.users.viewer, L.users.outsider]) {
      const c = L.connect(user);
      for (const target of [L.group('admin'), L.group('staff'), ...owners]) {
        for (const text of [`GRANT "${target}" TO "${user}"`, `GRANT "${target}" TO "${user}" WITH ADMIN OPTION`, `SET ROLE "${target}"`]) {
          const r = await tryOn(c, text);
          if (r.ok && !(text.startsWith('SET ROLE') && target === L.group('staff') && user === L.users.staff)) took.push(`${user}: ${text}`);
          await tryOn(c, 'RESET ROLE');
        }
      }
    }
    // An admin may hand out the ledger's roles, but never the owner's.
    const a = L.connect(L.users.admin);
    for (const target of owners) {
      for (const text of [`GRANT "${target}" TO "${L.users.admin}"`, `SET ROLE "${target}"`]) {
        if ((await tryOn(a, text)).ok) took.push(`admin: ${text}`);
      }
    }
    await tryOn(a, 'RESET ROLE');
    expect(took).toEqual([]);
    expect((await usersOf())).toEqual(before);
  });

  it('grants only existing login roles', async () => {
    const before = (await usersOf());
    for (const name of [L.group('viewer'), L.group('staff'), 'pg_read_all_data', 'no_such_role_at_all']) {
      const r = await L.inproc(L.users.admin, ['grant', name, 'admin']);
      expect({ name, code: r.code === 0 }).toEqual({ name, code: false });
    }
    const members = await L.attempt(null, `SELECT m.rolname FROM pg_auth_members am JOIN pg_roles m ON m.oid = am.member
      JOIN pg_roles g ON g.oid = am.roleid WHERE g.rolname = '${L.group('admin')}'
       AND m.rolname IN ('${L.group('viewer')}', '${L.group('staff')}', 'pg_read_all_data')`);
    expect(members.rows).toEqual([]);
    expect((await usersOf())).toEqual(before);
  });

  it('keeps its last admin: rectify refuses to revoke it (exit 4), and so does plain SQL', async () => {
    const admins = async () => (await usersOf()).filter((u) => u.role === 'admin').map((u) => u.user);
    for (const other of (await admins()).filter((u) => u !== L.users.admin)) ok(await L.inproc(L.users.admin, ['revoke', other, 'admin']));
    expect(await admins()).toEqual([L.users.admin]);
    const r = L.cli(L.users.admin, ['revoke', L.users.admin, 'admin']);
    expect(r.code).toBe(4);
    expect(r.stderr.trim().length).toBeGreaterThan(0);
    expect(await admins()).toEqual([L.users.admin]);
    await L.attempt(L.users.admin, `REVOKE "${L.group('admin')}" FROM "${L.users.admin}"`);
    expect(await admins()).toEqual([L.users.admin]);
    ok(await L.inproc(L.users.admin, ['grant', L.users.admin2, 'admin']));
  });

  it('lets a role that may merely CONNECT neither hold the ledger\'s write lock nor make writers wait', async () => {
    const spy = L.connect(L.users.outsider);
    // Watch which advisory locks a writer takes, as anyone may (pg_locks is public), then hold them.
    const seen = new Set<string>();
    const writer = L.cliAsync(L.users.staff, ['progress', 'M2.1', '10']);
    let done = false;
    void writer.then(() => (done = true));
    while (!done) {
      const rows = (await spy.unsafe(`SELECT classid::bigint AS a, objid::bigint AS b, objsubid AS k FROM pg_locks WHERE locktype = 'advisory'`)) as unknown as { a: string; b: string; k: number }[];
      for (const r of rows) seen.add(`${r.a},${r.b},${r.k}`);
    }
    ok(await writer);
    // Session locks: held until the attacker lets go, whatever fails in between.
    const hold = L.connect(L.users.outsider);
    const held: string[] = [];
    const take = async (text: string) => {
      const r = await tryOn(hold, text);
      if (r.ok) held.push(text);
    };
    await take(`SELECT pg_advisory_lock(1381253203, hashtext('${L.schema}'))`);
    for (const key of seen) {
      const [a, b, k] = key.split(',');
      if (k === '2') await take(`SELECT pg_advisory_lock(${Number(a) | 0}, ${Number(b) | 0})`);
      if (k === '1') await take(`SELECT pg_advisory_lock((${a}::bigint << 32) | ${b}::bigint)`);
    }
    const tables = L.connect(L.users.outsider);
    await tryOn(tables, 'BEGIN');
    for (const t of ['items', 'history', 'evidence']) {
      const text = `LOCK TABLE "${L.schema}"."${t}" IN ACCESS EXCLUSIVE MODE`;
      if ((await tryOn(tables, text)).ok) held.push(text);
    }
    const started = Date.now();
    const r = await L.cliAsync(L.users.staff, ['progress', 'M2.1', '20']);
    const waited = Date.now() - started;
    await tryOn(hold, 'SELECT pg_advisory_unlock_all()');
    await tryOn(tables, 'ROLLBACK');
    expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: '' });
    expect(waited, `held: ${held.join('; ')}`).toBeLessThan(8000);
  }, 60_000);

  it('gives a role that may merely CONNECT nothing of the ledger to read', async () => {
    const r = await L.attempt(L.users.outsider, `SELECT count(*) FROM "${L.schema}".items`);
    expect(r.ok).toBe(false);
    const c = await L.inproc(L.users.outsider, ['status']);
    expect(c.code).toBe(4);
  });
});
