import { run } from './cli.js';

// EPIPE on a closed pipe (`rectify list | head -1`) is the reader leaving, not a failure.
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw e;
});

run(process.argv.slice(2), process.env, {
  stdout: process.stdout,
  stderr: process.stderr,
  // isatty(0), not process.stdin.isTTY (which builds a stream nobody reads), and only when a
  // command may prompt: the tty module is not free to load.
  stdinIsTTY: () => (require('node:tty') as typeof import('node:tty')).isatty(0),
}).then((code) => {
  process.exitCode = code;
});
