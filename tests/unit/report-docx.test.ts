// The Word 整改进展情况报告 (report --format docx), written from the sample ledger and
// unzipped: the page (A4, GB/T 9704's margins), the type (方正小标宋简体 二号 title, 仿宋_GB2312
// 三号 body at 28 points a line, 黑体 and 楷体_GB2312 headings), the page numbers, the
// sections in the text report's order, the table of overdue items, 下一步工作打算 and the 落款.
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { buildReport, openByOwner, type ReportModel } from '../../src/core/summary.js';
import { renderReportDocx, reportBlocks } from '../../src/ui/report-docx.js';
import { docxParagraphs, docxParts, paragraphXml } from '../fixtures/office/read.js';
import { history, source } from '../fixtures/views/sample.js';

const model = (): ReportModel => buildReport({ ...source, history, since: '2024-05-01' });

let zhBytes: Uint8Array;
let zh: Record<string, string>;
let en: Record<string, string>;
beforeAll(async () => {
  zhBytes = await renderReportDocx(model(), 'zh');
  zh = await docxParts(zhBytes);
  en = await docxParts(await renderReportDocx(model(), 'en'));
});

const doc = (parts: Record<string, string>) => parts['word/document.xml']!;
const para = (parts: Record<string, string>, start: string) => {
  const p = paragraphXml(doc(parts), start);
  if (!p) throw new Error(`no paragraph starting ${start}`);
  return p;
};

describe('the page', () => {
  it('is A4 with margins top 37 mm, bottom 35 mm, left 28 mm, right 26 mm', () => {
    const sect = /<w:sectPr[\s\S]*<\/w:sectPr>/.exec(doc(zh))![0];
    // Twips: 1 mm = 1440 / 25.4.
    expect(sect).toMatch(/<w:pgSz w:w="11906" w:h="16838"/);
    expect(sect).toMatch(/w:top="2098"/);
    expect(sect).toMatch(/w:bottom="1984"/);
    expect(sect).toMatch(/w:left="1587"/);
    expect(sect).toMatch(/w:right="1474"/);
  });

  it('numbers pages — 1 — in the footer, odd pages on the right and even on the left', () => {
    expect(zh['word/settings.xml']).toMatch(/<w:evenAndOddHeaders\/>|<w:evenAndOddHeaders w:val="true"\/>/);
    const footers = Object.entries(zh).filter(([name]) => /^word\/footer\d+\.xml$/.test(name)).map(([, xml]) => xml);
    expect(footers).toHaveLength(2);
    for (const f of footers) {
      expect(f).toMatch(/PAGE/);
      expect(docxParagraphs(f).join('')).toBe('—  —');
    }
    expect(footers.map((f) => /<w:jc w:val="(\w+)"/.exec(f)![1]).sort()).toEqual(['left', 'right']);
  });
});

