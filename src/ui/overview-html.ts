// `overview -o FILE.html`: the supervising body's view across ledgers as the meeting's page
// (ui/html.ts): the totals, each unit as a bar split into signed off, done and its unfinished
// items by light (worst first, as on screen), and the table the screen and the Excel sheet
// show. Everything from the ledgers goes through esc().
import type { Overview, OverviewRow } from '../core/overview.js';
import { t, type Lang, type MessageKey, type Params } from '../i18n/index.js';
import { HTML_BAR_LIMIT } from './report-html.js';
import { dueWindowWords } from './overview.js';
import { PARTS, barChart, esc, legend, page, type Part } from './html.js';

export function renderOverviewHtml(o: Overview, lang: Lang): string {
  const w = (key: MessageKey, p?: Params) => t(key, p, lang);
  const title = w(o.total.ledgers === 1 ? 'html.overview.title.one' : 'html.overview.title', { n: o.total.ledgers });
  const parts: string[] = [];
  parts.push(`<header><h1>${esc(title)}</h1><p class="sub">${esc(w(o.total.ledgers === 1 ? 'overview.head.one' : 'overview.head', { asOf: o.asOf, window: dueWindowWords(o.days, lang), n: o.total.ledgers }))}</p></header>`);

  const T = o.total;
  const green = (r: Pick<OverviewRow, 'open' | 'inProgress' | 'red' | 'yellow'>) => Math.max(0, r.open + r.inProgress - r.red - r.yellow);
  const card = (cls: string, value: string, key: string) => `<div class="card ${cls}"><div class="n">${esc(value)}</div><div class="k">${esc(key)}</div></div>`;
  parts.push('<section class="headline"><div class="cards">');
  parts.push(card('', String(T.items), w('html.card.items')));
  parts.push(card('done', `${T.donePercent}%`, w('html.card.complete')));
  parts.push(card('red', String(T.red), w('html.card.red')));
  parts.push(card('yellow', String(T.yellow), o.days <= 0 ? w('html.card.yellowToday') : w('html.card.yellow', { window: dueWindowWords(o.days, lang) })));
  parts.push(card('green', String(green(T)), w('html.card.green')));
  parts.push(card('', String(T.extensions), w('overview.col.extensions')));
  parts.push('</div></section>');

  // A bar is named by its unit (the report's title where there is none); a unit with several
  // ledgers here adds where each is, as the table's last column says it.
  const units = new Map<string, number>();
  for (const r of o.rows) units.set(r.unit ?? r.report, (units.get(r.unit ?? r.report) ?? 0) + 1);
  const name = (r: OverviewRow) => {
    const base = r.unit ?? r.report;
    return (units.get(base) ?? 0) > 1 ? `${base} · ${r.address.split(/[\\/]/).pop()}` : base;
  };
  const names = Object.fromEntries(PARTS.map((p) => [p, w(`html.part.${p}`)])) as Record<Part, string>;
  const shown = o.rows.slice(0, HTML_BAR_LIMIT);
  parts.push(`<section class="chart-section"><h2>${esc(w('html.overview.s.chart'))}</h2>`);
  parts.push(legend(names));
  parts.push(`<figure>${barChart(shown.map((r) => {
    const split = { items: r.items, verified: r.verified, done: r.done, green: green(r), yellow: r.yellow, red: r.red };
    const label = name(r);
    return {
      label, split, end: w('html.barEnd', { percent: r.donePercent }),
      tip: w(r.items === 1 ? 'html.barTip.one' : 'html.barTip', { label: `${label} ${r.report}`, items: r.items, percent: r.donePercent, verified: r.verified, done: r.done, green: split.green, yellow: r.yellow, red: r.red }),
    };
  }))}</figure>`);
  if (o.rows.length > shown.length) parts.push(`<p class="note">${esc(w('html.overview.moreBars', { n: o.rows.length - shown.length }))}</p>`);
  parts.push('</section>');

  const heads: [MessageKey, boolean][] = [
    ['overview.col.unit', false], ['overview.col.report', false], ['overview.col.items', true], ['overview.col.done', true], ['overview.col.verified', true],
    ['overview.col.red', true], ['overview.col.yellow', true], ['overview.col.late', true], ['overview.col.extensions', true], ['overview.col.address', false],
  ];
  const cells = (r: Pick<OverviewRow, 'items' | 'donePercent' | 'verifiedPercent' | 'red' | 'yellow' | 'maxDaysOverdue' | 'extensions'>) => [
    String(r.items), `${r.donePercent}%`, `${r.verifiedPercent}%`, String(r.red), String(r.yellow),
    r.maxDaysOverdue > 0 ? w('overview.days', { n: r.maxDaysOverdue }) : '-', String(r.extensions),
  ].map((c, k) => `<td class="num${k === 3 && r.red > 0 ? ' late' : ''}">${esc(c)}</td>`).join('');
  const rows = o.rows.map((r) => `<tr><td>${esc(r.unit ?? w('overview.noUnit'))}</td><td>${esc(r.report)}</td>${cells(r)}<td>${esc(r.address)}</td></tr>`);
  parts.push(`<section class="ledgers"><h2>${esc(w('html.overview.s.table'))}</h2><table><thead><tr>`
    + heads.map(([k, num]) => `<th${num ? ' class="num"' : ''}>${esc(w(k))}</th>`).join('')
    + `</tr></thead><tbody>${rows.join('')}<tr class="total"><th>${esc(w('overview.total'))}</th><th>${esc(w(o.total.ledgers === 1 ? 'overview.totalLedgers.one' : 'overview.totalLedgers', { n: T.ledgers }))}</th>${cells(T)}<td></td></tr></tbody></table>`);
  parts.push(`<p class="note">${esc(w('overview.foot', { window: dueWindowWords(o.days, lang) }))}</p></section>`);
  parts.push(`<footer>${esc(w('html.footer', { date: o.asOf }))}</footer>`);
  return page(lang, title, parts.join('\n'));
}
