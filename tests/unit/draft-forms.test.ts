// The genre's forms that drafting other offices' reports found missing (issue 21, round 5:
// tests/unit/draft-others.test.ts), each in its smallest form.
import { describe, expect, it } from 'vitest';
import { dateLine, findDate, termOfDue, yearOf } from '../../src/core/draft/dates.js';
import { htmlBlocks } from '../../src/core/draft/html.js';
import { draftFromBlocks, draftFromMarkdownOrText, draftFromSheets, draftFromTable, draftFromText, draftToYaml, type Cell, type Draft, type DraftResult } from '../../src/core/draft/index.js';
import { loadSeed } from '../../src/core/seed.js';
import { extractFields } from '../../src/core/draft/fields.js';
import { normalize } from '../../src/core/draft/text.js';
import type { Seed } from '../../src/core/types.js';

const CTX = { name: 'report', fallbackYear: 2026, defaultArea: '问题' };
function ok(r: DraftResult): Draft {
  if (!r.ok) throw new Error('expected a draft, got ' + r.reason);
  return r.draft;
}
const items = (s: Seed) => s.measures.flatMap((m) => m.items);
const problems = (s: Seed) => s.areas.flatMap((a) => a.problems);

describe('a 台账 whose problem column is named by who found the problems', () => {
  for (const head of ['审计发现的问题', '巡察发现问题', '检视问题', '查摆问题', '督察反馈问题', '审计查出的问题']) {
    it(`reads the column headed ${head}`, () => {
      const s = ok(draftFromTable([['序号', head, '整改措施', '责任单位', '整改时限'], [1, '预算编制不细化。', '细化预算编制。', '预算股', '2025年6月底前']], CTX, null)).seed;
      expect(problems(s).map((p) => p.title)).toEqual(['预算编制不细化']);
      expect(items(s).map((i) => [i.title, i.department, i.due, i.addresses.length])).toEqual([['细化预算编制', '预算股', '2025-06-30', 1]]);
    });
  }
  it('titles a problem without the number its cell is written with (一、… （二）… 3.…)', () => {
    const rows = [['序号', '反馈问题', '整改措施'], [1, '一、预算编制不细化，代编比例高。', '细化预算编制。'], [2, '（二）资金拨付滞后。', '加快拨付。'],
      [3, '3.资产账实不符。', '开展清查。'], [4, '12 家单位未公开预算。', '督促公开。'], [5, '2024年决算编报不准确。', '规范编报。']];
    const s = ok(draftFromTable(rows, CTX, null)).seed;
    expect(problems(s).map((p) => p.title)).toEqual(['预算编制不细化，代编比例高', '资金拨付滞后', '资产账实不符', '12 家单位未公开预算', '2024年决算编报不准确']);
  });
  for (const head of ['责任股室', '主责单位', '承办单位', '落实单位', '牵头科室']) {
    it(`reads the department from a column headed ${head}, as a labelled field reads it`, () => {
      const s = ok(draftFromTable([['序号', '问题', '整改措施', head, '联系领导', '完成时限'], [1, '预算编制不细化。', '细化预算编制。', '预算股', '王局长', '2025年6月底前']], CTX, null)).seed;
      expect(items(s).map((i) => [i.department, i.owner])).toEqual([['预算股', '王局长']]);
    });
  }
  it('leaves out the sign-off row under a 台账 (填报人：… 审核人：… 填报日期：…)', () => {
    const rows = [['序号', '存在问题', '整改措施', '责任单位'], [1, '预算编制不细化。', '细化预算编制。', '预算股'],
      ['填报人：王芳', null, '审核人：林国华', null, '填报日期：2025年3月20日'], ['制表人：李明', '联系电话：12345678']];
    const s = ok(draftFromTable(rows, CTX, null)).seed;
    expect(items(s).map((i) => i.title)).toEqual(['细化预算编制']);
  });
  it('reads a column headed 整改措施及完成时限 as the measures, each point\'s deadline in parentheses after it', () => {
    const rows = [['序号', '存在问题', '整改措施及完成时限', '责任单位'],
      [1, '设备老化。', '1.更新监控设备（2025年6月底前）\n2.建立日巡查制度（长期坚持）', '保管科'], [2, '培训不足。', '组织业务培训（第三季度）。', '指导科']];
    const s = ok(draftFromTable(rows, CTX, null)).seed;
    expect(items(s).map((i) => [i.title, i.due, i.term, i.department])).toEqual([
      ['更新监控设备', '2025-06-30', 'deadline', '保管科'], ['建立日巡查制度', null, 'ongoing', '保管科'], ['组织业务培训', '2025-09-30', 'deadline', '指导科'],
    ]);
  });
  it('reads a workbook of a 问题清单 sheet and a 任务清单 sheet that names the problems by number', () => {
    const sheets = [
      { name: 'Sheet1', rows: [['XX中心问题清单'], ['序号', '问题类别', '问题描述'], [1, '资金', '贷款逾期率上升。'], [2, null, '缓缴审批不严。'], [3, '服务', '材料繁琐。']] as Cell[][] },
      { name: 'Sheet2', rows: [['序号', '整改措施', '对应问题', '责任部门', '完成时限'], [1, '建立催收机制。', '1', '信贷部', '2025年6月30日'], [2, '优化服务流程。', '2、3', '服务大厅', '立行立改']] as Cell[][] },
    ];
    const s = ok(draftFromSheets(sheets, CTX)).seed;
    expect(s.areas.map((a) => [a.name, a.problems.length])).toEqual([['资金', 2], ['服务', 1]]);
    expect(items(s).map((i) => [i.title, i.addresses.join(','), i.department, i.due ?? i.term])).toEqual([
      ['建立催收机制', 'P1.1', '信贷部', '2025-06-30'], ['优化服务流程', 'P1.2,P2.1', '服务大厅', 'immediate'],
    ]);
  });
  it('reads one column headed 责任领导/责任单位 (or 责任领导及责任单位) as the owner and the department, a line each', () => {
    for (const head of ['责任领导/责任单位', '责任领导及责任单位', '责任人（责任部门）']) {
      const rows = [['序号', '存在问题', '整改措施', head], [1, '占道经营反复。', '建立巡查机制。', '石建国\n市容科'], [2, '监管不到位。', '制定考核办法。', '范丽/环卫处'], [3, '台账不全。', '补齐台账。', '局长\n分管副局长\n办公室']];
      const s = ok(draftFromTable(rows, CTX, null)).seed;
      expect(items(s).map((i) => [i.owner, i.department])).toEqual([['石建国', '市容科'], ['范丽', '环卫处'], ['局长、分管副局长、办公室', null]]);
    }
  });
  it('does not take a column of the problems a measure answers (对应问题) for the problems', () => {
    expect(draftFromTable([['序号', '整改措施', '对应问题', '责任单位'], [1, '细化预算编制。', '1', '预算股']], CTX, null).ok).toBe(false);
  });
});

