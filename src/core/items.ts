// The rules of working on items, pure: reading what people type (percent, dates, status
// and term names in English or Chinese), which status changes are allowed, and the change
// each verb makes to an item as it stands. Nothing here reads the clock or prints.
import { parseDateText } from './dates.js';
import type { IsoDate, Item, ItemState } from './types.js';
import { OPEN_STATUSES, type Action, type Status, type Term } from './vocab.js';

/** What people type, made comparable: full-width letters, digits and signs (５０％) become
 *  their ASCII forms, surrounding space goes, case is ignored. */
function normalize(text: string): string {
  return text.normalize('NFKC').trim().toLowerCase();
}

/** A whole percentage 0–100, written `50`, `50%` or `５０％`; null for anything else. */
export function parsePercent(text: string): number | null {
  const m = /^(\d{1,3})\s*%?$/.exec(normalize(text));
  if (!m) return null;
  const n = Number(m[1]);
  return n <= 100 ? n : null;
}

/** A real calendar date as people write one (core/dates.ts, parseDateText); null otherwise. */
export function parseDate(text: string): IsoDate | null {
  return parseDateText(normalize(text));
}

/** Free text a person typed (a title, a note, a name): trimmed, and null when nothing is left. */
export function parseText(text: string | undefined | null): string | null {
  if (text === undefined || text === null) return null;
  const s = text.trim();
  return s === '' ? null : s;
}

// --- The seed's text rules, for what the command line takes --------------------------
// Whatever a command accepts, `export` writes and `init` must read back: the same rules
// as a seed's (docs/seed-format.md), and lengths that keep a ledger printable.

/** The longest text each field may hold, in characters (code points). */
export const TEXT_LIMITS = {
  title: 500,
  detail: 20_000,
  owner: 100,
  department: 100,
  note: 5_000,
  evidence: 1_000,
  /** Who acts (--by, $RECTIFY_USER): recorded in every history entry. */
  by: 100,
} as const;
export type TextField = keyof typeof TEXT_LIMITS;

/** The evidence texts one `done` records at most, on a file as on a server (whose guard refuses
 *  more: postgres migration 20). */
export const EVIDENCE_MAX = 100;

/** Fields of one line: a line break pasted into them is collapsed. */
const ONE_LINE: readonly TextField[] = ['title', 'owner', 'department', 'by'];

export type TextCheck =
  | { ok: true; value: string | null }
  | { ok: false; reason: 'control'; code: number }
  | { ok: false; reason: 'tooLong'; max: number; length: number };

const CJK = /[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef]/;

/** A pasted line break inside one-line text: between Chinese text nothing was meant (it
 *  was the width of a page), between words one space. */
function collapseLines(s: string): string {
  return s.replace(/[ \t]*\r?\n[\s]*/g, (_m, offset: number, whole: string) => {
    const before = whole[offset - 1] ?? '';
    const after = whole[offset + _m.length] ?? '';
    return CJK.test(before) && CJK.test(after) ? '' : ' ';
  });
}

/** The first character no seed may hold: C0 and C1 controls but tab and line feed (a CRLF
 *  pair counts as a line break), DEL, lone surrogates; -1 when there is none. */
export function forbiddenChar(text: string): number {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x0d && text.charCodeAt(i + 1) === 0x0a) continue;
    if (c < 0x20) {
      if (c !== 0x09 && c !== 0x0a) return c;
    } else if (c >= 0x7f && c <= 0x9f) return c;
    else if (c >= 0xd800 && c <= 0xdbff) {
      const d = text.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) i++;
      else return c;
    } else if (c >= 0xdc00 && c <= 0xdfff) return c;
  }
  return -1;
}

/** Text for a field as the command line gave it: trimmed (null when blank), controls
 *  refused, line breaks of one-line fields collapsed, CRLF made LF, length checked. */
export function checkText(field: TextField, text: string | undefined | null): TextCheck {
  if (text === undefined || text === null) return { ok: true, value: null };
  const bad = forbiddenChar(text);
  if (bad >= 0) return { ok: false, reason: 'control', code: bad };
  let s = text.replace(/\r\n/g, '\n').trim();
  if (ONE_LINE.includes(field)) s = collapseLines(s);
  if (s === '') return { ok: true, value: null };
  const length = [...s].length;
  const max = TEXT_LIMITS[field];
  if (length > max) return { ok: false, reason: 'tooLong', max, length };
  return { ok: true, value: s };
}

