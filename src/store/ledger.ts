// What a ledger does, written once over a backend (sqlite/, postgres/): each backend gives
// its statements (Db), its transactions and the few things that differ; everything a
// command asks of a ledger that is only SQL and rules lives here.
import type { DumpRecord, RestoreSummary } from '../core/dump.js';
import { localTimestamp } from '../core/dates.js';
import { compareNames, groupChanges } from '../core/summary.js';
import { dumpRecords, type DumpSchema } from './dump.js';
import { compareIds, isValidId } from '../core/ids.js';
import { dueAction } from '../core/items.js';
import type { HistoryEntry, IsoDate, Item, ItemDetail, ProblemDetail, ReportInfo, Seed, SeedItem } from '../core/types.js';
import type { Action, Status } from '../core/vocab.js';
import { RectifyError } from '../errors.js';
import { AsyncLocalStorage } from 'node:async_hooks';
import { blankToNull, runImport, type SeedWriter } from './import.js';
import type { ItemStateRow } from './item-state.js';
import { restoreRecords, seedRecords, type Loader } from './restore.js';
import { PIN_FIELDS, idNumber, pinMask, toHistory, toItem, type HistoryRow, type ItemRow } from './rows.js';
import { HISTORY_FROM, ITEM_FROM, UNDONE, historyQuery, idKey, itemQuery, recentQueries, sqlOf, type Db, type Param } from './sql.js';
import { statusFigures } from './status.js';
import { supervisionOf, supervisionRecords, type SupervisionAccess, type SupervisionStore } from './supervise.js';
import type {
  IdKind, ImportOptions, ImportResult, ItemChange, ItemFilter, LedgerExport, LogFilter, NewItem, ProblemItems, RecentChanges, ReportPage, StatusFigures,
  UndoResult,
} from './types.js';

/** Rows read per statement of a page. */
const PAGE = 500;

// Names in pinyin order, as people look them up (the sort is stable: listing order within).
const byOwner = (a: { owner: string | null }, b: { owner: string | null }) =>
  a.owner === b.owner ? 0 : a.owner === null ? 1 : b.owner === null ? -1 : compareNames(a.owner, b.owner);

export function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

type ReportRow = ItemRow & { evidence: string; lastNote: string | null };
/** An entry of the week `status` tells, as a server writes it out (recentQueries). */
type RecentTuple = [number, string, string, string, HistoryRow['action'], HistoryRow['status'], number, string | null, string];
const toReportRow = (r: ReportRow) => ({ ...toItem(r), evidence: JSON.parse(r.evidence) as string[], lastNote: r.lastNote });

/** The changes of one applyChanges: the statements sent and not yet answered, the items'
 *  states read at once (null: each read before its change), what the history records as
 *  last said. */
interface Batch {
  sent: Promise<unknown>[];
  states: Map<string, ItemStateRow> | null;
  told: string | null;
}

/** The item columns a change may set, in the order they are written. */
const COLUMNS = ['title', 'detail', 'owner', 'department', 'due', 'term', 'status', 'progress'] as const;
type Column = (typeof COLUMNS)[number];

/** The role a refused unit of work would have needed (on a server; a file has none). */
export type Needed = 'viewer' | 'staff' | 'admin';

/** What a change is, as its history entry records it: who, which command, and why. The
 *  database writes the entry from the rows themselves; this is all the writer hands in. */
export interface ChangeMeta {
  by: string;
  action: Action | 'remove';
  note?: string | null;
  evidence?: string[];
  via?: 'cli' | 'seed';
  /** An undo on a file: the entry it takes back and the evidence that goes with it (a
   *  server's undo_group hands in its own). */
  reverts?: number;
  removed?: string[];
}

/** An entry a backend takes back (undo). */
export type UndoEntry = HistoryRow & { key: number; pins_set: number; db_user?: string | null };

/** What one write() shares: its history group and its time, both taken when first needed. */
export interface Stamp {
  grp: number;
  at: string;
}

