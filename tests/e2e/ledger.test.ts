// The ledger end to end: init, import, export, the ledger lookup and the exit codes,
// run through the built binary in temporary folders.
import { copyFileSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { sqliteModule } from '../../src/store/sqlite/driver.js';

const { DatabaseSync: Database } = sqliteModule();
import { describe, expect, it } from 'vitest';
import { FIXTURES, rectify, tempDirsPerTest } from '../helpers/cli.js';

const SMALL = join(FIXTURES, 'ledger', 'small.yaml');
const dir = tempDirsPerTest();
/** The ledger's whole state without the clock: compare before and after a refused command. */
function state(cwd: string): string {
  const r = rectify(['export', '--format', 'json'], { cwd });
  expect(r.code).toBe(0);
  return r.stdout;
}
const noStack = (s: string) => expect(s).not.toMatch(/\n\s+at /);

describe('rectify init', () => {
  it('creates ./rectify.db from the bundled report, readable by its owner only', () => {
    const cwd = dir();
    const r = rectify(['init'], { cwd, env: { UMASK: undefined } });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('6 areas, 13 problems, 5 measures, 12 items');
    expect(r.stderr).toBe('');
    const mode = statSync(join(cwd, 'rectify.db')).mode & 0o777;
    expect(mode & 0o077).toBe(0);
  });

  it('refuses to overwrite an existing ledger with exit 4 and leaves it unchanged', () => {
    const cwd = dir();
    expect(rectify(['init', SMALL], { cwd }).code).toBe(0);
    const before = readFileSync(join(cwd, 'rectify.db'));
    const r = rectify(['init'], { cwd });
    expect(r.code).toBe(4);
    expect(r.stderr).toMatch(/^rectify: a ledger already exists at rectify\.db\nhint: /);
    expect(readFileSync(join(cwd, 'rectify.db')).equals(before)).toBe(true);
  });

  it('refuses an invalid seed with FILE:LINE:COLUMN lines, exit 2, and leaves no file behind', () => {
    const cwd = dir();
    writeFileSync(join(cwd, 'bad.yaml'), 'version: 2\nreport:\n  title: x\n');
    const r = rectify(['init', 'bad.yaml'], { cwd });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^bad\.yaml:1:\d+: /m);
    expect(r.stderr).toMatch(/^rectify: seed bad\.yaml refused/m);
    noStack(r.stderr);
    expect(existsSync(join(cwd, 'rectify.db'))).toBe(false);
  });

  it('says a missing seed file is not found (exit 3)', () => {
    const cwd = dir();
    const r = rectify(['init', 'nope.yaml'], { cwd });
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('nope.yaml');
    expect(existsSync(join(cwd, 'rectify.db'))).toBe(false);
  });

  it('creates ./rectify.db in the current folder even when a parent folder holds one', () => {
    const cwd = dir();
    expect(rectify(['init', SMALL], { cwd }).code).toBe(0);
    mkdirSync(join(cwd, 'sub'));
    const r = rectify(['init', SMALL], { cwd: join(cwd, 'sub') });
    expect(r.code).toBe(0);
    expect(existsSync(join(cwd, 'sub', 'rectify.db'))).toBe(true);
  });

  it('counts one of a kind in the singular, in init and in draft', () => {
    const cwd = dir();
    const one = 'version: 1\nreport: {title: One}\nareas:\n  - {id: A1, name: a, problems: [{id: P1, title: p}]}\nmeasures:\n  - {id: M1, title: m, items: [{id: M1.1, title: i}]}\n';
    writeFileSync(join(cwd, 'one.yaml'), one);
    const r = rectify(['init', 'one.yaml'], { cwd });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe('Created rectify.db from "One": 1 area, 1 problem, 1 measure, 1 item.\n');
    expect(rectify(['init', 'one.yaml', '--db', 'zh.db', '--lang', 'zh'], { cwd }).stdout).toBe('已创建 zh.db（“One”）：1 个方面、1 个问题、1 项措施、1 项整改事项。\n');
    writeFileSync(join(cwd, 'one.txt'), '一、存在的问题\n（一）理论学习方面\n1. 学习不够深入。\n二、整改措施\n1. 加强学习。\n');
    const d = rectify(['draft', 'one.txt', '-o', 'drafted.yaml'], { cwd });
    expect(d.code, d.stderr).toBe(0);
    expect(d.stderr).toMatch(/^drafted drafted\.yaml: 1 area, 1 problem, 0 causes, 1 measure, 1 item; /);
    expect(rectify(['copy', 'rectify.db', 'copy.db'], { cwd }).stdout).toBe('Copied rectify.db to copy.db: 1 item, history included.\n');
  });

  it('refuses a copy onto a ledger with a hint about copy, not about init', () => {
    const cwd = dir();
    writeFileSync(join(cwd, 'one.yaml'), 'version: 1\nreport: {title: One}\nareas:\n  - {id: A1, name: a, problems: [{id: P1, title: p}]}\nmeasures:\n  - {id: M1, title: m, items: [{id: M1.1, title: i}]}\n');
    expect(rectify(['init', 'one.yaml'], { cwd }).code).toBe(0);
    expect(rectify(['init', 'one.yaml', '--db', 'other.db'], { cwd }).code).toBe(0);
    const r = rectify(['copy', 'rectify.db', 'other.db'], { cwd });
    expect(r.code).toBe(4);
    expect(r.stderr).toBe('rectify: a ledger already exists at other.db\nhint: copy writes only where no ledger is: name a new file, or a schema that holds none\n');
    expect(rectify(['copy', 'rectify.db', 'other.db', '--lang', 'zh'], { cwd }).stderr).toMatch(/\n提示：copy 只写入没有台账的地方：请指定一个新文件，或一个尚无台账的 schema\n$/);
  });

  it('speaks Chinese with --lang zh', () => {
    const cwd = dir();
    const r = rectify(['init', SMALL, '--lang', 'zh'], { cwd });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('已创建 rectify.db');
    const again = rectify(['init', SMALL], { cwd, env: { LANG: 'zh_CN.UTF-8' } });
    expect(again.code).toBe(4);
    expect(again.stderr).toMatch(/^rectify: rectify\.db 已存在台账\n提示：/);
  });
});

