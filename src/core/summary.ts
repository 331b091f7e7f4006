// The figures behind the two meeting views, `status` and `report`: percentages, Chinese
// numbering, and the models the renderers draw. Pure: no printing, no clock, no store.
import type { Light } from './lights.js';
import { addDays, daysBetween } from './dates.js';
import type { HistoryEntry, IsoDate, Item, ReportInfo } from './types.js';
import type { Action, Status, Term } from './vocab.js';

// ---------------------------------------------------------------------------------------
// Numbers

/** round(100 * part / whole), half up on the exact fraction, in integers only
 *  (2/3 → 67, 1/8 → 13); nothing to count (whole 0) is 0. */
export function percent(part: number, whole: number): number {
  if (!(whole > 0)) return 0;
  // floor((100p / w) + 1/2) = floor((200p + w) / 2w), exact for integers.
  return Math.floor((200 * part + whole) / (2 * whole));
}

/** How many eighths of `cells` cells a bar for part/whole fills: rounded down, so a bar
 *  is full only when the work is, but never empty when some of it is done. */
export function barEighths(part: number, whole: number, cells: number): number {
  if (!(whole > 0) || part <= 0) return 0;
  const total = cells * 8;
  if (part >= whole) return total;
  return Math.min(total - 1, Math.max(1, Math.floor((total * part) / whole)));
}

const DIGITS = '零一二三四五六七八九';

/** A positive integer in Chinese numerals, as section numbers are written: 1 → 一,
 *  10 → 十, 12 → 十二, 20 → 二十, 105 → 一百零五, 1010 → 一千零一十. */
export function chineseNumber(n: number): string {
  if (!Number.isInteger(n) || n < 0) return String(n);
  if (n < 10) return DIGITS[n]!;
  if (n < 20) return '十' + (n % 10 ? DIGITS[n % 10]! : '');
  if (n >= 100_000_000) return String(n);
  if (n >= 10_000) {
    const high = Math.floor(n / 10_000);
    const low = n % 10_000;
    return chineseNumber(high) + '万' + (low === 0 ? '' : (low < 1000 ? '零' : '') + under10k(low));
  }
  return under10k(n);
}

function under10k(n: number): string {
  const units = ['', '十', '百', '千'];
  const ds = String(n).split('').map(Number);
  let out = '';
  let zero = false;
  ds.forEach((d, i) => {
    const unit = units[ds.length - 1 - i]!;
    if (d === 0) {
      zero = out !== '';
      return;
    }
    if (zero) out += '零';
    zero = false;
    out += DIGITS[d]! + unit;
  });
  return out;
}

// ---------------------------------------------------------------------------------------
// Status

/** What the store aggregates for `status` (the store's StatusFigures is this type). */
export interface Figures {
  report: ReportInfo;
  items: { total: number; open: number; inProgress: number; done: number; verified: number; overdue: number };
  problems: { total: number; rectified: number };
  areas: { id: string; name: string; problems: number; rectified: number }[];
  measures: { id: string; title: string; items: number; done: number }[];
  overdue: { id: string; title: string; owner: string | null; due: IsoDate }[];
  dueSoon: { id: string; title: string; owner: string | null; due: IsoDate }[];
  /** How many are due soon when `dueSoon` was cut short (`items.overdue` counts `overdue`). */
  dueSoonTotal?: number;
  owners: { owner: string | null; open: number; overdue: number }[];
}

export interface DatedItem {
  id: string;
  title: string;
  owner: string | null;
  due: IsoDate;
  /** Days past due (overdue list) or days left (due-soon list; 0 = due today). */
  days: number;
}

/** What one person did in one way during the window: "秘书 assigned 12 items". */
export interface ChangeGroup {
  by: string;
  action: Action;
  /** The newest entry's day. */
  day: string;
  /** The items, newest first, each once. */
  items: string[];
  /** The progress each item's newest entry reached, as `items`. */
  progress: (number | null)[];
  /** How many entries the group holds. */
  entries: number;
  /** The entry, when it is the group's only one (the screen words it by itself). */
  only: HistoryEntry | null;
}

/** The window's changes as a store tells them (Store.recentChanges): grouped, the groups in
 *  the order their newest entries happened, newest first. */
export interface RecentGroups {
  groups: ChangeGroup[];
  /** How many entries the groups hold (the newest few of a big week). */
  told: number;
  /** How many the window holds. */
  total: number;
}

