// A ledger built from JSON Lines records (core/dump.ts; ./dump.ts reads them out), written once
// for both backends: rows go in as they come, many a statement, each table's batch after the
// rows it refers to, so that memory holds a batch, not the ledger (a 100,000-item copy to a
// server held every row before). The backend (Loader) sets its indexes and triggers aside for
// the load and puts them back after, with the roll-ups counted once.
import type { DumpRecord, RestoreSummary } from '../core/dump.js';
import type { Seed } from '../core/types.js';
import { RectifyError } from '../errors.js';
import type { DumpSchema } from './dump.js';
import { idNumber, numberedShape, pinMask } from './rows.js';
import type { Db, Param } from './sql.js';

/** What a backend does where the two differ in loading a ledger. */
export interface Loader {
  readonly db: Db;
  /** The report row's key column. */
  readonly reportKey: string;
  /** Rows a statement (a file is limited in parameters, a server in round trips). */
  readonly perStatement: number;
  /** The time recorded for what the records do not date (a seed's items). */
  readonly at: string;
  /** Rows into a table, one statement. */
  insertRows(table: string, columns: readonly string[], rows: Param[][]): Promise<void>;
  /** Before the rows: indexes, triggers and deferred checks set aside for the load. */
  beginLoad(): Promise<void>;
  /** Moves the history groups above `above`; with `fresh`, hands out a new one above it. */
  groupsAbove(above: number, fresh: boolean): Promise<number>;
  /** After the rows: indexes and triggers back, roll-ups and counters written once. */
  finishLoad(): Promise<void>;
  schema(): Promise<DumpSchema>;
}

/** Rows for one table, written a statement of many rows at a time. */
class Rows {
  private pending: Param[][] = [];
  /** The statement on its way (a server's: the next batch is gathered meanwhile). */
  private sent: Promise<void> = Promise.resolve();
  /** first: tables whose rows these refer to, written out before these are. */
  constructor(
    private readonly loader: Loader,
    private readonly table: string,
    private readonly columns: readonly string[],
    private readonly first: Rows[] = [],
  ) {}

  async add(...values: Param[]): Promise<void> {
    this.pending.push(values);
    if (this.pending.length >= this.loader.perStatement) await this.flush();
  }

  async flush(): Promise<void> {
    if (this.pending.length === 0) return;
    for (const f of this.first) await f.flush();
    const rows = this.pending;
    this.pending = [];
    await this.sent;
    this.sent = this.loader.insertRows(this.table, this.columns, rows);
    // Awaited by the next flush or by done(); a failure is not left unhandled meanwhile.
    this.sent.catch(() => {});
  }

  /** Everything written. */
  async done(): Promise<void> {
    await this.flush();
    await this.sent;
  }
}

const HISTORY = ['seq', 'grp', 'at', 'by', 'item', 'action', 'status', 'progress', 'via', 'pins_set', 'changes', 'note'];

/** Builds a ledger from records (Store.restore) in the caller's transaction. The ledger must
 *  be empty; keys are handed out from 1. */