describe('a numbered problem followed by its 整改措施： and fields (巡察整改方案, 一、（一）1.（1）)', () => {
  const text = [
    'XX局巡察反馈意见整改方案',
    '一、总体要求',
    '坚持问题导向。',
    '二、问题清单及整改措施',
    '（一）作风建设方面',
    '1.公务接待管理不规范。存在超标准接待现象。',
    '整改措施：',
    '（1）修订公务接待管理办法。',
    '（2）清退超标准费用。',
    '责任领导：李副局长',
    '责任科室：财务科',
    '完成时限：2025年6月底前',
    '2.关于会议文件偏多的问题',
    '整改措施：精简会议文件，压减30%。',
    '责任领导：王局长',
    '完成时限：长期坚持',
    '（二）组织建设方面',
    '3.支部组织生活存在短板。',
    '整改措施：',
    '（1）规范“三会一课”记录。',
    '责任领导：赵书记',
    '完成时限：2025年9月底前',
    '三、保障措施',
    '（一）加强组织领导。成立领导小组。',
  ].join('\n');
  it('takes the numbered heading for the problem and its points for the items', () => {
    const s = ok(draftFromText(text, CTX)).seed;
    expect(s.areas.map((a) => [a.name, a.problems.map((p) => p.title)])).toEqual([['作风建设', ['公务接待管理不规范', '关于会议文件偏多的问题']], ['组织建设', ['支部组织生活存在短板']]]);
    expect(items(s).map((i) => [i.title, i.addresses, i.owner, i.department ?? null, i.due ?? i.term])).toEqual([
      ['修订公务接待管理办法', ['P1.1'], '李副局长', '财务科', '2025-06-30'],
      ['清退超标准费用', ['P1.1'], '李副局长', '财务科', '2025-06-30'],
      ['精简会议文件，压减30%', ['P1.2'], '王局长', null, 'ongoing'],
      ['规范“三会一课”记录', ['P2.1'], '赵书记', null, '2025-09-30'],
    ]);
  });
  it('leaves a numbered measure followed by its 具体措施 a measure', () => {
    const plan = ['二、存在的问题', '1.学习不够深入。', '三、整改措施', '（一）强化理论学习', '具体措施：每月集中学习一次。'].join('\n');
    const s = ok(draftFromText(plan, CTX)).seed;
    expect([problems(s).map((p) => p.title), items(s).length]).toEqual([['学习不够深入'], 1]);
  });
});

