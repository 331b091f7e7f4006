// rectify's own documents drafted back: the Excel 台账 of `report -o 台账.xlsx` (its 整改台账
// and 问题清单 sheets) and the text report of `report` (its 逐项整改落实情况 and 问题整改情况
// sections), in Chinese or English. They show the ids of problems and items, so the draft
// keeps them (a measure's id is its items' common prefix, M1 of M1.1 and M1.2); areas, whose ids
// they do not show, are numbered A1… in their order; links come from the problem side (which
// items each problem lists), else from the item side's problem titles.
import { isIsoDate } from '../dates.js';
import type { IsoDate } from '../types.js';
import type { Term } from '../vocab.js';
import { DraftBuilder } from './builder.js';
import { normalize } from './text.js';
import { DRAFT_LIMITS, type Cell, type DraftContext, type DraftResult } from './types.js';

const ID = /^[A-Za-z][A-Za-z0-9._-]{0,31}$/;

interface OwnItem {
  id: string;
  title: string;
  measure: string;
  owner: string | null;
  department: string | null;
  due: IsoDate | null;
  term: Term;
  /** Problem titles as the item side lists them, in order. */
  problems: string[];
}

interface OwnProblem {
  id: string;
  area: string;
  title: string;
  /** Item ids the problem side lists. */
  items: string[];
}

interface Own {
  title: string;
  unit: string | null;
  items: OwnItem[];
  problems: OwnProblem[];
}

const TERMS: Record<string, Term> = {
  立行立改: 'immediate', 限期整改: 'deadline', 长期坚持: 'ongoing', immediate: 'immediate', deadline: 'deadline', ongoing: 'ongoing',
};

const MONTHS = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december'];

/** A date as rectify writes it: 2024年6月30日, 30 June 2024, 2024-06-30. */
function longDate(s: string): IsoDate | null {
  const zh = /(\d{4})年(\d{1,2})月(\d{1,2})日/.exec(s);
  const en = /(\d{1,2}) ([A-Za-z]+) (\d{4})/.exec(s);
  const iso = /(\d{4})-(\d{2})-(\d{2})/.exec(s);
  let d: string | null = null;
  if (zh) d = `${zh[1]}-${zh[2]!.padStart(2, '0')}-${zh[3]!.padStart(2, '0')}`;
  else if (en && MONTHS.includes(en[2]!.toLowerCase())) d = `${en[3]}-${String(MONTHS.indexOf(en[2]!.toLowerCase()) + 1).padStart(2, '0')}-${en[1]!.padStart(2, '0')}`;
  else if (iso) d = iso[0];
  return d !== null && isIsoDate(d) ? d : null;
}

/** The draft of what was read: ids kept, measures grouped by title and id prefix. */
function build(own: Own, ctx: DraftContext): DraftResult {
  if (own.items.length > DRAFT_LIMITS.items) return { ok: false, reason: 'draft.tooLong', limit: DRAFT_LIMITS.items };
  if (own.items.length === 0) return { ok: false, reason: 'draft.noMeasures', problems: own.problems.length };
  const b = new DraftBuilder({ value: ctx.fallbackYear, guessed: true });
  const index = new Map<string, number>();
  let problems = own.problems;
  if (problems.length === 0) {
    // No problem list: the problems the items name, in order, in one area.
    const titles = [...new Set(own.items.flatMap((i) => i.problems))];
    problems = titles.map((t, k) => ({ id: `P1.${k + 1}`, area: ctx.defaultArea, title: t, items: own.items.filter((i) => i.problems.includes(t)).map((i) => i.id) }));
  }
  const areas = new Map<string, number>();
  for (const p of problems) {
    let a = areas.get(p.area);
    if (a === undefined) {
      a = b.area(p.area);
      areas.set(p.area, a);
    }
    index.set(p.id.toLowerCase(), b.problem(a, p.title, null, p.id));
  }
  if (b.problems.length === 0) return { ok: false, reason: 'draft.noProblems' };
  // Links: the problems each item rectifies, in the order the item side names them.
  const byTitle = new Map<string, string[]>();
  for (const p of problems) byTitle.set(p.title, [...(byTitle.get(p.title) ?? []), p.id]);
  const links = (it: OwnItem): number[] => {
    const fromProblems = problems.filter((p) => p.items.some((x) => x.toLowerCase() === it.id.toLowerCase())).map((p) => p.id);
    const named = it.problems.map((t) => byTitle.get(t)).filter((ids): ids is string[] => ids !== undefined && ids.length === 1).map((ids) => ids[0] as string);
    const ordered = named.length === it.problems.length && (fromProblems.length === 0 || named.length === fromProblems.length) ? named : fromProblems;
    return [...new Set(ordered.map((id) => index.get(id.toLowerCase())).filter((x): x is number => x !== undefined))];
  };
  // Measures: consecutive items with the same measure title and the same id prefix.
  let k = 0;
  while (k < own.items.length) {
    const first = own.items[k] as OwnItem;
    const prefix = (id: string) => (id.includes('.') ? id.slice(0, id.lastIndexOf('.')) : null);
    let end = k + 1;
    while (end < own.items.length && own.items[end]!.measure === first.measure && prefix(own.items[end]!.id) === prefix(first.id)) end++;
    const p = prefix(first.id);
    const m = b.measure(first.measure || first.title, null, undefined, p !== null && ID.test(p) ? p : null);
    for (const it of own.items.slice(k, end)) {
      b.item(m, {
        id: it.id, title: it.title, detail: null, problems: links(it), owner: it.owner, department: it.department,
        dueText: null, term: it.term, due: it.due,
      });
    }
    k = end;
  }
  return b.tooMany() ?? { ok: true, draft: b.finish({ title: own.title, unit: own.unit, date: null }) };
}

