// The meeting's page (report --format html) as a string, from the sample ledger: what it
// holds, that nothing from the ledger can open markup, that it asks for nothing from outside;
// and the figures it draws (core/meeting.ts). The browser's view: tests/e2e/report-html-browser.
import { describe, expect, it } from 'vitest';
import { splitByDepartment, splitByMeasure, weeklyProgress, mondayOf } from '../../src/core/meeting.js';
import { buildReport, type ReportModel } from '../../src/core/summary.js';
import { loadLang } from '../../src/i18n/index.js';
import { esc, shorten, ticks, wrapLabel } from '../../src/ui/html.js';
import { HTML_LIST_LIMIT, renderReportHtml } from '../../src/ui/report-html.js';
import { buildOverview } from '../../src/core/overview.js';
import { renderOverviewHtml } from '../../src/ui/overview-html.js';
import { AS_OF, history, items, source } from '../fixtures/views/sample.js';

await loadLang('en');
await loadLang('zh');

const HOSTILE = '<script>alert("x")</script></style><img src=x onerror=alert(1)>&amp;\u001b[31m';
const model = (over: Partial<typeof source> = {}): ReportModel => buildReport({ ...source, ...over, history: null, since: null });
const hostileItems = items.map((i) => (i.id === 'M2.3' ? { ...i, title: HOSTILE, owner: `${HOSTILE}owner`, department: `${HOSTILE}dept` } : i));
const extra = { history, recent: { from: '2024-05-04', to: AS_OF, changes: history.filter((h) => h.at >= '2024-05-04') } };

