// The Excel 整改台账 (report --format xlsx), written from the sample ledger and read back
// with exceljs itself: sheets, cells, merges, dates, the frozen header, print settings; and
// the model's pieces it rests on (completion times, history since a day).
import type ExcelJS from 'exceljs';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { buildReport, completionTimes, historySince, type ReportModel } from '../../src/core/summary.js';
import type { HistoryEntry } from '../../src/core/types.js';
import { breakLines, ledgerRows, renderReportXlsx } from '../../src/ui/report-xlsx.js';
import { width } from '../../src/ui/text.js';
import { readWorkbook } from '../fixtures/office/read.js';
import { history, source } from '../fixtures/views/sample.js';

const model = (since: string | null = '2024-05-01'): ReportModel => buildReport({ ...source, history: since ? history : null, since });

let zh: ExcelJS.Workbook;
let en: ExcelJS.Workbook;
let zhBytes: Uint8Array;
beforeAll(async () => {
  zhBytes = await renderReportXlsx(model(), 'zh', { history });
  zh = await readWorkbook(zhBytes);
  en = await readWorkbook(await renderReportXlsx(model(), 'en', { history }));
});

/** A cell's text without the line breaks the workbook sets for print. */
const plain = (v: unknown) => (typeof v === 'string' ? v.replace(/\n/g, '') : v);
const sheet = (wb: ExcelJS.Workbook, name: string) => {
  const ws = wb.getWorksheet(name);
  if (!ws) throw new Error(`no sheet ${name}`);
  return ws;
};
/** The first ledger row of an item (title and header take rows 1 to 3; 编号 is column D). */
const rowOf = (ws: ExcelJS.Worksheet, id: string) => {
  for (let r = 4; r <= ws.rowCount; r++) if (ws.getCell(r, 4).value === id) return ws.getRow(r);
  throw new Error(`no row for ${id}`);
};

