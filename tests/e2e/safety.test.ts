// "Never lose the ledger" (issue 14): output paths that must not be written over, an init
// that is killed, output that cannot be written, damaged and read-only ledgers, text from
// outside that must not reach the terminal raw, a ledger planted by another user.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import {
  chmodSync, chownSync, copyFileSync, existsSync, lstatSync, mkdirSync, openSync, readFileSync, readdirSync, readlinkSync, statSync,
  symlinkSync, writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { sqliteModule } from '../../src/store/sqlite/driver.js';

const { DatabaseSync: Database } = sqliteModule();
import { describe, expect, it } from 'vitest';
import { BIN, baseEnv, rectify, tempDirsPerTest } from '../helpers/cli.js';

const dir = tempDirsPerTest();
const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
const APPLICATION_ID = 0x52454354;

/** A folder with a ledger of the bundled report and one recorded change. */
function ledger(): string {
  const cwd = dir();
  expect(rectify(['init'], { cwd }).code).toBe(0);
  expect(rectify(['progress', 'M1.1', '40', '-m', 'important'], { cwd }).code).toBe(0);
  return cwd;
}

function oneLine(stderr: string): void {
  expect(stderr).toMatch(/^rectify: [^\n]+\n(hint: [^\n]+\n)?$/);
  expect(stderr).not.toMatch(/at .*\(|this is a bug/);
}

function stillWhole(cwd: string): void {
  const r = rectify(['show', 'M1.1', '--json'], { cwd });
  expect(r.code).toBe(0);
  expect(JSON.parse(r.stdout).history.at(-1).note).toBe('important');
}

describe('report -o never writes over a ledger or what is not a regular file', () => {
  it('refuses the ledger itself, its companions, through .., a link, another case, and any SQLite file', () => {
    const cwd = ledger();
    mkdirSync(join(cwd, 'sub'));
    symlinkSync('rectify.db', join(cwd, 'link.db'));
    copyFileSync(join(cwd, 'rectify.db'), join(cwd, 'other.db'));
    for (const target of ['rectify.db', 'rectify.db-wal', 'rectify.db-shm', 'rectify.db-journal', 'sub/../rectify.db', 'link.db', 'RECTIFY.DB-wal', 'other.db', 'other.db-journal']) {
      const before = existsSync(join(cwd, target)) ? readFileSync(join(cwd, target)) : null;
      const r = rectify(['report', '-o', target], { cwd });
      expect(r.code, target).toBe(2);
      oneLine(r.stderr);
      expect(r.stderr).toMatch(/ledger|database/);
      if (before) expect(readFileSync(join(cwd, target)).equals(before), target).toBe(true);
    }
    stillWhole(cwd);
    expect(lstatSync(join(cwd, 'link.db')).isSymbolicLink()).toBe(true);
  });

  it('writes into a FIFO for its reader, through a link to its target, and says when a device is full', async () => {
    const cwd = ledger();
    const expected = rectify(['report'], { cwd }).stdout;
    execFileSync('mkfifo', [join(cwd, 'pipe')]);
    const reader = spawn('cat', [join(cwd, 'pipe')]);
    let got = '';
    reader.stdout.setEncoding('utf8').on('data', (d: string) => (got += d));
    const done = new Promise((r) => reader.on('close', r));
    const r = rectify(['report', '-o', 'pipe'], { cwd });
    await done;
    expect(r.code).toBe(0);
    expect(got).toBe(expected);
    expect(statSync(join(cwd, 'pipe')).isFIFO()).toBe(true);

    writeFileSync(join(cwd, 'target.txt'), 'old');
    symlinkSync('target.txt', join(cwd, 'link.txt'));
    expect(rectify(['report', '-o', 'link.txt'], { cwd }).code).toBe(0);
    expect(readlinkSync(join(cwd, 'link.txt'))).toBe('target.txt');
    expect(readFileSync(join(cwd, 'target.txt'), 'utf8')).toBe(expected);

    symlinkSync('nowhere.txt', join(cwd, 'dangling.txt'));
    expect(rectify(['report', '-o', 'dangling.txt'], { cwd }).code).toBe(2);
    expect(existsSync(join(cwd, 'nowhere.txt'))).toBe(false);

    const full = rectify(['report', '-o', '/dev/full'], { cwd });
    expect(full.code).toBe(1);
    oneLine(full.stderr);
    expect(full.stderr).toContain('ENOSPC');
    expect(statSync('/dev/full').isCharacterDevice()).toBe(true);
    expect(rectify(['report', '-o', '/dev/null'], { cwd }).code).toBe(0);
    expect(statSync('/dev/null').isCharacterDevice()).toBe(true);
  });
});

describe('output that cannot be written', () => {
  it('is one line saying the change was saved, and the change is recorded once', () => {
    const cwd = ledger();
    const r = spawnSync(process.execPath, [BIN, 'done', 'M3.1', '--evidence', 'scan.pdf'], {
      cwd, env: baseEnv(), stdio: ['ignore', openSync('/dev/full', 'w'), 'pipe'], encoding: 'utf8',
    });
    expect(r.status).toBe(1);
    oneLine(r.stderr);
    expect(r.stderr).toMatch(/saved/);
    const show = JSON.parse(rectify(['show', 'M3.1', '--json'], { cwd }).stdout);
    expect(show.status).toBe('done');
    expect(show.evidence).toEqual(['scan.pdf']);
  });

  it('on standard error does not change the exit code', () => {
    const cwd = ledger();
    const r = spawnSync(process.execPath, [BIN, 'show', 'NOPE'], { cwd, env: baseEnv(), stdio: ['ignore', 'pipe', openSync('/dev/full', 'w')] });
    expect(r.status).toBe(3);
  });
});


describe('a killed init', () => {
  it('never leaves a ledger that pretends to be one, and init works again after it (15 kills)', async () => {
    const cwd = dir();
    const db = join(cwd, 'rectify.db');
    for (let n = 0; n < 15; n++) {
      const child = spawn(process.execPath, [BIN, 'init'], { cwd, env: baseEnv(), stdio: 'ignore' });
      const exited = new Promise((r) => child.on('exit', r));
      // Anywhere from start-up to the end of the work: a spread of moments.
      await new Promise((r) => setTimeout(r, 20 + ((n * 61) % 250)));
      child.kill(n % 3 === 0 ? 'SIGKILL' : n % 3 === 1 ? 'SIGTERM' : 'SIGINT');
      await exited;
      if (existsSync(db)) {
        // Whatever is there is a whole ledger: it answers status like one.
        const status = rectify(['status', '--json'], { cwd });
        expect(status.code, status.stderr).toBe(0);
        expect(JSON.parse(status.stdout).items.total).toBe(12);
        expect(rectify(['init'], { cwd }).code).toBe(4);
        execFileSync('rm', ['-f', db]);
      }
      const again = rectify(['init'], { cwd });
      expect(again.code, again.stderr).toBe(0);
      execFileSync('rm', ['-f', db]);
      // Only SIGKILL may leave its temporary file; nothing else is left beside the ledger.
      for (const f of readdirSync(cwd)) expect(f, f).toMatch(/^\.rectify\.db\.\d+\.\w+\.init(-wal|-shm|-journal)?$/);
    }
  }, 120_000);

  it('refuses a file without a report as incomplete, and init refuses what is not a ledger with exit 2', () => {
    const cwd = dir();
    const half = new Database(join(cwd, 'half.db'));
    half.exec(`PRAGMA application_id = ${APPLICATION_ID}`);
    half.exec('PRAGMA user_version = 1');
    half.exec(`CREATE TABLE report (x); CREATE TABLE counters (x); CREATE TABLE areas (x); CREATE TABLE problems (x);
      CREATE TABLE causes (x); CREATE TABLE measures (x); CREATE TABLE items (x); CREATE TABLE item_problems (x);
      CREATE TABLE history (x); CREATE TABLE evidence (x)`);
    half.close();
    const r = rectify(['status', '--db', 'half.db'], { cwd });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/not a complete ledger[^\n]*\nhint: [^\n]*delete it/);

    writeFileSync(join(cwd, 'notes.db'), 'my notes');
    symlinkSync('nowhere', join(cwd, 'dangling.db'));
    for (const target of ['notes.db', 'dangling.db']) {
      const i = rectify(['init', '--db', target], { cwd });
      expect(i.code, target).toBe(2);
      expect(i.stderr).toMatch(/not a rectify ledger/);
    }
    expect(readFileSync(join(cwd, 'notes.db'), 'utf8')).toBe('my notes');
    const folder = rectify(['init', '--db', 'newdir/'], { cwd });
    expect(folder.code).toBe(2);
    expect(existsSync(join(cwd, 'newdir'))).toBe(false);
  });
});

