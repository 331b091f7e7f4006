import type { Action, Status, Term } from './vocab.js';

/** A date as `YYYY-MM-DD`: always a real calendar date once it is in the domain. */
export type IsoDate = string;

export interface ReportInfo {
  title: string;
  unit: string | null;
  date: IsoDate | null;
}

export interface Problem {
  id: string;
  title: string;
  detail: string | null;
}

export interface Area {
  id: string;
  name: string;
  problems: Problem[];
}

export interface Cause {
  id: string;
  title: string;
  detail: string | null;
}

/** An item as a seed describes it: what it is and who answers for it, no progress. */
export interface SeedItem {
  id: string;
  title: string;
  detail: string | null;
  addresses: string[];
  owner: string | null;
  department: string | null;
  due: IsoDate | null;
  term: Term;
}

export interface Measure<I = SeedItem> {
  id: string;
  title: string;
  detail: string | null;
  items: I[];
}

export interface Seed {
  version: 1;
  report: ReportInfo;
  areas: Area[];
  causes: Cause[];
  measures: Measure[];
}

/** A tracked item as the ledger holds it (the contract's JSON item shape). */
export interface Item extends SeedItem {
  measure: string;
  status: Status;
  progress: number;
  createdAt: string;
  updatedAt: string;
}

/** The fields of an item that a history entry snapshots before and after a change. */
export interface ItemState {
  owner: string | null;
  department: string | null;
  due: IsoDate | null;
  term: Term;
  status: Status;
  progress: number;
  title?: string;
  detail?: string | null;
  addresses?: string[];
  /** The measure's id (`edit --measure` moves an item). */
  measure?: string;
}

export interface HistoryEntry {
  seq: number;
  at: string;
  by: string;
  item: string;
  action: Action;
  /** Status and progress after the change. */
  status: Status;
  progress: number;
  note: string | null;
  /** What changed: field → [before, after]. */
  changes: Record<string, [unknown, unknown]>;
  /** For an `undo` entry: the change it took back (its item, action, time and actor). Stored
   *  as data, worded when shown. */
  undoes?: { item: string; action: Action; at: string; by: string } | null;
  /** This change was taken back by a later undo. */
  undone?: boolean;
  /** On a ledger on a server: the database role that recorded it (docs/postgres.md, "Who acted"). */
  dbUser?: string;
}

export interface ItemDetail extends Item {
  problems: { id: string; title: string }[];
  evidence: string[];
  history: HistoryEntry[];
  measureTitle: string;
}

export interface ProblemDetail extends Problem {
  area: { id: string; name: string };
  items: { id: string; title: string; status: Status; progress: number; owner: string | null }[];
}
