// `rectify report`: the progress report (整改进展情况报告) in the layout of published ones,
// as plain text, Markdown or CSV. Pure functions of the model: the same model gives the
// same bytes. Never colour; text lines at most 80 display columns.
import {
  chineseNumber, type Changes, type Happening, type ReportItem, type Completion, type ReportModel, type ReportProblem,
} from '../core/summary.js';
import type { IsoDate } from '../core/types.js';
import type { Lang, MessageKey } from '../i18n/index.js';
import { clean, cleanInline, width, wrap } from './text.js';
import { words, type Words } from './status.js';

export const REPORT_WIDTH = 80;
const INDENT = '  ';

/** A date as reports write it: 2024年5月1日, 1 May 2024. */
export function longDate(d: IsoDate, w: Words): string {
  const [y, m, day] = d.split('-').map(Number) as [number, number, number];
  return w.t('views.date', { y, month: w.t(`views.month.${m}` as MessageKey), d: day });
}

/** Section numbers: 一、 / 1. for sections, （一） / 1.1 for their parts. */
function sectionMark(n: number, lang: Lang): string {
  return lang === 'zh' ? `${chineseNumber(n)}、` : `${n}. `;
}
function partMark(section: number, n: number, lang: Lang): string {
  return lang === 'zh' ? `（${chineseNumber(n)}）` : `${section}.${n} `;
}

/** Text from data for a block: controls escaped, tabs as spaces, newlines kept. */
function block(s: string): string {
  return clean(s).replace(/\t/g, ' ');
}

/** Lines of `text` wrapped to the report width under `indent`, the first line starting
 *  with `first` instead (a hanging indent: `1. ` then the continuation under the text). */
function hang(first: string, text: string, indent: string, max = REPORT_WIDTH): string[] {
  const pad = ' '.repeat(width(first));
  const lines = wrap(text, max, indent + pad);
  lines[0] = indent + first + lines[0]!.slice(indent.length + pad.length);
  return lines.map((l) => l.trimEnd());
}

function centred(text: string, max = REPORT_WIDTH): string[] {
  return wrap(text, max - 8).map((l) => {
    const w = width(l);
    return ' '.repeat(Math.max(0, Math.floor((max - w) / 2))) + l;
  });
}

/** The words of one item: who, when, how far. Shared by the text and Markdown forms. */
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
    state: w.t('views.report.state', { status: w.status(i.status), progress: i.progress }),
    term: w.term(i.term),
    evidence: i.evidence.map((e) => cleanInline(e)).join(w.t('views.report.evidenceSep')),
  };
}

interface Section {
  title: string;
  body: (mark: (n: number) => string) => Body;
}

function sections(m: ReportModel, w: Words, form: 'text' | 'md'): Section[] {
  const out: Section[] = [];
  const h = m.headline;
  out.push({
    title: w.t('views.report.s.overall'),
    body: () => [
      para(w.t('views.report.headline', {
        items: w.n(h.total, 'views.count.items.one', 'views.count.items.other'),
        done: h.done, inProgress: h.inProgress, open: h.open, verified: h.verified, percent: h.percentDone,
        problems: w.n(h.problems, 'views.count.problems.one', 'views.count.problems.other'), rectified: h.rectified,
      })),
      para(overdueSentence(m, w)),
    ],
  });
  out.push({ title: w.t('views.report.s.items'), body: (mark) => itemsBody(m, w, mark, form) });
  out.push({ title: w.t('views.report.s.overdue'), body: (mark) => overdueBody(m, w, mark, form) });
  out.push({ title: w.t('views.report.s.problems'), body: (mark) => problemsBody(m, w, mark, form) });
  if (m.changes) {
    const c = m.changes;
    out.push({ title: w.t('views.report.s.changes', { since: longDate(c.since, w) }), body: (mark) => changesBody(c, w, mark) });
  }
  return out;
}

// The bodies are lists of blocks: a paragraph, a part heading, or a list of entries;
// each form lays them out its own way.
type Block =
  | { kind: 'para'; text: string }
  | { kind: 'part'; mark: string; text: string }
  | { kind: 'entry'; mark: string; title: string; lines: string[] }
  | { kind: 'table'; head: string[]; rows: string[][]; align?: ('l' | 'r')[] };