describe('a labelled owner keeps the post written in parentheses after the name', () => {
  it('王建国（党组成员、副局长）', () => {
    const text = ['问题1：河道采砂监管存在盲区。', '整改措施：开展非法采砂专项整治。', '责任领导：王建国（党组成员、副局长）', '责任股室：河湖管理股', '完成时限：2025年12月底前'].join('\n');
    const it0 = items(ok(draftFromText(text, CTX)).seed)[0];
    expect([it0?.owner, it0?.department, it0?.due]).toEqual(['王建国（党组成员、副局长）', '河湖管理股', '2025-12-31']);
  });
});

describe('a 对照检查材料 whose 存在问题：/原因分析：/整改措施： alternate problem by problem', () => {
  const text = [
    'XX局领导班子民主生活会对照检查材料',
    '一、在理论学习方面',
    '存在问题：理论学习不够深入。学用结合不紧。',
    '原因分析：对理论武装的重要性认识不足。',
    '整改措施：严格落实“第一议题”制度，每季度开展一次专题研讨。（责任人：党组书记；完成时限：2025年6月底前）',
    '二、在作风建设方面',
    '【存在问题】调查研究不深入。',
    '【原因剖析】宗旨意识有所淡化。',
    '【整改措施】1.制定调研计划；2.建立调研成果转化台账。（责任人：局长；完成时限：长期坚持）',
  ].join('\n');
  it('reads each problem with its cause and its measures', () => {
    const s = ok(draftFromText(text, CTX)).seed;
    expect(s.areas.map((a) => [a.name, a.problems.map((p) => p.title)])).toEqual([['理论学习', ['理论学习不够深入']], ['作风建设', ['调查研究不深入']]]);
    expect(s.causes.map((c) => c.title)).toEqual(['对理论武装的重要性认识不足', '宗旨意识有所淡化']);
    expect(items(s).map((i) => [i.title, i.addresses, i.owner, i.due ?? i.term])).toEqual([
      ['严格落实“第一议题”制度，每季度开展一次专题研讨', ['P1.1'], '党组书记', '2025-06-30'],
      ['制定调研计划', ['P2.1'], '局长', 'ongoing'],
      ['建立调研成果转化台账', ['P2.1'], '局长', 'ongoing'],
    ]);
  });
});

