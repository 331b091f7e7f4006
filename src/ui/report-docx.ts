// `rectify report --format docx`: the progress report (整改进展情况报告) as a Word document
// in the official layout of 党政机关公文 (GB/T 9704-2012) in Chinese, and in the same
// structure with ordinary fonts in English. The content and order are the text report's
// (the same catalogue entries), plus what a document handed to a meeting has: a table of the
// overdue and due-soon items, 下一步工作打算, and the 落款. Reached only through
// `await import()`, so that docx is loaded by this format alone. The same ledger on the same
// day gives the same bytes.
import { areaName, titleCore } from './report.js';
import {
  AlignmentType, BorderStyle, Document, Footer, type IParagraphOptions, type IRunOptions, LineRuleType, NoBreakHyphen, OnOffElement, Packer, PageNumber, Paragraph, Table, TableCell,
  TableLayoutType, TableRow, TextRun, VerticalAlign, WidthType,
} from 'docx';
import {
  chineseNumber, openByOwner, type Changes, type Happening, type ReportItem, type ReportModel, type ReportProblem,
} from '../core/summary.js';
import type { Lang, MessageKey } from '../i18n/index.js';
import { longDate } from './report.js';
import { words, type Words } from './status.js';
import { cleanInline, width } from './text.js';
import { documentTime, fixZipTimes } from './office-zip.js';
import type { OnFraction } from './progress.js';

// ---------------------------------------------------------------------------------------
// The page and the type, in twips (1/20 point) and half-points

const MM = 1440 / 25.4;
const mm = (x: number) => Math.round(x * MM);
/** A4, and GB/T 9704's margins: top 37 mm, bottom 35 mm, left 28 mm, right 26 mm. */
export const PAGE = {
  width: mm(210), height: mm(297),
  top: mm(37), bottom: mm(35), left: mm(28), right: mm(26),
  // The page number sits about 7 mm below the text block.
  footer: mm(35 - 7 - 5.5),
  header: mm(15),
};

interface Typeface {
  /** East Asian characters. */
  cjk: string;
  /** Latin letters and digits. */
  latin: string;
}

interface Look {
  title: Typeface & { size: number; bold: boolean };
  body: Typeface & { size: number };
  h1: Typeface & { bold: boolean };
  h2: Typeface & { bold: boolean };
  table: Typeface & { size: number };
  pageNumber: Typeface & { size: number };
  /** Line spacing of the body, in twips, and its rule. */
  line: number;
  lineRule: (typeof LineRuleType)[keyof typeof LineRuleType];
  /** First-line indent of paragraphs (two characters in Chinese). */
  indent: number;
  /** Space after a paragraph. */
  after: number;
  /** Spacing added between the body's characters, in twentieths of a point. */
  tracking: number;
}

/** 二号 is 22 pt, 三号 16 pt, 四号 14 pt, 小四 12 pt; sizes here are half-points. */
const LOOKS: Record<Lang, Look> = {
  zh: {
    title: { cjk: '方正小标宋简体', latin: 'Times New Roman', size: 44, bold: false }, // i18n-ok: typeface names
    body: { cjk: '仿宋_GB2312', latin: 'Times New Roman', size: 32 }, // i18n-ok: typeface names
    h1: { cjk: '黑体', latin: 'Times New Roman', bold: false }, // i18n-ok: typeface names
    h2: { cjk: '楷体_GB2312', latin: 'Times New Roman', bold: false }, // i18n-ok: typeface names
    table: { cjk: '仿宋_GB2312', latin: 'Times New Roman', size: 24 }, // i18n-ok: typeface names
    pageNumber: { cjk: '宋体', latin: '宋体', size: 28 }, // i18n-ok: typeface names
    line: 560, // 28 pt, exactly: 22 lines on a page
    lineRule: LineRuleType.EXACT,
    indent: 640, // two characters of 16 pt
    after: 0,
    // 28 characters a line as GB/T 9704 sets them: the text is 156 mm (442 pt) wide, so a
    // character takes 15.75 pt, not 16. (A document grid says the same to Word but not to
    // LibreOffice, which spread the characters apart.)
    tracking: -5,
  },
  en: {
    // Chinese data in an English report still needs a Chinese typeface: SimSun, Windows' own.
    title: { cjk: 'SimSun', latin: 'Times New Roman', size: 32, bold: true }, // i18n-ok: typeface names
    body: { cjk: 'SimSun', latin: 'Times New Roman', size: 24 }, // i18n-ok: typeface names
    h1: { cjk: 'SimHei', latin: 'Arial', bold: true },
    h2: { cjk: 'SimHei', latin: 'Arial', bold: false },
    table: { cjk: 'SimSun', latin: 'Times New Roman', size: 20 }, // i18n-ok: typeface names
    pageNumber: { cjk: 'Times New Roman', latin: 'Times New Roman', size: 22 }, // i18n-ok: typeface names
    line: 300, // 1.25 lines
    lineRule: LineRuleType.AUTO,
    indent: 0,
    after: 120,
    tracking: 0,
  },
};