describe('the HTML report', () => {
  it('escapes what comes from the ledger: a title, an owner, a department, a unit with markup are text', () => {
    const m = model({ items: hostileItems, report: { ...source.report, title: `</title>${HOSTILE}`, unit: HOSTILE } });
    const html = renderReportHtml(m, 'zh', { ...extra, recent: { ...extra.recent, changes: [{ ...history[1]!, by: HOSTILE }] } });
    // The page's own markup only: one style element, no script, no image, no event handler.
    expect(html.match(/<script/gi)).toBeNull();
    expect(html.match(/<img/gi)).toBeNull();
    expect(html.match(/<\/style>/gi)).toHaveLength(1);
    expect(html.match(/<\/title>/gi)!.length).toBe(html.match(/<title>/gi)!.length);
    expect(html).toContain('<title>关于&#60;/title&#62;&#60;script&#62;');
    expect(html).toContain('&#60;script&#62;alert(&#34;x&#34;)&#60;/script&#62;&#60;/style&#62;&#60;img src=x onerror=alert(1)&#62;&#38;amp;');
    // A control character is shown, not sent on.
    expect(html).not.toContain('\u001b');
    // In the overdue table (M2.3 is five days late), and as the owner and the department.
    expect(html).toMatch(/<td>&#60;script&#62;[^<]*<\/td><td>&#60;script&#62;[^<]*owner<\/td><td>&#60;script&#62;[^<]*dept<\/td>/);
  });

  it('asks for nothing from outside: no link, no source, no url(), and a policy that forbids fetching', () => {
    const html = renderReportHtml(model(), 'en', extra);
    expect(html).not.toMatch(/\b(src|href)=|url\(|@import|https?:/i);
    expect(html).toContain(`content="default-src 'none'; style-src 'unsafe-inline'; img-src data:"`);
    expect(html).toMatch(/@page \{ size: A4;/);
    expect(html).toMatch(/@media print/);
  });

  it('says the figures and the sections in the reader\'s language', () => {
    const zh = renderReportHtml(model(), 'zh', extra);
    const en = renderReportHtml(model(), 'en', extra);
    expect(zh).toContain('<html lang="zh-CN">');
    expect(zh).toContain('<title>关于市局领导班子主题教育对照检查材料整改进展情况的报告</title>');
    for (const s of ['亮灯情况', '各项整改措施进展', '各责任部门进展', '逐周整改进度', '逾期事项（2项）', '7日内到期事项（2项）', '近期动态（2024-05-04至2024-05-10）']) expect(zh).toContain(s);
    expect(en).toContain('<html lang="en">');
    for (const s of ['Lights', 'Progress by measure', 'Progress by department', 'Progress week by week', 'Overdue (2)', 'Due within 7 days (2)']) expect(en).toContain(s);
    // 8 items, 2 finished (25%), red 2, yellow 2, green 2.
    expect(en).toMatch(/<div class="n">8<\/div><div class="k">Items<\/div>/);
    expect(en).toMatch(/<div class="n">25%<\/div><div class="k">Complete<\/div>/);
    expect(en).toMatch(/<div class="n">2<\/div><div class="k">Red: overdue<\/div>.*<div class="n">2<\/div><div class="k">Yellow: due within 7 days<\/div>.*<div class="n">2<\/div><div class="k">Green: on track<\/div>/s);
    // The recent changes grouped as status tells them, the work's progress first.
    const recent = en.slice(en.indexOf('<section class="recent">'));
    const order = ['<b>李明</b> M1.2 signed off', '<b>李明</b> marked 2 items done: M1.2, M3.1', '<b>王建国</b> M1.1 progress 30% → 60%', '<b>tester</b> M2.2 due 2024-05-01 → 2024-05-15'];
    const at = order.map((s) => recent.indexOf(s));
    expect(at.every((k) => k > 0)).toBe(true);
    expect([...at].sort((a, b) => a - b)).toEqual(at);
  });

  it('says a window of one day and of none as words do, and one item in the singular', () => {
    const one = renderReportHtml(model({ days: 1 }), 'en', extra);
    for (const s of ['Due within 1 day (', 'Yellow: due within 1 day<', 'yellow: due within 1 day;']) expect(one).toContain(s);
    expect(one).not.toMatch(/within 1 days/);
    const none = renderReportHtml(model({ days: 0 }), 'en', extra);
    expect(none).toContain('yellow: due today;');
    expect(none).not.toMatch(/within 0 days/);
    const single = renderReportHtml(model({ items: items.slice(0, 1), days: 1 }), 'en', extra);
    expect(single).toMatch(/: 1 item, \d+% finished/);
    expect(single).not.toMatch(/ 1 items/);
    const zh = renderReportHtml(model({ days: 1 }), 'zh', extra);
    for (const s of ['1日内到期事项（', '黄灯：1日内到期']) expect(zh).toContain(s);
    expect(renderReportHtml(model({ days: 0 }), 'zh', extra)).toContain('黄灯：今日到期；');
  });

  it('shows the first rows of a long list and says how many more there are', () => {
    const many = Array.from({ length: HTML_LIST_LIMIT + 5 }, (_, k) => ({ ...items[4]!, id: `M2.${k + 10}`, title: `逾期事项${k}` }));
    const html = renderReportHtml(model({ items: [...items, ...many] }), 'en', extra);
    const overdue = html.slice(html.indexOf('<section class="overdue">'), html.indexOf('<section class="due-soon">'));
    expect(overdue).toContain(`Overdue (${HTML_LIST_LIMIT + 5 + 2})`);
    expect(overdue.match(/<tr><td/g)).toHaveLength(HTML_LIST_LIMIT);
    expect(overdue).toContain('… and 7 more');
  });
});

describe('the figures it draws', () => {
  it('splits each measure into signed off, done and the unfinished items by light', () => {
    const rows = splitByMeasure(model());
    expect(rows.map((r) => [r.id, r.items, r.verified, r.done, r.green, r.yellow, r.red])).toEqual([
      ['M1', 2, 1, 0, 1, 0, 0], // M1.2 verified, M1.1 due 06-30
      ['M2', 3, 0, 0, 1, 1, 1], // M2.1 undated, M2.2 due 05-15, M2.3 late
      ['M3', 2, 0, 0, 0, 1, 1], // M3.1 due 05-12, M3.2 late
      ['M4', 1, 0, 1, 0, 0, 0],
      ['M5', 0, 0, 0, 0, 0, 0],
    ]);
  });

  it('lists departments worst first: the most red, then the most yellow, then by name, no department last on a tie', () => {
    const rows = splitByDepartment(model());
    // No department: M2.1 green, M3.1 yellow, M3.2 red; 机关党委: M1.2 signed off, M2.3 red;
    // 办公室: M1.1 green, M2.2 yellow; 计划财务科: M4.1 done.
    expect(rows.map((r) => [r.label, r.items, r.red, r.yellow])).toEqual([
      [null, 3, 1, 1], ['机关党委', 2, 1, 0], ['办公室', 2, 0, 1], ['计划财务科', 1, 0, 0],
    ]);
  });

  it('counts week by week what existed, was finished and was signed off, from the history', () => {
    expect(mondayOf('2024-05-10')).toBe('2024-05-06');
    expect(mondayOf('2024-05-06')).toBe('2024-05-06');
    expect(mondayOf('2024-05-05')).toBe('2024-04-29');
    expect(weeklyProgress(items, history, AS_OF)).toEqual([
      { week: '2024-04-08', end: '2024-04-14', items: 0, finished: 0, verified: 0 },
      { week: '2024-04-15', end: '2024-04-21', items: 8, finished: 0, verified: 0 },
      { week: '2024-04-22', end: '2024-04-28', items: 8, finished: 0, verified: 0 },
      { week: '2024-04-29', end: '2024-05-05', items: 8, finished: 0, verified: 0 },
      // M1.2 done and signed off, M4.1 done; M3.1 done and reopened the same day.
      { week: '2024-05-06', end: '2024-05-10', items: 8, finished: 2, verified: 1 },
    ]);
    // As of an earlier day, later changes are not counted; at most the last N weeks.
    expect(weeklyProgress(items, history, '2024-05-08').at(-1)).toEqual({ week: '2024-05-06', end: '2024-05-08', items: 8, finished: 1, verified: 0 });
    expect(weeklyProgress(items, history, AS_OF, 2).map((p) => p.week)).toEqual(['2024-04-29', '2024-05-06']);
    // A ledger in its first week: the week before (nothing yet) and this one, two points to draw.
    expect(weeklyProgress(items, [], '2024-04-20')).toEqual([
      { week: '2024-04-08', end: '2024-04-14', items: 0, finished: 0, verified: 0 },
      { week: '2024-04-15', end: '2024-04-20', items: 8, finished: 2, verified: 1 },
    ]);
  });

  it('writes text safely, cuts long labels by display width, and picks round ticks', () => {
    expect(esc(`a<b>&"'`)).toBe('a&#60;b&#62;&#38;&#34;&#39;');
    expect(shorten('深化担当意识，履职尽责不松劲', 10)).toBe('深化担当…');
    expect(shorten('M1 short', 34)).toBe('M1 short');
    expect(shorten('一二三四五', 10)).toBe('一二三四五');
    // A measure's title on two lines, the second cut when it goes on.
    expect(wrapLabel('M4 深化担当意识，履职尽责不松劲，健全常态化、细致化和及时化的监督管理机制', 20, 2)).toEqual(['M4 深化担当意识，履', '职尽责不松劲，健全…']);
    expect(wrapLabel('M1 深化学习意识', 20, 2)).toEqual(['M1 深化学习意识']);
    expect(wrapLabel('M1 深化学习意识，加强理论武装', 20, 2)).toEqual(['M1 深化学习意识，', '加强理论武装']);
    // English is broken between words, not inside one (seen: 'M1 Deepen awareness of stud' / 'y and …').
    expect(wrapLabel('M1 Deepen awareness of study and strengthen theoretical armament', 28, 2))
      .toEqual(['M1 Deepen awareness of study', 'and strengthen theoretical…']);
    expect(wrapLabel('M1 Deepen awareness of study and strengthen theoretical armament', 26, 2))
      .toEqual(['M1 Deepen awareness of', 'study and strengthen theo…']);
    expect(wrapLabel('General Office and Internal Supervision', 28, 2)).toEqual(['General Office and Internal', 'Supervision']);
    // A word longer than a line is cut, as before.
    expect(wrapLabel('Internationalisationalisationalisation x', 20, 2)).toEqual(['Internationalisation', 'alisationalisation x']);
    expect(ticks(12)).toEqual([0, 5, 10, 15]);
    expect(ticks(3)).toEqual([0, 1, 2, 3]);
    expect(ticks(0)).toEqual([0, 1]);
  });
});

describe('the overview as an HTML page', () => {
  const ledger = (unit: string, red: number, yellow: number) => ({
    address: `/data/${unit}.db`, unit, report: `${unit}2025年巡察整改`, items: 10, open: 4, inProgress: 2, done: 3, verified: 1,
    red, yellow, oldestDue: red > 0 ? '2025-06-01' : null, extensions: 1,
  });

  it('shows each unit as a bar, worst first, the table with the total, and escapes the units', () => {
    const o = buildOverview([ledger('财政局', 0, 1), ledger(HOSTILE, 3, 0), ledger('教育局', 1, 2)], '2025-06-26', 7);
    const html = renderOverviewHtml(o, 'zh');
    expect(html.match(/<script/gi)).toBeNull();
    expect(html.match(/<img/gi)).toBeNull();
    expect(html).toContain('<title>3本台账整改情况总览</title>');
    // Worst first: the most red (the hostile unit, then 教育局), then 财政局.
    const bars = [...html.matchAll(/<g class="bar"><title>([^<：]*)/g)].map((m) => m[1]);
    expect(bars).toEqual([expect.stringMatching(/^&#60;script&#62;/), '教育局 教育局2025年巡察整改', '财政局 财政局2025年巡察整改']);
    expect(html).toContain('>教育局</text>');
    // 6 unfinished items a ledger: green = 6 - red - yellow.
    expect(html).toMatch(/教育局 教育局2025年巡察整改：共10项，完成40%；已销号1，已完成3，绿灯3，黄灯2，红灯1/);
    expect(html.match(/<tr><td>/g)).toHaveLength(3);
    expect(html).toMatch(/<tr class="total"><th>合计<\/th><th>3 本台账<\/th><td class="num">30<\/td><td class="num">40%<\/td>/);
    // Markup of its own only: no tag with a source or a link.
    expect(html).not.toMatch(/<[^>]*\s(src|href)=/i);
  });
});