describe('the type', () => {
  it('sets the title in 方正小标宋简体 二号, centred', () => {
    const p = para(zh, '关于市局领导班子主题教育对照检查材料整改进展情况的报告');
    expect(p).toMatch(/w:eastAsia="方正小标宋简体"/);
    expect(p).toMatch(/<w:sz w:val="44"\/>/);
    expect(p).toMatch(/<w:jc w:val="center"\/>/);
  });

  it('breaks a long title where an office would: after the subject, before 整改进展情况的报告', () => {
    const p = para(zh, '关于市局领导班子主题教育对照检查材料整改进展情况的报告');
    expect([...p.matchAll(/<w:t[^>]*>([^<]*)<\/w:t>/g)].map((x) => x[1])).toEqual(['关于市局领导班子主题教育对照检查材料', '整改进展情况的报告']);
    expect(p).toMatch(/<w:br\/>/);
  });

  it('cuts a title longer than a line into even lines, none starting with a closing mark', () => {
    const blocks = reportBlocks({ ...model(), report: { title: '某某市某某局党组关于巡视反馈意见集中整改（第二轮）阶段工作的对照检查材料', unit: null, date: null } }, 'zh');
    const title = blocks[0] as { lines: string[] };
    // Even by characters (words are not known here), the suffix on a line of its own.
    expect(title.lines).toEqual(['关于某某市某某局党组关于巡视反馈意见集', '中整改（第二轮）阶段工作的对照检查材料', '整改进展情况的报告']);
    const closing = reportBlocks({ ...model(), report: { title: '某某局党组关于落实“第一议题”制度和“三会一课”制度情况的材料', unit: null, date: null } }, 'zh')[0] as { lines: string[] };
    expect(closing.lines.every((l) => !/^[，。、；：！？）》”’]/.test(l))).toBe(true);
    expect(closing.lines.join('')).toBe('关于某某局党组关于落实“第一议题”制度和“三会一课”制度情况的材料整改进展情况的报告');
  });

  it('sets the body in 仿宋_GB2312 三号, 28 points a line exactly, the first line two characters in', () => {
    const p = para(zh, '现将市局领导班子《市局领导班子主题教育对照检查材料》');
    expect(p).toMatch(/w:eastAsia="仿宋_GB2312"/);
    expect(p).toMatch(/<w:sz w:val="32"\/>/);
    expect(p).toMatch(/w:line="560" w:lineRule="exact"/);
    expect(p).toMatch(/<w:ind w:firstLine="640"\/>/);
    // 28 characters in the 156 mm line: each 0.25 pt closer than its 16 pt.
    expect(p).toMatch(/<w:rPr>.*<w:spacing w:val="-5"\/>.*<\/w:rPr>/);
  });

  it('sets 一、 headings in 黑体 and （一） headings in 楷体_GB2312', () => {
    expect(para(zh, '一、总体情况')).toMatch(/w:eastAsia="黑体"/);
    expect(para(zh, '（一）深化学习意识')).toMatch(/w:eastAsia="楷体_GB2312"/);
  });

  it('uses ordinary fonts in English, none of the Chinese official ones', () => {
    expect(doc(en)).toMatch(/w:ascii="Times New Roman"/);
    expect(doc(en)).not.toMatch(/仿宋_GB2312|方正小标宋简体|楷体_GB2312/);
    expect(para(en, '1. Overall')).toMatch(/w:ascii="Arial"/);
  });
});

