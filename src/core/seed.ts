// Loading a seed (docs: /work/shared/spec/seed-format.md): bytes → checked UTF-8 text → YAML
// nodes (seed-yaml.ts) → a validated Seed, or every problem found, each with its position.
import type { enSeed } from '../i18n/en-seed.js';
import { ID_PATTERN } from './ids.js';
import { isIsoDate } from './dates.js';
import type { Area, Cause, Measure, Problem, ReportInfo, Seed, SeedItem } from './types.js';
import { DEFAULT_TERM, TERMS, type Term } from './vocab.js';
import { Positions, badCharInValue, codePointName, decodeUtf8, findForbidden } from './seed-text.js';
import { readYaml, subtreeSize, type RawIssue, type YMap, type YNode, type YScalar } from './seed-yaml.js';

type Resolved = Exclude<YNode, { kind: 'alias' }>;

export { seedToYaml } from './seed-write.js';

export type SeedMessageKey = keyof typeof enSeed;

export interface SeedIssue {
  /** 1-based. */
  line: number;
  /** 1-based, counted in characters (code points). */
  column: number;
  key: SeedMessageKey;
  params: Record<string, string | number>;
}

export type SeedResult = { ok: true; seed: Seed } | { ok: false; issues: SeedIssue[] };

/** At most this many issues are listed; a last one says how many more there were. */
export const MAX_ISSUES = 100;
/** Aliases may expand to this many nodes beyond the size of the document itself. */
export const ALIAS_EXPANSION_LIMIT = 10_000;

/** bytes: the file's raw content. Checks UTF-8 itself (a leading BOM is accepted and skipped). */
export function loadSeed(bytes: Uint8Array): SeedResult {
  const decoded = decodeUtf8(bytes);
  if (!decoded.ok && 'tooLarge' in decoded) {
    return { ok: false, issues: [{ line: 1, column: 1, key: 'seed.tooLarge', params: { mb: Math.round(bytes.length / 1048576) } }] };
  }
  if (!decoded.ok) {
    const byte = decoded.byte.toString(16).toUpperCase().padStart(2, '0');
    return { ok: false, issues: [{ line: decoded.line, column: decoded.column, key: 'seed.utf8', params: { byte } }] };
  }
  const { found, clean } = findForbidden(decoded.text);
  const issues: RawIssue[] = found.map((f) => ({ off: f.offset, key: 'seed.controlChar', params: { code: codePointName(f.code) } }));
  const positions = new Positions(clean);
  // The builder turns list entries into domain values while the reader is still reading, so
  // that a large seed never exists as a whole YAML tree (see EntryHook).
  const builder = new Builder(positions);
  let seed: Seed | null = null;
  try {
    const read = readYaml(clean, (path, map, nodes) => builder.entry(path, map, nodes));
    builder.nodes = read.nodeCount;
    if (read.issues.length > 0) return fail([...issues, ...read.issues], positions);
    const root = read.root;
    if (!read.hasDocument || root === null || (root.kind === 'scalar' && root.isNull && root.tag === null)) {
      return fail([...issues, { off: 0, key: 'seed.emptyFile', params: {} }], positions);
    }
    seed = builder.build(root);
  } catch (e) {
    if (!(e instanceof AliasLimit)) throw e;
    builder.issues.push({ off: e.off, key: 'seed.yaml.aliasLimit', params: { limit: ALIAS_EXPANSION_LIMIT } });
  }
  for (const issue of builder.issues) issues.push(issue);
  if (issues.length > 0 || seed === null) return fail(issues, positions);
  return { ok: true, seed };
}

