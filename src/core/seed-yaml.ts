// A lean YAML reader for seeds. The `yaml` package's Document API, and even its CST Parser,
// hold a large seed's whole token tree: on a 100,000-item seed (68 MB) the Parser alone takes
// over 1 GiB and ten seconds or so. So we take only its Lexer, which splits the text into
// lexemes correctly and quickly, and build the block and flow structure ourselves into small
// nodes that keep their source offsets; an entry hook lets the loader turn each list entry into
// its domain value as soon as it is read, so no whole tree is ever held. Scalars are resolved
// with `CST.resolveAsScalar` when they need more than a slice of the source.
//
// The reader follows YAML 1.2 (core schema) and, for what is an error, the `yaml` package:
// tests/unit/seed-yaml.test.ts checks both against each other on generated input. It is
// stricter where yaml is lenient with mis-indented input. What is valid YAML but of no use in a
// seed (custom tags, %TAG, keys that are collections) is refused, here or by the loader, with
// a message saying so.
import { CST, Lexer } from 'yaml';
import type { enSeed } from '../i18n/en-seed.js';

type Key = keyof typeof enSeed;

export interface RawIssue {
  off: number;
  key: Key;
  params: Record<string, string | number>;
}

/** The tag a node carries, normalised; null when it has none. `!` is the non-specific tag
 *  (it makes a plain scalar a string). */
export type NodeTag = 'str' | 'int' | 'float' | 'bool' | 'null' | 'map' | 'seq' | '!' | null;

export interface YScalar {
  kind: 'scalar';
  off: number;
  /** plain, single-quoted, double-quoted, block */
  style: 'plain' | 'single' | 'double' | 'block';
  /** The resolved value; for a plain scalar, its source text with lines folded. */
  value: string;
  /** A plain empty, `~` or `null` (or a `!!null`), with no tag making it a string. */
  isNull: boolean;
  /** True when escapes may have put characters in the value that the source does not show. */
  escaped: boolean;
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
/** A list entry that the reader's entry hook has already turned into its domain value. */
export interface YDone {
  kind: 'done';
  off: number;
  value: unknown;
  size?: number;
}
export type YNode = YScalar | YMap | YSeq | YAlias | YDone;

/** Called when a block sequence entry that is a mapping is complete, with the keys and indices
 *  leading to it, unless an ancestor has an anchor (an alias could then reach the entry by
 *  another way), and the number of nodes read so far. A returned node replaces the entry, so
 *  its subtree need not be kept. */
export type EntryHook = (path: readonly (string | number)[], node: YMap, nodesSoFar: number) => YNode | null;

export interface ReadResult {
  /** The single document's root; null when the stream has no document or an empty one. */
  root: YNode | null;
  /** Whether the stream has a document at all (a file of comments has none). */
  hasDocument: boolean;
  issues: RawIssue[];
  /** Nodes built, aliases counted once: the base of the alias expansion budget. */
  nodeCount: number;
}

// Token kinds. Typed as number so that a comparison is not narrowed across `next()` calls.
const EOF: number = 0, DOC_MODE: number = 1, FLOW_ERR: number = 2, DOC_START: number = 3,
  DOC_END: number = 4, DIRECTIVE: number = 5, BOM: number = 6, SPACE: number = 7,
  COMMENT: number = 8, NEWLINE: number = 9, SEQ: number = 10, QKEY: number = 11,
  COLON: number = 12, MAP_OPEN: number = 13, MAP_CLOSE: number = 14, SEQ_OPEN: number = 15,
  SEQ_CLOSE: number = 16, COMMA: number = 17, ANCHOR: number = 18, TAG: number = 19,
  ALIAS: number = 20, PLAIN: number = 21, SINGLE: number = 22, DOUBLE: number = 23,
  BS_HEADER: number = 24, BS_BODY: number = 25, ERROR: number = 26;

function kindOf(s: string): number {
  switch (s) {
    case '\u0002': return DOC_MODE;
    case '\u0018': return FLOW_ERR;
    case '---': return DOC_START;
    case '...': return DOC_END;
    case '\n': case '\r\n': case '': return NEWLINE;
    case '-': return SEQ;
    case '?': return QKEY;
    case ':': return COLON;
    case '{': return MAP_OPEN;
    case '}': return MAP_CLOSE;
    case '[': return SEQ_OPEN;
    case ']': return SEQ_CLOSE;
    case ',': return COMMA;
    case '\ufeff': return BOM;
  }
  switch (s[0]) {
    case ' ': case '\t': return SPACE;
    case '#': return COMMENT;
    case '%': return DIRECTIVE;
    case '*': return ALIAS;
    case '&': return ANCHOR;
    case '!': return TAG;
    case "'": return SINGLE;
    case '"': return DOUBLE;
    case '|': case '>': return BS_HEADER;
  }
  return ERROR;
}

/** What a token looks like in a message. */
function shown(s: string): string {
  const one = s.split('\n', 1)[0] as string;
  return one.length > 20 ? one.slice(0, 20) + '…' : one;
}

const PLAIN_NULL = /^(?:~|[Nn]ull|NULL)?$/;
const CORE_INT = /^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$/;
const CORE_FLOAT = /^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$/;
const CORE_BOOL = /^(?:[Tt]rue|TRUE|[Ff]alse|FALSE)$/;
const STANDARD_TAGS: Record<string, NodeTag> = {
  str: 'str', int: 'int', float: 'float', bool: 'bool', null: 'null', map: 'map', seq: 'seq',
};

/** Pulls lexemes from the yaml Lexer and turns them into tokens with offsets, columns and
 *  "first on its line", checking the few things that are visible at this level. */
class Tokens {
  t = EOF;
  s = '';
  o = 0;
  /** Column in UTF-16 units from the line start: what indentation is compared with. */
  col = 0;
  /** No token other than white space precedes this one on its line. */
  first = true;
  /** Offset of a tab in the white space just before this token on its line, or -1. */
  tabBefore = -1;
  /** For a token first on its line: the spaces that indent it, up to any tab. */
  lead = 0;

