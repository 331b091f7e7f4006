// Checking a JSON Lines seed or dump (docs/seed-format.md, "The same seed as JSON Lines") one line at
// a time: the same rules as a YAML seed, each problem at its FILE:LINE:COLUMN, and what a line
// holds turned into a normalised record (core/dump.ts) for the store. Pure: the caller reads
// the file (commands/seedfile.ts) and hands over lines; what is kept across lines is the ids
// (for uniqueness and references) and a few counts, never the records.
import type {
  DumpHistory, DumpItem, DumpRecord, Pinned,
} from './dump.js';
import { PINNABLE } from './dump.js';
import { isIsoDate } from './dates.js';
import { ID_PATTERN } from './ids.js';
import { TEXT_LIMITS } from './items.js';
import type { SeedMessageKey } from './seed-text.js';
import { IssueList, badCharInValue, codePointName, suggest } from './seed-text.js';
import { CHANNELS, SECRET_MAX, WEBHOOK_MAX } from './remind.js';
import { ACTIONS, DEFAULT_TERM, STATUSES, TERMS, type Status, type Term } from './vocab.js';

/** What a text field holding something else is told: a list or an object is no text; a number,
 *  true or false (JSON keeps its type, YAML's source text would do) must be in quotes. */
function notText(v: unknown, path: string): [SeedMessageKey, Record<string, string | number>] {
  return v !== null && typeof v === 'object' ? ['seed.expectedText', { path }] : ['seed.expectedQuoted', { path, value: String(v) }];
}

type Obj = Record<string, unknown>;
type Kind = DumpRecord['kind'];

const KEYS: Record<Kind, readonly string[]> = {
  rectify: ['kind', 'version'],
  report: ['kind', 'title', 'unit', 'date'],
  area: ['kind', 'id', 'name'],
  problem: ['kind', 'id', 'area', 'title', 'detail'],
  cause: ['kind', 'id', 'title', 'detail'],
  measure: ['kind', 'id', 'title', 'detail', 'lastNumber'],
  item: [
    'kind', 'id', 'measure', 'title', 'detail', 'addresses', 'owner', 'department', 'due', 'term',
    'status', 'progress', 'evidence', 'pinned', 'createdAt', 'updatedAt', 'history',
  ],
  removed: ['kind', 'group', 'at', 'by', 'id', 'title'],
  contact: ['kind', 'name', 'email', 'webhook', 'secret', 'withheld'],
  notice: ['kind', 'at', 'day', 'by', 'recipient', 'channel', 'items', 'dbUser'],
};
const HISTORY_KEYS = [
  'seq', 'group', 'at', 'by', 'action', 'status', 'progress', 'note', 'changes', 'via', 'pinned', 'evidence',
  'reverts', 'undoesGroup', 'dbUser',
] as const;
/** An item's fields that only a ledger has: given only with its history. */
const DUMP_ONLY = ['status', 'progress', 'evidence', 'pinned', 'createdAt', 'updatedAt'] as const;
const KINDS = Object.keys(KEYS) as Kind[];
const ORDER: Record<Kind, number> = { rectify: 0, report: 1, area: 2, problem: 2, cause: 2, measure: 2, item: 2, removed: 3, contact: 3, notice: 3 };
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})$/;

type IdKind = 'area' | 'problem' | 'cause' | 'measure' | 'item';

/** Where a field sits on its line (1-based, in characters): its value, or its key itself. */
function columnOf(line: string, key: string, atValue = true): number {
  let at = line.indexOf(`"${key}"`);
  if (at < 0) return 1;
  if (atValue) {
    const m = /^\s*:\s*/.exec(line.slice(at + key.length + 2));
    if (m) at += key.length + 2 + m[0].length;
  }
  let column = 1;
  for (let i = 0; i < at; i++) {
    const c = line.charCodeAt(i);
    if (c >= 0xdc00 && c <= 0xdfff && i > 0) {
      const p = line.charCodeAt(i - 1);
      if (p >= 0xd800 && p <= 0xdbff) continue;
    }
    column++;
  }
  return column;
}