describe('deadline forms of the genre found missing', () => {
  // Year 2024 is the report's; each form its own test (the others: draft-genre.test.ts).
  const forms: [string, string][] = [
    ['年中', '2024-06-30'],
    ['2025年年中前', '2025-06-30'],
    ['七一前', '2024-06-30'],
    ['“七一”前', '2024-06-30'],
    ['国庆节前', '2024-09-30'],
    ['国庆前', '2024-09-30'],
    ['五一前', '2024-04-30'],
    ['劳动节前', '2024-04-30'],
    ['元旦前', '2024-12-31'],
    ['2025年元旦前', '2024-12-31'],
  ];
  for (const [text, date] of forms) {
    it(`${text} → ${date}`, () => expect(findDate(text, 2024)?.date ?? null).toBe(date));
  }
  // Already read, and tested here as the brief of round 5 names them.
  const more: [string, string][] = [['2025年6月底前', '2025-06-30'], ['6月30日前', '2024-06-30'], ['12月中旬', '2024-12-20'], ['下半年', '2024-12-31'], ['2025年6月30日之前', '2025-06-30'], ['2025年度', '2025-12-31'], ['９月３０号前', '2024-09-30']];
  for (const [text, date] of more) {
    it(`${text} → ${date}`, () => expect(findDate(normalize(text), 2024)?.date ?? null).toBe(date));
  }
  // Dates written in Chinese numerals, as official documents date themselves (二〇二五年四月八日).
  const numerals: [string, string][] = [['二〇二五年六月底前', '2025-06-30'], ['二〇二五年九月三十日前', '2025-09-30'], ['二零二五年十二月', '2025-12-31'], ['二〇二五年第三季度', '2025-09-30'], ['六月二十日前', '2024-06-20'], ['二〇二五年底前', '2025-12-31']];
  for (const [text, date] of numerals) {
    it(`${text} → ${date}`, () => expect(findDate(text, 2024)?.date ?? null).toBe(date));
  }
  it('a date line and a year in Chinese numerals are the report\'s', () => {
    expect([dateLine('二〇二五年四月八日'), dateLine('二〇二五年十一月二十一日'), yearOf(null, '关于二〇二五年度审计的整改')]).toEqual(['2025-04-08', '2025-11-21', 2025]);
  });
  it('月底前 with no month names no date (the report\'s month is not known)', () => expect(findDate('月底前', 2024)).toBe(null));
  for (const span of ['半年内', '两年内', '一年内', '3年内', '3个月内']) {
    it(`${span} is a span from a day the report does not give: no date`, () => expect(findDate(span, 2024)).toBe(null));
  }
  it('本年内 and 当年内 are the year\'s', () => expect([findDate('本年内', 2024)?.date, findDate('当年内', 2024)?.date]).toEqual(['2024-12-31', '2024-12-31']));

  // A labelled deadline that names a period (整改时限：每季度) is work that recurs: ongoing.
  for (const text of ['每季度', '每月', '每半年', '每年', '定期开展', '常抓不懈']) {
    it(`整改时限：${text} → ongoing`, () => expect(termOfDue(text)?.term ?? null).toBe('ongoing'));
  }
  it('an item whose labelled deadline is 每季度 is ongoing, with no date', () => {
    const s = ok(draftFromText(['问题1：学习不深入。', '整改措施：开展专题研讨。', '整改时限：每季度'].join('\n'), CTX)).seed;
    expect(items(s).map((i) => [i.term, i.due ?? null])).toEqual([['ongoing', null]]);
  });
  it('an item that does something every quarter under a labelled date keeps the date', () => {
    const s = ok(draftFromText(['问题1：学习不深入。', '整改措施：每季度开展一次专题研讨。', '整改时限：2025年6月底前'].join('\n'), CTX)).seed;
    expect(items(s).map((i) => [i.term, i.due])).toEqual([['deadline', '2025-06-30']]);
  });
});

describe('a 整改情况报告 that reports on each problem: 关于…的问题, 整改措施, 整改情况', () => {
  const text = [
    'XX局关于审计发现问题整改情况的报告',
    '一、整改工作开展情况',
    '成立领导小组，实行销号管理。',
    '二、审计发现问题的整改情况',
    '（一）关于专项资金拨付滞后的问题',
    '整改措施：建立资金拨付限时办结制度。',
    '责任单位：财务股',
    '整改时限：2025年6月底前',
    '整改情况：已拨付到位。',
    '（二）关于固定资产账实不符的问题',
    '整改措施：1.开展资产清查；2.建立资产卡片。',
    '整改时限：立行立改',
    '整改进展：清查已完成。',
    '三、下一步工作打算',
    '（一）持续推进整改。',
  ].join('\n');
  it('reads the problems of the section its heading would skip, what was done kept with the measure', () => {
    const s = ok(draftFromText(text, CTX)).seed;
    expect(problems(s).map((p) => p.title)).toEqual(['关于专项资金拨付滞后的问题', '关于固定资产账实不符的问题']);
    expect(s.measures.map((m) => [m.detail, m.items.map((i) => [i.title, i.addresses, i.department ?? null, i.due ?? i.term])])).toEqual([
      ['已拨付到位', [['建立资金拨付限时办结制度', ['P1.1'], '财务股', '2025-06-30']]],
      ['清查已完成', [['开展资产清查', ['P1.2'], null, 'immediate'], ['建立资产卡片', ['P1.2'], null, 'immediate']]],
    ]);
  });
  it('keeps a 完成情况 written in an item\'s parentheses in its text, its fields read', () => {
    const f = extractFields('建立制度。（责任单位：财务股；完成情况：已完成）');
    expect([f.fields.department, f.text]).toEqual(['财务股', '建立制度。（完成情况：已完成）']);
  });
});