  private readonly it: Iterator<string, void>;
  private pos = 0;
  private lineStart = 0;
  private lineHasContent = false;
  private scalarNext = false;
  private afterHeader = false;
  private flowDepth = 0;
  private pendingTab = -1;
  private leadSpaces = 0;
  private prevT = NEWLINE;

  constructor(text: string, private readonly report: (off: number, key: Key, params?: Record<string, string | number>) => void) {
    this.it = new Lexer().lex(text);
    this.next();
  }

  next(): void {
    for (;;) {
      const r = this.it.next();
      if (r.done) {
        this.set(EOF, '', this.pos);
        return;
      }
      const s = r.value;
      if (s === '\u001f') {
        this.scalarNext = true;
        continue;
      }
      let t: number;
      if (this.scalarNext) {
        this.scalarNext = false;
        t = this.afterHeader ? BS_BODY : PLAIN;
        this.afterHeader = false;
      } else t = kindOf(s);
      // The lexer's markers are not part of the source.
      const synthetic = t === DOC_MODE || t === FLOW_ERR;
      const o = this.pos;
      if (!synthetic) this.pos += s.length;
      this.set(t, s, o);
      return;
    }
  }

  private set(t: number, s: string, o: number): void {
    this.t = t;
    this.s = s;
    this.o = o;
    this.col = o - this.lineStart;
    this.first = !this.lineHasContent;
    if (t !== SPACE) {
      this.tabBefore = this.flowDepth === 0 ? this.pendingTab : -1;
      this.lead = this.leadSpaces;
      this.pendingTab = -1;
    }
    switch (t) {
      case NEWLINE:
        this.lineStart = this.pos;
        this.lineHasContent = false;
        this.leadSpaces = 0;
        break;
      case SPACE: {
        const tab = s.indexOf('\t');
        if (tab >= 0 && this.pendingTab < 0) this.pendingTab = o + tab;
        if (!this.lineHasContent && this.pendingTab < 0) this.leadSpaces += s.length;
        else if (!this.lineHasContent && tab > 0 && this.pendingTab === o + tab) this.leadSpaces += tab;
        break;
      }
      case DOC_MODE:
        this.flowDepth = 0;
        break;
      case FLOW_ERR:
        this.flowDepth = 0;
        break;
      case COMMENT:
        if (o > this.lineStart && this.prevT !== SPACE && this.prevT !== NEWLINE) {
          this.report(o, 'seed.yaml.spaceBeforeComment');
        }
        this.lineHasContent = true;
        break;
      default:
        if (t === EOF) break;
        this.lineHasContent = true;
        if (t === SEQ_OPEN || t === MAP_OPEN) this.flowDepth++;
        else if ((t === SEQ_CLOSE || t === MAP_CLOSE) && this.flowDepth > 0) this.flowDepth--;
        else if (t === BS_HEADER) this.afterHeader = true;
        else if (t === DOC_START || t === DOC_END) this.flowDepth = 0;
        if (t === PLAIN || t === SINGLE || t === DOUBLE || t === BS_BODY) {
          const nl = s.lastIndexOf('\n');
          if (nl >= 0) {
            this.lineStart = o + nl + 1;
            this.lineHasContent = nl !== s.length - 1;
          } else if (t === BS_BODY && s === '') {
            // An empty block scalar body sits at the start of the line after its header.
            this.lineHasContent = false;
          }
        }
    }
    if (t !== DOC_MODE && t !== FLOW_ERR) this.prevT = t;
  }
}

interface Props {
  anchor: string | null;
  anchorOff: number;
  tag: string | null;
  tagOff: number;
  /** Offset and column of the first property: where a node with these properties starts. */
  off: number;
  col: number;
  first: boolean;
  tabBefore: number;
}

type Ctx = 'doc' | 'map' | 'seq' | 'key';

/** Reads the YAML text of a seed into nodes. Stops at the first document's end: a second
 *  document is reported, not read. */
export function readYaml(text: string, onEntry?: EntryHook): ReadResult {
  return new Reader(text, onEntry).read();
}

class Reader {
  private readonly tk: Tokens;
  private readonly issues: RawIssue[] = [];
  private readonly anchors = new Map<string, YNode>();
  private nodeCount = 0;
  /** Set after an error the reader cannot recover from: the rest of the document is skipped. */
  private bailed = false;
  /** Keys and indices leading to the node being read. */
  private readonly path: (string | number)[] = [];
  /** How many nodes being read have an anchor. */
  private anchored = 0;
  /** Start of the last line reported for a tab in its indentation: nothing more is said about
   *  that line's indentation. */
  private tabLine = -1;

