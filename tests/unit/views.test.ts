import fc from 'fast-check';
import stringWidth from 'string-width';
import { describe, expect, it } from 'vitest';
import { buildReport, buildStatus, type Figures, type ReportSource } from '../../src/core/summary.js';
import type { HistoryEntry } from '../../src/core/types.js';
import { csvCell, longDate, mdCell, renderReportCsv, renderReportMarkdown, renderReportText } from '../../src/ui/report.js';
import { bar, describeChange, renderStatus, words } from '../../src/ui/status.js';
import { makeTheme } from '../../src/ui/theme.js';
import { AS_OF, figures, history, items, source } from '../fixtures/views/sample.js';

const ESC = '\u001b';
const widest = (text: string) => Math.max(...text.split('\n').map((l) => stringWidth(l)));
const strip = (s: string) => s.replace(/\u001b\[[0-9;]*m/g, '');

/** The sample made hostile: long Chinese and Latin text everywhere it can go. */
const longText = '建立健全全市系统“八小时以外”监督管理长效机制，综合运用谈心谈话、家访、社会监督等多种方式拓展监督渠道，对发现的苗头性、倾向性问题及时提醒纠正（见https://example.gov.cn/' + 'a'.repeat(120) + '）。';
const longSource: Omit<ReportSource, 'history' | 'since'> = {
  ...source,
  report: { ...source.report, title: longText },
  measures: source.measures.map((m) => ({ ...m, title: m.title + longText })),
  items: items.map((i) => ({
    ...i, title: i.title + longText, owner: i.owner && i.owner + '市局机关党委（党建工作科）负责同志', department: '市局机关党委（党建工作科）',
    lastNote: longText, evidence: [longText, 'x'.repeat(200)],
  })),
};
const longFigures: Figures = {
  ...figures,
  report: longSource.report,
  measures: figures.measures.map((m) => ({ ...m, title: m.title + longText })),
  overdue: figures.overdue.map((o) => ({ ...o, title: longText, owner: '市局机关党委（党建工作科）负责同志' })),
  owners: [...figures.owners, { owner: '市局机关党委（党建工作科）负责同志' + longText, open: 1, overdue: 0 }],
};
const longHistory: HistoryEntry[] = history.map((h) => ({ ...h, note: longText, by: '市局机关党委（党建工作科）' }));

describe('completion bars', () => {
  it('fill whole cells with █ and the last one in eighths', () => {
    expect(bar(1, 2, 4)).toEqual({ filled: '██', track: '░░' });
    expect(bar(1, 3, 20)).toEqual({ filled: '██████▋', track: '░'.repeat(13) });
    expect(bar(1, 1000, 20).filled).toBe('▏');
    expect(bar(0, 5, 4)).toEqual({ filled: '', track: '░░░░' });
  });

  it('always take exactly their width', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 5000 }), fc.nat(), fc.integer({ min: 1, max: 40 }), (whole, p, cells) => {
        const b = bar(whole === 0 ? 0 : p % (whole + 1), whole, cells);
        expect(stringWidth(b.filled + b.track)).toBe(cells);
      }),
    );
  });
});

describe('a change in a few words', () => {
  const w = words('en');
  const h = (over: Partial<HistoryEntry>): HistoryEntry => ({
    seq: 1, at: '2024-05-10T09:00:00.000+08:00', by: 'x', item: 'M1.1', action: 'progress', status: 'in_progress', progress: 50, note: null, changes: {}, ...over,
  });

  it('says what moved, without repeating what the verb implies', () => {
    expect(describeChange(h({ changes: { status: ['open', 'in_progress'], progress: [0, 50] } }), w)).toBe('progress 0% → 50%');
    expect(describeChange(h({ action: 'done', changes: { status: ['in_progress', 'done'], progress: [50, 100] } }), w)).toBe('marked done');
    expect(describeChange(h({ action: 'verify', note: 'ok', changes: { status: ['done', 'verified'] } }), w)).toBe('signed off: ok');
    expect(describeChange(h({ action: 'reopen', note: 'why', changes: { status: ['done', 'in_progress'] } }), w)).toBe('reopened: why');
  });

  it('names new owners and moved deadlines', () => {
    expect(describeChange(h({ action: 'assign', changes: { owner: [null, '周婷'], department: [null, '办公室'] } }), w)).toBe('owner 周婷, department 办公室');
    // An extension is named as one (issue 13: 延期 reads as granted).
    expect(describeChange(h({ action: 'extend', changes: { due: ['2024-05-01', '2024-05-15'] } }), w)).toBe('extended: due 2024-05-01 → 2024-05-15');
    expect(describeChange(h({ action: 'extend', changes: { due: ['2024-05-01', '2024-05-15'] } }), words('zh'))).toBe('延期：整改时限 2024-05-01 → 2024-05-15');
    expect(describeChange(h({ action: 'assign', changes: { owner: [null, '周婷'], due: [null, '2024-05-15'] } }), words('zh'))).toBe('责任人：周婷，整改时限：2024-05-15');
  });

  it('shows a note on its own when nothing else changed', () => {
    expect(describeChange(h({ note: '开会', changes: { status: ['open', 'in_progress'] } }), words('zh'))).toBe('进展说明：开会');
  });

  it('escapes control characters from the data', () => {
    expect(describeChange(h({ note: '\u001b[31mred\nline' }), w)).toBe('note: \\x1b[31mred line');
  });
});

