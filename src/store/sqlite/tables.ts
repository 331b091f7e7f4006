// The writing primitives shared by the store's methods and by import: inserting what a
// seed describes, keeping item numbers, appending history.
import type { SeedItem } from '../../core/types.js';
import type { Action, Status } from '../../core/vocab.js';
import { RectifyError } from '../../errors.js';
import { FINISHED_STATUSES } from '../../core/vocab.js';
import { idNumber } from '../rows.js';
import { OPEN, sqlList } from '../sql.js';
import type { Sql } from './sql.js';

const FINISHED = sqlList(FINISHED_STATUSES);

export interface Stamp {
  /** The history group of the current write(). */
  grp: number;
  /** The time of the current write(): one time for everything it records. */
  at: string;
}

export type Via = 'seed' | 'cli';

export interface HistoryInput {
  item: number;
  by: string;
  action: Action;
  status: Status;
  progress: number;
  via: Via;
  changes?: Record<string, [unknown, unknown]>;
  note?: string | null;
  pinsSet?: number;
}

const EMPTY_CHANGES = '{}';

export class Tables {
  constructor(
    readonly sql: Sql,
    readonly stamp: () => Stamp,
  ) {}

  insertArea(id: string, pos: number, name: string): number {
    return this.sql.run('INSERT INTO areas (id, pos, name) VALUES (?, ?, ?)', id, pos, name);
  }

  insertProblem(id: string, area: number, pos: number, title: string, detail: string | null): number {
    return this.sql.run(
      'INSERT INTO problems (id, area, pos, title, detail) VALUES (?, ?, ?, ?, ?)',
      id, area, pos, title, detail,
    );
  }

  insertCause(id: string, pos: number, title: string, detail: string | null): number {
    return this.sql.run('INSERT INTO causes (id, pos, title, detail) VALUES (?, ?, ?, ?)', id, pos, title, detail);
  }

  insertMeasure(id: string, pos: number, title: string, detail: string | null): number {
    return this.sql.run('INSERT INTO measures (id, pos, title, detail, last_num) VALUES (?, ?, ?, ?, 0)', id, pos, title, detail);
  }

  /** Inserts an item, open with progress 0, and its `create` history entry. */
  insertItem(item: SeedItem, measure: number, problems: number[], opts: { by: string; via: Via; pins: number }): number {
    const key = this.insertItemRow(item, measure, problems, opts.pins);
    this.addHistory({
      item: key, by: opts.by, action: 'create', status: 'open', progress: 0, via: opts.via,
      pinsSet: opts.pins,
    });
    return key;
  }

  /** Inserts an item, open with progress 0, without its history entry (a bulk load writes
   *  those all at once). */
  insertItemRow(item: SeedItem, measure: number, problems: number[], pins: number): number {
    const { at } = this.stamp();
    const key = this.sql.run(
      `INSERT INTO items (id, measure, num, term, due, owner, department, pins, created_at, updated_at, title, detail)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      item.id, measure, idNumber(item.id), item.term, item.due, blankToNull(item.owner),
      blankToNull(item.department), pins, at, at, item.title, item.detail,
    );
    this.insertAddresses(key, problems);
    return key;
  }

  insertAddresses(item: number, problems: number[]): void {
    let pos = 0;
    for (const p of problems) {
      this.sql.run('INSERT INTO item_problems (item, pos, problem) VALUES (?, ?, ?)', item, pos++, p);
    }
  }

  setAddresses(item: number, problems: number[]): void {
    this.sql.run('DELETE FROM item_problems WHERE item = ?', item);
    this.insertAddresses(item, problems);
  }

  addHistory(h: HistoryInput): number {
    const { grp, at } = this.stamp();
    return this.sql.run(
      `INSERT INTO history (grp, at, by, item, action, status, progress, via, pins_set, changes, note)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      grp, at, h.by, h.item, h.action, h.status, h.progress, h.via, h.pinsSet ?? 0,
      h.changes && Object.keys(h.changes).length > 0 ? JSON.stringify(h.changes) : EMPTY_CHANGES,
      h.note ?? null,
    );
  }

  /** Problem keys for ids (any spelling), first mention kept; an unknown id is exit 3. */
  problemKeys(ids: readonly string[]): { keys: number[]; ids: string[] } {
    const keys: number[] = [];
    const canonical: string[] = [];
    for (const id of ids) {
      const row = this.sql.get<{ key: number; id: string }>('SELECT key, id FROM problems WHERE id = ?', id);
      if (!row) throw new RectifyError('store.unknownProblem', { id }, { exit: 3 });
      if (keys.includes(row.key)) continue;
      keys.push(row.key);
      canonical.push(row.id);
    }
    return { keys, ids: canonical };
  }

}

/** The tables a bulk load fills: their indexes and triggers wait until it is done. */
const BULK_TABLES = ['items', 'item_problems', 'history'];

