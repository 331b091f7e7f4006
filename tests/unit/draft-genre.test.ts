// The genre's ways of writing what draft reads: labelled fields whatever the label, the flat
// 整改清单, terms at item and problem level, and every deadline form (each its own case, so
// that breaking one form fails one test).
import { describe, expect, it } from 'vitest';
import { findDate, termOf } from '../../src/core/draft/dates.js';
import { extractFields, splitLabels } from '../../src/core/draft/fields.js';
import { draftFromMarkdownOrText, draftFromText, markdownBlocks, type Draft, type DraftResult } from '../../src/core/draft/index.js';
import type { Seed } from '../../src/core/types.js';

const CTX = { name: 'report', fallbackYear: 2026, defaultArea: 'Problems' };
function ok(r: DraftResult): Draft {
  if (!r.ok) throw new Error('expected a draft, got ' + r.reason);
  return r.draft;
}
const items = (s: Seed) => s.measures.flatMap((m) => m.items);

describe('labelled fields end at their separator, whatever the next label', () => {
  const cases: [string, { owner: string | null; department: string | null; due: string | null }][] = [
    ['（责任领导：张副局长；责任股室：人事股；完成时限：2024年12月31日前）', { owner: '张副局长', department: '人事股', due: '2024年12月31日前' }],
    ['（牵头领导：王书记，牵头单位：组织科，配合单位：宣传科，完成时间：2024年6月底）', { owner: '王书记', department: '组织科', due: '2024年6月底' }],
    ['（分管领导：李副县长；责任部门：县财政局；整改期限：2024年第三季度）', { owner: '李副县长', department: '县财政局', due: '2024年第三季度' }],
    ['（具体责任人：赵科长；责任科室：审计科；整改时间：立行立改）', { owner: '赵科长', department: '审计科', due: '立行立改' }],
    ['（责任单位：办公室、人事股；责任人：孙主任；整改时限：年底前，长期坚持）', { owner: '孙主任', department: '办公室、人事股', due: '年底前，长期坚持' }],
    ['（【责任领导】钱局长【责任单位】法规股【完成时限】6月30日）', { owner: '钱局长', department: '法规股', due: '6月30日' }],
  ];
  for (const [text, want] of cases) {
    it(text, () => {
      const f = extractFields('规范管理。' + text).fields;
      expect({ owner: f.owner, department: f.department, due: f.due }).toEqual(want);
      expect(extractFields('规范管理。' + text).text).toBe('规范管理。');
    });
  }

  it('keeps the helping units in the item, with their label', () => {
    expect(extractFields('规范管理。（牵头单位：组织科；配合单位：宣传科、办公室；协办单位：工会）').fields.helper).toBe('配合单位：宣传科、办公室；协办单位：工会');
  });

  it('ends a field at its separator even when a label it does not know follows', () => {
    const f = extractFields('规范管理。（责任领导：张副局长；联络员：小王；完成时限：6月底）');
    expect([f.fields.owner, f.fields.due, f.text]).toEqual(['张副局长', '6月底', '规范管理。（联络员：小王）']);
    expect(extractFields('规范管理（责任单位：办公室；每月一次）').fields.department).toBe('办公室');
  });

  it('leaves the words in parentheses that are no field', () => {
    expect(extractFields('规范管理（责任领导：王书记，每月一次）').text).toBe('规范管理（每月一次）');
    expect(splitLabels('责任领导：王书记。下一句').values).toEqual([{ field: 'owner', value: '王书记', label: '责任领导' }, { field: 'text', value: '下一句', label: '' }]);
  });

  it('reads the labels at the end of the item\'s last sentence', () => {
    expect(extractFields('规范管理。责任领导：王书记；完成时限：3月底前').fields).toMatchObject({ owner: '王书记', due: '3月底前' });
  });

  it('reads the labels that follow the item after a comma, and leaves the comma out of its title', () => {
    const f = extractFields('制定学习计划，责任人：王局长，完成时限：2025年6月30日');
    expect([f.text, f.fields.owner, f.fields.due]).toEqual(['制定学习计划', '王局长', '2025年6月30日']);
    const g = extractFields('Plan the study, 责任单位：办公室, 整改时限：年底前');
    expect([g.text, g.fields.department, g.fields.due]).toEqual(['Plan the study', '办公室', '年底前']);
    // A comma before words that are no field: the item's own text, nothing taken.
    expect(extractFields('制定学习计划，责任人：王局长，每月一次').fields.owner).toBeNull();
  });

  it('drafts items of a report whose parentheses use labels it did not know before', () => {
    const text = [
      '一、存在的问题', '1.学习不够深入。', '2.干部管理不严。',
      '二、整改措施',
      '1.加强学习。制定学习计划。（责任领导：张副局长；责任股室：人事股；完成时限：2024年12月31日前）',
      '2.严格管理。（牵头领导：王局长；牵头单位：组织科；配合单位：纪检组；完成时间：2024年第三季度）',
    ].join('\n');
    const d = ok(draftFromText(text, CTX));
    expect(items(d.seed).map((i) => [i.owner, i.department, i.due, i.detail])).toEqual([
      ['张副局长', '人事股', '2024-12-31', '制定学习计划。'],
      ['王局长', '组织科', '2024-09-30', '配合单位：纪检组'],
    ]);
  });
});

