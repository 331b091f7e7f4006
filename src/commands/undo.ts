import { t } from '../i18n/index.js';
import { describeChanges, localMinute } from '../ui/items.js';
import { cleanInline } from '../ui/text.js';
import type { CommandSpec } from './types.js';

export const undo: CommandSpec = {
  name: 'undo',
  summary: 'items.undo.summary',
  ledger: 'open',
  writes: true,
  async run(_input, ctx) {
    const { reverted } = await ctx.store.undo(ctx.actor);
    const lines = reverted.map((h) => {
      const head = t('items.undo.reverted', { item: cleanInline(h.item), action: t(`items.action.${h.action}`), by: cleanInline(h.by), at: localMinute(h.at) });
      const what = describeChanges(h.changes);
      return what ? t('items.undo.withChanges', { line: head, what }) : head;
    });
    ctx.io.out(lines.join('\n'));
  },
};