/** Characters (code points) in the first `units` UTF-16 units of text, plus one. */
function columnAt(text: string, units: number): number {
  let column = 1;
  for (let i = 0; i < units && i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) i++;
    column++;
  }
  return column;
}

/** The position JSON.parse names in its message (V8: "at position N"), if any. */
function parsePosition(message: string): number | null {
  const m = /position (\d+)/.exec(message);
  return m ? Number(m[1]) : null;
}

export class JsonlChecker {
  readonly issues = new IssueList();
  /** With `itemIds: false`, items' ids are not gathered (nor checked for repeats): for a file
   *  read again after it was checked whole, whose 200,000 item ids would take 12 MB. */
  constructor(private readonly opts: { itemIds?: boolean } = {}) {}
  /** Each id defined so far (lower-cased); an item's as the number of its line alone: nothing
   *  refers to items, and a big seed has hundreds of thousands of them. */
  private readonly ids = new Map<string, { kind: IdKind; id: string; line: number } | number>();
  /** Areas and measures still waiting for their first problem or item: id → line. */
  private readonly empty = new Map<string, { path: string; line: number; kind: 'area' | 'measure' }>();
  private readonly seqs = new Set<number>();
  private readonly undoGroups = new Map<number, number>();
  private readonly undoneGroups = new Set<number>();
  private stage = -1;
  private areas = 0;
  private measures = 0;
  private lastLine = 0;
  private headerSeen = false;
  private reportSeen = false;
  private index: Record<Kind, number> = { rectify: 0, report: 0, area: 0, problem: 0, cause: 0, measure: 0, item: 0, removed: 0, contact: 0, notice: 0 };

  /** Whether every line so far was right: then the records returned may be used. */
  get ok(): boolean {
    return !this.issues.any;
  }

  issue(line: number, column: number, key: SeedMessageKey, params: Record<string, string | number> = {}): void {
    this.issues.add({ line, column, key, params });
  }

