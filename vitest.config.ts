import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Real processes (signals, kills, pseudo-terminals) need forks. Every core busy: vitest's
    // default leaves one free, which on a 2-core machine ran the files one after another.
    pool: 'forks',
    maxWorkers: Math.max(2, availableParallelism()),
    // A worker process runs file after file without starting afresh: the modules of src/ and
    // of the libraries are loaded once per worker, not once per file, and so is the worker
    // thread of the in-process runner (helpers/cli.ts). What a file leaves behind is cleared
    // by helpers/each-file.ts; helpers register their cleanups in helpers/file-hooks.ts.
    isolate: false,
    // Builds dist/ when it is not the bundle of the sources as they are (helpers/bundle.ts),
    // and holds the template ledgers (helpers/ledger.ts).
    globalSetup: ['tests/helpers/global-setup.ts'],
    setupFiles: ['tests/helpers/catalogues.ts', 'tests/helpers/each-file.ts'],
  },
});