function fail(raw: RawIssue[], positions: Positions): SeedResult {
  // Sorted by position (the sort is stable: same place, order found), the same message at the
  // same place only once, and at most MAX_ISSUES of them.
  const sorted = raw.slice().sort((a, b) => a.off - b.off);
  const unique: RawIssue[] = [];
  for (const i of sorted) {
    const prev = unique[unique.length - 1];
    if (prev && prev.off === i.off && prev.key === i.key) continue;
    unique.push(i);
  }
  const shown = unique.slice(0, MAX_ISSUES);
  const issues: SeedIssue[] = shown.map((i) => ({ ...positions.at(i.off), key: i.key, params: i.params }));
  if (unique.length > MAX_ISSUES) {
    const next = unique[MAX_ISSUES] as RawIssue;
    issues.push({ ...positions.at(next.off), key: 'seed.tooManyIssues', params: { count: unique.length - MAX_ISSUES } });
  }
  return { ok: false, issues };
}

class AliasLimit extends Error {
  constructor(readonly off: number) {
    super('alias expansion limit');
  }
}

const ROOT_KEYS = ['version', 'report', 'areas', 'causes', 'measures'] as const;
const REPORT_KEYS = ['title', 'unit', 'date'] as const;
const AREA_KEYS = ['id', 'name', 'problems'] as const;
const PROBLEM_KEYS = ['id', 'title', 'detail'] as const;
const CAUSE_KEYS = ['id', 'title', 'detail'] as const;
const MEASURE_KEYS = ['id', 'title', 'detail', 'items'] as const;
const ITEM_KEYS = ['id', 'title', 'detail', 'addresses', 'owner', 'department', 'due', 'term'] as const;

type IdKind = 'area' | 'problem' | 'cause' | 'measure' | 'item';

/** One mapping's entries by key (index into map.keys and map.values, -1 when absent), with
 *  where the mapping sits. Paths are only put together when a problem is reported. */
interface Fields<K extends string> {
  path: string;
  map: YMap;
  at: Record<K, number>;
}

const DATE_SHAPE = /^\d{4}-\d{2}-\d{2}$/;
const INT_ONE = /^(?:\+?0*1|0o0*1|0x0*1)$/;

interface IdDef {
  id: string;
  off: number;
  kind: IdKind;
  path: string;
}

const join = (path: string, key: string): string => (path ? path + '.' + key : key);

/** Walks the YAML nodes into a Seed, collecting every problem on the way. */
class Builder {
  readonly issues: RawIssue[] = [];
  /** Ids by their lower-case form: the first registered definition. */
  private readonly ids = new Map<string, IdDef>();
  /** The same by their exact spelling: most references hit it without lower-casing. */
  private readonly exact = new Map<string, IdDef>();
  /** Further definitions of an id; reported once all are known, against the first in the file. */
  private readonly clashes: IdDef[] = [];
  /** Every address written, to resolve once all problems are known: the item's list, the
   *  entry's index in it and in the YAML list, its offset and the item's path. */
  private readonly refs: { list: string[]; index: number; entry: number; off: number; path: string }[] = [];
  private valid = true;
  /** Nodes the aliases followed so far expand to. */
  private spent = 0;
  /** Nodes in the document (so far, while it is being read): aliases may add
   *  ALIAS_EXPANSION_LIMIT more. */
  nodes = 0;

  constructor(private readonly positions: Positions) {}

  /** The reader's entry hook: problems, causes and items are built as soon as they are read. */
  entry(path: readonly (string | number)[], map: YMap, nodesSoFar: number): YNode | null {
    this.nodes = nodesSoFar;
    let value: unknown;
    if (path.length === 4 && path[0] === 'measures' && path[2] === 'items') {
      value = this.item(map, `measures[${path[1]}].items[${path[3]}]`);
    } else if (path.length === 4 && path[0] === 'areas' && path[2] === 'problems') {
      value = this.problem(map, `areas[${path[1]}].problems[${path[3]}]`);
    } else if (path.length === 2 && path[0] === 'causes') {
      value = this.cause(map, `causes[${path[1]}]`);
    } else return null;
    return { kind: 'done', off: map.off, value };
  }

  private issue(off: number, key: SeedMessageKey, params: Record<string, string | number> = {}): void {
    this.issues.push({ off, key, params });
    this.valid = false;
  }

