import { RectifyError } from '../../errors.js';

function sqliteCode(e: unknown): string | null {
  if (e instanceof Error && 'code' in e && typeof e.code === 'string' && e.code.startsWith('SQLITE_')) {
    return e.code;
  }
  return null;
}

export function damaged(path: string): RectifyError {
  return new RectifyError('store.damaged', { path }, { exit: 2, hint: 'store.damagedHint' });
}

/** A damaged file found while working (SQLITE_CORRUPT, SQLITE_NOTADB) is bad input, exit 2;
 *  a ledger another writer holds too long says so. Everything else (SQLITE_FULL, I/O
 *  errors, bugs) stays what it is: an unexpected failure. */
export function translate(e: unknown, path: string): unknown {
  const code = sqliteCode(e);
  if (code === null) return e;
  if (code.startsWith('SQLITE_CORRUPT') || code.startsWith('SQLITE_NOTADB')) return damaged(path);
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) {
    return new RectifyError('store.busy', { path }, { exit: 4, hint: 'store.busyHint' });
  }
  return e;
}
