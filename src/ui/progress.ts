// A progress bar for long work (init, import, copy, export, report -o): one line on standard
// error, redrawn in place, only when standard error is a terminal. Nothing else ever sees it:
// not a pipe, not a file, not standard output. The output's writers clear it before they
// write anything, and the command's end clears it for good.
import type { Theme } from './theme.js';
import { width } from './text.js';

export interface Progress {
  /** How far the work is, in the unit of its total (bytes read, records, items). */
  update(done: number): void;
  /** Clears the line (the work is over or failed). */
  end(): void;
}

/** What a command hands a reader or writer: an optional callback, never required. */
export type OnProgress = (done: number) => void;

/** The stream's side of a bar: where it is drawn and whether a bar is shown now. */
export interface BarHost {
  stream: NodeJS.WriteStream;
  theme: Theme;
  /** Milliseconds before the first draw (a quick command draws nothing) and between draws. */
  delayMs: number;
  intervalMs: number;
}

const BAR_CELLS = 24;

/** The bars of one output: at most one drawn at a time. `clear()` is called by the writers. */
export class ProgressLine {
  private shown = false;
  private current: Bar | null = null;

  constructor(private readonly host: BarHost) {}

  /** A bar of `total` units; `count: false` shows the percent alone (a bar of steps, whose
   *  units mean nothing to a reader). */
  start(label: string, total: number, opts: { count?: boolean } = {}): Progress {
    this.current?.end();
    const bar = new Bar(this, label, total, Date.now(), opts.count ?? true);
    this.current = bar;
    return bar;
  }

  /** Erases the line if one is drawn (before any other output, and at the end). */
  clear(): void {
    if (!this.shown) return;
    this.shown = false;
    try {
      this.host.stream.write('\r\x1b[2K');
    } catch {
      // A terminal gone away: the command's own writes will say so.
    }
  }

  draw(text: string): void {
    try {
      this.host.stream.write('\r\x1b[2K' + text);
      this.shown = true;
    } catch {
      this.shown = false;
    }
  }

  ended(bar: Bar): void {
    if (this.current === bar) this.current = null;
    this.clear();
  }

  get theme(): Theme {
    return this.host.theme;
  }

  get columns(): number {
    return this.host.stream.columns || 80;
  }

  get delayMs(): number {
    return this.host.delayMs;
  }

  get intervalMs(): number {
    return this.host.intervalMs;
  }
}

class Bar implements Progress {
  private last = -Infinity;
  private over = false;

  constructor(
    private readonly line: ProgressLine, private readonly label: string, private readonly total: number, private readonly began: number,
    private readonly showCount: boolean,
  ) {}

  update(done: number): void {
    if (this.over) return;
    const now = Date.now();
    if (now - this.began < this.line.delayMs || now - this.last < this.line.intervalMs) return;
    this.last = now;
    this.line.draw(this.render(done));
  }

  end(): void {
    if (this.over) return;
    this.over = true;
    this.line.ended(this);
  }

  private render(done: number): string {
    const total = Math.max(0, this.total);
    const part = total > 0 ? Math.min(1, Math.max(0, done / total)) : 0;
    const filled = Math.round(part * BAR_CELLS);
    const theme = this.line.theme;
    const cells = theme.bar('█'.repeat(filled)) + theme.track('░'.repeat(BAR_CELLS - filled));
    const percent = `${String(Math.floor(part * 100)).padStart(3)} %`;
    const count = this.showCount ? `${Math.min(done, total).toLocaleString('en-US')}/${total.toLocaleString('en-US')}` : '';
    // The label gives way first on a narrow terminal: the line must never wrap.
    const room = this.line.columns - 1 - (BAR_CELLS + 2 + percent.length + 1 + count.length + 1);
    let label = this.label;
    while (label && width(label) > room) label = label.slice(0, -1);
    return `${label ? label + ' ' : ''}${cells} ${percent}${count ? ' ' + count : ''}`;
  }
}

/** The first draw's delay and the interval between draws: RECTIFY_TEST_PROGRESS_MS (whole
 *  milliseconds, for tests) sets the delay; draws come at most ten times a second, and at
 *  every update with a delay of 0 (a test's small ledger is done within 100 ms). */
export function progressTiming(env: NodeJS.ProcessEnv): { delayMs: number; intervalMs: number } {
  const raw = env.RECTIFY_TEST_PROGRESS_MS;
  const delay = raw !== undefined && /^\d+$/.test(raw) ? Number(raw) : 500;
  return { delayMs: delay, intervalMs: delay === 0 ? 0 : 100 };
}

/** Wraps an iterable so that each element counted by `weigh` reports through `on`. */
export async function* counted<T>(records: AsyncIterable<T>, on: OnProgress | undefined, weigh: (r: T) => number = () => 1): AsyncGenerator<T> {
  if (!on) {
    yield* records;
    return;
  }
  let n = 0;
  for await (const r of records) {
    n += weigh(r);
    on(n);
    yield r;
  }
}

/** How far one step of a piece of work is, as a fraction of that step (0 to 1). */
export type OnFraction = (fraction: number) => void;

/** One bar over work done in steps one after another, each with its share of the whole (what
 *  it takes of the time, as measured): step k at fraction f shows as the earlier steps' shares
 *  plus f of its own. Percent only. `step(k)` is the callback a reader or renderer is given. */
export class Steps {
  private static readonly UNITS = 1000;
  private readonly starts: number[] = [];
  private readonly sum: number;

  constructor(private readonly bar: Progress, private readonly shares: readonly number[]) {
    this.sum = shares.reduce((a, x) => a + x, 0);
    let at = 0;
    for (const x of shares) {
      this.starts.push(at);
      at += x;
    }
  }

  /** The bar for `label` in `io`'s line, or none (then every step's callback is undefined). */
  static start(progress: ((label: string, total: number, opts?: { count?: boolean }) => Progress) | undefined, label: string, shares: readonly number[]): Steps | undefined {
    return progress ? new Steps(progress(label, Steps.UNITS, { count: false }), shares) : undefined;
  }

  step(k: number): OnFraction {
    return (f) => this.bar.update(Math.round(((this.starts[k]! + this.shares[k]! * Math.min(1, Math.max(0, f))) / this.sum) * Steps.UNITS));
  }

  end(): void {
    this.bar.end();
  }
}
