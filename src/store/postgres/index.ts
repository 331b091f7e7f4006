// Opening, creating and upgrading a ledger on a server. Reached only through import() from
// store/index.ts when the address is a postgres:// URL.
import { EXIT, RectifyError } from '../../errors.js';
import { parseServerAddress, quoteIdent, roleName, type ServerAddress } from './address.js';
import { connect, errorCode, oneLine, unreachable, type Sql } from './connect.js';
import { PG_LATEST_VERSION, PG_MIGRATIONS, type MigrationContext } from './migrations/index.js';
import { PgStore, type LedgerRoles } from './store.js';
import { inlined } from './sql.js';

export { PgStore, PG_LATEST_VERSION };

export function serverAddress(address: string, env: NodeJS.ProcessEnv): ServerAddress {
  const a = parseServerAddress(address, env);
  if ('bad' in a) {
    if (a.bad === 'schema') throw new RectifyError('pg.badSchema', { address: a.shown }, { exit: EXIT.badInput, hint: 'pg.badSchemaHint' });
    if (a.bad === 'option') {
      throw new RectifyError(a.twice ? 'pg.optionTwice' : 'pg.badOption', { address: a.shown, option: a.option }, { exit: EXIT.badInput, hint: 'pg.badOptionHint' });
    }
    if (a.bad === 'sslmode') {
      throw new RectifyError('pg.badSslmode', { address: a.shown, value: a.value }, { exit: EXIT.badInput });
    }
    throw new RectifyError('pg.badAddress', {}, { exit: EXIT.badInput, hint: 'pg.badAddressHint' });
  }
  return a;
}

export function ledgerRoles(database: string, schema: string): LedgerRoles {
  return {
    viewer: roleName(database, schema, 'viewer'),
    staff: roleName(database, schema, 'staff'),
    admin: roleName(database, schema, 'admin'),
    owner: roleName(database, schema, 'owner'),
  };
}

/** What each of a ledger's roles records as its COMMENT: the one ledger it serves. Roles are
 *  global to the server; names are cut and lower-cased, so two ledgers may reach one name. */
export function roleMark(database: string, schema: string): string {
  return `rectify ledger ${JSON.stringify({ database, schema })}`;
}

interface Session {
  db: string;
  me: string;
  /** The schema exists (whoever made it). */
  taken: boolean;
  /** The schema is there but this role may not look inside (no ledger role). */
  hidden: boolean;
  ledger: boolean;
  /** This role owns the schema (it ran init of an earlier version), or is a superuser. */
  owns: boolean;
}

/** The ledger's version as `migrations` says, believed only where its schema is its owner role's
 *  (init and the upgrade make it so, and only the owner writes the table since): a ledger of
 *  the earlier version, whose admins could write any row there, is at 1 whatever it says. */
const VERSION = (addr: Pick<ServerAddress, 'database' | 'schema'>) => inlined(
  `SELECT (CASE WHEN max(version) > 1 AND (SELECT shobj_description(nspowner, 'pg_authid') FROM pg_namespace
                WHERE nspname = $1) IS DISTINCT FROM $2 THEN 1 ELSE max(version) END)::int AS v FROM migrations`,
  [addr.schema, roleMark(addr.database, addr.schema)])!;

/** Who this is and what the schema is; with `withVersion` also the ledger's version (null when
 *  there is none to read), asked in the same round trip. */
