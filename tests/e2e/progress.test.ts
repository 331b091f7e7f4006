// The progress bar of long work (issue 20): drawn on standard error when it is a terminal
// (tests/helpers/ptydrive.py), never in a pipe. RECTIFY_TEST_PROGRESS_MS=0 draws from the first
// update, so a small generated ledger is enough.
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, ROOT, baseEnv, rectify, tempDir } from '../helpers/cli.js';

const DRIVER = join(ROOT, 'tests', 'helpers', 'ptydrive.py');
const N = 300;
const BAR = /Creating the ledger [█░]+ 100 % [\d,]+\/[\d,]+/;

interface Session { code: number; transcript: string; raw: string; error: string | null }

function onTerminal(cwd: string, args: string[], env: Record<string, string> = {}, expect = 'Created'): Session {
  const r = spawnSync('python3', [DRIVER, JSON.stringify([{ expect }]), '--', process.execPath, BIN, ...args], {
    cwd, env: baseEnv({ TERM: 'xterm-256color', RECTIFY_TEST_PROGRESS_MS: '0', ...env }), encoding: 'utf8', timeout: 60_000,
  });
  if (r.status !== 0) throw new Error(`the pty driver failed: ${r.stderr}`);
  return JSON.parse(r.stdout) as Session;
}

/** The percents a bar drew, in order, from a terminal's text (colour codes removed). */
function percents(raw: string, label: string): number[] {
  return [...raw.matchAll(new RegExp(`${label} [█░]+ +(\\d+) %`, 'g'))].map((m) => Number(m[1]));
}

/** A bar that moved: drawn more than once, never backwards, somewhere strictly between 0 and 100. */
function expectMoved(seen: number[], transcript: string): void {
  expect(seen.length, transcript).toBeGreaterThan(1);
  expect(seen, transcript).toEqual([...seen].sort((a, b) => a - b));
  expect(seen.some((p) => p > 0 && p < 100), transcript).toBe(true);
}

let tmp: ReturnType<typeof tempDir>;
let seed: string;
let yaml: string;
beforeAll(() => {
  tmp = tempDir('rectify-progress-');
  seed = join(tmp.dir, 'seed.jsonl');
  yaml = join(tmp.dir, 'seed.yaml');
  execFileSync(process.execPath, [join(ROOT, 'bench', 'generate.mjs'), String(N), seed], { stdio: 'ignore' });
  execFileSync(process.execPath, [join(ROOT, 'bench', 'generate.mjs'), String(N), yaml], { stdio: 'ignore' });
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

// Issue 20's review: a YAML seed, a YAML export and report -o docx/xlsx/html are made at once,
// not a record at a time; their bars follow the steps of the work (percent only).
describe('the bars of work done at once', () => {
  let db: string;
  let bundled: string;
  beforeAll(() => {
    db = join(tmp.dir, 'steps.db');
    bundled = join(tmp.dir, 'bundled.db');
    for (const args of [['init', seed, '--db', db], ['init', '--db', bundled]]) {
      const r = rectify(args, { cwd: tmp.dir });
      expect(r.code, r.stderr).toBe(0);
    }
  });

  it('init of a YAML seed draws a bar that moves through the reading, and no count', () => {
    const s = onTerminal(tmp.dir, ['init', yaml, '--db', join(tmp.dir, 'yaml.db')]);
    expect(s.code, s.transcript).toBe(0);
    expectMoved(percents(s.transcript, 'Creating the ledger'), s.transcript);
    expect(s.transcript).not.toMatch(/Creating the ledger [█░]+ +\d+ % \d/);
    expect(s.raw.slice(s.raw.indexOf('Created '))).not.toContain('Creating the ledger');
  });

  it('import of a YAML seed draws one in zh', () => {
    const s = onTerminal(tmp.dir, ['import', yaml, '--db', db, '--force', '--lang', 'zh'], {}, '合计');
    expect(s.code, s.transcript).toBe(0);
    expectMoved(percents(s.transcript, '正在读取种子文件'), s.transcript);
  });

  it('export as YAML draws one, and prints the same seed as in a pipe', () => {
    const s = onTerminal(tmp.dir, ['export', '--db', db], {}, 'measures:');
    expect(s.code, s.transcript).toBe(0);
    expect(percents(s.transcript, 'Exporting').length, s.transcript).toBeGreaterThan(1);
    const piped = rectify(['export', '--db', db], { cwd: tmp.dir });
    expect(piped.stderr).toBe('');
    // The terminal's copy: CR LF as LF, the bar's line erased before the YAML.
    const shown = s.raw.replace(/\r\n/g, '\n').replace(/\r\x1b\[2K(?:Exporting [^\n\r]*?(?=\r|$))?/g, '');
    expect(shown).toBe(piped.stdout);
  });

  for (const format of ['docx', 'xlsx', 'html'] as const) {
    it(`report -o ${format} draws one, and writes the same file as in a pipe`, () => {
      const tty = join(tmp.dir, `tty.${format}`);
      // The bundled report: its steps are drawn at their starts and ends (delay 0).
      const s = onTerminal(tmp.dir, ['report', '--db', bundled, '-o', tty], {}, 'Wrote');
      expect(s.code, s.transcript).toBe(0);
      const seen = percents(s.transcript, 'Writing the report');
      expectMoved(seen, s.transcript);
      expect(s.raw.slice(s.raw.indexOf('Wrote'))).not.toContain('Writing the report');
      const pipe = join(tmp.dir, `pipe.${format}`);
      const r = rectify(['report', '--db', bundled, '-o', pipe], { cwd: tmp.dir, env: { RECTIFY_TEST_PROGRESS_MS: '0' } });
      expect(r.code, r.stderr).toBe(0);
      expect(r.stderr).not.toContain('Writing the report');
      expect(readFileSync(tty).equals(readFileSync(pipe))).toBe(true);
    });
  }
});
