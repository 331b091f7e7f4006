import { splitIds } from '../core/ids.js';
import { parsePercent, parseText, planProgress, settle } from '../core/items.js';
import { EXIT, RectifyError } from '../errors.js';
import { describeRefused, describeUpdate } from '../ui/items.js';
import { cleanInline } from '../ui/text.js';
import type { CommandSpec } from './types.js';

export const progress: CommandSpec = {
  name: 'progress',
  summary: 'items.progress.summary',
  args: [
    { name: '<ids>', description: 'items.arg.ids' },
    { name: '[percent]', description: 'items.progress.arg.percent' },
  ],
  options: [{ flags: '-m, --message <note>', description: 'items.opt.note' }],
  ledger: 'open',
  writes: true,
  async run({ args, opts }, ctx) {
    const ids = splitIds(String(args[0]));
    if (!ids.length) throw new RectifyError('items.noIds', {}, { exit: EXIT.badInput });
    const percent = args[1] === undefined ? null : parsePercent(String(args[1]));
    if (args[1] !== undefined && percent === null) throw new RectifyError('items.badPercent', { value: cleanInline(String(args[1])) }, { exit: EXIT.badInput });
    const note = parseText(opts.message as string | undefined);
    if (opts.message !== undefined && note === null) throw new RectifyError('items.empty.note', {}, { exit: EXIT.badInput });
    if (percent === null && note === null) throw new RectifyError('items.progress.nothing', {}, { exit: EXIT.badInput });

    const { items, missing } = await ctx.store.getItems(ids);
    if (missing.length) throw new RectifyError('items.unknownId', { ids: missing.map(cleanInline).join(', ') }, { exit: EXIT.notFound, hint: 'items.unknownId.hint' });
    const { changes, refused } = settle(items.map((i) => planProgress(i, percent, note)));
    if (refused.length) throw new RectifyError('items.refused.progress', { items: describeRefused(refused) }, { exit: EXIT.notAllowed, hint: 'items.refused.progress.hint' });

    await ctx.store.applyChanges(changes, ctx.actor);
    ctx.io.out(changes.map((c, n) => describeUpdate(items[n]!, c.set, c.note)).join('\n'));
  },
};
