// `rectify status`: one screen that answers "where do we stand, and what needs chasing
// before the meeting?". A pure function of the model; colour only through the theme.
import { barEighths, type DatedItem, type StatusModel } from '../core/summary.js';
import type { HistoryEntry } from '../core/types.js';
import type { ChangeGroup } from '../core/summary.js';
import { compareIds } from '../core/ids.js';
import type { Light } from '../core/lights.js';
import type { Status, Term } from '../core/vocab.js';
import { t, type Lang, type MessageKey, type Params } from '../i18n/index.js';
import { renderTable, type Column } from './table.js';
import { makeTheme, type Theme } from './theme.js';
import { cleanInline, padEnd, padStart, truncate, widest, width } from './text.js';

export interface StatusRenderOptions {
  lang: Lang;
  theme?: Theme;
  /** The screen's width; lines never exceed it (at most MAX_WIDTH are used). */
  width?: number;
  /** Lines shown of each list before "… and N more". */
  limit?: number;
  /** Everything (areas, measures, owners, departments); else the screen before a meeting:
   *  headline, lights, overdue, due soon and what moved, within 40 rows. */
  full?: boolean;
}

/** The width when none is known (piped: 80), and the widest a view gets on a wide
 *  terminal (whose width lets titles show whole). */
export const DEFAULT_WIDTH = 80;
export const MAX_WIDTH = 200;
const PARTIAL = ['', '▏', '▎', '▍', '▌', '▋', '▊', '▉'];
const FULL = '█';
const TRACK = '░';

/** A completion bar of `cells` cells, in eighths of a cell. Plain text; `track` is the
 *  unfilled part, kept separate so that a theme can dim it. */
export function bar(part: number, whole: number, cells: number): { filled: string; track: string } {
  const e = barEighths(part, whole, cells);
  const full = Math.floor(e / 8);
  const filled = FULL.repeat(full) + PARTIAL[e % 8]!;
  return { filled, track: TRACK.repeat(cells - full - (e % 8 ? 1 : 0)) };
}

/** Words in the chosen language, with English plurals where English needs them. */
export function words(lang: Lang) {
  const tt = (key: MessageKey, params?: Params) => t(key, params, lang);
  return {
    t: tt,
    /** `one` for exactly 1, else `other` (Chinese has one form: both keys say the same). */
    n: (n: number, one: MessageKey, other: MessageKey, params: Params = {}) => tt(n === 1 ? one : other, { ...params, n }),
    status: (s: Status) => tt(`status.${s}`),
    term: (x: Term) => tt(`term.${x}`),
    owner: (o: string | null) => (o === null ? tt('views.unassigned') : cleanInline(o)),
  };
}
export type Words = ReturnType<typeof words>;

