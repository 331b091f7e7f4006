// `rectify status` and `rectify report` on the fixture ledger (tests/fixtures/views/):
// golden files for every form in both languages, the contract's JSON, widths, colour,
// CSV safety and writing to a file. UPDATE_GOLDEN=1 rewrites the golden files.
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import stringWidth from 'string-width';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withLedger } from '../helpers/cli.js';
import { legacyText } from './items-legacy.js';
import { fixtureLedger, GOLDEN, SINCE, TODAY, type Ledger } from '../fixtures/views/ledger.js';

const ESC = '\u001b';
const widest = (text: string) => Math.max(...text.split(/\r?\n/).map((l) => stringWidth(l)));

function golden(name: string, actual: string): void {
  const file = join(GOLDEN, name);
  if (process.env.UPDATE_GOLDEN === '1') {
    mkdirSync(GOLDEN, { recursive: true });
    writeFileSync(file, actual);
    return;
  }
  if (!existsSync(file)) throw new Error(`no golden file ${name}: run the tests with UPDATE_GOLDEN=1 to write it`);
  expect(actual, `${name} differs from its golden file (UPDATE_GOLDEN=1 rewrites it after a deliberate change)`).toBe(readFileSync(file, 'utf8'));
}

let ledger: Ledger;
beforeAll(() => {
  ledger = fixtureLedger();
});
afterAll(() => ledger?.cleanup());

const ok = (args: string[], env: Record<string, string | undefined> = {}) => {
  const r = ledger.run(args, { env });
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  return r.stdout;
};

describe('golden files', () => {
  for (const lang of ['en', 'zh'] as const) {
    it(`status looks as it did (${lang})`, () => {
      golden(`status.${lang}.txt`, ok(['status', '--lang', lang]));
    });
    it(`the text report with changes since the last meeting looks as it did (${lang})`, () => {
      golden(`report.${lang}.txt`, ok(['report', '--lang', lang, '--since', SINCE]));
    });
    it(`the Markdown report looks as it did (${lang})`, () => {
      golden(`report.${lang}.md`, ok(['report', '--lang', lang, '--format', 'md', '--since', SINCE]));
    });
    it(`the CSV report looks as it did (${lang})`, () => {
      golden(`report.${lang}.csv`, ok(['report', '--lang', lang, '--format', 'csv']));
    });
  }
});

describe('rectify status --json', () => {
  it('prints only JSON, with the figures counted by hand', () => {
    const r = ledger.run(['status', '--json']);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    // Lights (third round) are checked in tests/unit/meeting-status.test.ts; here the rest.
    const { lights: _lights, departments: _departments, ...parsed } = JSON.parse(r.stdout);
    parsed.measures = parsed.measures.map(({ lights: _l, ...m }: { lights: unknown }) => m);
    expect(parsed).toEqual({
      asOf: TODAY,
      report: { title: '市局领导班子主题教育对照检查材料', unit: '市局领导班子' },
      // open: M2.1 M3.2 M4.2 M5.2 M6.1 M6.3; in progress: M1.1 M2.2 M2.3 M3.1 M4.1 M6.2;
      // done: M5.1; verified: M1.2 M5.3; overdue (due before 05-10, unfinished): M2.3 M3.2 M6.1.
      items: { total: 15, open: 6, inProgress: 6, done: 1, verified: 2, overdue: 3 },
      percentDone: 20, // 3 of 15
      // P2.1 (only M1.2, verified) and P6.2 (only M5.1, done).
      problems: { total: 13, rectified: 2 },
      areas: [
        { id: 'A1', name: '理论学习', problems: 2, rectified: 0 },
        { id: 'A2', name: '政治素质', problems: 2, rectified: 1 },
        { id: 'A3', name: '能力本领', problems: 2, rectified: 0 },
        { id: 'A4', name: '担当作为', problems: 2, rectified: 0 },
        { id: 'A5', name: '工作作风', problems: 2, rectified: 0 },
        { id: 'A6', name: '廉洁自律', problems: 3, rectified: 1 },
      ],
      measures: [
        { id: 'M1', title: '深化学习意识，加强理论武装', items: 2, done: 1, percentDone: 50 },
        { id: 'M2', title: '深化政治意识，坚定信念不动摇', items: 3, done: 0, percentDone: 0 },
        { id: 'M3', title: '深化群众意识，实事求是不空谈', items: 2, done: 0, percentDone: 0 },
        { id: 'M4', title: '深化担当意识，履职尽责不松劲', items: 2, done: 0, percentDone: 0 },
        { id: 'M5', title: '深化廉洁意识，严守纪律不越界', items: 3, done: 2, percentDone: 67 },
        { id: 'M6', title: '健全常态化、细致化和及时化的监督管理机制，拓宽“八小时以外”监督渠道，切实提升作风建设实效', items: 3, done: 0, percentDone: 0 },
      ],
      overdue: ['M2.3', 'M3.2', 'M6.1'],
      // Due 05-10 through 05-17: M6.2 today, M3.1, M2.2 (extended to 05-15), M6.3 on the last day.
      dueSoon: ['M6.2', 'M3.1', 'M2.2', 'M6.3'],
      // Most overdue first, then by name in pinyin order (shi, zhao, zhou; chen, li, liu, wang, zhang).
      owners: [
        { owner: '市局机关党委（党建工作科）负责同志', open: 1, overdue: 1 },
        { owner: '赵敏', open: 1, overdue: 1 },
        { owner: '周婷', open: 2, overdue: 1 },
        { owner: '陈志远', open: 1, overdue: 0 },
        { owner: '李明', open: 1, overdue: 0 },
        { owner: '刘洋', open: 1, overdue: 0 },
        { owner: '王建国', open: 2, overdue: 0 },
        { owner: '张华', open: 2, overdue: 0 },
        { owner: null, open: 1, overdue: 0 },
      ],
    });
  });

  it('judges overdue and due soon as of --as-of, over --days', () => {
    const s = JSON.parse(ok(['status', '--json', '--as-of', '2024-05-06', '--days', '2']));
    expect(s.asOf).toBe('2024-05-06');
    expect(s.overdue).toEqual(['M2.3']);
    expect(s.dueSoon).toEqual(['M3.2']);
    expect(JSON.parse(ok(['status', '--json', '--days', '0'])).dueSoon).toEqual(['M6.2']);
  });

  it('lists everything that the screen cuts at ten lines', () => {
    const l = withLedger();
    try {
      const all = 'M1.1,M1.2,M2.1,M2.2,M2.3,M3.1,M3.2,M4.1,M4.2,M5.1,M5.2,M5.3';
      expect(l.run(['assign', all, '王建国', '--due', '2024-05-01']).code).toBe(0);
      const env = { RECTIFY_TODAY: TODAY };
      const s = JSON.parse(l.run(['status', '--json'], { env }).stdout);
      expect(s.overdue).toEqual(all.split(','));
      expect(s.owners).toEqual([{ owner: '王建国', open: 12, overdue: 12 }]);
      const screen = l.run(['status'], { env }).stdout;
      expect(screen).toContain('Overdue (12)');
      expect(screen).toContain('  M5.1 ');
      expect(screen).not.toContain('  M5.2 ');
      expect(screen).toContain('\n  … and 2 more\n');
    } finally {
      l.cleanup();
    }
  });
});

