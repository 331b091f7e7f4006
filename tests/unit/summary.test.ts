import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  barEighths, buildChanges, buildReport, buildStatus, chineseNumber, compareOwners, percent, recentFrom, statusJson,
} from '../../src/core/summary.js';
import type { HistoryEntry } from '../../src/core/types.js';
import { AS_OF, figures, history, items, source } from '../fixtures/views/sample.js';

describe('percent', () => {
  it('rounds 2/3 up to 67 and 1/3 down to 33', () => {
    expect(percent(2, 3)).toBe(67);
    expect(percent(1, 3)).toBe(33);
  });

  it('rounds an exact half up: 1/8 is 12.5, so 13; 5/8 is 62.5, so 63; 1/200 is 0.5, so 1', () => {
    expect(percent(1, 8)).toBe(13);
    expect(percent(5, 8)).toBe(63);
    expect(percent(1, 200)).toBe(1);
  });

  it('gives 0 when there is nothing to count', () => {
    expect(percent(0, 0)).toBe(0);
  });

  it('gives 0 and 100 at the ends, and rounds 99.9 up to 100 as the rule says', () => {
    expect(percent(0, 7)).toBe(0);
    expect(percent(7, 7)).toBe(100);
    expect(percent(999, 1000)).toBe(100);
    expect(percent(994, 1000)).toBe(99);
  });

  it('agrees with exact rational arithmetic for any counts', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 10_000_000 }), fc.nat(), (whole, p) => {
        const part = p % (whole + 1);
        // half up: floor(100p/w + 1/2), done in BigInt so no float can blur it.
        const exact = Number((200n * BigInt(part) + BigInt(whole)) / (2n * BigInt(whole)));
        expect(percent(part, whole)).toBe(exact);
      }),
    );
  });
});

describe('completion bars', () => {
  it('are empty at nothing done and full only when everything is', () => {
    expect(barEighths(0, 10, 20)).toBe(0);
    expect(barEighths(10, 10, 20)).toBe(160);
    expect(barEighths(999, 1000, 20)).toBe(159);
  });

  it('show a sliver as soon as anything is done', () => {
    expect(barEighths(1, 100_000, 20)).toBe(1);
  });

  it('fill in eighths of a cell, rounding down', () => {
    expect(barEighths(1, 2, 20)).toBe(80);
    expect(barEighths(1, 3, 20)).toBe(53);
    expect(barEighths(0, 0, 20)).toBe(0);
  });
});

describe('Chinese numerals', () => {
  it('write the numbers sections use', () => {
    const cases: [number, string][] = [
      [1, '一'], [2, '二'], [9, '九'], [10, '十'], [11, '十一'], [19, '十九'], [20, '二十'], [21, '二十一'],
      [99, '九十九'], [100, '一百'], [101, '一百零一'], [110, '一百一十'], [111, '一百一十一'], [1000, '一千'],
      [1001, '一千零一'], [1010, '一千零一十'], [2024, '二千零二十四'], [10_000, '一万'], [10_001, '一万零一'],
      [12_345, '一万二千三百四十五'],
    ];
    for (const [n, text] of cases) expect(chineseNumber(n), String(n)).toBe(text);
  });
});

describe('the status model', () => {
  const model = buildStatus(figures, history, AS_OF, 7);

  it('takes "the last 7 days" as the as-of day and the six before it', () => {
    expect(recentFrom('2024-05-10')).toBe('2024-05-04');
    expect(model.recent).toMatchObject({ from: '2024-05-04', to: '2024-05-10' });
    const days = model.recent.changes.map((h) => h.at.slice(0, 10));
    expect(days.every((d) => d >= '2024-05-04' && d <= '2024-05-10')).toBe(true);
    // 2024-04-25 and 2024-05-03 are outside the window.
    expect(model.recent.changes).toHaveLength(7);
  });

  it('leaves out what was recorded after the as-of day', () => {
    const earlier = buildStatus(figures, history, '2024-05-08', 7);
    expect(earlier.recent.changes.map((h) => h.at.slice(0, 10)).every((d) => d <= '2024-05-08')).toBe(true);
    expect(earlier.recent.changes.map((h) => h.item)).toEqual(['M1.2', 'M1.1', 'M3.2']);
  });

  it('lists recent changes newest first, later recording first within the same time', () => {
    const same: HistoryEntry[] = [
      { ...history[0]!, seq: 1, at: '2024-05-10T09:00:00.000+08:00', item: 'A' },
      { ...history[0]!, seq: 2, at: '2024-05-10T09:00:00.000+08:00', item: 'B' },
      { ...history[0]!, seq: 3, at: '2024-05-09T09:00:00.000+08:00', item: 'C' },
    ];
    expect(buildStatus(figures, same, AS_OF, 7).recent.changes.map((h) => h.item)).toEqual(['B', 'A', 'C']);
  });

  it('counts days overdue and days left from the as-of day', () => {
    expect(model.overdue.map((i) => [i.id, i.days])).toEqual([['M2.3', 5], ['M3.2', 2]]);
    expect(model.dueSoon.map((i) => [i.id, i.days])).toEqual([['M3.1', 2], ['M2.2', 5]]);
  });

  it('computes every percentage with the contract rounding', () => {
    expect(model.percentDone).toBe(25); // 2 of 8
    expect(model.problems.percent).toBe(14); // 1 of 7
    expect(model.measures.map((m) => m.percentDone)).toEqual([50, 0, 0, 100, 0]);
  });

  it('keeps whole totals when the store cut the lists short', () => {
    const cut = buildStatus({ ...figures, overdue: figures.overdue.slice(0, 1), dueSoon: [], dueSoonTotal: 2 }, [], AS_OF, 7);
    expect(cut.overdueTotal).toBe(2);
    expect(cut.dueSoonTotal).toBe(2);
  });

  it('orders owners most overdue first, then by name, unassigned after names', () => {
    const owners = [
      { owner: '王建国', open: 5, overdue: 0 },
      { owner: null, open: 1, overdue: 1 },
      { owner: '李明', open: 1, overdue: 0 },
      { owner: '赵敏', open: 1, overdue: 1 },
      { owner: null, open: 9, overdue: 0 },
    ];
    expect([...owners].sort(compareOwners).map((o) => o.owner)).toEqual(['赵敏', null, '李明', '王建国', null]);
  });

  it('prints exactly the JSON shape of the contract', () => {
    const json = statusJson(model);
    expect(Object.keys(json)).toEqual(['asOf', 'report', 'items', 'percentDone', 'problems', 'areas', 'measures', 'overdue', 'dueSoon', 'owners']);
    expect(json.report).toEqual({ title: '市局领导班子主题教育对照检查材料', unit: '市局领导班子' });
    expect(json.items).toEqual({ total: 8, open: 3, inProgress: 3, done: 1, verified: 1, overdue: 2 });
    expect(json.measures[0]).toEqual({ id: 'M1', title: '深化学习意识，加强理论武装', items: 2, done: 1, percentDone: 50 });
    expect(json.areas[0]).toEqual({ id: 'A1', name: '理论学习', problems: 2, rectified: 0 });
    expect(json.overdue).toEqual(['M2.3', 'M3.2']);
    expect(json.dueSoon).toEqual(['M3.1', 'M2.2']);
    expect(json.owners[1]).toEqual({ owner: null, open: 1, overdue: 1 });
  });
});

