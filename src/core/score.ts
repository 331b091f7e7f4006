// The quantified assessment (量化考核) of each department or owner, as a 督查室 reads it in a
// 通报. Each figure is defined in the README ("督办" section) so that a person can check it by
// hand; the definitions in one place here:
//
// - items: the items the department (owner) answers for, of every status.
// - done: of those, done or verified now.
// - onTime (按期完成): done items finished on or before their ORIGINAL deadline, the one the
//   department committed to before any extension (an extension is a missed commitment: it is
//   counted under `extensions`, and the item is on time only if it met the first date). The
//   day an item was finished is the day of the change that last made it done. A done item
//   that never had a deadline counts as on time (there was nothing to miss).
// - overdue (逾期): items open or in progress whose CURRENT deadline is before the day (red):
//   the same items `status` lists as overdue, since the department is now held to the date it
//   was granted.
// - daysOverdue (逾期天数): summed over those overdue items, the days from the current deadline
//   to the day, each as `status` shows it ("5 days").
// - extensions (延期): the extensions that still stand (an `extend` change not undone).
// - expected (应完成): done items, and open items whose original deadline is before the day:
//   the items that should have been finished by now.
// - onTimeRate (按期完成率): onTime / expected, as a percentage rounded half up (2/3 → 67);
//   null when nothing was expected yet.
import { completionTimes, compareNames, dayOf, isFinished, percent, compareInstants } from './summary.js';
import type { HistoryEntry, IsoDate, Item } from './types.js';

export type ScoreBy = 'department' | 'owner';

export interface ScoreRow {
  /** The department or owner; null for items with none. */
  name: string | null;
  items: number;
  done: number;
  onTime: number;
  overdue: number;
  daysOverdue: number;
  extensions: number;
  expected: number;
  onTimeRate: number | null;
}

export type ScoreHistory = Pick<HistoryEntry, 'item' | 'at' | 'seq' | 'status' | 'action' | 'changes'>;

/** Each item's original deadline and its standing extensions, from its standing history. */
export function deadlines(items: readonly Pick<Item, 'id' | 'due'>[], history: readonly ScoreHistory[]): Map<string, { original: IsoDate | null; extensions: number }> {
  const extends_ = new Map<string, ScoreHistory[]>();
  for (const h of history) {
    if (h.action !== 'extend') continue;
    const key = h.item.toLowerCase();
    const list = extends_.get(key);
    if (list) list.push(h);
    else extends_.set(key, [h]);
  }
  const out = new Map<string, { original: IsoDate | null; extensions: number }>();
  for (const i of items) {
    const list = (extends_.get(i.id.toLowerCase()) ?? []).sort(compareInstants);
    const first = list[0]?.changes.due?.[0];
    out.set(i.id.toLowerCase(), { original: typeof first === 'string' ? first : i.due, extensions: list.length });
  }
  return out;
}

/**
 * The rows of the assessment as of `asOf`, one per department (owner), from every item and
 * the standing history (changes not taken back by an undo, and no undo entries). Order: most
 * overdue first, then most days overdue, then the lower on-time rate (none last), then by
 * name (pinyin), the items with none last.
 */
export function buildScore(items: readonly Item[], history: readonly ScoreHistory[], asOf: IsoDate, by: ScoreBy): ScoreRow[] {
  const finished = completionTimes(history);
  const lines = deadlines(items, history);
  const rows = new Map<string | null, ScoreRow>();
  for (const i of items) {
    const name = i[by];
    let r = rows.get(name);
    if (!r) rows.set(name, (r = { name, items: 0, done: 0, onTime: 0, overdue: 0, daysOverdue: 0, extensions: 0, expected: 0, onTimeRate: null }));
    const d = lines.get(i.id.toLowerCase())!;
    r.items++;
    r.extensions += d.extensions;
    if (isFinished(i.status)) {
      r.done++;
      r.expected++;
      const at = finished.get(i.id.toLowerCase())?.doneAt ?? i.updatedAt;
      if (d.original === null || dayOf(at) <= d.original) r.onTime++;
    } else {
      if (d.original !== null && d.original < asOf) r.expected++;
      if (i.due !== null && i.due < asOf) {
        r.overdue++;
        r.daysOverdue += Math.round((Date.parse(asOf) - Date.parse(i.due)) / 86_400_000);
      }
    }
  }
  for (const r of rows.values()) r.onTimeRate = r.expected > 0 ? percent(r.onTime, r.expected) : null;
  return [...rows.values()].sort((a, b) =>
    b.overdue - a.overdue || b.daysOverdue - a.daysOverdue
    || (a.onTimeRate ?? 101) - (b.onTimeRate ?? 101)
    || (a.name === null ? 1 : b.name === null ? -1 : compareNames(a.name, b.name)));
}

/** The whole as one row (name null): the sums, and the rate of the sums. */
export function scoreTotal(rows: readonly ScoreRow[]): ScoreRow {
  const t: ScoreRow = { name: null, items: 0, done: 0, onTime: 0, overdue: 0, daysOverdue: 0, extensions: 0, expected: 0, onTimeRate: null };
  for (const r of rows) {
    t.items += r.items; t.done += r.done; t.onTime += r.onTime; t.overdue += r.overdue;
    t.daysOverdue += r.daysOverdue; t.extensions += r.extensions; t.expected += r.expected;
  }
  t.onTimeRate = t.expected > 0 ? percent(t.onTime, t.expected) : null;
  return t;
}

/** The contract's JSON row (extra: `expected`, the rate's denominator). */
export function scoreJson(r: ScoreRow) {
  return {
    name: r.name, items: r.items, done: r.done, onTime: r.onTime, overdue: r.overdue,
    daysOverdue: r.daysOverdue, extensions: r.extensions, expected: r.expected, onTimeRate: r.onTimeRate,
  };
}