const STATUS_NAMES: Record<string, Status> = {
  open: 'open',
  in_progress: 'in_progress',
  'in-progress': 'in_progress',
  'in progress': 'in_progress',
  inprogress: 'in_progress',
  done: 'done',
  verified: 'verified',
  未开始: 'open',
  推进中: 'in_progress',
  进行中: 'in_progress',
  已完成: 'done',
  完成: 'done',
  已销号: 'verified',
  销号: 'verified',
};

const TERM_NAMES: Record<string, Term> = {
  immediate: 'immediate',
  deadline: 'deadline',
  ongoing: 'ongoing',
  立行立改: 'immediate',
  限期整改: 'deadline',
  长期坚持: 'ongoing',
};

function lookupName<T>(names: Record<string, T>, text: string): T | null {
  const key = normalize(text).replace(/\s+/g, ' ');
  return Object.prototype.hasOwnProperty.call(names, key) ? names[key]! : null;
}

/** A status by its English (`in_progress`, `in-progress`) or Chinese (推进中) name. */
export function parseStatus(text: string): Status | null {
  return lookupName(STATUS_NAMES, text);
}

/** A term by its English (`deadline`) or Chinese (限期整改) name. */
export function parseTerm(text: string): Term | null {
  return lookupName(TERM_NAMES, text);
}

/** Several statuses, separated by `,` `，` or `、`: the statuses in the order given (each
 *  once), and the names that are none. */
export function parseStatusList(text: string): { statuses: Status[]; unknown: string[] } {
  const statuses: Status[] = [];
  const unknown: string[] = [];
  for (const part of text.split(/[,，、]/)) {
    if (part.trim() === '') continue;
    const s = parseStatus(part);
    if (s === null) unknown.push(part.trim());
    else if (!statuses.includes(s)) statuses.push(s);
  }
  return { statuses, unknown };
}

/** Overdue: due before the day, and still open or in progress. */
export function isOverdue(item: Pick<Item, 'due' | 'status'>, today: IsoDate): boolean {
  return item.due !== null && item.due < today && OPEN_STATUSES.includes(item.status);
}

// --- Changes -------------------------------------------------------------------------

/** The verbs that move an item's status, and the statuses each may start from. */
export const ALLOWED_FROM = {
  progress: ['open', 'in_progress', 'done'],
  done: ['open', 'in_progress', 'done'],
  verify: ['done'],
  reopen: ['done', 'verified'],
} as const satisfies Record<string, readonly Status[]>;
export type Verb = keyof typeof ALLOWED_FROM;

export function allowed(verb: Verb, from: Status): boolean {
  return (ALLOWED_FROM[verb] as readonly Status[]).includes(from);
}

/** One item's change (the store's ItemChange is this type). */
export interface ItemUpdate {
  id: string;
  action: Action;
  set: Partial<ItemState>;
  note: string | null;
  evidence?: string[];
  pinFields?: ('owner' | 'department' | 'due' | 'term')[];
}

/** An item the verb may not touch now, and the status that forbids it. */
export interface Refusal {
  id: string;
  status: Status;
}

export type Planned = { ok: true; change: ItemUpdate } | { ok: false; refusal: Refusal };

type Fields = Pick<ItemState, 'owner' | 'department' | 'due' | 'status' | 'progress'>;

/** Only the fields whose value differs from the item's: the history then shows what moved. */
function diff(item: Item, wanted: Partial<Fields>): Partial<ItemState> {
  const set: Partial<ItemState> = {};
  for (const [k, v] of Object.entries(wanted) as [keyof Fields, Fields[keyof Fields]][]) {
    if (v !== undefined && item[k] !== v) (set as Record<string, unknown>)[k] = v;
  }
  return set;
}

function refuse(item: Item): Planned {
  return { ok: false, refusal: { id: item.id, status: item.status } };
}

/** Progress and/or a note: the status follows the progress (100 is done, less is in
 *  progress), so a note alone on a done item leaves it done. A verified item is refused. */
export function planProgress(item: Item, percent: number | null, note: string | null): Planned {
  if (!allowed('progress', item.status)) return refuse(item);
  const progress = percent ?? item.progress;
  const status: Status = progress === 100 ? 'done' : 'in_progress';
  return { ok: true, change: { id: item.id, action: 'progress', set: diff(item, { progress, status }), note } };
}

/** Done: progress 100, with the evidence given. A verified item is refused (reopen it first). */
export function planDone(item: Item, note: string | null, evidence: string[]): Planned {
  if (!allowed('done', item.status)) return refuse(item);
  const change: ItemUpdate = { id: item.id, action: 'done', set: diff(item, { progress: 100, status: 'done' }), note };
  if (evidence.length) change.evidence = evidence;
  return { ok: true, change };
}

