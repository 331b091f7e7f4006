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