/**
 * Runs a bulk load of items with the secondary indexes and triggers of the item tables
 * set aside, then builds those indexes in one sorted pass and puts the triggers back, all
 * in the caller's transaction (DDL is transactional in SQLite: a failure restores
 * everything). Index and trigger definitions are taken from the schema itself, so they are
 * always the current ones. `fn` must write the roll-ups the triggers would have kept.
 * Row by row, triggers and scattered index updates made a 100,000-item seed take about
 * three times as long.
 */
export function bulkLoad(sql: Sql, fn: () => void): void {
  const deferred = sql.all<{ type: 'index' | 'trigger'; name: string; sql: string }>(
    `SELECT type, name, sql FROM sqlite_schema
      WHERE type IN ('index', 'trigger') AND sql IS NOT NULL
        AND tbl_name IN (${BULK_TABLES.map(() => '?').join(', ')})
      ORDER BY type, name`,
    ...BULK_TABLES,
  );
  for (const d of deferred) {
    // Names come from our own schema, never from input; DDL takes no parameters.
    sql.exec(`DROP ${d.type === 'index' ? 'INDEX' : 'TRIGGER'} "${d.name.replace(/"/g, '""')}"`);
  }
  fn();
  for (const d of deferred) if (d.type === 'index') sql.exec(d.sql);
  for (const d of deferred) if (d.type === 'trigger') sql.exec(d.sql);
}

/** Recomputes from scratch what the triggers keep (tests compare the two). */
export function rebuildRollups(sql: Sql): void {
  for (const t of ['owner_counts', 'due_counts']) sql.run(`DELETE FROM ${t}`);
  sql.run('UPDATE measures SET items = 0, done = 0');
  sql.run(
    `UPDATE measures SET items = c.n, done = c.done
       FROM (SELECT measure, count(*) AS n, sum(status IN (${FINISHED})) AS done FROM items GROUP BY measure) AS c
      WHERE c.measure = measures.key`,
  );
  sql.run(`INSERT INTO owner_counts (owner, status, n) SELECT coalesce(owner, ''), status, count(*) FROM items GROUP BY 1, 2`);
  sql.run(
    `INSERT INTO due_counts (due, owner, n) SELECT due, coalesce(owner, ''), count(*) FROM items
      WHERE status IN (${OPEN}) AND due IS NOT NULL GROUP BY 1, 2`,
  );
  sql.run('UPDATE problems SET items = 0, unfinished = 0');
  sql.run(
    `UPDATE problems SET items = c.n, unfinished = c.u
       FROM (SELECT ip.problem, count(*) AS n, sum(i.status IN (${OPEN})) AS u
               FROM item_problems ip JOIN items i ON i.key = ip.item GROUP BY ip.problem) AS c
      WHERE c.problem = problems.key`,
  );
}

/** Roll-ups of items loaded in bulk, all open: counted on the way, written once. */
export class OpenItemCounts {
  private readonly measures = new Map<number, number>();
  private readonly owners = new Map<string, number>();
  private readonly due = new Map<string, Map<string, number>>();
  private readonly problems = new Map<number, number>();

  /** How many items were counted. */
  items = 0;

  add(measure: number, owner: string | null, due: string | null, problems: readonly number[]): void {
    this.items += 1;
    const o = owner ?? '';
    bump(this.measures, measure);
    bump(this.owners, o);
    if (due !== null) {
      let byOwner = this.due.get(due);
      if (!byOwner) this.due.set(due, (byOwner = new Map()));
      bump(byOwner, o);
    }
    for (const p of problems) bump(this.problems, p);
  }

  /** Adds the counts to the roll-ups (which the caller knows to hold no open items yet). */
  write(sql: Sql): void {
    for (const [measure, n] of this.measures) {
      sql.run('UPDATE measures SET items = items + ? WHERE key = ?', n, measure);
    }
    for (const [owner, n] of this.owners) {
      sql.run(`INSERT INTO owner_counts (owner, status, n) VALUES (?, 'open', ?)`, owner, n);
    }
    for (const [due, byOwner] of this.due) {
      for (const [owner, n] of byOwner) sql.run('INSERT INTO due_counts (due, owner, n) VALUES (?, ?, ?)', due, owner, n);
    }
    for (const [problem, n] of this.problems) {
      sql.run('UPDATE problems SET items = items + ?, unfinished = unfinished + ? WHERE key = ?', n, n, problem);
    }
  }
}

function bump<K>(map: Map<K, number>, key: K): void {
  map.set(key, (map.get(key) ?? 0) + 1);
}

/** Owners and departments are absent or non-empty: '' means nobody. */
export function blankToNull(s: string | null | undefined): string | null {
  return s === undefined || s === null || s === '' ? null : s;
}
