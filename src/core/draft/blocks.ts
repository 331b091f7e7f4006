// A Word document drafted: its paragraphs as a report's text, and any table that is a 台账
// (a header row naming the problem and measure columns) as a sheet. Whichever yields more
// items is the draft; a table that is no 台账 is read as text, cell by cell.
import { draftFromText, reportTitleLine, type TextOptions } from './document.js';
import { ownWordReport } from './own.js';
import { yearOf } from './dates.js';
import { headingOf } from './structure.js';
import { draftFromTable, draftsOf } from './table.js';
import { splitNumbered, stripEnd } from './text.js';
import type { Cell, DraftContext, DraftResult } from './types.js';

export type Block = { kind: 'p'; text: string } | { kind: 'table'; rows: Cell[][] };

/** How many items a draft holds; -1 for none made. */
export function itemCount(r: DraftResult): number {
  return r.ok ? r.draft.seed.measures.reduce((n, m) => n + m.items.length, 0) : -1;
}

export function draftFromBlocks(blocks: Block[], ctx: DraftContext, opts: TextOptions = {}): DraftResult {
  const paras = blocks.flatMap((b) => (b.kind === 'p' ? [b.text] : []));
  // rectify's own Word report gives back the ledger it came from (its tables, the overdue
  // items, are a part of it and no 台账 of their own).
  const own = ownWordReport(paras, ctx);
  if (own !== null) return own;
  const title = reportTitleLine(paras.map((p) => p.replace(/^#+\s+/, '')));
  const tables = blocks.map((b) => (b.kind === 'table' ? draftFromTable(b.rows, ctx, null, title) : null));
  const lines: string[] = [];
  blocks.forEach((b, i) => {
    if (b.kind === 'p') lines.push(b.text);
    else if (!tables[i]?.ok && measureRows(b.rows) !== null) lines.push(...(measureRows(b.rows) as string[]));
    else if (!tables[i]?.ok && problemRows(b.rows) !== null) lines.push(...(problemRows(b.rows) as string[]));
    else if (!tables[i]?.ok) {
      // Each row's cells, a merged cell once.
      for (const row of b.rows) {
        const seen = new Set<string>();
        for (const c of row) {
          const s = c === null ? '' : typeof c === 'object' ? c.date : String(c);
          if (s !== '' && !seen.has(s)) {
            seen.add(s);
            lines.push(...s.split('\n'));
          }
        }
      }
    }
  });
  const text = draftFromText(lines.join('\n'), ctx, opts);
  const best = tables.reduce<DraftResult | null>((a, r) => (r !== null && itemCount(r) > itemCount(a ?? text) ? r : a), null);
  // Several 台账 tables (one under each area's heading, （一）政治建设方面): every one, each an
  // area named by the heading above it when it has no category column.
  const ledgers = blocks.flatMap((b, i) => (b.kind === 'table' && tables[i]?.ok ? [{ rows: b.rows, above: areaAbove(blocks, i) }] : []));
  if (ledgers.length > 1) {
    // A table that names no year takes the document's.
    const year = yearOf(null, lines.join('\n'));
    const tctx = year === null ? ctx : { ...ctx, fallbackYear: year };
    const all = draftsOf(ledgers.map((l) => draftFromTable(l.rows, tctx, l.above, title)));
    if (all !== null && itemCount(all) > itemCount(best ?? text)) return all;
  }
  return best ?? text;
}

/** The heading just above a table, as an area's name: a short line that is no sentence
 *  (（一）政治建设方面 → 政治建设), or null. */
function areaAbove(blocks: Block[], i: number): string | null {
  const b = blocks[i - 1];
  if (b === undefined || b.kind !== 'p') return null;
  const line = b.text.replace(/^#+\s+/, '');
  const h = stripEnd(headingOf(line)?.text ?? line);
  if (h.length > 30 || /[。；;：:]/.test(h)) return null;
  return h.replace(/^(?:在|关于)/, '').replace(/(?:方面)?(?:存在的|的)?问题$/, '').replace(/方面$/, '') || h;
}

/** A table of problems with no measure column (序号 | 问题类别 | 问题描述, the 问题清单 of a
 *  方案 whose measures stand in another table or below): each row a numbered problem, under its
 *  category as a heading of its own when the table has one (a blank category cell continues the
 *  one above), so that the text reader takes them as it takes a section of problems. */
export function problemRows(rows: Cell[][]): string[] | null {
  const str = (c: Cell | undefined) => (c === null || c === undefined ? '' : typeof c === 'object' ? c.date : String(c).trim());
  const head = (rows[0] ?? []).map((c) => str(c).replace(/\s+/g, ''));
  if (head.some((h) => /措施|任务|举措/.test(h))) return null;
  const problem = head.findIndex((h) => /^(?:问题描述|问题内容|问题表现|具体问题|主要问题|存在问题|存在的问题|反馈问题|检视问题|查摆问题|问题清单|问题)$/.test(h));
  if (problem < 0) return null;
  const category = head.findIndex((h, i) => i !== problem && /^(?:问题)?(?:类别|方面|分类|领域|类型)$/.test(h));
  const out: string[] = [];
  let cat = '';
  let cats = 0;
  for (const r of rows.slice(1)) {
    const text = str(r[problem]).replace(/\n/g, '');
    if (text === '') continue;
    const c = category < 0 ? '' : str(r[category]).replace(/\n/g, '') || cat;
    if (c !== cat && cats < 10) {
      cat = c;
      out.push(`（${'一二三四五六七八九十'[cats++]}）${c}`);
    }
    out.push(`${out.filter((l) => /^\d/.test(l)).length + 1}.${text}`);
  }
  return out.length > 0 ? out : null;
}

/** A table of measures without a problem column (序号 | 整改措施 | 责任领导 | 责任单位 |
 *  完成时限): each row a numbered item, its other columns as labelled fields in parentheses,
 *  labelled by the column's own header, so that the text reader takes them as it takes any. */
export function measureRows(rows: Cell[][]): string[] | null {
  const str = (c: Cell | undefined) => (c === null || c === undefined ? '' : typeof c === 'object' ? c.date : String(c).trim());
  const head = (rows[0] ?? []).map((c) => str(c).replace(/\s+/g, ''));
  const measure = head.findIndex((h) => /^(?:整改措施|整改任务|整改举措|具体措施|工作措施|主要措施)$/.test(h));
  if (measure < 0) return null;
  const fields = head.map((h, i) => ({ h, i })).filter((x) => x.i !== measure && /领导|责任|牵头|配合|协办|时限|时间|期限/.test(x.h));
  // A column of the problems each row answers (对应问题 | 2、3): said as the text says it,
  // （对应问题2、3）, for the reader of named problems.
  const answers = head.findIndex((h, i) => i !== measure && /^(?:对应问题|针对问题|问题序号|问题编号|对应问题序号|对应问题编号)$/.test(h));
  const out: string[] = [];
  for (const r of rows.slice(1)) {
    const text = str(r[measure]).replace(/\n/g, '');
    if (text === '') continue;
    // Several people or units, one a line, as the genre lists them (局长、政治处主任).
    const labelled = fields.map((f) => ({ h: f.h, v: str(r[f.i]).split(/\n+/).map((x) => x.trim()).filter((x) => x !== '').join(/时限|时间|期限/.test(f.h) ? ' ' : '、') })).filter((f) => f.v !== '');
    const named = answers < 0 ? '' : str(r[answers]).replace(/问题|第|个|项|条|\s/g, '');
    const refs = /^[0-9一二三四五六七八九十]+(?:[、，,和及至到~-][0-9一二三四五六七八九十]+)*$/.test(named) ? `（对应问题${named}）` : '';
    // A cell of numbered points (1.… 2.…, Word's list numbers too): each point an item.
    for (const point of splitNumbered(text) ?? [text]) {
      out.push(`${out.length + 1}.${stripEnd(point)}。${refs}${labelled.length > 0 ? `（${labelled.map((f) => `${f.h}：${f.v}`).join('；')}）` : ''}`);
    }
  }
  return out.length > 0 ? out : null;
}

/** A workbook of lists with no 台账 among them: a sheet of problems (序号 | 问题类别 | 问题描述)
 *  and a sheet of measures naming them (序号 | 整改措施 | 对应问题 | 责任部门 | 完成时限), read as
 *  a report whose sections they are. Null when the sheets are not such lists. */
export function draftFromListSheets(sheets: { name: string; rows: Cell[][] }[], ctx: DraftContext): DraftResult | null {
  // The header may stand under a title row or two.
  const list = (rows: Cell[][], read: (r: Cell[][]) => string[] | null) => {
    for (let k = 0; k < Math.min(rows.length, 5); k++) {
      const got = read(rows.slice(k));
      if (got !== null) return got;
    }
    return null;
  };
  const problems = sheets.map((s) => list(s.rows, problemRows)).find((x) => x !== null) ?? null;
  const measures = sheets.map((s) => list(s.rows, measureRows)).find((x) => x !== null) ?? null;
  if (problems === null || measures === null) return null;
  const r = draftFromText(['一、问题清单', ...problems, '二、整改措施', ...measures].join('\n'), ctx);
  return r.ok ? r : null;
}
