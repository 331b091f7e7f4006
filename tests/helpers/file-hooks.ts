// The suite runs its files without isolation (vitest.config.ts, isolate: false): a worker
// process runs file after file, and a helper module is evaluated once per worker, not once per
// file, so a hook it registered at its top level would run for the first file only. Helpers
// register their cleanups here instead; tests/helpers/each-file.ts, a setup file that vitest
// runs before every file, calls them after each test and at the end of each file, the last
// registered first (a helper that uses another is cleaned up before it).
const fileEnd: (() => unknown)[] = [];
const testEnd: (() => unknown)[] = [];

/** `fn` runs at the end of every test file (after the file's own afterAll hooks). */
export function atFileEnd(fn: () => unknown): void {
  fileEnd.push(fn);
}

/** `fn` runs after every test (after the file's own afterEach hooks). */
export function atTestEnd(fn: () => unknown): void {
  testEnd.push(fn);
}

export async function runFileEnd(): Promise<void> {
  for (const fn of [...fileEnd].reverse()) await fn();
}

export async function runTestEnd(): Promise<void> {
  for (const fn of [...testEnd].reverse()) await fn();
}
