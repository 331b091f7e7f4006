import { splitIds } from '../core/ids.js';
import { parseText, planVerify, settle } from '../core/items.js';
import { EXIT, RectifyError } from '../errors.js';
import { describeRefused, describeUpdate } from '../ui/items.js';
import { cleanInline } from '../ui/text.js';
import type { CommandSpec } from './types.js';

/** Sign-off (销号): the history records who signed, as the change's actor. */
export const verify: CommandSpec = {
  name: 'verify',
  summary: 'items.verify.summary',
  args: [{ name: '<ids>', description: 'items.arg.ids' }],
  options: [{ flags: '-m, --message <note>', description: 'items.opt.note' }],
  ledger: 'open',
  writes: true,
  async run({ args, opts }, ctx) {
    const ids = splitIds(String(args[0]));
    if (!ids.length) throw new RectifyError('items.noIds', {}, { exit: EXIT.badInput });
    const note = parseText(opts.message as string | undefined);
    if (opts.message !== undefined && note === null) throw new RectifyError('items.empty.note', {}, { exit: EXIT.badInput });

    const { items, missing } = await ctx.store.getItems(ids);
    if (missing.length) throw new RectifyError('items.unknownId', { ids: missing.map(cleanInline).join(', ') }, { exit: EXIT.notFound, hint: 'items.unknownId.hint' });
    const { changes, refused } = settle(items.map((i) => planVerify(i, note)));
    if (refused.length) throw new RectifyError('items.refused.verify', { items: describeRefused(refused) }, { exit: EXIT.notAllowed, hint: 'items.refused.verify.hint' });

    await ctx.store.applyChanges(changes, ctx.actor);
    ctx.io.out(changes.map((c, n) => describeUpdate(items[n]!, c.set, c.note)).join('\n'));
  },
};
