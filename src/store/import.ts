// Merging a seed into an existing ledger (docs/seed-format.md, "Loading into an existing
// ledger"), on either backend: the ledger's items are read once up front, new items go in
// many at a time in seed order, and the backend records each item's entry (SeedWriter).
import type { Seed, SeedItem } from '../core/types.js';
import { RectifyError } from '../errors.js';
import { t, type MessageKey } from '../i18n/index.js';
import type { ItemStateRow } from './item-state.js';
import { PIN_BITS, PIN_FIELDS, numberedShape, type PinField } from './rows.js';
import { sqlOf, type Db } from './sql.js';
import type { IdKind, ImportLine, ImportOutcome, ImportResult } from './types.js';

export interface NewSeedItem {
  item: SeedItem;
  measure: number;
  problems: number[];
}

/** What a backend does where the two differ in how an item's change is recorded. */
export interface SeedWriter {
  readonly db: Db;
  /** The ledger's single report row's key column. */
  readonly reportKey: string;
  /** FOR UPDATE OF `of` where the backend locks what a unit of work reads. */
  lockFor(of: string): string;
  /** Before the items: whatever the backend records their entries with. */
  itemsBegin(actor: string): Promise<void>;
  /** Items new to the ledger with their addresses, in seed order, each with its `create`
   *  entry by `actor` as the seed's. */
  insertItems(batch: NewSeedItem[], actor: string): Promise<void>;
  /** An item the seed changed: its row, addresses (when they changed) and `import` entry. */
  importChange(old: ItemStateRow, set: SeedSet, problems: number[] | null, changes: Changes, actor: string): Promise<void>;
  /** After the items: `added` of them were new. */
  itemsEnd(added: number): Promise<void>;
  /** Waits for the changes sent and not yet answered (a server's are pipelined); throws the
   *  first one's failure. */
  settle(): Promise<void>;
  /** An item pruned, with its addresses and history (a prune records no removal). */
  deleteItem(key: number): Promise<void>;
}

export type Changes = Record<string, [unknown, unknown]>;
export interface SeedSet {
  measure: number;
  title: string;
  detail: string | null;
  owner: string | null;
  department: string | null;
  due: string | null;
  term: string;
}

interface Positioned {
  key: number;
  id: string;
}

const lower = (s: string) => s.toLowerCase();

/** Owners and departments are absent or non-empty: '' means nobody. */
export function blankToNull(s: string | null | undefined): string | null {
  return s === undefined || s === null || s === '' ? null : s;
}

/** Ids (lower-cased) whose place among the ids both lists share has changed. */
function reordered(before: readonly string[], after: readonly string[]): Set<string> {
  const inAfter = new Set(after.map(lower));
  const inBefore = new Set(before.map(lower));
  const a = before.map(lower).filter((x) => inAfter.has(x));
  const b = after.map(lower).filter((x) => inBefore.has(x));
  const moved = new Set<string>();
  a.forEach((x, i) => {
    if (b[i] !== x) moved.add(x);
  });
  return moved;
}

function kindName(kind: IdKind): string {
  return t(`store.kind.${kind}` as MessageKey);
}

/** A new row's key. */
export async function insertRow(db: Db, table: string, values: Record<string, string | number | null>): Promise<number> {
  const cols = Object.keys(values);
  return (await db.get<{ key: number }>(
    `INSERT INTO ${table} (${cols.join(', ')}) VALUES (${cols.map(() => '?').join(', ')}) RETURNING key`, Object.values(values),
  ))!.key;
}

/** The highest n of the item ids `<measureId>.<n>` in the ledger (0 when none): a new measure
 *  starts counting after them. The range walks the index of ids. */
export async function highestNumberOf(db: Db, measureId: string): Promise<number> {
  const id = db.d.id('id');
  const rows = await db.all<{ id: string }>(`SELECT id FROM items WHERE ${id} > ${db.d.id('?')} AND ${id} < ${db.d.id('?')}`,
    [`${measureId}.`, `${measureId}/`]);
  let max = 0;
  for (const r of rows) {
    const shape = numberedShape(r.id);
    if (shape && lower(shape.prefix) === lower(measureId)) max = Math.max(max, shape.n);
  }
  return max;
}

const NONE: readonly string[] = [];
const NOTHING_KEPT: Changes = {};

const KINDS: readonly IdKind[] = ['area', 'problem', 'cause', 'measure', 'item'];
const OUTCOMES: readonly ImportOutcome[] = ['added', 'updated', 'kept', 'left', 'removed'];