describe('the status screen', () => {
  const model = buildStatus(figures, history, AS_OF, 7);

  it('is plain without colour and has the same text with it', () => {
    const plain = renderStatus(model, { lang: 'en' });
    const coloured = renderStatus(model, { lang: 'en', theme: makeTheme(true) });
    expect(plain).not.toContain(ESC);
    expect(coloured).toContain(ESC);
    expect(strip(coloured)).toBe(plain);
  });

  it('keeps every line within 80 columns, however long the names', () => {
    const long = buildStatus(longFigures, longHistory, AS_OF, 7);
    for (const lang of ['en', 'zh'] as const) {
      expect(widest(renderStatus(long, { lang }))).toBeLessThanOrEqual(80);
      // A wide terminal is used (titles show whole), up to 200 columns (issue 13).
      expect(widest(renderStatus(long, { lang, width: 140 }))).toBeLessThanOrEqual(140);
      expect(widest(renderStatus(long, { lang, width: 140 }))).toBeGreaterThan(80);
      expect(widest(renderStatus(long, { lang, width: 500 }))).toBeLessThanOrEqual(200);
      expect(widest(renderStatus(long, { lang, width: 64 }))).toBeLessThanOrEqual(64);
    }
  });

  it('cuts long names with … rather than letting them push the bars', () => {
    // Areas and measures are on the full screen since status fits 40 rows (issue 20).
    const out = renderStatus(buildStatus(longFigures, [], AS_OF, 7), { lang: 'zh', full: true });
    const lines = out.split('\n').filter((l) => l.includes('%') && l.startsWith('  M'));
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.every((l) => l.includes('…'))).toBe(true);
    // The bars start in the same column on every line.
    expect(new Set(lines.map((l) => stringWidth(l.slice(0, l.search(/[\u2588-\u258f\u2591]/)))))).toHaveProperty('size', 1);
  });

  it('shows at most ten lines of a list, then how many more there are', () => {
    const many = Array.from({ length: 13 }, (_, i) => ({ id: `M9.${i + 1}`, title: '事项', owner: null, due: '2024-05-01' }));
    const m = buildStatus({ ...figures, overdue: many, items: { ...figures.items, overdue: 13 } }, [], AS_OF, 7);
    const en = renderStatus(m, { lang: 'en' });
    expect(en).toContain('Overdue (13)');
    expect(en).toContain('M9.10 ');
    expect(en).not.toContain('M9.11 ');
    expect(en).toContain('  … and 3 more');
    expect(renderStatus(m, { lang: 'zh' })).toContain('  ……另有3条');
  });

  it('counts what the store left out of a list cut short', () => {
    const m = buildStatus({ ...figures, overdue: figures.overdue.slice(0, 1), items: { ...figures.items, overdue: 40 } }, [], AS_OF, 7);
    expect(renderStatus(m, { lang: 'en' })).toContain('  … and 39 more');
  });

  it('says so in a word when a section is empty', () => {
    const empty = buildStatus({ ...figures, overdue: [], dueSoon: [], dueSoonTotal: 0, owners: [], items: { ...figures.items, overdue: 0 } }, [], AS_OF, 3);
    const en = renderStatus(empty, { lang: 'en' });
    expect(en).toContain('Overdue (0)\n  No overdue items.');
    expect(en).toContain('Due within 3 days (0)\n  Nothing falls due within 3 days.');
    expect(en).toContain('  No changes in the last 7 days.');
    // Owners are on the full screen (issue 20: the default fits 40 rows).
    expect(en).not.toContain('No open items.');
    expect(renderStatus(empty, { lang: 'en', full: true })).toContain('Owners: open and overdue items\n  No open items.');
    const zh = renderStatus(empty, { lang: 'zh' });
    expect(zh).toContain('逾期事项（0项）\n  无逾期事项。');
    expect(zh).toContain('近7日无变化。');
  });

  it('shows escape sequences in data escaped, never executed', () => {
    const evil = buildStatus({ ...figures, report: { title: '\u001b[2J\u001b[31m台账', unit: 'u\u0007', date: null } }, [], AS_OF, 7);
    const out = renderStatus(evil, { lang: 'en' });
    expect(out).not.toContain(ESC);
    expect(out).not.toContain('\u0007');
    expect(out.split('\n')[0]).toBe('\\x1b[2J\\x1b[31m台账');
  });

  it('draws a small ledger like this', () => {
    const small: Figures = {
      report: { title: '示例材料', unit: null, date: null },
      items: { total: 3, open: 1, inProgress: 1, done: 0, verified: 1, overdue: 1 },
      problems: { total: 2, rectified: 1 },
      areas: [{ id: 'A1', name: '理论学习', problems: 2, rectified: 1 }],
      measures: [{ id: 'M1', title: '深化学习意识', items: 3, done: 1 }],
      overdue: [{ id: 'M1.2', title: '开展测试', owner: '李明', due: '2024-05-09' }],
      dueSoon: [],
      owners: [{ owner: '李明', open: 1, overdue: 1 }, { owner: null, open: 1, overdue: 0 }],
    };
    expect('\n' + renderStatus(buildStatus(small, [], AS_OF, 7), { lang: 'en' })).toMatchInlineSnapshot(`
      "
      示例材料
      As of 2024-05-10

      3 items: 1 open, 1 in progress, 0 done, 1 verified
        Items done or verified  ██████▋░░░░░░░░░░░░░  1/3   33%
        Problems rectified      ██████████░░░░░░░░░░  1/2   50%
        Lights  red 1 · yellow 0 · green 1

      Overdue (1)
        Id    Owner  Due          Late  Item
        M1.2  李明   2024-05-09  1 day  开展测试

      Due within 7 days (0)
        Nothing falls due within 7 days.

      Changes in the last 7 days (2024-05-04 to 2024-05-10)
        No changes in the last 7 days.

      Areas, measures, owners and departments: rectify status --full"
    `);
  });
});

