// The dashboard's figures from the roll-up rows both stores read (each with its own SQL):
// the arithmetic and the owners' order, in one place. No SQL here.
import type { IsoDate, ReportInfo } from '../core/types.js';
import type { Status } from '../core/vocab.js';
import type { StatusFigures } from './types.js';

type Dated = { id: string; title: string; owner: string | null; due: IsoDate };

export interface RollupRows {
  report: ReportInfo;
  /** Items by status. */
  byStatus: { status: Status; n: number }[];
  /** Unfinished items by owner ('' in the roll-up: unassigned). */
  ownersOpen: { owner: string; n: number }[];
  /** Overdue items by owner. */
  ownersOverdue: { owner: string; n: number }[];
  areas: StatusFigures['areas'];
  /** Problems and those rectified, when `areas` is not read (brief figures): else summed. */
  problems?: { total: number; rectified: number };
  measures: StatusFigures['measures'];
  overdue: Dated[];
  dueSoon: Dated[];
  dueSoonTotal: number;
}

export function figuresFrom(r: RollupRows): StatusFigures {
  const byStatus = new Map(r.byStatus.map((x) => [x.status, x.n]));
  const count = (s: Status) => byStatus.get(s) ?? 0;
  const owners = new Map<string, { owner: string | null; open: number; overdue: number }>();
  for (const x of r.ownersOpen) owners.set(x.owner, { owner: x.owner === '' ? null : x.owner, open: x.n, overdue: 0 });
  for (const x of r.ownersOverdue) {
    const o = owners.get(x.owner);
    if (o) o.overdue = x.n;
  }
  // Most overdue first, then by name in binary order (code points, as SQLite compares, not
  // UTF-16 units), unassigned last among equals.
  const ownerList = [...owners.values()].sort((a, b) => {
    if (a.overdue !== b.overdue) return b.overdue - a.overdue;
    if (a.owner === b.owner) return 0;
    if (a.owner === null) return 1;
    if (b.owner === null) return -1;
    return Buffer.compare(Buffer.from(a.owner), Buffer.from(b.owner));
  });
  return {
    report: r.report,
    items: {
      total: [...byStatus.values()].reduce((a, b) => a + b, 0),
      open: count('open'),
      inProgress: count('in_progress'),
      done: count('done'),
      verified: count('verified'),
      // Every overdue item is unfinished: counted by owner (the owners' rows of open items
      // need not be read for it).
      overdue: r.ownersOverdue.reduce((a, x) => a + x.n, 0),
    },
    // Every problem belongs to an area.
    problems: r.problems ?? {
      total: r.areas.reduce((a, x) => a + x.problems, 0),
      rectified: r.areas.reduce((a, x) => a + x.rectified, 0),
    },
    areas: r.areas,
    measures: r.measures,
    overdue: r.overdue,
    dueSoon: r.dueSoon,
    dueSoonTotal: r.dueSoonTotal,
    owners: ownerList,
  };
}
