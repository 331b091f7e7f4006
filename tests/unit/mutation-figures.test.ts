// The dashboard's arithmetic from the roll-up rows (src/store/figures.ts), called directly:
// the owners' order, which the store tests saw only with owners that never tied or came out
// of the roll-up in the right order already (StrykerJS: 4 survivors, README "Mutation testing").
import { describe, expect, it } from 'vitest';
import { figuresFrom, type RollupRows } from '../../src/store/figures.js';

const rows = (ownersOpen: RollupRows['ownersOpen'], ownersOverdue: RollupRows['ownersOverdue']): RollupRows => ({
  report: { title: '整改台账', unit: null, date: null },
  byStatus: [{ status: 'open', n: 6 }, { status: 'in_progress', n: 4 }, { status: 'done', n: 2 }, { status: 'verified', n: 1 }],
  ownersOpen, ownersOverdue,
  areas: [{ id: 'A1', name: '一', problems: 3, rectified: 1 }, { id: 'A2', name: '二', problems: 2, rectified: 2 }],
  measures: [],
  overdue: [], dueSoon: [], dueSoonTotal: 0,
});

describe('figuresFrom', () => {
  it('orders owners by most overdue first, whatever order the roll-up gives them in', () => {
    const open = [{ owner: 'a', n: 2 }, { owner: 'b', n: 5 }, { owner: 'c', n: 4 }, { owner: 'd', n: 3 }, { owner: 'e', n: 1 }];
    const overdue = [{ owner: 'a', n: 1 }, { owner: 'b', n: 3 }, { owner: 'c', n: 4 }, { owner: 'd', n: 2 }];
    for (const order of [[0, 1, 2, 3, 4], [4, 3, 2, 1, 0], [2, 0, 4, 1, 3], [1, 3, 0, 4, 2]]) {
      const f = figuresFrom(rows(order.map((i) => open[i]!), overdue));
      expect(f.owners.map((o) => `${o.owner}:${o.overdue}`), String(order)).toEqual(['c:4', 'b:3', 'd:2', 'a:1', 'e:0']);
      expect(f.items.overdue).toBe(10);
    }
  });

  it('puts the unassigned after every name among equals, and names in binary order', () => {
    const open = [{ owner: '', n: 3 }, { owner: '王', n: 1 }, { owner: 'Zed', n: 1 }, { owner: '李', n: 2 }];
    for (const order of [[0, 1, 2, 3], [3, 2, 1, 0], [1, 0, 3, 2], [2, 3, 0, 1]]) {
      const f = figuresFrom(rows(order.map((i) => open[i]!), [{ owner: '', n: 1 }, { owner: '王', n: 1 }]));
      // 王 and the unassigned tie on 1 overdue: 王 first. Zed and 李 tie on 0: by code point.
      expect(f.owners.map((o) => o.owner), String(order)).toEqual(['王', null, 'Zed', '李']);
    }
  });

  it('counts the items by status and the problems over the areas', () => {
    const f = figuresFrom(rows([{ owner: 'a', n: 10 }], []));
    expect(f.items).toEqual({ total: 13, open: 6, inProgress: 4, done: 2, verified: 1, overdue: 0 });
    expect(f.problems).toEqual({ total: 5, rectified: 3 });
  });
});
