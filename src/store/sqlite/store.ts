// The SQLite ledger behind the Store interface. node:sqlite is synchronous; the methods
// return promises only because the interface must also fit a database server.
import type { Database } from './driver.js';
import { localTimestamp } from '../../core/dates.js';
import type { SeedItem } from '../../core/types.js';
import type { Action, Status } from '../../core/vocab.js';
import type { Store } from '../types.js';
import { translate } from './errors.js';
import { finishCreate, type Pending } from './open.js';
import { schemaOf } from './dump.js';
import type { SeedWriter } from '../import.js';
import type { Loader } from '../restore.js';
import type { HistoryRow } from '../rows.js';
import { Ledger, type Change, type Stamp, type Needed, type UndoEntry } from '../ledger.js';
import { sqlOf, type Db, type Param as SharedParam } from '../sql.js';
import { SQLITE, Sql, type Param } from './sql.js';
import { Tables, rebuildRollups } from './tables.js';
import type { ItemStateRow } from '../item-state.js';


/** The item columns a change may set, in the order they are written. */
const COLUMNS = ['title', 'detail', 'owner', 'department', 'due', 'term', 'status', 'progress'] as const;
type Column = (typeof COLUMNS)[number];

type StateRow = ItemStateRow;

const { STATE_SELECT } = sqlOf(SQLITE);

export class SqliteStore extends Ledger implements Store {
  protected readonly db: Db;
  private readonly sql: Sql;
  private readonly tables: Tables;
  private queue: Promise<unknown> = Promise.resolve();
  private complete = false;

  constructor(
    db: Database,
    private readonly path: string,
    protected readonly now: () => Date,
    /** A ledger being made: it goes into place at close() if a unit of work committed. */
    private readonly pending?: Pending,
  ) {
    super();
    this.sql = new Sql(db);
    const sql = this.sql;
    const params = (p: SharedParam[]) => p as Param[];
    this.db = {
      d: SQLITE,
      all: async (text, p = []) => this.guard(() => sql.all(text, ...params(p))),
      get: async (text, p = []) => this.guard(() => sql.get(text, ...params(p))),
      run: async (text, p = []) => this.guard(() => sql.changes(text, ...params(p))),
    };
    this.tables = new Tables(this.sql, () => this.stamp());
  }

  // ---------------------------------------------------------------- transactions

  async write<T>(fn: () => Promise<T>): Promise<T> {
    // Nested: part of the outer unit of work.
    if (this.scope.getStore()) return fn();
    // Two units of work on one connection must not interleave their statements.
    const run = async (): Promise<T> => {
      this.guard(() => this.sql.exec('BEGIN IMMEDIATE'));
      try {
        const result = await this.scope.run({ stamp: null }, fn);
        this.guard(() => this.sql.exec('COMMIT'));
        this.complete = true;
        return result;
      } catch (e) {
        if (this.sql.db.isTransaction) this.sql.exec('ROLLBACK');
        // A ledger read as it is (read-only, immutable) takes no lock: a write is refused at
        // its first statement, wherever that is.
        throw translate(e, this.path);
      }
    };
    const result = this.queue.then(run, run);
    this.queue = result.catch(() => undefined);
    return result;
  }

  async close(): Promise<void> {
    await this.queue.catch(() => undefined);
    if (this.sql.db.isOpen) this.sql.db.close();
    if (this.pending && !this.pending.done) {
      this.pending.done = true;
      if (this.complete) finishCreate(this.pending);
      else this.pending.discard();
    }
  }

  /** SQLite errors that mean a damaged file become RectifyErrors (exit 2). */
  private guard<T>(fn: () => T): T {
    try {
      return fn();
    } catch (e) {
      throw translate(e, this.path);
    }
  }

  reading<T>(fn: () => Promise<T>): Promise<T> {
    return fn();
  }

  private stamp(): Stamp {
    const scope = this.scope.getStore();
    if (!scope) throw new Error('the ledger was written outside write()');
    if (!scope.stamp) {
      const { value } = this.sql.get<{ value: number }>(
        `UPDATE counters SET value = value + 1 WHERE name = 'group' RETURNING value`,
      )!;
      scope.stamp = { grp: value, at: localTimestamp(this.now()) };
    }
    return scope.stamp;
  }

  // ---------------------------------------------------------------- the ledger as a whole

