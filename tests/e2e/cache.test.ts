// Start-up: bin/rectify.js runs the bundle with Node's own compile cache (dist/.compile-cache),
// written only where the user may write, never a reason to fail, never the source of stale
// code; and a command loads the chunks and libraries it uses, no others (traced with a module
// hook that records every file Node loads). Each cache test runs a copy of bin/ and dist/
// (node_modules and data/ linked) so that it may edit and lock its own bundle.
import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUNDLED_SEED, ROOT, baseEnv, tempDir, tempDirsPerTest } from '../helpers/cli.js';
import { HAS_PG, freshLedgerUrl } from '../helpers/pg.js';

const dir = tempDirsPerTest();
/** Whether another user can reach the project's node_modules (every folder above it
 *  searchable by others): a clone in a private folder (mktemp -d) cannot run as nobody. */
function reachableByOthers(path: string): boolean {
  for (let d = path; ; d = dirname(d)) {
    if ((statSync(d).mode & 0o001) === 0) return false;
    if (dirname(d) === d) return true;
  }
}

/** A copy of the installed program: bin/ and dist/ copied (no compile cache), node_modules and
 *  data linked. */
function install(): string {
  const root = dir();
  chmodSync(root, 0o755);
  for (const sub of ['bin', 'dist']) {
    mkdirSync(join(root, sub));
    for (const f of readdirSync(join(ROOT, sub))) {
      if (f === '.compile-cache') continue;
      copyFileSync(join(ROOT, sub, f), join(root, sub, f));
    }
  }
  copyFileSync(join(ROOT, 'package.json'), join(root, 'package.json'));
  symlinkSync(join(ROOT, 'node_modules'), join(root, 'node_modules'));
  symlinkSync(join(ROOT, 'data'), join(root, 'data'));
  return root;
}