export interface Recent {
  /** The window, both days included: the last 7 days are asOf-6 … asOf. */
  from: IsoDate;
  to: IsoDate;
  /** Changes made through commands, newest first, when the model was given them (none when a
   *  store grouped them). */
  changes: HistoryEntry[];
  /** What the screen tells: who did what, in ACTION_ORDER, then newest first. */
  groups: ChangeGroup[];
  /** How many changes the groups hold. */
  told: number;
  /** How many changes the window holds. */
  total: number;
}

/** The order the screen tells groups in: what a meeting asks about first. */
export const ACTION_ORDER: Action[] = ['verify', 'done', 'progress', 'reopen', 'extend', 'assign', 'create', 'edit', 'undo', 'import'];

/** Groups given in the order their newest entries happened, newest first, in ACTION_ORDER,
 *  then by day, newest first (a stable sort: the same day keeps the newest first). */
export function orderGroups(groups: ChangeGroup[]): ChangeGroup[] {
  const rank = (a: Action) => { const i = ACTION_ORDER.indexOf(a); return i < 0 ? ACTION_ORDER.length : i; };
  return groups.sort((a, b) => rank(a.action) - rank(b.action) || (a.day < b.day ? 1 : a.day > b.day ? -1 : 0));
}

/** Groups changes (any order) by who and what kind, the groups in ACTION_ORDER, then newest
 *  first. What a store's recentChanges gives for the entries it reads, grouped there. */
export function groupChanges(changes: readonly HistoryEntry[]): ChangeGroup[] {
  const groups = new Map<string, ChangeGroup>();
  // Each group's items seen so far (a week of a big ledger: thousands in one group).
  const seen = new Map<ChangeGroup, Set<string>>();
  for (const h of newestFirst(changes)) {
    const key = `${h.by}\u0000${h.action}`;
    let g = groups.get(key);
    if (!g) {
      groups.set(key, (g = { by: h.by, action: h.action, day: h.at.slice(0, 10), items: [], progress: [], entries: 0, only: h }));
      seen.set(g, new Set());
    }
    if (++g.entries > 1) g.only = null;
    const items = seen.get(g)!;
    if (!items.has(h.item)) {
      items.add(h.item);
      g.items.push(h.item);
      g.progress.push(h.progress ?? null);
    }
  }
  return orderGroups([...groups.values()]);
}

export interface StatusModel {
  asOf: IsoDate;
  days: number;
  report: ReportInfo;
  items: Figures['items'];
  percentDone: number;
  problems: { total: number; rectified: number; percent: number };
  areas: { id: string; name: string; problems: number; rectified: number; percent: number }[];
  measures: { id: string; title: string; items: number; done: number; percentDone: number }[];
  /** The lists may be cut short (the screen shows a few); the totals are whole. */
  overdue: DatedItem[];
  overdueTotal: number;
  dueSoon: DatedItem[];
  dueSoonTotal: number;
  owners: { owner: string | null; open: number; overdue: number }[];
  recent: Recent;
}

/** How many days back "recent" reaches: asOf and the 6 days before it. */
export const RECENT_DAYS = 7;

/** The first day of the recent window ending on asOf. */
export function recentFrom(asOf: IsoDate): IsoDate {
  return addDays(asOf, -(RECENT_DAYS - 1));
}

/** The local calendar day of a recorded time (`2024-05-01T09:30:00.000+08:00`): the day
 *  as the person who recorded it saw it. */
export function dayOf(at: string): IsoDate {
  return at.slice(0, 10);
}

// Names in the order a Chinese reader looks them up: by pinyin (王 after 李), not by code
// point. Made when first needed (a collator costs milliseconds to build).
let nameCollator: Intl.Collator | undefined;

/** Two names (owners, departments) in pinyin order, the same name spelled once. */
export function compareNames(a: string, b: string): number {
  return (nameCollator ??= new Intl.Collator('zh-CN')).compare(a, b) || (a < b ? -1 : a > b ? 1 : 0);
}

/** Owners with open work as the contract orders them: most overdue first, then by name
 *  (pinyin order); unassigned (null) after the names. */
