// Problems that recur from an earlier report (年年提、年年改): the same shortcoming is reworded
// every year, so problems are matched by meaning, approximately: the TF-IDF cosine of their
// words (a segmenter the caller lends: jieba in the command) and of their character pairs,
// after the genre's ways of saying one thing are brought to one word and its ways of saying
// "not enough" (不够, 不到位, 仍然存在 …), which every problem has, are left out.
// The thresholds are chosen on a test set of report pairs (tests/fixtures/repeats; README
// gives the precision and recall on the part used to choose and on the part held out).
import type { Status } from './vocab.js';

export interface RepeatProblem {
  id: string;
  title: string;
  detail: string | null;
  /** The items addressing it, in listing order. */
  items: { id: string; status: Status }[];
}

export interface RepeatPair {
  problem: string;
  title: string;
  olderProblem: string;
  olderTitle: string;
  /** Cosine similarity, 0..1, rounded to 3 places. */
  score: number;
  olderItems: { id: string; status: Status }[];
}

/** A word segmenter: text in, words out (jieba's cut). */
export type Cut = (text: string) => string[];

export interface RepeatRule {
  /** The least cosine that counts as a recurrence. */
  min: number;
  /** The weight of a character pair against a word (1). */
  bigramWeight: number;
  /** How many times a problem's title counts against its detail (a title is the problem in
   *  one line; the detail brings examples that change from year to year). */
  titleWeight: number;
}

/** Chosen on the tuning half of the test set (README, "Problems that recur", has the grid):
 *  words count once in a title as in a detail, a character pair a quarter of a word, and the
 *  least cosine is the middle of the range (0.10 to 0.18) where the tuning pairs keep a
 *  precision of 0.9 or more with every marked recurrence found. */
export const REPEAT_RULE: RepeatRule = { min: 0.14, bigramWeight: 0.25, titleWeight: 1 };

// Ways of saying one thing, each brought to its first word: longer phrases first, so that
// "调查研究" is taken whole before "研究" could be. General words of the genre, not words of
// any one report.
const SYNONYMS: string[][] = [
  ['调研', '调查研究', '深入基层', '基层一线', '蹲点', '走访', '实地察看', '看现场'],
  ['读文件', '照本宣科', '领读文件', '读原文', '念文件'],
  ['浅表', '浮于表面', '浅表化', '碎片化', '不深不透', '浮在面上', '蜻蜓点水', '走过场'],
  ['学用结合', '理论联系实际', '学用脱节', '以学促干', '学以致用', '知行合一'],
  ['创新理论', '新思想', '新时代中国特色社会主义思想'],
  ['负担', '减负', '文山会海', '填表报数', '报表', '发文'],
  ['招标', '招投标', '公开招标', '招标采购', '采购'],
  ['规避招标', '化整为零', '拆分'],
  ['回扣', '带金销售', '红包', '吃拿卡要'],
  ['担当', '担当作为', '不敢担当', '不愿作为', '不愿担责', '推诿扯皮', '推诿', '绕着走', '畏难'],
  ['就医', '看病难', '看病', '挂号难', '一号难求', '就诊'],
  ['医改', '医疗卫生体制改革', '医药卫生体制改革'],
  ['舆情', '舆论', '网络舆论'],
  ['两张皮', '融合不深', '结合不紧', '衔接不够', '融合不紧'],
  ['决策', '前置研究', '三重一大', '重大事项', '上会'],
  ['外包', '外委', '承包商', '分包'],
  ['研发', '科技创新', '自主创新', '创新能力'],
  ['核心技术', '卡脖子', '关键核心技术'],
  ['年龄结构', '平均年龄', '年龄偏大', '老化'],
  ['年轻干部', '优秀年轻干部', '后备干部'],
  ['温差', '落差', '偏差'],
  ['群众', '老百姓', '居民', '办事群众'],
  ['收费', '乱收费', '违规收费', '分解收费', '重复收费'],
  ['食堂', '食材'],
  ['党组织', '党支部', '支部'],
];

// Every problem says something falls short; these words tell nothing apart.
const STOP = new Set([
  '问题', '存在', '存在着', '仍然', '仍有', '依然', '还', '还是', '不够', '不足', '不到位', '不强', '不高', '不严', '不力', '不佳',
  '不明显', '不充分', '不规范', '不深入', '不及时', '不彻底', '有待', '提高', '提升', '加强', '进一步', '方面', '工作', '部分', '个别',
  '一些', '有的', '少数', '等', '情况', '现象', '方面', '作用', '发挥', '落实', '推进', '较大', '突出', '时有发生', '没有', '尚未',
]);

const SYNONYM_OF: [string, string][] = SYNONYMS.flatMap(([head, ...rest]) => rest.map((w): [string, string] => [w, head!]))
  .sort((a, b) => b[0].length - a[0].length);
