// The raw text of a seed: UTF-8 decoding with the position of a bad byte, forbidden
// characters, and turning string offsets into the 1-based line:column a user reads; and what
// the YAML and the JSON Lines readers share: issues, their list, "did you mean".
import type { enSeed } from '../i18n/en-seed.js';

export type SeedMessageKey = keyof typeof enSeed;

export interface SeedIssue {
  /** 1-based. */
  line: number;
  /** 1-based, counted in characters (code points). */
  column: number;
  key: SeedMessageKey;
  params: Record<string, string | number>;
}

/** At most this many issues are listed; a last one says how many more there were. */
export const MAX_ISSUES = 100;

/** Issues as they are found: the first MAX_ISSUES by position are kept (memory stays small
 *  whatever the file), and all are counted. The same message at the same place counts once. */
export class IssueList {
  private kept: SeedIssue[] = [];
  private dropped = 0;

  add(issue: SeedIssue): void {
    this.kept.push(issue);
    if (this.kept.length >= 8 * MAX_ISSUES) this.trim();
  }

  /** Whether any was found (cheap: for every line of a stream). */
  get any(): boolean {
    return this.kept.length > 0 || this.dropped > 0;
  }

  /** How many were found. */
  get total(): number {
    this.trim();
    return this.kept.length + this.dropped;
  }

  private trim(): void {
    const sorted = this.kept.sort((a, b) => a.line - b.line || a.column - b.column);
    const unique: SeedIssue[] = [];
    let prevSig = '';
    for (const i of sorted) {
      const sig = `${i.line}:${i.column}:${i.key}:${JSON.stringify(i.params)}`;
      const prev = unique[unique.length - 1];
      if (prev && prev.line === i.line && prev.column === i.column && sig === prevSig) continue;
      prevSig = sig;
      unique.push(i);
    }
    if (unique.length > MAX_ISSUES) {
      this.dropped += unique.length - MAX_ISSUES;
      unique.length = MAX_ISSUES;
    }
    this.kept = unique;
  }

  /** The issues to show (a last one saying how many more there are) and how many in all. */
  result(): { issues: SeedIssue[]; total: number } {
    const total = this.total;
    const issues = this.kept.slice();
    if (this.dropped > 0) {
      const last = issues[issues.length - 1]!;
      issues.push({ line: last.line, column: last.column, key: 'seed.tooManyIssues', params: { count: this.dropped } });
    }
    return { issues, total };
  }
}

