import { parseClear, planAssign, type Assignment } from '../core/items.js';
import { EXIT, RectifyError } from '../errors.js';
import { t } from '../i18n/index.js';
import { describeUpdate } from '../ui/items.js';
import { cleanInline } from '../ui/text.js';
import { actor, fieldText, itemIds, itemsNamed, optionalDate, optionalText } from './args.js';
import type { CommandSpec } from './types.js';

/** What the command line asks: the owner is optional when another option says something. */
function assignment(owner: unknown, opts: Record<string, unknown>): Assignment {
  const a: Assignment = {};
  if (opts.clear !== undefined) {
    const { fields, unknown } = parseClear(String(opts.clear));
    if (unknown.length || !fields.length) {
      throw new RectifyError('items.assign.badClear', { value: cleanInline(unknown[0] ?? String(opts.clear)) }, { exit: EXIT.badInput });
    }
    for (const f of fields) a[f] = null;
  }
  const given = (key: 'owner' | 'department', value: unknown, emptyKey: 'items.empty.owner' | 'items.empty.department') => {
    if (value === undefined) return;
    if (a[key] === null) throw new RectifyError('items.assign.setAndClear', { field: t(`items.field.${key}`) }, { exit: EXIT.badInput });
    const text = fieldText(key, value);
    if (text === null) throw new RectifyError(emptyKey, {}, { exit: EXIT.badInput, hint: 'items.assign.clear.hint' });
    // A lone dash reads as "nobody" on paper; in a ledger it would be a person called "-".
    if (/^[-－—–]+$/.test(text)) throw new RectifyError('items.assign.dash', {}, { exit: EXIT.badInput, hint: 'items.assign.clear.hint' });
    a[key] = text;
  };
  given('owner', owner, 'items.empty.owner');
  given('department', opts.department, 'items.empty.department');
  const due = optionalDate('--due', opts.due);
  if (due !== undefined) {
    if (a.due === null) throw new RectifyError('items.assign.setAndClear', { field: t('items.field.due') }, { exit: EXIT.badInput });
    a.due = due;
  }
  if (Object.keys(a).length === 0) throw new RectifyError('items.assign.nothing', {}, { exit: EXIT.badInput, hint: 'items.assign.nothing.hint' });
  return a;
}

export const assign: CommandSpec = {
  name: 'assign',
  summary: 'items.assign.summary',
  args: [
    { name: '<ids>', description: 'items.arg.ids' },
    { name: '[owner]', description: 'items.assign.arg.owner' },
  ],
  options: [
    { flags: '--department <name>', description: 'items.assign.opt.department' },
    { flags: '--due <date>', description: 'items.assign.opt.due' },
    { flags: '--clear <fields>', description: 'items.assign.opt.clear' },
    { flags: '-m, --message <note>', description: 'items.opt.note' },
  ],
  ledger: 'open',
  writes: true,
  async run({ args, opts }, ctx) {
    const ids = itemIds(args[0]);
    const a = assignment(args[1], opts);
    const note = optionalText(opts.message, 'items.empty.note');

    const items = await itemsNamed(ctx.store, ids);
    const changes = items.map((i) => planAssign(i, a, note));
    await ctx.store.applyChanges(changes, actor(ctx));
    ctx.io.out(changes.map((c, n) => describeUpdate(items[n]!, c.set, c.note)).join('\n'));
    // A due date already past is taken (a record kept late), but said: it is often a slip.
    const today = ctx.today();
    if (a.due && a.due < today) {
      const shown = items.filter((_i, n) => 'due' in changes[n]!.set).map((i) => cleanInline(i.id)).join(',');
      if (shown) {
        ctx.io.err(`rectify: ${t('items.dueInPast', { ids: shown, due: a.due, today })}`);
        ctx.io.err(t('error.hint', { hint: t('items.dueInPast.hint', { ids: shown }) }));
      }
    }
  },
};
