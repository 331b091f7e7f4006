// Text as reports write it: full-width digits and letters, sentences ending in 。；：,
// enumerations inside a paragraph (一是…二是…, 一方面…另一方面…).

/** Full-width ASCII (digits, letters, ．／－) to half-width; ideographic space to a space;
 *  control characters other than tab and newline dropped (a seed refuses them). */
export function normalize(text: string): string {
  return text
    .replace(/\r\n?/g, '\n')
    .replace(/[\uff10-\uff19\uff21-\uff3a\uff41-\uff5a\uff0d\uff0e\uff0f]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0))
    .replace(/[\u3000\u00a0]/g, ' ')
    // Joiners and the non-breaking hyphen a document sets to keep a date or an id on one line.
    .replace(/\u2011/g, '-')
    .replace(/\u2060/g, '')
    .replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\ufeff\u2028\u2029]/g, '')
    .replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '');
}

/** Paragraphs: non-empty lines, trimmed (Markdown emphasis markers dropped). */
export function paragraphs(text: string): string[] {
  return normalize(text)
    .split('\n')
    .map((l) => l.replace(/\*\*|__/g, '').trim())
    .filter((l) => l !== '');
}

const SENTENCE_END = /[。；;：:！？!?]/;

/** The first sentence (up to 。；：) as the title, the rest verbatim as the detail. */
export function splitTitle(text: string): { title: string; detail: string | null } {
  const t = text.trim().replace(LEADING_BULLET, '');
  const m = SENTENCE_END.exec(t);
  if (!m || m.index === 0) return { title: stripEnd(t), detail: null };
  const title = t.slice(0, m.index).trim();
  const rest = t.slice(m.index + 1).trim();
  return { title, detail: rest === '' ? null : rest };
}

const CLOSER: Record<string, string> = { '“': '”', '「': '」', '『': '』', '"': '"' };

/** A problem written as the 巡视/巡察 report quotes its feedback: 针对“…”的问题 (or 「…」,
 *  关于“…”的问题): the quoted words are its title, whole (a 。 or ； inside the quote cuts nothing),
 *  what follows the sentence its detail. Null when the text is not so written. */