const font = (f: Typeface) => ({ ascii: f.latin, hAnsi: f.latin, cs: f.latin, eastAsia: f.cjk });

// ---------------------------------------------------------------------------------------
// The document as blocks, in the text report's order

type Block =
  | { kind: 'title'; text: string; lines: string[] }
  | { kind: 'to'; text: string }
  | { kind: 'para'; text: string }
  | { kind: 'h1'; text: string }
  | { kind: 'h2'; text: string }
  | { kind: 'table'; head: string[]; rows: string[][]; widths: number[] }
  | { kind: 'sign'; lines: string[] };

// ---------------------------------------------------------------------------------------
// What a line must not split

/** WORD JOINER: no line break on either side (Unicode UAX #14); no width, no glyph. */
export const WJ = '\u2060';
/** A hyphen inside an id, written as Word's non-breaking hyphen (w:noBreakHyphen): the same
 *  glyph as "-", never a place to break. Marked with U+2011 until the run is made. */
const NB_HYPHEN = '\u2011';
/** In Chinese type a line may break between any two characters, digits included: LibreOffice
 *  set 202⏎7年, M2.⏎2, 80⏎% and ignores joiners and no-break spaces in East Asian text. So
 *  dates, ids, and numbers with their sign or measure word are kept whole. */
const WHOLE_ZH = /\d{4}年\d{1,2}月\d{1,2}日|\d{1,2}月\d{1,2}日|\d{4}年|\[[^\]\s]{1,40}\]|[A-Za-z][A-Za-z0-9]*(?:[.-][A-Za-z0-9]+)+|\d+(?:\.\d+)?(?:%|％|项|个|天|日|次|条|件|人|名|倍)?/g; // i18n-ok: measure words
/** English breaks at spaces: a date keeps its day, month and year together (no-break
 *  spaces), and an id its hyphens. */
const EN_DATE = /\b\d{1,2} (?:January|February|March|April|May|June|July|August|September|October|November|December) \d{4}\b/g;
const ID_HYPHEN = /\[[^\]\s]{1,40}\]|\b[A-Za-z][A-Za-z0-9]*(?:-[A-Za-z0-9]+)+\b/g;

/** A stretch of a run's text; `whole` ones must not be split across lines. */
export interface Stretch {
  text: string;
  whole: boolean;
}

/** The text as the document sets it, in stretches. A whole stretch of Chinese type has word
 *  joiners between its characters and is tagged as Western text (its run's East Asian
 *  language en-US): LibreOffice then breaks it by the Unicode rules, which the joiners
 *  forbid, where the Chinese rules break anywhere (checked by rendering: a date set at
 *  every offset across a line's end stays on one line). */
export function keepWhole(text: string, lang: Lang): Stretch[] {
  const hyphens = (t: string) => t.replace(/-/g, NB_HYPHEN);
  if (lang !== 'zh') return [{ text: text.replace(EN_DATE, (t) => t.replace(/ /g, '\u00a0')).replace(ID_HYPHEN, hyphens), whole: false }];
  const out: Stretch[] = [];
  let at = 0;
  for (const m of text.matchAll(WHOLE_ZH)) {
    if (m.index > at) out.push({ text: text.slice(at, m.index), whole: false });
    out.push({ text: [...hyphens(m[0])].join(WJ), whole: true });
    at = m.index + m[0].length;
  }
  if (at < text.length || out.length === 0) out.push({ text: text.slice(at), whole: false });
  return out;
}

/** What Word is told on every paragraph about where a line may end, after ECMA-376 Part 1
 *  (ISO/IEC 29500-1) 17.3.1, paragraph properties, and Microsoft's notes on Word's own
 *  implementation (MS-OI29500). The values are Word's defaults, said outright so that no style
 *  the document is given later turns them off:
 *  - w:kinsoku on (17.3.1.16): the East Asian rules for the first and last character of a line;
 *    for Simplified Chinese a line cannot start with ，。、）》」%: and others, nor end with （《「.
 *    Word applies them to Chinese, Japanese and Korean text (MS-OI29500 2.1.47): 80% stays whole
 *    (% may not start a line), and no ， or ） begins one.
 *  - w:wordWrap on (17.3.1.45): text of space-delimited languages is broken between words, not
 *    inside one (off would break "world" as "wo⏎rld"). Digits and Latin letters with no space
 *    between are such a word: 2027, M2.2, 100000 are not split.
 *  - w:overflowPunct on (17.3.1.21): punctuation may hang past the line's end; where it and
 *    kinsoku both apply to a character Word lets this one win (MS-OI29500 2.1.47): a ，that
 *    would start a line hangs at the end of the one before instead.
 *  - w:autoSpaceDN is left to its default, true (17.3.1.3): Word widens the space between
 *    numbers and Chinese; it changes no place a line may end.
 *  An id's hyphen is w:noBreakHyphen (17.3.3.18): the hyphen's glyph, never a break. The WORD
 *  JOINERs (U+2060) between a whole stretch's characters are text to the format: ECMA-376 says
 *  nothing of them, and Word's handling of them could not be checked here (no Word); they are
 *  what keeps 2027年 and 12月3日 whole in LibreOffice. In Word, 2027年 rests on wordWrap for
 *  2027 alone: the format lets a line end between 7 and 年 unless Word honours the joiner. */