describe('a list whose labels are in brackets, 【问题】 【措施】 【牵头领导】 【时限】, ending in its last record\'s fields', () => {
  const text = [
    'XX部关于巡视反馈意见整改任务清单',
    '【问题】意识形态工作责任制落实有差距。',
    '【措施】1.每半年专题研判一次；2.建立舆情处置机制。',
    '【牵头领导】常务副部长',
    '【牵头单位】网络宣传科',
    '【时限】2025年10月底前',
    '【问题】文化产业扶持资金使用绩效不高。',
    '【措施】修订扶持资金管理办法。',
    '【牵头领导】分管副部长',
    '【牵头单位】文化产业科',
    '【时限】2025年第四季度',
  ].join('\n');
  it('reads the last record\'s fields, not as the signature', () => {
    const s = ok(draftFromText(text, CTX)).seed;
    expect(items(s).map((i) => [i.title, i.addresses, i.owner, i.department, i.due])).toEqual([
      ['每半年专题研判一次', ['P1.1'], '常务副部长', '网络宣传科', '2025-10-31'],
      ['建立舆情处置机制', ['P1.1'], '常务副部长', '网络宣传科', '2025-10-31'],
      ['修订扶持资金管理办法', ['P1.2'], '分管副部长', '文化产业科', '2025-12-31'],
    ]);
  });
});

describe('a 台账 whose first row is the attachment\'s number (附件2)', () => {
  it('takes its title from the row that names the document, not 附件2', () => {
    const rows = [['附件2'], ['XX局主题教育检视问题整改清单'], ['序号', '检视问题', '整改措施', '责任科室', '完成时限'], [1, '学用脱节。', '开展专题研讨。', '办公室', '2025年6月底前']];
    const d = ok(draftFromTable(rows, CTX, null));
    expect(d.seed.report.title).toBe('XX局主题教育检视问题整改清单');
  });
});

describe('a 台账 row whose measure cell holds numbered points and whose other cells number theirs alike', () => {
  it('gives each point the owner, department and deadline of the same number', () => {
    const rows = [
      ['序号', '存在问题', '整改措施', '责任领导', '责任单位', '完成时限'],
      [1, '窗口服务效率不高。', '1.推行“一窗通办”；\n2.开展服务评议。', '王副局长', '1.政务服务科\n2.办公室', '1.2025年6月底前\n2.长期坚持'],
      [2, '公车管理不规范。', '1.完善登记制度；2.安装定位设备。', '李局长', '办公室', '2025年9月30日前'],
    ];
    const s = ok(draftFromTable(rows, CTX, null)).seed;
    expect(items(s).map((i) => [i.title, i.owner, i.department, i.due ?? null, i.term])).toEqual([
      ['推行“一窗通办”', '王副局长', '政务服务科', '2025-06-30', 'deadline'],
      ['开展服务评议', '王副局长', '办公室', null, 'ongoing'],
      ['完善登记制度', '李局长', '办公室', '2025-09-30', 'deadline'],
      ['安装定位设备', '李局长', '办公室', '2025-09-30', 'deadline'],
    ]);
  });
});

describe('a Word table whose measure cell is a numbered list (Word\'s automatic numbers)', () => {
  const html = '<table><tr><td><p>序号</p></td><td><p>整改任务</p></td><td><p>责任股室</p></td><td><p>完成时限</p></td></tr>'
    + '<tr><td><p>1</p></td><td><ol><li>建立数据核查制度。</li><li>对虚报问题严肃追责。</li></ol></td><td><p>综合股</p></td><td><p>2025年8月底前</p></td></tr></table>';
  it('keeps the numbers of the cell\'s list items', () => {
    expect(htmlBlocks(html)).toEqual([{ kind: 'table', rows: [['序号', '整改任务', '责任股室', '完成时限'], ['1', '1.建立数据核查制度。\n2.对虚报问题严肃追责。', '综合股', '2025年8月底前']] }]);
  });
  it('makes each numbered point an item', () => {
    const blocks = [{ kind: 'p' as const, text: '一、存在的问题' }, { kind: 'p' as const, text: '1.统计数据存在虚报。' }, { kind: 'p' as const, text: '二、整改措施' }, ...htmlBlocks(html)];
    expect(items(ok(draftFromBlocks(blocks, CTX)).seed).map((i) => [i.title, i.department, i.due])).toEqual([
      ['建立数据核查制度', '综合股', '2025-08-31'], ['对虚报问题严肃追责', '综合股', '2025-08-31'],
    ]);
  });
});