  constructor(text: string, private readonly onEntry: EntryHook | undefined) {
    this.tk = new Tokens(text, (off, key, params) => this.issue(off, key, params));
  }


  private issue(off: number, key: Key, params: Record<string, string | number> = {}): void {
    this.issues.push({ off, key, params });
  }

  read(): ReadResult {
    const tk = this.tk;
    let root: YNode | null = null;
    let docs = 0;
    /** Offset of a directive not yet followed by its document, or -1. */
    let directives = -1;
    for (;;) {
      switch (tk.t) {
        case EOF:
          if (directives !== -1) this.issue(directives, 'seed.yaml.directivesEnd');
          return { root, hasDocument: docs > 0, issues: this.issues, nodeCount: this.nodeCount };
        case SPACE: case COMMENT: case NEWLINE: case BOM: case DOC_END:
          tk.next();
          break;
        case DIRECTIVE:
          this.directive(tk.s, tk.o);
          if (directives === -1) directives = tk.o;
          tk.next();
          break;
        case DOC_MODE:
        case DOC_START: {
          if (tk.t === DOC_MODE) {
            tk.next();
            // `...` where no document is open ends an empty one, as the yaml package counts.
            if (tk.t === DOC_END) {
              docs++;
              if (docs > 1) {
                this.issue(tk.o, 'seed.yaml.multipleDocuments');
                return { root, hasDocument: true, issues: this.issues, nodeCount: this.nodeCount };
              }
              tk.next();
              break;
            }
            if (tk.t === EOF) break;
          }
          docs++;
          if (docs > 1) {
            this.issue(tk.o, 'seed.yaml.multipleDocuments');
            return { root, hasDocument: true, issues: this.issues, nodeCount: this.nodeCount };
          }
          const explicit = tk.t === DOC_START;
          if (directives !== -1 && !explicit) this.issue(tk.o, 'seed.yaml.directivesEnd');
          directives = -1;
          if (explicit) tk.next();
          root = this.blockNode(-1, 'doc');
          this.endOfDocument();
          break;
        }
        default:
          this.issue(tk.o, 'seed.yaml.unexpected', { token: shown(tk.s) });
          tk.next();
      }
    }
  }

  private directive(src: string, off: number): void {
    const m = /^%(\S+)\s*(.*)$/.exec(src);
    const name = m?.[1] ?? '';
    const arg = (m?.[2] ?? '').trim();
    if (name === 'YAML' && (arg === '1.1' || arg === '1.2')) return;
    this.issue(off, 'seed.yaml.directive', { directive: shown(src) });
  }

  /** After the root node: only comments, `...`, or the start of another document may follow. */
  private endOfDocument(): void {
    const tk = this.tk;
    let reported = this.bailed;
    for (;;) {
      this.skipWs();
      switch (tk.t) {
        case EOF: case DOC_START: case DOC_MODE:
          return;
        case DOC_END:
          tk.next();
          return;
        default:
          if (!reported) this.issue(tk.o, 'seed.yaml.unexpected', { token: shown(tk.s) });
          reported = true;
          tk.next();
      }
    }
  }

  /** Skips spaces, comments and line breaks. */
  private skipWs(): void {
    const tk = this.tk;
    while (tk.t === SPACE || tk.t === COMMENT || tk.t === NEWLINE) tk.next();
  }

  private skipSpaces(): void {
    while (this.tk.t === SPACE) this.tk.next();
  }

  private atDocBoundary(): boolean {
    const t = this.tk.t;
    return t === EOF || t === DOC_MODE || t === DOC_START || t === DOC_END;
  }

  /** Does the current token start content of a node whose parent collection is at column n? */
  private inBlock(n: number, ctx: Ctx): boolean {
    const tk = this.tk;
    if (this.bailed || this.atDocBoundary()) return false;
    if (!tk.first) return true;
    if (tk.tabBefore >= 0 && tk.lead <= Math.max(n, 0) && tk.col > n) {
      // Indented past its parent only thanks to a tab.
      this.tab(tk.tabBefore);
      return true;
    }
    if (tk.col > n) return true;
    return tk.col === n && ctx === 'map' && tk.t === SEQ;
  }

  /** A plain key that runs over two lines is almost always a `key value` line that lacks its
   *  colon, followed by the next key: say so. */
  private multilineKey(t: number, o: number): void {
    this.issue(o, t === PLAIN ? 'seed.yaml.missingColon' : 'seed.yaml.multilineKey');
  }