describe('the 整改台账 sheet', () => {
  it('has the three sheets, in Chinese and in English', () => {
    expect(zh.worksheets.map((w) => w.name)).toEqual(['整改台账', '问题清单', '进展记录']);
    expect(en.worksheets.map((w) => w.name)).toEqual(['Ledger', 'Problems', 'Progress log']);
  });

  it('opens with the report title merged across the columns, then the unit and day, then the header', () => {
    const ws = sheet(zh, '整改台账');
    expect(ws.getCell('A1').value).toBe('市局领导班子主题教育对照检查材料整改台账');
    expect(ws.getCell('A2').value).toBe('填报单位：市局领导班子　　数据截至：2024年5月10日');
    const merges = (ws.model as unknown as { merges: string[] }).merges;
    expect(merges).toContain('A1:N1');
    expect(ws.getRow(3).values).toEqual([
      undefined, '序号', '问题', '整改措施', '编号', '整改事项', '责任领导/责任人', '责任部门', '整改时限', '整改类型', '进展', '完成情况', '佐证材料', '完成时间', '销号时间',
    ]);
    expect(sheet(en, 'Ledger').getCell('A1').value).toBe('Rectification ledger: 市局领导班子主题教育对照检查材料');
  });

  it('is grouped by problem in the report’s order: each problem’s items under it, an item under every problem it answers', () => {
    const ws = sheet(zh, '整改台账');
    const rows = Array.from({ length: ws.rowCount - 3 }, (_, k) => ws.getRow(4 + k));
    // 序号 numbers the problems; merged cells read as their first cell.
    expect(rows.map((r) => [r.getCell(1).value, r.getCell(4).value])).toEqual([
      [1, 'M1.1'], [2, 'M1.1'], [2, 'M2.1'], [2, 'M2.2'], [3, 'M1.2'], [3, 'M2.3'], [4, 'M2.2'], [5, 'M3.1'], [5, 'M3.2'], [6, 'M4.1'], [7, null],
    ]);
    // Text is broken into lines for print (breakLines): read without the breaks.
    expect(plain(rows[1]!.getCell(2).value)).toBe('班子领导效果的制度机制尚需完善');
    // A problem no item answers has its row, saying so.
    expect(plain(rows[10]!.getCell(2).value)).toBe('对重点领域风险点和廉洁风险隐患的关注不足');
    expect(plain(rows[10]!.getCell(5).value)).toBe('尚无对应整改事项');
    const m11 = rowOf(ws, 'M1.1');
    expect(plain(m11.getCell(3).value)).toBe('深化学习意识，加强理论武装');
    expect(m11.getCell(6).value).toBe('王建国');
    expect(m11.getCell(7).value).toBe('办公室');
    expect(m11.getCell(9).value).toBe('限期整改');
    expect(plain(m11.getCell(10).value)).toMatch(/^60%：完成三次集中学习/);
    // The light beside the state (issue 20), each part on its own line.
    expect(m11.getCell(11).value).toBe('推进中\n（绿灯）');
    expect(rowOf(ws, 'M2.3').getCell(11).value).toBe('未开始\n（红灯，\n逾期5天）');
    expect(rowOf(ws, 'M2.1').getCell(8).value).toBe('长期坚持');
    // A formula-looking text stays text.
    expect(rowOf(ws, 'M1.2').getCell(12).value).toBe('整改台账\n=HYPERLINK\n("x")');
  });

  it('merges 序号 and 问题 over a problem’s rows, and 整改措施 where one measure spans rows of a problem', () => {
    const ws = sheet(zh, '整改台账');
    const merges = (ws.model as unknown as { merges: string[] }).merges.filter((m) => !/^A[12]:/.test(m)).sort();
    expect(merges).toEqual(['A11:A12', 'A5:A7', 'A8:A9', 'B11:B12', 'B5:B7', 'B8:B9', 'C11:C12', 'C6:C7']);
    // The merged cells take no row's colour: group 3 holds an overdue row and one on time.
    expect((ws.getCell('B8').fill as ExcelJS.FillPattern | undefined)?.fgColor?.argb).toBeUndefined();
  });

  it('lays out each state in lines that start with no closing mark (LibreOffice would wrap anywhere)', () => {
    const closing = /^[，。、；：！？）》”’」』]/;
    for (const wb of [zh, en]) {
      const ws = wb.worksheets[0]!;
      for (let r = 4; r <= ws.rowCount; r++) {
        const v = ws.getCell(r, 11).value;
        if (typeof v !== 'string') continue;
        const col = ws.getColumn(11).width!;
        for (const line of v.split('\n')) {
          expect(line, line).not.toMatch(closing);
          // Each line fits its column at 10 points: a Chinese character ~1.9 width units.
          if (wb === zh) expect([...line].reduce((n, c) => n + (/[\x20-\x7e]/.test(c) ? 1 : 1.9), 0), line).toBeLessThanOrEqual(col);
        }
      }
    }
  });

  it('breaks every wrapped text into lines that fit, none starting with ，or ） nor ending with （ (避头尾)', async () => {
    // Long data in every text column: notes, titles, evidence with closing marks at every offset.
    const m = model();
    const filler = '制定党性锻炼计划（试行），并于2027年3月31日前完成M2.2项整改，完成率80%。';
    for (const [k, i] of m.measures.flatMap((x) => x.items).entries()) {
      i.title = filler.slice(k % 7) + i.title;
      i.lastNote = filler.repeat(2).slice(k % 5);
      i.evidence = [`${filler.slice(k % 3, 20)}（附件${k}）.pdf`];
    }
    const wb = await readWorkbook(await renderReportXlsx(m, 'zh', { history }));
    const noStart = /^[，。、；：！？）》”’」』%％]/;
    const noEnd = /[（《“‘「『]$/;
    let broken = 0;
    for (const ws of wb.worksheets) {
      for (let r = 4; r <= ws.rowCount; r++) {
        for (let c = 1; c <= ws.columnCount; c++) {
          const v = ws.getCell(r, c).value;
          if (typeof v !== 'string') continue;
          // What a column holds at 10 points: 7w + 5 pixels less padding, 6.67 pixels a display column.
          const room = Math.floor((7 * (ws.getColumn(c).width ?? 9) + 2) / (40 / 6));
          const lines = v.split('\n');
          if (lines.length > 1) broken++;
          for (const line of lines) {
            expect(line, `${ws.name} ${r},${c}: ${v}`).not.toMatch(noStart);
            expect(line, `${ws.name} ${r},${c}: ${v}`).not.toMatch(noEnd);
            expect(width(line), `${ws.name} ${r},${c}: ${line}`).toBeLessThanOrEqual(room);
          }
          // Numbers and ids are not split across lines.
          for (const token of ['2027年3月31日', 'M2.2', '80%']) if (v.replace(/\n/g, '').includes(token)) expect(v).toContain(token);
        }
      }
    }
    expect(broken).toBeGreaterThan(20);
  });

  it('keeps a line break of the data, and cuts a word longer than a line at the line', () => {
    expect(breakLines('一二三\n四五', 10)).toBe('一二三\n四五');
    expect(breakLines('一二三四五六七，八', 14)).toBe('一二三四五六\n七，八');
    expect(breakLines('一二三四五六“八九”', 14)).toBe('一二三四五六\n“八九”');
    // A space before a break stays at the line's end (nothing of the data is lost).
    expect(breakLines('一二 abcdefghijklmnop', 8)).toBe('一二 \nabcdefgh\nijklmnop');
  });

  it('breaks English as English: a closing quote stays with its word, an opening one with the next, an apostrophe inside its word, a long name after its hyphen', () => {
    // Found printing an English ledger through LibreOffice: 'the "first topic' / '" system'.
    // (A space before a break stays at the line's end, as above.)
    expect(breakLines('system and the "first topic" system, with', 16)).toBe('system and the \n"first topic" \nsystem, with');
    expect(breakLines('abcdefghijklm "first topic"', 16)).toBe('abcdefghijklm \n"first topic"');
    expect(breakLines('the whole team\'s study', 14)).toBe('the whole \nteam\'s study');
    expect(breakLines("the leadership team's study", 17)).toBe("the leadership \nteam's study");
    // A name longer than the column: cut after its hyphen, not inside a word (Wellingt/on-Smythe).
    expect(breakLines('Deputy Director Wellington-Smythe', 12)).toBe('Deputy \nDirector \nWellington-\nSmythe');
    // Chinese is broken as before.
    expect(breakLines('一二三四五六“八九”', 14)).toBe('一二三四五六\n“八九”');
  });

  it('writes dates as Excel dates shown as 2024年3月31日, completion and sign-off from the history', () => {
    const ws = sheet(zh, '整改台账');
    const m12 = rowOf(ws, 'M1.2');
    expect(m12.getCell(8).value).toEqual(new Date(Date.UTC(2024, 3, 30)));
    expect(m12.getCell(8).numFmt).toBe('yyyy"年"m"月"d"日"');
    expect(m12.getCell(13).value).toEqual(new Date(Date.UTC(2024, 4, 8)));
    expect(m12.getCell(14).value).toEqual(new Date(Date.UTC(2024, 4, 9)));
    // Done, not signed off.
    expect(rowOf(ws, 'M4.1').getCell(13).value).toEqual(new Date(Date.UTC(2024, 4, 10)));
    expect(rowOf(ws, 'M4.1').getCell(14).value).toBeNull();
    // Done, then reopened: neither.
    expect(rowOf(ws, 'M3.1').getCell(13).value).toBeNull();
    expect(sheet(en, 'Ledger').getCell('H4').numFmt).toBe('[$-409]d mmm yyyy');
  });

  it('highlights overdue rows and only them', () => {
    const ws = sheet(zh, '整改台账');
    const fill = (id: string) => (rowOf(ws, id).getCell(5).fill as ExcelJS.FillPattern | undefined)?.fgColor?.argb;
    expect(fill('M2.3')).toBe('FFFFE0E0');
    expect(fill('M3.2')).toBe('FFFFE0E0');
    expect(fill('M1.1')).toBeUndefined();
    expect(rowOf(ws, 'M2.3').getCell(11).font?.color?.argb).toBe('FFC00000');
  });

  it('wraps cells, keeps the header in view, filters and prints A4 landscape one page wide with the header on every page', () => {
    const ws = sheet(zh, '整改台账');
    expect(ws.views[0]).toMatchObject({ state: 'frozen', ySplit: 3 });
    expect(ws.autoFilter).toBeTruthy();
    expect(ws.getCell('E4').alignment?.wrapText).toBe(true);
    expect(ws.pageSetup).toMatchObject({ paperSize: 9, orientation: 'landscape', fitToPage: true, fitToWidth: 1, fitToHeight: 0, printTitlesRow: '3:3', horizontalCentered: true });
    expect(ws.headerFooter.oddFooter).toBe('&C第 &P 页，共 &N 页');
    expect(sheet(en, 'Ledger').headerFooter.oddFooter).toBe('&CPage &P of &N');
    // Rows tall enough for their wrapped lines.
    expect(rowOf(ws, 'M4.1').height).toBeGreaterThan(rowOf(ws, 'M3.2').height);
  });

  it('prints at 9 points or more: 10-point type, the columns shrunk to the page’s width by no more than 10 %', () => {
    for (const wb of [zh, en]) {
      const ws = wb.worksheets[0]!;
      const font = ws.getCell('E4').font!.size!;
      expect(font).toBeGreaterThanOrEqual(9);
      // Excel: a column of width w is 7w + 5 pixels of 96 dpi (the default font's digit is 7).
      let pt = 0;
      for (let c = 1; c <= ws.columnCount; c++) pt += (7 * ws.getColumn(c).width! + 5) * 0.75;
      const m = ws.pageSetup.margins!;
      const printable = (297 / 25.4 - m.left - m.right) * 72;
      expect(font * Math.min(1, printable / pt), `${font} ${pt} ${printable} ${ws.columnCount}`).toBeGreaterThanOrEqual(9);
    }
  });
});