describe('rectify status on screen', () => {
  it('keeps every line within 80 columns in both languages', () => {
    for (const lang of ['en', 'zh']) expect(widest(ok(['status', '--lang', lang]))).toBeLessThanOrEqual(80);
  });

  it('tells the eleven recent changes grouped by person and kind, none left out', () => {
    // Grouped ("marked 2 items done: M1.2, M3.1"), they take nine lines: no "… and N more"
    // (tests/unit/meeting-status.test.ts has more than ten groups).
    expect(ok(['status'])).toContain('李明    marked 2 items done: M1.2, M3.1\n');
    expect(ok(['status'])).not.toContain('… and');
    expect(ok(['status', '--lang', 'zh'])).toContain('李明    完成2项：M1.2、M3.1\n');
  });

  it('colours a terminal and nothing else', () => {
    expect(ok(['status'], { FORCE_COLOR: '1' })).toContain(ESC);
    expect(ok(['status'])).not.toContain(ESC);
    expect(ok(['status'], { FORCE_COLOR: '1', NO_COLOR: '1' })).not.toContain(ESC);
    expect(ok(['status', '--no-color'], { FORCE_COLOR: '1' })).not.toContain(ESC);
  });

  it('says briefly when there is nothing to chase', () => {
    const l = withLedger();
    try {
      const r = l.run(['status', '--full'], { env: { RECTIFY_TODAY: TODAY } });
      expect(r.code).toBe(0);
      expect(r.stdout).toContain('Overdue (0)\n  No overdue items.\n');
      expect(r.stdout).toContain('Changes in the last 7 days (2024-05-04 to 2024-05-10)\n  No changes in the last 7 days.');
      expect(r.stdout).toContain('(unassigned)    12        0');
    } finally {
      l.cleanup();
    }
  });

  it('refuses a bad --as-of or --days with exit 2 and one line', () => {
    for (const args of [['--as-of', '2024-02-30'], ['--as-of', 'tomorrow'], ['--days', '-1'], ['--days', '1.5'], ['--days', 'x'], ['--days', '']]) {
      const r = ledger.run(['status', ...args]);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(/^rectify: .*\n$/);
    }
  });
});

