import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { findDate, termOf } from '../../src/core/draft/dates.js';
import { docxBlocks, xlsxSheets } from '../../src/commands/draft.js';
import { htmlBlocks } from '../../src/core/draft/html.js';
import { extractFields } from '../../src/core/draft/fields.js';
import { sectionKind } from '../../src/core/draft/document.js';
import { bigrams, type Block, decodeText, draftFromBlocks, draftFromTable, draftFromText, draftToYaml, similarity, wordsOf, type Draft, type DraftResult } from '../../src/core/draft/index.js';
import { headingOf, outline } from '../../src/core/draft/structure.js';
import { normalize, splitBulleted, splitEnumeration, splitNumbered, splitTitle } from '../../src/core/draft/text.js';
import { loadSeed } from '../../src/core/seed.js';
import type { Seed } from '../../src/core/types.js';
import { t, type MessageKey } from '../../src/i18n/index.js';
import { ledgerXlsx, planDocx, planTableDocx, PLAN_PARAGRAPHS } from '../fixtures/draft/reports.js';

const ROOT = new URL('../../', import.meta.url);
// The bundled report's source (the report docs/seed-format.md names), kept with the fixtures so the suite stands alone.
const REPORT = readFileSync(new URL('tests/fixtures/draft/000_d323877fa63bd839.txt', ROOT), 'utf8');
const SEED = (() => {
  const r = loadSeed(readFileSync(new URL('data/seed.yaml', ROOT)));
  if (!r.ok) throw new Error('the bundled seed does not load');
  return r.seed;
})();
const fixture = (name: string) => readFileSync(new URL(`tests/fixtures/draft/${name}`, ROOT));
const CTX = { name: 'report', fallbackYear: 2026, defaultArea: 'Problems' };

function ok(r: DraftResult): Draft {
  if (!r.ok) throw new Error('expected a draft, got ' + r.reason);
  return r.draft;
}
const problems = (s: Seed) => s.areas.flatMap((a) => a.problems);
const items = (s: Seed) => s.measures.flatMap((m) => m.items);
const yamlOf = (d: Draft) => draftToYaml(d, (g) => t(g.key as MessageKey, g.params, 'en'), ['header']);
/** The guesses as `path key`, for exact expectations. */
const guesses = (d: Draft) => d.guesses.map((g) => `${g.path.join('.')} ${g.key}`);

/** Link pairs `M1.1>P1.2` of a seed. */
const links = (s: Seed) => new Set(items(s).flatMap((i) => i.addresses.map((a) => `${i.id}>${a}`)));

describe('drafting the bundled report', () => {
  const draft = ok(draftFromText(REPORT, CTX));
  const seed = draft.seed;

  it('finds 6 areas, 13 problems, 5 causes, 5 measures and 12 items, with the ids of data/seed.yaml', () => {
    expect([seed.areas.length, problems(seed).length, seed.causes.length, seed.measures.length, items(seed).length]).toEqual([6, 13, 5, 5, 12]);
    expect(problems(seed).map((p) => p.id)).toEqual(problems(SEED).map((p) => p.id));
    expect(items(seed).map((i) => i.id)).toEqual(items(SEED).map((i) => i.id));
  });

  it('gives the problems the titles and details of data/seed.yaml, exactly', () => {
    expect(problems(seed).map((p) => p.title)).toEqual(problems(SEED).map((p) => p.title));
    expect(problems(seed).map((p) => p.detail)).toEqual(problems(SEED).map((p) => p.detail));
  });

  it('names areas, causes and measures as data/seed.yaml does', () => {
    expect(seed.areas.map((a) => a.name)).toEqual(SEED.areas.map((a) => a.name));
    expect(seed.causes).toEqual(SEED.causes);
    expect(seed.measures.map((m) => [m.title, m.detail])).toEqual(SEED.measures.map((m) => [m.title, m.detail]));
  });

  it('takes item titles as first sentences and details verbatim, and terms from their words', () => {
    const m41 = items(seed).find((i) => i.id === 'M4.2')!;
    expect(m41.title).toBe('进一步完善和健全干部选拔任用制度');
    expect(m41.detail).toBe(items(SEED).find((i) => i.id === 'M4.2')!.detail!.replace(/^进一步完善和健全干部选拔任用制度。/, ''));
    expect(items(seed).map((i) => i.term)).toEqual(items(SEED).map((i) => i.term));
    expect(guesses(draft).filter((g) => g.includes('term'))).toEqual([
      'measures.1.items.0.term draft.guess.term',
      'measures.3.items.1.term draft.guess.term',
      'measures.4.items.2.term draft.guess.term',
    ]);
  });

  it('suggests links with a precision of 16/16 and a recall of 16/23 against data/seed.yaml (the README figures)', () => {
    const truth = links(SEED);
    const found = links(seed);
    const right = [...found].filter((l) => truth.has(l));
    expect([right.length, found.size, truth.size]).toEqual([16, 16, 23]);
    // Every link is marked as a guess, with its score; the items left unlinked say so.
    expect(draft.guesses.filter((g) => g.kind === 'link').length).toBe(10);
    expect(draft.guesses.filter((g) => g.kind === 'unlinked').map((g) => g.path.slice(0, 4).join('.'))).toEqual(['measures.1.items.0', 'measures.4.items.0']);
  });

  it('ranks the true links better with character bigrams than with jieba words (average precision)', () => {
    const req = createRequire(import.meta.url);
    const { Jieba } = req('@node-rs/jieba') as typeof import('@node-rs/jieba');
    const { dict } = req('@node-rs/jieba/dict') as { dict: Uint8Array };
    const jieba = Jieba.withDict(dict);
    const truth = links(SEED);
    const ps = problems(seed);
    const its = items(seed);
    const ap = (tokenize: (s: string) => string[]) => {
      const sim = similarity(its.map((i) => i.title + '\n' + (i.detail ?? '')), ps.map((p) => p.title + '\n' + (p.detail ?? '')), tokenize);
      const pairs = sim.flatMap((row, k) => row.map((s, j) => ({ s, ok: truth.has(`${its[k]!.id}>${ps[j]!.id}`) }))).sort((a, b) => b.s - a.s);
      let hits = 0;
      let sum = 0;
      pairs.forEach((p, i) => { if (p.ok) sum += ++hits / (i + 1); });
      return sum / truth.size;
    };
    const bigram = ap(bigrams);
    const words = ap(wordsOf((s) => jieba.cut(s, false)));
    expect(bigram.toFixed(2)).toBe('0.63');
    expect(words.toFixed(2)).toBe('0.55');
  });

  it('writes YAML that loads as the same seed, each guess a comment above its line', () => {
    const yaml = yamlOf(draft);
    const back = loadSeed(new TextEncoder().encode(yaml));
    expect(back.ok && back.seed).toEqual(seed);
    const lines = yaml.split('\n');
    const at = lines.findIndex((l) => l.includes('guess: term immediate, from the words "立行立改"'));
    expect(lines[at + 1]).toBe('        term: immediate');
    const link = lines.findIndex((l) => l.includes('guess: linked by text similarity (score): P4.1 0.21, P3.1 0.10, P4.2 0.02'));
    expect(lines[link + 1]).toBe('        addresses: [P4.1, P3.1, P4.2]');
    expect(lines[0]).toBe('# header');
  });
});

