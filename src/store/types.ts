// The one interface between commands and a ledger. Every method returns a promise,
// although the SQLite store is synchronous underneath: a ledger on a database server
// (PostgreSQL) is meant to be one more folder under src/store/, not a change to commands.
import type {
  Cause, HistoryEntry, IsoDate, Item, ItemDetail, ProblemDetail, ReportInfo, Seed, SeedItem,
} from '../core/types.js';
import type { DumpRecord, RestoreSummary } from '../core/dump.js';
import type { ItemUpdate } from '../core/items.js';
import type { Figures, RecentGroups } from '../core/summary.js';
import type { Status, Term } from '../core/vocab.js';
import type { SupervisionStore } from './supervise.js';

/** What tells one ledger from another, whatever address names it (overview, repeats). */
export interface LedgerIdentity {
  /** The ledger's own id: written when it is made (or by the upgrade for one made before) and
   *  kept by `copy` and by a copy of the file; null for a ledger read without its upgrade. */
  id: string | null;
  /** Where it is kept: a file's device and inode, a server's system identifier with the
   *  database's and the schema's oids. Two addresses of one place are one ledger. */
  place: string;
}

export type SortKey = 'order' | 'id' | 'due' | 'owner' | 'progress';

export interface ItemFilter {
  status?: Status[];
  measure?: string;
  area?: string;
  problem?: string;
  /** A part of the owner's (department's) name: `王` finds 王建国. */
  owner?: string;
  department?: string;
  term?: Term;
  /** Only items overdue as of this day. */
  overdueAsOf?: IsoDate;
  /** Only items due strictly before this day. */
  dueBefore?: IsoDate;
  /** Only items due on or after this day. */
  dueFrom?: IsoDate;
  /** Verified items are hidden unless this is set or `status` names `verified`. */
  all?: boolean;
  sort?: SortKey;
}

/** One item's change, as a command computed it from the item's current state
 *  (core/items.ts plans them). */
export type ItemChange = ItemUpdate;

export interface NewItem {
  measure: string;
  title: string;
  detail: string | null;
  addresses: string[];
  owner: string | null;
  department: string | null;
  due: IsoDate | null;
  term: Term;
}

export type ImportOutcome = 'added' | 'updated' | 'kept' | 'left' | 'removed';
export interface ImportLine {
  kind: 'area' | 'problem' | 'cause' | 'measure' | 'item';
  id: string;
  outcome: ImportOutcome;
  /** Field names that changed (updated) or that the ledger kept against the seed. */
  fields: readonly string[];
  /** Ledger values kept because they were set from the command line: field → [ledger, seed]. */
  keptFromCli: Record<string, [unknown, unknown]>;
  /** Why a left id was not pruned (it has history beyond import). */
  notPruned?: boolean;
}
export interface ImportOptions {
  dryRun: boolean;
  prune: boolean;
  actor: string;
  items?: () => AsyncIterable<{ measure: string; item: SeedItem }>;
}
export interface ImportResult {
  /** A line per id, in the order printed; read as often as needed, each time made afresh (a
   *  big import has hundreds of thousands: they are kept compactly, not as these objects). */
  lines: Iterable<ImportLine>;
  totals: Record<ImportOutcome, number>;
}

export interface LogFilter {
  item?: string;
  /** Only entries of the items of this measure (`log M1`). */
  measure?: string;
  since?: IsoDate;
  /** Only entries recorded on or before this day. */
  until?: IsoDate;
  limit?: number;
  /** Only entries recorded this way: 'cli' leaves out what seeds created and changed
   *  (a big ledger's init is a million entries nobody wants among "recent changes"). */
  via?: 'seed' | 'cli';
  /** Only changes that still stand: neither taken back by an undo nor an undo itself
   *  (what `status` and `report --since` tell as having happened). */
  standing?: boolean;
}

/** The week `status` tells, grouped as the screen tells it. */
export type RecentChanges = RecentGroups;

export interface UndoResult {
  /** The history entries that were reverted. */
  reverted: HistoryEntry[];
}

/** The whole ledger, in the seed's own structure, each item with its evidence and history. */
export interface LedgerExport {
  version: 1;
  report: ReportInfo;
  areas: { id: string; name: string; problems: { id: string; title: string; detail: string | null }[] }[];
  causes: Cause[];
  measures: { id: string; title: string; detail: string | null; items: (Item & { evidence: string[]; history: HistoryEntry[] })[] }[];
}

/** An item as the report shows it: with its evidence and its latest standing note. */
export type ReportRow = Item & { evidence: string[]; lastNote: string | null };