describe('rectify report', () => {
  it('is the same bytes every time for the same ledger and day, without colour even on request', () => {
    const a = ok(['report', '--since', SINCE, '--lang', 'zh'], { FORCE_COLOR: '1' });
    expect(a).not.toContain(ESC);
    expect(ok(['report', '--since', SINCE, '--lang', 'zh'])).toBe(a);
    expect(ok(['report', '--lang', 'zh', '--as-of', TODAY], { RECTIFY_TODAY: '2030-01-01' })).toBe(ok(['report', '--lang', 'zh']));
  });

  it('keeps every text line within 80 columns in both languages', () => {
    for (const lang of ['en', 'zh']) expect(widest(ok(['report', '--lang', lang, '--since', SINCE]))).toBeLessThanOrEqual(80);
  });

  it('agrees with status on the headline', () => {
    const s = JSON.parse(ok(['status', '--json']));
    const r = JSON.parse(ok(['report', '--format', 'json']));
    expect(r.headline).toMatchObject({
      total: s.items.total, open: s.items.open, inProgress: s.items.inProgress, done: s.items.done, verified: s.items.verified,
      overdue: s.items.overdue, dueSoon: s.dueSoon.length, percentDone: s.percentDone, problems: s.problems.total, rectified: s.problems.rectified,
    });
    expect(r.measures.map((m: { id: string; done: number }) => [m.id, m.done])).toEqual(s.measures.map((m: { id: string; done: number }) => [m.id, m.done]));
  });

  it('gives CSV with a byte-order mark, CRLF, and formula cells neutralised', () => {
    const csv = ok(['report', '--format', 'csv']);
    expect(csv.startsWith('\uFEFFid,measure,measure title,title,')).toBe(true);
    expect(csv).toContain(",'+86 12345 热线回访机制,");
    expect(csv).toContain(",'+3个支部已完成联系点对接,");
    expect(csv.split('\r\n')).toHaveLength(15 + 2); // header, 15 items (every status), and the end
  });

  it('escapes | in Markdown table cells', () => {
    expect(ok(['report', '--format', 'md'])).toContain('| 建立“问题\\|措施\\|责任”三张清单 |');
  });

  it('writes -o FILE whole, says so on standard error, and leaves no temporary file', () => {
    const r = ledger.run(['report', '--format', 'csv', '-o', 'meeting.csv']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe('Wrote the report to meeting.csv (CSV).\n');
    const file = readFileSync(join(ledger.dir, 'meeting.csv'), 'utf8');
    expect(file).toBe(ok(['report', '--format', 'csv']));
    expect(readdirSync(ledger.dir).filter((f) => f.includes('.tmp'))).toEqual([]);
    // Again over the same file: replaced, not appended to.
    expect(ledger.run(['report', '--format', 'csv', '--output', 'meeting.csv']).code).toBe(0);
    expect(readFileSync(join(ledger.dir, 'meeting.csv'), 'utf8')).toBe(file);
  });

  it('fails cleanly when -o cannot be written, leaving nothing behind', () => {
    const before = readdirSync(ledger.dir).sort();
    const missing = ledger.run(['report', '-o', join('no', 'such', 'folder', 'r.txt')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/^rectify: cannot write .*r\.txt \(ENOENT\)\n$/);
    mkdirSync(join(ledger.dir, 'a-folder'));
    const onFolder = ledger.run(['report', '-o', 'a-folder']);
    expect(onFolder.code).not.toBe(0);
    expect(readdirSync(ledger.dir).sort()).toEqual([...before, 'a-folder'].sort());
    expect(readdirSync(join(ledger.dir, 'a-folder'))).toEqual([]);
  });

  it('refuses an unknown format and a bad --since with exit 2', () => {
    const f = ledger.run(['report', '--format', 'pdf']);
    expect(f.code).toBe(2);
    expect(f.stderr).toBe('rectify: unknown format "pdf"; use one of: text, md, csv, json, xlsx, docx, html\n');
    const s = ledger.run(['report', '--since', '2024-13-01']);
    expect(s.code).toBe(2);
    expect(s.stderr).toBe('rectify: --since is "2024-13-01", not a real date as YYYY-MM-DD (2027-03-31; also 2027-3-31, 2027/3/31, 2027.3.31 or 2027年3月31日)\n');
  });

  it('shows control characters in data escaped, never executed', () => {
    const l = withLedger();
    try {
      // Refused on the command line now; a ledger from elsewhere may still hold it.
      legacyText(l.dir, 'M1.1', { note: '\u001b[2J清屏\u0007' });
      for (const args of [['report'], ['status'], ['report', '--format', 'md'], ['report', '--format', 'csv']]) {
        // Reports never colour; the status screen is read plain here.
        const out = l.run(args, { env: args[0] === 'report' ? { FORCE_COLOR: '1' } : {} }).stdout;
        expect(out).not.toContain(ESC);
        expect(out).not.toContain('\u0007');
        // Markdown shows the backslash itself escaped, so that it renders as written.
        // (and brackets too, since the lead's escaping change).
        expect(out).toContain(args.includes('md') ? '\\\\x1b\\[2J清屏\\\\x07' : '\\x1b[2J清屏\\x07');
      }
    } finally {
      l.cleanup();
    }
  });
});
