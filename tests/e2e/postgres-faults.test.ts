// Faults and concurrency on a ledger on a server (docs/postgres.md): an unreachable server, a
// client killed in the middle of a transaction, a connection dropped by the server, a busy
// ledger, and many writers at once. Runs when RECTIFY_TEST_PG names a server.
import { execFileSync, spawn } from 'node:child_process';
import { join } from 'node:path';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, ROOT, baseEnv, rectify, rectifyAsync, tempDir } from '../helpers/cli.js';
import { HAS_PG, asUser, dbSql, freshLedgerUrl, loginRole } from '../helpers/pg.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe.runIf(HAS_PG)('a server that cannot be reached', () => {
  it('is exit 3 naming host, port, database and user, never the password', () => {
    const r = rectify(['status'], { env: { RECTIFY_DB: 'postgres://zhang:s3cr%40t-pw@127.0.0.1:1/office?schema=y2024' } });
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('host 127.0.0.1, port 1, database office, user zhang');
    expect(r.stderr).toContain('postgres://zhang:***@127.0.0.1:1/office?schema=y2024');
    expect(r.stderr).not.toMatch(/s3cr/);
    expect(r.stderr.split('\n').filter(Boolean)).toHaveLength(2); // the line and its hint
  });

  it('is exit 3 for a database or a role that does not exist', () => {
    const u = new URL(process.env.RECTIFY_TEST_PG!);
    u.pathname = '/no_such_database_here';
    const db = rectify(['list'], { env: { RECTIFY_DB: u.toString() } });
    expect(db.code).toBe(3);
    expect(db.stderr).toContain('database no_such_database_here');
    u.pathname = '/postgres';
    u.username = 'no_such_role_here';
    const role = rectify(['init'], { env: { RECTIFY_DB: u.toString() } });
    expect(role.code).toBe(3);
    expect(role.stderr).toContain('user no_such_role_here');
  });

  it('refuses init (exit 4, nothing left) to a role that may not create schemas or roles', async () => {
    const url = await freshLedgerUrl();
    const role = await loginRole('nocreate');
    const u = new URL(asUser(url, role));
    const r = rectify(['init'], { env: { RECTIFY_DB: u.toString() } });
    expect(r.code).toBe(4);
    expect(r.stderr).toMatch(/cannot create a ledger at .*: permission denied/);
    expect(r.stderr).toContain('CREATEROLE');
    const sql = await dbSql();
    await sql.unsafe(`GRANT CREATE ON DATABASE "${u.pathname.slice(1)}" TO "${role}"`);
    const again = rectify(['init'], { env: { RECTIFY_DB: u.toString() } });
    expect(again.code).toBe(4);
    expect(again.stderr).toMatch(/permission denied to create role/);
    // The one transaction took its schema back with it.
    const schema = u.searchParams.get('schema')!;
    expect(await sql.unsafe('SELECT 1 FROM pg_namespace WHERE nspname = $1', [schema])).toHaveLength(0);
  });

  it('says that no ledger is there when the schema holds none, and refuses a bad schema name', async () => {
    const url = await freshLedgerUrl();
    const r = rectify(['status'], { env: { RECTIFY_DB: url } });
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/no ledger at postgres:\/\//);
    const bad = rectify(['status'], { env: { RECTIFY_DB: url.replace(/schema=[^&]*/, 'schema=Bad%20Name') } });
    expect(bad.code).toBe(2);
  });
});