const LINE_RULES = ['w:kinsoku', 'w:wordWrap', 'w:overflowPunct'] as const;
/** What comes before kinsoku in a paragraph's properties (CT_PPrBase is a sequence). */
const BEFORE_LINE_RULES = new Set([
  'w:pStyle', 'w:keepNext', 'w:keepLines', 'w:pageBreakBefore', 'w:framePr', 'w:widowControl', 'w:numPr',
  'w:suppressLineNumbers', 'w:pBdr', 'w:shd', 'w:tabs', 'w:suppressAutoHyphens',
]);

/** A paragraph of the report's body, with LINE_RULES. */
const paragraph = (options: IParagraphOptions): Paragraph => withLineRules(new Paragraph(options));

/** The paragraph with LINE_RULES in its properties, in the schema's order. */
function withLineRules(p: Paragraph): Paragraph {
  // docx has no option for kinsoku, and its wordWrap option writes val="0" (break anywhere).
  const props = (p as unknown as { properties: { root: unknown[] } }).properties;
  const name = (x: unknown) => (x as { rootKey?: string }).rootKey ?? '';
  let at = 0;
  while (at < props.root.length && BEFORE_LINE_RULES.has(name(props.root[at]))) at++;
  props.root.splice(at, 0, ...LINE_RULES.map((name) => new OnOffElement(name)));
  return p;
}

/** A run's content: text, with each marked hyphen as Word's non-breaking hyphen. */
function runChildren(text: string): (string | NoBreakHyphen)[] {
  const out: (string | NoBreakHyphen)[] = [];
  text.split(NB_HYPHEN).forEach((part, k) => {
    if (k > 0) out.push(new NoBreakHyphen());
    if (part !== '') out.push(part);
  });
  return out;
}

/** The runs of a text in one type: a run for each stretch. */
function textRuns(text: string, lang: Lang, props: Omit<IRunOptions, 'text' | 'children'>, firstBreak = false): TextRun[] {
  return keepWhole(text, lang).map((s, k) => new TextRun({
    ...props,
    ...(k === 0 && firstBreak ? { break: 1 } : {}),
    ...(s.whole ? { language: { value: 'en-US', eastAsia: 'en-US' } } : {}),
    children: runChildren(s.text),
  }));
}

/** Sentences joined as a report writes them: each ends with a stop unless it has one. */
function sentences(parts: string[], lang: Lang): string {
  const stop = lang === 'zh' ? '。' : '.';
  const sep = lang === 'zh' ? '' : ' ';
  return parts
    .filter((p) => p.trim() !== '')
    .map((p) => (/[。！？.!?]$/.test(p) ? p : p + stop))
    .join(sep);
}

function sectionMark(n: number, lang: Lang): string {
  return lang === 'zh' ? `${chineseNumber(n)}、` : `${n}. `;
}
function partMark(section: number, n: number, lang: Lang): string {
  return lang === 'zh' ? `（${chineseNumber(n)}）` : `${section}.${n} `;
}
function entryMark(n: number, lang: Lang): string {
  return lang === 'zh' ? `${n}．` : `${n}. `;
}

/** The words of one item, as the text report gives them. */
function itemFacts(i: ReportItem, w: Words) {
  const owner = i.owner !== null ? cleanInline(i.owner) : w.t('views.report.noOwner');
  const who = i.department !== null ? w.t('views.report.ownerDept', { owner, department: cleanInline(i.department) }) : owner;
  let due = i.due !== null ? longDate(i.due, w) : i.term === 'ongoing' ? w.term('ongoing') : w.t('views.report.noDue');
  if (i.daysOverdue !== null) due = w.t('views.report.dueOverdue', { due, late: w.n(i.daysOverdue, 'views.days.one', 'views.days.other') });
  else if (i.daysLeft !== null) {
    due = i.daysLeft === 0
      ? w.t('views.report.dueToday', { due })
      : w.t('views.report.dueSoon', { due, left: w.n(i.daysLeft, 'views.inDays.one', 'views.inDays.other') });
  }
  return {
    who,
    due,
    state: i.status === 'in_progress' && i.progress === 100
      ? w.t('views.report.stateReopened', { status: w.status(i.status) })
      : w.t('views.report.state', { status: w.status(i.status), progress: i.progress }),
    term: w.term(i.term),
    evidence: i.evidence.map((e) => cleanInline(e)).join(w.t('views.report.evidenceSep')),
  };
}

