// `rectify score`: the quantified assessment (量化考核) per department or owner. The figures
// are core's (core/score.ts, defined in the README's 督办 section); the table is ui's.
import { buildScore, scoreJson, type ScoreBy, type ScoreHistory } from '../core/score.js';
import type { Store } from '../store/types.js';
import { t } from '../i18n/index.js';
import { toJson } from '../ui/json.js';
import { renderScore } from '../ui/score.js';
import { optionalDate } from './args.js';
import { EXIT, RectifyError } from '../errors.js';
import { cleanInline } from '../ui/text.js';
import type { CommandSpec } from './types.js';

/** `--by` is also the global option naming who acts; score changes nothing, so there it
 *  can only be the grouping: `department` or `owner` (any case), anything else is bad input
 *  (a typo must not quietly score by department). */
export function scoreBy(value: unknown): ScoreBy {
  const v = String(value ?? 'department').trim().toLowerCase();
  if (v === 'owner' || v === 'department') return v;
  throw new RectifyError('score.badBy', { value: cleanInline(String(value)) }, { exit: EXIT.badInput });
}

/** Every item and the standing history the figures need, from one snapshot. */
export async function scoreFacts(store: Store) {
  return store.snapshot(async () => {
    const items = await store.listItems({ all: true });
    const history: ScoreHistory[] = [];
    for await (const page of store.historyPages({ standing: true })) {
      for (const h of page) history.push({ item: h.item, at: h.at, seq: h.seq, status: h.status, action: h.action, changes: h.action === 'extend' ? h.changes : {} });
    }
    return { items, history };
  });
}

export const score: CommandSpec = {
  name: 'score',
  summary: 'score.summary',
  options: [
    { flags: '--as-of <date>', description: 'score.opt.asOf' },
    { flags: '--json', description: 'score.opt.json' },
  ],
  ledger: 'open',
  async run({ opts }, ctx) {
    const asOf = optionalDate('--as-of', opts.asOf) ?? ctx.today();
    const by = scoreBy(opts.by);
    const { items, history } = await scoreFacts(ctx.store);
    const rows = buildScore(items, history, asOf, by);
    if (opts.json) {
      ctx.io.out(toJson(rows.map(scoreJson)));
      return;
    }
    if (!items.length) {
      ctx.io.err(t('score.empty'));
      return;
    }
    ctx.io.out(renderScore(rows, by, asOf, { heading: ctx.io.theme.heading, maxWidth: ctx.io.columns }));
  },
};

/** The 通报 section of `report --score [owner]` (text and Markdown). */
export async function scoreReportSection(ctx: import('../context.js').Context, by: unknown, asOf: string, format: 'text' | 'md'): Promise<string> {
  const { scoreSection } = await import('../ui/score.js');
  const { items, history } = await scoreFacts(ctx.store);
  return scoreSection(buildScore(items, history, asOf, scoreBy(by === true ? 'department' : by)), scoreBy(by === true ? 'department' : by), asOf, format);
}
