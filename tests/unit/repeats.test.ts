// `repeats` matches problems by meaning: its precision and recall on the test set of report
// pairs a year apart (tests/fixtures/repeats, README "Problems that recur"), on the pairs the
// thresholds were chosen on and on those held out, must not fall below what they reach now.
import { Jieba } from '@node-rs/jieba';
import { dict } from '@node-rs/jieba/dict.js';
import { describe, expect, it } from 'vitest';
import { findRepeats, normalise, REPEAT_RULE, type RepeatProblem } from '../../src/core/repeats.js';
import { evaluate, gold } from '../fixtures/repeats/evaluate.js';

const jieba = Jieba.withDict(dict);
const cut = (t: string) => jieba.cut(t, false);

describe('repeats on the test set', () => {
  it('holds at least five pairs of reports, each with recurrences marked, in both halves', () => {
    expect(gold.length).toBeGreaterThanOrEqual(5);
    expect(gold.filter((g) => g.split === 'tune').length).toBeGreaterThanOrEqual(2);
    expect(gold.filter((g) => g.split === 'heldout').length).toBeGreaterThanOrEqual(2);
    for (const g of gold) expect(g.repeats.length).toBeGreaterThan(0);
  });

  it('finds the recurrences of the tuning pairs with precision ≥ 0.94 and recall 1', () => {
    const s = evaluate('tune', cut, REPEAT_RULE);
    expect(s.precision, s.wrong.join('; ')).toBeGreaterThanOrEqual(0.94);
    expect(s.recall, s.missed.join('; ')).toBeGreaterThanOrEqual(1);
  });

  it('finds the recurrences of the held-out pairs with precision 1 and recall ≥ 0.94', () => {
    const s = evaluate('heldout', cut, REPEAT_RULE);
    expect(s.precision, s.wrong.join('; ')).toBeGreaterThanOrEqual(1);
    expect(s.recall, s.missed.join('; ')).toBeGreaterThanOrEqual(0.94);
  });

  it('brings the genre’s ways of saying one thing to one word', () => {
    expect(normalise('调查研究不深入，照本宣科')).toBe('调研不深入，读文件');
    expect(normalise('大宗食材未执行招投标')).toBe('大宗食堂未执行招标');
  });
});

describe('findRepeats', () => {
  const p = (id: string, title: string, detail: string | null = null): RepeatProblem => ({ id, title, detail, items: [{ id: `M.${id}`, status: 'done' }] });

  it('pairs each newer problem with the older one it is most like, most similar first, with the older items', () => {
    const older = [p('O1', '调查研究不深入', '下基层少，听汇报多'), p('O2', '食堂采购不规范', '大宗食材未公开招标'), p('O3', '网络安全防护薄弱')];
    const newer = [p('N1', '学校食堂采购存在漏洞', '食材采购未执行招投标'), p('N2', '深入基层调研不够', '以听取汇报代替实地察看'), p('N3', '教师编制不足')];
    const r = findRepeats(newer, older, cut);
    expect(r.map((x) => [x.problem, x.olderProblem])).toEqual(
      [...r].sort((a, b) => b.score - a.score).map((x) => [x.problem, x.olderProblem]),
    );
    expect(new Set(r.map((x) => `${x.problem}<${x.olderProblem}`))).toEqual(new Set(['N1<O2', 'N2<O1']));
    expect(r[0]!.olderItems).toEqual([{ id: `M.${r[0]!.olderProblem}`, status: 'done' }]);
    for (const x of r) expect(x.score).toBeGreaterThanOrEqual(REPEAT_RULE.min);
  });

  it('finds nothing when either ledger has no problems', () => {
    expect(findRepeats([], [p('O1', '学习不够')], cut)).toEqual([]);
    expect(findRepeats([p('N1', '学习不够')], [], cut)).toEqual([]);
  });
});
