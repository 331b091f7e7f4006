#!/usr/bin/env node
// Adds a realistic history to a ledger (see history-entry.ts): bundles the entry with
// esbuild, the way the CLI itself is built, and runs it.
//   node bench/history.mjs bench/out/ledger-1000.db
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';

const ROOT = resolve(import.meta.dirname, '..');
const out = join(ROOT, 'bench', 'out', 'history-run.mjs');
mkdirSync(join(ROOT, 'bench', 'out'), { recursive: true });
await build({
  entryPoints: [join(ROOT, 'bench', 'history-entry.ts')],
  outfile: out,
  bundle: true,
  platform: 'node',
  target: 'node22',
  format: 'esm',
  external: ['yaml', '@inquirer/prompts', 'postgres'],
  logLevel: 'warning',
});
execFileSync(process.execPath, [out, ...process.argv.slice(2)], { stdio: 'inherit' });
