// `rectify report`: the progress report (整改进展情况报告) in the layout of published ones,
// as plain text, Markdown or CSV. Pure functions of the model: the same model gives the
// same bytes. Never colour; text lines at most 80 display columns.
import {
  chineseNumber, frameOf, reportProblem, type Changes, type Happening, type ReportItem, type Completion, type ProblemRow,
  type ReportFrame, type ReportModel, type ReportProblem,
} from '../core/summary.js';
import type { IsoDate } from '../core/types.js';
import type { Lang, MessageKey } from '../i18n/index.js';
import { clean, cleanInline, width, wrap } from './text.js';
import { words, type Words } from './status.js';
import { chunked } from './items.js';

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
function itemFacts(i: ReportItem, w: Words, memo: Memo = (_key, make) => make()) {
  const who = memo(`w${JSON.stringify([i.owner, i.department])}`, () => {
    const owner = i.owner !== null ? cleanInline(i.owner) : w.t('views.report.noOwner');
    return i.department !== null ? w.t('views.report.ownerDept', { owner, department: cleanInline(i.department) }) : owner;
  });
  const due = memo(`d${i.due}\u0000${i.term}\u0000${i.daysOverdue}\u0000${i.daysLeft}`, () => {
    const due = i.due !== null ? longDate(i.due, w) : i.term === 'ongoing' ? w.term('ongoing') : w.t('views.report.noDue');
    if (i.daysOverdue !== null) return w.t('views.report.dueOverdue', { due, late: w.n(i.daysOverdue, 'views.days.one', 'views.days.other') });
    if (i.daysLeft === null) return due;
    return i.daysLeft === 0
      ? w.t('views.report.dueToday', { due })
      : w.t('views.report.dueSoon', { due, left: w.n(i.daysLeft, 'views.inDays.one', 'views.inDays.other') });
  });
  return {
    who,
    due,
    // A reopened item keeps its 100 %: "推进中, 100 %" would read as a contradiction.
    state: memo(`s${i.status}\u0000${i.progress}`, () => (i.status === 'in_progress' && i.progress === 100
      ? w.t('views.report.stateReopened', { status: w.status(i.status) })
      : w.t('views.report.state', { status: w.status(i.status), progress: i.progress }))),
    term: memo(`t${i.term}`, () => w.term(i.term)),
    evidence: i.evidence.length === 0 ? '' : i.evidence.map((e) => cleanInline(e)).join(w.t('views.report.evidenceSep')),
  };
}

/** The same words for the same facts, made once: a report of many items says few different
 *  things about who, when and how far (owners, due dates, statuses repeat). */
type Memo = (key: string, make: () => string) => string;

function memo(cap = 8192): Memo {
  const seen = new Map<string, string>();
  return (key, make) => {
    let v = seen.get(key);
    if (v === undefined) {
      if (seen.size >= cap) seen.clear();
      seen.set(key, (v = make()));
    }
    return v;
  };
}

// The bodies are lists of blocks: a paragraph, a part heading, or a list of entries;
// each form lays them out its own way.
type Block =
  | { kind: 'para'; text: string }
  | { kind: 'part'; mark: string; text: string }
  | { kind: 'entry'; mark: string; title: string; lines: string[] }
  | { kind: 'table'; head: string[]; rows: string[][]; align?: ('l' | 'r')[] }
  // A table written a page at a time: its head, then rows.
  | { kind: 'rows'; rows: string[][] };
type Body = Block[];

const para = (text: string): Block => ({ kind: 'para', text });
const part = (mark: string, text: string): Block => ({ kind: 'part', mark, text });

/** "Within 7 days", "within 1 day", and for --days 0 "today" (今日). */
function dueWindow(days: number, w: Words): string {
  return days === 0 ? w.t('views.report.window.today') : w.n(days, 'views.report.window.one', 'views.report.window.other');
}

function overdueSentence(m: Pick<ReportModel, 'headline' | 'days'>, w: Words): string {
  const h = m.headline;
  const window = dueWindow(m.days, w);
  if (h.overdue === 0 && h.dueSoon === 0) return w.t('views.report.noneOverdueOrSoon', { window });
  return w.t('views.report.overdueSentence', { overdue: h.overdue, soon: h.dueSoon, window });
}

