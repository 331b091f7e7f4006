// vitest globalSetup, run once before any test file:
// 1. The end-to-end tests run the built bundle (dist/rectify.cjs), so a run must never test
//    yesterday's bundle: when dist/ was not built from the sources as they are now, it is
//    rebuilt here (scripts/build.mjs), and a build that fails stops the run. `npx vitest run
//    FILE` is as safe as `npm test`. See bundle.ts for how "built from these sources" is told.
// 2. A folder for the template ledgers of helpers/ledger.ts, shared by every worker and
//    removed at the end.
// 3. One line when the PostgreSQL suite is left out (RECTIFY_TEST_PG unset).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { ROOT, bundleState, stampBundle } from './bundle.js';

declare module 'vitest' {
  export interface ProvidedContext {
    templates: string;
  }
}

export default function setup(project: TestProject): () => void {
  const state = bundleState(ROOT);
  if (state !== 'fresh') {
    process.stdout.write(`dist/ ${state}: building it before the tests run\n`);
    try {
      execFileSync(process.execPath, [join(ROOT, 'scripts', 'build.mjs')], { cwd: ROOT, stdio: 'inherit' });
    } catch {
      throw new Error('the build failed: no test runs against a bundle older than its sources');
    }
    stampBundle(ROOT);
    const after = bundleState(ROOT);
    if (after !== 'fresh') throw new Error(`dist/ is still ${after} after a build`);
  }
  const templates = mkdtempSync(join(tmpdir(), 'rectify-templates-'));
  project.provide('templates', templates);
  if (!process.env.RECTIFY_TEST_PG) {
    process.stdout.write('PostgreSQL tests skipped: set RECTIFY_TEST_PG to a server where tests may create databases (.ci/run does)\n');
  }
  return () => rmSync(templates, { recursive: true, force: true });
}
