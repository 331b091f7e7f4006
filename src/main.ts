import { run } from './cli.js';

// EPIPE on a closed pipe (`rectify list | head -1`) is the reader leaving, not a failure.
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw e;
});

run(process.argv.slice(2), process.env, {
  stdout: process.stdout,
  stderr: process.stderr,
  stdinIsTTY: Boolean(process.stdin.isTTY),
}).then((code) => {
  process.exitCode = code;
});
