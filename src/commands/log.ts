import { normalizeId } from '../core/ids.js';
import { EXIT, RectifyError } from '../errors.js';
import { t } from '../i18n/index.js';
import { renderLog } from '../ui/items.js';
import { logJson, toJson } from '../ui/json.js';
import { cleanInline } from '../ui/text.js';
import { optionalDate } from './args.js';
import type { CommandSpec } from './types.js';

export const log: CommandSpec = {
  name: 'log',
  summary: 'items.log.summary',
  args: [{ name: '[id]', description: 'items.log.arg.id' }],
  options: [
    { flags: '--since <date>', description: 'items.log.opt.since' },
    { flags: '--json', description: 'items.opt.json' },
  ],
  ledger: 'open',
  async run({ args, opts }, ctx) {
    const since = optionalDate('--since', opts.since);
    let item: string | undefined;
    let measure: string | undefined;
    if (args[0] !== undefined) {
      const asked = normalizeId(String(args[0]));
      const found = await ctx.store.lookup(asked);
      if (!found) throw new RectifyError('items.unknownId', { ids: cleanInline(asked) }, { exit: EXIT.notFound, hint: 'items.unknownId.hint' });
      if (found.kind === 'measure') measure = found.id;
      else if (found.kind !== 'item') throw new RectifyError('items.notItem', { id: cleanInline(found.id), kind: t(`items.kind.${found.kind}`) }, { exit: EXIT.badInput });
      else item = found.id;
    }
    const entries = await ctx.store.history({ ...(item ? { item } : {}), ...(measure ? { measure } : {}), ...(since ? { since } : {}) });
    if (opts.json) ctx.io.out(toJson(entries.map(logJson)));
    else if (entries.length) ctx.io.out(renderLog(entries, ctx.io.theme).join('\n'));
    else ctx.io.err(since ? t('items.log.noneSince', { date: since }) : t('items.log.none'));
  },
};
