// On a Node older than 22.16 (package.json "engines") rectify says so in one line and a hint,
// in the user's language, with exit 1, before it loads anything: such a Node has no
// node:sqlite, or not what rectify uses of it. An older Node is played by the one running the
// tests, with process.versions saying 20.20.2 or 22.15.1; a real one is tried too where the
// machine has it (Debian 12's /usr/bin/node is 18 or 20).
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN, BUNDLED_SEED, baseEnv } from '../helpers/cli.js';
import { atFileEnd } from '../helpers/file-hooks.js';

const asOld = (lang: string, node = '20.20.2') => spawnSync(process.execPath, ['-e',
  `Object.defineProperty(process, 'versions', { value: { ...process.versions, node: ${JSON.stringify(node)} } });
   process.argv = [process.argv[0], ${JSON.stringify(BIN)}, 'status'];
   require(${JSON.stringify(BIN)});`], { env: baseEnv({ LANG: lang }), encoding: 'utf8' });

describe('a Node older than 22.16', () => {
  it('is told in one line and a hint, exit 1, in English and in Chinese', () => {
    const en = asOld('en_US.UTF-8');
    expect(en.status).toBe(1);
    expect(en.stdout).toBe('');
    expect(en.stderr).toBe('rectify: needs Node.js 22.16 or later; this is Node.js 20.20.2\nhint: install Node.js 22 or 24 (README, "Set up")\n');
    const zh = asOld('zh_CN.UTF-8');
    expect(zh.status).toBe(1);
    expect(zh.stderr.split('\n')[0]).toBe('rectify: 需要 Node.js 22.16 或更高版本，当前为 20.20.2');
  });

  it('a Node 22 before 22.16 too', () => {
    const r = asOld('en_US.UTF-8', '22.15.1');
    expect(r.status).toBe(1);
    expect(r.stderr.split('\n')[0]).toBe('rectify: needs Node.js 22.16 or later; this is Node.js 22.15.1');
  });

  const old = '/usr/bin/node';
  const oldMajor = existsSync(old) ? Number(execFileSync(old, ['-p', 'process.versions.node.split(".")[0]'], { encoding: 'utf8' })) : 99;
  it.runIf(oldMajor < 22)(`is told so by ${old} itself (Node ${oldMajor}), never a crash`, () => {
    const r = spawnSync(old, [BIN, 'status'], { env: baseEnv(), encoding: 'utf8' });
    expect(r.signal).toBeNull();
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^rectify: needs Node\.js 22\.16 or later; this is Node\.js \d+\./);
  });
});

// A ledger file is Node's own node:sqlite, which Node 22 calls experimental in a warning on
// stderr at its first load: rectify's users are not told that (Node 24 says nothing).
describe('node:sqlite on this Node', () => {
  it('a file ledger is made, read and imported into with nothing on stderr', () => {
    const dir = mkdtempSync(join(tmpdir(), 'rectify-release-'));
    atFileEnd(() => rmSync(dir, { recursive: true, force: true }));
    // import also sets a V8 flag of its own (--heap-growing-percent): a Node whose V8 did not
    // know it would say so on stderr.
    for (const argv of [['init', '--db', join(dir, 'r.db')], ['status', '--db', join(dir, 'r.db')], ['import', BUNDLED_SEED, '--db', join(dir, 'r.db')]]) {
      const r = spawnSync(process.execPath, [BIN, ...argv], { env: baseEnv(), encoding: 'utf8' });
      expect(r.stderr).toBe('');
      expect(r.status).toBe(0);
    }
  });
});