/** "Within 7 days", "within 1 day", and for --days 0 "today" (今日). */
function dueWindow(days: number, w: Words): string {
  return days === 0 ? w.t('views.report.window.today') : w.n(days, 'views.report.window.one', 'views.report.window.other');
}

const label = (id: string, title: string) => `[${cleanInline(id)}] ${cleanInline(title)}`;

function overall(m: ReportModel, w: Words): Block[] {
  const h = m.headline;
  return [
    {
      kind: 'para',
      text: w.t('views.report.headline', {
        items: w.n(h.total, 'views.count.items.one', 'views.count.items.other'),
        done: h.done, inProgress: h.inProgress, open: h.open, verified: h.verified, percent: h.percentDone,
        problems: w.n(h.problems, 'views.count.problems.one', 'views.count.problems.other'), rectified: h.rectified,
      }),
    },
    {
      kind: 'para',
      text: h.overdue === 0 && h.dueSoon === 0
        ? w.t('views.report.noneOverdueOrSoon', { window: dueWindow(m.days, w) })
        : w.t('views.report.overdueSentence', { overdue: h.overdue, soon: h.dueSoon, window: dueWindow(m.days, w) }),
    },
  ];
}

function itemsBody(m: ReportModel, w: Words, lang: Lang, section: number): Block[] {
  const out: Block[] = [];
  m.measures.forEach((x, k) => {
    out.push({
      kind: 'h2',
      text: partMark(section, k + 1, lang) + w.t('views.report.measure', {
        title: cleanInline(x.title), count: w.n(x.items.length, 'views.count.items.one', 'views.count.items.other'),
        done: x.done, percent: x.percentDone,
      }),
    });
    if (x.items.length === 0) {
      out.push({ kind: 'para', text: w.t('views.report.noItems') });
      return;
    }
    x.items.forEach((i, n) => {
      const f = itemFacts(i, w);
      const facts = [
        entryMark(n + 1, lang) + label(i.id, i.title),
        i.light !== null
          ? w.t('views.report.item.stateLight', { state: f.state, light: w.t(`views.light.${i.light}`), term: f.term })
          : w.t('views.report.item.state', { state: f.state, term: f.term }),
        w.t('views.report.item.who', { who: f.who, due: f.due }),
      ];
      if (i.lastNote !== null && i.lastNote.trim() !== '') facts.push(w.t('views.report.item.note', { note: cleanInline(i.lastNote.trim()) }));
      if (i.evidence.length > 0) facts.push(w.t('views.report.item.evidence', { evidence: f.evidence }));
      out.push({ kind: 'para', text: sentences(facts, lang) });
    });
  });
  return out;
}

/** Column widths of the overdue table, in fiftieths of a percent of the text width. */
const DATED_WIDTHS = [8, 12, 36, 18, 26];

function datedTable(items: ReportItem[], w: Words): Block {
  return {
    kind: 'table',
    head: ['num', 'id', 'title', 'owner', 'due'].map((c) => w.t(`views.report.col.${c}` as MessageKey)),
    widths: DATED_WIDTHS,
    rows: items.map((i, n) => {
      const f = itemFacts(i, w);
      // The department on a line of its own under the owner: a narrow cell split 赵强（人事⏎科）.
      const who = i.owner !== null && i.department !== null
        ? `${cleanInline(i.owner)}\n${w.t('views.report.ownerDept', { owner: '', department: cleanInline(i.department) }).trim()}`
        : f.who;
      // The date on a line of its own: after it, in a narrow cell, LibreOffice split it (2⏎026年…).
      // Its comma goes: 2026年12月11日， is wider than the cell, and a ， may not start a line
      // (kinsoku), so LibreOffice split the date again (2⏎026年12月11日，), seen rendered.
      return [String(n + 1), cleanInline(i.id), cleanInline(i.title), who, `${f.due.replace(/[，,] ?/, '\n')}\n${f.state}`];
    }),
  };
}