describe('the flat 整改清单 in the labelled style', () => {
  const flat = [
    '某局巡察反馈问题整改清单',
    '问题1：学习贯彻上级决策部署不够到位。个别科室传达学习走过场。',
    '整改措施：',
    '1.建立“第一议题”学习制度；',
    '2.每季度开展一次专题研讨，立行立改。',
    '责任领导：王书记',
    '责任科室：办公室',
    '整改时限：2025年3月底前',
    '问题2：意识形态工作责任制落实不力。',
    '整改措施：',
    '（1）每半年专题研究一次意识形态工作；',
    '（2）将意识形态工作纳入年度考核。（责任单位：宣传科）',
    '责任领导：李副局长；责任单位：办公室',
    '整改时限：长期坚持',
  ];

  it('keeps a numbered measure that speaks of 整改 or 落实情况 in its record, not as a section heading', () => {
    const text = [
      '某县审计局整改清单',
      '问题一：审计整改跟踪不到位',
      '具体表现：部分审计发现问题未跟踪销号。',
      '整改措施：',
      '1.建立审计整改台账，实行销号管理；',
      '2.定期通报整改落实情况。',
      '3.完善整改制度',
      '责任领导：分管副局长',
      '整改时限：长期坚持',
      '问题二：公务接待审批不严',
      '整改措施：',
      '1.修订公务接待管理办法。',
      '责任领导：局长',
      '整改时限：2024年9月30日前',
    ].join('\n');
    const d = ok(draftFromText(text, CTX));
    expect(items(d.seed).map((i) => [i.id, i.title, i.addresses, i.owner, i.due, i.term])).toEqual([
      ['M1.1', '建立审计整改台账，实行销号管理', ['P1.1'], '分管副局长', null, 'ongoing'],
      ['M1.2', '定期通报整改落实情况', ['P1.1'], '分管副局长', null, 'ongoing'],
      ['M1.3', '完善整改制度', ['P1.1'], '分管副局长', null, 'ongoing'],
      ['M2.1', '修订公务接待管理办法', ['P1.2'], '局长', '2024-09-30', 'deadline'],
    ]);
  });

  it('reads problems, and the numbered measures on their own lines as items', () => {
    const d = ok(draftFromText(flat.join('\n'), CTX));
    expect(d.seed.areas.map((a) => [a.name, a.problems.map((p) => [p.id, p.title, p.detail])])).toEqual([
      ['Problems', [['P1.1', '学习贯彻上级决策部署不够到位', '个别科室传达学习走过场。'], ['P1.2', '意识形态工作责任制落实不力', null]]],
    ]);
    expect(items(d.seed).map((i) => [i.id, i.title, i.addresses, i.owner, i.department, i.due, i.term])).toEqual([
      ['M1.1', '建立“第一议题”学习制度', ['P1.1'], '王书记', '办公室', '2025-03-31', 'deadline'],
      ['M1.2', '每季度开展一次专题研讨，立行立改', ['P1.1'], '王书记', '办公室', '2025-03-31', 'immediate'],
      ['M2.1', '每半年专题研究一次意识形态工作', ['P1.2'], '李副局长', '办公室', null, 'ongoing'],
      ['M2.2', '将意识形态工作纳入年度考核', ['P1.2'], '李副局长', '宣传科', null, 'ongoing'],
    ]);
  });

  it('reads the same list under section headings, numbered measures not taken for headings', () => {
    const d = ok(draftFromText(['一、总体要求', '坚持问题导向。', '二、整改任务', '（一）党的政治建设方面', ...flat.slice(1), '三、保障措施', '（一）加强组织领导。'].join('\n'), CTX));
    expect(d.seed.areas.map((a) => a.name)).toEqual(['党的政治建设']);
    expect(items(d.seed).map((i) => i.title)).toEqual(['建立“第一议题”学习制度', '每季度开展一次专题研讨，立行立改', '每半年专题研究一次意识形态工作', '将意识形态工作纳入年度考核']);
  });
});

