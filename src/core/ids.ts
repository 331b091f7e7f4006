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

/** Orders ids with their numeric parts as numbers: M1.2 before M1.10. One collator, made on
 *  first use: `localeCompare` with options is the same comparison but sets one up at every
 *  call (sorting the 5,000 ids of a week's changes at 200,000 items: 53 ms of a status). */
export function compareIds(a: string, b: string): number {
  idCollator ??= new Intl.Collator('en', { numeric: true, sensitivity: 'base' });
  return idCollator.compare(a, b);
}
