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
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import type { TestProject } from 'vitest/node';
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
  const templates = mkdtempSync(join(tmpdir(), 'rectify-templates-'));
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
  return () => {
    rmSync(templates, { recursive: true, force: true });
    rmSync(inproc, { recursive: true, force: true });
  };
}