  /** Checks one line (1-based number, without its line break); returns its record when the
   *  line is right (null for a blank line or a wrong one). */
  line(text: string, n: number): DumpRecord | null {
    this.lastLine = n;
    if (text.trim() === '') return null;
    if (text.charCodeAt(0) === 0xfeff) {
      this.issue(n, 1, 'seed.bom');
      return null;
    }
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (e) {
      const pos = parsePosition((e as Error).message);
      this.issue(n, pos === null ? 1 : columnAt(text, pos), 'seed.jsonl.syntax');
      return null;
    }
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      this.issue(n, 1, 'seed.jsonl.notObject');
      return null;
    }
    const o = value as Obj;
    const kind = o.kind;
    if (typeof kind !== 'string' || !(KINDS as string[]).includes(kind)) {
      const shown = typeof kind === 'string' ? kind.slice(0, 40) : JSON.stringify(kind ?? null).slice(0, 40);
      const suggestion = typeof kind === 'string' ? suggest(kind, KINDS) : null;
      if (suggestion) this.issue(n, columnOf(text, 'kind'), 'seed.jsonl.kindSuggest', { kind: shown, suggestion });
      else this.issue(n, columnOf(text, 'kind'), 'seed.jsonl.kind', { kind: shown, allowed: KINDS.join(', ') });
      return null;
    }
    const k = kind as Kind;
    const r = new Rec(this, o, text, n, `${k}[${this.index[k]++}]`);
    this.order(k, n);
    r.keys(KEYS[k]);
    switch (k) {
      case 'rectify':
        return this.header(r);
      case 'report':
        return this.report(r);
      case 'area':
        return this.area(r);
      case 'problem':
        return this.problem(r);
      case 'cause':
        return this.cause(r);
      case 'measure':
        return this.measure(r);
      case 'item':
        return this.item(r);
      case 'removed':
        return this.removed(r);
      case 'contact':
        return this.contact(r);
      case 'notice':
        return this.notice(r);
    }
  }

  /** The checks that need the whole file; call after the last line. */
  finish(): void {
    const end = this.lastLine + 1;
    if (!this.headerSeen) this.issue(1, 1, 'seed.jsonl.noHeader');
    else if (!this.reportSeen) this.issue(end, 1, 'seed.required', { path: 'report' });
    if (this.headerSeen && this.areas === 0) this.issue(end, 1, 'seed.atLeastOne', { path: 'areas' });
    if (this.headerSeen && this.measures === 0) this.issue(end, 1, 'seed.atLeastOne', { path: 'measures' });
    for (const e of this.empty.values()) {
      this.issue(e.line, 1, 'seed.atLeastOne', { path: `${e.path}.${e.kind === 'area' ? 'problems' : 'items'}` });
    }
  }

  private order(k: Kind, n: number): void {
    const stage = ORDER[k];
    if (k === 'rectify') {
      if (this.stage >= 0) this.issue(n, 1, 'seed.jsonl.headerTwice');
    } else if (!this.headerSeen && this.stage < 0) {
      this.issue(n, 1, 'seed.jsonl.noHeader');
    } else if (k === 'report') {
      if (this.reportSeen) this.issue(n, 1, 'seed.jsonl.reportTwice');
    } else if (!this.reportSeen) {
      this.issue(n, 1, 'seed.jsonl.reportFirst');
    } else if (stage < this.stage) {
      this.issue(n, 1, 'seed.jsonl.afterRemoved', { kind: k });
    }
    this.stage = Math.max(this.stage, stage);
  }

  private header(r: Rec): DumpRecord | null {
    this.headerSeen = true;
    const v = r.o.version;
    if (v === undefined) r.at('version', 'seed.version.missing');
    else if (v !== 1) r.at('version', 'seed.version.unsupported', { value: JSON.stringify(v).slice(0, 40) });
    return r.done({ kind: 'rectify', version: 1 });
  }

  private report(r: Rec): DumpRecord | null {
    this.reportSeen = true;
    const title = r.text('title', true, TEXT_LIMITS.title);
    const unit = r.text('unit', false, TEXT_LIMITS.title);
    const date = r.date('date');
    return r.done({ kind: 'report', title: title ?? '', unit, date });
  }

  private define(r: Rec, kind: IdKind): string {
    const id = r.text('id', true, 32, true);
    if (id === null) return '';
    if (!ID_PATTERN.test(id)) {
      r.at('id', 'seed.id.invalid', { path: r.path('id'), id });
      return id;
    }
    if (kind === 'item' && this.opts.itemIds === false) return id;
    const lower = id.toLowerCase();
    const prev = this.ids.get(lower);
    if (prev !== undefined) r.at('id', 'seed.id.duplicate', { path: r.path('id'), id, line: typeof prev === 'number' ? prev : prev.line });
    else this.ids.set(lower, kind === 'item' ? r.n : { kind, id, line: r.n });
    return id;
  }

  /** A reference to an id of this kind defined on an earlier line: its defined spelling. */
  private ref(r: Rec, key: string, kind: IdKind, given: string | null, path = r.path(key)): string {
    if (given === null) return '';
    const found = this.ids.get(given.toLowerCase());
    const def = typeof found === 'number' ? { kind: 'item', id: given } : found;
    if (def && def.kind === kind) return def.id;
    if (!def) r.at(key, 'seed.jsonl.refUnknown', { path, id: given });
    else if (kind === 'problem') r.at(key, 'seed.addresses.notProblem', { path, id: given });
    else r.at(key, kind === 'area' ? 'seed.jsonl.notArea' : 'seed.jsonl.notMeasure', { path, id: given });
    return given;
  }

  private area(r: Rec): DumpRecord | null {
    const id = this.define(r, 'area');
    const name = r.text('name', true, TEXT_LIMITS.title);
    this.areas++;
    if (id) this.empty.set('a:' + id.toLowerCase(), { path: r.where, line: r.n, kind: 'area' });
    return r.done({ kind: 'area', id, name: name ?? '' });
  }

  private problem(r: Rec): DumpRecord | null {
    const id = this.define(r, 'problem');
    const area = this.ref(r, 'area', 'area', r.text('area', true, 32, true));
    this.empty.delete('a:' + area.toLowerCase());
    const title = r.text('title', true, TEXT_LIMITS.title);
    const detail = r.text('detail', false, TEXT_LIMITS.detail);
    return r.done({ kind: 'problem', id, area, title: title ?? '', detail });
  }

  private cause(r: Rec): DumpRecord | null {
    const id = this.define(r, 'cause');
    const title = r.text('title', true, TEXT_LIMITS.title);
    const detail = r.text('detail', false, TEXT_LIMITS.detail);
    return r.done({ kind: 'cause', id, title: title ?? '', detail });
  }

  private measure(r: Rec): DumpRecord | null {
    const id = this.define(r, 'measure');
    const title = r.text('title', true, TEXT_LIMITS.title);
    const detail = r.text('detail', false, TEXT_LIMITS.detail);
    const lastNumber = r.int('lastNumber', 0, 999_999_999, false);
    this.measures++;
    // A dump's measure (it carries lastNumber, which only a dump writes) may have lost its items
    // to rm or edit --measure: the ledger it restores had it so. A seed's needs one.
    if (id && lastNumber === null) this.empty.set('m:' + id.toLowerCase(), { path: r.where, line: r.n, kind: 'measure' });
    return r.done({ kind: 'measure', id, title: title ?? '', detail, lastNumber });
  }

  private item(r: Rec): DumpRecord | null {
    const id = this.define(r, 'item');
    const measure = this.ref(r, 'measure', 'measure', r.text('measure', true, 32, true));
    this.empty.delete('m:' + measure.toLowerCase());
    const title = r.text('title', true, TEXT_LIMITS.title);
    if (title !== null && title.includes('\n')) r.at('title', 'seed.title.oneLine', { path: r.path('title') });
    const detail = r.text('detail', false, TEXT_LIMITS.detail);
    const addresses: string[] = [];
    const given = r.o.addresses;
    if (Array.isArray(given)) {
      given.forEach((a, i) => {
        const path = `${r.path('addresses')}[${i}]`;
        if (typeof a !== 'string') r.at('addresses', ...notText(a, path));
        else if (a.trim() === '') r.at('addresses', 'seed.emptyValue', { path });
        else {
          const ref = this.ref(r, 'addresses', 'problem', a.trim(), path);
          if (!addresses.includes(ref)) addresses.push(ref);
        }
      });
    } else if (typeof given === 'string') {
      r.at('addresses', 'seed.addresses.notList', { path: r.path('addresses'), value: given.trim().slice(0, 40) });
    } else if (given !== undefined && given !== null) r.at('addresses', 'seed.expectedList', { path: r.path('addresses') });
    const owner = r.text('owner', false, TEXT_LIMITS.owner);
    const department = r.text('department', false, TEXT_LIMITS.department);
    const due = r.date('due');
    const term = r.choice<Term>('term', TERMS, 'seed.term.invalid', true) ?? DEFAULT_TERM;

    const item: DumpItem = {
      kind: 'item', id, measure, title: title ?? '', detail, addresses, owner, department, due, term,
      status: 'open', progress: 0, evidence: [], pinned: [], createdAt: null, updatedAt: null, history: null,
    };
    if (r.o.history === undefined || r.o.history === null) {
      for (const f of DUMP_ONLY) if (r.o[f] !== undefined && r.o[f] !== null) r.at(f, 'seed.jsonl.needsHistory', { path: r.path(f) });
      return r.done(item);
    }
    item.status = r.choice<Status>('status', STATUSES, 'seed.jsonl.status', false) ?? 'open';
    item.progress = r.int('progress', 0, 100, false) ?? 0;
    item.evidence = r.texts('evidence');
    item.pinned = r.pins('pinned', r.path('pinned'), r.o.pinned);
    item.createdAt = r.timestamp('createdAt');
    item.updatedAt = r.timestamp('updatedAt');
    if (!Array.isArray(r.o.history)) {
      r.at('history', 'seed.expectedList', { path: r.path('history') });
      return r.done(item);
    }
    const history: DumpHistory[] = [];
    const fromHistory: string[] = [];
    r.o.history.forEach((h, i) => {
      const entry = this.history(r, h, `${r.path('history')}[${i}]`);
      if (entry) {
        history.push(entry);
        for (const e of entry.evidence) fromHistory.push(e);
      }
    });
    for (let i = 1; i < history.length; i++) {
      if (history[i]!.seq <= history[i - 1]!.seq) {
        r.at('history', 'seed.jsonl.historyOrder', { path: `${r.path('history')}[${i}]` });
        break;
      }
    }
    if (fromHistory.join('\u0000') !== item.evidence.join('\u0000')) {
      r.at('evidence', 'seed.jsonl.evidenceMismatch', { path: r.path('evidence') });
    }
    item.history = history;
    return r.done(item);
  }

  private history(r: Rec, h: unknown, path: string): DumpHistory | null {
    if (h === null || typeof h !== 'object' || Array.isArray(h)) {
      r.at('history', 'seed.expectedMap', { path });
      return null;
    }
    const o = h as Obj;
    const e = new Rec(this, o, r.line, r.n, path, 'history');
    e.keys(HISTORY_KEYS);
    const seq = e.int('seq', 1, Number.MAX_SAFE_INTEGER, true);
    const group = e.int('group', 1, Number.MAX_SAFE_INTEGER, true);
    const at = e.timestamp('at', true);
    const by = e.text('by', true, 1000);
    const action = e.choice('action', ACTIONS, 'seed.jsonl.action', false);
    const status = e.choice<Status>('status', STATUSES, 'seed.jsonl.status', false);
    const progress = e.int('progress', 0, 100, true);
    const note = e.rawText('note');
    const changes = o.changes === undefined || o.changes === null ? {} : o.changes;
    if (typeof changes !== 'object' || Array.isArray(changes)) e.at('changes', 'seed.expectedMap', { path: `${path}.changes` });
    const via = e.choice('via', ['seed', 'cli'] as const, 'seed.jsonl.via', false) ?? 'cli';
    const pinned = e.pins('pinned', `${path}.pinned`, o.pinned);
    const evidence = e.texts('evidence');
    const reverts = e.int('reverts', 1, Number.MAX_SAFE_INTEGER, false);
    const undoesGroup = e.int('undoesGroup', 1, Number.MAX_SAFE_INTEGER, false);
    const dbUser = e.rawText('dbUser');
    if (seq !== null) {
      if (this.seqs.has(seq)) e.at('seq', 'seed.jsonl.seqTwice', { path: `${path}.seq`, seq });
      if (reverts !== null && !this.seqs.has(reverts)) e.at('reverts', 'seed.jsonl.revertsUnknown', { path: `${path}.reverts`, seq: reverts });
      this.seqs.add(seq);
    }
    if (group !== null && undoesGroup !== null) {
      const prev = this.undoGroups.get(group);
      if (prev !== undefined && prev !== undoesGroup) e.at('undoesGroup', 'seed.jsonl.undoGroup', { path: `${path}.undoesGroup` });
      else if (prev === undefined) {
        if (this.undoneGroups.has(undoesGroup)) e.at('undoesGroup', 'seed.jsonl.undoGroup', { path: `${path}.undoesGroup` });
        this.undoGroups.set(group, undoesGroup);
        this.undoneGroups.add(undoesGroup);
      }
    }
    if (seq === null || group === null || at === null || by === null || action === null || status === null || progress === null) return null;
    const entry: DumpHistory = {
      seq, group, at, by, action, status, progress, note, changes: changes as DumpHistory['changes'], via, pinned, evidence,
      reverts, undoesGroup,
    };
    if (dbUser !== null) entry.dbUser = dbUser;
    return entry;
  }

  private removed(r: Rec): DumpRecord | null {
    const group = r.int('group', 1, Number.MAX_SAFE_INTEGER, true);
    const at = r.timestamp('at', true);
    const by = r.text('by', true, 1000);
    const id = r.text('id', true, 32, true);
    const title = r.rawText('title');
    return r.done({ kind: 'removed', group: group ?? 0, at: at ?? '', by: by ?? '', id: id ?? '', title: title ?? '' });
  }

  /** A contact; what `export` masked (a webhook's key, a secret: `***`) or withheld comes
   *  back empty, to be set again with `contact set` (an export never prints them). */
  private contact(r: Rec): DumpRecord | null {
    const name = r.text('name', true, 200);
    const email = r.text('email', false, 320);
    const webhook = r.text('webhook', false, WEBHOOK_MAX);
    const secret = r.text('secret', false, SECRET_MAX);
    const masked = (v: string | null) => (v !== null && v.includes('***') ? null : v);
    return r.done({ kind: 'contact', name: name ?? '', email: masked(email), webhook: masked(webhook), secret: masked(secret) });
  }

  private notice(r: Rec): DumpRecord | null {
    const at = r.timestamp('at', true);
    const day = r.date('day');
    if (day === null) r.at('day', 'seed.required', { path: r.path('day') });
    const by = r.text('by', true, 1000);
    const recipient = r.text('recipient', true, 200);
    const channel = r.choice('channel', CHANNELS, 'seed.jsonl.via', false);
    if (channel === null && r.o.channel == null) r.at('channel', 'seed.required', { path: r.path('channel') });
    const items = r.texts('items');
    const dbUser = r.rawText('dbUser');
    return r.done({
      kind: 'notice', at: at ?? '', day: day ?? '', by: by ?? '', recipient: recipient ?? '', channel: channel ?? 'email',
      items, ...(dbUser !== null ? { dbUser } : {}),
    });
  }
}