async function session(sql: Sql, addr: ServerAddress, withVersion: boolean): Promise<Session & { version: number | null }> {
  // Its parameters written in (a schema's name holds no NUL): one round trip.
  const text = inlined(
    `SELECT current_database() AS db, session_user AS me, n.oid IS NOT NULL AS taken,
            coalesce(NOT has_schema_privilege(n.oid, 'USAGE'), false) AS hidden,
            CASE WHEN has_schema_privilege(n.oid, 'USAGE') THEN to_regclass($2) IS NOT NULL ELSE false END AS ledger,
            coalesce(pg_has_role(session_user, n.nspowner, 'MEMBER'), false) AS owns
       FROM (SELECT 1) AS one LEFT JOIN pg_namespace n ON n.nspname = $1`,
    [addr.schema, `${quoteIdent(addr.schema)}.migrations`],
  )!;
  try {
    if (withVersion) {
      try {
        const [[r], [v]] = (await sql.unsafe(`${text};\n${VERSION(addr)}`)) as unknown as [[Session], [{ v: number | null } | undefined]];
        return { ...r, version: v?.v ?? 0 };
      } catch (e) {
        // No ledger to read the version from (no schema, none visible, no table): the session
        // alone then says which.
        if (errorCode(e) === undefined || unreachable(e, addr)) throw e;
      }
    }
    const [r] = await sql.unsafe(text);
    return { ...(r as unknown as Session), version: null };
  } catch (e) {
    await sql.end({ timeout: 1 }).catch(() => {});
    throw unreachable(e, addr) ?? e;
  }
}

/**
 * Opens the ledger at a postgres:// address (create: the schema must not exist yet; it is
 * made by the first write(), in the same transaction as what that write loads, so that a
 * failed init leaves nothing behind). A ledger of an earlier version is upgraded in place
 * when its owner opens it (or by `init --upgrade`); anyone else is told to ask for that.
 */
export async function openPgStore(
  address: string,
  opts: { create: boolean; upgrade?: boolean; now: () => Date; env?: NodeJS.ProcessEnv },
): Promise<PgStore> {
  const addr = serverAddress(address, opts.env ?? process.env);
  const sql = await connect(addr);
  const s = await session(sql, addr, !opts.create);
  const who = { ...addr, database: s.db, user: s.me };
  const store = new PgStore(sql, who, ledgerRoles(s.db, addr.schema), opts.now);
  const fail = async (e: RectifyError): Promise<never> => {
    await store.close();
    throw e;
  };
  if (opts.create) {
    if (s.ledger) await fail(new RectifyError('pg.exists', { address: addr.shown }, { exit: EXIT.notAllowed, hint: 'pg.existsHint' }));
    // A schema that exists is never adopted: public, information_schema, or one someone made.
    if (s.taken) {
      await fail(new RectifyError('pg.schemaTaken', { schema: addr.schema, database: s.db, address: addr.shown },
        { exit: EXIT.notAllowed, hint: 'pg.schemaTakenHint' }));
    }
    store.beforeFirstWrite = () => createSchema(store);
    return store;
  }
  if (s.hidden) {
    // A schema this role has no ledger role on: reading it needs the viewer role at least.
    const roles = store.roles;
    await fail(new RectifyError('pg.refused', { user: s.me, address: addr.shown, role: roles.viewer, admin: roles.admin, short: 'viewer' },
      { exit: EXIT.notAllowed }));
  }
  if (!s.ledger) {
    await fail(new RectifyError('pg.missing', { address: addr.shown, schema: addr.schema, database: s.db },
      { exit: EXIT.notFound, hint: 'pg.missingHint' }));
  }
  try {
    const version = s.version ?? (await store.get<{ v: number | null }>(VERSION(who)))!.v ?? 0;
    if (version > PG_LATEST_VERSION) {
      throw new RectifyError('pg.newer', { address: addr.shown, found: version, known: PG_LATEST_VERSION }, { exit: EXIT.notAllowed, hint: 'store.newerHint' });
    }
    store.upgradedFrom = null;
    if (version < PG_LATEST_VERSION) {
      if (!s.owns) {
        const owner = (await store.get<{ owner: string }>('SELECT nspowner::regrole::text AS owner FROM pg_namespace WHERE nspname = $1', [addr.schema]))!.owner;
        throw new RectifyError('pg.needsUpgrade', { address: addr.shown, owner }, { exit: EXIT.notAllowed, hint: 'pg.needsUpgradeHint' });
      }
      await store.unguarded(() => upgrade(store, version));
      store.upgradedFrom = version;
    }
  } catch (e) {
    await store.close();
    throw e;
  }
  return store;
}

function context(store: PgStore): MigrationContext {
  const r = store.roles;
  return {
    schema: quoteIdent(store.addr.schema),
    viewer: quoteIdent(r.viewer), staff: quoteIdent(r.staff), admin: quoteIdent(r.admin), owner: quoteIdent(r.owner),
    names: r,
  };
}

