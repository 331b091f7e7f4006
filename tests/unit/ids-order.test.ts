// compareIds compares ids of printable ASCII itself (making the collator costs some 60 million
// instructions at the first call): it must order them exactly as the collator it stands for,
// Intl.Collator('en', { numeric: true, sensitivity: 'base' }), and leave everything else to it.
import { describe, expect, it } from 'vitest';
import { compareIds } from '../../src/core/ids.js';

const collator = new Intl.Collator('en', { numeric: true, sensitivity: 'base' });
const sign = (n: number) => (n < 0 ? -1 : n > 0 ? 1 : 0);

/** A repeatable pseudo-random sequence. */
function random(seed: number): () => number {
  let x = seed;
  return () => ((x = (x * 1103515245 + 12345) % 2147483648) / 2147483648);
}

describe('ids in order', () => {
  it('agrees with the collator on every pair of short strings of printable ASCII', () => {
    const chars: string[] = [];
    for (let c = 32; c < 127; c++) chars.push(String.fromCharCode(c));
    const strings = ['', ...chars, ...['a', 'Z', '0', '1', '9', '.', '-', '_', ' ', '~'].flatMap((x) => ['a', 'M', '0', '7', '10', '.', '-', '_'].map((y) => x + y))];
    for (const a of strings) {
      for (const b of strings) {
        if (sign(compareIds(a, b)) !== sign(collator.compare(a, b))) expect([a, b, compareIds(a, b)]).toEqual([a, b, sign(collator.compare(a, b))]);
      }
    }
  });

  it('agrees with the collator on ids of every shape, numbers with leading zeros and long ones', () => {
    const rnd = random(3);
    const pick = <T>(xs: readonly T[]) => xs[Math.floor(rnd() * xs.length)]!;
    const part = () => pick([
      () => String(Math.floor(rnd() * 30)),
      () => '0'.repeat(Math.floor(rnd() * 3)) + String(Math.floor(rnd() * 12)),
      () => String(Math.floor(rnd() * 1e17)),
      () => pick(['M', 'm', 'P', 'A', 'x', 'Z', 'ab', 'AB']),
      () => pick(['.', '-', '_', ' ', '/', '#', '(', ')', '~', '$']),
      () => pick(['整改', 'é', 'Ä', '\u00a0', '²']),
    ])();
    const id = () => Array.from({ length: 1 + Math.floor(rnd() * 5) }, part).join('');
    const ids = Array.from({ length: 3000 }, id);
    let checked = 0;
    for (let k = 0; k < 100_000; k++) {
      const a = pick(ids);
      const b = rnd() < 0.2 ? a.replace(/\d+/, (d) => `0${d}`) : pick(ids);
      if (sign(compareIds(a, b)) !== sign(collator.compare(a, b))) expect([a, b, compareIds(a, b)]).toEqual([a, b, sign(collator.compare(a, b))]);
      checked++;
    }
    expect(checked).toBe(100_000);
    // And a sort gives the same order.
    expect([...ids].sort(compareIds)).toEqual([...ids].sort((a, b) => collator.compare(a, b)));
  });
});
