// What a ledger does, written once over a backend (sqlite/, postgres/): each backend gives
// its statements (Db), its transactions and the few things that differ; everything a
// command asks of a ledger that is only SQL and rules lives here.
import type { DumpContact, DumpNotice, DumpRecord } from '../core/dump.js';
import { compareNames } from '../core/summary.js';
import { dumpRecords, type DumpSchema } from './dump.js';
import type { HistoryEntry, IsoDate, Item, ItemDetail, ProblemDetail, ReportInfo } from '../core/types.js';
import type { Status } from '../core/vocab.js';
import { toHistory, toItem, type HistoryRow, type ItemRow } from './rows.js';
import { HISTORY_FROM, ITEM_FROM, UNDONE, historyQuery, itemQuery, sqlOf, type Db, type Param } from './sql.js';
import { statusFigures } from './status.js';
import type { IdKind, ItemFilter, LedgerExport, LogFilter, ProblemItems, ReportPage, StatusFigures } from './types.js';

/** Rows read per statement of a page. */
const PAGE = 500;

// Ids sort with their numbers as numbers (M1.2 before M1.10), as core's compareIds does;
// one collator rather than localeCompare, which is far slower over many items. Made when
// first needed: building it costs start-up time that most commands would not use.
let idCollator: Intl.Collator | undefined;
const compareIds = (a: string, b: string) =>
  (idCollator ??= new Intl.Collator('en', { numeric: true, sensitivity: 'base' })).compare(a, b);
// Names in pinyin order, as people look them up (the sort is stable: listing order within).
const byOwner = (a: { owner: string | null }, b: { owner: string | null }) =>
  a.owner === b.owner ? 0 : a.owner === null ? 1 : b.owner === null ? -1 : compareNames(a.owner, b.owner);

export function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

type ReportRow = ItemRow & { evidence: string; lastNote: string | null };
const toReportRow = (r: ReportRow) => ({ ...toItem(r), evidence: JSON.parse(r.evidence) as string[], lastNote: r.lastNote });

export abstract class Ledger {
  protected abstract readonly db: Db;
  /** Runs fn as a read: in the view's one snapshot (or the unit of work it is part of). */
  abstract reading<T>(fn: () => Promise<T>): Promise<T>;
  /** The pages of a view, as the backend reads them in one snapshot. */
  protected abstract paged<T>(pages: AsyncGenerator<T>): AsyncIterable<T>;
  /** Inside a unit of work on a server: FOR UPDATE OF `of`, so that what is checked stays so. */
  protected lockFor(_of: string): string {
    return '';
  }
  /** What the ledger's schema holds of what later versions added (a file of any version). */
  protected async dumpSchema(): Promise<DumpSchema> {
    return { reverts: true, removed: true, dbUser: true };
  }
  /** The contacts and notices as dump records. */
  protected abstract supervisionDump(): Promise<(DumpContact | DumpNotice)[]>;

  /** The whole ledger as the records of a JSON Lines dump, from one snapshot. */
  dump(): AsyncIterable<DumpRecord> {
    return this.paged(dumpRecords({
      d: this.db.d,
      read: (text, params) => this.read(text, params),
      schema: () => this.dumpSchema(),
      supervision: () => this.reading(() => this.supervisionDump()),
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
      const { ITEM_COLUMNS, idIs } = sqlOf(this.db.d);
      const items: Item[] = [];
      const missing: string[] = [];
      for (const id of ids) {
        const r = await this.db.get<ItemRow>(`SELECT ${ITEM_COLUMNS} FROM ${ITEM_FROM} WHERE ${idIs('i.id')}${this.lockFor('i')}`, [id]);
        if (r) items.push(toItem(r));
        else missing.push(id);
      }
      return { items, missing };
    });
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

  async reportItems(): Promise<(Item & { evidence: string[]; lastNote: string | null })[]> {
    const { REPORT_COLUMNS, LISTING_ORDER } = sqlOf(this.db.d);
    return (await this.read<ReportRow>(`SELECT ${REPORT_COLUMNS} FROM ${ITEM_FROM} ORDER BY ${LISTING_ORDER}`)).map(toReportRow);
  }

  statusFigures(asOf: IsoDate, days: number, opts?: { listLimit?: number }): Promise<StatusFigures> {
    return this.reading(async () => statusFigures(this.db, await this.reportInfo(), asOf, days, opts?.listLimit));
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