// ---- The Excel 台账 ----------------------------------------------------------------------

type Col = 'id' | 'problem' | 'measure' | 'item' | 'owner' | 'department' | 'due' | 'term' | 'area' | 'items';

const OWN_HEADERS: Record<Col, RegExp> = {
  id: /^(?:编号|Id)$/,
  problem: /^(?:问题|Problem)$/,
  measure: /^(?:整改措施|Measure)$/,
  item: /^(?:整改事项|Item)$/,
  owner: /^(?:责任领导\/责任人|Leader \/ owner)$/,
  department: /^(?:责任部门|Department)$/,
  // 整改时限 / Due since issue 20; 完成时限 / Deadline in 台账 written before.
  due: /^(?:整改时限|完成时限|Due|Deadline)$/,
  term: /^(?:整改类型|Type)$/,
  area: /^(?:方面|Area)$/,
  items: /^(?:整改事项|Through items)$/,
};

function str(c: Cell | undefined): string {
  if (c === null || c === undefined) return '';
  if (typeof c === 'object') return c.date;
  return normalize(String(c)).trim();
}

/** A cell of one text, as rectify's 台账 broke it into lines for print (src/ui/report-xlsx.ts,
 *  breakLines: the text less its line breaks is the data, a space at a line's end kept). */
function one(c: Cell | undefined): string {
  return str(c).replace(/\n/g, '');
}

/** A cell that lists several entries, each starting a line as `starts` tells; the lines
 *  between belong to the entry above, broken for print. Without a line that starts one, the
 *  cell is one entry. */
function entries(c: Cell | undefined, starts: RegExp): string[] {
  const out: string[] = [];
  for (const line of str(c).split('\n')) {
    if (out.length === 0 || starts.test(line)) out.push(line);
    else out[out.length - 1] += line;
  }
  return out.map((e) => e.trim()).filter((e) => e !== '');
}

function columns(row: Cell[], wanted: Col[]): Map<Col, number> | null {
  const cols = new Map<Col, number>();
  row.forEach((c, i) => {
    const h = one(c);
    for (const w of wanted) if (!cols.has(w) && OWN_HEADERS[w].test(h)) cols.set(w, i);
  });
  return wanted.every((w) => cols.has(w)) ? cols : null;
}

function headerAt(rows: Cell[][], wanted: Col[]): { at: number; cols: Map<Col, number> } | null {
  for (let at = 0; at < Math.min(5, rows.length); at++) {
    const cols = columns(rows[at] as Cell[], wanted);
    if (cols !== null) return { at, cols };
  }
  return null;
}

/** rectify's own 台账 (a sheet with 编号, 整改措施 and 整改事项 columns), or null when the
 *  workbook is not one. */
