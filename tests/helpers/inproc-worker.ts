// The worker thread behind helpers/cli.ts `rectify()`: the CLI's own `run` (src/cli.ts, as
// main.ts calls it), loaded once per test file and called once per command, its output caught.
// Bundled from the sources by global-setup.ts before any test runs (inprocBundle there), so it
// is the code in front of you, like dist/.
import { runAsWorker } from 'synckit';
import { run } from '../../src/cli.js';
import { fixDate } from '../fixtures/views/fake-now.cjs';
import { onlyFixesClock } from './clock.js';
import { sink } from './inproc.js';

export interface InprocCall {
  args: string[];
  env: Record<string, string>;
  cwd: string;
  isTTY: boolean;
}

runAsWorker(async ({ args, env, cwd, isTTY }: InprocCall) => {
  const out = sink(isTTY);
  const err = sink(false);
  // The clock fixed for this command, as the preload fixes a process's (helpers/cli.ts).
  const realClock = onlyFixesClock(env.NODE_OPTIONS) && env.RECTIFY_TEST_NOW ? fixDate(env.RECTIFY_TEST_NOW) : undefined;
  try {
    const code = await run(args, env, { stdout: out.stream, stderr: err.stream, stdinIsTTY: () => false, cwd });
    return { code, stdout: out.text(), stderr: err.text() };
  } finally {
    realClock?.();
  }
});
