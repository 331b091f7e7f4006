// `overview -o FILE.xlsx`: the overview as an Excel sheet (督办汇总表), one row per ledger, worst
// first, then the total; numbers as numbers, shares as percentages. Reached only through
// import(), so that exceljs is loaded by this form alone.
import ExcelJS from 'exceljs';
import type { Overview } from '../core/overview.js';
import { t, type Lang, type MessageKey } from '../i18n/index.js';
import { dueWindowWords } from './overview.js';

export async function renderOverviewXlsx(o: Overview, lang: Lang): Promise<Uint8Array> {
  const w = (key: MessageKey, p?: Record<string, string | number>) => t(key, p, lang);
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet(w('overview.sheet'));
  ws.addRow([w(o.total.ledgers === 1 ? 'overview.head.one' : 'overview.head', { asOf: o.asOf, window: dueWindowWords(o.days, lang), n: o.total.ledgers })]);
  const head = ws.addRow([
    w('overview.col.unit'), w('overview.col.report'), w('overview.col.items'), w('overview.col.done'), w('overview.col.verified'),
    w('overview.col.red'), w('overview.col.yellow'), w('overview.col.late'), w('overview.col.extensions'), w('overview.col.address'),
  ]);
  head.font = { bold: true };
  const pct = (n: number) => n / 100;
  for (const r of o.rows) {
    ws.addRow([r.unit ?? '', r.report, r.items, pct(r.donePercent), pct(r.verifiedPercent), r.red, r.yellow, r.maxDaysOverdue, r.extensions, r.address]);
  }
  const total = ws.addRow([w('overview.total'), w(o.total.ledgers === 1 ? 'overview.totalLedgers.one' : 'overview.totalLedgers', { n: o.total.ledgers }), o.total.items, pct(o.total.donePercent),
    pct(o.total.verifiedPercent), o.total.red, o.total.yellow, o.total.maxDaysOverdue, o.total.extensions, '']);
  total.font = { bold: true };
  ws.getColumn(4).numFmt = '0%';
  ws.getColumn(5).numFmt = '0%';
  ws.getColumn(1).width = 22;
  ws.getColumn(2).width = 40;
  ws.getColumn(10).width = 40;
  ws.views = [{ state: 'frozen', ySplit: 2 }];
  return new Uint8Array(await wb.xlsx.writeBuffer());
}