  /** Tabs may separate, but not indent a block collection or a node on its own line. */
  private tab(at: number): void {
    if (at < 0) return;
    this.issue(at, 'seed.yaml.tabIndent');
    this.tabLine = this.tk.o - this.tk.col;
  }

  private empty(off: number, props: Props | null = null): YScalar {
    this.nodeCount++;
    const node: YScalar = { kind: 'scalar', off, style: 'plain', value: '', isNull: true, escaped: false, tag: null };
    if (props) this.applyProps(node, props);
    return node;
  }

  /** Skips to the start of the next line after an error, past any block scalar or flow
   *  collection that starts on this one. */
  private skipLine(): void {
    const tk = this.tk;
    let header = false;
    let depth = 0;
    for (;;) {
      if (this.atDocBoundary()) return;
      const t = tk.t;
      if (t === BS_HEADER) header = true;
      else if (t === SEQ_OPEN || t === MAP_OPEN) depth++;
      else if (t === SEQ_CLOSE || t === MAP_CLOSE) depth = Math.max(0, depth - 1);
      else if (t === FLOW_ERR) depth = 0;
      tk.next();
      if ((t === NEWLINE && depth === 0) || t === BS_BODY) {
        if (header && tk.t === BS_BODY) {
          tk.next();
        }
        if (t === NEWLINE || tk.first) return;
      }
    }
  }

  // ---- properties -------------------------------------------------------------------------

  private readProps(): Props {
    const tk = this.tk;
    const p: Props = { anchor: null, anchorOff: -1, tag: null, tagOff: -1, off: tk.o, col: tk.col, first: tk.first, tabBefore: tk.tabBefore };
    while (tk.t === ANCHOR || tk.t === TAG) {
      if (tk.t === ANCHOR) {
        if (p.anchor !== null) this.issue(tk.o, 'seed.yaml.twoAnchors');
        p.anchor = tk.s.slice(1);
        p.anchorOff = tk.o;
        if (p.anchor === '') this.issue(tk.o, 'seed.yaml.unexpected', { token: '&' });
      } else {
        if (p.tag !== null) this.issue(tk.o, 'seed.yaml.twoTags');
        p.tag = tk.s;
        p.tagOff = tk.o;
      }
      const end = tk.o + tk.s.length;
      tk.next();
      if (tk.o === end && tk.t !== SPACE && tk.t !== NEWLINE && tk.t !== EOF && tk.t !== COMMA
        && tk.t !== SEQ_CLOSE && tk.t !== MAP_CLOSE) {
        this.issue(tk.o, 'seed.yaml.spaceAfterProperty');
      }
      this.skipSpaces();
    }
    return p;
  }

  private normaliseTag(tag: string, off: number): NodeTag {
    if (tag === '!') return '!';
    let name: string | null = null;
    if (tag.startsWith('!!')) name = tag.slice(2);
    else if (tag.startsWith('!<tag:yaml.org,2002:') && tag.endsWith('>')) name = tag.slice(20, -1);
    const known = name !== null && Object.prototype.hasOwnProperty.call(STANDARD_TAGS, name) ? STANDARD_TAGS[name] : undefined;
    if (known === undefined) {
      this.issue(off, 'seed.yaml.tag', { tag: shown(tag) });
      return null;
    }
    return known;
  }

  private applyProps(node: YNode, p: Props): void {
    if (node.kind === 'alias') {
      this.issue(p.off, 'seed.yaml.aliasProperties');
      return;
    }
    if (node.kind === 'done') return;
    if (p.tag !== null) {
      const tag = this.normaliseTag(p.tag, p.tagOff);
      if (tag !== null) this.setTag(node, tag, p);
    }
    if (p.anchor !== null && p.anchor !== '') this.anchors.set(p.anchor, node);
  }

  private setTag(node: YScalar | YMap | YSeq, tag: Exclude<NodeTag, null>, p: Props): void {
    const mismatch = () => this.issue(p.tagOff, 'seed.yaml.tagMismatch', { tag: shown(p.tag as string) });
    if (node.kind === 'map') {
      if (tag !== 'map') mismatch();
      node.tag = tag;
      return;
    }
    if (node.kind === 'seq') {
      if (tag !== 'seq') mismatch();
      node.tag = tag;
      return;
    }
    node.tag = tag;
    const plain = node.style === 'plain';
    switch (tag) {
      case 'map': case 'seq':
        mismatch();
        break;
      case '!': case 'str':
        node.isNull = false;
        break;
      case 'null':
        if (!(plain && PLAIN_NULL.test(node.value))) mismatch();
        node.isNull = true;
        break;
      case 'int':
        if (!CORE_INT.test(node.value)) mismatch();
        node.isNull = false;
        break;
      case 'float':
        if (!CORE_FLOAT.test(node.value)) mismatch();
        node.isNull = false;
        break;
      case 'bool':
        if (!CORE_BOOL.test(node.value)) mismatch();
        node.isNull = false;
        break;
    }
  }

