// Views read a page at a time (list, log, report): memory that does not grow with the
// ledger. Each generator reads its pages in one read transaction (one snapshot) unless the
// caller is inside one already (Store.snapshot), and every page is read whole before it is
// handed out (better-sqlite3 runs one statement at a time on a connection).
import { compareNames } from '../../core/summary.js';
import type { HistoryEntry, Item } from '../../core/types.js';
import type { Status } from '../../core/vocab.js';
import type { ItemFilter, LogFilter, ProblemItems, ReportPage } from '../types.js';
import { historyQuery, itemQuery } from './queries.js';
import { ITEM_COLUMNS, ITEM_FROM, LISTING_ORDER, toHistory, toItem, type HistoryRow, type ItemRow } from './rows.js';
import type { Sql } from './sql.js';

/** Rows read per statement. */
const PAGE = 500;

const placeholders = (n: number) => Array.from({ length: n }, () => '?').join(', ');

let idCollator: Intl.Collator | undefined;
const compareIds = (a: string, b: string) =>
  (idCollator ??= new Intl.Collator('en', { numeric: true, sensitivity: 'base' })).compare(a, b);

/** Runs the pages of `body` in one read transaction, unless one is open already. */
async function* inSnapshot<T>(sql: Sql, body: () => AsyncGenerator<T>): AsyncGenerator<T> {
  const own = !sql.db.inTransaction;
  if (own) sql.exec('BEGIN');
  try {
    yield* body();
  } finally {
    if (own && sql.db.inTransaction) sql.exec('COMMIT');
  }
}

/** The keys of a filter's items in the order listItems gives them: SQL's order, then by id
 *  (numbers as numbers) or by owner (pinyin) when the filter asks, as listItems sorts.
 *  Only keys (and, to sort, ids or owners) are held: a few bytes an item. */
export function orderedKeys(sql: Sql, filter: ItemFilter): number[] {
  if (filter.sort === 'id' || filter.sort === 'owner') {
    const { sql: text, params } = itemQuery(filter, 'i.key, i.id, i.owner');
    const rows = sql.all<{ key: number; id: string; owner: string | null }>(text, ...params);
    if (filter.sort === 'id') rows.sort((a, b) => compareIds(a.id, b.id));
    else rows.sort((a, b) => (a.owner === b.owner ? 0 : a.owner === null ? 1 : b.owner === null ? -1 : compareNames(a.owner, b.owner)));
    return rows.map((r) => r.key);
  }
  const { sql: text, params } = itemQuery(filter);
  return sql.column<number>(text, ...params);
}

/** Rows read by key, put back in the order of `keys`. */
function byKeys<R extends { key: number }>(sql: Sql, select: string, keys: number[]): R[] {
  const rows = new Map(sql.all<R>(`${select} WHERE i.key IN (${placeholders(keys.length)})`, ...keys).map((r) => [r.key, r]));
  return keys.map((k) => rows.get(k)!);
}

/** An item's columns without its detail and addresses (a table of items shows neither). */
const BRIEF_COLUMNS = `i.key, i.id, i.title, NULL AS detail, m.id AS measure, '[]' AS addresses,
  i.owner, i.department, i.due, i.term, i.status, i.progress, i.created_at, i.updated_at`;

export function itemPages(sql: Sql, filter: ItemFilter, brief = false): AsyncGenerator<Item[]> {
  const columns = brief ? BRIEF_COLUMNS : ITEM_COLUMNS;
  return inSnapshot(sql, async function* () {
    const keys = orderedKeys(sql, filter);
    for (let start = 0; start < keys.length; start += PAGE) {
      yield byKeys<ItemRow>(sql, `SELECT ${columns} FROM ${ITEM_FROM}`, keys.slice(start, start + PAGE)).map(toItem);
    }
  });
}

