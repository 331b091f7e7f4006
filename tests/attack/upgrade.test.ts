// A shared ledger made by the earlier version comes under the guarantees by its upgrade
// (docs/postgres.md, "What the server guarantees", 7 and 1). Before the upgrade its admin role
// held ALL on every table, TRIGGER included: what an admin planted then must not run as the
// superuser who upgrades, nor as the owner, during the upgrade or after it.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIXTURES, rectify, tempDir } from '../helpers/cli.js';
import { HAS_PG, PG_URL_FOR, inProcess, loginRole, serverSql, testDatabase, tryOn, type Sql } from './helpers.js';

describe.runIf(HAS_PG)('code planted in a ledger of the earlier version', () => {
  const t = tempDir('rectify-attack-upgrade-');
  let su: Sql;
  let admin = '';
  let db = '';
  const conns: Sql[] = [];
  const planted: string[] = [];

  beforeAll(async () => {
    db = await testDatabase();
    su = postgres(PG_URL_FOR(db, 'v2', 'postgres').replace(/\?.*$/, ''), { max: 1, onnotice: () => {} }) as unknown as Sql;
    conns.push(su);
    // The earlier version's ledger, as its init left it: the fixture, its roles, an admin who holds
    // the admin role WITH ADMIN OPTION (as that init gave it) and a staff member.
    const dump = readFileSync(join(FIXTURES, 'pg', 'ledger-v2.sql'), 'utf8').replaceAll('rectifyfix_v2_', `${db}_v2_`);
    for (const r of ['viewer', 'staff', 'admin']) await serverSql().unsafe(`CREATE ROLE "${db}_v2_${r}" NOLOGIN`);
    await serverSql().unsafe(`GRANT "${db}_v2_viewer" TO "${db}_v2_staff"; GRANT "${db}_v2_staff" TO "${db}_v2_admin"`);
    admin = await loginRole('oldadmin');
    await serverSql().unsafe(`GRANT "${db}_v2_admin" TO "${admin}" WITH ADMIN OPTION`);
    await su.unsafe(dump);
    await su.unsafe(`CREATE SCHEMA loot; CREATE TABLE loot.hits (cur text, sess text, tbl text); CREATE SEQUENCE loot.n;
      GRANT USAGE ON SCHEMA loot TO PUBLIC; GRANT SELECT, INSERT ON loot.hits TO PUBLIC; GRANT USAGE, SELECT, UPDATE ON SEQUENCE loot.n TO PUBLIC;
      CREATE SCHEMA mine AUTHORIZATION "${admin}"`);
    // The admin plants, while it still may: a function of its own schema and one in pg_temp
    // (its session stays open), on every table of the ledger.
    const a = postgres(PG_URL_FOR(db, 'v2', admin).replace(/\?.*$/, ''), { max: 1, onnotice: () => {} }) as unknown as Sql;
    conns.push(a);
    for (const fn of ['mine.spy', 'pg_temp.spy']) {
      await tryOn(a, `CREATE FUNCTION ${fn}() RETURNS trigger LANGUAGE plpgsql AS $f$ BEGIN
        IF current_user::text <> '${admin}' OR session_user::text <> '${admin}' THEN
          PERFORM nextval('loot.n'); INSERT INTO loot.hits VALUES (current_user, session_user, TG_TABLE_NAME);
        END IF;
        IF TG_LEVEL = 'ROW' AND TG_OP = 'DELETE' THEN RETURN OLD; END IF;
        IF TG_LEVEL = 'ROW' THEN RETURN NEW; END IF;
        RETURN NULL; END $f$`);
    }
    const tables = (await su.unsafe(`SELECT tablename FROM pg_tables WHERE schemaname = 'v2'`)) as unknown as { tablename: string }[];
    for (const { tablename } of tables) {
      for (const [tag, fn] of [['m', 'mine.spy'], ['t', 'pg_temp.spy']]) {
        for (const text of [
          `CREATE TRIGGER "zs_${tag}" AFTER INSERT OR UPDATE OR DELETE ON v2."${tablename}" FOR EACH STATEMENT EXECUTE FUNCTION ${fn}()`,
          `CREATE TRIGGER "zr_${tag}" BEFORE INSERT OR UPDATE OR DELETE ON v2."${tablename}" FOR EACH ROW EXECUTE FUNCTION ${fn}()`,
        ]) if ((await tryOn(a, text)).ok) planted.push(`${tablename} ${tag}`);
      }
    }
  }, 120_000);
  afterAll(async () => {
    for (const c of conns) await c.end({ timeout: 1 }).catch(() => {});
    t.cleanup();
  });

  // Finding 5 of the red team (seen getting through the guard of 3e474f5): the upgrade took the
  // tables over but left the triggers an admin attached while it held TRIGGER; they ran as the
  // owner during the upgrade and as the superuser on every later command. The upgrade now drops
  // every trigger, rule, policy and foreign reference the ledger did not make, before it writes.
  it('runs none of it, during the upgrade or after, as the superuser or the owner; and keeps none of it attached', async () => {
    expect(planted.length, 'the earlier version let its admin plant triggers').toBeGreaterThan(0);
    const url = PG_URL_FOR(db, 'v2', 'postgres');
    const up = rectify(['init', '--upgrade'], { cwd: t.dir, env: { RECTIFY_DB: url, RECTIFY_USER: '书记' } });
    expect(up.code, up.stderr).toBe(0);
    for (const args of [['status'], ['list', '--all'], ['log'], ['export', '--format', 'json']]) {
      expect((await inProcess(args, { RECTIFY_DB: url, RECTIFY_USER: '书记' })).code).toBe(0);
    }
    const items = (await su.unsafe(`SELECT id FROM v2.items ORDER BY key LIMIT 2`)) as unknown as { id: string }[];
    for (const args of [['progress', items[0]!.id, '10'], ['assign', items[1]!.id, '某人']]) {
      const r = await inProcess(args, { RECTIFY_DB: url, RECTIFY_USER: '书记' });
      expect(r.code, r.stderr).toBe(0);
    }
    const hits = await su.unsafe(`SELECT DISTINCT cur, sess, tbl FROM loot.hits ORDER BY 1, 2, 3`);
    const left = await su.unsafe(`SELECT tg.tgname, tg.tgrelid::regclass::text AS tbl, p.oid::regprocedure::text AS fn
        FROM pg_trigger tg JOIN pg_proc p ON p.oid = tg.tgfoid JOIN pg_class c ON c.oid = tg.tgrelid
        JOIN pg_namespace n ON n.oid = c.relnamespace
       WHERE n.nspname = 'v2' AND NOT tg.tgisinternal AND p.proowner <> c.relowner`);
    expect({ hits: [...hits], left: [...left] }).toEqual({ hits: [], left: [] });
  }, 120_000);
});
