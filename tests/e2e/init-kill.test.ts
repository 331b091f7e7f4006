// A killed init leaves its hidden temporary file behind (SIGKILL gives no time to clean up:
// 40 MB after a killed 100,000-item init); the next init or copy in that folder removes those
// of processes that no longer run (issue 20). The kill needs a real process; the next init
// runs in this process.
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BIN, BUNDLED_SEED, baseEnv, tempDir } from '../helpers/cli.js';
import { runInProcess } from '../helpers/inproc.js';

const cleanups: (() => void)[] = [];
afterAll(() => cleanups.forEach((c) => c()));

/** A seed of `n` items in one measure: enough for init to take a second or more. */
function bigSeed(n: number): string {
  const items = Array.from({ length: n }, (_, k) => `      - id: M1.${k + 1}\n        title: 整改事项${k + 1}\n        addresses: [P1.1]\n`).join('');
  return `version: 1\nreport:\n  title: 大台账\nareas:\n  - id: A1\n    name: 方面\n    problems:\n      - id: P1.1\n        title: 问题\nmeasures:\n  - id: M1\n    title: 措施\n    items:\n${items}`;
}

const pendingFiles = (dir: string) => readdirSync(dir).filter((f) => /\.init(?:-wal|-shm|-journal)?$/.test(f));

describe('a killed init', () => {
  it('leaves a temporary file that the next init in the folder removes, and no one else’s', async () => {
    const t = tempDir();
    cleanups.push(t.cleanup);
    writeFileSync(join(t.dir, 'big.yaml'), bigSeed(5_000));
    const child = spawn(process.execPath, [BIN, 'init', 'big.yaml'], { cwd: t.dir, env: baseEnv(), stdio: 'ignore' });
    const exited = new Promise<NodeJS.Signals | null>((r) => child.on('exit', (_code, signal) => r(signal)));
    // Killed as soon as its temporary ledger is there.
    const deadline = Date.now() + 30_000;
    while (pendingFiles(t.dir).length === 0 && Date.now() < deadline && child.exitCode === null) await new Promise((r) => setTimeout(r, 2));
    child.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');
    const left = pendingFiles(t.dir);
    expect(left.length).toBeGreaterThan(0);
    expect(existsSync(join(t.dir, 'rectify.db'))).toBe(false);
    // A ledger being made right now by a live process (this one's id) is not touched.
    const live = `.other.db.${process.pid}.abc.init`;
    writeFileSync(join(t.dir, live), '');
    const r = await runInProcess(['init', BUNDLED_SEED, '--db', join(t.dir, 'rectify.db')], '2026-12-06');
    expect(r.code, r.stderr).toBe(0);
    expect(pendingFiles(t.dir)).toEqual([live]);
  }, 60_000);
});