  /** Seeds write their entries here as every change does on a file: row by row. */
  protected seedWriter(): SeedWriter {
    const { sql, tables } = this;
    return {
      db: this.db,
      reportKey: 'only',
      lockFor: () => '',
      itemsBegin: async () => {},
      insertItems: async (batch, actor) => {
        for (const n of batch) tables.insertItem(n.item, n.measure, n.problems, { by: actor, via: 'seed', pins: 0 });
      },
      importChange: async (old, set, problems, changes, actor) => {
        sql.run(
          `UPDATE items SET measure = ?, title = ?, detail = ?, owner = ?, department = ?, due = ?, term = ?,
                  updated_at = ? WHERE key = ?`,
          set.measure, set.title, set.detail, set.owner, set.department, set.due, set.term, this.stamp().at, old.key,
        );
        if (problems) tables.setAddresses(old.key, problems);
        tables.addHistory({ item: old.key, by: actor, action: 'import', status: old.status, progress: old.progress, via: 'seed', changes });
      },
      itemsEnd: async () => {},
      settle: async () => {},
      deleteItem: async (key) => {
        sql.run('DELETE FROM item_problems WHERE item = ?', key);
        sql.run('DELETE FROM history WHERE item = ?', key);
        sql.run('DELETE FROM items WHERE key = ?', key);
      },
    };
  }

  protected override async dumpSchema() {
    return this.guard(() => schemaOf(this.sql));
  }

  /** A file made before supervision, opened without upgrading, has no contacts at all. */
  protected override async mayReadContacts(): Promise<boolean | null> {
    return this.guard(() => (this.sql.get(`SELECT 1 AS x FROM sqlite_schema WHERE type = 'table' AND name = 'notices'`) ? true : null));
  }

  /** A file loads with its item tables' indexes and triggers set aside (their definitions
   *  read from the schema itself), rebuilt in one sorted pass at the end with the roll-ups:
   *  row by row, they made a 100,000-item load take about three times as long. */
  protected loader(): Loader {
    const { sql } = this;
    const scope = this.scope.getStore()!;
    const at = scope.stamp?.at ?? localTimestamp(this.now());
    let deferred: { type: 'index' | 'trigger'; name: string; sql: string }[] = [];
    return {
      db: this.db, reportKey: 'only', perStatement: 200, at,
      insertRows: async (table, columns, rows) => {
        const row = `(${columns.map(() => '?').join(', ')})`;
        this.guard(() => sql.run(`INSERT INTO ${table} (${columns.join(', ')}) VALUES ${rows.map(() => row).join(', ')}`, ...rows.flat() as Param[]));
      },
      beginLoad: async () => this.guard(() => {
        // Undo links may name any later entry: checked at COMMIT. The namespace triggers of the
        // other kinds look ids up in items, whose id index waits: they wait too.
        sql.exec('PRAGMA defer_foreign_keys = ON');
        deferred = sql.all(
          `SELECT type, name, sql FROM sqlite_schema WHERE sql IS NOT NULL
              AND ((type IN ('index', 'trigger') AND tbl_name IN ('items', 'item_problems', 'history', 'evidence'))
                OR (type = 'trigger' AND tbl_name IN ('areas', 'problems', 'causes', 'measures')))
            ORDER BY type, name`);
        // Names come from our own schema, never from input; DDL takes no parameters.
        for (const d of deferred) sql.exec(`DROP ${d.type === 'index' ? 'INDEX' : 'TRIGGER'} "${d.name.replace(/"/g, '""')}"`);
      }),
      groupsAbove: async (above, fresh) => this.guard(() => {
        const { value } = sql.get<{ value: number }>(
          `UPDATE counters SET value = max(value, ?) + ? WHERE name = 'group' RETURNING value`, above, fresh ? 1 : 0)!;
        if (fresh) scope.stamp = { grp: value, at };
        return value;
      }),
      finishLoad: async () => this.guard(() => {
        for (const d of deferred) if (d.type === 'index') sql.exec(d.sql);
        for (const d of deferred) if (d.type === 'trigger') sql.exec(d.sql);
        rebuildRollups(sql);
      }),
      schema: async () => this.guard(() => schemaOf(sql)),
    };
  }

  // ---------------------------------------------------------------- reading

  // ---------------------------------------------------------------- reading a page at a time

  async snapshot<T>(fn: () => Promise<T>): Promise<T> {
    if (this.scope.getStore() || this.sql.db.isTransaction) return fn();
    // A deferred transaction takes its snapshot at its first read: take it now.
    this.guard(() => {
      this.sql.exec('BEGIN');
      this.sql.get('SELECT 1 AS x FROM counters LIMIT 1');
    });
    try {
      return await fn();
    } finally {
      if (this.sql.db.isTransaction) this.sql.exec('COMMIT');
    }
  }

  /** A view's pages in one read transaction (one snapshot) unless one is open already; its
   *  SQLite errors as the other reads give them (a damaged file: exit 2). */
  protected async *paged<T>(pages: AsyncGenerator<T>): AsyncGenerator<T> {
    const own = !this.sql.db.isTransaction;
    try {
      if (own) this.sql.exec('BEGIN');
      try {
        yield* pages;
      } finally {
        if (own && this.sql.db.isTransaction) this.sql.exec('COMMIT');
      }
    } catch (e) {
      throw translate(e, this.path);
    }
  }

