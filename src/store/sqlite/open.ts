// Opening a ledger: refuse what is not one before writing a single byte, then set up the
// connection and bring the schema up to date.
import fs from 'node:fs';
import Database from 'better-sqlite3';
import { RectifyError } from '../../errors.js';
import { damaged, translate } from './errors.js';
import { readHeader } from './header.js';
import { LATEST_VERSION, MIGRATIONS, type Migration } from './migrations/index.js';

/** PRAGMA application_id of every rectify ledger: "RECT". */
export const APPLICATION_ID = 0x52454354;

/** How long a writer waits for another one to finish before giving up. */
const BUSY_TIMEOUT_MS = 10_000;

const MEMORY = ':memory:';

/** The options of every connection to a ledger file. */
const CONNECT: Database.Options = { fileMustExist: true, timeout: BUSY_TIMEOUT_MS };

export function openDatabase(path: string, create: boolean): Database.Database {
  if (path === MEMORY) return prepare(new Database(MEMORY), path, true);
  return create ? createFile(path) : openFile(path);
}

function createFile(path: string): Database.Database {
  let fd: number;
  try {
    // Created here, not by SQLite, so that the mode is 0600 whatever SQLite would choose;
    // the umask can only make it stricter. 'wx' fails if anything is already there.
    fd = fs.openSync(path, 'wx', 0o600);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') {
      throw new RectifyError('store.exists', { path }, { exit: 4, hint: 'store.existsHint' });
    }
    throw new RectifyError(
      'store.cannotCreate',
      { path, reason: code ?? String(e) },
      { exit: 2, hint: 'store.cannotCreateHint' },
    );
  }
  fs.closeSync(fd);
  // A WAL or journal left beside a file that did not exist belongs to a deleted database:
  // it must never be taken for part of the new ledger.
  for (const f of [`${path}-wal`, `${path}-shm`, `${path}-journal`]) fs.rmSync(f, { force: true });
  let db: Database.Database | undefined;
  try {
    db = new Database(path, CONNECT);
    return prepare(db, path, true);
  } catch (e) {
    // A half-made ledger would only stand in the way of the next `init`.
    db?.close();
    for (const f of [path, `${path}-wal`, `${path}-shm`]) fs.rmSync(f, { force: true });
    throw e;
  }
}

function openFile(path: string): Database.Database {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(path);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new RectifyError('store.missing', { path }, { exit: 3, hint: 'store.missingHint' });
    }
    throw e;
  }
  if (!stat.isFile()) throw notLedger(path);
  // With a WAL beside it the ledger may be live: another process checkpointing writes
  // page 1 (with the new page count) before the pages that make the file that long, so
  // the count cannot tell a cut file then; SQLite's own first read (in prepare) will.
  const header = readHeader(path, { checkLength: !fs.existsSync(`${path}-wal`) });
  if (header.kind === 'empty') {
    throw new RectifyError('store.empty', { path }, { exit: 2, hint: 'store.emptyHint' });
  }
  if (header.kind === 'damaged') throw damaged(path);
  checkIdentity(path, header.applicationId, header.userVersion);

  const db = new Database(path, CONNECT);
  try {
    return prepare(db, path, false);
  } catch (e) {
    db.close();
    throw translate(e, path);
  }
}

function notLedger(path: string): RectifyError {
  return new RectifyError('store.notLedger', { path }, { exit: 2, hint: 'store.notLedgerHint' });
}

function checkIdentity(path: string, applicationId: number, userVersion: number): void {
  if (applicationId !== APPLICATION_ID) throw notLedger(path);
  if (userVersion > LATEST_VERSION) {
    throw new RectifyError(
      'store.newer',
      { path, found: userVersion, known: LATEST_VERSION },
      { exit: 4, hint: 'store.newerHint' },
    );
  }
}

function pragmaNumber(db: Database.Database, name: string): number {
  return Number(db.pragma(name, { simple: true }));
}

function prepare(db: Database.Database, path: string, fresh: boolean): Database.Database {
  if (fresh) {
    // The constant is code, not input: PRAGMA takes no bound parameters.
    db.pragma(`application_id = ${APPLICATION_ID}`);
  } else {
    // Read-only checks first: SQLite's own view (which includes an unfinished WAL) must
    // agree with the header, and the schema must parse, before anything is written.
    db.prepare('SELECT count(*) FROM sqlite_schema').get();
    checkIdentity(path, pragmaNumber(db, 'application_id'), pragmaNumber(db, 'user_version'));
  }
  db.pragma('foreign_keys = ON');
  if (path !== MEMORY) db.pragma('journal_mode = WAL');
  migrate(db);
  return db;
}

/** Applies the migrations the ledger has not had, each in its own transaction together
 *  with the new user_version. Another process may be migrating too: each step re-reads
 *  the version once it holds the write lock. */
export function migrate(db: Database.Database, migrations: readonly Migration[] = MIGRATIONS): void {
  const latest = migrations.at(-1)?.version ?? 0;
  if (pragmaNumber(db, 'user_version') >= latest) return;
  for (const m of migrations) {
    db.transaction(() => {
      if (pragmaNumber(db, 'user_version') >= m.version) return;
      m.up(db);
      // An integer from the migration list, not input: PRAGMA takes no bound parameters.
      db.pragma(`user_version = ${Math.trunc(m.version)}`);
    }).immediate();
  }
}
