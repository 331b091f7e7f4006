// Views of items: the list table, the show views, log lines and change descriptions.
// Each returns lines; text from data is escaped here, on its way to the terminal.
import { DEFAULT_DUE_SOON_DAYS, lightsAsOf, type Light } from '../core/lights.js';
import { isOverdue, type Refusal } from '../core/items.js';
import type { HistoryEntry, IsoDate, Item, ItemDetail, ProblemDetail } from '../core/types.js';
import type { Status } from '../core/vocab.js';
import { t, type MessageKey } from '../i18n/index.js';
import { fitWidths, headerWidths, measureRows, renderTable, tableLine, type Column } from './table.js';
import { clean, cleanInline, padEnd, truncate, widest, width, wrap } from './text.js';
import type { Theme } from './theme.js';

const dash = () => t('items.empty');
const statusName = (s: Status) => t(`status.${s}`);

/** A time recorded with an offset, shown as the local `YYYY-MM-DD HH:MM`. */
export function localMinute(at: string): string {
  const d = new Date(at);
  if (Number.isNaN(d.getTime())) return cleanInline(at);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}`;
}

/** Text gathered and handed to `write` in pieces of about 64 KB: a long output written as it
 *  is made, without a system call per line. */
export function chunked(write: (text: string) => void): { put(text: string): void; flush(): void } {
  let out = '';
  return {
    put(text) {
      out += text;
      if (out.length >= 65_536) {
        write(out);
        out = '';
      }
    },
    flush() {
      if (out) write(out);
      out = '';
    },
  };
}

/** A light's word (红灯, red), or a dash for none (done, verified). */
export function lightName(l: Light | null): string {
  return l === null ? dash() : t(`views.light.${l}`);
}

// --- list ---------------------------------------------------------------------------

export interface ListOptions {
  today: IsoDate;
  /** The due-soon window of the lights (default 7 days). */
  days?: number;
  /** A column of lights (红灯, red…). */
  lights?: boolean;
  theme: Theme;
  /** Cut titles so that each line fits (a terminal); none when piped. */
  maxWidth?: number;
}

function listColumns(lights: boolean): Column[] {
  return [
    { header: t('items.col.id') },
    { header: t('items.col.status') },
    ...(lights ? [{ header: t('items.col.light') }] : []),
    { header: t('items.col.progress'), align: 'right' },
    { header: t('items.col.owner') },
    { header: t('items.col.due') },
    { header: t('items.col.title'), flex: true },
  ];
}

/** A table of rows laid out in two passes over their pages, so that only a page is held:
 *  `measure` each page, then `header` and the `lines` of each page again, in the same order. */
export interface PagedTable<T> {
  measure(page: readonly T[]): void;
  /** The header line (null for a table without one). */
  header(): string | null;
  lines(page: readonly T[]): string[];
}

function pagedTable<T>(
  columns: Column[], cells: (row: T) => string[], style: (row: T, col: number, padded: string) => string,
  o: { maxWidth?: number; header?: (s: string) => string; measureCells?: (row: T) => string[] },
): PagedTable<T> {
  const measured = headerWidths(columns);
  let widths: number[] | undefined;
  // A last column left unmeasured (measureCells) is never cut: it is the last, so never padded.
  const laidOut = () => (widths ??= fitWidths(columns, measured, o.maxWidth).map((w, i) =>
    (o.measureCells && i === columns.length - 1 ? Number.POSITIVE_INFINITY : w)));
  return {
    measure(page) {
      measureRows(measured, page.map(o.measureCells ?? cells));
    },
    header() {
      if (!o.header) return null;
      return o.header(tableLine(columns, laidOut(), columns.map((c) => c.header)));
    },
    lines(page) {
      const w = laidOut();
      return page.map((row) => tableLine(columns, w, cells(row), (col, s) => style(row, col, s)));
    },
  };
}

/** The items table: a header line, then one line per item. An overdue due date carries
 *  the marker `!` (and colour on a terminal), so it stands out when piped too. */
export function itemTable(o: ListOptions): PagedTable<Item> {
  const late = (i: Item) => isOverdue(i, o.today);
  const light = lightsAsOf(o.today, o.days ?? DEFAULT_DUE_SOON_DAYS);
  const withLights = o.lights ?? false;
  // Column numbers after the status: one further on with the lights' column.
  const shift = withLights ? 1 : 0;
  return pagedTable<Item>(listColumns(withLights), (i) => [
    cleanInline(i.id),
    i.status === 'in_progress' && i.progress === 100 ? t('items.statusReopened', { status: statusName(i.status) }) : statusName(i.status),
    ...(withLights ? [lightName(light(i))] : []),
    `${i.progress}%`,
    i.owner === null ? dash() : cleanInline(i.owner),
    i.due === null ? dash() : late(i) ? `${i.due} ${t('items.overdueMark')}` : i.due,
    cleanInline(i.title),
  ], (i, col, s) => {
    if (col === 0) return o.theme.id(s);
    if (col === 1) return o.theme.status(i.status, s);
    if (withLights && col === 2) { const l = light(i); return l ? o.theme.light(l, s) : s; }
    if (col === 4 + shift && late(i)) return o.theme.overdue(s);
    return s;
  }, { header: o.theme.heading, ...(o.maxWidth ? { maxWidth: o.maxWidth } : {}) });
}

/** The items table of items held whole. */
export function renderItemTable(items: Item[], o: ListOptions): string[] {
  const table = itemTable(o);
  table.measure(items);
  return [table.header()!, ...table.lines(items)];
}

// --- changes --------------------------------------------------------------------------

const FIELD_ORDER = ['status', 'progress', 'owner', 'department', 'due', 'term', 'title', 'measure', 'addresses', 'detail', 'evidence'];

function value(field: string, v: unknown): string {
  if (v === null || v === undefined || v === '') return dash();
  if (field === 'status') return statusName(v as Status);
  if (field === 'term') return t(`term.${v as 'deadline'}`);
  if (Array.isArray(v)) return v.length ? cleanInline(v.join(',')) : dash();
  if (field === 'title') return t('items.quoted', { text: truncate(cleanInline(String(v)), 30) });
  return cleanInline(typeof v === 'string' ? v : JSON.stringify(v));
}

function fieldName(field: string): string {
  return FIELD_ORDER.includes(field) ? t(`items.field.${field}` as MessageKey) : cleanInline(field);
}

/** What a change did, field by field: `progress 40→60, status open→in progress`. */
export function describeChanges(changes: Record<string, [unknown, unknown]>, evidence: string[] = []): string {
  const rank = (f: string) => (FIELD_ORDER.includes(f) ? FIELD_ORDER.indexOf(f) : FIELD_ORDER.length);
  const parts = Object.keys(changes)
    .sort((a, b) => rank(a) - rank(b))
    .map((field) => {
      const [before, after] = changes[field]!;
      if (field === 'detail') return fieldName(field);
      if (field === 'evidence' && Array.isArray(after) && (before === null || Array.isArray(before))) {
        const had = new Set(((before as unknown[] | null) ?? []).map(String));
        const added = after.map(String).filter((e) => !had.has(e));
        if (added.length) return added.map((e) => t('items.change.added', { field: fieldName(field), value: cleanInline(e) })).join(t('items.sep'));
      }
      return t('items.change', { field: fieldName(field), before: value(field, before), after: value(field, after) });
    });
  for (const e of evidence) parts.push(t('items.change.added', { field: fieldName('evidence'), value: cleanInline(e) }));
  return parts.join(t('items.sep'));
}

/** The confirmation line of one applied change, from the item as it was. */
export function describeUpdate(item: Item, set: Record<string, unknown>, note: string | null, evidence: string[] = []): string {
  const changes: Record<string, [unknown, unknown]> = {};
  for (const [k, v] of Object.entries(set)) changes[k] = [(item as unknown as Record<string, unknown>)[k], v];
  const what = describeChanges(changes, evidence) || (note !== null ? t('items.noteOnly') : t('items.nothingChanged'));
  return t('items.changed', { id: cleanInline(item.id), what });
}

/** `M1.1 (open), M1.2 (in progress)`: the items a verb refused, for its error line. */
export function describeRefused(refused: Refusal[]): string {
  return refused.map((r) => t('items.refused.one', { id: cleanInline(r.id), status: statusName(r.status) })).join(t('items.sep'));
}

// --- log ------------------------------------------------------------------------------

/** What an undo took back, in the reader's language: `verified (2024-05-01 10:00)`. */
export function undoneWhat(h: HistoryEntry): string {
  if (!h.undoes) return '';
  return t('items.undoes', { action: t(`items.action.${h.undoes.action}`), at: localMinute(h.undoes.at), by: cleanInline(h.undoes.by) });
}

/** A log line's cells; `measuring`: all but the last (what changed, the note), which a
 *  log never pads nor cuts. */
function entryCells(h: HistoryEntry, withItem: boolean, measuring = false): string[] {
  const cells = [
    localMinute(h.at),
    // Who typed it, where the server knows it and it is not the actor named (--by).
    h.dbUser !== undefined && h.dbUser !== h.by ? t('pg.byRole', { by: cleanInline(h.by), role: cleanInline(h.dbUser) }) : cleanInline(h.by),
    ...(withItem ? [cleanInline(h.item)] : []),
    h.undone ? t('items.undoneAction', { action: t(`items.action.${h.action}`) }) : t(`items.action.${h.action}`),
  ];
  if (measuring) return cells;
  const note = h.note === null ? '' : t('items.quoted', { text: cleanInline(h.note) });
  const what = h.action === 'create' || h.action === 'import' ? '' : describeChanges(h.changes);
  const undoes = h.action === 'undo' ? undoneWhat(h) : '';
  cells.push([undoes, what, note].filter(Boolean).join('  '));
  return cells;
}

/** Log lines over pages (see PagedTable): when (local time), who, [item,] what it did,
 *  what changed, note; no header. */
export function logTable(theme: Theme, withItem = true): PagedTable<HistoryEntry> {
  const itemCol = withItem ? 2 : -1;
  const columns: Column[] = Array.from({ length: withItem ? 5 : 4 }, () => ({ header: '' }));
  return pagedTable<HistoryEntry>(columns, (h) => entryCells(h, withItem), (_h, col, s) =>
    col === 0 ? theme.dim(s) : col === itemCol ? theme.id(s) : s, { measureCells: (h) => entryCells(h, withItem, true) });
}

/** One line per change, of entries held whole. */
export function renderLog(entries: HistoryEntry[], theme: Theme, withItem = true): string[] {
  const table = logTable(theme, withItem);
  table.measure(entries);
  return table.lines(entries);
}

// --- show -----------------------------------------------------------------------------

interface Field {
  label: string;
  lines: string[];
  /** Colour for the value, applied after wrapping so that codes never count as width. */
  style?: (s: string) => string;
}

/** Label–value pairs, labels padded to one width, long values wrapped under themselves. */
function fields(list: Field[], maxWidth: number, theme: Theme): string[] {
  const labelWidth = widest(list.map((f) => f.label));
  const indent = ' '.repeat(labelWidth + 2);
  const out: string[] = [];
  for (const f of list) {
    const wrapped = f.lines.flatMap((l) => wrap(l, maxWidth, indent));
    const style = f.style ?? ((s: string) => s);
    wrapped.forEach((line, i) => {
      const text = style(line.slice(indent.length));
      out.push(i === 0 ? theme.heading(padEnd(f.label, labelWidth)) + '  ' + text : indent + text);
    });
  }
  return out;
}

/** The id and title as a heading, then the full text wrapped and indented. */
function heading(id: string, title: string, detail: string | null, maxWidth: number, theme: Theme): string[] {
  const shownId = cleanInline(id);
  const titleLines = wrap(cleanInline(title), maxWidth, ' '.repeat(width(shownId) + 2));
  const out = [theme.id(shownId) + '  ' + theme.heading(titleLines[0]!.trimStart()), ...titleLines.slice(1)];
  if (detail) out.push('', ...wrap(clean(detail), maxWidth, '  '));
  return out;
}

const ref = (id: string, title: string) => `${cleanInline(id)}  ${cleanInline(title)}`;

export function renderItemDetail(d: ItemDetail, o: { today: IsoDate; theme: Theme; maxWidth: number }): string[] {
  const late = isOverdue(d, o.today);
  const light = lightsAsOf(o.today)(d);
  const due = d.due === null ? dash() : late ? `${d.due} ${t('items.overdueMark')} ${t('items.show.overdue')}` : d.due;
  const list: Field[] = [
    { label: t('items.show.measure'), lines: [ref(d.measure, d.measureTitle)] },
    { label: t('items.show.problems'), lines: d.problems.length ? d.problems.map((p) => ref(p.id, p.title)) : [dash()] },
    { label: t('items.show.owner'), lines: [d.owner === null ? dash() : cleanInline(d.owner)] },
    { label: t('items.show.department'), lines: [d.department === null ? dash() : cleanInline(d.department)] },
    { label: t('items.show.due'), lines: [due], ...(late ? { style: o.theme.overdue } : {}) },
    { label: t('items.show.term'), lines: [t(`term.${d.term}`)] },
    { label: t('items.show.status'), lines: [statusName(d.status)], style: (s) => o.theme.status(d.status, s) },
    { label: t('items.show.light'), lines: [lightName(light)], ...(light ? { style: (s: string) => o.theme.light(light, s) } : {}) },
    { label: t('items.show.progress'), lines: [`${d.progress}%`] },
    { label: t('items.show.evidence'), lines: d.evidence.length ? d.evidence.map((e) => cleanInline(e)) : [dash()] },
  ];
  const out = [...heading(d.id, d.title, d.detail, o.maxWidth, o.theme), '', ...fields(list, o.maxWidth, o.theme)];
  out.push(o.theme.heading(t('items.show.history')));
  out.push(...renderLog(d.history, o.theme, false).map((l) => '  ' + l));
  return out;
}

/** A measure (or an area): its id and title as a heading, its full text, then its items
 *  (and for an area, its problems first). */
export function renderGroupDetail(
  g: { id: string; title: string; detail: string | null; problems?: { id: string; title: string }[] },
  items: Item[],
  o: { today: IsoDate; theme: Theme; maxWidth: number; tableWidth?: number },
): string[] {
  const out = [...heading(g.id, g.title, g.detail, o.maxWidth, o.theme)];
  if (g.problems) {
    out.push('', o.theme.heading(t('items.show.areaProblems')));
    out.push(...(g.problems.length ? g.problems.map((p) => '  ' + ref(p.id, p.title)) : ['  ' + dash()]));
  }
  out.push('', o.theme.heading(t('items.show.items')));
  if (!items.length) out.push('  ' + t('items.show.noGroupItems'));
  else {
    const table = { today: o.today, theme: o.theme, ...(o.tableWidth ? { maxWidth: o.tableWidth - 2 } : {}) };
    out.push(...renderItemTable(items, table).map((l) => '  ' + l));
  }
  return out;
}

export function renderProblemDetail(p: ProblemDetail, o: { theme: Theme; maxWidth: number }): string[] {
  const out = [...heading(p.id, p.title, p.detail, o.maxWidth, o.theme), ''];
  out.push(...fields([{ label: t('items.show.area'), lines: [ref(p.area.id, p.area.name)] }], o.maxWidth, o.theme));
  out.push(o.theme.heading(t('items.show.items')));
  if (!p.items.length) {
    out.push('  ' + t('items.show.noItems'));
    return out;
  }
  const rows = p.items.map((i) => [
    cleanInline(i.id),
    statusName(i.status),
    `${i.progress}%`,
    i.owner === null ? dash() : cleanInline(i.owner),
    cleanInline(i.title),
  ]);
  const style = (row: number, col: number, s: string) =>
    col === 0 ? o.theme.id(s) : col === 1 ? o.theme.status(p.items[row]!.status, s) : s;
  const columns: Column[] = rows[0]!.map((_, i) => ({ header: '', ...(i === 2 ? { align: 'right' as const } : {}) }));
  for (const l of renderTable(columns, rows, { style }).slice(1)) out.push('  ' + l);
  return out;
}
