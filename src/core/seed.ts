// Loading a seed (docs/seed-format.md): bytes → checked UTF-8 text → a YAML
// document read by the `yaml` package's own parser (parseAllDocuments, with a LineCounter for
// positions) → small nodes that keep their source offsets → a validated Seed, or every problem
// found, each with its position.
//
// What the parser cannot be trusted with is checked before it runs: the size of the text (a
// YAML seed is for people; machines write JSON Lines, core/jsonl.ts) and how deeply lists and
// mappings nest (the parser recurses once per level).
import { LineCounter, isAlias, isMap, isScalar, isSeq, parseAllDocuments } from 'yaml';
import { ID_PATTERN } from './ids.js';
import { isIsoDate } from './dates.js';
import { TEXT_LIMITS } from './items.js';
import type { Area, Cause, Measure, Problem, ReportInfo, Seed, SeedItem } from './types.js';
import { DEFAULT_TERM, TERMS, type Term } from './vocab.js';
import {
  MAX_ISSUES, Positions, badCharInValue, codePointName, decodeUtf8, findForbidden, suggest,
  type SeedIssue, type SeedMessageKey,
} from './seed-text.js';

export { seedToYaml } from './seed-write.js';
export { MAX_ISSUES };
export type { SeedIssue, SeedMessageKey };

export type SeedResult = { ok: true; seed: Seed } | { ok: false; issues: SeedIssue[]; total: number };

/** Aliases may expand to this many nodes beyond the size of the document itself. */
export const ALIAS_EXPANSION_LIMIT = 10_000;
/** The largest YAML seed read: far beyond what a person writes (a big real report is well
 *  under 1 MB; 5,000 items with long details are 3.6 MB and load in about 2 s). The yaml
 *  package holds some 60 bytes of memory per byte of text (16 MB took 11 s and 680 MB), so
 *  larger ones are refused before they are read, with a hint to use JSON Lines. */
export const YAML_MAX_BYTES = 8 * 1048576;
/** Lists and mappings nested deeper than this are refused before the parser sees them (a seed
 *  needs five levels; the parser's recursion overflows the stack some thousands deep). */
export const MAX_NESTING = 100;

/** The longest text of each field of a seed, in characters: the command line's limits. */
const LENGTH_LIMITS = {
  title: TEXT_LIMITS.title,
  name: TEXT_LIMITS.title,
  unit: TEXT_LIMITS.title,
  detail: TEXT_LIMITS.detail,
  owner: TEXT_LIMITS.owner,
  department: TEXT_LIMITS.department,
} as const;

function codePoints(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0xdc00 || c > 0xdfff || i === 0 || s.charCodeAt(i - 1) < 0xd800 || s.charCodeAt(i - 1) > 0xdbff) n++;
  }
  return n;
}

export interface RawIssue {
  off: number;
  key: SeedMessageKey;
  params: Record<string, string | number>;
}

// ---- the nodes the rules are checked on -----------------------------------------------------

/** The tag a node carries, normalised; null when it has none. `!` is the non-specific tag
 *  (it makes a plain scalar a string). */
export type NodeTag = 'str' | 'int' | 'float' | 'bool' | 'null' | 'map' | 'seq' | '!' | null;

export interface YScalar {
  kind: 'scalar';
  off: number;
  style: 'plain' | 'single' | 'double' | 'block';
  /** The text as written, lines folded and escapes resolved (never a number or a boolean). */
  value: string;
  /** A plain empty, `~` or `null` (or a `!!null`), with no tag making it a string. */
  isNull: boolean;
  tag: NodeTag;
  size?: number;
}
export interface YMap {
  kind: 'map';
  off: number;
  keys: YNode[];
  values: YNode[];
  tag: NodeTag;
  size?: number;
}
export interface YSeq {
  kind: 'seq';
  off: number;
  items: YNode[];
  tag: NodeTag;
  size?: number;
}
export interface YAlias {
  kind: 'alias';
  off: number;
  name: string;
  target: YNode;
  size?: number;
}
export type YNode = YScalar | YMap | YSeq | YAlias;
type Resolved = Exclude<YNode, { kind: 'alias' }>;

