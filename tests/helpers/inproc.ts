// Runs the CLI's dispatcher in this process, as the binary does, with its output caught:
// for fuzzing hundreds of cases without paying for a process each.
import { Writable } from 'node:stream';
import { run } from '../../src/cli.js';
import type { RunResult } from './cli.js';

/** A stream that keeps what is written to it (bytes, decoded once at the end: a character
 *  split between two writes stays whole). */
export function sink(isTTY = false): { stream: NodeJS.WriteStream; text: () => string } {
  const chunks: Buffer[] = [];
  const w = new Writable({
    write(chunk, _enc, cb) {
      chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
      cb();
    },
  });
  return { stream: Object.assign(w, { isTTY }) as unknown as NodeJS.WriteStream, text: () => Buffer.concat(chunks).toString('utf8') };
}

export async function runInProcess(argv: string[], today: string): Promise<RunResult> {
  const out = sink();
  const err = sink();
  const env = { LANG: 'en_US.UTF-8', RECTIFY_USER: 'fuzz', RECTIFY_TODAY: today };
  const code = await run(argv, env, { stdout: out.stream, stderr: err.stream, stdinIsTTY: () => false });
  return { code, stdout: out.text(), stderr: err.text() };
}