export abstract class Ledger {
  protected abstract readonly db: Db;
  /** The unit of work under way (write()), with its stamp once taken. */
  protected readonly scope = new AsyncLocalStorage<{ stamp: Stamp | null }>();
  /** How the backend writes what an import changes (import.ts). */
  protected abstract seedWriter(): SeedWriter;
  /** Runs fn as a read: in the view's one snapshot (or the unit of work it is part of). */
  abstract reading<T>(fn: () => Promise<T>): Promise<T>;
  /** The pages of a view, as the backend reads them in one snapshot. */
  protected abstract paged<T>(pages: AsyncGenerator<T>): AsyncIterable<T>;
  /** Inside a unit of work on a server: FOR UPDATE OF `of`, so that what is checked stays so. */
  protected lockFor(_of: string): string {
    return '';
  }
  /** Runs fn as a unit of work (write()), saying which role a refusal would have needed. */
  protected abstract writeAs<T>(needed: Needed, fn: () => Promise<T>): Promise<T>;
  /** The time everything the current unit of work records is stamped with. */
  protected abstract now_(): Promise<string>;
  /** Hands in what the database records with the changes that follow in this unit of work:
   *  its triggers write each item's entry from the rows as they changed (a server's at COMMIT,
   *  a file's at the end of the unit of work), on both backends alike. */
  protected abstract meta(m: ChangeMeta): Promise<void>;
  /** Takes back the group `grp` (its entries, oldest first) as `actor`'s undo. */
  protected abstract revertGroup(grp: number, entries: UndoEntry[], actor: string): Promise<void>;
  /** What the ledger's schema holds of what later versions added (a file of any version). */
  protected async dumpSchema(): Promise<DumpSchema> {
    return { reverts: true, removed: true, dbUser: true };
  }
  protected abstract readonly now: () => Date;
  /** Whether this role may read the contacts' addresses; null without the tables (supervise.ts). */
  protected async mayReadContacts(): Promise<boolean | null> {
    return true;
  }

  /** The day a notice sent now is recorded on (SupervisionStore.noticeDay): a file's is the
   *  client's. */
  protected async noticeDay(day: IsoDate, _at: string): Promise<IsoDate> {
    return day;
  }

  private supervisionAccess(): SupervisionAccess {
    return {
      db: this.db, write: (fn) => this.writeAs('admin', fn), read: (fn) => this.reading(fn),
      now: () => localTimestamp(this.now()), lock: () => this.lockFor('contacts'), mayRead: () => this.mayReadContacts(),
      noticeDay: (day, at) => this.noticeDay(day, at),
    };
  }

  /** Contacts and sent notices (督办: contact, remind). */
  supervision(): SupervisionStore {
    return supervisionOf(this.supervisionAccess());
  }
  /** How the backend loads a ledger (restore), for the current unit of work. */
  protected abstract loader(): Loader;

  /** Merges a seed (Store.importSeed). A dry run does all the work, then takes it back: the
   *  answer is exactly the real one. */
  importSeed(seed: Seed, opts: ImportOptions): Promise<ImportResult> {
    return this.writeAs('admin', async () => {
      const run = () => runImport(this.seedWriter(), seed, opts.prune, opts.actor, opts.items?.());
      if (!opts.dryRun) return run();
      const scope = this.scope.getStore()!;
      const stamp = scope.stamp;
      await this.db.run('SAVEPOINT dry_run');
      try {
        return await run();
      } finally {
        await this.db.run('ROLLBACK TO SAVEPOINT dry_run');
        await this.db.run('RELEASE SAVEPOINT dry_run');
        scope.stamp = stamp;
      }
    });
  }

  /** Builds the ledger from records, in one transaction (Store.restore). */
  restore(records: AsyncIterable<DumpRecord>, actor: string): Promise<RestoreSummary> {
    return this.writeAs('admin', () => restoreRecords(this.loader(), records, actor));
  }

  /** Builds the ledger from a seed: its records restored, each item with a `create` entry. */
  async createFromSeed(seed: Seed, actor: string): Promise<void> {
    await this.restore(seedRecords(seed), actor);
  }

  /** The whole ledger as the records of a JSON Lines dump, from one snapshot. */
  dump(opts: { serverTimes?: boolean } = {}): AsyncIterable<DumpRecord> {
    return this.paged(dumpRecords({
      d: this.db.d,
      read: (text, params) => this.read(text, params),
      schema: async () => ({ ...(await this.dumpSchema()), ...(opts.serverTimes ? {} : { recordedAt: false }) }),
      supervision: () => this.reading(() => supervisionRecords(this.supervisionAccess())),
    }));
  }

  private read<T>(text: string, params: Param[] = []): Promise<T[]> {
    return this.reading(() => this.db.all<T>(text, params));
  }

  protected async reportInfo(): Promise<ReportInfo> {
    return (await this.db.get<ReportInfo>('SELECT title, unit, date FROM report')) ?? { title: '', unit: null, date: null };
  }

  report(): Promise<ReportInfo> {
    return this.reading(() => this.reportInfo());
  }

