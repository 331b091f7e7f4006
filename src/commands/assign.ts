import { splitIds } from '../core/ids.js';
import { parseDate, parseText, planAssign, type Assignment } from '../core/items.js';
import { EXIT, RectifyError } from '../errors.js';
import { describeUpdate } from '../ui/items.js';
import { cleanInline } from '../ui/text.js';
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
    const ids = splitIds(String(args[0]));
    if (!ids.length) throw new RectifyError('items.noIds', {}, { exit: EXIT.badInput });
    const owner = parseText(String(args[1]));
    if (owner === null) throw new RectifyError('items.empty.owner', {}, { exit: EXIT.badInput });
    const a: Assignment = { owner };
    if (opts.department !== undefined) {
      const department = parseText(String(opts.department));
      if (department === null) throw new RectifyError('items.empty.department', {}, { exit: EXIT.badInput });
      a.department = department;
    }
    if (opts.due !== undefined) {
      const due = parseDate(String(opts.due));
      if (due === null) throw new RectifyError('items.badDate', { option: '--due', value: cleanInline(String(opts.due)) }, { exit: EXIT.badInput });
      a.due = due;
    }
    const note = parseText(opts.message as string | undefined);
    if (opts.message !== undefined && note === null) throw new RectifyError('items.empty.note', {}, { exit: EXIT.badInput });

    const { items, missing } = await ctx.store.getItems(ids);
    if (missing.length) throw new RectifyError('items.unknownId', { ids: missing.map(cleanInline).join(', ') }, { exit: EXIT.notFound, hint: 'items.unknownId.hint' });
    const changes = items.map((i) => planAssign(i, a, note));

    await ctx.store.applyChanges(changes, ctx.actor);
    ctx.io.out(changes.map((c, n) => describeUpdate(items[n]!, c.set, c.note)).join('\n'));
  },
};
