import { parsePercent, planProgress } from '../core/items.js';
import { EXIT, RectifyError } from '../errors.js';
import { cleanInline } from '../ui/text.js';
import { applyVerb, itemIds, itemsNamed, optionalText } from './args.js';
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
    const ids = itemIds(args[0]);
    const percent = args[1] === undefined ? null : parsePercent(String(args[1]));
    if (args[1] !== undefined && percent === null) throw new RectifyError('items.badPercent', { value: cleanInline(String(args[1])) }, { exit: EXIT.badInput });
    const note = optionalText(opts.message, 'items.empty.note');
    if (percent === null && note === null) throw new RectifyError('items.progress.nothing', {}, { exit: EXIT.badInput });
    const items = await itemsNamed(ctx.store, ids);
    await applyVerb(ctx, 'progress', items, (i) => planProgress(i, percent, note));
  },
};
