// Tables aligned by display width: a Chinese character takes two columns.
import { padEnd, padStart, truncate, widest, width } from './text.js';

export interface Column {
  header: string;
  align?: 'left' | 'right';
  /** The one column that gives up room when the table is wider than the terminal. */
  flex?: boolean;
}

/** Rows of plain cells (already escaped); `style` colours a cell after it is padded,
 *  so colour codes never count toward width. */
export function renderTable(
  columns: Column[],
  rows: string[][],
  opts: { maxWidth?: number; style?: (row: number, col: number, padded: string) => string; header?: (s: string) => string } = {},
): string[] {
  const widths = fitWidths(columns, measureRows(headerWidths(columns), rows), opts.maxWidth);
  const head = tableLine(columns, widths, columns.map((c) => c.header));
  return [opts.header ? opts.header(head) : head, ...rows.map((r, i) => tableLine(columns, widths, r, opts.style && ((col, s) => opts.style!(i, col, s))))];
}

// A table too long to hold is laid out in two passes over its rows: the first measures them
// (headerWidths, then measureRows page by page), the second writes each line (tableLine).

/** The columns' widths before any row: their headers'. */
export function headerWidths(columns: Column[]): number[] {
  return columns.map((c) => width(c.header));
}

/** Widens `widths` (in place, and returns it) to fit these rows. */
export function measureRows(widths: number[], rows: string[][]): number[] {
  for (let i = 0; i < widths.length; i++) widths[i] = Math.max(widths[i]!, widest(rows.map((r) => r[i] ?? '')));
  return widths;
}

const GAP = 2;

/** The widths as laid out: the flex column gives up room when the table is wider than maxWidth. */
export function fitWidths(columns: Column[], measured: number[], maxWidth?: number): number[] {
  const widths = [...measured];
  const flexIdx = columns.findIndex((c) => c.flex);
  if (maxWidth && flexIdx >= 0) {
    const total = widths.reduce((a, b) => a + b, 0) + GAP * (columns.length - 1);
    if (total > maxWidth) {
      const others = total - widths[flexIdx]!;
      widths[flexIdx] = Math.max(width(columns[flexIdx]!.header), 10, maxWidth - others);
    }
  }
  return widths;
}

/** One line of the table: cells cut and padded to the widths, the last one not padded;
 *  `style` colours a padded cell (a row's, never the header's). */
export function tableLine(columns: Column[], widths: number[], cells: string[], style?: (col: number, padded: string) => string): string {
  return cells
    .map((cell, i) => {
      const w = widths[i]!;
      const fitted = width(cell) > w ? truncate(cell, w) : cell;
      const last = i === cells.length - 1;
      const padded = columns[i]!.align === 'right' ? padStart(fitted, w) : last ? fitted : padEnd(fitted, w);
      return style ? style(i, padded) : padded;
    })
    .join(' '.repeat(GAP))
    .trimEnd();
}
