// The start-up code cache of bin/rectify.js: keyed on the bundle's content, written only where
// the user may write, never a reason to fail. Each test runs a copy of bin/ and dist/ (with
// node_modules and data/ linked) so that it may edit and lock its own bundle.
import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, baseEnv, tempDirsPerTest } from '../helpers/cli.js';

const dir = tempDirsPerTest();
/** Whether another user can reach the project's node_modules (every folder above it
 *  searchable by others): a clone in a private folder (mktemp -d) cannot run as nobody. */
function reachableByOthers(path: string): boolean {
  for (let d = path; ; d = dirname(d)) {
    if ((statSync(d).mode & 0o001) === 0) return false;
    if (dirname(d) === d) return true;
  }
}

const nodeCache = typeof ((await import('node:module')).default as { enableCompileCache?: unknown }).enableCompileCache === 'function';

/** A copy of the installed program: bin/ and dist/ copied, node_modules and data linked. */
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

describe('the start-up code cache', () => {
  it('runs the new code after the bundle is edited in place to the same length', () => {
    const root = install();
    const bundle = join(root, 'dist', 'rectify.cjs');
    rmSync(join(root, 'dist', 'rectify.cjs.cache'), { force: true });
    expect(run(root, ['--version']).stdout).toBe('0.1.0\n');
    // The cache is there now, made from this bundle (Node 20: its first line is the bundle's digest).
    const key = () => readFileSync(join(root, 'dist', 'rectify.cjs.cache')).toString('latin1').split('\n')[0]!.split(' ')[0];
    const before = nodeCache ? '' : key();
    if (!nodeCache) expect(before).toMatch(/^[0-9a-f]{16}-\d+$/);
    expect(run(root, ['--version']).stdout).toBe('0.1.0\n');

    const text = readFileSync(bundle, 'utf8');
    expect(text.split('"0.1.0"')).toHaveLength(2);
    writeFileSync(bundle, text.replace('"0.1.0"', '"0.1.1"'));
    expect(readFileSync(bundle).length).toBe(Buffer.byteLength(text));
    expect(run(root, ['--version']).stdout).toBe('0.1.1\n');
    expect(run(root, ['--version']).stdout).toBe('0.1.1\n');
    // The cache was made again, under the edited bundle's digest.
    if (!nodeCache) expect(key()).not.toBe(before);
  });

  it('runs from a cache that is not its own, damaged or empty, and writes a good one', () => {
    const root = install();
    const cacheFile = join(root, 'dist', 'rectify.cjs.cache');
    for (const junk of [Buffer.alloc(0), Buffer.from('not a cache'), Buffer.alloc(5000, 7)]) {
      writeFileSync(cacheFile, junk);
      const r = run(root, ['--version']);
      expect(r).toEqual({ code: 0, stdout: '0.1.0\n', stderr: '' });
    }
    if (!nodeCache) expect(readFileSync(cacheFile).length).toBeGreaterThan(1000);
  });

  it.skipIf(process.getuid?.() !== 0 || !reachableByOthers(ROOT))('writes nothing where the user may not write, and still runs (as another user; root, in a clone others can reach)', () => {
    const root = install();
    rmSync(join(root, 'dist', 'rectify.cjs.cache'), { force: true });
    chmodSync(join(root, 'dist'), 0o755);
    const work = join(root, 'work');
    mkdirSync(work);
    chmodSync(work, 0o777);
    const nobody = 65534;
    const r = run(root, ['--db', join(work, 'l.db'), 'init'], { uid: nobody });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(run(root, ['--db', join(work, 'l.db'), 'status'], { uid: nobody }).code).toBe(0);
    expect(existsSync(join(root, 'dist', 'rectify.cjs.cache'))).toBe(false);
    expect(existsSync(join(root, 'dist', '.compile-cache'))).toBe(false);
    expect(readdirSync(join(root, 'dist')).sort()).toEqual(['rectify.cjs']);
  });
});
