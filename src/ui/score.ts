// The assessment (量化考核) as a table, on screen and in the 通报 section of the reports.
import type { ScoreBy, ScoreRow } from '../core/score.js';
import { scoreTotal } from '../core/score.js';
import { t } from '../i18n/index.js';
import { renderTable, type Column } from './table.js';
import { cleanInline, wrap } from './text.js';

/** The table's lines: one row per department (owner), then the total. */
export function scoreLines(rows: readonly ScoreRow[], by: ScoreBy, opts: { maxWidth?: number; heading?: (s: string) => string } = {}): string[] {
  const columns: Column[] = [
    { header: t(`score.col.${by}`), flex: true },
    ...(['items', 'done', 'onTime', 'overdue', 'daysOverdue', 'extensions', 'rate'] as const)
      .map((k): Column => ({ header: t(`score.col.${k}`), align: 'right' })),
  ];
  const cells = (r: ScoreRow, name: string) => [
    name, String(r.items), String(r.done), String(r.onTime), String(r.overdue), String(r.daysOverdue), String(r.extensions),
    r.onTimeRate === null ? t('score.noRate') : `${r.onTimeRate}%`,
  ];
  const body = rows.map((r) => cells(r, r.name === null ? t('score.none') : cleanInline(r.name)));
  body.push(cells(scoreTotal(rows), t('score.total')));
  return renderTable(columns, body, { ...(opts.maxWidth ? { maxWidth: opts.maxWidth } : {}), ...(opts.heading ? { header: opts.heading } : {}) });
}

/** The screen: a title, the table, and how the rate is counted. */
export function renderScore(rows: readonly ScoreRow[], by: ScoreBy, asOf: string, opts: { heading: (s: string) => string; maxWidth: number }): string {
  return [
    opts.heading(t('score.title', { by: t(`score.by.${by}`), date: asOf })),
    '',
    ...scoreLines(rows, by, opts),
    '',
    ...wrap(t('score.note'), Math.max(40, opts.maxWidth)),
  ].join('\n');
}

/** The 通报 section that ends a text or Markdown report (`report --score`): the table at 80
 *  columns, without colour; in Markdown an indented block, as the report's other tables. */
export function scoreSection(rows: readonly ScoreRow[], by: ScoreBy, asOf: string, format: 'text' | 'md'): string {
  const head = t('score.section', { date: asOf });
  const lines = [...scoreLines(rows, by, { maxWidth: 80 }), '', ...wrap(t('score.note'), 80)];
  if (format === 'md') return ['', `## ${head}`, '', ...lines.map((l) => (l === '' ? l : `    ${l}`)), ''].join('\n');
  return ['', head, '', ...lines, ''].join('\n');
}