describe('finding the ledger', () => {
  it('walks up from the current folder to the nearest rectify.db', () => {
    const cwd = dir();
    rectify(['init', SMALL], { cwd });
    mkdirSync(join(cwd, 'a', 'b'), { recursive: true });
    const r = rectify(['export'], { cwd: join(cwd, 'a', 'b') });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('县教育局党组对照检查材料');
  });

  it('uses --db, before or after the subcommand, and RECTIFY_DB', () => {
    const cwd = dir();
    expect(rectify(['--db', 'x.db', 'init', SMALL], { cwd }).code).toBe(0);
    expect(rectify(['export', '--db', 'x.db'], { cwd }).code).toBe(0);
    expect(rectify(['export'], { cwd, env: { RECTIFY_DB: join(cwd, 'x.db') } }).code).toBe(0);
    expect(existsSync(join(cwd, 'rectify.db'))).toBe(false);
  });

  it('fails with exit 3 and says how to create one when there is no ledger', () => {
    const cwd = dir();
    const r = rectify(['export'], { cwd });
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/^rectify: .+\nhint: .*rectify init/);
    expect(existsSync(join(cwd, 'rectify.db'))).toBe(false);
  });
});

describe('damaged and foreign files', () => {
  function refusedUnchanged(cwd: string, file: string, code: number) {
    const before = readFileSync(join(cwd, file));
    const r = rectify(['export', '--db', file], { cwd });
    expect(r.code).toBe(code);
    expect(r.stderr.split('\n').filter(Boolean).length).toBeLessThanOrEqual(2);
    expect(r.stderr).toMatch(/^rectify: /);
    noStack(r.stderr);
    expect(readFileSync(join(cwd, file)).equals(before)).toBe(true);
    expect(existsSync(join(cwd, file + '-wal'))).toBe(false);
  }

  it('refuses a file that is not SQLite with exit 2, byte for byte unchanged', () => {
    const cwd = dir();
    writeFileSync(join(cwd, 'junk.db'), 'this is not a database\n'.repeat(100));
    refusedUnchanged(cwd, 'junk.db', 2);
  });

  it('refuses another SQLite database with exit 2, byte for byte unchanged', () => {
    const cwd = dir();
    const db = new Database(join(cwd, 'other.db'));
    db.exec('CREATE TABLE t (x); INSERT INTO t VALUES (1);');
    db.close();
    refusedUnchanged(cwd, 'other.db', 2);
  });

  it('refuses a truncated ledger with exit 2, byte for byte unchanged', () => {
    const cwd = dir();
    rectify(['init'], { cwd });
    const whole = readFileSync(join(cwd, 'rectify.db'));
    writeFileSync(join(cwd, 'cut.db'), whole.subarray(0, Math.floor(whole.length / 3)));
    const r = rectify(['export', '--db', 'cut.db'], { cwd });
    expect([2]).toContain(r.code);
    noStack(r.stderr);
    expect(readFileSync(join(cwd, 'cut.db')).equals(whole.subarray(0, Math.floor(whole.length / 3)))).toBe(true);
  });

  it('refuses a ledger from a newer rectify with exit 4, byte for byte unchanged', () => {
    const cwd = dir();
    rectify(['init', SMALL], { cwd });
    copyFileSync(join(cwd, 'rectify.db'), join(cwd, 'newer.db'));
    const db = new Database(join(cwd, 'newer.db'));
    db.exec('PRAGMA journal_mode = DELETE');
    db.exec('PRAGMA user_version = 999');
    db.close();
    refusedUnchanged(cwd, 'newer.db', 4);
  });
});

