// Rows as either database returns them, and the domain objects they become (here and nowhere else).
import type { HistoryEntry, Item } from '../core/types.js';
import type { Action, Status, Term } from '../core/vocab.js';

export interface ItemRow {
  key: number;
  id: string;
  title: string;
  detail: string | null;
  measure: string;
  addresses: string;
  owner: string | null;
  department: string | null;
  due: string | null;
  term: Term;
  status: Status;
  progress: number;
  created_at: string;
  updated_at: string;
}

/** The contract's item, keys in the contract's order. */
export function toItem(r: ItemRow): Item {
  return {
    id: r.id,
    title: r.title,
    detail: r.detail,
    measure: r.measure,
    addresses: JSON.parse(r.addresses) as string[],
    owner: r.owner,
    department: r.department,
    due: r.due,
    term: r.term,
    status: r.status,
    progress: r.progress,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

export interface HistoryRow {
  seq: number;
  grp: number;
  at: string;
  by: string;
  item: string;
  action: Action;
  status: Status;
  progress: number;
  note: string | null;
  changes: string;
  via: 'seed' | 'cli';
  undoes?: string | null;
  /** 0/1 from SQLite, a boolean from PostgreSQL. */
  undone?: number | boolean;
  /** The role that recorded it on a server (a file records none of its own; a copy from a
   *  server carries them). */
  db_user?: string | null;
}

export function toHistory(r: HistoryRow): HistoryEntry {
  const h: HistoryEntry = {
    seq: r.seq,
    at: r.at,
    by: r.by,
    item: r.item,
    action: r.action,
    status: r.status,
    progress: r.progress,
    note: r.note,
    changes: JSON.parse(r.changes) as Record<string, [unknown, unknown]>,
  };
  // Only where they say something, so that an ordinary entry keeps its plain shape.
  if (r.undoes) h.undoes = JSON.parse(r.undoes) as HistoryEntry['undoes'];
  if (r.undone === 1 || r.undone === true) h.undone = true;
  if (r.db_user) h.dbUser = r.db_user;
  return h;
}

/** The number after an id's last dot, for sorting (M1.10 → 10); null when there is none. */
export function idNumber(id: string): number | null {
  const m = /\.(\d{1,9})$/.exec(id);
  return m ? Number(m[1]) : null;
}

/** For an id shaped `<prefix>.<n>`: the prefix and n (the numbering of a measure's items). */
export function numberedShape(id: string): { prefix: string; n: number } | null {
  const m = /^(.+)\.(\d{1,9})$/.exec(id);
  return m ? { prefix: m[1]!, n: Number(m[2]) } : null;
}

/** Pins: which fields were last set from the command line (a bit each). */
export const PIN_BITS = { owner: 1, department: 2, due: 4, term: 8 } as const;
export type PinField = keyof typeof PIN_BITS;
export const PIN_FIELDS = Object.keys(PIN_BITS) as PinField[];

export function pinMask(fields: readonly PinField[]): number {
  let mask = 0;
  for (const f of fields) mask |= PIN_BITS[f];
  return mask;
}

/** The fields a pin mask names, in PIN_FIELDS order. */
export function pinNames(mask: number): PinField[] {
  return PIN_FIELDS.filter((f) => (mask & PIN_BITS[f]) !== 0);
}

/** A history row as a dump reads it, on either backend (db_user is null on a file that
 *  never held one). */
export interface DumpHistoryRow {
  item: number;
  seq: number;
  grp: number;
  at: string;
  by: string;
  action: Action;
  status: Status;
  progress: number;
  via: 'seed' | 'cli';
  pins_set: number;
  changes: string;
  note: string | null;
  reverts: number | null;
  db_user: string | null;
  recorded_at: string | null;
}