/** One line's object and where it is, with the field readers. */
class Rec {
  private bad = false;
  constructor(
    private readonly c: JsonlChecker,
    readonly o: Obj,
    readonly line: string,
    readonly n: number,
    /** Where the record is, as a path: item[12] (0-based among its kind). */
    readonly where: string,
    /** The key whose column problems of a nested object are reported at. */
    private readonly anchor: string | null = null,
  ) {}

  path(key: string): string {
    return `${this.where}.${key}`;
  }

  at(key: string, msg: SeedMessageKey, params: Record<string, string | number> = {}): void {
    this.bad = true;
    const keyItself = msg === 'seed.unknownKey' || msg === 'seed.unknownKeySuggest';
    this.c.issue(this.n, columnOf(this.line, this.anchor ?? key, !keyItself || this.anchor !== null), msg, params);
  }

  done<T extends DumpRecord>(r: T): T | null {
    return this.bad ? null : r;
  }

  keys(allowed: readonly string[]): void {
    for (const key of Object.keys(this.o)) {
      if (allowed.includes(key)) continue;
      const shown = key.length > 40 ? key.slice(0, 40) + '…' : key;
      const suggestion = suggest(key, allowed);
      if (suggestion) this.at(key, 'seed.unknownKeySuggest', { path: this.path(shown), suggestion });
      else this.at(key, 'seed.unknownKey', { path: this.path(shown), allowed: allowed.join(', ') });
    }
  }

