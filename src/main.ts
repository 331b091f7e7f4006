import { fstatSync, writeSync } from 'node:fs';
import { run } from './cli.js';

const pause = new Int32Array(new SharedArrayBuffer(4));

/** Standard output or error. A pipe, socket or file is written with writeSync: no stream to
 *  build (building one costs a short command milliseconds), nothing left buffered at exit,
 *  and a reader that leaves (`rectify list | head -1`) only ends the output. A terminal, or
 *  anything else, gets Node's own stream. */
function standardStream(fd: 1 | 2): NodeJS.WriteStream {
  let direct = false;
  try {
    const st = fstatSync(fd);
    // A character device that is not a terminal (/dev/null, /dev/full) too: written directly,
    // its errors (ENOSPC on /dev/full) reach the command as they happen.
    direct = st.isFIFO() || st.isFile() || st.isSocket() || (st.isCharacterDevice() && !(require('node:tty') as typeof import('node:tty')).isatty(fd));
  } catch {
    direct = false;
  }
  if (!direct) {
    const stream = fd === 1 ? process.stdout : process.stderr;
    // EPIPE on a closed pipe is the reader leaving, not a failure.
    // Any other failure of a terminal's stream is not a bug of ours: say so once, exit 1.
    stream.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
      process.exitCode = 1;
    });
    return stream;
  }
  let closed = false;
  const write = (chunk: string | Uint8Array): boolean => {
    if (closed) return true;
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
    for (let done = 0; done < bytes.length; ) {
      try {
        done += writeSync(fd, bytes, done);
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        if (code === 'EAGAIN') Atomics.wait(pause, 0, 0, 1); // a non-blocking pipe is full: wait for the reader
        // The reader has gone (`rectify export | head`): nothing more to say, so stop here
        // rather than read the rest of the ledger for nobody. A writing command prints only
        // after its commit, so stopping never cuts a change short.
        else if (code === 'EPIPE' && fd === 1) process.exit(process.exitCode ?? 0);
        else if (code === 'EPIPE') return (closed = true);
        else throw e;
      }
    }
    return true;
  };
  return { isTTY: false, write } as unknown as NodeJS.WriteStream;
}

run(process.argv.slice(2), process.env, {
  stdout: standardStream(1),
  stderr: standardStream(2),
  // isatty(0), not process.stdin.isTTY (which builds a stream nobody reads), and only when a
  // command may prompt: the tty module is not free to load.
  stdinIsTTY: () => (require('node:tty') as typeof import('node:tty')).isatty(0),
}).then((code) => {
  process.exitCode = code;
});
