// An Excel 台账 drafted into a seed: the header row found below any title rows, its columns
// named as offices name them, merged (or left blank) category and problem cells filled down;
// each problem becomes a measure whose items are the rows' 整改措施.
import { isIsoDate } from '../dates.js';
import type { IsoDate } from '../types.js';
import { draftFromListSheets } from './blocks.js';
import { DraftBuilder } from './builder.js';
import { ownLedger } from './own.js';
import { yearOf } from './dates.js';
import { labelWords } from './fields.js';
import { headingOf } from './structure.js';
import { normalize, quotedProblem, splitBulleted, splitNumbered, splitTitle, stripEnd, unitOf } from './text.js';
import { DRAFT_LIMITS, type Cell, type Draft, type DraftContext, type DraftResult } from './types.js';

type Column = 'area' | 'problem' | 'detail' | 'target' | 'measure' | 'owner' | 'department' | 'due' | 'term';

/** Header words of each column, most specific first; a header cell takes the first that fits. */
const OWNER_HEAD = new RegExp(labelWords('owner').join('|'));
const DEPARTMENT_HEAD = new RegExp(labelWords('department').join('|'));
const HEADERS: { col: Column; re: RegExp }[] = [
  { col: 'term', re: /整改类型|整改方式|整改性质/ },
  { col: 'due', re: /时限|完成时间|整改时间|截止|期限/ },
  // The labels a field is written with name its column too (责任股室, 主责单位, 联系领导…).
  { col: 'owner', re: OWNER_HEAD },
  { col: 'department', re: new RegExp([...labelWords('department'), '配合单位'].join('|')) },
  { col: 'target', re: /整改目标|目标要求|预期目标/ },
  { col: 'measure', re: /整改措施|整改任务|整改举措|措施/ },
  { col: 'detail', re: /问题表现|具体表现|主要表现|表现形式/ },
  // A column named by who found the problems (审计发现的问题, 巡察发现问题, 检视问题, 查摆问题):
  // a short header ending in 问题, but not the column of the problems a measure answers.
  { col: 'problem', re: /存在.{0,4}问题|问题描述|问题清单|主要问题|具体问题|反馈问题|问题内容|问题名称|^(?!.*(?:对应|针对|涉及|相关))[^序编类]{0,8}问题$/ },
  { col: 'area', re: /类别|方面|分类|领域|板块|问题类型|类型/ },
];


/** A cell of the sign-off a 台账 ends with: who filled it in, checked it, when, their phone. */
const SIGN_OFF = /^(?:(?:填报|填表|制表|审核|审批|签发|核稿|联系)(?:人|单位|日期|时间|电话)?|联系电话|联系方式|日期|单位负责人)\s*[：:]/;

/** The number a cell's text is written with: 一、 （二） 3. 3、 ①; not 12 家 or 2024年. */
const CELL_NUMBER = /^\s*(?:[一二三四五六七八九十]{1,3}\s*[、.．]|[（(]\s*(?:[一二三四五六七八九十]{1,3}|\d{1,2})\s*[）)]|\d{1,2}\s*[.、．](?!\d)|[①-⑳])\s*/;
function text(c: Cell | undefined): string {
  if (c === null || c === undefined) return '';
  if (typeof c === 'object') return c.date;
  return normalize(String(c)).trim();
}

/** The field a header names. One that names the measures and their deadlines (整改措施及完成时限)
 *  is the measures' column: the deadlines stand in it, after each point. */
function columnOf(h: string): { col: Column } | undefined {
  if (MEASURE_WITH_DUE.test(h)) return { col: 'measure' };
  return HEADERS.find((x) => x.re.test(h));
}
const MEASURE_WITH_DUE = /(?:整改措施|整改任务|整改举措).*(?:时限|时间|期限)/;
/** A point's deadline in parentheses at its end: 更新监控设备（2025年6月底前）. */
const DUE_AFTER = /\s*[（(]([^（）()]{2,30})[）)]\s*[。；;，,]?\s*$/;

/** The columns of a header row, or null when the row is not one: it must name the problem
 *  and the measure columns. */
function header(row: Cell[]): Map<Column, number> | null {
  const cols = new Map<Column, number>();
  row.forEach((c, i) => {
    const h = text(c).replace(/\s+/g, '');
    if (h === '' || h.length > 20) return;
    const found = columnOf(h);
    if (!found) return;
    // A second 问题 column is the problem's detail (存在问题 | 问题表现).
    const col = found.col === 'problem' && cols.has('problem') ? 'detail' : found.col;
    if (!cols.has(col)) cols.set(col, i);
  });
  // A sheet whose only problem column is headed 问题表现 has its problems there.
  if (!cols.has('problem') && cols.has('detail')) {
    cols.set('problem', cols.get('detail') as number);
    cols.delete('detail');
  }
  return cols.has('problem') && cols.has('measure') ? cols : null;
}

