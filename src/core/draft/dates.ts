// Deadlines as reports write them: 2024年3月31日, 2024年3月底前, 年底前, 年内, 6月30日,
// 2024-06-30, 2024.6.30, 上半年, 下半年, 第三季度, 3月中旬, 三月底, 年中, 春节前, 七一前, 国庆节前,
// 元旦前; and the term words 立行立改, 长期坚持, 常态化, 持续 (and, labelled, 每季度, 定期).
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

/** A month written in digits (3, 12) or in Chinese numerals (三, 十二). */
const MONTH = '(\\d{1,2}|十[一二]?|[一二三四五六七八九])';
function month(s: string): number {
  if (/^\d+$/.test(s)) return Number(s);
  const cn = '一二三四五六七八九';
  if (s.startsWith('十')) return 10 + (s.length > 1 ? cn.indexOf(s[1] as string) + 1 : 0);
  return cn.indexOf(s) + 1;
}
/** The day a part of a month ends: 上旬 the 10th, 中旬 the 20th, else (下旬, 底, 末, a month
 *  alone) its last day (0). */
function partEnd(part: string | undefined): number {
  return part === '上旬' ? 10 : part === '中旬' ? 20 : 0;
}
function quarter(s: string): number {
  return '一二三四'.indexOf(s) + 1 || Number(s);
}

/** 春节 (the first day of the lunar year) by year: 春节前 is the day before it (除夕). */
const SPRING_FESTIVAL: Record<number, string> = {
  2020: '01-25', 2021: '02-12', 2022: '02-01', 2023: '01-22', 2024: '02-10', 2025: '01-29', 2026: '02-17', 2027: '02-06',
  2028: '01-26', 2029: '02-13', 2030: '02-03', 2031: '01-23', 2032: '02-11', 2033: '01-31', 2034: '02-19', 2035: '02-08',
};
function springEve(y: number): { y: number; mo: number; d: number } | null {
  const f = SPRING_FESTIVAL[y];
  if (f === undefined) return null;
  const eve = new Date(Date.UTC(y, Number(f.slice(0, 2)) - 1, Number(f.slice(3)) - 1));
  return { y, mo: eve.getUTCMonth() + 1, d: eve.getUTCDate() };
}

/** 一…三十一 as a number (十二, 二十, 三十一); NaN when it is none. */
function cnSmall(s: string): number {
  const d = (c: string | undefined) => (c === undefined || c === '' ? 0 : '一二三四五六七八九'.indexOf(c) + 1);
  const m = /^([一二三四五六七八九])?(十)?([一二三四五六七八九])?$/.exec(s);
  if (m === null || s === '') return Number.NaN;
  return m[2] ? (m[1] ? d(m[1]) : 1) * 10 + d(m[3]) : d(m[1]);
}

/** A date written in Chinese numerals, as official documents date themselves (二〇二五年四月八日,
 *  二〇二五年六月底前, 六月二十日前), in Arabic digits, so that the patterns below read it. */
export function arabicDates(text: string): string {
  return text
    .replace(/([〇○零一二三四五六七八九]{4})(\s*年)/g, (_w, y: string, nian: string) =>
      [...y].map((c) => (/[〇○零]/.test(c) ? 0 : '一二三四五六七八九'.indexOf(c) + 1)).join('') + nian)
    .replace(/([一二三四五六七八九十]{1,2})(\s*月\s*)([一二三四五六七八九十]{1,3})(\s*[日号])/g, (w, mo: string, yue: string, d: string, ri: string) => {
      const a = cnSmall(mo);
      const b = cnSmall(d);
      return Number.isNaN(a) || Number.isNaN(b) ? w : `${a}${yue}${b}${ri}`;
    });
}

type Read = { y: number; mo: number; d: number; yg: boolean; dg: boolean } | null;

/** 年中 (30 June) and the holidays deadlines are set by: 七一 (the Party's founding, 1 July),
 *  五一/劳动节 (1 May), 国庆 (1 October), 元旦 (1 January); the day before each. */
function holiday(words: string, y: number, yg: boolean): Read {
  if (/年中/.test(words)) return { y, mo: 6, d: 30, yg, dg: true };
  if (/七一/.test(words)) return { y, mo: 6, d: 30, yg, dg: true };
  if (/五一|劳动节/.test(words)) return { y, mo: 4, d: 30, yg, dg: true };
  if (/国庆/.test(words)) return { y, mo: 9, d: 30, yg, dg: true };
  // 2025年元旦前 is 2024-12-31; 元旦前 alone, the New Year that closes the report's year.
  return { y: yg ? y : y - 1, mo: 12, d: 31, yg, dg: true };
}