export function compareOwners(
  a: { owner: string | null; open: number; overdue: number },
  b: { owner: string | null; open: number; overdue: number },
): number {
  if (a.overdue !== b.overdue) return b.overdue - a.overdue;
  if (a.owner === b.owner) return 0;
  if (a.owner === null) return 1;
  if (b.owner === null) return -1;
  return compareNames(a.owner, b.owner);
}

/** Recorded times in the order they happened: by instant (a ledger written from a UTC
 *  server and a China-time laptop holds both offsets), then in order of recording. */
export function compareInstants(a: { at: string; seq: number }, b: { at: string; seq: number }): number {
  const d = Date.parse(a.at) - Date.parse(b.at);
  return d !== 0 && !Number.isNaN(d) ? d : a.seq - b.seq;
}

const instants = new WeakMap<object, { at: string; t: number }>();

/** Entries newest first, in compareInstants' order (reversed), each time read once: a
 *  week of a big ledger is thousands of entries, and parsing both times at every comparison
 *  took most of the sort. */
export function newestFirst<T extends { at: string; seq: number }>(xs: readonly T[]): T[] {
  const keyed = xs.map((x) => {
    // Kept with the entry: the screen sorts the same entries twice (the model, then its groups).
    let t = instants.get(x);
    if (t === undefined || t.at !== x.at) instants.set(x, (t = { at: x.at, t: Date.parse(x.at) }));
    return { x, t: t.t };
  });
  keyed.sort((a, b) => {
    const d = b.t - a.t;
    return d !== 0 && !Number.isNaN(d) ? d : b.x.seq - a.x.seq;
  });
  return keyed.map((k) => k.x);
}

/** `history`: the window's changes, or the first few of them when `historyTotal` says
 *  how many there are (a big ledger's week can hold millions); or the groups a store made of
 *  them (recentChanges). */
export function buildStatus(f: Figures, history: HistoryEntry[] | RecentGroups, asOf: IsoDate, days: number, historyTotal?: number): StatusModel {
  const from = recentFrom(asOf);
  const grouped = Array.isArray(history) ? null : history;
  const newest = grouped ? [] : newestFirst((history as HistoryEntry[]).filter((h) => dayOf(h.at) >= from && dayOf(h.at) <= asOf));
  const told = grouped ? grouped.told : newest.length;
  const byDue = <T extends { due: IsoDate }>(xs: T[]) => [...xs].sort((a, b) => (a.due < b.due ? -1 : a.due > b.due ? 1 : 0));
  return {
    asOf,
    days,
    report: f.report,
    items: f.items,
    percentDone: percent(f.items.done + f.items.verified, f.items.total),
    problems: { ...f.problems, percent: percent(f.problems.rectified, f.problems.total) },
    areas: f.areas.map((a) => ({ ...a, percent: percent(a.rectified, a.problems) })),
    measures: f.measures.map((m) => ({ ...m, percentDone: percent(m.done, m.items) })),
    overdue: byDue(f.overdue).map((i) => ({ ...i, days: daysBetween(i.due, asOf) })),
    overdueTotal: Math.max(f.items.overdue, f.overdue.length),
    dueSoon: byDue(f.dueSoon).map((i) => ({ ...i, days: daysBetween(asOf, i.due) })),
    dueSoonTotal: Math.max(f.dueSoonTotal ?? 0, f.dueSoon.length),
    owners: [...f.owners].sort(compareOwners),
    recent: {
      from,
      to: asOf,
      changes: newest,
      // A store's groups come ordered (groupChanges made them).
      groups: grouped ? grouped.groups : groupChanges(newest),
      told,
      total: Math.max(grouped?.total ?? historyTotal ?? 0, told),
    },
  };
}

/** `status --json`, exactly the contract's shape (docs/cli.md). */
export function statusJson(m: StatusModel) {
  return {
    asOf: m.asOf,
    report: { title: m.report.title, unit: m.report.unit },
    items: {
      total: m.items.total,
      open: m.items.open,
      inProgress: m.items.inProgress,
      done: m.items.done,
      verified: m.items.verified,
      overdue: m.items.overdue,
    },
    percentDone: m.percentDone,
    problems: { total: m.problems.total, rectified: m.problems.rectified },
    areas: m.areas.map((a) => ({ id: a.id, name: a.name, problems: a.problems, rectified: a.rectified })),
    measures: m.measures.map((x) => ({ id: x.id, title: x.title, items: x.items, done: x.done, percentDone: x.percentDone })),
    overdue: m.overdue.map((i) => i.id),
    dueSoon: m.dueSoon.map((i) => i.id),
    owners: m.owners.map((o) => ({ owner: o.owner, open: o.open, overdue: o.overdue })),
  };
}

