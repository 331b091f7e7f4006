// Reading a seed file for init and import: refused whole, with every issue listed.
// A `.jsonl` file (JSON Lines) is read as a stream, a line at a time; YAML is read whole, up to
// a size far beyond any real report (core/seed.ts, YAML_MAX_BYTES).
import { existsSync, promises as fsp, statSync } from 'node:fs';
import { extname, join, relative, isAbsolute } from 'node:path';
import { isServerAddress, maskAddress } from '../store/postgres/address.js';
import type { DumpItem, DumpRecord } from '../core/dump.js';
import type { SeedIssue } from '../core/seed-text.js';
import type { Seed, SeedItem } from '../core/types.js';
import { EXIT, RectifyError } from '../errors.js';
import { t } from '../i18n/index.js';
import type { Output } from '../context.js';
import { Steps, type OnFraction, type OnProgress, type Progress } from '../ui/progress.js';
import { cleanInline } from '../ui/text.js';

/** The seed of the report that ships with rectify: data/seed.yaml beside dist/ in the
 *  bundle, two levels up when the sources run unbundled (under the test runner). */
export function bundledSeedPath(): string {
  const bundled = join(__dirname, '..', 'data', 'seed.yaml');
  const fromSource = join(__dirname, '..', '..', 'data', 'seed.yaml');
  return existsSync(bundled) || !existsSync(fromSource) ? bundled : fromSource;
}

/** A path as the user would like to read it: relative to where they stand, when inside;
 *  a server's address as it is, with its password as ***. */
export function displayPath(path: string, cwd: string): string {
  if (isServerAddress(path)) return maskAddress(path);
  const rel = relative(cwd, path);
  return rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : path;
}

/** A bar for reading a file, measured in bytes read of its size: none when the output draws
 *  no bar or the file cannot be sized (reading it will then say why). */
export function fileProgress(io: Output, label: string, path: string): { onBytes?: OnProgress; bar?: Progress } {
  if (!io.progress) return {};
  let size: number;
  try {
    size = statSync(path).size;
  } catch {
    return {};
  }
  const bar = io.progress(label, size);
  return { onBytes: (n) => bar.update(n), bar };
}

/** A bar for a YAML seed: its reading (most of the time, loadSeed's steps) and the ledger
 *  written from it (a profile at 11,000 items: a tenth). None when the output draws no bar. */
export function yamlProgress(io: Output, label: string): Steps | undefined {
  return Steps.start(io.progress, label, [90, 10]);
}

/** Whether a seed file is JSON Lines (by its name: `.jsonl`, or `.ndjson`). */
export function isJsonl(path: string): boolean {
  const ext = extname(path).toLowerCase();
  return ext === '.jsonl' || ext === '.ndjson';
}

function unreadable(e: unknown, shownAs: string): RectifyError {
  const code = (e as NodeJS.ErrnoException).code;
  const file = cleanInline(shownAs);
  if (code === 'ENOENT') return new RectifyError('seedfile.missing', { file }, { exit: EXIT.notFound });
  if (code === 'EISDIR') return new RectifyError('seedfile.isDir', { file }, { exit: EXIT.badInput });
  return new RectifyError('seedfile.unreadable', { file, reason: String(code ?? e) }, { exit: EXIT.badInput });
}

function refused(shownAs: string, issues: SeedIssue[], total: number): RectifyError {
  const file = cleanInline(shownAs);
  const details = issues.map((i) => `${file}:${i.line}:${i.column}: ${cleanInline(t(i.key, i.params))}`);
  return new RectifyError('seedfile.refused', { file, count: total }, { exit: EXIT.badInput, details, hint: 'hint.seedFormat' });
}

/** The whole seed, YAML or JSON Lines (for import, which merges a whole seed; a dump's status
 *  and history are left out: an import never changes them). */
export async function readSeed(
  path: string, shownAs: string, onBytes?: OnProgress, onYaml?: OnFraction, opts?: { noItems?: boolean },
): Promise<Seed> {
  if (isJsonl(path)) return seedFromRecords(seedRecords(path, shownAs, onBytes), opts?.noItems ?? false);
  const { loadSeed, YAML_MAX_BYTES } = await import('../core/seed.js');
  let bytes: Uint8Array;
  try {
    const stat = await fsp.stat(path);
    if (stat.isFile() && stat.size > YAML_MAX_BYTES) {
      throw refused(shownAs, [{
        line: 1, column: 1, key: 'seed.tooLarge',
        params: { mb: Math.round(stat.size / 1048576), max: YAML_MAX_BYTES / 1048576 },
      }], 1);
    }
    bytes = await fsp.readFile(path);
  } catch (e) {
    if (e instanceof RectifyError) throw e;
    throw unreadable(e, shownAs);
  }
  const result = loadSeed(bytes, onYaml);
  if (result.ok) return result.seed;
  throw refused(shownAs, result.issues, result.total);
}

