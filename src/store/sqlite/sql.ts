import type { Database, Statement } from 'better-sqlite3';

/** A SQL list of string literals for CHECK constraints and fixed conditions built from
 *  the vocabulary tuples. Only plain words are accepted: these are code, never input. */
export function sqlList(words: readonly string[]): string {
  return words
    .map((w) => {
      if (!/^[a-z_]+$/.test(w)) throw new Error(`not a plain word: ${w}`);
      return `'${w}'`;
    })
    .join(', ');
}

export type Param = string | number | bigint | null;

/** Prepared statements, each prepared once per connection and reused. SQL text is
 *  always code; values are always bound. */
export class Sql {
  private readonly cache = new Map<string, Statement>();
  private readonly plucked = new Map<string, Statement>();

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
    let s = this.plucked.get(sql);
    if (!s) {
      s = this.db.prepare(sql).pluck();
      this.plucked.set(sql, s);
    }
    return s.all(...params) as T[];
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
    return this.stmt(sql).run(...params).changes;
  }

  exec(sql: string): void {
    this.db.exec(sql);
  }
}