describe('the report as text', () => {
  const model = buildReport({ ...source, history, since: '2024-05-01' });
  const zh = renderReportText(model, 'zh');
  const en = renderReportText(model, 'en');
  const unwrapped = (s: string) => s.replace(/\n +/g, '');

  it('opens with a centred title and what it reports on', () => {
    const lines = zh.split('\n');
    expect(lines[0]!.trim()).toBe('关于市局领导班子主题教育对照检查材料整改进展情况的报告');
    const pad = lines[0]!.length - lines[0]!.trimStart().length;
    expect(Math.abs(pad - (80 - pad - stringWidth(lines[0]!.trim())))).toBeLessThanOrEqual(1);
    expect(unwrapped(zh)).toContain('数据截至2024年5月10日。');
    expect(en.split('\n')[0]!.trim()).toBe('Progress report on the rectification of 市局领导班子主题教育对照检查材料');
    expect(unwrapped(en)).toContain('as of 10 May 2024.');
  });

  it('gives the headline in the words of published reports', () => {
    // The counts in status's order (issue 13), and what they count named.
    expect(unwrapped(zh)).toContain('共8项整改事项：未开始3项、推进中3项、已完成1项、已销号1项，完成率25%；查摆问题7个，已整改1个。');
  });

  it('numbers sections 一、 and parts （一）, and items 1. [id] title', () => {
    for (const s of ['一、总体情况', '二、逐项整改落实情况', '三、逾期及临期事项', '四、问题整改情况', '五、自2024年5月1日以来的变化']) {
      expect(zh.split('\n')).toContain(s);
    }
    expect(zh).toContain('\n（一）深化学习意识，加强理论武装（共2项，已完成1项，完成率50%）\n  1. [M1.1] 落实理论学习中心组和“第一议题”学习制度\n');
    expect(en.split('\n')).toEqual(expect.arrayContaining(['1. Overall', '2. Items by measure', '3. Overdue and due soon', '4. Problems', '5. Changes since 1 May 2024']));
    expect(en).toContain('\n2.1 深化学习意识，加强理论武装 (2 items, 1 done, 50%)\n  1. [M1.1] ');
  });

  it('shows each item with status, progress, owner and department, due, latest note and evidence', () => {
    expect(zh).toContain([
      '  2. [M1.2] 强化党员学习监督检查，开展理论学习成果测试',
      '     状态：已销号，进度100%；整改类型：限期整改',
      '     责任人：李明（机关党委）；整改时限：2024年4月30日',
      '     佐证材料：整改台账；=HYPERLINK("x")',
    ].join('\n'));
    expect(zh).toContain('     责任人：未明确；整改时限：2024年5月8日，已逾期2天');
    expect(zh).toContain('     最新进展：完成三次集中学习');
  });

  it('says what became of each problem, and which have no item yet', () => {
    expect(zh).toContain('  1. [P4.1] 解决难题的成效尚待提升\n     已整改。整改事项：M4.1（已完成）。');
    expect(zh).toContain('     未整改：尚无对应整改事项。');
  });

  it('has no colour codes and no line wider than 80 columns, however long the text', () => {
    const long = buildReport({ ...longSource, history: longHistory, since: '2024-05-01' });
    for (const lang of ['en', 'zh'] as const) {
      const text = renderReportText(long, lang);
      expect(text).not.toContain(ESC);
      expect(widest(text)).toBeLessThanOrEqual(80);
      expect(text.split('\n').every((l) => l === l.trimEnd())).toBe(true);
    }
  });

  it('wraps a long unit in the signature too, each line kept at the right within 80 columns', () => {
    const unit = '中国共产党某某省某某市某某区某某街道工作委员会暨某某社区党群服务中心联合党支部领导班子';
    const long = buildReport({ ...source, report: { ...source.report, unit }, history: null, since: null });
    for (const lang of ['en', 'zh'] as const) {
      const lines = renderReportText(long, lang).trimEnd().split('\n');
      expect(widest(lines.join('\n'))).toBeLessThanOrEqual(80);
      // The signature: the unit's lines, then the date, each ending at column 76.
      const tail = lines.slice(-3);
      expect(tail.map((l) => l.trim()).slice(0, 2).join('')).toBe(unit);
      for (const l of tail) expect(stringWidth(l)).toBe(76);
    }
  });

  it('wraps long lines with the continuation indented under the text', () => {
    const long = renderReportText(buildReport({ ...longSource, history: null, since: null }), 'zh').split('\n');
    const i = long.findIndex((l) => l.startsWith('  1. [M1.1] '));
    expect(long[i + 1]!.startsWith('     ')).toBe(true);
    expect(long[i + 1]!.startsWith('      ')).toBe(false);
  });

  it('is the same text for the same ledger and day', () => {
    expect(renderReportText(buildReport({ ...source, history, since: '2024-05-01' }), 'zh')).toBe(zh);
  });

  it('writes dates as reports do in each language', () => {
    expect(longDate('2024-05-01', words('zh'))).toBe('2024年5月1日');
    expect(longDate('2024-12-31', words('en'))).toBe('31 December 2024');
  });
});