  /** What an id names, in any spelling. */
  protected async lookupNow(id: string): Promise<{ kind: IdKind; id: string } | null> {
    const { idIs } = sqlOf(this.db.d);
    const kinds = ['item', 'measure', 'problem', 'area', 'cause'];
    const tables = ['items', 'measures', 'problems', 'areas', 'causes'];
    return (await this.db.get<{ kind: IdKind; id: string }>(
      `${kinds.map((k, n) => `SELECT '${k}' AS kind, id FROM ${tables[n]} WHERE ${idIs('id')}`).join(' UNION ALL ')} LIMIT 1`,
      kinds.map(() => id),
    )) ?? null;
  }

  lookup(id: string): Promise<{ kind: IdKind; id: string } | null> {
    return this.reading(() => this.lookupNow(id));
  }

  exportLedger(): Promise<LedgerExport> {
    return this.reading(async () => {
      const { db } = this;
      const { HISTORY_COLUMNS, ITEM_COLUMNS, LISTING_ORDER } = sqlOf(db.d);
      const areas: LedgerExport['areas'] = [];
      const areaIndex = new Map<number, LedgerExport['areas'][number]>();
      for (const a of await db.all<{ key: number; id: string; name: string }>('SELECT key, id, name FROM areas ORDER BY pos')) {
        const area = { id: a.id, name: a.name, problems: [] };
        areas.push(area);
        areaIndex.set(a.key, area);
      }
      for (const p of await db.all<{ area: number; id: string; title: string; detail: string | null }>(
        'SELECT area, id, title, detail FROM problems ORDER BY area, pos',
      )) {
        areaIndex.get(p.area)!.problems.push({ id: p.id, title: p.title, detail: p.detail });
      }
      const causes = await db.all<{ id: string; title: string; detail: string | null }>('SELECT id, title, detail FROM causes ORDER BY pos');
      const evidence = new Map<number, string[]>();
      for (const e of await db.all<{ item: number; text: string }>('SELECT item, text FROM evidence ORDER BY item, key')) {
        push(evidence, e.item, e.text);
      }
      const history = new Map<number, HistoryEntry[]>();
      for (const h of await db.all<HistoryRow & { key: number }>(
        `SELECT i.key, ${HISTORY_COLUMNS} FROM ${HISTORY_FROM} ORDER BY h.item, h.seq`,
      )) {
        push(history, h.key, toHistory(h));
      }
      const measures: LedgerExport['measures'] = [];
      const measureIndex = new Map<string, LedgerExport['measures'][number]>();
      for (const m of await db.all<{ id: string; title: string; detail: string | null }>('SELECT id, title, detail FROM measures ORDER BY pos')) {
        const measure = { id: m.id, title: m.title, detail: m.detail, items: [] };
        measures.push(measure);
        measureIndex.set(m.id, measure);
      }
      for (const r of await db.all<ItemRow>(`SELECT ${ITEM_COLUMNS} FROM ${ITEM_FROM} ORDER BY ${LISTING_ORDER}`)) {
        measureIndex.get(r.measure)!.items.push({ ...toItem(r), evidence: evidence.get(r.key) ?? [], history: history.get(r.key) ?? [] });
      }
      return { version: 1, report: await this.reportInfo(), areas, causes, measures };
    });
  }

  // ---------------------------------------------------------------- reading

  getItems(ids: string[]): Promise<{ items: Item[]; missing: string[] }> {
    return this.reading(async () => {
      const rows = await this.itemsById<ItemRow>(`SELECT ${sqlOf(this.db.d).ITEM_COLUMNS} FROM ${ITEM_FROM}`, ids);
      const items: Item[] = [];
      const missing: string[] = [];
      for (const id of ids) {
        const r = rows.get(idKey(id));
        if (r) items.push(toItem(r));
        else missing.push(id);
      }
      return { items, missing };
    });
  }

  /** The items of `select` (over items i) named by `ids`, by idKey, a few statements for any
   *  number of ids (a statement each made `progress` of 2,000 ids wait for the server 4,000
   *  times); locked inside a unit of work, as each alone would be. */
  private async itemsById<T extends { id: string }>(select: string, ids: string[]): Promise<Map<string, T>> {
    const rows = new Map<string, T>();
    for (let at = 0; at < ids.length; at += PAGE) {
      const { text, params } = this.db.d.inIds('i.id', ids.slice(at, at + PAGE));
      for (const r of await this.db.all<T>(`${select} WHERE ${text}${this.lockFor('i')}`, params)) rows.set(idKey(r.id), r);
    }
    return rows;
  }

  async listItems(filter: ItemFilter): Promise<Item[]> {
    const items: Item[] = [];
    for await (const page of this.itemPages(filter)) for (const i of page) items.push(i);
    return items;
  }

