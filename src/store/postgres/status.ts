// The dashboard's figures on a server, from the roll-ups the triggers keep (as on a file):
// only the lists of overdue and due-soon items read items, through the partial index of
// unfinished items by due date. All queries go out together, in one round trip.
import { addDays } from '../../core/dates.js';
import type { IsoDate, ReportInfo } from '../../core/types.js';
import type { Status } from '../../core/vocab.js';
import { figuresFrom } from '../figures.js';
import type { StatusFigures } from '../types.js';
import { LISTING_ORDER, OPEN } from './sql.js';
import type { Db } from './store.js';

type Dated = { id: string; title: string; owner: string | null; due: IsoDate };

const dated = (range: string) => `
  SELECT i.id, i.title, i.owner, i.due FROM items i JOIN measures m ON m.key = i.measure
   WHERE i.status IN (${OPEN}) AND ${range}
   ORDER BY i.due, ${LISTING_ORDER} LIMIT $LIMIT`;

export async function statusFigures(
  db: Db,
  report: ReportInfo,
  asOf: IsoDate,
  days: number,
  listLimit: number | undefined,
): Promise<StatusFigures> {
  const soonUntil = addDays(asOf, days);
  const limit = listLimit === undefined ? null : Math.max(0, Math.trunc(listLimit));
  const [byStatusRows, ownersOpen, ownersOverdue, areas, measures, overdue, dueSoon, dueSoonCount] = await Promise.all([
    db.all<{ status: Status; n: number }>('SELECT status, sum(n)::int AS n FROM owner_counts GROUP BY status'),
    db.all<{ owner: string; n: number }>(`SELECT owner, sum(n)::int AS n FROM owner_counts WHERE status IN (${OPEN}) GROUP BY owner`),
    db.all<{ owner: string; n: number }>('SELECT owner, sum(n)::int AS n FROM due_counts WHERE due < $1 GROUP BY owner', [asOf]),
    db.all<StatusFigures['areas'][number]>(`
      SELECT a.id, a.name,
             (SELECT count(*)::int FROM problems p WHERE p.area = a.key) AS problems,
             (SELECT count(*)::int FROM problems p WHERE p.area = a.key AND p.unfinished = 0 AND p.items > 0) AS rectified
        FROM areas a ORDER BY a.pos`),
    db.all<StatusFigures['measures'][number]>('SELECT m.id, m.title, m.items, m.done FROM measures m ORDER BY m.pos'),
    db.all<Dated>(dated('i.due < $1').replace('$LIMIT', '$2'), [asOf, limit]),
    db.all<Dated>(dated('i.due >= $1 AND i.due <= $2').replace('$LIMIT', '$3'), [asOf, soonUntil, limit]),
    db.get<{ n: number }>('SELECT coalesce(sum(n), 0)::int AS n FROM due_counts WHERE due >= $1 AND due <= $2', [asOf, soonUntil]),
  ]);
  return figuresFrom({
    report, byStatus: byStatusRows, ownersOpen, ownersOverdue, areas, measures, overdue, dueSoon, dueSoonTotal: dueSoonCount!.n,
  });
}
