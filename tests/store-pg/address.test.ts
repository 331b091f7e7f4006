// Reading and showing a server's address: the password never shows, whatever it holds and
// wherever it was given; options rectify does not know are refused (docs/postgres.md, "The address").
import { describe, expect, it } from 'vitest';
import { maskAddress, maskSecrets, parseServerAddress, type ServerAddress } from '../../src/store/postgres/address.js';
import { serverAddress } from '../../src/store/postgres/index.js';

const env = {};
const ok = (a: string, e: NodeJS.ProcessEnv = env): ServerAddress => {
  const r = parseServerAddress(a, e);
  if ('bad' in r) throw new Error(`refused: ${a}`);
  return r;
};

describe('server address', () => {
  const passwords = ['p/ss', 'p#ss', 'p?ss', 'p@ss', 'a/b#c?d@e', 'p%2Fss', 'p%ss', 'pass:word', '秘密@/#?'];
  for (const pw of passwords) {
    it(`hides the password ${JSON.stringify(pw)} in the user part`, () => {
      const a = ok(`postgres://clerk:${pw}@db.example.org:5433/office?schema=y2024`);
      expect(a.user).toBe('clerk');
      expect(a.host).toBe('db.example.org');
      expect(a.port).toBe(5433);
      expect(a.database).toBe('office');
      expect(a.schema).toBe('y2024');
      expect(a.shown).toBe('postgres://clerk:***@db.example.org:5433/office?schema=y2024');
      expect(maskAddress(`postgres://clerk:${pw}@db.example.org:5433/office?schema=y2024`)).toBe(a.shown);
      expect(a.shown).not.toContain(pw);
    });
    it(`hides the password ${JSON.stringify(pw)} given as ?password=`, () => {
      const addr = `postgresql://clerk@h/office?password=${pw}&schema=y2024`;
      const shown = maskAddress(addr);
      expect(shown).toBe('postgresql://clerk@h/office?password=***&schema=y2024');
    });
  }
  it('decodes a percent-encoded password for the driver and masks both forms in messages', () => {
    const a = ok('postgres://clerk:p%2Fss%40x@h/office');
    expect(a.password).toBe('p/ss@x');
    expect(maskSecrets('auth failed for p/ss@x and p%2Fss%40x', a)).toBe('auth failed for *** and ***');
  });
  it('masks PGPASSWORD in server messages', () => {
    const a = ok('postgres://clerk@h/office', { PGPASSWORD: 'env-secret' });
    expect(maskSecrets('no: env-secret', a)).toBe('no: ***');
  });
  it('says of an option it takes given twice, or with a value it does not know, just that (exit 2)', () => {
    const refusal = (a: string) => {
      try {
        serverAddress(a, env);
      } catch (e) {
        return { message: (e as Error).message, exit: (e as { exit: number }).exit };
      }
      throw new Error(`taken: ${a}`);
    };
    expect(refusal('postgres://clerk@h/office?schema=a&schema=b')).toEqual({ exit: 2, message: 'the address postgres://clerk@h/office?schema=a&schema=b gives the option "schema" twice' });
    expect(refusal('postgres://clerk@h/office?sslmode=bogus')).toEqual({ exit: 2, message: 'the address postgres://clerk@h/office?sslmode=bogus has sslmode=bogus; use disable, allow, prefer, require or verify-full' });
    expect(refusal('postgres://clerk@h/office?colour=red').message).toBe('the address postgres://clerk@h/office?colour=red has the option "colour", which rectify does not take');
  });

  it('refuses an option it does not know, never passing it on', () => {
    const r = parseServerAddress('postgres://clerk@h/office?schema=y&rectify.bulk=on', env);
    expect(r).toMatchObject({ bad: 'option', option: 'rectify.bulk' });
    expect(parseServerAddress('postgres://clerk@h/office?options=-c%20rectify.bulk%3Don', env)).toMatchObject({ bad: 'option' });
    expect(parseServerAddress('postgres://clerk@h/office?application_name=x', env)).toMatchObject({ bad: 'option' });
  });
  it('refuses what cannot be read without echoing it', () => {
    for (const bad of ['postgres://h:99999/db', 'postgres://h/db/x', 'postgres://[zz/db']) {
      expect(parseServerAddress(bad, env)).toEqual({ bad: 'url' });
    }
    expect(maskAddress('postgres://u:pw@h/d@b')).not.toContain('pw');
  });
  it('takes what the address leaves out from the environment', () => {
    const a = ok('postgres:///', { PGHOST: 'ph', PGPORT: '6000', PGUSER: 'pu', PGDATABASE: 'pd' });
    expect([a.host, a.port, a.user, a.database, a.schema]).toEqual(['ph', 6000, 'pu', 'pd', 'rectify']);
  });
});
