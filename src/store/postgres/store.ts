// A ledger on a PostgreSQL server behind the Store interface: one schema, one connection.
//
// Units of work: write() runs in one READ COMMITTED transaction that first takes the ledger's
// write lock (a row only the ledger's own function locks, for a ledger role: no outsider can
// hold it), so that rectify writers to one ledger go one at a time (as on a file), and
// reads the rows it changes with FOR UPDATE, so that a writer with plain SQL cannot slip in
// between a check and its write either. A deadlock or serialization failure caused by such a
// writer is retried. Views outside write() read one snapshot: the first read opens a
// REPEATABLE READ READ ONLY transaction that lasts until write() or close().
//
// What the history says is written by the server (migrations/002-guard.ts) from the rows as
// they changed; the store hands in only the actor, note, evidence and the change's label, as
// transaction-local settings (meta()) before each change.
import { localTimestamp } from '../../core/dates.js';
import type { IsoDate, SeedItem } from '../../core/types.js';
import { EXIT, RectifyError } from '../../errors.js';
import { idNumber } from '../rows.js';
import { Ledger, type ChangeMeta, type Stamp, type Needed, type UndoEntry } from '../ledger.js';
import type { Db as SharedDb } from '../sql.js';
import type { LedgerAccess, LedgerIdentity, Store } from '../types.js';
import { quoteIdent, type ServerAddress } from './address.js';
import { LOCK_TIMEOUT, errorCode, isConnectionLost, oneLine, unreachable, type Param, type Sql } from './connect.js';
import { ledgerAccess } from './access.js';
import { blankToNull, type SeedWriter } from '../import.js';
import type { Loader } from '../restore.js';
import { PG, dollars, inlined } from './sql.js';



/** A ledger's group roles and the NOLOGIN role that owns it. */
export interface LedgerRoles {
  viewer: string;
  staff: string;
  admin: string;
  owner: string;
}

/** Statements a unit of work runs; reads inside write() lock what they read. */
export interface Db {
  all<T>(text: string, params?: Param[]): Promise<T[]>;
  get<T>(text: string, params?: Param[]): Promise<T | undefined>;
  run(text: string, params?: Param[]): Promise<number>;
}

const RETRIES = 3;

/** The tables a bulk load fills, whose indexes and triggers it may set aside. */
const BULK_TABLES = ['items', 'item_problems', 'history', 'evidence'];

export class PgStore extends Ledger implements Store, Db {
  protected readonly db: SharedDb;
  private queue: Promise<unknown> = Promise.resolve();
  private state: 'idle' | 'read' | 'write' = 'idle';
  /** Set while COMMIT is on its way: a lost connection then may have saved the change. */
  private committing = false;
  private creating = false;
  /** Indexes a bulk load set aside, and whether it switched the item tables' triggers off. */
  private deferredIndexes: { name: string; def: string }[] = [];
  private triggersOff = false;
  /** The statements that load rows into a table, by table and columns. */
  private readonly inserts = new Map<string, string>();
  /** The role may lock items for a change (read at the start of each write()). */
  private canLock = false;
  /** What a refusal in the current unit of work would have needed. */
  private needed: Needed = 'admin';
  /** Set by openPgStore for `init`: makes the schema, in the first write()'s transaction. */
  beforeFirstWrite: (() => Promise<void>) | null = null;
  /** Run just before the COMMIT of the write() that created the ledger (once). */
  beforeCommit: (() => Promise<void>) | null = null;
  /** The schema version this store upgraded when it opened the ledger; null if none. */
  upgradedFrom: number | null = null;
  /** Whether write() takes the ledger's lock (not while the ledger is made or upgraded). */
  private guarded = true;

  constructor(
    readonly sql: Sql,
    readonly addr: ServerAddress,
    readonly roles: LedgerRoles,
    protected readonly now: () => Date,
  ) {
    super();
    this.db = {
      d: PG,
      all: (text, params) => this.all(dollars(text), params as Param[]),
      get: (text, params) => this.get(dollars(text), params as Param[]),
      run: (text, params) => this.run(dollars(text), params as Param[]),
    };
  }