describe('the content', () => {
  it('has the text report’s sections in its order, then 下一步工作打算', () => {
    const headings = docxParagraphs(doc(zh)).filter((t) => /^[一二三四五六七八九十]+、/.test(t));
    expect(headings).toEqual(['一、总体情况', '二、逐项整改落实情况', '三、逾期及临期事项', '四、问题整改情况', '五、自2024年5月1日以来的变化', '六、下一步工作打算']);
    const en1 = docxParagraphs(doc(en)).filter((t) => /^\d\. [A-Z]/.test(t));
    expect(en1).toEqual(['1. Overall', '2. Items by measure', '3. Overdue and due soon', '4. Problems', '5. Changes since 1 May 2024', '6. Next steps']);
  });

  it('shows each item with its id, state, owner, deadline and latest note', () => {
    const text = docxParagraphs(doc(zh));
    expect(text).toContain('1．[M1.1] 落实理论学习中心组和“第一议题”学习制度。状态：推进中，进度60%；亮灯：绿灯；整改类型：限期整改。责任人：王建国（办公室）；整改时限：2024年6月30日。最新进展：完成三次集中学习，“第一议题”学习12次，下一步将围绕党的二十大精神开展专题研讨，形成学习成果汇编。');
  });

  it('puts the overdue and due-soon items in tables with a repeated header row', () => {
    const text = docxParagraphs(doc(zh));
    expect(text).toContain('| 序号 | 编号 | 整改事项 | 责任人 | 整改时限 |');
    expect(text).toContain('| 1 | M2.3 | 落实领导干部联系点制度，强化对支部工作的督促指导 | 赵敏⏎（机关党委） | 2024年5月5日⏎已逾期5天⏎未开始，进度0% |');
    expect(text).toContain('| 1 | M3.1 | 牢记为民服务宗旨，深入基层倾听意见、多做实事 | 李明 | 2024年5月12日⏎2天后到期⏎推进中，进度80% |');
    expect((doc(zh).match(/<w:tblHeader\/>|<w:tblHeader w:val="true"\/>/g) ?? []).length).toBe(2);
  });

  it('plans what remains open by owner and deadline', () => {
    const text = docxParagraphs(doc(zh));
    const from = text.indexOf('六、下一步工作打算');
    const plan = text.slice(from + 1, from + 5);
    expect(plan).toEqual([
      '尚未完成的6项整改事项，由各责任人按整改时限抓紧推进，具体安排如下。',
      '（一）赵敏（1项，其中逾期1项）',
      '1．[M2.3] 落实领导干部联系点制度，强化对支部工作的督促指导，整改时限：2024年5月5日，已逾期5天，目前未开始，进度0%。',
      '（二）尚未明确责任人的事项（1项，其中逾期1项）',
    ]);
    expect(text).toContain('下一步，将对照整改台账逐项跟踪督办，确保各项整改任务按期完成、按时销号。');
  });

  it('ends with the 落款: the unit and the date, right-aligned', () => {
    const text = docxParagraphs(doc(zh));
    expect(text.slice(-2)).toEqual(['市局领导班子', '2024年5月10日']);
    expect(para(zh, '2024年5月10日')).toMatch(/<w:jc w:val="right"\/>/);
    expect(para(zh, '2024年5月10日')).toMatch(/<w:ind w:right="1280"\/>/);
    expect(docxParagraphs(doc(en)).slice(-2)).toEqual(['市局领导班子', '10 May 2024']);
  });

  it('is the same bytes for the same ledger and day, its properties dated that day', async () => {
    // Made again on another day by the clock: zip entries and properties must not show it.
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2031-07-15T03:04:05Z'));
    let again: Uint8Array;
    try {
      again = await renderReportDocx(model(), 'zh');
    } finally {
      vi.useRealTimers();
    }
    expect(Buffer.from(again).equals(Buffer.from(zhBytes))).toBe(true);
    expect(zh['docProps/core.xml']).toContain('<dcterms:created xsi:type="dcterms:W3CDTF">2024-05-10T12:00:00Z</dcterms:created>');
    expect(zh['docProps/core.xml']).toContain('<dc:title>关于市局领导班子主题教育对照检查材料整改进展情况的报告</dc:title>');
  });
});

describe('what remains open, by owner', () => {
  it('orders owners most overdue first, each owner’s items by deadline', () => {
    const plans = openByOwner(model());
    expect(plans.map((p) => [p.owner, p.overdue, p.items.map((i) => i.id)])).toEqual([
      ['赵敏', 1, ['M2.3']],
      [null, 1, ['M3.2']],
      // Then by name in pinyin order: Li, Wang, Zhang.
      ['李明', 0, ['M3.1']],
      ['王建国', 0, ['M2.2', 'M1.1']],
      ['张华', 0, ['M2.1']],
    ]);
  });
});

describe('data that could break a document', () => {
  it('keeps controls and markup inert, and signs with the date alone when there is no unit', async () => {
    const m = model();
    const hostile = `<w:t>&amp;</w:t> "x" \u0007bell`;
    m.report = { ...m.report, title: hostile, unit: null };
    m.measures[0]!.items[0]!.lastNote = `第一行\n第二行${hostile}`;
    const parts = await docxParts(await renderReportDocx(m, 'zh'));
    const text = docxParagraphs(doc(parts));
    expect(text[0]).toBe('关于<w:t>&amp;</w:t> "x" \\x07bell整改进展情况的报告');
    expect(doc(parts)).toContain('&lt;w:t&gt;&amp;amp;&lt;/w:t&gt;');
    expect(doc(parts)).not.toMatch(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/);
    expect(text.some((t) => t.includes('最新进展：第一行 第二行<w:t>'))).toBe(true);
    expect(text.slice(-2)).toEqual(['', '2024年5月10日']);
    expect(parts['docProps/core.xml']).toContain('<dc:title>关于&lt;w:t&gt;&amp;amp;&lt;/w:t&gt; &quot;x&quot; \\x07bell整改进展情况的报告</dc:title>');
  });

  it('says the work ahead is to hold the gains when nothing remains open', async () => {
    const m = buildReport({ ...source, items: source.items.map((i) => ({ ...i, status: 'verified' as const, progress: 100 })), history: null, since: null });
    const text = docxParagraphs(doc(await docxParts(await renderReportDocx(m, 'en'))));
    const from = text.indexOf('5. Next steps');
    expect(text[from + 1]).toBe('Every item is done. The work ahead is to hold the gains and keep the problems from returning.');
  });
});