  /** A text field by the seed's rules: trimmed, null when absent, null or empty. */
  text(key: string, required: boolean, max: number, isId = false): string | null {
    const v = this.o[key];
    if (v === undefined || v === null || (typeof v === 'string' && v.trim() === '')) {
      if (required) this.at(key, v === undefined ? 'seed.required' : 'seed.emptyValue', { path: this.path(key) });
      return null;
    }
    if (typeof v !== 'string') {
      this.at(key, ...notText(v, this.path(key)));
      return null;
    }
    const bad = badCharInValue(v);
    if (bad >= 0) {
      const surrogate = bad >= 0xd800 && bad <= 0xdfff;
      this.at(key, surrogate ? 'seed.badChar' : 'seed.controlChar', { code: codePointName(bad) });
      return null;
    }
    const s = v.trim();
    if (!isId && s.length > max) {
      let length = 0;
      for (const _ of s) length++;
      if (length > max) {
        this.at(key, 'seed.tooLong', { path: this.path(key), max, length });
        return null;
      }
    }
    return s;
  }

  /** Text kept as given (a note, a name the ledger recorded): null when absent or null. */
  rawText(key: string): string | null {
    const v = this.o[key];
    if (v === undefined || v === null) return null;
    if (typeof v !== 'string') {
      this.at(key, ...notText(v, this.path(key)));
      return null;
    }
    const bad = badCharInValue(v);
    if (bad >= 0) {
      this.at(key, bad >= 0xd800 && bad <= 0xdfff ? 'seed.badChar' : 'seed.controlChar', { code: codePointName(bad) });
      return null;
    }
    return v;
  }