function overdueBody(m: ReportModel, w: Words, lang: Lang, section: number): Block[] {
  const out: Block[] = [];
  out.push({ kind: 'h2', text: partMark(section, 1, lang) + w.t('views.report.overdue', { n: m.overdue.length }) });
  out.push(m.overdue.length === 0 ? { kind: 'para', text: w.t('views.report.noOverdue') } : datedTable(m.overdue, w));
  out.push({ kind: 'h2', text: partMark(section, 2, lang) + w.t('views.report.dueSoonPart', { window: dueWindow(m.days, w), n: m.dueSoon.length }) });
  out.push(m.dueSoon.length === 0 ? { kind: 'para', text: w.t('views.report.noDueSoon', { window: dueWindow(m.days, w) }) } : datedTable(m.dueSoon, w));
  return out;
}

function problemVerdict(p: ReportProblem, w: Words): string {
  if (p.items.length === 0) return w.t('views.report.problem.none');
  const items = p.items.map((i) => w.t('views.report.problemItem', { id: cleanInline(i.id), status: w.status(i.status) })).join(w.t('views.report.listSep'));
  return w.t(p.rectified ? 'views.report.problem.rectified' : 'views.report.problem.open', { items });
}

function problemsBody(m: ReportModel, w: Words, lang: Lang, section: number): Block[] {
  const h = m.headline;
  const out: Block[] = [{
    kind: 'para',
    text: w.t('views.report.problemsHeadline', {
      count: w.n(h.problems, 'views.count.problems.one', 'views.count.problems.other'), rectified: h.rectified, percent: h.percentRectified,
    }),
  }];
  m.areas.forEach((a, k) => {
    out.push({
      kind: 'h2',
      text: partMark(section, k + 1, lang) + w.t('views.report.area', {
        name: areaName(a.name, w), count: w.n(a.problems.length, 'views.count.problems.one', 'views.count.problems.other'), rectified: a.rectified,
      }),
    });
    a.problems.forEach((p, n) => {
      out.push({ kind: 'para', text: sentences([entryMark(n + 1, lang) + label(p.id, p.title), problemVerdict(p, w)], lang) });
    });
  });
  return out;
}

function changesBody(c: Changes, w: Words, lang: Lang, section: number): Block[] {
  const out: Block[] = [];
  let k = 0;
  const when = (x: Happening) => w.t('views.report.when', { date: longDate(x.at.slice(0, 10), w), by: cleanInline(x.by) });
  const entries = (xs: Happening[], withNote: boolean) =>
    xs.forEach((x, n) => {
      const note = withNote && x.note !== null && x.note.trim() !== '' ? cleanInline(x.note.trim()) : null;
      out.push({
        kind: 'para',
        text: sentences([entryMark(n + 1, lang) + label(x.id, x.title), note !== null ? w.t('views.report.whenNote', { when: when(x), note }) : when(x)], lang),
      });
    });
  const part = (text: string) => out.push({ kind: 'h2', text: partMark(section, ++k, lang) + text });
  if (c.moved.length > 0) {
    part(w.t('views.report.moved', { n: c.moved.length }));
    c.moved.forEach((x, n) => out.push({
      kind: 'para',
      text: sentences([entryMark(n + 1, lang) + label(x.id, x.title), w.t('views.report.movement', {
        from: w.t('views.report.state', { status: w.status(x.from.status), progress: x.from.progress }),
        to: w.t('views.report.state', { status: w.status(x.to.status), progress: x.to.progress }),
      })], lang),
    }));
  }
  if (c.verified.length > 0) {
    part(w.t('views.report.verified', { n: c.verified.length }));
    entries(c.verified, true);
  }
  if (c.reopened.length > 0) {
    part(w.t('views.report.reopened', { n: c.reopened.length }));
    entries(c.reopened, true);
  }
  // Extensions (延期) granted: what the meeting agreed to move, with the dates.
  const extended = c.extended ?? [];
  if (extended.length > 0) {
    part(w.t(extended.some((x) => x.earlier) ? 'views.report.dueMoved' : 'views.report.extended', { n: extended.length }));
    extended.forEach((x, n) => {
      const date = (d: string | null) => (d === null ? w.t('views.report.noDue') : longDate(d, w));
      const line = x.from === null
        ? w.t('views.report.extensionSet', { when: when(x), to: date(x.to) })
        : w.t(x.earlier ? 'views.report.broughtForward' : 'views.report.extension', { when: when(x), from: date(x.from), to: date(x.to) });
      const note = x.note !== null && x.note.trim() !== '' ? cleanInline(x.note.trim()) : null;
      out.push({ kind: 'para', text: sentences([entryMark(n + 1, lang) + label(x.id, x.title), note !== null ? w.t('views.report.whenNote', { when: line, note }) : line], lang) });
    });
  }
  if (c.added.length > 0) {
    part(w.t('views.report.added', { n: c.added.length }));
    entries(c.added, false);
  }
  if (c.notes.length > 0) {
    part(w.t('views.report.notes', { n: c.notes.length }));
    entries(c.notes, true);
  }
  if (k === 0) out.push({ kind: 'para', text: w.t('views.report.noChanges', { since: longDate(c.since, w) }) });
  return out;
}

