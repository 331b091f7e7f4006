// How well draft links items to problems: precision and recall on reports of the genre written
// for it (tests/fixtures/draft/set.ts: the reports of tests/fixtures/draft/genre/, each with the
// links a careful reader makes in a gold file, and an Excel 台账 and two Word 方案 made in
// tests/fixtures/draft/reports.ts), which the rule was tuned on, and on the bundled report
// against data/seed.yaml, which it was not. The README gives the figures; the floors here are
// what the rule reaches.
import { describe, expect, it } from 'vitest';
import { bigrams } from '../../src/core/draft/index.js';
import { conceptsOf } from '../../src/core/draft/concepts.js';
import { answeredAreas, causeProblems, LINK_RULE, suggestLinks } from '../../src/core/draft/link.js';
import { problemRefs } from '../../src/core/draft/refs.js';
import { BUNDLED, FIGURES, GENERAL, HELD_OUT, PARAPHRASED, score, SET } from '../fixtures/draft/set.js';

describe('link precision and recall', () => {
  it('drafts each report of the set to the shape its gold file names', async () => {
    for (const c of [...SET, ...HELD_OUT, BUNDLED]) {
      const s = await c.draft({});
      const counts = [s.areas.reduce((n, a) => n + a.problems.length, 0), s.measures.reduce((n, m) => n + m.items.length, 0)];
      expect([c.name, ...counts]).toEqual([c.name, ...c.shape]);
    }
  });

  it('reaches the floors on the set it was tuned on (README figures)', async () => {
    const r = await score(SET, FIGURES);
    expect([r.right, r.suggested, r.gold]).toEqual([179, 181, 210]);
    expect(r.precision).toBeGreaterThanOrEqual(FLOOR.set.precision);
    expect(r.recall).toBeGreaterThanOrEqual(FLOOR.set.recall);
  });

  it('on the five reports of the set whose measures paraphrase their problems (README figures)', async () => {
    const r = await score(SET.filter((c) => PARAPHRASED.has(c.name)));
    // Words only, the rule before the concepts and the cover: 47 right of 51 suggested; with the
    // concepts (0.05) and a cover of 0.02, the rule before issue 21's last four reports: 57 of 58.
    expect([r.right, r.suggested, r.gold]).toEqual([53, 54, 65]);
  });

  it('on the four reports of the set in the bundled report\'s hard shape (README figures)', async () => {
    const r = await score(SET.filter((c) => GENERAL.has(c.name)));
    // The rule before them, which had not seen them: 43 right of 49.
    expect([r.right, r.suggested, r.gold]).toEqual([41, 42, 55]);
  });

  it('on the three reports held out from every tuning (README figures)', async () => {
    const r = await score(HELD_OUT, FIGURES);
    // The rule with single characters blended in, which the set chose and which was then
    // dropped on these and the bundled report (README): 38 right of 39.
    expect([r.right, r.suggested, r.gold]).toEqual([37, 37, 47]);
  });

  it('reaches the floors on the bundled report, kept out of the tuning (README figures)', async () => {
    const r = await score([BUNDLED], FIGURES);
    expect([r.right, r.suggested, r.gold]).toEqual([16, 16, 23]);
    expect(r.precision).toBeGreaterThanOrEqual(FLOOR.bundled.precision);
    expect(r.recall).toBeGreaterThanOrEqual(FLOOR.bundled.recall);
  });
});

describe('the areas a measure answers', () => {
  const m = (title: string, intro: string | null = null) => ({ title, intro });
  it('by order when the measures follow the areas one for one', () => {
    expect(answeredAreas([m('筑牢思想根基'), m('密切联系群众')], ['理论学习', '作风建设'], bigrams)).toEqual([[0], [1]]);
    // A heading that names another area than its own breaks the mirror.
    expect(answeredAreas([m('改进作风'), m('密切联系群众')], ['理论学习', '作风建设'], bigrams)).toEqual([[1], []]);
  });
  it('by the area a heading names, one or two, whatever the order', () => {
    const areas = ['政治素质', '能力本领', '担当作为', '工作作风', '廉洁自律'];
    expect(answeredAreas([m('从严管党治党，筑牢廉洁防线'), m('提升履职本领，勇于担当作为'), m('旗帜鲜明讲政治')], areas, bigrams)).toEqual([[4], [1, 2], [0]]);
  });
  it('by the introduction when the heading names none; none when nothing does', () => {
    const areas = ['理论学习', '工作作风', '廉洁自律'];
    expect(answeredAreas([m('深化群众意识', '认真领会改进工作作风的要求。'), m('坚定信念不动摇'), m('做好后半篇文章', '对照清单逐项整改。')], areas, bigrams)).toEqual([[1], [], []]);
  });
  it('on the bundled report: its five measures answer five of its six areas by their themes', async () => {
    const s = await BUNDLED.draft({});
    const got = answeredAreas(s.measures.map((x) => ({ title: x.title, intro: x.detail })), s.areas.map((a) => a.name), bigrams);
    expect(got.map((as) => as.map((a) => s.areas[a]?.name))).toEqual([['理论学习'], ['政治素质'], ['工作作风'], ['担当作为'], ['廉洁自律']]);
  });
});