/** 1900-system Excel serial day numbers (as a sheet may hold a date typed as a number). */
function fromSerial(n: number): IsoDate | null {
  if (!Number.isFinite(n) || n < 20000 || n > 80000) return null;
  const d = new Date(Date.UTC(1899, 11, 30) + Math.round(n) * 86_400_000);
  const s = d.toISOString().slice(0, 10);
  return isIsoDate(s) ? s : null;
}

/** `sheetName` names the one area of a sheet without categories; `titleAbove` is the report's
 *  title when the table has no title rows of its own (a table inside a Word document). */
export function draftFromTable(rows: Cell[][], ctx: DraftContext, sheetName: string | null, titleAbove: string | null = null): DraftResult {
  if (rows.length > DRAFT_LIMITS.rows) return { ok: false, reason: 'draft.tooLong', limit: DRAFT_LIMITS.rows };
  const at = rows.slice(0, 20).findIndex((r) => header(r) !== null);
  if (at < 0) return { ok: false, reason: 'draft.noHeaderRow' };
  const cols = header(rows[at] as Cell[]) as Map<Column, number>;
  // A header of two rows (责任落实 over 责任领导 | 责任单位): the row below names the rest.
  let first = at + 1;
  const below = rows[at + 1] ?? [];
  // (A cell merged down from the header row reads as the header's text again.)
  const more = below
    .map((c, i) => ({ i, h: text(c).replace(/\s+/g, '') }))
    .filter((x) => x.h !== '' && x.h !== text((rows[at] as Cell[])[x.i]).replace(/\s+/g, ''));
  const distinct = new Set(more.map((x) => x.h)).size === more.length;
  if (more.length > 1 && distinct && more.every((x) => x.h.length <= 12 && headingOf(x.h) === null && HEADERS.some((h) => h.re.test(x.h)))) {
    for (const { i, h } of more) {
      const col = (columnOf(h) as { col: Column }).col;
      if (!cols.has(col) || [...cols.values()].includes(i)) cols.set(col, i);
    }
    first = at + 2;
  }
  const get = (r: Cell[], c: Column) => (cols.has(c) ? r[cols.get(c) as number] : undefined);
  // The measures' column names their deadlines too (整改措施及完成时限), and no column of its own
  // does: each point's is in parentheses after it.
  // One column for the owner and the unit (责任领导/责任单位), and none for the unit alone: a
  // cell of two lines (石建国 / 市容科, or 石建国/市容科) is the one and the other.
  const ownerHead = rows.slice(at, first).map((r) => text(get(r, 'owner')).replace(/\s+/g, '')).join('');
  const ownerAndUnit = !cols.has('department') && OWNER_HEAD.test(ownerHead) && DEPARTMENT_HEAD.test(ownerHead);
  const dueInMeasure = !cols.has('due') && rows.slice(at, first).some((r) => MEASURE_WITH_DUE.test(text(get(r, 'measure')).replace(/\s+/g, '')));

  // The title: the first non-empty cell above the header.
  // (附件2 above the title, as an attachment to a document is marked, is no title.)
  const titleRows = rows.slice(0, at).map((r) => r.map(text).find((x) => x !== '') ?? '').filter((x) => x !== '' && !/^附\s*件\s*[\d一二三四五六七八九十]*\s*[:：]?$/.test(x));
  // The year a deadline without one is in: the title's, else the first the sheet names.
  const allText = [...titleRows, titleAbove ?? '', ...rows.slice(at).flatMap((r) => r.map(text))].join('\n');
  const date = null;
  const year = yearOf(date, allText);
  const b = new DraftBuilder(year !== null ? { value: year, guessed: false } : { value: ctx.fallbackYear, guessed: true });

  let area: number | null = null;
  let areaName = '';
  let problem: { index: number; key: string; measure: number } | null = null;
  for (const r of rows.slice(first)) {
    const name = stripEnd(text(get(r, 'area')));
    const ptext = text(get(r, 'problem'));
    const mtext = text(get(r, 'measure'));
    // A row of one text, merged across the sheet or alone outside the problem and measure
    // columns (一、党的政治建设方面), starts a category.
    const filled = r.map(text).filter((x) => x !== '');
    if (filled.length > 0 && new Set(filled).size === 1 && (filled[0] as string).length <= 40 && (filled.length > 1 || (ptext === '' && mtext === ''))) {
      const heading = stripEnd(headingOf(filled[0] as string)?.text ?? (filled[0] as string));
      if (!/^(?:备注|注|说明|填表|填报)/.test(heading)) {
        areaName = heading;
        area = b.area(heading.replace(/^(?:在|关于)/, '').replace(/(?:方面)?(?:存在的|的)?问题$/, '').replace(/方面$/, '') || heading);
        problem = null;
      }
      continue;
    }
    if (ptext === '' && mtext === '') continue;
    // The sign-off under a 台账 (填报人：王芳 | 审核人：林国华 | 填报日期：…) is no item.
    if (filled.every((x) => SIGN_OFF.test(x))) continue;
    // A blank category or problem cell continues the one above (merged cells read as blank
    // below their first row in some writers; exceljs repeats the first cell's value).
    if (name !== '' && name !== areaName) {
      areaName = name;
      area = b.area(name.replace(/方面$/, '') || name);
      problem = null;
    }
    if (area === null) {
      const n = sheetName !== null && sheetName.trim() !== '' && !/^Sheet\d*$/i.test(sheetName) ? sheetName.trim() : ctx.defaultArea;
      area = b.area(n, n);
    }
    if (ptext !== '' && (problem === null || ptext !== problem.key)) {
      // A problem cell written with its number (一、… （二）… 3.…): the number is no part of its title.
      const said = ptext.replace(CELL_NUMBER, '') || ptext;
      const t: { title: string; detail: string | null } = quotedProblem(said) ?? splitTitle(said);
      const detailCell = text(get(r, 'detail'));
      const detail = [t.detail, detailCell].filter((x) => x !== null && x !== '').join('\n');
      const index = b.problem(area, stripEnd(t.title), detail === '' ? null : detail);
      problem = { index, key: ptext, measure: b.measure(stripEnd(t.title), null) };
    }
    if (problem === null || mtext === '') continue;
    const due = get(r, 'due');
    const dueText = [typeof due === 'number' ? fromSerial(due) ?? String(due) : text(due), text(get(r, 'term'))].filter((x) => x !== '').join(' ');
    const points = splitNumbered(mtext) ?? splitBulleted(mtext) ?? [mtext];
    // A cell that numbers its entries as the measure cell does (1.政务服务科 2.办公室; 1.6月底前
    // 2.长期坚持) gives each point its own; any other cell is every point's.
    const each = (cell: string): ((k: number) => string) => {
      const parts = points.length > 1 ? splitNumbered(cell) : null;
      return parts !== null && parts.length === points.length ? (k) => stripEnd(parts[k] as string) : () => cell;
    };
    // Several people or units, one a line, are listed as the genre lists them: 局长、政治处主任.
    const names = (c: string) => c.split(/\n+/).map((x) => x.trim()).filter((x) => x !== '').join('、');
    let ownerCell = text(get(r, 'owner'));
    let unitCell = text(get(r, 'department'));
    const two = ownerAndUnit ? ownerCell.split(/\n+|[/／]/).map((x) => x.trim()).filter((x) => x !== '') : [];
    if (two.length === 2) [ownerCell, unitCell] = two as [string, string];
    const owner = each(ownerCell);
    const department = each(unitCell);
    const dueOf = each(dueText);
    const { measure, index } = problem;
    points.forEach((written, k) => {
      const after = dueInMeasure ? DUE_AFTER.exec(written) : null;
      const point = after !== null ? written.slice(0, after.index) : written;
      const t = splitTitle(point);
      b.item(measure, {
        title: stripEnd(t.title), detail: t.detail, problems: [index],
        owner: names(owner(k)) || null, department: names(department(k)) || null, dueText: after?.[1] ?? (dueOf(k) || null),
      });
    });
  }
  if (b.problems.length === 0) return { ok: false, reason: 'draft.noProblems' };
  if (b.measures.every((m) => m.items.length === 0)) return { ok: false, reason: 'draft.noMeasures', problems: b.problems.length };
  const tooMany = b.tooMany();
  if (tooMany !== null) return tooMany;
  const title = titleRows[0] ?? titleAbove;
  if (title === null) {
    const guessed = sheetName && sheetName !== '' && !/^Sheet\d*$/i.test(sheetName) ? sheetName : ctx.name;
    b.guess(['report', 'title'], 'other', 'draft.guess.titleFromFile', { file: guessed });
    return { ok: true, draft: b.finish({ title: guessed, unit: null, date }) };
  }
  const unit = unitOf(title);
  if (unit !== null) b.guess(['report', 'unit'], 'other', 'draft.guess.unit', { from: title });
  return { ok: true, draft: b.finish({ title, unit, date }) };
}