/** A likely intended key for a misspelt one: same letters but case, or at most two edits. */
export function suggest(name: string, allowed: readonly string[]): string | null {
  const lower = name.toLowerCase();
  let best: string | null = null;
  let bestD = 3;
  for (const a of allowed) {
    if (a.toLowerCase() === lower) return a;
    const d = distance(lower, a.toLowerCase());
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

export type DecodeResult =
  | { ok: true; text: string }
  | { ok: false; line: number; column: number; byte: number }
  /** Valid UTF-8, but more text than a JavaScript string can hold (about 512 million
   *  UTF-16 units: a seed of some 700 MB of Chinese). */
  | { ok: false; tooLarge: true };

const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

/** Decodes UTF-8 (a leading BOM is dropped). On bad input, says where the first bad byte is,
 *  counting columns in characters after any BOM, like every other position we report. */
export function decodeUtf8(bytes: Uint8Array): DecodeResult {
  try {
    return { ok: true, text: decoder.decode(bytes) };
  } catch {
    // The decoder does not say where it failed: find the first bad byte ourselves.
    const start = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
    const bad = firstBadByte(bytes, start);
    if (bad >= bytes.length) return { ok: false, tooLarge: true };
    let line = 1;
    let lineStart = start;
    for (let i = start; i < bad; i++) {
      if (bytes[i] === 0x0a) {
        line++;
        lineStart = i + 1;
      }
    }
    // The prefix is valid UTF-8, so its characters are its bytes that are not continuation bytes.
    let column = 1;
    for (let i = lineStart; i < bad; i++) if (((bytes[i] as number) & 0xc0) !== 0x80) column++;
    return { ok: false, line, column, byte: bytes[bad] ?? 0 };
  }
}

/** The index of the first byte that does not belong to a well-formed UTF-8 sequence
 *  (overlong forms, surrogates and code points past U+10FFFF are ill-formed too). */
export function firstBadByte(b: Uint8Array, from = 0): number {
  const n = b.length;
  let i = from;
  while (i < n) {
    const c = b[i] as number;
    if (c < 0x80) {
      i++;
      continue;
    }
    let need: number;
    let lo = 0x80;
    let hi = 0xbf;
    if (c >= 0xc2 && c <= 0xdf) need = 1;
    else if (c >= 0xe0 && c <= 0xef) {
      need = 2;
      if (c === 0xe0) lo = 0xa0;
      else if (c === 0xed) hi = 0x9f;
    } else if (c >= 0xf0 && c <= 0xf4) {
      need = 3;
      if (c === 0xf0) lo = 0x90;
      else if (c === 0xf4) hi = 0x8f;
    } else return i;
    for (let k = 1; k <= need; k++) {
      const d = b[i + k];
      // A truncated or broken sequence is reported at its lead byte: that is where the
      // character the user meant to write starts.
      if (d === undefined || (k === 1 ? d < lo || d > hi : d < 0x80 || d > 0xbf)) return i;
    }
    i += need + 1;
  }
  return n;
}

/** A character that a seed may not contain: C0 and C1 controls other than tab and line
 *  feed, DEL, and a carriage return that does not start a CRLF line break. */
const FORBIDDEN = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]|\r(?!\n)/g;

export interface ForbiddenChar {
  offset: number;
  code: number;
}

/** Every forbidden character of `text`, and the text with each replaced by U+FFFD so that the
 *  YAML reader can still look for other problems (offsets are unchanged). */
export function findForbidden(text: string): { found: ForbiddenChar[]; clean: string } {
  FORBIDDEN.lastIndex = 0;
  if (!FORBIDDEN.test(text)) return { found: [], clean: text };
  const found: ForbiddenChar[] = [];
  const clean = text.replace(FORBIDDEN, (ch: string, offset: number) => {
    found.push({ offset, code: ch.charCodeAt(0) });
    return '\ufffd';
  });
  return { found, clean };
}

/** U+0007 style, as a user would look a character up. */
export function codePointName(code: number): string {
  return 'U+' + code.toString(16).toUpperCase().padStart(4, '0');
}

/** The first character of a resolved text value that no seed may hold (it can only get there
 *  through an escape such as "\a"), or -1. Lone surrogates count: they cannot be stored. */
const MAYBE_BAD = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\ud800-\udfff]/;

export function badCharInValue(value: string): number {
  // Nearly every value is clean: one native scan says so.
  if (!MAYBE_BAD.test(value)) return -1;
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c < 0x20) {
      if (c !== 0x09 && c !== 0x0a) return c;
    } else if (c >= 0x7f && c <= 0x9f) return c;
    else if (c >= 0xd800 && c <= 0xdbff) {
      const d = value.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) i++;
      else return c;
    } else if (c >= 0xdc00 && c <= 0xdfff) return c;
  }
  return -1;
}

/** Turns string offsets into 1-based line and column, the column counted in code points. */
export class Positions {
  private starts: number[] | null = null;
  /** lines: where lines start, when the YAML parser's LineCounter has found them already. */
  constructor(
    private readonly text: string,
    private readonly lines?: { lineStarts: number[] },
  ) {}

  at(offset: number): { line: number; column: number } {
    const known = this.lines?.lineStarts;
    const starts = (this.starts ??= known && known.length > 0 ? known : lineStarts(this.text));
    const off = Math.max(0, Math.min(offset, this.text.length));
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((starts[mid] as number) <= off) lo = mid;
      else hi = mid - 1;
    }
    const start = starts[lo] as number;
    let column = 1;
    for (let i = start; i < off; i++) {
      const c = this.text.charCodeAt(i);
      // A surrogate pair is one character: count its high half only.
      if (c >= 0xdc00 && c <= 0xdfff && i > start) {
        const p = this.text.charCodeAt(i - 1);
        if (p >= 0xd800 && p <= 0xdbff) continue;
      }
      column++;
    }
    return { line: lo + 1, column };
  }
}

function lineStarts(text: string): number[] {
  const starts = [0];
  let i = text.indexOf('\n');
  while (i !== -1) {
    starts.push(i + 1);
    i = text.indexOf('\n', i + 1);
  }
  return starts;
}
