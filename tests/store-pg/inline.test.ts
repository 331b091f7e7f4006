// A statement's parameters written in as literals (src/store/postgres/sql.ts, inlined()), so
// that it costs one round trip: whatever a value holds, the server reads back that value and
// nothing else, under either setting of standard_conforming_strings.
import { describe, expect, it } from 'vitest';
import { inlined } from '../../src/store/postgres/sql.js';
import { HAS_PG, serverSql } from '../helpers/pg.js';

const HOSTILE = [
  '', "'", "''", '\\', "\\'", "'; DROP TABLE x; --", 'a\\nb', '$1', '$2', '$$', '$x$ $x$', '-- no', '/* no */', '"q"',
  'E\'x\'', '王局长 · 落实', '\u2028\u0001\u007f', 'x'.repeat(5000), "\\\\''\\",
];

describe('parameters written in', () => {
  it('replaces each $n outside quotes, quoted names, comments and dollar quotes', () => {
    expect(inlined(`SELECT $1, '$1', "$1", $2 -- $1\n, $x$ $1 $x$, /* $2 */ $10`, ['a', 2, 3, 4, 5, 6, 7, 8, 9, null]))
      .toBe(`SELECT E'a', '$1', "$1", E'2' -- $1\n, $x$ $1 $x$, /* $2 */ NULL`);
    expect(inlined('SELECT $1, $2', [true, false])).toBe('SELECT true, false');
    expect(inlined('SELECT 1', [])).toBe('SELECT 1');
  });

  it('leaves to the driver what no literal may say, and a statement with many parameters', () => {
    expect(inlined('SELECT $1', ['a\0b'])).toBeNull();
    expect(inlined('SELECT $1', [undefined])).toBeNull();
    expect(inlined('SELECT $2', ['a'])).toBeNull();
    expect(inlined(`SELECT ${Array.from({ length: 65 }, (_, i) => `$${i + 1}`).join(', ')}`, Array.from({ length: 65 }, () => 1))).toBeNull();
  });

  it.runIf(HAS_PG)('gives the server back each value as it was, under either standard_conforming_strings', async () => {
    const sql = serverSql();
    try {
      for (const conforming of ['on', 'off']) {
        await sql.unsafe(`SET standard_conforming_strings = ${conforming}`);
        for (const v of HOSTILE) {
          const text = inlined('SELECT $1 AS v, $2::int AS n, $3 AS b, $1 = $1 AS same', [v, 42, true])!;
          const [r] = await sql.unsafe<{ v: string; n: number; b: boolean; same: boolean }[]>(text);
          expect(r, `${conforming}: ${JSON.stringify(v)}`).toEqual({ v, n: 42, b: true, same: true });
        }
      }
    } finally {
      await sql.unsafe('RESET standard_conforming_strings');
    }
  });
});
