// `remind -o DIR`: the Word 督办通知单 of one recipient, laid out as the office's documents are
// (report-docx.ts: A4, GB/T 9704 margins, 方正小标宋 title, 仿宋 body, 黑体 table heads): the
// title in red, the number and date, the addressee, the items in a ruled table, what is asked,
// the receipt line and the sender. Reached only through await import(): docx loads with it.
import {
  AlignmentType, BorderStyle, Document, Packer, Paragraph, Table, TableCell, TableLayoutType, TableRow, TextRun, VerticalAlign, WidthType,
} from 'docx';
import { addDays } from '../core/dates.js';
import type { Notice } from '../core/remind.js';
import type { ReportInfo } from '../core/types.js';
import { t, type Lang } from '../i18n/index.js';
import { PAGE } from './report-docx.js';
import { itemState, lead, recipientLabel } from './remind.js';
import { cleanInline } from './text.js';
import { fixZipTimes } from './office-zip.js';

export async function renderNoticeDocx(n: Notice, report: ReportInfo, lang: Lang): Promise<Uint8Array> {
  const zh = lang === 'zh';
  const fonts = zh
    ? { title: '方正小标宋简体', body: '仿宋_GB2312', head: '黑体', latin: 'Times New Roman' } // i18n-ok: typeface names
    : { title: 'Times New Roman', body: 'Times New Roman', head: 'Arial', latin: 'Times New Roman' }; // i18n-ok: typeface names
  const run = (text: string, o: { font?: string; size?: number; bold?: boolean; color?: string } = {}) =>
    new TextRun({
      text, bold: o.bold ?? false, size: o.size ?? 32, ...(o.color ? { color: o.color } : {}),
      font: { eastAsia: o.font ?? fonts.body, ascii: fonts.latin, hAnsi: fonts.latin },
    });
  const para = (children: TextRun[], o: { align?: (typeof AlignmentType)[keyof typeof AlignmentType]; indent?: boolean; after?: number } = {}) =>
    new Paragraph({
      children, alignment: o.align ?? AlignmentType.JUSTIFIED,
      spacing: { line: 560, lineRule: 'exact', after: o.after ?? 0 },
      ...(o.indent ? { indent: { firstLine: 640 } } : {}),
    });
  const border = { style: BorderStyle.SINGLE, size: 4, color: '000000' };
  const borders = { top: border, bottom: border, left: border, right: border };
  const cell = (text: string, head: boolean, width: number, color?: string) => new TableCell({
    borders, verticalAlign: VerticalAlign.CENTER, width: { size: width, type: WidthType.DXA },
    children: [new Paragraph({
      alignment: head ? AlignmentType.CENTER : AlignmentType.LEFT,
      children: [run(text, { font: head ? fonts.head : fonts.body, size: 24, ...(color ? { color, bold: true } : {}) })],
    })],
  });
  // Widths in twips, fixed (a table sized by percentages left LibreOffice to break a date
  // after its hyphen and 序号 between its two characters): at 12 points a Chinese character
  // takes 240, a date of Times New Roman about 1120, an id like M12.10 about 760, and a cell
  // its margins, 2 × 108; an English light in bold capitals (YELLOW) about 1080. The item's
  // title takes what is left of the text block.
  const total = PAGE.width - PAGE.left - PAGE.right;
  const fixed = { num: 760, id: 1050, due: 1450, light: zh ? 900 : 1320, state: 1700 };
  const widths = [fixed.num, fixed.id, total - fixed.num - fixed.id - fixed.due - fixed.light - fixed.state, fixed.due, fixed.light, fixed.state];
  const header = new TableRow({
    tableHeader: true,
    children: (['num', 'id', 'title', 'due', 'light', 'state'] as const).map((c, k) => cell(t(`notice.col.${c}`), true, widths[k]!)),
  });
  const rows = n.items.map((i, k) => new TableRow({
    cantSplit: true,
    children: [
      cell(String(k + 1), false, widths[0]!), cell(cleanInline(i.id), false, widths[1]!), cell(cleanInline(i.title), false, widths[2]!),
      cell(i.due, false, widths[3]!), cell(t(`supervise.light.${i.light}`), false, widths[4]!, i.light === 'red' ? 'C00000' : 'B8860B'),
      cell(itemState(i), false, widths[5]!),
    ],
  }));
  const from = report.unit ? cleanInline(report.unit) : cleanInline(report.title);
  const doc = new Document({
    creator: 'rectify', title: `${t('notice.title')} ${cleanInline(n.recipient)}`,
    styles: { default: { document: { run: { font: { eastAsia: fonts.body, ascii: fonts.latin, hAnsi: fonts.latin }, size: 32 } } } },
    sections: [{
      properties: { page: { size: { width: PAGE.width, height: PAGE.height }, margin: { top: PAGE.top, bottom: PAGE.bottom, left: PAGE.left, right: PAGE.right } } },
      children: [
        para([run(t('notice.title'), { font: fonts.title, size: 44, color: 'C00000' })], { align: AlignmentType.CENTER, after: 200 }),
        para([run(t('notice.docxNumber', { number: n.asOf.slice(0, 4) + '-' + n.asOf.slice(5).replace('-', '') }))], { align: AlignmentType.CENTER, after: 200 }),
        para([run(t('notice.docxTo', { to: recipientLabel(n) }))]),
        para([run(lead(n))], { indent: true, after: 120 }),
        new Table({ rows: [header, ...rows], width: { size: total, type: WidthType.DXA }, columnWidths: widths, layout: TableLayoutType.FIXED }),
        para([run(t('notice.ask'))], { indent: true }),
        para([run(t('notice.receipt', { date: addDays(n.asOf, 3) }))], { indent: true }),
        para([run(from)], { align: AlignmentType.RIGHT }),
        para([run(t('notice.docxDate', { date: n.asOf }))], { align: AlignmentType.RIGHT }),
      ],
    }],
  });
  return fixZipTimes(new Uint8Array(await Packer.toBuffer(doc)), n.asOf);
}