describe.runIf(HAS_PG)('a ledger on a server under faults', () => {
  const t = tempDir('rectify-pg-faults-');
  const big = join(t.dir, 'big.yaml');
  beforeAll(() => {
    execFileSync(process.execPath, [join(ROOT, 'bench', 'generate.mjs'), '4000', big], { stdio: 'ignore' });
  });
  afterAll(() => t.cleanup());

  const run = (url: string, args: string[], env: Record<string, string> = {}) =>
    rectify(args, { cwd: t.dir, env: { RECTIFY_DB: url, RECTIFY_TODAY: '2026-11-26', ...env } });
  const exported = (url: string) => run(url, ['export', '--format', 'json']).stdout;

  it('holds the whole change or none of it when the client is killed mid-transaction', async () => {
    const url = await freshLedgerUrl();
    expect(run(url, ['init']).code).toBe(0);
    const before = exported(url);
    let killed = 0;
    for (const wait of [300, 700, 1200]) {
      const child = spawn(process.execPath, [BIN, 'import', big], { cwd: t.dir, env: baseEnv({ RECTIFY_DB: url }), stdio: 'ignore' });
      await sleep(wait);
      if (child.exitCode === null) killed++;
      child.kill('SIGKILL');
      await new Promise((r) => child.on('exit', r));
      const now = exported(url);
      expect(now === before || JSON.parse(now).measures.length > 10).toBe(true);
      if (now !== before) break;
    }
    expect(killed).toBeGreaterThan(0);
    // The ledger works on: the server dropped the dead client's transaction and its locks.
    expect(run(url, ['progress', 'M1.1', '10']).code).toBe(0);
  }, 120_000);

  it('says in one line, exit 1, when the server drops the connection mid-command, and saves nothing', async () => {
    const url = await freshLedgerUrl();
    expect(run(url, ['init']).code).toBe(0);
    const before = exported(url);
    const sql = await dbSql();
    // Hold the ledger (its write lock, as a ledger role may) so that the command waits inside its transaction.
    const holder = await dbSql();
    const schema = new URL(url).searchParams.get('schema')!;
    const reserved = await holder.reserve();
    await reserved.unsafe(`BEGIN; SELECT "${schema}".lock_ledger()`);
    // It waits as long as it takes this machine to get there (not the 10 s a user would).
    const pending = rectifyAsync(['import', big], { cwd: t.dir, env: { RECTIFY_DB: url, RECTIFY_LOCK_WAIT_MS: '120000' } });
    let victims: unknown[] = [];
    for (let i = 0; i < 600 && victims.length === 0; i++) {
      await sleep(100);
      victims = [...await sql.unsafe(
        // Only this test's database: other files (and other runs) wait on their own ledgers' locks.
        `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
          WHERE datname = $1 AND application_name = 'rectify' AND wait_event_type = 'Lock'`, [new URL(url).pathname.slice(1)],
      )];
    }
    const r = await pending;
    await reserved.unsafe('ROLLBACK');
    reserved.release();
    // Every waiting connection of the command is cut (under the guard an import may wait on more than one).
    expect(victims.length).toBeGreaterThan(0);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^rectify: the connection to postgres:\/\/\S+ was lost \(.*\); nothing was saved\n$/);
    expect(exported(url)).toBe(before);
  }, 120_000);

  it('says that the change may have been saved when the connection drops while COMMIT is under way', async () => {
    const url = await freshLedgerUrl();
    expect(run(url, ['init']).code).toBe(0);
    const schema = new URL(url).searchParams.get('schema')!;
    const sql = await dbSql();
    // A check deferred to COMMIT that takes its time: the connection is cut while it runs.
    await sql.unsafe(`CREATE FUNCTION "${schema}".slow_commit() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN PERFORM pg_sleep(3); RETURN NULL; END $$`);
    await sql.unsafe(`CREATE CONSTRAINT TRIGGER slow_commit AFTER INSERT ON "${schema}".history
      DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION "${schema}".slow_commit()`);
    const pending = rectifyAsync(['progress', 'M1.1', '30'], { cwd: t.dir, env: { RECTIFY_DB: url } });
    let victims: unknown[] = [];
    for (let i = 0; i < 100 && victims.length === 0; i++) {
      await sleep(100);
      victims = [...await sql.unsafe(
        `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
          WHERE datname = $1 AND application_name = 'rectify' AND query ILIKE 'COMMIT%' AND wait_event = 'PgSleep'`,
        [new URL(url).pathname.slice(1)],
      )];
    }
    const r = await pending;
    // Every waiting connection of the command is cut (under the guard an import may wait on more than one).
    expect(victims.length).toBeGreaterThan(0);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^rectify: the connection to postgres:\/\/\S+ was lost while saving \(.*\): the change may have been saved\nhint: run `rectify log` to see whether it was/);
    // Here the server had not committed: the ledger holds none of it.
    await sql.unsafe(`DROP TRIGGER slow_commit ON "${schema}".history`);
    expect(JSON.parse(run(url, ['show', 'M1.1', '--json']).stdout)).toMatchObject({ progress: 0 });
  }, 60_000);

  // Restarting the server cuts every test's connections, so this runs only when asked for
  // (RECTIFY_TEST_PG_RESTART=1, on a server this machine runs with pg_ctlcluster), alone.
  it.runIf(process.env.RECTIFY_TEST_PG_RESTART === '1')('holds the whole change or none when the server restarts mid-command', async () => {
    const url = await freshLedgerUrl();
    expect(run(url, ['init']).code).toBe(0);
    const before = exported(url);
    const child = rectifyAsync(['import', big], { cwd: t.dir, env: { RECTIFY_DB: url } });
    await sleep(1500);
    const version = execFileSync('ls', ['/etc/postgresql'], { encoding: 'utf8' }).trim().split('\n')[0]!;
    execFileSync('pg_ctlcluster', ['--skip-systemctl-redirect', version, 'main', 'restart'], { stdio: 'ignore' });
    const r = await child;
    if (r.code !== 0) {
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/^rectify: the connection to postgres:\/\/\S+ was lost/);
      expect(r.stderr.trim().split('\n').length).toBeLessThanOrEqual(2);
      expect(exported(url)).toBe(before);
    } else {
      expect(JSON.parse(exported(url)).measures.length).toBeGreaterThan(10);
    }
  }, 120_000);

  it('waits for a busy ledger, then refuses with exit 4 saying so, having written nothing', async () => {
    const url = await freshLedgerUrl();
    expect(run(url, ['init']).code).toBe(0);
    const schema = new URL(url).searchParams.get('schema')!;
    const holder = await (await dbSql()).reserve();
    await holder.unsafe(`BEGIN; SELECT "${schema}".lock_ledger()`);
    // The wait is the contract's 10 s unless told otherwise; 1.5 s is enough to see it wait.
    const started = Date.now();
    const r = run(url, ['progress', 'M1.1', '10'], { RECTIFY_LOCK_WAIT_MS: '1500' });
    expect(Date.now() - started).toBeGreaterThanOrEqual(1500);
    await holder.unsafe('ROLLBACK');
    holder.release();
    expect(r.code).toBe(4);
    expect(r.stderr).toMatch(/is busy: another change is holding it/);
    expect(JSON.parse(run(url, ['show', 'M1.1', '--json']).stdout)).toMatchObject({ progress: 0 });
  }, 60_000);
});

