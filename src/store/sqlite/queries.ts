// Queries built from a filter. They live apart so that tests can ask SQLite how it runs
// exactly the SQL the store runs (EXPLAIN QUERY PLAN).
import type { ItemFilter, LogFilter } from '../types.js';
import { HISTORY_COLUMNS, HISTORY_FROM, ITEM_COLUMNS, ITEM_FROM, LISTING_ORDER, OPEN } from './rows.js';
import type { Param } from './sql.js';

/** The keys of a filter's items, in the order it asks for (by id: listing order, sorted
 *  after). Only keys: sorting narrow rows and then reading the items by key (itemsByKey)
 *  is much cheaper than sorting the items with all their text. */
export function itemQuery(filter: ItemFilter, columns = 'i.key'): { sql: string; params: Param[] } {
  const where: string[] = [];
  const params: Param[] = [];
  if (filter.status && filter.status.length > 0) {
    where.push(`i.status IN (${filter.status.map(() => '?').join(', ')})`);
    params.push(...filter.status);
  } else if (!filter.all) {
    where.push(`i.status <> 'verified'`);
  }
  if (filter.measure !== undefined) {
    where.push('i.measure = (SELECT key FROM measures WHERE id = ?)');
    params.push(filter.measure);
  }
  if (filter.area !== undefined) {
    where.push(`i.key IN (SELECT ip.item FROM item_problems ip
      JOIN problems p ON p.key = ip.problem JOIN areas a ON a.key = p.area WHERE a.id = ?)`);
    params.push(filter.area);
  }
  if (filter.problem !== undefined) {
    where.push(`i.key IN (SELECT ip.item FROM item_problems ip
      JOIN problems p ON p.key = ip.problem WHERE p.id = ?)`);
    params.push(filter.problem);
  }
  // Owners and departments match a part of the name (`--owner 王` finds 王建国).
  for (const col of ['owner', 'department'] as const) {
    const value = filter[col];
    if (value !== undefined) {
      where.push(`instr(i.${col}, ?) > 0`);
      params.push(value);
    }
  }
  if (filter.term !== undefined) {
    where.push('i.term = ?');
    params.push(filter.term);
  }
  if (filter.overdueAsOf !== undefined) {
    // Written exactly as the partial index items_open_due is, so that the planner uses it.
    where.push(`i.status IN (${OPEN}) AND i.due < ?`);
    params.push(filter.overdueAsOf);
  }
  if (filter.dueBefore !== undefined) {
    where.push('i.due < ?');
    params.push(filter.dueBefore);
  }
  if (filter.dueFrom !== undefined) {
    where.push('i.due >= ?');
    params.push(filter.dueFrom);
  }
  const order = {
    order: LISTING_ORDER,
    id: LISTING_ORDER,
    due: `i.due IS NULL, i.due, ${LISTING_ORDER}`,
    owner: `i.owner IS NULL, i.owner, ${LISTING_ORDER}`,
    // Least progressed first: what needs chasing comes to the top.
    progress: `i.progress, ${LISTING_ORDER}`,
  }[filter.sort ?? 'order'];
  return {
    sql: `SELECT ${columns} FROM ${ITEM_FROM}
          ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY ${order}`,
    params,
  };
}

/** How many items one itemsByKey query reads. */
export const KEY_BATCH = 200;

/** Items by key, KEY_BATCH of them at a time (unused places hold -1, which no item has). */
export const itemsByKey = `SELECT ${ITEM_COLUMNS} FROM ${ITEM_FROM}
  WHERE i.key IN (${Array.from({ length: KEY_BATCH }, () => '?').join(', ')})`;

/** History entries, newest first: the order of recording reversed (the same `at` included). */
export function historyQuery(filter: LogFilter, beforeSeq?: number): { sql: string; params: Param[] } {
  const where: string[] = [];
  const params: Param[] = [];
  if (filter.item !== undefined) {
    where.push('h.item = (SELECT key FROM items WHERE id = ?)');
    params.push(filter.item);
  }
  if (filter.measure !== undefined) {
    where.push('h.item IN (SELECT key FROM items WHERE measure = (SELECT key FROM measures WHERE id = ?))');
    params.push(filter.measure);
  }
  // Literals, not parameters: the planner can then use the partial index history_cli_day.
  if (filter.via === 'cli') where.push(`h.via = 'cli'`);
  if (filter.via === 'seed') where.push(`h.via = 'seed'`);
  if (filter.standing) {
    where.push(`h.action <> 'undo' AND NOT EXISTS (SELECT 1 FROM undone u WHERE u.grp = h.grp)`);
  }
  if (filter.since !== undefined) {
    // `day` is the local day the entry was recorded: the date `at` starts with.
    where.push('h.day >= ?');
    params.push(filter.since);
  }
  if (filter.until !== undefined) {
    where.push('h.day <= ?');
    params.push(filter.until);
  }
  // A page of a long history: the entries recorded before the last one shown.
  if (beforeSeq !== undefined) {
    where.push('h.seq < ?');
    params.push(beforeSeq);
  }
  // LIMIT -1 is SQLite's "no limit".
  params.push(filter.limit === undefined ? -1 : Math.max(0, Math.trunc(filter.limit)));
  // People's changes are few next to what seeds recorded (a million creates in a big
  // ledger): walk their own index rather than the whole history backwards. For one item
  // its own index (history_item) is better still, and the planner picks that.
  const from = filter.via === 'cli' && filter.item === undefined
    ? HISTORY_FROM.replace('history h', 'history h INDEXED BY history_cli_day')
    : HISTORY_FROM;
  return {
    sql: `SELECT ${HISTORY_COLUMNS} FROM ${from}
          ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY h.seq DESC LIMIT ?`,
    params,
  };
}
