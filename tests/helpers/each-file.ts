// Run by vitest before every test file (setupFiles), in the worker that runs it: with
// isolate: false a worker runs many files, so what one file leaves behind is cleared here.
// - the cleanups helpers registered (file-hooks.ts): server databases and roles, stores;
// - the process's state a file may change: the language, TZ, the folder, fake timers and spies.
import { afterAll, afterEach, vi } from 'vitest';
import { setLang } from '../../src/i18n/index.js';
import { runFileEnd, runTestEnd } from './file-hooks.js';

const first = globalThis as { rectifyWorkerStart?: { tz: string | undefined; cwd: string } };
first.rectifyWorkerStart ??= { tz: process.env.TZ, cwd: process.cwd() };
const start = first.rectifyWorkerStart;

afterEach(async () => {
  await runTestEnd();
});

afterAll(async () => {
  vi.useRealTimers();
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
  vi.unstubAllGlobals();
  await runFileEnd();
  // As the next file would find them in a worker of its own.
  setLang('en');
  if (start.tz === undefined) delete process.env.TZ;
  else process.env.TZ = start.tz;
  process.chdir(start.cwd);
}, 120_000);