/** Applies the migrations the ledger has not had, as the owner role. */
async function migrate(store: PgStore, from: number): Promise<void> {
  for (const m of PG_MIGRATIONS) {
    if (m.version <= from) continue;
    await store.exec(m.sql(context(store)));
    await store.run('INSERT INTO migrations (version, name) VALUES ($1, $2)', [m.version, m.name]);
  }
}

/** The four roles of the ledger, each marked as this ledger's; a name another ledger (or
 *  anything else) holds is refused, never shared. */
async function claimRoles(store: PgStore, opts: { adoptUnmarked: string[] }): Promise<void> {
  const { roles, addr } = store;
  const mark = roleMark(addr.database, addr.schema);
  const names = [roles.viewer, roles.staff, roles.admin, roles.owner];
  const found = new Map((await store.all<{ rolname: string; comment: string | null; login: boolean; su: boolean }>(
    `SELECT rolname, shobj_description(oid, 'pg_authid') AS comment, rolcanlogin AS login, rolsuper AS su
       FROM pg_roles WHERE rolname = ANY ($1::text[])`, [`{${names.map((n) => JSON.stringify(n)).join(',')}}`],
  )).map((r) => [r.rolname, r]));
  for (const name of names) {
    const r = found.get(name);
    if (!r) {
      await store.exec(`CREATE ROLE ${quoteIdent(name)} NOLOGIN; COMMENT ON ROLE ${quoteIdent(name)} IS ${literal(mark)}`);
      continue;
    }
    const ours = r.comment === mark || (r.comment === null && opts.adoptUnmarked.includes(name));
    if (!ours || r.login || r.su) {
      throw new RectifyError('pg.roleTaken', { role: name, address: addr.shown }, { exit: EXIT.notAllowed, hint: 'pg.roleTakenHint' });
    }
    if (r.comment === null) await store.exec(`COMMENT ON ROLE ${quoteIdent(name)} IS ${literal(mark)}`);
  }
  const q = quoteIdent;
  await store.exec(`
    GRANT ${q(roles.viewer)} TO ${q(roles.staff)};
    GRANT ${q(roles.staff)} TO ${q(roles.admin)};
    GRANT ${q(roles.viewer)}, ${q(roles.staff)}, ${q(roles.admin)} TO ${q(roles.owner)} WITH ADMIN OPTION;
    GRANT ${q(roles.owner)} TO ${q(addr.user)};`);
}

function literal(s: string): string {
  return `'${s.replace(/'/g, "''")}'`;
}

/** Before COMMIT of init or an upgrade: back to the login role, which keeps no membership of
 *  the owner role (and keeps admin, without the power to hand it out but through rectify). */
async function letGo(store: PgStore): Promise<void> {
  const q = quoteIdent;
  const { roles, addr } = store;
  await store.exec(`RESET ROLE; REVOKE ${q(roles.owner)} FROM ${q(addr.user)}`);
  // Login roles that held a group role WITH ADMIN OPTION (init of the earlier version gave it)
  // could grant and revoke it in psql, past the last-admin rule: that option goes.
  const holders = await store.all<{ member: string; grp: string }>(
    `SELECT u.rolname AS member, g.rolname AS grp FROM pg_auth_members m
       JOIN pg_roles g ON g.oid = m.roleid JOIN pg_roles u ON u.oid = m.member
      WHERE m.admin_option AND g.rolname = ANY ($1::text[]) AND u.rolname <> $2`,
    [`{${[roles.viewer, roles.staff, roles.admin].map((n) => JSON.stringify(n)).join(',')}}`, roles.owner],
  );
  for (const h of holders) await store.exec(`REVOKE ADMIN OPTION FOR ${q(h.grp)} FROM ${q(h.member)}`);
}