/** A history entry in a few words: what changed, then the note. Data escaped. */
export function describeChange(h: HistoryEntry, w: Words): string {
  const parts: string[] = [];
  const c = h.changes ?? {};
  const str = (v: unknown) => (v === null || v === undefined || v === '' ? w.t('views.none') : cleanInline(String(v)));
  const statusName = (v: unknown) => (typeof v === 'string' && (v === 'open' || v === 'in_progress' || v === 'done' || v === 'verified') ? w.status(v) : str(v));
  switch (h.action) {
    case 'create': parts.push(w.t('views.change.create')); break;
    case 'done': parts.push(w.t('views.change.done')); break;
    case 'verify': parts.push(w.t('views.change.verify')); break;
    case 'reopen': parts.push(w.t('views.change.reopen')); break;
    case 'undo': parts.push(w.t('views.change.undo')); break;
    case 'import': parts.push(w.t('views.change.import')); break;
    default: break;
  }
  // The status a verb already says: done, signed off, reopened; recording progress moves
  // an item to in progress (or done at 100), which the numbers say well enough.
  const implied = h.action === 'done' || h.action === 'verify' || h.action === 'reopen' || h.action === 'progress';
  if (c.owner) parts.push(w.t('views.change.owner', { to: str(c.owner[1]) }));
  if (c.department) parts.push(w.t('views.change.department', { to: str(c.department[1]) }));
  if (c.due) {
    parts.push(c.due[0] === null || c.due[0] === undefined
      ? w.t('views.change.dueSet', { to: str(c.due[1]) })
      : w.t(h.action === 'extend' ? 'views.change.extend'
        : typeof c.due[1] === 'string' && String(c.due[1]) < String(c.due[0]) ? 'views.change.dueEarlier' : 'views.change.due', { from: str(c.due[0]), to: str(c.due[1]) }));
  }
  if (c.term) parts.push(w.t('views.change.term', { to: typeof c.term[1] === 'string' && ['immediate', 'deadline', 'ongoing'].includes(c.term[1]) ? w.term(c.term[1] as Term) : str(c.term[1]) }));
  if (!implied && c.status) parts.push(w.t('views.change.status', { from: statusName(c.status[0]), to: statusName(c.status[1]) }));
  if (c.progress && c.progress[0] !== c.progress[1] && h.action !== 'done' && h.action !== 'verify') parts.push(w.t('views.change.progress', { from: str(c.progress[0]), to: str(c.progress[1]) }));
  if (c.title || c.detail || c.addresses || c.measure) parts.push(w.t('views.change.text'));
  const note = h.note && h.note.trim() ? cleanInline(h.note.trim()) : null;
  if (parts.length === 0) parts.push(w.t(note ? 'views.change.note' : 'views.change.other'));
  const what = parts.join(w.t('list.sep'));
  return note ? w.t('views.change.withNote', { what, note }) : what;
}

/** Recent changes are grouped (by who, and what kind) in core/summary.ts, the groups told in
 *  its ACTION_ORDER: what moved the work first (sign-off, completion, progress), then who was
 *  given what, then the rest. */
export { groupChanges, type ChangeGroup } from '../core/summary.js';

/** The first ids in compareIds order (a stable sort's), enough of them that, joined by `sep`,
 *  they are wider than `room`; all of them, sorted, without a room. A week of a big ledger
 *  puts thousands of ids in one group, of which a screen line shows a few: keeping the
 *  smallest few in one pass asks the collator a few times per id, not log2(n) times. */
export function firstIds(ids: readonly string[], sep: number, room?: number): string[] {
  let least = Infinity;
  if (room !== undefined) for (const id of ids) least = Math.min(least, width(cleanInline(id)));
  // k ids of at least `least` columns each, joined, take more than `room` columns.
  const k = room === undefined || !(least >= 1) ? ids.length : Math.floor((room + sep) / (least + sep)) + 1;
  if (k >= ids.length) return [...ids].sort(compareIds);
  const kept: string[] = [];
  for (const id of ids) {
    // After every id it ties with: where a stable sort puts it.
    if (kept.length === k && compareIds(id, kept[k - 1]!) >= 0) continue;
    let lo = 0;
    let hi = kept.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (compareIds(id, kept[mid]!) < 0) hi = mid;
      else lo = mid + 1;
    }
    kept.splice(lo, 0, id);
    if (kept.length > k) kept.pop();
  }
  return kept;
}

/** A group in a few words: one change as describeChange says it; several as a count and the
 *  ids in listing order (with the progress each reached, for progress). With `room` (a line
 *  of that many columns cuts it), only the ids that reach past it. */
export function describeGroup(g: ChangeGroup, w: Words, room?: number): string {
  if (g.only) return `${cleanInline(g.items[0]!)} ${describeChange(g.only, w)}`;
  // The progress each item's newest entry reached.
  const reached = g.action === 'progress' ? new Map(g.items.map((id, k) => [id, g.progress[k]])) : null;
  const sep = w.t('views.group.sep');
  const ids = firstIds(g.items, width(sep), room === undefined ? undefined : room + 8).map((id) => {
    const p = reached?.get(id);
    return p !== null && p !== undefined ? `${cleanInline(id)} ${p}%` : cleanInline(id);
  });
  const key = `views.group.${g.action}` as MessageKey;
  const head = w.t(key, { n: g.action === 'undo' ? g.entries : g.items.length });
  return w.t('views.group.line', { what: head, ids: ids.join(sep) });
}

