// A ledger as JSON Lines records (core/dump.ts): streamed out a batch at a time, and built
// from records with multi-row inserts in the caller's transaction.
import type {
  DumpHistory, DumpItem, DumpRecord, RestoreSummary,
} from '../../core/dump.js';
import type { ReportInfo } from '../../core/types.js';
import { RectifyError } from '../../errors.js';
import { idNumber, numberedShape, pinMask, pinNames, type DumpHistoryRow, type ItemRow } from '../rows.js';
import { ITEM_FROM, sqlOf } from '../sql.js';
import { SQLITE, type Param, type Sql } from './sql.js';
import { restoreSupervision, supervisionRecords } from './supervise.js';

const { ITEM_COLUMNS } = sqlOf(SQLITE);
import { rebuildRollups } from './tables.js';

/** Items read (and rows written) per statement. */
const BATCH = 200;

const placeholders = (n: number) => Array.from({ length: n }, () => '?').join(', ');

/** Rows of a table walked by position, a page at a time (a big ledger has many measures).
 *  Each page is read whole (`all`), so no statement stays open while a row is handed out. */
function* byPosition<T extends { pos: number }>(sql: Sql, select: string): Generator<T> {
  let after = Number.MIN_SAFE_INTEGER;
  for (;;) {
    const rows = sql.all<T>(`${select} WHERE pos > ? ORDER BY pos LIMIT ${BATCH}`, after);
    for (const r of rows) yield r;
    if (rows.length < BATCH) return;
    after = rows[rows.length - 1]!.pos;
  }
}

/** What the ledger's schema has of what later versions added (undo as data, removals). */
interface Schema {
  reverts: boolean;
  removed: boolean;
  dbUser: boolean;
}

function schemaOf(sql: Sql): Schema {
  return {
    reverts: Boolean(sql.get(`SELECT 1 AS x FROM pragma_table_info('history') WHERE name = 'reverts'`)),
    removed: Boolean(sql.get(`SELECT 1 AS x FROM sqlite_schema WHERE type = 'table' AND name = 'removed'`)),
    dbUser: Boolean(sql.get(`SELECT 1 AS x FROM pragma_table_info('history') WHERE name = 'db_user'`)),
  };
}

/**
 * The records of a dump. Reads run in one read transaction (one snapshot) unless the caller
 * is inside one already; every query is complete before the next record is handed out
 * (better-sqlite3 runs one statement at a time on a connection), so a consumer may take its
 * time between records.
 */
export async function* dumpRecords(sql: Sql): AsyncGenerator<DumpRecord> {
  const own = !sql.db.inTransaction;
  if (own) sql.exec('BEGIN');
  try {
    yield { kind: 'rectify', version: 1 };
    const report = sql.get<ReportInfo>('SELECT title, unit, date FROM report') ?? { title: '', unit: null, date: null };
    yield { kind: 'report', title: report.title, unit: report.unit, date: report.date };

    for (const a of [...byPosition<{ key: number; pos: number; id: string; name: string }>(sql, 'SELECT key, pos, id, name FROM areas')]) {
      yield { kind: 'area', id: a.id, name: a.name };
      const problems = sql.all<{ id: string; title: string; detail: string | null }>(
        'SELECT id, title, detail FROM problems WHERE area = ? ORDER BY pos', a.key,
      );
      for (const p of problems) yield { kind: 'problem', id: p.id, area: a.id, title: p.title, detail: p.detail };
    }
    const schema = schemaOf(sql);
    for (const c of byPosition<{ pos: number; id: string; title: string; detail: string | null }>(
      sql, 'SELECT pos, id, title, detail FROM causes',
    )) {
      yield { kind: 'cause', id: c.id, title: c.title, detail: c.detail };
    }

    // Undo links: which group each undo group reverted (few in any ledger).
    const undoes = new Map<number, number>();
    for (const u of sql.all<{ grp: number; by_grp: number }>('SELECT grp, by_grp FROM undone')) undoes.set(u.by_grp, u.grp);

    for (const m of byPosition<{ key: number; pos: number; id: string; title: string; detail: string | null; last_num: number }>(
      sql, 'SELECT key, pos, id, title, detail, last_num FROM measures',
    )) {
      yield { kind: 'measure', id: m.id, title: m.title, detail: m.detail, lastNumber: m.last_num };
      const keys = sql.column<number>('SELECT key FROM items WHERE measure = ? ORDER BY num IS NULL, num, id', m.key);
      for (let start = 0; start < keys.length; start += BATCH) {
        for (const item of itemsOf(sql, keys.slice(start, start + BATCH), undoes, schema)) yield item;
      }
    }
    if (schema.removed) {
      let after = 0;
      for (;;) {
        const rows = sql.all<{ key: number; grp: number; at: string; by: string; id: string; title: string }>(
          `SELECT key, grp, at, by, id, title FROM removed WHERE key > ? ORDER BY key LIMIT ${BATCH}`, after,
        );
        for (const r of rows) yield { kind: 'removed', group: r.grp, at: r.at, by: r.by, id: r.id, title: r.title };
        if (rows.length < BATCH) break;
        after = rows[rows.length - 1]!.key;
      }
    }
    yield* supervisionRecords(sql);
  } finally {
    if (own && sql.db.inTransaction) sql.exec('COMMIT');
  }
}

