// `rectify report --format xlsx`: the ledger as the Excel 整改台账 an office keeps, ready
// to print: one row per item under a title, the problems and the progress log on sheets of
// their own. Reached only through `await import()`, so that exceljs is loaded by this format
// alone. A function of its inputs: the same ledger on the same day gives the same bytes.
import { Writable } from 'node:stream';
import ExcelJS from 'exceljs';
import {
  completionTimes, dayOf, historySince, type ReportItem, type ReportModel,
} from '../core/summary.js';
import type { HistoryEntry, IsoDate } from '../core/types.js';
import type { Lang, MessageKey } from '../i18n/index.js';
import { longDate } from './report.js';
import { describeChange, words, type Words } from './status.js';
import { clean, cleanInline, width } from './text.js';
import { documentTime, fixZipTimes } from './office-zip.js';
import type { OnFraction } from './progress.js';

export interface XlsxExtras {
  /** The ledger's history made through commands (any order, all of it): the 完成时间 and
   *  销号时间 come from it, and the 进展记录 sheet shows it from `model.since` on. */
  history: readonly HistoryEntry[];
}

type Cell = string | number | Date | null;

/** A column: its heading key, width in Excel's units (about one Latin letter; a Chinese
 *  character takes two), and how its cells align. */
interface Column {
  key: MessageKey;
  width: number;
  align?: 'center' | 'left';
  date?: 'date' | 'time';
}

const FONT: Record<Lang, { name: string; size: number }> = {
  zh: { name: '宋体', size: 10 }, // i18n-ok: typeface names
  en: { name: 'Arial', size: 10 },
};
const TITLE_SIZE = 16;
/** The printed page: A4 landscape (297 mm, in inches) with left and right margins of
 *  0.3 inch. A column of width w (in widths of the default font's digit, 7 pixels at 96
 *  dpi) takes 7w + 5 pixels, i.e. (7w + 5) * 0.75 points. */
export const PRINT = { pageWidthIn: 297 / 25.4, margin: 0.3 };
export const ledgerColumns = (): readonly { width: number }[] => LEDGER;
/** Points a line of 10-point text takes in a row. */
const LINE_HEIGHT = 13.5;
const BORDER: Partial<ExcelJS.Borders> = {
  top: { style: 'thin' }, left: { style: 'thin' }, bottom: { style: 'thin' }, right: { style: 'thin' },
};
const HEAD_FILL: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFD9E1F2' } };
const OVERDUE_FILL: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFFFE0E0' } };
const OVERDUE_FONT = 'FFC00000';
/** Excel holds at most 32,767 characters in a cell (a longer one makes it "repair" the file). */
const CELL_MAX = 32_000;

/** A date as Excel keeps it: a day number, which exceljs derives from UTC midnight. */
function excelDate(d: IsoDate): Date {
  const [y, m, day] = d.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, day));
}

/** A recorded time (`2024-05-06T10:00:00.000+08:00`) as its recorder's wall clock read. */
function excelTime(at: string): Date {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})/.exec(at);
  if (!m) return excelDate(dayOf(at));
  const [, y, mo, d, h, mi, s] = m.map(Number) as number[];
  return new Date(Date.UTC(y!, mo! - 1, d!, h, mi, s));
}

/** Text from data for a cell: controls escaped (XML cannot hold most of them), newlines kept. */
function text(s: string | null | undefined): string {
  return s === null || s === undefined ? '' : clean(s).replace(/\t/g, ' ');
}

/** Display columns of 10-point text a line holds in a column of this width. A column's width
 *  is in widths of a digit of the workbook's font (Calibri 11, 7 pixels at 96 dpi): 7w + 5
 *  pixels, less about 3 for the cell's padding; a display column of 10-point type (half a
 *  Chinese character, 10 points = 13.33 pixels) takes 6.67 pixels. A column of width 8 holds
 *  4 Chinese characters, of width 16 eight. */
function roomIn(colWidth: number): number {
  return Math.max(2, Math.floor((7 * colWidth + 2) / (40 / 6) - 0.1));
}

/** What may not begin a line of Chinese (避头) and what may not end one (避尾): Word's lists for
 *  Simplified Chinese (ECMA-376 Part 1 17.3.1.16, kinsoku), their full-width and ASCII forms. */
