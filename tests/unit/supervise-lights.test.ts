import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDays } from '../../src/core/dates.js';
import { isOverdue } from '../../src/core/items.js';
import { lightOf, lightRank, lightsAsOf, parseLightList } from '../../src/core/lights.js';
import { STATUSES, type Status } from '../../src/core/vocab.js';

const AS_OF = '2026-03-10';

describe('lightOf', () => {
  it('is red for open or in-progress work due before the day', () => {
    expect(lightOf({ due: '2026-03-09', status: 'open' }, AS_OF)).toBe('red');
    expect(lightOf({ due: '2025-12-31', status: 'in_progress' }, AS_OF)).toBe('red');
  });

  it('is yellow from the day itself through the day plus the window (7 by default)', () => {
    expect(lightOf({ due: AS_OF, status: 'open' }, AS_OF)).toBe('yellow');
    expect(lightOf({ due: '2026-03-17', status: 'in_progress' }, AS_OF)).toBe('yellow');
    expect(lightOf({ due: '2026-03-18', status: 'open' }, AS_OF)).toBe('green');
  });

  it('takes the window given: 3 days makes the 14th yellow and the 14th+1 green', () => {
    expect(lightOf({ due: '2026-03-13', status: 'open' }, AS_OF, 3)).toBe('yellow');
    expect(lightOf({ due: '2026-03-14', status: 'open' }, AS_OF, 3)).toBe('green');
    expect(lightOf({ due: AS_OF, status: 'open' }, AS_OF, 0)).toBe('yellow');
    expect(lightOf({ due: '2026-03-11', status: 'open' }, AS_OF, 0)).toBe('green');
  });

  it('counts the window across a month end and a leap day', () => {
    expect(lightOf({ due: '2024-03-06', status: 'open' }, '2024-02-28')).toBe('yellow');
    expect(lightOf({ due: '2024-03-07', status: 'open' }, '2024-02-28')).toBe('green');
  });

  it('is green for open work with no due date', () => {
    expect(lightOf({ due: null, status: 'open' }, AS_OF)).toBe('green');
  });

  it('is null for done and verified work, however late its due date', () => {
    expect(lightOf({ due: '2020-01-01', status: 'done' }, AS_OF)).toBeNull();
    expect(lightOf({ due: AS_OF, status: 'verified' }, AS_OF)).toBeNull();
    expect(lightOf({ due: null, status: 'done' }, AS_OF)).toBeNull();
  });

  it('agrees with the overdue rule and the due-soon rule for any date, status and window', () => {
    const day = fc.integer({ min: -400, max: 400 }).map((n) => addDays(AS_OF, n));
    fc.assert(fc.property(
      fc.option(day, { nil: null }), fc.constantFrom(...STATUSES), fc.integer({ min: 0, max: 60 }),
      (due, status: Status, days) => {
        const light = lightOf({ due, status }, AS_OF, days);
        expect(light === 'red').toBe(isOverdue({ due, status }, AS_OF));
        const open = status === 'open' || status === 'in_progress';
        expect(light === null).toBe(!open);
        const soon = open && due !== null && due >= AS_OF && due <= addDays(AS_OF, days);
        expect(light === 'yellow').toBe(soon);
        expect(lightsAsOf(AS_OF, days)({ due, status })).toBe(light);
      },
    ));
  });
});

describe('parseLightList', () => {
  it('reads red,yellow in any case with full-width commas, each once, and names the unknown', () => {
    expect(parseLightList('Red，yellow,red')).toEqual({ lights: ['red', 'yellow'], unknown: [] });
    expect(parseLightList('red,blue')).toEqual({ lights: ['red'], unknown: ['blue'] });
  });
});

describe('lightRank', () => {
  it('puts red before yellow before green before none', () => {
    expect([null, 'green', 'red', 'yellow'].sort((a, b) => lightRank(a as never) - lightRank(b as never)))
      .toEqual(['red', 'yellow', 'green', null]);
  });
});
