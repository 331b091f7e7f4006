// `rectify status`: the dashboard before a meeting. Figures come aggregated from the
// store; the model is built in core; the screen is drawn in ui.
import { buildStatus, recentFrom, statusJson } from '../core/summary.js';
import { toJson } from '../ui/json.js';
import { renderStatus } from '../ui/status.js';
import { daysOption, optionalDate } from './args.js';
import type { CommandSpec } from './types.js';

/** Lines of each list on screen (docs/cli.md), before "… and N more". */
const SCREEN_LINES = 10;

export const status: CommandSpec = {
  name: 'status',
  summary: 'views.status.summary',
  options: [
    { flags: '--as-of <date>', description: 'views.status.opt.asOf' },
    // Defaults are applied in run() and named in the descriptions, in the user's language.
    { flags: '--days <n>', description: 'views.status.opt.days' },
    { flags: '--json', description: 'views.status.opt.json' },
  ],
  ledger: 'open',
  async run({ opts }, ctx) {
    const asOf = optionalDate('--as-of', opts.asOf) ?? ctx.today();
    const days = daysOption(opts.days);
    const json = Boolean(opts.json);
    // The screen shows a few lines of each list; JSON lists everything.
    const figures = await ctx.store.statusFigures(asOf, days, json ? {} : { listLimit: SCREEN_LINES });
    // "The last 7 days" are the as-of day and the six before it; what seeds created or
    // changed (init, import) is not news.
    // Changes taken back by an undo (and the undos) did not happen, as far as a meeting goes.
    const recent = { since: recentFrom(asOf), until: asOf, via: 'cli', standing: true } as const;
    const history = json ? [] : await ctx.store.history({ ...recent, limit: SCREEN_LINES });
    const total = json ? 0 : await ctx.store.historyCount(recent);
    const model = buildStatus(figures, history, asOf, days, total);
    if (json) {
      ctx.io.out(toJson(statusJson(model)));
      return;
    }
    ctx.io.out(renderStatus(model, { lang: ctx.lang, theme: ctx.io.theme, width: ctx.io.columns, limit: SCREEN_LINES }));
  },
};