  /** Follows an alias, paying for what it expands to. */
  private deref(node: YNode): Resolved {
    if (node.kind !== 'alias') return node;
    this.spent += subtreeSize(node.target);
    if (this.spent > ALIAS_EXPANSION_LIMIT + this.nodes) throw new AliasLimit(node.off);
    return node.target as Resolved;
  }

  build(rootNode: YNode): Seed | null {
    const root = this.deref(rootNode);
    if (root.kind !== 'map') {
      this.issue(root.off, 'seed.rootNotMap');
      return null;
    }
    const f = this.fields(root, '', ROOT_KEYS);
    const version = this.version(f);
    const report = this.report(f);
    // Areas, causes and measures in the order the file has them, so that "first defined"
    // for a duplicate id is the first in the file.
    const order = (['areas', 'causes', 'measures'] as const).filter((k) => f.at[k] >= 0).sort((a, b) => f.at[a] - f.at[b]);
    let areas: Area[] = [];
    let causes: Cause[] = [];
    let measures: Measure[] = [];
    for (const k of order) {
      if (k === 'areas') areas = this.list(f, 'areas', true, (m, p) => this.area(m, p));
      else if (k === 'causes') causes = this.list(f, 'causes', false, (m, p) => this.cause(m, p));
      else measures = this.list(f, 'measures', true, (m, p) => this.measure(m, p));
    }
    if (f.at.areas < 0) this.issue(root.off, 'seed.required', { path: 'areas' });
    if (f.at.measures < 0) this.issue(root.off, 'seed.required', { path: 'measures' });
    this.reportClashes();
    this.resolveAddresses();
    if (!this.valid || version === null || report === null) return null;
    return { version, report, areas, causes, measures };
  }

  // ---- mappings and lists -----------------------------------------------------------------

  private fields<K extends string>(map: YMap, path: string, allowed: readonly K[]): Fields<K> {
    const at = {} as Record<K, number>;
    for (const k of allowed) at[k] = -1;
    for (let i = 0; i < map.keys.length; i++) {
      const keyNode = this.deref(map.keys[i] as YNode);
      if (keyNode.kind !== 'scalar') {
        this.issue(keyNode.off, 'seed.complexKey');
        continue;
      }
      if (keyNode.isNull && keyNode.style === 'plain' && keyNode.value === '' && keyNode.tag === null) {
        this.issue(keyNode.off, 'seed.emptyKey');
        continue;
      }
      const name = keyNode.value;
      const prev = (allowed as readonly string[]).includes(name) ? at[name as K] : undefined;
      if (prev === undefined) {
        const full = join(path, name.length > 40 ? name.slice(0, 40) + '…' : name);
        const suggestion = suggest(name, allowed);
        if (suggestion) this.issue(keyNode.off, 'seed.unknownKeySuggest', { path: full, suggestion });
        else this.issue(keyNode.off, 'seed.unknownKey', { path: full, allowed: allowed.join(', ') });
      } else if (prev >= 0) {
        const line = this.positions.at((map.keys[prev] as YNode).off).line;
        this.issue(keyNode.off, 'seed.duplicateKey', { path: join(path, name), line });
      } else at[name as K] = i;
    }
    return { path, map, at };
  }

  /** The entries of a list field, each a mapping turned into T by `each`; entries that are
   *  not mappings are reported and left out. A missing required list is reported too. */
  private list<K extends string, T>(f: Fields<K>, key: K, required: boolean, each: (m: YMap, path: string) => T): T[] {
    const i = f.at[key];
    if (i < 0) {
      if (required) this.issue(f.map.off, 'seed.required', { path: join(f.path, key) });
      return [];
    }
    // Problems are reported where the value is written: at an alias, not at its anchor.
    const raw = f.map.values[i] as YNode;
    const v = this.deref(raw);
    if (v.kind === 'scalar' && v.isNull) {
      if (required) this.issue((f.map.keys[i] as YNode).off, 'seed.atLeastOne', { path: join(f.path, key) });
      return [];
    }
    if (v.kind !== 'seq') {
      this.issue(raw.off, 'seed.expectedList', { path: join(f.path, key) });
      return [];
    }
    if (v.items.length === 0 && required) this.issue(raw.off, 'seed.atLeastOne', { path: join(f.path, key) });
    const out: T[] = [];
    for (let n = 0; n < v.items.length; n++) {
      const entry = v.items[n] as YNode;
      const m = this.deref(entry);
      if (m.kind === 'done') out.push(m.value as T);
      else if (m.kind !== 'map') this.issue(entry.off, 'seed.expectedMap', { path: `${join(f.path, key)}[${n}]` });
      else out.push(each(m, `${join(f.path, key)}[${n}]`));
    }
    return out;
  }