// ---------------------------------------------------------------------------------------
// Report

export interface ReportSource {
  report: ReportInfo;
  areas: { id: string; name: string }[];
  problems: { id: string; title: string; area: string }[];
  measures: { id: string; title: string }[];
  /** Every item, in listing order, with its evidence and latest note. */
  items: (Item & { evidence: string[]; lastNote: string | null })[];
  /** History since `since` (any order), or null when no --since was asked. */
  history: HistoryEntry[] | null;
  asOf: IsoDate;
  since: IsoDate | null;
  /** Due soon: from asOf through asOf + days. */
  days: number;
}

export interface ReportItem {
  id: string;
  title: string;
  detail: string | null;
  measure: string;
  measureTitle: string;
  addresses: string[];
  owner: string | null;
  department: string | null;
  due: IsoDate | null;
  term: Term;
  status: Status;
  progress: number;
  /** Days past due when overdue, else null. */
  daysOverdue: number | null;
  /** Days left when due within the window (0 = today), else null. */
  daysLeft: number | null;
  /** Its light as of the report's day (docs/cli.md, "Lights"): red overdue, yellow due soon,
   *  green the other unfinished items, null when done or verified. */
  light: Light | null;
  lastNote: string | null;
  evidence: string[];
  createdAt: string;
  updatedAt: string;
}

export interface Headline {
  total: number;
  open: number;
  inProgress: number;
  done: number;
  verified: number;
  overdue: number;
  dueSoon: number;
  percentDone: number;
  problems: number;
  rectified: number;
  percentRectified: number;
}

export interface ReportProblem {
  id: string;
  title: string;
  rectified: boolean;
  items: { id: string; status: Status }[];
}

export interface Movement {
  id: string;
  title: string;
  /** As it was on `since` (or as created, when it came in after). */
  from: { status: Status; progress: number };
  to: { status: Status; progress: number };
}

export interface Happening {
  at: string;
  by: string;
  /** On a server: the database role that recorded it (shown where it differs from `by`). */
  dbUser?: string;
  id: string;
  title: string;
  note: string | null;
}

export interface Changes {
  since: IsoDate;
  to: IsoDate;
  /** Items whose status or progress is not what it was on `since`, in listing order. */
  moved: Movement[];
  added: Happening[];
  verified: Happening[];
  reopened: Happening[];
  /** Due dates moved: from the date before the window's first change of it to the date after
   *  its last (a date cleared and then set again moved too); `earlier` when brought forward
   *  (提前), which is no extension (延期). */
  extended: (Happening & { from: IsoDate | null; to: IsoDate | null; earlier?: boolean })[];
  /** Notes recorded, oldest first; those of a sign-off or a reopening are shown there. */
  notes: Happening[];
}

export interface ReportModel {
  asOf: IsoDate;
  since: IsoDate | null;
  days: number;
  report: ReportInfo;
  headline: Headline;
  areas: { id: string; name: string; problems: ReportProblem[]; rectified: number }[];
  measures: { id: string; title: string; items: ReportItem[]; done: number; percentDone: number }[];
  overdue: ReportItem[];
  dueSoon: ReportItem[];
  changes: Changes | null;
}

const FINISHED: readonly Status[] = ['done', 'verified'];
const OPEN: readonly Status[] = ['open', 'in_progress'];

export function isFinished(s: Status): boolean {
  return FINISHED.includes(s);
}

/** One item as the report shows it, judged as of `asOf` (due soon: through `soonUntil`). */
export function reportItem(
  i: Item & { evidence: string[]; lastNote: string | null }, measureTitle: string, asOf: IsoDate, soonUntil: IsoDate,
): ReportItem {
  const open = OPEN.includes(i.status);
  const overdue = open && i.due !== null && i.due < asOf;
  const soon = open && i.due !== null && i.due >= asOf && i.due <= soonUntil;
  return {
    id: i.id,
    title: i.title,
    detail: i.detail,
    measure: i.measure,
    measureTitle,
    addresses: i.addresses,
    owner: i.owner,
    department: i.department,
    due: i.due,
    term: i.term,
    status: i.status,
    progress: i.progress,
    daysOverdue: overdue ? daysBetween(i.due!, asOf) : null,
    daysLeft: soon ? daysBetween(asOf, i.due!) : null,
    light: !open ? null : overdue ? 'red' : soon ? 'yellow' : 'green',
    lastNote: i.lastNote,
    evidence: i.evidence,
    createdAt: i.createdAt,
    updatedAt: i.updatedAt,
  };
}

