// The worker thread behind helpers/cli.ts `rectify()`: the CLI's own `run` (src/cli.ts, as
// main.ts calls it), loaded once per test file and called once per command, its output caught.
// Bundled from the sources by global-setup.ts before any test runs (inprocBundle there), so it
// is the code in front of you, like dist/.
import { Writable } from 'node:stream';
import { runAsWorker } from 'synckit';
import { run } from '../../src/cli.js';

export interface InprocCall {
  args: string[];
  env: Record<string, string>;
  cwd: string;
  isTTY: boolean;
}

function sink(isTTY: boolean): { stream: NodeJS.WriteStream; text: () => string } {
  const chunks: Buffer[] = [];
  const w = new Writable({
    write(chunk, _enc, cb) {
      chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
      cb();
    },
  });
  return { stream: Object.assign(w, { isTTY }) as unknown as NodeJS.WriteStream, text: () => Buffer.concat(chunks).toString('utf8') };
}

runAsWorker(async ({ args, env, cwd, isTTY }: InprocCall) => {
  const out = sink(isTTY);
  const err = sink(false);
  const code = await run(args, env, { stdout: out.stream, stderr: err.stream, stdinIsTTY: () => false, cwd });
  return { code, stdout: out.text(), stderr: err.text() };
});
