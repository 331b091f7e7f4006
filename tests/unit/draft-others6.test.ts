// Issue 21, round 6: six more reports of other offices (tests/fixtures/draft/others.ts, 9–14), each
// with the structure a careful reader marks before the draft is seen. The draft must give it back.
import { describe, expect, it } from 'vitest';
import { docxBlocks, xlsxSheets } from '../../src/commands/draft.js';
import { draftFromBlocks, draftFromMarkdownOrText, draftFromSheets, draftFromText, type DraftResult } from '../../src/core/draft/index.js';
import type { Seed } from '../../src/core/types.js';
import {
  differences, GONGXIN, GONGXIN_TEXT, XINFANG, XINFANG_TEXT, RENFANG, RENFANG_TEXT, KUOHAO, KUOHAO_TEXT, RICH, richLedgerXlsx, JIANSHI, JIANSHI_TEXT, WEIJIANDU, weijianduListCellDocx, TIYU, TIYU_TEXT, GEREN, GEREN_TEXT, BANJIAO, BANJIAO_TEXT, CHENGGUAN, chengguanLedgerXlsx, FAGAI, FAGAI_TEXT, GONGJIJIN, gongjijinTwoSheetsXlsx, SHUIWU, shuiwuTwoTablesDocx, SHENJIJU, shenjijuListDocx, YINGJI, YINGJI_TEXT, MINZHENG, MINZHENG_TEXT, DANGAN, danganTableDocx, JIGUAN, JIGUAN_TEXT, LINYE, LINYE_TEXT, RENSHE, rensheLedgerXlsx, NONGYE, NONGYE_TEXT, WEIJIAN, weijianLedgerXlsx, ZIRAN, ZIRAN_TEXT, KEJI, KEJI_TEXT, SHICHANG, shichangPlanDocx, TONGJI, TONGJI_TEXT, WENLV, wenlvAnnexDocx, ZHEN, ZHEN_TEXT, ZHUJIAN, zhujianLedgerXlsx,
} from '../fixtures/draft/others.js';

const CTX = { name: 'report', fallbackYear: 2030, defaultArea: '问题' };

function seedOf(r: DraftResult): Seed {
  if (!r.ok) throw new Error('expected a draft, got ' + r.reason);
  return r.draft.seed;
}