  // ---- block structure --------------------------------------------------------------------

  /** A node after `:` (ctx map), `-` (seq), `?` (key) or at the document start; n is the
   *  column of the collection it belongs to (-1 for the document). */
  private blockNode(n: number, ctx: Ctx): YNode {
    const tk = this.tk;
    const emptyOff = tk.o;
    this.skipWs();
    if (!this.inBlock(n, ctx)) return this.empty(emptyOff);
    if (tk.t === ANCHOR || tk.t === TAG) {
      const props = this.readProps();
      // A tab before properties that start their line, or that end it, indents the node.
      if (props.first || tk.t === NEWLINE || tk.t === COMMENT) this.tab(props.tabBefore);
      if (props.anchor !== null) this.anchored++;
      try {
        if (tk.t === NEWLINE || tk.t === COMMENT) {
          // Properties alone on their line belong to the node on the following lines.
          this.skipWs();
          if (!this.inBlock(n, ctx)) return this.empty(props.off, props);
          const node = this.blockContent(n, ctx, null);
          this.applyProps(node, props);
          return node;
        }
        if (this.atDocBoundary()) return this.empty(props.off, props);
        return this.blockContent(n, ctx, props);
      } finally {
        if (props.anchor !== null) this.anchored--;
      }
    }
    return this.blockContent(n, ctx, null);
  }

  /** The content of a block node, starting at the current token. `inline` are properties on
   *  the same line: they belong to the first key if the node turns out to be a mapping. */
  private blockContent(n: number, ctx: Ctx, inline: Props | null): YNode {
    const tk = this.tk;
    const sameLine = inline ? !inline.first : !tk.first;
    const startCol = inline ? inline.col : tk.col;
    const startOff = inline ? inline.off : tk.o;
    const tabBefore = inline ? inline.tabBefore : tk.tabBefore;
    const withProps = (node: YNode): YNode => {
      if (inline) this.applyProps(node, inline);
      return node;
    };
    switch (tk.t) {
      case SEQ: {
        if (sameLine && (ctx === 'map' || ctx === 'doc')) {
          this.issue(tk.o, ctx === 'map' ? 'seed.yaml.seqOnKeyLine' : 'seed.yaml.blockOnDocStart');
        }
        this.tab(tabBefore);
        if (inline) this.issue(inline.off, 'seed.yaml.seqProps');
        return withProps(this.blockSeq(tk.col));
      }
      case QKEY:
      case COLON: {
        if (sameLine && (ctx === 'map' || ctx === 'doc')) {
          this.issue(tk.o, ctx === 'map' ? 'seed.yaml.nestedMap' : 'seed.yaml.blockOnDocStart');
        }
        this.tab(tabBefore);
        if (tk.t === COLON) return this.blockMap(startCol, startOff, this.empty(tk.o, inline));
        if (inline) this.issue(inline.off, 'seed.yaml.unexpected', { token: shown(inline.tag ?? '&' + inline.anchor) });
        return this.blockMap(startCol, startOff, null);
      }
      case SEQ_OPEN:
      case MAP_OPEN: {
        const flow = this.flow();
        this.skipSpaces();
        if (tk.t === COLON) {
          if (sameLine && (ctx === 'map' || ctx === 'doc')) {
            this.issue(flow.off, ctx === 'map' ? 'seed.yaml.nestedMap' : 'seed.yaml.blockOnDocStart');
          }
          this.tab(tabBefore);
          if (tk.o - tk.col > flow.off) this.issue(flow.off, 'seed.yaml.multilineKey');
          if (inline) this.applyProps(flow, inline);
          return this.blockMap(startCol, startOff, flow);
        }
        return withProps(flow);
      }
      case BS_HEADER:
        return withProps(this.blockScalar(n));
      case PLAIN:
      case SINGLE:
      case DOUBLE:
      case ALIAS: {
        const t = tk.t, s = tk.s, o = tk.o;
        tk.next();
        this.skipSpaces();
        if (tk.t === COLON) {
          if (sameLine && (ctx === 'map' || ctx === 'doc')) {
            this.issue(o, ctx === 'map' ? 'seed.yaml.nestedMap' : 'seed.yaml.blockOnDocStart');
          }
          if (s.includes('\n')) this.multilineKey(t, o);
          this.tab(tabBefore);
          const key = this.leaf(t, s, o);
          if (inline) this.applyProps(key, inline);
          return this.blockMap(startCol, startOff, key);
        }
        return withProps(this.leaf(t, s, o));
      }
      default:
        this.issue(tk.o, 'seed.yaml.unexpected', { token: shown(tk.s) });
        if (tk.t === FLOW_ERR || tk.t === ERROR) this.bailed = true;
        else this.skipLine();
        return this.empty(startOff, inline);
    }
  }

