// The dashboard's figures, aggregated in SQL from roll-ups the triggers keep (counts on
// each measure and each problem, by owner and status, and of unfinished items by due day
// and owner). Only the lists of overdue and due-soon items read
// items, through the partial index of unfinished items by due date. Nothing here reads
// every item, nor every problem's text.
import { addDays } from '../../core/dates.js';
import type { IsoDate, ReportInfo } from '../../core/types.js';
import type { Status } from '../../core/vocab.js';
import { figuresFrom } from '../figures.js';
import type { StatusFigures } from '../types.js';
import { LISTING_ORDER, OPEN } from './rows.js';
import type { Sql } from './sql.js';

/** Unfinished items: written as the partial index items_open_due is, so that it is used. */
const UNFINISHED = `i.status IN (${OPEN})`;

/** The queries behind `status`, exported so that tests can check how SQLite runs them. */
export const STATUS_SQL = {
  byStatus: 'SELECT status, sum(n) AS n FROM owner_counts GROUP BY status',
  ownersOpen: `SELECT owner, sum(n) AS n FROM owner_counts WHERE status IN (${OPEN}) GROUP BY owner`,
  ownersOverdue: 'SELECT owner, sum(n) AS n FROM due_counts WHERE due < ? GROUP BY owner',
  dueSoonCount: 'SELECT coalesce(sum(n), 0) AS n FROM due_counts WHERE due >= ? AND due <= ?',
  areas: `
    SELECT a.id, a.name,
           (SELECT count(*) FROM problems p WHERE p.area = a.key) AS problems,
           (SELECT count(*) FROM problems p WHERE p.area = a.key AND p.unfinished = 0 AND p.items > 0) AS rectified
      FROM areas a ORDER BY a.pos`,
  measures: 'SELECT m.id, m.title, m.items, m.done FROM measures m INDEXED BY measures_listing ORDER BY m.pos',
  // The first `limit` (LIMIT -1: no limit) in order, found in the index alone; only those
  // items are then read for their titles.
  overdue: datedList('i.due < ?'),
  dueSoon: datedList('i.due >= ? AND i.due <= ?'),
} as const;

function datedList(range: string): string {
  return `
    WITH first (key, due, pos, num, id) AS (
      SELECT i.key, i.due, m.pos, i.num, i.id
        FROM items i INDEXED BY items_open_due JOIN measures m INDEXED BY measures_position ON m.key = i.measure
       WHERE ${UNFINISHED} AND ${range}
       ORDER BY i.due, ${LISTING_ORDER} LIMIT ?)
    SELECT i.id, i.title, i.owner, i.due
      FROM first f JOIN items i ON i.key = f.key
     ORDER BY f.due, f.pos, f.num IS NULL, f.num, f.id`;
}

type Dated = { id: string; title: string; owner: string | null; due: IsoDate };

export function statusFigures(
  sql: Sql,
  report: ReportInfo,
  asOf: IsoDate,
  days: number,
  listLimit: number | undefined,
): StatusFigures {
  const soonUntil = addDays(asOf, days);
  const limit = listLimit === undefined ? -1 : Math.max(0, Math.trunc(listLimit));
  return figuresFrom({
    report,
    byStatus: sql.all<{ status: Status; n: number }>(STATUS_SQL.byStatus),
    ownersOpen: sql.all<{ owner: string; n: number }>(STATUS_SQL.ownersOpen),
    ownersOverdue: sql.all<{ owner: string; n: number }>(STATUS_SQL.ownersOverdue, asOf),
    areas: sql.all<StatusFigures['areas'][number]>(STATUS_SQL.areas),
    measures: sql.all<StatusFigures['measures'][number]>(STATUS_SQL.measures),
    overdue: sql.all<Dated>(STATUS_SQL.overdue, asOf, limit),
    dueSoon: sql.all<Dated>(STATUS_SQL.dueSoon, asOf, soonUntil, limit),
    dueSoonTotal: sql.get<{ n: number }>(STATUS_SQL.dueSoonCount, asOf, soonUntil)!.n,
  });
}
