// Input fuzz of every command's arguments, in process (the dispatcher's run(), as the
// binary calls it) so that hundreds of cases stay fast: random strings, huge strings,
// control characters, Chinese and emoji. Every outcome is 0, 2, 3 or 4 with a message;
// never 1, never a stack trace, and a refused command changes nothing.
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commands } from '../../src/commands/index.js';
import { tempDir } from '../helpers/cli.js';
import { runInProcess } from '../helpers/inproc.js';

const rectify = (argv: string[]) => runInProcess(argv, '2026-11-26');

let t: { dir: string; cleanup: () => void };
let db: string;
const home = process.cwd();
beforeAll(async () => {
  t = tempDir();
  // `report -o ARG` writes where it stands: stand in the temporary folder.
  process.chdir(t.dir);
  db = join(t.dir, 'fuzz.db');
  expect((await rectify(['init', '--db', db])).code).toBe(0);
});
afterAll(() => {
  process.chdir(home);
  t.cleanup();
});

const nasty = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 20 }),
  fc.constantFrom('', ' ', '-', '--', '-m', '--due', '2024-02-30', '101', '-5', '５０％', 'M1.1', 'm1.1,M2.1', 'M1.1，M9.9',
    'P1.1', '\u001b[2J\u001b]0;pwned\u0007', '整改', '🙂', '推进中', '已销号', 'NaN', '1e3', '0x10', '\u0000', '\u202e'),
  fc.constant('x'.repeat(100_000)),
  fc.constant('整'.repeat(20_000)),
);
const names = commands.filter((c) => c.name !== 'init').flatMap((c) => [c.name, ...(c.aliases ?? [])]);

describe('fuzzed arguments', () => {
  it('never end in exit 1 or a stack trace, and refused commands change nothing', async () => {
    const before = (await rectify(['export', '--format', 'json', '--db', db])).stdout;
    let state = before;
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...names), fc.array(nasty, { maxLength: 5 }), async (name, args) => {
        const r = await rectify([name, ...args, '--db', db]);
        expect([0, 2, 3, 4]).toContain(r.code);
        expect(r.stderr).not.toMatch(/\n\s+at /);
        if (r.code !== 0) {
          expect(r.stderr).toMatch(/^(.*\n)*rectify: .+/);
          const now = (await rectify(['export', '--format', 'json', '--db', db])).stdout;
          expect(now).toBe(state);
        } else {
          state = (await rectify(['export', '--format', 'json', '--db', db])).stdout;
        }
        // Data never reaches the terminal with its control characters.
        expect(r.stdout + r.stderr).not.toMatch(/\u001b\]0;pwned/);
      }),
      { numRuns: Number(process.env.FUZZ_RUNS ?? 200), seed: 20261126 },
    );
  }, 120_000);
});
