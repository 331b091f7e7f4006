import { splitIds } from '../core/ids.js';
import { parseDate, parseTerm } from '../core/items.js';
import { DEFAULT_TERM } from '../core/vocab.js';
import { EXIT, RectifyError } from '../errors.js';
import { t } from '../i18n/index.js';
import type { Store } from '../store/types.js';
import { askForItem, type KnownAnswers } from '../ui/prompts.js';
import { cleanInline } from '../ui/text.js';
import { actor, fieldText, ref } from './args.js';
import type { CommandSpec } from './types.js';

/** What the command line says; an option given empty (`--owner ''`) means "none", not "ask". */
async function fromCommandLine(title: string | undefined, o: Record<string, unknown>, store: Store): Promise<KnownAnswers> {
  const k: KnownAnswers = {};
  if (title !== undefined) {
    k.title = fieldText('title', title) ?? undefined;
    if (k.title === undefined) throw new RectifyError('items.empty.title', {}, { exit: EXIT.badInput });
  }
  if (o.due !== undefined) {
    k.due = String(o.due).trim() === '' ? null : parseDate(String(o.due));
    if (k.due === null && String(o.due).trim() !== '') throw new RectifyError('items.badDate', { option: '--due', value: cleanInline(String(o.due)) }, { exit: EXIT.badInput });
  }
  if (o.term !== undefined) {
    k.term = parseTerm(String(o.term)) ?? undefined;
    if (k.term === undefined) throw new RectifyError('items.badTerm', { value: cleanInline(String(o.term)) }, { exit: EXIT.badInput });
  }
  if (o.owner !== undefined) k.owner = fieldText('owner', o.owner);
  if (o.department !== undefined) k.department = fieldText('department', o.department);
  if (o.measure !== undefined) k.measure = await ref(store, String(o.measure), 'measure');
  if (o.addresses !== undefined) {
    k.addresses = [];
    for (const id of splitIds(String(o.addresses))) k.addresses.push(await ref(store, id, 'problem'));
  }
  return k;
}

export const add: CommandSpec = {
  name: 'add',
  summary: 'items.add.summary',
  args: [{ name: '[title]', description: 'items.add.arg.title' }],
  options: [
    { flags: '--measure <id>', description: 'items.add.opt.measure' },
    { flags: '--addresses <ids>', description: 'items.add.opt.addresses' },
    { flags: '--owner <name>', description: 'items.add.opt.owner' },
    { flags: '--department <name>', description: 'items.add.opt.department' },
    { flags: '--due <date>', description: 'items.add.opt.due' },
    { flags: '--term <term>', description: 'items.add.opt.term' },
    { flags: '--detail <text>', description: 'items.add.opt.detail' },
  ],
  ledger: 'open',
  // Not `writes`: the prompts must not hold the ledger's write lock while someone types.
  async run({ args, opts }, ctx) {
    let k = await fromCommandLine(args[0] as string | undefined, opts, ctx.store);
    if (k.title === undefined || k.measure === undefined) {
      if (!ctx.interactive) {
        const fields = [k.title === undefined && t('items.add.field.title'), k.measure === undefined && t('items.add.field.measure')];
        throw new RectifyError('items.add.missing', { fields: fields.filter(Boolean).join(t('items.sep')) }, { exit: EXIT.badInput, hint: 'items.add.missing.hint' });
      }
      const choices = { measures: await ctx.store.measures(), problems: await ctx.store.problems() };
      const answers = await askForItem(k, choices, ctx.io.theme);
      if (!answers) throw new RectifyError('items.add.cancelled', {}, { exit: EXIT.cancelled });
      // What was typed at the prompts passes the same rules as the command line.
      k = { ...answers, title: fieldText('title', answers.title) ?? undefined, owner: fieldText('owner', answers.owner), department: fieldText('department', answers.department) };
      if (k.title === undefined) throw new RectifyError('items.empty.title', {}, { exit: EXIT.badInput });
    }
    const item = {
      measure: k.measure!, title: k.title!, detail: fieldText('detail', opts.detail), addresses: k.addresses ?? [],
      owner: k.owner ?? null, department: k.department ?? null, due: k.due ?? null, term: k.term ?? DEFAULT_TERM,
    };
    const id = await ctx.store.write(() => ctx.store.addItem(item, actor(ctx)));
    ctx.io.out(id);
  },
};
