// `rectify grant USER supervisor --db postgres://…/DATABASE`: read access to every ledger of a
// database, present and future, enforced by the server: a supervisor reads everything and
// writes nothing, through rectify and through plain SQL as its own login role.
import { join } from 'node:path';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIXTURES, rectify, tempDir } from '../helpers/cli.js';
import { HAS_PG, asUser, freshLedgerUrl, loginRole } from '../helpers/pg.js';

const SEEDS = join(FIXTURES, 'repeats');

describe.runIf(HAS_PG)('the supervisor of a database', { timeout: 180_000 }, () => {
  const t = tempDir('rectify-supervisor-');
  const urls: string[] = [];
  let database = '';
  let dbName = '';
  let sup = '';
  let other = '';
  const opened: postgres.Sql[] = [];
  const run = (args: string[]) => rectify(args, { cwd: t.dir, env: { RECTIFY_TODAY: '2025-06-26', NO_COLOR: '1' } });
  const schemaOf = (url: string) => new URL(url).searchParams.get('schema')!;
  /** Plain SQL as the supervisor's login role, in a ledger's schema; the SQLSTATE it fails with, or 'ok'. */
  const plain = async (schema: string, text: string): Promise<string> => {
    const sql = postgres(asUser(database, sup), { max: 1, onnotice: () => {}, connection: { search_path: `"${schema}"` } });
    opened.push(sql);
    try {
      await sql.unsafe(text);
      return 'ok';
    } catch (e) {
      return (e as { code?: string }).code ?? String(e);
    }
  };

  beforeAll(async () => {
    for (const f of ['edu-2023', 'land-2024']) {
      const url = await freshLedgerUrl();
      urls.push(url);
      const r = run(['init', join(SEEDS, `${f}.yaml`), '--db', url]);
      expect(r.code, r.stderr).toBe(0);
    }
    const u = new URL(urls[0]!);
    u.searchParams.delete('schema');
    database = u.toString();
    dbName = u.pathname.slice(1);
    sup = await loginRole('sup');
    other = await loginRole('other');
  });
  afterAll(async () => {
    for (const s of opened) await s.end({ timeout: 1 });
    t.cleanup();
  });

  it('is granted once for the database, and then reads every ledger there and every later one', async () => {
    const g = run(['grant', sup, 'supervisor', '--db', database]);
    expect(g.code, g.stderr).toBe(0);
    expect(g.stdout).toBe(`${sup} is now supervisor of database ${dbName}: reads its 2 ledgers and every ledger made there later (role ${dbName}_supervisor), writes nothing.\n`);
    expect(run(['grant', sup, 'supervisor', '--db', database]).stdout).toContain('already was supervisor');
    // A ledger made after the grant.
    const later = await freshLedgerUrl();
    urls.push(later);
    expect(run(['init', join(SEEDS, 'street-2023.yaml'), '--db', later]).code).toBe(0);
    const o = run(['overview', '--db', asUser(database, sup), '--json']);
    expect(o.code, o.stderr).toBe(0);
    expect((JSON.parse(o.stdout) as { ledgers: { unit: string }[] }).ledgers.map((l) => l.unit).sort()).toEqual(['县教育局党组', '县自然资源局党组', '城关街道党工委'].sort());
    for (const url of urls) {
      const s = run(['status', '--db', asUser(url, sup)]);
      expect(s.code, s.stderr).toBe(0);
    }
    // Another login role, without the grant, reads none of them.
    expect(run(['overview', '--db', asUser(database, other)]).code).toBe(4);
  });

  it('writes nothing through rectify: each refusal one line, exit 4', () => {
    for (const url of urls) {
      for (const args of [['progress', 'M1.1', '10'], ['done', 'M1.1'], ['assign', 'M1.1', '某人'], ['grant', other, 'viewer']]) {
        const r = run([...args, '--db', asUser(url, sup)]);
        expect({ args, code: r.code, lines: r.stderr.trim().split('\n').length }).toEqual({ args, code: 4, lines: 1 });
      }
    }
  });

  it('writes nothing through plain SQL: the server refuses every write, in a ledger made before the grant and one made after', async () => {
    for (const url of [urls[0]!, urls[2]!]) {
      const s = schemaOf(url);
      expect(await plain(s, 'SELECT count(*) FROM items')).toBe('ok');
      expect(await plain(s, 'SELECT count(*) FROM history')).toBe('ok');
      expect(await plain(s, "UPDATE items SET status = 'done'")).toBe('42501');
      expect(await plain(s, 'UPDATE items SET progress = 50')).toBe('42501');
      expect(await plain(s, 'DELETE FROM items')).toBe('42501');
      expect(await plain(s, "INSERT INTO items (id, measure, term, created_at, updated_at, title) VALUES ('X1', 1, 'deadline', 'x', 'x', 'x')")).toBe('42501');
      expect(await plain(s, "INSERT INTO history (grp, at, by, item, action, status, progress, via) VALUES (1, 'x', 'x', 1, 'done', 'done', 100, 'cli')")).toBe('42501');
      expect(await plain(s, 'DELETE FROM history')).toBe('42501');
      expect(await plain(s, 'TRUNCATE history')).toBe('42501');
      expect(await plain(s, "UPDATE report SET title = 'x'")).toBe('42501');
      expect(await plain(s, `CREATE TABLE "${s}".planted (a int)`)).toBe('42501');
      expect(await plain(s, `SELECT grant_role('${sup}', 'admin')`)).toBe('42501');
      expect(await plain(s, `SET ROLE "${dbName}_${s}_staff"`)).toBe('42501');
      expect(await plain(s, `GRANT "${dbName}_${s}_admin" TO "${sup}"`)).toBe('42501');
      expect(await plain(s, `GRANT "${dbName}_${s}_viewer" TO "${other}"`)).toBe('42501');
    }
    // Nor may it hand the supervisor role on.
    expect(await plain('public', `GRANT "${dbName}_supervisor" TO "${other}"`)).toBe('42501');
  });

  it('may be granted only by a database administrator, and is taken back by revoke', () => {
    const byAdmin = rectify(['grant', other, 'supervisor', '--db', asUser(database, sup)], { cwd: t.dir });
    expect(byAdmin.code).toBe(4);
    expect(byAdmin.stderr.trim().split('\n')[0]).toMatch(/^rectify: \S+ may not grant the supervisor role on /);
    expect(run(['grant', 'no_such_role_x', 'supervisor', '--db', database]).code).toBe(3);
    // Nor take it back, and it is told so in those words (it said 'may not grant').
    for (const [lang, line] of [['en_US.UTF-8', /^rectify: \S+ may not revoke the supervisor role on /], ['zh_CN.UTF-8', /^rectify: \S+ 无权在 \S+ 收回督查角色：/]] as const) {
      const bySup = rectify(['revoke', sup, 'supervisor', '--db', asUser(database, sup)], { cwd: t.dir, env: { LANG: lang } });
      expect(bySup.code).toBe(4);
      expect(bySup.stderr.trim().split('\n')[0]).toMatch(line);
    }
    const r = run(['revoke', sup, 'supervisor', '--db', database]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe(`${sup} is no longer supervisor of database ${dbName}.\n`);
    expect(run(['overview', '--db', asUser(database, sup)]).code).toBe(4);
  });
});
