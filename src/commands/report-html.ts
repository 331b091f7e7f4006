// `report --format html`: what the meeting's page reads (inside the caller's snapshot): the
// report's model as the Office formats read it, the history that still stands for the weekly
// chart, and the changes made through commands in the recent window (from --since, else the
// 7 days `status` calls recent).
import type { Context } from '../context.js';
import { buildReport, dayOf, recentFrom } from '../core/summary.js';
import type { IsoDate } from '../core/types.js';
import { renderReportHtml } from '../ui/report-html.js';
import type { Steps } from '../ui/progress.js';
import { allReportItems } from './report.js';

/** The shares of the page's time with a bar (a CPU profile at 100,000 items): the items read,
 *  the history read, the page made. */
export const HTML_STEPS = [55, 30, 15];

export async function htmlReport(ctx: Context, o: { asOf: IsoDate; since: IsoDate | null; days: number }, steps?: Steps): Promise<string> {
  const { store } = ctx;
  const figures = await store.statusFigures(o.asOf, o.days, { listLimit: 0 });
  const model = buildReport({
    report: figures.report,
    areas: figures.areas,
    problems: await store.problems(),
    measures: await store.measures(),
    items: await allReportItems(ctx, figures.items.total, steps?.step(0)),
    history: null,
    asOf: o.asOf,
    since: null,
    days: o.days,
  });
  const history: { item: string; at: string; seq: number; status: (typeof model.overdue)[number]['status'] }[] = [];
  // With a bar: the entries read of how many there are (counted only then).
  const onHistory = steps?.step(1);
  const entries = onHistory ? await store.historyCount({ standing: true, until: o.asOf }) : 0;
  for await (const page of store.historyPages({ standing: true, until: o.asOf })) {
    for (const h of page) history.push({ item: h.item, at: h.at, seq: h.seq, status: h.status });
    onHistory?.(history.length / Math.max(1, entries));
  }
  const from = o.since ?? recentFrom(o.asOf);
  const changes = (await store.history({ since: from, until: o.asOf, via: 'cli', standing: true })).filter((h) => dayOf(h.at) <= o.asOf);
  const html = renderReportHtml(model, ctx.lang, { history, recent: { from, to: o.asOf, changes } });
  steps?.step(2)(1);
  return html;
}