  itemDetail(id: string): Promise<ItemDetail | null> {
    return this.reading(async () => {
      const { db } = this;
      const { HISTORY_COLUMNS, ITEM_COLUMNS, idIs } = sqlOf(db.d);
      const r = await db.get<ItemRow & { measureTitle: string }>(
        `SELECT ${ITEM_COLUMNS}, m.title AS "measureTitle" FROM ${ITEM_FROM} WHERE ${idIs('i.id')}`, [id],
      );
      if (!r) return null;
      const [problems, evidence, history] = await Promise.all([
        db.all<{ id: string; title: string }>(
          'SELECT p.id, p.title FROM item_problems ip JOIN problems p ON p.key = ip.problem WHERE ip.item = ? ORDER BY ip.pos', [r.key]),
        db.all<{ text: string }>('SELECT text FROM evidence WHERE item = ? ORDER BY key', [r.key]),
        db.all<HistoryRow>(`SELECT ${HISTORY_COLUMNS} FROM ${HISTORY_FROM} WHERE h.item = ? ORDER BY h.seq`, [r.key]),
      ]);
      return {
        ...toItem(r), problems, evidence: evidence.map((e) => e.text), history: history.map(toHistory), measureTitle: r.measureTitle,
      };
    });
  }

  problemDetail(id: string): Promise<ProblemDetail | null> {
    return this.reading(async () => {
      const { LISTING_ORDER, idIs } = sqlOf(this.db.d);
      const p = await this.db.get<{ key: number; id: string; title: string; detail: string | null; areaId: string; areaName: string }>(
        `SELECT p.key, p.id, p.title, p.detail, a.id AS "areaId", a.name AS "areaName"
           FROM problems p JOIN areas a ON a.key = p.area WHERE ${idIs('p.id')}`, [id],
      );
      if (!p) return null;
      return {
        id: p.id, title: p.title, detail: p.detail, area: { id: p.areaId, name: p.areaName },
        items: await this.db.all<ProblemDetail['items'][number]>(
          `SELECT i.id, i.title, i.status, i.progress, i.owner FROM item_problems ip JOIN items i ON i.key = ip.item JOIN measures m ON m.key = i.measure
            WHERE ip.problem = ? ORDER BY ${LISTING_ORDER}`, [p.key],
        ),
      };
    });
  }

  measures(): Promise<{ id: string; title: string; detail?: string | null }[]> {
    return this.read('SELECT id, title, detail FROM measures ORDER BY pos');
  }

  problems(): Promise<{ id: string; title: string; area: string }[]> {
    return this.read('SELECT p.id, p.title, a.id AS area FROM problems p JOIN areas a ON a.key = p.area ORDER BY a.pos, p.pos');
  }

  async history(filter: LogFilter): Promise<HistoryEntry[]> {
    const { text, params } = historyQuery(this.db.d, filter);
    return (await this.read<HistoryRow>(text, params)).map(toHistory);
  }

  /** How many entries `history(filter)` would give without its limit. */
  async historyCount(filter: LogFilter): Promise<number> {
    const { text, params } = historyQuery(this.db.d, { ...filter, limit: undefined });
    return (await this.read<{ n: number }>(`SELECT CAST(count(*) AS INTEGER) AS n FROM (${text}) x`, params))[0]!.n;
  }

  recentChanges(since: IsoDate, until: IsoDate, limit: number): Promise<RecentChanges> {
    const { list, count } = recentQueries(this.db.d, since, until, limit);
    // Both in one snapshot; on a server they go out together.
    return this.reading(async () => {
      const [rows, n] = await Promise.all([
        this.db.all<HistoryRow | { rows: string }>(list.text, list.params),
        this.db.get<{ n: number }>(count.text, count.params),
      ]);
      const entries = this.db.d.jsonRows
        ? (JSON.parse((rows[0] as { rows: string }).rows) as RecentTuple[]).map(([seq, at, by, item, action, status, progress, note, changes]) =>
          toHistory({ seq, at, by, item, action, status, progress, note, changes } as HistoryRow))
        : (rows as HistoryRow[]).map(toHistory);
      return { groups: groupChanges(entries), told: entries.length, total: n!.n };
    });
  }

  async reportItems(): Promise<(Item & { evidence: string[]; lastNote: string | null })[]> {
    const { REPORT_COLUMNS, LISTING_ORDER } = sqlOf(this.db.d);
    return (await this.read<ReportRow>(`SELECT ${REPORT_COLUMNS} FROM ${ITEM_FROM} ORDER BY ${LISTING_ORDER}`)).map(toReportRow);
  }

