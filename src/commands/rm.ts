// `rectify rm`: remove items added by mistake. Only an item whose history holds nothing
// but its creation, edits and assignments goes; one with progress, completion or sign-off
// keeps its record (exit 4), and then nothing is removed.
import { t } from '../i18n/index.js';
import { cleanInline } from '../ui/text.js';
import { actor, itemIds, itemsNamed } from './args.js';
import type { CommandSpec } from './types.js';

export const rm: CommandSpec = {
  name: 'rm',
  summary: 'items.rm.summary',
  args: [{ name: '<ids>', description: 'items.arg.ids' }],
  ledger: 'open',
  writes: true,
  async run({ args }, ctx) {
    const items = await itemsNamed(ctx.store, itemIds(args[0]));
    await ctx.store.removeItems(items.map((i) => i.id), actor(ctx));
    ctx.io.out(items.map((i) => t('items.rm.removed', { id: cleanInline(i.id), title: cleanInline(i.title) })).join('\n'));
  },
};
