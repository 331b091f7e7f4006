// Opening and creating a ledger on a server. Reached only through import() from
// store/index.ts when the address is a postgres:// URL.
import { EXIT, RectifyError } from '../../errors.js';
import { parseServerAddress, quoteIdent, roleName, type ServerAddress } from './address.js';
import { connect, errorCode, oneLine, unreachable, type Sql } from './connect.js';
import { PG_LATEST_VERSION, PG_MIGRATIONS, type MigrationContext } from './migrations/index.js';
import { PgStore } from './store.js';

export { PgStore };

export function serverAddress(address: string, env: NodeJS.ProcessEnv): ServerAddress {
  const a = parseServerAddress(address, env);
  if ('bad' in a) {
    if (a.bad === 'schema') throw new RectifyError('pg.badSchema', { address: a.shown }, { exit: EXIT.badInput, hint: 'pg.badSchemaHint' });
    if (a.bad === 'option') {
      throw new RectifyError('pg.badOption', { address: a.shown, option: a.option }, { exit: EXIT.badInput, hint: 'pg.badOptionHint' });
    }
    throw new RectifyError('pg.badAddress', {}, { exit: EXIT.badInput, hint: 'pg.badAddressHint' });
  }
  return a;
}

export function ledgerRoles(database: string, schema: string): { viewer: string; staff: string; admin: string } {
  return {
    viewer: roleName(database, schema, 'viewer'),
    staff: roleName(database, schema, 'staff'),
    admin: roleName(database, schema, 'admin'),
  };
}

interface Session {
  db: string;
  me: string;
  /** The schema is there but this role may not look inside (no ledger role). */
  hidden: boolean;
  ledger: boolean;
}

async function session(sql: Sql, addr: ServerAddress): Promise<Session> {
  try {
    const [r] = await sql.unsafe(
      `SELECT current_database() AS db, session_user AS me,
              coalesce(NOT has_schema_privilege(n.oid, 'USAGE'), false) AS hidden,
              CASE WHEN has_schema_privilege(n.oid, 'USAGE') THEN to_regclass($2) IS NOT NULL ELSE false END AS ledger
         FROM (SELECT 1) AS one LEFT JOIN pg_namespace n ON n.nspname = $1`,
      [addr.schema, `${quoteIdent(addr.schema)}.migrations`],
    );
    return r as unknown as Session;
  } catch (e) {
    await sql.end({ timeout: 1 }).catch(() => {});
    throw unreachable(e, addr) ?? e;
  }
}

/**
 * Opens the ledger at a postgres:// address (create: the schema must hold no ledger yet; it
 * is made by the first write(), in the same transaction as what that write loads, so that a
 * failed init leaves nothing behind).
 */
export async function openPgStore(address: string, opts: { create: boolean; now: () => Date; env?: NodeJS.ProcessEnv }): Promise<PgStore> {
  const addr = serverAddress(address, opts.env ?? process.env);
  const sql = await connect(addr);
  const s = await session(sql, addr);
  const who = { ...addr, database: s.db, user: s.me };
  const store = new PgStore(sql, who, ledgerRoles(s.db, addr.schema), opts.now);
  if (s.hidden) {
    // A schema this role has no ledger role on: reading it needs the viewer role at least.
    await store.close();
    if (opts.create) throw new RectifyError('pg.exists', { address: addr.shown }, { exit: EXIT.notAllowed, hint: 'pg.existsHint' });
    const roles = store.roles;
    throw new RectifyError('pg.refused', { user: s.me, address: addr.shown, role: roles.viewer, admin: roles.admin, short: 'viewer' }, { exit: EXIT.notAllowed });
  }
  if (opts.create) {
    if (s.ledger) {
      await store.close();
      throw new RectifyError('pg.exists', { address: addr.shown }, { exit: EXIT.notAllowed, hint: 'pg.existsHint' });
    }
    store.beforeFirstWrite = () => createSchema(store);
    return store;
  }
  if (!s.ledger) {
    await store.close();
    throw new RectifyError('pg.missing', { address: addr.shown, schema: addr.schema, database: s.db }, { exit: EXIT.notFound, hint: 'pg.missingHint' });
  }
  try {
    const version = (await store.get<{ v: number | null }>('SELECT max(version)::int AS v FROM migrations'))!.v ?? 0;
    if (version > PG_LATEST_VERSION) {
      throw new RectifyError('pg.newer', { address: addr.shown, found: version, known: PG_LATEST_VERSION }, { exit: EXIT.notAllowed, hint: 'store.newerHint' });
    }
    if (version < PG_LATEST_VERSION) await store.write(() => migrate(store));
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
    viewer: quoteIdent(r.viewer), staff: quoteIdent(r.staff), admin: quoteIdent(r.admin),
    names: r,
  };
}

/** Applies the migrations the ledger has not had (another rectify may be at it too: the
 *  ledger's lock is held, and the version read again under it). */
async function migrate(store: PgStore): Promise<void> {
  const version = (await store.get<{ v: number | null }>('SELECT max(version)::int AS v FROM migrations'))!.v ?? 0;
  for (const m of PG_MIGRATIONS) {
    if (m.version <= version) continue;
    await store.exec(m.sql(context(store)));
    await store.run('INSERT INTO migrations (version, name) VALUES ($1, $2)', [m.version, m.name]);
  }
}

/** The schema, its roles and tables, inside the first write()'s transaction. */
async function createSchema(store: PgStore): Promise<void> {
  const { addr, roles } = store;
  const q = quoteIdent;
  try {
    const exists = await store.get<{ ledger: boolean }>('SELECT to_regclass($1) IS NOT NULL AS ledger', [`${q(addr.schema)}.migrations`]);
    if (exists!.ledger) throw new RectifyError('pg.exists', { address: addr.shown }, { exit: EXIT.notAllowed, hint: 'pg.existsHint' });
    await store.exec(`CREATE SCHEMA IF NOT EXISTS ${q(addr.schema)}`);
    const have = new Set((await store.all<{ rolname: string }>(
      'SELECT rolname FROM pg_roles WHERE rolname IN ($1, $2, $3)', [roles.viewer, roles.staff, roles.admin],
    )).map((r) => r.rolname));
    for (const r of [roles.viewer, roles.staff, roles.admin]) {
      if (!have.has(r)) await store.exec(`CREATE ROLE ${q(r)} NOLOGIN`);
    }
    await store.exec(`
      GRANT ${q(roles.viewer)} TO ${q(roles.staff)};
      GRANT ${q(roles.staff)} TO ${q(roles.admin)};
      GRANT ${q(roles.viewer)}, ${q(roles.staff)} TO ${q(roles.admin)} WITH ADMIN OPTION;
      GRANT ${q(roles.admin)} TO ${q(addr.user)} WITH ADMIN OPTION;
      CREATE TABLE migrations (
        version    integer PRIMARY KEY,
        name       text NOT NULL,
        applied_at timestamptz NOT NULL DEFAULT now()
      );`);
    await migrate(store);
  } catch (e) {
    if (e instanceof RectifyError) throw e;
    if (errorCode(e) === '42501' || errorCode(e) === '0LP01') {
      throw new RectifyError('pg.cannotCreate', { address: addr.shown, reason: oneLine((e as Error).message, addr) },
        { exit: EXIT.notAllowed, hint: 'pg.cannotCreateHint' });
    }
    throw e;
  }
}
