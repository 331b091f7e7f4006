import { parseText, planAssign, type Assignment } from '../core/items.js';
import { EXIT, RectifyError } from '../errors.js';
import { describeUpdate } from '../ui/items.js';
import { itemIds, itemsNamed, optionalDate, optionalText } from './args.js';
import type { CommandSpec } from './types.js';

export const assign: CommandSpec = {
  name: 'assign',
  summary: 'items.assign.summary',
  args: [
    { name: '<ids>', description: 'items.arg.ids' },
    { name: '<owner>', description: 'items.assign.arg.owner' },
  ],
  options: [
    { flags: '--department <name>', description: 'items.assign.opt.department' },
    { flags: '--due <date>', description: 'items.assign.opt.due' },
    { flags: '-m, --message <note>', description: 'items.opt.note' },
  ],
  ledger: 'open',
  writes: true,
  async run({ args, opts }, ctx) {
    const ids = itemIds(args[0]);
    const owner = parseText(String(args[1]));
    if (owner === null) throw new RectifyError('items.empty.owner', {}, { exit: EXIT.badInput });
    const a: Assignment = { owner };
    const department = optionalText(opts.department, 'items.empty.department');
    if (department !== null) a.department = department;
    const due = optionalDate('--due', opts.due);
    if (due !== undefined) a.due = due;
    const note = optionalText(opts.message, 'items.empty.note');

    const items = await itemsNamed(ctx.store, ids);
    const changes = items.map((i) => planAssign(i, a, note));
    await ctx.store.applyChanges(changes, ctx.actor);
    ctx.io.out(changes.map((c, n) => describeUpdate(items[n]!, c.set, c.note)).join('\n'));
  },
};