describe('drafting reports of our own', () => {
  const expectedMeeting: Seed = {
    version: 1,
    report: { title: 'XX县财政局领导班子2023年度民主生活会对照检查材料', unit: 'XX县财政局领导班子', date: '2024-01-18' },
    areas: [{
      id: 'A1', name: '存在的问题', problems: [
        { id: 'P1.1', title: '理论学习不够系统深入', detail: '班子成员学习以集中学习为主，自学时间不足，学用结合不够紧密。' },
        { id: 'P1.2', title: '预算执行监督不够有力', detail: '对部分项目资金支出进度跟踪不及时，绩效评价结果运用不充分。' },
        { id: 'P1.3', title: '联系服务群众不够经常', detail: '深入基层调研次数偏少，对群众反映的问题回应不够及时。' },
      ],
    }],
    causes: [
      { id: 'C1', title: '理想信念有所松懈', detail: '对加强理论武装的重要性认识不足。' },
      { id: 'C2', title: '宗旨意识有所淡化', detail: '服务群众的主动性不够强。' },
    ],
    measures: [{
      id: 'M1', title: '下一步整改措施', detail: null, items: [
        { id: 'M1.1', title: '强化理论武装', detail: '制定班子年度理论学习计划，每月开展一次集中学习研讨，推动学用结合。', addresses: ['P1.1'], owner: '王局长', department: '办公室', due: '2024-03-31', term: 'deadline' },
        { id: 'M1.2', title: '加强预算执行监管', detail: '建立项目资金支出进度月通报制度，常态化开展绩效评价，强化结果运用。', addresses: ['P1.2'], owner: '李副局长', department: '预算股', due: null, term: 'ongoing' },
        { id: 'M1.3', title: '密切联系服务群众', detail: '班子成员每季度到基层联系点调研不少于一次，对群众反映的问题及时回应。', addresses: ['P1.3'], owner: '张副局长', department: '综合股', due: '2024-06-30', term: 'deadline' },
      ],
    }],
  };

  it('drafts a 民主生活会 对照检查材料 numbered 1. 2., owners and deadlines from the parentheses', () => {
    const d = ok(draftFromText(fixture('duizhao-jiancha.txt').toString('utf8'), CTX));
    expect(d.seed).toEqual(expectedMeeting);
    expect(guesses(d)).toEqual([
      'report.unit draft.guess.unit',
      'areas.0.name draft.guess.area',
      'measures.0.title draft.guess.measure',
      'measures.0.items.0.due draft.guess.dateEnd',
      'measures.0.items.1.term draft.guess.term',
      'measures.0.items.2.due draft.guess.date',
      'measures.0.items.0.addresses draft.guess.link',
      'measures.0.items.1.addresses draft.guess.link',
      'measures.0.items.2.addresses draft.guess.link',
    ]);
  });

  it('reads the same report saved as GB18030 by Windows', () => {
    const bytes = fixture('duizhao-jiancha-gb18030.txt');
    expect(() => new TextDecoder('utf-8', { fatal: true }).decode(bytes)).toThrow();
    const decoded = decodeText(bytes);
    expect(decoded.ok && decoded.encoding).toBe('gb18030');
    expect(ok(draftFromText(decoded.ok ? decoded.text : '', CTX)).seed).toEqual(expectedMeeting);
  });

  it('reads Markdown headings and full-width digits', () => {
    const md = [
      '# 某局领导班子对照检查材料', '', '## 一、存在的问题', '', '### （一）学习方面', '',
      '一是学习不深入。二是运用不充分。', '', '## 二、整改措施', '', '### （一）加强学习', '',
      '一是制定学习计划，１２月底前完成。二是开展专题研讨。', '', '以上报告，请批评指正。',
    ].join('\n');
    const d = ok(draftFromText(md, CTX));
    expect(d.seed.areas).toEqual([{ id: 'A1', name: '学习', problems: [{ id: 'P1.1', title: '学习不深入', detail: null }, { id: 'P1.2', title: '运用不充分', detail: null }] }]);
    expect(d.seed.measures[0]!.items.map((i) => [i.title, i.due])).toEqual([['制定学习计划，12月底前完成', '2026-12-31'], ['开展专题研讨', null]]);
    expect(guesses(d)).toContain('measures.0.items.0.due draft.guess.dateNoYear');
  });

  it('drafts a 巡察整改方案 in Word with labelled fields: each problem its measure, each item addressing it', async () => {
    const blocks = await docxBlocks(await planDocx());
    expect(blocks).toEqual(PLAN_PARAGRAPHS.map((text) => ({ kind: 'p', text })));
    const d = ok(draftFromBlocks(blocks, CTX));
    expect(d.seed).toEqual({
      version: 1,
      report: { title: 'XX区市场监管局关于区委巡察反馈意见的整改方案', unit: 'XX区市场监管局', date: null },
      areas: [
        { id: 'A1', name: '党的政治建设', problems: [
          { id: 'P1.1', title: '学习贯彻上级决策部署不够到位', detail: '个别科室传达学习走过场。' },
          { id: 'P1.2', title: '意识形态工作责任制落实不力', detail: null },
        ] },
        { id: 'A2', name: '全面从严治党', problems: [{ id: 'P2.1', title: '公务接待管理不规范', detail: '存在超标准接待现象。' }] },
      ],
      causes: [],
      measures: [
        { id: 'M1', title: '学习贯彻上级决策部署不够到位', detail: null, items: [
          { id: 'M1.1', title: '建立“第一议题”学习制度', detail: null, addresses: ['P1.1'], owner: '王书记', department: '办公室', due: '2025-03-31', term: 'deadline' },
          { id: 'M1.2', title: '每季度开展一次专题研讨', detail: null, addresses: ['P1.1'], owner: '王书记', department: '办公室', due: '2025-03-31', term: 'deadline' },
        ] },
        { id: 'M2', title: '意识形态工作责任制落实不力', detail: null, items: [
          { id: 'M2.1', title: '每半年专题研究一次意识形态工作', detail: null, addresses: ['P1.2'], owner: '王书记', department: '办公室', due: null, term: 'ongoing' },
        ] },
        { id: 'M3', title: '公务接待管理不规范', detail: null, items: [
          { id: 'M3.1', title: '修订公务接待管理办法，清退超标准费用', detail: null, addresses: ['P2.1'], owner: '李副局长', department: '财务科', due: null, term: 'immediate' },
        ] },
      ],
    });
    expect(guesses(d)).toEqual(['report.unit draft.guess.unit', 'measures.0.items.0.due draft.guess.dateEnd', 'measures.0.items.1.due draft.guess.dateEnd']);
  });

  it('drafts a Word 整改方案 whose tasks are a table, a merged category cell over two rows', async () => {
    const blocks = await docxBlocks(await planTableDocx());
    expect(blocks.filter((b) => b.kind === 'p').map((b) => b.kind === 'p' && b.text)).toEqual([
      'XX街道党工委关于巡察反馈问题的整改方案', '# 一、总体要求', '以问题整改为抓手，全面提升基层治理水平。', '# 二、整改任务清单', '# 三、工作要求', '各责任单位要按时完成整改。',
    ]);
    const d = ok(draftFromBlocks(blocks, CTX));
    expect(d.seed.report).toEqual({ title: 'XX街道党工委关于巡察反馈问题的整改方案', unit: 'XX街道党工委', date: null });
    expect(d.seed.areas).toEqual([{ id: 'A1', name: '基层党建', problems: [
      { id: 'P1.1', title: '党组织活动不规范', detail: null }, { id: 'P1.2', title: '党员发展把关不严', detail: null },
    ] }]);
    expect(items(d.seed).map((i) => [i.id, i.title, i.addresses, i.owner, i.due])).toEqual([
      ['M1.1', '规范“三会一课”', ['P1.1'], '刘书记', '2025-04-30'],
      ['M2.1', '严格发展程序', ['P1.2'], '刘书记', '2025-12-31'],
    ]);
  });

  it('reads Word lists by their numbers and tables with merged cells from mammoth\'s HTML', () => {
    const html = '<h1>一、存在的问题</h1><ol><li>学习不够。<ol><li>甲</li></ol></li><li>3.已编号</li></ol>'
      + '<table><tr><td colspan="2"><p>标题</p></td></tr><tr><td rowspan="2">A</td><td>x &amp; y</td></tr><tr><td>z</td></tr></table><p>尾</p>';
    expect(htmlBlocks(html)).toEqual([
      { kind: 'p', text: '# 一、存在的问题' }, { kind: 'p', text: '1.学习不够。' }, { kind: 'p', text: '（1）甲' }, { kind: 'p', text: '3.已编号' },
      { kind: 'table', rows: [['标题', '标题'], ['A', 'x & y'], ['A', 'z']] },
      { kind: 'p', text: '尾' },
    ]);
  });

  it('drafts an Excel 台账 below its title rows, merged category cells filled down, dates as dates or text', async () => {
    const sheets = await xlsxSheets(await ledgerXlsx());
    const d = ok(draftFromTable(sheets[0]!.rows, CTX, sheets[0]!.name));
    const item = (id: string, title: string, p: string, owner: string, department: string, due: string | null, term: string) =>
      ({ id, title, detail: null, addresses: [p], owner, department, due, term });
    expect(d.seed).toEqual({
      version: 1,
      report: { title: 'XX镇党委巡察反馈问题整改台账', unit: 'XX镇党委', date: null },
      areas: [
        { id: 'A1', name: '党的建设', problems: [
          { id: 'P1.1', title: '三会一课制度落实不到位', detail: '部分支部会议记录不全。' },
          { id: 'P1.2', title: '党员教育管理不严格', detail: null },
        ] },
        { id: 'A2', name: '作风建设', problems: [{ id: 'P2.1', title: '公车使用管理不规范', detail: null }, { id: 'P2.2', title: '窗口服务效率不高', detail: null }] },
      ],
      causes: [],
      measures: [
        { id: 'M1', title: '三会一课制度落实不到位', detail: null, items: [item('M1.1', '规范支部会议记录，每月检查一次', 'P1.1', '张书记', '党建办', '2025-03-31', 'deadline')] },
        { id: 'M2', title: '党员教育管理不严格', detail: null, items: [
          item('M2.1', '建立党员积分管理制度', 'P1.2', '张书记', '党建办', '2025-06-30', 'deadline'),
          item('M2.2', '开展党员轮训', 'P1.2', '张书记', '党建办', '2025-06-30', 'deadline'),
        ] },
        { id: 'M3', title: '公车使用管理不规范', detail: null, items: [item('M3.1', '完善公车使用登记制度', 'P2.1', '李镇长', '党政办', null, 'immediate')] },
        { id: 'M4', title: '窗口服务效率不高', detail: null, items: [item('M4.1', '推行“一窗通办”，开展服务评议', 'P2.2', '王副镇长', '便民服务中心', null, 'ongoing')] },
      ],
    });
    expect(guesses(d)).toEqual(['measures.1.items.0.due draft.guess.dateEnd', 'measures.1.items.1.due draft.guess.dateEnd', 'report.unit draft.guess.unit']);
  });

  it('fills down a category left blank rather than merged, and reads a date kept as a day number', () => {
    const rows = [
      ['序号', '方面', '问题表现', '整改任务', '责任人', '责任部门', '整改时限'],
      [1, '学习', '学习不够。', '制定计划。', '甲', '办公室', 45657],
      [2, '', '研讨不多。', '开展研讨。', '乙', '办公室', '年底前'],
    ];
    const d = ok(draftFromTable(rows, CTX, 'Sheet1'));
    expect(d.seed.areas.map((a) => [a.name, a.problems.length])).toEqual([['学习', 2]]);
    expect(items(d.seed).map((i) => i.due)).toEqual(['2024-12-31', '2026-12-31']);
    expect(d.seed.report.title).toBe('report');
    expect(guesses(d)).toEqual(['measures.1.items.0.due draft.guess.dateNoYear', 'report.title draft.guess.titleFromFile']);
  });
});

