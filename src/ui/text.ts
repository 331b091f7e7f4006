// Text from data, made safe and measured for a terminal.

// C0 controls but tab and newline, DEL, C1 controls, and the bidirectional overrides
// that can make a line read differently from what it holds.
const UNSAFE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;
const UNSAFE_INLINE = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

function escapeChar(c: string): string {
  const code = c.codePointAt(0)!;
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
}

/** Data for a multi-line block: controls shown escaped (`\x1b`), newlines and tabs kept. */
export function clean(text: string): string {
  return text.replace(UNSAFE, escapeChar);
}

/** Data for one line (a table cell): every control escaped, newlines and tabs included. */
export function cleanInline(text: string): string {
  return text.replace(UNSAFE_INLINE, (c) => (c === '\n' ? ' ' : c === '\t' ? ' ' : escapeChar(c)));
}

// The characters whose width needs no grapheme segmentation and no emoji tables: each
// takes its columns on its own, whatever stands around it (East Asian Width: W/F are two,
// Na/H/N/A one). Nearly all text in a ledger is made of these; anything else (emoji,
// combining marks, other scripts) goes to string-width, whose first use compiles the
// Unicode emoji property (tens of milliseconds: a third of a command's run).
// tests/unit/text.test.ts holds these ranges to string-width's answers.
function simpleCharWidth(c: number): number {
  if (c >= 0x20 && c <= 0x7e) return 1;
  if (c >= 0x4e00 && c <= 0x9fff) return 2; // CJK unified ideographs
  if ((c >= 0x3000 && c <= 0x3029) || (c >= 0x3031 && c <= 0x303c) // CJK symbols and punctuation, not the tone marks
    || (c >= 0xff01 && c <= 0xff60) || (c >= 0xffe0 && c <= 0xffe6) // full-width forms
    || (c >= 0x3041 && c <= 0x3096) || (c >= 0x309b && c <= 0x30ff) // kana
    || (c >= 0x3400 && c <= 0x4dbf) || (c >= 0xf900 && c <= 0xfaff) // CJK extension A, compatibility
    || (c >= 0xfe30 && c <= 0xfe4f)) return 2; // CJK compatibility forms
  if ((c >= 0xa0 && c <= 0x2ff && c !== 0xad) // Latin-1 and Latin extended, not the soft hyphen
    || (c >= 0x2010 && c <= 0x2027) || (c >= 0x2030 && c <= 0x205e) // general punctuation: “”‘’—…
    || (c >= 0x2190 && c <= 0x21ff) // arrows: the → of every change shown
    || (c >= 0x2500 && c <= 0x259f) // box drawing, block elements (the bars)
    || (c >= 0xff61 && c <= 0xff9d)) return 1; // half-width katakana
  return -1;
}

