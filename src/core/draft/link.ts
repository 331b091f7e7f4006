// Which problems an item rectifies, when the document does not say: the TF-IDF cosine of
// their words. The words come from a tokenizer the caller picks (character bigrams here;
// a word segmenter such as jieba is native code, so the command would lend it).

import { conceptsOf } from './concepts.js';

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
  /** The least score that counts as a link. */
  min: number;
  /** A second or third link must score at least this share of the best. */
  share: number;
  /** At most this many links per item. */
  max: number;
  /** Added to the score of the problems of the area an item's measure answers (see
   *  answeredAreas): the genre's measures follow its areas, so a problem of the item's own
   *  area needs fewer shared words than one of another. */
  area: number;
  /** Weight of the cosine of the concepts an item and a problem name (concepts.ts), added to
   *  the cosine of their words: the genre's measures answer problems in its fixed terms
   *  (落实“两个责任” for 廉洁风险防控不到位). 0: words only. */
  concept: number;
  /** The least score at which a problem no item links to takes the item that scores it best
   *  (the genre gives every problem a measure). 0: never. */
  cover: number;
  /** Added to the score of the problems a cause explains when the item's measure answers that
   *  cause (see causeProblems): the genre's 原因 section restates its problems in general terms
   *  (理想信念有所松懈 … 面对新问题拿不出办法), and its measures often follow the causes rather
   *  than the areas (坚定理想信念 …). 0: the causes are not used. */
  cause: number;
}

/** Chosen on the genre set of tests/fixtures/draft/genre and tests/fixtures/draft/reports.ts (twenty
 *  reports), not on the bundled report (README, and tests/unit/draft-links-tune.test.ts for how,
 *  with the selection written down before the bundled report was scored with this rule): the
 *  criterion (F0.5, precision weighted) is the one whose choices held out one report at a time
 *  stayed farthest above the goal (precision 0.85, recall 0.7). A link needs a score of 0.08 (the
 *  cosine of character bigrams, plus 0.05 in the item's own area), a second or third one 90% of
 *  the best; a problem left without any takes its best item if that scores 0.04. Below that the
 *  item is left for a person to link. The concepts and the causes are not used: held out, on the
 *  twenty reports, neither added a right link under this criterion (the test prints each part). */
export const LINK_RULE: LinkRule = { min: 0.08, share: 0.9, max: 3, area: 0.05, concept: 0, cover: 0.04, cause: 0 };

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

/** The problems suggested for each item: indexes into `problems`, best first (a problem it
 *  covers, last), each with its score; an item with nothing above the rule's floor and no
 *  problem to cover gets none. `own[k]` is the set of problems in the area item k's measure
 *  answers (empty: none known); their scores get the rule's area bonus. */
export function suggestLinks(items: string[], problems: string[], tokenize: Tokenize, rule: LinkRule = LINK_RULE, own: ReadonlySet<number>[] = [], byCause: ReadonlySet<number>[] = []): { index: number; score: number }[][] {
  const byConcept = rule.concept > 0 ? similarity(items, problems, conceptsOf) : null;
  const rows = similarity(items, problems, tokenize).map((words, k) =>
    words.map((x, p) => {
      const score = x + rule.concept * (byConcept?.[k]?.[p] ?? 0);
      return { index: p, score, rank: score + (own[k]?.has(p) ? rule.area : 0) + (byCause[k]?.has(p) ? rule.cause : 0) };
    }),
  );
  const links = rows.map((row) => {
    const ranked = [...row].sort((a, b) => b.rank - a.rank);
    const best = ranked[0]?.rank ?? 0;
    if (best < rule.min) return [];
    return ranked.filter((r) => r.rank >= rule.min && r.rank >= best * rule.share).slice(0, rule.max);
  });
  // Every problem of the genre's reports has its measure: a problem no item links to gets the
  // item that scores it best, if that reaches the rule's cover (and the item has room).
  if (rule.cover > 0) {
    const linked = new Set(links.flatMap((l) => l.map((r) => r.index)));
    problems.forEach((_, p) => {
      if (linked.has(p)) return;
      let best: number | null = null;
      rows.forEach((row, k) => {
        const r = row[p]?.rank ?? 0;
        if (r >= rule.cover && (best === null || r > (rows[best]?.[p]?.rank ?? 0))) best = k;
      });
      const list = best === null ? undefined : links[best];
      const found = best === null ? undefined : rows[best]?.[p];
      if (list !== undefined && found !== undefined && list.length < rule.max) list.push(found);
    });
  }
  return links.map((l) => l.map(({ index, score }) => ({ index, score })));
}

/** The areas each measure answers (indexes into the areas; empty: none known). The genre's
 *  measures section follows its problems section: one measure to an area, in the areas' order
 *  (（一）理论学习方面 … then （一）强化理论武装 …), or measures headed by the theme of an area
 *  (深化廉洁意识 for 廉洁自律方面; 提升履职本领，勇于担当作为 for two). A measure answers the
 *  areas whose names share words with its heading; a heading that shares none, the one area
 *  its introduction names best (no tie). The order decides instead when there are as many
 *  measures as areas and no measure's words name another area than its own. */
export function answeredAreas(measures: { title: string; intro: string | null }[], areaNames: string[], tokenize: Tokenize): number[][] {
  if (areaNames.length < 2 || measures.length === 0) return measures.map(() => []);
  const byTitle = similarity(measures.map((m) => m.title), areaNames, tokenize);
  const byIntro = similarity(measures.map((m) => m.intro ?? ''), areaNames, tokenize);
  const byWords = measures.map((_, k) => {
    const named = (byTitle[k] as number[]).flatMap((x, a) => (x > 0 ? [a] : []));
    if (named.length > 0) return named;
    const row = byIntro[k] as number[];
    const best = Math.max(...row);
    return best > 0 && row.filter((x) => x === best).length === 1 ? [row.indexOf(best)] : [];
  });
  if (measures.length === areaNames.length && byWords.every((as, i) => as.length === 0 || (as.length === 1 && as[0] === i))) return measures.map((_, i) => [i]);
  return byWords;
}

/** The problems each measure reaches through the causes (indexes into the problems; empty: none
 *  known). A cause explains the problems whose words it shares most of all the causes' (its title
 *  and its detail, which in the genre restates them: 对学习的重要性认识不到位 … 面对新情况拿不出
 *  好办法); a measure answers the causes its heading names, as a measure answers an area
 *  (answeredAreas: 坚定理想信念 for 理想信念有所松懈, or the causes' order when there are as many
 *  measures as causes). */
export function causeProblems(measures: { title: string; intro: string | null }[], causes: { title: string; detail: string | null }[], problems: string[], tokenize: Tokenize): Set<number>[] {
  if (causes.length < 2 || measures.length === 0) return measures.map(() => new Set());
  const answered = answeredAreas(measures, causes.map((c) => c.title), tokenize);
  const explains: Set<number>[] = causes.map(() => new Set());
  similarity(problems, causes.map((c) => c.title + '\n' + (c.detail ?? '')), tokenize).forEach((row, p) => {
    const best = Math.max(...row);
    if (best > 0 && row.filter((x) => x === best).length === 1) explains[row.indexOf(best)]!.add(p);
  });
  return answered.map((cs) => new Set(cs.flatMap((c) => [...explains[c]!])));
}