  texts(key: string): string[] {
    const v = this.o[key];
    if (v === undefined || v === null) return [];
    if (!Array.isArray(v)) {
      this.at(key, 'seed.expectedList', { path: this.path(key) });
      return [];
    }
    const out: string[] = [];
    v.forEach((x, i) => {
      if (typeof x !== 'string') this.at(key, ...notText(x, `${this.path(key)}[${i}]`));
      else if (badCharInValue(x) >= 0) this.at(key, 'seed.controlChar', { code: codePointName(badCharInValue(x)) });
      else out.push(x);
    });
    return out;
  }

  pins(key: string, path: string, v: unknown): Pinned[] {
    if (v === undefined || v === null) return [];
    if (!Array.isArray(v) || v.some((x) => typeof x !== 'string' || !(PINNABLE as readonly string[]).includes(x))) {
      this.at(key, 'seed.jsonl.pinned', { path, allowed: PINNABLE.join(', ') });
      return [];
    }
    return PINNABLE.filter((p) => v.includes(p));
  }

  date(key: string): string | null {
    const value = this.text(key, false, 10, true);
    if (value === null) return null;
    if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) this.at(key, 'seed.date.format', { path: this.path(key), value: value.slice(0, 40) });
    else if (!isIsoDate(value)) this.at(key, 'seed.date.notReal', { path: this.path(key), value });
    return value;
  }

  timestamp(key: string, required = false): string | null {
    const v = this.o[key];
    if (v === undefined || v === null) {
      if (required) this.at(key, 'seed.required', { path: this.path(key) });
      return null;
    }
    if (typeof v !== 'string' || !TIMESTAMP.test(v) || !isIsoDate(v.slice(0, 10))) {
      this.at(key, 'seed.jsonl.timestamp', { path: this.path(key) });
      return null;
    }
    return v;
  }

  int(key: string, min: number, max: number, required: boolean): number | null {
    const v = this.o[key];
    if (v === undefined || v === null) {
      if (required) this.at(key, 'seed.required', { path: this.path(key) });
      return null;
    }
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
      this.at(key, 'seed.jsonl.integer', { path: this.path(key), min, max });
      return null;
    }
    return v;
  }

  choice<T extends string>(key: string, allowed: readonly T[], msg: SeedMessageKey, lower: boolean): T | null {
    const v = this.o[key];
    if (v === undefined || v === null) return null;
    const s = typeof v === 'string' ? (lower ? v.trim().toLowerCase() : v) : null;
    const found = s === null ? undefined : allowed.find((a) => a === s);
    if (found === undefined) {
      this.at(key, msg, { path: this.path(key), value: (typeof v === 'string' ? v : JSON.stringify(v)).slice(0, 40), allowed: allowed.join(', ') });
      return null;
    }
    return found;
  }
}