// Colour codes (SGR) are the only escapes rectify itself writes; they take no columns.
const SGR = /\u001b\[[0-9;]*m/g;

/** The width of text made only of simple characters (each its own grapheme), else -1. */
function simpleWidth(text: string): number {
  let w = 0;
  for (let i = 0; i < text.length; i++) {
    const cw = simpleCharWidth(text.charCodeAt(i));
    if (cw < 0) return -1;
    w += cw;
  }
  return w;
}

let stringWidth: ((text: string) => number) | undefined;

// A code point that extends the grapheme before it: combining marks, joiners, variation
// selectors, skin tones, tag characters. Text is never cut before one, nor after a ZWJ.
// biome-ignore lint/suspicious/noMisleadingCharacterClass: each joiner and selector is matched alone, on purpose
const EXTENDING = /[\p{M}\u200c\u200d\ufe00-\ufe0f\u{1f3fb}-\u{1f3ff}\u{e0020}-\u{e007f}]/u;
const PIECE = 32;
const PIECE_MAX = 256;

/** Text cut into short pieces at grapheme boundaries, so that grapheme work stays linear:
 *  ICU's segmenter (and string-width, built on it) takes quadratic time over a long run of
 *  combining marks or emoji (64,000 "á̂" took a minute). A run of more than PIECE_MAX
 *  extending marks, which no language writes, is cut anyway. */
function pieces(text: string): string[] {
  if (text.length <= PIECE) return [text];
  const out: string[] = [];
  let start = 0;
  let prev = '';
  for (let i = 0; i < text.length; ) {
    const cp = text.codePointAt(i)!;
    const ch = String.fromCodePoint(cp);
    const len = i - start;
    if ((len >= PIECE && prev !== '\u200d' && !EXTENDING.test(ch)) || len >= PIECE_MAX) {
      out.push(text.slice(start, i));
      start = i;
    }
    prev = ch;
    i += ch.length;
  }
  out.push(text.slice(start));
  return out;
}

/** Columns a string takes on a terminal: a Chinese character takes two. */
export function width(text: string): number {
  const plain = text.includes('\u001b') ? text.replace(SGR, '') : text;
  const w = simpleWidth(plain);
  if (w >= 0) return w;
  // Loaded on first need: string-width builds a segmenter when it loads, which costs a
  // short command milliseconds it mostly never needs. esbuild bundles this require() and
  // runs the module only when it is first called.
  stringWidth ??= (require('string-width') as typeof import('string-width')).default;
  let total = 0;
  for (const piece of pieces(plain)) total += stringWidth(piece);
  return total;
}

/** The widest of these texts, 0 for none (a loop, not Math.max(...): a ledger's lists can
 *  be longer than a call may have arguments). */
export function widest(texts: readonly string[]): number {
  let max = 0;
  for (const s of texts) max = Math.max(max, width(s));
  return max;
}

let segmenter: Intl.Segmenter | undefined;
/** The characters as a reader sees them (an emoji with its modifiers is one); made lazily,
 *  since a segmenter costs milliseconds to create and simple text needs none. */
function graphemes(text: string): string[] {
  if (simpleWidth(text) >= 0) return text.split('');
  segmenter ??= new Intl.Segmenter(undefined, { granularity: 'grapheme' });
  const out: string[] = [];
  for (const piece of pieces(text)) for (const s of segmenter.segment(piece)) out.push(s.segment);
  return out;
}

/** Cuts text to at most `max` columns, ending with … when cut; never splits a character. */
export function truncate(text: string, max: number): string {
  if (max <= 0) return '';
  if (width(text) <= max) return text;
  if (simpleWidth(text) >= 0) {
    // Simple characters are each one grapheme: cut by their widths in one pass.
    let used = 0;
    let end = 0;
    while (end < text.length) {
      const w = simpleCharWidth(text.charCodeAt(end));
      if (used + w > max - 1) break;
      used += w;
      end++;
    }
    return text.slice(0, end) + '…';
  }
  let out = '';
  let used = 0;
  for (const segment of graphemes(text)) {
    const w = width(segment);
    if (used + w > max - 1) break;
    out += segment;
    used += w;
  }
  return out + '…';
}

export function padEnd(text: string, cols: number): string {
  const w = width(text);
  return w >= cols ? text : text + ' '.repeat(cols - w);
}

export function padStart(text: string, cols: number): string {
  const w = width(text);
  return w >= cols ? text : ' '.repeat(cols - w) + text;
}

const CLOSING = /^[，。、；：！？）」』”’》〉】,.;:!?)\]]$/;
const OPENING = /^[（《“‘「『【〈(\[]$/;
const LATIN = /^[\x21-\x7e]$/;
const DIGIT = /^[0-9]$/;

/** Breaks text into lines of at most `max` columns (indent included), by display width,
 *  never inside a character. Latin words move whole to the next line; a closing mark
 *  (，。）…) never starts a line: the character before it moves down with it; an opening
 *  mark (（《) never ends one; a number stays with the word that follows it (12项). */
export function wrap(text: string, max: number, indent = ''): string[] {
  const room = Math.max(2, max - width(indent));
  const lines: string[] = [];
  for (const para of text.split('\n')) {
    let line: string[] = [];
    let used = 0;
    for (const g of graphemes(para)) {
      const w = width(g);
      if (used + w > room && line.length > 0) {
        let carry: string[] = [];
        // Where the next line starts. A Latin word moves whole; a closing mark (，。）…)
        // never starts a line, so the character before it (and any closing marks between)
        // goes down with it; a number stays with the word after it (12项); an opening mark
        // (（《) never ends a line.
        let k = line.length;
        if (LATIN.test(g)) {
          while (k > 0 && LATIN.test(line[k - 1]!)) k--;
        } else {
          if (CLOSING.test(g)) {
            k--;
            while (k > 0 && CLOSING.test(line[k]!)) k--;
            // What goes down with the mark is a whole Latin word ($RECTIFY_DB，), not its end,
            // unless the word fills the line: then its last letter goes, as with any character.
            if (LATIN.test(line[k]!)) {
              let start = k;
              while (start > 0 && LATIN.test(line[start - 1]!)) start--;
              if (start > 0) k = start;
            }
          }
          if (k > 0 && DIGIT.test(line[k - 1]!)) while (k > 0 && LATIN.test(line[k - 1]!)) k--;
        }
        while (k > 0 && OPENING.test(line[k - 1]!)) k--;
        if (k > 0 && k < line.length) carry = line.splice(k);
        lines.push(indent + line.join('').trimEnd());
        line = carry;
        used = width(carry.join(''));
        if (g === ' ' && line.length === 0) continue;
      }
      line.push(g);
      used += w;
    }
    lines.push(indent + line.join('').trimEnd());
  }
  return lines;
}
