// `rectify status`: the dashboard before a meeting. Figures come aggregated from the
// store; the model is built in core; the screen is drawn in ui.
import { lightsAsOf } from '../core/lights.js';
import { buildStatus, compareNames, recentFrom, statusJson } from '../core/summary.js';
import type { Store } from '../store/types.js';
import { toJson } from '../ui/json.js';
import { lightTotals, renderStatus, type LightCounts, type StatusLights } from '../ui/status.js';
import { daysOption, optionalDate } from './args.js';
import type { CommandSpec } from './types.js';

/** Lines of each list on screen (docs/cli.md), before "… and N more". */
const SCREEN_LINES = 10;
/** Recent changes read to tell who did what: a week of an office's work many times over. */
const RECENT_READ = 5000;

/** Lights per measure and per department, from the unfinished items, a page at a time. */
async function lightsOf(store: Store, asOf: string, days: number): Promise<StatusLights> {
  const light = lightsAsOf(asOf, days);
  const measures = new Map<string, LightCounts>();
  const departments = new Map<string | null, { department: string | null; open: number; red: number; yellow: number; green: number }>();
  for await (const page of store.itemPages({ status: ['open', 'in_progress'] }, { brief: true })) {
    for (const i of page) {
      const l = light(i);
      if (!l) continue;
      const m = measures.get(i.measure) ?? { red: 0, yellow: 0, green: 0 };
      m[l]++;
      measures.set(i.measure, m);
      const d = departments.get(i.department) ?? { department: i.department, open: 0, red: 0, yellow: 0, green: 0 };
      d.open++;
      d[l]++;
      departments.set(i.department, d);
    }
  }
  // Most red first, then most yellow, then by name; unassigned last among equals.
  const ds = [...departments.values()].sort((a, b) => b.red - a.red || b.yellow - a.yellow
    || (a.department === null ? 1 : b.department === null ? -1 : compareNames(a.department, b.department)));
  return { measures, departments: ds };
}

export const status: CommandSpec = {
  name: 'status',
  summary: 'views.status.summary',
  options: [
    { flags: '--as-of <date>', description: 'views.status.opt.asOf' },
    // Defaults are applied in run() and named in the descriptions, in the user's language.
    { flags: '--days <n>', description: 'views.status.opt.days' },
    { flags: '--full', description: 'views.status.opt.full' },
    { flags: '--json', description: 'views.status.opt.json' },
  ],
  ledger: 'open',
  async run({ opts }, ctx) {
    const asOf = optionalDate('--as-of', opts.asOf) ?? ctx.today();
    const days = daysOption(opts.days);
    const json = Boolean(opts.json);
    const full = Boolean(opts.full);
    // The screen shows a few lines of each list; JSON lists everything. The default screen
    // shows no area, measure or owner: their rows are not read.
    // "The last 7 days" are the as-of day and the six before it; what seeds created or
    // changed (init, import) is not news.
    // Changes taken back by an undo (and the undos) did not happen, as far as a meeting goes.
    // Asked together: on a server the queries go out in one round trip.
    const [figures, recent] = await Promise.all([
      ctx.store.statusFigures(asOf, days, json ? {} : { listLimit: SCREEN_LINES, brief: !full }),
      json ? { groups: [], told: 0, total: 0 } : ctx.store.recentChanges(recentFrom(asOf), asOf, RECENT_READ),
    ]);
    const model = buildStatus(figures, recent, asOf, days);
    const lights = json || full ? await lightsOf(ctx.store, asOf, days) : undefined;
    if (json) {
      const base = statusJson(model);
      const none = { red: 0, yellow: 0, green: 0 };
      ctx.io.out(toJson({
        ...base,
        lights: lightTotals(model),
        measures: base.measures.map((x) => ({ ...x, lights: lights!.measures.get(x.id) ?? none })),
        departments: lights!.departments,
      }));
      return;
    }
    ctx.io.out(renderStatus(model, {
      lang: ctx.lang, theme: ctx.io.theme, width: ctx.io.columns, limit: SCREEN_LINES, full, ...(lights ? { lights } : {}),
    }));
  },
};