/** A page of the report's items; with `completion` asked, the standing changes made through
 *  commands (`via: 'cli'`) of the page's items, in any order: what completionTimes reads. */
export interface ReportPage {
  items: ReportRow[];
  changes: { item: string; at: string; seq: number; status: Status }[];
}

/** A problem with the items addressing it (listing order), as the report's 问题整改情况 shows it. */
export interface ProblemItems {
  id: string;
  title: string;
  area: string;
  items: { id: string; status: Status }[];
}

/** What the store aggregates for `status`: the shape core builds the dashboard from. */
export type StatusFigures = Figures;

export type IdKind = 'area' | 'problem' | 'cause' | 'measure' | 'item';

/** The three roles of a ledger on a server (docs/postgres.md, "Who may do what"). */
export type LedgerRole = 'viewer' | 'staff' | 'admin';

/** Who may reach a ledger on a server: membership of its three group roles, which the
 *  server enforces. A ledger file has none (its file permissions decide). */
export interface LedgerAccess {
  /** Adds an existing login role to a group role; false when it already was a member. */
  grant(user: string, role: LedgerRole): Promise<boolean>;
  /** Removes a login role from a group role; false when it was not a member. */
  revoke(user: string, role: LedgerRole): Promise<boolean>;
  /** The login roles that reach the ledger through its group roles, with the highest one. */
  users(): Promise<{ user: string; role: LedgerRole }[]>;
  /** The ledger's address as messages show it (no password). */
  shown: string;
}

/** What `statusFigures` reads. `listLimit`: the overdue and due-soon lists cut to that many
 *  (their totals whole). `brief`: the totals only, no rows of areas, measures or owners
 *  (empty lists: the default screen of `status` shows none of them; at thousands of measures
 *  they are most of what it would read). */
export interface StatusFigureOptions {
  listLimit?: number;
  brief?: boolean;
}

export interface Store {
  /** Runs fn in one write transaction: everything it writes lands, or nothing does.
   *  History entries written inside share one group, which `undo` reverts as a whole.
   *  A unit of work reads and checks inside its transaction, on rows that stay as read until
   *  it commits (SQLite: BEGIN IMMEDIATE holds the whole file; PostgreSQL: writers to one
   *  ledger take its advisory lock and read what they change FOR UPDATE), so that two people
   *  acting at once can never produce a change the rules forbid. Where the backend may fail
   *  a transaction for serialization or a deadlock, write() retries it: fn must therefore
   *  say nothing until its last store call has returned (commands print after COMMIT).
   *  Reads outside write() see one consistent snapshot until the next write() or close(). */
  write<T>(fn: () => Promise<T>): Promise<T>;
  close(): Promise<void>;

  // The ledger as a whole
  createFromSeed(seed: Seed, actor: string): Promise<void>;
  /** Merges a seed. `items`, when given, hands out the seed's items again with their bodies
   *  (a big JSON Lines seed read a second time), and seed.measures need hold only their ids. */
  importSeed(seed: Seed, opts: ImportOptions): Promise<ImportResult>;
  report(): Promise<ReportInfo>;
  exportLedger(): Promise<LedgerExport>;
  /** The ledger's id and place (LedgerIdentity). */
  identity(): Promise<LedgerIdentity>;
  /** Takes `id` as this ledger's own: a copy is the ledger it was copied from (call inside
   *  the write() that builds it). */
  adoptId(id: string): Promise<void>;
  /** The whole ledger as the records of a JSON Lines dump (core/dump.ts), in a dump's order:
   *  the header, the report, each area then its problems, the causes, each measure then its
   *  items (listing order), each item with its status, evidence, pins and whole history
   *  (seq and group as recorded). Read from one consistent snapshot, a batch at a time, so
   *  that memory does not grow with the ledger. `export --format jsonl` and `copy` use it;
   *  `copy` asks for each entry's server time too (serverTimes: recordedAt, on a server). */
  dump(opts?: { serverTimes?: boolean }): AsyncIterable<DumpRecord>;
  /** Builds the ledger from records (a JSON Lines seed or a dump), in one transaction (call
   *  inside write()): the ledger must be empty (exit 4 otherwise). The records come checked
   *  and normalised by core/jsonl.ts, in file order (each after what it names). An item with
   *  `history: null` gets one `create` entry by `actor`, as from a seed; one with a history
   *  gets exactly that history (seq, group, times, undo links, pins, evidence), and its
   *  `status`, `progress`, `pinned`, `createdAt`, `updatedAt` as given. A measure's
   *  `lastNumber`, when given, is kept if it exceeds what its items' ids count to. The
   *  iterable may throw (the input was refused part way): the error propagates and the
   *  transaction writes nothing. Restoring a dump makes `export --format json` print the
   *  same bytes as the ledger dumped. */
  restore(records: AsyncIterable<DumpRecord>, actor: string): Promise<RestoreSummary>;

