import { planVerify } from '../core/items.js';
import { applyVerb, itemIds, itemsNamed, optionalText } from './args.js';
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
    const ids = itemIds(args[0]);
    const note = optionalText(opts.message, 'items.empty.note');
    const items = await itemsNamed(ctx.store, ids);
    await applyVerb(ctx, 'verify', items, (i) => planVerify(i, note));
  },
};