/** At one place the first pattern that matches wins: the more specific come first. */
const PATTERNS: { re: RegExp; read(m: RegExpExecArray, year: number): Read }[] = [
  // 2024-06-30, 2024.6.30, 2024/6/30, 2024年6月30日
  { re: /(20\d\d)\s*(?:[-./]|年)\s*(\d{1,2})\s*(?:[-./]|月)\s*(\d{1,2})\s*[日号]?/, read: (m) => ({ y: +m[1]!, mo: +m[2]!, d: +m[3]!, yg: false, dg: false }) },
  // 2024年3月底, 2024年3月末, 2024年3月中旬, 2024年三月, 2024年3月
  { re: new RegExp(`(20\\d\\d)\\s*年\\s*${MONTH}\\s*月(?:份)?(底|末|上旬|中旬|下旬)?`), read: (m) => ({ y: +m[1]!, mo: month(m[2]!), d: partEnd(m[3]), yg: false, dg: true }) },
  // 2024年第三季度, 2024年三季度末
  { re: /(20\d\d)\s*年\s*(?:第\s*)?([一二三四1-4])\s*季度/, read: (m) => ({ y: +m[1]!, mo: quarter(m[2]!) * 3, d: 0, yg: false, dg: true }) },
  // 2024年上半年, 2024年下半年
  { re: /(20\d\d)\s*年\s*([上下])半年/, read: (m) => ({ y: +m[1]!, mo: m[2] === '上' ? 6 : 12, d: 0, yg: false, dg: true }) },
  // 2025年春节前
  { re: /(20\d\d)\s*年\s*春节/, read: (m) => { const e = springEve(+m[1]!); return e && { ...e, yg: false, dg: true }; } },
  // 2025年年中, 2025年七一前, 2025年国庆节前, 2025年元旦前 (the eve of that year's 1 January)
  { re: /(20\d\d)\s*年\s*(?:年中|[“"]?(?:七一|五一|国庆节?|劳动节|元旦)[”"]?前)/, read: (m) => holiday(m[0].replace(/^20\d\d\s*年\s*/, ''), +m[1]!, false) },
  // 2024年底, 2024年末, 2024年内, 2024年
  { re: /(20\d\d)\s*年(?:底|末|内|度)?/, read: (m) => ({ y: +m[1]!, mo: 12, d: 31, yg: false, dg: true }) },
  // 6月30日
  { re: /(\d{1,2})\s*月\s*(\d{1,2})\s*[日号]/, read: (m, y) => ({ y, mo: +m[1]!, d: +m[2]!, yg: true, dg: false }) },
  // 3月底, 3月末, 3月中旬, 三月份, 3月
  { re: new RegExp(`${MONTH}\\s*月(?:份)?(底|末|上旬|中旬|下旬)?`), read: (m, y) => ({ y, mo: month(m[1]!), d: partEnd(m[2]), yg: true, dg: true }) },
  // 第一季度 … 第四季度, 一季度, 三季度末
  { re: /(?:第\s*)?([一二三四1-4])\s*季度/, read: (m, y) => ({ y, mo: quarter(m[1]!) * 3, d: 0, yg: true, dg: true }) },
  // 上半年, 下半年
  { re: /([上下])半年/, read: (m, y) => ({ y, mo: m[1] === '上' ? 6 : 12, d: 0, yg: true, dg: true }) },
  // 春节前 (the day before the Spring Festival of the report's year)
  { re: /春节/, read: (_m, y) => { const e = springEve(y); return e && { ...e, yg: true, dg: true }; } },
  // 年中; 七一前, 五一前, 国庆节前, 元旦前: the day before the holiday
  { re: /年中|[“"]?(?:七一|五一|国庆节?|劳动节|元旦)[”"]?前/, read: (m, y) => holiday(m[0], y, true) },
  // 年底, 年末, 年内, 年前, 本年度, 今年: the year's last day
  // (半年内, 两年内, 3年内 are spans from a day the report does not give: no date.)
  { re: /(?:年底|年末|(?<![半一二两三四五六七八九十\d个])年内|年前|本年度|本年|今年)/, read: (_m, y) => ({ y, mo: 12, d: 31, yg: true, dg: true }) },
];

/** The first deadline found in `text`, with `year` for the dates that name none. */
export function findDate(written: string, year: number): FoundDate | null {
  const text = arabicDates(written);
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
export function dateLine(written: string): IsoDate | null {
  const line = arabicDates(written);
  const m = /^[（(]?\s*(20\d\d)\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日\s*[）)]?$/.exec(line.trim())
    ?? /^[（(]?\s*(20\d\d)[-./](\d{1,2})[-./](\d{1,2})\s*[）)]?$/.exec(line.trim());
  return m ? iso(+m[1]!, +m[2]!, +m[3]!) : null;
}

/** The year a report is about: its date's, else the first year its text names. */
export function yearOf(date: IsoDate | null, text: string): number | null {
  if (date !== null) return Number(date.slice(0, 4));
  const m = /(20\d\d)\s*年/.exec(arabicDates(text));
  return m ? Number(m[1]) : null;
}

const TERM_WORDS: { term: Term; re: RegExp }[] = [
  { term: 'immediate', re: /立行立改|立知立改|即知即改|立查立改|即查即改|边查边改|立即整改|立改立行/ },
  { term: 'ongoing', re: /长期坚持|常态化|持续|长效|终身|持之以恒|久久为功/ },
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

/** The term a labelled deadline states: the words above, 长期 alone (整改时限：长期), and a
 *  period the work recurs in (每季度, 每月, 每半年, 每年, 定期) or 常抓不懈, when no date is
 *  written with it. */
export function termOfDue(text: string): { term: Term; word: string } | null {
  const t = termOf(text);
  if (t !== null) return t;
  const m = /长期|每(?:个)?(?:季度|月|周|半年|年)|定期|常抓不懈|长抓不懈/.exec(text);
  if (m === null || (m[0] !== '长期' && findDate(text.replace(/每(?:个)?(?:季度|月|周|半年|年)/g, ''), 2000) !== null)) return null;
  return { term: 'ongoing', word: m[0] };
}
