import { ACTIONS, type Action } from '../core/vocab.js';
import { RectifyError } from '../errors.js';
import { t } from '../i18n/index.js';
import { describeChanges, localMinute } from '../ui/items.js';
import { cleanInline } from '../ui/text.js';
import { actor } from './args.js';
import type { CommandSpec } from './types.js';

const isAction = (s: string): s is Action => (ACTIONS as readonly string[]).includes(s);

export const undo: CommandSpec = {
  name: 'undo',
  summary: 'items.undo.summary',
  ledger: 'open',
  writes: true,
  async run(_input, ctx) {
    const { reverted } = await ctx.store.undo(actor(ctx)).catch((e: unknown) => {
      // The store names actions and times as recorded (verify, an ISO time): word them.
      if (e instanceof RectifyError && (e.key === 'store.notUndoable' || e.key === 'store.undoConflict')) {
        const p = { ...e.params };
        // An item added by mistake is taken out with rm, not undo.
        const hint = e.key === 'store.notUndoable' && p.action === 'create' ? 'items.undo.createHint' : e.hintKey;
        if (typeof p.action === 'string' && isAction(p.action)) p.action = t(`items.action.${p.action}`);
        if (typeof p.at === 'string') p.at = localMinute(p.at);
        throw new RectifyError(e.key, p, { exit: e.exit, ...(hint ? { hint } : {}), hintParams: p });
      }
      throw e;
    });
    const lines = reverted.map((h) => {
      const head = t('items.undo.reverted', { item: cleanInline(h.item), action: t(`items.action.${h.action}`), by: cleanInline(h.by), at: localMinute(h.at) });
      const what = describeChanges(h.changes);
      return what ? t('items.undo.withChanges', { line: head, what }) : head;
    });
    ctx.io.out(lines.join('\n'));
  },
};
