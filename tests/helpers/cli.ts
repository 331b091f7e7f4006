// Runs the CLI as a user does, in a temporary folder, with a controlled environment. Every
// end-to-end test goes through here.
//
// `rectify(args)` runs the CLI's own `run` (src/cli.ts, what main.ts calls) in a worker thread
// of this test process, kept for the file, and waits for it: the same command line, folder,
// environment, output and exit code as a process, without the ~0.2 s a process start costs.
// A real process of the built binary (bin/rectify.js, dist/) is run instead when the test asks
// for one (`{ process: true }`, or `rectifyProcess`) or when only a process can honour what it
// sets: Node's own options, another time zone, the lock wait or code cache read at start-up,
// the test hooks of RECTIFY_TEST_*, input on stdin. `rectifyAsync` is always a process:
// it is for several writers at once. RECTIFY_TEST_PROCESS=1 runs every command as a process.
import { spawnSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createSyncFn } from 'synckit';
import { afterEach, inject } from 'vitest';
import type { InprocCall } from './inproc-worker.js';
import { onlyFixesClock } from './clock.js';
import { ledgerCopy } from './ledger.js';

export const ROOT = resolve(__dirname, '..', '..');
export const BIN = join(ROOT, 'bin', 'rectify.js');
export const BUNDLED_SEED = join(ROOT, 'data', 'seed.yaml');
export const FIXTURES = join(ROOT, 'tests', 'fixtures');

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  cwd?: string;
  env?: Record<string, string | undefined>;
  input?: string;
  /** A real process of the built binary, even where the worker thread would do. */
  process?: boolean;
}

/** The time zone of every run: set in this process before its worker thread starts (a worker
 *  cannot change it), and given to every process. */
const TZ = 'Asia/Shanghai';

/** A clean environment: English, no colour settings, a fixed actor, no inherited ledger. */
export function baseEnv(extra: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    LANG: 'en_US.UTF-8',
    RECTIFY_USER: 'tester',
    TZ,
  };
  for (const [k, v] of Object.entries(extra)) {
    if (v === undefined) delete env[k];
    else env[k] = v;
  }
  return env;
}

let inproc: ((call: InprocCall) => RunResult) | undefined;

/** Whether this run needs a process: see the head of this file. */
function needsProcess(opts: RunOptions): boolean {
  if (opts.process || opts.input || process.env.RECTIFY_TEST_PROCESS === '1') return true;
  // The test clock's preload and its time are honoured in the worker too (inproc-worker.ts).
  const clockOnly = onlyFixesClock(opts.env?.NODE_OPTIONS);
  return Object.entries(opts.env ?? {}).some(
    ([k, v]) =>
      (k === 'NODE_OPTIONS' && !clockOnly) || (k.startsWith('RECTIFY_TEST_') && !(k === 'RECTIFY_TEST_NOW' && clockOnly)) ||
      k === 'RECTIFY_LOCK_WAIT_MS' || k === 'RECTIFY_NO_CODE_CACHE' || (k === 'TZ' && v !== TZ),
  );
}

export function rectify(args: string[], opts: RunOptions = {}): RunResult {
  if (needsProcess(opts)) return rectifyProcess(args, opts);
  // The process's time zone is the commands' (one for all its threads): set at every call, since
  // a worker runs file after file and helpers/each-file.ts puts TZ back after each.
  if (process.env.TZ !== TZ) process.env.TZ = TZ;
  if (!inproc) {
    inproc = createSyncFn<(call: InprocCall) => Promise<RunResult>>(inject('inprocWorker'), { timeout: 120_000 });
  }
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(baseEnv(opts.env))) if (v !== undefined) env[k] = v;
  return inproc({ args, env, cwd: opts.cwd ?? process.cwd(), isTTY: false });
}

/** The built binary in a process of its own. */
export function rectifyProcess(args: string[], opts: RunOptions = {}): RunResult {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    cwd: opts.cwd,
    env: baseEnv(opts.env),
    input: opts.input ?? '',
    encoding: 'utf8',
    timeout: 60_000,
  });
  if (r.error) throw r.error;
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

/** The same, without blocking the test process: for several writers at once. */
export function rectifyAsync(args: string[], opts: RunOptions = {}): Promise<RunResult> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: opts.cwd, env: baseEnv(opts.env) });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolvePromise({ code: code ?? -1, stdout, stderr }));
    child.stdin.end(opts.input ?? '');
  });
}

/** A fresh temporary folder, removed by the returned cleanup. */
export function tempDir(prefix = 'rectify-'): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A maker of temporary folders that are removed after each test of the calling file. */
export function tempDirsPerTest(): () => string {
  let cleanups: (() => void)[] = [];
  afterEach(() => {
    cleanups.forEach((c) => c());
    cleanups = [];
  });
  return () => {
    const t = tempDir();
    cleanups.push(t.cleanup);
    return t.dir;
  };
}

/** A temporary folder holding the ledger `init SEED` makes (the bundled seed when none is
 *  given): a copy of the run's template ledger (helpers/ledger.ts), not an `init` each time. */
export function withLedger(seed?: string): { dir: string; cleanup: () => void; run: (args: string[], opts?: RunOptions) => RunResult } {
  const t = ledgerCopy(seed);
  return { ...t, run: (args, opts = {}) => rectify(args, { cwd: t.dir, ...opts }) };
}