  // ---- scalars ----------------------------------------------------------------------------

  /** A text field: trimmed; null when absent, null or empty (reported if required). */
  private text<K extends string>(f: Fields<K>, key: K, required: boolean): string | null {
    const i = f.at[key];
    if (i < 0) {
      if (required) this.issue(f.map.off, 'seed.required', { path: join(f.path, key) });
      return null;
    }
    const raw = f.map.values[i] as YNode;
    const v = this.deref(raw);
    if (v.kind !== 'scalar') {
      this.issue(raw.off, 'seed.expectedText', { path: join(f.path, key) });
      return null;
    }
    if (v.isNull) {
      if (required) this.issue((f.map.keys[i] as YNode).off, 'seed.emptyValue', { path: join(f.path, key) });
      return null;
    }
    const s = this.scalarText(v, raw.off);
    if (s === '') {
      if (required) this.issue(raw.off, 'seed.emptyValue', { path: join(f.path, key) });
      return null;
    }
    return s;
  }

  private scalarText(v: YScalar, at: number): string {
    if (v.escaped) {
      const bad = badCharInValue(v.value);
      if (bad >= 0) {
        const surrogate = bad >= 0xd800 && bad <= 0xdfff;
        this.issue(at, surrogate ? 'seed.badChar' : 'seed.controlChar', { code: codePointName(bad) });
      }
    }
    return v.value.trim();
  }

  /** Where a present field's value is written. */
  private valueOff<K extends string>(f: Fields<K>, key: K): number {
    return (f.map.values[f.at[key]] as YNode).off;
  }

  private id(f: Fields<'id'>, kind: IdKind): string {
    const id = this.text(f, 'id', true);
    if (id === null) return '';
    const off = this.valueOff(f, 'id');
    if (!ID_PATTERN.test(id)) {
      this.issue(off, 'seed.id.invalid', { path: join(f.path, 'id'), id });
      return id;
    }
    const lower = id.toLowerCase();
    const def = { id, off, kind, path: f.path };
    if (this.ids.has(lower)) {
      this.clashes.push(def);
      this.valid = false;
    } else {
      this.ids.set(lower, def);
      this.exact.set(id, def);
    }
    return id;
  }

  /** Entries may be built out of file order (entries first, their lists' owners after), so a
   *  repeated id is judged once all are known: every definition after the first in the file
   *  is reported. */
  private reportClashes(): void {
    const byId = new Map<string, IdDef[]>();
    for (const c of this.clashes) {
      const lower = c.id.toLowerCase();
      let defs = byId.get(lower);
      if (!defs) byId.set(lower, (defs = [this.ids.get(lower) as IdDef]));
      defs.push(c);
    }
    for (const defs of byId.values()) {
      defs.sort((a, b) => a.off - b.off);
      const first = defs[0] as IdDef;
      const line = this.positions.at(first.off).line;
      for (const d of defs.slice(1)) this.issue(d.off, 'seed.id.duplicate', { path: join(d.path, 'id'), id: d.id, line });
    }
  }

  private date<K extends string>(f: Fields<K>, key: K): string | null {
    const value = this.text(f, key, false);
    if (value === null) return null;
    if (!DATE_SHAPE.test(value)) this.issue(this.valueOff(f, key), 'seed.date.format', { path: join(f.path, key), value });
    else if (!isIsoDate(value)) this.issue(this.valueOff(f, key), 'seed.date.notReal', { path: join(f.path, key), value });
    return value;
  }

