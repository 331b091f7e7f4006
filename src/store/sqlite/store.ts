// The SQLite ledger behind the Store interface. better-sqlite3 is synchronous; the methods
// return promises only because the interface must also fit a database server.
import { AsyncLocalStorage } from 'node:async_hooks';
import type { Database } from 'better-sqlite3';
import { localTimestamp } from '../../core/dates.js';
import type { DumpRecord, RestoreSummary } from '../../core/dump.js';
import type { Seed, SeedItem } from '../../core/types.js';
import type { Action, Status } from '../../core/vocab.js';
import { RectifyError } from '../../errors.js';
import type { ImportResult, Store } from '../types.js';
import { translate } from './errors.js';
import { finishCreate, type Pending } from './open.js';
import { restoreRecords, schemaOf } from './dump.js';
import { supervisionRecords } from './supervise.js';
import { checkNamespace, runImport, type SeedWriter } from '../import.js';
import { numberedShape, type HistoryRow } from '../rows.js';
import { Ledger, type Change, type Needed, type UndoEntry } from '../ledger.js';
import { sqlOf, type Db, type Param as SharedParam } from '../sql.js';
import { SQLITE, Sql, type Param } from './sql.js';
import { OpenItemCounts, Tables, blankToNull, bulkLoad, type Stamp } from './tables.js';
import type { ItemStateRow } from '../item-state.js';
import type { SupervisionStore } from '../supervise.js';
import { sqliteSupervision } from './supervise.js';

/** What one write() shares: its history group and its time, both taken when first needed. */
interface Scope {
  stamp: Stamp | null;
}

/** The item columns a change may set, in the order they are written. */
const COLUMNS = ['title', 'detail', 'owner', 'department', 'due', 'term', 'status', 'progress'] as const;
type Column = (typeof COLUMNS)[number];

type StateRow = ItemStateRow;

const { STATE_SELECT } = sqlOf(SQLITE);

export class SqliteStore extends Ledger implements Store {
  protected readonly db: Db;
  private readonly sql: Sql;
  private readonly tables: Tables;
  private readonly scope = new AsyncLocalStorage<Scope>();
  private queue: Promise<unknown> = Promise.resolve();
  private complete = false;

