// Opening a ledger: refuse what is not one before writing a single byte, then set up the
// connection and bring the schema up to date.
import fs from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { openSqlite, pluckAll, pluckOne, type Database } from './driver.js';
import { RectifyError } from '../../errors.js';
import { LOCK_WAIT_MS } from '../lock-wait.js';
import { damaged, diskFull, translate } from './errors.js';
import { readHeader } from './header.js';
import { LATEST_VERSION, MIGRATIONS, READ_AS_IS_FROM, type Migration } from './migrations/index.js';

/** PRAGMA application_id of every rectify ledger: "RECT". */
export const APPLICATION_ID = 0x52454354;

const MEMORY = ':memory:';

/** The options of every connection to a ledger file. */
const CONNECT = { timeout: LOCK_WAIT_MS };

/** The connections opened read-only (SQLite's own flag is not asked of node:sqlite). */
const readOnly = new WeakSet<Database>();

/** Opens an existing ledger file, or a new ledger in memory (tests). A new ledger file is
 *  made by createDatabase. */
export function openDatabase(path: string, inMemory = false): Database {
  if (path === MEMORY) return prepare(openSqlite(MEMORY), path, true);
  if (inMemory) throw new Error('only :memory: is created by openDatabase');
  return openFile(path);
}

/** A ledger being made: built in a temporary file beside its place, and moved into place
 *  only when complete (finishCreate), so that nobody ever opens half a ledger and a killed
 *  `init` leaves no file that pretends to be one. */
export interface Pending {
  tmp: string;
  target: string;
  /** Finished or discarded already. */
  done?: boolean;
  /** Removes the temporary file and its companions; undoes the signal handlers. */
  discard(): void;
}

const SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
const COMPANIONS = ['-wal', '-shm', '-journal'];

/** The temporary file of a ledger being made (`.rectify.db.<pid>.<time>.init`) and its
 *  companions. */
const PENDING_FILE = /^\..+\.(\d+)\.[0-9a-z]+\.init(?:-wal|-shm|-journal)?$/;