describe('the report as Markdown', () => {
  const md = renderReportMarkdown(buildReport({ ...source, history, since: '2024-05-01' }), 'zh');

  it('has the same headings, as Markdown headings', () => {
    expect(md.startsWith('# 关于市局领导班子主题教育对照检查材料整改进展情况的报告\n')).toBe(true);
    expect(md).toContain('\n## 二、逐项整改落实情况\n');
    expect(md).toContain('\n### （一）深化学习意识，加强理论武装（共2项，已完成1项，完成率50%）\n');
  });

  it('puts items in tables, with | in cells escaped so that columns hold', () => {
    // A light column after the status (issue 20); a finished item has none.
    expect(md).toContain('| 1 | M4.1 | +86 热线回访机制 \\| 每月抽查 | 已完成 |  | 100% |');
    expect(md).toContain('| 3 | M2.3 | 落实领导干部联系点制度，强化对支部工作的督促指导 | 未开始 | 红灯 | 0% |');
    // Every row of every table has as many cells as its header.
    const cells = (l: string) => l.replace(/\\\|/g, '').split('|').length;
    const tables = md.split(/\n(?!\| )/).map((chunk) => chunk.split('\n').filter((l) => l.startsWith('| '))).filter((t) => t.length > 0);
    expect(tables.length).toBeGreaterThan(5);
    for (const t of tables) expect(t.map(cells)).toEqual(t.map(() => cells(t[0]!)));
    expect(mdCell('a|b\\c\nd')).toBe('a\\|b\\\\c d');
  });

  it('keeps links, images and URLs from data inert', () => {
    for (const cell of [mdCell('[x](javascript:alert(1))'), mdCell('![](http://evil.example/p.png)'), mdCell('see www.example.com')]) {
      expect(cell).not.toMatch(/(^|[^\\])\[/);
      expect(cell).not.toMatch(/(^|[^\\])!/);
      expect(cell).not.toMatch(/[a-z]:\/\//);
      expect(cell).not.toMatch(/www\.[a-z]/);
    }
    expect(mdCell('[x](javascript:alert(1))')).toBe('\\[x\\](javascript:alert(1))');
  });
});

describe('the report as CSV', () => {
  const model = buildReport({ ...source, history: null, since: null });
  const csv = renderReportCsv(model, 'zh');

  /** RFC 4180, as a spreadsheet reads it. */
  function parse(text: string): string[][] {
    const rows: string[][] = [];
    let row: string[] = [];
    let cell = '';
    let quoted = false;
    for (let i = 0; i < text.length; i++) {
      const c = text[i]!;
      if (quoted) {
        if (c === '"' && text[i + 1] === '"') (cell += '"'), i++;
        else if (c === '"') quoted = false;
        else cell += c;
      } else if (c === '"') quoted = true;
      else if (c === ',') row.push(cell), (cell = '');
      else if (c === '\r' && text[i + 1] === '\n') row.push(cell), rows.push(row), (row = []), (cell = ''), i++;
      else cell += c;
    }
    return rows;
  }

  it('starts with a byte-order mark and ends every record with CRLF', () => {
    expect(csv.startsWith('\uFEFF编号,措施编号,整改措施,整改事项,')).toBe(true);
    expect(csv.endsWith('\r\n')).toBe(true);
    expect(csv.replace(/"[^"]*"/g, '').split('\n').every((l, i, all) => i === all.length - 1 || l.endsWith('\r'))).toBe(true);
  });

  it('has a header in the user language, then one row per item of every status', () => {
    const rows = parse(csv.slice(1));
    expect(rows[0]).toEqual(['编号', '措施编号', '整改措施', '整改事项', '具体内容', '针对问题', '问题', '责任人', '责任部门', '整改时限', '整改类型', '状态', '进度（%）', '逾期天数', '最新进展', '佐证材料', '创建时间', '更新时间', '完成时间', '销号时间', '亮灯']);
    expect(rows.slice(1).map((r) => r[0])).toEqual(items.map((i) => i.id));
    expect(rows.every((r) => r.length === 21)).toBe(true);
    expect(parse(renderReportCsv(model, 'en').slice(1))[0]![0]).toBe('id');
    const m23 = rows.find((r) => r[0] === 'M2.3')!;
    expect(m23.slice(9, 14)).toEqual(['2024-05-05', '限期整改', '未开始', '0', '5']);
    // The light of an unfinished item, none for a finished one (issue 20).
    expect(m23[20]).toBe('红灯');
    expect(rows.find((r) => r[0] === 'M4.1')![20]).toBe('');
  });

  it('neutralises cells a spreadsheet would run as formulas', () => {
    const rows = parse(csv.slice(1));
    const m41 = rows.find((r) => r[0] === 'M4.1')!;
    expect(m41[3]).toBe("'+86 热线回访机制 | 每月抽查");
    expect(m41[15]).toBe('整改台账\n=HYPERLINK("x")');
    for (const [input, output] of [['=1+1', "'=1+1"], ['+86', "'+86"], ['-5', "'-5"], ['@SUM(A1)', "'@SUM(A1)"], ['\tx', "'\tx"], ['\rx', `"'\rx"`], ['a=b', 'a=b'], ['＝1+1', "'＝1+1"], ['＋86', "'＋86"], ['－5', "'－5"], ['＠SUM(A1)', "'＠SUM(A1)"]]) {
      expect(csvCell(input!)).toBe(output);
    }
  });

  it('names the problems beside their ids, gives completion and sign-off times, and times to the second', () => {
    const completion = new Map([['m4.1', { doneAt: '2024-04-02T10:00:00.123+08:00', verifiedAt: '2024-04-03T09:30:00.5+08:00' }]]);
    const rows = parse(renderReportCsv(model, 'zh', completion).slice(1));
    const withProblems = rows.slice(1).find((r) => r[5] !== '')!;
    const titles = new Map(model.areas.flatMap((a) => a.problems.map((p) => [p.id, p.title])));
    expect(withProblems[6]).toBe(withProblems[5]!.split(', ').map((id) => titles.get(id)).join('\n'));
    const m41 = rows.find((r) => r[0] === 'M4.1')!;
    expect(m41.slice(18, 20)).toEqual(['2024-04-02T10:00:00+08:00', '2024-04-03T09:30:00+08:00']);
    for (const r of rows.slice(1)) for (const at of r.slice(16, 18)) expect(at).not.toMatch(/\.\d/);
  });

  it('quotes cells with commas, quotes or line breaks', () => {
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('two\nlines')).toBe('"two\nlines"');
  });
});