export function buildReport(src: ReportSource): ReportModel {
  const { asOf, days } = src;
  const soonUntil = addDays(asOf, days);
  const measureTitle = new Map(src.measures.map((m) => [m.id, m.title]));
  const items: ReportItem[] = src.items.map((i) => reportItem(i, measureTitle.get(i.measure) ?? '', asOf, soonUntil));

  const counts = new Map<Status, number>();
  for (const i of items) counts.set(i.status, (counts.get(i.status) ?? 0) + 1);
  const count = (s: Status) => counts.get(s) ?? 0;
  // Grouped once, not filtered per problem or measure: a big ledger has thousands of each.
  const group = <K, V>(xs: readonly V[], keys: (x: V) => readonly K[]): Map<K, V[]> => {
    const m = new Map<K, V[]>();
    for (const x of xs) {
      for (const k of keys(x)) {
        const list = m.get(k);
        if (list) list.push(x);
        else m.set(k, [x]);
      }
    }
    return m;
  };
  const byProblem = group(items, (i) => i.addresses);
  const byMeasure = group(items, (i) => [i.measure]);
  const problemsByArea = group(src.problems, (p) => [p.area]);
  const problem = (p: { id: string; title: string }): ReportProblem => {
    const its = byProblem.get(p.id) ?? [];
    return {
      id: p.id,
      title: p.title,
      rectified: its.length > 0 && its.every((i) => isFinished(i.status)),
      items: its.map((i) => ({ id: i.id, status: i.status })),
    };
  };
  const areas = src.areas.map((a) => {
    const problems = (problemsByArea.get(a.id) ?? []).map(problem);
    return { id: a.id, name: a.name, problems, rectified: problems.filter((p) => p.rectified).length };
  });
  const allProblems = areas.flatMap((a) => a.problems);
  const rectified = allProblems.filter((p) => p.rectified).length;

  const measures = src.measures.map((m) => {
    const its = byMeasure.get(m.id) ?? [];
    const done = its.filter((i) => isFinished(i.status)).length;
    return { id: m.id, title: m.title, items: its, done, percentDone: percent(done, its.length) };
  });
  const overdue = items
    .filter((i) => i.daysOverdue !== null)
    .sort((a, b) => b.daysOverdue! - a.daysOverdue!);
  const dueSoon = items.filter((i) => i.daysLeft !== null).sort((a, b) => a.daysLeft! - b.daysLeft!);
  const done = count('done');
  const verified = count('verified');

  return {
    asOf,
    since: src.since,
    days,
    report: src.report,
    headline: {
      total: items.length,
      open: count('open'),
      inProgress: count('in_progress'),
      done,
      verified,
      overdue: overdue.length,
      dueSoon: dueSoon.length,
      percentDone: percent(done + verified, items.length),
      problems: allProblems.length,
      rectified,
      percentRectified: percent(rectified, allProblems.length),
    },
    areas,
    measures,
    overdue,
    dueSoon,
    changes: src.since !== null && src.history !== null ? buildChanges(src.history, items, src.since, asOf) : null,
  };
}

/** The item's state just before h; for a creation, the state it was created in. */
function snapshotBefore(h: HistoryEntry): { status: Status; progress: number } {
  if (h.action === 'create') return { status: h.status, progress: h.progress };
  const st = h.changes.status?.[0];
  const pr = h.changes.progress?.[0];
  return {
    status: typeof st === 'string' ? (st as Status) : h.status,
    progress: typeof pr === 'number' ? pr : h.progress,
  };
}

