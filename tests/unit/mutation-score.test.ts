// The assessment's edges StrykerJS found untested in src/core/score.ts (README, "Mutation
// testing"): an item due on the day itself, the original deadline whatever order the history
// comes in, every step of the rows' order, and the total's rate when nothing was expected.
import { describe, expect, it } from 'vitest';
import { buildScore, scoreTotal, type ScoreHistory } from '../../src/core/score.js';
import type { Item } from '../../src/core/types.js';
import type { Status } from '../../src/core/vocab.js';

const AS_OF = '2026-03-10';
let n = 0;
const item = (department: string | null, due: string | null, status: Status, finishedOn = '2026-03-01'): Item => ({
  id: `X${++n}`, title: 't', detail: null, addresses: [], owner: null, department, due, term: 'deadline', status,
  progress: status === 'done' || status === 'verified' ? 100 : 0, measure: 'X',
  createdAt: '2026-01-05T09:00:00.000+08:00', updatedAt: `${finishedOn}T09:00:00.000+08:00`,
});

describe('buildScore at the edges', () => {
  it('counts an item due on the day itself neither overdue nor expected yet; due the day before, both', () => {
    expect(buildScore([item('甲', AS_OF, 'open')], [], AS_OF, 'department')[0]).toMatchObject({ overdue: 0, daysOverdue: 0, expected: 0, onTimeRate: null });
    expect(buildScore([item('甲', '2026-03-09', 'in_progress')], [], AS_OF, 'department')[0]).toMatchObject({ overdue: 1, daysOverdue: 1, expected: 1, onTimeRate: 0 });
  });

  it('takes the original deadline from the earliest extension, whatever order the history is given in', () => {
    const x = { ...item('甲', '2026-04-30', 'done', '2026-03-20'), id: 'E1' };
    const ext = (seq: number, at: string, from: string, to: string): ScoreHistory =>
      ({ item: 'e1', seq, at: `${at}T10:00:00.000+08:00`, action: 'extend', status: 'in_progress', changes: { due: [from, to] } });
    const oldestFirst = [ext(1, '2026-02-01', '2026-02-28', '2026-03-31'), ext(2, '2026-03-15', '2026-03-31', '2026-04-30')];
    for (const history of [oldestFirst, [...oldestFirst].reverse()]) {
      // Finished on 3-20: after the original 2-28, so late, though within the first extension.
      expect(buildScore([x], history, AS_OF, 'department')[0]).toMatchObject({ extensions: 2, done: 1, onTime: 0 });
    }
  });

  it('orders the rows by most overdue, then most days overdue, then the lower rate (none last), then by name in pinyin, no name last', () => {
    const items = [
      item('辛', '2026-03-09', 'open'), item('辛', '2026-03-09', 'open'), // 2 overdue, 2 days
      item('甲', '2026-03-05', 'open'), // 1 overdue, 5 days
      item('乙', '2026-02-28', 'open'), // 1 overdue, 10 days
      item('丁', '2026-03-01', 'done', '2026-02-27'), item('丁', '2026-03-01', 'done', '2026-03-05'), // rate 50
      item('丙', '2026-03-01', 'done', '2026-02-27'), // rate 100
      item('戊', '2026-04-30', 'open'), // nothing expected: no rate
      item('己', '2026-03-01', 'done', '2026-03-05'), // rate 0
      item(null, '2026-03-01', 'done', '2026-03-05'), // rate 0, no department
      item('庚', '2026-03-01', 'done', '2026-03-05'), // rate 0
      // rate 0: a collator puts 'null' (how it would spell no name) before Zed, so no name
      // still has to be put last on purpose.
      item('Zed', '2026-03-01', 'done', '2026-03-05'),
    ];
    const expected = ['辛', '乙', '甲', '庚', '己', 'Zed', null, '丁', '丙', '戊'];
    for (const order of [items, [...items].reverse(), [...items.slice(5), ...items.slice(0, 5)]]) {
      expect(buildScore(order, [], AS_OF, 'department').map((r) => r.name)).toEqual(expected);
    }
  });
});

describe('scoreTotal', () => {
  it('has no rate when nothing was expected anywhere, and the rate of the sums otherwise', () => {
    expect(scoreTotal(buildScore([item('甲', '2026-04-30', 'open'), item('乙', null, 'in_progress')], [], AS_OF, 'department')).onTimeRate).toBeNull();
    expect(scoreTotal([]).onTimeRate).toBeNull();
    const rows = buildScore([item('甲', '2026-03-01', 'done', '2026-02-27'), item('乙', '2026-03-01', 'done', '2026-03-05'), item('乙', '2026-03-02', 'open')], [], AS_OF, 'department');
    expect(scoreTotal(rows)).toMatchObject({ expected: 3, onTime: 1, onTimeRate: 33 });
  });
});