describe('terms at item and at problem level', () => {
  it('an item that ends in 立行立改 is immediate even under a labelled deadline', () => {
    const d = ok(draftFromText(['一、存在的问题', '1.会议多。', '二、整改措施', '1.精简会议，立行立改。（责任领导：王书记；完成时限：2024年6月底前）', '2.规范发文。（完成时限：2024年6月底前）'].join('\n'), CTX));
    expect(items(d.seed).map((i) => [i.term, i.due])).toEqual([['immediate', '2024-06-30'], ['deadline', '2024-06-30']]);
  });

  it('a problem\'s 整改时限：长期坚持 makes its items ongoing, its 立行立改 immediate', () => {
    const text = ['问题1：甲。', '整改措施：1.一；2.二。', '整改时限：长期坚持', '问题2：乙。', '整改措施：1.三；2.四。', '整改时限：立行立改'].join('\n');
    expect(items(ok(draftFromText(text, CTX)).seed).map((i) => i.term)).toEqual(['ongoing', 'ongoing', 'immediate', 'immediate']);
  });
});

describe('every deadline form of the genre', () => {
  // Year 2024 is the report's; each form its own test.
  const forms: [string, string | null][] = [
    ['2024年3月31日前', '2024-03-31'],
    ['2024-06-30', '2024-06-30'],
    ['2024.6.30', '2024-06-30'],
    ['2024/6/30', '2024-06-30'],
    ['6月30日前', '2024-06-30'],
    ['2024年3月底前', '2024-03-31'],
    ['3月底前', '2024-03-31'],
    ['2月底', '2024-02-29'],
    ['9月末', '2024-09-30'],
    ['11月份', '2024-11-30'],
    ['三月底前', '2024-03-31'],
    ['十二月底', '2024-12-31'],
    ['3月上旬', '2024-03-10'],
    ['5月中旬', '2024-05-20'],
    ['8月下旬', '2024-08-31'],
    ['2025年6月中旬前', '2025-06-20'],
    ['第一季度', '2024-03-31'],
    ['第二季度', '2024-06-30'],
    ['第三季度', '2024-09-30'],
    ['第四季度', '2024-12-31'],
    ['三季度末', '2024-09-30'],
    ['2025年第一季度', '2025-03-31'],
    ['上半年', '2024-06-30'],
    ['下半年', '2024-12-31'],
    ['2025年上半年', '2025-06-30'],
    ['年底前', '2024-12-31'],
    ['年末', '2024-12-31'],
    ['年内', '2024-12-31'],
    ['年前', '2024-12-31'],
    ['本年度', '2024-12-31'],
    ['2025年底前', '2025-12-31'],
    ['2025年内', '2025-12-31'],
    ['春节前', '2024-02-09'],
    ['2025年春节前', '2025-01-28'],
    ['长期坚持', null],
    ['立行立改', null],
  ];
  for (const [text, date] of forms) {
    it(`${text} → ${date ?? 'no date'}`, () => expect(findDate(text, 2024)?.date ?? null).toBe(date));
  }

  const terms: [string, string | null][] = [
    ['立行立改', 'immediate'], ['即知即改', 'immediate'], ['立即整改', 'immediate'], ['边查边改', 'immediate'],
    ['长期坚持', 'ongoing'], ['常态化推进', 'ongoing'], ['持续推进', 'ongoing'], ['久久为功', 'ongoing'], ['2024年底前', null],
  ];
  for (const [text, term] of terms) {
    it(`${text} → ${term ?? 'deadline'}`, () => expect(termOf(text)?.term ?? null).toBe(term));
  }

  it('reads deadlines written in an item\'s prose', () => {
    const d = ok(draftFromText(['一、存在的问题', '1.甲。', '二、整改措施', '1.建立制度，第三季度前完成。', '2.开展培训，年内完成。', '3.开展检查，春节前完成。', '4.修订办法，5月中旬前印发。'].join('\n'), { ...CTX, fallbackYear: 2024 }));
    expect(items(d.seed).map((i) => i.due)).toEqual(['2024-09-30', '2024-12-31', '2024-02-09', '2024-05-20']);
  });
});

