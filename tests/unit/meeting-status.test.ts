// The screen the secretary opens before a meeting, lights in every view, and the list's
// --light filter: on the bundled report after a week of work (tests/helpers/meeting.ts).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import stringWidth from 'string-width';
import { office, type Office } from '../helpers/meeting.js';

let o: Office;
beforeAll(async () => { o = await office(); }, 60_000);
afterAll(() => o?.cleanup());

const ok = async (args: string[], env: Record<string, string> = {}) => {
  const r = await o.run(args, env);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  return r.stdout;
};

describe('status before a meeting', () => {
  for (const lang of ['en', 'zh'] as const) {
    it(`fits a 40-row terminal with a week of work: headline, lights, overdue, due, what moved (${lang})`, async () => {
      const s = await ok(['status', '--lang', lang]);
      const lines = s.trimEnd().split('\n');
      expect(lines.length).toBeLessThanOrEqual(40);
      expect(Math.max(...lines.map((l) => stringWidth(l)))).toBeLessThanOrEqual(80);
      const L = lang === 'zh' ? { red: '红灯3项', yellow: '黄灯5项', green: '绿灯2项', over: '逾期事项（3项）', soon: '7日内到期（5项）' }
        : { red: 'red 3', yellow: 'yellow 5', green: 'green 2', over: 'Overdue (3)', soon: 'Due within 7 days (5)' };
      for (const x of Object.values(L)) expect(s).toContain(x);
      // The full view's sections are behind --full, and the screen says so.
      expect(s).toContain('rectify status --full');
    });
  }

  it('tells what moved grouped by person and kind, progress, completion and sign-off first', async () => {
    const s = await ok(['status', '--lang', 'en']);
    const recent = s.slice(s.indexOf('Changes in the last 7 days'));
    expect(recent).toMatch(/秘书\s+assigned 12 items: M1\.1, M1\.2, M2\.1/);
    expect(recent).toMatch(/王建国\s+recorded progress on 2 items: M1\.1 60%, M1\.2 20%/);
    const at = (re: RegExp) => recent.search(re);
    expect(at(/signed off/)).toBeGreaterThan(0);
    expect(at(/signed off/)).toBeLessThan(at(/marked done/));
    expect(at(/recorded progress/)).toBeLessThan(at(/assigned 12 items/));
    // One line for the twelve assignments, not twelve.
    expect(recent.match(/秘书/g)!.length).toBe(3);
  });

  it('--full adds areas, measures with their lights, owners and departments by light', async () => {
    const s = await ok(['status', '--full', '--lang', 'zh']);
    expect(s).toMatch(/M1 .*0\/2 +0% +红灯2项/);
    expect(s).toMatch(/M2 .*黄灯3项/);
    expect(s).toMatch(/责任部门未完成事项亮灯/);
    expect(s).toMatch(/办公室 +2 +2 +0 +0/);
    expect(s).toMatch(/综合股 +2 +0 +0 +2/);
    expect(s).toContain('责任人未完成及逾期事项');
  });

  it('status --json counts lights in total, per measure and per department', async () => {
    const j = JSON.parse(await ok(['status', '--json']));
    expect(j.lights).toEqual({ red: 3, yellow: 5, green: 2 });
    expect(j.measures.find((m: { id: string }) => m.id === 'M1').lights).toEqual({ red: 2, yellow: 0, green: 0 });
    expect(j.departments.find((d: { department: string }) => d.department === '组织科')).toEqual({ department: '组织科', open: 3, red: 0, yellow: 3, green: 0 });
  });
});

