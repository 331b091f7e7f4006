// Template ledgers: `init` from a given seed runs once per test run, in whichever worker first
// asks; every other test that needs that ledger gets a copy of the file (a millisecond,
// against a process start and a whole seed load for each `init`). Use it wherever the test
// is about what happens to a ledger, not about `init` itself:
//
//   const dir = ledgerCopy(SEED);             // a temporary folder holding rectify.db
//   const { dir, run } = withLedger(SEED);     // the same, with a runner (helpers/cli.ts)
//
// A copy is exactly the ledger `init` made (its history, its times, the actor `tester`);
// tests that check what `init` writes, prints or refuses still run `init` themselves.
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join, resolve } from 'node:path';
import { inject } from 'vitest';
import { rectify, tempDir } from './cli.js';

const made = new Map<string, string>();

/** The template ledger file of `init SEED` (the bundled seed when none is given). */
export function templateLedger(seed?: string): string {
  const key = createHash('sha256')
    .update(seed ? `${resolve(seed)}\0${readFileSync(seed, 'utf8')}` : 'bundled')
    .digest('hex')
    .slice(0, 16);
  const known = made.get(key);
  if (known) return known;
  const root = inject('templates');
  const file = join(root, key, 'rectify.db');
  if (!existsSync(file)) {
    // Made aside, then renamed into place: a worker never sees half a template, and when
    // two make one at once the second rename fails and its copy goes.
    mkdirSync(root, { recursive: true });
    const work = mkdtempSync(join(root, 'making-'));
    const init = rectify(seed ? ['init', seed] : ['init'], { cwd: work });
    if (init.code !== 0) throw new Error(`init failed: ${init.stderr}`);
    try {
      renameSync(work, join(root, key));
    } catch {
      rmSync(work, { recursive: true, force: true });
    }
  }
  made.set(key, file);
  return file;
}

/** Copies the template ledger of `init SEED` into dir as rectify.db (or as name). */
export function copyLedgerInto(dir: string, seed?: string, name = 'rectify.db'): string {
  const to = join(dir, name);
  copyFileSync(templateLedger(seed), to);
  return to;
}

/** A fresh temporary folder holding a copy of the ledger `init SEED` makes. */
export function ledgerCopy(seed?: string): { dir: string; cleanup: () => void } {
  const t = tempDir();
  copyLedgerInto(t.dir, seed);
  return t;
}