  private version(f: Fields<(typeof ROOT_KEYS)[number]>): 1 | null {
    const i = f.at.version;
    if (i < 0) {
      this.issue(f.map.off, 'seed.version.missing');
      return null;
    }
    const raw = f.map.values[i] as YNode;
    const v = this.deref(raw);
    if (v.kind === 'scalar' && !v.isNull) {
      const intLike = (v.style === 'plain' && v.tag === null) || v.tag === 'int';
      if (intLike && INT_ONE.test(v.value)) return 1;
    }
    const value = v.kind !== 'scalar' ? (v.kind === 'seq' ? '[…]' : '{…}') : v.isNull ? 'null' : v.style === 'plain' ? v.value : JSON.stringify(v.value);
    const off = v.kind === 'scalar' && v.isNull ? (f.map.keys[i] as YNode).off : raw.off;
    this.issue(off, 'seed.version.unsupported', { value: value.length > 40 ? value.slice(0, 40) + '…' : value });
    return null;
  }

  // ---- the parts of a seed ----------------------------------------------------------------

  private report(root: Fields<(typeof ROOT_KEYS)[number]>): ReportInfo | null {
    const i = root.at.report;
    if (i < 0) {
      this.issue(root.map.off, 'seed.required', { path: 'report' });
      return null;
    }
    const raw = root.map.values[i] as YNode;
    const v = this.deref(raw);
    if (v.kind !== 'map') {
      if (v.kind === 'scalar' && v.isNull) this.issue((root.map.keys[i] as YNode).off, 'seed.emptyValue', { path: 'report' });
      else this.issue(raw.off, 'seed.expectedMap', { path: 'report' });
      return null;
    }
    const f = this.fields(v, 'report', REPORT_KEYS);
    const title = this.text(f, 'title', true);
    const unit = this.text(f, 'unit', false);
    const date = this.date(f, 'date');
    return title === null ? null : { title, unit, date };
  }

  private area(m: YMap, path: string): Area {
    const f = this.fields(m, path, AREA_KEYS);
    const id = this.id(f, 'area');
    const name = this.text(f, 'name', true) ?? '';
    const problems = this.list(f, 'problems', true, (pm, pp) => this.problem(pm, pp));
    return { id, name, problems };
  }

  private problem(m: YMap, path: string): Problem {
    const f = this.fields(m, path, PROBLEM_KEYS);
    const id = this.id(f, 'problem');
    return { id, title: this.text(f, 'title', true) ?? '', detail: this.text(f, 'detail', false) };
  }

  private cause(m: YMap, path: string): Cause {
    const f = this.fields(m, path, CAUSE_KEYS);
    const id = this.id(f, 'cause');
    return { id, title: this.text(f, 'title', true) ?? '', detail: this.text(f, 'detail', false) };
  }

  private measure(m: YMap, path: string): Measure {
    const f = this.fields(m, path, MEASURE_KEYS);
    const id = this.id(f, 'measure');
    const title = this.text(f, 'title', true) ?? '';
    const detail = this.text(f, 'detail', false);
    const items = this.list(f, 'items', true, (im, ip) => this.item(im, ip));
    return { id, title, detail, items };
  }

  private item(m: YMap, path: string): SeedItem {
    const f = this.fields(m, path, ITEM_KEYS);
    const id = this.id(f, 'item');
    const title = this.text(f, 'title', true) ?? '';
    if (title.includes('\n')) this.issue(this.valueOff(f, 'title'), 'seed.title.oneLine', { path: join(path, 'title') });
    const detail = this.text(f, 'detail', false);
    const addresses = this.addresses(f);
    const owner = this.text(f, 'owner', false);
    const department = this.text(f, 'department', false);
    const due = this.date(f, 'due');
    const term = this.term(f);
    return { id, title, detail, addresses, owner, department, due, term };
  }

