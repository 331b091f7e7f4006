// `report --format html`: the meeting's page. One self-contained file (ui/html.ts) for the
// projector and for sending: the headline figures, the lights, the items of each measure and
// department by status and light, the work done week by week, what is overdue and due soon,
// and the recent changes. Everything that comes from the ledger goes through esc().
import { splitAll, splitByDepartment, splitByMeasure, weeklyProgress, type SplitRow } from '../core/meeting.js';
import { percent, type ReportItem, type ReportModel } from '../core/summary.js';
import type { HistoryEntry, IsoDate } from '../core/types.js';
import { t, type Lang, type MessageKey, type Params } from '../i18n/index.js';
import { PART_COLOUR, PARTS, barChart, esc, legend, lineChart, page, type BarRow, type Part } from './html.js';
import { describeGroup, groupChanges, words } from './status.js';
import { dueWindowWords } from './overview.js';

/** Rows of each list and bars of each chart shown before "… and N more": the page is for a
 *  meeting; the Excel ledger holds everything. */
export const HTML_LIST_LIMIT = 100;
export const HTML_BAR_LIMIT = 40;
const RECENT_LIMIT = 20;

export interface HtmlReportExtra {
  /** What still stands of the history, any order, the seed's included: the weekly figures. */
  history: readonly Pick<HistoryEntry, 'item' | 'at' | 'seq' | 'status'>[];
  /** The changes made through commands in the window (from … to, both days included). */
  recent: { from: IsoDate; to: IsoDate; changes: readonly HistoryEntry[] };
}

