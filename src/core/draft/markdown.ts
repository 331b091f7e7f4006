// A Markdown document's tables (GitHub's pipe tables), so that a 整改清单 or 台账 written as
// one is read as the 台账 it is, as a Word table or an Excel sheet is: the lines between its
// tables are paragraphs, each table a block of rows (the header row first; the line of dashes
// under it dropped). `\|` is a bar inside a cell, `<br>` a line break.
import { draftFromBlocks, itemCount, type Block } from './blocks.js';
import { draftFromText } from './document.js';
import { ownMarkdownReport } from './own.js';
import type { DraftContext, DraftResult } from './types.js';

const DELIMITER = /^\s*\|?\s*:?-{3,}:?\s*(?:\|\s*:?-{3,}:?\s*)*\|?\s*$/;

function cells(line: string): string[] {
  const t = line.trim().replace(/^\|/, '').replace(/(?<!\\)\|$/, '');
  return t.split(/(?<!\\)\|/).map((c) => c.replace(/\\\|/g, '|').replace(/<br\s*\/?>/gi, '\n').trim());
}

/** The blocks of a text with at least one pipe table; null when it has none. */
export function markdownBlocks(text: string): Block[] | null {
  const lines = text.split(/\r?\n/);
  const out: Block[] = [];
  let found = false;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as string;
    const next = lines[i + 1];
    if (line.includes('|') && next !== undefined && DELIMITER.test(next) && next.includes('|')) {
      const rows = [cells(line)];
      let j = i + 2;
      for (; j < lines.length && (lines[j] as string).includes('|') && (lines[j] as string).trim() !== ''; j++) rows.push(cells(lines[j] as string));
      out.push({ kind: 'table', rows });
      found = true;
      i = j - 1;
    } else if (line.trim() !== '') {
      out.push({ kind: 'p', text: line.trim() });
    }
  }
  return found ? out : null;
}

/** The blocks of a text with rows separated by tabs, as Excel saves a sheet as text (另存为
 *  Unicode 文本, or a paste): a cell in double quotes may hold tabs, line breaks and "" for a
 *  quote. A line with no tab after its first word is a paragraph. Null when no table of two
 *  rows or more is found. */
export function tabBlocks(text: string): Block[] | null {
  const lines = text.split(/\r?\n/);
  const out: Block[] = [];
  let rows: string[][] = [];
  let found = false;
  const end = () => {
    if (rows.length >= 2) {
      out.push({ kind: 'table', rows });
      found = true;
    } else {
      for (const r of rows) out.push({ kind: 'p', text: r.join(' ').trim() });
    }
    rows = [];
  };
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as string;
    if (!/\S\t/.test(line)) {
      end();
      if (line.trim() !== '') out.push({ kind: 'p', text: line.trim() });
      continue;
    }
    // A row: cells split at tabs; a quoted cell runs on over lines to its closing quote.
    const row: string[] = [];
    let rest = line;
    for (;;) {
      if (rest.startsWith('"')) {
        let cell = '';
        let k = 1;
        for (;;) {
          const q = rest.indexOf('"', k);
          if (q < 0) {
            if (i + 1 >= lines.length) {
              cell += rest.slice(k);
              rest = '';
              break;
            }
            cell += rest.slice(k) + '\n';
            rest = lines[++i] as string;
            k = 0;
            continue;
          }
          if (rest[q + 1] === '"') {
            cell += rest.slice(k, q + 1);
            k = q + 2;
            continue;
          }
          cell += rest.slice(k, q);
          rest = rest.slice(q + 1);
          break;
        }
        row.push(cell.trim());
      } else {
        const t = rest.indexOf('\t');
        row.push((t < 0 ? rest : rest.slice(0, t)).trim());
        rest = t < 0 ? '' : rest.slice(t);
      }
      if (!rest.startsWith('\t')) break;
      rest = rest.slice(1);
    }
    rows.push(row);
  }
  end();
  return found ? out : null;
}

/** A text document drafted: rectify's own Markdown report as the ledger it shows; else as
 *  text, or, where it holds pipe tables or rows separated by tabs, as its blocks when those
 *  give more items (a 台账 in a table, or saved from Excel as text). */
export function draftFromMarkdownOrText(text: string, ctx: DraftContext): DraftResult {
  const blocks = markdownBlocks(text) ?? tabBlocks(text);
  // rectify's own Markdown report gives back the ledger it came from.
  const own = blocks === null ? null : ownMarkdownReport(blocks, ctx);
  if (own !== null) return own;
  const asText = draftFromText(text, ctx);
  if (blocks === null) return asText;
  const asBlocks = draftFromBlocks(blocks, ctx);
  return itemCount(asBlocks) > itemCount(asText) ? asBlocks : asText;
}
