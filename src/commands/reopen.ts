import { splitIds } from '../core/ids.js';
import { parseText, planReopen, settle } from '../core/items.js';
import { EXIT, RectifyError } from '../errors.js';
import { describeRefused, describeUpdate } from '../ui/items.js';
import { cleanInline } from '../ui/text.js';
import type { CommandSpec } from './types.js';

export const reopen: CommandSpec = {
  name: 'reopen',
  summary: 'items.reopen.summary',
  args: [{ name: '<ids>', description: 'items.arg.ids' }],
  options: [{ flags: '-m, --message <reason>', description: 'items.reopen.opt.reason' }],
  ledger: 'open',
  writes: true,
  async run({ args, opts }, ctx) {
    const ids = splitIds(String(args[0]));
    if (!ids.length) throw new RectifyError('items.noIds', {}, { exit: EXIT.badInput });
    if (opts.message === undefined) throw new RectifyError('items.reopen.noReason', {}, { exit: EXIT.badInput });
    const reason = parseText(opts.message as string);
    if (reason === null) throw new RectifyError('items.empty.reason', {}, { exit: EXIT.badInput });

    const { items, missing } = await ctx.store.getItems(ids);
    if (missing.length) throw new RectifyError('items.unknownId', { ids: missing.map(cleanInline).join(', ') }, { exit: EXIT.notFound, hint: 'items.unknownId.hint' });
    const { changes, refused } = settle(items.map((i) => planReopen(i, reason)));
    if (refused.length) throw new RectifyError('items.refused.reopen', { items: describeRefused(refused) }, { exit: EXIT.notAllowed, hint: 'items.refused.reopen.hint' });

    await ctx.store.applyChanges(changes, ctx.actor);
    ctx.io.out(changes.map((c, n) => describeUpdate(items[n]!, c.set, c.note)).join('\n'));
  },
};