type Body = Block[];

const para = (text: string): Block => ({ kind: 'para', text });
const part = (mark: string, text: string): Block => ({ kind: 'part', mark, text });

/** "Within 7 days", "within 1 day", and for --days 0 "today" (今日). */
function dueWindow(days: number, w: Words): string {
  return days === 0 ? w.t('views.report.window.today') : w.n(days, 'views.report.window.one', 'views.report.window.other');
}

function overdueSentence(m: ReportModel, w: Words): string {
  const h = m.headline;
  const window = dueWindow(m.days, w);
  if (h.overdue === 0 && h.dueSoon === 0) return w.t('views.report.noneOverdueOrSoon', { window });
  return w.t('views.report.overdueSentence', { overdue: h.overdue, soon: h.dueSoon, window });
}

function itemsBody(m: ReportModel, w: Words, mark: (n: number) => string, form: 'text' | 'md'): Body {
  const out: Body = [];
  m.measures.forEach((x, k) => {
    out.push(part(mark(k + 1), w.t('views.report.measure', {
      title: cleanInline(x.title), count: w.n(x.items.length, 'views.count.items.one', 'views.count.items.other'),
      done: x.done, percent: x.percentDone,
    })));
    if (x.items.length === 0) {
      out.push(para(w.t('views.report.noItems')));
      return;
    }
    if (form === 'md') {
      out.push({
        kind: 'table',
        head: ['num', 'id', 'title', 'status', 'progress', 'owner', 'department', 'due', 'note', 'evidence'].map((c) => w.t(`views.report.col.${c}` as MessageKey)),
        align: ['r', 'l', 'l', 'l', 'r', 'l', 'l', 'l', 'l', 'l'],
        rows: x.items.map((i, n) => {
          const f = itemFacts(i, w);
          return [String(n + 1), cleanInline(i.id), cleanInline(i.title), w.status(i.status), `${i.progress}%`,
            i.owner !== null ? cleanInline(i.owner) : '', i.department !== null ? cleanInline(i.department) : '', f.due,
            i.lastNote !== null ? cleanInline(i.lastNote) : '', f.evidence];
        }),
      });
      return;
    }
    x.items.forEach((i, n) => {
      const f = itemFacts(i, w);
      const lines = [
        w.t('views.report.item.state', { state: f.state, term: f.term }),
        w.t('views.report.item.who', { who: f.who, due: f.due }),
      ];
      if (i.lastNote !== null && i.lastNote.trim() !== '') lines.push(w.t('views.report.item.note', { note: block(i.lastNote.trim()) }));
      if (i.evidence.length > 0) lines.push(w.t('views.report.item.evidence', { evidence: f.evidence }));
      out.push({ kind: 'entry', mark: `${n + 1}. `, title: `[${cleanInline(i.id)}] ${cleanInline(i.title)}`, lines });
    });
  });
  return out;
}

function overdueBody(m: ReportModel, w: Words, mark: (n: number) => string, form: 'text' | 'md'): Body {
  const out: Body = [];
  const list = (items: ReportItem[], empty: string) => {
    if (items.length === 0) {
      out.push(para(empty));
      return;
    }
    if (form === 'md') {
      out.push({
        kind: 'table',
        head: ['num', 'id', 'title', 'owner', 'due', 'status'].map((c) => w.t(`views.report.col.${c}` as MessageKey)),
        align: ['r', 'l', 'l', 'l', 'l', 'l'],
        rows: items.map((i, n) => {
          const f = itemFacts(i, w);
          return [String(n + 1), cleanInline(i.id), cleanInline(i.title), f.who, f.due, f.state];
        }),
      });
      return;
    }
    items.forEach((i, n) => {
      const f = itemFacts(i, w);
      out.push({
        kind: 'entry', mark: `${n + 1}. `, title: `[${cleanInline(i.id)}] ${cleanInline(i.title)}`,
        lines: [w.t('views.report.item.who', { who: f.who, due: f.due }), w.t('views.report.item.state', { state: f.state, term: f.term })],
      });
    });
  };
  out.push(part(mark(1), w.t('views.report.overdue', { n: m.overdue.length })));
  list(m.overdue, w.t('views.report.noOverdue'));
  out.push(part(mark(2), w.t('views.report.dueSoonPart', { window: dueWindow(m.days, w), n: m.dueSoon.length })));
  list(m.dueSoon, w.t('views.report.noDueSoon', { window: dueWindow(m.days, w) }));
  return out;
}

