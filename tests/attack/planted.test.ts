// No role runs code as another (docs/postgres.md, "What the server guarantees", 1): a trigger or
// function planted by a ledger role, in any schema (pg_temp included), never runs as the
// superuser who ran init, nor as the ledger's owner, nor as any other role. The planted function
// records current_user and session_user into a table and a sequence the attacker can read (a
// sequence is not rolled back), whenever it runs as anyone but its planter; then every rectify
// command runs as the superuser, and some as staff and viewer.
import { join } from 'node:path';
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

  it('holds no trigger a ledger role planted on any table of the ledger', () => {
    expect(planted).toEqual([]);
  });

  it('never runs planted code as the superuser, the owner or another role, whatever rectify command runs', async () => {
    const ok = (r: { code: number; stderr: string }, what: string) => expect(r.code, `${what}: ${r.stderr}`).toBe(0);
    const reads = [['status'], ['list', '--all'], ['show', 'M1.1'], ['log'], ['report'], ['report', '--format', 'json'],
      ['export', '--format', 'json'], ['export', '--format', 'jsonl'], ['users']];
    for (const a of reads) ok(await L.inproc(null, a), a.join(' '));
    const writes: string[][] = [
      ['progress', 'M1.1', '30', '-m', '推进'], ['done', 'M1.2', '--evidence', '纪要'], ['assign', 'M1.3', '甲', '--due', '2024-06-01'],
      ['verify', 'M1.2'], ['reopen', 'M1.2', '-m', '回炉'], ['edit', 'M1.4', '--title', '新标题'], ['undo'],
      ['add', '新事项', '--measure', 'M1'], ['rm', 'M1.11'], ['import', join(L.dir, 'seed.yaml')], ['grant', L.users.staff2, 'admin'], ['revoke', L.users.staff2, 'admin'],
      ['copy', L.url, join(L.dir, 'copy.db')],
    ];
    for (const a of writes) {
      const r = await L.inproc(null, a);
      ok(r, a.join(' '));
    }
    ok(await L.inproc(L.users.staff, ['progress', 'M2.1', '40']), 'staff progress');
    ok(await L.inproc(L.users.staff, ['done', 'M2.2', '--evidence', '照片']), 'staff done');
    ok(await L.inproc(L.users.staff, ['undo']), 'staff undo');
    ok(await L.inproc(L.users.viewer, ['status']), 'viewer status');
    // And once through the built binary, as a superuser at a terminal would.
    ok(L.cli(null, ['progress', 'M2.3', '10']), 'bin progress');
    const [n] = (await su.unsafe(`SELECT is_called FROM loot.n`)) as unknown as { is_called: boolean }[];
    const hits = await su.unsafe(`SELECT DISTINCT cur, sess, tbl, planter FROM loot.hits ORDER BY 1, 2, 3`);
    expect([...hits]).toEqual([]);
    expect(n!.is_called).toBe(false);
  }, 120_000);

  it('lets no ledger role hold TRIGGER, REFERENCES, TRUNCATE, CREATE or ownership on anything of the ledger', async () => {
    const roles = [L.group('viewer'), L.group('staff'), L.group('admin'), L.users.admin, L.users.staff, L.users.viewer, L.users.outsider];
    const rows = await su.unsafe(`
      SELECT r.rolname AS role, c.relname AS what, p.priv
        FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        CROSS JOIN unnest($2::text[]) AS r(rolname)
        CROSS JOIN unnest(ARRAY['TRIGGER', 'REFERENCES', 'TRUNCATE']) AS p(priv)
       WHERE n.nspname = $1 AND c.relkind IN ('r', 'p', 'v') AND has_table_privilege(r.rolname, c.oid, p.priv)
      UNION ALL
      SELECT r.rolname, 'schema ' || $1, 'CREATE' FROM unnest($2::text[]) AS r(rolname) WHERE has_schema_privilege(r.rolname, $1, 'CREATE')
      UNION ALL
      SELECT o.rolname, c.relname, 'OWNER' FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace JOIN pg_roles o ON o.oid = c.relowner
       WHERE n.nspname = $1 AND (o.rolcanlogin OR o.rolsuper OR o.rolname = ANY ($2::text[]))
      UNION ALL
      SELECT o.rolname, p.proname, 'OWNER' FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace JOIN pg_roles o ON o.oid = p.proowner
       WHERE n.nspname = $1 AND (o.rolcanlogin OR o.rolsuper OR o.rolname = ANY ($2::text[]))
      UNION ALL
      SELECT o.rolname, n.nspname, 'OWNER' FROM pg_namespace n JOIN pg_roles o ON o.oid = n.nspowner
       WHERE n.nspname = $1 AND (o.rolcanlogin OR o.rolsuper OR o.rolname = ANY ($2::text[]))`, [L.schema, roles]);
    expect([...rows]).toEqual([]);
  });

  it('sets its own search_path on every function that runs with its owner\'s rights, decides on session_user, and lets no outsider call one', async () => {
    const fns = (await su.unsafe(`SELECT p.oid::regprocedure::text AS fn, p.proconfig, p.prosrc, p.prorettype = 'trigger'::regtype AS trig
        FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = $1 AND p.prosecdef`, [L.schema])) as unknown as
      { fn: string; proconfig: string[] | null; prosrc: string; trig: boolean }[];
    const bad: string[] = [];
    for (const f of fns) {
      if (!(f.proconfig ?? []).some((c) => c.startsWith('search_path='))) bad.push(`${f.fn}: no search_path of its own`);
      if (/current_user/i.test(f.prosrc.replace(/--[^\n]*/g, ''))) bad.push(`${f.fn}: decides on current_user`);
    }
    const callable = await su.unsafe(`SELECT p.oid::regprocedure::text AS fn FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
      WHERE n.nspname = $1 AND p.prosecdef AND has_function_privilege($2, p.oid, 'EXECUTE') AND has_schema_privilege($2, n.oid, 'USAGE')`,
      [L.schema, L.users.outsider]);
    for (const c of callable as unknown as { fn: string }[]) bad.push(`${c.fn}: an outsider may call it`);
    expect(bad).toEqual([]);
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