describe('an owner or department cell that lists several, one a line', () => {
  it('keeps them all, written as the genre lists them (局长、政治处主任)', () => {
    const rows = [['序号', '存在问题', '整改措施', '责任人', '责任单位', '完成时限'], [1, '学习不深入。', '开展专题学习。', '局长\n政治处主任', '政治处\n办公室', '2025年6月底前']];
    const it0 = items(ok(draftFromTable(rows, CTX, null)).seed)[0];
    expect([it0?.owner, it0?.department]).toEqual(['局长、政治处主任', '政治处、办公室']);
  });
  it('in a Word table of measures too', () => {
    const blocks = [{ kind: 'p' as const, text: '一、存在的问题' }, { kind: 'p' as const, text: '1.学习不深入。' }, { kind: 'p' as const, text: '二、整改措施' },
      { kind: 'table' as const, rows: [['序号', '整改措施', '责任领导', '完成时限'], ['1', '开展专题学习。', '局长\n政治处主任', '2025年6月底前']] }];
    expect(items(ok(draftFromBlocks(blocks, CTX)).seed).map((i) => i.owner)).toEqual(['局长、政治处主任']);
  });
});

describe('a 台账 saved from Excel as text (tab-separated, as 另存为 Unicode 文本 or a paste gives it)', () => {
  const tsv = [
    'XX镇巡察反馈问题整改台账',
    '序号\t问题类别\t存在问题\t整改措施\t责任人\t完成时限',
    '1\t基层党建\t村务公开不及时。\t每季度公开一次村务。\t张镇长\t2025年6月底前',
    '2\t\t集体资产底数不清。\t"1.开展集体资产清查；',
    '2.建立资产台账。"\t李副镇长\t年底前',
    '3\t作风建设\t办事效率不高。\t推行“一窗通办”。\t王副镇长\t立行立改',
  ].join('\n');
  it('is read as the 台账 it is: categories carried down, a quoted cell over two lines', () => {
    const s = ok(draftFromMarkdownOrText(tsv, CTX)).seed;
    expect(s.report.title).toBe('XX镇巡察反馈问题整改台账');
    expect(s.areas.map((a) => [a.name, a.problems.map((p) => p.title)])).toEqual([['基层党建', ['村务公开不及时', '集体资产底数不清']], ['作风建设', ['办事效率不高']]]);
    expect(items(s).map((i) => [i.title, i.addresses, i.owner, i.due ?? i.term])).toEqual([
      ['每季度公开一次村务', ['P1.1'], '张镇长', '2025-06-30'],
      ['开展集体资产清查', ['P1.2'], '李副镇长', '2025-12-31'],
      ['建立资产台账', ['P1.2'], '李副镇长', '2025-12-31'],
      ['推行“一窗通办”', ['P2.1'], '王副镇长', 'immediate'],
    ]);
  });
});