describe('the 主送机关 (report --to)', () => {
  it('stands flush left under the title, ending in a colon, before the text begins', async () => {
    const parts = await docxParts(await renderReportDocx(model(), 'zh', { to: '市委第三巡察组' }));
    const text = docxParagraphs(doc(parts));
    expect(text.slice(1, 4)).toEqual(['', '市委第三巡察组：', expect.stringMatching(/^现将/)]);
    const p = paragraphXml(doc(parts), '市委第三巡察组：')!;
    expect(p).not.toMatch(/w:firstLine/);
    expect(p).not.toMatch(/<w:jc /);
    expect(docxParagraphs(doc(await docxParts(await renderReportDocx(model(), 'en', { to: 'the Inspection Office' }))))[2]).toBe('To: the Inspection Office');
  });

  it('is absent when not asked for: the text follows the title', () => {
    expect(docxParagraphs(doc(zh)).slice(1, 3)).toEqual(['', expect.stringMatching(/^现将/)]);
  });

  it('is given with --to for the Word report only, and refused empty (exit 2, one line, no file)', async () => {
    const { ledgerCopy } = await import('../helpers/ledger.js');
    const { runInProcess } = await import('../helpers/inproc.js');
    const { existsSync, readFileSync } = await import('node:fs');
    const { join } = await import('node:path');
    const l = ledgerCopy();
    const db = ['--db', join(l.dir, 'rectify.db')];
    try {
      const ok = await runInProcess(['report', '-o', join(l.dir, '报告.docx'), '--to', '市委第三巡察组：', '--lang', 'zh', ...db], '2026-12-06');
      expect(ok.code).toBe(0);
      const text = docxParagraphs(doc(await docxParts(readFileSync(join(l.dir, '报告.docx')))));
      // The colon given is not doubled.
      expect(text[2]).toBe('市委第三巡察组：');
      for (const args of [['report', '--to', '市委巡察办'], ['report', '-o', join(l.dir, 'x.docx'), '--to', ' ：']]) {
        const r = await runInProcess([...args, ...db], '2026-12-06');
        expect(r.code).toBe(2);
        expect(r.stderr.trim().split('\n')).toHaveLength(1);
        expect(r.stderr).toMatch(/^rectify: --to /);
      }
      expect(existsSync(join(l.dir, 'x.docx'))).toBe(false);
    } finally {
      l.cleanup();
    }
  });
});