  statusFigures(asOf: IsoDate, days: number, opts?: { listLimit?: number; brief?: boolean }): Promise<StatusFigures> {
    return this.reading(() => statusFigures(this.db, this.reportInfo(), asOf, days, opts));
  }

  async allIds(): Promise<{ kind: IdKind; id: string }[]> {
    const { LISTING_ORDER } = sqlOf(this.db.d);
    return [
      ...await this.read<{ kind: IdKind; id: string }>(`SELECT 'item' AS kind, i.id FROM ${ITEM_FROM} ORDER BY ${LISTING_ORDER}`),
      ...await this.read<{ kind: IdKind; id: string }>(`SELECT 'measure' AS kind, id FROM measures ORDER BY pos`),
      ...await this.read<{ kind: IdKind; id: string }>(
        `SELECT 'problem' AS kind, p.id FROM problems p JOIN areas a ON a.key = p.area ORDER BY a.pos, p.pos`),
      ...await this.read<{ kind: IdKind; id: string }>(`SELECT 'area' AS kind, id FROM areas ORDER BY pos`),
    ];
  }

  // ---------------------------------------------------------------- writing

  /** Problem keys for ids (any spelling), first mention kept; an unknown id is exit 3. */
  protected async problemKeys(ids: readonly string[]): Promise<{ keys: number[]; ids: string[] }> {
    const { idIs } = sqlOf(this.db.d);
    const keys: number[] = [];
    const canonical: string[] = [];
    for (const id of ids) {
      const row = await this.db.get<{ key: number; id: string }>(`SELECT key, id FROM problems WHERE ${idIs('id')}`, [id]);
      if (!row) throw new RectifyError('store.unknownProblem', { id }, { exit: 3 });
      if (keys.includes(row.key)) continue;
      keys.push(row.key);
      canonical.push(row.id);
    }
    return { keys, ids: canonical };
  }

  protected async setAddresses(item: number, problems: number[]): Promise<void> {
    await this.db.run('DELETE FROM item_problems WHERE item = ?', [item]);
    for (const [pos, p] of problems.entries()) await this.db.run('INSERT INTO item_problems (item, pos, problem) VALUES (?, ?, ?)', [item, pos, p]);
  }

  applyChanges(changes: ItemChange[], actor: string): Promise<void> {
    const staffOnly = changes.every((c) => c.action === 'progress' || c.action === 'done');
    return this.writeAs(staffOnly ? 'staff' : 'admin', async () => {
      // The items' states read at once, and the changes sent without waiting for each answer
      // (in order, on the one connection): the first failure, in that order, is the one told.
      // An item named twice is read again before its second change.
      const once = new Set(changes.map((c) => idKey(c.id))).size === changes.length;
      const states = once ? await this.itemsById<ItemStateRow>(sqlOf(this.db.d).STATE_SELECT, changes.map((c) => c.id)) : null;
      const batch: Batch = { sent: [], states, told: null };
      try {
        for (const change of changes) await this.applyChange(change, actor, batch);
        await Promise.all(batch.sent);
      } catch (e) {
        for (const s of batch.sent) await s;
        throw e;
      }
    });
  }

  /** Sends `statement` without waiting for its answer (applyChanges waits for them all). */
  private send(batch: Batch, statement: Promise<unknown>): void {
    statement.catch(() => {});
    batch.sent.push(statement);
  }