  /** A block mapping at column `col`. `first` is its first key, already read (the current
   *  token is then its `:`), or null when the current token (`?` or `:`) starts the entry. */
  private blockMap(col: number, off: number, first: YNode | null): YMap {
    const tk = this.tk;
    const map: YMap = { kind: 'map', off, keys: [], values: [], tag: null };
    this.nodeCount++;
    let key: YNode | null = first;
    for (;;) {
      if (key === null) {
        if (tk.t === QKEY) {
          const qOff = tk.o;
          tk.next();
          key = this.blockNode(col, 'key');
          this.skipWs();
          if (this.bailed || !(tk.t === COLON && tk.first && tk.col === col)) {
            // An explicit key without a value.
            map.keys.push(key);
            map.values.push(this.empty(qOff));
            const next = this.findKey(col);
            if (next === 'end') return map;
            key = next;
            continue;
          }
        } else key = this.empty(tk.o);
      }
      // The current token is the `:` after the key.
      tk.next();
      map.keys.push(key);
      this.path.push(key.kind === 'scalar' ? key.value : '');
      map.values.push(this.blockNode(col, 'map'));
      this.path.pop();
      const next = this.findKey(col);
      if (next === 'end') return map;
      key = next;
    }
  }

  /** After an entry of the mapping at `col`: the next implicit key (the current token is then
   *  its `:`), null when the next entry starts with `?` or `:`, or 'end'. Lines that cannot
   *  start an entry are reported, the first of a run only, and skipped. */
  private findKey(col: number): YNode | null | 'end' {
    const tk = this.tk;
    let quiet = false;
    for (;;) {
      const r = this.nextEntryAt(col, quiet);
      if (r === 'end') return 'end';
      if (r === 'error') {
        quiet = true;
        continue;
      }
      this.tab(tk.tabBefore);
      if (tk.t === SEQ) {
        if (!quiet) this.issue(tk.o, 'seed.yaml.seqInMap');
        quiet = true;
        this.skipLine();
        continue;
      }
      if (tk.t === QKEY || tk.t === COLON) return null;
      const k = this.implicitKey();
      if (k !== null && tk.t === COLON) return k;
      if (!quiet) this.issue(k ? k.off : tk.o, 'seed.yaml.missingColon');
      quiet = true;
      if (k === null || (tk.t !== NEWLINE && tk.t !== COMMENT)) this.skipLine();
    }
  }

  /** Moves to the next line's content. 'next' when it is at `col`, 'end' when the collection
   *  at `col` is over, 'error' (after reporting, unless quiet, and skipping it) otherwise. */
  private nextEntryAt(col: number, quiet: boolean): 'next' | 'end' | 'error' {
    const tk = this.tk;
    this.skipWs();
    if (this.bailed || this.atDocBoundary()) return 'end';
    if (!tk.first) {
      if (!quiet) this.issue(tk.o, 'seed.yaml.unexpected', { token: shown(tk.s) });
      this.skipLine();
      return 'error';
    }
    if (tk.tabBefore >= 0) {
      // An entry line indented with a tab: its column means nothing.
      if (!quiet) this.tab(tk.tabBefore);
      this.skipLine();
      return 'error';
    }
    if (tk.col < col) return 'end';
    if (tk.col > col) {
      if (!quiet && tk.o - tk.col !== this.tabLine) this.issue(tk.o, 'seed.yaml.badIndent');
      this.skipLine();
      return 'error';
    }
    return 'next';
  }

  /** A key at the start of a mapping line: properties, then a scalar, alias or (refused) flow
   *  collection. Leaves the current token after the key and its spaces; null if none. */
  private implicitKey(): YNode | null {
    const tk = this.tk;
    let props: Props | null = null;
    if (tk.t === ANCHOR || tk.t === TAG) {
      props = this.readProps();
      if (tk.t === NEWLINE || tk.t === COMMENT || this.atDocBoundary()) {
        this.issue(props.off, 'seed.yaml.unexpected', { token: shown(props.tag ?? '&' + props.anchor) });
        return null;
      }
    }
    let key: YNode;
    switch (tk.t) {
      case PLAIN: case SINGLE: case DOUBLE: case ALIAS: {
        const t = tk.t, s = tk.s, o = tk.o;
        tk.next();
        this.skipSpaces();
        if (tk.t === COLON && s.includes('\n')) this.multilineKey(t, o);
        key = this.leaf(t, s, o);
        break;
      }
      case SEQ_OPEN: case MAP_OPEN:
        key = this.flow();
        this.skipSpaces();
        if (tk.t === COLON && tk.o - tk.col > key.off) this.issue(key.off, 'seed.yaml.multilineKey');
        break;
      case COLON:
        key = this.empty(tk.o);
        break;
      default:
        return null;
    }
    if (props) this.applyProps(key, props);
    return key;
  }

