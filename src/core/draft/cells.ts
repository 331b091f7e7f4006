// A spreadsheet cell's value as exceljs gives it (text, number, date, rich text, formula
// result, hyperlink) as the Cell the drafter reads.
import type { Cell } from './types.js';

export function cellOf(v: unknown): Cell {
  if (v === null || v === undefined) return null;
  if (v instanceof Date) {
    // exceljs gives a sheet's date as that day's midnight in UTC.
    const day = Math.round(v.getTime() / 86_400_000);
    return Number.isFinite(day) ? { date: new Date(day * 86_400_000).toISOString().slice(0, 10) } : null;
  }
  if (typeof v === 'number' || typeof v === 'string') return v;
  if (typeof v === 'boolean') return String(v);
  if (typeof v === 'object') {
    const o = v as { richText?: { text: string }[]; result?: unknown; text?: unknown };
    if (Array.isArray(o.richText)) return o.richText.map((r) => r.text).join('');
    if ('result' in o) return cellOf(o.result);
    if (typeof o.text === 'string') return o.text;
  }
  return null;
}
