// A third red team's attacks (issue 17), as real login roles with plain SQL and through the
// CLI: what got through the guard of migrations 001-013, each seen failing there.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HAS_PG, PG_URL_FOR, inProcess, inTransaction, makeLedger, tryOn, type Ledger } from './helpers.js';

describe.runIf(HAS_PG)('a third red team', () => {
  let L: Ledger;

  beforeAll(async () => {
    L = await makeLedger();
  }, 120_000);
  afterAll(async () => {
    await tryOn(L.connect(null), `ALTER ROLE "${L.users.outsider}" NOCREATEDB`);
  });

  // Seen on main 8bc32bd: overview read every schema holding tables named like a ledger's, a
  // session's temporary schema too. A role that may merely CONNECT made temporary `migrations`
  // and `owner_counts` (a view calling its own function in pg_temp); the superuser's `rectify
  // overview` listed it as a ledger and ran the function as the superuser (ALTER ROLE ... CREATEDB).
  it("overview reads only the ledgers rectify made: a CONNECT-only role's temporary look-alike runs nothing", async () => {
    const out = L.connect(L.users.outsider);
    for (const s of [
      `CREATE FUNCTION pg_temp.planted() RETURNS int LANGUAGE plpgsql AS $$
         BEGIN EXECUTE format('ALTER ROLE %I CREATEDB', '${L.users.outsider}'); RETURN 1; EXCEPTION WHEN others THEN RETURN 1; END $$`,
      'CREATE TEMP TABLE migrations (version int)',
      `CREATE TEMP VIEW owner_counts AS SELECT 'x'::text AS owner, 'open'::text AS status, pg_temp.planted() AS n`,
      'CREATE TEMP TABLE report (title text, unit text)',
      'CREATE TEMP TABLE due_counts (due text, owner text, n int)',
      'CREATE TEMP TABLE history (action text, grp int)',
      'CREATE TEMP TABLE undone (grp int)',
    ]) expect((await tryOn(out, s)).message).toBeUndefined();
    const dbUrl = new URL(L.address(null));
    dbUrl.searchParams.delete('schema');
    const r = await inProcess(['overview', '--json'], { RECTIFY_DB: dbUrl.toString(), RECTIFY_TODAY: '2024-05-10' });
    const ran = (await L.attempt(null, `SELECT rolcreatedb AS ran FROM pg_roles WHERE rolname = '${L.users.outsider}'`)).rows;
    const shown = r.code === 0 ? (JSON.parse(r.stdout) as { ledgers: { address: string }[] }).ledgers.map((l) => l.address) : [];
    expect({ code: r.code, ran, planted: shown.filter((a) => /pg_temp/.test(a)) }).toEqual({ code: 0, ran: [{ ran: false }], planted: [] });
    expect(shown.some((a) => a.endsWith(`schema=${L.schema}`))).toBe(true);
    await out.end({ timeout: 1 });
  });

  // Seen on main 8bc32bd: `copy` of a shared ledger to another schema wrote every entry's
  // recorded_at (the server's own time of the entry, what an auditor checks the client's `at`
  // against) as the time of the copy, and an entry from before the guard (none) got one too.
  it("copy from a server to a server keeps each entry's recorded_at as the server wrote it", async () => {
    const ok = (r: { code: number; stderr: string }) => expect(r.code, r.stderr).toBe(0);
    ok(await L.inproc(L.users.staff, ['progress', 'M2.1', '40']));
    await new Promise((r) => setTimeout(r, 50));
    ok(await L.inproc(L.users.admin, ['assign', 'M2.2', '某科']));
    // An entry from before the guard has none (here made so by the superuser, past the triggers).
    expect(await inTransaction(L.connect(null), ['SET LOCAL session_replication_role = replica',
      'UPDATE history SET recorded_at = NULL WHERE seq = 1'])).toBe(true);
    const to = PG_URL_FOR(L.db, 'copied3', 'postgres');
    await new Promise((r) => setTimeout(r, 50));
    ok(await inProcess(['copy', L.address(null), to], { RECTIFY_USER: '书记', RECTIFY_TODAY: '2024-05-10' }));
    const times = async (schema: string) =>
      (await L.attempt(null, `SELECT json_agg(json_build_array(seq, recorded_at) ORDER BY seq)::text AS t FROM "${schema}".history`)).rows;
    const [from, copied] = [await times(L.schema), await times('copied3')];
    expect(copied).toEqual(from);
    expect(JSON.stringify(from)).toContain('[1, null]');
  });
});