function run(root: string, args: string[], opts: { uid?: number; env?: Record<string, string> } = {}) {
  const r = spawnSync(process.execPath, [join(root, 'bin', 'rectify.js'), ...args], {
    cwd: root, env: baseEnv({ HOME: root, ...opts.env }), encoding: 'utf8', uid: opts.uid, gid: opts.uid,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** The files of the compile cache (in its folder per Node release). */
function cacheEntries(root: string): string[] {
  const cache = join(root, 'dist', '.compile-cache');
  if (!existsSync(cache)) return [];
  return readdirSync(cache).flatMap((release) => readdirSync(join(cache, release)).map((f) => join(cache, release, f)));
}

/** What Node says of its compile cache (NODE_DEBUG_NATIVE=COMPILE_CACHE) for one file. */
const cacheSays = (stderr: string, file: string) =>
  stderr.split('\n').filter((l) => l.startsWith('[compile cache]') && l.includes(`/dist/${file}`));

// `--version` alone is answered by bin/rectify.js without the bundle; with another option it
// goes through the bundle (commander), which says the same.
const VERSION = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;
const BUNDLED_VERSION = ['--no-color', '--version'];

describe('the compile cache', () => {
  it('is filled by a first run and read by the next', () => {
    const root = install();
    expect(cacheEntries(root)).toEqual([]);
    expect(run(root, BUNDLED_VERSION)).toEqual({ code: 0, stdout: `${VERSION}\n`, stderr: '' });
    const entries = cacheEntries(root);
    expect(entries.length).toBeGreaterThanOrEqual(1);
    expect(dirname(entries[0]!)).toMatch(new RegExp(`${process.version}-`));
    const r = run(root, BUNDLED_VERSION, { env: { NODE_DEBUG_NATIVE: 'COMPILE_CACHE' } });
    expect(r.stdout).toBe(`${VERSION}\n`);
    expect(cacheSays(r.stderr, 'rectify.cjs').join('\n')).toMatch(/was accepted/);
  });

  it('runs the new code after the bundle is edited in place to the same length', () => {
    const root = install();
    const bundle = join(root, 'dist', 'rectify.cjs');
    expect(run(root, BUNDLED_VERSION).stdout).toBe(`${VERSION}\n`);
    expect(run(root, BUNDLED_VERSION).stdout).toBe(`${VERSION}\n`);
    const text = readFileSync(bundle, 'utf8');
    expect(text.split(`"${VERSION}"`)).toHaveLength(2);
    writeFileSync(bundle, text.replace(`"${VERSION}"`, '"9.9.9"'));
    expect(readFileSync(bundle).length).toBe(Buffer.byteLength(text));
    const r = run(root, BUNDLED_VERSION, { env: { NODE_DEBUG_NATIVE: 'COMPILE_CACHE' } });
    expect(r.stdout).toBe('9.9.9\n');
    // Node saw the entry made from the old bytes and did not use it.
    expect(cacheSays(r.stderr, 'rectify.cjs').join('\n')).not.toMatch(/was accepted/);
    expect(run(root, BUNDLED_VERSION).stdout).toBe('9.9.9\n');
  });

  it('runs from a damaged cache', () => {
    const root = install();
    expect(run(root, BUNDLED_VERSION).code).toBe(0);
    const entries = cacheEntries(root);
    expect(entries.length).toBeGreaterThan(0);
    entries.forEach((f, i) => writeFileSync(f, i % 2 ? Buffer.alloc(0) : Buffer.alloc(5000, 7)));
    expect(run(root, BUNDLED_VERSION)).toEqual({ code: 0, stdout: `${VERSION}\n`, stderr: '' });
    expect(run(root, ['help']).code).toBe(0);
  });

  it('is not used with RECTIFY_NO_CODE_CACHE=1', () => {
    const root = install();
    expect(run(root, BUNDLED_VERSION, { env: { RECTIFY_NO_CODE_CACHE: '1' } }).stdout).toBe(`${VERSION}\n`);
    expect(existsSync(join(root, 'dist', '.compile-cache'))).toBe(false);
  });

  it.skipIf(process.getuid?.() !== 0 || !reachableByOthers(ROOT) || !reachableByOthers(process.execPath))('writes nothing where the user may not write, and still runs (as another user; root, in a clone and with a Node others can reach)', () => {
    const root = install();
    chmodSync(join(root, 'dist'), 0o755);
    const before = readdirSync(join(root, 'dist')).sort();
    const work = join(root, 'work');
    mkdirSync(work);
    chmodSync(work, 0o777);
    const nobody = 65534;
    const r = run(root, ['--db', join(work, 'l.db'), 'init'], { uid: nobody });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const s = run(root, ['--db', join(work, 'l.db'), 'status'], { uid: nobody });
    expect(s.stderr).toBe('');
    expect(s.code).toBe(0);
    expect(s.stdout).toMatch(/12 items/);
    expect(existsSync(join(root, 'dist', '.compile-cache'))).toBe(false);
    expect(readdirSync(join(root, 'dist')).sort()).toEqual(before);
  });
});

/** Sources of the PostgreSQL store (its address parser aside: it tells a file from a server). */
const serverStore = (sources: string[]) => sources.filter((s) => s.startsWith('src/store/postgres/') && s !== 'src/store/postgres/address.ts');

// The bundle is one file in which each module of the project is initialised when first
// imported (esbuild names that function by the module's source path); V8's coverage says which
// of those functions ran. A module hook, preloaded, records every file Node loads (packages).
describe('what a command loads', () => {
  let bundle: string;
  let ledger: string;
  let hook: string;
  let work: string;
  beforeAll(() => {
    bundle = readFileSync(join(ROOT, 'dist', 'rectify.cjs'), 'utf8');
    const t = tempDir();
    afterAll(t.cleanup);
    work = t.dir;
    ledger = join(work, 'l.db');
    hook = join(work, 'trace.mjs');
    writeFileSync(hook, [
      "import { registerHooks } from 'node:module';",
      "import { appendFileSync } from 'node:fs';",
      'registerHooks({ load(url, context, next) { appendFileSync(process.env.TRACE_FILE, url + "\\n"); return next(url, context); } });',
    ].join('\n'));
    const r = spawnSync(process.execPath, [join(ROOT, 'bin', 'rectify.js'), 'init', BUNDLED_SEED, '--db', ledger], { env: baseEnv(), encoding: 'utf8' });
    expect(r.status).toBe(0);
  });

  /** The project's modules a command initialised, the packages, files of dist/ and Node's own
   *  modules it loaded. */
  function trace(args: string[], env: Record<string, string> = {}) {
    const run = mkdtempSync(join(work, 'run-'));
    const file = join(run, 'trace.txt');
    const r = spawnSync(process.execPath, ['--import', hook, join(ROOT, 'bin', 'rectify.js'), ...args], {
      env: baseEnv({ TRACE_FILE: file, NODE_V8_COVERAGE: join(run, 'coverage'), RECTIFY_NO_CODE_CACHE: '1', ...env }),
      encoding: 'utf8',
    });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const urls = readFileSync(file, 'utf8').split('\n');
    const paths = urls.filter((u) => u.startsWith('file:')).map((u) => fileURLToPath(u));
    const builtins = [...new Set(urls.filter((u) => u.startsWith('node:')))].sort();
    const dist = paths.filter((p) => p.startsWith(join(ROOT, 'dist'))).map((p) => p.slice(join(ROOT, 'dist').length + 1)).sort();
    const packages = [...new Set(paths.flatMap((p) => /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(p)?.[1] ?? []))].sort();
    type Coverage = { result: { url: string; functions: { functionName: string; ranges: { count: number }[] }[] }[] };
    const sources = new Set<string>();
    for (const f of readdirSync(join(run, 'coverage'))) {
      const cov = JSON.parse(readFileSync(join(run, 'coverage', f), 'utf8')) as Coverage;
      for (const script of cov.result) {
        if (!script.url.endsWith('/dist/rectify.cjs')) continue;
        for (const fn of script.functions) if (/^src\/.*\.ts$/.test(fn.functionName) && fn.ranges[0]!.count > 0) sources.add(fn.functionName);
      }
    }
    return { sources: [...sources].sort(), packages, builtins, dist };
  }

  /** The module is one the bundle initialises on demand (not run with the bundle itself). */
  const onDemand = (source: string) => expect(bundle, source).toContain(`"${source}"()`);

  it('status on a file: its command, the file store, English; no server driver, no other language, no Office library', () => {
    const { sources, packages, dist } = trace(['status', '--db', ledger]);
    expect(dist).toEqual(['rectify.cjs']);
    expect(sources).toContain('src/commands/status.ts');
    expect(sources).toContain('src/store/sqlite/store.ts');
    expect(sources).toContain('src/i18n/en.ts');
    // No package outside the bundle at all: SQLite is Node's own.
    expect(packages).toEqual([]);
    for (const s of ['src/store/postgres/store.ts', 'src/i18n/zh.ts', 'src/ui/report-docx.ts', 'src/ui/report-xlsx.ts', 'src/commands/list.ts']) onDemand(s);
    expect(serverStore(sources)).toEqual([]);
    expect(sources.filter((s) => s.startsWith('src/i18n/zh'))).toEqual([]);
    expect(sources.filter((s) => s.startsWith('src/commands/') && !['src/commands/status.ts', 'src/commands/index.ts', 'src/commands/args.ts'].includes(s))).toEqual([]);
    expect(sources.filter((s) => !s.startsWith('src/i18n/') && /report-(docx|xlsx)|office|draft|seed|jsonl/.test(s))).toEqual([]);
    for (const lib of ['postgres', 'docx', 'exceljs', 'mammoth', 'yaml', '@inquirer/prompts', '@node-rs/jieba']) expect(packages).not.toContain(lib);
  });

  it('in Chinese: the Chinese catalogue, not the English one', () => {
    const { sources } = trace(['list', '--db', ledger], { LANG: 'zh_CN.UTF-8' });
    onDemand('src/i18n/en.ts');
    expect(sources).toContain('src/i18n/zh.ts');
    expect(sources.filter((s) => s.startsWith('src/i18n/en'))).toEqual([]);
    expect(serverStore(sources)).toEqual([]);
  });

  it('--version alone: package.json read, not the bundle; with another option the bundle says the same', () => {
    const alone = trace(['--version']);
    expect(alone.dist).toEqual([]);
    expect(alone.packages).toEqual([]);
    for (const argv of [['--version'], ['-V'], BUNDLED_VERSION]) {
      const r = spawnSync(process.execPath, [join(ROOT, 'bin', 'rectify.js'), ...argv], { env: baseEnv(), encoding: 'utf8' });
      expect({ argv, code: r.status, stdout: r.stdout, stderr: r.stderr }).toEqual({ argv, code: 0, stdout: `${VERSION}\n`, stderr: '' });
    }
    const bundled = trace(BUNDLED_VERSION);
    expect(bundled.dist).toEqual(['rectify.cjs']);
    expect(bundled.sources.filter((s) => s.startsWith('src/store/') || /^src\/commands\/(?!index)/.test(s))).toEqual([]);
  });

  it.skipIf(!HAS_PG)('status on a server: the driver, without TLS, crypto or SQLite', async () => {
    const url = await freshLedgerUrl();
    const copied = spawnSync(process.execPath, [join(ROOT, 'bin', 'rectify.js'), 'copy', ledger, url], { env: baseEnv(), encoding: 'utf8' });
    expect(copied.stderr).toBe('');
    const { sources, packages, builtins, dist } = trace(['status', '--db', url]);
    expect(dist).toEqual(['postgres.cjs', 'rectify.cjs']);
    expect(sources).toContain('src/store/postgres/store.ts');
    expect(builtins).toContain('node:net');
    for (const b of ['node:tls', 'node:crypto', 'node:perf_hooks']) expect(builtins).not.toContain(b);
    for (const s of ['src/store/sqlite/store.ts', 'src/store/sqlite/open.ts']) expect(sources).not.toContain(s);
    expect(packages).toEqual([]);
  });
});