export function ownLedger(sheets: { name: string; rows: Cell[][] }[], ctx: DraftContext): DraftResult | null {
  let ledger: { rows: Cell[][]; at: number; cols: Map<Col, number> } | null = null;
  let list: { rows: Cell[][]; at: number; cols: Map<Col, number> } | null = null;
  for (const s of sheets) {
    const l: { at: number; cols: Map<Col, number> } | null = ledger === null ? headerAt(s.rows, ['id', 'measure', 'item', 'owner', 'department', 'due', 'term']) : null;
    if (l) {
      ledger = { rows: s.rows, ...l };
      continue;
    }
    const p: { at: number; cols: Map<Col, number> } | null = list === null ? headerAt(s.rows, ['id', 'area', 'problem', 'items']) : null;
    if (p) list = { rows: s.rows, ...p };
  }
  if (ledger === null) return null;
  const get = (r: Cell[], c: Col, cols: Map<Col, number>) => (cols.has(c) ? r[cols.get(c) as number] : undefined);
  const head = ledger.rows.slice(0, ledger.at).map((r) => r.map(one).find((x) => x !== '') ?? '');
  const line = head[0] ?? '';
  const en = /^Rectification ledger:\s*(.*)$/.exec(line);
  const title = (en ? (en[1] as string) : line.replace(/整改台账$/, '')) || ctx.name;
  const unitLine = head[1] ?? '';
  const unit = /填报单位：(.+?)\s+数据截至/.exec(unitLine)?.[1] ?? /^Unit:\s*(.+?)\s+As of/.exec(unitLine)?.[1] ?? null;
  const items: OwnItem[] = [];
  const seen = new Map<string, OwnItem>();
  for (const r of ledger.rows.slice(ledger.at + 1)) {
    const id = one(get(r, 'id', ledger.cols));
    if (!ID.test(id)) continue;
    // The 台账 grouped by problem (issue 20) lists an item under each problem it answers.
    const again = seen.get(id.toLowerCase());
    if (again) {
      for (const t of problemsOf(get(r, 'problem', ledger.cols))) {
        if (t !== '' && !again.problems.includes(t)) again.problems.push(t);
      }
      continue;
    }
    const dueCell = get(r, 'due', ledger.cols);
    const termText = one(get(r, 'term', ledger.cols));
    items.push({
      id,
      title: one(get(r, 'item', ledger.cols)),
      measure: one(get(r, 'measure', ledger.cols)),
      owner: one(get(r, 'owner', ledger.cols)) || null,
      department: one(get(r, 'department', ledger.cols)) || null,
      due: dueCell !== null && typeof dueCell === 'object' ? dueCell.date : longDate(one(dueCell)),
      term: TERMS[termText] ?? 'deadline',
      // 问题 lists the item's problems, numbered "1. " when there are several.
      problems: problemsOf(get(r, 'problem', ledger.cols)),
    });
    seen.set(id.toLowerCase(), items[items.length - 1]!);
  }
  // Grouped by problem, a measure's items are apart: back in the ledger's order (ids as
  // rectify numbers them, M1.1 before M1.2 before M10.1), so that a measure is one run.
  if (seen.size > 0) items.sort((a, b) => a.id.localeCompare(b.id, 'en', { numeric: true }));
  const problems: OwnProblem[] = [];
  if (list !== null) {
    for (const r of list.rows.slice(list.at + 1)) {
      const id = one(get(r, 'id', list.cols));
      if (!ID.test(id)) continue;
      problems.push({
        id,
        area: one(get(r, 'area', list.cols)),
        title: one(get(r, 'problem', list.cols)),
        // Each line "M1.1 title" of an item the ledger holds; a title's own lines go with it.
        items: entries(get(r, 'items', list.cols), /^[A-Za-z][A-Za-z0-9._-]{0,31}\s/)
          .map((l) => /^([A-Za-z][A-Za-z0-9._-]{0,31})\s/.exec(l)?.[1])
          .filter((x): x is string => x !== undefined && seen.has(x.toLowerCase())),
      });
    }
  }
  return build({ title, unit, items, problems }, ctx);
}

/** The problems a 台账 row lists: numbered "1. " when there are several, each perhaps over
 *  several lines. */
function problemsOf(c: Cell | undefined): string[] {
  return entries(c, /^\d+\.\s/).map((t) => t.replace(/^\d+\.\s/, '').trim());
}

// ---- The text report ----------------------------------------------------------------------

const CJK = /[\p{Script=Han}\u3000-\u303f\uff00-\uffef“”‘’]/u;

/** Lines wrapped at the report's width joined again: no space between Chinese characters. */
function join(a: string, b: string): string {
  if (a === '') return b;
  return CJK.test(a.slice(-1)) || CJK.test(b.slice(0, 1)) ? a + b : `${a} ${b}`;
}

