// Faults survived: a killed import, several writers at once, an interrupted report -o.
// Deterministic in what they assert; the timing of a kill only decides where it lands.
import { spawn, execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync, statSync, watch, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pragma, sqliteModule } from '../../src/store/sqlite/driver.js';

const { DatabaseSync: Database } = sqliteModule();
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { BIN, FIXTURES, ROOT, baseEnv, rectify, tempDirsPerTest } from '../helpers/cli.js';

const SMALL = join(FIXTURES, 'ledger', 'small.yaml');
const dir = tempDirsPerTest();
const exportJson = (cwd: string) => {
  const r = rectify(['export', '--format', 'json'], { cwd });
  expect(r.code).toBe(0);
  return r.stdout;
};
function integrity(db: string): string {
  const d = new Database(db, { readOnly: true });
  try {
    return String(pragma(d, 'integrity_check'));
  } finally {
    d.close();
  }
}
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('a process killed in the middle of a large import', () => {
  it('leaves the ledger intact and exactly as it was before', async () => {
    const cwd = dir();
    execFileSync(process.execPath, [join(ROOT, 'bench', 'generate.mjs'), '20000', join(cwd, 'big.jsonl')], { stdio: 'ignore' });
    expect(rectify(['init', SMALL], { cwd }).code).toBe(0);
    const before = exportJson(cwd);
    const db = join(cwd, 'rectify.db');
    let killedMidWrite = false;
    // Kill as soon as the import has begun writing (its WAL grows); if a run finishes
    // before that moment is seen, it proves nothing, so try again with the same seed.
    for (let attempt = 0; attempt < 5 && !killedMidWrite; attempt++) {
      const child = spawn(process.execPath, [BIN, 'import', 'big.jsonl', '--force'], { cwd, env: baseEnv(), stdio: 'ignore' });
      const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
      let done = false;
      void exited.then(() => (done = true));
      while (!done) {
        const wal = db + '-wal';
        if (existsSync(wal) && statSync(wal).size > 256 * 1024) {
          child.kill('SIGKILL');
          killedMidWrite = true;
          break;
        }
        await sleep(2);
      }
      const code = await exited;
      if (!killedMidWrite) {
        expect(code).toBe(0); // it finished: start again from the small ledger
        for (const f of readdirSync(cwd).filter((f) => f.startsWith('rectify.db'))) execFileSync('rm', ['-f', join(cwd, f)]);
        expect(rectify(['init', SMALL], { cwd }).code).toBe(0);
      }
    }
    expect(killedMidWrite).toBe(true);
    expect(integrity(db)).toBe('ok');
    const after = exportJson(cwd);
    const strip = (s: string) => JSON.stringify(JSON.parse(s), (k, v) => (k === 'createdAt' || k === 'updatedAt' || k === 'at' ? undefined : v));
    expect(strip(after)).toBe(strip(before));
  }, 120_000);
});

describe('several processes writing to one ledger at once', () => {
  it('records every change once and fails none (4 writers x 50 changes)', async () => {
    const cwd = dir();
    expect(rectify(['init'], { cwd }).code).toBe(0);
    // Each writer is one process running the CLI's code 100 times (see writer-entry.ts).
    const writer = join(cwd, 'writer.cjs');
    await build({
      entryPoints: [join(ROOT, 'tests', 'helpers', 'writer-entry.ts')],
      outfile: writer, bundle: true, platform: 'node', format: 'cjs', target: 'node20',
      packages: 'external', logLevel: 'error',
    });
    const items = ['M1.1', 'M2.1', 'M3.1', 'M4.1'];
    // What is tested is that no change is lost or doubled, not the 10 s a user waits at most
    // for the lock: on a machine shared by many, a writer may wait longer than that.
    const WAIT = '60000';
    const results = await Promise.all(items.map((item, w) => new Promise<{ code: number | null; stderr: string }>((res) => {
      const child = spawn(process.execPath, [writer, String(w), item, '50'], { cwd, env: baseEnv({ RECTIFY_DEBUG: '1', RECTIFY_DB: join(cwd, 'rectify.db'), NODE_PATH: join(ROOT, 'node_modules'), RECTIFY_LOCK_WAIT_MS: WAIT }) });
      let stderr = '';
      child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
      child.on('exit', (code) => res({ code, stderr }));
    })));
    expect(results).toEqual(items.map(() => ({ code: 0, stderr: '' })));
    const log = JSON.parse(rectify(['log', '--json'], { cwd }).stdout) as { by: string; item: string; note: string | null }[];
    for (let w = 0; w < 4; w++) {
      const mine = log.filter((h) => h.by === `w${w}`);
      expect(mine.length).toBe(50);
      expect(new Set(mine.map((h) => h.note)).size).toBe(50);
      expect(new Set(mine.map((h) => h.item))).toEqual(new Set([items[w]]));
    }
    expect(integrity(join(cwd, 'rectify.db'))).toBe('ok');
  }, 120_000);
});

describe('report -o interrupted', () => {
  it('never leaves a half-written report: the file is the old one or the whole new one', async () => {
    const cwd = dir();
    execFileSync(process.execPath, [join(ROOT, 'bench', 'generate.mjs'), '3000', join(cwd, 'mid.yaml')], { stdio: 'ignore' });
    expect(rectify(['init', 'mid.yaml'], { cwd }).code).toBe(0);
    const out = join(cwd, 'report.txt');
    writeFileSync(out, 'the old report\n');
    const whole = rectify(['report'], { cwd, env: { RECTIFY_TODAY: '2026-11-26' } }).stdout;
    expect(whole.length).toBeGreaterThan(100_000);
    // Killed the moment the report's file (or its temporary file) is first touched: that is
    // mid-write. A SIGKILL there leaves the temporary file behind, which shows the kill landed
    // between open and rename; a plain write into report.txt would leave it cut short.
    let midWrite = 0;
    for (let i = 0; i < 12; i++) {
      const child = spawn(process.execPath, [BIN, 'report', '-o', 'report.txt'], { cwd, env: baseEnv({ RECTIFY_TODAY: '2026-11-26' }), stdio: 'ignore' });
      const exited = new Promise((r) => child.on('exit', r));
      const watcher = watch(cwd, (_event, name) => {
        if (name && (name === 'report.txt' || name.startsWith('.report.txt'))) child.kill('SIGKILL');
      });
      await exited;
      watcher.close();
      const now = readFileSync(out, 'utf8');
      expect(now === 'the old report\n' || now === whole).toBe(true);
      const left = readdirSync(cwd).filter((f) => f.startsWith('.report.txt'));
      if (left.length) midWrite++;
      for (const f of left) rmSync(join(cwd, f));
    }
    expect(midWrite).toBeGreaterThan(0);
  }, 120_000);
});