/** What happened from `since` through `to` (both days included). */
export function buildChanges(history: HistoryEntry[], items: { id: string; title: string }[], since: IsoDate, to: IsoDate): Changes {
  const window = history
    .filter((h) => dayOf(h.at) >= since && dayOf(h.at) <= to)
    .sort(compareInstants);
  const title = new Map(items.map((i) => [i.id.toLowerCase(), i.title]));
  const titleOf = (id: string) => title.get(id.toLowerCase()) ?? '';
  const happening = (h: HistoryEntry): Happening => ({
    at: h.at, by: h.by, ...(h.dbUser !== undefined ? { dbUser: h.dbUser } : {}), id: h.item, title: titleOf(h.item), note: h.note,
  });

  const first = new Map<string, HistoryEntry>();
  const last = new Map<string, HistoryEntry>();
  for (const h of window) {
    const key = h.item.toLowerCase();
    if (!first.has(key)) first.set(key, h);
    last.set(key, h);
  }
  const moved: Movement[] = [];
  for (const i of items) {
    const key = i.id.toLowerCase();
    const a = first.get(key);
    const b = last.get(key);
    if (!a || !b) continue;
    const from = snapshotBefore(a);
    const to = { status: b.status, progress: b.progress };
    if (from.status === to.status && from.progress === to.progress) continue;
    moved.push({ id: i.id, title: i.title, from, to });
  }
  const hasNote = (h: HistoryEntry) => h.note !== null && h.note.trim() !== '';
  return {
    since,
    to,
    moved,
    added: window.filter((h) => h.action === 'create').map(happening),
    verified: window.filter((h) => h.action === 'verify').map(happening),
    reopened: window.filter((h) => h.action === 'reopen').map(happening),
    extended: dueMoves(window).map(({ first: a, last: b, from, to }) => ({
      ...happening(b),
      note: [a, b].filter((h, k) => hasNote(h) && (k === 0 ? a !== b : true)).map((h) => h.note!.trim()).join('；') || null,
      from,
      to,
      ...(to < from ? { earlier: true } : {}),
    })),
    notes: window.filter((h) => hasNote(h) && h.action !== 'reopen' && h.action !== 'verify' && h.action !== 'extend').map(happening),
  };
}

/** The due dates moved over the window (entries oldest first), in the order they moved: a
 *  date changed to another, or cleared and later set again (two assignments, one move, from
 *  the date cleared). Setting a first date is no move. */
function dueMoves(window: readonly HistoryEntry[]): { first: HistoryEntry; last: HistoryEntry; from: IsoDate; to: IsoDate }[] {
  const cleared = new Map<string, { first: HistoryEntry; from: IsoDate }>();
  const moves: { first: HistoryEntry; last: HistoryEntry; from: IsoDate; to: IsoDate }[] = [];
  for (const h of window) {
    const due = h.changes?.due;
    if (!due || (h.action !== 'assign' && h.action !== 'extend')) continue;
    const key = h.item.toLowerCase();
    const before = (due[0] as IsoDate | null | undefined) ?? null;
    const after = (due[1] as IsoDate | null | undefined) ?? null;
    if (before !== null && after === null) {
      if (!cleared.has(key)) cleared.set(key, { first: h, from: before });
      continue;
    }
    if (after === null) continue;
    const pending = cleared.get(key);
    cleared.delete(key);
    const from = before ?? pending?.from ?? null;
    if (from !== null && from !== after) moves.push({ first: before === null && pending ? pending.first : h, last: h, from, to: after });
  }
  return moves;
}

/** A problem with the items addressing it (listing order): the pages of 问题整改情况. */
export interface ProblemRow {
  id: string;
  title: string;
  area: string;
  items: { id: string; status: Status }[];
}

/** A problem as the report judges it: rectified when it has items and all are finished. */
export function reportProblem(p: ProblemRow): ReportProblem {
  return { id: p.id, title: p.title, rectified: p.items.length > 0 && p.items.every((i) => isFinished(i.status)), items: p.items };
}

/** The report without its lists (items, overdue, due soon, problems), which come a page at a
 *  time: small whatever the size of the ledger. */
export interface ReportFrame {
  asOf: IsoDate;
  since: IsoDate | null;
  days: number;
  report: ReportInfo;
  headline: Headline;
  areas: { id: string; name: string; problems: number; rectified: number }[];
  measures: { id: string; title: string; items: number; done: number; percentDone: number }[];
}

/** The frame from the figures the store aggregates for `status` (their counts are the ones
 *  buildReport counts from the items). */
