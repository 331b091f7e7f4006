// Attacks through `init` (docs/postgres.md, "Creating a shared ledger"): a schema that is not
// init's to take (public, information_schema, one another role created first), role names that
// two ledgers would share, and what a non-superuser's init leaves owned by whom.
import { join } from 'node:path';
import { writeFileSync } from 'node:fs';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rectify, tempDir } from '../helpers/cli.js';
import { HAS_PG, PG_URL_FOR, inProcess, loginRole, seedText, serverSql, testDatabase, type Sql } from './helpers.js';

describe.runIf(HAS_PG)('attacks through init', () => {
  const t = tempDir('rectify-attack-init-');
  const seed = join(t.dir, 'seed.yaml');
  let D = '';
  let su: Sql;
  const extraDbs: string[] = [];
  const conns: Sql[] = [];
  const urlOf = (db: string, schema: string, user = 'postgres') => PG_URL_FOR(db, schema, user);
  // Through rectify's dispatcher in this process; the first refusal through the binary as well.
  const init = (url: string) => inProcess(['init', seed], { RECTIFY_DB: url, RECTIFY_USER: '书记' });
  const initBin = (url: string) => rectify(['init', seed], { cwd: t.dir, env: { RECTIFY_DB: url, RECTIFY_USER: '书记' } });
  const sqlIn = (db: string) => {
    const u = new URL(urlOf(db, 'x'));
    u.search = '';
    const c = postgres(u.toString(), { max: 1, onnotice: () => {} }) as unknown as Sql;
    conns.push(c);
    return c;
  };
  /** Everything a refused init might have touched: roles, schemas with their owners and rights, relations. */
  const snapshot = async (c: Sql, schema: string) => ({
    roles: [...await serverSql().unsafe(`SELECT rolname FROM pg_roles WHERE lower(rolname) LIKE lower($1) || '%' ORDER BY 1`, [`${D}`])],
    schema: [...await c.unsafe(`SELECT nspname, pg_get_userbyid(nspowner) AS owner, nspacl::text AS acl FROM pg_namespace WHERE nspname = $1`, [schema])],
    relations: [...await c.unsafe(`SELECT relname, pg_get_userbyid(relowner) AS owner, relacl::text AS acl FROM pg_class c
      JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = $1 ORDER BY 1`, [schema])],
  });

  beforeAll(async () => {
    writeFileSync(seed, seedText());
    D = await testDatabase();
    su = sqlIn(D);
  }, 60_000);
  afterAll(async () => {
    for (const c of conns) await c.end({ timeout: 1 }).catch(() => {});
    for (const db of extraDbs) await serverSql().unsafe(`DROP DATABASE IF EXISTS "${db}" WITH (FORCE)`);
    // Roles a ledger of another case would have had (pg.ts drops those that start with this database's name).
    const left = await serverSql().unsafe(`SELECT rolname FROM pg_roles WHERE lower(rolname) LIKE lower($1) || '\\_%' AND rolname NOT LIKE $1 || '\\_%'`, [D]);
    for (const r of left as unknown as { rolname: string }[]) await serverSql().unsafe(`DROP ROLE IF EXISTS "${r.rolname}"`);
    t.cleanup();
  }, 60_000);

  it('refuses to init into public (exit 4, the schema named, nothing changed)', async () => {
    await su.unsafe(`CREATE TABLE public.bystander (x int); GRANT SELECT ON public.bystander TO PUBLIC`);
    const before = await snapshot(su, 'public');
    const r = initBin(urlOf(D, 'public'));
    expect(r.code, r.stderr).toBe(4);
    expect(r.stderr).toContain('public');
    expect(await snapshot(su, 'public')).toEqual(before);
  });

  it('refuses to init into information_schema (exit 4, nothing changed)', async () => {
    const before = await snapshot(su, 'information_schema');
    const r = await init(urlOf(D, 'information_schema'));
    expect(r.code, r.stderr).toBe(4);
    expect(r.stderr).toContain('information_schema');
    expect(await snapshot(su, 'information_schema')).toEqual(before);
  });

  it('refuses to init into a schema another role created first (exit 4, nothing changed, its creator keeps nothing of a ledger)', async () => {
    const squatter = await loginRole('squatter');
    await su.unsafe(`CREATE SCHEMA squat AUTHORIZATION "${squatter}"; CREATE TABLE squat.mine (x int); ALTER TABLE squat.mine OWNER TO "${squatter}"`);
    const before = await snapshot(su, 'squat');
    const r = await init(urlOf(D, 'squat'));
    expect(r.code, r.stderr).toBe(4);
    expect(r.stderr).toContain('squat');
    expect(await snapshot(su, 'squat')).toEqual(before);
  });

  it('never shares roles between ledgers whose names run together (a + b_c and a_b + c): the second init is refused, exit 4', async () => {
    const first = await init(urlOf(D, 'x_y'));
    expect(first.code, first.stderr).toBe(0);
    const other = `${D}_x`;
    await serverSql().unsafe(`CREATE DATABASE "${other}"`);
    extraDbs.push(other);
    const c = sqlIn(other);
    const before = await snapshot(c, 'y');
    const r = await init(urlOf(other, 'y'));
    expect(r.code, r.stderr).toBe(4);
    expect(r.stderr.split('\n').filter(Boolean).length).toBeGreaterThanOrEqual(2); // a hint to choose another schema
    expect(await snapshot(c, 'y')).toEqual(before);
    // The roles are the first ledger's alone: dropped with its schema, its name may be used again by the same ledger.
    await su.unsafe(`DROP SCHEMA x_y CASCADE`);
    const again = await init(urlOf(D, 'x_y'));
    expect(again.code, again.stderr).toBe(0);
  });

  /** The second of two ledgers whose role names a careless rule would make equal: refused, or
   *  given roles of its own (an admin of the first is nothing on the second). */
  const apart = async (first: [string, string], second: [string, string]) => {
    const a = await init(urlOf(...first));
    expect(a.code, a.stderr).toBe(0);
    const boss = await loginRole(`boss${Math.random().toString(36).slice(2, 6)}`);
    const g = await inProcess(['grant', boss, 'admin'], { RECTIFY_DB: urlOf(...first), RECTIFY_USER: 'x' });
    expect(g.code, g.stderr).toBe(0);
    const b = await init(urlOf(...second));
    if (b.code === 0) {
      const w = await inProcess(['assign', 'M1.1', '某人'], { RECTIFY_DB: urlOf(second[0], second[1], boss), RECTIFY_USER: 'x' });
      expect(w.code, 'an admin of the first ledger may write the second').toBe(4);
    } else {
      expect(b.code, b.stderr).toBe(4);
    }
  };

  it('never shares roles between ledgers in databases whose names differ only in case', async () => {
    const upper = D.toUpperCase();
    await serverSql().unsafe(`CREATE DATABASE "${upper}"`);
    extraDbs.push(upper);
    await apart([D, 'cased'], [upper, 'cased']);
  });

  it('never shares roles between ledgers whose names are cut to the same 63 characters', async () => {
    const long = `${D}_${'l'.repeat(62 - D.length)}`;
    await serverSql().unsafe(`CREATE DATABASE "${long}"`);
    extraDbs.push(long);
    await apart([long, `s${'q'.repeat(20)}1`], [long, `s${'q'.repeat(20)}2`]);
  });

  it('never adopts a role of the ledger\'s name that someone made before it (its members would hold the ledger)', async () => {
    const early = await loginRole('early');
    // Made before the ledger by whoever could: an admin role with a member, and a login role under the owner's name.
    await serverSql().unsafe(`CREATE ROLE "${D}_pre_admin" NOLOGIN; GRANT "${D}_pre_admin" TO "${early}"`);
    const before = await snapshot(su, 'pre');
    const r = await init(urlOf(D, 'pre'));
    expect(r.code, r.stderr).toBe(4);
    expect(await snapshot(su, 'pre')).toEqual(before);
    const w = await inProcess(['assign', 'M1.1', '某人'], { RECTIFY_DB: urlOf(D, 'pre', early), RECTIFY_USER: 'x' });
    expect(w.code).not.toBe(0);
  });

  it('leaves nothing of a ledger owned by the role that ran init (a role that may create schemas and roles), nor a membership of the owner', async () => {
    const installer = await loginRole('installer');
    await serverSql().unsafe(`ALTER ROLE "${installer}" CREATEROLE`);
    await su.unsafe(`GRANT CREATE ON DATABASE "${D}" TO "${installer}"`);
    const r = await init(urlOf(D, 'byinstaller', installer));
    expect(r.code, r.stderr).toBe(0);
    const owners = await su.unsafe(`
      SELECT DISTINCT pg_get_userbyid(o) AS owner FROM (
        SELECT relowner AS o FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'byinstaller'
        UNION SELECT proowner FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = 'byinstaller'
        UNION SELECT nspowner FROM pg_namespace WHERE nspname = 'byinstaller') x`);
    const bad = await su.unsafe(`SELECT rolname FROM pg_roles WHERE rolname = ANY ($1::text[]) AND (rolcanlogin OR rolsuper)`,
      [(owners as unknown as { owner: string }[]).map((o) => o.owner)]);
    expect([...bad]).toEqual([]);
    const member = await su.unsafe(`SELECT 1 FROM pg_roles o WHERE o.rolname = ANY ($1::text[]) AND pg_has_role($2, o.oid, 'MEMBER')`,
      [(owners as unknown as { owner: string }[]).map((o) => o.owner), installer]);
    expect([...member]).toEqual([]);
    // It still runs the ledger, as its admin.
    const a = await inProcess(['assign', 'M1.1', '某人'], { RECTIFY_DB: urlOf(D, 'byinstaller', installer), RECTIFY_USER: 'x' });
    expect(a.code, a.stderr).toBe(0);
  });
});