describe('rectify import', () => {
  it('keeps everything when the same seed is imported twice', () => {
    const cwd = dir();
    rectify(['init', SMALL], { cwd });
    const before = state(cwd);
    for (let i = 0; i < 2; i++) {
      const r = rectify(['import', SMALL], { cwd });
      expect(r.code).toBe(0);
      expect(r.stdout).not.toMatch(/^(added|updated)/m);
      expect(r.stdout).toMatch(/^kept\s+item\s+M1\.1$/m);
      expect(r.stdout.trim().split('\n').at(-1)).toMatch(/^Total: 0 added, 0 updated, 11 kept, 0 left\.$/);
    }
    expect(state(cwd)).toBe(before);
  });

  it('aligns its columns in English, where the kinds are words of other lengths (area, problem, measure)', () => {
    const cwd = dir();
    rectify(['init', SMALL], { cwd });
    const lines = rectify(['import', SMALL], { cwd }).stdout.trim().split('\n').slice(0, -1);
    const idAt = lines.map((l) => /^\S+\s+\S+\s+/.exec(l)![0].length);
    expect(new Set(idAt).size, lines.join('\n')).toBe(1);
  });

  it('adds, updates and leaves ids, and --dry-run prints the same and writes nothing', () => {
    const cwd = dir();
    rectify(['init', SMALL], { cwd });
    const changed = readFileSync(SMALL, 'utf8')
      .replace('title: 开展专题研讨', 'title: 开展专题研讨交流')
      .replace(/      - id: M2\.1[\s\S]*$/, '      - id: M2.2\n        title: 建立联系点制度\n        addresses: [P2.1]\n');
    writeFileSync(join(cwd, 'changed.yaml'), changed);
    const before = state(cwd);
    const dry = rectify(['import', 'changed.yaml', '--dry-run'], { cwd });
    expect(dry.code).toBe(0);
    expect(state(cwd)).toBe(before);
    const real = rectify(['import', 'changed.yaml'], { cwd });
    expect(real.code).toBe(0);
    const strip = (s: string) => s.replace(/^Dry run, nothing written\. /m, '');
    expect(strip(dry.stdout)).toBe(real.stdout);
    expect(real.stdout).toMatch(/^updated\s+item\s+M1\.2\s+changed: title$/m);
    expect(real.stdout).toMatch(/^added\s+item\s+M2\.2$/m);
    expect(real.stdout).toMatch(/^left\s+item\s+M2\.1$/m);
    const exported = JSON.parse(state(cwd));
    const m12 = exported.measures[0].items.find((i: { id: string }) => i.id === 'M1.2');
    expect(m12.title).toBe('开展专题研讨交流');
    expect(m12.history.map((h: { action: string }) => h.action)).toEqual(['create', 'import']);
  });

  it('removes ids the seed lacks with --prune, when they have no history beyond import', () => {
    const cwd = dir();
    rectify(['init', SMALL], { cwd });
    const without = readFileSync(SMALL, 'utf8').replace(/      - id: M1\.2[\s\S]*?term: ongoing\n/, '');
    writeFileSync(join(cwd, 'without.yaml'), without);
    const r = rectify(['import', 'without.yaml', '--prune'], { cwd });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^removed\s+item\s+M1\.2$/m);
    expect(JSON.parse(state(cwd)).measures[0].items.map((i: { id: string }) => i.id)).toEqual(['M1.1']);
  });

  it('refuses an invalid seed whole and changes nothing', () => {
    const cwd = dir();
    rectify(['init', SMALL], { cwd });
    const before = state(cwd);
    writeFileSync(join(cwd, 'bad.yaml'), readFileSync(SMALL, 'utf8').replace('due: 2024-03-31', 'due: 2024-02-30').replace('owner: 张三', 'owmer: 张三'));
    const r = rectify(['import', 'bad.yaml'], { cwd });
    expect(r.code).toBe(2);
    const lines = r.stderr.split('\n').filter((l) => /^bad\.yaml:\d+:\d+: /.test(l));
    expect(lines.length).toBe(2);
    expect(r.stderr).toContain('owmer');
    expect(state(cwd)).toBe(before);
  });
});

