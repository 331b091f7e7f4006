import { EXIT, RectifyError } from '../errors.js';
import { t } from '../i18n/index.js';
import { renderItemDetail, renderItemTable, renderProblemDetail } from '../ui/items.js';
import { itemJson, showJson, toJson } from '../ui/json.js';
import { cleanInline } from '../ui/text.js';
import type { CommandSpec } from './types.js';

export const show: CommandSpec = {
  name: 'show',
  summary: 'items.show.summary',
  args: [{ name: '<id>', description: 'items.show.arg.id' }],
  options: [{ flags: '--json', description: 'items.opt.json' }],
  ledger: 'open',
  async run({ args, opts }, ctx) {
    const asked = String(args[0]).trim();
    const found = await ctx.store.lookup(asked);
    if (!found) throw new RectifyError('items.unknownAnyId', { id: cleanInline(asked) }, { exit: EXIT.notFound, hint: 'items.unknownId.hint' });
    const view = { today: ctx.today(), theme: ctx.io.theme, maxWidth: ctx.io.columns };
    if (found.kind === 'item') {
      const d = (await ctx.store.itemDetail(found.id))!;
      ctx.io.out(opts.json ? toJson(showJson(d)) : renderItemDetail(d, view).join('\n'));
    } else if (found.kind === 'problem') {
      const p = (await ctx.store.problemDetail(found.id))!;
      ctx.io.out(opts.json ? toJson(p) : renderProblemDetail(p, view).join('\n'));
    } else if (found.kind === 'measure') {
      const measure = (await ctx.store.measures()).find((m) => m.id === found.id)!;
      const items = await ctx.store.listItems({ measure: found.id, all: true });
      if (opts.json) {
        ctx.io.out(toJson({ ...measure, items: items.map(itemJson) }));
      } else {
        const head = `${ctx.io.theme.id(cleanInline(measure.id))}  ${ctx.io.theme.heading(cleanInline(measure.title))}`;
        ctx.io.out([head, '', ...renderItemTable(items, { ...view, maxWidth: ctx.io.stdoutIsTTY ? ctx.io.columns : 0 })].join('\n'));
      }
    } else {
      throw new RectifyError('items.show.badKind', { id: cleanInline(found.id), kind: t(`items.kind.${found.kind}`) }, { exit: EXIT.badInput });
    }
  },
};