describe('the shapes reports take', () => {
  it('reads an area named inline (（一）理论学习方面：一是…), 检视剖析问题 as problems, and drops a signature', () => {
    const text = [
      '一、检视剖析存在的问题',
      '（一）理论学习方面。一是学习不深入，浅尝辄止。二是运用不充分。',
      '（二）作风建设方面：一是调研不够；二是文风不实。',
      '二、整改措施',
      '1.加强学习。每月一次。',
      '2.改进作风。深入基层调研。',
      'XX局领导班子',
    ].join('\n');
    const d = ok(draftFromText(text, CTX));
    expect(d.seed.areas.map((a) => [a.name, a.problems.map((p) => [p.title, p.detail])])).toEqual([
      ['理论学习', [['学习不深入，浅尝辄止', null], ['运用不充分', null]]],
      ['作风建设', [['调研不够', null], ['文风不实', null]]],
    ]);
    expect(items(d.seed).map((i) => [i.title, i.detail])).toEqual([['加强学习', '每月一次。'], ['改进作风', '深入基层调研。']]);
  });

  it('reads a 个人对照检查材料: areas named inline, one of a single problem, causes and items as 一是…三是', () => {
    const d = ok(draftFromText(fixture('geren-duizhao.txt').toString('utf8'), CTX));
    expect(d.seed.areas.map((a) => [a.id, a.name, a.problems.map((p) => p.title)])).toEqual([
      ['A1', '理论学习', ['学习的系统性不够，满足于读原文、记笔记', '运用理论指导实践的能力还不强']],
      ['A2', '担当作为', ['攻坚克难的劲头有所减弱', '创新意识不强，习惯于按部就班']],
      ['A3', '廉洁自律', ['对身边工作人员教育管理不够严格，廉洁风险防控意识有待增强']],
    ]);
    expect(d.seed.causes.map((c) => c.title)).toEqual(['理想信念有所弱化', '宗旨意识有所淡化', '纪律观念有所松懈']);
    // The area's name counts in the similarity: 强化担当作为 links to the problems of 担当作为;
    // 运用理论指导实践, which no item names, takes the item that scores it best (加强理论学习).
    expect(items(d.seed).map((i) => [i.id, i.addresses, i.term, i.due])).toEqual([
      ['M1.1', ['P1.1', 'P1.2'], 'deadline', '2026-12-31'],
      ['M1.2', ['P2.1', 'P2.2'], 'immediate', null],
      ['M1.3', ['P3.1'], 'ongoing', null],
    ]);
  });

  it('reads category rows merged across a sheet (一、党的建设方面), and leaves 整改目标 out of the measures', () => {
    const rows = [
      ['序号', '存在的突出问题', '整改目标', '整改措施', '责任领导', '完成时限'],
      ['一、党的建设方面', '一、党的建设方面', '一、党的建设方面', '一、党的建设方面', '一、党的建设方面', '一、党的建设方面'],
      [1, '学习不够。', '学习常态化', '制定计划。', '甲', '2025年3月31日'],
      ['二、作风建设方面', null, null, null, null, null],
      [2, '调研不多。', '', '开展调研。', '乙', '立行立改'],
      ['备注：每月更新', '备注：每月更新'],
    ];
    const d = ok(draftFromTable(rows, CTX, '台账'));
    expect(d.seed.areas.map((a) => [a.name, a.problems.map((p) => p.title)])).toEqual([['党的建设', ['学习不够']], ['作风建设', ['调研不多']]]);
    expect(items(d.seed).map((i) => [i.title, i.term])).toEqual([['制定计划', 'deadline'], ['开展调研', 'immediate']]);
  });

  it('takes an unnamed first section for the problems when causes or measures follow, and 第一部分 for a heading', () => {
    const text = ['第一部分 对照检查情况', '（一）学习方面', '一是学习不够。二是研讨不多。', '第二部分 整改措施', '1.制定计划。', '2.开展研讨。'].join('\n');
    const d = ok(draftFromText(text, CTX));
    expect(d.seed.areas.map((a) => [a.name, a.problems.map((p) => p.title)])).toEqual([['学习', ['学习不够', '研讨不多']]]);
    expect(items(d.seed).map((i) => i.title)).toEqual(['制定计划', '开展研讨']);
  });

  it('tells sections by their words: 问题及原因 holds problems, 产生问题的原因 causes, 保障措施 neither', () => {
    expect(['存在的问题及原因分析', '产生问题的原因剖析', '问题产生的原因', '检视剖析存在的问题', '原因剖析', '整改措施', '下一步打算', '保障措施', '总体要求', '对照检查情况']
      .map(sectionKind)).toEqual(['problems', 'causes', 'causes', 'problems', 'causes', 'measures', 'measures', 'skip', 'skip', null]);
  });

  it('reads a header of two rows, a merged group heading over 责任领导 and 责任单位', () => {
    const rows = [
      ['整改台账'],
      ['序号', '存在问题', '整改措施', '责任落实', '责任落实', '完成时限'],
      ['序号', '存在问题', '整改措施', '责任领导', '责任单位', '完成时限'],
      [1, '学习不够。', '制定计划。', '甲', '办公室', '2025年3月31日'],
    ];
    const d = ok(draftFromTable(rows, CTX, 'Sheet1'));
    expect(items(d.seed).map((i) => [i.title, i.owner, i.department, i.due])).toEqual([['制定计划', '甲', '办公室', '2025-03-31']]);
    expect(d.seed.areas.map((a) => a.name)).toEqual(['Problems']);
  });
});

