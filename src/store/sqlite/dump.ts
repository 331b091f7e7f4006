// A ledger file built from JSON Lines records (core/dump.ts; ../dump.ts reads them out): rows
// written with multi-row inserts in the caller's transaction.
import type { DumpRecord, RestoreSummary } from '../../core/dump.js';
import { RectifyError } from '../../errors.js';
import { idNumber, numberedShape, pinMask } from '../rows.js';
import type { Param, Sql } from './sql.js';
import { restoreSupervision } from './supervise.js';
import { rebuildRollups } from './tables.js';

/** Items read (and rows written) per statement. */
const BATCH = 200;

const placeholders = (n: number) => Array.from({ length: n }, () => '?').join(', ');

/** What the ledger's schema has of what later versions added (undo as data, removals). */
export interface Schema {
  reverts: boolean;
  removed: boolean;
  dbUser: boolean;
}

export function schemaOf(sql: Sql): Schema {
  return {
    reverts: Boolean(sql.get(`SELECT 1 AS x FROM pragma_table_info('history') WHERE name = 'reverts'`)),
    removed: Boolean(sql.get(`SELECT 1 AS x FROM sqlite_schema WHERE type = 'table' AND name = 'removed'`)),
    dbUser: Boolean(sql.get(`SELECT 1 AS x FROM pragma_table_info('history') WHERE name = 'db_user'`)),
  };
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

