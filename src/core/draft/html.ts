// A Word document's paragraphs and tables from the HTML mammoth makes of it, which keeps what
// plain text loses: heading levels, Word's automatic list numbers, and tables cell by cell.
import type { Block } from './blocks.js';
import type { Cell } from './types.js';

/** Word allows 63 columns; a span past that is a hostile file's. */
const MAX_SPAN = 64;

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };

function decode(s: string): string {
  return s.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, e: string) => {
    if (e[0] === '#') return String.fromCodePoint(e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : Number(e.slice(1)));
    return ENTITIES[e.toLowerCase()] ?? whole;
  });
}

/** Markers for Word's automatic numbering, by list depth, so that the outline nests them. */
const LIST_MARKS = [(n: number) => `${n}.`, (n: number) => `（${n}）`, (n: number) => String.fromCharCode(0x2460 + Math.min(n, 20) - 1)];

/** The blocks of mammoth's HTML: headings as Markdown (# …), list items with their numbers,
 *  tables as rows of cells with merged cells (rowspan, colspan) repeated as Excel reads them. */
export function htmlBlocks(html: string): Block[] {
  const out: Block[] = [];
  let buf = '';
  let prefix = '';
  const lists: { ordered: boolean; n: number }[] = [];
  // The lists inside the table's cells, apart from the document's.
  const cellLists: { ordered: boolean; n: number }[] = [];
  // The table being read: rows, the current row and cell, and cells spanning rows below.
  let table: { rows: Cell[][]; row: string[] | null; cell: string[] | null; span: number; rowspan: number; below: Map<number, { text: string; left: number }> } | null = null;
  let depth = 0; // tables inside tables are read as text of their cell
  const flush = () => {
    const text = decode(buf).replace(/\s+/g, ' ').trim();
    // A list item that carries its number in its text keeps only that one.
    const typed = prefix !== '' && !prefix.startsWith('#') && /^(?:[一二三四五六七八九十]+、|[（(]|\d+[.、]|[①-⑳])/.test(text);
    if (table && table.cell) {
      // A cell's list items keep their numbers too (1.… 2.… in a 整改措施 cell).
      if (text !== '') table.cell.push((typed || prefix.startsWith('#') ? '' : prefix) + text);
    } else if (text !== '') {
      out.push({ kind: 'p', text: (typed ? '' : prefix) + text });
    }
    buf = '';
    prefix = '';
  };
  for (const m of html.matchAll(/<(\/?)([a-zA-Z0-9]+)([^>]*)>|([^<]+)/g)) {
    if (m[4] !== undefined) {
      buf += m[4];
      continue;
    }
    const closing = m[1] === '/';
    const tag = (m[2] as string).toLowerCase();
    const attrs = m[3] ?? '';
    if (tag === 'table') {
      if (!closing) {
        depth++;
        if (depth === 1) {
          flush();
          table = { rows: [], row: null, cell: null, span: 1, rowspan: 1, below: new Map() };
        }
      } else {
        depth--;
        if (depth === 0 && table) {
          out.push({ kind: 'table', rows: table.rows });
          table = null;
        }
      }
      continue;
    }
    if (table && depth === 1) {
      if (tag === 'tr' && !closing) {
        table.row = [];
      } else if (tag === 'tr' && closing && table.row) {
        // Cells spanning down from rows above that this row never reached.
        for (const [col, b] of [...table.below].sort((x, y) => x[0] - y[0])) {
          if (col >= table.row.length) {
            while (table.row.length < col) table.row.push('');
            table.row.push(b.text);
            if (--b.left === 0) table.below.delete(col);
          }
        }
        table.rows.push(table.row.map((c) => (c === '' ? null : c)));
        table.row = null;
      } else if ((tag === 'td' || tag === 'th') && !closing && table.row) {
        flush();
        table.cell = [];
        table.span = Math.min(MAX_SPAN, Number(/colspan="(\d+)"/.exec(attrs)?.[1] ?? 1));
        table.rowspan = Math.min(MAX_SPAN * 100, Number(/rowspan="(\d+)"/.exec(attrs)?.[1] ?? 1));
      } else if ((tag === 'td' || tag === 'th') && closing && table.row && table.cell) {
        flush();
        const text = table.cell.join('\n');
        const fill = () => {
          for (let b = table!.below.get(table!.row!.length); b !== undefined; b = table!.below.get(table!.row!.length)) {
            table!.row!.push(b.text);
            if (--b.left === 0) table!.below.delete(table!.row!.length - 1);
          }
        };
        fill();
        for (let k = 0; k < table.span; k++) {
          if (table.rowspan > 1) table.below.set(table.row.length, { text, left: table.rowspan - 1 });
          table.row.push(text);
        }
        table.cell = null;
      } else if (tag === 'ol' || tag === 'ul') {
        flush();
        if (!closing) cellLists.push({ ordered: tag === 'ol', n: 0 });
        else cellLists.pop();
      } else if (tag === 'li') {
        flush();
        const list = cellLists[cellLists.length - 1];
        if (!closing && list) {
          list.n++;
          const mark = LIST_MARKS[Math.min(cellLists.length, LIST_MARKS.length) - 1] as (n: number) => string;
          prefix = list.ordered ? mark(list.n) : '';
        }
      } else if (['p', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'br'].includes(tag)) {
        flush();
      }
      continue;
    }
    if (table) {
      if (['p', 'li', 'br'].includes(tag)) flush();
      continue;
    }
    if (/^h[1-6]$/.test(tag)) {
      flush();
      if (!closing) prefix = '#'.repeat(Number(tag[1])) + ' ';
    } else if (tag === 'ol' || tag === 'ul') {
      flush();
      if (!closing) lists.push({ ordered: tag === 'ol', n: 0 });
      else lists.pop();
    } else if (tag === 'li') {
      flush();
      const list = lists[lists.length - 1];
      if (!closing && list) {
        list.n++;
        const mark = LIST_MARKS[Math.min(lists.length, LIST_MARKS.length) - 1] as (n: number) => string;
        prefix = list.ordered ? mark(list.n) : '';
      }
    } else if (tag === 'p' || tag === 'br') {
      flush();
    }
  }
  flush();
  return out;
}