describe('draft on six more reports of other offices (round 6), against the structure marked by hand', () => {
  it('a 巡视整改进展情况报告 in text: 针对“…”的问题 (or 「…」), 牵头单位, 配合单位, 整改进展', () => {
    expect(differences(seedOf(draftFromText(KEJI_TEXT(), CTX)), KEJI)).toEqual([]);
  });
  it('an Excel 台账 with a 整改目标 column kept out of the measures, dates 2025.06.30 2025/9/30 6月底 年底前完成', async () => {
    expect(differences(seedOf(draftFromSheets(await xlsxSheets(await zhujianLedgerXlsx()), CTX)), ZHUJIAN)).toEqual([]);
  });
  it('a Word 方案: （一） problem headings, 一是…二是…三是… in one paragraph, the fields on one line apart by spaces', async () => {
    expect(differences(seedOf(draftFromBlocks(await docxBlocks(await shichangPlanDocx()), CTX)), SHICHANG)).toEqual([]);
  });
  it('a 清单 numbered （1） and (2) only, each record on one line, two owners 责任人：钱立新、孙梅', () => {
    expect(differences(seedOf(draftFromText(TONGJI_TEXT(), CTX)), TONGJI)).toEqual([]);
  });
  it('a 三张清单: 问题清单, 任务清单 (对应问题1), 责任清单 (任务1：…)', () => {
    expect(differences(seedOf(draftFromText(ZHEN_TEXT(), CTX)), ZHEN)).toEqual([]);
  });
  it('a Word 方案 in full-width digits whose problems are a 附件 table after the signature', async () => {
    expect(differences(seedOf(draftFromBlocks(await docxBlocks(await wenlvAnnexDocx()), CTX)), WENLV)).toEqual([]);
  });
  it('a 清单 of 问题一：… with the bare labels 措施：, 时限：, and dates in Chinese numerals (二〇二五年六月底前)', () => {
    expect(differences(seedOf(draftFromText(ZIRAN_TEXT(), CTX)), ZIRAN)).toEqual([]);
  });
  it('a 方案 whose measures say 针对问题一，… with their fields in parentheses, 牵头领导, 牵头单位, 时限：', () => {
    expect(differences(seedOf(draftFromText(NONGYE_TEXT(), CTX)), NONGYE)).toEqual([]);
  });
  it('an Excel 台账 with a header of two rows (整改责任 over 责任领导 | 责任科室) and problems numbered 一、 in their cells', async () => {
    expect(differences(seedOf(draftFromSheets(await xlsxSheets(await weijianLedgerXlsx()), CTX)), WEIJIAN)).toEqual([]);
  });
  it('an Excel 台账 with 牵头领导, 牵头单位, 配合单位 columns and a 备注 row and a 填报人 row under it', async () => {
    expect(differences(seedOf(draftFromSheets(await xlsxSheets(await rensheLedgerXlsx()), CTX)), RENSHE)).toEqual([]);
  });
  it('a Markdown 清单 whose blank 序号 and 问题 cells continue the row above, a note under it', () => {
    expect(differences(seedOf(draftFromMarkdownOrText(LINYE_TEXT(), CTX)), LINYE)).toEqual([]);
  });
  it('a 整改措施 whose 一是…；二是… stand on lines of their own under 整改措施：', () => {
    expect(differences(seedOf(draftFromText(JIGUAN_TEXT(), CTX)), JIGUAN)).toEqual([]);
  });
  it('a Word table headed 整改措施及完成时限, each point\'s deadline in parentheses after it', async () => {
    expect(differences(seedOf(draftFromBlocks(await docxBlocks(await danganTableDocx()), CTX)), DANGAN)).toEqual([]);
  });
  it('a 方案 whose fields stand on one line apart by spaces, units written …牵头，…配合, a deadline in two stages', () => {
    expect(differences(seedOf(draftFromText(MINZHENG_TEXT(), CTX)), MINZHENG)).toEqual([]);
  });
  it('a 清单 whose measures are bulleted ● on lines of their own under 整改措施：', () => {
    expect(differences(seedOf(draftFromText(YINGJI_TEXT(), CTX)), YINGJI)).toEqual([]);
  });
  it('a Word 方案 whose problems and measures are Word\'s own numbered lists, measures （对应问题N；…）', async () => {
    expect(differences(seedOf(draftFromBlocks(await docxBlocks(await shenjijuListDocx()), CTX)), SHENJIJU)).toEqual([]);
  });
  it('a Word 方案 of two tables, a 问题清单 and a 任务清单 naming the problems by number', async () => {
    expect(differences(seedOf(draftFromBlocks(await docxBlocks(await shuiwuTwoTablesDocx()), CTX)), SHUIWU)).toEqual([]);
  });
  it('a 方案 whose problems carry their fields in parentheses on their own line, before 整改措施：', () => {
    expect(differences(seedOf(draftFromText(FAGAI_TEXT(), CTX)), FAGAI)).toEqual([]);
  });
  it('an Excel of two sheets, a 问题清单 and a 任务清单 naming the problems by number', async () => {
    expect(differences(seedOf(draftFromSheets(await xlsxSheets(await gongjijinTwoSheetsXlsx()), CTX)), GONGJIJIN)).toEqual([]);
  });
  it('a 清单 typed with half-width punctuation, each record on one line, fields apart by spaces', () => {
    expect(differences(seedOf(draftFromText(BANJIAO_TEXT(), CTX)), BANJIAO)).toEqual([]);
  });
  it('an Excel 台账 whose one column 责任领导/责任单位 holds a name and a unit on lines of their own', async () => {
    expect(differences(seedOf(draftFromSheets(await xlsxSheets(await chengguanLedgerXlsx()), CTX)), CHENGGUAN)).toEqual([]);
  });
  it('a 个人对照检查材料 whose measures name the area they answer (针对第一方面问题：一是…)', () => {
    expect(differences(seedOf(draftFromText(GEREN_TEXT(), CTX)), GEREN)).toEqual([]);
  });
  it('a 方案 whose measures give their unit and date without labels, （群体股牵头，8月底前完成）', () => {
    expect(differences(seedOf(draftFromText(TIYU_TEXT(), CTX)), TIYU)).toEqual([]);
  });
  it('a 清单 whose 整改目标 names a date of its own, no deadline of the items', () => {
    expect(differences(seedOf(draftFromText(JIANSHI_TEXT(), CTX)), JIANSHI)).toEqual([]);
  });
  it('a Word 台账 whose measure cells are Word\'s own numbered lists', async () => {
    expect(differences(seedOf(draftFromBlocks(await docxBlocks(await weijianduListCellDocx()), CTX)), WEIJIANDU)).toEqual([]);
  });
  it('an Excel 台账 as offices keep it: 序号 a formula, cells in rich text, a date cell with a number format', async () => {
    expect(differences(seedOf(draftFromSheets(await xlsxSheets(await richLedgerXlsx()), CTX)), RICH)).toEqual([]);
  });
  it('a 清单 of records labelled 问题（一）： under areas, the fields\' labels in brackets 【整改措施】', () => {
    expect(differences(seedOf(draftFromText(KUOHAO_TEXT(), CTX)), KUOHAO)).toEqual([]);
  });
  it('a 方案 whose measures name the problems as they are numbered, （对应问题（一）（二））', () => {
    expect(differences(seedOf(draftFromText(RENFANG_TEXT(), CTX)), RENFANG)).toEqual([]);
  });
  it('a 清单 whose labels carry a word in parentheses, 责任单位（部门）：, 完成时限（节点）：', () => {
    expect(differences(seedOf(draftFromText(XINFANG_TEXT(), CTX)), XINFANG)).toEqual([]);
  });
  it('a 清单 whose field labels begin with 整改: 整改责任人：, 整改责任单位：, 整改完成时限：', () => {
    expect(differences(seedOf(draftFromText(GONGXIN_TEXT(), CTX)), GONGXIN)).toEqual([]);
  });
});
