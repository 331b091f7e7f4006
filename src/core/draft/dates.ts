// Deadlines as reports write them: 2024年3月31日, 2024年3月底前, 年底前, 6月30日,
// 2024-06-30, 2024.6.30, 上半年; and the term words 立行立改, 长期坚持, 常态化, 持续.
import { isIsoDate } from '../dates.js';
import type { IsoDate } from '../types.js';
import type { Term } from '../vocab.js';

export interface FoundDate {
  date: IsoDate;
  /** The words it was read from, as written. */
  text: string;
  /** The year was not written: it came from the report (or the fallback). */
  yearGuessed: boolean;
  /** The day was not written (月底, 年底, 上半年): the last day of the period. */
  dayGuessed: boolean;
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

function lastDay(y: number, m: number): number {
  return new Date(Date.UTC(y, m, 0)).getUTCDate();
}

function iso(y: number, m: number, d: number): IsoDate | null {
  const s = `${y}-${pad(m)}-${pad(d)}`;
  return isIsoDate(s) ? s : null;
}

const PATTERNS: { re: RegExp; read(m: RegExpExecArray, year: number): { y: number; mo: number; d: number; yg: boolean; dg: boolean } | null }[] = [
  // 2024-06-30, 2024.6.30, 2024/6/30, 2024年6月30日
  { re: /(20\d\d)\s*(?:[-./]|年)\s*(\d{1,2})\s*(?:[-./]|月)\s*(\d{1,2})\s*[日号]?/, read: (m) => ({ y: +m[1]!, mo: +m[2]!, d: +m[3]!, yg: false, dg: false }) },
  // 2024年3月底, 2024年3月末, 2024年3月
  { re: /(20\d\d)\s*年\s*(\d{1,2})\s*月(?:份)?(?:底|末|中旬|上旬|下旬)?/, read: (m) => ({ y: +m[1]!, mo: +m[2]!, d: 0, yg: false, dg: true }) },
  // 2024年底, 2024年末, 2024年
  { re: /(20\d\d)\s*年(?:底|末|内|度)?/, read: (m) => ({ y: +m[1]!, mo: 12, d: 31, yg: false, dg: true }) },
  // 6月30日
  { re: /(\d{1,2})\s*月\s*(\d{1,2})\s*[日号]/, read: (m, y) => ({ y, mo: +m[1]!, d: +m[2]!, yg: true, dg: false }) },
  // 3月底, 3月末, 3月份, 3月
  { re: /(\d{1,2})\s*月(?:份)?(?:底|末)?/, read: (m, y) => ({ y, mo: +m[1]!, d: 0, yg: true, dg: true }) },
  // 年底, 年末, 本年度, 今年
  { re: /(?:年底|年末|本年度|今年)/, read: (_m, y) => ({ y, mo: 12, d: 31, yg: true, dg: true }) },
  // 上半年, 下半年
  { re: /([上下])半年/, read: (m, y) => ({ y, mo: m[1] === '上' ? 6 : 12, d: m[1] === '上' ? 30 : 31, yg: true, dg: true }) },
  // 第一季度 … 第四季度, 一季度
  { re: /第?([一二三四1-4])季度/, read: (m, y) => { const q = '一二三四'.indexOf(m[1]!) + 1 || +m[1]!; return { y, mo: q * 3, d: 0, yg: true, dg: true }; } },
];

/** The first deadline found in `text`, with `year` for the dates that name none. */
export function findDate(text: string, year: number): FoundDate | null {
  // The earliest match wins; at one place the most specific pattern does, even when the date
  // it reads is no real date (2024年2月30日 is not read as the end of February).
  let best: { at: number; found: FoundDate | null } | null = null;
  for (const p of PATTERNS) {
    const m = p.re.exec(text);
    if (!m) continue;
    if (best !== null && m.index >= best.at) continue;
    const r = p.read(m, year);
    const date = r === null || r.mo < 1 || r.mo > 12 ? null : iso(r.y, r.mo, r.d === 0 ? lastDay(r.y, r.mo) : r.d);
    best = { at: m.index, found: date === null || r === null ? null : { date, text: m[0].trim(), yearGuessed: r.yg, dayGuessed: r.dg } };
  }
  return best?.found ?? null;
}

/** The report's own date: a line that is nothing but a date (perhaps in parentheses). */
export function dateLine(line: string): IsoDate | null {
  const m = /^[（(]?\s*(20\d\d)\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日\s*[）)]?$/.exec(line.trim())
    ?? /^[（(]?\s*(20\d\d)[-./](\d{1,2})[-./](\d{1,2})\s*[）)]?$/.exec(line.trim());
  return m ? iso(+m[1]!, +m[2]!, +m[3]!) : null;
}

/** The year a report is about: its date's, else the first year its text names. */
export function yearOf(date: IsoDate | null, text: string): number | null {
  if (date !== null) return Number(date.slice(0, 4));
  const m = /(20\d\d)\s*年/.exec(text);
  return m ? Number(m[1]) : null;
}

const TERM_WORDS: { term: Term; re: RegExp }[] = [
  { term: 'immediate', re: /立行立改|立知立改|即知即改|立即整改/ },
  { term: 'ongoing', re: /长期坚持|常态化|持续|长效|终身/ },
];

/** The term a text's words suggest, and the word: 立行立改 → immediate; 长期坚持, 常态化,
 *  持续 → ongoing; null (a deadline) otherwise. */
export function termOf(text: string): { term: Term; word: string } | null {
  for (const { term, re } of TERM_WORDS) {
    const m = re.exec(text);
    if (m) return { term, word: m[0] };
  }
  return null;
}
