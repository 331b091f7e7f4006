// Words that mean what they say: 最新进展 is the latest progress note (not a sign-off's or an
// extension's reason), one word per thing across views and documents, no English inside
// Chinese output, and a reopened item does not read 推进中 at 100 %.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { catalogue } from '../../src/i18n/index.js';
import { office, type Office } from '../helpers/meeting.js';

let o: Office;
beforeAll(async () => { o = await office(); }, 60_000);
afterAll(() => o?.cleanup());

const ok = async (args: string[]) => {
  const r = await o.run(args);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  return r.stdout;
};
/** The facts under an item's heading in the text report. */
const entry = (report: string, id: string) => {
  const at = report.indexOf(`[${id}]`);
  const next = report.slice(at + 1).search(/\n\s*\d+\. \[|\n\n/);
  return report.slice(at, at + 1 + next);
};

describe('最新进展', () => {
  it('is the latest progress note, not the sign-off note nor an extension\'s reason, in text, Markdown and CSV', async () => {
    const text = await ok(['report', '--lang', 'zh']);
    // M4.2: done "制度已印发", then signed off "经核查，同意销号".
    expect(entry(text, 'M4.2')).toContain('最新进展：制度已印发');
    expect(text).not.toContain('最新进展：经核查');
    // M3.1: progress "已走访8个基层单位", then its due date moved "需结合年度调研安排" (M3.2).
    expect(entry(text, 'M3.2')).not.toContain('最新进展：需结合年度调研安排');
    expect(entry(text, 'M3.1')).toContain('最新进展：已走访8个基层单位');
    const md = await ok(['report', '--format', 'md', '--lang', 'zh']);
    expect(md).not.toContain('经核查，同意销号 |');
    const csv = await ok(['report', '--format', 'csv', '--lang', 'zh']);
    expect(csv.split('\r\n').find((l) => l.startsWith('M4.2,'))).toContain('制度已印发');
  });

  it('the Excel 台账 reads the same note', async () => {
    const { buildReport } = await import('../../src/core/summary.js');
    const { ledgerRows } = await import('../../src/ui/report-xlsx.js');
    const { openStore } = await import('../../src/store/index.js');
    const store = await openStore(`${o.dir}/rectify.db`, { create: false, now: () => new Date() });
    try {
      const model = buildReport({
        report: await store.report(), areas: [], problems: await store.problems(), measures: await store.measures(),
        items: await store.reportItems(), history: null, asOf: o.today, since: null, days: 7,
      });
      const row = ledgerRows(model, [], 'zh').find((r) => r.values[3] === 'M4.2')!; // 编号 is the fourth column since issue 20
      expect(row.values.join('|')).toContain('100%：制度已印发');
      expect(row.values.join('|')).not.toContain('同意销号');
    } finally {
      await store.close();
    }
  });
});

describe('one word per thing', () => {
  it('the due date is 整改时限 in every Chinese view and document, Due in English', () => {
    const zh = catalogue('zh');
    // The views', items' and documents' words (the 督办 notices are their developer's).
    for (const [k, v] of Object.entries(zh).filter(([k]) => /^(views|items|office|store|init|help)\./.test(k))) {
      // 时限 alone or 完成时限 for the item's due date: the one word is 整改时限.
      expect(v.replace(/整改时限/g, ''), k).not.toMatch(/完成时限|(^|[^改])时限/);
    }
    const en = catalogue('en');
    for (const k of ['items.col.due', 'views.col.due', 'office.col.due'] as const) expect(en[k]).toBe('Due');
  });

  it('creating an item is 新增 everywhere, "created" in English', () => {
    for (const [k, v] of Object.entries(catalogue('zh'))) expect(v, k).not.toContain('新建整改事项');
    expect(catalogue('zh')['items.action.create']).toBe('新增');
    expect(catalogue('zh')['views.change.create']).toBe('新增');
    expect(catalogue('en')['items.action.create']).toBe('created');
    expect(catalogue('en')['views.change.create']).toBe('created');
  });

  it('no English placeholder inside Chinese output (`rectify import SEED`)', async () => {
    for (const [k, v] of Object.entries(catalogue('zh'))) expect(v, k).not.toMatch(/\bSEED\b/);
    const r = await o.run(['init', '--lang', 'zh']);
    expect(r.code).toBe(4);
    expect(r.stderr).toContain('rectify import 种子文件');
  });
});

describe('a reopened item', () => {
  it('does not read 推进中 at 100 % in list or the report', async () => {
    expect((await o.run(['reopen', 'M5.3', '-m', '回访发现问题反弹'])).code).toBe(0);
    const list = await ok(['list', '--lang', 'zh']);
    expect(list).toMatch(/M5\.3 +推进中（重开）/);
    const text = await ok(['report', '--lang', 'zh']);
    expect(entry(text, 'M5.3')).toContain('推进中（已重新打开）');
    expect(entry(text, 'M5.3')).not.toContain('进度100%');
  });
});

describe('the report\'s title', () => {
  it('is not 关于 + 关于…: a title that is already 关于…的整改方案 reads 关于…整改进展情况的报告', async () => {
    const { titleCore } = await import('../../src/ui/report.js');
    const { reportBlocks } = await import('../../src/ui/report-docx.js');
    expect(titleCore('关于市局巡察反馈问题的整改方案')).toBe('市局巡察反馈问题');
    expect(titleCore('市局领导班子主题教育对照检查材料')).toBe('市局领导班子主题教育对照检查材料');
    const { buildReport } = await import('../../src/core/summary.js');
    const model = buildReport({
      report: { title: '关于市局巡察反馈问题的整改方案', unit: '市局', date: null } as never, areas: [], problems: [], measures: [],
      items: [], history: null, asOf: '2026-12-06', since: null, days: 7,
    });
    expect(reportBlocks(model, 'zh')[0]).toMatchObject({ text: '关于市局巡察反馈问题整改进展情况的报告' });
  });
});
