// `rectify edit`: mend an item's descriptive fields (a wrong title, detail, term, measure or
// set of addressed problems), recorded in the history like any change and undoable.
import { splitIds } from '../core/ids.js';
import { parseTerm, planEdit, type Edit } from '../core/items.js';
import { EXIT, RectifyError } from '../errors.js';
import { describeUpdate } from '../ui/items.js';
import { cleanInline } from '../ui/text.js';
import { actor, fieldText, itemsNamed, optionalText, ref } from './args.js';
import type { CommandSpec } from './types.js';
import type { Store } from '../store/types.js';

async function editOf(opts: Record<string, unknown>, store: Store): Promise<Edit> {
  const e: Edit = {};
  if (opts.title !== undefined) {
    const title = fieldText('title', opts.title);
    if (title === null) throw new RectifyError('items.empty.title', {}, { exit: EXIT.badInput });
    e.title = title;
  }
  // An empty detail removes it: the detail is optional.
  if (opts.detail !== undefined) e.detail = fieldText('detail', opts.detail);
  if (opts.term !== undefined) {
    const term = parseTerm(String(opts.term));
    if (term === null) throw new RectifyError('items.badTerm', { value: cleanInline(String(opts.term)) }, { exit: EXIT.badInput });
    e.term = term;
  }
  if (opts.measure !== undefined) e.measure = await ref(store, String(opts.measure), 'measure');
  if (opts.addresses !== undefined) {
    e.addresses = [];
    for (const id of splitIds(String(opts.addresses))) e.addresses.push(await ref(store, id, 'problem'));
  }
  if (Object.keys(e).length === 0) throw new RectifyError('items.edit.nothing', {}, { exit: EXIT.badInput, hint: 'items.edit.nothing.hint' });
  return e;
}

export const edit: CommandSpec = {
  name: 'edit',
  summary: 'items.edit.summary',
  args: [{ name: '<id>', description: 'items.edit.arg.id' }],
  options: [
    { flags: '--title <text>', description: 'items.edit.opt.title' },
    { flags: '--detail <text>', description: 'items.edit.opt.detail' },
    { flags: '--term <term>', description: 'items.edit.opt.term' },
    { flags: '--measure <id>', description: 'items.edit.opt.measure' },
    { flags: '--addresses <ids>', description: 'items.edit.opt.addresses' },
    { flags: '-m, --message <note>', description: 'items.opt.note' },
  ],
  ledger: 'open',
  writes: true,
  async run({ args, opts }, ctx) {
    const ids = splitIds(String(args[0]));
    if (ids.length !== 1) throw new RectifyError('items.edit.oneId', {}, { exit: EXIT.badInput });
    const e = await editOf(opts, ctx.store);
    const note = optionalText(opts.message, 'items.empty.note');
    const [item] = await itemsNamed(ctx.store, ids);
    const change = planEdit(item!, e, note);
    await ctx.store.applyChanges([change], actor(ctx));
    ctx.io.out(describeUpdate(item!, change.set, change.note));
  },
};
