// `rectify draft` through the dispatcher, in this process: what it prints, what it refuses,
// and that it writes nothing when it refuses. (The spawned binary: tests/e2e/draft.test.ts.)
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadSeed } from '../../src/core/seed.js';
import { runInProcess } from '../helpers/inproc.js';
import { figuresXlsx } from '../fixtures/draft/reports.js';

const dir = mkdtempSync(join(tmpdir(), 'rectify-draft-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
// The bundled report's source (the report docs/seed-format.md names), kept with the fixtures so the suite stands alone.
const REPORT = new URL('../fixtures/draft/000_d323877fa63bd839.txt', import.meta.url).pathname;
const MEETING = new URL('../fixtures/draft/duizhao-jiancha.txt', import.meta.url).pathname;
const file = (name: string, data: string | Uint8Array) => {
  const p = join(dir, name);
  writeFileSync(p, data);
  return p;
};
const draft = (args: string[]) => runInProcess(['draft', ...args], '2026-11-29');

describe('rectify draft', () => {
  it('prints the seed on standard output and a one-line summary on standard error', async () => {
    const r = await draft([REPORT]);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('drafted 6 areas, 13 problems, 5 causes, 5 measures, 12 items; 16 links, 3 terms, 0 dates and 2 other values guessed, 2 items left unlinked: check the lines marked # guess\n');
    const seed = loadSeed(Buffer.from(r.stdout));
    expect(seed.ok).toBe(true);
    expect(r.stdout.split('\n').slice(0, 2)).toEqual([
      '# Drafted by rectify draft from 000_d323877fa63bd839.txt.',
      '# Check every line marked "# guess", then load it: rectify init SEED',
    ]);
    expect(await draft([REPORT, '-o', '-'])).toEqual(r);
  });

  it('names the one area of a Chinese report in Chinese whatever the messages\' language', async () => {
    const flat = file('flat.txt', '某局整改清单\n问题1：学习不够深入。\n整改措施：\n1.制定学习计划；\n2.开展专题研讨。\n责任领导：王书记\n');
    for (const lang of ['en', 'zh']) {
      const r = await draft([flat, '--lang', lang]);
      expect(r.code).toBe(0);
      const seed = loadSeed(Buffer.from(r.stdout));
      expect(seed.ok && seed.seed.areas.map((a) => a.name)).toEqual(['问题']);
    }
  });

  it('speaks Chinese: the comments say 推测 and the summary is Chinese', async () => {
    const r = await draft([MEETING, '--lang', 'zh']);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('已起草 1 个方面、3 个问题、2 条原因、1 项措施、3 项整改事项；推测了 3 处关联、1 个整改类型、2 个日期和 3 处其他内容，0 个事项未关联问题：请核对标有“# 推测”的行\n');
    const lines = r.stdout.split('\n');
    expect(lines).toContain('        # 推测：据“常态化”定为 ongoing');
    expect(lines).toContain('        # 推测：据“6月30日”定为 2024-06-30（年份 2024 取自报告）');
    expect(lines).toContain('        # 推测：据“2024年3月底”定为 2024-03-31（该期限的最后一天）');
    expect(lines[lines.indexOf('        # 推测：据“常态化”定为 ongoing') + 1]).toBe('        term: ongoing');
  });

  it('writes -o all at once, leaving no temporary file', async () => {
    const out = join(dir, 'out', 'seed.yaml');
    rmSync(join(dir, 'out'), { recursive: true, force: true });
    const missingFolder = await draft([MEETING, '-o', out]);
    expect(missingFolder.code).toBe(2);
    expect(missingFolder.stderr).toMatch(/^rectify: cannot write .*seed\.yaml \(ENOENT\)\n$/);
    writeFileSync(join(dir, 'placeholder'), '');
    const target = join(dir, 'seed.yaml');
    const r = await draft([MEETING, '-o', target]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^drafted .*seed\.yaml: 1 area, 3 problems/);
    expect(readFileSync(target, 'utf8')).toContain(`rectify init ${target}`);
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('never writes its seed over a database, such as a ledger', async () => {
    const db = file('rectify.db', Buffer.concat([Buffer.from('SQLite format 3\0', 'latin1'), Buffer.alloc(84)]));
    const before = readFileSync(db);
    const r = await draft([MEETING, '-o', db]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^rectify: .*rectify\.db is (the ledger|a database)/);
    expect(readFileSync(db)).toEqual(before);
  });

  describe('refuses what is no report, exit 2, writing nothing', () => {
    const cases: [string, () => Promise<string>, RegExp][] = [
      ['an empty file', async () => file('empty.txt', ''), /is empty$/],
      ['a file of blank lines', async () => file('blank.md', '\n  \n\n'), /is empty$/],
      ['binary bytes', async () => file('binary.txt', Uint8Array.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0, 0, 0, 0x90, 0xff, 0x00, 0x3e])), /is not text \(neither UTF-8 nor GB18030\)$/],
      ['prose with no structure', async () => file('prose.txt', '今天天气很好，我们去公园散步。\n公园里有很多人在跳舞，也有人在下棋。\n'), /no report structure found/],
      ['sections with neither problems nor measures', async () => file('plan.txt', '一、总体要求\n坚持问题导向。\n二、保障措施\n加强领导。\n'), /no problems found/],
      ['problems without measures', async () => file('half.txt', '一、存在的问题\n1.学习不够。\n2.研讨不多。\n'), /found 2 problem\(s\) .* but no rectification measures/],
      ['a text file renamed .docx', async () => file('renamed.docx', readFileSync(MEETING)), /is not a Word document \(\.docx\), whatever its name says$/],
      ['a Word file renamed .xlsx', async () => file('word.xlsx', Buffer.concat([Buffer.from('PK\x03\x04'), Buffer.from('word/document.xml')])), /is not an Excel workbook/],
      ['a broken zip named .docx', async () => file('broken.docx', Buffer.concat([Buffer.from('PK\x03\x04'), Buffer.from('word/document.xml')])), /is not a Word document/],
      ['an .xlsx with no header row', async () => file('figures.xlsx', await figuresXlsx()), /no header row found in .*figures\.xlsx/],
      ['an old .doc', async () => file('old.doc', 'x'), /is not a kind of file draft reads$/],
    ];
    for (const [what, make, message] of cases) {
      it(what, async () => {
        const input = await make();
        const out = join(dir, `seed-${what.replace(/\W+/g, '-')}.yaml`);
        const r = await draft([input, '-o', out]);
        expect(r.code).toBe(2);
        expect(r.stdout).toBe('');
        const [line, hint, more] = r.stderr.split('\n');
        expect(line).toMatch(/^rectify: /);
        expect(line).toMatch(message);
        expect(hint).toMatch(/^hint: (expected a report with numbered sections|open it in Word or WPS and save it as \.docx)/);
        expect(more).toBe('');
        expect(existsSync(out)).toBe(false);
      });
    }
  });

  it('says a missing file is not found, exit 3', async () => {
    const r = await draft([join(dir, 'nowhere.docx')]);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/^rectify: report .*nowhere\.docx not found\n$/);
  });
});
