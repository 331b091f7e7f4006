import { describe, expect, it } from 'vitest';
import { buildScore, scoreJson, scoreTotal, type ScoreHistory } from '../../src/core/score.js';
import type { Item } from '../../src/core/types.js';
import type { Status } from '../../src/core/vocab.js';

// The worked example of the README's 督办 section, as of 2026-03-10.
const AS_OF = '2026-03-10';
const item = (id: string, department: string, owner: string, due: string | null, status: Status): Item => ({
  id, title: id, detail: null, addresses: [], owner, department, due, term: 'deadline', status,
  progress: status === 'done' || status === 'verified' ? 100 : 0, measure: id.slice(0, 1),
  createdAt: '2026-01-05T09:00:00.000+08:00', updatedAt: '2026-03-09T09:00:00.000+08:00',
});
const items: Item[] = [
  item('A1', '办公室', '王建国', '2026-03-01', 'done'),
  item('A2', '办公室', '王建国', '2026-03-05', 'done'),
  item('A3', '办公室', '李明', '2026-03-01', 'open'),
  item('A4', '办公室', '李明', '2026-03-15', 'in_progress'),
  item('B1', '宣传部', '张华', '2026-04-30', 'in_progress'),
  item('B2', '宣传部', '张华', '2026-03-08', 'verified'),
  item('B3', '宣传部', '李明', null, 'done'),
  item('B4', '宣传部', '李明', '2026-03-07', 'open'),
];
let seq = 0;
const h = (itemId: string, at: string, action: ScoreHistory['action'], status: Status, changes: ScoreHistory['changes'] = {}): ScoreHistory =>
  ({ item: itemId, at: `${at}T10:00:00.000+08:00`, seq: ++seq, action, status, changes });
const history: ScoreHistory[] = [
  h('A1', '2026-02-28', 'done', 'done'),
  h('A2', '2026-02-18', 'extend', 'open', { due: ['2026-02-20', '2026-03-05'] }),
  h('A2', '2026-03-04', 'done', 'done'),
  h('B1', '2026-02-08', 'extend', 'open', { due: ['2026-02-10', '2026-02-25'] }),
  h('B1', '2026-02-24', 'extend', 'in_progress', { due: ['2026-02-25', '2026-04-30'] }),
  h('B2', '2026-03-08', 'done', 'done'),
  h('B2', '2026-03-09', 'verify', 'verified'),
  h('B3', '2026-03-02', 'done', 'done'),
  // Finished, then reopened: not done, and overdue again.
  h('B4', '2026-03-01', 'done', 'done'),
  h('B4', '2026-03-03', 'reopen', 'in_progress'),
];

describe('buildScore', () => {
  it('gives the figures of the worked example by department, worst first', () => {
    const rows = buildScore(items, history, AS_OF, 'department').map(scoreJson);
    expect(rows).toEqual([
      { name: '办公室', items: 4, done: 2, onTime: 1, overdue: 1, daysOverdue: 9, extensions: 1, expected: 3, onTimeRate: 33 },
      { name: '宣传部', items: 4, done: 2, onTime: 2, overdue: 1, daysOverdue: 3, extensions: 2, expected: 4, onTimeRate: 50 },
    ]);
    expect(scoreJson(scoreTotal(buildScore(items, history, AS_OF, 'department')))).toEqual(
      { name: null, items: 8, done: 4, onTime: 3, overdue: 2, daysOverdue: 12, extensions: 3, expected: 7, onTimeRate: 43 });
  });

  it('judges on time against the original deadline: finished after it, even within an extension, is late', () => {
    const a2 = buildScore([items[1]!], history, AS_OF, 'department')[0]!;
    expect(a2).toMatchObject({ done: 1, onTime: 0, extensions: 1 });
  });

  it('counts an open item past its original deadline in the rate, though its extension has not run out', () => {
    const b1 = buildScore([items[4]!], history, AS_OF, 'department')[0]!;
    expect(b1).toMatchObject({ overdue: 0, expected: 1, onTimeRate: 0, extensions: 2 });
  });

  it('ignores an extension that was undone (history given is the standing one)', () => {
    const b1 = buildScore([{ ...items[4]!, due: '2026-02-25' }], history.filter((x) => x.seq !== 5), AS_OF, 'department')[0]!;
    expect(b1).toMatchObject({ extensions: 1, overdue: 1, daysOverdue: 13 });
  });

  it('groups by owner, the items with no owner as name null, last', () => {
    const rows = buildScore([...items, { ...items[0]!, id: 'C1', owner: null, due: null }], history, AS_OF, 'owner');
    expect(rows.map((r) => r.name)).toEqual(['李明', '王建国', '张华', null]);
    expect(rows.find((r) => r.name === '李明')).toMatchObject({ items: 4, done: 1, overdue: 2, daysOverdue: 12 });
  });

  it('takes the day an item was last finished: reopened and finished again late is late', () => {
    const again = [...history, h('B4', '2026-03-09', 'done', 'done')];
    expect(buildScore([{ ...items[7]!, status: 'done' }], again, AS_OF, 'department')[0]).toMatchObject({ done: 1, onTime: 0 });
    expect(buildScore([{ ...items[7]!, status: 'done' }], history.concat(h('B4', '2026-03-06', 'done', 'done')), AS_OF, 'department')[0]).toMatchObject({ onTime: 1 });
  });

  it('has no rate where nothing was expected yet', () => {
    expect(buildScore([items[3]!], [], AS_OF, 'department')[0]!.onTimeRate).toBeNull();
  });
});