/** The schema, its roles and tables, inside the first write()'s transaction. */
async function createSchema(store: PgStore): Promise<void> {
  const { addr, roles } = store;
  const q = quoteIdent;
  try {
    const taken = await store.get<{ x: number }>('SELECT 1 AS x FROM pg_namespace WHERE nspname = $1', [addr.schema]);
    if (taken) {
      throw new RectifyError('pg.schemaTaken', { schema: addr.schema, database: addr.database, address: addr.shown },
        { exit: EXIT.notAllowed, hint: 'pg.schemaTakenHint' });
    }
    await claimRoles(store, { adoptUnmarked: [] });
    await store.exec(`CREATE SCHEMA ${q(addr.schema)} AUTHORIZATION ${q(roles.owner)}`);
    // The database's summary for overview, where this role may make or join it (summary.ts).
    await (await import('./summary.js')).joinSummary(store);
    await store.exec(`
      GRANT ${q(roles.admin)} TO ${q(addr.user)};
      SET LOCAL ROLE ${q(roles.owner)};`);
    // The database's supervisor, if there is one, reads this ledger too (supervisor.ts).
    await (await import('./supervisor.js')).joinSupervisor(store);
    await store.exec(`
      CREATE TABLE migrations (
        version    integer PRIMARY KEY,
        name       text NOT NULL,
        applied_at timestamptz NOT NULL DEFAULT now()
      );`);
    await migrate(store, 0);
    store.beforeCommit = () => letGo(store);
  } catch (e) {
    if (e instanceof RectifyError) throw e;
    if (errorCode(e) === '42501' || errorCode(e) === '0LP01' || errorCode(e) === '42P06') {
      throw new RectifyError('pg.cannotCreate', { address: addr.shown, reason: oneLine((e as Error).message, addr) },
        { exit: EXIT.notAllowed, hint: 'pg.cannotCreateHint' });
    }
    throw e;
  }
}

/** The functions the earlier version's own triggers run (migration 1). */
const V1_TRIGGER_FUNCTIONS = ['items_rollup', 'item_problems_rollup', 'namespace_check', 'history_guard', 'items_guard', 'undone_guard', 'evidence_guard'];

/** Before the upgrade writes a row: what the earlier version let its admins attach to the
 *  ledger's tables (it granted them TRIGGER and REFERENCES) goes, so that none of it runs as
 *  the owner during the upgrade or as whoever acts afterwards: every trigger whose function is
 *  not one of the ledger's own (in its schema, owned with it), every rule but a view's own,
 *  every row-level policy, and every foreign key of another schema's table that references
 *  the ledger (its ON DELETE would run that table's triggers). */
async function dropPlanted(store: PgStore): Promise<void> {
  const q = quoteIdent;
  const ns = q(store.addr.schema);
  for (const t of await store.all<{ tab: string; name: string }>(
    `SELECT t.tgrelid::regclass::text AS tab, t.tgname AS name
       FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_proc p ON p.oid = t.tgfoid
      WHERE c.relnamespace = to_regnamespace($1) AND NOT t.tgisinternal
        AND NOT (p.pronamespace = c.relnamespace AND p.proowner = (SELECT nspowner FROM pg_namespace WHERE oid = c.relnamespace)
                 AND p.proname = ANY(string_to_array($2, ',')))`,
    [ns, V1_TRIGGER_FUNCTIONS.join(',')],
  )) {
    await store.exec(`DROP TRIGGER ${q(t.name)} ON ${t.tab}`);
  }
  for (const r of await store.all<{ tab: string; name: string }>(
    `SELECT ev_class::regclass::text AS tab, rulename AS name FROM pg_rewrite r JOIN pg_class c ON c.oid = r.ev_class
      WHERE c.relnamespace = to_regnamespace($1) AND r.rulename <> '_RETURN'`,
    [ns],
  )) {
    await store.exec(`DROP RULE ${q(r.name)} ON ${r.tab}`);
  }
  for (const p of await store.all<{ tab: string; name: string }>(
    `SELECT p.polrelid::regclass::text AS tab, p.polname AS name FROM pg_policy p JOIN pg_class c ON c.oid = p.polrelid
      WHERE c.relnamespace = to_regnamespace($1)`,
    [ns],
  )) {
    await store.exec(`DROP POLICY ${q(p.name)} ON ${p.tab}`);
  }
  for (const k of await store.all<{ tab: string; name: string }>(
    `SELECT k.conrelid::regclass::text AS tab, k.conname AS name
       FROM pg_constraint k JOIN pg_class ref ON ref.oid = k.confrelid JOIN pg_class c ON c.oid = k.conrelid
      WHERE k.contype = 'f' AND ref.relnamespace = to_regnamespace($1) AND c.relnamespace <> ref.relnamespace`,
    [ns],
  )) {
    await store.exec(`ALTER TABLE ${k.tab} DROP CONSTRAINT ${q(k.name)}`);
  }
}