  // ---------------------------------------------------------------- writing

  protected writeAs<T>(_needed: Needed, fn: () => Promise<T>): Promise<T> {
    return this.write(fn);
  }

  protected async now_(): Promise<string> {
    return this.stamp().at;
  }

  /** A file writes the entry itself, after the rows, with the evidence under its number. */
  protected async recordChange(c: Change, write: () => Promise<void>): Promise<void> {
    await write();
    this.guard(() => {
      const seq = this.tables.addHistory({
        item: c.old.key, by: c.by, action: c.action as Action, status: c.status, progress: c.progress, via: 'cli',
        changes: c.changes, note: c.note ?? null, pinsSet: c.pinsSet,
      });
      for (const text of c.evidence ?? []) this.sql.run('INSERT INTO evidence (item, seq, text) VALUES (?, ?, ?)', c.old.key, seq, text);
    });
  }

  protected async insertItem(item: SeedItem, measure: number, problems: number[], opts: { by: string; pins: number }): Promise<void> {
    this.guard(() => this.tables.insertItem(item, measure, problems, { ...opts, via: 'cli' }));
  }

  protected async revertGroup(grp: number, entries: UndoEntry[], actor: string): Promise<void> {
    this.guard(() => {
      for (const e of [...entries].reverse()) this.revert(e, actor);
      this.sql.run('INSERT INTO undone (grp, by_grp) VALUES (?, ?)', grp, this.stamp().grp);
    });
  }

  protected async removeRows(rows: { key: number; id: string; title: string }[], actor: string): Promise<void> {
    const { sql } = this;
    const { grp, at } = this.stamp();
    // Deferred foreign keys: the item goes first, so that the history guard (which keeps
    // the history of every item still there) lets its rows go; all is checked at commit.
    sql.exec('PRAGMA defer_foreign_keys = ON');
    for (const r of rows) {
      sql.run('INSERT INTO removed (grp, at, by, id, title) VALUES (?, ?, ?, ?, ?)', grp, at, actor, r.id, r.title);
      sql.run('DELETE FROM item_problems WHERE item = ?', r.key);
      sql.run('DELETE FROM items WHERE key = ?', r.key);
      sql.run('DELETE FROM history WHERE item = ?', r.key);
    }
  }

  /** Puts back the fields one entry changed and removes the evidence it added. */
  private revert(e: HistoryRow & { key: number; pins_set: number }, actor: string): void {
    const { sql, tables } = this;
    const { at } = this.stamp();
    const cur = sql.get<StateRow>(`${STATE_SELECT} WHERE i.key = ?`, e.key)!;
    const changes = JSON.parse(e.changes) as Record<string, [unknown, unknown]>;
    const diff: Record<string, [unknown, unknown]> = {};
    const next: Record<Column, unknown> = { ...cur };
    for (const col of COLUMNS) {
      const change = changes[col];
      if (!change) continue;
      next[col] = change[0];
      if (change[0] !== cur[col]) diff[col] = [cur[col], change[0]];
    }
    let measure: number | null = null;
    if (changes.measure) {
      const back = sql.get<{ key: number; id: string }>('SELECT key, id FROM measures WHERE id = ?', String(changes.measure[0]));
      if (back && back.key !== cur.measure) {
        measure = back.key;
        diff.measure = [cur.measureId, back.id];
      }
    }
    const cols = COLUMNS.filter((c) => c in diff);
    sql.run(
      `UPDATE items SET ${[...cols.map((c) => `${c} = ?`), ...(measure !== null ? ['measure = ?'] : []), 'pins = ?', 'updated_at = ?'].join(', ')} WHERE key = ?`,
      ...cols.map((c) => next[c] as Param), ...(measure !== null ? [measure] : []), cur.pins & ~e.pins_set, at, e.key,
    );
    const addresses = changes.addresses;
    if (addresses) {
      const before = addresses[0] as string[];
      tables.setAddresses(e.key, tables.problemKeys(before).keys);
      diff.addresses = [JSON.parse(cur.addresses), before];
    }
    const evidence = sql.all<{ text: string }>('SELECT text FROM evidence WHERE seq = ? ORDER BY key', e.seq);
    if (evidence.length > 0) {
      sql.run('DELETE FROM evidence WHERE seq = ?', e.seq);
      diff.evidence = [evidence.map((x) => x.text), []];
    }
    // The entry it takes back, as data: views word it in the reader's language.
    const { grp } = this.stamp();
    sql.run(
      `INSERT INTO history (grp, at, by, item, action, status, progress, via, changes, reverts)
       VALUES (?, ?, ?, ?, 'undo', ?, ?, 'cli', ?, ?)`,
      grp, at, actor, e.key, next.status as Status, next.progress as number,
      Object.keys(diff).length > 0 ? JSON.stringify(diff) : '{}', e.seq,
    );
  }
}