/** Items with these keys, in this order, each with evidence and history. */
function itemsOf(sql: Sql, keys: number[], undoes: Map<number, number>, schema: Schema): DumpItem[] {
  const list = placeholders(keys.length);
  const rows = new Map(
    sql.all<ItemRow & { pins: number }>(`SELECT ${ITEM_COLUMNS}, i.pins FROM ${ITEM_FROM} WHERE i.key IN (${list})`, ...keys)
      .map((r) => [r.key, r]),
  );
  const evidenceBySeq = new Map<number, string[]>();
  const evidenceByItem = new Map<number, string[]>();
  for (const e of sql.all<{ item: number; seq: number; text: string }>(
    `SELECT item, seq, text FROM evidence WHERE item IN (${list}) ORDER BY item, key`, ...keys,
  )) {
    push(evidenceByItem, e.item, e.text);
    push(evidenceBySeq, e.seq, e.text);
  }
  const history = new Map<number, DumpHistory[]>();
  for (const h of sql.all<DumpHistoryRow>(
    `SELECT item, seq, grp, at, by, action, status, progress, via, pins_set, changes, note,
            ${schema.reverts ? 'reverts' : 'NULL AS reverts'}, ${schema.dbUser ? 'db_user' : 'NULL AS db_user'}
       FROM history WHERE item IN (${list}) ORDER BY item, seq`, ...keys,
  )) {
    const entry: DumpHistory = {
      seq: h.seq,
      group: h.grp,
      at: h.at,
      by: h.by,
      action: h.action,
      status: h.status,
      progress: h.progress,
      note: h.note,
      changes: JSON.parse(h.changes) as Record<string, [unknown, unknown]>,
      via: h.via,
      pinned: pinNames(h.pins_set),
      evidence: evidenceBySeq.get(h.seq) ?? [],
      reverts: h.reverts,
      undoesGroup: undoes.get(h.grp) ?? null,
    };
    // Only what a copy from a server carried: a file records no database role of its own.
    if (h.db_user !== null) entry.dbUser = h.db_user;
    push(history, h.item, entry);
  }
  return keys.map((key) => {
    const r = rows.get(key)!;
    return {
      kind: 'item',
      id: r.id,
      measure: r.measure,
      title: r.title,
      detail: r.detail,
      addresses: JSON.parse(r.addresses) as string[],
      owner: r.owner,
      department: r.department,
      due: r.due,
      term: r.term,
      status: r.status,
      progress: r.progress,
      evidence: evidenceByItem.get(key) ?? [],
      pinned: pinNames(r.pins),
      createdAt: r.created_at,
      updatedAt: r.updated_at,
      history: history.get(key) ?? [],
    };
  });
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/** Rows for one table, written a statement of many rows at a time. */
class Rows {
  private pending: Param[] = [];
  private count = 0;
  private readonly width: number;
  /** first: tables whose rows these refer to, written out before these are. */
  constructor(
    private readonly sql: Sql,
    private readonly head: string,
    columns: number,
    private readonly first: Rows[] = [],
    private readonly perStatement = BATCH,
  ) {
    this.width = columns;
  }

  add(...values: Param[]): void {
    for (const v of values) this.pending.push(v);
    if (++this.count === this.perStatement) this.flush();
  }

  flush(): void {
    if (this.count === 0) return;
    for (const f of this.first) f.flush();
    const row = `(${placeholders(this.width)})`;
    this.sql.run(`${this.head} VALUES ${Array.from({ length: this.count }, () => row).join(', ')}`, ...this.pending);
    this.pending = [];
    this.count = 0;
  }
}

/** The tables a bulk load fills: their indexes and triggers wait until it is done. */
const BULK_TABLES = ['items', 'item_problems', 'history', 'evidence'];
/** The other tables of the id namespace: their triggers wait too. */
const KIND_TABLES = ['areas', 'problems', 'causes', 'measures'];

export interface RestoreClock {
  /** The time recorded for what the records do not date (a seed's items). */
  at: string;
  /** A history group above every group restored, for the create entries of a seed's items. */
  newGroup(above: number): number;
}

/**
 * Builds a ledger from records (see Store.restore). The ledger must be empty. Indexes and
 * triggers of the item tables are set aside for the load and rebuilt after it, with the
 * roll-ups they keep recomputed once; all in the caller's transaction.
 */
export async function restoreRecords(
  sql: Sql, records: AsyncIterable<DumpRecord>, actor: string, clock: RestoreClock,
): Promise<RestoreSummary> {
  if (sql.get('SELECT 1 AS x FROM report UNION ALL SELECT 1 FROM areas UNION ALL SELECT 1 FROM items LIMIT 1')) {
    throw new RectifyError('store.notEmpty', {}, { exit: 4, hint: 'store.notEmptyHint' });
  }
  // Rows of the item tables are written in batches of their own, each after the rows it refers
  // to (a pending batch of items goes first), so that no reference is ever outstanding: with
  // one outstanding, SQLite would look for the children of every parent row inserted, in
  // tables whose indexes wait until the end. Undo links may name any earlier entry: checked
  // at COMMIT.
  sql.exec('PRAGMA defer_foreign_keys = ON');
  const summary: RestoreSummary = { title: '', areas: 0, problems: 0, measures: 0, items: 0 };
  const areas = new Map<string, { key: number; problems: number }>();
  const problems = new Map<string, number>();
  const measures = new Map<string, { key: number; lastNum: number }>();
  let causes = 0;

  // The other kinds' namespace triggers look ids up in items, whose id index waits too: they
  // wait as well (the records come checked; `ids` below holds the namespace meanwhile).
  const deferred = sql.all<{ type: 'index' | 'trigger'; name: string; sql: string }>(
    `SELECT type, name, sql FROM sqlite_schema
      WHERE sql IS NOT NULL
        AND ((type IN ('index', 'trigger') AND tbl_name IN (${placeholders(BULK_TABLES.length)}))
          OR (type = 'trigger' AND tbl_name IN (${placeholders(KIND_TABLES.length)})))
      ORDER BY type, name`,
    ...BULK_TABLES, ...KIND_TABLES,
  );
  for (const d of deferred) {
    // Names come from our own schema, never from input; DDL takes no parameters.
    sql.exec(`DROP ${d.type === 'index' ? 'INDEX' : 'TRIGGER'} "${d.name.replace(/"/g, '""')}"`);
  }

  const items = new Rows(sql,
    'INSERT INTO items (key, id, measure, num, status, progress, term, due, owner, department, pins, created_at, updated_at, title, detail)', 15);
  const links = new Rows(sql, 'INSERT INTO item_problems (item, pos, problem)', 3, [items]);
  const schema = schemaOf(sql);
  const history = schema.dbUser
    ? new Rows(sql, 'INSERT INTO history (seq, grp, at, by, item, action, status, progress, via, pins_set, changes, note, reverts, db_user)', 14, [items])
    : schema.reverts
      ? new Rows(sql, 'INSERT INTO history (seq, grp, at, by, item, action, status, progress, via, pins_set, changes, note, reverts)', 13, [items])
      : new Rows(sql, 'INSERT INTO history (seq, grp, at, by, item, action, status, progress, via, pins_set, changes, note)', 12, [items]);
  const removed = schema.removed ? new Rows(sql, 'INSERT INTO removed (grp, at, by, id, title)', 5) : null;
  const evidence = new Rows(sql, 'INSERT INTO evidence (item, seq, text)', 3, [history]);
  let nextKey = (sql.get<{ k: number }>('SELECT coalesce(max(key), 0) + 1 AS k FROM items')!.k);
  let maxSeq = sql.get<{ s: number }>('SELECT coalesce(max(seq), 0) AS s FROM history')!.s;
  let maxGroup = sql.get<{ v: number }>(`SELECT value AS v FROM counters WHERE name = 'group'`)!.v;
  /** Every id so far, lower-cased: the namespace, while its triggers wait. */
  const ids = new Set<string>();
  const define = (id: string) => {
    const key = id.toLowerCase();
    if (ids.has(key)) throw new Error(`restore: id used twice: ${id}`);
    ids.add(key);
  };
  /** Items that get a `create` entry once every restored seq and group is known. */
  const fresh: number[] = [];
  const undone = new Map<number, number>();

  for await (const r of records) {
    switch (r.kind) {
      case 'rectify':
        break;
      case 'report':
        summary.title = r.title;
        sql.run('INSERT INTO report (only, title, unit, date) VALUES (1, ?, ?, ?)', r.title, r.unit, r.date);
        break;
      case 'area': {
        define(r.id);
        const key = sql.run('INSERT INTO areas (id, pos, name) VALUES (?, ?, ?)', r.id, summary.areas++, r.name);
        areas.set(r.id.toLowerCase(), { key, problems: 0 });
        break;
      }
      case 'problem': {
        define(r.id);
        const area = areas.get(r.area.toLowerCase())!;
        const key = sql.run('INSERT INTO problems (id, area, pos, title, detail) VALUES (?, ?, ?, ?, ?)',
          r.id, area.key, area.problems++, r.title, r.detail);
        problems.set(r.id.toLowerCase(), key);
        summary.problems++;
        break;
      }
      case 'cause':
        define(r.id);
        sql.run('INSERT INTO causes (id, pos, title, detail) VALUES (?, ?, ?, ?)', r.id, causes++, r.title, r.detail);
        break;
      case 'measure': {
        define(r.id);
        const key = sql.run('INSERT INTO measures (id, pos, title, detail, last_num) VALUES (?, ?, ?, ?, 0)',
          r.id, summary.measures++, r.title, r.detail);
        measures.set(r.id.toLowerCase(), { key, lastNum: r.lastNumber ?? 0 });
        break;
      }
      case 'item': {
        define(r.id);
        const key = nextKey++;
        const measure = measures.get(r.measure.toLowerCase())!;
        const at = r.createdAt ?? clock.at;
        items.add(key, r.id, measure.key, idNumber(r.id), r.status, r.progress, r.term, r.due,
          r.owner || null, r.department || null, pinMask(r.pinned), at, r.updatedAt ?? at, r.title, r.detail);
        const seen = new Set<number>();
        let pos = 0;
        for (const p of r.addresses) {
          const problem = problems.get(p.toLowerCase())!;
          if (seen.has(problem)) continue;
          seen.add(problem);
          links.add(key, pos++, problem);
        }
        if (r.history === null) fresh.push(key);
        else {
          for (const h of r.history) {
            const row: Param[] = [h.seq, h.group, h.at, h.by, key, h.action, h.status, h.progress, h.via,
              pinMask(h.pinned), JSON.stringify(h.changes), h.note];
            if (schema.reverts) row.push(h.reverts);
            if (schema.dbUser) row.push(h.dbUser ?? null);
            history.add(...row);
            for (const text of h.evidence) evidence.add(key, h.seq, text);
            if (h.seq > maxSeq) maxSeq = h.seq;
            if (h.group > maxGroup) maxGroup = h.group;
            if (h.undoesGroup !== null) undone.set(h.group, h.undoesGroup);
          }
        }
        const shape = numberedShape(r.id);
        const counted = shape && measures.get(shape.prefix.toLowerCase());
        if (counted) counted.lastNum = Math.max(counted.lastNum, shape.n);
        summary.items++;
        break;
      }
      case 'removed':
        removed?.add(r.group, r.at, r.by, r.id, r.title);
        if (r.group > maxGroup) maxGroup = r.group;
        break;
      case 'contact':
      case 'notice':
        restoreSupervision(sql, r, clock.at);
        break;
    }
  }
  removed?.flush();
  items.flush();
  links.flush();
  history.flush();
  evidence.flush();

  if (fresh.length > 0) {
    const grp = clock.newGroup(maxGroup);
    const create = new Rows(sql, 'INSERT INTO history (seq, grp, at, by, item, action, status, progress, via)', 9);
    for (const key of fresh) create.add(++maxSeq, grp, clock.at, actor, key, 'create', 'open', 0, 'seed');
    create.flush();
  } else {
    sql.run(`UPDATE counters SET value = max(value, ?) WHERE name = 'group'`, maxGroup);
  }
  for (const [byGroup, group] of undone) sql.run('INSERT INTO undone (grp, by_grp) VALUES (?, ?)', group, byGroup);
  for (const m of measures.values()) {
    if (m.lastNum > 0) sql.run('UPDATE measures SET last_num = ? WHERE key = ?', m.lastNum, m.key);
  }
  for (const d of deferred) if (d.type === 'index') sql.exec(d.sql);
  for (const d of deferred) if (d.type === 'trigger') sql.exec(d.sql);
  rebuildRollups(sql);
  return summary;
}

