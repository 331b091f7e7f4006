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
  // Printed as the 台账 is (report-xlsx.ts): A4 landscape one page wide (ten columns do not fit
  // a portrait page: LibreOffice put the last six on a second sheet of paper), the header row
  // on every page, the page numbers in the footer.
  const ws = wb.addWorksheet(w('overview.sheet'), {
    pageSetup: {
      paperSize: 9, orientation: 'landscape', fitToPage: true, fitToWidth: 1, fitToHeight: 0,
      margins: { left: 0.5, right: 0.5, top: 0.55, bottom: 0.6, header: 0.3, footer: 0.3 },
      printTitlesRow: '2:2',
    },
    headerFooter: { oddFooter: w('office.footer'), evenFooter: w('office.footer') },
  });
  ws.addRow([w(o.total.ledgers === 1 ? 'overview.head.one' : 'overview.head', { asOf: o.asOf, window: dueWindowWords(o.days, lang), n: o.total.ledgers })]);
  const head = ws.addRow([
    w('overview.col.unit'), w('overview.col.report'), w('overview.col.items'), w('overview.col.done'), w('overview.col.verified'),
    w('overview.col.red'), w('overview.col.yellow'), w('overview.col.late'), w('overview.col.extensions'), w('overview.col.address'),
  ]);
  head.font = { bold: true };
  // The figures' heads stand over their figures, which a sheet sets flush right.
  for (let c = 3; c <= 9; c++) head.getCell(c).alignment = { horizontal: 'right' };
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
  ws.getColumn(10).alignment = { indent: 1 }; // not flush against the figure before it
  ws.views = [{ state: 'frozen', ySplit: 2 }];
  return new Uint8Array(await wb.xlsx.writeBuffer());
}
