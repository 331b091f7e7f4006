// Bundles the CLI into one CommonJS file: measured here, a bundled CLI starts in about
// 1.4x the time of `node -e 0`, the same code as plain ESM imports in about 1.9x.
// better-sqlite3 stays external (native addon); so do the libraries only some commands
// need (yaml, @inquirer/prompts, the PostgreSQL driver, exceljs, docx, mammoth, jieba), so that
// commands which never touch them never parse them.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { lazyChildProcess } from './lazy-builtins.mjs';

await build({
  entryPoints: ['src/main.ts'],
  outfile: 'dist/rectify.cjs',
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  // Node 20 has RegExp's v flag; left as a literal, string-width's emoji pattern is compiled
  // on first use instead of at load (esbuild would rewrite it as new RegExp(): ~20% of a
  // short command's run).
  supported: { 'regexp-set-notation': true },
  external: ['better-sqlite3', 'yaml', '@inquirer/prompts', 'postgres', 'pg', 'exceljs', 'docx', 'mammoth', '@node-rs/jieba'],
  plugins: [lazyChildProcess],
  minifyWhitespace: true,
  minifySyntax: true,
  legalComments: 'none',
  logLevel: 'warning',
});

// The code cache bin/rectify.js starts from: made by one `status` on a throwaway ledger of
// the bundled report, so that it holds what a short command compiles (on Node 20 its first
// line is the bundle's SHA-256, which bin/rectify.js checks; Node 22 keeps its own cache).
rmSync('dist/rectify.cjs.cache', { force: true });
rmSync('dist/.compile-cache', { recursive: true, force: true });
const dir = mkdtempSync(join(tmpdir(), 'rectify-build-'));
try {
  const env = { ...process.env, RECTIFY_DB: join(dir, 'warm.db'), LANG: 'C', NO_COLOR: '1' };
  execFileSync(process.execPath, ['bin/rectify.js', 'init'], { env: { ...env, RECTIFY_NO_CODE_CACHE: '1' }, stdio: 'ignore' });
  execFileSync(process.execPath, ['bin/rectify.js', 'status'], { env, stdio: 'ignore' });
} finally {
  rmSync(dir, { recursive: true, force: true });
}
