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

/** A text document drafted: rectify's own Markdown report as the ledger it shows; else as
 *  text, or, where it holds pipe tables, as its blocks when those give more items (a 台账 in
 *  a table). */
export function draftFromMarkdownOrText(text: string, ctx: DraftContext): DraftResult {
  const blocks = markdownBlocks(text);
  // rectify's own Markdown report gives back the ledger it came from.
  const own = blocks === null ? null : ownMarkdownReport(blocks, ctx);
  if (own !== null) return own;
  const asText = draftFromText(text, ctx);
  if (blocks === null) return asText;
  const asBlocks = draftFromBlocks(blocks, ctx);
  return itemCount(asBlocks) > itemCount(asText) ? asBlocks : asText;
}
