// Rows as the server returns them, and the domain objects they become.
import type { HistoryEntry } from '../../core/types.js';
import type { Action, Status } from '../../core/vocab.js';

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
  db_user: string | null;
  undoes?: string | null;
  undone?: boolean;
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
  if (r.undone === true) h.undone = true;
  if (r.db_user !== null) (h as HistoryEntry & { dbUser?: string }).dbUser = r.db_user;
  return h;
}
