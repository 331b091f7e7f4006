// The worker thread behind helpers/cli.ts `rectify()`: the CLI's own `run` (src/cli.ts, as
// main.ts calls it), loaded once per test file and called once per command, its output caught.
// Bundled from the sources by global-setup.ts before any test runs (inprocBundle there), so it
// is the code in front of you, like dist/.
import { runAsWorker } from 'synckit';
import { run } from '../../src/cli.js';
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
  const code = await run(args, env, { stdout: out.stream, stderr: err.stream, stdinIsTTY: () => false, cwd });
  return { code, stdout: out.text(), stderr: err.text() };
});
