// `rectify report` as Office documents, run as the secretary runs it on the fixture ledger
// (tests/fixtures/views/): `-o 整改台账.xlsx` and `-o 整改进展情况报告.docx`, read back with
// exceljs and by unzipping; golden files of their contents in both languages
// (UPDATE_GOLDEN=1 rewrites them); the format from the file's extension; `-o -`; no binary
// on a terminal; each library loaded only for its format.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, FIXTURES, ROOT, baseEnv } from '../helpers/cli.js';
import { fixtureLedger, SINCE, TODAY, type Ledger } from '../fixtures/views/ledger.js';
import { docxParagraphs, docxParts, readWorkbook, workbookText } from '../fixtures/office/read.js';

const OFFICE = join(FIXTURES, 'office');
const TRACE = join(OFFICE, 'trace-require.cjs');

function golden(name: string, actual: string): void {
  const file = join(OFFICE, name);
  if (process.env.UPDATE_GOLDEN === '1') {
    mkdirSync(OFFICE, { recursive: true });
    writeFileSync(file, actual);
    return;
  }
  if (!existsSync(file)) throw new Error(`no golden file ${name}: run the tests with UPDATE_GOLDEN=1 to write it`);
  expect(actual, `${name} differs from its golden file (UPDATE_GOLDEN=1 rewrites it after a deliberate change)`).toBe(readFileSync(file, 'utf8'));
}

/** The binary's standard output as bytes. */
function runRaw(args: string[], env: Record<string, string> = {}): { code: number; stdout: Buffer; stderr: string } {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    cwd: ledger.dir, env: baseEnv({ RECTIFY_TODAY: TODAY, ...env }), timeout: 60_000,
  });
  if (r.error) throw r.error;
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr.toString('utf8') };
}

const zh = { LANG: 'zh_CN.UTF-8' };
let ledger: Ledger;
beforeAll(() => {
  ledger = fixtureLedger();
});
afterAll(() => ledger?.cleanup());

describe('a Word report larger than it can be', () => {
  it('is a report of more items than the limit, not one of as many', async () => {
    const { WORD_MAX_ITEMS, wordReportTooLarge } = await import('../../src/commands/report.js');
    expect([WORD_MAX_ITEMS - 1, WORD_MAX_ITEMS, WORD_MAX_ITEMS + 1].map(wordReportTooLarge)).toEqual([false, false, true]);
  });

  it('is refused before it is built, in one line with a hint, exit 4 (not allowed for this ledger), and nothing written', async () => {
    const { rectify, tempDir } = await import('../helpers/cli.js');
    const { WORD_MAX_ITEMS } = await import('../../src/commands/report.js');
    const t = tempDir('rectify-word-max-');
    try {
      const items = (n: number) => Array.from({ length: n }, (_, k) => `      - { id: M1.${k + 1}, title: 事项${k + 1} }`);
      const seed = (n: number) => ['version: 1', 'report:', '  title: 大台账', 'areas:', '  - id: A1', '    name: 作风', '    problems:',
        '      - { id: P1, title: 问题 }', 'measures:', '  - id: M1', '    title: 措施', '    items:', ...items(n), ''].join('\n');
      writeFileSync(join(t.dir, 'big.yaml'), seed(WORD_MAX_ITEMS + 1));
      expect(rectify(['init', 'big.yaml'], { cwd: t.dir }).code).toBe(0);
      const r = rectify(['report', '-o', 'big.docx'], { cwd: t.dir, env: zh });
      expect(r.code).toBe(4);
      expect(r.stderr).toBe(`rectify: Word 报告最多容纳 ${WORD_MAX_ITEMS} 项整改事项，本台账有 ${WORD_MAX_ITEMS + 1} 项\n`
        + '提示：请改用 Excel 台账（-o 整改台账.xlsx）或会议用网页（-o 报告.html），二者不限项数\n');
      expect(existsSync(join(t.dir, 'big.docx'))).toBe(false);
    } finally {
      t.cleanup();
    }
  });
});

describe('report -o 整改台账.xlsx', () => {
  it('writes the Excel ledger, says so, and reads back as golden in Chinese', async () => {
    const r = ledger.run(['report', '-o', '整改台账.xlsx', '--since', SINCE], { env: zh });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe('报告已写入 整改台账.xlsx（Excel 台账）。\n');
    const wb = await readWorkbook(readFileSync(join(ledger.dir, '整改台账.xlsx')));
    expect(wb.worksheets.map((w) => w.name)).toEqual(['整改台账', '问题清单', '进展记录']);
    golden('ledger.zh.txt', workbookText(wb));
  });

  it('in English', async () => {
    const r = ledger.run(['report', '-o', 'ledger.xlsx', '--since', SINCE]);
    expect(r.code).toBe(0);
    golden('ledger.en.txt', workbookText(await readWorkbook(readFileSync(join(ledger.dir, 'ledger.xlsx')))));
  });
});

describe('report -o 整改进展情况报告.docx', () => {
  it('writes the Word report, whose paragraphs are golden in Chinese', async () => {
    const r = ledger.run(['report', '-o', '整改进展情况报告.docx', '--since', SINCE], { env: zh });
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('报告已写入 整改进展情况报告.docx（Word 文档）。\n');
    const parts = await docxParts(readFileSync(join(ledger.dir, '整改进展情况报告.docx')));
    golden('report.zh.txt', docxParagraphs(parts['word/document.xml']!).join('\n') + '\n');
  });

  it('in English', async () => {
    const r = ledger.run(['report', '-o', 'report.docx', '--since', SINCE]);
    expect(r.code).toBe(0);
    const parts = await docxParts(readFileSync(join(ledger.dir, 'report.docx')));
    golden('report.en.txt', docxParagraphs(parts['word/document.xml']!).join('\n') + '\n');
  });

  it('is the same bytes when made again later the same day', () => {
    const a = runRaw(['report', '--format', 'docx', '-o', '-']);
    const b = runRaw(['report', '--format', 'docx', '-o', '-']);
    expect(a.code).toBe(0);
    expect(a.stdout.subarray(0, 4).toString('latin1')).toBe('PK\u0003\u0004');
    expect(a.stdout.equals(b.stdout)).toBe(true);
    const x = runRaw(['report', '--format', 'xlsx']);
    const y = runRaw(['report', '--format', 'xlsx']);
    expect(x.stdout.equals(y.stdout)).toBe(true);
  });
});