describe('numbers, dates and ids kept on one line', () => {
  // Runs of the document as written: text (joiners kept), and whether the run is set as
  // Western text (East Asian language en-US), where LibreOffice honours the joiners.
  const runs = (xml: string) => [...xml.matchAll(/<w:r>([\s\S]*?)<\/w:r>/g)].map((r) => ({
    raw: [...r[1]!.matchAll(/<w:t(?:\s[^>]*)?>([^<]*)<\/w:t>/g)].map((t) => t[1]).join(''),
    western: /<w:lang [^>]*w:eastAsia="en-US"/.test(r[1]!),
  }));

  it('sets every date, percentage, id and counted number of the Chinese report as one unbreakable stretch', () => {
    const all = runs(doc(zh));
    const whole = new Set(all.filter((r) => r.western).map((r) => r.raw));
    const visible = docxParagraphs(doc(zh)).join('\n');
    const tokens = [
      ...visible.matchAll(/\d{4}年\d{1,2}月\d{1,2}日|\d+%|\[M\d+\.\d+\]|\d+项|\d+天/g),
    ].map((m) => m[0]);
    expect(tokens.length).toBeGreaterThan(40);
    for (const t of new Set(tokens)) {
      // Each character joined to the next by a WORD JOINER, in one Western-tagged run.
      expect([...whole].some((w) => w.includes([...t].join('\u2060'))), t).toBe(true);
    }
    // Nothing else is tagged: Chinese text keeps its own line breaking.
    for (const w of whole) expect(w.replace(/\u2060/g, '')).toMatch(/^(?:\d{4}年\d{1,2}月\d{1,2}日|\d{1,2}月\d{1,2}日|\d{4}年|\[[^\]]+\]|[A-Za-z][\w.-]*|\d+(?:\.\d+)?\D?)$/);
  });

  // What Word is told (ECMA-376 Part 1 17.3.1.16 kinsoku, 17.3.1.45 wordWrap, 17.3.1.21
  // overflowPunct; ui/report-docx.ts LINE_RULES): on, on every paragraph, in the order of the
  // schema's sequence CT_PPrBase (Word refuses a file whose elements are out of order).
  const SEQUENCE = ['pStyle', 'keepNext', 'keepLines', 'pageBreakBefore', 'framePr', 'widowControl', 'numPr', 'suppressLineNumbers',
    'pBdr', 'shd', 'tabs', 'suppressAutoHyphens', 'kinsoku', 'wordWrap', 'overflowPunct', 'topLinePunct', 'autoSpaceDE', 'autoSpaceDN',
    'bidi', 'adjustRightInd', 'snapToGrid', 'spacing', 'ind', 'contextualSpacing', 'mirrorIndents', 'suppressOverlap', 'jc'];
  for (const lang of ['zh', 'en'] as const) {
    it(`tells Word on every paragraph of the ${lang} body to keep words whole and apply the East Asian line rules`, () => {
      const body = doc(lang === 'zh' ? zh : en).replace(/<w:sectPr[\s\S]*<\/w:sectPr>/, '');
      const paragraphs = [...body.matchAll(/<w:p>([\s\S]*?)<\/w:p>/g)].map((m) => m[1]!);
      expect(paragraphs.length).toBeGreaterThan(50);
      for (const p of paragraphs) {
        const pPr = /^<w:pPr>([\s\S]*?)<\/w:pPr>/.exec(p)?.[1] ?? '';
        // Each on: no val (on is the default of CT_OnOff), never off.
        for (const rule of ['kinsoku', 'wordWrap', 'overflowPunct']) expect(pPr, p.slice(0, 200)).toContain(`<w:${rule}/>`);
        const names = [...pPr.matchAll(/<w:(\w+)[\s/>]/g)].map((m) => m[1]!).filter((n) => SEQUENCE.includes(n));
        const places = names.map((n) => SEQUENCE.indexOf(n));
        expect(places, pPr).toEqual([...places].sort((a, b) => a - b));
      }
      expect(doc(lang === 'zh' ? zh : en)).not.toMatch(/<w:wordWrap w:val="(?:0|false|off)"/);
    });
  }

  it('keeps an English date together with no-break spaces, and an id’s hyphen as a non-breaking hyphen', async () => {
    expect(doc(en)).toContain('10\u00a0May\u00a02024');
    expect(doc(en)).not.toMatch(/\b\d{1,2} (?:January|May|June) \d{4}\b/);
    const m = model();
    m.measures[0]!.items[0]!.id = 'M-1';
    const xml = doc(await docxParts(await renderReportDocx(m, 'en')));
    expect(xml).toMatch(/\[M<\/w:t><w:noBreakHyphen\/><w:t[^>]*>1\]/);
  });
});