function nextSteps(m: ReportModel, w: Words, lang: Lang, section: number): Block[] {
  const plans = openByOwner(m);
  if (plans.length === 0) return [{ kind: 'para', text: w.t('office.docx.allDone') }];
  const open = plans.reduce((n, p) => n + p.items.length, 0);
  const out: Block[] = [{ kind: 'para', text: w.t('office.docx.nextIntro', { items: w.n(open, 'views.count.items.one', 'views.count.items.other') }) }];
  plans.forEach((p, k) => {
    const owner = p.owner === null ? w.t('office.docx.unassigned') : cleanInline(p.owner);
    const count = w.n(p.items.length, 'views.count.items.one', 'views.count.items.other');
    out.push({
      kind: 'h2',
      text: partMark(section, k + 1, lang) + (p.overdue > 0
        ? w.t('office.docx.owner', { owner, count, overdue: p.overdue })
        : w.t('office.docx.ownerNoOverdue', { owner, count })),
    });
    p.items.forEach((i, n) => {
      const f = itemFacts(i, w);
      out.push({
        kind: 'para',
        text: entryMark(n + 1, lang) + w.t('office.docx.plan', { id: cleanInline(i.id), title: cleanInline(i.title), due: f.due, state: f.state }),
      });
    });
  });
  out.push({ kind: 'para', text: w.t('office.docx.closing') });
  return out;
}

/** How many 二号 characters a title line holds: 156 mm of 22 pt type. */
const TITLE_CHARS = Math.floor((PAGE.width - PAGE.left - PAGE.right) / 20 / 22);
const CLOSING = /^[，。、；：！？）》”’」』]/;

/** The title in lines as an office breaks it (GB/T 9704: whole words, lines of sensible
 *  length): 关于…材料 / 整改进展情况的报告 rather than wherever the line happens to end.
 *  The report's own title is cut into even lines when it is longer than one. English is
 *  left to the word processor. */
function titleLines(title: string, w: Words, lang: Lang): string[] {
  const whole = w.t('views.report.title', { title });
  const chars = (s: string) => Math.ceil(width(s) / 2);
  if (lang !== 'zh' || chars(whole) <= TITLE_CHARS) return [whole];
  const [prefix, suffix = ''] = w.t('views.report.title', { title: '\u0000' }).split('\u0000') as [string, string?];
  const head = prefix + title;
  const lines: string[] = [];
  if (chars(head) <= TITLE_CHARS) lines.push(head);
  else {
    // Even lines, none starting with a closing mark.
    const graphemes = [...head];
    const n = Math.ceil(chars(head) / TITLE_CHARS);
    const per = Math.ceil(graphemes.length / n);
    let line = '';
    for (const g of graphemes) {
      if (chars(line) >= per && !CLOSING.test(g)) {
        lines.push(line);
        line = '';
      }
      line += g;
    }
    if (line) lines.push(line);
  }
  if (suffix) {
    const last = lines[lines.length - 1]!;
    if (chars(last + suffix) <= TITLE_CHARS && lines.length > 1) lines[lines.length - 1] = last + suffix;
    else lines.push(suffix);
  }
  return lines;
}

export interface DocxOptions {
  /** 主送机关: the body the report is addressed to (`report --to`), as given. */
  to?: string;
}

/** The document's blocks: what a test reads, and what the renderer lays out. */
export function reportBlocks(m: ReportModel, lang: Lang, opts: DocxOptions = {}): Block[] {
  const w = words(lang);
  const title = cleanInline(m.report.title);
  const date = longDate(m.asOf, w);
  const out: Block[] = [
    { kind: 'title', text: w.t('views.report.title', { title: titleCore(title) }), lines: titleLines(titleCore(title), w, lang) },
    // 主送机关: flush left under the title, ending in a colon (GB/T 9704 7.3.2).
    ...(opts.to ? [{ kind: 'to' as const, text: w.t('office.docx.to', { to: opts.to }) }] : []),
    {
      kind: 'para',
      text: m.report.unit
        ? w.t('views.report.intro', { unit: cleanInline(m.report.unit), title, date })
        : w.t('views.report.introNoUnit', { title, date }),
    },
  ];
  const sections: [string, (n: number) => Block[]][] = [
    [w.t('views.report.s.overall'), () => overall(m, w)],
    [w.t('views.report.s.items'), (n) => itemsBody(m, w, lang, n)],
    [w.t('views.report.s.overdue'), (n) => overdueBody(m, w, lang, n)],
    [w.t('views.report.s.problems'), (n) => problemsBody(m, w, lang, n)],
  ];
  const changes = m.changes;
  if (changes) sections.push([w.t('views.report.s.changes', { since: longDate(changes.since, w) }), (n) => changesBody(changes, w, lang, n)]);
  sections.push([w.t('office.docx.nextSteps'), (n) => nextSteps(m, w, lang, n)]);
  sections.forEach(([heading, body], k) => {
    out.push({ kind: 'h1', text: sectionMark(k + 1, lang) + heading });
    out.push(...body(k + 1));
  });
  // 落款: the unit, and the date in Arabic numerals, right-aligned four characters in.
  out.push({ kind: 'sign', lines: [...(m.report.unit ? [cleanInline(m.report.unit)] : []), date] });
  return out;
}

