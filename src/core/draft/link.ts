// Which problems an item rectifies, when the document does not say: the TF-IDF cosine of
// their words. The words come from a tokenizer the caller picks (character bigrams here;
// a word segmenter such as jieba is native code, so the command would lend it).

export type Tokenize = (text: string) => string[];

/** Runs of Chinese characters, letters and digits: the text without its punctuation. */
function runs(text: string): string[] {
  return text.match(/[\p{Script=Han}A-Za-z0-9]+/gu) ?? [];
}

/** Overlapping pairs of characters within each run (a run of one is itself). */
export const bigrams: Tokenize = (text) => {
  const out: string[] = [];
  for (const r of runs(text)) {
    const chars = [...r];
    if (chars.length === 1) out.push(r);
    for (let i = 0; i + 1 < chars.length; i++) out.push((chars[i] as string) + (chars[i + 1] as string));
  }
  return out;
};

/** Words of a segmenter, kept only when they hold two characters or more (single
 *  characters are mostly particles: 的, 和, 在). */
export function wordsOf(cut: (text: string) => string[]): Tokenize {
  return (text) => runs(text).flatMap((r) => cut(r)).filter((w) => [...w].length >= 2);
}

export interface LinkRule {
  /** The least cosine that counts as a link. */
  min: number;
  /** A second or third link must score at least this share of the best. */
  share: number;
  /** At most this many links per item. */
  max: number;
}

/** Chosen on the bundled report, whose seed was linked by hand (README: the precision and
 *  recall this gives there): a link needs a cosine of 0.04 of character bigrams, and a second
 *  or third one 70% of the best; below that the item is left for a person to link. */
export const LINK_RULE: LinkRule = { min: 0.04, share: 0.7, max: 3 };

type Vec = Map<string, number>;

function vectors(texts: string[], tokenize: Tokenize): Vec[] {
  const counts = texts.map((t) => {
    const m: Vec = new Map();
    for (const w of tokenize(t)) m.set(w, (m.get(w) ?? 0) + 1);
    return m;
  });
  const df = new Map<string, number>();
  for (const m of counts) for (const w of m.keys()) df.set(w, (df.get(w) ?? 0) + 1);
  const n = texts.length;
  return counts.map((m) => {
    const v: Vec = new Map();
    let norm = 0;
    for (const [w, c] of m) {
      const x = (1 + Math.log(c)) * Math.log((n + 1) / ((df.get(w) ?? 0) + 0.5));
      if (x <= 0) continue;
      v.set(w, x);
      norm += x * x;
    }
    norm = Math.sqrt(norm) || 1;
    for (const [w, x] of v) v.set(w, x / norm);
    return v;
  });
}

function cosine(a: Vec, b: Vec): number {
  let s = 0;
  const [small, big] = a.size < b.size ? [a, b] : [b, a];
  for (const [w, x] of small) s += x * (big.get(w) ?? 0);
  return s;
}

/** Every item's score against every problem (rows: items, columns: problems). */
export function similarity(items: string[], problems: string[], tokenize: Tokenize): number[][] {
  const vs = vectors([...problems, ...items], tokenize);
  const pv = vs.slice(0, problems.length);
  return vs.slice(problems.length).map((iv) => pv.map((p) => cosine(iv, p)));
}

/** The problems suggested for each item: indexes into `problems`, best first, each with its
 *  score; an item with nothing above the rule's floor gets none. */
export function suggestLinks(items: string[], problems: string[], tokenize: Tokenize, rule: LinkRule = LINK_RULE): { index: number; score: number }[][] {
  return similarity(items, problems, tokenize).map((row) => {
    const ranked = row.map((score, index) => ({ index, score })).sort((a, b) => b.score - a.score);
    const best = ranked[0]?.score ?? 0;
    if (best < rule.min) return [];
    return ranked.filter((r) => r.score >= rule.min && r.score >= best * rule.share).slice(0, rule.max);
  });
}