  private term(f: Fields<(typeof ITEM_KEYS)[number]>): Term {
    const value = this.text(f, 'term', false);
    if (value === null) return DEFAULT_TERM;
    const lower = value.toLowerCase();
    const term = TERMS.find((t) => t === lower);
    if (term) return term;
    this.issue(this.valueOff(f, 'term'), 'seed.term.invalid', { path: join(f.path, 'term'), value });
    return DEFAULT_TERM;
  }

  private addresses(f: Fields<(typeof ITEM_KEYS)[number]>): string[] {
    const list: string[] = [];
    const i = f.at.addresses;
    if (i < 0) return list;
    const raw = f.map.values[i] as YNode;
    const v = this.deref(raw);
    if (v.kind === 'scalar') {
      if (!v.isNull) this.issue(raw.off, 'seed.addresses.notList', { path: join(f.path, 'addresses'), value: v.value.trim() });
      return list;
    }
    if (v.kind !== 'seq') {
      this.issue(raw.off, 'seed.expectedList', { path: join(f.path, 'addresses') });
      return list;
    }
    for (let n = 0; n < v.items.length; n++) {
      const entry = v.items[n] as YNode;
      const e = this.deref(entry);
      if (e.kind !== 'scalar') {
        this.issue(entry.off, 'seed.expectedText', { path: `${f.path}.addresses[${n}]` });
        continue;
      }
      const text = e.isNull ? '' : this.scalarText(e, entry.off);
      if (text === '') {
        this.issue(entry.off, 'seed.emptyValue', { path: `${f.path}.addresses[${n}]` });
        continue;
      }
      this.refs.push({ list, index: list.length, entry: n, off: entry.off, path: f.path });
      list.push(text);
    }
    return list;
  }

  /** Addresses may name problems defined anywhere in the file: resolved once all are known,
   *  stored as the problem's id is spelled, each problem once. */
  private resolveAddresses(): void {
    for (const r of this.refs) {
      const text = r.list[r.index] as string;
      const def = this.exact.get(text) ?? this.ids.get(text.toLowerCase());
      if (def && def.kind === 'problem') r.list[r.index] = def.id;
      else {
        const path = `${r.path}.addresses[${r.entry}]`;
        this.issue(r.off, def ? 'seed.addresses.notProblem' : 'seed.addresses.unknown', { path, id: text });
      }
    }
    // The same problem named twice (perhaps spelt differently) is kept once.
    let last: string[] | null = null;
    for (const r of this.refs) {
      if (r.list === last || r.list.length < 2) continue;
      last = r.list;
      const unique = r.list.length > 16 ? [...new Set(r.list)] : r.list.filter((id, i) => r.list.indexOf(id) === i);
      if (unique.length !== r.list.length) r.list.splice(0, r.list.length, ...unique);
    }
  }
}

/** A likely intended key for a misspelt one: same letters but case, or at most two edits. */
function suggest(name: string, allowed: readonly string[]): string | null {
  const lower = name.toLowerCase();
  let best: string | null = null;
  let bestD = 3;
  for (const a of allowed) {
    if (a === lower) return a;
    const d = distance(lower, a);
    if (d < bestD && d < a.length / 2 + 1) {
      best = a;
      bestD = d;
    }
  }
  return best;
}

function distance(a: string, b: string): number {
  if (Math.abs(a.length - b.length) > 2) return 3;
  // Optimal string alignment: insertions, deletions, substitutions and adjacent swaps.
  const d: number[][] = [];
  for (let i = 0; i <= a.length; i++) d.push([i]);
  for (let j = 1; j <= b.length; j++) (d[0] as number[])[j] = j;
  for (let i = 1; i <= a.length; i++) {
    const row = d[i] as number[];
    const up = d[i - 1] as number[];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min((up[j] as number) + 1, (row[j - 1] as number) + 1, (up[j - 1] as number) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        v = Math.min(v, ((d[i - 2] as number[])[j - 2] as number) + 1);
      }
      row[j] = v;
    }
  }
  return (d[a.length] as number[])[b.length] as number;
}