function problemItems(p: ReportProblem, w: Words): string {
  return p.items.map((i) => w.t('views.report.problemItem', { id: cleanInline(i.id), status: w.status(i.status) })).join(w.t('views.report.listSep'));
}

function problemVerdict(p: ReportProblem, w: Words): string {
  if (p.items.length === 0) return w.t('views.report.problem.none');
  return w.t(p.rectified ? 'views.report.problem.rectified' : 'views.report.problem.open', { items: problemItems(p, w) });
}

function problemsBody(m: ReportModel, w: Words, mark: (n: number) => string, form: 'text' | 'md'): Body {
  const h = m.headline;
  const out: Body = [para(w.t('views.report.problemsHeadline', {
    count: w.n(h.problems, 'views.count.problems.one', 'views.count.problems.other'), rectified: h.rectified, percent: h.percentRectified,
  }))];
  m.areas.forEach((a, k) => {
    out.push(part(mark(k + 1), w.t('views.report.area', {
      name: cleanInline(a.name), count: w.n(a.problems.length, 'views.count.problems.one', 'views.count.problems.other'), rectified: a.rectified,
    })));
    if (form === 'md') {
      out.push({
        kind: 'table',
        head: ['num', 'id', 'problem', 'verdict'].map((c) => w.t(`views.report.col.${c}` as MessageKey)),
        align: ['r', 'l', 'l', 'l'],
        rows: a.problems.map((p, n) => [String(n + 1), cleanInline(p.id), cleanInline(p.title), problemVerdict(p, w)]),
      });
      return;
    }
    a.problems.forEach((p, n) => {
      out.push({ kind: 'entry', mark: `${n + 1}. `, title: `[${cleanInline(p.id)}] ${cleanInline(p.title)}`, lines: [problemVerdict(p, w)] });
    });
  });
  return out;
}

function changesBody(c: Changes, w: Words, mark: (n: number) => string): Body {
  const out: Body = [];
  let k = 0;
  // Who typed it, where the server knows it and it is not the actor named.
  const who = (x: Happening) => (x.dbUser !== undefined && x.dbUser !== x.by
    ? w.t('pg.byRole', { by: cleanInline(x.by), role: cleanInline(x.dbUser) }) : cleanInline(x.by));
  const when = (x: Happening) => w.t('views.report.when', { date: longDate(x.at.slice(0, 10), w), by: who(x) });
  const entries = (xs: Happening[], withNote: boolean) =>
    xs.forEach((x, n) => {
      const note = withNote && x.note !== null && x.note.trim() !== '' ? block(x.note.trim()) : null;
      out.push({
        kind: 'entry', mark: `${n + 1}. `, title: `[${cleanInline(x.id)}] ${cleanInline(x.title)}`,
        lines: [note !== null ? w.t('views.report.whenNote', { when: when(x), note }) : when(x)],
      });
    });
  if (c.moved.length > 0) {
    out.push(part(mark(++k), w.t('views.report.moved', { n: c.moved.length })));
    c.moved.forEach((x, n) => out.push({
      kind: 'entry', mark: `${n + 1}. `, title: `[${cleanInline(x.id)}] ${cleanInline(x.title)}`,
      lines: [w.t('views.report.movement', {
        from: w.t('views.report.state', { status: w.status(x.from.status), progress: x.from.progress }),
        to: w.t('views.report.state', { status: w.status(x.to.status), progress: x.to.progress }),
      })],
    }));
  }
  if (c.verified.length > 0) {
    out.push(part(mark(++k), w.t('views.report.verified', { n: c.verified.length })));
    entries(c.verified, true);
  }
  if (c.reopened.length > 0) {
    out.push(part(mark(++k), w.t('views.report.reopened', { n: c.reopened.length })));
    entries(c.reopened, true);
  }
  // Extensions (延期) granted: what the meeting agreed to move, with the dates.
  const extended = c.extended ?? [];
  if (extended.length > 0) {
    out.push(part(mark(++k), w.t('views.report.extended', { n: extended.length })));
    extended.forEach((x, n) => {
      const date = (d: IsoDate | null) => (d === null ? w.t('views.report.noDue') : longDate(d, w));
      const line = x.from === null
        ? w.t('views.report.extensionSet', { when: when(x), to: date(x.to) })
        : w.t('views.report.extension', { when: when(x), from: date(x.from), to: date(x.to) });
      const note = x.note !== null && x.note.trim() !== '' ? block(x.note.trim()) : null;
      out.push({
        kind: 'entry', mark: `${n + 1}. `, title: `[${cleanInline(x.id)}] ${cleanInline(x.title)}`,
        lines: [note !== null ? w.t('views.report.whenNote', { when: line, note }) : line],
      });
    });
  }
  if (c.added.length > 0) {
    out.push(part(mark(++k), w.t('views.report.added', { n: c.added.length })));
    entries(c.added, false);
  }
  if (c.notes.length > 0) {
    out.push(part(mark(++k), w.t('views.report.notes', { n: c.notes.length })));
    entries(c.notes, true);
  }
  if (k === 0) out.push(para(w.t('views.report.noChanges', { since: longDate(c.since, w) })));
  return out;
}

