// vitest globalSetup, run once before any test file:
// 1. The end-to-end tests run the built bundle (dist/rectify.cjs), so a run must never test
//    yesterday's bundle: when dist/ was not built from the sources as they are now, it is
//    rebuilt here (scripts/build.mjs), and a build that fails stops the run. `npx vitest run
//    FILE` is as safe as `npm test`. See bundle.ts for how "built from these sources" is told.
// 2. A folder for the template ledgers of helpers/ledger.ts, shared by every worker and
//    removed at the end.
// 3. One line when the PostgreSQL suite is left out (RECTIFY_TEST_PG unset).
// 4. The in-process runner of helpers/cli.ts: src/cli.ts's `run` bundled from the sources as
//    they are, with helpers/inproc-worker.ts around it, for each test file's worker thread.
// 5. A folder for every temporary file of the run, TMPDIR of the workers (os.tmpdir()), removed
//    at the end: in RAM (/dev/shm, a tmpfs) where there is one with room. A ledger file's
//    commit waits for the disk (fsync), and on a machine shared with other work the disk is
//    slow and uneven: 639 fsyncs in items and jsonl took 0.85 s there and 0.06 s in RAM, and
//    `init` of the bundled seed 59-265 ms against 42-50 ms, for the same CPU. No test can tell:
//    what a test kills is a process, never the machine's power.
// 6. At the end, the test databases (helpers/pg.ts: rectify_t<pid>_…) of this run's workers
//    and of processes that no longer run, with their roles: a file's own are dropped after it
//    ends, while the worker's next file runs, but not the last file's of a worker the pool
//    stops first, nor a killed run's.
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statfsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import type { TestProject } from 'vitest/node';
import { running } from '../../src/store/sqlite/open.js';
import { ROOT, bundleState } from './bundle.js';

declare module 'vitest' {
  export interface ProvidedContext {
    templates: string;
    inprocWorker: string;
  }
}

export default async function setup(project: TestProject): Promise<() => void> {
  const state = bundleState(ROOT);
  if (state !== 'fresh') {
    process.stdout.write(`dist/ ${state}: building it before the tests run\n`);
    try {
      execFileSync(process.execPath, [join(ROOT, 'scripts', 'build.mjs')], { cwd: ROOT, stdio: 'inherit' });
    } catch {
      throw new Error('the build failed: no test runs against a bundle older than its sources');
    }
    const after = bundleState(ROOT);
    if (after !== 'fresh') throw new Error(`dist/ is still ${after} after a build`);
  }
  const scratch = mkdtempSync(join(scratchRoot(), 'rectify-tests-'));
  // As /tmp is: a test runs the program as another user in a folder it made for that user.
  chmodSync(scratch, 0o1777);
  const tmpBefore = process.env.TMPDIR;
  process.env.TMPDIR = scratch;
  const templates = mkdtempSync(join(scratch, 'rectify-templates-'));
  project.provide('templates', templates);
  // Inside the project, so that its packages resolve from node_modules as the CLI's do; the
  // bundled seed is found as from dist/.
  const cache = join(ROOT, 'node_modules', '.cache');
  mkdirSync(cache, { recursive: true });
  const inproc = mkdtempSync(join(cache, 'rectify-inproc-'));
  const worker = join(inproc, 'inproc-worker.cjs');
  await build({
    absWorkingDir: ROOT,
    entryPoints: ['tests/helpers/inproc-worker.ts'],
    outfile: worker,
    bundle: true,
    platform: 'node',
    target: 'node22',
    format: 'cjs',
    packages: 'external',
    define: { __dirname: JSON.stringify(join(ROOT, 'dist')) },
    logLevel: 'warning',
  });
  project.provide('inprocWorker', worker);
  if (!process.env.RECTIFY_TEST_PG) {
    process.stdout.write('PostgreSQL tests skipped: set RECTIFY_TEST_PG to a server where tests may create databases (.ci/run does)\n');
  }
  return async () => {
    rmSync(scratch, { recursive: true, force: true });
    if (tmpBefore === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = tmpBefore;
    rmSync(inproc, { recursive: true, force: true });
    if (process.env.RECTIFY_TEST_PG) await dropDeadDatabases(process.env.RECTIFY_TEST_PG);
  };
}

/** /dev/shm when it is a RAM file system (tmpfs) with 2 GiB free, else the usual tmpdir(). */
function scratchRoot(): string {
  const TMPFS_MAGIC = 0x01021994;
  try {
    const fs = statfsSync('/dev/shm');
    if (fs.type === TMPFS_MAGIC && fs.bavail * fs.bsize >= 2 * 1024 ** 3) return '/dev/shm';
  } catch {
    // No such folder (not Linux): the disk it is.
  }
  return tmpdir();
}

/** The parent of a process (Linux's /proc), or null. */
function parentOf(pid: number): number | null {
  try {
    return Number(readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /s, '').split(' ')[1]);
  } catch {
    return null;
  }
}

async function dropDeadDatabases(url: string): Promise<void> {
  const { default: postgres } = await import('postgres');
  const sql = postgres(url, { max: 4, onnotice: () => {} });
  // This run's workers (children of this process) are done with theirs; another run's are not.
  const done = (name: string) => {
    const pid = Number(/^rectify_t(\d+)_/.exec(name)![1]);
    return !running(pid) || parentOf(pid) === process.pid;
  };
  try {
    const all = (await sql<{ datname: string }[]>`SELECT datname FROM pg_database WHERE datname ~ '^rectify_t[0-9]+_[a-z0-9]+$'`).map((d) => d.datname);
    const dead = all.filter(done);
    await Promise.all(dead.map((d) => sql.unsafe(`DROP DATABASE IF EXISTS "${d}" WITH (FORCE)`)));
    // Their roles, and those of a database whose file dropped it but not yet its roles when its
    // worker was stopped (helpers/pg.ts drops a file's database while the next file runs).
    const left = new Set(all.filter((d) => !dead.includes(d)));
    const roles = (await sql<{ rolname: string }[]>`SELECT rolname FROM pg_roles WHERE rolname ~ '^rectify_t[0-9]+_[a-z0-9]+_'`)
      .map((r) => r.rolname)
      .filter((r) => done(r) && ![...left].some((d) => r.startsWith(`${d}_`)));
    if (roles.length) await sql.unsafe(`DROP ROLE IF EXISTS ${roles.map((r) => `"${r}"`).join(', ')}`);
  } finally {
    await sql.end({ timeout: 1 });
  }
}