/** An import's lines, one per id, kept compactly as they are made and read back in the order
 *  they are printed (areas, problems, causes, measures, items). A 200,000-item import has
 *  225,000 of them: as an object and an array of fields each they were more than half of what
 *  the merge held (some 35 MB of 59). Here a line is its id and a number (its outcome and its
 *  list of fields, each list kept once); the few that keep values set from the command line
 *  or were not pruned have them beside. */
class ImportLines implements Iterable<ImportLine> {
  private readonly ids: string[][] = KINDS.map(() => []);
  /** outcome + 8 × the line's list of fields. */
  private readonly codes: number[][] = KINDS.map(() => []);
  private readonly lists: (readonly string[])[] = [NONE];
  private readonly listOf = new Map<string, number>([['', 0]]);
  /** By kind and place: what a line holds besides. */
  private readonly extras = new Map<string, { keptFromCli: Changes; notPruned: boolean }>();
  readonly totals: Record<ImportOutcome, number> = { added: 0, updated: 0, kept: 0, left: 0, removed: 0 };

  add(kind: IdKind, id: string, outcome: ImportOutcome, fields: readonly string[], keptFromCli: Changes, notPruned: boolean): void {
    const k = KINDS.indexOf(kind);
    let list = 0;
    if (fields.length > 0) {
      const name = fields.join(',');
      list = this.listOf.get(name) ?? -1;
      if (list < 0) {
        list = this.lists.push(fields) - 1;
        this.listOf.set(name, list);
      }
    }
    if (keptFromCli !== NOTHING_KEPT || notPruned) this.extras.set(`${k}:${this.ids[k]!.length}`, { keptFromCli, notPruned });
    this.ids[k]!.push(id);
    this.codes[k]!.push(OUTCOMES.indexOf(outcome) + 8 * list);
    this.totals[outcome] += 1;
  }

  *[Symbol.iterator](): Iterator<ImportLine> {
    for (const [k, kind] of KINDS.entries()) {
      const ids = this.ids[k]!;
      const codes = this.codes[k]!;
      for (let i = 0; i < ids.length; i++) {
        const code = codes[i]!;
        const extra = this.extras.get(`${k}:${i}`);
        const line: ImportLine = {
          kind, id: ids[i]!, outcome: OUTCOMES[code % 8]!, fields: this.lists[Math.floor(code / 8)]!, keptFromCli: extra?.keptFromCli ?? NOTHING_KEPT,
        };
        if (extra?.notPruned) line.notPruned = true;
        yield line;
      }
    }
  }
}

/** Items merged a batch at a time (their ledger rows read in one statement). */
const MERGE_BATCH = 100;

/** A seed's item with its measure's id, as import reads them. */
export interface SeedEntry {
  measure: string;
  item: SeedItem;
}

async function* itemsOf(seed: Seed): AsyncGenerator<SeedEntry> {
  for (const m of seed.measures) for (const item of m.items) yield { measure: m.id, item };
}

/** Merges a seed into the ledger. `items`, when given, are the seed's items with their bodies,
 *  read again from the file (seed.measures then need only their items' ids). */