describe('what the seed refuses never reaches the draft', () => {
  it('keeps titles on one line and never empty, and drops control characters', () => {
    const rows = [
      ['存在问题', '整改措施', '责任人'],
      ['学习\n不够', '制定\u0007计划\n每月检查', '甲\n乙'],
      ['研讨不多。', '；', null],
    ];
    const d = ok(draftFromTable(rows, CTX, 'Sheet1'));
    expect(problems(d.seed).map((p) => [p.title, p.detail])).toEqual([['学习', '不够'], ['研讨不多', null]]);
    expect(items(d.seed).map((i) => [i.title, i.detail, i.owner])).toEqual([['制定计划', '每月检查', '甲、乙'], ['…', null, null]]);
    const back = loadSeed(new TextEncoder().encode(yamlOf(d)));
    expect(back.ok).toBe(true);
  });
});

describe('any draft loads', () => {
  // Documents made of the pieces reports are made of, in any order: whatever draft makes of
  // them, it either refuses them or writes a seed that loads as the same seed.
  const pieces = [
    '一、存在的问题', '二、原因剖析', '三、整改措施', '四、保障措施', '（一）理论学习方面', '（二）加强学习。', '1.学习不够。', '（1）甲', '①乙', '## 下一步打算',
    '一是学习不深入。二是运用不够；三是', '一方面是甲。另一方面是乙。', '问题1：学习不够。', '问题二：', '整改措施：1.甲；2.乙。', '责任领导：王书记；责任科室：办公室',
    '整改时限：2024年2月30日', '完成时限：3月底前', '长期坚持', '（牵头领导：张三；完成时限：年底前）', '以上报告，请批评指正。', '2024年1月1日', 'XX局',
    '"引号" \\ 反斜杠 #井号: 冒号', 'yes', '- 列表', '。；：', '', ' ', '\t', '\u0001', '\ud800', '＃', '１．全角',
  ];
  it('refuses a document or drafts one that loads as itself', () => {
    let drafted = 0;
    fc.assert(
      fc.property(fc.array(fc.array(fc.constantFrom(...pieces), { maxLength: 8 }), { minLength: 3, maxLength: 3 }), fc.array(fc.string({ maxLength: 8 }), { maxLength: 3 }), (parts, noise) => {
        // A skeleton of problems, causes and measures, each section filled with any pieces.
        const [a, b, c] = parts as [string[], string[], string[]];
        const r = draftFromText(['一、存在的问题', ...a, '二、原因剖析', ...b, '三、整改措施', ...c, ...noise].join('\n'), CTX);
        if (!r.ok) return;
        drafted++;
        const back = loadSeed(new TextEncoder().encode(yamlOf(r.draft)));
        expect(back.ok && back.seed).toEqual(r.draft.seed);
      }),
      { numRuns: 400, seed: 10 },
    );
    expect(drafted).toBeGreaterThan(100);
  });

  it('drafts a sheet of any cells into a seed that loads', () => {
    let drafted = 0;
    const cell = fc.oneof(fc.constantFrom('存在问题', '整改措施', '问题类别', '完成时限', '责任人', '学习不够。', '1.甲；2.乙', '立行立改', '', null), fc.string({ maxLength: 6 }), fc.integer({ min: 0, max: 60000 }));
    fc.assert(
      fc.property(fc.array(fc.array(cell, { maxLength: 6 }), { maxLength: 10 }), (rows) => {
        const r = draftFromTable([['存在问题', '整改措施', '完成时限'], ...rows], CTX, 'Sheet1');
        if (!r.ok) return;
        drafted++;
        const back = loadSeed(new TextEncoder().encode(yamlOf(r.draft)));
        expect(back.ok && back.seed).toEqual(r.draft.seed);
      }),
      { numRuns: 300, seed: 11 },
    );
    expect(drafted).toBeGreaterThan(50);
  });
});