  private async applyChange(change: ItemChange, actor: string, batch: Batch): Promise<void> {
    const { states } = batch;
    const { db } = this;
    const { STATE_SELECT, idIs } = sqlOf(db.d);
    const old = states
      ? states.get(idKey(change.id))
      : await db.get<ItemStateRow>(`${STATE_SELECT} WHERE ${idIs('i.id')}${this.lockFor('i')}`, [change.id]);
    if (!old) throw new RectifyError('store.unknownItem', { id: change.id }, { exit: 3 });
    const at = await this.now_();
    const diff: Record<string, [unknown, unknown]> = {};
    const next: Record<Column, unknown> = { ...old };
    for (const col of COLUMNS) {
      const value = change.set[col];
      if (value === undefined) continue;
      const v = col === 'owner' || col === 'department' ? blankToNull(value as string | null) : value;
      if (v !== old[col]) {
        diff[col] = [old[col], v];
        next[col] = v;
      }
    }
    let addresses: { keys: number[]; ids: string[] } | null = null;
    if (change.set.addresses !== undefined) {
      addresses = await this.problemKeys(change.set.addresses);
      const before = JSON.parse(old.addresses) as string[];
      if (before.join('\n') !== addresses.ids.join('\n')) diff.addresses = [before, addresses.ids];
      else addresses = null;
    }
    let measure: { key: number; id: string } | null = null;
    if (change.set.measure !== undefined) {
      measure = (await db.get<{ key: number; id: string }>(`SELECT key, id FROM measures WHERE ${idIs('id')}`, [change.set.measure])) ?? null;
      if (!measure) throw new RectifyError('store.unknownMeasure', { id: change.set.measure }, { exit: 3 });
      if (measure.key !== old.measure) diff.measure = [old.measureId, measure.id];
      else measure = null;
    }
    const pins = old.pins | pinMask(change.pinFields ?? []);
    // A command that would change nothing records nothing (nor pins what it did not change):
    // undo then takes back the real change.
    const evidence = change.evidence ?? [];
    if (Object.keys(diff).length === 0 && change.note === null && evidence.length === 0) return;
    // Only the columns that change (and pins when they do): staff may update only status and
    // progress on a server, so nothing else may appear in their statements.
    const sets: [string, Param][] = COLUMNS.filter((c) => c in diff).map((c) => [c, next[c] as Param]);
    if (measure) sets.push(['measure', measure.key]);
    if (pins !== old.pins) sets.push(['pins', pins]);
    sets.push(['updated_at', at]);
    // What the history records, then the change: on a server both follow on the one
    // connection without a wait. Should the first fail, the change fails after it (the
    // transaction is aborted): its own error, the cause, is the one told.
    // Said once for the changes that follow while it stays the same (it holds until the unit
    // of work ends): a statement each was a fifth of the server's time for 2,000 items.
    const meta: ChangeMeta = { by: actor, action: actionOf(change.action, diff.due), note: change.note, evidence, via: 'cli' };
    const told = JSON.stringify(meta);
    if (told !== batch.told) {
      this.send(batch, this.meta(meta));
      batch.told = told;
    }
    this.send(batch, db.run(`UPDATE items SET ${sets.map(([c]) => `${c} = ?`).join(', ')} WHERE key = ?`, [...sets.map(([, v]) => v), old.key]));
    if (addresses) await this.setAddresses(old.key, addresses.keys);
  }

  /** A new item with its addresses; the database writes its `create` entry. */
  private async insertItem(item: SeedItem, measure: number, problems: number[], opts: { by: string; pins: number }): Promise<void> {
    const at = await this.now_();
    await this.meta({ by: opts.by, action: 'create', via: 'cli' });
    const key = (await this.db.get<{ key: number }>(
      `INSERT INTO items (id, measure, num, term, due, owner, department, pins, created_at, updated_at, title, detail)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING key`,
      [item.id, measure, idNumber(item.id), item.term, item.due, blankToNull(item.owner), blankToNull(item.department),
        opts.pins, at, at, item.title, item.detail],
    ))!.key;
    await this.setAddresses(key, problems);
  }

  /** Adds an item with the next free number of its measure; returns its id. */
  addItem(item: NewItem, actor: string): Promise<string> {
    return this.writeAs('admin', async () => {
      const { db } = this;
      const measure = await db.get<{ key: number; id: string; last_num: number }>(
        `SELECT key, id, last_num FROM measures WHERE ${sqlOf(db.d).idIs('id')}${this.lockFor('measures')}`, [item.measure],
      );
      if (!measure) throw new RectifyError('store.unknownMeasure', { id: item.measure }, { exit: 3 });
      const problems = await this.problemKeys(item.addresses);
      // The next number; an id some other kind already took (a problem called M1.4) is skipped.
      let n = measure.last_num + 1;
      while (await this.lookupNow(`${measure.id}.${n}`)) n += 1;
      const id = `${measure.id}.${n}`;
      // The id rule holds for ids the ledger makes too: a seed must be able to carry it.
      if (!isValidId(id)) throw new RectifyError('store.idTooLong', { id, measure: measure.id }, { exit: 2, hint: 'store.idTooLongHint' });
      const given = { owner: blankToNull(item.owner), department: blankToNull(item.department), due: item.due, term: item.term };
      const pins = pinMask(PIN_FIELDS.filter((f) => given[f] !== null));
      await this.insertItem({ id, title: item.title, detail: item.detail, addresses: [], ...given }, measure.key, problems.keys, { by: actor, pins });
      await db.run('UPDATE measures SET last_num = ? WHERE key = ? AND last_num < ?', [n, measure.key, n]);
      return id;
    });
  }