export async function restoreRecords(w: Loader, records: AsyncIterable<DumpRecord>, actor: string): Promise<RestoreSummary> {
  const { db } = w;
  if (await db.get('SELECT 1 AS x FROM report UNION ALL SELECT 1 FROM areas UNION ALL SELECT 1 FROM items LIMIT 1')) {
    throw new RectifyError('store.notEmpty', {}, { exit: 4, hint: 'store.notEmptyHint' });
  }
  await w.beginLoad();
  const schema = await w.schema();
  const summary: RestoreSummary = { title: '', areas: 0, problems: 0, measures: 0, items: 0 };
  const areas = new Map<string, { key: number; problems: number }>();
  const problems = new Map<string, number>();
  const measures = new Map<string, { key: number; lastNum: number }>();
  let causes = 0;
  const kinds = new Rows(w, 'areas', ['key', 'id', 'pos', 'name']);
  const problemRows = new Rows(w, 'problems', ['key', 'id', 'area', 'pos', 'title', 'detail'], [kinds]);
  const causeRows = new Rows(w, 'causes', ['key', 'id', 'pos', 'title', 'detail']);
  const measureRows = new Rows(w, 'measures', ['key', 'id', 'pos', 'title', 'detail', 'last_num']);
  const items = new Rows(w, 'items', ['key', 'id', 'measure', 'num', 'status', 'progress', 'term', 'due', 'owner', 'department',
    'pins', 'created_at', 'updated_at', 'title', 'detail'], [measureRows]);
  const links = new Rows(w, 'item_problems', ['item', 'pos', 'problem'], [items, problemRows]);
  const history = new Rows(w, 'history', [...HISTORY, ...(schema.reverts ? ['reverts'] : []), ...(schema.dbUser ? ['db_user'] : []),
    ...(schema.recordedAt ? ['recorded_at'] : [])], [items]);
  const evidence = new Rows(w, 'evidence', ['item', 'seq', 'text'], [history]);
  const removed = schema.removed ? new Rows(w, 'removed', ['grp', 'at', 'by', 'id', 'title']) : null;
  const contacts = new Rows(w, 'contacts', ['name', 'email', 'webhook', 'secret', 'updated_at']);
  const notices = new Rows(w, 'notices', ['at', 'day', 'by', 'recipient', 'channel', 'items', 'db_user']);
  let maxSeq = 0;
  let maxGroup = 0;
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
        await db.run(`INSERT INTO report (${w.reportKey}, title, unit, date) VALUES (1, ?, ?, ?)`, [r.title, r.unit, r.date]);
        break;
      case 'area': {
        define(r.id);
        const key = areas.size + 1;
        await kinds.add(key, r.id, summary.areas++, r.name);
        areas.set(r.id.toLowerCase(), { key, problems: 0 });
        break;
      }
      case 'problem': {
        define(r.id);
        const area = areas.get(r.area.toLowerCase())!;
        const key = problems.size + 1;
        await problemRows.add(key, r.id, area.key, area.problems++, r.title, r.detail);
        problems.set(r.id.toLowerCase(), key);
        summary.problems++;
        break;
      }
      case 'cause':
        define(r.id);
        await causeRows.add(causes + 1, r.id, causes++, r.title, r.detail);
        break;
      case 'measure': {
        define(r.id);
        const key = measures.size + 1;
        await measureRows.add(key, r.id, summary.measures++, r.title, r.detail, 0);
        measures.set(r.id.toLowerCase(), { key, lastNum: r.lastNumber ?? 0 });
        break;
      }
      case 'item': {
        define(r.id);
        const key = ++summary.items;
        const measure = measures.get(r.measure.toLowerCase())!;
        const at = r.createdAt ?? w.at;
        await items.add(key, r.id, measure.key, idNumber(r.id), r.status, r.progress, r.term, r.due,
          r.owner || null, r.department || null, pinMask(r.pinned), at, r.updatedAt ?? at, r.title, r.detail);
        const seen = new Set<number>();
        for (const p of r.addresses) {
          const problem = problems.get(p.toLowerCase());
          if (problem === undefined) throw new RectifyError('store.unknownProblem', { id: p }, { exit: 3 });
          if (seen.has(problem)) continue;
          await links.add(key, seen.size, problem);
          seen.add(problem);
        }
        if (r.history === null) fresh.push(key);
        else {
          for (const h of r.history) {
            const row: Param[] = [h.seq, h.group, h.at, h.by, key, h.action, h.status, h.progress, h.via,
              pinMask(h.pinned), JSON.stringify(h.changes), h.note];
            if (schema.reverts) row.push(h.reverts);
            if (schema.dbUser) row.push(h.dbUser ?? null);
            // An entry from a file has no server time: the copy's ('now', as the column's default).
            if (schema.recordedAt) row.push(h.recordedAt === undefined ? 'now' : h.recordedAt);
            await history.add(...row);
            for (const text of h.evidence) await evidence.add(key, h.seq, text);
            if (h.seq > maxSeq) maxSeq = h.seq;
            if (h.group > maxGroup) maxGroup = h.group;
            if (h.undoesGroup !== null) undone.set(h.group, h.undoesGroup);
          }
        }
        const shape = numberedShape(r.id);
        const counted = shape && measures.get(shape.prefix.toLowerCase());
        if (counted) counted.lastNum = Math.max(counted.lastNum, shape.n);
        break;
      }
      case 'removed':
        await removed?.add(r.group, r.at, r.by, r.id, r.title);
        if (r.group > maxGroup) maxGroup = r.group;
        break;
      case 'contact':
        // A withheld contact (the copier could read its name only) keeps its name.
        await contacts.add(r.name, r.email, r.webhook, r.secret, w.at);
        break;
      case 'notice':
        await notices.add(r.at, r.day, r.by, r.recipient, r.channel, r.items.join(','), r.dbUser ?? null);
        break;
    }
  }
  for (const rows of [kinds, problemRows, causeRows, measureRows, items, links, history, evidence, removed, contacts, notices]) {
    await rows?.done();
  }
  const grp = await w.groupsAbove(maxGroup, fresh.length > 0);
  if (fresh.length > 0) {
    const create = new Rows(w, 'history', HISTORY.slice(0, 9));
    for (const key of fresh) await create.add(++maxSeq, grp, w.at, actor, key, 'create', 'open', 0, 'seed');
    await create.done();
  }
  for (const [byGroup, group] of undone) await db.run('INSERT INTO undone (grp, by_grp) VALUES (?, ?)', [group, byGroup]);
  for (const m of measures.values()) {
    if (m.lastNum > 0) await db.run('UPDATE measures SET last_num = ? WHERE key = ?', [m.lastNum, m.key]);
  }
  await w.finishLoad();
  return summary;
}

/** A seed as the records of a JSON Lines seed: what `init` of a YAML seed restores. */
export async function* seedRecords(seed: Seed): AsyncGenerator<DumpRecord> {
  yield { kind: 'report', title: seed.report.title, unit: seed.report.unit, date: seed.report.date };
  for (const a of seed.areas) {
    yield { kind: 'area', id: a.id, name: a.name };
    for (const p of a.problems) yield { kind: 'problem', id: p.id, area: a.id, title: p.title, detail: p.detail };
  }
  for (const c of seed.causes) yield { kind: 'cause', id: c.id, title: c.title, detail: c.detail };
  for (const m of seed.measures) {
    yield { kind: 'measure', id: m.id, title: m.title, detail: m.detail, lastNumber: null };
    for (const it of m.items) {
      yield {
        kind: 'item', id: it.id, measure: m.id, title: it.title, detail: it.detail, addresses: it.addresses, owner: it.owner,
        department: it.department, due: it.due, term: it.term, status: 'open', progress: 0, evidence: [], pinned: [],
        createdAt: null, updatedAt: null, history: null,
      };
    }
  }
}