/** The seed that a dump's (or a JSON Lines seed's) records hold: what a YAML seed has. With
 *  `noItems`, the measures are left without their items: for an import that reads them again
 *  (seedItems), so that a big seed is never held whole. */
export async function seedFromRecords(records: AsyncIterable<DumpRecord>, noItems = false): Promise<Seed> {
  const seed: Seed = { version: 1, report: { title: '', unit: null, date: null }, areas: [], causes: [], measures: [] };
  const areas = new Map<string, Seed['areas'][number]>();
  const measures = new Map<string, Seed['measures'][number]>();
  for await (const r of records) {
    switch (r.kind) {
      case 'report':
        seed.report = { title: r.title, unit: r.unit, date: r.date };
        break;
      case 'area': {
        const area = { id: r.id, name: r.name, problems: [] };
        seed.areas.push(area);
        areas.set(r.id.toLowerCase(), area);
        break;
      }
      case 'problem':
        areas.get(r.area.toLowerCase())!.problems.push({ id: r.id, title: r.title, detail: r.detail });
        break;
      case 'cause':
        seed.causes.push({ id: r.id, title: r.title, detail: r.detail });
        break;
      case 'measure': {
        const measure = { id: r.id, title: r.title, detail: r.detail, items: [] };
        seed.measures.push(measure);
        measures.set(r.id.toLowerCase(), measure);
        break;
      }
      case 'item':
        if (!noItems) measures.get(r.measure.toLowerCase())!.items.push(seedItem(r));
        break;
      default:
        break;
    }
  }
  return seed;
}

const seedItem = (r: DumpItem): SeedItem => ({
  id: r.id, title: r.title, detail: r.detail, addresses: r.addresses, owner: r.owner, department: r.department, due: r.due, term: r.term,
});

/** What tells a file changed: its size, the time of its last change and its inode. */
export interface FileStamp {
  size: number;
  mtimeMs: number;
  ino: number;
}

/** The file's stamp, or null when it cannot be read (reading it will then say why). */
export async function fileStamp(path: string): Promise<FileStamp | null> {
  try {
    const { size, mtimeMs, ino } = await fsp.stat(path);
    return { size, mtimeMs, ino };
  } catch {
    return null;
  }
}

/** The items of a JSON Lines seed, in file order, each with its measure's id: read again,
 *  checked again a line at a time, after it was read whole (readSeed) when it had `stamp`.
 *  Its item ids are not gathered again (repeats were refused by the first reading): a file
 *  whose stamp has changed since, before or after this reading, is refused instead. */
export async function* seedItems(path: string, shownAs: string, stamp: FileStamp | null): AsyncGenerator<{ measure: string; item: SeedItem }> {
  const same = async () => {
    const now = await fileStamp(path);
    if (!stamp || !now || now.size !== stamp.size || now.mtimeMs !== stamp.mtimeMs || now.ino !== stamp.ino) {
      throw new RectifyError('seedfile.changed', { file: cleanInline(shownAs) }, { exit: EXIT.badInput });
    }
  };
  await same();
  for await (const r of seedRecords(path, shownAs, undefined, { itemIds: false })) if (r.kind === 'item') yield { measure: r.measure, item: seedItem(r) };
  await same();
}

/** Longer lines than this are refused rather than gathered (an item's line holds its whole
 *  history: far below this even for an item worked on every day for years). */
const MAX_LINE_BYTES = 64 * 1048576;

/** Bytes read at a time: their text (at most twice as many bytes as UTF-16) stays well below
 *  V8's largest young object (128 KiB), so that it dies young. A chunk of a megabyte was
 *  made straight in the old generation and stayed there until a full collection: the two
 *  readings of a 200,000-item import left some 400 MB of such text behind them. */
const CHUNK_BYTES = 32 * 1024;

type Line = { n: number; text: string } | { n: number; issue: SeedIssue };

/** The lines of a file, read as a stream of bytes, handed out a chunk's worth at a time: the
 *  complete lines of each chunk are decoded as UTF-8 at once (one call for a chunk), and
 *  only a chunk with a bad byte is decoded line by line, to say where the byte is. A CR
 *  before the LF and one BOM at the start of the file are dropped. */