describe('rectify export', () => {
  it('prints a seed that rebuilds the same ledger', () => {
    const cwd = dir();
    rectify(['init'], { cwd });
    const yaml = rectify(['export', '--format', 'yaml'], { cwd });
    expect(yaml.code).toBe(0);
    expect(yaml.stdout).toContain('个人学习尚未达到严谨要求');
    const other = dir();
    writeFileSync(join(other, 'seed.yaml'), yaml.stdout);
    expect(rectify(['init', 'seed.yaml'], { cwd: other }).code).toBe(0);
    expect(rectify(['export'], { cwd: other }).stdout).toBe(yaml.stdout);
    const strip = (s: string) => JSON.stringify(JSON.parse(s), (k, v) => (['createdAt', 'updatedAt', 'at', 'history'].includes(k) ? undefined : v));
    expect(strip(state(other))).toBe(strip(state(cwd)));
  });

  it('rebuilds a ledger one of whose measures has lost its items (rm, edit --measure), from the seed and from the dump', () => {
    const cwd = dir();
    const two = 'version: 1\nreport: {title: Two}\nareas:\n  - {id: A1, name: a, problems: [{id: P1, title: p}]}\n'
      + 'measures:\n  - {id: M1, title: m1, items: [{id: M1.1, title: i1}]}\n  - {id: M2, title: m2, items: [{id: M2.1, title: i2}]}\n'
      + '  - {id: M3, title: m3, items: [{id: M3.1, title: i3}]}\n';
    writeFileSync(join(cwd, 'two.yaml'), two);
    expect(rectify(['init', 'two.yaml'], { cwd }).code).toBe(0);
    expect(rectify(['edit', 'M1.1', '--measure', 'M2'], { cwd }).code).toBe(0);
    expect(rectify(['rm', 'M3.1'], { cwd }).code).toBe(0);
    const yaml = rectify(['export'], { cwd });
    expect(yaml.code).toBe(0);
    writeFileSync(join(cwd, 'seed.yaml'), yaml.stdout);
    const fromSeed = rectify(['init', 'seed.yaml', '--db', 'seed.db'], { cwd });
    expect(fromSeed.code, fromSeed.stderr).toBe(0);
    const items = (db?: string) => (JSON.parse(rectify(['list', '--json', ...(db ? ['--db', db] : [])], { cwd }).stdout) as { id: string; measure: string }[]).map((i) => `${i.measure}:${i.id}`);
    expect(items('seed.db')).toEqual(items());
    expect(items()).toEqual(['M2:M1.1', 'M2:M2.1']);
    writeFileSync(join(cwd, 'dump.jsonl'), rectify(['export', '--format', 'jsonl'], { cwd }).stdout);
    const fromDump = rectify(['init', 'dump.jsonl', '--db', 'dump.db'], { cwd });
    expect(fromDump.code, fromDump.stderr).toBe(0);
    expect(rectify(['export', '--format', 'json', '--db', 'dump.db'], { cwd }).stdout).toBe(state(cwd));
  });

  it('prints the contract JSON shape with each item status, progress, evidence and history', () => {
    const cwd = dir();
    rectify(['init', SMALL], { cwd });
    const data = JSON.parse(state(cwd));
    expect(Object.keys(data)).toEqual(['version', 'report', 'areas', 'causes', 'measures']);
    const item = data.measures[0].items[1];
    expect(item).toMatchObject({
      id: 'M1.2', measure: 'M1', addresses: ['P1.2'], owner: null, department: null, due: null,
      term: 'ongoing', status: 'open', progress: 0, evidence: [],
    });
    expect(item.history[0]).toMatchObject({ by: 'tester', action: 'create', status: 'open', progress: 0 });
    expect(item.createdAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?[+-]\d{2}:\d{2}$/);
  });

  it('refuses an unknown format with exit 2', () => {
    const cwd = dir();
    rectify(['init', SMALL], { cwd });
    const r = rectify(['export', '--format', 'xml'], { cwd });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^rectify: unknown format "xml"/);
  });
});

describe('bad usage', () => {
  it('answers an unknown option, an unknown command and a bad --lang with exit 2 and one line plus a hint', () => {
    const cwd = dir();
    for (const args of [['export', '--frobnicate'], ['frobnicate'], ['--lang', 'fr', 'export']]) {
      const r = rectify(args, { cwd });
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(/^rectify: .+\n(hint: .+\n)?$/);
    }
  });

  it('answers a bad RECTIFY_TODAY with exit 2', () => {
    const cwd = dir();
    rectify(['init', SMALL], { cwd });
    const r = rectify(['export'], { cwd, env: { RECTIFY_TODAY: '2024-02-30' } });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('RECTIFY_TODAY');
  });

  it('prints help and the version with exit 0', () => {
    const help = rectify(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^Usage: rectify/);
    const zhHelp = rectify(['--help'], { env: { LANG: 'zh_CN.UTF-8' } });
    expect(zhHelp.stdout).toMatch(/^用法：rectify/);
    expect(rectify(['--version']).stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });
});
