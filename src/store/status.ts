// The dashboard's figures, aggregated in SQL from roll-ups the triggers keep (counts on
// each measure and each problem, by owner and status, and of unfinished items by due day
// and owner). Only the lists of overdue and due-soon items read items, through the partial
// index of unfinished items by due date. Nothing here reads every item, nor every problem's
// text. On a server the queries go out together, in one round trip.
import { addDays } from '../core/dates.js';
import type { IsoDate, ReportInfo } from '../core/types.js';
import type { Status } from '../core/vocab.js';
import { figuresFrom } from './figures.js';
import { OPEN, sqlOf, type Db, type Dialect } from './sql.js';
import type { StatusFigureOptions, StatusFigures } from './types.js';

const made = new Map<Dialect, ReturnType<typeof make>>();

/** The queries behind `status`, exported so that tests can check how SQLite runs them. */
export function statusSql(d: Dialect): ReturnType<typeof make> {
  let s = made.get(d);
  if (!s) made.set(d, (s = make(d)));
  return s;
}

function make(d: Dialect) {
  const { LISTING_ORDER } = sqlOf(d);
  // The first `limit` in order, found in the index alone; only those items are then read
  // for their titles. Unfinished: written as the partial index items_open_due is.
  const datedList = (range: string) => `
    WITH first (key, due, pos, num, id) AS (
      SELECT i.key, i.due, m.pos, i.num, i.id
        FROM items i${d.indexedBy('items_open_due')} JOIN measures m${d.indexedBy('measures_position')} ON m.key = i.measure
       WHERE i.status IN (${OPEN}) AND ${range}
       ORDER BY i.due, ${LISTING_ORDER} LIMIT ?)
    SELECT i.id, i.title, i.owner, i.due
      FROM first f JOIN items i ON i.key = f.key
     ORDER BY f.due, f.pos, f.num IS NULL, f.num, ${d.id('f.id')}`;
  const n = 'CAST(sum(n) AS INTEGER) AS n';
  return {
    byStatus: `SELECT status, ${n} FROM owner_counts GROUP BY status`,
    ownersOpen: `SELECT owner, ${n} FROM owner_counts WHERE status IN (${OPEN}) GROUP BY owner`,
    ownersOverdue: `SELECT owner, ${n} FROM due_counts WHERE due < ? GROUP BY owner`,
    dueSoonCount: 'SELECT CAST(coalesce(sum(n), 0) AS INTEGER) AS n FROM due_counts WHERE due >= ? AND due <= ?',
    // The brief figures' (the default screen): the problems' totals without the areas' rows.
    problems: `SELECT CAST(count(*) AS INTEGER) AS total,
                      CAST(coalesce(sum(CASE WHEN unfinished = 0 AND items > 0 THEN 1 ELSE 0 END), 0) AS INTEGER) AS rectified
                 FROM problems`,
    areas: `
      SELECT a.id, a.name,
             (SELECT CAST(count(*) AS INTEGER) FROM problems p WHERE p.area = a.key) AS problems,
             (SELECT CAST(count(*) AS INTEGER) FROM problems p WHERE p.area = a.key AND p.unfinished = 0 AND p.items > 0) AS rectified
        FROM areas a ORDER BY a.pos`,
    measures: `SELECT m.id, m.title, m.items, m.done FROM measures m${d.indexedBy('measures_listing')} ORDER BY m.pos`,
    overdue: datedList('i.due < ?'),
    dueSoon: datedList('i.due >= ? AND i.due <= ?'),
  };
}

type Dated = { id: string; title: string; owner: string | null; due: IsoDate };

export async function statusFigures(
  db: Db, reportInfo: Promise<ReportInfo>, asOf: IsoDate, days: number, opts: StatusFigureOptions = {},
): Promise<StatusFigures> {
  const q = statusSql(db.d);
  const soonUntil = addDays(asOf, days);
  const limit = opts.listLimit === undefined ? db.d.noLimit : Math.max(0, Math.trunc(opts.listLimit));
  // Brief (the default screen): the problems' totals instead of the rows of areas, measures
  // and owners.
  const brief = opts.brief === true;
  const none = Promise.resolve([]);
  const [report, byStatus, ownersOpen, ownersOverdue, areas, measures, overdue, dueSoon, dueSoonCount, problems] = await Promise.all([
    reportInfo,
    db.all<{ status: Status; n: number }>(q.byStatus),
    brief ? none : db.all<{ owner: string; n: number }>(q.ownersOpen),
    db.all<{ owner: string; n: number }>(q.ownersOverdue, [asOf]),
    brief ? none : db.all<StatusFigures['areas'][number]>(q.areas),
    brief ? none : db.all<StatusFigures['measures'][number]>(q.measures),
    db.all<Dated>(q.overdue, [asOf, limit]),
    db.all<Dated>(q.dueSoon, [asOf, soonUntil, limit]),
    db.get<{ n: number }>(q.dueSoonCount, [asOf, soonUntil]),
    brief ? db.get<{ total: number; rectified: number }>(q.problems) : Promise.resolve(undefined),
  ]);
  return figuresFrom({
    report, byStatus, ownersOpen, ownersOverdue, areas, measures, overdue, dueSoon, dueSoonTotal: dueSoonCount!.n, ...(problems ? { problems } : {}),
  });
}
