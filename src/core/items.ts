// The rules of working on items, pure: reading what people type (percent, dates, status
// and term names in English or Chinese), which status changes are allowed, and the change
// each verb makes to an item as it stands. Nothing here reads the clock or prints.
import { isIsoDate } from './dates.js';
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

/** A real calendar date written YYYY-MM-DD (full-width digits accepted); null otherwise. */
export function parseDate(text: string): IsoDate | null {
  const d = normalize(text);
  return isIsoDate(d) ? d : null;
}

/** Free text a person typed (a title, a note, a name): trimmed, and null when nothing is left. */
export function parseText(text: string | undefined | null): string | null {
  if (text === undefined || text === null) return null;
  const s = text.trim();
  return s === '' ? null : s;
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

export interface Assignment {
  owner: string;
  department?: string;
  due?: IsoDate;
}

/** A new owner (and department, due date). Moving a due date that was set to another one
 *  is an extension (申请延期), recorded as `extend`; the fields given are pinned so that a
 *  later import keeps them. Allowed in any status. */
export function planAssign(item: Item, a: Assignment, note: string | null): ItemUpdate {
  const extend = a.due !== undefined && item.due !== null && a.due !== item.due;
  const pinFields: ItemUpdate['pinFields'] = ['owner'];
  if (a.department !== undefined) pinFields.push('department');
  if (a.due !== undefined) pinFields.push('due');
  return {
    id: item.id,
    action: extend ? 'extend' : 'assign',
    set: diff(item, { owner: a.owner, department: a.department, due: a.due }),
    note,
    pinFields,
  };
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