const SECTION = /^(?:[一二三四五六七八九十]+、|\d+\.\s)\s*(.+)$/;
const PART = /^(?:（[一二三四五六七八九十]+）|\d+\.\d+\s)\s*(.+)$/;
const NUMBERED = /^(\s*)\d+\.\s+\[([A-Za-z][A-Za-z0-9._-]{0,31})\]\s+(.*)$/;

/** rectify's own text report (`rectify report`), or null when the text is not one. */
export function ownReport(text: string, ctx: DraftContext): DraftResult | null {
  const lines = normalize(text).split('\n').map((l) => l.replace(/\s+$/, ''));
  const sectionAt = (re: RegExp) => lines.findIndex((l) => SECTION.test(l) && re.test((SECTION.exec(l) as RegExpExecArray)[1] as string));
  const itemsAt = sectionAt(/^(?:逐项整改落实情况|Items by measure)$/);
  const problemsAt = sectionAt(/^(?:问题整改情况|Problems)$/);
  if (itemsAt < 0 || !lines.some((l) => NUMBERED.test(l))) return null;
  const firstSection = lines.findIndex((l) => SECTION.test(l));
  // The title (centred, perhaps over two lines), then the introduction.
  const top = lines.slice(0, firstSection).map((l) => l.trim());
  const blank = top.indexOf('');
  const titleLine = top.slice(0, blank < 0 ? 1 : blank).filter((l) => l !== '').reduce(join, '');
  const intro = top.slice(blank < 0 ? 1 : blank).filter((l) => l !== '').reduce(join, '');
  const title = /^关于(.+)整改进展情况的报告$/.exec(titleLine)?.[1] ?? /^Progress report on the rectification of (.+)$/.exec(titleLine)?.[1] ?? ctx.name;
  const unit = /^现将(.+?)《/.exec(intro)?.[1] ?? /sets out how (.+?) stands in rectifying/.exec(intro)?.[1] ?? null;

  /** The entries of a section: each part's heading and its numbered entries, each entry its
   *  first line (wrapped lines joined) and the lines after it (facts), also joined. */
  const entries = (from: number) => {
    const out: { part: string; id: string; title: string; facts: string[] }[] = [];
    let part = '';
    let cur: { part: string; id: string; title: string; facts: string[] } | null = null;
    for (let i = from + 1; i < lines.length; i++) {
      const l = lines[i] as string;
      if (SECTION.test(l) && !/^\s/.test(l)) break;
      if (l.trim() === '') {
        cur = null;
        continue;
      }
      const p = !/^\s/.test(l) ? PART.exec(l) : null;
      if (p) {
        part = p[1] as string;
        cur = null;
        continue;
      }
      const n = NUMBERED.exec(l);
      if (n) {
        cur = { part, id: n[2] as string, title: n[3] as string, facts: [] };
        out.push(cur);
        continue;
      }
      if (cur === null) continue;
      const t = l.trim();
      // A fact starts a line with a label (状态：, 责任人：, Owner:); anything else continues
      // the line before it.
      const fact = /^(?:状态|责任人|最新进展|佐证材料|Status|Owner|Latest progress|Evidence)[：:]/.test(t) || /^(?:未整改|已整改|Not |Rectified)/.test(t);
      if (fact) {
        cur.facts.push(t);
      } else if (cur.facts.length === 0) {
        cur.title = join(cur.title, t);
      } else {
        cur.facts[cur.facts.length - 1] = join(cur.facts[cur.facts.length - 1] as string, t);
      }
    }
    return out;
  };

  const items: OwnItem[] = entries(itemsAt).map((e) => {
    const measure = e.part.replace(/（共\d+项.*）$/, '').replace(/\s*\(\d+ items?, \d+ done, \d+%\)$/, '').trim();
    const state = e.facts.find((f) => /^(?:状态|Status)[：:]/.test(f)) ?? '';
    const who = e.facts.find((f) => /^(?:责任人|Owner)[：:]/.test(f)) ?? '';
    const term = /(?:整改类型：|term: )(立行立改|限期整改|长期坚持|immediate|deadline|ongoing)/.exec(state)?.[1];
    const zh = /^责任人：(.*)；整改时限：(.*)$/.exec(who);
    const en = /^Owner: (.*); due: (.*)$/.exec(who);
    const whoText = zh?.[1] ?? en?.[1] ?? '';
    const dueText = zh?.[2] ?? en?.[2] ?? '';
    const od = /^(.*?)(?:（([^（）]*)）|\s\(([^()]*)\))$/.exec(whoText);
    const owner = (od ? (od[1] as string) : whoText).trim();
    const department = od ? ((od[2] ?? od[3]) as string).trim() : null;
    return {
      id: e.id, title: e.title, measure,
      owner: owner === '' || owner === '未明确' || owner === 'not assigned' ? null : owner,
      department: department || null,
      due: longDate(dueText),
      term: term !== undefined ? (TERMS[term] as Term) : 'deadline',
      problems: [],
    };
  });
  const problems: OwnProblem[] = problemsAt < 0 ? [] : entries(problemsAt).map((e) => {
    const verdict = e.facts.join('');
    const ids = [...verdict.matchAll(/([A-Za-z][A-Za-z0-9._-]{0,31})(?:（|\s\()/g)].map((m) => m[1] as string);
    const area = e.part.replace(/方面（问题\d+个.*）$/, '').replace(/（问题\d+个.*）$/, '').replace(/\s*\(\d+ problems?, \d+ rectified\)$/, '').trim();
    return { id: e.id, area, title: e.title, items: ids };
  });
  return build({ title, unit, items, problems }, ctx);
}

// ---- The Word report ----------------------------------------------------------------------

const ENTRY = /^(\d+)\.\s*(\[[A-Za-z][A-Za-z0-9._-]{0,31}\]\s+.*)$/;
/** Where the Word report's sentences of facts begin: after a stop, a label the text report
 *  starts a line with (状态：, 责任人：, Status:, Owner:…) or a problem's verdict (未整改。). */
const FACT_START = /(?<=[。！？.!?])\s*(?=(?:状态|责任人|最新进展|佐证材料|Status|Owner|Latest progress|Evidence)[：:]|(?:未整改|已整改|Not yet rectified|Not rectified|Rectified)[。；：:;,.])/;

/** rectify's own Word report (`report --format docx`), or null when the paragraphs are not
 *  one. It has the text report's sections, parts and entries, but each entry is one paragraph
 *  (the title, then its facts as sentences: 状态：…。责任人：…。), the title may take two
 *  paragraphs, and nothing is indented: the paragraphs are set out as the text report's lines
 *  and read as it is. A title the report ended with 。 or . loses that stop (the report adds
 *  one to every title that has none, so the two cannot be told apart). */
export function ownWordReport(paras: string[], ctx: DraftContext): DraftResult | null {
  const ps = paras.map((p) => normalize(p).replace(/\s+/g, ' ').trim()).filter((p) => p !== '');
  const isSection = (p: string) => !ENTRY.test(p) && SECTION.test(p);
  const items = ps.findIndex((p) => isSection(p) && /^(?:逐项整改落实情况|Items by measure)$/.test((SECTION.exec(p) as RegExpExecArray)[1] as string));
  if (items < 0 || !ps.some((p) => ENTRY.test(p))) return null;
  const first = ps.findIndex(isSection);
  const top = ps.slice(0, first);
  const intro = top.findIndex((p) => /[。.]$/.test(p));
  const lines = [top.slice(0, intro < 0 ? top.length : intro).reduce(join, ''), '', ...(intro < 0 ? [] : top.slice(intro).map((p) => `  ${p}`))];
  for (const p of ps.slice(first)) {
    const e = ENTRY.exec(p);
    if (e) {
      const [title, ...facts] = (e[2] as string).split(FACT_START);
      lines.push(`  ${e[1]}. ${(title as string).replace(/[。.]$/, '')}`, ...facts.map((f) => `     ${f}`));
    } else if (isSection(p)) {
      lines.push('', p);
    } else if (PART.test(p)) {
      lines.push('', p);
    } else {
      lines.push(`  ${p}`);
    }
  }
  return ownReport(lines.join('\n'), ctx);
}

// ---- The Markdown report ------------------------------------------------------------------

/** Markdown's backslash escapes undone (report.ts's mdCell and mdText escape the marks of
 *  emphasis, code, HTML and links, and a URL's colon). */
function unescapeMd(s: string): string {
  return normalize(s).replace(/\\([!-/:-@[-`{-~])/g, '$1').trim();
}

/** rectify's own Markdown report (`report --format md`), or null when the blocks are not one:
 *  the text report's title, sections and parts as # headings, its items and problems as
 *  tables (编号 | 整改事项 | … | 责任人 | 责任部门 | 整改时限 under each measure; 编号 | 问题 |
 *  整改情况 under each area). Its 整改时限 column says 长期坚持 for an ongoing item without a
 *  date; 立行立改 it does not show, so such an item comes back a deadline item. */
/** A term as rectify's reports name it, in either language. */
const TERMS_SHOWN: Record<string, Term> = {
  立行立改: 'immediate', immediate: 'immediate', 限期整改: 'deadline', deadline: 'deadline', 长期坚持: 'ongoing', ongoing: 'ongoing',
};

export function ownMarkdownReport(blocks: ({ kind: 'p'; text: string } | { kind: 'table'; rows: Cell[][] })[], ctx: DraftContext): DraftResult | null {
  const heading = (b: (typeof blocks)[number], level: number) => (b.kind === 'p' && b.text.startsWith('#'.repeat(level) + ' ') ? unescapeMd(b.text.slice(level + 1)) : null);
  const itemsAt = blocks.findIndex((b) => {
    const h = heading(b, 2);
    return h !== null && SECTION.test(h) && /^(?:逐项整改落实情况|Items by measure)$/.test((SECTION.exec(h) as RegExpExecArray)[1] as string);
  });
  if (itemsAt < 0) return null;
  const titleLine = heading(blocks[0] as (typeof blocks)[number], 1) ?? '';
  const introBlock = blocks[1];
  const intro = introBlock?.kind === 'p' ? unescapeMd(introBlock.text) : '';
  const title = /^关于(.+)整改进展情况的报告$/.exec(titleLine)?.[1] ?? /^Progress report on the rectification of (.+)$/.exec(titleLine)?.[1] ?? ctx.name;
  const unit = /^现将(.+?)《/.exec(intro)?.[1] ?? /sets out how (.+?) stands in rectifying/.exec(intro)?.[1] ?? null;
  const items: OwnItem[] = [];
  const problems: OwnProblem[] = [];
  let part = '';
  for (const b of blocks.slice(itemsAt)) {
    const h3 = heading(b, 3);
    if (h3 !== null) {
      part = PART.exec(h3)?.[1] ?? h3;
      continue;
    }
    if (b.kind !== 'table') continue;
    const head = (b.rows[0] ?? []).map((c) => unescapeMd(str(c)));
    const col = (re: RegExp) => head.findIndex((x) => re.test(x));
    const id = col(/^(?:编号|Id)$/);
    const item = col(/^(?:整改事项|Item)$/);
    const owner = col(/^(?:责任人|Owner)$/);
    const department = col(/^(?:责任部门|Department)$/);
    const due = col(/^(?:整改时限|Due)$/);
    const term = col(/^(?:整改类型|Term)$/);
    const problem = col(/^(?:问题|Problem)$/);
    const verdict = col(/^(?:整改情况|Rectification)$/);
    const rows = b.rows.slice(1).map((r) => r.map((c) => unescapeMd(str(c))));
    if (id >= 0 && item >= 0 && owner >= 0 && department >= 0 && due >= 0) {
      // The items of a measure (the overdue list has no 责任部门 column: it repeats them).
      const measure = part.replace(/（共\d+项.*）$/, '').replace(/\s*\(\d+ items?, \d+ done, \d+%\)$/, '').trim();
      for (const r of rows) {
        if (!ID.test(r[id] ?? '')) continue;
        const dueText = r[due] ?? '';
        items.push({
          id: r[id] as string, title: r[item] ?? '', measure,
          owner: (r[owner] ?? '') || null, department: (r[department] ?? '') || null,
          due: longDate(dueText),
          // The term as its column says it (a report before that column: 长期坚持 in place of a date).
          term: TERMS_SHOWN[r[term] ?? ''] ?? (/^(?:长期坚持|ongoing)$/.test(dueText) ? 'ongoing' : 'deadline'),
          problems: [],
        });
      }
    } else if (id >= 0 && problem >= 0 && verdict >= 0) {
      const area = part.replace(/方面（问题\d+个.*）$/, '').replace(/（问题\d+个.*）$/, '').replace(/\s*\(\d+ problems?, \d+ rectified\)$/, '').trim();
      for (const r of rows) {
        if (!ID.test(r[id] ?? '')) continue;
        const ids = [...(r[verdict] ?? '').matchAll(/([A-Za-z][A-Za-z0-9._-]{0,31})(?:（|\s\()/g)].map((m) => m[1] as string);
        problems.push({ id: r[id] as string, area, title: r[problem] ?? '', items: ids });
      }
    }
  }
  if (items.length === 0) return null;
  return build({ title, unit, items, problems }, ctx);
}
