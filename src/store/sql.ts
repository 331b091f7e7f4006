// The SQL both backends run, written once. Statements take `?` placeholders (the server's
// backend numbers them); the few places where SQLite and PostgreSQL differ are a Dialect's,
// which each backend defines in its own sql.ts.
import { OPEN_STATUSES } from '../core/vocab.js';
import type { IsoDate } from '../core/types.js';
import type { ItemFilter, LogFilter } from './types.js';

export type Param = string | number | bigint | boolean | null;

/** Statements on one ledger, as every shared part of the store runs them. */
export interface Db {
  readonly d: Dialect;
  all<T>(text: string, params?: Param[]): Promise<T[]>;
  get<T>(text: string, params?: Param[]): Promise<T | undefined>;
  /** Runs a statement; returns how many rows it changed. */
  run(text: string, params?: Param[]): Promise<number>;
}

export interface Dialect {
  readonly name: 'sqlite' | 'pg';
  /** An id as compared and sorted: without case (a file's id columns are NOCASE). */
  id(expr: string): string;
  /** A JSON array (as text, '[]' when none) of `expr` over the rows `from`, in `order`. */
  jsonList(expr: string, order: string, from: string): string;
  /** A JSON object (as text) of key, value, ... */
  jsonObject(args: string): string;
  /** `status`'s week of entries as one JSON text (recentQueries), not as thousands of rows: a
   *  server's rows cost the program more to receive one by one than the server to write out
   *  as one text; a file's are handed over in the process. */
  jsonRows: boolean;
  /** LIMIT's value for no limit. */
  noLimit: Param;
  /** SQLite's INDEXED BY (the planner's choice on a server). */
  indexedBy(index: string): string;
  /** `col` among `keys`, and the parameters that says it with. */
  inKeys(col: string, keys: number[]): { text: string; params: Param[] };
  /** The id column `col` among `ids`, each in any spelling (as idIs compares), in one parameter. */
  inIds(col: string, ids: string[]): { text: string; params: Param[] };
}

/** An id as both backends compare it: ASCII letters without case, nothing else folded
 *  (SQLite's NOCASE; lower() of a "C" column). */
export const idKey = (id: string): string => id.replace(/[A-Z]+/g, (c) => c.toLowerCase());

/** A SQL list of string literals built from the vocabulary tuples. Only plain words are
 *  accepted: these are code, never input. */
export function sqlList(words: readonly string[]): string {
  return words
    .map((w) => {
      if (!/^[a-z_]+$/.test(w)) throw new Error(`not a plain word: ${w}`);
      return `'${w}'`;
    })
    .join(', ');
}

export const OPEN = sqlList(OPEN_STATUSES);
export const ITEM_FROM = 'items i JOIN measures m ON m.key = i.measure';
export const HISTORY_FROM = 'history h JOIN items i ON i.key = h.item';
/** Entries whose group a later undo took back. */
export const UNDONE = 'EXISTS (SELECT 1 FROM undone u WHERE u.grp = h.grp)';

/** The fragments of one dialect, made once. */
export interface Fragments {
  /** Listing order (docs/cli.md): measures as in the seed, then the item number, then the id. */
  LISTING_ORDER: string;
  ITEM_COLUMNS: string;
  /** An item's columns without its detail and addresses (a table of items shows neither). */
  BRIEF_COLUMNS: string;
  REPORT_COLUMNS: string;
  HISTORY_COLUMNS: string;
  STATE_SELECT: string;
  idIs(col: string): string;
}

const made = new Map<Dialect, Fragments>();

export function sqlOf(d: Dialect): Fragments {
  let f = made.get(d);
  if (f) return f;
  const addresses = d.jsonList('p.id', 'ip.pos', 'item_problems ip JOIN problems p ON p.key = ip.problem WHERE ip.item = i.key');
  const tail = 'i.owner, i.department, i.due, i.term, i.status, i.progress, i.created_at, i.updated_at';
  const ITEM_COLUMNS = `i.key, i.id, i.title, i.detail, m.id AS measure, ${addresses} AS addresses, ${tail}`;
  f = {
    LISTING_ORDER: `m.pos, i.num IS NULL, i.num, ${d.id('i.id')}`,
    ITEM_COLUMNS,
    BRIEF_COLUMNS: `i.key, i.id, i.title, NULL AS detail, m.id AS measure, '[]' AS addresses, ${tail}`,
    // With the evidence and the latest progress note (of progress or completion: not a
    // sign-off's, a reopening's or an assignment's reason) that still stands.
    REPORT_COLUMNS: `${ITEM_COLUMNS},
      ${d.jsonList('e.text', 'e.key', 'evidence e WHERE e.item = i.key')} AS evidence,
      (SELECT h.note FROM history h
        WHERE h.item = i.key AND h.note IS NOT NULL AND h.action IN ('progress', 'done') AND NOT ${UNDONE}
        ORDER BY h.seq DESC LIMIT 1) AS "lastNote"`,
    // undoes: the entry an undo took back; undone: whether a later undo took this group back.
    HISTORY_COLUMNS: `h.seq, h.grp, h.at, h.by, i.id AS item, h.action, h.status, h.progress, h.note, h.changes, h.via,
      CASE WHEN h.reverts IS NOT NULL THEN
        (SELECT ${d.jsonObject(`'item', ri.id, 'action', r.action, 'at', r.at, 'by', r.by`)}
           FROM history r JOIN items ri ON ri.key = r.item WHERE r.seq = h.reverts) END AS undoes,
      ${UNDONE} AS undone, h.db_user`,
    STATE_SELECT: `SELECT i.key, i.id, i.title, i.detail, i.owner, i.department, i.due, i.term, i.status, i.progress,
      i.pins, i.measure, m.id AS "measureId", ${addresses} AS addresses FROM ${ITEM_FROM}`,
    idIs: (col) => `${d.id(col)} = ${d.id('?')}`,
  };
  made.set(d, f);
  return f;
}