  private blockSeq(col: number): YSeq {
    const tk = this.tk;
    const seq: YSeq = { kind: 'seq', off: tk.o, items: [], tag: null };
    this.nodeCount++;
    let quiet = false;
    for (;;) {
      // The current token is `-`.
      tk.next();
      this.path.push(seq.items.length);
      let item = this.blockNode(col, 'seq');
      if (this.onEntry && item.kind === 'map' && this.anchored === 0) item = this.onEntry(this.path, item, this.nodeCount) ?? item;
      this.path.pop();
      seq.items.push(item);
      quiet = false;
      for (;;) {
        const r = this.nextEntryAt(col, quiet);
        if (r === 'end') return seq;
        if (r === 'error') {
          quiet = true;
          continue;
        }
        if (tk.t === SEQ) {
          this.tab(tk.tabBefore);
          break;
        }
        // Something else at the sequence's column: it belongs to an enclosing mapping.
        return seq;
      }
    }
  }

  private blockScalar(n: number): YScalar {
    const tk = this.tk;
    const header = { type: 'block-scalar-header' as const, offset: tk.o, indent: 0, source: tk.s };
    const props: CST.SourceToken[] = [header];
    tk.next();
    while (tk.t === SPACE || tk.t === COMMENT || tk.t === NEWLINE) {
      props.push({ type: tk.t === SPACE ? 'space' : tk.t === COMMENT ? 'comment' : 'newline', offset: tk.o, indent: 0, source: tk.s });
      tk.next();
    }
    let body = '';
    if (tk.t === BS_BODY) {
      body = tk.s;
      tk.next();
    }
    const token: CST.BlockScalar = { type: 'block-scalar', offset: header.offset, indent: Math.max(n, 0), props, source: body };
    const r = CST.resolveAsScalar(token, true, (off, code, message) => {
      // Only a block scalar inside a collection must be indented; one at the root need not be.
      if (n < 0 && /must be indented/.test(message)) return;
      this.yamlError(off, code, message, header.offset);
    });
    this.nodeCount++;
    return { kind: 'scalar', off: header.offset, style: 'block', value: r.value, isNull: false, escaped: false, tag: null };
  }

  /** Maps an error of the yaml package's scalar resolution to one of our messages. */
  private yamlError(off: number, code: string, message: string, start: number): void {
    switch (code) {
      case 'BAD_DQ_ESCAPE': {
        const m = /sequence (.*)$/.exec(message);
        this.issue(off, 'seed.yaml.badEscape', { escape: m?.[1] ?? '\\' });
        return;
      }
      case 'BAD_SCALAR_START': {
        const m = /character (\S+)$/.exec(message) ?? /indicator (\S+)$/.exec(message);
        this.issue(off, 'seed.yaml.badPlainStart', { char: m?.[1] ?? message.slice(-1) });
        return;
      }
      case 'BAD_INDENT':
        this.issue(off, 'seed.yaml.blockScalarIndent');
        return;
      case 'MISSING_CHAR':
        if (/quote/.test(message)) this.issue(start, 'seed.yaml.unclosedQuote');
        else if (/white space/.test(message)) this.issue(off, 'seed.yaml.spaceBeforeComment');
        else this.issue(off, 'seed.yaml.blockScalarIndent');
        return;
      case 'UNEXPECTED_TOKEN':
        if (/header/.test(message)) this.issue(off, 'seed.yaml.blockScalarHeader');
        else this.issue(off, 'seed.yaml.unexpected', { token: '' });
        return;
      default:
        this.issue(off, 'seed.yaml.unexpected', { token: '' });
    }
  }

  // ---- leaves -----------------------------------------------------------------------------

  /** A scalar or alias token as a node. */
  private leaf(t: number, s: string, o: number): YNode {
    if (t === ALIAS) {
      const name = s.slice(1);
      const target = this.anchors.get(name);
      this.nodeCount++;
      if (!target) {
        this.issue(o, 'seed.yaml.unknownAlias', { name: shown(name) });
        return this.empty(o);
      }
      return { kind: 'alias', off: o, name, target };
    }
    return this.flowScalar(t, s, o);
  }

  private flowScalar(t: number, s: string, o: number): YScalar {
    this.nodeCount++;
    let value: string;
    let style: YScalar['style'];
    let escaped = false;
    const fast = !s.includes('\n');
    if (t === PLAIN) {
      style = 'plain';
      if (fast) {
        value = s;
        const c = s[0];
        if (c === ',' || c === '%' || c === '|' || c === '>' || c === '@' || c === '`') {
          this.issue(o, 'seed.yaml.badPlainStart', { char: c });
        }
      } else value = this.resolve('scalar', s, o);
      const isNull = value.length <= 4 && PLAIN_NULL.test(value);
      return { kind: 'scalar', off: o, style, value, isNull, escaped, tag: null };
    }
    if (t === SINGLE) {
      style = 'single';
      value = fast && s.length >= 2 && s.endsWith("'") && !s.includes("''", 1) ? s.slice(1, -1) : this.resolve('single-quoted-scalar', s, o);
    } else {
      style = 'double';
      escaped = s.includes('\\');
      value = fast && !escaped && s.length >= 2 && s.endsWith('"') ? s.slice(1, -1) : this.resolve('double-quoted-scalar', s, o);
    }
    return { kind: 'scalar', off: o, style, value, isNull: false, escaped, tag: null };
  }

