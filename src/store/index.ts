// Opening a ledger. Commands see only the Store interface; each backend is one folder:
// sqlite/ for a ledger file, postgres/ for a ledger on a server (a postgres:// URL). The
// server's driver is loaded only when the address is a URL, SQLite (Node's own node:sqlite)
// only when it is not.
import { isServerAddress } from './postgres/address.js';
import type { Store } from './types.js';

export type * from './types.js';
export { isServerAddress };

/**
 * Opens the ledger at `address`: a file path (':memory:' for tests) or a postgres:// URL.
 * - create: there must be no ledger there yet (exit 4). A file is made with mode 0600; on a
 *   server the schema, its roles and tables are made by the first write(), in the same
 *   transaction as what it loads.
 * - otherwise: it must be a rectify ledger (missing: exit 3; damaged or another kind of
 *   file: exit 2; from a newer rectify: exit 4; a server that cannot be reached: exit 3).
 * `now` is the clock for recorded times (tests pass a fixed one).
 */
export async function openStore(address: string, opts: { create: boolean; now?: () => Date; env?: NodeJS.ProcessEnv }): Promise<Store> {
  const now = opts.now ?? (() => new Date());
  if (isServerAddress(address)) {
    const { openPgStore } = await import('./postgres/index.js');
    return openPgStore(address, { create: opts.create, now, ...(opts.env ? { env: opts.env } : {}) });
  }
  const [{ createDatabase, openDatabase }, { SqliteStore }] = await Promise.all([import('./sqlite/open.js'), import('./sqlite/store.js')]);
  if (opts.create && address !== ':memory:') {
    // Built in a temporary file beside its place, moved into place by close() once complete.
    const { db, pending } = createDatabase(address);
    return new SqliteStore(db, address, now, pending);
  }
  return new SqliteStore(openDatabase(address, opts.create), address, now);
}

/** Opens the ledger at `address` so that it is brought up to this version (a ledger file is
 *  whenever it is opened; a ledger on a server by its owner), and says from which schema
 *  version to which; null when it already was. */
export async function upgradeLedger(address: string, opts: { now?: () => Date; env?: NodeJS.ProcessEnv }): Promise<{ from: number; to: number; guarded: boolean } | null> {
  const now = opts.now ?? (() => new Date());
  if (isServerAddress(address)) {
    const { openPgStore, PG_LATEST_VERSION } = await import('./postgres/index.js');
    const store = await openPgStore(address, { create: false, now, ...(opts.env ? { env: opts.env } : {}) });
    await store.close();
    // guarded: the ledger came from before the server's guard (migration 2), so its history is
    // written by the server from now on; a later one already had it.
    return store.upgradedFrom === null ? null : { from: store.upgradedFrom, to: PG_LATEST_VERSION, guarded: store.upgradedFrom < 2 };
  }
  const store = await openStore(address, { create: false, now });
  await store.close();
  return null;
}