/** The items a filter names, in the order it asks for (by id or owner: listing order, sorted
 *  after), with `columns` (by default only keys: a page then reads the items by key). */
export function itemQuery(d: Dialect, filter: ItemFilter, columns = 'i.key'): { text: string; params: Param[] } {
  const { LISTING_ORDER, idIs } = sqlOf(d);
  const where: string[] = [];
  const params: Param[] = [];
  const add = (cond: string, ...values: Param[]) => {
    where.push(cond);
    params.push(...values);
  };
  if (filter.status && filter.status.length > 0) add(`i.status IN (${filter.status.map(() => '?').join(', ')})`, ...filter.status);
  else if (!filter.all) add(`i.status <> 'verified'`);
  if (filter.measure !== undefined) add(`i.measure = (SELECT key FROM measures WHERE ${idIs('id')})`, filter.measure);
  if (filter.area !== undefined) {
    add(`i.key IN (SELECT ip.item FROM item_problems ip
      JOIN problems p ON p.key = ip.problem JOIN areas a ON a.key = p.area WHERE ${idIs('a.id')})`, filter.area);
  }
  if (filter.problem !== undefined) {
    add(`i.key IN (SELECT ip.item FROM item_problems ip JOIN problems p ON p.key = ip.problem WHERE ${idIs('p.id')})`, filter.problem);
  }
  // Owners and departments match a part of the name (`--owner 王` finds 王建国).
  for (const col of ['owner', 'department'] as const) {
    const value = filter[col];
    if (value !== undefined) add(`${d.name === 'pg' ? 'strpos' : 'instr'}(i.${col}, ?) > 0`, value);
  }
  if (filter.term !== undefined) add('i.term = ?', filter.term);
  // Written exactly as the partial index items_open_due is, so that the planner uses it.
  if (filter.overdueAsOf !== undefined) add(`i.status IN (${OPEN}) AND i.due < ?`, filter.overdueAsOf);
  if (filter.dueBefore !== undefined) add('i.due < ?', filter.dueBefore);
  if (filter.dueFrom !== undefined) add('i.due >= ?', filter.dueFrom);
  const order = {
    order: LISTING_ORDER,
    id: LISTING_ORDER,
    due: `i.due IS NULL, i.due, ${LISTING_ORDER}`,
    owner: `i.owner IS NULL, i.owner, ${LISTING_ORDER}`,
    // Least progressed first: what needs chasing comes to the top.
    progress: `i.progress, ${LISTING_ORDER}`,
  }[filter.sort ?? 'order'];
  return {
    text: `SELECT ${columns} FROM ${ITEM_FROM} ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY ${order}`,
    params,
  };
}