/** Sign-off (销号): only a done item. */
export function planVerify(item: Item, note: string | null): Planned {
  if (!allowed('verify', item.status)) return refuse(item);
  return { ok: true, change: { id: item.id, action: 'verify', set: { status: 'verified' }, note } };
}

/** Back to work from done or verified, keeping the progress; the reason is the note. */
export function planReopen(item: Item, reason: string): Planned {
  if (!allowed('reopen', item.status)) return refuse(item);
  return { ok: true, change: { id: item.id, action: 'reopen', set: { status: 'in_progress' }, note: reason } };
}

/** What `assign` sets: a field absent is left alone, null empties it (--clear). */
export interface Assignment {
  owner?: string | null;
  department?: string | null;
  due?: IsoDate | null;
}

/** The fields `assign --clear` may empty. */
export const CLEARABLE = ['owner', 'department', 'due'] as const;
export type Clearable = (typeof CLEARABLE)[number];

/** `--clear owner,department` (`，` `、` too, Chinese names as well): the fields, and the
 *  names that are none. */
export function parseClear(text: string): { fields: Clearable[]; unknown: string[] } {
  const names: Record<string, Clearable> = {
    owner: 'owner', department: 'department', due: 'due', 责任人: 'owner', 责任部门: 'department', 整改时限: 'due', 时限: 'due',
  };
  const fields: Clearable[] = [];
  const unknown: string[] = [];
  for (const part of text.split(/[,，、]/)) {
    if (part.trim() === '') continue;
    const f = lookupName(names, part);
    if (f === null) unknown.push(part.trim());
    else if (!fields.includes(f)) fields.push(f);
  }
  return { fields, unknown };
}

/** The label of a change of due date: an extension (延期) is a set due date moved later; one
 *  brought forward (提前), set where there was none, or cleared is an assignment. `score` and
 *  the overview count extensions by it; the engine labels every store's entries by it, and the
 *  server's guard holds to it (postgres migrations 21 and 23). */
export function dueAction(before: unknown, after: unknown): 'extend' | 'assign' {
  return typeof before === 'string' && typeof after === 'string' && after > before ? 'extend' : 'assign';
}

/** A new owner (and department, due date), or fields emptied. Moving a due date that was
 *  set to another one is an extension (延期), recorded as `extend`; the fields given are
 *  pinned so that a later import keeps them. Allowed in any status. */
export function planAssign(item: Item, a: Assignment, note: string | null): ItemUpdate {
  const pinFields: ItemUpdate['pinFields'] = [];
  if (a.owner !== undefined) pinFields.push('owner');
  if (a.department !== undefined) pinFields.push('department');
  if (a.due !== undefined) pinFields.push('due');
  return {
    id: item.id,
    action: dueAction(item.due, a.due),
    set: diff(item, { owner: a.owner, department: a.department, due: a.due }),
    note,
    pinFields,
  };
}

/** What `edit` mends: the descriptive fields; absent is left alone. */
export interface Edit {
  title?: string;
  detail?: string | null;
  term?: Term;
  measure?: string;
  addresses?: string[];
}

/** The change `edit` makes: only the fields that differ (a term given is pinned, as
 *  `assign` pins what it sets). Allowed in any status. */
export function planEdit(item: Item, e: Edit, note: string | null): ItemUpdate {
  const set: Partial<ItemState> = {};
  if (e.title !== undefined && e.title !== item.title) set.title = e.title;
  if (e.detail !== undefined && e.detail !== item.detail) set.detail = e.detail;
  if (e.term !== undefined && e.term !== item.term) set.term = e.term;
  if (e.measure !== undefined && e.measure.toLowerCase() !== item.measure.toLowerCase()) set.measure = e.measure;
  if (e.addresses !== undefined && e.addresses.join('\n') !== item.addresses.join('\n')) set.addresses = e.addresses;
  const change: ItemUpdate = { id: item.id, action: 'edit', set, note };
  if (set.term !== undefined) change.pinFields = ['term'];
  return change;
}

/** Splits planned changes into those to apply and those refused: all of them, or none. */
export function settle(planned: Planned[]): { changes: ItemUpdate[]; refused: Refusal[] } {
  const changes: ItemUpdate[] = [];
  const refused: Refusal[] = [];
  for (const p of planned) {
    if (p.ok) changes.push(p.change);
    else refused.push(p.refusal);
  }
  return { changes, refused };
}
