import { parseStatusList, parseTerm } from '../core/items.js';
import type { ItemFilter, SortKey, Store } from '../store/types.js';
import { EXIT, RectifyError } from '../errors.js';
import { t } from '../i18n/index.js';
import { chunked, itemTable } from '../ui/items.js';
import { itemJson, toJson } from '../ui/json.js';
import { cleanInline } from '../ui/text.js';
import { daysOption, optionalDate, ref } from './args.js';
import { lightsAsOf, parseLightList, type Light } from '../core/lights.js';
import type { Item } from '../core/types.js';
import type { CommandSpec } from './types.js';

const SORTS: SortKey[] = ['id', 'due', 'owner', 'progress'];

async function parseFilter(opts: Record<string, unknown>, store: Store, asOf: string): Promise<ItemFilter> {
  const f: ItemFilter = { all: Boolean(opts.all) };
  if (opts.status !== undefined) {
    const { statuses, unknown } = parseStatusList(String(opts.status));
    if (unknown.length || !statuses.length) {
      throw new RectifyError('items.badStatus', { value: cleanInline(unknown[0] ?? String(opts.status)) }, { exit: EXIT.badInput });
    }
    f.status = statuses;
  }
  if (opts.term !== undefined) {
    const term = parseTerm(String(opts.term));
    if (term === null) throw new RectifyError('items.badTerm', { value: cleanInline(String(opts.term)) }, { exit: EXIT.badInput });
    f.term = term;
  }
  if (opts.sort !== undefined) {
    const sort = String(opts.sort).trim().toLowerCase() as SortKey;
    if (!SORTS.includes(sort)) throw new RectifyError('items.badSort', { value: cleanInline(String(opts.sort)) }, { exit: EXIT.badInput });
    f.sort = sort;
  }
  f.dueBefore = optionalDate('--due-before', opts.dueBefore);
  if (opts.overdue) f.overdueAsOf = asOf;
  if (opts.owner !== undefined) f.owner = String(opts.owner).trim();
  if (opts.department !== undefined) f.department = String(opts.department).trim();
  if (opts.measure !== undefined) f.measure = await ref(store, String(opts.measure), 'measure');
  if (opts.area !== undefined) f.area = await ref(store, String(opts.area), 'area');
  if (opts.problem !== undefined) f.problem = await ref(store, String(opts.problem), 'problem');
  return f;
}

export const list: CommandSpec = {
  name: 'list',
  summary: 'items.list.summary',
  options: [
    { flags: '--status <statuses>', description: 'items.list.opt.status' },
    { flags: '--measure <id>', description: 'items.list.opt.measure' },
    { flags: '--area <id>', description: 'items.list.opt.area' },
    { flags: '--problem <id>', description: 'items.list.opt.problem' },
    { flags: '--owner <name>', description: 'items.list.opt.owner' },
    { flags: '--department <name>', description: 'items.list.opt.department' },
    { flags: '--term <term>', description: 'items.list.opt.term' },
    { flags: '--overdue', description: 'items.list.opt.overdue' },
    { flags: '--light <lights>', description: 'items.list.opt.light' },
    { flags: '--days <n>', description: 'items.list.opt.days' },
    { flags: '--as-of <date>', description: 'items.list.opt.asOf' },
    { flags: '--lights', description: 'items.list.opt.lights' },
    { flags: '--due-before <date>', description: 'items.list.opt.dueBefore' },
    { flags: '--all', description: 'items.list.opt.all' },
    { flags: '--sort <key>', description: 'items.list.opt.sort' },
    { flags: '--json', description: 'items.opt.json' },
  ],
  ledger: 'open',
  async run({ opts }, ctx) {
    // Overdue and the lights as of --as-of (the meeting's day), as status and report judge them.
    const asOf = optionalDate('--as-of', opts.asOf) ?? ctx.today();
    const filter = await parseFilter(opts, ctx.store, asOf);
    const days = daysOption(opts.days);
    const lightOf = lightsAsOf(asOf, days);
    // --light red,yellow: a light is reckoned from status and due date as of today, so it
    // filters each page as it is read; only unfinished items have one.
    let wanted: Light[] | null = null;
    if (opts.light !== undefined) {
      // 红灯、黄灯、绿灯 (or 红, 黄, 绿) name them too.
      const named = String(opts.light).replace(/([红黄绿])灯?/g, (_w, c: string) => ({ 红: 'red', 黄: 'yellow', 绿: 'green' })[c]!);
      const { lights, unknown } = parseLightList(named);
      if (unknown.length || !lights.length) {
        throw new RectifyError('items.badLight', { value: cleanInline(unknown[0] ?? String(opts.light)) }, { exit: EXIT.badInput });
      }
      wanted = lights;
      if (!filter.status) filter.status = ['open', 'in_progress'];
    }
    const pick = (page: Item[]) => (wanted ? page.filter((i) => { const l = lightOf(i); return l !== null && wanted!.includes(l); }) : page);
    const out = chunked((text) => ctx.io.write(text));
    if (opts.json) {
      // The same bytes as toJson(items.map(itemJson)), an item at a time.
      let n = 0;
      for await (const page of ctx.store.itemPages(filter)) {
        for (const i of pick(page)) out.put((n++ === 0 ? '[\n  ' : ',\n  ') + toJson(itemJson(i, lightOf(i))).replace(/\n/g, '\n  '));
      }
      out.put(n === 0 ? '[]\n' : '\n]\n');
      out.flush();
      return;
    }
    const maxWidth = ctx.io.stdoutIsTTY ? ctx.io.columns : undefined;
    // Lights as a column on a terminal, and whenever asked for by --light; a pipe keeps the
    // columns scripts read (the overdue marker ! stays), and JSON always carries "light".
    const lights = ctx.io.stdoutIsTTY || wanted !== null || Boolean(opts.lights);
    const table = itemTable({ today: asOf, days, lights, theme: ctx.io.theme, ...(maxWidth ? { maxWidth } : {}) });
    // Two passes over the same snapshot: the columns' widths, then the lines.
    await ctx.store.snapshot(async () => {
      let shown = 0;
      for await (const page of ctx.store.itemPages(filter, { brief: true })) {
        const rows = pick(page);
        table.measure(rows);
        shown += rows.length;
      }
      if (shown === 0) {
        ctx.io.err(t('items.list.none'));
        return;
      }
      out.put(table.header()! + '\n');
      for await (const page of ctx.store.itemPages(filter, { brief: true })) {
        for (const line of table.lines(pick(page))) out.put(line + '\n');
      }
      out.flush();
    });
  },
};
