// The database-wide summary that `rectify overview` reads in one statement (issue 23): one row
// per ledger (`rectify_overview.ledgers`: report, counts by status, extensions) and its open
// items by due date (`rectify_overview.due`), kept current by each ledger's own triggers
// (migration 005) as its roll-ups change. Read by one statement whatever the number of
// ledgers, instead of some fifteen relations a ledger.
//
// Who may do what, enforced by the server (docs/postgres.md, "What the server guarantees"):
// - The schema and its tables belong to a NOLOGIN role of the database, `<database>_overview`,
//   marked by its COMMENT as rectify's; no login role keeps a membership of it.
// - Only a ledger's owner role (NOLOGIN; only the ledger's own SECURITY DEFINER triggers run as
//   it) may write, and only the rows of the schema it owns (row level security). Group roles,
//   a supervisor and anyone else may not write at all: no one forges another's figures.
// - Everyone may SELECT, and sees the rows of the ledgers whose roll-ups they may read (a
//   viewer of that ledger, or the database's supervisor): the same rule as reading the ledger.
// - A schema of that name made by anyone else is never used (nothing is written into a table
//   another role owns, whose triggers would run as the ledger's owner), and overview does not
//   read it.
// Setting it up needs what init needs (creating roles and schemas); where the role running init
// or an upgrade may not, the ledger goes without and overview reads its roll-ups as before.
import { quoteIdent } from './address.js';
import type { PgStore } from './store.js';

export const SUMMARY_SCHEMA = 'rectify_overview';

/** `<database>_overview`, lower case, cut to PostgreSQL's 63 bytes keeping its word. */
export function summaryRole(database: string): string {
  const suffix = '_overview';
  let stem = database.toLowerCase();
  while (Buffer.byteLength(stem + suffix) > 63) stem = stem.slice(0, -1);
  return stem + suffix;
}

export function summaryMark(database: string): string {
  return `rectify overview ${JSON.stringify({ database })}`;
}

const literal = (s: string) => `'${s.replace(/'/g, "''")}'`;

/** The summary's tables (as their owner role): created once per database. */
function tables(): string {
  const s = SUMMARY_SCHEMA;
  const T = 'text COLLATE "C"';
  // Readable by whoever may read that ledger's roll-ups; written by the ledger's owner alone.
  const readable = `has_schema_privilege(to_regnamespace(quote_ident(ledger)), 'USAGE')
      AND has_table_privilege(to_regclass(quote_ident(ledger) || '.owner_counts'), 'SELECT')`;
  const own = `owner_role = current_user
      AND EXISTS (SELECT 1 FROM pg_catalog.pg_namespace n WHERE n.nspname = ledger AND n.nspowner = (SELECT oid FROM pg_catalog.pg_roles WHERE rolname = current_user))`;
  return `
REVOKE ALL ON SCHEMA ${s} FROM PUBLIC;
GRANT USAGE ON SCHEMA ${s} TO PUBLIC;
CREATE TABLE ${s}.ledgers (
  ledger      ${T} PRIMARY KEY,
  owner_role  ${T} NOT NULL,
  title       ${T},
  unit        ${T},
  items       integer NOT NULL DEFAULT 0,
  open        integer NOT NULL DEFAULT 0,
  in_progress integer NOT NULL DEFAULT 0,
  done        integer NOT NULL DEFAULT 0,
  verified    integer NOT NULL DEFAULT 0,
  extensions  integer NOT NULL DEFAULT 0
);
CREATE TABLE ${s}.due (
  ledger     ${T} NOT NULL,
  owner_role ${T} NOT NULL,
  due        ${T} NOT NULL,
  n          integer NOT NULL CHECK (n > 0),
  PRIMARY KEY (ledger, due)
);
ALTER TABLE ${s}.ledgers ENABLE ROW LEVEL SECURITY;
ALTER TABLE ${s}.due ENABLE ROW LEVEL SECURITY;
CREATE POLICY readers ON ${s}.ledgers FOR SELECT USING (${readable});
CREATE POLICY readers ON ${s}.due FOR SELECT USING (${readable});
CREATE POLICY writers ON ${s}.ledgers FOR ALL USING (${own}) WITH CHECK (${own});
CREATE POLICY writers ON ${s}.due FOR ALL USING (${own}) WITH CHECK (${own});
REVOKE ALL ON ${s}.ledgers, ${s}.due FROM PUBLIC;
GRANT SELECT ON ${s}.ledgers, ${s}.due TO PUBLIC;`;
}