/** A workbook: the first sheet that drafts; else the most telling failure (a header row
 *  found, but no problems or measures under it, says more than no header row). */
export function draftFromSheets(sheets: { name: string; rows: Cell[][] }[], ctx: DraftContext): DraftResult {
  // rectify's own 台账 (report -o 台账.xlsx) gives back the ledger it came from.
  const own = ownLedger(sheets, ctx);
  if (own !== null) return own;
  let result: DraftResult = { ok: false, reason: 'draft.noHeaderRow' };
  // Every sheet that is a 台账 (巡察反馈问题, 审计发现问题 on sheets of their own), but one whose
  // problems all stand on a sheet before it (a department's part of the whole list).
  const results: DraftResult[] = [];
  let rows = 0;
  // A sheet that names no year takes the workbook's (the first its sheets name).
  const year = yearOf(null, sheets.flatMap((s) => s.rows.slice(0, DRAFT_LIMITS.rows).flatMap((r) => r.map(text))).join('\n'));
  if (year !== null) ctx = { ...ctx, fallbackYear: year };
  for (const s of sheets) {
    rows += s.rows.length;
    if (rows > DRAFT_LIMITS.rows) return { ok: false, reason: 'draft.tooLong', limit: DRAFT_LIMITS.rows };
    const r = draftFromTable(s.rows, ctx, s.name);
    if (!r.ok && r.reason === 'draft.tooLong') return r;
    if (r.ok) results.push(r);
    else if (!result.ok && result.reason === 'draft.noHeaderRow') result = r;
  }
  // No sheet a 台账, but a sheet of problems and one of the measures that name them.
  return draftsOf(results) ?? (!result.ok && result.reason === 'draft.noHeaderRow' ? draftFromListSheets(sheets, ctx) : null) ?? result;
}

