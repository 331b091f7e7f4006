// The tests never run a stale bundle: dist/ counts as fresh only when it was built from the
// sources as they are now (scripts/sources-digest.mjs, used by the build and the test setup).
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { bundleState, stampBundle } from '../helpers/bundle.js';

describe('dist/ is fresh', () => {
  const root = mkdtempSync(join(tmpdir(), 'rectify-bundle-state-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  for (const d of ['src/store', 'bin', 'scripts', 'dist']) mkdirSync(join(root, d), { recursive: true });
  const put = (path: string, text: string) => writeFileSync(join(root, path), text);
  put('src/store/a.ts', 'export const a = 1;\n');
  put('bin/rectify.js', 'require("../dist/rectify.cjs");\n');
  put('package.json', '{}\n');

  it('only when the bundle was built and recorded from these very sources', () => {
    expect(bundleState(root)).toBe('has no bundle');
    put('dist/rectify.cjs', 'one');
    expect(bundleState(root)).toBe('has no record of the sources it was built from');
    stampBundle(root);
    expect(bundleState(root)).toBe('fresh');
  });

  it('not after a source is edited, added or renamed, nor after the lock file changes', () => {
    put('src/store/a.ts', 'export const a = 2;\n');
    expect(bundleState(root)).toBe('is older than its sources');
    stampBundle(root);
    put('src/store/b.ts', '');
    expect(bundleState(root)).toBe('is older than its sources');
    rmSync(join(root, 'src/store/b.ts'));
    expect(bundleState(root)).toBe('fresh');
    put('package-lock.json', '{}');
    expect(bundleState(root)).toBe('is older than its sources');
    rmSync(join(root, 'package-lock.json'));
    expect(bundleState(root)).toBe('fresh');
  });

  it('not when the bundle was rebuilt since by something else, even from the same sources', () => {
    put('dist/rectify.cjs', 'two');
    expect(bundleState(root)).toBe('holds a bundle built since by something else');
    put('dist/.sources', 'not json');
    expect(bundleState(root)).toBe('has an unreadable stamp');
  });
});
