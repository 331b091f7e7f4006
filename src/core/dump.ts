// The records of a JSON Lines seed or full dump (docs/seed-format.md, "The same seed as JSON
// Lines"): one JSON object a line. A seed has only what a YAML seed has; a dump
// (`export --format jsonl`) adds what only a ledger has, so that `init` from it restores the
// ledger exactly. Stores write these (Store.dump) and build a ledger from them
// (Store.restore); core/jsonl.ts checks them on the way in.
//
// A file holds, in this order: the header, the report, then areas, problems, causes, measures
// and items, every record after the records it names (a problem after its area, an item after
// its measure and the problems it addresses). A dump writes each area followed by its
// problems, then the causes, then each measure followed by its items (listing order), then
// the removals, the contacts (by name) and the notices sent (oldest first).
import type { IsoDate } from './types.js';
import type { Action, Status, Term } from './vocab.js';

/** The fields `assign` (or `add`) set from the command line, which an import keeps. */
export const PINNABLE = ['owner', 'department', 'due', 'term'] as const;
export type Pinned = (typeof PINNABLE)[number];

export interface DumpHeader {
  kind: 'rectify';
  version: 1;
}

export interface DumpReport {
  kind: 'report';
  title: string;
  unit: string | null;
  date: IsoDate | null;
}

export interface DumpArea {
  kind: 'area';
  id: string;
  name: string;
}

export interface DumpProblem {
  kind: 'problem';
  id: string;
  /** The area's id, as it is defined. */
  area: string;
  title: string;
  detail: string | null;
}

export interface DumpCause {
  kind: 'cause';
  id: string;
  title: string;
  detail: string | null;
}

export interface DumpMeasure {
  kind: 'measure';
  id: string;
  title: string;
  detail: string | null;
  /** The highest n any item id `<measure>.<n>` has had in the ledger (so that `add` never
   *  hands out a number again, even one whose item was pruned). A dump writes it; null in a
   *  seed: then it is counted from the items loaded. */
  lastNumber: number | null;
}

/** One history entry of a dump: the shape of `show --json`'s history (at, by, action, status,
 *  progress, note, changes), plus what restoring needs to behave exactly as the original. */
export interface DumpHistory {
  /** The entry's number: unique in the ledger, in the order entries were recorded. */
  seq: number;
  /** The change (one command) the entry belongs to, which `undo` reverts as a whole. */
  group: number;
  at: string;
  by: string;
  action: Action;
  status: Status;
  progress: number;
  note: string | null;
  /** What changed: field → [before, after]. */
  changes: Record<string, [unknown, unknown]>;
  /** Whether a seed (init, import) or the command line recorded it. */
  via: 'seed' | 'cli';
  /** The pins this entry switched on (undo switches them off again). */
  pinned: Pinned[];
  /** The evidence this entry added that is still recorded (undo removes it). */
  evidence: string[];
  /** For an entry of an undo: the seq of the entry it took back; null otherwise. */
  reverts: number | null;
  /** For an entry of an undo: the group it took back (the whole change); null otherwise. */
  undoesGroup: number | null;
  /** The database role that recorded it, on a PostgreSQL ledger (docs/postgres.md); null or absent
   *  for an entry made on a ledger file. */
  dbUser?: string | null;
  /** The server's own time of the entry (history.recorded_at), carried by `copy` from a server
   *  only (never printed); null for an entry the server did not record (before its guard). */
  recordedAt?: string | null;
}

export interface DumpItem {
  kind: 'item';
  id: string;
  /** The measure's id, as it is defined. */
  measure: string;
  title: string;
  detail: string | null;
  /** Problem ids, as they are defined. */
  addresses: string[];
  owner: string | null;
  department: string | null;
  due: IsoDate | null;
  term: Term;
  /** What follows is a dump's: a seed's items are `open`, 0, no evidence, nothing pinned. */
  status: Status;
  progress: number;
  /** Every supporting document, oldest first (as `show --json` has it). */
  evidence: string[];
  pinned: Pinned[];
  /** Null in a seed: the time of the init. */
  createdAt: string | null;
  updatedAt: string | null;
  /** Oldest first. Null in a seed: the item gets one `create` entry, as from any seed. */
  history: DumpHistory[] | null;
}

/** An item that `rm` removed (with its history): kept so that `undo` does not reach past the
 *  removal to an older change. A dump writes these after the items. */
export interface DumpRemoved {
  kind: 'removed';
  /** The group of the removal. */
  group: number;
  at: string;
  by: string;
  id: string;
  title: string;
}

/** Where reminders for an owner or a department go (`contact set`). A dump (and so `copy`)
 *  carries the addresses whole; what is printed (`export`) has the webhook's key and the secret
 *  masked (ui/json.ts redactContact). `withheld`: the reader may see the names only (on a
 *  server, anyone but an admin), so email, webhook and secret are unknown, not absent. */
export interface DumpContact {
  kind: 'contact';
  name: string;
  email: string | null;
  webhook: string | null;
  secret: string | null;
  withheld?: true;
}

/** A notice `remind --send` sent (what `log` shows), oldest first. */
export interface DumpNotice {
  kind: 'notice';
  at: string;
  day: IsoDate;
  by: string;
  recipient: string;
  channel: 'email' | 'wecom' | 'dingtalk';
  /** The ids of the items it named, sorted. */
  items: string[];
  /** The database role that recorded it, on a server; absent for a notice sent from a file. */
  dbUser?: string;
}

export type DumpRecord =
  | DumpHeader | DumpReport | DumpArea | DumpProblem | DumpCause | DumpMeasure | DumpItem | DumpRemoved
  | DumpContact | DumpNotice;
export type DumpKind = DumpRecord['kind'];

/** What a restore built, for the line `init` prints. */
export interface RestoreSummary {
  title: string;
  areas: number;
  problems: number;
  measures: number;
  items: number;
}
