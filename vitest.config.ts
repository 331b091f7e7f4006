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
    // Builds dist/ when it is not the bundle of the sources as they are (helpers/bundle.ts),
    // and holds the template ledgers (helpers/ledger.ts).
    globalSetup: ['tests/helpers/global-setup.ts'],
    setupFiles: ['tests/helpers/catalogues.ts'],
  },
});
