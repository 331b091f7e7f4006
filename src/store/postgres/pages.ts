// Views read a page at a time (list, log, report) on a server: the same pages as a ledger
// file's (sqlite/pages.ts), read in the view's one REPEATABLE READ snapshot. Each page is one
// query finished before the page is handed out: no cursor holds the connection in between.
import { compareNames } from '../../core/summary.js';
import type { HistoryEntry, Item } from '../../core/types.js';
import type { Status } from '../../core/vocab.js';
import { toItem, type ItemRow } from '../sqlite/rows.js';
import type { ItemFilter, LogFilter, ProblemItems, ReportPage } from '../types.js';
import { toHistory, type HistoryRow } from '../sqlite/rows.js';
import { ITEM_COLUMNS, ITEM_FROM, LISTING_ORDER } from './sql.js';
import { historyQuery, itemQuery, type PgStore } from './store.js';

/** Rows read per query. */
const PAGE = 500;

type Reading = <T>(fn: () => Promise<T>) => Promise<T>;

/** A list of keys as one parameter. */
// `= ANY` of an array rather than `IN` a set: the planner then reads the keys through the
// index instead of hashing a whole table (a 100,000-item ledger: a page took 20 ms).
const IN_KEYS = `ANY (ARRAY(SELECT value::int FROM json_array_elements_text($1::text::json)))`;

let idCollator: Intl.Collator | undefined;
const compareIds = (a: string, b: string) =>
  (idCollator ??= new Intl.Collator('en', { numeric: true, sensitivity: 'base' })).compare(a, b);

/** The keys of a filter's items in the order listItems gives them (see sqlite/pages.ts). */
async function orderedKeys(db: PgStore, filter: ItemFilter): Promise<number[]> {
  const { text, params } = itemQuery(filter, 'i.key, i.id, i.owner');
  const rows = await db.all<{ key: number; id: string; owner: string | null }>(text, params);
  if (filter.sort === 'id') rows.sort((a, b) => compareIds(a.id, b.id));
  if (filter.sort === 'owner') rows.sort((a, b) => (a.owner === b.owner ? 0 : a.owner === null ? 1 : b.owner === null ? -1 : compareNames(a.owner, b.owner)));
  return rows.map((r) => r.key);
}

/** Rows read by key, put back in the order of `keys`. */
async function byKeys<R extends { key: number }>(db: PgStore, select: string, keys: number[]): Promise<R[]> {
  const rows = new Map((await db.all<R>(`${select} WHERE i.key = ${IN_KEYS}`, [JSON.stringify(keys)])).map((r) => [r.key, r]));
  return keys.map((k) => rows.get(k)!);
}

/** An item's columns without its detail and addresses (a table of items shows neither). */
const BRIEF_COLUMNS = `i.key, i.id, i.title, NULL AS detail, m.id AS measure, '[]' AS addresses,
  i.owner, i.department, i.due, i.term, i.status, i.progress, i.created_at, i.updated_at`;

export async function* itemPages(db: PgStore, reading: Reading, filter: ItemFilter, brief = false): AsyncGenerator<Item[]> {
  const columns = brief ? BRIEF_COLUMNS : ITEM_COLUMNS;
  const keys = await reading(() => orderedKeys(db, filter));
  for (let start = 0; start < keys.length; start += PAGE) {
    const page = keys.slice(start, start + PAGE);
    yield (await reading(() => byKeys<ItemRow>(db, `SELECT ${columns} FROM ${ITEM_FROM}`, page))).map(toItem);
  }
}

const REPORT_COLUMNS = `${ITEM_COLUMNS},
  coalesce((SELECT json_agg(e.text ORDER BY e.key) FROM evidence e WHERE e.item = i.key), '[]')::text AS evidence,
  (SELECT h.note FROM history h
    WHERE h.item = i.key AND h.note IS NOT NULL AND h.action IN ('progress', 'done')
      AND NOT EXISTS (SELECT 1 FROM undone u WHERE u.grp = h.grp)
    ORDER BY h.seq DESC LIMIT 1) AS "lastNote"`;

export async function* reportPages(db: PgStore, reading: Reading, filter: ItemFilter, completion: boolean, detail = true): AsyncGenerator<ReportPage> {
  // Details are the longest text of an item: not read where they are not shown.
  const columns = detail ? REPORT_COLUMNS : REPORT_COLUMNS.replace('i.detail,', 'NULL AS detail,');
  const keys = await reading(() => orderedKeys(db, filter));
  for (let start = 0; start < keys.length; start += PAGE) {
    const page = keys.slice(start, start + PAGE);
    const rows = await reading(() => byKeys<ItemRow & { evidence: string; lastNote: string | null }>(db, `SELECT ${columns} FROM ${ITEM_FROM}`, page));
    const changes = completion
      ? await reading(() => db.all<{ item: string; at: string; seq: number; status: Status }>(
        `SELECT i.id AS item, h.at, h.seq, h.status FROM history h JOIN items i ON i.key = h.item
          WHERE h.item = ${IN_KEYS} AND h.via = 'cli'
            AND h.action <> 'undo' AND NOT EXISTS (SELECT 1 FROM undone u WHERE u.grp = h.grp)`, [JSON.stringify(page)]))
      : [];
    yield {
      items: rows.map((r) => ({ ...toItem(r), evidence: JSON.parse(r.evidence) as string[], lastNote: r.lastNote })),
      changes,
    };
  }
}

export async function* problemPages(db: PgStore, reading: Reading): AsyncGenerator<ProblemItems[]> {
  const problems = await reading(() => db.all<{ key: number; id: string; title: string; area: string }>(
    'SELECT p.key, p.id, p.title, a.id AS area FROM problems p JOIN areas a ON a.key = p.area ORDER BY a.pos, p.pos'));
  for (let start = 0; start < problems.length; start += PAGE) {
    const page = problems.slice(start, start + PAGE);
    const items = new Map<number, { id: string; status: Status }[]>(page.map((p) => [p.key, []]));
    const rows = await reading(() => db.all<{ problem: number; id: string; status: Status }>(
      `SELECT ip.problem, i.id, i.status FROM item_problems ip JOIN items i ON i.key = ip.item JOIN measures m ON m.key = i.measure
        WHERE ip.problem = ${IN_KEYS} ORDER BY ${LISTING_ORDER}`,
      [JSON.stringify(page.map((p) => p.key))]));
    for (const r of rows) items.get(r.problem)!.push({ id: r.id, status: r.status });
    yield page.map((p) => ({ id: p.id, title: p.title, area: p.area, items: items.get(p.key)! }));
  }
}

export async function* historyPages(db: PgStore, reading: Reading, filter: LogFilter): AsyncGenerator<HistoryEntry[]> {
  // The first page from the newest; each next one below the last seq shown.
  for (let below: number | undefined; ;) {
    const { text, params } = historyQuery({ ...filter, limit: PAGE }, true, below);
    const rows = await reading(() => db.all<HistoryRow>(text, params));
    if (rows.length) yield rows.map(toHistory);
    if (rows.length < PAGE) return;
    below = rows[rows.length - 1]!.seq;
  }
}