/** Drafts of several tables (sheets, or a Word document's tables) as one, in order; a table
 *  whose problems all stand in one before it is left out. Null when none drafted. */
export function draftsOf(results: DraftResult[]): DraftResult | null {
  const drafts: Draft[] = [];
  for (const r of results) {
    if (!r.ok) continue;
    const seen = new Set(drafts.flatMap((d) => d.seed.areas.flatMap((a) => a.problems.map((p) => p.title))));
    if (!r.draft.seed.areas.every((a) => a.problems.every((p) => seen.has(p.title)))) drafts.push(r.draft);
  }
  return drafts.length === 0 ? null : joined(drafts);
}

function joined(drafts: Draft[]): DraftResult {
  const merged = drafts.slice(1).reduce(appendDraft, drafts[0] as Draft);
  const problems = merged.seed.areas.reduce((n, a) => n + a.problems.length, 0);
  const items = merged.seed.measures.reduce((n, m) => n + m.items.length, 0);
  if (problems > DRAFT_LIMITS.problems) return { ok: false, reason: 'draft.tooLong', limit: DRAFT_LIMITS.problems };
  if (items > DRAFT_LIMITS.items) return { ok: false, reason: 'draft.tooLong', limit: DRAFT_LIMITS.items };
  return { ok: true, draft: merged };
}

/** A draft of a later sheet after the one before: its areas and measures numbered on (the ids
 *  a table's draft makes, A1, P1.1, M1, M1.1, follow their places), its guesses moved with
 *  them; the report is the first sheet's. */
function appendDraft(a: Draft, b: Draft): Draft {
  const ao = a.seed.areas.length;
  const mo = a.seed.measures.length;
  const pid = new Map<string, string>();
  const areas = b.seed.areas.map((area, i) => ({
    ...area,
    id: `A${ao + i + 1}`,
    problems: area.problems.map((p, j) => {
      const id = `P${ao + i + 1}.${j + 1}`;
      pid.set(p.id, id);
      return { ...p, id };
    }),
  }));
  const measures = b.seed.measures.map((m, i) => ({
    ...m,
    id: `M${mo + i + 1}`,
    items: m.items.map((it, j) => ({ ...it, id: `M${mo + i + 1}.${j + 1}`, addresses: it.addresses.map((x) => pid.get(x) ?? x) })),
  }));
  const moved = b.guesses
    .filter((g) => g.path[0] === 'areas' || g.path[0] === 'measures')
    .map((g) => ({ ...g, path: [g.path[0] as string, (g.path[1] as number) + (g.path[0] === 'areas' ? ao : mo), ...g.path.slice(2)] }));
  return {
    seed: { ...a.seed, areas: [...a.seed.areas, ...areas], measures: [...a.seed.measures, ...measures] },
    guesses: [...a.guesses, ...moved],
  };
}