/** Whether a process of this id still runs (one of another user's counts as running). */
export function running(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Removes what a killed `init` or `copy` left in this folder (SIGKILL leaves no time to
 *  clean up: 40 MB for 100,000 items): the temporary files of processes that no longer run.
 *  Another's live file, and anything not named as ours, is left alone. Best effort. */
export function removeStalePending(folder: string): string[] {
  const removed: string[] = [];
  let names: string[];
  try {
    names = fs.readdirSync(folder);
  } catch {
    return removed;
  }
  for (const name of names) {
    const m = PENDING_FILE.exec(name);
    if (!m || Number(m[1]) === process.pid || running(Number(m[1]))) continue;
    try {
      if (fs.lstatSync(join(folder, name)).isFile()) {
        fs.rmSync(join(folder, name), { force: true });
        removed.push(name);
      }
    } catch {
      /* gone meanwhile, or not ours to remove */
    }
  }
  return removed;
}

export function createDatabase(path: string): { db: Database; pending: Pending } {
  refuseExisting(path);
  removeStalePending(dirname(path));
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.${Date.now().toString(36)}.init`);
  const remove = () => {
    for (const f of [tmp, ...COMPANIONS.map((c) => tmp + c)]) fs.rmSync(f, { force: true });
  };
  // Interrupted: remove what was begun, then die of that signal as we would have.
  const onSignal = (signal: NodeJS.Signals) => {
    remove();
    process.kill(process.pid, signal);
  };
  const pending: Pending = {
    tmp,
    target: path,
    discard() {
      for (const s of SIGNALS) process.off(s, onSignal);
      remove();
    },
  };
  let fd: number;
  try {
    // Created here, not by SQLite, so that the mode is 0600 whatever SQLite would choose;
    // the umask can only make it stricter.
    fd = fs.openSync(tmp, 'wx', 0o600);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new RectifyError('store.cannotCreate', { path, reason: code ?? String(e) }, { exit: 2, hint: 'store.cannotCreateHint' });
  }
  fs.closeSync(fd);
  for (const s of SIGNALS) process.once(s, onSignal);
  let db: Database | undefined;
  try {
    db = openSqlite(tmp, CONNECT);
    return { db: prepare(db, tmp, true), pending };
  } catch (e) {
    db?.close();
    pending.discard();
    throw e;
  }
}

/** Only nothing at all may stand where a ledger is to be made: a file (a ledger or not), a
 *  folder, a link (dangling or not). A name that ends in a slash is a folder's. */
function refuseExisting(path: string): void {
  let st: fs.Stats | undefined;
  try {
    st = fs.lstatSync(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code !== 'ENOENT') throw new RectifyError('store.cannotCreate', { path, reason: code ?? String(e) }, { exit: 2, hint: 'store.cannotCreateHint' });
  }
  if (st === undefined) return;
  if (st.isFile() && looksLikeLedger(path)) throw new RectifyError('store.exists', { path }, { exit: 4, hint: 'store.existsHint' });
  throw notLedger(path);
}

function looksLikeLedger(path: string): boolean {
  try {
    const header = readHeader(path);
    return header.kind === 'sqlite' && header.applicationId === APPLICATION_ID;
  } catch {
    return false;
  }
}

/** Moves a complete ledger into place. link() does not replace what another `init` may
 *  have put there meanwhile; where links are not supported, rename() after a last check. */
export function finishCreate(pending: Pending): void {
  try {
    // A WAL or journal left beside a file that is not there belongs to a deleted database:
    // SQLite would read it as part of the new ledger.
    if (!fs.existsSync(pending.target)) for (const c of COMPANIONS) fs.rmSync(pending.target + c, { force: true });
    try {
      fs.linkSync(pending.tmp, pending.target);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'EEXIST') throw new RectifyError('store.exists', { path: pending.target }, { exit: 4, hint: 'store.existsHint' });
      if (fs.existsSync(pending.target)) throw e;
      fs.renameSync(pending.tmp, pending.target);
    }
  } finally {
    pending.discard();
  }
  try {
    const d = fs.openSync(dirname(pending.target), 'r');
    try {
      fs.fsyncSync(d);
    } finally {
      fs.closeSync(d);
    }
  } catch {
    /* best effort: some platforms cannot open a folder */
  }
}

function openFile(path: string): Database {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new RectifyError('store.missing', { path }, { exit: 3, hint: 'store.missingHint' });
    if (code === 'ENOTDIR') throw notLedger(path);
    // A name too long, a loop of links, a folder we may not enter: the address is unusable.
    throw new RectifyError('store.cannotOpen', { path, reason: code ?? String(e) }, { exit: 2, hint: 'store.notLedgerHint' });
  }
  if (stat.isDirectory()) throw new RectifyError('store.isFolder', { path }, { exit: 2, hint: 'store.notLedgerHint' });
  // A FIFO or a device is never opened: reading one could wait forever or never end.
  if (!stat.isFile()) throw notLedger(path);
  // With a WAL beside it the ledger may be live: another process checkpointing writes
  // page 1 (with the new page count) before the pages that make the file that long, so
  // the count cannot tell a cut file then; SQLite's own first read (in prepare) will.
  const header = readHeader(path, { checkLength: !fs.existsSync(`${path}-wal`) });
  if (header.kind === 'empty') {
    throw new RectifyError('store.empty', { path }, { exit: 2, hint: 'store.emptyHint' });
  }
  if (header.kind === 'other') throw notLedger(path);
  if (header.kind === 'damaged') throw damaged(path);
  checkIdentity(path, header.applicationId, header.userVersion);

  let db: Database | undefined;
  try {
    db = canWrite(path) ? openSqlite(path, CONNECT) : openReadOnly(path);
    return prepare(db, path, false);
  } catch (e) {
    db?.close();
    throw translate(e, path);
  }
}

/** Whether this process may write the ledger and make its -wal and -shm beside it. */
function canWrite(path: string): boolean {
  try {
    fs.accessSync(path, fs.constants.W_OK);
    fs.accessSync(dirname(path), fs.constants.W_OK);
    return !diskFull(path);
  } catch {
    return false;
  }
}

/** A ledger this process may read but not write (a read-only mount, a file of another
 *  user's, a full disk) still serves every view. SQLite can read a WAL ledger only where it
 *  can make the -shm beside it, or where one is there already; elsewhere it reads a copy of
 *  the file held in memory (with no live WAL beside it, the file is the whole ledger).
 *  Either way a write meets SQLITE_READONLY and is refused in one line. */
function openReadOnly(path: string): Database {
  const wal = `${path}-wal`;
  const liveWal = fs.existsSync(wal) && fs.statSync(wal).size > 0;
  // With no live WAL the file is the whole ledger, and read as it is (immutable: no lock,
  // no -shm to make).
  const db = openSqlite(path, { ...CONNECT, readOnly: true, immutable: !(liveWal || fs.existsSync(`${path}-shm`)) });
  readOnly.add(db);
  return db;
}

function notLedger(path: string): RectifyError {
  return new RectifyError('store.notLedger', { path }, { exit: 2, hint: 'store.notLedgerHint' });
}

function checkIdentity(path: string, applicationId: number, userVersion: number): void {
  if (applicationId !== APPLICATION_ID) throw new RectifyError('store.notLedgerSqlite', { path }, { exit: 2, hint: 'store.notLedgerHint' });
  // Every ledger has had its first migration; a version below it is a damaged header.
  if (userVersion < 1) throw damaged(path);
  if (userVersion > LATEST_VERSION) {
    throw new RectifyError(
      'store.newer',
      { path, found: userVersion, known: LATEST_VERSION },
      { exit: 4, hint: 'store.newerHint' },
    );
  }
}

function pragmaNumber(db: Database, name: string): number {
  return Number(pluckOne(db.prepare(`PRAGMA ${name}`)));
}

function prepare(db: Database, path: string, fresh: boolean): Database {
  if (fresh) {
    // The constant is code, not input: PRAGMA takes no bound parameters.
    db.exec(`PRAGMA application_id = ${APPLICATION_ID}`);
  } else {
    // Read-only checks first: SQLite's own view (which includes an unfinished WAL) must
    // agree with the header, and the schema must parse, before anything is written.
    db.prepare('SELECT count(*) FROM sqlite_schema').get();
    checkIdentity(path, pragmaNumber(db, 'application_id'), pragmaNumber(db, 'user_version'));
  }
  db.exec('PRAGMA foreign_keys = ON');
  if (path !== MEMORY && !readOnly.has(db)) db.exec('PRAGMA journal_mode = WAL');
  // Shape first: a file that is not a whole ledger is neither migrated nor read.
  if (!fresh) checkShape(db, path);
  // A file this process may not write (a read-only mount, another user's) is read as it is
  // when what it lacks no view needs; the next writer upgrades it.
  if (readOnly.has(db) && pragmaNumber(db, 'user_version') >= READ_AS_IS_FROM) return db;
  migrate(db);
  return db;
}

/** The tables every ledger has, and its one report row: a file without them is not a whole
 *  ledger (a damaged one, or one made by hand), and nothing is read from it. */
const TABLES = ['report', 'counters', 'areas', 'problems', 'causes', 'measures', 'items', 'item_problems', 'history', 'evidence'];

function checkShape(db: Database, path: string): void {
  const names = new Set(pluckAll(db.prepare(`SELECT name FROM sqlite_schema WHERE type = 'table'`)).map(String));
  if (!TABLES.every((t) => names.has(t))) throw damaged(path);
  const reports = pluckOne(db.prepare('SELECT count(*) FROM report'));
  if (reports !== 1) throw new RectifyError('store.incomplete', { path }, { exit: 2, hint: 'store.incompleteHint' });
}

/** Applies the migrations the ledger has not had, each in its own transaction together
 *  with the new user_version. Another process may be migrating too: each step re-reads
 *  the version once it holds the write lock. */
export function migrate(db: Database, migrations: readonly Migration[] = MIGRATIONS): void {
  const latest = migrations.at(-1)?.version ?? 0;
  if (pragmaNumber(db, 'user_version') >= latest) return;
  for (const m of migrations) {
    db.exec('BEGIN IMMEDIATE');
    try {
      if (pragmaNumber(db, 'user_version') < m.version) {
        m.up(db);
        // An integer from the migration list, not input: PRAGMA takes no bound parameters.
        db.exec(`PRAGMA user_version = ${Math.trunc(m.version)}`);
      }
      db.exec('COMMIT');
    } catch (e) {
      if (db.isTransaction) db.exec('ROLLBACK');
      throw e;
    }
  }
}
