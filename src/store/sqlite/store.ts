// The SQLite ledger behind the Store interface. node:sqlite is synchronous; the methods
// return promises only because the interface must also fit a database server.
import type { Database } from './driver.js';
import { localTimestamp } from '../../core/dates.js';
import { statSync } from 'node:fs';
import type { LedgerIdentity, Store } from '../types.js';
import { translate } from './errors.js';
import { finishCreate, type Pending } from './open.js';
import { schemaOf } from './dump.js';
import type { SeedWriter } from '../import.js';
import type { Loader } from '../restore.js';
import { Ledger, type ChangeMeta, type Stamp, type Needed, type UndoEntry } from '../ledger.js';
import { sqlOf, type Db, type Param as SharedParam } from '../sql.js';
import { SQLITE, Sql, type Param } from './sql.js';
import { insertSeedItem, rebuildRollups } from './tables.js';
import type { ItemStateRow } from '../item-state.js';

/** The item columns a change may set, in the order they are written. */
const COLUMNS = ['title', 'detail', 'owner', 'department', 'due', 'term', 'status', 'progress'] as const;
type Column = (typeof COLUMNS)[number];

const { STATE_SELECT } = sqlOf(SQLITE);

let memories = 0;

export class SqliteStore extends Ledger implements Store {
  protected readonly db: Db;
  private readonly sql: Sql;
  /** Whether the file's own triggers write its history (migration 5; a test's older file not). */
  private triggers: boolean | undefined;
  private queue: Promise<unknown> = Promise.resolve();
  private complete = false;
  /** A ledger in memory is a place of its own (tests). */
  private readonly memoryPlace = ++memories;

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
  }

  // ---------------------------------------------------------------- transactions

  async write<T>(fn: () => Promise<T>): Promise<T> {
    // Nested: part of the outer unit of work.
    if (this.scope.getStore()) return fn();
    // Two units of work on one connection must not interleave their statements.
    const run = async (): Promise<T> => {
      this.guard(() => this.sql.exec('BEGIN IMMEDIATE'));
      try {
        const result = await this.scope.run({ stamp: null }, async () => {
          const r = await fn();
          this.guard(() => this.record());
          return r;
        });
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

  async identity(): Promise<LedgerIdentity> {
    const table = this.sql.get<{ n: number }>("SELECT count(*) AS n FROM sqlite_schema WHERE type = 'table' AND name = 'ledger'")!.n > 0;
    const id = table ? (await this.db.get<{ id: string }>('SELECT id FROM ledger'))?.id ?? null : null;
    let place = `memory:${this.memoryPlace}`;
    if (this.path !== ':memory:') {
      const st = statSync(this.path, { bigint: true });
      place = `file:${st.dev}:${st.ino}`;
    }
    return { id, place };
  }

  async adoptId(id: string): Promise<void> {
    await this.db.run('UPDATE ledger SET id = ?', [id]);
  }

  /** SQLite errors that mean a damaged file become RectifyErrors (exit 2). */
  private guard<T>(fn: () => T): T {
    try {
      return fn();
    } catch (e) {
      throw translate(e, this.path);
    }
  }

  /** The end of a unit of work, where a server's deferred trigger runs at COMMIT: the file's
   *  trigger on `pending` writes one entry per item changed (migrations/005), then the context
   *  goes, so that no one else ever sees it. */
  private record(): void {
    this.triggers ??= Boolean(this.sql.get(`SELECT 1 AS x FROM sqlite_schema WHERE type = 'table' AND name = 'pending'`));
    if (!this.triggers || !this.scope.getStore()?.stamp) return;
    this.sql.run('DELETE FROM pending');
    this.sql.run('DELETE FROM change_context');
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

  /** A seed's items go in row by row; the file's triggers record each as the seed's (the
   *  context, handed in when the first item is written, as a server's tx_group is drawn). */
  protected seedWriter(): SeedWriter {
    const { sql } = this;
    let actor = '';
    let told = false;
    const tell = () => {
      if (!told) this.tell({ by: actor, action: 'import', via: 'seed' });
      told = true;
      return this.stamp();
    };
    return {
      db: this.db,
      reportKey: 'only',
      lockFor: () => '',
      itemsBegin: async (by) => {
        actor = by;
      },
      insertItems: async (batch) => {
        const { at } = tell();
        this.guard(() => {
          for (const n of batch) insertSeedItem(sql, n.item, n.measure, n.problems, at);
        });
      },
      importChange: async (old, set, problems) => {
        const { at } = tell();
        this.guard(() => {
          sql.run(
            `UPDATE items SET measure = ?, title = ?, detail = ?, owner = ?, department = ?, due = ?, term = ?,
                    updated_at = ? WHERE key = ?`,
            set.measure, set.title, set.detail, set.owner, set.department, set.due, set.term, at, old.key,
          );
          if (problems) {
            sql.run('DELETE FROM item_problems WHERE item = ?', old.key);
            for (const [pos, p] of problems.entries()) sql.run('INSERT INTO item_problems (item, pos, problem) VALUES (?, ?, ?)', old.key, pos, p);
          }
        });
      },
      itemsEnd: async () => {},
      settle: async () => {},
      // The file's triggers let its addresses and history go with it (a prune records no removal).
      deleteItem: async (key) => {
        tell();
        this.guard(() => sql.run('DELETE FROM items WHERE key = ?', key));
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

  protected async meta(m: ChangeMeta): Promise<void> {
    this.guard(() => this.tell(m));
  }

  /** The context the file's triggers record the changes that follow with (migrations/005). */
  private tell(m: ChangeMeta): void {
    const { grp, at } = this.stamp();
    this.sql.run(
      `INSERT INTO change_context (one, grp, at, by, action, note, evidence, via, reverts, removed) VALUES (1, ?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (one) DO UPDATE SET grp = excluded.grp, at = excluded.at, by = excluded.by, action = excluded.action,
         note = excluded.note, evidence = excluded.evidence, via = excluded.via, reverts = excluded.reverts, removed = excluded.removed`,
      grp, at, m.by, m.action, m.note ?? null, JSON.stringify(m.evidence ?? []), m.via ?? 'cli', m.reverts ?? null, JSON.stringify(m.removed ?? []),
    );
  }

  protected async revertGroup(grp: number, entries: UndoEntry[], actor: string): Promise<void> {
    // One undo entry per item: a group a file wrote before its triggers may hold several of one
    // item's entries, whose evidence that entry names together.
    const removed = new Map<number, string[]>();
    for (const e of [...entries].reverse()) await this.revert(e, actor, removed);
    await this.db.run('INSERT INTO undone (grp, by_grp) VALUES (?, ?)', [grp, this.stamp().grp]);
  }

  /** Puts back the fields one entry changed and removes the evidence it added; the file's
   *  triggers write the undo entry, naming the entry it takes back. */
  private async revert(e: UndoEntry, actor: string, removed: Map<number, string[]>): Promise<void> {
    const { db } = this;
    const { at } = this.stamp();
    const cur = (await db.get<ItemStateRow>(`${STATE_SELECT} WHERE i.key = ?`, [e.key]))!;
    const changes = JSON.parse(e.changes) as Record<string, [unknown, unknown]>;
    const sets: [string, Param][] = [];
    for (const col of COLUMNS) {
      const change = changes[col];
      if (change && change[0] !== cur[col as Column]) sets.push([col, change[0] as Param]);
    }
    if (changes.measure) {
      const back = await db.get<{ key: number }>('SELECT key FROM measures WHERE id = ?', [String(changes.measure[0])]);
      if (back && back.key !== cur.measure) sets.push(['measure', back.key]);
    }
    const evidence = (await db.all<{ text: string }>('SELECT text FROM evidence WHERE seq = ? ORDER BY key', [e.seq])).map((x) => x.text);
    removed.set(e.key, [...removed.get(e.key) ?? [], ...evidence]);
    await this.meta({ by: actor, action: 'undo', reverts: e.seq, removed: removed.get(e.key) });
    sets.push(['pins', cur.pins & ~e.pins_set], ['updated_at', at]);
    await db.run(`UPDATE items SET ${sets.map(([c]) => `${c} = ?`).join(', ')} WHERE key = ?`, [...sets.map(([, v]) => v), e.key]);
    if (changes.addresses) await this.setAddresses(e.key, (await this.problemKeys(changes.addresses[0] as string[])).keys);
    if (evidence.length > 0) await db.run('DELETE FROM evidence WHERE seq = ?', [e.seq]);
  }
}