function problemItems(p: ReportProblem, w: Words): string {
  return p.items.map((i) => w.t('views.report.problemItem', { id: cleanInline(i.id), status: w.status(i.status) })).join(w.t('views.report.listSep'));
}

function problemVerdict(p: ReportProblem, w: Words): string {
  if (p.items.length === 0) return w.t('views.report.problem.none');
  return w.t(p.rectified ? 'views.report.problem.rectified' : 'views.report.problem.open', { items: problemItems(p, w) });
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
    // Extensions (延期) when every move was one; else the moves, 提前 among them.
    out.push(part(mark(++k), w.t(extended.some((x) => x.earlier) ? 'views.report.dueMoved' : 'views.report.extended', { n: extended.length })));
    extended.forEach((x, n) => {
      const date = (d: IsoDate | null) => (d === null ? w.t('views.report.noDue') : longDate(d, w));
      const line = x.from === null
        ? w.t('views.report.extensionSet', { when: when(x), to: date(x.to) })
        : w.t(x.earlier ? 'views.report.broughtForward' : 'views.report.extension', { when: when(x), from: date(x.from), to: date(x.to) });
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

function reportTitle(m: Pick<ReportModel, 'report'>, w: Words): string {
  return w.t('views.report.title', { title: titleCore(cleanInline(m.report.title)) });
}

/** What goes between 关于 and 整改进展情况的报告: a report titled 关于…的整改方案 gives
 *  关于…整改进展情况的报告, not 关于关于…的整改方案整改进展情况的报告. */
/** An area as a report's heading names it (理论学习 → 理论学习方面), not twice when its name
 *  already has the word (思想政治方面). */
export function areaName(name: string, w: Words): string {
  const clean = cleanInline(name);
  const suffix = w.t('views.report.areaName', { name: '' });
  return suffix !== '' && clean.endsWith(suffix) ? clean : w.t('views.report.areaName', { name: clean });
}

export function titleCore(title: string): string {
  const core = title.replace(/^关于/, '').replace(/(的)?(整改(工作)?(实施)?方案|整改进展情况的?报告)$/, '');
  return core === '' ? title : core;
}

function intro(m: Pick<ReportModel, 'report' | 'asOf'>, w: Words): string {
  const date = longDate(m.asOf, w);
  const title = cleanInline(m.report.title);
  return m.report.unit
    ? w.t('views.report.intro', { unit: cleanInline(m.report.unit), title, date })
    : w.t('views.report.introNoUnit', { title, date });
}

/** The lists a report shows, each written a page at a time. */
export type ReportList = 'problems' | 'items' | 'overdue' | 'dueSoon';

/**
 * A report written as its lists are read, so that memory does not grow with the ledger.
 * `lists` is the order the form takes them in: begin each, hand it its pages (each list's
 * rows in order: problems by area, items in listing order, overdue and due-soon items as
 * their sections order them), end it, then finish with the changes (or null).
 */
export interface ReportWriter {
  readonly lists: readonly ReportList[];
  begin(list: ReportList): void;
  problems(page: readonly ProblemRow[]): void;
  /** Items of the list begun last ('items', 'overdue' or 'dueSoon'). */
  items(page: readonly ReportItem[]): void;
  end(list: ReportList): void;
  finish(changes: Changes | null): void;
}

/** Walks a frame's groups (measures, areas) as the rows of a list name them: each group is
 *  opened in order, those without rows too. */
function groups<G extends { id: string }>(list: readonly G[], open: (g: G, k: number) => void, close: (g: G) => void) {
  let k = -1;
  const next = () => {
    if (k >= 0) close(list[k]!);
    k++;
    open(list[k]!, k);
  };
  return {
    to(id: string) {
      while (k < 0 || list[k]!.id !== id) {
        if (k + 1 >= list.length) throw new Error(`the report lists ${id} out of order`); // i18n-ok: an internal invariant; seen only as a bug
        next();
      }
    },
    end() {
      while (k + 1 < list.length) next();
      if (k >= 0) close(list[k]!);
      k = -1;
    },
  };
}

/** The text and Markdown forms: blocks laid out line by line as they come. */
function blockWriter(frame: ReportFrame, form: 'text' | 'md', lang: Lang, write: (text: string) => void): ReportWriter {
  const w = words(lang);
  const out = chunked(write);
  let last = '';
  const line = (l: string) => {
    out.put(l + '\n');
    last = l;
  };
  const lines = (ls: string[]) => ls.forEach(line);
  let section = 0;
  const mark = (n: number) => partMark(section, n, lang);
  const heading = (title: string) => {
    section++;
    if (form === 'md') lines(['', `## ${mdText(sectionMark(section, lang) + title)}`]);
    else lines(['', ...hang(sectionMark(section, lang), title, '')]);
  };
  const emit = (b: Block) => {
    if (form === 'text') {
      switch (b.kind) {
        case 'para':
          lines(wrap(b.text, REPORT_WIDTH, INDENT));
          break;
        case 'part':
          lines(['', ...hang(b.mark, b.text, '')]);
          break;
        case 'entry': {
          lines(hang(b.mark, b.title, INDENT));
          const under = INDENT + ' '.repeat(width(b.mark));
          for (const l of b.lines) lines(wrap(l, REPORT_WIDTH, under));
          break;
        }
        default:
          // Text lays lists out as entries; tables are the Markdown form's.
          break;
      }
      return;
    }
    switch (b.kind) {
      case 'para':
        lines(['', mdText(b.text)]);
        break;
      case 'part':
        lines(['', `### ${mdText(b.mark + b.text)}`]);
        break;
      case 'entry':
        // Loose list items, each fact a nested bullet: no trailing-space line breaks.
        if (!last.match(/^(\d+\.|   -) /)) line('');
        line(`${b.mark.trim()} ${mdText(b.title)}`);
        for (const l of b.lines) line(`   - ${mdText(l)}`);
        break;
      case 'table': {
        const align = b.align ?? b.head.map(() => 'l' as const);
        lines(['', `| ${b.head.map(mdCell).join(' | ')} |`, `| ${align.map((a) => (a === 'r' ? '---:' : '---')).join(' | ')} |`]);
        for (const r of b.rows) line(`| ${r.map(mdCell).join(' | ')} |`);
        break;
      }
      case 'rows':
        for (const r of b.rows) line(`| ${r.map(mdCell).join(' | ')} |`);
        break;
    }
  };
  const head = (columns: string[], align: ('l' | 'r')[]): Block => ({
    kind: 'table', head: columns.map((c) => w.t(`views.report.col.${c}` as MessageKey)), align, rows: [],
  });

  // 一、总体情况, and the heading of 二、: written at once.
  if (form === 'md') lines([`# ${mdText(reportTitle(frame, w))}`, '', mdText(intro(frame, w))]);
  else lines([...centred(reportTitle(frame, w)), '', ...wrap(intro(frame, w), REPORT_WIDTH, INDENT)]);
  const h = frame.headline;
  heading(w.t('views.report.s.overall'));
  emit(para(w.t('views.report.headline', {
    items: w.n(h.total, 'views.count.items.one', 'views.count.items.other'),
    done: h.done, inProgress: h.inProgress, open: h.open, verified: h.verified, percent: h.percentDone,
    problems: w.n(h.problems, 'views.count.problems.one', 'views.count.problems.other'), rectified: h.rectified,
  })));
  emit(para(overdueSentence(frame, w)));

  let list: ReportList = 'items';
  let n = 0; // rows written in the open group or list
  const said = memo();
  const measures = groups(frame.measures, (x, k) => {
    emit(part(mark(k + 1), w.t('views.report.measure', {
      title: cleanInline(x.title), count: w.n(x.items, 'views.count.items.one', 'views.count.items.other'),
      done: x.done, percent: x.percentDone,
    })));
    n = 0;
  }, () => {
    if (n === 0) emit(para(w.t('views.report.noItems')));
  });
  const areas = groups(frame.areas, (a, k) => {
    emit(part(mark(k + 1), w.t('views.report.area', {
      name: areaName(a.name, w), count: w.n(a.problems, 'views.count.problems.one', 'views.count.problems.other'), rectified: a.rectified,
    })));
    if (form === 'md') emit(head(['num', 'id', 'problem', 'verdict'], ['r', 'l', 'l', 'l']));
    n = 0;
  }, () => {});
  const window = dueWindow(frame.days, w);

  /** An overdue or due-soon item. */
  const dated = (i: ReportItem) => {
    const f = itemFacts(i, w, said);
    if (form === 'md') {
      if (n === 0) emit(head(['num', 'id', 'title', 'owner', 'due', 'status'], ['r', 'l', 'l', 'l', 'l', 'l']));
      emit({ kind: 'rows', rows: [[String(n + 1), cleanInline(i.id), cleanInline(i.title), f.who, f.due, f.state]] });
    } else {
      emit({
        kind: 'entry', mark: `${n + 1}. `, title: `[${cleanInline(i.id)}] ${cleanInline(i.title)}`,
        lines: [w.t('views.report.item.who', { who: f.who, due: f.due }), w.t('views.report.item.state', { state: f.state, term: f.term })],
      });
    }
    n++;
  };
  /** An item under its measure. */
  const listed = (i: ReportItem) => {
    measures.to(i.measure);
    const f = itemFacts(i, w, said);
    if (form === 'md') {
      if (n === 0) emit(head(['num', 'id', 'title', 'status', 'light', 'progress', 'owner', 'department', 'term', 'due', 'note', 'evidence'], ['r', 'l', 'l', 'l', 'l', 'r', 'l', 'l', 'l', 'l', 'l', 'l']));
      emit({
        kind: 'rows',
        rows: [[String(n + 1), cleanInline(i.id), cleanInline(i.title), w.status(i.status), i.light !== null ? w.t(`views.light.${i.light}`) : '', `${i.progress}%`,
          i.owner !== null ? cleanInline(i.owner) : '', i.department !== null ? cleanInline(i.department) : '', f.term, f.due,
          i.lastNote !== null ? cleanInline(i.lastNote) : '', f.evidence]],
      });
    } else {
      const facts = [
        i.light !== null
          ? w.t('views.report.item.stateLight', { state: f.state, light: w.t(`views.light.${i.light}`), term: f.term })
          : w.t('views.report.item.state', { state: f.state, term: f.term }),
        w.t('views.report.item.who', { who: f.who, due: f.due }),
      ];
      if (i.lastNote !== null && i.lastNote.trim() !== '') facts.push(w.t('views.report.item.note', { note: block(i.lastNote.trim()) }));
      if (i.evidence.length > 0) facts.push(w.t('views.report.item.evidence', { evidence: f.evidence }));
      emit({ kind: 'entry', mark: `${n + 1}. `, title: `[${cleanInline(i.id)}] ${cleanInline(i.title)}`, lines: facts });
    }
    n++;
  };

  return {
    lists: ['items', 'overdue', 'dueSoon', 'problems'],
    begin(l) {
      list = l;
      n = 0;
      if (l === 'items') heading(w.t('views.report.s.items'));
      if (l === 'overdue') {
        heading(w.t('views.report.s.overdue'));
        emit(part(mark(1), w.t('views.report.overdue', { n: h.overdue })));
      }
      if (l === 'dueSoon') emit(part(mark(2), w.t('views.report.dueSoonPart', { window, n: h.dueSoon })));
      if (l === 'problems') {
        heading(w.t('views.report.s.problems'));
        emit(para(w.t('views.report.problemsHeadline', {
          count: w.n(h.problems, 'views.count.problems.one', 'views.count.problems.other'), rectified: h.rectified, percent: h.percentRectified,
        })));
      }
    },
    items(page) {
      for (const i of page) (list === 'items' ? listed : dated)(i);
    },
    problems(page) {
      for (const row of page) {
        areas.to(row.area);
        const p = reportProblem(row);
        if (form === 'md') emit({ kind: 'rows', rows: [[String(n + 1), cleanInline(p.id), cleanInline(p.title), problemVerdict(p, w)]] });
        else emit({ kind: 'entry', mark: `${n + 1}. `, title: `[${cleanInline(p.id)}] ${cleanInline(p.title)}`, lines: [problemVerdict(p, w)] });
        n++;
      }
    },
    end(l) {
      if (l === 'items') measures.end();
      if (l === 'overdue' && n === 0) emit(para(w.t('views.report.noOverdue')));
      if (l === 'dueSoon' && n === 0) emit(para(w.t('views.report.noDueSoon', { window })));
      if (l === 'problems') areas.end();
    },
    finish(changes) {
      if (changes) {
        heading(w.t('views.report.s.changes', { since: longDate(changes.since, w) }));
        for (const b of changesBody(changes, w, mark)) emit(b);
      }
      // 落款: the unit that reports and the day; in text at the right, as a signed report ends.
      const sign = signature(frame, w);
      if (form === 'md') for (const l of sign) lines(['', mdText(l)]);
      else if (sign.length) {
        line('');
        // A unit too long for one line is wrapped, each of its lines kept at the right.
        for (const l of sign.flatMap((s) => wrap(s, REPORT_WIDTH - 4))) line(' '.repeat(Math.max(0, REPORT_WIDTH - 4 - width(l))) + l);
      }
      out.flush();
    },
  };
}

/** `report --format json`: the same bytes as `toJson(reportJson(model))`, written as the
 *  lists are read (the shape of ReportModel, its keys in its order). */
function jsonWriter(frame: ReportFrame, write: (text: string) => void): ReportWriter {
  const out = chunked(write);
  /** `JSON.stringify(value, null, 2)` as it stands `depth` levels deep. */
  const nested = (value: unknown, depth: number) => JSON.stringify(value, null, 2).replace(/\n/g, '\n' + '  '.repeat(depth));
  const q = (v: unknown) => JSON.stringify(v);
  out.put(`{\n  "asOf": ${q(frame.asOf)},\n  "since": ${q(frame.since)},\n  "days": ${q(frame.days)},\n`
    + `  "report": ${nested(frame.report, 1)},\n  "headline": ${nested(frame.headline, 1)},\n  "areas": [`);
  let list: ReportList = 'problems';
  let n = 0; // elements written in the open group's array
  let groupsWritten = 0; // elements written in the open top-level array
  let rectified = 0;
  const element = (open: string) => out.put((groupsWritten++ === 0 ? '\n' : ',\n') + '    ' + open);
  const inner = (value: unknown) => out.put((n++ === 0 ? '\n' : ',\n') + '        ' + nested(value, 4));
  const closeArray = (count: number, indent: string) => out.put(count === 0 ? ']' : `\n${indent}]`);
  const areas = groups(frame.areas, (a) => {
    element(`{\n      "id": ${q(a.id)},\n      "name": ${q(a.name)},\n      "problems": [`);
    n = 0;
    rectified = 0;
  }, () => {
    closeArray(n, '      ');
    out.put(`,\n      "rectified": ${rectified}\n    }`);
  });
  const measures = groups(frame.measures, (x) => {
    element(`{\n      "id": ${q(x.id)},\n      "title": ${q(x.title)},\n      "items": [`);
    n = 0;
  }, (x) => {
    closeArray(n, '      ');
    out.put(`,\n      "done": ${q(x.done)},\n      "percentDone": ${q(x.percentDone)}\n    }`);
  });
  return {
    lists: ['problems', 'items', 'overdue', 'dueSoon'],
    begin(l) {
      list = l;
      n = 0;
      groupsWritten = 0;
      if (l === 'items') out.put(',\n  "measures": [');
      if (l === 'overdue') out.put(',\n  "overdue": [');
      if (l === 'dueSoon') out.put(',\n  "dueSoon": [');
    },
    problems(page) {
      for (const row of page) {
        areas.to(row.area);
        const p = reportProblem(row);
        if (p.rectified) rectified++;
        inner(p);
      }
    },
    items(page) {
      for (const i of page) {
        if (list === 'items') {
          measures.to(i.measure);
          inner(i);
        } else {
          out.put((groupsWritten++ === 0 ? '\n' : ',\n') + '    ' + nested(i, 2));
        }
      }
    },
    end(l) {
      if (l === 'problems') areas.end();
      if (l === 'items') measures.end();
      closeArray(groupsWritten, '  ');
    },
    finish(changes) {
      out.put(`,\n  "changes": ${nested(changes, 1)}\n}\n`);
      out.flush();
    },
  };
}

/** The writer of a text form of the report. */
export function reportWriter(frame: ReportFrame, form: 'text' | 'md' | 'json', lang: Lang, write: (text: string) => void): ReportWriter {
  return form === 'json' ? jsonWriter(frame, write) : blockWriter(frame, form, lang, write);
}

/** A whole model handed to a writer, list by list, as the store's pages are. */
function writeModel(m: ReportModel, wr: ReportWriter): void {
  for (const list of wr.lists) {
    wr.begin(list);
    if (list === 'problems') wr.problems(m.areas.flatMap((a) => a.problems.map((p) => ({ id: p.id, title: p.title, area: a.id, items: p.items }))));
    else wr.items(list === 'items' ? m.measures.flatMap((x) => x.items) : list === 'overdue' ? m.overdue : m.dueSoon);
    wr.end(list);
  }
  wr.finish(m.changes);
}

function written(m: ReportModel, form: 'text' | 'md' | 'json', lang: Lang): string {
  const parts: string[] = [];
  writeModel(m, reportWriter(frameOf(m), form, lang, (t) => parts.push(t)));
  return parts.join('');
}

/** The report as plain text: every line at most 80 columns, no colour, ever. */
export function renderReportText(m: ReportModel, lang: Lang): string {
  return written(m, 'text', lang);
}

/** The same report as Markdown, with tables for the lists. */
export function renderReportMarkdown(m: ReportModel, lang: Lang): string {
  return written(m, 'md', lang);
}

/** The report's data as `report --format json` prints it (with its final newline). */
export function renderReportJson(m: ReportModel): string {
  return written(m, 'json', 'en');
}

/** The signature lines (落款): the unit, then the date; none without a unit. */
function signature(m: Pick<ReportModel, 'report' | 'asOf'>, w: Words): string[] {
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

/** A CSV cell (RFC 4180), made safe for spreadsheets: a cell that Excel would take as a
 *  formula (`=`, `+`, `-`, `@`, their full-width forms `＝＋－＠`, tab, carriage return
 *  first) gets a leading `'`. */
export function csvCell(s: string): string {
  const safe = /^[=+\-@\t\r＝＋－＠]/.test(s) ? `'${s}` : s;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

const CSV_COLUMNS = [
  'id', 'measure', 'measureTitle', 'title', 'detail', 'addresses', 'problems', 'owner', 'department', 'due', 'term',
  'status', 'progress', 'overdue', 'note', 'evidence', 'created', 'updated', 'doneAt', 'verifiedAt', 'light',
] as const;

/** A recorded time to the second, as a spreadsheet reads it: `2026-11-29T13:04:12+08:00`. */
function toSecond(at: string | null): string {
  return at === null ? '' : at.replace(/\.\d+(?=Z|[+-]\d\d:?\d\d$)/, '');
}

/** The CSV form's first line: a byte-order mark so that Excel reads the Chinese as UTF-8,
 *  the headers in the user's language, CRLF. */
export function reportCsvHead(lang: Lang): string {
  const w = words(lang);
  return '\uFEFF' + CSV_COLUMNS.map((c) => csvCell(w.t(`views.csv.${c}` as MessageKey))).join(',') + '\r\n';
}

/** CSV rows of items, one each, CRLF. `problemTitle` names the problems an item addresses. */
export function reportCsvRows(
  items: readonly ReportItem[], lang: Lang, problemTitle: ReadonlyMap<string, string>, completion: ReadonlyMap<string, Completion> = new Map(),
): string {
  const w = words(lang);
  const text = (s: string | null) => (s === null ? '' : clean(s));
  let out = '';
  for (const i of items) {
    out += [
      text(i.id), text(i.measure), text(i.measureTitle), text(i.title), text(i.detail),
      i.addresses.map(text).join(', '), i.addresses.map((a) => text(problemTitle.get(a) ?? a)).join('\n'),
      text(i.owner), text(i.department), i.due ?? '', w.term(i.term),
      w.status(i.status), String(i.progress), i.daysOverdue !== null ? String(i.daysOverdue) : '',
      text(i.lastNote), i.evidence.map(text).join('\n'), toSecond(i.createdAt), toSecond(i.updatedAt),
      toSecond(completion.get(i.id.toLowerCase())?.doneAt ?? null), toSecond(completion.get(i.id.toLowerCase())?.verifiedAt ?? null),
      i.light !== null ? w.t(`views.light.${i.light}`) : '',
    ].map(csvCell).join(',') + '\r\n';
  }
  return out;
}

/** Every item of every status, one row each, under the head line. */
export function renderReportCsv(m: ReportModel, lang: Lang, completion: ReadonlyMap<string, Completion> = new Map()): string {
  const problemTitle = new Map(m.areas.flatMap((a) => a.problems.map((p) => [p.id, p.title] as const)));
  return reportCsvHead(lang) + m.measures.map((x) => reportCsvRows(x.items, lang, problemTitle, completion)).join('');
}