describe('damaged ledgers and files that are none', () => {
  it('say "damaged" or "not a rectify ledger" with exit 2, never "bug"', () => {
    const cwd = ledger();
    for (const version of [0, -1]) {
      const file = join(cwd, `v${version}.db`);
      copyFileSync(join(cwd, 'rectify.db'), file);
      const d = new Database(file);
      d.exec(`PRAGMA user_version = ${version}`);
      d.close();
      const r = rectify(['status', '--db', file], { cwd });
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/damaged/);
    }
    execFileSync('mkfifo', [join(cwd, 'fifo')]);
    for (const target of ['fifo', '/dev/zero']) {
      const r = rectify(['status', '--db', target], { cwd });
      expect(r.code, target).toBe(2);
      expect(r.stderr).toMatch(/is not a rectify ledger/);
    }
  });
});

describe.skipIf(!isRoot)('a ledger this process may not write (as root: a read-only bind mount)', () => {
  it('serves every view and refuses a change in one line, exit 4, leaving no file behind', () => {
    const cwd = ledger();
    const src = join(cwd, 'src');
    const mnt = join(cwd, 'mnt');
    mkdirSync(src);
    mkdirSync(mnt);
    expect(rectify(['init', '--db', join(src, 'rectify.db')], { cwd }).code).toBe(0);
    execFileSync('mount', ['--bind', src, mnt]);
    try {
      execFileSync('mount', ['-o', 'remount,ro,bind', mnt]);
      const db = join(mnt, 'rectify.db');
      for (const view of [['status'], ['list'], ['show', 'M1.1'], ['report'], ['export'], ['log']]) {
        const r = rectify([...view, '--db', db], { cwd });
        expect(r.code, `${view.join(' ')}: ${r.stderr}`).toBe(0);
      }
      const w = rectify(['progress', 'M1.1', '50', '--db', db], { cwd });
      expect(w.code).toBe(4);
      oneLine(w.stderr);
      expect(w.stderr).toMatch(/read-only/);
      expect(readdirSync(src)).toEqual(['rectify.db']);
    } finally {
      execFileSync('umount', [mnt]);
    }
  });
});

