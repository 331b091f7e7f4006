// A Word document drafted: its paragraphs as a report's text, and any table that is a 台账
// (a header row naming the problem and measure columns) as a sheet. Whichever yields more
// items is the draft; a table that is no 台账 is read as text, cell by cell.
import { draftFromText, reportTitleLine, type TextOptions } from './document.js';
import { draftFromTable } from './table.js';
import type { Cell, DraftContext, DraftResult } from './types.js';

export type Block = { kind: 'p'; text: string } | { kind: 'table'; rows: Cell[][] };

function itemCount(r: DraftResult): number {
  return r.ok ? r.draft.seed.measures.reduce((n, m) => n + m.items.length, 0) : -1;
}

export function draftFromBlocks(blocks: Block[], ctx: DraftContext, opts: TextOptions = {}): DraftResult {
  const paras = blocks.flatMap((b) => (b.kind === 'p' ? [b.text] : []));
  const title = reportTitleLine(paras.map((p) => p.replace(/^#+\s+/, '')));
  const tables = blocks.map((b) => (b.kind === 'table' ? draftFromTable(b.rows, ctx, null, title) : null));
  const lines: string[] = [];
  blocks.forEach((b, i) => {
    if (b.kind === 'p') lines.push(b.text);
    else if (!tables[i]?.ok) {
      // Each row's cells, a merged cell once.
      for (const row of b.rows) {
        const seen = new Set<string>();
        for (const c of row) {
          const s = c === null ? '' : typeof c === 'object' ? c.date : String(c);
          if (s !== '' && !seen.has(s)) {
            seen.add(s);
            lines.push(...s.split('\n'));
          }
        }
      }
    }
  });
  const text = draftFromText(lines.join('\n'), ctx, opts);
  const best = tables.reduce<DraftResult | null>((a, r) => (r !== null && itemCount(r) > itemCount(a ?? text) ? r : a), null);
  return best ?? text;
}
