// `rectify overview` on screen: one row per ledger, worst first, and the total. The lights
// are column words (红灯 / red) as well as colours, so they survive NO_COLOR and a printer.
import type { Overview, OverviewRow } from '../core/overview.js';
import { t, type Lang, type MessageKey } from '../i18n/index.js';
import { renderTable, type Column } from './table.js';
import type { Theme } from './theme.js';
import { cleanInline, wrap } from './text.js';

/** The due-soon window in words: "within 7 days", "within 1 day", "today" (7日内, 今日). */
export function dueWindowWords(days: number, lang: Lang): string {
  if (days === 0) return t('views.report.window.today', {}, lang);
  return t(days === 1 ? 'views.report.window.one' : 'views.report.window.other', { n: days }, lang);
}

export function renderOverview(o: Overview, opts: { lang: Lang; theme: Theme; width: number }): string {
  const w = (key: MessageKey, p?: Record<string, string | number>) => t(key, p, opts.lang);
  const columns: Column[] = [
    { header: w('overview.col.unit') },
    { header: w('overview.col.report'), flex: true },
    { header: w('overview.col.items'), align: 'right' },
    { header: w('overview.col.done'), align: 'right' },
    { header: w('overview.col.verified'), align: 'right' },
    { header: w('overview.col.red'), align: 'right' },
    { header: w('overview.col.yellow'), align: 'right' },
    { header: w('overview.col.late'), align: 'right' },
    { header: w('overview.col.extensions'), align: 'right' },
  ];
  const cells = (r: Pick<OverviewRow, 'items' | 'donePercent' | 'verifiedPercent' | 'red' | 'yellow' | 'maxDaysOverdue' | 'extensions'>) => [
    String(r.items), `${r.donePercent}%`, `${r.verifiedPercent}%`, String(r.red), String(r.yellow),
    r.maxDaysOverdue > 0 ? w('overview.days', { n: r.maxDaysOverdue }) : '-', String(r.extensions),
  ];
  // The unit is its own column: a report's title that starts with it shows the rest (年度 …).
  const title = (r: OverviewRow) => (r.unit && r.report.startsWith(r.unit) && r.report.length > r.unit.length ? r.report.slice(r.unit.length) : r.report);
  const rows = o.rows.map((r) => [cleanInline(r.unit ?? w('overview.noUnit')), cleanInline(title(r)), ...cells(r)]);
  rows.push([w('overview.total'), w(o.total.ledgers === 1 ? 'overview.totalLedgers.one' : 'overview.totalLedgers', { n: o.total.ledgers }), ...cells(o.total)]);
  const last = rows.length - 1;
  const lines = renderTable(columns, rows, {
    maxWidth: opts.width,
    header: opts.theme.heading,
    style: (row, col, s) => {
      if (row === last) return opts.theme.heading(s);
      const r = o.rows[row]!;
      if (col === 5 && r.red > 0) return opts.theme.overdue(s);
      if (col === 6 && r.yellow > 0) return opts.theme.warn(s);
      return s;
    },
  });
  return [
    ...wrap(w(o.total.ledgers === 1 ? 'overview.head.one' : 'overview.head', { asOf: o.asOf, window: dueWindowWords(o.days, opts.lang), n: o.total.ledgers }), Math.max(40, opts.width)),
    '',
    ...lines,
    '',
    ...wrap(w('overview.foot', { window: dueWindowWords(o.days, opts.lang) }), Math.max(40, opts.width)).map(opts.theme.dim),
  ].join('\n');
}