const STANDARD_TAGS: Record<string, NodeTag> = {
  'tag:yaml.org,2002:str': 'str', 'tag:yaml.org,2002:int': 'int', 'tag:yaml.org,2002:float': 'float',
  'tag:yaml.org,2002:bool': 'bool', 'tag:yaml.org,2002:null': 'null', 'tag:yaml.org,2002:map': 'map',
  'tag:yaml.org,2002:seq': 'seq', '!': '!',
};
const STYLES: Record<string, YScalar['style']> = {
  PLAIN: 'plain', QUOTE_SINGLE: 'single', QUOTE_DOUBLE: 'double', BLOCK_LITERAL: 'block', BLOCK_FOLDED: 'block',
};

/** Nodes in a subtree, aliases counted as the subtree they stand for (memoised). */
export function subtreeSize(node: YNode): number {
  if (node.size !== undefined) return node.size;
  let n = 1;
  if (node.kind === 'map') {
    for (const k of node.keys) n += subtreeSize(k);
    for (const v of node.values) n += subtreeSize(v);
  } else if (node.kind === 'seq') {
    for (const i of node.items) n += subtreeSize(i);
  } else if (node.kind === 'alias') n = subtreeSize(node.target);
  node.size = n;
  return n;
}

/** The yaml package's nodes made into ours: offsets, folded source text, normalised tags.
 *  Recursion is bounded: nesting was checked before parsing. */
class Converter {
  /** Nodes made, aliases once each: the base of the alias budget. */
  count = 0;
  private readonly made = new Map<object, YNode>();
  /** The node each anchor names so far: an alias names the latest one before it. */
  private readonly anchors = new Map<string, unknown>();
  constructor(
    private readonly issue: (off: number, key: SeedMessageKey, params?: Record<string, string | number>) => void,
  ) {}

  node(n: unknown, at: number): YNode {
    const out = this.make(n, at);
    // Registered once the node is complete, so that an alias inside it cannot name it.
    const anchor = (n as { anchor?: string } | null)?.anchor;
    if (anchor && !isAlias(n)) this.anchors.set(anchor, n);
    return out;
  }

  private make(n: unknown, at: number): YNode {
    if (n === null || n === undefined) return { kind: 'scalar', off: at, style: 'plain', value: '', isNull: true, tag: null, size: 1 };
    // Only anchored nodes can be reached twice (through an alias): only they are remembered.
    const anchored = Boolean((n as { anchor?: string }).anchor);
    const known = anchored ? this.made.get(n as object) : undefined;
    if (known) return known;
    this.count++;
    let out: YNode;
    if (isAlias(n)) {
      const off = n.range?.[0] ?? at;
      // Anchors are looked up as the document is walked, in order (yaml's Alias.resolve walks
      // the whole document for each alias: quadratic on a seed full of them).
      const target = this.anchors.get(n.source);
      if (!target) {
        this.issue(off, 'seed.yaml.unknownAlias', { name: n.source });
        out = { kind: 'scalar', off, style: 'plain', value: '', isNull: true, tag: null };
      } else out = { kind: 'alias', off, name: n.source, target: this.node(target, off) };
    } else if (isScalar(n)) {
      const tag = this.tag(n.tag);
      const value = typeof n.source === 'string' ? n.source : n.value === null || n.value === undefined ? '' : String(n.value);
      out = {
        kind: 'scalar', off: n.range?.[0] ?? at, style: STYLES[n.type ?? 'PLAIN'] ?? 'plain', value,
        isNull: n.value === null, tag,
      };
    } else if (isMap(n)) {
      const off = n.range?.[0] ?? at;
      const map: YMap = { kind: 'map', off, keys: [], values: [], tag: this.tag(n.tag) };
      if (anchored) this.made.set(n, map);
      for (const pair of n.items) {
        const keyAt = rangeStart(pair.key) ?? rangeStart(pair.value) ?? off;
        map.keys.push(this.node(pair.key, keyAt));
        map.values.push(this.node(pair.value, keyAt));
      }
      return map;
    } else if (isSeq(n)) {
      const off = n.range?.[0] ?? at;
      const seq: YSeq = { kind: 'seq', off, items: [], tag: this.tag(n.tag) };
      if (anchored) this.made.set(n, seq);
      for (const item of n.items) seq.items.push(this.node(item, rangeStart(item) ?? off));
      return seq;
    } else {
      out = { kind: 'scalar', off: at, style: 'plain', value: '', isNull: true, tag: null };
    }
    if (anchored) this.made.set(n as object, out);
    return out;
  }

