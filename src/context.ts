// What a command gets: the ledger, the terminal, the clock, the actor and the language.
import { statSync, type Stats } from 'node:fs';
import { userInfo } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { isIsoDate, localDate } from './core/dates.js';
import type { IsoDate } from './core/types.js';
import { EXIT, RectifyError } from './errors.js';
import type { Lang } from './i18n/index.js';
import type { Store } from './store/types.js';
import { ProgressLine, progressTiming, type Progress } from './ui/progress.js';
import { makeTheme, type Theme } from './ui/theme.js';
import { cleanInline } from './ui/text.js';

export interface Output {
  /** Data: standard output, a line (a newline is added where the text has none). */
  out(text: string): void;
  /** Data: standard output, as it is (a part of a long output written as it is made). */
  write(text: string): void;
  /** Talk: standard error. */
  err(text: string): void;
  theme: Theme;
  /** Standard error's theme: colour decided for that stream on its own. */
  errTheme: Theme;
  /** Columns of the terminal, or 80 when standard output is not one. */
  columns: number;
  stdoutIsTTY: boolean;
  /** A progress bar on standard error for long work: only when standard error is a terminal
   *  and the command prints no JSON (ui/progress.ts); undefined otherwise, and then nothing is
   *  drawn or counted. */
  progress?: (label: string, total: number, opts?: { count?: boolean }) => Progress;
}

export interface Context {
  lang: Lang;
  env: NodeJS.ProcessEnv;
  cwd: string;
  io: Output;
  /** Who acts: --by, else RECTIFY_USER, else the operating-system user. */
  actor: string;
  /** The ledger file this command uses, and whether the user named it (--db, RECTIFY_DB). */
  dbPath: string;
  dbNamed: boolean;
  /** Standard input and output are both terminals: only then may a command prompt. */
  interactive: boolean;
  today(): IsoDate;
  now(): Date;
  /** The open ledger (set by the dispatcher for commands with ledger: 'open'). */
  store: Store;
}

/** The same output, held back until `flush()`: a command that writes prints what it did only
 *  once its transaction has committed, so that a failed commit never follows a success line. */
export function heldOutput(io: Output): { io: Output; flush(): void } {
  const held: { to: 'out' | 'write' | 'err'; text: string }[] = [];
  return {
    io: {
      ...io,
      out: (text) => void held.push({ to: 'out', text }),
      write: (text) => void held.push({ to: 'write', text }),
      err: (text) => void held.push({ to: 'err', text }),
    },
    flush() {
      for (const { to, text } of held.splice(0)) io[to](text);
    },
  };
}

export function resolveActor(flag: string | undefined, env: NodeJS.ProcessEnv): string {
  // A blank --by (`--by "$NAME"` with NAME unset) is as if not given.
  const named = flag?.trim() || (env.RECTIFY_USER ?? '').trim();
  if (named) return named;
  try {
    return userInfo().username || 'unknown';
  } catch {
    return env.USER || env.USERNAME || 'unknown';
  }
}

/** `--db`, else RECTIFY_DB, else the nearest rectify.db walking up, else ./rectify.db.
 *  `init` does not walk up: it creates ./rectify.db whatever a parent folder holds. */
export function resolveDbPath(flag: string | undefined, env: NodeJS.ProcessEnv, cwd: string, walkUp: boolean): { path: string; named: boolean } {
  // A server's address (postgres:// or postgresql://) is taken as it is: never a path.
  const named = flag || env.RECTIFY_DB;
  if (named && /^postgres(ql)?:\/\//i.test(named)) return { path: named, named: true };
  if (named) {
    // `--db dir/` names a folder: never a file called `dir`.
    if (/[\\/]$/.test(named)) throw new RectifyError('store.dbFolder', { path: cleanInline(named) }, { exit: EXIT.badInput });
    return { path: resolve(cwd, named), named: true };
  }
  if (walkUp) {
    for (let dir = cwd; ; dir = dirname(dir)) {
      const candidate = join(dir, 'rectify.db');
      let st: Stats | undefined;
      try {
        st = statSync(candidate);
      } catch {
        st = undefined;
      }
      if (st) {
        // Like git's safe.directory: a ledger found by walking up that belongs to someone
        // else could have been planted there to catch what we write. Named, it is trusted.
        if (typeof process.getuid === 'function' && st.uid !== process.getuid()) {
          throw new RectifyError('store.planted', { path: cleanInline(candidate) }, { exit: EXIT.notAllowed, hint: 'store.plantedHint' });
        }
        return { path: candidate, named: false };
      }
      if (dirname(dir) === dir) break;
    }
  }
  return { path: join(cwd, 'rectify.db'), named: false };
}

/** RECTIFY_TODAY (YYYY-MM-DD) when set, so that reports and tests are reproducible. */
export function resolveToday(env: NodeJS.ProcessEnv, now: () => Date): () => IsoDate {
  const fixed = env.RECTIFY_TODAY;
  if (fixed !== undefined && fixed !== '') {
    if (!isIsoDate(fixed)) {
      throw new RectifyError('error.badToday', { value: fixed }, { exit: EXIT.badInput });
    }
    return () => fixed;
  }
  return () => localDate(now());
}

/** Writing to standard output or error failed (a full disk, a closed descriptor): not a bug
 *  of ours, and for a command that wrote, not a reason to think the change was lost. */
export class OutputError extends Error {
  constructor(readonly code: string) {
    super(`output could not be written: ${code}`);
  }
}

function writer(stream: NodeJS.WriteStream, lines = true, before?: () => void): (text: string) => void {
  return (text) => {
    before?.();
    try {
      stream.write(!lines || text.endsWith('\n') ? text : text + '\n');
    } catch (e) {
      throw new OutputError((e as NodeJS.ErrnoException).code ?? String(e));
    }
  };
}

/** The output of a run. `env` given and standard error a terminal: long work may draw a
 *  progress bar there (`progress`), which every write clears first; `endProgress()` clears it
 *  at the end of the run. */
export function makeOutput(
  colorOut: boolean, colorErr: boolean, stdout: NodeJS.WriteStream, stderr: NodeJS.WriteStream, env?: NodeJS.ProcessEnv,
): Output & { endProgress(): void } {
  const errTheme = makeTheme(colorErr);
  const line = env && stderr.isTTY && env.TERM !== 'dumb' ? new ProgressLine({ stream: stderr, theme: errTheme, ...progressTiming(env) }) : null;
  const clear = line ? () => line.clear() : undefined;
  return {
    out: writer(stdout, true, clear),
    write: writer(stdout, false, clear),
    err: writer(stderr, true, clear),
    theme: makeTheme(colorOut),
    errTheme,
    columns: stdout.isTTY && stdout.columns ? stdout.columns : 80,
    stdoutIsTTY: Boolean(stdout.isTTY),
    ...(line ? { progress: (label: string, total: number, opts?: { count?: boolean }) => line.start(label, total, opts) } : {}),
    endProgress: () => line?.clear(),
  };
}