  /** Reverts the actor's most recent change group (Store.undo). */
  undo(actor: string): Promise<UndoResult> {
    return this.writeAs('admin', async () => {
      const { db } = this;
      const { HISTORY_COLUMNS } = sqlOf(db.d);
      // The actor's latest group that is neither undone nor an undo itself.
      const last = await db.get<{ grp: number }>(
        `SELECT h.grp FROM history h
          WHERE h.by = ? AND h.action <> 'undo' AND NOT ${UNDONE}
            AND NOT EXISTS (SELECT 1 FROM undone u WHERE u.by_grp = h.grp)
          ORDER BY h.seq DESC LIMIT 1`, [actor]);
      // A removal is not undoable, and undo must not reach past it to an older change.
      const removal = await db.get<{ id: string }>('SELECT id FROM removed WHERE by = ? AND grp > ? ORDER BY grp DESC LIMIT 1', [actor, last?.grp ?? -1]);
      if (removal) throw new RectifyError('store.undoRemoved', { actor, item: removal.id }, { exit: 4, hint: 'store.undoRemovedHint' });
      if (!last) throw new RectifyError('store.nothingToUndo', { actor }, { exit: 4 });
      const entries = await db.all<UndoEntry>(
        `SELECT i.key, h.pins_set, ${HISTORY_COLUMNS} FROM ${HISTORY_FROM} WHERE h.grp = ? ORDER BY h.seq`, [last.grp]);
      const fixed = entries.find((e) => e.action === 'create' || e.via === 'seed');
      if (fixed) {
        throw new RectifyError('store.notUndoable', { actor, action: fixed.action, item: fixed.item }, { exit: 4, hint: 'store.notUndoableHint' });
      }
      // Someone built on it? Changes that were themselves undone (and those undos) do not count.
      const lastSeq = entries[entries.length - 1]!.seq;
      for (const key of new Set(entries.map((e) => e.key))) {
        const lock = this.lockFor('items');
        if (lock) await db.run(`SELECT 1 FROM items WHERE key = ?${lock}`, [key]);
        const later = await db.get<{ item: string; by: string; action: string; at: string }>(
          `SELECT i.id AS item, h.by, h.action, h.at FROM ${HISTORY_FROM}
            WHERE h.item = ? AND h.seq > ? AND NOT EXISTS (SELECT 1 FROM undone u WHERE u.grp = h.grp OR u.by_grp = h.grp)
            ORDER BY h.seq LIMIT 1`, [key, lastSeq]);
        if (later) throw new RectifyError('store.undoConflict', later, { exit: 4, hint: 'store.undoConflictHint' });
      }
      await this.revertGroup(last.grp, entries, actor);
      return { reverted: entries.map(toHistory) };
    });
  }

  /** Removes items added by mistake, with their history (Store.removeItems). */
  removeItems(ids: string[], actor: string): Promise<void> {
    return this.writeAs('admin', async () => {
      const { db } = this;
      const rows: { key: number; id: string; title: string }[] = [];
      const refused: string[] = [];
      for (const id of ids) {
        const r = await db.get<{ key: number; id: string; title: string }>(
          `SELECT key, id, title FROM items WHERE ${sqlOf(db.d).idIs('id')}${this.lockFor('items')}`, [id]);
        if (!r) throw new RectifyError('store.unknownItem', { id }, { exit: 3 });
        // Work done on it, even if taken back since: its record must stay.
        const work = await db.get(
          `SELECT 1 AS x FROM history WHERE item = ? AND action IN ('progress', 'done', 'verify', 'reopen')
           UNION ALL SELECT 1 FROM evidence WHERE item = ? LIMIT 1`, [r.key, r.key]);
        if (work) refused.push(r.id);
        else rows.push(r);
      }
      if (refused.length) throw new RectifyError('store.notRemovable', { items: refused.join(', ') }, { exit: 4, hint: 'store.notRemovableHint' });
      // The database remembers each removal (who, when, the id and title) and lets the item's
      // addresses and history go with it.
      await this.meta({ by: actor, action: 'remove' });
      for (const r of rows) await db.run('DELETE FROM items WHERE key = ?', [r.key]);
    });
  }

  // ---------------------------------------------------------------- a page at a time
  // Views whose memory does not grow with the ledger: only keys (and, to sort, ids or owners)
  // are held, a few bytes an item; every page is read whole before it is handed out.

  /** The keys of a filter's items in the order listItems gives them. */
  private async orderedKeys(filter: ItemFilter): Promise<number[]> {
    const sorted = filter.sort === 'id' || filter.sort === 'owner';
    const { text, params } = itemQuery(this.db.d, filter, sorted ? 'i.key, i.id, i.owner' : 'i.key');
    const rows = await this.read<{ key: number; id: string; owner: string | null }>(text, params);
    if (filter.sort === 'id') rows.sort((a, b) => compareIds(a.id, b.id));
    if (filter.sort === 'owner') rows.sort(byOwner);
    return rows.map((r) => r.key);
  }

