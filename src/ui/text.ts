// Text from data, made safe and measured for a terminal.
import stringWidth from 'string-width';

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

/** Columns a string takes on a terminal: a Chinese character takes two. */
export function width(text: string): number {
  return stringWidth(text);
}

const segmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/** Cuts text to at most `max` columns, ending with … when cut; never splits a character. */
export function truncate(text: string, max: number): string {
  if (max <= 0) return '';
  if (width(text) <= max) return text;
  let out = '';
  let used = 0;
  for (const { segment } of segmenter.segment(text)) {
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
const LATIN = /^[\x21-\x7e]$/;

/** Breaks text into lines of at most `max` columns (indent included), by display width,
 *  never inside a character. Latin words move whole to the next line; a closing mark
 *  (，。）…) never starts a line: the character before it moves down with it. */
export function wrap(text: string, max: number, indent = ''): string[] {
  const room = Math.max(2, max - width(indent));
  const lines: string[] = [];
  for (const para of text.split('\n')) {
    let line: string[] = [];
    let used = 0;
    for (const { segment: g } of segmenter.segment(para)) {
      const w = width(g);
      if (used + w > room && line.length > 0) {
        let carry: string[] = [];
        if (LATIN.test(g)) {
          let k = line.length;
          while (k > 0 && LATIN.test(line[k - 1]!)) k--;
          if (k > 0) carry = line.splice(k);
        } else if (CLOSING.test(g) && line.length > 1) {
          carry = line.splice(line.length - 1);
        }
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