export async function runImport(
  w: SeedWriter, seed: Seed, prune: boolean, actor: string, items?: AsyncIterable<SeedEntry>,
): Promise<ImportResult> {
  const { db } = w;
  const { LISTING_ORDER, STATE_SELECT, idIs } = sqlOf(db.d);
  const nonItems = await checkKinds(db, seed);
  /** Items of the seed whose ids the ledger gives another kind (seen as they stream by). */
  const clashes: Clash[] = [];

  const lines = new ImportLines();
  const line = (kind: IdKind, id: string, outcome: ImportOutcome, fields: readonly string[] = NONE,
    keptFromCli: Changes = NOTHING_KEPT, notPruned = false) => lines.add(kind, id, outcome, fields, keptFromCli, notPruned);
  const changedOrKept = (kind: IdKind, id: string, fields: string[]) =>
    line(kind, id, fields.length > 0 ? 'updated' : 'kept', fields);

  // The report itself has no id and no line: it simply follows the seed.
  await db.run(
    `INSERT INTO report (${w.reportKey}, title, unit, date) VALUES (1, ?, ?, ?)
     ON CONFLICT (${w.reportKey}) DO UPDATE SET title = excluded.title, unit = excluded.unit, date = excluded.date`,
    [seed.report.title, seed.report.unit, seed.report.date],
  );

  // Areas, causes, measures: each in the seed's order. Positions are unique: park them out of
  // the way, then hand them out again; what the seed lacks goes after.
  type Row = Positioned & { name?: string; title?: string; detail?: string | null };
  const placeAll = async <S extends { id: string }>(table: string, list: S[], fields: string[],
    values: (s: S) => Record<string, string | null>, add: (s: S, pos: number) => Promise<number>, kind: IdKind) => {
    const old = await db.all<Row>(`SELECT key, id, ${fields.join(', ')} FROM ${table} ORDER BY pos`);
    const byLower = new Map(old.map((r) => [lower(r.id), r]));
    const keys = new Map<string, number>();
    const moved = reordered(old.map((r) => r.id), list.map((s) => s.id));
    await db.run(`UPDATE ${table} SET pos = -key`);
    for (const [pos, s] of list.entries()) {
      const had = byLower.get(lower(s.id));
      if (!had) {
        keys.set(lower(s.id), await add(s, pos));
        line(kind, s.id, 'added');
        continue;
      }
      const v = values(s);
      const changed = fields.filter((f) => (had as unknown as Record<string, unknown>)[f] !== v[f]);
      if (moved.has(lower(s.id))) changed.push('order');
      await db.run(`UPDATE ${table} SET pos = ?, ${fields.map((f) => `${f} = ?`).join(', ')} WHERE key = ?`,
        [pos, ...fields.map((f) => v[f]!), had.key]);
      keys.set(lower(s.id), had.key);
      changedOrKept(kind, had.id, changed);
    }
    const left = old.filter((r) => !keys.has(lower(r.id)));
    for (const [i, r] of left.entries()) await db.run(`UPDATE ${table} SET pos = ? WHERE key = ?`, [list.length + i, r.key]);
    return { keys, left, byLower };
  };

  const areas = await placeAll('areas', seed.areas, ['name'], (a) => ({ name: a.name }),
    (a, pos) => insertRow(db, 'areas', { id: a.id, pos, name: a.name }), 'area');

  // Problems, numbered within their area. The ledger's rows, details and all, are let go once
  // placed (a ledger of 100,000 items has 10,000 problems: 4 MB held through the merge).
  const placeProblems = async () => {
    const oldProblems = await db.all<Positioned & { area: number; title: string; detail: string | null }>(
      'SELECT p.key, p.id, p.area, p.title, p.detail FROM problems p JOIN areas a ON a.key = p.area ORDER BY a.pos, p.pos',
    );
    const problemByLower = new Map(oldProblems.map((p) => [lower(p.id), p]));
    const problemKey = new Map<string, number>();
    const problemId = new Map<string, string>();
    const nextPos = new Map<number, number>();
    await db.run('UPDATE problems SET pos = -key');
    for (const a of seed.areas) {
      const area = areas.keys.get(lower(a.id))!;
      // Only problems that were in this area and stay in it can have changed their order.
      const moved = reordered(oldProblems.filter((p) => p.area === area).map((p) => p.id), a.problems.map((p) => p.id));
      for (const [pos, p] of a.problems.entries()) {
        const old = problemByLower.get(lower(p.id));
        if (!old) {
          problemKey.set(lower(p.id), await insertRow(db, 'problems', { id: p.id, area, pos, title: p.title, detail: p.detail }));
          problemId.set(lower(p.id), p.id);
          line('problem', p.id, 'added');
          continue;
        }
        const fields: string[] = [];
        if (old.title !== p.title) fields.push('title');
        if (old.detail !== p.detail) fields.push('detail');
        if (old.area !== area) fields.push('area');
        else if (moved.has(lower(p.id))) fields.push('order');
        await db.run('UPDATE problems SET area = ?, pos = ?, title = ?, detail = ? WHERE key = ?', [area, pos, p.title, p.detail, old.key]);
        problemKey.set(lower(p.id), old.key);
        problemId.set(lower(p.id), old.id);
        changedOrKept('problem', old.id, fields);
      }
      nextPos.set(area, a.problems.length);
    }
    const left = oldProblems.filter((p) => !problemKey.has(lower(p.id))).map(({ key, id, area }) => ({ key, id, area }));
    for (const p of left) {
      const pos = nextPos.get(p.area) ?? 0;
      nextPos.set(p.area, pos + 1);
      await db.run('UPDATE problems SET pos = ? WHERE key = ?', [pos, p.key]);
    }
    return { problemKey, problemId, left };
  };
  const { problemKey, problemId, left: leftProblems } = await placeProblems();

  const causes = await placeAll('causes', seed.causes, ['title', 'detail'], (c) => ({ title: c.title, detail: c.detail }),
    (c, pos) => insertRow(db, 'causes', { id: c.id, pos, title: c.title, detail: c.detail }), 'cause');
  const measures = await placeAll('measures', seed.measures, ['title', 'detail'], (m) => ({ title: m.title, detail: m.detail }),
    async (m, pos) => insertRow(db, 'measures', { id: m.id, pos, title: m.title, detail: m.detail, last_num: await highestNumberOf(db, m.id) }),
    'measure');

  // Items: descriptive fields follow the seed; owner, department, due and term too unless
  // pinned from the command line; status, progress and history never change. They come a
  // batch at a time, each batch's ledger rows read together: neither the seed's items (a big
  // JSON Lines seed is read again, `items`) nor the ledger's are held whole.
  /** The ledger's items the seed names, by key; the items it adds get keys above `before`. */
  const named = new Set<number>();
  const before = (await db.get<{ k: number | null }>('SELECT max(key) AS k FROM items'))?.k ?? 0;
  const fresh: NewSeedItem[] = [];
  let added = 0;
  // New items go in many a statement, in seed order (an update in between goes after the
  // ones before it).
  const flushFresh = async () => {
    if (fresh.length > 0) await w.insertItems(fresh.splice(0), actor);
  };
  // Item numbers counted towards their measures (`add` never hands them out again), whichever
  // measure the item belongs to; written once per measure after the items.
  const highest = new Map<string, { id: string; n: number }>();
  const batch: SeedEntry[] = [];
  const mergeBatch = async () => {
    if (batch.length === 0) return;
    await w.settle();
    const current = new Map<string, ItemStateRow>();
    const id = db.d.id('i.id');
    for (const r of await db.all<ItemStateRow>(`${STATE_SELECT} WHERE ${id} IN (${batch.map(() => db.d.id('?')).join(', ')})${w.lockFor('i')}`,
      batch.map((e) => e.item.id))) {
      current.set(lower(r.id), r);
    }
    for (const { measure: measureId, item: it } of batch.splice(0)) {
      const measure = measures.keys.get(lower(measureId))!;
      const shape = numberedShape(it.id);
      const had = shape && highest.get(lower(shape.prefix));
      if (shape && (!had || shape.n > had.n)) highest.set(lower(shape.prefix), { id: shape.prefix, n: shape.n });
      const problems: number[] = [];
      const addresses: string[] = [];
      for (const p of it.addresses) {
        const key = problemKey.get(lower(p));
        if (key === undefined) throw new RectifyError('store.unknownProblem', { id: p }, { exit: 3 });
        if (problems.includes(key)) continue;
        problems.push(key);
        addresses.push(problemId.get(lower(p))!);
      }
      const old = current.get(lower(it.id));
      if (old) named.add(old.key);
      const other = old ? undefined : nonItems.get(lower(it.id));
      if (other) clashes.push({ id: it.id, seedKind: kindName('item'), ledgerKind: kindName(other) });
      if (!old) {
        fresh.push({ item: it, measure, problems });
        if (fresh.length >= 5000) await flushFresh();
        added += 1;
        line('item', it.id, 'added');
        continue;
      }
      const changes: Changes = {};
      const keptFromCli: Changes = {};
      if (old.title !== it.title) changes.title = [old.title, it.title];
      if (old.detail !== it.detail) changes.detail = [old.detail, it.detail];
      if (old.measure !== measure) changes.measure = [old.measureId, measures.byLower.get(lower(measureId))?.id ?? measureId];
      const oldAddresses = JSON.parse(old.addresses) as string[];
      if (oldAddresses.join('\n') !== addresses.join('\n')) changes.addresses = [oldAddresses, addresses];
      const next = { owner: blankToNull(it.owner), department: blankToNull(it.department), due: it.due, term: it.term };
      const kept: Record<PinField, string | null> = { ...next };
      for (const f of PIN_FIELDS) {
        if (old[f] === next[f]) continue;
        if ((old.pins & PIN_BITS[f]) !== 0) {
          keptFromCli[f] = [old[f], next[f]];
          kept[f] = old[f];
        } else {
          changes[f] = [old[f], next[f]];
        }
      }
      const fields = Object.keys(changes);
      if (fields.length > 0) {
        await flushFresh();
        const set = { measure, title: it.title, detail: it.detail, ...kept, term: kept.term! };
        await w.importChange(old, set, changes.addresses ? problems : null, changes, actor);
      }
      // fields: what changed, or (when nothing did) what the ledger kept against the seed.
      const pinned = Object.keys(keptFromCli);
      line('item', old.id, fields.length > 0 ? 'updated' : 'kept', fields.length > 0 ? fields : pinned.length > 0 ? pinned : NONE,
        pinned.length > 0 ? keptFromCli : NOTHING_KEPT);
    }
  };
  await w.itemsBegin(actor);
  for await (const entry of items ?? itemsOf(seed)) {
    batch.push(entry);
    if (batch.length >= MERGE_BATCH) await mergeBatch();
  }
  await mergeBatch();
  await w.settle();
  throwClashes(clashes);
  await flushFresh();
  for (const h of highest.values()) {
    await db.run(`UPDATE measures SET last_num = ? WHERE ${idIs('id')} AND last_num < ?`, [h.n, h.id, h.n]);
  }
  await w.itemsEnd(added);

  // What the ledger has and the seed lacks: kept, or removed with --prune when nothing
  // but seeds ever touched it (and nothing kept still hangs on it). Children go first.
  const leftItems = (await db.all<Positioned>(
    `SELECT i.key, i.id FROM items i JOIN measures m ON m.key = i.measure WHERE i.key <= ? ORDER BY ${LISTING_ORDER}`, [before]))
    .filter((i) => !named.has(i.key));
  for (const i of leftItems) {
    const removable = prune && !(await db.get(
      `SELECT 1 AS x FROM history WHERE item = ? AND via <> 'seed' UNION ALL SELECT 1 FROM evidence WHERE item = ? LIMIT 1`, [i.key, i.key]));
    if (removable) await w.deleteItem(i.key);
    line('item', i.id, removable ? 'removed' : 'left', NONE, NOTHING_KEPT, prune && !removable);
  }
  const prunable = async (kind: IdKind, list: Positioned[], table: string, child: string | null) => {
    for (const r of list) {
      const removable = prune && !(child && await db.get(`SELECT 1 AS x FROM ${child} = ? LIMIT 1`, [r.key]));
      if (removable) await db.run(`DELETE FROM ${table} WHERE key = ?`, [r.key]);
      line(kind, r.id, removable ? 'removed' : 'left', NONE, NOTHING_KEPT, Boolean(child) && prune && !removable);
    }
  };
  await prunable('problem', leftProblems, 'problems', 'item_problems WHERE problem');
  await prunable('area', areas.left, 'areas', 'problems WHERE area');
  await prunable('measure', measures.left, 'measures', 'items WHERE measure');
  await prunable('cause', causes.left, 'causes', null);

  return { lines, totals: lines.totals };
}

