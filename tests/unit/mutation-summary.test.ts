// The dashboard's figures StrykerJS found untested in src/core/summary.ts (lines 1-200; README,
// "Mutation testing"): the order of the overdue, due-soon and owner lists whatever order the
// store gives them in, the recent window's first day, the recent total of a cut-short week, and
// Chinese numerals at their edges.
import { describe, expect, it } from 'vitest';
import { buildStatus, chineseNumber, type Figures, recentFrom } from '../../src/core/summary.js';
import type { HistoryEntry } from '../../src/core/types.js';

const AS_OF = '2026-03-10';
const dated = (id: string, due: string) => ({ id, title: id, owner: null, due });
const figures = (over: Partial<Figures> = {}): Figures => ({
  report: { title: '整改台账', unit: null, date: null },
  items: { total: 10, open: 5, inProgress: 3, done: 1, verified: 1, overdue: 0 },
  problems: { total: 2, rectified: 1 },
  areas: [], measures: [], overdue: [], dueSoon: [], owners: [], ...over,
});
const change = (seq: number, day: string): HistoryEntry => ({
  seq, at: `${day}T09:00:00.000+08:00`, by: '王', item: 'M1.1', action: 'progress', status: 'in_progress', progress: 10, note: null, changes: {},
});

describe('buildStatus', () => {
  it('lists overdue and due-soon items by due date, equal dates in the order given', () => {
    const m = buildStatus(figures({
      overdue: [dated('B', '2026-03-05'), dated('A', '2026-03-01'), dated('D', '2026-03-05'), dated('C', '2026-03-08')],
      dueSoon: [dated('Y', '2026-03-15'), dated('X', '2026-03-11'), dated('Z', '2026-03-15')],
    }), [], AS_OF, 7);
    expect(m.overdue.map((i) => `${i.id}:${i.days}`)).toEqual(['A:9', 'B:5', 'D:5', 'C:2']);
    expect(m.dueSoon.map((i) => `${i.id}:${i.days}`)).toEqual(['X:1', 'Y:5', 'Z:5']);
  });

  it('orders owners by most overdue, then by name, the unassigned after the names', () => {
    // Zed, not a Chinese name, ties with the unassigned: a collator would put "null" before it.
    const owners = [
      { owner: null, open: 3, overdue: 1 }, { owner: 'Zed', open: 1, overdue: 1 }, { owner: '王', open: 2, overdue: 0 },
      { owner: '李', open: 1, overdue: 2 },
    ];
    for (const order of [owners, [...owners].reverse()]) {
      expect(buildStatus(figures({ owners: order }), [], AS_OF, 7).owners.map((o) => o.owner)).toEqual(['李', 'Zed', null, '王']);
    }
  });

  it('takes the recent window from its first day through the day itself, and its total from the store when the week was cut short', () => {
    const from = recentFrom(AS_OF);
    const history = [change(1, '2026-03-03'), change(2, from), change(3, AS_OF), change(4, '2026-03-11')];
    const m = buildStatus(figures(), history, AS_OF, 7);
    expect(m.recent.changes.map((h) => h.seq)).toEqual([3, 2]);
    expect(m.recent.total).toBe(2);
    expect(buildStatus(figures(), history, AS_OF, 7, 5000).recent.total).toBe(5000);
  });
});

describe('chineseNumber at its edges', () => {
  it('writes 一千 after 万 without a 零, and a 零 only for fewer than a thousand', () => {
    expect(chineseNumber(11_000)).toBe('一万一千');
    expect(chineseNumber(10_999)).toBe('一万零九百九十九');
  });

  it('leaves in digits what it does not write: negatives, fractions, a hundred million and more', () => {
    expect(chineseNumber(-1)).toBe('-1');
    expect(chineseNumber(1.5)).toBe('1.5');
    expect(chineseNumber(100_000_000)).toBe('100000000');
    expect(chineseNumber(99_999_999)).toBe('九千九百九十九万九千九百九十九');
  });
});
