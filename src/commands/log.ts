import { normalizeId } from '../core/ids.js';
import { EXIT, RectifyError } from '../errors.js';
import { t } from '../i18n/index.js';
import { chunked, logTable } from '../ui/items.js';
import { logJson, toJson } from '../ui/json.js';
import { cleanInline } from '../ui/text.js';
import { optionalDate } from './args.js';
import { isNoticeEntry, noticeEntries, noticeJson, withNotices } from './remind-log.js';
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
      if (asked === '') throw new RectifyError('items.noId', {}, { exit: EXIT.badInput });
      const found = await ctx.store.lookup(asked);
      if (!found) throw new RectifyError('items.unknownId', { ids: cleanInline(asked) }, { exit: EXIT.notFound, hint: 'items.unknownId.hint' });
      if (found.kind === 'measure') measure = found.id;
      else if (found.kind !== 'item') throw new RectifyError('items.notItem', { id: cleanInline(found.id), kind: t(`items.kind.${found.kind}`) }, { exit: EXIT.badInput });
      else item = found.id;
    }
    const filter = { ...(item ? { item } : {}), ...(measure ? { measure } : {}), ...(since ? { since } : {}) };
    const out = chunked((text) => ctx.io.write(text));
    // The notices remind --send recorded, among the changes (few: read whole).
    const notices = await noticeEntries(ctx.store, filter);
    const pages = () => withNotices(ctx.store.historyPages(filter), notices);
    if (opts.json) {
      // The same bytes as toJson(entries.map(logJson)), an entry at a time.
      let n = 0;
      for await (const page of pages()) {
        for (const h of page) out.put((n++ === 0 ? '[\n  ' : ',\n  ') + toJson(isNoticeEntry(h) ? noticeJson(h) : logJson(h)).replace(/\n/g, '\n  '));
      }
      out.put(n === 0 ? '[]\n' : '\n]\n');
      out.flush();
      return;
    }
    const table = logTable(ctx.io.theme);
    // Two passes over the same snapshot: the columns' widths, then the lines.
    await ctx.store.snapshot(async () => {
      let shown = 0;
      for await (const page of pages()) {
        table.measure(page);
        shown += page.length;
      }
      if (shown === 0) {
        ctx.io.err(since ? t('items.log.noneSince', { date: since }) : t('items.log.none'));
        return;
      }
      for await (const page of pages()) {
        for (const line of table.lines(page)) out.put(line + '\n');
      }
      out.flush();
    });
  },
};