function reportTitle(m: ReportModel, w: Words): string {
  return w.t('views.report.title', { title: cleanInline(m.report.title) });
}

function intro(m: ReportModel, w: Words): string {
  const date = longDate(m.asOf, w);
  const title = cleanInline(m.report.title);
  return m.report.unit
    ? w.t('views.report.intro', { unit: cleanInline(m.report.unit), title, date })
    : w.t('views.report.introNoUnit', { title, date });
}

/** The report as plain text: every line at most 80 columns, no colour, ever. */
export function renderReportText(m: ReportModel, lang: Lang): string {
  const w = words(lang);
  const out: string[] = [...centred(reportTitle(m, w)), ''];
  out.push(...wrap(intro(m, w), REPORT_WIDTH, INDENT));
  sections(m, w, 'text').forEach((s, k) => {
    out.push('', ...hang(sectionMark(k + 1, lang), s.title, ''));
    for (const b of s.body((n) => partMark(k + 1, n, lang))) {
      switch (b.kind) {
        case 'para':
          out.push(...wrap(b.text, REPORT_WIDTH, INDENT));
          break;
        case 'part':
          out.push('', ...hang(b.mark, b.text, ''));
          break;
        case 'entry': {
          out.push(...hang(b.mark, b.title, INDENT));
          const under = INDENT + ' '.repeat(width(b.mark));
          for (const l of b.lines) out.push(...wrap(l, REPORT_WIDTH, under));
          break;
        }
        case 'table':
          // Text lays lists out as entries; tables are the Markdown form's.
          break;
      }
    }
  });
  // 落款: the unit that reports and the day, at the right, as a signed report ends.
  const sign = signature(m, w);
  if (sign.length) {
    out.push('');
    for (const l of sign) out.push(' '.repeat(Math.max(0, REPORT_WIDTH - 4 - width(l))) + l);
  }
  return out.join('\n') + '\n';
}

/** The signature lines (落款): the unit, then the date; none without a unit. */
function signature(m: ReportModel, w: Words): string[] {
  if (!m.report.unit) return [];
  return [cleanInline(m.report.unit), longDate(m.asOf, w)];
}

/** A Markdown table cell: one line; `|` escaped so that columns hold, and the marks of
 *  emphasis, code and HTML escaped so that data reads as written. */