async function* linesOf(path: string, shownAs: string, onBytes?: OnProgress): AsyncGenerator<Line[]> {
  let handle: fsp.FileHandle;
  try {
    handle = await fsp.open(path, 'r');
  } catch (e) {
    throw unreadable(e, shownAs);
  }
  const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
  const { firstBadByte } = await import('../core/seed-text.js');
  let n = 0;
  const tidy = (text: string): string => {
    let t = text;
    if (n === 1 && t.charCodeAt(0) === 0xfeff) t = t.slice(1);
    return t.charCodeAt(t.length - 1) === 0x0d ? t.slice(0, -1) : t;
  };
  const oneLine = (bytes: Uint8Array): Line => {
    n++;
    try {
      return { n, text: tidy(decoder.decode(bytes)) };
    } catch {
      let b = bytes;
      if (n === 1 && b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf) b = b.subarray(3);
      const bad = firstBadByte(b);
      let column = 1;
      for (let i = 0; i < bad; i++) if (((b[i] as number) & 0xc0) !== 0x80) column++;
      const byte = (b[bad] ?? 0).toString(16).toUpperCase().padStart(2, '0');
      return { n, issue: { line: n, column, key: 'seed.utf8', params: { byte } } };
    }
  };
  /** Complete lines (the bytes hold no final line feed). */
  const region = (bytes: Uint8Array): Line[] => {
    let text: string | null;
    try {
      text = decoder.decode(bytes);
    } catch {
      text = null;
    }
    const out: Line[] = [];
    if (text !== null) {
      for (const piece of text.split('\n')) {
        n++;
        out.push({ n, text: tidy(piece) });
      }
      return out;
    }
    let start = 0;
    for (;;) {
      const nl = bytes.indexOf(0x0a, start);
      out.push(oneLine(bytes.subarray(start, nl < 0 ? bytes.length : nl)));
      if (nl < 0) return out;
      start = nl + 1;
    }
  };
  const tooLong = (): Line => {
    n++;
    return { n, issue: { line: n, column: 1, key: 'seed.jsonl.lineTooLong', params: { mb: MAX_LINE_BYTES / 1048576 } } };
  };
  try {
    let parts: Buffer[] = [];
    let pending = 0;
    let skipping = false;
    let read = 0;
    for await (const chunk of handle.createReadStream({ highWaterMark: CHUNK_BYTES, autoClose: false }) as AsyncIterable<Buffer>) {
      read += chunk.length;
      onBytes?.(read);
      const last = chunk.lastIndexOf(0x0a);
      if (last < 0) {
        if (!skipping) {
          parts.push(chunk);
          pending += chunk.length;
          if (pending > MAX_LINE_BYTES) {
            skipping = true;
            parts = [];
            pending = 0;
          }
        }
        continue;
      }
      let from = 0;
      const batch: Line[] = [];
      if (skipping) {
        // The rest of the over-long line ends at the first line feed.
        batch.push(tooLong());
        skipping = false;
        from = chunk.indexOf(0x0a) + 1;
      }
      if (parts.length > 0) {
        // A line begun in earlier chunks ends at this chunk's first line feed.
        const firstNl = chunk.indexOf(0x0a);
        if (pending + firstNl > MAX_LINE_BYTES) {
          batch.push(tooLong());
          if (firstNl < last) for (const l of region(chunk.subarray(firstNl + 1, last))) batch.push(l);
        } else for (const l of region(Buffer.concat([...parts, chunk.subarray(0, last)]))) batch.push(l);
      } else if (from <= last) for (const l of region(chunk.subarray(from, last))) batch.push(l);
      parts = last + 1 < chunk.length ? [chunk.subarray(last + 1)] : [];
      pending = chunk.length - last - 1;
      yield batch;
    }
    if (skipping) yield [tooLong()];
    else if (pending > 0) yield [oneLine(Buffer.concat(parts))];
  } catch (e) {
    if (e instanceof RectifyError) throw e;
    throw unreadable(e, shownAs);
  } finally {
    await handle.close();
  }
}

/**
 * The records of a JSON Lines seed or dump, checked line by line as they are read. Records are
 * handed out only while every line so far is right; the file is read to its end either way,
 * and if anything was wrong the iteration ends by throwing the refusal with every problem
 * found (a store restoring from it then writes nothing).
 */
export async function* seedRecords(
  path: string, shownAs: string, onBytes?: OnProgress, opts?: { itemIds?: boolean },
): AsyncGenerator<DumpRecord> {
  const { JsonlChecker } = await import('../core/jsonl.js');
  const checker = new JsonlChecker(opts);
  for await (const batch of linesOf(path, shownAs, onBytes)) {
    for (const line of batch) {
      if ('issue' in line) {
        checker.issues.add(line.issue);
        continue;
      }
      const record = checker.line(line.text, line.n);
      if (record && checker.ok) yield record;
    }
  }
  checker.finish();
  if (!checker.ok) {
    const { issues, total } = checker.issues.result();
    throw refused(shownAs, issues, total);
  }
}
