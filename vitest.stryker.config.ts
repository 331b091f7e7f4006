// The tests StrykerJS runs against each mutant (stryker.config.json): those that run src/ in
// this process. The end-to-end tests run the built bundle, which a mutant of src/ does not
// reach, so they are left out (they would only slow the run).
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // STRYKER_TESTS=a.test.ts,b.test.ts narrows a time-boxed run to the tests that cover
    // the files it mutates.
    include: process.env.STRYKER_TESTS?.split(',') ?? ['tests/unit/**/*.test.ts', 'tests/store/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 60_000,
    pool: 'forks',
    maxWorkers: 1,
    setupFiles: ['tests/helpers/catalogues.ts'],
  },
});