describe('a 整改清单 written as a Markdown table', () => {
  const md = [
    '# 某区教育局巡察反馈问题整改清单',
    '',
    '| 序号 | 反馈问题 | 整改措施 | 责任领导 | 责任科室 | 整改时限 |',
    '| --- | :--- | --- | --- | --- | --- |',
    '| 1 | 党组理论学习不深入 | 1.制定年度学习计划；2.开展专题读书班 | 王局长 | 办公室 | 2025年6月底前 |',
    '| 2 | 教育收费管理不规范 | 开展收费专项检查 | 李副局长 | 财务科 | 立行立改 |',
    '| 3 | 干部队伍建设滞后 \\| 考核走过场 | 完善干部考核办法 | 张书记 | 人事科 | 长期坚持 |',
  ].join('\n');

  it('is read as the 台账 it is, cell by cell', () => {
    const blocks = markdownBlocks(md);
    expect(blocks?.map((b) => b.kind)).toEqual(['p', 'table']);
    const table = blocks?.[1] as { rows: string[][] };
    expect(table.rows.length).toBe(4);
    expect(table.rows[3]![1]).toBe('干部队伍建设滞后 | 考核走过场');
    expect(markdownBlocks('一、存在的问题\n1.学习不够。\n二、整改措施\n1.加强学习。')).toBeNull();
  });

  it('drafts its problems, items, owners, departments and deadlines', () => {
    expect(draftFromText(md, CTX).ok).toBe(false);
    const d = ok(draftFromMarkdownOrText(md, CTX));
    expect(d.seed.report.title).toBe('某区教育局巡察反馈问题整改清单');
    expect(d.seed.areas.flatMap((a) => a.problems.map((p) => p.title))).toEqual(['党组理论学习不深入', '教育收费管理不规范', '干部队伍建设滞后 | 考核走过场']);
    expect(items(d.seed).map((i) => [i.title, i.owner, i.department, i.due, i.term])).toEqual([
      ['制定年度学习计划', '王局长', '办公室', '2025-06-30', 'deadline'],
      ['开展专题读书班', '王局长', '办公室', '2025-06-30', 'deadline'],
      ['开展收费专项检查', '李副局长', '财务科', null, 'immediate'],
      ['完善干部考核办法', '张书记', '人事科', null, 'ongoing'],
    ]);
  });
});