  // Reading
  /** What an id names, matched case-insensitively, spelled as the ledger defines it. */
  lookup(id: string): Promise<{ kind: IdKind; id: string } | null>;
  /** The items with these ids, in the order asked; the ids not found are in `missing`. */
  getItems(ids: string[]): Promise<{ items: Item[]; missing: string[] }>;
  listItems(filter: ItemFilter): Promise<Item[]>;
  itemDetail(id: string): Promise<ItemDetail | null>;
  problemDetail(id: string): Promise<ProblemDetail | null>;
  /** The measures in seed order; `detail` may be left out by a store that lists many. */
  measures(): Promise<{ id: string; title: string; detail?: string | null }[]>;
  problems(): Promise<{ id: string; title: string; area: string }[]>;
  history(filter: LogFilter): Promise<HistoryEntry[]>;
  /** How many entries `history(filter)` would give without its limit. */
  historyCount(filter: LogFilter): Promise<number>;
  /** What `status` tells of the days since…until: the newest `limit` of the changes made
   *  through commands that still stand (history({ via: 'cli', standing: true })), grouped by
   *  person and action as the screen tells them (groupChanges), the groups newest first, and
   *  how many changes there are. An entry comes with its note and changes only when no other
   *  of the same person and action is among them (the screen words only those). */
  recentChanges(since: IsoDate, until: IsoDate, limit: number): Promise<RecentChanges>;
  /** Every item (all statuses, listing order) with its evidence and its latest note. */
  reportItems(): Promise<(Item & { evidence: string[]; lastNote: string | null })[]>;

  // Reading a page at a time: views whose memory does not grow with the ledger. Each page is
  // read whole before it is handed out, so a consumer may take its time between pages; run
  // several passes inside snapshot() to have them see the same ledger.
  /** Runs fn reading one consistent snapshot: every read inside sees the ledger as it was at
   *  the first (SQLite: one read transaction; PostgreSQL: the view's REPEATABLE READ one). */
  snapshot<T>(fn: () => Promise<T>): Promise<T>;
  /** listItems(filter), a page at a time, in the same order. With `brief` a store may leave
   *  each item's detail (null) and addresses ([]) out: for a table that does not show them. */
  itemPages(filter: ItemFilter, opts?: { brief?: boolean }): AsyncIterable<Item[]>;
  /** reportItems() of the items matching `filter` (in its order), a page at a time. With
   *  `detail: false` a store may leave each item's detail out (null): for a form that does
   *  not show it. */
  reportPages(filter: ItemFilter, opts?: { completion?: boolean; detail?: boolean }): AsyncIterable<ReportPage>;
  /** Every problem (areas in order, then problems in order) with the items addressing it,
   *  a page of problems at a time. */
  problemPages(): AsyncIterable<ProblemItems[]>;
  /** history(filter) without its limit, a page at a time, newest first. */
  historyPages(filter: LogFilter): AsyncIterable<HistoryEntry[]>;
  /** Everything needed for `status` and `report`, aggregated by the store.
   *  `listLimit` caps the `overdue` and `dueSoon` lists (their totals stay whole), so that
   *  a screen that shows ten lines does not hold a hundred thousand in memory. */
  statusFigures(asOf: IsoDate, days: number, opts?: StatusFigureOptions): Promise<StatusFigures>;

  // Writing (call inside write())
  applyChanges(changes: ItemChange[], actor: string): Promise<void>;
  /** Adds an item with the next free number of its measure; returns its id. */
  addItem(item: NewItem, actor: string): Promise<string>;
  /** Reverts the actor's most recent change group. Throws RectifyError (exit 4) on conflict,
   *  and when that latest change was a removal (`removeItems`), which cannot be undone. */
  undo(actor: string): Promise<UndoResult>;
  /** Removes items added by mistake, with their history: only items whose history holds
   *  nothing but their creation, edits, assignments and undos of those; any other item is
   *  refused (RectifyError exit 4, naming them), and then nothing is removed. The removal is
   *  remembered (who, when, the id and title) so that `undo` does not reach past it. */
  removeItems(ids: string[], actor: string): Promise<void>;
  /** Membership of the ledger's roles, on a server only (a file has no such thing). */
  access?(): LedgerAccess;
  /** Contacts and sent notices (督办: contact, remind). */
  supervision?(): SupervisionStore;
  /** Every id in the ledger with its kind (shell completion); in listing order within a kind. */
  allIds(): Promise<{ kind: IdKind; id: string }[]>;
}