type Clash = { id: string; seedKind: string; ledgerKind: string };

function throwClashes(clashes: Clash[]): void {
  const [first, ...rest] = clashes;
  if (first) {
    throw new RectifyError('store.kindMismatch', first, {
      exit: 2, hint: 'store.kindMismatchHint', hintParams: {}, details: rest.map((c) => t('store.kindMismatch', c)),
    });
  }
}

/** An id keeps its kind: a seed that calls a ledger's problem an item is refused whole.
 *  Returns the ledger's ids that are not items (lower-cased), to check the items of a seed
 *  read as a stream against. */
async function checkKinds(db: Db, seed: Seed): Promise<Map<string, IdKind>> {
  const wanted: { kind: IdKind; id: string }[] = [];
  for (const a of seed.areas) {
    wanted.push({ kind: 'area', id: a.id });
    for (const p of a.problems) wanted.push({ kind: 'problem', id: p.id });
  }
  for (const c of seed.causes) wanted.push({ kind: 'cause', id: c.id });
  for (const m of seed.measures) {
    wanted.push({ kind: 'measure', id: m.id });
    for (const i of m.items) wanted.push({ kind: 'item', id: i.id });
  }
  const known = new Map<string, { kind: IdKind; id: string }>();
  for (const r of await db.all<{ kind: IdKind; id: string }>(
    `SELECT 'area' AS kind, id FROM areas UNION ALL SELECT 'problem', id FROM problems
     UNION ALL SELECT 'cause', id FROM causes UNION ALL SELECT 'measure', id FROM measures
     UNION ALL SELECT 'item', id FROM items`,
  )) {
    known.set(lower(r.id), r);
  }
  const clashes: Clash[] = [];
  for (const w of wanted) {
    const found = known.get(lower(w.id));
    if (found && found.kind !== w.kind) clashes.push({ id: w.id, seedKind: kindName(w.kind), ledgerKind: kindName(found.kind) });
  }
  throwClashes(clashes);
  const nonItems = new Map<string, IdKind>();
  for (const [id, r] of known) if (r.kind !== 'item') nonItems.set(id, r.kind);
  return nonItems;
}
