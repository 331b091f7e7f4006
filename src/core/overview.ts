// A supervising body's view across ledgers (督查室 / 纪委 following dozens of units): one row
// per ledger from figures each ledger already keeps (its roll-ups), worst first, and a total.
// Lights as the contract's Lights paragraph defines them (docs/cli.md): an item neither done
// nor verified is red when overdue, yellow when due from the day through the day + N days.
import { percent } from './summary.js';
import type { IsoDate } from './types.js';

/** What one ledger gives the overview (the store reads it from its roll-ups). */
export interface LedgerFigures {
  /** Where the ledger is, as messages show it (a file path, an address without password). */
  address: string;
  unit: string | null;
  report: string;
  items: number;
  open: number;
  inProgress: number;
  done: number;
  verified: number;
  /** Open or in progress, due before the day. */
  red: number;
  /** Open or in progress, due from the day through the day + N days. */
  yellow: number;
  /** The earliest due date among the red items, if any. */
  oldestDue: IsoDate | null;
  /** Due dates moved later on a dated item (assign --due: 延期), not taken back by undo. */
  extensions: number;
}

export interface OverviewRow extends Omit<LedgerFigures, 'oldestDue'> {
  /** round(100 × (done + verified) / items), half up, as `status` rounds. */
  donePercent: number;
  /** round(100 × verified / items). */
  verifiedPercent: number;
  /** Days the oldest red item is past its due date (0 when none is red). */
  maxDaysOverdue: number;
}

export interface Overview {
  asOf: IsoDate;
  days: number;
  rows: OverviewRow[];
  total: Omit<OverviewRow, 'address' | 'unit' | 'report'> & { ledgers: number };
}

function daysBetween(from: IsoDate, to: IsoDate): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

/** Worst first: the most red items, then the most yellow, then the lowest share done, then the
 *  most extensions; then by unit and report name, so that the order is the same every time. */
export function worstFirst(a: OverviewRow, b: OverviewRow): number {
  return b.red - a.red || b.yellow - a.yellow || a.donePercent - b.donePercent || b.extensions - a.extensions
    || b.maxDaysOverdue - a.maxDaysOverdue
    || cmp(a.unit ?? '', b.unit ?? '') || cmp(a.report, b.report) || cmp(a.address, b.address);
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function buildOverview(ledgers: LedgerFigures[], asOf: IsoDate, days: number): Overview {
  const rows = ledgers.map(({ oldestDue, ...f }): OverviewRow => ({
    ...f,
    donePercent: percent(f.done + f.verified, f.items),
    verifiedPercent: percent(f.verified, f.items),
    maxDaysOverdue: oldestDue && f.red > 0 ? Math.max(0, daysBetween(oldestDue, asOf)) : 0,
  })).sort(worstFirst);
  const sum = (k: 'items' | 'open' | 'inProgress' | 'done' | 'verified' | 'red' | 'yellow' | 'extensions') => rows.reduce((n, r) => n + r[k], 0);
  const t = {
    ledgers: rows.length, items: sum('items'), open: sum('open'), inProgress: sum('inProgress'), done: sum('done'), verified: sum('verified'),
    red: sum('red'), yellow: sum('yellow'), extensions: sum('extensions'),
    maxDaysOverdue: rows.reduce((n, r) => Math.max(n, r.maxDaysOverdue), 0),
  };
  return { asOf, days, rows, total: { ...t, donePercent: percent(t.done + t.verified, t.items), verifiedPercent: percent(t.verified, t.items) } };
}

/** `overview --json`: camelCase, every ledger then the total. */
export function overviewJson(o: Overview) {
  return {
    asOf: o.asOf,
    days: o.days,
    ledgers: o.rows.map((r) => ({
      unit: r.unit, report: r.report, address: r.address, items: r.items, open: r.open, inProgress: r.inProgress, done: r.done,
      verified: r.verified, donePercent: r.donePercent, verifiedPercent: r.verifiedPercent, red: r.red, yellow: r.yellow,
      maxDaysOverdue: r.maxDaysOverdue, extensions: r.extensions,
    })),
    total: o.total,
  };
}