export function reportFrame(f: Figures, asOf: IsoDate, since: IsoDate | null, days: number): ReportFrame {
  const { total, open, inProgress, done, verified, overdue } = f.items;
  return {
    asOf,
    since,
    days,
    report: f.report,
    headline: {
      total,
      open,
      inProgress,
      done,
      verified,
      overdue,
      dueSoon: f.dueSoonTotal ?? f.dueSoon.length,
      percentDone: percent(done + verified, total),
      problems: f.problems.total,
      rectified: f.problems.rectified,
      percentRectified: percent(f.problems.rectified, f.problems.total),
    },
    areas: f.areas.map((a) => ({ id: a.id, name: a.name, problems: a.problems, rectified: a.rectified })),
    measures: f.measures.map((m) => ({ id: m.id, title: m.title, items: m.items, done: m.done, percentDone: percent(m.done, m.items) })),
  };
}

/** The frame of a whole model (the Office formats and tests hold one). */
export function frameOf(m: ReportModel): ReportFrame {
  return {
    asOf: m.asOf,
    since: m.since,
    days: m.days,
    report: m.report,
    headline: m.headline,
    areas: m.areas.map((a) => ({ id: a.id, name: a.name, problems: a.problems.length, rectified: a.rectified })),
    measures: m.measures.map((x) => ({ id: x.id, title: x.title, items: x.items.length, done: x.done, percentDone: x.percentDone })),
  };
}

/** The report's data, as `report --format json` prints it. */
export function reportJson(m: ReportModel) {
  return m;
}

// ---------------------------------------------------------------------------------------
// Office documents (report --format xlsx|docx): what they show beyond the text report.

/** When an item was finished (完成时间) and signed off (销号时间), as its history says. */
export interface Completion {
  doneAt: string | null;
  verifiedAt: string | null;
}

/** Each item's latest finishing and sign-off times (keyed by lower-case id), walking its
 *  history oldest first: reaching done or verified from an open status finishes it, reaching
 *  verified signs it off, and a reopening or an undo that goes back clears what it undid. */
export function completionTimes(history: readonly Pick<HistoryEntry, 'item' | 'at' | 'seq' | 'status'>[]): Map<string, Completion> {
  const ordered = [...history].sort(compareInstants);
  const out = new Map<string, Completion & { last: Status | null }>();
  for (const h of ordered) {
    const key = h.item.toLowerCase();
    let c = out.get(key);
    if (!c) out.set(key, (c = { doneAt: null, verifiedAt: null, last: null }));
    const finished = isFinished(h.status);
    if (finished && (c.last === null || !isFinished(c.last))) c.doneAt = h.at;
    if (!finished) c.doneAt = null;
    if (h.status === 'verified' && c.last !== 'verified') c.verifiedAt = h.at;
    if (h.status !== 'verified') c.verifiedAt = null;
    c.last = h.status;
  }
  return new Map([...out].map(([k, { doneAt, verifiedAt }]) => [k, { doneAt, verifiedAt }]));
}

/** The history from `since` (that day included; all of it when null), newest first by
 *  instant, changes at the same instant in reverse order of recording. */
export function historySince(history: readonly HistoryEntry[], since: IsoDate | null): HistoryEntry[] {
  return history
    .filter((h) => since === null || dayOf(h.at) >= since)
    .sort((a, b) => compareInstants(b, a));
}

/** 下一步工作打算: one owner's open items (open or in progress), soonest due first. */
export interface OwnerPlan {
  owner: string | null;
  overdue: number;
  items: ReportItem[];
}

/** What remains open, by owner (most overdue first, then by name, unassigned last, as
 *  `status` orders owners), each owner's items by due date (undated last, then listing order). */
export function openByOwner(m: ReportModel): OwnerPlan[] {
  const by = new Map<string | null, ReportItem[]>();
  for (const x of m.measures) {
    for (const i of x.items) {
      if (isFinished(i.status)) continue;
      const list = by.get(i.owner);
      if (list) list.push(i);
      else by.set(i.owner, [i]);
    }
  }
  const plans = [...by].map(([owner, items]) => ({
    owner,
    open: items.length,
    overdue: items.filter((i) => i.daysOverdue !== null).length,
    // Stable sort: items due the same day (or undated) keep listing order.
    items: [...items].sort((a, b) => (a.due === b.due ? 0 : a.due === null ? 1 : b.due === null ? -1 : a.due < b.due ? -1 : 1)),
  }));
  return plans.sort(compareOwners).map(({ owner, overdue, items }) => ({ owner, overdue, items }));
}