  constructor(
    db: Database,
    private readonly path: string,
    private readonly now: () => Date,
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
        if (this.sql.db.inTransaction) this.sql.exec('ROLLBACK');
        throw e;
      }
    };
    const result = this.queue.then(run, run);
    this.queue = result.catch(() => undefined);
    return result;
  }

  async close(): Promise<void> {
    await this.queue.catch(() => undefined);
    if (this.sql.db.open) this.sql.db.close();
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

  /** Runs fn inside write(): on its own it is a transaction of its own. */
  private writing<T>(fn: () => T): Promise<T> {
    return this.write(async () => this.guard(fn));
  }

  private readNow<T>(fn: () => T): Promise<T> {
    return Promise.resolve().then(() => this.guard(fn));
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

  createFromSeed(seed: Seed, actor: string): Promise<void> {
    return this.writing(() => {
      const { sql, tables } = this;
      if (sql.get('SELECT 1 AS x FROM report UNION ALL SELECT 1 FROM areas LIMIT 1')) {
        throw new RectifyError('store.notEmpty', {}, { exit: 4, hint: 'store.notEmptyHint' });
      }
      checkNamespace(seed);
      sql.run('INSERT INTO report (only, title, unit, date) VALUES (1, ?, ?, ?)',
        seed.report.title, seed.report.unit, seed.report.date);
      const problemKey = new Map<string, number>();
      seed.areas.forEach((a, pos) => {
        const area = tables.insertArea(a.id, pos, a.name);
        a.problems.forEach((p, ppos) => {
          problemKey.set(p.id.toLowerCase(), tables.insertProblem(p.id, area, ppos, p.title, p.detail));
        });
      });
      seed.causes.forEach((c, pos) => tables.insertCause(c.id, pos, c.title, c.detail));
      // Item numbers are counted here rather than row by row: one update per measure.
      const measures = new Map<string, { key: number; lastNum: number }>();
      seed.measures.forEach((m, pos) => {
        measures.set(m.id.toLowerCase(), { key: tables.insertMeasure(m.id, pos, m.title, m.detail), lastNum: 0 });
      });

      bulkLoad(sql, () => {
        const counts = new OpenItemCounts();
        let firstKey: number | undefined;
        let lastKey = 0;
        for (const m of seed.measures) {
          const measure = measures.get(m.id.toLowerCase())!.key;
          for (const it of m.items) {
            const problems: number[] = [];
            for (const p of it.addresses) {
              const key = problemKey.get(p.toLowerCase());
              if (key === undefined) throw new RectifyError('store.unknownProblem', { id: p }, { exit: 3 });
              if (!problems.includes(key)) problems.push(key);
            }
            const key = tables.insertItemRow(it, measure, problems, 0);
            firstKey ??= key;
            lastKey = key;
            counts.add(measure, blankToNull(it.owner), it.due, problems);
            const shape = numberedShape(it.id);
            const counted = shape && measures.get(shape.prefix.toLowerCase());
            if (counted) counted.lastNum = Math.max(counted.lastNum, shape.n);
          }
        }
        counts.write(sql);
        // Every item's `create` entry, in seed order, in one statement. The items of an
        // empty ledger have the keys first..last (rowids count up from the largest), which
        // spares reading the items table back.
        if (firstKey !== undefined) {
          const { grp, at } = this.stamp();
          const written = sql.changes(
            `WITH RECURSIVE k (key) AS (SELECT ? UNION ALL SELECT key + 1 FROM k WHERE key < ?)
             INSERT INTO history (grp, at, by, item, action, status, progress, via)
             SELECT ?, ?, ?, key, 'create', 'open', 0, 'seed' FROM k`,
            firstKey, lastKey, grp, at, actor,
          );
          if (written !== lastKey - firstKey + 1 || written !== counts.items) {
            throw new Error('items of a bulk load did not get consecutive keys');
          }
        }
      });
      for (const m of measures.values()) {
        if (m.lastNum > 0) sql.run('UPDATE measures SET last_num = ? WHERE key = ?', m.lastNum, m.key);
      }
    });
  }

  /** Seeds write their entries here as every change does on a file: row by row. */
  private seedWriter(): SeedWriter {
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
      deleteItem: async (key) => {
        sql.run('DELETE FROM item_problems WHERE item = ?', key);
        sql.run('DELETE FROM history WHERE item = ?', key);
        sql.run('DELETE FROM items WHERE key = ?', key);
      },
    };
  }

  importSeed(seed: Seed, opts: { dryRun: boolean; prune: boolean; actor: string }): Promise<ImportResult> {
    return this.write(async () => {
      if (!opts.dryRun) return runImport(this.seedWriter(), seed, opts.prune, opts.actor);
      // A dry run does all the work, then takes it back: the answer is exactly the real one.
      const scope = this.scope.getStore()!;
      const stamp = scope.stamp;
      this.sql.exec('SAVEPOINT dry_run');
      try {
        return await runImport(this.seedWriter(), seed, opts.prune, opts.actor);
      } finally {
        this.sql.exec('ROLLBACK TO dry_run');
        this.sql.exec('RELEASE dry_run');
        scope.stamp = stamp;
      }
    });
  }

  protected override async dumpSchema() {
    return this.guard(() => schemaOf(this.sql));
  }

  protected async supervisionDump() {
    return this.guard(() => supervisionRecords(this.sql));
  }

  restore(records: AsyncIterable<DumpRecord>, actor: string): Promise<RestoreSummary> {
    return this.write(async () => {
      const scope = this.scope.getStore()!;
      const at = scope.stamp?.at ?? localTimestamp(this.now());
      const clock = {
        at,
        newGroup: (above: number) => {
          const { value } = this.sql.get<{ value: number }>(
            `UPDATE counters SET value = max(value, ?) + 1 WHERE name = 'group' RETURNING value`, above,
          )!;
          scope.stamp = { grp: value, at };
          return value;
        },
      };
      try {
        return await restoreRecords(this.sql, records, actor, clock);
      } catch (e) {
        throw e instanceof RectifyError ? e : translate(e, this.path);
      }
    });
  }

  // ---------------------------------------------------------------- reading

  // ---------------------------------------------------------------- reading a page at a time

  async snapshot<T>(fn: () => Promise<T>): Promise<T> {
    if (this.scope.getStore() || this.sql.db.inTransaction) return fn();
    // A deferred transaction takes its snapshot at its first read: take it now.
    this.guard(() => {
      this.sql.exec('BEGIN');
      this.sql.get('SELECT 1 AS x FROM counters LIMIT 1');
    });
    try {
      return await fn();
    } finally {
      if (this.sql.db.inTransaction) this.sql.exec('COMMIT');
    }
  }

  /** A view's pages in one read transaction (one snapshot) unless one is open already; its
   *  SQLite errors as the other reads give them (a damaged file: exit 2). */
  protected async *paged<T>(pages: AsyncGenerator<T>): AsyncGenerator<T> {
    const own = !this.sql.db.inTransaction;
    try {
      if (own) this.sql.exec('BEGIN');
      try {
        yield* pages;
      } finally {
        if (own && this.sql.db.inTransaction) this.sql.exec('COMMIT');
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

  supervision(): SupervisionStore {
    return sqliteSupervision(this.sql, (fn) => this.writing(fn), (fn) => this.readNow(fn), () => localTimestamp(this.now()));
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
