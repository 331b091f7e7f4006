import type { IsoDate } from './types.js';

const ISO = /^(\d{4})-(\d{2})-(\d{2})$/;

/** True for a real calendar date written `YYYY-MM-DD` (2024-02-30 is not one). */
export function isIsoDate(text: string): boolean {
  const m = ISO.exec(text);
  if (!m) return false;
  const y = Number(m[1]), mo = Number(m[2]), d = Number(m[3]);
  if (mo < 1 || mo > 12 || d < 1) return false;
  return d <= daysInMonth(y, mo);
}

function daysInMonth(y: number, m: number): number {
  if (m === 2) return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0 ? 29 : 28;
  return [4, 6, 9, 11].includes(m) ? 30 : 31;
}

/** Whole days from a to b (b - a), both ISO dates. */
export function daysBetween(a: IsoDate, b: IsoDate): number {
  return Math.round((Date.parse(b + 'T00:00:00Z') - Date.parse(a + 'T00:00:00Z')) / 86_400_000);
}

export function addDays(d: IsoDate, n: number): IsoDate {
  return new Date(Date.parse(d + 'T00:00:00Z') + n * 86_400_000).toISOString().slice(0, 10);
}

/** The local calendar date of a moment. */
export function localDate(at: Date): IsoDate {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${at.getFullYear()}-${p(at.getMonth() + 1)}-${p(at.getDate())}`;
}

/** An ISO 8601 time with the local offset, e.g. 2024-05-01T09:30:00.000+08:00. */
export function localTimestamp(at: Date): string {
  const p = (n: number, w = 2) => String(Math.abs(n)).padStart(w, '0');
  const off = -at.getTimezoneOffset();
  const sign = off >= 0 ? '+' : '-';
  return `${localDate(at)}T${p(at.getHours())}:${p(at.getMinutes())}:${p(at.getSeconds())}.${p(at.getMilliseconds(), 3)}${sign}${p(Math.trunc(off / 60))}:${p(off % 60)}`;
}

/** A real calendar date in any of the forms people write (the digits already half-width):
 *  2027-03-31, 2027-3-31, 2027/3/31, 2027.3.31, 2027年3月31日 (号, or no 日); null otherwise,
 *  and for a day that does not exist (2027-2-30). */
export function parseDateText(d: string): IsoDate | null {
  const t = d.trim();
  if (isIsoDate(t)) return t;
  const m = /^(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*[日号]?$/.exec(t) ?? /^(\d{4})([./-])(\d{1,2})\2(\d{1,2})$/.exec(t);
  if (!m) return null;
  const [y, mo, day] = m.length === 4 ? [m[1]!, m[2]!, m[3]!] : [m[1]!, m[3]!, m[4]!];
  const iso = `${y}-${mo.padStart(2, '0')}-${day.padStart(2, '0')}`;
  return isIsoDate(iso) ? iso : null;
}