describe.skipIf(!isRoot)('a ledger of the version before its id, that this process may not write', () => {
  it('is read as it is: every view and the overview, with no upgrade', () => {
    const cwd = ledger();
    const src = join(cwd, 'src');
    const mnt = join(cwd, 'mnt');
    mkdirSync(src);
    mkdirSync(mnt);
    const file = join(src, 'rectify.db');
    expect(rectify(['init', '--db', file], { cwd }).code).toBe(0);
    const before = rectify(['export', '--format', 'json', '--db', file], { cwd }).stdout;
    // As version 5 made it: no ledger table (opened writable, it would be upgraded).
    const db = new Database(file);
    db.exec('DROP TABLE ledger; PRAGMA user_version = 5');
    db.close();
    execFileSync('mount', ['--bind', src, mnt]);
    try {
      execFileSync('mount', ['-o', 'remount,ro,bind', mnt]);
      const ro = join(mnt, 'rectify.db');
      for (const view of [['status'], ['list'], ['show', 'M1.1'], ['report'], ['log'], ['overview', ro, join(cwd, 'rectify.db')]]) {
        const r = rectify([...view, '--db', ro], { cwd });
        expect(r.code, `${view.join(' ')}: ${r.stderr}`).toBe(0);
      }
      expect(rectify(['export', '--format', 'json', '--db', ro], { cwd }).stdout).toBe(before);
    } finally {
      execFileSync('umount', [mnt]);
    }
    const still = new Database(file, { readOnly: true });
    expect(still.prepare('PRAGMA user_version').get()).toEqual({ user_version: 5 });
    still.close();
  });
});

