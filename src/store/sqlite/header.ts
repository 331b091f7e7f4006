// Reads the 100-byte header of a SQLite file with plain file I/O, so that a file that is
// not a ledger is recognised before SQLite touches it (and can write to it).
// Layout: https://www.sqlite.org/fileformat.html#the_database_header
import fs from 'node:fs';

export type Header =
  | { kind: 'empty' }
  /** Not a SQLite file at all (text, a document, random bytes). */
  | { kind: 'other' }
  | { kind: 'damaged' }
  | { kind: 'sqlite'; applicationId: number; userVersion: number };

const MAGIC = Buffer.from('SQLite format 3\0', 'latin1');
const HEADER_SIZE = 100;
const MIN_PAGE = 512;

export function readHeader(path: string, opts: { checkLength: boolean } = { checkLength: true }): Header {
  const fd = fs.openSync(path, 'r');
  try {
    const size = fs.fstatSync(fd).size;
    if (size === 0) return { kind: 'empty' };
    const h = Buffer.alloc(HEADER_SIZE);
    const read = fs.readSync(fd, h, 0, HEADER_SIZE, 0);
    if (read < MAGIC.length || !h.subarray(0, MAGIC.length).equals(MAGIC)) return { kind: 'other' };
    if (size < MIN_PAGE || read < HEADER_SIZE) return { kind: 'damaged' };

    const raw = h.readUInt16BE(16);
    const pageSize = raw === 1 ? 65536 : raw;
    if (pageSize < MIN_PAGE || pageSize > 65536 || (pageSize & (pageSize - 1)) !== 0) return { kind: 'damaged' };
    // A database file is whole pages; a torn last page means it was cut short.
    if (size % pageSize !== 0) return { kind: 'damaged' };
    // The page count in the header is trusted when the change counter matches
    // "version-valid-for" (SQLite 3.7.0 and later); a file shorter than that was truncated.
    const pages = h.readUInt32BE(28);
    const valid = h.readUInt32BE(24) === h.readUInt32BE(92);
    if (opts.checkLength && valid && pages > 0 && pages * pageSize > size) return { kind: 'damaged' };

    return { kind: 'sqlite', userVersion: h.readInt32BE(60), applicationId: h.readInt32BE(68) };
  } finally {
    fs.closeSync(fd);
  }
}

/** Whether a path is a regular file that starts as a SQLite database does. Never opens
 *  anything else: opening a FIFO to read would wait for a writer. */
export function isSqliteFile(path: string): boolean {
  let fd: number | undefined;
  try {
    if (!fs.statSync(path).isFile()) return false;
    fd = fs.openSync(path, 'r');
    const head = Buffer.alloc(MAGIC.length);
    return fs.readSync(fd, head, 0, head.length, 0) === head.length && head.equals(MAGIC);
  } catch {
    return false;
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}
