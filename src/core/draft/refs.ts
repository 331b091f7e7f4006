// The problems a measure or an item says it answers, in the genre's words: by number
// (针对问题3, （对应问题2、5）, 针对第三个问题, 对问题1至6) or by the problem's own title
// (关于预算编制不够准确的问题, 针对“调查研究走过场”问题). What the document states is a link,
// not a guess.
import { bigrams } from './link.js';
import { cnNumber } from './text.js';

const N = '[0-9一二三四五六七八九十]{1,3}';
/** 针对问题3, 对应问题2、5, 整改问题1至3, 针对第3个问题, 对应第二项问题; not a count (整改问题12个). */
const BY_NUMBER = new RegExp(`(?:针对|对应|关于|整改|解决|对)(?:上述|前述)?(?:第(${N})(?:个|项|条)问题|问题\\s*(${N}(?:\\s*[、，,和及与至到~-]\\s*(?:问题)?\\s*${N})*)(?![0-9一二三四五六七八九十个项条处件起]))`, 'g');
/** 对应问题（一）（二）, 针对问题(三)、(四). */
const BY_PAREN = new RegExp(`(?:针对|对应|关于|整改|解决|对)(?:上述|前述)?问题\\s*((?:[（(]\\s*${N}\\s*[）)]\\s*[、，,和及与]?\\s*)+)`, 'g');
/** 针对/关于 X 的问题, X a problem's title (in quotes or not). */
const BY_TITLE = /(?:针对|关于)\s*[“"「『]?([^，。；：,;:“”"「」『』]{4,40}?)[”"」』]?\s*(?:的|等)?问题/g;

const plain = (s: string) => s.replace(/[\s，。；：、,.;:“”"「」『』（）()]/g, '');

/** Of two texts, the share of the shorter one's character pairs the other has. */
function overlap(a: string, b: string): number {
  const [short, long] = a.length <= b.length ? [a, b] : [b, a];
  const have = new Set(bigrams(long));
  const pairs = bigrams(short);
  return pairs.length === 0 ? 0 : pairs.filter((p) => have.has(p)).length / pairs.length;
}

/** The indexes (into `titles`, the problems in document order) of the problems `text` names,
 *  in the order it names them; the numbers count the problems from one, as a report that
 *  refers to 问题3 numbers them. */
export function problemRefs(text: string, titles: string[]): number[] {
  const out: number[] = [];
  const add = (k: number) => {
    if (k >= 0 && k < titles.length && !out.includes(k)) out.push(k);
  };
  for (const m of text.matchAll(BY_NUMBER)) {
    if (m[1] !== undefined) {
      add(cnNumber(m[1]) - 1);
      continue;
    }
    const list = m[2] as string;
    const nums = [...list.matchAll(new RegExp(N, 'g'))].map((x) => cnNumber(x[0]));
    const range = /[至到~-]/.test(list) && nums.length === 2;
    if (range && (nums[0] as number) <= (nums[1] as number) && (nums[1] as number) - (nums[0] as number) < 50) {
      for (let n = nums[0] as number; n <= (nums[1] as number); n++) add(n - 1);
    } else {
      for (const n of nums) add(n - 1);
    }
  }
  // 对应问题（一）（二）, 针对问题(三): the problems as a report numbers them, in parentheses.
  for (const m of text.matchAll(BY_PAREN)) {
    for (const x of (m[1] as string).matchAll(new RegExp(`[（(]\\s*(${N})\\s*[）)]`, 'g'))) add(cnNumber(x[1] as string) - 1);
  }
  const ts = titles.map(plain);
  for (const m of text.matchAll(BY_TITLE)) {
    const said = plain(m[1] as string);
    // The title itself, or most of its words: the best match, if no other matches as well.
    const scores = ts.map((t) => (t === said ? 1 : overlap(said, t)));
    const best = Math.max(0, ...scores);
    if (best >= 0.75 && scores.filter((x) => x === best).length === 1) add(scores.indexOf(best));
  }
  return out;
}

/** An item that opens on the problem it answers (针对问题一，… 针对第二个问题：… 对应问题1、2，…
 *  针对“…”的问题，…): its words without that clause, which the link says; the text as it is
 *  when nothing follows the clause. */
export function withoutLeadingRef(text: string): string {
  const m = new RegExp(`^(?:(?:针对|对应|关于|对)(?:上述|前述)?(?:第${N}(?:个|项|条)问题|第${N}个?方面(?:的|存在的)?(?:问题|不足)|问题\\s*${N}(?:\\s*[、，,和及与至到~-]\\s*(?:问题)?\\s*${N})*)|(?:针对|关于)\\s*[“"「『][^”"」』]{1,60}[”"」』]\\s*(?:的|等)?问题)\\s*[，,：:]\\s*`).exec(text);
  if (m === null) return text;
  const rest = text.slice(m[0].length);
  return rest.trim() === '' ? text : rest;
}

/** 针对第一方面问题, 对应第二个方面的问题: the problems of the areas a text names by number (the
 *  areas in the report's order, `areas` the indexes of each one's problems). */
export function areaRefs(text: string, areas: number[][]): number[] {
  const out: number[] = [];
  for (const m of text.matchAll(new RegExp(`(?:针对|对应|关于|对)(?:上述|前述)?第(${N})个?方面(?:的|存在的)?(?:问题|不足)`, 'g'))) {
    for (const k of areas[cnNumber(m[1] as string) - 1] ?? []) if (!out.includes(k)) out.push(k);
  }
  return out;
}
