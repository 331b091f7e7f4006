import { pluckAll, type Database, type Statement } from './driver.js';
import type { Dialect } from '../sql.js';

export { sqlList } from '../sql.js';
export type Param = string | number | bigint | null;

const placeholders = (n: number) => Array.from({ length: n }, () => '?').join(', ');

/** SQLite's side of the shared SQL: ids are NOCASE columns, JSON is json1's. */
export const SQLITE: Dialect = {
  name: 'sqlite',
  id: (expr) => expr,
  jsonList: (expr, order, from) => `(SELECT json_group_array(${expr} ORDER BY ${order}) FROM ${from})`,
  jsonObject: (args) => `json_object(${args})`,
  jsonRows: false,
  noLimit: -1,
  indexedBy: (index) => ` INDEXED BY ${index}`,
  inKeys: (col, keys) => ({ text: `${col} IN (${placeholders(keys.length)})`, params: keys }),
  // Compared under the column's NOCASE, the left side's.
  inIds: (col, ids) => ({ text: `${col} IN (SELECT value FROM json_each(?))`, params: [JSON.stringify(ids)] }),
};

/** Prepared statements, each prepared once per connection and reused. SQL text is
 *  always code; values are always bound. */
export class Sql {
  private readonly cache = new Map<string, Statement>();

  constructor(readonly db: Database) {}

  private stmt(sql: string): Statement {
    let s = this.cache.get(sql);
    if (!s) {
      s = this.db.prepare(sql);
      this.cache.set(sql, s);
    }
    return s;
  }

  get<T>(sql: string, ...params: Param[]): T | undefined {
    return this.stmt(sql).get(...params) as T | undefined;
  }

  all<T>(sql: string, ...params: Param[]): T[] {
    return this.stmt(sql).all(...params) as T[];
  }

  /** The first column of every row. */
  column<T>(sql: string, ...params: Param[]): T[] {
    return pluckAll(this.stmt(sql), ...params) as T[];
  }

  iterate<T>(sql: string, ...params: Param[]): IterableIterator<T> {
    return this.stmt(sql).iterate(...params) as IterableIterator<T>;
  }

  /** Runs a statement; returns the rowid of an inserted row. */
  run(sql: string, ...params: Param[]): number {
    return Number(this.stmt(sql).run(...params).lastInsertRowid);
  }

  /** Runs a statement; returns how many rows it changed. */
  changes(sql: string, ...params: Param[]): number {
    return Number(this.stmt(sql).run(...params).changes);
  }

  exec(sql: string): void {
    this.db.exec(sql);
  }
}
