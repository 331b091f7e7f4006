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
  const widths = columns.map((c, i) => Math.max(width(c.header), widest(rows.map((r) => r[i] ?? ''))));
  const gap = 2;
  const flexIdx = columns.findIndex((c) => c.flex);
  if (opts.maxWidth && flexIdx >= 0) {
    const total = widths.reduce((a, b) => a + b, 0) + gap * (columns.length - 1);
    if (total > opts.maxWidth) {
      const others = total - widths[flexIdx]!;
      widths[flexIdx] = Math.max(width(columns[flexIdx]!.header), 10, opts.maxWidth - others);
    }
  }
  const line = (cells: string[], rowIdx: number): string =>
    cells
      .map((cell, i) => {
        const w = widths[i]!;
        const fitted = width(cell) > w ? truncate(cell, w) : cell;
        const last = i === cells.length - 1;
        const padded = columns[i]!.align === 'right' ? padStart(fitted, w) : last ? fitted : padEnd(fitted, w);
        return rowIdx >= 0 && opts.style ? opts.style(rowIdx, i, padded) : padded;
      })
      .join(' '.repeat(gap))
      .trimEnd();
  const head = line(columns.map((c) => c.header), -1);
  return [opts.header ? opts.header(head) : head, ...rows.map((r, i) => line(r, i))];
}
