// The recent changes of a big week on one line: describeGroup with the line's room sorts out
// only the ids that reach past it (firstIds), and the line as cut on screen is the one the
// whole sorted list gives, in either language and at any width.
import { describe, expect, it } from 'vitest';
import { compareIds } from '../../src/core/ids.js';
import type { HistoryEntry } from '../../src/core/types.js';
import { describeGroup, firstIds, groupChanges, words } from '../../src/ui/status.js';
import { truncate } from '../../src/ui/text.js';

/** A repeatable pseudo-random sequence. */
function random(seed: number): () => number {
  let x = seed;
  return () => ((x = (x * 1103515245 + 12345) % 2147483648) / 2147483648);
}

function ids(n: number, rnd: () => number): string[] {
  const shapes = [
    () => `M${Math.floor(rnd() * 60)}.${Math.floor(rnd() * 40)}`,
    () => `m${Math.floor(rnd() * 9)}.${Math.floor(rnd() * 9)}`,
    () => `整改${Math.floor(rnd() * 30)}`,
    () => `${Math.floor(rnd() * 12)}`,
    () => `A-${Math.floor(rnd() * 1000)}-X${Math.floor(rnd() * 3)}`,
  ];
  // Some ids twice, and some that differ only in case (compareIds ties them).
  return Array.from({ length: n }, () => shapes[Math.floor(rnd() * shapes.length)]!());
}

describe('a group of many items on one line', () => {
  it('keeps the smallest ids in the order a stable sort gives them, enough to pass the room', () => {
    const rnd = random(7);
    for (const n of [1, 2, 5, 30, 400, 3000]) {
      const all = ids(n, rnd);
      const sorted = [...all].sort(compareIds);
      for (const room of [10, 78, 200]) {
        const first = firstIds(all, 2, room);
        expect(first).toEqual(sorted.slice(0, first.length));
        expect(first.join(', ').length > room || first.length === n).toBe(true);
      }
      expect(firstIds(all, 2)).toEqual(sorted);
    }
    // Ids compareIds ties (case apart), each pair in both orders: a stable sort keeps them as
    // they came.
    const ties = Array.from({ length: 120 }, (_, i) => (i % 4 === 0 || i % 4 === 3 ? `M1.${i >> 1}` : `m1.${i >> 1}`));
    for (const room of [10, 78, 200]) {
      const first = firstIds(ties, 2, room);
      expect(first).toEqual([...ties].sort(compareIds).slice(0, first.length));
      expect(first.length).toBeLessThan(ties.length);
    }
  });

  it('reads on screen as the whole list does, cut at any width, in either language', () => {
    const rnd = random(11);
    for (const n of [3, 50, 2000]) {
      const items = ids(n, rnd);
      for (const action of ['progress', 'done'] as const) {
        const history: HistoryEntry[] = items.map((item, k) => ({
          seq: k + 1, at: `2026-12-0${1 + (k % 5)}T09:00:00.000+08:00`, by: 'u', item, action, status: 'in_progress',
          progress: k % 100, note: null, changes: {},
        }));
        const [g] = groupChanges(history);
        for (const lang of ['en', 'zh'] as const) {
          const w = words(lang);
          for (const W of [40, 80, 120, 200]) {
            // The change column of the screen's table: at most the line less its margin.
            for (const cut of [W - 2, W - 25]) expect(truncate(describeGroup(g!, w, W), cut)).toBe(truncate(describeGroup(g!, w), cut));
          }
        }
      }
    }
  });
});