export function renderReportHtml(m: ReportModel, lang: Lang, extra: HtmlReportExtra): string {
  const w = (key: MessageKey, p?: Params) => t(key, p, lang);
  const ww = words(lang);
  const h = m.headline;
  const all = splitAll(m);
  const title = w('views.report.title', { title: m.report.title });
  const parts: string[] = [];

  // The head: what, whose, as of when.
  parts.push('<header>');
  parts.push(`<h1>${esc(title)}</h1>`);
  parts.push(`<p class="sub">${esc(m.report.unit ? w('html.unitAsOf', { unit: m.report.unit, date: m.asOf }) : w('html.asOf', { date: m.asOf }))}</p>`);
  parts.push('</header>');

  // The figures a meeting asks for first.
  const card = (cls: string, value: string, key: string, sub?: string) =>
    `<div class="card ${cls}"><div class="n">${esc(value)}</div><div class="k">${esc(key)}</div>${sub ? `<div class="k">${esc(sub)}</div>` : ''}</div>`;
  parts.push('<section class="headline"><div class="cards">');
  parts.push(card('', String(h.total), w('html.card.items')));
  parts.push(card('done', `${h.percentDone}%`, w('html.card.complete'), w('html.card.completeSub', { done: h.done + h.verified, verified: h.verified })));
  parts.push(card('', `${h.percentRectified}%`, w('html.card.problems'), w('html.card.problemsSub', { rectified: h.rectified, total: h.problems })));
  parts.push(card('red', String(all.red), w('html.card.red')));
  parts.push(card('yellow', String(all.yellow), m.days <= 0 ? w('html.card.yellowToday') : w('html.card.yellow', { window: dueWindowWords(m.days, lang) })));
  parts.push(card('green', String(all.green), w('html.card.green')));
  parts.push('</div></section>');

  // The lights, and the whole ledger as one bar.
  const names = Object.fromEntries(PARTS.map((p) => [p, w(`html.part.${p}`)])) as Record<Part, string>;
  const row = (label: string, s: SplitRow | (typeof all & { label?: string })): BarRow => {
    const pc = percent(s.verified + s.done, s.items);
    return {
      label,
      split: s,
      end: w('html.barEnd', { percent: pc }),
      tip: w(s.items === 1 ? 'html.barTip.one' : 'html.barTip', { label, items: s.items, percent: pc, verified: s.verified, done: s.done, green: s.green, yellow: s.yellow, red: s.red }),
    };
  };
  parts.push(`<section class="chart-section lights"><h2>${esc(w('html.s.lights'))}</h2>`);
  parts.push(legend(names));
  parts.push(`<figure>${barChart([row(w('html.card.items'), all)], { labelCols: 20 })}</figure>`);
  parts.push(`<p class="note">${esc(w('html.lights.note', { window: dueWindowWords(m.days, lang) }))}</p>`);
  parts.push('</section>');

  // Per measure and per department.
  const chart = (key: MessageKey, rows: SplitRow[], label: (r: SplitRow) => string) => {
    const shown = rows.slice(0, HTML_BAR_LIMIT);
    parts.push(`<section class="chart-section"><h2>${esc(w(key))}</h2>`);
    parts.push(legend(names));
    parts.push(`<figure>${barChart(shown.map((r) => row(label(r), r)))}</figure>`);
    if (rows.length > shown.length) parts.push(`<p class="note">${esc(w('html.moreBars', { n: rows.length - shown.length }))}</p>`);
    parts.push('</section>');
  };
  chart('html.s.measures', splitByMeasure(m), (r) => `${r.id ?? ''} ${r.label ?? ''}`.trim());
  chart('html.s.departments', splitByDepartment(m), (r) => r.label ?? w('html.noDepartment'));

  // Week by week, from the history.
  const items = m.measures.flatMap((x) => x.items);
  const weeks = weeklyProgress(items, extra.history, m.asOf);
  if (weeks.length > 0) {
    const label = (day: IsoDate) => w('html.timeline.week', { month: Number(day.slice(5, 7)), day: Number(day.slice(8, 10)) });
    const series = [
      { name: w('html.timeline.items'), colour: '#8a94a3', values: weeks.map((p) => p.items), dashed: true },
      { name: w('html.timeline.finished'), colour: PART_COLOUR.done, values: weeks.map((p) => p.finished) },
      { name: w('html.timeline.verified'), colour: PART_COLOUR.verified, values: weeks.map((p) => p.verified) },
    ];
    parts.push(`<section class="chart-section timeline"><h2>${esc(w('html.s.timeline'))}</h2>`);
    parts.push(`<div class="legend">${series.map((s) => `<span><i class="sw" style="background:${s.colour}"></i>${esc(s.name)}</span>`).join('')}</div>`);
    parts.push(`<figure>${lineChart(weeks.map((p) => label(p.end)), series)}</figure>`);
    parts.push(`<p class="note">${esc(w('html.timeline.note', { date: m.asOf }))}</p>`);
    parts.push('</section>');
  }

  // What needs chasing.
  const person = (i: ReportItem) => (i.owner === null ? ww.t('views.report.noOwner') : i.owner);
  const table = (list: readonly ReportItem[], days: (i: ReportItem) => string, daysHead: MessageKey) => {
    const head = ['views.report.col.id', 'views.report.col.title', 'views.report.col.owner', 'views.report.col.department', 'views.report.col.due', daysHead, 'views.report.col.progress'] as const;
    const out = ['<table><thead><tr>'];
    head.forEach((k, c) => out.push(`<th${c >= 5 ? ' class="num"' : ''}>${esc(w(k))}</th>`));
    out.push('</tr></thead><tbody>');
    for (const i of list.slice(0, HTML_LIST_LIMIT)) {
      out.push(`<tr><td class="id">${esc(i.id)}</td><td>${esc(i.title)}</td><td>${esc(person(i))}</td><td>${esc(i.department ?? '')}</td>`
        + `<td class="date">${esc(i.due ?? '')}</td><td class="num${i.daysOverdue !== null ? ' late' : ''}">${esc(days(i))}</td><td class="num">${i.progress}%</td></tr>`);
    }
    out.push('</tbody></table>');
    if (list.length > HTML_LIST_LIMIT) out.push(`<p class="note">${esc(w('html.more', { n: list.length - HTML_LIST_LIMIT }))}</p>`);
    return out.join('');
  };
  parts.push(`<section class="overdue"><h2>${esc(w('html.s.overdue', { n: m.overdue.length }))}</h2>`);
  parts.push(m.overdue.length === 0 ? `<p>${esc(w('views.report.noOverdue'))}</p>` : table(m.overdue, (i) => w('html.days', { n: i.daysOverdue ?? 0 }), 'html.col.late'));
  parts.push('</section>');
  parts.push(`<section class="due-soon"><h2>${esc(m.days <= 0 ? w('html.s.dueToday', { n: m.dueSoon.length }) : w('html.s.dueSoon', { window: dueWindowWords(m.days, lang), n: m.dueSoon.length }))}</h2>`);
  const windowWords = m.days <= 0 ? w('views.report.window.today') : w(m.days === 1 ? 'views.report.window.one' : 'views.report.window.other', { n: m.days });
  parts.push(m.dueSoon.length === 0 ? `<p>${esc(w('views.report.noDueSoon', { window: windowWords }))}</p>`
    : table(m.dueSoon, (i) => (i.daysLeft === 0 ? w('html.today') : w('html.days', { n: i.daysLeft ?? 0 })), 'html.col.left'));
  parts.push('</section>');

  // What moved: grouped by who did what, the work's progress first (as `status` tells it).
  const groups = groupChanges(extra.recent.changes);
  parts.push(`<section class="recent"><h2>${esc(w('html.s.recent', { from: extra.recent.from, to: extra.recent.to }))}</h2>`);
  if (groups.length === 0) parts.push(`<p>${esc(w('html.noRecent'))}</p>`);
  else {
    parts.push('<ul class="changes">');
    for (const g of groups.slice(0, RECENT_LIMIT)) parts.push(`<li><b>${esc(g.by)}</b> ${esc(describeGroup(g, ww))}</li>`);
    parts.push('</ul>');
    if (groups.length > RECENT_LIMIT) parts.push(`<p class="note">${esc(w('html.moreRecent', { n: groups.length - RECENT_LIMIT }))}</p>`);
  }
  parts.push('</section>');

  parts.push(`<footer>${esc(w('html.footer', { date: m.asOf }))}</footer>`);
  return page(lang, title, parts.join('\n'));
}
