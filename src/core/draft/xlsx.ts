// The cells of an Excel workbook, through exceljs: every worksheet as rows of text, numbers
// and dates. Reached only through `await import()`, so that exceljs is loaded only here.
import ExcelJS from 'exceljs';
import type { Cell } from './types.js';

export async function xlsxSheets(bytes: Uint8Array): Promise<{ name: string; rows: Cell[][] }[]> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(Buffer.from(bytes) as unknown as ArrayBuffer);
  return wb.worksheets.map((ws) => {
    const rows: Cell[][] = [];
    for (let r = 1; r <= ws.rowCount; r++) {
      const row: Cell[] = [];
      // A merged cell reads as the value of its range's first cell.
      for (let c = 1; c <= ws.columnCount; c++) row.push(cellOf(ws.getCell(r, c).value));
      rows.push(row);
    }
    return { name: ws.name, rows };
  });
}

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