describe('lights in list, show and the reports', () => {
  it('list shows each item\'s light as a word, readable without colour', async () => {
    // A pipe shows the column when asked (--lights); a terminal always.
    const s = await ok(['list', '--all', '--lights', '--no-color']);
    expect(s.split('\n')[0]).toMatch(/Status +Light +Progress/);
    expect(s).toMatch(/M1\.1 +in progress +red /);
    expect(s).toMatch(/M2\.3 +open +yellow /);
    expect(s).toMatch(/M3\.1 +in progress +green /);
    expect(s).toMatch(/M4\.2 +verified +- /);
    expect(s).not.toContain('\u001b');
    const zh = await ok(['list', '--lang', 'zh', '--lights'], { NO_COLOR: '1' });
    expect(zh).toMatch(/M1\.1 +推进中 +红灯/);
  });

  it('list --light red,yellow keeps only those (in English or as 红灯、黄灯), and JSON carries "light"', async () => {
    const ids = (s: string) => s.trim().split('\n').slice(1).map((l) => l.split(/\s+/)[0]);
    expect(ids(await ok(['list', '--light', 'red']))).toEqual(['M1.1', 'M1.2', 'M4.1']);
    expect(ids(await ok(['list', '--light', 'red,yellow']))).toEqual(['M1.1', 'M1.2', 'M2.1', 'M2.2', 'M2.3', 'M4.1', 'M5.1', 'M5.2']);
    expect(ids(await ok(['list', '--light', '绿灯']))).toEqual(['M3.1', 'M3.2']);
    // A wider window turns green yellow.
    expect(ids(await ok(['list', '--light', 'yellow', '--days', '40']))).toContain('M3.1');
    const j = JSON.parse(await ok(['list', '--all', '--json']));
    expect(Object.fromEntries(j.map((i: { id: string; light: string | null }) => [i.id, i.light]))).toMatchObject({ 'M1.1': 'red', 'M2.1': 'yellow', 'M3.2': 'green', 'M4.2': null });
    expect(JSON.parse(await ok(['show', 'M4.1', '--json'])).light).toBe('red');
    const bad = await o.run(['list', '--light', 'blue']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^rectify: unknown light "blue"/);
  });

  it('the text, Markdown, CSV and JSON reports carry each unfinished item\'s light', async () => {
    const text = await ok(['report', '--lang', 'zh']);
    expect(text).toMatch(/\[M1\.1\][^\n]*\n[^\n]*亮灯：红灯/);
    expect(text).toMatch(/\[M3\.1\][^\n]*\n[^\n]*亮灯：绿灯/);
    expect(await ok(['report', '--format', 'md', '--lang', 'zh'])).toMatch(/\| 亮灯 \|/);
    const csv = (await ok(['report', '--format', 'csv'])).split('\r\n');
    expect(csv[0]!.endsWith(',light')).toBe(true);
    expect(csv.find((l) => l.startsWith('M2.1,'))!.endsWith(',yellow')).toBe(true);
    const json = JSON.parse(await ok(['report', '--format', 'json']));
    const items = json.measures.flatMap((m: { items: unknown[] }) => m.items);
    expect(items.find((i: { id: string }) => i.id === 'M4.1').light).toBe('red');
    expect(items.find((i: { id: string }) => i.id === 'M5.3').light).toBeNull();
  });
});

describe('recent changes on screen', () => {
  it('show at most ten groups, then "… and N more"', async () => {
    const { renderStatus, groupChanges } = await import('../../src/ui/status.js');
    const { buildStatus } = await import('../../src/core/summary.js');
    const entry = (n: number) => ({
      seq: n, at: '2026-12-06T09:00:00.000+08:00', by: `person${n}`, item: `M1.${n}`, action: 'progress' as const,
      status: 'in_progress' as const, progress: n, note: null, changes: { progress: [0, n] as [number, number] },
    });
    const history = Array.from({ length: 12 }, (_, n) => entry(n + 1));
    expect(groupChanges(history).length).toBe(12);
    const figures = {
      report: { title: 'T', unit: null, date: null }, items: { total: 12, open: 0, inProgress: 12, done: 0, verified: 0, overdue: 0 },
      problems: { total: 0, rectified: 0 }, areas: [], measures: [], overdue: [], dueSoon: [], dueSoonTotal: 0, owners: [],
    };
    const s = renderStatus(buildStatus(figures as never, history as never, '2026-12-06', 7, 12), { lang: 'en', limit: 10 });
    expect(s).toContain('\n  … and 2 more\n');
  });
});