describe('the report model', () => {
  const model = buildReport({ ...source, history, since: '2024-05-01' });

  it('counts the headline from the items', () => {
    expect(model.headline).toEqual({
      total: 8, open: 3, inProgress: 3, done: 1, verified: 1, overdue: 2, dueSoon: 2, percentDone: 25,
      problems: 7, rectified: 1, percentRectified: 14,
    });
  });

  it('calls a problem rectified only when it has items and all of them are done or verified', () => {
    const verdicts = Object.fromEntries(model.areas.flatMap((a) => a.problems).map((p) => [p.id, p.rectified]));
    expect(verdicts).toEqual({ 'P1.1': false, 'P1.2': false, 'P2.1': false, 'P2.2': false, 'P3.1': false, 'P4.1': true, 'P5.1': false });
    expect(model.areas.find((a) => a.id === 'A5')!.problems[0]!.items).toEqual([]);
  });

  it('groups items by measure in listing order, keeping measures without items', () => {
    expect(model.measures.map((m) => [m.id, m.items.map((i) => i.id)])).toEqual([
      ['M1', ['M1.1', 'M1.2']], ['M2', ['M2.1', 'M2.2', 'M2.3']], ['M3', ['M3.1', 'M3.2']], ['M4', ['M4.1']], ['M5', []],
    ]);
  });

  it('judges overdue strictly before the as-of day and due soon from it through as-of + days', () => {
    const at = (due: string, status: 'open' | 'done' = 'open') =>
      buildReport({ ...source, items: [{ ...items[0]!, due, status }], history: null, since: null }).measures[0]!.items[0]!;
    expect(at('2024-05-09')).toMatchObject({ daysOverdue: 1, daysLeft: null });
    expect(at('2024-05-10')).toMatchObject({ daysOverdue: null, daysLeft: 0 });
    expect(at('2024-05-17')).toMatchObject({ daysOverdue: null, daysLeft: 7 });
    expect(at('2024-05-18')).toMatchObject({ daysOverdue: null, daysLeft: null });
    expect(at('2024-01-01', 'done')).toMatchObject({ daysOverdue: null, daysLeft: null });
  });

  it('lists overdue items most overdue first and due-soon items soonest first', () => {
    expect(model.overdue.map((i) => i.id)).toEqual(['M2.3', 'M3.2']);
    expect(model.dueSoon.map((i) => i.id)).toEqual(['M3.1', 'M2.2']);
  });

  it('has no changes section without --since', () => {
    expect(buildReport({ ...source, history: null, since: null }).changes).toBeNull();
  });
});

describe('changes since the last meeting', () => {
  const c = buildChanges(history, items, '2024-05-01', AS_OF);

  it('shows each item that moved once, from where it stood to where it stands', () => {
    expect(c.moved.map((m) => [m.id, m.from, m.to])).toEqual([
      ['M1.1', { status: 'in_progress', progress: 30 }, { status: 'in_progress', progress: 60 }],
      ['M1.2', { status: 'open', progress: 0 }, { status: 'verified', progress: 100 }],
      ['M4.1', { status: 'in_progress', progress: 40 }, { status: 'done', progress: 100 }],
    ]);
  });

  it('leaves out an item that came back to where it was (done, then reopened)', () => {
    expect(c.moved.find((m) => m.id === 'M3.1')).toBeUndefined();
  });

  it('lists sign-offs and reopenings with their notes, and other notes apart', () => {
    expect(c.verified.map((x) => [x.id, x.note])).toEqual([['M1.2', '经党委会审核同意销号']]);
    expect(c.reopened.map((x) => [x.id, x.by, x.note])).toEqual([['M3.1', '办公室', '群众满意度回访未达标']]);
    expect(c.notes.map((x) => x.id)).toEqual(['M1.1', 'M1.2']);
  });

  it('includes the since day itself and nothing after the as-of day', () => {
    const day = buildChanges(history, items, '2024-05-09', '2024-05-09');
    expect(day.verified).toHaveLength(1);
    expect(day.moved.map((m) => m.id)).toEqual(['M1.2']);
  });
});
