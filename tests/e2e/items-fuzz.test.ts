// The item commands with fuzzed arguments, in process (the dispatcher's run(), as the
// binary calls it): every outcome is 0, 2, 3 or 4 with one message, never 1 or a stack,
// a refused command changes nothing, and data never reaches the output with its controls.
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIXTURES, rectify as rectifyBin, tempDir } from '../helpers/cli.js';
import { runInProcess } from '../helpers/inproc.js';

const rectify = (argv: string[]) => runInProcess(argv, '2024-05-01');

let t: { dir: string; cleanup: () => void };
let db: string;
beforeAll(() => {
  t = tempDir();
  db = join(t.dir, 'fuzz.db');
  expect(rectifyBin(['init', join(FIXTURES, 'items', 'filters.yaml'), '--db', db]).code).toBe(0);
});
afterAll(() => t.cleanup());

const nasty = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 30 }),
  fc.string({ unit: 'grapheme', maxLength: 12 }),
  fc.constantFrom('', ' ', '-', '--', '-m', '--due', '--status', '--measure', '--addresses', '--evidence', '--sort',
    '--since', '--json', '--all', '--overdue', '2024-02-30', '2024-06-30', '101', '100', '-5', '５０％', '50%',
    'M1.1', 'm1.1,M2.1', 'M1.1，M9.9', 'M1', 'P1.1', 'A2', 'M2.2', '\u001b[2J\u001b]0;pwned\u0007', '整改', '🙂',
    '推进中', '已销号', 'verified', 'done', 'NaN', '1e3', '\u0000', '\u202e'),
  fc.constant('x'.repeat(50_000)),
);
const names = ['list', 'ls', 'show', 'add', 'assign', 'progress', 'done', 'verify', 'reopen', 'log', 'undo'];

describe('the item commands under fuzzed arguments', () => {
  it('never end in exit 1 or a stack trace, and refused commands change nothing', async () => {
    const snapshot = async () => (await rectify(['export', '--format', 'json', '--db', db])).stdout;
    let state = await snapshot();
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...names), fc.array(nasty, { maxLength: 5 }), async (name, args) => {
        const r = await rectify([name, ...args, '--db', db]);
        expect([0, 2, 3, 4], r.stderr).toContain(r.code);
        expect(r.stderr).not.toMatch(/\n\s+at /);
        expect(r.stdout + r.stderr).not.toMatch(/\u001b\]0;pwned/);
        if (r.code !== 0) {
          expect(r.stderr).toMatch(/^rectify: .+\n(hint: .+\n)?$/);
          expect(await snapshot()).toBe(state);
        } else {
          state = await snapshot();
        }
      }),
      { numRuns: Number(process.env.FUZZ_RUNS ?? 150), seed: 20240501 },
    );
  }, 180_000);
});
