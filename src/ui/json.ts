// The JSON shapes of the contract (cli.md), each built by one function.
import type { HistoryEntry, Item, ItemDetail } from '../core/types.js';
import type { LedgerExport } from '../store/types.js';

export function itemJson(i: Item) {
  return {
    id: i.id,
    title: i.title,
    detail: i.detail,
    measure: i.measure,
    addresses: i.addresses,
    owner: i.owner,
    department: i.department,
    due: i.due,
    term: i.term,
    status: i.status,
    progress: i.progress,
    createdAt: i.createdAt,
    updatedAt: i.updatedAt,
  };
}

/** One history entry as `show` and `export` print it (oldest first); `changes` is extra. */
export function historyJson(h: HistoryEntry) {
  return { at: h.at, by: h.by, ...dbUserJson(h), action: h.action, status: h.status, progress: h.progress, note: h.note, changes: h.changes };
}

/** One history entry as `log` prints it (newest first). */
export function logJson(h: HistoryEntry) {
  return { at: h.at, by: h.by, ...dbUserJson(h), item: h.item, action: h.action, status: h.status, progress: h.progress, note: h.note, changes: h.changes };
}

/** The database role that recorded an entry, where it is known (a ledger on a server). */
function dbUserJson(h: HistoryEntry): { dbUser?: string } {
  return h.dbUser === undefined ? {} : { dbUser: h.dbUser };
}

export function showJson(d: ItemDetail) {
  return {
    ...itemJson(d),
    problems: d.problems.map((p) => ({ id: p.id, title: p.title })),
    evidence: d.evidence,
    history: d.history.map(historyJson),
  };
}

export function exportJson(l: LedgerExport) {
  return {
    version: l.version,
    report: l.report,
    areas: l.areas,
    causes: l.causes,
    measures: l.measures.map((m) => ({
      id: m.id,
      title: m.title,
      detail: m.detail,
      items: m.items.map((i) => ({ ...itemJson(i), evidence: i.evidence, history: i.history.map(historyJson) })),
    })),
  };
}

export function toJson(value: unknown): string {
  return JSON.stringify(value, null, 2);
}
