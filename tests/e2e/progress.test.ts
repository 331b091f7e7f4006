// The progress bar of long work (issue 20): drawn on standard error when it is a terminal
// (tests/helpers/ptydrive.py), never in a pipe. RECTIFY_TEST_PROGRESS_MS=0 draws from the first
// update, so a small generated ledger is enough.
import { execFileSync, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, ROOT, baseEnv, rectify, tempDir } from '../helpers/cli.js';

const DRIVER = join(ROOT, 'tests', 'helpers', 'ptydrive.py');
const N = 300;
const BAR = /Creating the ledger [█░]+ 100 % [\d,]+\/[\d,]+/;

interface Session { code: number; transcript: string; raw: string; error: string | null }

function onTerminal(cwd: string, args: string[], env: Record<string, string> = {}): Session {
  const r = spawnSync('python3', [DRIVER, JSON.stringify([{ expect: 'Created' }]), '--', process.execPath, BIN, ...args], {
    cwd, env: baseEnv({ TERM: 'xterm-256color', RECTIFY_TEST_PROGRESS_MS: '0', ...env }), encoding: 'utf8', timeout: 60_000,
  });
  if (r.status !== 0) throw new Error(`the pty driver failed: ${r.stderr}`);
  return JSON.parse(r.stdout) as Session;
}

let tmp: ReturnType<typeof tempDir>;
let seed: string;
beforeAll(() => {
  tmp = tempDir('rectify-progress-');
  seed = join(tmp.dir, 'seed.jsonl');
  execFileSync(process.execPath, [join(ROOT, 'bench', 'generate.mjs'), String(N), seed], { stdio: 'ignore' });
});
afterAll(() => tmp.cleanup());

describe('the progress bar of init', () => {
  it('is drawn on a terminal, counts the bytes of the seed, and is cleared before the result', () => {
    const s = onTerminal(tmp.dir, ['init', seed, '--db', join(tmp.dir, 'tty.db')]);
    expect(s.error, s.transcript).toBeNull();
    expect(s.code, s.transcript).toBe(0);
    expect(s.transcript).toMatch(BAR);
    // Redrawn in place and erased (carriage return, erase line) before the result line.
    const bar = s.raw.search(/Creating the ledger/);
    const done = s.raw.indexOf('Created ');
    expect(bar).toBeGreaterThan(-1);
    expect(s.raw.slice(bar, done)).toContain('\r\x1b[2K');
    expect(s.raw.slice(done)).not.toContain('Creating the ledger');
  });

  it('has no colour with NO_COLOR, and none in zh words either', () => {
    const s = onTerminal(tmp.dir, ['init', seed, '--db', join(tmp.dir, 'zh.db'), '--lang', 'zh'], { NO_COLOR: '1' });
    expect(s.code, s.transcript).toBe(0);
    const line = s.raw.slice(s.raw.indexOf('正在创建台账'), s.raw.indexOf('已创建'));
    expect(line).toMatch(/正在创建台账 [█░]+ 100 %/);
    expect(line).not.toMatch(/\x1b\[[0-9;]*m/);
  });

  it('writes nothing to standard error in a pipe, with the same first-update drawing', () => {
    const r = rectify(['init', seed, '--db', join(tmp.dir, 'pipe.db')], { cwd: tmp.dir, env: { RECTIFY_TEST_PROGRESS_MS: '0' } });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('Created ');
    expect(r.stderr).toBe('');
  });
});
