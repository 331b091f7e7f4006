import fs from 'node:fs';
import { dirname } from 'node:path';
import { RectifyError } from '../../errors.js';
import { sqliteCode } from './driver.js';

/** The file system that holds the ledger has no room left (an I/O error there is that). */
export function diskFull(path: string): boolean {
  try {
    return fs.statfsSync(dirname(path)).bavail === 0;
  } catch {
    return false;
  }
}


export function damaged(path: string): RectifyError {
  return new RectifyError('store.damaged', { path }, { exit: 2, hint: 'store.damagedHint' });
}

/** A damaged file found while working (SQLITE_CORRUPT, SQLITE_NOTADB) is bad input, exit 2;
 *  a ledger another writer holds too long says so. Everything else (SQLITE_FULL, I/O
 *  errors, bugs) stays what it is: an unexpected failure. */
export function translate(e: unknown, path: string): unknown {
  // An integer beyond 2^53 (node:sqlite will not round it): no ledger rectify wrote holds one.
  if (e instanceof RangeError && (e as NodeJS.ErrnoException).code === 'ERR_OUT_OF_RANGE') return damaged(path);
  const code = sqliteCode(e);
  if (code === null) return e;
  if (code.startsWith('SQLITE_CORRUPT') || code.startsWith('SQLITE_NOTADB')) return damaged(path);
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) {
    return new RectifyError('store.busy', { path }, { exit: 4, hint: 'store.busyHint' });
  }
  // A ledger opened read-only because its disk was full is refused for the full disk.
  if (code === 'SQLITE_FULL' || ((code.startsWith('SQLITE_IOERR') || code.startsWith('SQLITE_READONLY')) && diskFull(path))) {
    return new RectifyError('store.diskFull', { path }, { exit: 1, hint: 'store.diskFullHint' });
  }
  if (code.startsWith('SQLITE_READONLY')) {
    return new RectifyError('store.readOnly', { path }, { exit: 4, hint: 'store.readOnlyHint' });
  }
  return e;
}