describe('a workbook whose 台账 is spread over several sheets', () => {
  const head = ['序号', '存在问题', '整改措施', '责任单位', '完成时限'];
  it('drafts every sheet that is a 台账, each sheet an area when it names none', () => {
    const d = ok(draftFromSheets([
      { name: '填表说明', rows: [['本表每月更新。']] },
      { name: '巡察反馈问题', rows: [['XX局整改台账'], head, [1, '学习不深入。', '开展专题学习。', '办公室', '2025年6月底前'], [2, '会议偏多。', '精简会议。', '办公室', '立行立改']] },
      { name: '审计发现问题', rows: [head, [1, '预算编制粗放。', '1.细化预算；2.压减代编。', '财务股', '年底前']] },
    ], CTX));
    expect(d.seed.report.title).toBe('XX局整改台账');
    expect(d.seed.areas.map((a) => [a.id, a.name, a.problems.map((p) => [p.id, p.title])])).toEqual([
      ['A1', '巡察反馈问题', [['P1.1', '学习不深入'], ['P1.2', '会议偏多']]],
      ['A2', '审计发现问题', [['P2.1', '预算编制粗放']]],
    ]);
    expect(items(d.seed).map((i) => [i.id, i.title, i.addresses, i.department, i.due ?? i.term])).toEqual([
      ['M1.1', '开展专题学习', ['P1.1'], '办公室', '2025-06-30'],
      ['M2.1', '精简会议', ['P1.2'], '办公室', 'immediate'],
      ['M3.1', '细化预算', ['P2.1'], '财务股', '2025-12-31'],
      ['M3.2', '压减代编', ['P2.1'], '财务股', '2025-12-31'],
    ]);
    expect(loadSeed(new TextEncoder().encode(draftToYaml(d, () => '', []))).ok).toBe(true);
  });
  it('leaves out a sheet whose problems all stand on a sheet before it (a department\'s part of the whole)', () => {
    const d = ok(draftFromSheets([
      { name: '全部问题', rows: [head, [1, '学习不深入。', '开展专题学习。', '办公室', '2025年6月底前'], [2, '会议偏多。', '精简会议。', '办公室', '立行立改']] },
      { name: '办公室', rows: [head, [1, '会议偏多。', '精简会议。', '办公室', '立行立改']] },
    ], CTX));
    expect([d.seed.areas.length, items(d.seed).length]).toEqual([1, 2]);
  });
});

describe('a Word 方案 with a table of problems and measures under each area\'s heading', () => {
  const head = ['序号', '存在问题', '整改措施', '责任单位', '完成时限'];
  const blocks = [
    { kind: 'p' as const, text: 'XX局巡察整改方案' },
    { kind: 'p' as const, text: '（一）政治建设方面' },
    { kind: 'table' as const, rows: [head, ['1', '学习不深入。', '开展专题学习。', '办公室', '2025年6月底前']] },
    { kind: 'p' as const, text: '（二）作风建设方面' },
    { kind: 'table' as const, rows: [head, ['1', '会议偏多。', '精简会议。', '办公室', '立行立改'], ['2', '文件偏长。', '压缩篇幅。', '办公室', '年底前']] },
  ];
  it('drafts every table, each an area named by the heading above it', () => {
    const s = ok(draftFromBlocks(blocks, CTX)).seed;
    expect(s.areas.map((a) => [a.name, a.problems.map((p) => [p.id, p.title])])).toEqual([
      ['政治建设', [['P1.1', '学习不深入']]],
      ['作风建设', [['P2.1', '会议偏多'], ['P2.2', '文件偏长']]],
    ]);
    expect(items(s).map((i) => [i.id, i.title, i.addresses])).toEqual([['M1.1', '开展专题学习', ['P1.1']], ['M2.1', '精简会议', ['P2.1']], ['M3.1', '压缩篇幅', ['P2.2']]]);
  });
});

describe('a numbered problem with its 整改措施： and fields on the same line', () => {
  const text = [
    'XX局巡察整改方案',
    '一、问题及整改措施',
    '（一）政治建设方面',
    '1.学习贯彻不深入。整改措施：建立第一议题制度，每月集中学习。责任领导：王局长；完成时限：2025年6月底前。',
    '2.意识形态工作薄弱。整改措施：1.每半年研判一次；2.建立舆情处置机制。责任领导：李副局长；完成时限：长期坚持。',
    '（二）作风建设方面',
    '3.会议偏多。整改措施：精简会议，立行立改。责任领导：王局长。',
  ].join('\n');
  it('is a labelled record as when they stand on lines of their own', () => {
    const s = ok(draftFromText(text, CTX)).seed;
    expect(s.areas.map((a) => [a.name, a.problems.map((p) => p.title)])).toEqual([['政治建设', ['学习贯彻不深入', '意识形态工作薄弱']], ['作风建设', ['会议偏多']]]);
    expect(items(s).map((i) => [i.title, i.addresses, i.owner, i.due ?? i.term])).toEqual([
      ['建立第一议题制度，每月集中学习', ['P1.1'], '王局长', '2025-06-30'],
      ['每半年研判一次', ['P1.2'], '李副局长', 'ongoing'],
      ['建立舆情处置机制', ['P1.2'], '李副局长', 'ongoing'],
      ['精简会议，立行立改', ['P2.1'], '王局长', 'immediate'],
    ]);
  });
});
