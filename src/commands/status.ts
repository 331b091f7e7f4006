// `rectify status`: the dashboard before a meeting. Figures come aggregated from the
// store; the model is built in core; the screen is drawn in ui.
import { isIsoDate } from '../core/dates.js';
import { buildStatus, recentFrom, statusJson } from '../core/summary.js';
import type { IsoDate } from '../core/types.js';
import { EXIT, RectifyError } from '../errors.js';
import { toJson } from '../ui/json.js';
import { renderStatus } from '../ui/status.js';
import { cleanInline } from '../ui/text.js';
import type { Context } from '../context.js';
import type { CommandSpec } from './types.js';

/** --as-of DATE, else today. */
export function asOfOption(value: unknown, ctx: Context): IsoDate {
  if (value === undefined) return ctx.today();
  const s = String(value);
  if (!isIsoDate(s)) throw new RectifyError('views.badDate', { option: '--as-of', value: cleanInline(s) }, { exit: EXIT.badInput });
  return s;
}

/** A date option other than --as-of (--since), or null when not given. */
export function dateOption(value: unknown, option: string): IsoDate | null {
  if (value === undefined) return null;
  const s = String(value);
  if (!isIsoDate(s)) throw new RectifyError('views.badDate', { option, value: cleanInline(s) }, { exit: EXIT.badInput });
  return s;
}

/** --days N: a whole number of days, 0 or more (a century at most: beyond that no date
 *  arithmetic stays meaningful). */
export function daysOption(value: unknown): number {
  const s = String(value ?? '7').trim();
  if (!/^\d{1,5}$/.test(s) || Number(s) > 36_500) {
    throw new RectifyError('views.badDays', { value: cleanInline(s) }, { exit: EXIT.badInput });
  }
  return Number(s);
}

/** Lines of each list on screen (cli.md), before "… and N more". */
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
    const asOf = asOfOption(opts.asOf, ctx);
    const days = daysOption(opts.days);
    const json = Boolean(opts.json);
    // The screen shows a few lines of each list; JSON lists everything.
    const figures = await ctx.store.statusFigures(asOf, days, json ? {} : { listLimit: SCREEN_LINES });
    // "The last 7 days" are the as-of day and the six before it; what seeds created or
    // changed (init, import) is not news.
    const history = json ? [] : await ctx.store.history({ since: recentFrom(asOf), via: 'cli' });
    const model = buildStatus(figures, history, asOf, days);
    if (json) {
      ctx.io.out(toJson(statusJson(model)));
      return;
    }
    ctx.io.out(renderStatus(model, { lang: ctx.lang, theme: ctx.io.theme, width: ctx.io.columns, limit: SCREEN_LINES }));
  },
};