describe('the 问题清单 and 进展记录 sheets', () => {
  it('lists every problem with its area, whether rectified, and through which items', () => {
    const ws = sheet(zh, '问题清单');
    expect(ws.getCell('A1').value).toBe('市局领导班子主题教育对照检查材料问题清单');
    expect(ws.getRow(4).values).toEqual([undefined, 1, 'P1.1', '理论学习', '个人学习尚未达到严谨要求', '未整改', 'M1.1 落实理论学习中心组和“第一议题”学习制度（推进中）']);
    const p41 = ws.getRow(9).values as unknown[];
    expect(p41.slice(2, 6)).toEqual(['P4.1', '担当作为', '解决难题的成效尚待提升', '已整改']);
    expect(ws.getRow(10).getCell(6).value).toBe('尚无对应整改事项');
    expect(ws.pageSetup.printTitlesRow).toBe('3:3');
    // Narrower than the page: printed in its middle.
    expect(ws.pageSetup.horizontalCentered).toBe(true);
  });

  it('shows the history since --since, newest first, with real times', () => {
    const ws = sheet(zh, '进展记录');
    expect(ws.getCell('A2').value).toBe('自2024年5月1日以来的记录，按时间倒序');
    // 9 entries, of which one is before 2024-05-01.
    expect(ws.rowCount).toBe(3 + 8);
    expect(ws.getCell('A4').value).toEqual(new Date(Date.UTC(2024, 4, 10, 10, 0, 0)));
    expect(ws.getCell('A4').numFmt).toBe('yyyy"年"m"月"d"日" hh:mm');
    expect((ws.getRow(4).values as unknown[]).slice(1).map(plain)).toEqual([
      new Date(Date.UTC(2024, 4, 10, 10, 0, 0)), 'M2.2', '完善全面从严治党工作机制，压实主体责任和“一岗双责”', 'tester', '指定责任',
      '整改时限 2024-05-01 → 2024-05-15', '推进中，进度20%',
    ]);
    const last = ws.getRow(ws.rowCount);
    expect(last.getCell(2).value).toBe('M3.2');
    expect(last.getCell(5).value).toBe('指定责任');
  });

  it('shows all the history without --since', async () => {
    const wb = await readWorkbook(await renderReportXlsx(model(null), 'zh', { history }));
    const ws = sheet(wb, '进展记录');
    expect(ws.rowCount).toBe(3 + 9);
    expect(ws.getCell('A2').value).toBe('全部记录，按时间倒序');
  });
});