  /** Rows read by key, put back in the order of `keys`. */
  private async byKeys<R extends { key: number }>(select: string, keys: number[]): Promise<R[]> {
    const { text, params } = this.db.d.inKeys('i.key', keys);
    const rows = new Map((await this.read<R>(`${select} WHERE ${text}`, params)).map((r) => [r.key, r]));
    return keys.map((k) => rows.get(k)!);
  }

  itemPages(filter: ItemFilter, opts?: { brief?: boolean }): AsyncIterable<Item[]> {
    const { BRIEF_COLUMNS, ITEM_COLUMNS } = sqlOf(this.db.d);
    const select = `SELECT ${opts?.brief ? BRIEF_COLUMNS : ITEM_COLUMNS} FROM ${ITEM_FROM}`;
    const self = this;
    return this.paged((async function* () {
      const keys = await self.orderedKeys(filter);
      for (let start = 0; start < keys.length; start += PAGE) {
        yield (await self.byKeys<ItemRow>(select, keys.slice(start, start + PAGE))).map(toItem);
      }
    })());
  }

  reportPages(filter: ItemFilter, opts?: { completion?: boolean; detail?: boolean }): AsyncIterable<ReportPage> {
    const { REPORT_COLUMNS } = sqlOf(this.db.d);
    // Details are the longest text of an item: not read where they are not shown.
    const columns = opts?.detail ?? true ? REPORT_COLUMNS : REPORT_COLUMNS.replace('i.detail,', 'NULL AS detail,');
    const self = this;
    return this.paged((async function* () {
      const keys = await self.orderedKeys(filter);
      for (let start = 0; start < keys.length; start += PAGE) {
        const page = keys.slice(start, start + PAGE);
        const items = (await self.byKeys<ReportRow>(`SELECT ${columns} FROM ${ITEM_FROM}`, page)).map(toReportRow);
        // What history({ via: 'cli', standing: true }) holds of these items.
        const inPage = self.db.d.inKeys('h.item', page);
        const changes = opts?.completion
          ? await self.read<{ item: string; at: string; seq: number; status: Status }>(
            `SELECT i.id AS item, h.at, h.seq, h.status FROM ${HISTORY_FROM}
              WHERE ${inPage.text} AND h.via = 'cli' AND h.action <> 'undo' AND NOT ${UNDONE}`, inPage.params)
          : [];
        yield { items, changes };
      }
    })());
  }

  problemPages(): AsyncIterable<ProblemItems[]> {
    const { LISTING_ORDER } = sqlOf(this.db.d);
    const self = this;
    return this.paged((async function* () {
      const problems = await self.read<{ key: number; id: string; title: string; area: string }>(
        'SELECT p.key, p.id, p.title, a.id AS area FROM problems p JOIN areas a ON a.key = p.area ORDER BY a.pos, p.pos');
      for (let start = 0; start < problems.length; start += PAGE) {
        const page = problems.slice(start, start + PAGE);
        const items = new Map<number, { id: string; status: Status }[]>(page.map((p) => [p.key, []]));
        const inPage = self.db.d.inKeys('ip.problem', page.map((p) => p.key));
        for (const r of await self.read<{ problem: number; id: string; status: Status }>(
          `SELECT ip.problem, i.id, i.status FROM item_problems ip JOIN items i ON i.key = ip.item JOIN measures m ON m.key = i.measure
            WHERE ${inPage.text} ORDER BY ${LISTING_ORDER}`, inPage.params)) {
          items.get(r.problem)!.push({ id: r.id, status: r.status });
        }
        yield page.map((p) => ({ id: p.id, title: p.title, area: p.area, items: items.get(p.key)! }));
      }
    })());
  }

  historyPages(filter: LogFilter): AsyncIterable<HistoryEntry[]> {
    const self = this;
    return this.paged((async function* () {
      // Newest first; each page starts below the last one's seq.
      for (let below: number | undefined; ;) {
        const { text, params } = historyQuery(self.db.d, { ...filter, limit: PAGE }, below);
        const rows = await self.read<HistoryRow>(text, params);
        if (rows.length) yield rows.map(toHistory);
        if (rows.length < PAGE) return;
        below = rows[rows.length - 1]!.seq;
      }
    })());
  }
}

/** The label an entry records: whatever a change called `assign` or `extend` is labelled by
 *  its due date (core dueAction), on a file as on a server. */
function actionOf(action: ItemChange['action'], due: [unknown, unknown] | undefined): ItemChange['action'] {
  return action === 'assign' || action === 'extend' ? dueAction(due?.[0], due?.[1]) : action;
}
