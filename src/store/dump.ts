// A ledger as JSON Lines records (core/dump.ts), read the same way from either backend: a
// batch at a time, each query complete before the next record is handed out, so that a
// consumer may take its time between records and memory does not grow with the ledger.
import type { DumpContact, DumpHistory, DumpItem, DumpNotice, DumpRecord } from '../core/dump.js';
import type { ReportInfo } from '../core/types.js';
import { push } from './ledger.js';
import { pinNames, type DumpHistoryRow, type ItemRow } from './rows.js';
import { ITEM_FROM, sqlOf, type Dialect, type Param } from './sql.js';

/** Items read per query. */
const BATCH = 500;

/** What the ledger's schema has of what later versions added (undo as data, removals, roles). */
export interface DumpSchema {
  reverts: boolean;
  removed: boolean;
  dbUser: boolean;
  /** history.recorded_at (a server's), read for `copy` only. */
  recordedAt?: boolean;
}

export interface DumpSource {
  d: Dialect;
  read<T>(text: string, params?: Param[]): Promise<T[]>;
  schema(): Promise<DumpSchema>;
  supervision(): Promise<(DumpContact | DumpNotice)[]>;
}

/** Rows of a table walked by position, a page at a time (a big ledger has many measures). */
async function* byPosition<T extends { pos: number }>(src: DumpSource, select: string): AsyncGenerator<T> {
  for (let after = -2147483648; ;) {
    const rows = await src.read<T>(`${select} WHERE pos > ? ORDER BY pos LIMIT ${BATCH}`, [after]);
    for (const r of rows) yield r;
    if (rows.length < BATCH) return;
    after = rows[rows.length - 1]!.pos;
  }
}

export async function* dumpRecords(src: DumpSource): AsyncGenerator<DumpRecord> {
  yield { kind: 'rectify', version: 1 };
  const report = (await src.read<ReportInfo>('SELECT title, unit, date FROM report'))[0] ?? { title: '', unit: null, date: null };
  yield { kind: 'report', title: report.title, unit: report.unit, date: report.date };
  for await (const a of byPosition<{ key: number; pos: number; id: string; name: string }>(src, 'SELECT key, pos, id, name FROM areas')) {
    yield { kind: 'area', id: a.id, name: a.name };
    for (const p of await src.read<{ id: string; title: string; detail: string | null }>(
      'SELECT id, title, detail FROM problems WHERE area = ? ORDER BY pos', [a.key])) {
      yield { kind: 'problem', id: p.id, area: a.id, title: p.title, detail: p.detail };
    }
  }
  const schema = await src.schema();
  for await (const c of byPosition<{ pos: number; id: string; title: string; detail: string | null }>(src, 'SELECT pos, id, title, detail FROM causes')) {
    yield { kind: 'cause', id: c.id, title: c.title, detail: c.detail };
  }
  // Undo links: which group each undo group reverted (few in any ledger).
  const undoes = new Map<number, number>();
  for (const u of await src.read<{ grp: number; by_grp: number }>('SELECT grp, by_grp FROM undone')) undoes.set(u.by_grp, u.grp);
  for await (const m of byPosition<{ key: number; pos: number; id: string; title: string; detail: string | null; last_num: number }>(
    src, 'SELECT key, pos, id, title, detail, last_num FROM measures',
  )) {
    yield { kind: 'measure', id: m.id, title: m.title, detail: m.detail, lastNumber: m.last_num };
    const keys = (await src.read<{ key: number }>(
      `SELECT key FROM items WHERE measure = ? ORDER BY num IS NULL, num, ${src.d.id('id')}`, [m.key])).map((r) => r.key);
    for (let start = 0; start < keys.length; start += BATCH) {
      for (const item of await itemsOf(src, keys.slice(start, start + BATCH), undoes, schema)) yield item;
    }
  }
  if (schema.removed) {
    for (let after = 0; ;) {
      const rows = await src.read<{ key: number; grp: number; at: string; by: string; id: string; title: string }>(
        `SELECT key, grp, at, by, id, title FROM removed WHERE key > ? ORDER BY key LIMIT ${BATCH}`, [after]);
      for (const r of rows) yield { kind: 'removed', group: r.grp, at: r.at, by: r.by, id: r.id, title: r.title };
      if (rows.length < BATCH) break;
      after = rows[rows.length - 1]!.key;
    }
  }
  yield* await src.supervision();
}

/** Items with these keys, in this order, each with evidence and history. */
async function itemsOf(src: DumpSource, keys: number[], undoes: Map<number, number>, schema: DumpSchema): Promise<DumpItem[]> {
  const { ITEM_COLUMNS } = sqlOf(src.d);
  const among = (col: string) => src.d.inKeys(col, keys);
  const [itemRows, evidenceRows, historyRows] = await Promise.all([
    src.read<ItemRow & { pins: number }>(`SELECT ${ITEM_COLUMNS}, i.pins FROM ${ITEM_FROM} WHERE ${among('i.key').text}`, among('i.key').params),
    src.read<{ item: number; seq: number; text: string }>(
      `SELECT item, seq, text FROM evidence WHERE ${among('item').text} ORDER BY item, key`, among('item').params),
    src.read<DumpHistoryRow>(
      `SELECT item, seq, grp, at, by, action, status, progress, via, pins_set, changes, note,
              ${schema.reverts ? 'reverts' : 'NULL AS reverts'}, ${schema.dbUser ? 'db_user' : 'NULL AS db_user'},
              ${schema.recordedAt ? "to_json(recorded_at) #>> '{}'" : 'NULL'} AS recorded_at
         FROM history WHERE ${among('item').text} ORDER BY item, seq`, among('item').params),
  ]);
  const rows = new Map(itemRows.map((r) => [r.key, r]));
  const evidenceBySeq = new Map<number, string[]>();
  const evidenceByItem = new Map<number, string[]>();
  for (const e of evidenceRows) {
    push(evidenceByItem, e.item, e.text);
    push(evidenceBySeq, e.seq, e.text);
  }
  const history = new Map<number, DumpHistory[]>();
  for (const h of historyRows) {
    const entry: DumpHistory = {
      seq: h.seq, group: h.grp, at: h.at, by: h.by, action: h.action, status: h.status, progress: h.progress,
      note: h.note, changes: JSON.parse(h.changes) as Record<string, [unknown, unknown]>, via: h.via,
      pinned: pinNames(h.pins_set), evidence: evidenceBySeq.get(h.seq) ?? [], reverts: h.reverts,
      undoesGroup: undoes.get(h.grp) ?? null,
    };
    // Only what a server recorded: a file records no database role of its own.
    if (h.db_user !== null) entry.dbUser = h.db_user;
    if (schema.recordedAt) entry.recordedAt = h.recorded_at;
    push(history, h.item, entry);
  }
  return keys.map((key) => {
    const r = rows.get(key)!;
    return {
      kind: 'item', id: r.id, measure: r.measure, title: r.title, detail: r.detail,
      addresses: JSON.parse(r.addresses) as string[], owner: r.owner, department: r.department, due: r.due,
      term: r.term, status: r.status, progress: r.progress, evidence: evidenceByItem.get(key) ?? [],
      pinned: pinNames(r.pins), createdAt: r.created_at, updatedAt: r.updated_at, history: history.get(key) ?? [],
    };
  });
}