const SYNONYM_PATTERN = new RegExp(SYNONYM_OF.map(([w]) => w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|'), 'g');
const CANONICAL = new Map(SYNONYM_OF);

/** The text with the genre's synonyms brought to one word each. */
export function normalise(text: string): string {
  return text.replace(SYNONYM_PATTERN, (w) => CANONICAL.get(w) ?? w);
}

function runs(text: string): string[] {
  return text.match(/[\p{Script=Han}A-Za-z0-9]+/gu) ?? [];
}

/** The weighted terms of a text: words of two characters or more that are not stop words,
 *  and overlapping character pairs of the runs left when stop words are cut out. */
export function terms(text: string, cut: Cut, rule: RepeatRule): Map<string, number> {
  const out = new Map<string, number>();
  const add = (k: string, w: number) => out.set(k, (out.get(k) ?? 0) + w);
  for (const r of runs(normalise(text))) {
    const words = cut(r);
    const kept: string[] = [];
    for (const w of words) {
      if (STOP.has(w)) {
        kept.push('|');
        continue;
      }
      kept.push(w);
      if ([...w].length >= 2) add(`w:${w}`, 1);
    }
    // Pairs of characters within what is left, so that a word jieba cut differently in each
    // year (“交房即交证”, 网格员) still meets its twin.
    for (const part of kept.join('').split('|')) {
      const chars = [...part];
      for (let i = 0; i + 1 < chars.length; i++) add(`b:${chars[i]}${chars[i + 1]}`, rule.bigramWeight);
    }
  }
  return out;
}

function document(p: RepeatProblem, cut: Cut, rule: RepeatRule): Map<string, number> {
  const v = terms(p.title, cut, rule);
  for (const [k, w] of v) v.set(k, w * rule.titleWeight);
  if (p.detail) for (const [k, w] of terms(p.detail, cut, rule)) v.set(k, (v.get(k) ?? 0) + w);
  return v;
}

/** Every (newer, older) pair's cosine: rows are the newer problems, columns the older ones.
 *  The inverse document frequency is taken over both ledgers' problems together. */
export function similarities(newer: RepeatProblem[], older: RepeatProblem[], cut: Cut, rule: RepeatRule = REPEAT_RULE): number[][] {
  const docsNew = newer.map((p) => document(p, cut, rule));
  const docsOld = older.map((p) => document(p, cut, rule));
  const all = [...docsNew, ...docsOld];
  const df = new Map<string, number>();
  for (const d of all) for (const k of d.keys()) df.set(k, (df.get(k) ?? 0) + 1);
  const n = all.length;
  const weigh = (d: Map<string, number>) => {
    const v = new Map<string, number>();
    let norm = 0;
    for (const [k, tf] of d) {
      const w = (1 + Math.log(tf)) * Math.log((n + 1) / ((df.get(k) ?? 0) + 1) + 1);
      v.set(k, w);
      norm += w * w;
    }
    return { v, norm: Math.sqrt(norm) };
  };
  const vn = docsNew.map(weigh);
  const vo = docsOld.map(weigh);
  return vn.map((a) => vo.map((b) => {
    if (a.norm === 0 || b.norm === 0) return 0;
    let dot = 0;
    const [small, large] = a.v.size <= b.v.size ? [a.v, b.v] : [b.v, a.v];
    for (const [k, w] of small) {
      const x = large.get(k);
      if (x !== undefined) dot += w * x;
    }
    return dot / (a.norm * b.norm);
  }));
}

/** The problems of the newer ledger that recur from the older one: each newer problem with
 *  the older problem it is most like, when that cosine reaches the rule's least; most
 *  similar first (then in the newer ledger's order). */
export function findRepeats(newer: RepeatProblem[], older: RepeatProblem[], cut: Cut, rule: RepeatRule = REPEAT_RULE): RepeatPair[] {
  if (newer.length === 0 || older.length === 0) return [];
  const sim = similarities(newer, older, cut, rule);
  const pairs: (RepeatPair & { pos: number })[] = [];
  newer.forEach((p, i) => {
    const row = sim[i]!;
    let best = 0;
    for (let j = 1; j < row.length; j++) if (row[j]! > row[best]!) best = j;
    const score = row[best]!;
    if (score < rule.min) return;
    const o = older[best]!;
    pairs.push({
      pos: i, problem: p.id, title: p.title, olderProblem: o.id, olderTitle: o.title,
      score: Math.round(score * 1000) / 1000, olderItems: o.items,
    });
  });
  pairs.sort((a, b) => b.score - a.score || a.pos - b.pos);
  return pairs.map(({ pos: _pos, ...rest }) => rest);
}