// ---------------------------------------------------------------------------------------
// Layout

function paragraphs(b: Block, look: Look, lang: Lang): (Paragraph | Table)[] {
  const spacing = { line: look.line, lineRule: look.lineRule, before: 0, after: look.after };
  const run = (text: string, f: Typeface, size: number, bold = false, tracking = 0) => textRuns(text, lang, {
    font: font(f), size, sizeComplexScript: size, bold, boldComplexScript: bold, ...(tracking !== 0 ? { characterSpacing: tracking } : {}),
  });
  switch (b.kind) {
    case 'title':
      return [
        paragraph({
          alignment: AlignmentType.CENTER,
          // The title's own line height: 22 pt type does not fit 28 pt lines twice over.
          spacing: { line: look.lineRule === LineRuleType.EXACT ? 700 : look.line, lineRule: look.lineRule, before: 0, after: 0 },
          children: b.lines.flatMap((line, k) => textRuns(line, lang, {
            font: font(look.title), size: look.title.size, sizeComplexScript: look.title.size,
            bold: look.title.bold, boldComplexScript: look.title.bold,
          }, k > 0)),
        }),
        // One blank line between the title and the text.
        paragraph({ spacing, children: run('', look.body, look.body.size) }),
      ];
    case 'to':
      return [paragraph({ spacing, children: run(b.text, look.body, look.body.size, false, look.tracking) })];
    case 'para':
      return [paragraph({
        // Justified Chinese, ragged English (justifying Latin words among Chinese data gapes).
        alignment: look.lineRule === LineRuleType.EXACT ? AlignmentType.JUSTIFIED : AlignmentType.LEFT,
        spacing,
        indent: { firstLine: look.indent },
        children: run(b.text, look.body, look.body.size, false, look.tracking),
      })];
    case 'h1':
      return [paragraph({
        spacing: { ...spacing, before: look.lineRule === LineRuleType.EXACT ? 0 : 120 },
        indent: { firstLine: look.indent },
        keepNext: true,
        children: run(b.text, look.h1, look.body.size, look.h1.bold, look.tracking),
      })];
    case 'h2':
      return [paragraph({
        spacing,
        indent: { firstLine: look.indent },
        keepNext: true,
        children: run(b.text, look.h2, look.body.size, look.h2.bold, look.tracking),
      })];
    case 'table': {
      const cellLine = { line: look.lineRule === LineRuleType.EXACT ? 360 : 260, lineRule: look.lineRule, before: 0, after: 0 };
      const total = PAGE.width - PAGE.left - PAGE.right;
      const sum = b.widths.reduce((a, x) => a + x, 0);
      const widths = b.widths.map((x) => Math.floor((total * x) / sum));
      const cell = (text: string, k: number, head: boolean) => new TableCell({
        width: { size: widths[k]!, type: WidthType.DXA },
        verticalAlign: VerticalAlign.CENTER,
        margins: { top: 40, bottom: 40, left: 80, right: 80 },
        children: text.split('\n').map((line) => paragraph({
          alignment: head || k <= 1 ? AlignmentType.CENTER : AlignmentType.LEFT,
          spacing: cellLine,
          children: run(line, head ? look.h1 : look.table, look.table.size, head && look.h1.bold),
        })),
      });
      const border = { style: BorderStyle.SINGLE, size: 4, color: '000000' };
      return [
        new Table({
          width: { size: total, type: WidthType.DXA },
          columnWidths: widths,
          layout: TableLayoutType.FIXED,
          alignment: AlignmentType.CENTER,
          borders: { top: border, bottom: border, left: border, right: border, insideHorizontal: border, insideVertical: border },
          rows: [
            new TableRow({ tableHeader: true, cantSplit: true, children: b.head.map((h, k) => cell(h, k, true)) }),
            ...b.rows.map((r) => new TableRow({ cantSplit: true, children: r.map((c, k) => cell(c, k, false)) })),
          ],
        }),
        // Word needs a paragraph after a table; it also keeps the next heading off the table.
        paragraph({ spacing, children: run('', look.body, look.body.size) }),
      ];
    }
    case 'sign': {
      // Display columns: a Chinese character is two, i.e. one em of the body type.
      const dateWidth = width(b.lines[b.lines.length - 1]!);
      return [
        paragraph({ spacing, children: run('', look.body, look.body.size) }),
        ...b.lines.map((line) => paragraph({
          alignment: AlignmentType.RIGHT,
          spacing,
          // The date four characters in from the right; the unit centred over the date.
          indent: { right: look.indent * 2 + Math.max(0, Math.round(((dateWidth - width(line)) / 4) * (look.body.size * 20 / 2) / 10) * 10) },
          keepNext: true,
          keepLines: true,
          children: run(line, look.body, look.body.size),
        })),
      ];
    }
  }
}