  // ---------------------------------------------------------------- statements

  /** A statement, its parameters written in where they may be (inlined()): one round trip. */
  private statement(text: string, params: Param[]) {
    const one = inlined(text, params);
    return one === null ? this.sql.unsafe(text, params as never[], { prepare: false }) : this.sql.unsafe(one);
  }

  async all<T>(text: string, params: Param[] = []): Promise<T[]> {
    try {
      return (await this.statement(text, params)) as unknown as T[];
    } catch (e) {
      throw this.translate(e);
    }
  }

  async get<T>(text: string, params: Param[] = []): Promise<T | undefined> {
    return (await this.all<T>(text, params))[0];
  }

  async run(text: string, params: Param[] = []): Promise<number> {
    try {
      const r = await this.statement(text, params);
      return r.count;
    } catch (e) {
      throw this.translate(e);
    }
  }

  /** Statements that take no parameters and may be several (no prepared statement). */
  async exec(text: string): Promise<void> {
    try {
      await this.sql.unsafe(text);
    } catch (e) {
      throw this.translate(e);
    }
  }

  /** What a server's refusal or a lost connection means to the user. */
  translate(e: unknown): unknown {
    if (e instanceof RectifyError) return e;
    const code = errorCode(e);
    if (code === undefined) return e;
    const address = this.addr.shown;
    if (code === '42501' && this.creating) {
      return new RectifyError('pg.cannotCreate', { address, reason: oneLine((e as Error).message, this.addr) },
        { exit: EXIT.notAllowed, hint: 'pg.cannotCreateHint' });
    }
    if (code === '42501') {
      const short = this.needed;
      return new RectifyError('pg.refused', {
        user: this.addr.user, address, role: this.roles[short], admin: this.roles.admin, short,
      }, { exit: EXIT.notAllowed });
    }
    // 55P03: lock_timeout; 57014: a statement cancelled.
    if (code === '55P03') return new RectifyError('pg.busy', { address }, { exit: EXIT.notAllowed, hint: 'store.busyHint' });
    if (isConnectionLost(e)) {
      return new RectifyError(this.committing ? 'pg.lostAtCommit' : 'pg.lost', { address, reason: oneLine(String((e as Error).message ?? e), this.addr) }, {
        exit: EXIT.failure, ...(this.committing ? { hint: 'pg.lostAtCommitHint' } : {}),
      });
    }
    const reach = unreachable(e, this.addr);
    if (reach) return reach;
    return e;
  }

  // ---------------------------------------------------------------- transactions

  private async endRead(): Promise<void> {
    if (this.state === 'read') {
      this.state = 'idle';
      await this.exec('COMMIT');
    }
  }

  async write<T>(fn: () => Promise<T>): Promise<T> {
    if (this.scope.getStore()) return fn();
    const run = async (): Promise<T> => {
      await this.endRead();
      for (let attempt = 1; ; attempt++) {
        this.state = 'write';
        try {
          // Not waited for: the next statement follows it in the same round trip.
          const begin = this.exec(`BEGIN ISOLATION LEVEL READ COMMITTED; SET LOCAL lock_timeout = '${LOCK_TIMEOUT}'`);
          begin.catch(() => {});
          const at = localTimestamp(this.now());
          if (this.beforeFirstWrite || !this.guarded) {
            await this.run(`SELECT set_config('rectify.at', $1, true)`, [at]);
            this.canLock = true;
          } else {
            // One round trip: the ledger's lock, taken only for a role that may write (a viewer
            // is then refused by the change itself, naming its role), and the clock.
            const r = await this.get<{ can: boolean }>(`SELECT lock_ledger() AS can, set_config('rectify.at', $1, true)`, [at]);
            this.canLock = r!.can;
          }
          await begin;
          if (this.beforeFirstWrite) {
            this.creating = true;
            await this.beforeFirstWrite();
            this.creating = false;
          }
          const result = await this.scope.run({ stamp: null }, fn);
          if (this.beforeCommit) await this.beforeCommit();
          this.committing = true;
          await this.exec('COMMIT');
          this.beforeFirstWrite = null;
          this.beforeCommit = null;
          return result;
        } catch (e) {
          await this.sql.unsafe('ROLLBACK').catch(() => {});
          const code = errorCode(e);
          const retry = (code === '40001' || code === '40P01') && attempt < RETRIES;
          if (!retry) throw this.translate(e);
        } finally {
          this.creating = false;
          this.committing = false;
          this.state = 'idle';
        }
      }
    };
    const result = this.queue.then(run, run);
    this.queue = result.catch(() => undefined);
    return result;
  }