  private tag(tag: string | undefined): NodeTag {
    if (tag === undefined) return null;
    return STANDARD_TAGS[tag] ?? null;
  }
}

function rangeStart(n: unknown): number | undefined {
  return (n as { range?: [number, number, number] } | null)?.range?.[0];
}

// ---- what the text is checked for before the parser sees it ---------------------------------

/** A line that starts a node of its own: a list entry, a key, an explicit key, a flow
 *  collection, an anchor, tag or alias. */
const STARTS_NODE = /^(?:-(?:\s|$)|\?(?:\s|$)|[[{&!*|>]|[^#]*?:(?:\s|$))/;

/** The offset where lists and mappings first nest deeper than `max`, or -1. Flow brackets
 *  outside quotes and comments count one level each; in block style, each more-indented line
 *  and each "- " opens a level (block scalars' text is skipped). An estimate that errs on the
 *  side of counting too many levels only far past any real seed. */
export function tooDeep(text: string, max: number): number {
  const stack: number[] = [];
  let blockScalar = -1;
  let pos = 0;
  const n = text.length;
  while (pos < n) {
    let end = text.indexOf('\n', pos);
    if (end < 0) end = n;
    let i = pos;
    while (i < end && text.charCodeAt(i) === 0x20) i++;
    const indent = i - pos;
    const blank = i >= end || text[i] === '#' || text[i] === '\r';
    if (blockScalar >= 0) {
      if (blank || indent > blockScalar) {
        pos = end + 1;
        continue;
      }
      blockScalar = -1;
    }
    if (blank) {
      pos = end + 1;
      continue;
    }
    // A line that starts no node (the next line of a plain text running on, however it is
    // indented) opens no level.
    if (!STARTS_NODE.test(text.slice(i, Math.min(end, i + 200)))) {
      pos = end + 1;
      continue;
    }
    while (stack.length > 0 && stack[stack.length - 1]! >= indent) stack.pop();
    stack.push(indent);
    // Sequence entries on one line: "- - - x".
    let col = indent;
    while (i < end && text[i] === '-' && (i + 1 === end || text[i + 1] === ' ')) {
      i = Math.min(i + 2, end);
      col += 2;
      while (i < end && text[i] === ' ') {
        i++;
        col++;
      }
      stack.push(col);
    }
    if (stack.length > max) return i < end ? i : pos;
    // Flow collections and quotes on the rest of the line (a flow collection may span lines:
    // its depth carries over).
    const r = flowDepth(text, i, max - stack.length);
    if (r.deep >= 0) return r.deep;
    if (r.next > end) {
      pos = r.next;
      continue;
    }
    // A block scalar header ends the line: its text follows, more indented.
    const line = text.slice(i, end).replace(/\s+#.*$/, '').trimEnd();
    if (/(^|[:\-]\s+|^)[|>][0-9+-]*$/.test(line) || /[:]\s+[|>][0-9+-]*$/.test(line)) blockScalar = indent;
    pos = end + 1;
  }
  return -1;
}

/** Flow brackets from `from`: stops at the line's end when nothing is open, else at the end of
 *  the outermost collection. `deep` is where the depth first passes `max`. */
function flowDepth(text: string, from: number, max: number): { deep: number; next: number } {
  let depth = 0;
  let i = from;
  const n = text.length;
  let prev = ' ';
  while (i < n) {
    const c = text[i]!;
    if (c === '\n' && depth === 0) return { deep: -1, next: i };
    if (c === '#' && (prev === ' ' || prev === '\t' || prev === '\n')) {
      const e = text.indexOf('\n', i);
      if (depth === 0) return { deep: -1, next: e < 0 ? n : e };
      i = e < 0 ? n : e;
      continue;
    }
    if ((c === '"' || c === "'") && /[\s[{,:]/.test(prev)) {
      // A quoted scalar: skip to its closing quote.
      let j = i + 1;
      while (j < n) {
        const d = text[j]!;
        if (c === '"' && d === '\\') j += 2;
        else if (d === c) {
          if (c === "'" && text[j + 1] === "'") j += 2;
          else break;
        } else j++;
      }
      i = j + 1;
      prev = c;
      continue;
    }
    if (c === '[' || c === '{') {
      depth++;
      if (depth > max) return { deep: i, next: i };
    } else if ((c === ']' || c === '}') && depth > 0) {
      depth--;
      if (depth === 0) {
        const e = text.indexOf('\n', i);
        return { deep: -1, next: e < 0 ? n : e };
      }
    }
    prev = c;
    i++;
  }
  return { deep: -1, next: n };
}

// ---- YAML's own problems, by the parser's error codes ---------------------------------------

function shown(s: string): string {
  const one = s.split('\n', 1)[0] as string;
  return one.length > 20 ? one.slice(0, 20) + '…' : one;
}

/** Where a quoted scalar opens that is still open at `before` (quotes open only where a
 *  scalar may start: after white space, "[", "{", ",", ":"), or -1. */
function openQuote(text: string, before: number): number {
  let i = 0;
  let prev = '\n';
  while (i < before) {
    const c = text[i]!;
    if (c === '#' && (prev === ' ' || prev === '\t' || prev === '\n')) {
      const e = text.indexOf('\n', i);
      if (e < 0 || e >= before) return -1;
      i = e;
      prev = '\n';
      continue;
    }
    if ((c === '"' || c === "'") && /[\s[{,:]/.test(prev)) {
      let j = i + 1;
      for (;;) {
        if (j >= before) return i;
        const d = text[j]!;
        if (c === '"' && d === '\\') j += 2;
        else if (d === c) {
          if (c === "'" && text[j + 1] === "'") j += 2;
          else break;
        } else j++;
      }
      i = j + 1;
      prev = c;
      continue;
    }
    prev = c;
    i++;
  }
  return -1;
}

/** The flow collections around `pos`: the innermost one open there (-1 if none), whether it
 *  is closed later, the first closing bracket of the wrong kind, and the outermost collection
 *  left open (a line indented no more than the block line it began on ends it). */
function openFlow(text: string, pos: number): { open: number; closed: boolean; mismatch: number; unclosed: number } {
  const stack: number[] = [];
  let enclosing = -1;
  let reached = false;
  let i = 0;
  let prev = '\n';
  const n = text.length;
  while (i < n) {
    if (!reached && i >= pos) {
      reached = true;
      enclosing = stack.length > 0 ? stack[stack.length - 1]! : -1;
      if (enclosing < 0) return { open: -1, closed: false, mismatch: -1, unclosed: -1 };
    }
    const c = text[i]!;
    if (c === '#' && (prev === ' ' || prev === '\t' || prev === '\n')) {
      const e = text.indexOf('\n', i);
      i = e < 0 ? n : e;
      prev = ' ';
      continue;
    }
    if ((c === '"' || c === "'") && /[\s[{,:]/.test(prev)) {
      let j = i + 1;
      while (j < n) {
        const d = text[j]!;
        if (c === '"' && d === '\\') j += 2;
        else if (d === c) {
          if (c === "'" && text[j + 1] === "'") j += 2;
          else break;
        } else j++;
      }
      i = j + 1;
      prev = c;
      continue;
    }
    if (c === '[' || c === '{') stack.push(i);
    else if (c === ']' || c === '}') {
      const top = stack.pop();
      if (top !== undefined && (text[top] === '[') !== (c === ']')) return { open: top, closed: false, mismatch: i, unclosed: -1 };
      if (reached && top === enclosing) return { open: enclosing, closed: true, mismatch: -1, unclosed: -1 };
    } else if (c === '\n' && stack.length > 0) {
      let k = i + 1;
      while (text[k] === ' ') k++;
      const lineStart = text.lastIndexOf('\n', stack[0]! - 1) + 1;
      let indent = lineStart;
      while (text[indent] === ' ') indent++;
      const next = text[k];
      if (next !== undefined && k - (i + 1) <= indent - lineStart && next !== ']' && next !== '}' && next !== '\n' && next !== '#') {
        // Cut off by this line: the error is about it when it lies on this line or later.
        const lineEnd = text.indexOf('\n', i + 1);
        if (reached || pos <= (lineEnd < 0 ? n : lineEnd)) {
          return { open: reached ? enclosing : stack[stack.length - 1]!, closed: false, mismatch: -1, unclosed: stack[stack.length - 1]! };
        }
        stack.length = 0;
      }
    }
    prev = c;
    i++;
  }
  const top = stack.length > 0 ? stack[stack.length - 1]! : -1;
  return { open: reached ? enclosing : top, closed: false, mismatch: -1, unclosed: top };
}

function lineStartOf(text: string, pos: number): number {
  return text.lastIndexOf('\n', pos - 1) + 1;
}

/** Our message for one of the parser's errors or warnings: by its documented code, made
 *  precise from the source around it (never from the wording of yaml's messages). */
function yamlIssue(text: string, code: string, pos: number): RawIssue | null {
  const at = text.slice(pos, pos + 40);
  const ls = lineStartOf(text, pos);
  const lineHead = text.slice(ls, pos);
  let firstChar = ls;
  while (text[firstChar] === ' ') firstChar++;
  const flowIssue = (): RawIssue | null => {
    const f = openFlow(text, pos);
    if (f.mismatch >= 0) {
      const open = text[f.open];
      return { off: f.mismatch, key: 'seed.yaml.flowMismatch', params: { expected: open === '[' ? ']' : '}', found: text[f.mismatch]! } };
    }
    if (f.unclosed >= 0) return { off: f.unclosed, key: 'seed.yaml.unclosedFlow', params: { open: text[f.unclosed]! } };
    if (f.open >= 0 && f.closed) return { off: pos, key: 'seed.yaml.flowComma', params: { close: text[f.open] === '[' ? ']' : '}' } };
    return null;
  };
  switch (code) {
    case 'TAB_AS_INDENT':
      return { off: ls, key: 'seed.yaml.tabIndent', params: {} };
    case 'BAD_INDENT':
      return flowIssue() ?? { off: firstChar, key: 'seed.yaml.badIndent', params: {} };
    case 'BAD_DQ_ESCAPE': {
      const m = /^\\(x[0-9a-fA-F]{0,2}|u[0-9a-fA-F]{0,4}|U[0-9a-fA-F]{0,8}|.?)/su.exec(at);
      return { off: pos, key: 'seed.yaml.badEscape', params: { escape: m ? m[0] : '\\' } };
    }
    case 'BAD_SCALAR_START':
      return { off: pos, key: 'seed.yaml.badPlainStart', params: { char: at.slice(0, 1) } };
    case 'MULTIPLE_DOCS':
      return { off: pos, key: 'seed.yaml.multipleDocuments', params: {} };
    case 'MULTIPLE_ANCHORS':
      return { off: pos, key: 'seed.yaml.twoAnchors', params: {} };
    case 'MULTIPLE_TAGS':
      return { off: pos, key: 'seed.yaml.twoTags', params: {} };
    case 'ALIAS_PROPS': {
      // At the first property (&anchor or !tag) before the alias.
      const m = /(?:[&!]\S*\s+)+\*?[^\s]*$/.exec(text.slice(ls, pos + 1));
      return { off: m ? ls + m.index : pos, key: 'seed.yaml.aliasProperties', params: {} };
    }
    case 'BAD_ALIAS':
      return { off: pos, key: 'seed.yaml.unknownAlias', params: { name: shown(at.replace(/^\*/, '').split(/[\s,\]}]/)[0] ?? '') } };
    case 'BAD_DIRECTIVE':
      return { off: ls, key: 'seed.yaml.directive', params: { directive: shown(text.slice(ls, text.indexOf('\n', ls) < 0 ? undefined : text.indexOf('\n', ls))) } };
    case 'TAG_RESOLVE_FAILED':
    case 'BAD_COLLECTION_TYPE': {
      const tag = /^!\S*/.exec(at)?.[0];
      if (tag && (tag.startsWith('!!') && ['str', 'int', 'float', 'bool', 'null', 'map', 'seq'].includes(tag.slice(2)))) {
        return { off: pos, key: 'seed.yaml.tagMismatch', params: { tag } };
      }
      return { off: pos, key: 'seed.yaml.tag', params: { tag: shown(tag ?? at.split(/\s/)[0] ?? '') } };
    }
    case 'MULTILINE_IMPLICIT_KEY':
    case 'KEY_OVER_1024_CHARS':
      // A plain text line with no ":" reads as a key running on; a quoted key over lines is one.
      return { off: pos, key: at[0] === '"' || at[0] === "'" ? 'seed.yaml.multilineKey' : 'seed.yaml.missingColon', params: {} };
    case 'BLOCK_AS_IMPLICIT_KEY':
      if (/^-(\s|$)/.test(at)) return { off: pos, key: 'seed.yaml.seqInMap', params: {} };
      return { off: pos, key: 'seed.yaml.nestedMap', params: {} };
    case 'UNEXPECTED_TOKEN': {
      if (/^-(\s|$)/.test(at) && /:\s*$/.test(lineHead)) return { off: pos, key: 'seed.yaml.seqOnKeyLine', params: {} };
      if (/[|>][0-9+-]*$/.test(lineHead)) return { off: pos, key: 'seed.yaml.blockScalarHeader', params: {} };
      return flowIssue() ?? { off: pos, key: 'seed.yaml.unexpected', params: { token: shown(at.trimEnd()) || ' ' } };
    }
    case 'MISSING_CHAR': {
      const quote = openQuote(text, pos);
      if (quote >= 0) return { off: quote, key: 'seed.yaml.unclosedQuote', params: {} };
      if (at[0] === '#' && pos > ls && !/\s/.test(text[pos - 1]!)) return { off: pos, key: 'seed.yaml.spaceBeforeComment', params: {} };
      if (/^---\s/.test(text.slice(ls))) return { off: pos, key: 'seed.yaml.blockOnDocStart', params: {} };
      if (/^[&!]\S*\s+-(\s|$)/.test(at)) return { off: pos, key: 'seed.yaml.seqProps', params: {} };
      if (/^-(\s|$)/.test(at) && /(^|\s)[&!]\S*\s*$/.test(lineHead)) return { off: firstChar, key: 'seed.yaml.seqProps', params: {} };
      if (/[&!]\S*$/.test(lineHead)) return { off: pos, key: 'seed.yaml.spaceAfterProperty', params: {} };
      if (pos === ls && ls > 0 && /^%/.test(text.slice(lineStartOf(text, ls - 1)))) {
        return { off: pos, key: 'seed.yaml.directivesEnd', params: {} };
      }
      const flow = flowIssue();
      if (flow) return flow;
      if (pos <= firstChar) return { off: firstChar, key: 'seed.yaml.badIndent', params: {} };
      return { off: pos, key: 'seed.yaml.missingColon', params: {} };
    }
    case 'BLOCK_IN_FLOW':
      return flowIssue() ?? { off: pos, key: 'seed.yaml.unexpected', params: { token: shown(at.trimEnd()) || ' ' } };
    case 'DUPLICATE_KEY':
    case 'NON_STRING_KEY':
      return null; // the seed's own rules say it better
    default:
      return { off: pos, key: 'seed.yaml.unexpected', params: { token: shown(at.trimEnd()) || ' ' } };
  }
}

/** One message per broken region: the parser often reports a mistake several times over the
 *  lines it upsets (the rest of a list, a mapping), and the first is the one to fix. A region
 *  ends where the next top-level key (a line starting in column 1) begins. */
function firstPerRegion(text: string, issues: RawIssue[]): RawIssue[] {
  const sorted = issues.slice().sort((a, b) => a.off - b.off);
  const out: RawIssue[] = [];
  let regionEnd = -1;
  for (const i of sorted) {
    if (i.off < regionEnd && i.key !== 'seed.yaml.multipleDocuments') continue;
    out.push(i);
    regionEnd = text.length;
    const top = /\n(?=[^\s#])/g;
    top.lastIndex = i.off;
    const m = top.exec(text);
    if (m) regionEnd = m.index + 1;
  }
  return out;
}

// ---- loading ---------------------------------------------------------------------------------

/** The shares of loadSeed's time (a CPU profile at 11,000 items, 8 MB): the YAML read (its
 *  lines counted as the lexer passes them), yaml's composing of the document (at once), the
 *  seed built from it (its items counted). */
const LOAD_STEPS = { parse: 0.45, compose: 0.25 };

/** bytes: the file's raw content. Checks UTF-8 itself (a leading BOM is accepted and skipped).
 *  `onProgress`: how far the work is (0 to 1), for a progress bar; called a few hundred times. */
export function loadSeed(bytes: Uint8Array, onProgress?: (fraction: number) => void): SeedResult {
  if (bytes.length > YAML_MAX_BYTES) {
    return fail([{ off: 0, key: 'seed.tooLarge', params: { mb: Math.round(bytes.length / 1048576), max: YAML_MAX_BYTES / 1048576 } }], new Positions(''));
  }
  const decoded = decodeUtf8(bytes);
  if (!decoded.ok && 'tooLarge' in decoded) {
    return fail([{ off: 0, key: 'seed.tooLarge', params: { mb: Math.round(bytes.length / 1048576), max: YAML_MAX_BYTES / 1048576 } }], new Positions(''));
  }
  if (!decoded.ok) {
    const byte = decoded.byte.toString(16).toUpperCase().padStart(2, '0');
    return { ok: false, issues: [{ line: decoded.line, column: decoded.column, key: 'seed.utf8', params: { byte } }], total: 1 };
  }
  // One byte order mark is dropped by the decoder; a second one is a mistake of the editor
  // that saved the file, not YAML.
  if (decoded.text.charCodeAt(0) === 0xfeff) {
    return { ok: false, issues: [{ line: 1, column: 1, key: 'seed.bom', params: {} }], total: 1 };
  }
  const { found, clean } = findForbidden(decoded.text);
  const issues: RawIssue[] = found.map((f) => ({ off: f.offset, key: 'seed.controlChar', params: { code: codePointName(f.code) } }));
  const lineCounter = new LineCounter();
  const positions = new Positions(clean, lineCounter);
  const through = (off: number) => off / Math.max(1, clean.length);
  if (onProgress) {
    // The lexer tells the line counter of every line it passes: that is how far the read is.
    const add = lineCounter.addNewLine;
    let lines = 0;
    lineCounter.addNewLine = (offset: number) => {
      if (++lines % 1024 === 0) onProgress(LOAD_STEPS.parse * through(offset));
      return add(offset);
    };
  }

  const deep = tooDeep(clean, MAX_NESTING);
  if (deep >= 0) return fail([...issues, { off: deep, key: 'seed.nesting', params: { max: MAX_NESTING } }], positions);

  const docs = parseAllDocuments(clean, { lineCounter, uniqueKeys: false, strict: true, prettyErrors: false });
  const list = Array.isArray(docs) ? docs : [];
  const syntax: RawIssue[] = [];
  for (const [n, doc] of list.entries()) {
    if (n === 1) {
      // A second document: where its "---" (or its content) starts.
      const start = doc.range[0];
      const dash = clean.lastIndexOf('---', start + 3);
      syntax.push({ off: dash >= 0 && dash >= (list[0]!.range[1] ?? 0) - 3 ? dash : start, key: 'seed.yaml.multipleDocuments', params: {} });
    }
    const reported = [...doc.errors, ...doc.warnings];
    for (const e of reported) {
      // A block collection in a flow one is what the parser makes of a missing comma: the
      // comma's own error says it better, when there is one.
      if (e.code === 'BLOCK_IN_FLOW' && reported.some((o) => o.code !== 'BLOCK_IN_FLOW')) continue;
      const issue = yamlIssue(clean, e.code, e.pos[0]);
      if (issue) syntax.push(issue);
    }
    if (n === 0) {
      for (const [handle, prefix] of Object.entries(doc.directives?.tags ?? {})) {
        if (handle === '!' && prefix === '!') continue;
        if (handle === '!!' && prefix === 'tag:yaml.org,2002:') continue;
        const off = clean.indexOf('%TAG');
        syntax.push({ off: off >= 0 ? off : 0, key: 'seed.yaml.directive', params: { directive: shown(clean.slice(off >= 0 ? off : 0)) } });
      }
    }
  }
  if (syntax.length > 0) return fail([...issues, ...firstPerRegion(clean, syntax)], positions);
  const doc = list[0];
  if (!doc || doc.contents === null || (isScalar(doc.contents) && doc.contents.value === null && !doc.contents.tag)) {
    return fail([...issues, { off: 0, key: 'seed.emptyFile', params: {} }], positions);
  }
  const built = LOAD_STEPS.parse + LOAD_STEPS.compose;
  onProgress?.(built);
  const builder = new Builder(positions, onProgress && ((off) => onProgress(built + (1 - built) * through(off))));
  const converter = new Converter((off, key, params = {}) => builder.issues.push({ off, key, params }));
  const root = converter.node(doc.contents, 0);
  builder.nodes = converter.count;
  let seed: Seed | null = null;
  if (builder.issues.length === 0) {
    try {
      seed = builder.build(root);
    } catch (e) {
      if (!(e instanceof AliasLimit)) throw e;
      builder.issues.push({ off: e.off, key: 'seed.yaml.aliasLimit', params: { limit: ALIAS_EXPANSION_LIMIT } });
    }
  }
  for (const issue of builder.issues) issues.push(issue);
  if (issues.length > 0 || seed === null) return fail(issues, positions);
  return { ok: true, seed };
}

function fail(raw: RawIssue[], positions: Positions): SeedResult {
  // Sorted by position (the sort is stable: same place, order found), the same message at the
  // same place only once (the same key with other words, "title is missing" after "id is
  // missing" of one mapping, is another message), and at most MAX_ISSUES of them; `total`
  // counts them all.
  const sorted = raw.slice().sort((a, b) => a.off - b.off);
  const unique: RawIssue[] = [];
  const seen = new Set<string>();
  let seenAt = -1;
  for (const i of sorted) {
    if (i.off !== seenAt) {
      seen.clear();
      seenAt = i.off;
    }
    const message = i.key + '\0' + JSON.stringify(i.params);
    if (seen.has(message)) continue;
    seen.add(message);
    unique.push(i);
  }
  const shownIssues = unique.slice(0, MAX_ISSUES);
  const issues: SeedIssue[] = shownIssues.map((i) => ({ ...positions.at(i.off), key: i.key, params: i.params }));
  if (unique.length > MAX_ISSUES) {
    const next = unique[MAX_ISSUES] as RawIssue;
    issues.push({ ...positions.at(next.off), key: 'seed.tooManyIssues', params: { count: unique.length - MAX_ISSUES } });
  }
  return { ok: false, issues, total: unique.length };
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
  /** Nodes in the document: aliases may add ALIAS_EXPANSION_LIMIT more. */
  nodes = 0;

  private built = 0;

  /** `onItem`: told the offset of every 256th item built. */
  constructor(private readonly positions: Positions, private readonly onItem?: (off: number) => void) {}

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
      if (m.kind !== 'map') this.issue(entry.off, 'seed.expectedMap', { path: `${join(f.path, key)}[${n}]` });
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
    const max = (LENGTH_LIMITS as Record<string, number | undefined>)[key];
    if (max !== undefined && s.length > max) {
      const length = codePoints(s);
      if (length > max) this.issue(raw.off, 'seed.tooLong', { path: join(f.path, key), max, length });
    }
    return s;
  }

  private scalarText(v: YScalar, at: number): string {
    // Raw control characters were reported (and replaced) before parsing; only an escape
    // ("\a", "\ud800") can still bring one in.
    if (v.style === 'double') {
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
    if (this.onItem && ++this.built % 256 === 0) this.onItem(m.off);
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