/** The page number as GB/T 9704 sets it: — 1 —, in 四号 type, odd pages on the right and
 *  even pages on the left, one character in from the edge of the text. */
function pageFooter(look: Look, w: Words, side: 'odd' | 'even'): Footer {
  const [before, after] = w.t('office.docx.page', { n: '\u0000' }).split('\u0000') as [string, string];
  const f = font(look.pageNumber);
  const size = look.pageNumber.size;
  return new Footer({
    children: [new Paragraph({
      alignment: side === 'odd' ? AlignmentType.RIGHT : AlignmentType.LEFT,
      indent: side === 'odd' ? { right: 280 } : { left: 280 },
      children: [new TextRun({ font: f, size, children: [before, PageNumber.CURRENT, after ?? ''] })],
    })],
  });
}

function xmlText(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** The document's properties, with fixed times (the day of the report) so that the same
 *  ledger on the same day gives the same file. */
function coreXml(title: string, day: string): string {
  const at = documentTime(day).toISOString().replace(/\.\d{3}Z$/, 'Z');
  return '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    + '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
    + 'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
    + 'xmlns:dcmitype="http://purl.org/dc/dcmitype/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
    + `<dc:title>${xmlText(title)}</dc:title><dc:creator>rectify</dc:creator><cp:lastModifiedBy>rectify</cp:lastModifiedBy>`
    + '<cp:revision>1</cp:revision>'
    + `<dcterms:created xsi:type="dcterms:W3CDTF">${at}</dcterms:created>`
    + `<dcterms:modified xsi:type="dcterms:W3CDTF">${at}</dcterms:modified>`
    + '</cp:coreProperties>';
}

/** The shares of the document's time (a CPU profile at 10,000 items): the blocks made into
 *  paragraphs, docx formatting them, then its XML text and zip (at once, nothing to count). */
const DOCX_STEPS = { build: 0.5, format: 0.3 };

/** The top-level paragraphs and tables, each reporting through `tick` when docx formats it. */
function counted<T extends Paragraph | Table>(children: T[], tick: (k: number) => void): T[] {
  children.forEach((c, k) => {
    const format = c.prepForXml.bind(c);
    c.prepForXml = (context) => {
      if (k % 256 === 0) tick(k);
      return format(context);
    };
  });
  return children;
}

/** The document's bytes. `onProgress`: how far the work is (0 to 1), for a progress bar. */
export async function renderReportDocx(m: ReportModel, lang: Lang, opts: DocxOptions = {}, onProgress?: OnFraction): Promise<Uint8Array> {
  const w = words(lang);
  const look = LOOKS[lang];
  const blocks = reportBlocks(m, lang, opts);
  const children = blocks.flatMap((b, k) => {
    if (onProgress && k % 256 === 0) onProgress((k / blocks.length) * DOCX_STEPS.build);
    return paragraphs(b, look, lang);
  });
  if (onProgress) counted(children, (k) => onProgress(DOCX_STEPS.build + (k / children.length) * DOCX_STEPS.format));
  const title = blocks[0]!.kind === 'title' ? blocks[0]!.text : '';
  const doc = new Document({
    creator: 'rectify',
    title,
    evenAndOddHeaderAndFooters: true,
    styles: {
      default: {
        document: {
          run: { font: font(look.body), size: look.body.size, language: { value: lang === 'zh' ? 'zh-CN' : 'en-GB', eastAsia: 'zh-CN' } },
          paragraph: { spacing: { line: look.line, lineRule: look.lineRule } },
        },
      },
    },
    sections: [{
      properties: {
        page: {
          size: { width: PAGE.width, height: PAGE.height },
          margin: { top: PAGE.top, bottom: PAGE.bottom, left: PAGE.left, right: PAGE.right, header: PAGE.header, footer: PAGE.footer },
        },
      },
      footers: { default: pageFooter(look, w, 'odd'), even: pageFooter(look, w, 'even') },
      children,
    }],
  });
  const buf = await Packer.toBuffer(doc, false, [{ path: 'docProps/core.xml', data: coreXml(title, m.asOf) }]);
  onProgress?.(1);
  return fixZipTimes(new Uint8Array(buf), m.asOf);
}
