/** The id rule of docs/seed-format.md. */
export const ID_PATTERN = /^[A-Za-z][A-Za-z0-9._-]{0,31}$/;

export function isValidId(id: string): boolean {
  return ID_PATTERN.test(id);
}

/** An id as typed, made comparable: full-width letters, digits and dots (Ｍ１．１, as a
 *  Chinese input method writes them) become ASCII, surrounding space goes. */
export function normalizeId(text: string): string {
  return text.normalize('NFKC').replace(/。/g, '.').trim();
}

/** Splits `M1.1,M2.3` (or with the full-width `，`) into ids: spaces trimmed, empties and
 *  repeats (case-insensitive) dropped, first spelling kept. */
export function splitIds(text: string): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const part of text.split(/[,，、]/)) {
    const id = normalizeId(part);
    if (!id) continue;
    const key = id.toLowerCase();
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(id);
  }
  return out;
}

/** The number n of an item id `<measure>.<n>`, or null when the id has another shape. */
export function itemNumber(measureId: string, itemId: string): number | null {
  const prefix = measureId.toLowerCase() + '.';
  if (!itemId.toLowerCase().startsWith(prefix)) return null;
  const rest = itemId.slice(prefix.length);
  return /^\d{1,9}$/.test(rest) ? Number(rest) : null;
}

let idCollator: Intl.Collator | undefined;

/** The collator's order of the printable ASCII characters that are not digits or letters
 *  (space, punctuation, symbols), all of which come before the digits, which come before the
 *  letters (without case). */
const MARKS = ' _-,;:!?.\'"()[]{}@*/\\&#%`^+<=>|~$';
/** Each ASCII character's place in that order: marks by MARKS, digits as one place (their
 *  runs compare as numbers), letters after, a and A alike; -1 for any other character. */
const RANK = new Int16Array(128).fill(-1);
for (let i = 0; i < MARKS.length; i++) RANK[MARKS.charCodeAt(i)] = i;
for (let c = 48; c <= 57; c++) RANK[c] = MARKS.length;
for (let c = 0; c < 26; c++) RANK[65 + c] = RANK[97 + c] = MARKS.length + 1 + c;
const DIGIT = MARKS.length;

/** compareIds for ids of printable ASCII (digit runs of at most 15 digits), as the collator
 *  compares them; null for anything else. Making the collator costs some 60 million
 *  instructions (ICU's data), more than half of what Node spends to start. */
function compareAscii(a: string, b: string): number | null {
  // The same characters first (most ids of a ledger share a prefix), back to the start of a
  // run of digits they end in: that run is compared whole, as a number.
  let i = 0;
  const n = Math.min(a.length, b.length);
  while (i < n && a.charCodeAt(i) === b.charCodeAt(i)) i++;
  while (i > 0 && isDigit(a, i - 1)) i--;
  let j = i;
  for (;;) {
    if (i >= a.length) return j >= b.length ? 0 : -1;
    if (j >= b.length) return 1;
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(j);
    const rx = x < 128 ? RANK[x]! : -1;
    const ry = y < 128 ? RANK[y]! : -1;
    if (rx < 0 || ry < 0) return null;
    if (rx === DIGIT && ry === DIGIT) {
      // Whole runs, as numbers: leading zeros say nothing (1 = 01).
      while (a.charCodeAt(i) === 48 && isDigit(a, i + 1)) i++;
      while (b.charCodeAt(j) === 48 && isDigit(b, j + 1)) j++;
      let ei = i;
      while (isDigit(a, ei)) ei++;
      let ej = j;
      while (isDigit(b, ej)) ej++;
      if (ei - i > 15 || ej - j > 15) return null;
      if (ei - i !== ej - j) return ei - i < ej - j ? -1 : 1;
      for (; i < ei; i++, j++) {
        const d = a.charCodeAt(i) - b.charCodeAt(j);
        if (d !== 0) return d < 0 ? -1 : 1;
      }
      continue;
    }
    if (rx !== ry) return rx < ry ? -1 : 1;
    i++;
    j++;
  }
}

function isDigit(s: string, at: number): boolean {
  if (at >= s.length) return false;
  const c = s.charCodeAt(at);
  return c >= 48 && c <= 57;
}

/** Orders ids with their numeric parts as numbers: M1.2 before M1.10, without case, as
 *  `Intl.Collator('en', { numeric: true, sensitivity: 'base' })` does. Ids of printable ASCII
 *  are compared here (tests/unit/ids-order.test.ts holds it to the collator); the collator,
 *  made on first need, compares the rest. */
export function compareIds(a: string, b: string): number {
  const r = compareAscii(a, b);
  if (r !== null) return r;
  idCollator ??= new Intl.Collator('en', { numeric: true, sensitivity: 'base' });
  return idCollator.compare(a, b);
}
