// A Word or Excel file is a zip: before mammoth or exceljs inflate it, its central directory
// is read and every entry's uncompressed size checked against the limits, then each entry is
// inflated here with a ceiling at the size it declares (a zip bomb may lie about it), and an
// Excel sheet's cells and merged ranges are counted. Nothing is inflated past the limits:
// a hostile file costs at most the limits in memory and time.
import { inflateRawSync } from 'node:zlib';

export interface ZipLimits {
  /** Entries in the archive. */
  entries: number;
  /** Bytes of one entry, inflated. */
  entry: number;
  /** Bytes of the entries that are parsed (XML: all but pictures and embedded files), inflated. */
  parsed: number;
  /** Bytes of all entries together, inflated. */
  total: number;
  /** Cells of all worksheets together (`<c …>` elements), and cells that merged ranges cover. */
  cells: number;
}

/** What a report of the genre needs with room to spare (a 30-page report's document.xml is
 *  about 0.5 MB; a 台账 of 3,000 rows and 15 columns 45,000 cells), and what keeps a hostile
 *  file within seconds and 300 MiB (README: the figures). */
export const ZIP_LIMITS: ZipLimits = { entries: 2000, entry: 32 << 20, parsed: 8 << 20, total: 64 << 20, cells: 60_000 };
/** mammoth takes about 80 times a document's XML in memory: a Word file's XML is held to 2 MiB
 *  (a 60-page report in Word's most verbose formatting). */
export const DOCX_LIMITS: ZipLimits = { ...ZIP_LIMITS, parsed: 2 << 20 };

/** Pictures and embedded files: neither mammoth (told not to) nor the drafter parses them. */
const UNPARSED = /^(?:word|xl)\/(?:media|embeddings)\//i;

export type ZipCheck =
  | { ok: true; entries: number; inflated: number; cells: number }
  | { ok: false; reason: 'notZip' }
  | { ok: false; reason: 'tooLarge'; limit: number }
  | { ok: false; reason: 'tooManyCells'; limit: number };

interface Entry {
  name: string;
  method: number;
  compressed: number;
  size: number;
  offset: number;
}

function centralDirectory(b: Buffer, limits: ZipLimits): Entry[] | 'notZip' | 'tooMany' {
  // The end of central directory record: within the last 64 KiB + 22 bytes (its comment).
  let eocd = -1;
  for (let i = b.length - 22; i >= Math.max(0, b.length - 22 - 0xffff); i--) {
    if (b.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) return 'notZip';
  const count = b.readUInt16LE(eocd + 10);
  const cdSize = b.readUInt32LE(eocd + 12);
  const cdOffset = b.readUInt32LE(eocd + 16);
  // ZIP64 (sizes that do not fit 32 bits) is no report of the genre: too large.
  if (count === 0xffff || cdOffset === 0xffffffff) return 'tooMany';
  if (count > limits.entries) return 'tooMany';
  if (cdOffset + cdSize > b.length) return 'notZip';
  const out: Entry[] = [];
  let p = cdOffset;
  for (let k = 0; k < count; k++) {
    if (p + 46 > b.length || b.readUInt32LE(p) !== 0x02014b50) return 'notZip';
    const nameLen = b.readUInt16LE(p + 28);
    const extraLen = b.readUInt16LE(p + 30);
    const commentLen = b.readUInt16LE(p + 32);
    out.push({
      name: b.toString('utf8', p + 46, p + 46 + nameLen),
      method: b.readUInt16LE(p + 10),
      compressed: b.readUInt32LE(p + 20),
      size: b.readUInt32LE(p + 24),
      offset: b.readUInt32LE(p + 42),
    });
    p += 46 + nameLen + extraLen + commentLen;
  }
  return out;
}

/** Checks a Word or Excel file against the limits without inflating more than they allow. */
export function checkZip(b: Buffer, limits: ZipLimits = ZIP_LIMITS): ZipCheck {
  const entries = centralDirectory(b, limits);
  if (entries === 'notZip') return { ok: false, reason: 'notZip' };
  const tooLarge = { ok: false, reason: 'tooLarge', limit: limits.total } as const;
  if (entries === 'tooMany') return tooLarge;
  // First what the directory declares, before anything is inflated.
  let declared = 0;
  let parsed = 0;
  for (const e of entries) {
    if (e.size === 0xffffffff || e.compressed === 0xffffffff || e.size > limits.entry) return { ok: false, reason: 'tooLarge', limit: limits.entry };
    declared += e.size;
    if (!UNPARSED.test(e.name)) parsed += e.size;
    if (declared > limits.total) return tooLarge;
    if (parsed > limits.parsed) return { ok: false, reason: 'tooLarge', limit: limits.parsed };
  }
  // Then what the entries hold: each inflated with a ceiling at its declared size (one that
  // holds more lies, and is refused against the limit of what is parsed).
  const lies = { ok: false, reason: 'tooLarge', limit: limits.parsed } as const;
  let inflated = 0;
  let cells = 0;
  for (const e of entries) {
    if (e.offset + 30 > b.length || b.readUInt32LE(e.offset) !== 0x04034b50) return { ok: false, reason: 'notZip' };
    const start = e.offset + 30 + b.readUInt16LE(e.offset + 26) + b.readUInt16LE(e.offset + 28);
    if (start + e.compressed > b.length) return { ok: false, reason: 'notZip' };
    const raw = b.subarray(start, start + e.compressed);
    let data: Buffer;
    if (e.method === 0) {
      data = raw;
    } else if (e.method === 8) {
      try {
        data = inflateRawSync(raw, { maxOutputLength: Math.max(1, e.size) });
      } catch (err) {
        // More than it declared: a bomb that lies. Anything else: not a zip we can read.
        return (err as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE' || err instanceof RangeError ? lies : { ok: false, reason: 'notZip' };
      }
      if (data.length !== e.size) return e.size < data.length ? lies : { ok: false, reason: 'notZip' };
    } else {
      return { ok: false, reason: 'notZip' };
    }
    inflated += data.length;
    if (/^xl\/worksheets\/[^/]+\.xml$/i.test(e.name)) {
      cells += countCells(data);
      if (cells > limits.cells) return { ok: false, reason: 'tooManyCells', limit: limits.cells };
    }
  }
  return { ok: true, entries: entries.length, inflated, cells };
}

/** Column letters to a number: A 1, XFD 16384. */
function column(letters: string): number {
  let n = 0;
  for (const c of letters.toUpperCase()) n = n * 26 + (c.charCodeAt(0) - 64);
  return n;
}

/** A sheet's cells (`<c` elements) and the cells its merged ranges cover: exceljs makes a
 *  cell for each cell of a merged range. */
function countCells(xml: Buffer): number {
  let n = 0;
  for (let i = xml.indexOf('<c'); i >= 0; i = xml.indexOf('<c', i + 2)) {
    const next = xml[i + 2];
    if (next === 0x20 || next === 0x3e || next === 0x2f) n++; // "<c ", "<c>", "<c/"
  }
  const text = xml.toString('latin1');
  for (const m of text.matchAll(/<mergeCell\s[^>]*ref="([A-Z]{1,3})(\d{1,7}):([A-Z]{1,3})(\d{1,7})"/gi)) {
    const cols = Math.abs(column(m[3] as string) - column(m[1] as string)) + 1;
    const rows = Math.abs(Number(m[4]) - Number(m[2])) + 1;
    n += cols * rows;
    if (n > Number.MAX_SAFE_INTEGER / 2) break;
  }
  return n;
}