  private resolve(type: CST.FlowScalar['type'], source: string, offset: number): string {
    const token: CST.FlowScalar = { type, offset, indent: 0, source };
    return CST.resolveAsScalar(token, true, (off, code, message) => this.yamlError(off, code, message, offset)).value;
  }

  // ---- flow collections -------------------------------------------------------------------

  private flow(): YMap | YSeq {
    const tk = this.tk;
    const open = { t: tk.t, o: tk.o };
    const isSeq = tk.t === SEQ_OPEN;
    const close = isSeq ? SEQ_CLOSE : MAP_CLOSE;
    const seq: YSeq = { kind: 'seq', off: tk.o, items: [], tag: null };
    const map: YMap = { kind: 'map', off: tk.o, keys: [], values: [], tag: null };
    this.nodeCount++;
    tk.next();
    for (;;) {
      this.skipWs();
      const t = tk.t;
      if (t === SEQ_CLOSE || t === MAP_CLOSE) {
        if (t !== close) this.issue(tk.o, 'seed.yaml.flowMismatch', { expected: isSeq ? ']' : '}', found: tk.s });
        tk.next();
        break;
      }
      if (t === EOF || t === FLOW_ERR || t === DOC_MODE || t === DOC_START || t === DOC_END) {
        this.issue(open.o, 'seed.yaml.unclosedFlow', { open: isSeq ? '[' : '{' });
        this.bailed = true;
        break;
      }
      if (t === COMMA) {
        this.issue(tk.o, 'seed.yaml.unexpected', { token: ',' });
        tk.next();
        continue;
      }
      let explicit = false;
      if (t === QKEY) {
        explicit = true;
        tk.next();
        this.skipWs();
      }
      const first = tk.t === COLON ? this.empty(tk.o) : this.flowNode();
      this.skipWs();
      if (tk.t === COLON && isSeq && !explicit && tk.o - tk.col > first.off) this.issue(first.off, 'seed.yaml.multilineKey');
      if (tk.t === COLON) {
        tk.next();
        this.skipWs();
        const value = tk.t === COMMA || tk.t === SEQ_CLOSE || tk.t === MAP_CLOSE ? this.empty(tk.o) : this.flowNode();
        if (isSeq) {
          this.nodeCount++;
          seq.items.push({ kind: 'map', off: first.off, keys: [first], values: [value], tag: null });
        } else {
          map.keys.push(first);
          map.values.push(value);
        }
      } else if (isSeq) {
        if (explicit) {
          this.nodeCount++;
          seq.items.push({ kind: 'map', off: first.off, keys: [first], values: [this.empty(first.off)], tag: null });
        } else seq.items.push(first);
      } else {
        map.keys.push(first);
        map.values.push(this.empty(first.off));
      }
      this.skipWs();
      if (tk.t === COMMA) {
        tk.next();
        continue;
      }
      if (tk.t === SEQ_CLOSE || tk.t === MAP_CLOSE || tk.t === EOF || tk.t === FLOW_ERR
        || tk.t === DOC_MODE || tk.t === DOC_START || tk.t === DOC_END) continue;
      this.issue(tk.o, 'seed.yaml.flowComma', { close: isSeq ? ']' : '}' });
    }
    return isSeq ? seq : map;
  }

  private flowNode(): YNode {
    const tk = this.tk;
    let props: Props | null = null;
    if (tk.t === ANCHOR || tk.t === TAG) {
      props = this.readProps();
      this.skipWs();
    }
    let node: YNode;
    switch (tk.t) {
      case SEQ_OPEN: case MAP_OPEN:
        node = this.flow();
        break;
      case PLAIN: case SINGLE: case DOUBLE: case ALIAS: {
        const t = tk.t, s = tk.s, o = tk.o;
        tk.next();
        node = this.leaf(t, s, o);
        break;
      }
      case COMMA: case SEQ_CLOSE: case MAP_CLOSE: case COLON:
        node = this.empty(props ? props.off : tk.o);
        break;
      default:
        this.issue(tk.o, 'seed.yaml.unexpected', { token: shown(tk.s) });
        if (!(tk.t === EOF || tk.t === FLOW_ERR || tk.t === DOC_MODE || tk.t === DOC_START || tk.t === DOC_END)) tk.next();
        node = this.empty(props ? props.off : tk.o);
    }
    if (props) this.applyProps(node, props);
    return node;
  }
}

/** Number of nodes under `node`, itself included, aliases counted as one: what expanding an
 *  alias to it costs. Memoised on the node. */
export function subtreeSize(node: YNode): number {
  if (node.size !== undefined) return node.size;
  let size = 1;
  if (node.kind === 'map') {
    for (const k of node.keys) size += subtreeSize(k);
    for (const v of node.values) size += subtreeSize(v);
  } else if (node.kind === 'seq') {
    for (const i of node.items) size += subtreeSize(i);
  }
  node.size = size;
  return size;
}
