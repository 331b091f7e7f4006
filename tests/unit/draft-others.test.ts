// Issue 21, round 5: five reports of the genre from offices the drafter was not written on
// (tests/fixtures/draft/others.ts), in text, Word and Excel, each with the structure a careful
// reader marks: problems, items in order, and each item's problems, owner, department, due
// date and term. The draft must give back all of it.
import { describe, expect, it } from 'vitest';
import { docxBlocks, xlsxSheets } from '../../src/commands/draft.js';
import { draftFromBlocks, draftFromSheets, draftFromText, type DraftResult } from '../../src/core/draft/index.js';
import type { Seed } from '../../src/core/types.js';
import {
  differences, HUANBAO, huanbaoListDocx, JIAOYU, jiaoyuMinzhuDocx, SHANGWU, shangwuTableDocx, SHENJI, shenjiLedgerXlsx, SHUILI, SHUILI_TEXT, YILIAO, YILIAO_TEXT, SIFA, sifaTableDocx, JIAOTONG, jiaotongLedgerXlsx,
} from '../fixtures/draft/others.js';

const CTX = { name: 'report', fallbackYear: 2030, defaultArea: '问题' };

function seedOf(r: DraftResult): Seed {
  if (!r.ok) throw new Error('expected a draft, got ' + r.reason);
  return r.draft.seed;
}

describe('draft on reports of other offices, against the structure marked by hand', () => {
  it('a 巡察反馈意见整改方案 in text, 一、（一）1.（1）, each problem followed by its measures and fields', () => {
    expect(differences(seedOf(draftFromText(SHUILI_TEXT(), CTX)), SHUILI)).toEqual([]);
  });
  it('an 审计整改情况报告 in text: 关于…的问题 with 整改措施, 责任单位, 整改时限 and 整改情况, under 审计发现问题的整改情况', () => {
    const s = seedOf(draftFromText(YILIAO_TEXT(), CTX));
    expect(differences(s, YILIAO)).toEqual([]);
    // What was done is kept, with its measure.
    expect(s.measures[1]?.detail).toContain('已追回违规资金96万元');
  });
  it('an Excel 审计整改台账, the header in row 2, a problem merged down over its measure rows', async () => {
    expect(differences(seedOf(draftFromSheets(await xlsxSheets(await shenjiLedgerXlsx()), CTX)), SHENJI)).toEqual([]);
  });
  it('a Word 民主生活会 对照检查材料 whose 存在问题/原因分析/整改措施 alternate problem by problem', async () => {
    expect(differences(seedOf(draftFromBlocks(await docxBlocks(await jiaoyuMinzhuDocx()), CTX)), JIAOYU)).toEqual([]);
  });
  it('a flat Word 整改清单: 问题1：… 整改措施： numbered lines, 责任领导 责任单位 配合单位 整改时限', async () => {
    expect(differences(seedOf(draftFromBlocks(await docxBlocks(await huanbaoListDocx()), CTX)), HUANBAO)).toEqual([]);
  });
  it('a Word 方案 whose table has 责任单位, 责任人, 完成时限 and a problem cell merged over its measure rows', async () => {
    expect(differences(seedOf(draftFromBlocks(await docxBlocks(await shangwuTableDocx()), CTX)), SHANGWU)).toEqual([]);
  });
  it('a Word 台账 whose category rows are merged across, typed （1）（2） points, two people in the owner cell', async () => {
    expect(differences(seedOf(draftFromBlocks(await docxBlocks(await sifaTableDocx()), CTX)), SIFA)).toEqual([]);
  });
  it('an Excel 台账 on the second sheet, headed 问题清单 | 整改举措 | 责任主体 | 整改期限, the category on each row', async () => {
    expect(differences(seedOf(draftFromSheets(await xlsxSheets(await jiaotongLedgerXlsx()), CTX)), JIAOTONG)).toEqual([]);
  });
});
