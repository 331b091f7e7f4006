import { lightsAsOf } from '../core/lights.js';
import { normalizeId } from '../core/ids.js';
import { EXIT, RectifyError } from '../errors.js';
import { t } from '../i18n/index.js';
import { renderGroupDetail, renderItemDetail, renderProblemDetail } from '../ui/items.js';
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
    const asked = normalizeId(String(args[0]));
    if (asked === '') throw new RectifyError('items.noId', {}, { exit: EXIT.badInput });
    const found = await ctx.store.lookup(asked);
    if (!found) throw new RectifyError('items.unknownAnyId', { id: cleanInline(asked) }, { exit: EXIT.notFound, hint: 'items.unknownId.hint' });
    const view = { today: ctx.today(), theme: ctx.io.theme, maxWidth: ctx.io.columns };
    if (found.kind === 'item') {
      const d = (await ctx.store.itemDetail(found.id))!;
      ctx.io.out(opts.json ? toJson(showJson(d, lightsAsOf(ctx.today())(d))) : renderItemDetail(d, view).join('\n'));
    } else if (found.kind === 'problem') {
      const p = (await ctx.store.problemDetail(found.id))!;
      if (opts.json) {
        // Each item with its light, as every JSON of items carries it (cli.md, third round).
        const light = lightsAsOf(ctx.today());
        const lights = new Map((await ctx.store.listItems({ problem: found.id, all: true })).map((i) => [i.id, light(i)]));
        ctx.io.out(toJson({ ...p, items: p.items.map((i) => ({ ...i, light: lights.get(i.id) ?? null })) }));
      } else {
        ctx.io.out(renderProblemDetail(p, view).join('\n'));
      }
    } else if (found.kind === 'measure' || found.kind === 'area') {
      const isMeasure = found.kind === 'measure';
      const items = await ctx.store.listItems({ ...(isMeasure ? { measure: found.id } : { area: found.id }), all: true });
      let group: { id: string; title: string; detail: string | null; problems?: { id: string; title: string }[] };
      if (isMeasure) {
        const m = (await ctx.store.measures()).find((x) => x.id === found.id)!;
        group = { id: m.id, title: m.title, detail: m.detail ?? null };
      } else {
        const area = (await ctx.store.statusFigures(ctx.today(), 0, { listLimit: 0 })).areas.find((a) => a.id === found.id)!;
        const problems = (await ctx.store.problems()).filter((p) => p.area === found.id).map((p) => ({ id: p.id, title: p.title }));
        group = { id: area.id, title: area.name, detail: null, problems };
      }
      if (opts.json) {
        const light = lightsAsOf(ctx.today());
        ctx.io.out(toJson({ ...group, items: items.map((i) => itemJson(i, light(i))) }));
      } else {
        // Titles are cut to a terminal's width; piped, they are whole (as `list` does).
        ctx.io.out(renderGroupDetail(group, items, { ...view, ...(ctx.io.stdoutIsTTY ? { tableWidth: ctx.io.columns } : {}) }).join('\n'));
      }
    } else {
      throw new RectifyError('items.show.badKind', { id: cleanInline(found.id), kind: t(`items.kind.${found.kind}`) }, { exit: EXIT.badInput });
    }
  },
};