describe.runIf(HAS_PG)('many writers on one ledger on a server', () => {
  const t = tempDir('rectify-pg-writers-');
  afterAll(() => t.cleanup());
  const env = (url: string, extra: Record<string, string> = {}) => ({ RECTIFY_DB: url, RECTIFY_TODAY: '2026-11-26', ...extra });

  it('records every change once (4 writers x 10 changes, all at once)', async () => {
    const url = await freshLedgerUrl();
    expect(rectify(['init'], { cwd: t.dir, env: env(url) }).code).toBe(0);
    const writer = join(t.dir, 'writer.cjs');
    await build({
      entryPoints: [join(ROOT, 'tests', 'helpers', 'writer-entry.ts')],
      outfile: writer, bundle: true, platform: 'node', format: 'cjs', target: 'node20',
      packages: 'external', logLevel: 'error',
    });
    const items = ['M1.1', 'M2.1', 'M3.1', 'M4.1'];
    const N = 10;
    const results = await Promise.all(items.map((item, w) => new Promise<{ code: number | null; stderr: string }>((res) => {
      const child = spawn(process.execPath, [writer, String(w), item, String(N)], {
        // No change lost or doubled is what is tested, not the 10 s a user waits at most.
        cwd: t.dir, env: baseEnv({ ...env(url), NODE_PATH: join(ROOT, 'node_modules'), RECTIFY_LOCK_WAIT_MS: '60000' }),
      });
      let stderr = '';
      child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
      child.on('exit', (code) => res({ code, stderr }));
    })));
    expect(results).toEqual(items.map(() => ({ code: 0, stderr: '' })));
    const log = JSON.parse(rectify(['log', '--json'], { cwd: t.dir, env: env(url) }).stdout) as { by: string; item: string; note: string | null }[];
    expect(log.filter((h) => /^w\d$/.test(h.by))).toHaveLength(items.length * N);
    for (let w = 0; w < items.length; w++) {
      const mine = log.filter((h) => h.by === `w${w}`);
      expect(new Set(mine.map((h) => h.note)).size).toBe(N);
      expect(new Set(mine.map((h) => h.item))).toEqual(new Set([items[w]]));
    }
  }, 240_000);

  it('never writes progress over a sign-off that came a moment before', async () => {
    const url = await freshLedgerUrl();
    expect(rectify(['init'], { cwd: t.dir, env: env(url) }).code).toBe(0);
    const ids = ['M1.1', 'M2.1', 'M3.1', 'M4.1'];
    for (const id of ids) expect(rectify(['done', id], { cwd: t.dir, env: env(url) }).code).toBe(0);
    const outcomes = await Promise.all(ids.flatMap((id) => [
      rectifyAsync(['verify', id], { cwd: t.dir, env: env(url) }),
      rectifyAsync(['progress', id, '50'], { cwd: t.dir, env: env(url) }),
    ]));
    for (const r of outcomes) expect([0, 4]).toContain(r.code);
    for (const id of ids) {
      const item = JSON.parse(rectify(['show', id, '--json'], { cwd: t.dir, env: env(url) }).stdout) as { status: string; history: { action: string; status: string }[] };
      const actions = item.history.map((h) => h.action);
      const verified = actions.indexOf('verify');
      // Whatever won, nothing was recorded after a sign-off, and the item is as its last entry says.
      if (verified >= 0) expect(actions.slice(verified + 1)).toEqual([]);
      expect(item.status).toBe(item.history.at(-1)!.status);
    }
  }, 120_000);

  it('gives two adds racing for the next number distinct ids', async () => {
    const url = await freshLedgerUrl();
    expect(rectify(['init'], { cwd: t.dir, env: env(url) }).code).toBe(0);
    const adds = await Promise.all(Array.from({ length: 6 }, (_, i) =>
      rectifyAsync(['add', '--measure', 'M1', `新事项 ${i}`], { cwd: t.dir, env: env(url) })));
    expect(adds.map((r) => r.code)).toEqual(adds.map(() => 0));
    const ids = adds.map((r) => r.stdout.trim());
    expect(new Set(ids).size).toBe(6);
    for (const id of ids) expect(id).toMatch(/^M1\.\d+$/);
  }, 120_000);
});