/** A light's word, as the screen shows it: 红灯 2. */
export function lightWord(l: Light, w: Words): string {
  return w.t(`views.light.${l}`);
}

interface Row {
  label: string;
  part: number;
  whole: number;
  percent: number;
  lights?: LightCounts;
}

/** Unfinished items by light. */
export interface LightCounts { red: number; yellow: number; green: number }

/** What `status --full` (and its JSON) adds: lights per measure and per department, read
 *  from the unfinished items (the figures hold only the ledger's totals). */
export interface StatusLights {
  measures: Map<string, LightCounts>;
  departments: { department: string | null; open: number; red: number; yellow: number; green: number }[];
}

/** The ledger's lights from the figures alone: red is overdue, yellow due soon, green the
 *  rest of the unfinished items. */
export function lightTotals(m: StatusModel): LightCounts {
  const open = m.items.open + m.items.inProgress;
  return { red: m.overdueTotal, yellow: m.dueSoonTotal, green: Math.max(0, open - m.overdueTotal - m.dueSoonTotal) };
}

export function renderStatus(m: StatusModel, opts: StatusRenderOptions & { lights?: StatusLights }): string {
  const w = words(opts.lang);
  const th = opts.theme ?? makeTheme(false);
  const W = Math.max(40, Math.min(MAX_WIDTH, opts.width ?? DEFAULT_WIDTH));
  const limit = opts.limit ?? 10;
  const out: string[] = [];
  const blank = () => out.push('');
  const heading = (s: string) => out.push(th.heading(truncate(s, W)));
  const note = (s: string) => out.push('  ' + th.dim(truncate(s, W - 2)));
  const lightsText = (c: LightCounts, zeros: boolean) => (['red', 'yellow', 'green'] as const)
    .filter((l) => zeros || c[l] > 0)
    .map((l) => th.light(l, w.t('views.light.count', { light: lightWord(l, w), n: c[l] })))
    .join(w.t('views.light.sep'));

  // Header: what, whose, as of when.
  out.push(th.heading(truncate(cleanInline(m.report.title), W)));
  const unit = m.report.unit ? cleanInline(m.report.unit) : null;
  out.push(truncate(unit ? w.t('views.status.subtitle', { unit, date: m.asOf }) : w.t('views.status.subtitleNoUnit', { date: m.asOf }), W));
  blank();

  // Headline.
  const i = m.items;
  out.push(truncate(w.n(i.total, 'views.status.items.one', 'views.status.items.other', {
    open: i.open, inProgress: i.inProgress, done: i.done, verified: i.verified,
  }), W));

  // The completion grid: the two headline bars, then areas, then measures, one layout.
  const idW = widest([...m.areas, ...m.measures].map((x) => cleanInline(x.id)));
  const label = (id: string, name: string) => padEnd(cleanInline(id), idW) + '  ' + cleanInline(name);
  const headRows: Row[] = [
    { label: w.t('views.status.row.items'), part: i.done + i.verified, whole: i.total, percent: m.percentDone },
    { label: w.t('views.status.row.problems'), part: m.problems.rectified, whole: m.problems.total, percent: m.problems.percent },
  ];
  const areaRows: Row[] = m.areas.map((a) => ({ label: label(a.id, a.name), part: a.rectified, whole: a.problems, percent: a.percent }));
  const measureRows: Row[] = m.measures.map((x) => ({ label: label(x.id, x.title), part: x.done, whole: x.items, percent: x.percentDone, lights: opts.lights?.measures.get(x.id) ?? { red: 0, yellow: 0, green: 0 } }));
  const all = opts.full ? [...headRows, ...areaRows, ...measureRows] : headRows;
  const countW = widest(all.map((r) => `${r.part}/${r.whole}`));
  const pctW = 4;
  let barW = 20;
  // Room for the measures' lights (红灯 1 · 黄灯 2) on the full screen.
  const lightW = opts.full && opts.lights ? Math.max(0, ...measureRows.map((r) => (r.lights && (r.lights.red || r.lights.yellow) ? 2 + widest([lightsText(r.lights, false)]) : 0))) : 0;
  const fixed = () => 2 + 2 + barW + 2 + countW + 2 + pctW + lightW;
  if (W - fixed() < 24) barW = 10;
  const labelW = Math.min(widest(all.map((r) => r.label)), W - fixed());
  const gridLine = (r: Row) => {
    const b = bar(r.part, r.whole, barW);
    const pct = padStart(`${r.percent}%`, pctW);
    const pctStyled = r.whole > 0 && r.part >= r.whole ? th.ok(pct) : pct;
    const line = `  ${padEnd(truncate(r.label, labelW), labelW)}  ${th.bar(b.filled)}${th.track(b.track)}  ${padStart(`${r.part}/${r.whole}`, countW)}  ${pctStyled}`;
    return r.lights && (r.lights.red || r.lights.yellow) ? `${line}  ${lightsText(r.lights, false)}` : line;
  };
  for (const r of headRows) out.push(gridLine(r));
  out.push(truncate('  ' + w.t('views.status.lights') + '  ' + lightsText(lightTotals(m), true), W + 40));
  blank();
  // Thousands of rows do not fit a screen: those furthest behind (the least done, then in
  // seed order), then one line for the rest and their totals.
  const capped = (rows: Row[], more: 'views.status.moreMeasures' | 'views.status.moreAreas') => {
    if (rows.length <= limit) {
      for (const r of rows) out.push(gridLine(r));
      return;
    }
    const order = rows.map((r, n) => ({ r, n })).sort((a, b) => a.r.percent - b.r.percent || a.n - b.n);
    for (const { r } of order.slice(0, limit).sort((a, b) => a.n - b.n)) out.push(gridLine(r));
    const rest = order.slice(limit);
    note(w.t(more, {
      n: rest.length, done: rest.reduce((s, x) => s + x.r.part, 0), items: rest.reduce((s, x) => s + x.r.whole, 0),
    }));
  };
  if (opts.full) {
    heading(w.t('views.status.areas'));
    if (areaRows.length === 0) note(w.t('views.status.noAreas'));
    capped(areaRows, 'views.status.moreAreas');
    blank();
    heading(w.t('views.status.measures'));
    if (measureRows.length === 0) note(w.t('views.status.noMeasures'));
    capped(measureRows, 'views.status.moreMeasures');
    blank();
  }

  // What needs chasing.
  const more = (n: number) => {
    if (n > 0) out.push('  ' + th.dim(w.t('views.more', { n })));
  };
  const table = (columns: Column[], rows: string[][], style?: (row: number, col: number, padded: string) => string, total = rows.length) => {
    const shown = rows.slice(0, limit);
    for (const line of renderTable(columns, shown, { maxWidth: W - 2, header: th.dim, ...(style ? { style } : {}) })) {
      out.push('  ' + line);
    }
    more(total - shown.length);
  };
  // Caps that keep every table within 80 columns whatever the data (ids may be 32 long).
  const owner = (o: string | null) => truncate(w.owner(o), 16);
  const id = (s: string) => truncate(cleanInline(s), 16);
  const dated = (xs: DatedItem[], total: number, daysText: (d: number) => string, daysHeader: string, daysStyle: (s: string) => string) =>
    table(
      [
        { header: w.t('views.col.id') },
        { header: w.t('views.col.owner') },
        { header: w.t('views.col.due') },
        { header: daysHeader, align: 'right' },
        { header: w.t('views.col.title'), flex: true },
      ],
      xs.map((x) => [id(x.id), owner(x.owner), x.due, daysText(x.days), cleanInline(x.title)]),
      (_r, col, s) => (col === 0 ? th.id(s) : col === 3 ? daysStyle(s) : s),
      total,
    );

  heading(w.t('views.status.overdue', { n: m.overdueTotal }));
  if (m.overdueTotal === 0) note(w.t('views.status.noOverdue'));
  else dated(m.overdue, m.overdueTotal, (d) => w.n(d, 'views.days.one', 'views.days.other'), w.t('views.col.late'), th.overdue);

  blank();
  // "within 7 days", "within 1 day" (7日内).
  const window = w.n(m.days, 'views.report.window.one', 'views.report.window.other');
  heading(m.days === 0
    ? w.t('views.status.dueToday', { n: m.dueSoonTotal })
    : w.t('views.status.dueSoon', { n: m.dueSoonTotal, days: m.days, window }));
  if (m.dueSoonTotal === 0) note(m.days === 0 ? w.t('views.status.noDueToday') : w.t('views.status.noDueSoon', { days: m.days, window }));
  else dated(m.dueSoon, m.dueSoonTotal, (d) => (d === 0 ? w.t('views.today') : w.n(d, 'views.inDays.one', 'views.inDays.other')), w.t('views.col.left'), th.warn);

  if (opts.full) {
    blank();
    heading(w.t('views.status.owners'));
    if (m.owners.length === 0) note(w.t('views.status.noOwners'));
    else {
      table(
        [
          { header: w.t('views.col.owner'), flex: true },
          { header: w.t('views.col.open'), align: 'right' },
          { header: w.t('views.col.overdue'), align: 'right' },
        ],
        m.owners.map((o) => [w.owner(o.owner), String(o.open), String(o.overdue)]),
        (r, col, s) => {
          const o = m.owners[r]!;
          if (col === 0 && o.owner === null) return th.dim(s);
          return col === 2 && o.overdue > 0 ? th.overdue(s) : s;
        },
      );
    }

    blank();
    heading(w.t('views.status.departments'));
    const ds = opts.lights?.departments ?? [];
    if (ds.length === 0) note(w.t('views.status.noOwners'));
    else {
      table(
        [
          { header: w.t('views.col.department'), flex: true },
          { header: w.t('views.col.open'), align: 'right' },
          { header: lightWord('red', w), align: 'right' },
          { header: lightWord('yellow', w), align: 'right' },
          { header: lightWord('green', w), align: 'right' },
        ],
        ds.map((d) => [d.department === null ? w.t('views.unassigned') : cleanInline(d.department), String(d.open), String(d.red), String(d.yellow), String(d.green)]),
        (r, col, s2) => {
          const d = ds[r]!;
          if (col === 0 && d.department === null) return th.dim(s2);
          return col === 2 && d.red > 0 ? th.light('red', s2) : col === 3 && d.yellow > 0 ? th.light('yellow', s2) : s2;
        },
      );
    }
  }
  blank();
  heading(w.t('views.status.recent', { from: m.recent.from, to: m.recent.to }));
  const groups = m.recent.groups;
  if (groups.length === 0) note(w.t('views.status.noRecent'));
  else {
    table(
      [
        { header: w.t('views.col.date') },
        { header: w.t('views.col.by') },
        { header: w.t('views.col.change'), flex: true },
      ],
      // A line holds at most W columns: the ids past them are not sorted out.
      groups.map((g) => [g.day, truncate(cleanInline(g.by), 12), describeGroup(g, w, W)]),
      undefined,
    );
    // Changes beyond those read (a big ledger's week) are counted, not told.
    const told = m.recent.told;
    if (m.recent.total > told) note(w.t('views.status.recentMore', { n: m.recent.total - told }));
  }
  if (!opts.full) {
    blank();
    out.push(th.dim(truncate(w.t('views.status.fullHint'), W)));
  }
  return out.join('\n');
}