describe('text from outside never reaches the terminal raw', () => {
  it('escapes control codes from the environment, options and folder names in messages', () => {
    const cwd = dir();
    const evil = join(cwd, 'd\u001b]0;PWNED\u0007');
    mkdirSync(evil);
    const cases = [
      rectify(['status'], { cwd: evil }),
      rectify(['status'], { cwd, env: { RECTIFY_TODAY: '2026\u001b[31m' } }),
      rectify(['status', '--lang', 'x\u001b[31m'], { cwd }),
      rectify(['status', '--x\u001b[31m'], { cwd }),
      rectify(['st\u001b[31m'], { cwd }),
      rectify(['status', '--db', 'x\u001b[31m.db'], { cwd }),
    ];
    const withLedger = ledger();
    cases.push(rectify(['report', '--format', 'x\u001b[31m'], { cwd: withLedger }));
    for (const r of cases) {
      expect(r.code).not.toBe(0);
      expect(r.stderr).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f]/);
      expect(r.stderr).toMatch(/\\x1b/);
    }
  });
});

describe.skipIf(!isRoot)('a ledger planted by another user', () => {
  it('is refused when found by walking up, and used when named', () => {
    const cwd = ledger();
    chownSync(join(cwd, 'rectify.db'), 65534, 65534);
    chmodSync(join(cwd, 'rectify.db'), 0o666);
    mkdirSync(join(cwd, 'sub'));
    const r = rectify(['status'], { cwd: join(cwd, 'sub') });
    expect(r.code).toBe(4);
    expect(r.stderr).toMatch(/belongs to another user[^\n]*\nhint: [^\n]*--db/);
    expect(rectify(['status', '--db', join(cwd, 'rectify.db')], { cwd: join(cwd, 'sub') }).code).toBe(0);
  });

  it('stops only what would open it: draft and the completion script run, and no id is offered from it', () => {
    const cwd = ledger();
    chownSync(join(cwd, 'rectify.db'), 65534, 65534);
    chmodSync(join(cwd, 'rectify.db'), 0o666);
    const sub = join(cwd, 'sub');
    mkdirSync(sub);
    copyFileSync(join(import.meta.dirname, '..', 'fixtures', 'draft', '000_d323877fa63bd839.txt'), join(sub, 'report.txt'));
    const d = rectify(['draft', 'report.txt', '-o', 'seed.yaml'], { cwd: sub });
    expect(d.code, d.stderr).toBe(0);
    expect(existsSync(join(sub, 'seed.yaml'))).toBe(true);
    const c = rectify(['completion', 'bash'], { cwd: sub });
    expect({ code: c.code, script: /complete .*-F _rectify rectify/.test(c.stdout) }).toEqual({ code: 0, script: true });
    expect(rectify(['completion', 'ids', 'item', 'M'], { cwd: sub })).toMatchObject({ code: 0, stdout: '' });
  });
});

describe.skipIf(!isRoot)('a full disk (as root: a small tmpfs filled up)', () => {
  it('still serves views, and a change says the disk is full in one line, exit 1', () => {
    const cwd = dir();
    const mnt = join(cwd, 'small');
    mkdirSync(mnt);
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', mnt]);
    try {
      const db = join(mnt, 'rectify.db');
      expect(rectify(['init', '--db', db], { cwd }).code).toBe(0);
      spawnSync('dd', ['if=/dev/zero', `of=${join(mnt, 'filler')}`, 'bs=4k'], { stdio: 'ignore' });
      const before = readFileSync(db);
      const view = rectify(['status', '--db', db], { cwd });
      expect(view.code, view.stderr).toBe(0);
      const w = rectify(['progress', 'M1.1', '50', '-m', 'x'.repeat(5000), '--db', db], { cwd });
      expect(w.code).toBe(1);
      oneLine(w.stderr);
      expect(w.stderr).toMatch(/disk[^\n]* is full/);
      expect(readFileSync(db).equals(before)).toBe(true);
    } finally {
      execFileSync('umount', [mnt]);
    }
  });
});