/** A ledger of an earlier version brought under the guard, in one transaction: its objects
 *  handed to the owner role, its roles marked, the guard's migrations applied. Run by the role
 *  that owns it now (whoever ran init) or a superuser. */
async function upgrade(store: PgStore, from: number): Promise<void> {
  const { addr, roles } = store;
  const q = quoteIdent;
  // One upgrade at a time, on a lock of the ledger's own table: an advisory lock keyed on the
  // schema's name (what the earlier version took) may be held by any role that can CONNECT,
  // and the ledger would then stay out of use. Writers of the earlier version wait for the
  // upgrade's locks on the tables it hands over.
  await store.exec(`LOCK TABLE ${q(addr.schema)}.migrations IN EXCLUSIVE MODE`);
  const version = (await store.get<{ v: number | null }>(VERSION(addr)))!.v ?? 0;
  if (version !== from) return;
  try {
    if (from < 2) {
      await dropPlanted(store);
      // Rows its admins may have written (a version the ledger never had): the guard's own go in.
      await store.exec(`DELETE FROM ${q(addr.schema)}.migrations WHERE version > 1`);
    }
    await claimRoles(store, { adoptUnmarked: [roles.viewer, roles.staff, roles.admin] });
    const schema = q(addr.schema);
    await store.exec(`ALTER SCHEMA ${schema} OWNER TO ${q(roles.owner)}`);
    for (const t of await store.all<{ name: string; kind: string }>(
      `SELECT c.relname AS name, c.relkind::text AS kind FROM pg_class c
        WHERE c.relnamespace = to_regnamespace($1) AND c.relkind IN ('r', 'S', 'v', 'm', 'p', 'f')
          AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = c.oid AND d.deptype IN ('a', 'i') AND c.relkind = 'S')`,
      [q(addr.schema)],
    )) {
      await store.exec(`ALTER ${t.kind === 'S' ? 'SEQUENCE' : 'TABLE'} ${schema}.${q(t.name)} OWNER TO ${q(roles.owner)}`);
    }
    for (const f of await store.all<{ sig: string }>(
      `SELECT p.oid::regprocedure::text AS sig FROM pg_proc p WHERE p.pronamespace = to_regnamespace($1)`, [q(addr.schema)],
    )) {
      await store.exec(`ALTER FUNCTION ${f.sig} OWNER TO ${q(roles.owner)}`);
    }
    if (from < 5) await (await import('./summary.js')).joinSummary(store);
    await store.exec(`SET LOCAL ROLE ${q(roles.owner)}`);
    await migrate(store, from);
    // The planner's statistics afresh: a migration that rewrites a table (035 widened columns)
    // drops those of the columns it changed, and until autovacuum came by, status on 100,000
    // items took 412 ms instead of 360 (README, "Upgrading").
    const tables = await store.all<{ name: string }>(
      `SELECT relname AS name FROM pg_class WHERE relnamespace = to_regnamespace($1) AND relkind = 'r' ORDER BY relname`, [schema]);
    await store.exec(`ANALYZE ${tables.map((t) => `${schema}.${q(t.name)}`).join(', ')}`);
    await letGo(store);
  } catch (e) {
    if (e instanceof RectifyError) throw e;
    if (errorCode(e) === '42501') {
      throw new RectifyError('pg.cannotUpgrade', { address: addr.shown, reason: oneLine((e as Error).message, addr) },
        { exit: EXIT.notAllowed, hint: 'pg.cannotUpgradeHint' });
    }
    throw e;
  }
}