describe('what is no report', () => {
  it('says why: no structure, no problems, no measures, no header row', () => {
    const prose = '今天天气很好，我们去公园散步。\n公园里有很多人在跳舞，也有人在下棋。';
    expect(draftFromText(prose, CTX)).toEqual({ ok: false, reason: 'draft.noStructure' });
    expect(draftFromText('一、总体要求\n坚持问题导向。\n二、保障措施\n加强领导。', CTX)).toEqual({ ok: false, reason: 'draft.noProblems' });
    expect(draftFromText('一、存在的问题\n1.学习不够。\n2.研讨不多。', CTX)).toEqual({ ok: false, reason: 'draft.noMeasures', problems: 2 });
    expect(draftFromTable([['月份', '收入'], ['1月', 3]], CTX, 'Sheet1')).toEqual({ ok: false, reason: 'draft.noHeaderRow' });
  });

  it('takes UTF-8, UTF-16 with a BOM and GB18030 as text, and bytes with NULs as none', () => {
    expect(decodeText(new TextEncoder().encode('\ufeff一、问题'))).toEqual({ ok: true, text: '一、问题', encoding: 'utf-8' });
    expect(decodeText(Uint8Array.from([0xff, 0xfe, 0x00, 0x4e, 0x01, 0x4e]))).toEqual({ ok: true, text: '一丁', encoding: 'utf-16' });
    expect(decodeText(Uint8Array.from([0xd6, 0xd0, 0xce, 0xc4]))).toEqual({ ok: true, text: '中文', encoding: 'gb18030' });
    expect(decodeText(Uint8Array.from([0x7f, 0x45, 0x4c, 0x46, 0x02, 0x01, 0x00, 0x00, 0x90, 0xff]))).toEqual({ ok: false });
    // UTF-8 cut short in its last character is still UTF-8, not GB18030.
    const long = new TextEncoder().encode('一、存在的问题\n'.repeat(30) + '中');
    const cut = decodeText(long.subarray(0, long.length - 1));
    expect(cut.ok && [cut.encoding, cut.text.startsWith('一、存在的问题')]).toEqual(['utf-8', true]);
    const gb = decodeText(fixture('duizhao-jiancha-gb18030.txt'));
    expect(gb.ok && gb.encoding).toBe('gb18030');
  });
});

