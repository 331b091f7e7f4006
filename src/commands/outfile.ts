// Writing a command's output to a file the user named (`report -o`), without ever harming
// what is not that file: never the ledger or its companions, never another SQLite database,
// never a device, pipe or link replaced by a regular file.
import fs, { promises as fsp, rmSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { EXIT, RectifyError } from '../errors.js';
import { isServerAddress } from '../store/postgres/address.js';
import { isSqliteFile } from '../store/sqlite/header.js';
import { cleanInline } from '../ui/text.js';

const SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
const COMPANIONS = ['-wal', '-shm', '-journal'];

/** Output made a piece at a time: `produce` hands each piece to `write` as it is made (a report
 *  written as the ledger is read), and resolves when it is all written. */
export type Producer = (write: (text: string) => void) => Promise<void>;

/** Writes `data` to `file`: a regular file (or a new one) through a temporary file renamed
 *  over it, a device or FIFO directly, a symbolic link through to its target. `data` may be
 *  a Producer: its pieces go into the temporary file (or the device) as they come, and the
 *  file is renamed into place only once the last is written and synced.
 *  `ledger` is the ledger's address (a file's is guarded; a server's is not a file). `shown` names the file
 *  in messages. Every refusal is exit 2, and a place one may not write to (EACCES, EPERM,
 *  EROFS); every other failure of the system exit 1, one line; what
 *  a Producer throws (other than a system error) passes through as it is. */
export async function writeOutputFile(file: string, data: string | Uint8Array | Producer, ledger: string | null, shown: string): Promise<void> {
  const target = realTarget(file, shown);
  refuseDatabases(target, ledger !== null && isServerAddress(ledger) ? null : ledger, shown);
  let st: fs.Stats | undefined;
  try {
    st = fs.statSync(target);
  } catch {
    st = undefined;
  }
  try {
    if (st && (st.isCharacterDevice() || st.isFIFO())) {
      await writeDirectly(target, data);
    } else if (st && st.isDirectory()) {
      throw refused('outfile.isDirectory', shown);
    } else if (st && !st.isFile()) {
      throw refused('outfile.notRegular', shown);
    } else {
      await writeAtomically(target, data, st?.mode);
    }
  } catch (e) {
    if (e instanceof RectifyError) throw e;
    if (typeof data === 'function' && !(e instanceof Error && typeof (e as NodeJS.ErrnoException).code === 'string')) throw e;
    const code = (e as NodeJS.ErrnoException).code ?? String(e);
    // A place one may not write to (a folder of another user's, a read-only disk) is the
    // user's to change, as init says of its folder: bad input, with the same hint.
    const denied = code === 'EACCES' || code === 'EPERM' || code === 'EROFS';
    const exit = denied || code === 'ENOENT' || code === 'ENOTDIR' || code === 'EISDIR' ? EXIT.badInput : EXIT.failure;
    throw new RectifyError('views.writeFailed', { file: shown, reason: cleanInline(code) }, { exit, ...(denied ? { hint: 'store.cannotCreateHint' as const } : {}) });
  }
}

function refused(key: 'outfile.isDirectory' | 'outfile.notRegular' | 'outfile.isLedger' | 'outfile.isDatabase' | 'outfile.danglingLink', shown: string): RectifyError {
  return new RectifyError(key, { file: shown }, { exit: EXIT.badInput, hint: 'outfile.hint' });
}

/** The file a write would really reach: symbolic links and `..` resolved; for a file that
 *  does not exist yet, its folder resolved. A link that leads nowhere is refused. */
function realTarget(file: string, shown: string): string {
  try {
    return fs.realpathSync(file);
  } catch {
    /* not there (yet), or a link to nowhere */
  }
  let isLink = false;
  try {
    isLink = fs.lstatSync(file).isSymbolicLink();
  } catch {
    isLink = false;
  }
  if (isLink) throw refused('outfile.danglingLink', shown);
  try {
    return join(fs.realpathSync(dirname(file)), basename(file));
  } catch {
    return file; // its folder is missing: the write itself will say so
  }
}

function sameFile(a: string, b: string): boolean {
  try {
    const x = fs.statSync(a);
    const y = fs.statSync(b);
    return x.dev === y.dev && x.ino === y.ino;
  } catch {
    return false;
  }
}

/** The ledger, its -wal, -shm and -journal (by identity where they exist, by name, ignoring
 *  case, where they do not yet), and any SQLite database or a companion of one. */
function refuseDatabases(target: string, ledger: string | null, shown: string): void {
  if (ledger !== null) {
    let real = ledger;
    try {
      real = fs.realpathSync(ledger);
    } catch {
      /* the ledger's own path then */
    }
    for (const suffix of ['', ...COMPANIONS]) {
      const companion = real + suffix;
      if (sameFile(target, companion) || target.toLowerCase() === companion.toLowerCase()) throw refused('outfile.isLedger', shown);
    }
  }
  if (isSqliteFile(target)) throw refused('outfile.isDatabase', shown);
  for (const suffix of COMPANIONS) {
    if (target.toLowerCase().endsWith(suffix) && isSqliteFile(target.slice(0, -suffix.length))) throw refused('outfile.isDatabase', shown);
  }
}

/** A device or a FIFO is written as it is: a FIFO's reader gets the report, /dev/full says
 *  it is full. */
async function writeDirectly(target: string, data: string | Uint8Array | Producer): Promise<void> {
  const fh = await fsp.open(target, 'w');
  try {
    await writeData(fh, data);
  } finally {
    await fh.close();
  }
}

/** Writes through a temporary file in the same folder, synced, then renamed over the
 *  target: a reader sees the old file or the whole new one, never half a report. A
 *  failure, or Ctrl-C while writing, removes the temporary file. */
async function writeAtomically(file: string, data: string | Uint8Array | Producer, mode: number | undefined): Promise<void> {
  const dir = dirname(file);
  const tmp = join(dir, `.${basename(file)}.${process.pid}.${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}.tmp`);
  // On a signal: remove the temporary file, then die of that signal as we would have.
  const onSignal = (signal: NodeJS.Signals) => {
    rmSync(tmp, { force: true });
    process.kill(process.pid, signal);
  };
  for (const s of SIGNALS) process.once(s, onSignal);
  let fh: fsp.FileHandle | undefined;
  try {
    fh = await fsp.open(tmp, 'wx', mode === undefined ? 0o666 : mode & 0o7777); // wx: never over a file that is there
    await writeData(fh, data);
    await fh.sync();
    await fh.close();
    fh = undefined;
    await fsp.rename(tmp, file);
  } catch (e) {
    await fh?.close().catch(() => {});
    await fsp.rm(tmp, { force: true }).catch(() => {});
    throw e;
  } finally {
    for (const s of SIGNALS) process.off(s, onSignal);
  }
  // Make the rename itself durable; some platforms cannot open a folder, which is fine.
  try {
    const d = await fsp.open(dir, 'r');
    await d.sync().finally(() => d.close());
  } catch {
    /* best effort */
  }
}

/** The data, or each piece a Producer makes, written whole (a write may take only a part). */
async function writeData(fh: fsp.FileHandle, data: string | Uint8Array | Producer): Promise<void> {
  if (typeof data !== 'function') {
    await fh.writeFile(data);
    return;
  }
  await data((text) => {
    const bytes = Buffer.from(text, 'utf8');
    for (let done = 0; done < bytes.length; ) done += fs.writeSync(fh.fd, bytes, done);
  });
}
