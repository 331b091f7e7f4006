import { planReopen } from '../core/items.js';
import { EXIT, RectifyError } from '../errors.js';
import { applyVerb, itemIds, itemsNamed, optionalText } from './args.js';
import type { CommandSpec } from './types.js';

export const reopen: CommandSpec = {
  name: 'reopen',
  summary: 'items.reopen.summary',
  args: [{ name: '<ids>', description: 'items.arg.ids' }],
  options: [{ flags: '-m, --message <reason>', description: 'items.reopen.opt.reason' }],
  ledger: 'open',
  writes: true,
  async run({ args, opts }, ctx) {
    const ids = itemIds(args[0]);
    if (opts.message === undefined) throw new RectifyError('items.reopen.noReason', {}, { exit: EXIT.badInput });
    const reason = optionalText(opts.message, 'items.empty.reason')!;
    const items = await itemsNamed(ctx.store, ids);
    await applyVerb(ctx, 'reopen', items, (i) => planReopen(i, reason));
  },
};
