// A statement's parameters written in as literals (src/store/postgres/sql.ts, inlined()), so
// that it costs one round trip: whatever a value holds, the server reads back that value and
// nothing else, under either setting of standard_conforming_strings.
import { describe, expect, it } from 'vitest';
import { parseServerAddress } from '../../src/store/postgres/address.js';
import { connect } from '../../src/store/postgres/connect.js';
import { inlined } from '../../src/store/postgres/sql.js';
import { atTestEnd } from '../helpers/file-hooks.js';
import { HAS_PG, PG_URL, asUser, loginRole, serverSql } from '../helpers/pg.js';

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

  // In GBK the bytes of 縗 (E7 B8 97 in UTF-8) end in a lead byte that takes the backslash
  // after it as its second byte: the doubled backslash is then one backslash, which escapes
  // the first of the doubled quotes, and the second ends the literal (the server refuses that
  // escaped quote under its default backslash_quote = safe_encoding; any role may turn that
  // on for itself). Only UTF-8 is safe whatever the settings.
  const breakout = "\u7e17\\' || upper(current_user) --";

  it.runIf(HAS_PG)('a multi-byte client encoding would let a value out of its literal: the reason for UTF-8', async () => {
    const sql = serverSql();
    try {
      await sql.unsafe(`SET client_encoding = 'GBK'`);
      await expect(sql.unsafe(inlined('SELECT $1 AS v', [breakout])!)).rejects.toThrow(/unsafe use of/);
      await sql.unsafe('SET backslash_quote = on');
      // The rest of the value ran as SQL (the role's name in capitals), its comment taking the
      // column's name away with the statement's end.
      const [r] = await sql.unsafe<Record<string, string>[]>(inlined('SELECT $1 AS v', [breakout])!);
      expect(Object.keys(r!)).toEqual(['?column?']);
      expect(Object.values(r!)[0]).toMatch(/'POSTGRES$/);
    } finally {
      await sql.unsafe('RESET client_encoding; RESET backslash_quote');
    }
  });

  it.runIf(HAS_PG)("rectify's connection speaks UTF-8 even for a role whose default encoding is GBK", async () => {
    const role = await loginRole('gbk');
    await serverSql().unsafe(`ALTER ROLE "${role}" SET client_encoding = 'GBK'`);
    await serverSql().unsafe(`ALTER ROLE "${role}" SET backslash_quote = on`);
    const addr = parseServerAddress(asUser(PG_URL, role, 'secret-pw'), {});
    if ('bad' in addr) throw new Error('bad test address');
    const sql = await connect(addr);
    atTestEnd(() => sql.end({ timeout: 1 }));
    const [enc] = await sql.unsafe<{ client_encoding: string }[]>('SHOW client_encoding');
    expect(enc!.client_encoding).toBe('UTF8');
    const [r] = await sql.unsafe<{ v: string }[]>(inlined('SELECT $1 AS v', [breakout])!);
    expect(r!.v).toBe(breakout);
  });
});
