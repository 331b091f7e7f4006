// What the meeting's page (report --format html) draws beyond the report model: the items of
// each measure and department by status and light, and the work done week by week as the
// history tells it. Pure: no printing, no clock, no store.
import { addDays } from './dates.js';
import { compareInstants, compareNames, dayOf, type ReportItem, type ReportModel } from './summary.js';
import type { HistoryEntry, IsoDate } from './types.js';

/** The items of one bar: finished ones by status, unfinished ones by light (the five parts
 *  add up to `items`). */
export interface Split {
  items: number;
  verified: number;
  done: number;
  green: number;
  yellow: number;
  red: number;
}

export interface SplitRow extends Split {
  /** A measure's id, or null for a department. */
  id: string | null;
  /** The measure's title, or the department's name (null: items with no department). */
  label: string | null;
}

export function emptySplit(): Split {
  return { items: 0, verified: 0, done: 0, green: 0, yellow: 0, red: 0 };
}

export function addToSplit(s: Split, i: Pick<ReportItem, 'status' | 'light'>): void {
  s.items += 1;
  if (i.status === 'verified') s.verified += 1;
  else if (i.status === 'done') s.done += 1;
  else if (i.light !== null) s[i.light] += 1;
}

/** Each measure in seed order. */
export function splitByMeasure(m: ReportModel): SplitRow[] {
  return m.measures.map((x) => {
    const s = emptySplit();
    for (const i of x.items) addToSplit(s, i);
    return { id: x.id, label: x.title, ...s };
  });
}

/** Each department: the most red items first, then the most yellow, then by name (pinyin);
 *  items with no department last. */
export function splitByDepartment(m: ReportModel): SplitRow[] {
  const by = new Map<string | null, Split>();
  for (const x of m.measures) {
    for (const i of x.items) {
      const key = i.department === null || i.department.trim() === '' ? null : i.department;
      let s = by.get(key);
      if (!s) by.set(key, (s = emptySplit()));
      addToSplit(s, i);
    }
  }
  return [...by].map(([label, s]) => ({ id: null, label, ...s })).sort((a, b) =>
    b.red - a.red || b.yellow - a.yellow || (a.label === null ? 1 : b.label === null ? -1 : compareNames(a.label, b.label)));
}

/** The whole ledger as one bar. */
export function splitAll(m: ReportModel): Split {
  const s = emptySplit();
  for (const x of m.measures) for (const i of x.items) addToSplit(s, i);
  return s;
}

/** One week's point: the items that existed, were finished (done or signed off) and were
 *  signed off at its end (the last point: at the report's day). */
export interface WeekPoint {
  /** The week's Monday. */
  week: IsoDate;
  /** The day the figures are counted at: the week's Sunday, or the report's day. */
  end: IsoDate;
  items: number;
  finished: number;
  verified: number;
}

/** The Monday of a day's week. */
export function mondayOf(day: IsoDate): IsoDate {
  const dow = new Date(`${day}T00:00:00Z`).getUTCDay(); // 0 Sunday … 6 Saturday
  return addDays(day, -((dow + 6) % 7));
}

/**
 * Week by week up to `asOf`, from the history (any order; what still stands) and the items as
 * they are now: an item counts from the day it was created, and has at the end of a week the
 * status its last change on or before that day left it in (created without a change: the
 * status it has, for an item the seed brought in so). From the week before the first item was
 * created or changed, at most `maxWeeks` points, the latest.
 */
export function weeklyProgress(
  items: readonly Pick<ReportItem, 'id' | 'status' | 'createdAt'>[],
  history: readonly Pick<HistoryEntry, 'item' | 'at' | 'seq' | 'status'>[],
  asOf: IsoDate,
  maxWeeks = 26,
): WeekPoint[] {
  if (items.length === 0) return [];
  const known = new Map(items.map((i) => [i.id.toLowerCase(), i]));
  const ofItems = history.filter((h) => known.has(h.item.toLowerCase()));
  const entries = ofItems.filter((h) => dayOf(h.at) <= asOf).sort(compareInstants);
  const created = items.map((i) => ({ key: i.id.toLowerCase(), day: dayOf(i.createdAt) })).sort((a, b) => (a.day < b.day ? -1 : a.day > b.day ? 1 : 0));
  const first = [created[0]!.day, ...(entries.length > 0 ? [dayOf(entries[0]!.at)] : [])].sort()[0]!;
  const lastWeek = mondayOf(asOf);
  // From the week before the first activity: the lines rise from where the work started, and
  // a ledger in its first week still has two points to draw.
  let week = addDays(mondayOf(first < asOf ? first : asOf), -7);
  const earliest = addDays(lastWeek, -7 * (Math.max(1, maxWeeks) - 1));
  if (week < earliest) week = earliest;

  // Items with no change of their own keep, from their creation, the status they have now.
  const touched = new Set(ofItems.map((h) => h.item.toLowerCase()));
  const state = new Map<string, string>();
  let finished = 0;
  let verified = 0;
  const set = (key: string, status: string) => {
    const before = state.get(key);
    if (before === 'done' || before === 'verified') finished -= 1;
    if (before === 'verified') verified -= 1;
    state.set(key, status);
    if (status === 'done' || status === 'verified') finished += 1;
    if (status === 'verified') verified += 1;
  };
  let e = 0;
  let c = 0;
  let existing = 0;
  const points: WeekPoint[] = [];
  for (; week <= lastWeek; week = addDays(week, 7)) {
    const sunday = addDays(week, 6);
    const end = sunday < asOf ? sunday : asOf;
    for (; c < created.length && created[c]!.day <= end; c++) {
      existing += 1;
      const key = created[c]!.key;
      if (!touched.has(key)) set(key, known.get(key)!.status);
    }
    for (; e < entries.length && dayOf(entries[e]!.at) <= end; e++) set(entries[e]!.item.toLowerCase(), entries[e]!.status);
    points.push({ week, end, items: existing, finished, verified });
  }
  return points;
}