/** History entries, newest first: the order of recording reversed (the same `at` included). */
export function historyQuery(d: Dialect, filter: LogFilter, beforeSeq?: number): { text: string; params: Param[] } {
  const { HISTORY_COLUMNS, idIs } = sqlOf(d);
  const where: string[] = [];
  const params: Param[] = [];
  const add = (cond: string, ...values: Param[]) => {
    where.push(cond);
    params.push(...values);
  };
  if (filter.item !== undefined) add(`h.item = (SELECT key FROM items WHERE ${idIs('id')})`, filter.item);
  if (filter.measure !== undefined) {
    add(`h.item IN (SELECT key FROM items WHERE measure = (SELECT key FROM measures WHERE ${idIs('id')}))`, filter.measure);
  }
  // Literals, not parameters: the planner can then use the partial index history_cli_day.
  if (filter.via === 'cli') add(`h.via = 'cli'`);
  if (filter.via === 'seed') add(`h.via = 'seed'`);
  if (filter.standing) add(`h.action <> 'undo' AND NOT ${UNDONE}`);
  // `day` is the local day the entry was recorded: the date `at` starts with.
  if (filter.since !== undefined) add('h.day >= ?', filter.since);
  if (filter.until !== undefined) add('h.day <= ?', filter.until);
  // The newest few of a busy week (status reads 5,000 of 26,000 at 200,000 items): in SQLite,
  // walk the history backwards from its end, down to the first entry of those days (found in
  // history_cli_day), and stop at the limit, rather than read every entry of the days and sort
  // them (115 -> 15-27 ms). The bound only restates `day >= since` (no entry of those days lies
  // below their first), so the rows are the same. PostgreSQL's planner does worse with it.
  const bounded = d.name === 'sqlite' && filter.via === 'cli' && filter.item === undefined && filter.since !== undefined && filter.limit !== undefined;
  if (bounded) {
    const b = cliDayBounds(d, filter.since!, filter.until);
    add(b.text, ...b.params);
  }
  // A page of a long history: the entries recorded before the last one shown.
  if (beforeSeq !== undefined) add('h.seq < ?', beforeSeq);
  params.push(filter.limit === undefined ? d.noLimit : Math.max(0, Math.trunc(filter.limit)));
  // People's changes are few next to what seeds recorded (a million creates in a big
  // ledger): walk their own index rather than the whole history backwards. For one item
  // its own index (history_item) is better still, and the planner picks that.
  const from = bounded
    ? HISTORY_FROM.replace('history h', 'history h NOT INDEXED')
    : filter.via === 'cli' && filter.item === undefined
      ? HISTORY_FROM.replace('history h', `history h${d.indexedBy('history_cli_day')}`)
      : HISTORY_FROM;
  return {
    text: `SELECT ${HISTORY_COLUMNS} FROM ${from}
          ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY h.seq DESC LIMIT ?`,
    params,
  };
}

/** The seq bounds of the people's entries of some days (history_cli_day): `h.seq` from the
 *  first of those days' entries, and (with `until`) up to their last, so that SQLite walks
 *  only the days asked for, from their newest entry back, not every later entry first (an
 *  as-of day in the past; a ledger whose clock ran ahead). The bounds only restate the days:
 *  no entry of them lies outside. */
function cliDayBounds(d: Dialect, since: IsoDate, until: IsoDate | undefined): { text: string; params: Param[] } {
  const days = `FROM history${d.indexedBy('history_cli_day')} WHERE via = 'cli' AND day >= ?${until === undefined ? '' : ' AND day <= ?'}`;
  const p: Param[] = until === undefined ? [since] : [since, until];
  return until === undefined
    ? { text: `h.seq >= (SELECT min(seq) ${days})`, params: p }
    : { text: `h.seq BETWEEN (SELECT min(seq) ${days}) AND (SELECT max(seq) ${days})`, params: [...p, ...p] };
}

/** What `status` tells of a week (Store.recentChanges): the newest `limit` of the people's
 *  entries of the days that still stand, newest first, and how many there are. Only the
 *  columns the screen uses; the note and changes only of an entry alone in its (by, action)
 *  group, the only one the screen words by itself. Reading no item but those of the entries
 *  told, and counting without the items (every entry has its item). Where the dialect says
 *  so (a server), the entries as one JSON text (`rows`: an array of [seq, at, by, item, action,
 *  status, progress, note, changes] each). */
export function recentQueries(d: Dialect, since: IsoDate, until: IsoDate, limit: number): { list: { text: string; params: Param[] }; count: { text: string; params: Param[] } } {
  const where = `h.via = 'cli' AND h.action <> 'undo' AND NOT ${UNDONE} AND h.day >= ? AND h.day <= ?`;
  // SQLite walks the history backwards between the days' bounds; PostgreSQL's planner reads
  // the days through history_cli_day and keeps the newest (the bounds made its plan worse).
  const b = d.name === 'sqlite' ? cliDayBounds(d, since, until) : null;
  const alone = 'count(*) OVER (PARTITION BY r.by, r.action) = 1';
  const rows = `WITH r AS (
        SELECT h.seq, h.at, h.by, h.item, h.action, h.status, h.progress, h.note, h.changes
          FROM history h${b ? ' NOT INDEXED' : ''} WHERE ${where}${b ? ` AND ${b.text}` : ''}
         ORDER BY h.seq DESC LIMIT ?)
      SELECT r.seq, r.at, r.by, i.id AS item, r.action, r.status, r.progress,
             CASE WHEN ${alone} THEN r.note END AS note, CASE WHEN ${alone} THEN r.changes ELSE '{}' END AS changes
        FROM r JOIN items i ON i.key = r.item`;
  return {
    list: {
      text: d.jsonRows
        ? `SELECT ${d.jsonList('json_build_array(x.seq, x.at, x.by, x.item, x.action, x.status, x.progress, x.note, x.changes)', 'x.seq DESC', `(${rows}) x`)} AS rows`
        : `${rows} ORDER BY r.seq DESC`,
      params: [since, until, ...(b ? b.params : []), Math.max(0, Math.trunc(limit))],
    },
    count: {
      text: `SELECT CAST(count(*) AS INTEGER) AS n FROM history h${d.indexedBy('history_cli_day')} WHERE ${where}`,
      params: [since, until],
    },
  };
}
