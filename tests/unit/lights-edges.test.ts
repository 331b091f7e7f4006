// The edges of the lights that mutation testing (npm run mutate) found untested: the views'
// lightsAsOf on the day itself and on the window's last day, and parseLightList's blanks.
import { describe, expect, it } from 'vitest';
import { lightOf, lightsAsOf, parseLightList } from '../../src/core/lights.js';

describe('lightsAsOf, as lightOf, at the edges', () => {
  const open = (due: string | null) => ({ due, status: 'open' as const });
  it('is yellow for an item due on the day itself, red the day before', () => {
    const light = lightsAsOf('2024-05-10', 3);
    expect(light(open('2024-05-10'))).toBe('yellow');
    expect(light(open('2024-05-09'))).toBe('red');
  });

  it('is yellow on the last day of the window and green the day after', () => {
    const light = lightsAsOf('2024-05-10', 3);
    expect(light(open('2024-05-13'))).toBe('yellow');
    expect(light(open('2024-05-14'))).toBe('green');
    for (const due of ['2024-05-09', '2024-05-10', '2024-05-13', '2024-05-14', null]) {
      expect(light(open(due))).toBe(lightOf(open(due), '2024-05-10', 3));
    }
  });
});

describe('parseLightList and blanks', () => {
  it('reads lights with spaces around them and skips empty parts', () => {
    expect(parseLightList(' Red ，, yellow ,')).toEqual({ lights: ['red', 'yellow'], unknown: [] });
  });

  it('names an unknown word without the spaces around it', () => {
    expect(parseLightList('red, blue ')).toEqual({ lights: ['red'], unknown: ['blue'] });
  });
});