/**
 * At init or upgrade of a ledger, as the login role running it (before it becomes the owner
 * role): the database's summary, made if there is none, and the ledger's owner role allowed to
 * keep its rows. Returns whether the ledger may use it (migration 005 then installs its
 * triggers); on any refusal nothing of it is left and the ledger goes without.
 */
export async function joinSummary(store: PgStore): Promise<boolean> {
  const { addr, roles } = store;
  const q = quoteIdent;
  const role = summaryRole(addr.database);
  const mark = summaryMark(addr.database);
  await store.exec('SAVEPOINT summary');
  try {
    // Two inits in one database at once take turns where they can; but a key anyone may hold
    // (a role that may merely CONNECT) is never waited for: without it, a true race at worst
    // leaves the later ledger without the summary, as a refusal below does.
    await store.get(`SELECT pg_try_advisory_xact_lock(1381253203, hashtext($1)) IS NULL AS x`, [`${SUMMARY_SCHEMA}:${addr.database}`]);
    const found = await store.get<{ comment: string | null; login: boolean; su: boolean }>(
      "SELECT shobj_description(oid, 'pg_authid') AS comment, rolcanlogin AS login, rolsuper AS su FROM pg_roles WHERE rolname = $1", [role]);
    if (found && (found.comment !== mark || found.login || found.su)) throw new Error('summary role taken');
    if (!found) await store.exec(`CREATE ROLE ${q(role)} NOLOGIN; COMMENT ON ROLE ${q(role)} IS ${literal(mark)}`);
    const schema = await store.get<{ ours: boolean }>(
      'SELECT nspowner = (SELECT oid FROM pg_roles WHERE rolname = $2) AS ours FROM pg_namespace WHERE nspname = $1', [SUMMARY_SCHEMA, role]);
    if (schema && !schema.ours) throw new Error('summary schema taken');
    await store.exec(`GRANT ${q(role)} TO ${q(addr.user)}`);
    if (!schema) {
      await store.exec(`CREATE SCHEMA ${SUMMARY_SCHEMA} AUTHORIZATION ${q(role)}; SET LOCAL ROLE ${q(role)}; ${tables()} RESET ROLE;`);
    }
    const owned = await store.get<{ n: number }>(
      `SELECT count(*)::int AS n FROM pg_class c WHERE c.relnamespace = to_regnamespace($1) AND c.relname IN ('ledgers', 'due')
          AND c.relowner = (SELECT oid FROM pg_roles WHERE rolname = $2) AND c.relrowsecurity`, [SUMMARY_SCHEMA, role]);
    if (owned?.n !== 2) throw new Error('summary tables not the summary role\'s');
    await store.exec(`SET LOCAL ROLE ${q(role)};
      GRANT SELECT, INSERT, UPDATE, DELETE ON ${SUMMARY_SCHEMA}.ledgers, ${SUMMARY_SCHEMA}.due TO ${q(roles.owner)};
      RESET ROLE; REVOKE ${q(role)} FROM ${q(addr.user)};`);
    await store.exec('RELEASE SAVEPOINT summary');
    return true;
  } catch {
    await store.exec('ROLLBACK TO SAVEPOINT summary; RELEASE SAVEPOINT summary');
    return false;
  }
}

/** Whether the database's summary is there and rectify's (its tables owned by the marked
 *  role): only then does overview read it. */
export const TRUSTED_SUMMARY = `SELECT count(*)::int = 2 AS ok FROM pg_class c JOIN pg_roles r ON r.oid = c.relowner
  WHERE c.relnamespace = to_regnamespace('${SUMMARY_SCHEMA}') AND c.relname IN ('ledgers', 'due') AND c.relrowsecurity
    AND NOT r.rolcanlogin AND r.rolname = $1 AND shobj_description(r.oid, 'pg_authid') = $2`;
