// The supervisor of a database (督查室, 纪委): read access to every ledger of the database,
// present and future, enforced by the server. One NOLOGIN role per database,
// `<database>_supervisor`, marked by its COMMENT as rectify's, is a member of every ledger's
// viewer role: `grant USER supervisor` gives it the viewer roles of the ledgers there now and
// makes USER a member; `init` of a later ledger grants that ledger's viewer role to it when it
// exists (joinSupervisor). A viewer reads and writes nothing, so neither does a supervisor.
import { EXIT, RectifyError } from '../../errors.js';
import { maskSecrets, quoteIdent, roleName } from './address.js';
import { connect, errorCode, unreachable, type Sql } from './connect.js';
import { roleMark, serverAddress } from './index.js';
import type { PgStore } from './store.js';

/** `<database>_supervisor`, lower case, cut to PostgreSQL's 63 bytes keeping its word. */
export function supervisorRole(database: string): string {
  const suffix = '_supervisor';
  let stem = database.toLowerCase();
  while (Buffer.byteLength(stem + suffix) > 63) stem = stem.slice(0, -1);
  return stem + suffix;
}

export function supervisorMark(database: string): string {
  return `rectify supervisor ${JSON.stringify({ database })}`;
}

const literal = (s: string) => `'${s.replace(/'/g, "''")}'`;

/** At init of a ledger, as its owner role (which holds the viewer role WITH ADMIN OPTION):
 *  the database's supervisor, if there is one, reads this ledger too. */
export async function joinSupervisor(store: PgStore): Promise<void> {
  const name = supervisorRole(store.addr.database);
  const r = await store.get<{ comment: string | null }>(
    "SELECT shobj_description(oid, 'pg_authid') AS comment FROM pg_roles WHERE rolname = $1 AND NOT rolcanlogin", [name]);
  if (r && r.comment === supervisorMark(store.addr.database)) {
    await store.exec(`GRANT ${quoteIdent(store.roles.viewer)} TO ${quoteIdent(name)}`);
  }
}

export interface SupervisorChange {
  /** Whether USER's membership changed. */
  changed: boolean;
  /** The ledgers of the database the supervisor role reads. */
  ledgers: number;
  role: string;
  database: string;
  shown: string;
}

/** `grant USER supervisor` / `revoke USER supervisor` on the database of `address`, in one
 *  transaction. Granting needs a role that may create roles and hand out every ledger's viewer
 *  role (a database administrator: CREATEROLE, or a superuser); anything less is refused by
 *  the server and said in one line (exit 4). */
export async function changeSupervisor(address: string, env: NodeJS.ProcessEnv, user: string, grant: boolean): Promise<SupervisorChange> {
  const addr = serverAddress(address, env);
  let sql: Sql | undefined;
  try {
    sql = await connect(addr);
    return await sql.begin(async (tx) => {
      const one = async <T>(text: string, params: (string | number)[] = []) => (await tx.unsafe(text, params) as unknown as T[])[0];
      const { database } = (await one<{ database: string }>('SELECT current_database() AS database'))!;
      const role = supervisorRole(database);
      const mark = supervisorMark(database);
      const login = await one<{ x: number }>('SELECT 1 AS x FROM pg_roles WHERE rolname = $1 AND rolcanlogin', [user]);
      if (!login) throw new RectifyError('access.noUser', { user }, { exit: EXIT.notFound, hint: 'access.noUserHint' });
      const found = await one<{ comment: string | null; login: boolean }>(
        "SELECT shobj_description(oid, 'pg_authid') AS comment, rolcanlogin AS login FROM pg_roles WHERE rolname = $1", [role]);
      if (found && (found.comment !== mark || found.login)) {
        throw new RectifyError('supervisor.roleTaken', { role }, { exit: EXIT.notAllowed });
      }
      const ledgers = await tx.unsafe(
        `SELECT n.nspname AS schema FROM pg_namespace n
          WHERE EXISTS (SELECT 1 FROM pg_class c WHERE c.relnamespace = n.oid AND c.relname = 'migrations')
            AND EXISTS (SELECT 1 FROM pg_class c WHERE c.relnamespace = n.oid AND c.relname = 'owner_counts')
          ORDER BY 1`) as unknown as { schema: string }[];
      // Each ledger's viewer role, where it is that ledger's (marked by init).
      const viewers: string[] = [];
      for (const { schema } of ledgers) {
        const viewer = await one<{ rolname: string }>(
          "SELECT rolname FROM pg_roles WHERE rolname = $1 AND shobj_description(oid, 'pg_authid') = $2",
          [roleName(database, schema, 'viewer'), roleMark(database, schema)]);
        if (viewer) viewers.push(viewer.rolname);
      }
      const member = await one<{ x: number }>(
        `SELECT 1 AS x FROM pg_auth_members m JOIN pg_roles g ON g.oid = m.roleid JOIN pg_roles u ON u.oid = m.member
          WHERE g.rolname = $1 AND u.rolname = $2`, [role, user]);
      if (!grant) {
        if (!found || !member) return { changed: false, ledgers: viewers.length, role, database, shown: addr.shown };
        await tx.unsafe(`REVOKE ${quoteIdent(role)} FROM ${quoteIdent(user)}`);
        return { changed: true, ledgers: viewers.length, role, database, shown: addr.shown };
      }
      if (!found) await tx.unsafe(`CREATE ROLE ${quoteIdent(role)} NOLOGIN; COMMENT ON ROLE ${quoteIdent(role)} IS ${literal(mark)}`);
      for (const v of viewers) {
        const has = await one<{ x: number }>(
          `SELECT 1 AS x FROM pg_auth_members m JOIN pg_roles g ON g.oid = m.roleid JOIN pg_roles u ON u.oid = m.member
            WHERE g.rolname = $1 AND u.rolname = $2`, [v, role]);
        if (!has) await tx.unsafe(`GRANT ${quoteIdent(v)} TO ${quoteIdent(role)}`);
      }
      if (!member) await tx.unsafe(`GRANT ${quoteIdent(role)} TO ${quoteIdent(user)}`);
      return { changed: !member, ledgers: viewers.length, role, database, shown: addr.shown };
    });
  } catch (e) {
    if (e instanceof RectifyError) throw e;
    const gone = unreachable(e, addr);
    if (gone) throw gone;
    if (errorCode(e) === '42501') {
      throw new RectifyError(grant ? 'supervisor.notAllowed' : 'supervisor.notAllowedRevoke', { user: addr.user, address: addr.shown, reason: maskSecrets((e as Error).message, addr) },
        { exit: EXIT.notAllowed, hint: grant ? 'supervisor.notAllowedHint' : 'supervisor.notAllowedRevokeHint' });
    }
    throw e;
  } finally {
    await sql?.end({ timeout: 1 }).catch(() => {});
  }
}

