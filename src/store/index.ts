// Opening a ledger. Commands see only the Store interface; the SQLite implementation is
// one folder (sqlite/), so that another backend would be one more.
import { openDatabase } from './sqlite/open.js';
import { SqliteStore } from './sqlite/store.js';
import type { Store } from './types.js';

export type * from './types.js';

/**
 * Opens the ledger at `path` (':memory:' for tests).
 * - create: the file must not exist yet (exit 4); it is made with mode 0600.
 * - otherwise: it must be a rectify ledger (missing: exit 3; damaged or another kind of
 *   file: exit 2; from a newer rectify: exit 4), and is left untouched when it is not.
 * `now` is the clock for recorded times (tests pass a fixed one).
 */
export async function openStore(path: string, opts: { create: boolean; now?: () => Date }): Promise<Store> {
  const db = openDatabase(path, opts.create);
  return new SqliteStore(db, path, opts.now ?? (() => new Date()));
}
