import { EVIDENCE_MAX, planDone } from '../core/items.js';
import { EXIT, RectifyError } from '../errors.js';
import { applyVerb, fieldText, itemIds, itemsNamed, optionalText } from './args.js';
import type { CommandSpec } from './types.js';

export const done: CommandSpec = {
  name: 'done',
  summary: 'items.done.summary',
  args: [{ name: '<ids>', description: 'items.arg.ids' }],
  options: [
    { flags: '-m, --message <note>', description: 'items.opt.note' },
    { flags: '--evidence <text>', description: 'items.done.opt.evidence', repeatable: true },
  ],
  ledger: 'open',
  writes: true,
  async run({ args, opts }, ctx) {
    const ids = itemIds(args[0]);
    const note = optionalText(opts.message, 'items.empty.note');
    const evidence = ((opts.evidence as string[] | undefined) ?? []).map((e) => fieldText('evidence', e));
    if (evidence.includes(null)) throw new RectifyError('items.empty.evidence', {}, { exit: EXIT.badInput });
    if (evidence.length > EVIDENCE_MAX) {
      throw new RectifyError('items.tooMuchEvidence', { count: evidence.length, max: EVIDENCE_MAX }, { exit: EXIT.badInput });
    }
    const items = await itemsNamed(ctx.store, ids);
    await applyVerb(ctx, 'done', items, (i) => planDone(i, note, evidence as string[]));
  },
};
