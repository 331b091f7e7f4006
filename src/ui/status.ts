// `rectify status`: one screen that answers "where do we stand, and what needs chasing
// before the meeting?". A pure function of the model; colour only through the theme.
import { barEighths, type DatedItem, type StatusModel } from '../core/summary.js';
import type { HistoryEntry } from '../core/types.js';
import type { Status, Term } from '../core/vocab.js';
import { t, type Lang, type MessageKey, type Params } from '../i18n/index.js';
import { renderTable, type Column } from './table.js';
import { makeTheme, type Theme } from './theme.js';
import { cleanInline, padEnd, padStart, truncate, widest } from './text.js';

export interface StatusRenderOptions {
  lang: Lang;
  theme?: Theme;
  /** The screen's width; lines never exceed it (at most MAX_WIDTH are used). */
  width?: number;
  /** Lines shown of each list before "… and N more". */
  limit?: number;
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
      : w.t(h.action === 'extend' ? 'views.change.extend' : 'views.change.due', { from: str(c.due[0]), to: str(c.due[1]) }));
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

interface Row {
  label: string;
  part: number;
  whole: number;
  percent: number;
}

export function renderStatus(m: StatusModel, opts: StatusRenderOptions): string {
  const w = words(opts.lang);
  const th = opts.theme ?? makeTheme(false);
  const W = Math.max(40, Math.min(MAX_WIDTH, opts.width ?? DEFAULT_WIDTH));
  const limit = opts.limit ?? 10;
  const out: string[] = [];
  const blank = () => out.push('');
  const heading = (s: string) => out.push(th.heading(truncate(s, W)));
  const note = (s: string) => out.push('  ' + th.dim(truncate(s, W - 2)));

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
  const measureRows: Row[] = m.measures.map((x) => ({ label: label(x.id, x.title), part: x.done, whole: x.items, percent: x.percentDone }));
  const all = [...headRows, ...areaRows, ...measureRows];
  const countW = widest(all.map((r) => `${r.part}/${r.whole}`));
  const pctW = 4;
  let barW = 20;
  const fixed = () => 2 + 2 + barW + 2 + countW + 2 + pctW;
  if (W - fixed() < 24) barW = 10;
  const labelW = Math.min(widest(all.map((r) => r.label)), W - fixed());
  const gridLine = (r: Row) => {
    const b = bar(r.part, r.whole, barW);
    const pct = padStart(`${r.percent}%`, pctW);
    const pctStyled = r.whole > 0 && r.part >= r.whole ? th.ok(pct) : pct;
    return `  ${padEnd(truncate(r.label, labelW), labelW)}  ${th.bar(b.filled)}${th.track(b.track)}  ${padStart(`${r.part}/${r.whole}`, countW)}  ${pctStyled}`;
  };
  for (const r of headRows) out.push(gridLine(r));
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
  heading(w.t('views.status.areas'));
  if (areaRows.length === 0) note(w.t('views.status.noAreas'));
  capped(areaRows, 'views.status.moreAreas');
  blank();
  heading(w.t('views.status.measures'));
  if (measureRows.length === 0) note(w.t('views.status.noMeasures'));
  capped(measureRows, 'views.status.moreMeasures');

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

  blank();
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
  heading(w.t('views.status.recent', { from: m.recent.from, to: m.recent.to }));
  const ch = m.recent.changes;
  if (ch.length === 0) note(w.t('views.status.noRecent'));
  else {
    table(
      [
        { header: w.t('views.col.date') },
        { header: w.t('views.col.by') },
        { header: w.t('views.col.id') },
        { header: w.t('views.col.change'), flex: true },
      ],
      ch.map((h) => [h.at.slice(0, 10), truncate(cleanInline(h.by), 12), id(h.item), describeChange(h, w)]),
      (_r, col, s) => (col === 2 ? th.id(s) : s),
      m.recent.total,
    );
  }
  return out.join('\n');
}