  /** Runs fn inside write(); on its own it is a transaction of its own. `needed` names the
   *  role a refusal would have needed. */
  private writing<T>(needed: Needed, fn: () => Promise<T>): Promise<T> {
    return this.write(async () => {
      this.needed = needed;
      return fn();
    });
  }

  async reading<T>(fn: () => Promise<T>): Promise<T> {
    if (!this.scope.getStore()) {
      await this.queue;
      if (this.state === 'idle') {
        this.state = 'read';
        this.needed = 'viewer';
        // Not waited for: fn's statements follow it on the one connection, in the same round
        // trip. Its failure is fn's.
        const begin = this.exec('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
        begin.catch(() => {});
        const result = fn();
        result.catch(() => {});
        await begin;
        return result;
      }
    }
    return fn();
  }

  /** Inside write(): FOR UPDATE, so that what a command checks stays so until it commits. */
  protected override lockFor(of: string): string {
    return this.scope.getStore() && this.canLock ? ` FOR UPDATE OF ${of}` : '';
  }

  async close(): Promise<void> {
    await this.queue.catch(() => {});
    // A read-only snapshot has nothing to commit: ending the session ends it, without the
    // round trip of a COMMIT.
    if (this.state === 'read') this.state = 'idle';
    await this.sql.end({ timeout: 1 }).catch(() => {});
  }

  /** This transaction's group and time, as the server hands them out. */
  async stamp(): Promise<Stamp> {
    const scope = this.scope.getStore();
    if (!scope) throw new Error('the ledger was written outside write()');
    if (!scope.stamp) scope.stamp = (await this.get<Stamp>('SELECT grp, at FROM tx_group()'))!;
    return scope.stamp;
  }

  /** What the server records with the changes that follow in this transaction. */
  async meta(m: ChangeMeta): Promise<void> {
    await this.run(
      `SELECT set_config('rectify.by', $1, true), set_config('rectify.action', $2, true), set_config('rectify.note', $3, true),
              set_config('rectify.evidence', $4, true), set_config('rectify.via', $5, true)`,
      [m.by, m.action, m.note ?? '', m.evidence && m.evidence.length > 0 ? JSON.stringify(m.evidence) : '', m.via ?? 'cli'],
    );
  }

  /** Runs fn as a write that neither takes the ledger's lock nor expects the guard: the
   *  upgrade, which brings the guard. */
  async unguarded<T>(fn: () => Promise<T>): Promise<T> {
    this.guarded = false;
    try {
      return await this.write(fn);
    } finally {
      this.guarded = true;
    }
  }

  // ---------------------------------------------------------------- the ledger as a whole

  /** A server loads many rows a statement (json_populate_recordset: the table's own types).
   *  The ledger's owner (whoever ran init or copy into a new schema; nobody else may write
   *  history) loads with the item tables' indexes and triggers set aside and rebuilt once at
   *  the end, in the same transaction, as on a file, and the roll-ups counted once. */
  protected loader(): Loader {
    return {
      db: this.db, reportKey: 'one', perStatement: 5000, at: this.scope.getStore()?.stamp?.at ?? localTimestamp(this.now()),
      // The rows as one JSON text, read back with the columns' own types.
      insertRows: async (table, columns, rows) => {
        const key = `${table}(${columns.join(', ')})`;
        let text = this.inserts.get(key);
        if (!text) {
          const types = new Map((await this.all<{ name: string; type: string }>(
            `SELECT attname AS name, format_type(atttypid, atttypmod) AS type FROM pg_attribute
              WHERE attrelid = to_regclass($1) AND attnum > 0 AND NOT attisdropped`, [table])).map((c) => [c.name, c.type]));
          text = `INSERT INTO ${key} SELECT * FROM json_to_recordset($1::text::json)
                    AS x(${columns.map((c) => `${c} ${types.get(c)}`).join(', ')})`;
          this.inserts.set(key, text);
        }
        await this.run(text, [JSON.stringify(rows.map((r) => Object.fromEntries(columns.map((c, n) => [c, r[n]]))))]);
      },
      beginLoad: async () => {
        await this.exec(`SET LOCAL rectify.bulk = 'on'; SET CONSTRAINTS ALL DEFERRED`);
        const own = await this.get<{ own: boolean }>(
          `SELECT pg_has_role(current_user, tableowner, 'USAGE') AS own FROM pg_tables
            WHERE schemaname = current_schema() AND tablename = 'items'`);
        if (!own?.own) return;
        this.deferredIndexes = await this.all<{ name: string; def: string }>(
          `SELECT indexname AS name, indexdef AS def FROM pg_indexes
            WHERE schemaname = current_schema() AND tablename IN (${BULK_TABLES.map((t) => `'${t}'`).join(', ')})
              AND indexname NOT IN (SELECT conname FROM pg_constraint WHERE connamespace = to_regnamespace(quote_ident(current_schema()))::oid)`);
        for (const d of this.deferredIndexes) await this.exec(`DROP INDEX ${quoteIdent(d.name)}`);
        for (const t of BULK_TABLES) await this.exec(`ALTER TABLE ${t} DISABLE TRIGGER USER`);
        this.triggersOff = true;
      },
      groupsAbove: async (above, fresh) => {
        await this.run(`SELECT setval('groups', greatest($1::bigint, (SELECT last_value FROM groups), 1), $1::bigint > 0 OR (SELECT is_called FROM groups))`, [above]);
        return fresh ? (await this.get<{ g: number }>(`SELECT nextval('groups') AS g`))!.g : above;
      },
      finishLoad: () => this.finishBulk(),
      schema: () => this.dumpSchema(),
    };
  }

  /** The roll-ups of a bulk load, written once; identities moved past the keys given. */
  async finishBulk(): Promise<void> {
    // Deferred foreign keys are checked now: an index cannot be built over pending checks.
    await this.exec('SET CONSTRAINTS ALL IMMEDIATE');
    for (const d of this.deferredIndexes.splice(0)) await this.exec(d.def);
    if (this.triggersOff) {
      for (const t of BULK_TABLES) await this.exec(`ALTER TABLE ${t} ENABLE TRIGGER USER`);
      this.triggersOff = false;
    }
    await this.recountRollups();
    await this.exec(`
      SELECT setval(pg_get_serial_sequence('areas', 'key'), max(key)) FROM areas;
      SELECT setval(pg_get_serial_sequence('problems', 'key'), max(key)) FROM problems;
      SELECT setval(pg_get_serial_sequence('causes', 'key'), max(key)) FROM causes;
      SELECT setval(pg_get_serial_sequence('measures', 'key'), max(key)) FROM measures;
      SELECT setval(pg_get_serial_sequence('items', 'key'), max(key)) FROM items;
      SELECT setval(pg_get_serial_sequence('history', 'seq'), max(seq)) FROM history;
      SELECT setval(pg_get_serial_sequence('evidence', 'key'), max(key)) FROM evidence;`);
    // The planner's statistics for tables that were empty a moment ago (inside the
    // transaction: ANALYZE sees the rows it loaded).
    await this.exec('ANALYZE areas, problems, causes, measures, items, item_problems, history, evidence, owner_counts, due_counts');
  }

  /** The roll-ups counted afresh from the items, once, after the roll-up triggers stood
   *  aside (rectify.bulk, the owner's alone) for a load: a counter row updated once per item of
   *  a load would leave a chain of row versions that each later update walks. The server
   *  counts them (an admin may ask it to, never write them). */
  async recountRollups(): Promise<void> {
    await this.exec(`SELECT recount_rollups(); SET LOCAL rectify.bulk = 'off'`);
  }

  /** The server records each item's change as the seed's (meta()); the roll-up triggers
   *  stand aside while the items go in (for the ledger's owner only) and are counted once after. */
  protected seedWriter(): SeedWriter {
    const pending: Promise<unknown>[] = [];
    let bulk: boolean | undefined;
    const settle = async () => {
      await Promise.all(pending.splice(0));
    };
    return {
      db: this.db,
      reportKey: 'one',
      lockFor: (of) => this.lockFor(of),
      itemsBegin: async (actor) => {
        await this.exec(`SET LOCAL rectify.bulk = 'on'`);
        await this.meta({ by: actor, action: 'import', via: 'seed' });
      },
      // Where the bulk setting holds (a member of the owner role: a superuser), the guard
      // skips a new item's touch with its roll-ups, and so its create entry: touched here,
      // so that the entry is written at COMMIT as it is for an admin (and on a file).
      insertItems: async (batch) => {
        await settle();
        bulk ??= (await this.get<{ on: boolean }>(`SELECT pg_has_role(session_user, $1, 'MEMBER') AS on`, [this.roles.owner]))!.on;
        const above = bulk ? (await this.get<{ k: number | null }>('SELECT max(key) AS k FROM items'))!.k ?? 0 : 0;
        await this.insertSeedItems(batch, await this.stamp());
        if (bulk) await this.run('SELECT touch(key, true) FROM items WHERE key > $1 ORDER BY key', [above]);
      },
      // Sent without waiting for each answer: the one connection runs them in order (the history
      // entries too, written at COMMIT in the order the items were first changed), and settle()
      // waits for them before the next batch is read. A round trip each made the 111,505
      // changes of a 200,000-item seed take ten minutes.
      importChange: async (old, set, problems) => {
        const { at } = await this.stamp();
        const sent = this.run(
          `UPDATE items SET measure = $1, title = $2, detail = $3, owner = $4, department = $5, due = $6, term = $7,
                  updated_at = $8 WHERE key = $9`,
          [set.measure, set.title, set.detail, set.owner, set.department, set.due, set.term, at, old.key],
        );
        sent.catch(() => {});
        pending.push(sent);
        if (problems) {
          await settle();
          await this.setAddresses(old.key, problems);
        }
      },
      settle,
      itemsEnd: async (added) => {
        await this.recountRollups();
        // Many new rows: the planner's statistics from before would lead it astray (reading a
        // whole table for each item's addresses), and autovacuum may come much later.
        if (added > 1000) await this.exec('ANALYZE problems, measures, items, item_problems, history');
      },
      // The server lets its history and addresses go with it.
      deleteItem: async (key) => {
        await this.run('DELETE FROM items WHERE key = $1', [key]);
      },
    };
  }

  protected override async dumpSchema() {
    return { reverts: true, removed: true, dbUser: true, recordedAt: true };
  }

  /** Only an admin reads the contacts' addresses; the others their names (contact_names). */
  async identity(): Promise<LedgerIdentity> {
    return this.reading(async () => {
      const { place, has } = (await this.get<{ place: string; has: boolean }>(
        `SELECT 'pg:' || (SELECT system_identifier FROM pg_control_system()) || ':' || (SELECT oid FROM pg_database WHERE datname = current_database())
                  || ':' || (SELECT oid FROM pg_namespace WHERE nspname = current_schema()) AS place,
                to_regclass('ledger') IS NOT NULL AS has`))!;
      // A ledger without its id (034) is told by its place alone, as overview --db tells it.
      const id = has ? (await this.get<{ id: string }>('SELECT id FROM ledger'))?.id ?? null : null;
      return { id, place };
    });
  }

  async adoptId(id: string): Promise<void> {
    await this.run('UPDATE ledger SET id = $1', [id]);
  }

  /** The day the notices trigger writes (033, notice_day: 027's rule in one place). */
  protected override async noticeDay(day: IsoDate, at: string): Promise<IsoDate> {
    return (await this.get<{ day: IsoDate }>('SELECT notice_day($1, $2) AS day', [at, day]))!.day;
  }

  protected override async mayReadContacts(): Promise<boolean> {
    return (await this.get<{ may: boolean }>(`SELECT has_table_privilege(to_regclass('contacts'), 'SELECT') AS may`))!.may;
  }

  // ---------------------------------------------------------------- reading

  // Reading a page at a time, in the view's one snapshot.
  protected paged<T>(pages: AsyncGenerator<T>): AsyncIterable<T> {
    return pages;
  }

  snapshot<T>(fn: () => Promise<T>): Promise<T> {
    return this.reading(fn);
  }

  // ---------------------------------------------------------------- writing

  protected writeAs<T>(needed: Needed, fn: () => Promise<T>): Promise<T> {
    return this.writing(needed, fn);
  }

  protected async now_(): Promise<string> {
    return (await this.stamp()).at;
  }

  /** Staff may take back their own changes; the server decides whose they were and reverts
   *  what its history says (undo_group). */
  protected async revertGroup(grp: number, entries: UndoEntry[], actor: string): Promise<void> {
    // What it takes back decides the role: staff's own progress and done are staff's; anything
    // else, or a change another database role made, is an admin's.
    const mine = entries.every((e) => (e.action === 'progress' || e.action === 'done') && e.db_user === this.addr.user);
    this.needed = mine ? 'staff' : 'admin';
    try {
      await this.run('SELECT undo_group($1, $2)', [grp, actor]);
    } catch (e) {
      // An entry from before the guard (migration 7): the server did not record it.
      if (errorCode(e) === '55000' && /before the server kept the history/.test(String((e as Error).message))) {
        throw new RectifyError('store.undoBeforeGuard', { actor }, { exit: EXIT.notAllowed, hint: 'store.undoBeforeGuardHint' });
      }
      throw e;
    }
    this.needed = 'admin';
  }

  access(): LedgerAccess {
    return ledgerAccess(this);
  }

  // ---------------------------------------------------------------- writing primitives (import too)

  /** Items from a seed with their addresses, many a statement, in the order given (keys and
   *  history numbers follow it); the server writes their `create` entries (meta(): via seed). */
  insertSeedItems(batch: { item: SeedItem; measure: number; problems: number[] }[], stamp: Stamp): Promise<number> {
    const rows = batch.map(({ item, measure, problems }, ord) => ({
      ord, id: item.id, measure, num: idNumber(item.id), term: item.term, due: item.due, owner: blankToNull(item.owner),
      department: blankToNull(item.department), title: item.title, detail: item.detail, problems: JSON.stringify(problems),
    }));
    return this.run(
      `WITH x AS (
         SELECT * FROM json_to_recordset($1::text::json) AS x(ord int, id text, measure bigint, num int, term text, due text,
                owner text, department text, title text, detail text, problems text)),
       i AS (
         INSERT INTO items (id, measure, num, term, due, owner, department, pins, created_at, updated_at, title, detail)
         SELECT id, measure, num, term, due, owner, department, 0, $2, $2, title, detail FROM x ORDER BY ord
         RETURNING key, id),
       p AS (
         INSERT INTO item_problems (item, pos, problem)
         SELECT i.key, e.n - 1, e.value::bigint
           FROM i JOIN x ON lower(x.id) = lower(i.id), json_array_elements_text(x.problems::json) WITH ORDINALITY AS e(value, n)
         RETURNING item)
       SELECT (SELECT count(*) FROM i)::int AS items, (SELECT count(*) FROM p)::int AS links`,
      [JSON.stringify(rows), stamp.at],
    );
  }

}