describe('the causes as a bridge (a part the rule may use; LINK_RULE does not)', () => {
  const causes = [
    { title: '理想信念有所松懈', detail: '学习抓得不紧，遇到新问题不会用理论分析解决。' },
    { title: '宗旨意识有所淡化', detail: '对群众的急难愁盼体会不够，群众办事效率低。' },
  ];
  const problems = ['学习抓得不实，遇到新问题办法少', '审批环节多，群众办事多次往返', '档案室漏雨'];
  const measures = [{ title: '坚定理想信念', intro: null }, { title: '践行为民宗旨', intro: null }];
  it('a measure reaches the problems its cause explains', () => {
    expect(causeProblems(measures, causes, problems, bigrams).map((x) => [...x])).toEqual([[0], [1]]);
    // One cause is no section to bridge by.
    expect(causeProblems(measures, causes.slice(0, 1), problems, bigrams).map((x) => [...x])).toEqual([[], []]);
  });
  it('the problems reached through a cause count the rule\'s weight more', () => {
    const rule = { ...LINK_RULE, min: 0.1, cover: 0, concept: 0, area: 0 };
    const items = ['推行一窗受理'];
    expect(suggestLinks(items, problems, bigrams, { ...rule, cause: 0.1 }, [], [new Set([1])])).toEqual([[{ index: 1, score: 0 }]]);
    expect(suggestLinks(items, problems, bigrams, { ...rule, cause: 0 }, [], [new Set([1])])).toEqual([[]]);
  });
});

describe('the genre\'s concepts', () => {
  // The concepts at the weight the rule before issue 21's last figure gave them (LINK_RULE, chosen
  // again on twenty reports, leaves them out: README).
  const WITH = { ...LINK_RULE, concept: 0.05, cover: 0.02, share: 0.8 };
  it('a fixed term stands for the words it sums up', () => {
    expect(conceptsOf('驰而不息纠治“四风”')).toEqual(['formalism', 'hedonism']);
    expect(conceptsOf('落实“两个责任”和“一岗双责”')).toEqual(['responsibility']);
    expect(conceptsOf('严格执行“三重一大”决策制度')).toEqual(['decision', 'institution']);
    expect(conceptsOf('规范“三会一课”')).toEqual(['partyBuilding']);
    expect(conceptsOf('以身边案例开展警示教育')).toEqual(['integrity']);
    expect(conceptsOf('天气晴朗')).toEqual([]);
  });
  it('a measure that shares no words with a problem but its concepts answers it, as the one item that can', () => {
    const items = ['压紧压实“两个责任”，班子成员落实“一岗双责”'];
    const problems = ['管党治党压力传导层层递减', '会议室空调老化'];
    expect(suggestLinks(items, problems, bigrams, WITH)).toEqual([[{ index: 0, score: 0.05 }]]);
    // Words alone give it nothing to cover with.
    expect(suggestLinks(items, problems, bigrams, { ...WITH, concept: 0 })).toEqual([[]]);
  });
  it('a problem no item links to takes its best item, if that scores the cover; the item keeps its own', () => {
    const items = ['精简会议文件，压减发文数量', '开展警示教育'];
    // 档案室漏雨 shares no word and no concept with either item: unlinked, not given one at random;
    // 文风不实 shares 文风's concept (形式主义) with the first.
    const problems = ['会议文件偏多，发文数量大', '档案室漏雨', '廉洁教育不经常', '文风不实'];
    const got = suggestLinks(items, problems, bigrams, WITH).map((l) => l.map((x) => x.index));
    expect(got).toEqual([[0, 3], [2]]);
    const covered = suggestLinks(['精简会议文件，压减发文数量，改进文风'], ['会议文件偏多，发文数量大', '文风不实'], bigrams, { ...WITH, share: 1 }).map((l) => l.map((x) => x.index));
    expect(covered).toEqual([[0, 1]]);
    expect(suggestLinks(['精简会议文件，压减发文数量，改进文风'], ['会议文件偏多，发文数量大', '文风不实'], bigrams, { ...WITH, share: 1, cover: 0 }).map((l) => l.map((x) => x.index))).toEqual([[0]]);
  });
});

describe('the problems a measure or an item names', () => {
  const titles = ['学习不够系统', '调查研究走过场', '文山会海仍有反弹', '财政资金监管存在薄弱环节'];
  it('by number: one, a list, a range, 第N个', () => {
    expect(problemRefs('精简会议。（对应问题3）', titles)).toEqual([2]);
    expect(problemRefs('专项清理。（对应问题2、4）', titles)).toEqual([1, 3]);
    expect(problemRefs('针对问题1和问题3，建立台账。', titles)).toEqual([0, 2]);
    expect(problemRefs('对问题1至3逐项销号。', titles)).toEqual([0, 1, 2]);
    expect(problemRefs('针对第四个问题，修订内控制度。', titles)).toEqual([3]);
  });
  it('by the problem\'s title, quoted or not, when it matches one problem', () => {
    expect(problemRefs('针对“调查研究走过场”的问题，开展蹲点调研。', titles)).toEqual([1]);
    expect(problemRefs('关于财政资金监管存在薄弱环节的问题', titles)).toEqual([3]);
  });
  it('not a number past the problems, a 问题 that is no reference, or a title it does not match', () => {
    expect(problemRefs('（对应问题7）', titles)).toEqual([]);
    expect(problemRefs('对照问题清单逐项整改，解决群众反映的问题。', titles)).toEqual([]);
    expect(problemRefs('已整改问题12个，对问题3项建立台账。', titles)).toEqual([]);
    expect(problemRefs('针对基层反映强烈的问题，限时办结。', titles)).toEqual([]);
  });
});

/** What the rule reaches (README): on the set 179 right of 181 suggested, of 210 marked; on the
 *  bundled report, scored once with the rule the set chose (no choice made after), 16 of 16, of 23:
 *  a recall of 0.696, one link short of the goal's 0.7. */
const FLOOR = { set: { precision: 0.98, recall: 0.85 }, bundled: { precision: 0.99, recall: 0.69 } };
