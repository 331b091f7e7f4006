// SQLite through Node's own `node:sqlite` (Node 22.16 and later, 24): the same SQLite library
// in the same file format as before, with no native addon to build, download or load (the
// addon better-sqlite3 cost about 28 M instructions of every command's start: README, "Speed
// and memory"). This file is the only one that touches the module.
import type { DatabaseSync, StatementSync } from 'node:sqlite';
import { pathToFileURL } from 'node:url';

export type Database = DatabaseSync;
export type Statement = StatementSync;

let loaded: typeof import('node:sqlite') | undefined;

/** The module, loaded once. Node 22 calls it experimental in a warning on stderr at its first
 *  load (Node 24 does not): that one warning is not rectify's user's concern and is not
 *  printed; any other warning is. */
function sqlite(): typeof import('node:sqlite') {
  if (loaded) return loaded;
  const emit = process.emitWarning;
  process.emitWarning = function (this: unknown, warning: string | Error, ...rest: unknown[]) {
    const type = typeof rest[0] === 'string' ? rest[0] : (rest[0] as { type?: string } | undefined)?.type;
    const text = typeof warning === 'string' ? warning : warning.message;
    if (type === 'ExperimentalWarning' && /\bSQLite\b/.test(text)) return;
    return (emit as (...a: unknown[]) => void).call(process, warning, ...rest);
  } as typeof process.emitWarning;
  try {
    loaded = process.getBuiltinModule('node:sqlite');
  } finally {
    process.emitWarning = emit;
  }
  return loaded;
}

export interface OpenOptions {
  /** Refuse to write (SQLITE_READONLY). */
  readOnly?: boolean;
  /** The file is read as it is, with no locks, -wal or -shm: nobody changes it meanwhile. */
  immutable?: boolean;
  /** How long a statement waits for another connection's lock, in milliseconds. */
  timeout?: number;
}

/** Opens an existing database file (never creates one: a missing file is SQLITE_CANTOPEN),
 *  or ':memory:'. */
export function openSqlite(path: string, opts: OpenOptions = {}): Database {
  const { DatabaseSync } = sqlite();
  const options = { readOnly: opts.readOnly === true, ...(opts.timeout === undefined ? {} : { timeout: opts.timeout }) };
  if (path === ':memory:') return new DatabaseSync(path, options);
  const url = pathToFileURL(path);
  url.searchParams.set('mode', opts.readOnly ? 'ro' : 'rw');
  if (opts.immutable) url.searchParams.set('immutable', '1');
  return new DatabaseSync(url, options);
}

/** The first column of a row, or of every row. */
export function pluckOne(stmt: Statement, ...params: (string | number | bigint | null)[]): unknown {
  const row = stmt.get(...params);
  return row === undefined ? undefined : Object.values(row)[0];
}

export function pluckAll(stmt: Statement, ...params: (string | number | bigint | null)[]): unknown[] {
  return stmt.all(...params).map((row) => Object.values(row)[0]);
}

/** SQLite's result code of an error of the module's (its primary code's name, as SQLite
 *  names it: SQLITE_BUSY, SQLITE_CORRUPT …), or null for any other error. */
export function sqliteCode(e: unknown): string | null {
  if (!(e instanceof Error) || (e as { code?: unknown }).code !== 'ERR_SQLITE_ERROR') return null;
  const n = (e as { errcode?: unknown }).errcode;
  if (typeof n !== 'number') return 'SQLITE_ERROR';
  return PRIMARY[n & 0xff] ?? 'SQLITE_ERROR';
}

/** SQLite's primary result codes (sqlite3.h). */
const PRIMARY: Record<number, string> = {
  1: 'SQLITE_ERROR', 2: 'SQLITE_INTERNAL', 3: 'SQLITE_PERM', 4: 'SQLITE_ABORT', 5: 'SQLITE_BUSY', 6: 'SQLITE_LOCKED',
  7: 'SQLITE_NOMEM', 8: 'SQLITE_READONLY', 9: 'SQLITE_INTERRUPT', 10: 'SQLITE_IOERR', 11: 'SQLITE_CORRUPT',
  12: 'SQLITE_NOTFOUND', 13: 'SQLITE_FULL', 14: 'SQLITE_CANTOPEN', 15: 'SQLITE_PROTOCOL', 16: 'SQLITE_EMPTY',
  17: 'SQLITE_SCHEMA', 18: 'SQLITE_TOOBIG', 19: 'SQLITE_CONSTRAINT', 20: 'SQLITE_MISMATCH', 21: 'SQLITE_MISUSE',
  22: 'SQLITE_NOLFS', 23: 'SQLITE_AUTH', 24: 'SQLITE_FORMAT', 25: 'SQLITE_RANGE', 26: 'SQLITE_NOTADB',
};

/** Node's SQLite module itself, without its warning (tests and tools that look underneath a
 *  ledger, as another program would). */
export function sqliteModule(): typeof import('node:sqlite') {
  return sqlite();
}

/** A PRAGMA's value (the first column of its first row). PRAGMA takes no bound parameters:
 *  `name` is code, never input. */
export function pragma(db: Database, name: string): unknown {
  return pluckOne(db.prepare(`PRAGMA ${name}`));
}