describe('the same ledger on the same day', () => {
  it('gives the same bytes, whatever the clock says', async () => {
    // Made again on another day by the clock: zip entries and properties must not show it.
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2031-07-15T03:04:05Z'));
    let again: Uint8Array;
    try {
      again = await renderReportXlsx(model(), 'zh', { history });
    } finally {
      vi.useRealTimers();
    }
    expect(Buffer.from(again).equals(Buffer.from(zhBytes))).toBe(true);
    expect(zh.created).toEqual(new Date('2024-05-10T12:00:00Z'));
    expect(zh.modified).toEqual(new Date('2024-05-10T12:00:00Z'));
  });
});

describe('completion times', () => {
  let seq = 0;
  const h = (at: string, item: string, action: HistoryEntry['action'], status: HistoryEntry['status']): HistoryEntry =>
    ({ seq: seq++, at: `2024-05-${at}:00.000+08:00`, by: 'x', item, action, status, progress: 0, note: null, changes: {} });

  it('are the latest finish and sign-off that still stand', () => {
    const c = completionTimes([
      h('01T09:00', 'A', 'done', 'done'),
      h('02T09:00', 'A', 'verify', 'verified'),
      h('03T09:00', 'A', 'reopen', 'in_progress'),
      h('04T09:00', 'A', 'done', 'done'),
      h('05T09:00', 'A', 'verify', 'verified'),
      h('01T09:00', 'B', 'done', 'done'),
      h('02T09:00', 'B', 'progress', 'done'),
      h('01T09:00', 'C', 'progress', 'in_progress'),
    ]);
    expect(c.get('a')).toEqual({ doneAt: '2024-05-04T09:00:00.000+08:00', verifiedAt: '2024-05-05T09:00:00.000+08:00' });
    expect(c.get('b')).toEqual({ doneAt: '2024-05-01T09:00:00.000+08:00', verifiedAt: null });
    expect(c.get('c')).toEqual({ doneAt: null, verifiedAt: null });
  });

  it('in the sample: M1.2 done on 8 May and signed off on 9 May; M3.1 reopened has none', () => {
    const rows = ledgerRows(model(), history, 'zh');
    const row = (id: string) => rows.find((r) => r.values[3] === id)!.values;
    expect(row('M1.2').slice(12)).toEqual([new Date(Date.UTC(2024, 4, 8)), new Date(Date.UTC(2024, 4, 9))]);
    expect(row('M3.1').slice(12)).toEqual([null, null]);
  });

  it('history since a day is newest first and includes that day', () => {
    const list = historySince(history, '2024-05-09');
    expect(list.map((x) => x.item)).toEqual(['M2.2', 'M4.1', 'M3.1', 'M1.2', 'M3.1']);
  });
});