/** The columns reportItems reads beside the item's own. */
export const REPORT_COLUMNS = `${ITEM_COLUMNS},
  (SELECT json_group_array(e.text ORDER BY e.key) FROM evidence e WHERE e.item = i.key) AS evidence,
  -- The latest progress note (of progress or completion: not a sign-off's, a reopening's or
  -- an assignment's reason) that still stands: not taken back by undo.
  (SELECT h.note FROM history h
    WHERE h.item = i.key AND h.note IS NOT NULL AND h.action IN ('progress', 'done')
      AND NOT EXISTS (SELECT 1 FROM undone u WHERE u.grp = h.grp)
    ORDER BY h.seq DESC LIMIT 1) AS lastNote`;

export function reportPages(sql: Sql, filter: ItemFilter, completion: boolean, detail = true): AsyncGenerator<ReportPage> {
  // Details are the longest text of an item: not read where they are not shown.
  const columns = detail ? REPORT_COLUMNS : REPORT_COLUMNS.replace('i.detail,', 'NULL AS detail,');
  return inSnapshot(sql, async function* () {
    const keys = orderedKeys(sql, filter);
    for (let start = 0; start < keys.length; start += PAGE) {
      const page = keys.slice(start, start + PAGE);
      const items = byKeys<ItemRow & { evidence: string; lastNote: string | null }>(sql, `SELECT ${columns} FROM ${ITEM_FROM}`, page)
        .map((r) => ({ ...toItem(r), evidence: JSON.parse(r.evidence) as string[], lastNote: r.lastNote }));
      // What history({ via: 'cli', standing: true }) holds of these items.
      const changes = completion
        ? sql.all<{ item: string; at: string; seq: number; status: Status }>(
          `SELECT i.id AS item, h.at, h.seq, h.status FROM history h JOIN items i ON i.key = h.item
            WHERE h.item IN (${placeholders(page.length)}) AND h.via = 'cli'
              AND h.action <> 'undo' AND NOT EXISTS (SELECT 1 FROM undone u WHERE u.grp = h.grp)`, ...page)
        : [];
      yield { items, changes };
    }
  });
}

export function problemPages(sql: Sql): AsyncGenerator<ProblemItems[]> {
  return inSnapshot(sql, async function* () {
    const areas = sql.all<{ key: number; id: string }>('SELECT key, id FROM areas ORDER BY pos');
    for (const a of areas) {
      const problems = sql.all<{ key: number; id: string; title: string }>('SELECT key, id, title FROM problems WHERE area = ? ORDER BY pos', a.key);
      for (let start = 0; start < problems.length; start += PAGE) {
        const page = problems.slice(start, start + PAGE);
        const items = new Map<number, { id: string; status: Status }[]>(page.map((p) => [p.key, []]));
        for (const r of sql.all<{ problem: number; id: string; status: Status }>(
          `SELECT ip.problem, i.id, i.status FROM item_problems ip JOIN items i ON i.key = ip.item JOIN measures m ON m.key = i.measure
            WHERE ip.problem IN (${placeholders(page.length)}) ORDER BY ${LISTING_ORDER}`, ...page.map((p) => p.key),
        )) {
          items.get(r.problem)!.push({ id: r.id, status: r.status });
        }
        yield page.map((p) => ({ id: p.id, title: p.title, area: a.id, items: items.get(p.key)! }));
      }
    }
  });
}

export function historyPages(sql: Sql, filter: LogFilter): AsyncGenerator<HistoryEntry[]> {
  return inSnapshot(sql, async function* () {
    // historyQuery orders by seq, newest first; each page starts below the last one's seq.
    for (let below: number | undefined; ;) {
      const { sql: text, params } = historyQuery({ ...filter, limit: PAGE }, below);
      const rows = sql.all<HistoryRow>(text, ...params);
      if (rows.length) yield rows.map(toHistory);
      if (rows.length < PAGE) return;
      below = rows[rows.length - 1]!.seq;
    }
  });
}