describe('the pieces', () => {
  it('reads deadlines as reports write them', () => {
    const d = (s: string) => { const f = findDate(s, 2024); return f && [f.date, f.yearGuessed, f.dayGuessed]; };
    expect(d('2024年3月31日前')).toEqual(['2024-03-31', false, false]);
    expect(d('2024年3月底前')).toEqual(['2024-03-31', false, true]);
    expect(d('2024年2月底')).toEqual(['2024-02-29', false, true]);
    expect(d('3月底前')).toEqual(['2024-03-31', true, true]);
    expect(d('6月30日')).toEqual(['2024-06-30', true, false]);
    expect(d('年底前')).toEqual(['2024-12-31', true, true]);
    expect(d('2025年底前')).toEqual(['2025-12-31', false, true]);
    expect(d('2024.6.30')).toEqual(['2024-06-30', false, false]);
    expect(d(normalize('２０２４年６月３０日'))).toEqual(['2024-06-30', false, false]);
    expect(d('上半年')).toEqual(['2024-06-30', true, true]);
    expect(d('2024年2月30日')).toBeNull();
    expect(d('长期坚持')).toBeNull();
  });

  it('reads terms from their words', () => {
    expect(termOf('对照问题清单立行立改')).toEqual({ term: 'immediate', word: '立行立改' });
    expect(termOf('常态化开展')).toEqual({ term: 'ongoing', word: '常态化' });
    expect(termOf('持续加大力度')).toEqual({ term: 'ongoing', word: '持续' });
    expect(termOf('3月底前完成')).toBeNull();
  });

  it('splits titles at 。；： and enumerations that count up from one', () => {
    expect(splitTitle('学习不够深入。表现在：A；B。')).toEqual({ title: '学习不够深入', detail: '表现在：A；B。' });
    expect(splitEnumeration('总的说来。一是甲。二是乙；三是丙。')).toEqual({ intro: '总的说来。', parts: ['甲。', '乙；', '丙。'] });
    expect(splitEnumeration('一方面是甲。另一方面是乙。')).toEqual({ intro: '', parts: ['甲。', '乙。'] });
    expect(splitEnumeration('这是二是三是的问题。')).toBeNull();
    expect(['1.甲；2.乙', '（1）甲（2）乙', '1）甲 2）乙', '①甲②乙', '1.5倍'].map(splitNumbered)).toEqual([['甲；', '乙'], ['甲', '乙'], ['甲', '乙'], ['甲', '乙'], null]);
    expect(splitEnumeration('第一，落实“第一议题”制度。第二，开展研讨。')).toEqual({ intro: '', parts: ['落实“第一议题”制度。', '开展研讨。'] });
  });

  it('takes a problem written 针对“…”的问题 (or 「…」, 关于“…”的问题) by the words quoted, whole', () => {
    const text = ['二、反馈问题整改落实情况', '1.针对“成果转化率不高；产学研结合不紧密”的问题。',
      '整改措施：建立成果转化平台。', '责任领导：周建平', '2.针对「评审不够规范，专家库更新不及时」的问题', '整改措施：修订管理办法。',
      '3.关于“干部作风不实，‘最后一公里’没有打通”的问题。作风问题突出。', '整改措施：开展走访活动。'].join('\n');
    const s = ok(draftFromText(text, CTX)).seed;
    expect(s.areas.flatMap((a) => a.problems.map((p) => [p.title, p.detail ?? null]))).toEqual([
      ['成果转化率不高；产学研结合不紧密', null], ['评审不够规范，专家库更新不及时', null], ['干部作风不实，‘最后一公里’没有打通', '作风问题突出。'],
    ]);
    // An item that begins so is not a problem: it keeps its words.
    expect(s.measures.flatMap((m) => m.items.map((i) => i.title))).toEqual(['建立成果转化平台', '修订管理办法', '开展走访活动']);
  });

  it('reads the 三张清单: a 问题清单, a 任务清单 naming its problems, a 责任清单 giving each task its owner, unit and date', () => {
    const text = ['XX街道集中整治“三张清单”', '一、问题清单', '1.低保审核不严。', '2.物业监管缺位。',
      '二、任务清单', '1.开展低保对象全面复核。（对应问题1）', '2.建立物业企业考评制度。（对应问题2）', '3.开展联合检查。（对应问题1、2）',
      '三、责任清单', '任务1：责任领导：刘洋；责任单位：民政办；完成时限：2025年6月30日',
      '任务2：责任领导：陈斌；责任单位：城管办；完成时限：第三季度', '任务3：责任领导：刘洋；责任单位：纪工委；完成时限：年底前'].join('\n');
    const s = ok(draftFromText(text, CTX)).seed;
    expect(s.measures.flatMap((m) => m.items.map((i) => [i.title, i.addresses.join(','), i.owner, i.department, i.due]))).toEqual([
      ['开展低保对象全面复核', 'P1.1', '刘洋', '民政办', '2025-06-30'],
      ['建立物业企业考评制度', 'P1.2', '陈斌', '城管办', '2025-09-30'],
      ['开展联合检查', 'P1.1,P1.2', '刘洋', '纪工委', '2025-12-31'],
    ]);
  });

  it('titles an item by what it does, not by the problem it names first (针对问题一，…)', () => {
    const text = ['一、存在问题', '（一）学习不够深入，研讨不多。', '（二）调研流于形式。', '二、整改措施',
      '1.针对问题一，建立学习制度，每月一学。', '2.针对第二个问题：开展蹲点调研。', '3.针对“学习不够深入”的问题，制定研讨计划。', '4.对应问题1、2，开展专项督查。'].join('\n');
    const s = ok(draftFromText(text, CTX)).seed;
    expect(s.measures.flatMap((m) => m.items.map((i) => [i.title, i.addresses.join(',')]))).toEqual([
      ['建立学习制度，每月一学', 'P1.1'], ['开展蹲点调研', 'P1.2'], ['制定研讨计划', 'P1.1'], ['开展专项督查', 'P1.1,P1.2'],
    ]);
  });

  it('reads a problem heading followed by its 整改措施： as a problem, whatever words it holds (…成效不明显, …情况不清)', () => {
    const text = ['一、检视出的问题', '（一）服务意识不强。回应不及时。', '整改措施：', '一是建立首问负责制；', '二是开展满意度测评。', '责任科室：综合科',
      '（二）节约型机关创建成效不明显。能耗偏高。', '整改措施：', '一是开展能耗审计；', '二是推广节能设备。', '责任科室：节能科',
      '（三）资产底数情况不清。', '整改措施：开展资产清查。', '二、保障措施', '（一）加强组织领导。'].join('\n');
    const s = ok(draftFromText(text, CTX)).seed;
    expect(s.areas.flatMap((a) => a.problems.map((p) => p.title))).toEqual(['服务意识不强', '节约型机关创建成效不明显', '资产底数情况不清']);
    expect(s.measures.flatMap((m) => m.items.map((i) => [i.title, i.addresses.join(','), i.department]))).toEqual([
      ['建立首问负责制', 'P1.1', '综合科'], ['开展满意度测评', 'P1.1', '综合科'], ['开展能耗审计', 'P1.2', '节能科'], ['推广节能设备', 'P1.2', '节能科'], ['开展资产清查', 'P1.3', null],
    ]);
  });

  it('reads a unit written …牵头，…配合 as the department that leads and the units that assist', () => {
    expect(extractFields('开展核查。（责任单位：社会救助股牵头，各乡镇配合；完成时限：6月底前）').fields).toMatchObject({ department: '社会救助股', helper: '配合单位：各乡镇', due: '6月底前' });
    expect(extractFields('开展核查。\n责任单位：办公室牵头、各股室配合').fields).toMatchObject({ department: '办公室', helper: '配合单位：各股室' });
    expect(extractFields('开展核查。\n牵头单位：办公室牵头').fields).toMatchObject({ department: '办公室' });
  });

  it('takes a deadline in two stages as the day the work is done whole (…前完成初步整改，12月31日前全面完成)', () => {
    const text = ['问题1：低保核查不严。', '整改措施：开展专项核查。', '完成时限：2025年6月30日前完成初步整改，12月31日前全面完成',
      '问题2：台账不全。', '整改措施：补齐台账。', '完成时限：2025年5月底前基本完成，9月底前全部整改到位'].join('\n');
    const s = ok(draftFromText(text, CTX)).seed;
    expect(s.measures.flatMap((m) => m.items.map((i) => i.due))).toEqual(['2025-12-31', '2025-09-30']);
  });

  it('reads points bulleted ● • ◆ ■ on lines of their own as points, as numbered ones are', () => {
    expect(splitBulleted('● 排查风险；\n● 建立清单。')).toEqual(['排查风险；', '建立清单。']);
    expect(splitBulleted('◆甲\n◆乙\n◆丙')).toEqual(['甲', '乙', '丙']);
    expect(splitBulleted('● 只有一点。')).toBeNull();
    expect(splitBulleted('开展“●”标识检查。')).toBeNull();
    const text = ['问题1：风险管控不到位。', '整改措施：', '● 开展风险辨识；', '● 建立风险清单。', '责任人：邵永刚',
      '问题2：物资储备不足。', '整改措施：', '• 盘点储备库。', '责任人：贺军'].join('\n');
    const s = ok(draftFromText(text, CTX)).seed;
    expect(s.measures.flatMap((m) => m.items.map((i) => [i.title, i.addresses.join(','), i.owner]))).toEqual([
      ['开展风险辨识', 'P1.1', '邵永刚'], ['建立风险清单', 'P1.1', '邵永刚'], ['盘点储备库', 'P1.2', '贺军'],
    ]);
    const t = ok(draftFromTable([['序号', '问题', '整改措施'], [1, '风险管控不到位。', '■ 开展风险辨识；\n■ 建立风险清单。']], CTX, null)).seed;
    expect(t.measures.flatMap((m) => m.items.map((i) => i.title))).toEqual(['开展风险辨识', '建立风险清单']);
  });

  it('reads a Word table of problems with no measure column (序号 | 问题类别 | 问题描述) as the problems, by category', () => {
    const blocks: Block[] = [
      { kind: 'p', text: '一、问题清单' },
      { kind: 'table', rows: [['序号', '问题类别', '问题描述'], ['1', '征管', '欠税清缴不力。'], ['2', null, '发票管理有漏洞。'], ['3', '服务', '排队时间长。']] },
      { kind: 'p', text: '二、整改措施' },
      { kind: 'p', text: '1.建立清缴台账。（对应问题1）' }, { kind: 'p', text: '2.开展发票治理。（对应问题2）' }, { kind: 'p', text: '3.增设自助终端。（对应问题3）' },
    ];
    const s = ok(draftFromBlocks(blocks, CTX)).seed;
    expect(s.areas.map((a) => [a.name, a.problems.map((p) => p.title)])).toEqual([['征管', ['欠税清缴不力', '发票管理有漏洞']], ['服务', ['排队时间长']]]);
    expect(s.measures.flatMap((m) => m.items.map((i) => i.addresses.join(',')))).toEqual(['P1.1', 'P1.2', 'P2.1']);
  });

  it('gives a problem\'s items the fields written in parentheses after the problem (（一）…。（责任领导：…）整改措施：…)', () => {
    const text = ['一、整改任务', '（一）项目储备不足。（责任领导：钟伟；责任科室：项目科；完成时限：2025年9月30日前）', '整改措施：1.建立项目库；2.召开调度会。',
      '（二）收费清理不彻底。（责任领导：程丽；完成时限：立行立改）', '整改措施：开展专项清理。（责任科室：价格科）'].join('\n');
    const s = ok(draftFromText(text, CTX)).seed;
    expect(s.areas.flatMap((a) => a.problems.map((p) => [p.title, p.detail ?? null]))).toEqual([['项目储备不足', null], ['收费清理不彻底', null]]);
    expect(s.measures.flatMap((m) => m.items.map((i) => [i.title, i.owner, i.department, i.due ?? i.term]))).toEqual([
      ['建立项目库', '钟伟', '项目科', '2025-09-30'], ['召开调度会', '钟伟', '项目科', '2025-09-30'], ['开展专项清理', '程丽', '价格科', 'immediate'],
    ]);
  });

  it('links a measure that names the area it answers (针对第一方面问题) to that area\'s problems, stated', () => {
    const text = ['一、存在的主要问题', '（一）理论学习方面', '1.学习不够系统。', '2.学用结合不紧。', '（二）作风建设方面', '3.调研不够深入。',
      '二、整改措施', '（一）针对第一方面问题：一是制定读书计划；二是撰写心得体会。', '（二）针对第二个方面的问题：每年蹲点调研20天。'].join('\n');
    const d = ok(draftFromText(text, CTX));
    expect(d.seed.measures.flatMap((m) => m.items.map((i) => [i.title, i.addresses.join(',')]))).toEqual([
      ['制定读书计划', 'P1.1,P1.2'], ['撰写心得体会', 'P1.1,P1.2'], ['每年蹲点调研20天', 'P2.1'],
    ]);
    expect(d.guesses.filter((g) => g.path.includes('addresses'))).toEqual([]);
  });

  it('reads a unit and a date written without labels in parentheses after a measure (群体股牵头，8月底前完成)', () => {
    expect(extractFields('排查健身器材（群体股牵头，8月底前完成）。').fields).toMatchObject({ department: '群体股', due: '8月底前完成' });
    expect(extractFields('建立巡检制度（群体股牵头、各乡镇配合，长期坚持）').fields).toMatchObject({ department: '群体股', helper: '配合单位：各乡镇', due: '长期坚持' });
    expect(extractFields('修订办法（计财股牵头）').fields).toMatchObject({ department: '计财股', due: null });
    expect(extractFields('开展评比（由各单位牵头组织）').fields).toMatchObject({ department: null });
    expect(extractFields('排查健身器材（群体股牵头，8月底前完成）。').text).toBe('排查健身器材。');
  });

  it('reads records labelled 问题（一）： (a Chinese numeral in parentheses) as it reads 问题1：', () => {
    const text = ['问题（一）：会议记录不完整。', '【整改措施】每月检查会议记录。', '【责任领导】支部书记', '问题(二)：教育形式单一。', '整改措施：开展警示教育。'].join('\n');
    const s = ok(draftFromText(text, CTX)).seed;
    expect(s.areas.flatMap((a) => a.problems.map((p) => p.title))).toEqual(['会议记录不完整', '教育形式单一']);
    expect(s.measures.flatMap((m) => m.items.map((i) => [i.title, i.owner]))).toEqual([['每月检查会议记录', '支部书记'], ['开展警示教育', null]]);
  });

  it('links an item that names its problems numbered in parentheses, （对应问题（一）（二））, as stated', () => {
    const text = ['一、存在问题', '（一）工程维护不到位。', '（二）收费不规范。', '（三）宣传不深入。', '二、整改措施',
      '1.制定维护办法。（对应问题（一））', '2.清理减免事项。（针对问题(二)）', '3.建立督查通报制度。（对应问题（一）、（三））'].join('\n');
    const d = ok(draftFromText(text, CTX));
    expect(d.seed.measures.flatMap((m) => m.items.map((i) => i.addresses.join(',')))).toEqual(['P1.1', 'P1.2', 'P1.1,P1.3']);
    expect(d.guesses.filter((g) => g.path.includes('addresses'))).toEqual([]);
  });

  it('reads a label that carries a word in parentheses: 责任单位（部门）：, 完成时限（节点）：', () => {
    expect(extractFields('建立回访制度。\n责任单位（部门）：办信科\n完成时限(节点)：2025年8月31日').fields).toMatchObject({ department: '办信科', due: '2025年8月31日' });
    const text = ['问题1：办理质量不高。', '整改举措：建立回访制度。', '牵头领导：周国平', '责任单位（部门）：办信科', '完成时限（节点）：2025年8月31日'].join('\n');
    const s = ok(draftFromText(text, CTX)).seed;
    expect(s.measures.flatMap((m) => m.items.map((i) => [i.title, i.owner, i.department, i.due]))).toEqual([['建立回访制度', '周国平', '办信科', '2025-08-31']]);
  });

  it('reads field labels written with 整改 before them: 整改责任人：, 整改责任单位：, 整改完成时限：', () => {
    expect(extractFields('开展再评价。\n整改责任人：廖志明\n整改责任单位：产业发展股\n整改完成时限：2025年9月30日').fields).toMatchObject({ owner: '廖志明', department: '产业发展股', due: '2025年9月30日' });
    expect(extractFields('开展再评价。（整改责任领导：王局长；【整改牵头单位】办公室）').fields).toMatchObject({ owner: '王局长', department: '办公室' });
  });

  it('splits 一是…，二是…，三是… run on over commas, as a 方案 often writes its measures', () => {
    expect(splitEnumeration('一是对全县电梯开展排查，二是督促建立台账，三是实行挂牌督办。')).toEqual({ intro: '', parts: ['对全县电梯开展排查，', '督促建立台账，', '实行挂牌督办。'] });
    expect(splitEnumeration('一是修订裁量基准, 二是开展案卷评查。')).toEqual({ intro: '', parts: ['修订裁量基准,', '开展案卷评查。'] });
    // No chain from one: a 是 after a comma that counts nothing is left alone.
    expect(splitEnumeration('学习不够，二是三非的问题。')).toBeNull();
    expect(splitEnumeration('统一是关键，二是其次。')).toBeNull();
  });

  it('nests headings in the order the document first uses them', () => {
    expect(['一、甲', '（一）乙', '1.丙', '（1）丁', '①戊', '2024年', '1.5倍增长', '1）己', '第二部分 庚', '1、辛'].map((l) => headingOf(l)?.style ?? null))
      .toEqual(['cn', 'pcn', 'num', 'pnum', 'circ', null, null, 'rnum', 'part', 'num']);
    const root = outline(['1.甲', '（一）乙', '（二）丙', '2.丁']);
    expect(root.children.map((c) => [c.text, c.children.map((x) => x.text)])).toEqual([['甲', ['乙', '丙']], ['丁', []]]);
  });

  it('takes owner, department and deadline out of parentheses and labelled lines', () => {
    expect(extractFields('加强学习。（牵头领导：王书记；责任科室：组织科；完成时限：2025年6月30日前）')).toEqual({
      text: '加强学习。', fields: { owner: '王书记', department: '组织科', helper: null, due: '2025年6月30日前', measure: null, detail: null },
    });
    expect(extractFields('加强学习（每月一次）。\n责任人：李四 责任部门：办公室')).toEqual({
      text: '加强学习（每月一次）。', fields: { owner: '李四', department: '办公室', helper: null, due: null, measure: null, detail: null },
    });
  });
});
