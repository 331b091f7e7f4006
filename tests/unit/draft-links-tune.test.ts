// How LINK_RULE was chosen, run again: DRAFT_TUNE=1 npx vitest run tests/unit/draft-links-tune.test.ts
// (about a minute; skipped otherwise). Only the genre set counts (tests/fixtures/draft/set.ts); the
// bundled report is scored for the printout only, with DRAFT_TUNE_BUNDLED=1, and chooses nothing.
//
// Every rule of the grid is scored on each report of the set. A criterion picks a rule from
// scores: the most recall at a precision of at least 0.97, or 0.95, or 0.90; the best F1; the
// best F0.5 (precision weighted). Which criterion to trust is decided by holding out one report
// at a time: the criterion picks a rule on the others, that rule is scored on the one held out,
// and the held-out figures are summed. The criterion whose held-out precision and recall stay
// farthest above the goal (0.85 and 0.7: the least of P − 0.85 and R − 0.7) picks the rule on
// the whole set (ties: below). That rule is LINK_RULE.
import { describe, expect, it } from 'vitest';
import { LINK_RULE, type LinkRule } from '../../src/core/draft/link.js';
import { BUNDLED, perReport, SET } from '../fixtures/draft/set.js';

type Counts = [number, number, number][];
const pr = (rows: Counts, idx: number[]) => {
  let r = 0;
  let s = 0;
  let g = 0;
  for (const i of idx) {
    const [a, b, c] = rows[i] as [number, number, number];
    r += a;
    s += b;
    g += c;
  }
  return { p: s === 0 ? 1 : r / s, r: r / g, counts: [r, s, g] };
};
const f = (b: number, p: number, r: number) => (p + r === 0 ? 0 : ((1 + b * b) * p * r) / (b * b * p + r));
/** A criterion's value for a rule's precision and recall: compared left to right, larger wins. */
/** Most precision-weighted first: a later one must beat an earlier by more than TIE. */
const CRITERIA: Record<string, (p: number, r: number) => number[]> = {
  'F0.5': (p, r) => [f(0.5, p, r), p],
  F1: (p, r) => [f(1, p, r), p],
  'recall at P ≥ 0.97': (p, r) => [p >= 0.97 ? 1 : 0, r, p],
  'recall at P ≥ 0.95': (p, r) => [p >= 0.95 ? 1 : 0, r, p],
  'recall at P ≥ 0.90': (p, r) => [p >= 0.9 ? 1 : 0, r, p],
};
/** Held-out margins closer than this (about one link in 150) are a tie. On the set as it is,
 *  F0.5 and F1 tie (precision 0.953 held out for both, recall 0.910 and 0.923); the tie goes to
 *  precision, the side nearer its goal. This tie rule was written after the bundled report's
 *  figures had been seen (README). */
const TIE = 0.005;
const better = (a: number[], b: number[]) => {
  for (let i = 0; i < a.length; i++) if ((a[i] as number) !== (b[i] as number)) return (a[i] as number) > (b[i] as number);
  return false;
};

describe.skipIf(process.env.DRAFT_TUNE !== '1')('how LINK_RULE was chosen', () => {
  it('picks LINK_RULE by the criterion that holds up best on reports held out', async () => {
    const grid: { rule: LinkRule; set: Counts }[] = [];
    for (const concept of [0, 0.05, 0.1, 0.2, 0.3])
      for (const min of [0.04, 0.06, 0.08, 0.1, 0.12])
        for (const share of [0.6, 0.7, 0.8, 0.9])
          for (const area of [0.01, 0.03, 0.05])
            for (const cover of [0, 0.02, 0.04]) {
              const rule = { ...LINK_RULE, concept, min, share, area, cover };
              grid.push({ rule, set: await perReport(SET, { rule }) });
            }
    const all = SET.map((_, i) => i);
    const choose = (idx: number[], key: (p: number, r: number) => number[], only: (r: LinkRule) => boolean = () => true) => {
      let best = 0;
      let value: number[] | null = null;
      grid.forEach((g, k) => {
        if (!only(g.rule)) return;
        const { p, r } = pr(g.set, idx);
        const v = key(p, r);
        if (value === null || better(v, value)) [best, value] = [k, v];
      });
      return best;
    };
    const lines: string[] = [];
    let pick: { name: string; margin: number; rule: LinkRule } | null = null;
    for (const [name, key] of Object.entries(CRITERIA)) {
      const held: Counts = all.map((h) => grid[choose(all.filter((i) => i !== h), key)]!.set[h]!);
      const out = pr(held, all);
      const margin = Math.min(out.p - 0.85, out.r - 0.7);
      const rule = grid[choose(all, key)]!.rule;
      const whole = pr(grid[choose(all, key)]!.set, all);
      let line = `${name}: held out P ${out.p.toFixed(3)} R ${out.r.toFixed(3)} (${out.counts.join('/')}); on the whole set ${JSON.stringify(rule)} P ${whole.p.toFixed(3)} R ${whole.r.toFixed(3)}`;
      if (process.env.DRAFT_TUNE_BUNDLED === '1') {
        const [b] = await perReport([BUNDLED], { rule });
        line += `; bundled (not used) ${b!.join('/')}`;
      }
      lines.push(line);
      if (pick === null || margin > pick.margin + TIE) pick = { name, margin, rule };
    }
    // What each part is worth, held out, under the chosen criterion.
    const parts: [string, (r: LinkRule) => boolean][] = [
      ['words alone', (r) => r.concept === 0 && r.cover === 0],
      ['with the concepts', (r) => r.cover === 0],
      ['with the cover', (r) => r.concept === 0],
      ['both', () => true],
    ];
    for (const [name, only] of parts) {
      const key = CRITERIA[pick!.name]!;
      const held: Counts = all.map((h) => grid[choose(all.filter((i) => i !== h), key, only)]!.set[h]!);
      const out = pr(held, all);
      lines.push(`${pick!.name}, ${name}: held out P ${out.p.toFixed(3)} R ${out.r.toFixed(3)} (${out.counts.join('/')})`);
    }
    console.log([...lines, `chosen: ${pick!.name}`].join('\n'));
    expect(pick!.rule).toEqual(LINK_RULE);
  }, 600_000);
});