export function quotedProblem(text: string): { title: string; detail: string | null } | null {
  const m = /^(?:针对|关于|对于)\s*([“「『"])/.exec(text.trim());
  if (!m) return null;
  const t = text.trim();
  const open = m[0].length;
  const close = t.indexOf(CLOSER[m[1] as string] as string, open);
  if (close <= open) return null;
  const after = /^\s*(?:的|这一|这个|等)?\s*(?:问题|情况|方面)?\s*(?:[。；;：:！？!?]|$)/.exec(t.slice(close + 1));
  if (!after) return null;
  const title = stripEnd(t.slice(open, close));
  const rest = t.slice(close + 1 + after[0].length).trim();
  return title === '' ? null : { title, detail: rest === '' ? null : rest };
}

/** Drops a trailing full stop or semicolon. */
export function stripEnd(s: string): string {
  return s.replace(/[。；;，,、\s]+$/u, '').trim();
}

const CN_DIGITS = '一二三四五六七八九十';

/** 一…十 as 1…10 (and 十一…十九); 0 when it is none of those. */
export function cnNumber(s: string): number {
  if (/^\d+$/.test(s)) return Number(s);
  if (s.length === 1) return CN_DIGITS.indexOf(s) + 1;
  if (s.length === 2 && s[0] === '十') return 10 + CN_DIGITS.indexOf(s[1] as string) + 1;
  return 0;
}

/** Where an enumeration starts a part: at the start of the text or after a sentence ends; a
 *  second or later 二是/三是 after a comma too (一是…，二是…，三是…, one sentence run on). */
const ENUM = /(^|[。；;！？!?\n]|[，,](?=\s*[二三四五六七八九十]是))\s*(?:([一二三四五六七八九十])是|(另)?一方面(?:是|，|,)?|其([一二三四五六七八九十])(?:是|，|,)|第([一二三四五六七八九十])(?:是|，|,|、))/g;

/** Splits a paragraph at 一是/二是/三是 (or 一方面/另一方面, 其一/其二, 第一，第二，) when they count up
 *  from one: the text before the first, and each part without its marker. Null when the text
 *  holds no such enumeration of at least two parts. */
export function splitEnumeration(text: string): { intro: string; parts: string[] } | null {
  const hits: { at: number; body: number; n: number; pair: boolean }[] = [];
  for (const m of text.matchAll(ENUM)) {
    const at = (m.index ?? 0) + (m[1] as string).length;
    const body = (m.index ?? 0) + m[0].length;
    if (m[2] !== undefined) hits.push({ at, body, n: cnNumber(m[2]), pair: false });
    else if (m[4] !== undefined) hits.push({ at, body, n: cnNumber(m[4]), pair: false });
    else if (m[5] !== undefined) hits.push({ at, body, n: cnNumber(m[5]), pair: false });
    else hits.push({ at, body, n: m[3] ? 2 : 1, pair: true });
  }
  // The chain: a first part numbered one, then each next number of the same kind in order.
  const chain: typeof hits = [];
  for (const h of hits) {
    if (chain.length === 0) {
      if (h.n === 1) chain.push(h);
    } else if (h.pair === (chain[0] as (typeof hits)[number]).pair && h.n === chain.length + 1) {
      chain.push(h);
    }
  }
  if (chain.length < 2) return null;
  const parts = chain.map((h, i) => text.slice(h.body, i + 1 < chain.length ? (chain[i + 1] as (typeof hits)[number]).at : undefined).trim());
  return { intro: text.slice(0, (chain[0] as (typeof hits)[number]).at).trim(), parts };
}

/** Points bulleted on lines of their own (● • ◆ ■ ▪ ► ★ ※ …): each without its bullet; null
 *  when fewer than two. */
export function splitBulleted(text: string): string[] | null {
  if (!BULLET_LINE.test(text)) return null;
  const parts = text.split(BULLET_SPLIT).map((x) => x.trim());
  // The text before the first bullet is no point (it is empty when the text starts with one).
  const points = parts.slice(1).filter((x) => x !== '');
  return (parts[0] ?? '') === '' && points.length >= 2 ? points : null;
}
const BULLETS = '●•◆◇■□▪▫►▶★☆※❖';
const BULLET_LINE = new RegExp(`^\\s*[${BULLETS}]`);
const BULLET_SPLIT = new RegExp(`(?:^|\\n)\\s*[${BULLETS}]\\s*`);
/** A bullet a line starts with (● 开展排查). */
export const LEADING_BULLET = new RegExp(`^\\s*[${BULLETS}]\\s*`);

/** Numbered points inside one field or cell: 1.… 2.…, （1）… （2）…, 1）… 2）… or ①… ②…,
 *  counting up from one. */
export function splitNumbered(text: string): string[] | null {
  // （2） and ② delimit themselves; 2. and 2） need a sentence's end or a space before them.
  // (1.2025年6月底前: a point that starts with a year, not the decimal 1.2.)
  const re = /(^|[。；;！？!?\n\s]|(?=[（(①-⑳]))\s*(?:(\d{1,2})[.、](?:(?!\d)|(?=20\d\d\s*年))|[（(](\d{1,2})[）)]|([①-⑳])|(\d{1,2})[）)])/g;
  const hits: { at: number; body: number; n: number; kind: number }[] = [];
  for (const m of text.matchAll(re)) {
    const at = (m.index ?? 0) + (m[1] as string).length;
    const body = (m.index ?? 0) + m[0].length;
    if (m[2] !== undefined) hits.push({ at, body, n: Number(m[2]), kind: 0 });
    else if (m[3] !== undefined) hits.push({ at, body, n: Number(m[3]), kind: 1 });
    else if (m[4] !== undefined) hits.push({ at, body, n: (m[4] as string).charCodeAt(0) - 0x2460 + 1, kind: 2 });
    else hits.push({ at, body, n: Number(m[5]), kind: 3 });
  }
  const chain: typeof hits = [];
  for (const h of hits) {
    if (chain.length === 0) {
      if (h.n === 1) chain.push(h);
    } else if (h.kind === (chain[0] as (typeof hits)[number]).kind && h.n === chain.length + 1) {
      chain.push(h);
    }
  }
  if (chain.length < 2) return null;
  return chain.map((h, i) => text.slice(h.body, i + 1 < chain.length ? (chain[i + 1] as (typeof hits)[number]).at : undefined).trim());
}

/** The unit a report's title names: 某局领导班子…, 中共某县委…, 某局关于…的整改方案. */
export function unitOf(title: string): string | null {
  const m = /^(?:中共)?(.{2,30}?(?:领导班子|党工委|党委|党组|党支部|党总支|委员会))/.exec(title) ?? /^(.{2,30}?)关于/.exec(title);
  return m ? (m[1] as string) : null;
}