describe('the Word report and the text report', () => {
  it('hold the same sections, parts and entries in the same order (the Word one then plans the work ahead)', async () => {
    for (const env of [zh, {}]) {
      const text = ledger.run(['report', '--since', SINCE], { env }).stdout.split('\n');
      expect(ledger.run(['report', '--since', SINCE, '-o', 'same.docx'], { env }).code).toBe(0);
      const word = docxParagraphs((await docxParts(readFileSync(join(ledger.dir, 'same.docx'))))['word/document.xml']!);
      const heading = /^(?:[一二三四五六七八九十]+、|（[一二三四五六七八九十]+）|\d+\. [A-Z]|\d+\.\d+ )/;
      // Headings in the text may wrap: compare their first words. Ids mark entries and table rows.
      const marks = (lines: string[]) => lines.flatMap((l) => {
        if (heading.test(l)) return [`h:${l.slice(0, 8)}`];
        const id = /^\s*(?:\d+\. |\d+．|\| \d+ \| )\[?([MP]\d+\.\d+)/.exec(l);
        return id ? [`i:${id[1]}`] : [];
      });
      const nextSteps = word.findIndex((l) => /^(?:[一二三四五六七八九十]+、下一步工作打算|\d+\. Next steps)$/.test(l));
      expect(nextSteps).toBeGreaterThan(0);
      expect(marks(word.slice(0, nextSteps))).toEqual(marks(text));
    }
  });
});

describe('the format and the output', () => {
  it('comes from the file name unless --format says otherwise', () => {
    for (const [file, looks] of [
      ['r.md', /^# Progress report/],
      ['r.csv', /^\uFEFFid,/],
      ['r.json', /^\{\n/],
      ['r.txt', /^ +Progress report/],
      ['R.DOCX', /^PK\u0003\u0004/],
      ['r.xlsx', /^PK\u0003\u0004/],
      ['r.unknown', /^ +Progress report/],
    ] as const) {
      const r = ledger.run(['report', '-o', file]);
      expect(r.code, file).toBe(0);
      expect(readFileSync(join(ledger.dir, file), 'utf8'), file).toMatch(looks);
    }
    expect(ledger.run(['report', '--format', 'md', '-o', 'md.docx']).code).toBe(0);
    expect(readFileSync(join(ledger.dir, 'md.docx'), 'utf8')).toMatch(/^# Progress report/);
  });

  it('-o - writes to standard output, binary formats too, the same bytes as the file', () => {
    const file = runRaw(['report', '-o', 'same.xlsx']);
    expect(file.code).toBe(0);
    const out = runRaw(['report', '--format', 'xlsx', '-o', '-']);
    expect(out.code).toBe(0);
    expect(out.stderr).toBe('');
    expect(out.stdout.equals(readFileSync(join(ledger.dir, 'same.xlsx')))).toBe(true);
    expect(runRaw(['report', '-o', '-']).stdout.toString('utf8')).toBe(ledger.run(['report']).stdout);
  });

  it('refuses to pour a binary format onto a terminal, with a hint to use -o', () => {
    const r = spawnSync('python3', [join(ROOT, 'tests', 'helpers', 'ptydrive.py'), '[]', '--', process.execPath, BIN, 'report', '--format', 'xlsx'], {
      cwd: ledger.dir, env: baseEnv({ TERM: 'xterm-256color', RECTIFY_TODAY: TODAY }), encoding: 'utf8', timeout: 60_000,
    });
    const s = JSON.parse(r.stdout) as { code: number; transcript: string };
    expect(s.code).toBe(2);
    expect(s.transcript).toContain('rectify: the xlsx report is a binary file; it is not written to a terminal');
    expect(s.transcript).toContain('hint: write it to a file with -o, e.g. -o ledger.xlsx');
    expect(s.transcript).not.toContain('PK');
  });

  it('rejects an unknown --format, naming the office ones', () => {
    const r = ledger.run(['report', '--format', 'pdf']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('unknown format "pdf"; use one of: text, md, csv, json, xlsx, docx');
  });
});

describe('the libraries', () => {
  const loaded = (args: string[]) => {
    const trace = join(ledger.dir, `trace-${args.join('-').replace(/[^\w.-]/g, '_')}.txt`);
    const r = runRaw(args, { NODE_OPTIONS: `--require ${TRACE}`, RECTIFY_TRACE_REQUIRE: trace });
    expect(r.code, r.stderr).toBe(0);
    return existsSync(trace) ? [...new Set(readFileSync(trace, 'utf8').trim().split('\n'))].sort() : [];
  };

  it('are each loaded only for their own format', () => {
    expect(loaded(['report'])).toEqual([]);
    expect(loaded(['report', '--format', 'csv'])).toEqual([]);
    expect(loaded(['status'])).toEqual([]);
    expect(loaded(['report', '--format', 'xlsx'])).toEqual(['exceljs']);
    expect(loaded(['report', '--format', 'docx'])).toEqual(['docx']);
  });
});