const NO_START = /^[!%),.:;?\]}¢°·’”…‰′″℃∶、。〃〉》」』】〕〗〞！＂％＇），．：；？］｝～]/u;
const NO_END = /[$(\[{£¥·‘“〈《「『【〔〖〝（［｛]$/u;
/** What a line is made of: a date (2027年3月31日), a run of Latin letters and digits with what
 *  joins them inside a word (M2.2, 80%, 2026-12-31), or one character. */
const UNITS = /\d{4}年\d{1,2}月\d{1,2}日|\d{1,2}月\d{1,2}日|\d{4}年|[A-Za-z0-9](?:[A-Za-z0-9%％]|[.\-_/:'’](?=[A-Za-z0-9]))*|[\s\S]/gu; // i18n-ok: date words
/** An ASCII quote, which is opening or closing only by where it stands. */
const QUOTE = /^["']$/;

/** Text broken into lines of at most `room` display columns as an office breaks a cell's text
 *  by hand (Alt+Enter) for print: no line starts with ， 。 ） 》 % and the like or ends with （ 《
 *  “ (避头尾: the character before goes down with it), and a number or id is not split. A
 *  spreadsheet wraps Chinese between any two characters, LibreOffice leaving a lone ） on a line
 *  of its own; lines that fit are not wrapped again. */
export function breakLines(text: string, room: number): string {
  return text.split('\n').map((para) => breakParagraph(para, room).join('\n')).join('\n');
}

function breakParagraph(para: string, room: number): string[] {
  if (width(para) <= room) return [para];
  const units = para.match(UNITS) ?? [];
  // An ASCII quote after a word closes it (避头, as ”), elsewhere it opens (避尾, as “): English
  // breaks 'the "first topic" system' as 'the' / '"first topic"', never 'topic' / '" system'.
  const closes = (k: number) => QUOTE.test(units[k]!) && k > 0 && !/\s/u.test(units[k - 1]!);
  const noStart = (k: number) => NO_START.test(units[k]!) || closes(k);
  const noEnd = (k: number) => NO_END.test(units[k]!) || (QUOTE.test(units[k]!) && !closes(k));
  // Each line: its pieces of text and the unit each came from (-1: a piece of a cut word).
  const lines: { text: string; k: number }[][] = [[]];
  let used = 0;
  units.forEach((whole, k) => {
    let unit = whole;
    // A word longer than a line: on lines of its own, cut at the room (nothing better can be
    // done), after a hyphen or slash where one falls within it (Wellington-/Smythe). A Latin
    // word up to a quarter longer is left whole: Latin letters are narrower than the half of a
    // Chinese character counted for them (immediate fits a column of 8).
    const cut = /^[\x21-\x7e]+$/.test(unit) ? Math.floor(room * 1.25) : room;
    if (width(unit) > room && used > 0) {
      lines.push([]);
      used = 0;
    }
    while (width(unit) > cut) {
      let head = '';
      for (const ch of unit) {
        if (width(head + ch) > room && head !== '') break;
        head += ch;
      }
      const soft = Math.max(head.lastIndexOf('-'), head.lastIndexOf('/'));
      if (soft > 0 && soft < head.length - 1) head = head.slice(0, soft + 1);
      lines[lines.length - 1]!.push({ text: head, k: -1 });
      lines.push([]);
      unit = unit.slice(head.length);
    }
    const line = lines[lines.length - 1]!;
    // A space at a line's end stays there: it takes no room and starts no line.
    if (/^\s$/u.test(unit) && used >= room) {
      line.push({ text: unit, k });
      return;
    }
    if (used + width(unit) > room && line.length > 0) {
      const next: { text: string; k: number }[] = [];
      const last = () => line[line.length - 1]!;
      // 避头: a closing mark takes the unit before it down to the new line.
      if (noStart(k)) {
        while (line.length > 1 && last().k >= 0 && noStart(last().k)) next.unshift(line.pop()!);
        if (line.length > 1) next.unshift(line.pop()!);
      }
      // 避尾: an opening mark goes down with what it opens.
      while (line.length > 1 && last().k >= 0 && noEnd(last().k)) next.unshift(line.pop()!);
      lines.push(next);
      used = width(next.map((p) => p.text).join(''));
    }
    lines[lines.length - 1]!.push({ text: unit, k });
    used += width(unit);
  });
  return lines.map((l) => l.map((p) => p.text).join('')).filter((l, _k, all) => l !== '' || all.length === 1);
}

/** How many lines a cell's text takes in a column of this width, as breakLines breaks it. */
function linesIn(value: Cell, colWidth: number): number {
  if (typeof value !== 'string' || value === '') return 1;
  return breakLines(value, roomIn(colWidth)).split('\n').length;
}

interface SheetSpec {
  name: string;
  title: string;
  subtitle: string;
  columns: Column[];
}

/** exceljs's streaming writer (4.4) writes no `<printOptions>`, where `horizontalCentered`
 *  lives, which its whole-workbook writer puts before the margins: a narrow sheet (问题清单)
 *  would print against the left margin. Written there as that writer writes it (addSheet
 *  centres every sheet); a test reads it back. */
function keepPrintOptions(ws: ExcelJS.Worksheet): void {
  const writer = ws as unknown as { _writePageMargins?: () => void; stream: { write(xml: string): void } };
  const margins = writer._writePageMargins;
  if (typeof margins !== 'function') return;
  writer._writePageMargins = () => {
    writer.stream.write('<printOptions horizontalCentered="1"/>');
    margins.call(writer);
  };
}

/** A sheet with the office's layout: a title row and a subtitle row across the columns, a
 *  header row that stays in view and is printed on every page, A4 landscape one page wide. */
function addSheet(wb: ExcelJS.Workbook, spec: SheetSpec, w: Words, lang: Lang): ExcelJS.Worksheet {
  const font = FONT[lang];
  const ws = wb.addWorksheet(spec.name, {
    views: [{ state: 'frozen', xSplit: 0, ySplit: 3, topLeftCell: 'A4', activeCell: 'A4', showGridLines: true }],
    pageSetup: {
      paperSize: 9, // A4
      orientation: 'landscape',
      fitToPage: true,
      fitToWidth: 1,
      fitToHeight: 0,
      horizontalCentered: true,
      margins: { left: PRINT.margin, right: PRINT.margin, top: 0.55, bottom: 0.6, header: 0.3, footer: 0.3 },
      printTitlesRow: '3:3',
    },
    headerFooter: { oddFooter: w.t('office.footer'), evenFooter: w.t('office.footer') },
  });
  keepPrintOptions(ws);
  ws.columns = spec.columns.map((c) => ({ width: c.width }));
  const last = spec.columns.length;

  ws.mergeCells(1, 1, 1, last);
  const title = ws.getCell(1, 1);
  title.value = spec.title;
  title.font = { name: font.name, size: TITLE_SIZE, bold: true };
  title.alignment = { horizontal: 'center', vertical: 'middle', wrapText: true };
  // 16-point type across all the columns: a long title takes more than one line.
  const across = spec.columns.reduce((n, c) => n + c.width, 0);
  ws.getRow(1).height = Math.max(1, Math.ceil(linesIn(spec.title, across) * (TITLE_SIZE / FONT[lang].size) - 0.2)) * 22 + 8;

  ws.mergeCells(2, 1, 2, last);
  const sub = ws.getCell(2, 1);
  sub.value = spec.subtitle;
  sub.font = { name: font.name, size: font.size };
  sub.alignment = { horizontal: 'right', vertical: 'middle' };
  ws.getRow(2).height = 18;

  const head = ws.getRow(3);
  spec.columns.forEach((c, k) => {
    const cell = head.getCell(k + 1);
    cell.value = w.t(c.key);
    cell.font = { name: font.name, size: font.size, bold: true };
    cell.alignment = { horizontal: 'center', vertical: 'middle', wrapText: true };
    cell.border = BORDER;
    cell.fill = HEAD_FILL;
  });
  head.height = Math.max(...spec.columns.map((c) => linesIn(w.t(c.key), c.width))) * LINE_HEIGHT + 6;
  ws.autoFilter = { from: { row: 3, column: 1 }, to: { row: 3, column: last } };
  return ws;
}

/** Appends a data row: borders, wrapping, dates formatted, a height that shows every line. */
function addRow(ws: ExcelJS.Worksheet, columns: Column[], values: Cell[], w: Words, lang: Lang, overdue = false, spanned: number[] = []): ExcelJS.Row {
  const font = FONT[lang];
  const row = ws.addRow(values.map((v, k) => {
    if (v === '') return null;
    if (typeof v !== 'string') return v;
    // Broken into lines here, as the row's height counts them (linesIn).
    const lines = breakLines(v, roomIn(columns[k]!.width));
    return lines.length > CELL_MAX ? `${lines.slice(0, CELL_MAX)}…` : lines;
  }));
  let lines = 1;
  columns.forEach((c, k) => {
    const cell = row.getCell(k + 1);
    cell.font = { name: font.name, size: font.size };
    // A date is never wrapped (2026年12月3⏎日): where the type is wider than the column, it
    // shrinks to fit instead.
    cell.alignment = c.date && values[k] instanceof Date
      ? { horizontal: c.align ?? 'left', vertical: 'middle', shrinkToFit: true }
      : { horizontal: c.align ?? 'left', vertical: 'middle', wrapText: true };
    cell.border = BORDER;
    if (c.date === 'date') cell.numFmt = w.t('office.dateFormat');
    if (c.date === 'time') cell.numFmt = w.t('office.timeFormat');
    // A merged cell spans rows late and not: it keeps no row's colour.
    if (overdue && !spanned.includes(k + 1)) cell.fill = OVERDUE_FILL;
    if (!spanned.includes(k + 1)) lines = Math.max(lines, linesIn(values[k] ?? null, c.width));
  });
  row.height = lines * LINE_HEIGHT + 6;
  return row;
}

/** The ledger's columns. Their widths add up to what A4 landscape holds at 9 points or
 *  more once printed one page wide (PRINT below; a test checks the sum): 14 columns of
 *  10-point type, the dates wide enough for 2026年12月31日. */
const LEDGER: Column[] = [
  { key: 'office.col.num', width: 4, align: 'center' },
  { key: 'office.col.problem', width: 15 },
  { key: 'office.col.measure', width: 13 },
  { key: 'office.col.id', width: 6, align: 'center' },
  { key: 'office.col.item', width: 16 },
  { key: 'office.col.owner', width: 8, align: 'center' },
  { key: 'office.col.department', width: 10, align: 'center' }, // (exceljs leaves out a column of width 9, its default)
  { key: 'office.col.due', width: 13, align: 'center', date: 'date' },
  { key: 'office.col.term', width: 8, align: 'center' },
  { key: 'office.col.progress', width: 16 },
  { key: 'office.col.state', width: 10, align: 'center' },
  { key: 'office.col.evidence', width: 11 },
  { key: 'office.col.doneAt', width: 13, align: 'center', date: 'date' },
  { key: 'office.col.verifiedAt', width: 13, align: 'center', date: 'date' },
];
const NUM_COL = 1;
const PROBLEM_COL = 2;
const MEASURE_COL = 3;
const STATE_COL = 11;

function subtitle(m: ReportModel, w: Words): string {
  const date = longDate(m.asOf, w);
  return m.report.unit ? w.t('office.subtitle', { unit: cleanInline(m.report.unit), date }) : w.t('office.subtitleNoUnit', { date });
}

/** 完成情况: the status, with its light when unfinished (红灯, and how late). In Chinese the
 *  parts are on lines of their own: LibreOffice wraps Chinese in a cell between any two
 *  characters and would leave a lone ） or ， at the start of a line. */
function state(i: ReportItem, w: Words): string {
  if (i.daysOverdue !== null) return w.t('office.stateOverdue', { status: w.status(i.status), late: w.n(i.daysOverdue, 'views.days.one', 'views.days.other') });
  if (i.light === null) return w.status(i.status);
  if (i.status === 'in_progress' && i.progress === 100) return w.t('views.report.stateReopened', { status: w.status(i.status) });
  return w.t('office.stateLight', { status: w.status(i.status), light: w.t(`views.light.${i.light}`) });
}

function progressText(i: ReportItem, w: Words): string {
  const note = i.lastNote !== null && i.lastNote.trim() !== '' ? text(i.lastNote.trim()) : null;
  return note === null ? w.t('office.progress', { progress: i.progress }) : w.t('office.progressNote', { progress: i.progress, note });
}

export interface LedgerRow {
  values: Cell[];
  overdue: boolean;
  /** The group the row belongs to (a problem's id, '' for items that name none): 序号 and
   *  问题 are merged over it. */
  group: string;
  /** The measure of the row's item ('' for a problem with no item): merged over consecutive
   *  rows of a group. */
  measure: string;
}

/** The cells of the ledger sheet as they read, grouped as an office keeps its 台账: each
 *  problem in the report's order, the items that rectify it under it (an item that answers
 *  two problems appears under both), a problem no item answers on a row of its own, and last
 *  the items that name no problem. */
export function ledgerRows(m: ReportModel, history: readonly HistoryEntry[], lang: Lang): LedgerRow[] {
  const w = words(lang);
  const done = completionTimes(history);
  const measures = m.measures.flatMap((x) => x.items.map((i) => ({ i, measure: x.title })));
  const rows: LedgerRow[] = [];
  const itemCells = (i: ReportItem, measure: string): Cell[] => {
    const c = done.get(i.id.toLowerCase());
    const doneAt = (i.status === 'done' || i.status === 'verified') && c?.doneAt ? excelDate(dayOf(c.doneAt)) : null;
    const verifiedAt = i.status === 'verified' && c?.verifiedAt ? excelDate(dayOf(c.verifiedAt)) : null;
    return [
      text(measure), text(i.id), text(i.title), text(i.owner), text(i.department),
      i.due !== null ? excelDate(i.due) : i.term === 'ongoing' ? w.term('ongoing') : '',
      w.term(i.term), progressText(i, w), state(i, w), i.evidence.map(text).join('\n'), doneAt, verifiedAt,
    ];
  };
  // Each problem's items, in the report's order, found in one pass (a filter over every item
  // for each problem took minutes at 100,000 items).
  const known = new Set(m.areas.flatMap((a) => a.problems.map((p) => p.id.toLowerCase())));
  const byProblem = new Map<string, typeof measures>();
  for (const x of measures) {
    for (const key of new Set(x.i.addresses.map((a) => a.toLowerCase()))) {
      if (!known.has(key)) continue;
      const list = byProblem.get(key);
      if (list) list.push(x);
      else byProblem.set(key, [x]);
    }
  }
  let n = 0;
  for (const p of m.areas.flatMap((a) => a.problems)) {
    const key = p.id.toLowerCase();
    const mine = byProblem.get(key) ?? [];
    n++;
    if (mine.length === 0) {
      rows.push({ group: key, measure: '', overdue: false, values: [n, text(p.title), '', '', w.t('office.noItems'), '', '', '', '', '', '', '', '', ''] });
      continue;
    }
    for (const x of mine) rows.push({ group: key, measure: x.measure, overdue: x.i.daysOverdue !== null, values: [n, text(p.title), ...itemCells(x.i, x.measure)] });
  }
  const loose = measures.filter((x) => !x.i.addresses.some((a) => known.has(a.toLowerCase())));
  if (loose.length > 0) n++;
  for (const x of loose) rows.push({ group: '', measure: x.measure, overdue: x.i.daysOverdue !== null, values: [n, w.t('office.noProblem'), ...itemCells(x.i, x.measure)] });
  return rows;
}

/** Lets the event loop turn: the zip takes in and compresses what the committed rows wrote
 *  (memory stays bounded), and the bar's timer can draw. */
const turn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));
/** Rows added between two turns of the event loop (and two calls of the bar). */
const TURN_ROWS = 256;

/** Counts the rows written, for the bar: `rows` of `total` are done. */
interface Tally {
  done: number;
  total: number;
  on?: OnFraction;
}

/** After a committed row: now and then, says how far the work is and lets the zip work. */
async function wrote(t: Tally, rows: number): Promise<void> {
  const before = t.done;
  t.done += rows;
  if (Math.floor(before / TURN_ROWS) === Math.floor(t.done / TURN_ROWS)) return;
  t.on?.(t.done / t.total);
  await turn();
}

/** The ledger sheet, written as it goes: a problem's rows are added, merged and committed
 *  (written to the zip) together, as no merge spans two problems. */
async function ledgerSheet(wb: ExcelJS.Workbook, m: ReportModel, rows: readonly LedgerRow[], w: Words, lang: Lang, tally: Tally): Promise<void> {
  const ws = addSheet(wb, {
    name: w.t('office.sheet.ledger'),
    title: w.t('office.ledger.title', { title: cleanInline(m.report.title) }),
    subtitle: subtitle(m, w),
    columns: LEDGER,
  }, w, lang);
  // A merged cell's text is laid out over the rows it spans: rows grow when the spanned
  // rows together are too short for it.
  const merge = (from: number, to: number, col: number) => {
    // (exceljs checks each merge against every one before it: the time grows with the
    // square of the problems.)
    if (to > from) ws.mergeCells(4 + from, col, 4 + to, col);
    const need = linesIn(rows[from]!.values[col - 1] ?? null, LEDGER[col - 1]!.width) * LINE_HEIGHT + 6;
    let have = 0;
    for (let k = from; k <= to; k++) have += ws.getRow(4 + k).height ?? 0;
    if (have < need) {
      const more = (need - have) / (to - from + 1);
      for (let k = from; k <= to; k++) ws.getRow(4 + k).height = (ws.getRow(4 + k).height ?? 0) + more;
    }
  };
  let start = 0;
  let measureStart = 0;
  for (let k = 0; k < rows.length; k++) {
    const r = rows[k]!;
    // The merged columns do not count for a row's own height.
    const row = addRow(ws, LEDGER, r.values, w, lang, r.overdue, [NUM_COL, PROBLEM_COL, MEASURE_COL]);
    if (r.overdue) row.getCell(STATE_COL).font = { ...FONT[lang], color: { argb: OVERDUE_FONT }, bold: true };
    const next = rows[k + 1];
    const sameGroup = next !== undefined && next.group === r.group;
    if (!(sameGroup && next.measure === r.measure && r.measure !== '')) {
      merge(measureStart, k, MEASURE_COL);
      measureStart = k + 1;
    }
    if (sameGroup) continue;
    merge(start, k, NUM_COL);
    merge(start, k, PROBLEM_COL);
    // The problem's rows are done: written out, with the title rows before them.
    row.commit();
    await wrote(tally, k + 1 - start);
    start = k + 1;
  }
  ws.commit();
}

const PROBLEMS: Column[] = [
  { key: 'office.col.num', width: 5, align: 'center' },
  { key: 'office.col.id', width: 7, align: 'center' },
  { key: 'office.col.area', width: 14, align: 'center' },
  { key: 'office.col.problem', width: 44 },
  { key: 'office.col.rectified', width: 10, align: 'center' },
  { key: 'office.col.items', width: 60 },
];

export function problemRows(m: ReportModel, lang: Lang): Cell[][] {
  const w = words(lang);
  const title = new Map(m.measures.flatMap((x) => x.items).map((i) => [i.id, i.title]));
  let n = 0;
  return m.areas.flatMap((a) => a.problems.map((p) => [
    ++n, text(p.id), text(a.name), text(p.title),
    w.t(p.rectified ? 'office.rectified.yes' : 'office.rectified.no'),
    p.items.length === 0
      ? w.t('office.noItems')
      : p.items.map((i) => w.t('office.problemItem', { id: text(i.id), title: text(title.get(i.id) ?? ''), status: w.status(i.status) })).join('\n'),
  ]));
}

async function problemsSheet(wb: ExcelJS.Workbook, m: ReportModel, rows: readonly Cell[][], w: Words, lang: Lang, tally: Tally): Promise<void> {
  const ws = addSheet(wb, {
    name: w.t('office.sheet.problems'),
    title: w.t('office.problems.title', { title: cleanInline(m.report.title) }),
    subtitle: subtitle(m, w),
    columns: PROBLEMS,
  }, w, lang);
  // Unrectified problems stand out as overdue items do.
  for (const r of rows) {
    addRow(ws, PROBLEMS, r, w, lang, r[4] === w.t('office.rectified.no')).commit();
    await wrote(tally, 1);
  }
  ws.commit();
}

const LOG: Column[] = [
  { key: 'office.col.at', width: 20, align: 'center', date: 'time' },
  { key: 'office.col.id', width: 7, align: 'center' },
  { key: 'office.col.item', width: 36 },
  { key: 'office.col.by', width: 10, align: 'center' },
  { key: 'office.col.action', width: 10, align: 'center' },
  { key: 'office.col.change', width: 28 },
  { key: 'office.col.after', width: 14, align: 'center' },
  { key: 'office.col.note', width: 44 },
];

export function logRows(m: ReportModel, history: readonly HistoryEntry[], lang: Lang): Cell[][] {
  const w = words(lang);
  const title = new Map(m.measures.flatMap((x) => x.items).map((i) => [i.id.toLowerCase(), i.title]));
  return historySince(history, m.since).map((h) => [
    excelTime(h.at), text(h.item), text(title.get(h.item.toLowerCase()) ?? ''), text(h.by),
    w.t(`items.action.${h.action}` as MessageKey),
    // The action column names the verb already: an extension's cell says only what moved.
    // One change a line (LibreOffice would wrap 整改时限：2026-12-03 before its colon).
    describeChange({ ...h, note: null, ...(h.action === 'extend' ? { action: 'assign' as const } : {}) }, w).split(w.t('list.sep')).join(`${w.t('list.sep').trimEnd()}\n`),
    w.t('views.report.state', { status: w.status(h.status), progress: h.progress }),
    text(h.note?.trim()),
  ]);
}

async function logSheet(wb: ExcelJS.Workbook, m: ReportModel, rows: readonly Cell[][], w: Words, lang: Lang, tally: Tally): Promise<void> {
  const ws = addSheet(wb, {
    name: w.t('office.sheet.log'),
    title: w.t('office.log.title', { title: cleanInline(m.report.title) }),
    subtitle: m.since !== null ? w.t('office.log.since', { since: longDate(m.since, w) }) : w.t('office.log.all'),
    columns: LOG,
  }, w, lang);
  for (const r of rows) {
    addRow(ws, LOG, r, w, lang).commit();
    await wrote(tally, 1);
  }
  ws.commit();
}

/** The workbook's bytes. `onProgress`: how far the work is (0 to 1), for a progress bar.
 *  Written with exceljs's streaming writer: each row is committed (made into XML and handed
 *  to the zip) once it is complete, and the event loop turns between batches of rows, so that
 *  the bar follows the rows written and the whole sheet is never held at once. */
export async function renderReportXlsx(m: ReportModel, lang: Lang, extras: XlsxExtras, onProgress?: OnFraction): Promise<Uint8Array> {
  const w = words(lang);
  const chunks: Buffer[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      chunks.push(chunk);
      done();
    },
  });
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: sink, useStyles: true, useSharedStrings: true });
  // Fixed, so that the same ledger on the same day gives the same file.
  wb.creator = 'rectify';
  wb.lastModifiedBy = 'rectify';
  wb.created = documentTime(m.asOf);
  wb.modified = documentTime(m.asOf);
  wb.title = w.t('office.ledger.title', { title: cleanInline(m.report.title) });
  const ledger = ledgerRows(m, extras.history, lang);
  const problems = problemRows(m, lang);
  const log = logRows(m, extras.history, lang);
  // The bar: the rows written, of all three sheets; the zip's last entries (the shared
  // strings, the styles) are the step's last 2 %.
  const tally: Tally = { done: 0, total: Math.max(1, ledger.length + problems.length + log.length), ...(onProgress ? { on: (f: number) => onProgress(f * 0.98) } : {}) };
  await ledgerSheet(wb, m, ledger, w, lang, tally);
  await problemsSheet(wb, m, problems, w, lang, tally);
  await logSheet(wb, m, log, w, lang, tally);
  onProgress?.(0.98);
  await wb.commit();
  onProgress?.(1);
  return fixZipTimes(new Uint8Array(Buffer.concat(chunks)), m.asOf);
}
