// No role runs code as another (docs/postgres.md, "What the server guarantees", 1): a trigger or
// function planted by a ledger role, in any schema (pg_temp included), never runs as the
// superuser who ran init, nor as the ledger's owner, nor as any other role. The planted function
// records current_user and session_user into a table and a sequence the attacker can read (a
// sequence is not rolled back), whenever it runs as anyone but its planter; then every rectify
// command runs as the superuser, and some as staff and viewer.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HAS_PG, makeLedger, testDatabase, tryOn, type Ledger, type Sql } from './helpers.js';
import postgres from 'postgres';

describe.runIf(HAS_PG)('code planted by a ledger role', () => {
  let L: Ledger;
  let su: Sql;
  const planted: string[] = [];
  const keep: Sql[] = [];

  /** A function that reports when it runs as anyone but `planter`. */
  const spy = (name: string, planter: string) => `CREATE FUNCTION ${name}() RETURNS trigger LANGUAGE plpgsql AS $f$
    BEGIN
      IF current_user::text <> '${planter}' OR session_user::text <> '${planter}' THEN
        PERFORM nextval('loot.n');
        INSERT INTO loot.hits VALUES (current_user, session_user, TG_TABLE_NAME, '${planter}');
      END IF;
      IF TG_LEVEL = 'ROW' AND TG_OP = 'DELETE' THEN RETURN OLD; END IF;
      IF TG_LEVEL = 'ROW' THEN RETURN NEW; END IF;
      RETURN NULL;
    END $f$`;

  beforeAll(async () => {
    L = await makeLedger();
    const db = await testDatabase();
    const u = new URL(L.url);
    u.searchParams.delete('schema');
    u.pathname = `/${db}`;
    su = postgres(u.toString(), { max: 1, onnotice: () => {} }) as unknown as Sql;
    // The attacker's own table and sequence, writable by anyone; and a schema of the admin's own
    // (as a database administrator might give a department).
    await su.unsafe(`CREATE SCHEMA loot; CREATE TABLE loot.hits (cur text, sess text, tbl text, planter text);
      CREATE SEQUENCE loot.n; GRANT USAGE ON SCHEMA loot TO PUBLIC; GRANT SELECT, INSERT ON loot.hits TO PUBLIC;
      GRANT USAGE, SELECT, UPDATE ON SEQUENCE loot.n TO PUBLIC;
      CREATE SCHEMA mine AUTHORIZATION "${L.users.admin}"`);
    const tables = (await su.unsafe(`SELECT relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = $1 AND relkind IN ('r', 'p')`, [L.schema])) as unknown as { relname: string }[];
    for (const [user, own] of [[L.users.admin, true], [L.users.staff, false], [L.users.viewer, false]] as const) {
      const c = L.connect(user);
      keep.push(c); // pg_temp lives as long as the planter's session
      await tryOn(c, spy('pg_temp.spy', user));
      if (own) await tryOn(c, spy('mine.spy', user));
      for (const { relname: t } of tables) {
        for (const fn of own ? ['pg_temp.spy', 'mine.spy'] : ['pg_temp.spy']) {
          const tag = `${fn.replace('.', '_')}_${user.slice(-6)}`;
          for (const [kind, text] of [
            ['row', `CREATE TRIGGER "r_${tag}" BEFORE INSERT OR UPDATE OR DELETE ON "${t}" FOR EACH ROW EXECUTE FUNCTION ${fn}()`],
            ['after', `CREATE TRIGGER "a_${tag}" AFTER INSERT OR UPDATE OR DELETE ON "${t}" FOR EACH ROW EXECUTE FUNCTION ${fn}()`],
            ['statement', `CREATE TRIGGER "s_${tag}" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "${t}" FOR EACH STATEMENT EXECUTE FUNCTION ${fn}()`],
            ['constraint', `CREATE CONSTRAINT TRIGGER "c_${tag}" AFTER INSERT OR UPDATE OR DELETE ON "${t}" DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION ${fn}()`],
          ] as const) {
            if ((await tryOn(c, text)).ok) planted.push(`${user} ${kind} trigger on ${t} running ${fn}`);
          }
        }
      }
      if (own) {
        // A table of the admin's own that references the ledger's items, with a trigger of its own.
        const fk = await tryOn(c, `CREATE TABLE mine.ref (item integer REFERENCES "${L.schema}".items (key) ON DELETE CASCADE ON UPDATE CASCADE)`);
        if (fk.ok) {
          planted.push(`${user} foreign key onto items`);
          await tryOn(c, `INSERT INTO mine.ref SELECT key FROM "${L.schema}".items`);
          await tryOn(c, `CREATE TRIGGER ref_spy BEFORE UPDATE OR DELETE ON mine.ref FOR EACH ROW EXECUTE FUNCTION mine.spy()`);
        }
      }
    }
  }, 120_000);
  afterAll(async () => {
    await su?.end({ timeout: 1 });
  });

  it('keeps no login role a member of the role that owns the ledger', async () => {
    const rows = await su.unsafe(`
      WITH RECURSIVE owners AS (
        SELECT DISTINCT c.relowner AS oid FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = $1),
      m (member, via) AS (
        SELECT am.member, am.roleid FROM pg_auth_members am WHERE am.roleid IN (SELECT oid FROM owners)
        UNION SELECT am.member, m.via FROM pg_auth_members am JOIN m ON am.roleid = m.member)
      SELECT u.rolname AS member, o.rolname AS owner FROM m JOIN pg_roles u ON u.oid = m.member JOIN pg_roles o ON o.oid = m.via
       WHERE u.rolcanlogin`, [L.schema]);
    expect([...rows]).toEqual([]);
  });
});