describe('data that could break a workbook', () => {
  it('keeps controls, markup, formulas and very long texts inert and within Excel’s limits', async () => {
    const m = model();
    const hostile = `<b>&amp;</b> "x" \u0007bell\ttab =1+1`;
    m.report = { ...m.report, title: `${hostile}${'长'.repeat(80)}`, unit: null };
    const item = m.measures[0]!.items[0]!;
    item.title = hostile;
    item.evidence = Array.from({ length: 40 }, (_, k) => `${k}${'证'.repeat(999)}`);
    const wb = await readWorkbook(await renderReportXlsx(m, 'zh', { history }));
    const ws = sheet(wb, '整改台账');
    expect(ws.getCell('A1').value).toBe(`<b>&amp;</b> "x" \\x07bell tab =1+1${'长'.repeat(80)}整改台账`);
    expect(ws.getRow(1).height).toBeGreaterThan(30);
    expect(ws.getCell('A2').value).toBe('数据截至：2024年5月10日');
    const row = rowOf(ws, 'M1.1');
    expect(plain(row.getCell(5).value)).toBe('<b>&amp;</b> "x" \\x07bell tab =1+1');
    expect(String(row.getCell(12).value).length).toBe(32_001);
  });

  it('makes a workbook of a ledger with no items', async () => {
    const m = buildReport({ ...source, items: [], history: null, since: null });
    const wb = await readWorkbook(await renderReportXlsx(m, 'en', { history: [] }));
    // A row for each problem, saying no item answers it.
    expect(sheet(wb, 'Ledger').rowCount).toBe(3 + m.areas.flatMap((a) => a.problems).length);
    expect(plain(sheet(wb, 'Ledger').getCell('E4').value)).toBe('no item addresses it');
    expect(sheet(wb, 'Problems').getCell('F4').value).toBe('no item addresses it');
  });
});