export function mdCell(s: string): string {
  return inert(s.replace(/([\\`*_<>|[\]!&])/g, '\\$1')).replace(/\r?\n/g, ' ');
}

/** A URL in data stays text: GFM would make `http://…` and `www.…` live links by themselves. */
function inert(s: string): string {
  return s.replace(/([a-z][a-z0-9+.-]*):(?=\/\/)/gi, '$1\\:').replace(/\bwww\./gi, 'www\\.');
}

/** Text outside a table, made inert: characters Markdown would take as emphasis, code,
 *  HTML, a heading, a link or an image (`[x](javascript:…)`, `![](http://…)`) are escaped. */
function mdText(s: string): string {
  return inert(s.replace(/([\\`*_<>#|[\]!&])/g, '\\$1')).replace(/\r?\n/g, ' ');
}

/** The same report as Markdown, with tables for the lists. */
export function renderReportMarkdown(m: ReportModel, lang: Lang): string {
  const w = words(lang);
  const out: string[] = [`# ${mdText(reportTitle(m, w))}`, '', mdText(intro(m, w))];
  sections(m, w, 'md').forEach((s, k) => {
    out.push('', `## ${mdText(sectionMark(k + 1, lang) + s.title)}`);
    for (const b of s.body((n) => partMark(k + 1, n, lang))) {
      switch (b.kind) {
        case 'para':
          out.push('', mdText(b.text));
          break;
        case 'part':
          out.push('', `### ${mdText(b.mark + b.text)}`);
          break;
        case 'entry':
          // Loose list items, each fact a nested bullet: no trailing-space line breaks.
          if (!out[out.length - 1]!.match(/^(\d+\.|   -) /)) out.push('');
          out.push(`${b.mark.trim()} ${mdText(b.title)}`);
          for (const l of b.lines) out.push(`   - ${mdText(l)}`);
          break;
        case 'table': {
          const align = b.align ?? b.head.map(() => 'l' as const);
          out.push('', `| ${b.head.map(mdCell).join(' | ')} |`, `| ${align.map((a) => (a === 'r' ? '---:' : '---')).join(' | ')} |`);
          for (const r of b.rows) out.push(`| ${r.map(mdCell).join(' | ')} |`);
          break;
        }
      }
    }
  });
  // 落款: the unit and the day, each a paragraph of its own.
  for (const l of signature(m, w)) out.push('', mdText(l));
  return out.join('\n') + '\n';
}

/** A CSV cell (RFC 4180), made safe for spreadsheets: a cell that Excel would take as a
 *  formula (`=`, `+`, `-`, `@`, their full-width forms `＝＋－＠`, tab, carriage return
 *  first) gets a leading `'`. */
export function csvCell(s: string): string {
  const safe = /^[=+\-@\t\r＝＋－＠]/.test(s) ? `'${s}` : s;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

const CSV_COLUMNS = [
  'id', 'measure', 'measureTitle', 'title', 'detail', 'addresses', 'problems', 'owner', 'department', 'due', 'term',
  'status', 'progress', 'overdue', 'note', 'evidence', 'created', 'updated', 'doneAt', 'verifiedAt',
] as const;

/** A recorded time to the second, as a spreadsheet reads it: `2026-11-29T13:04:12+08:00`. */
function toSecond(at: string | null): string {
  return at === null ? '' : at.replace(/\.\d+(?=Z|[+-]\d\d:?\d\d$)/, '');
}

/** Every item of every status, one row each; a byte-order mark so that Excel reads the
 *  Chinese as UTF-8, CRLF line ends. Headers in the user's language. */
export function renderReportCsv(m: ReportModel, lang: Lang, completion: ReadonlyMap<string, Completion> = new Map()): string {
  const w = words(lang);
  const text = (s: string | null) => (s === null ? '' : clean(s));
  const problemTitle = new Map(m.areas.flatMap((a) => a.problems.map((p) => [p.id, p.title] as const)));
  const rows: string[][] = [CSV_COLUMNS.map((c) => w.t(`views.csv.${c}` as MessageKey))];
  for (const x of m.measures) {
    for (const i of x.items) {
      rows.push([
        text(i.id), text(i.measure), text(i.measureTitle), text(i.title), text(i.detail),
        i.addresses.map(text).join(', '), i.addresses.map((a) => text(problemTitle.get(a) ?? a)).join('\n'),
        text(i.owner), text(i.department), i.due ?? '', w.term(i.term),
        w.status(i.status), String(i.progress), i.daysOverdue !== null ? String(i.daysOverdue) : '',
        text(i.lastNote), i.evidence.map(text).join('\n'), toSecond(i.createdAt), toSecond(i.updatedAt),
        toSecond(completion.get(i.id.toLowerCase())?.doneAt ?? null), toSecond(completion.get(i.id.toLowerCase())?.verifiedAt ?? null),
      ]);
    }
  }
  const head = rows[0]!.map(csvCell).join(',');
  const body = rows.slice(1).map((r) => r.map(csvCell).join(','));
  return '\uFEFF' + [head, ...body].map((l) => l + '\r\n').join('');
}
