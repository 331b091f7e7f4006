// Every ledger of a database that the user may read, for `rectify overview`, from the
// ledgers' roll-ups (owner_counts, due_counts: what `status` reads) rather than a connection
// or a round trip per ledger: the catalogue names the schemas that hold a ledger this role may
// read, and a UNION ALL reads them, a hundred ledgers a statement. Reached through import().
import type { LedgerFigures } from '../../core/overview.js';
import type { IsoDate } from '../../core/types.js';
import type { LedgerIdentity } from '../types.js';
import { EXIT, RectifyError } from '../../errors.js';
import { maskSecrets, quoteIdent, type ServerAddress } from './address.js';
import { connect, unreachable, type Sql } from './connect.js';
import { roleMark, serverAddress } from './index.js';
import { SUMMARY_SCHEMA, TRUSTED_SUMMARY, summaryMark, summaryRole } from './summary.js';

/** The tables a ledger's row is read from: a schema is a ledger this role may read when it
 *  has them all and may SELECT from each. */
const READ = ['migrations', 'report', 'owner_counts', 'due_counts', 'history', 'undone'] as const;

/** Ledgers read by one statement. A statement locks every table it reads and the indexes of
 *  each (about 14 a ledger) until it ends, and the server's lock table holds
 *  max_locks_per_transaction × max_connections of them (64 × 100 by default) for everyone:
 *  1,000 ledgers in one statement ran out of it. So a database's ledgers are read by a few
 *  statements of 100 ledgers each, one after the other on the one connection (each ledger's
 *  row is read in one snapshot; different ledgers may be read a moment apart). */
export const LEDGERS_PER_QUERY = 100;

export interface DatabaseOverview {
  database: string;
  /** The database's address as messages show it (no password). */
  shown: string;
  ledgers: LedgerFigures[];
  /** Each ledger's place, in the order of `ledgers`, its id not read (ledgerIds() reads it):
   *  `schema` where the ledger has one to read, null for a ledger from before its id (034). */
  identities: (LedgerIdentity & { schema: string | null })[];
  /** Schemas that hold a ledger this role may not read (no viewer or supervisor role). */
  hidden: number;
}

/** One ledger's row: $1 is the day, $2 the last day of "due soon", $n the schema's name. */
function branch(schema: string, n: number): string {
  const s = quoteIdent(schema);
  return `SELECT $${n}::text AS schema, r.title, r.unit, c.items, c.open, c.in_progress, c.done, c.verified,
       d.red, d.yellow, d.oldest, e.extensions
  FROM (SELECT 1) one
  LEFT JOIN ${s}.report r ON true
  CROSS JOIN (SELECT coalesce(sum(n), 0)::int AS items,
                     coalesce(sum(n) FILTER (WHERE status = 'open'), 0)::int AS open,
                     coalesce(sum(n) FILTER (WHERE status = 'in_progress'), 0)::int AS in_progress,
                     coalesce(sum(n) FILTER (WHERE status = 'done'), 0)::int AS done,
                     coalesce(sum(n) FILTER (WHERE status = 'verified'), 0)::int AS verified
                FROM ${s}.owner_counts) c
  CROSS JOIN (SELECT coalesce(sum(n) FILTER (WHERE due < $1), 0)::int AS red,
                     coalesce(sum(n) FILTER (WHERE due >= $1 AND due <= $2), 0)::int AS yellow,
                     min(due) FILTER (WHERE due < $1) AS oldest
                FROM ${s}.due_counts) d
  CROSS JOIN (SELECT count(*)::int AS extensions FROM ${s}.history h
               WHERE h.action = 'extend' AND NOT EXISTS (SELECT 1 FROM ${s}.undone u WHERE u.grp = h.grp)) e`;
}

/** Every ledger of the summary named in $3 (a JSON array), as branch() reads one; $1 the day,
 *  $2 the last day of "due soon". The server shows each role only the rows of the ledgers it
 *  may read (row level security). */
const SUMMARY_ROWS = `SELECT l.ledger AS schema, l.title, l.unit, l.items, l.open, l.in_progress, l.done, l.verified,
       coalesce(d.red, 0)::int AS red, coalesce(d.yellow, 0)::int AS yellow, d.oldest, l.extensions
  FROM ${SUMMARY_SCHEMA}.ledgers l
  LEFT JOIN (SELECT ledger, sum(n) FILTER (WHERE due < $1) AS red, sum(n) FILTER (WHERE due >= $1 AND due <= $2) AS yellow,
                    min(due) FILTER (WHERE due < $1) AS oldest
               FROM ${SUMMARY_SCHEMA}.due GROUP BY ledger) d ON d.ledger = l.ledger
 WHERE l.ledger = ANY (ARRAY(SELECT json_array_elements_text($3::text::json)))`;

interface Row {
  schema: string; title: string | null; unit: string | null; items: number; open: number; in_progress: number;
  done: number; verified: number; red: number; yellow: number; oldest: string | null; extensions: number;
}

function schemaAddress(shown: string, schema: string): string {
  return `${shown}${shown.includes('?') ? '&' : '?'}schema=${schema}`;
}

export async function databaseOverview(address: string, env: NodeJS.ProcessEnv, asOf: IsoDate, soonUntil: IsoDate): Promise<DatabaseOverview> {
  const addr: ServerAddress = serverAddress(address, env);
  let sql: Sql | undefined;
  try {
    sql = await connect(addr);
    // Only a schema its ledger's marked owner role owns (init made it): a look-alike, such as a
    // session's temporary tables and views named like a ledger's, is never read (its views would
    // run their functions as whoever reads them, a superuser too).
    const all = await sql.unsafe(
      `SELECT n.nspname AS schema, current_database() AS db, shobj_description(n.nspowner, 'pg_authid') AS mark,
              'pg:' || (SELECT system_identifier FROM pg_control_system()) || ':' || (SELECT d.oid FROM pg_database d WHERE d.datname = current_database())
                || ':' || n.oid AS place,
              EXISTS (SELECT 1 FROM pg_class c WHERE c.relnamespace = n.oid AND c.relname = 'ledger' AND c.relkind = 'r'
                      AND has_table_privilege(c.oid, 'SELECT')) AS has_id,
              (SELECT count(*) FROM pg_class c WHERE c.relnamespace = n.oid AND c.relname = ANY (ARRAY(SELECT json_array_elements_text($1::text::json)))
                  AND has_schema_privilege(n.oid, 'USAGE') AND has_table_privilege(c.oid, 'SELECT'))::int = $2 AS readable
         FROM pg_namespace n
        WHERE EXISTS (SELECT 1 FROM pg_class c WHERE c.relnamespace = n.oid AND c.relname = 'migrations')
          AND EXISTS (SELECT 1 FROM pg_class c WHERE c.relnamespace = n.oid AND c.relname = 'owner_counts')
        ORDER BY n.nspname COLLATE "C"`,
      [JSON.stringify(READ), READ.length],
    ) as unknown as { schema: string; db: string; mark: string | null; place: string; has_id: boolean; readable: boolean }[];
    const database = all[0]?.db ?? ((await sql.unsafe('SELECT current_database() AS db')) as unknown as { db: string }[])[0]!.db;
    const found = all.filter((f) => f.mark === roleMark(database, f.schema));
    const readableFound = found.filter((f) => f.readable);
    const readable = readableFound.map((f) => f.schema);
    // The database's summary, kept by the ledgers' own triggers (summary.ts), where it is
    // rectify's: every ledger in it is read by one statement; the others by their roll-ups.
    const fromSummary = new Map<string, Row>();
    const [trusted] = await sql.unsafe(TRUSTED_SUMMARY, [summaryRole(database), summaryMark(database)]) as unknown as { ok: boolean }[];
    if (trusted?.ok && readable.length > 0) {
      for (const r of await sql.unsafe(SUMMARY_ROWS, [asOf, soonUntil, JSON.stringify(readable)]) as unknown as Row[]) fromSummary.set(r.schema, r);
    }
    const rest = readable.filter((s) => !fromSummary.has(s));
    const byRollups = new Map<string, Row>();
    for (let start = 0; start < rest.length; start += LEDGERS_PER_QUERY) {
      const some = rest.slice(start, start + LEDGERS_PER_QUERY);
      const query = some.map((s, i) => branch(s, i + 3)).join('\nUNION ALL\n');
      for (const r of await sql.unsafe(query, [asOf, soonUntil, ...some]) as unknown as Row[]) byRollups.set(r.schema, r);
    }
    const rows = readable.map((s) => (fromSummary.get(s) ?? byRollups.get(s))!);

    return {
      database,
      shown: addr.shown,
      hidden: found.length - readable.length,
      identities: readableFound.map((f) => ({ id: null, place: f.place, schema: f.has_id ? f.schema : null })),
      ledgers: rows.map((r) => ({
        address: schemaAddress(addr.shown, r.schema), unit: r.unit, report: r.title ?? '', items: r.items, open: r.open,
        inProgress: r.in_progress, done: r.done, verified: r.verified, red: r.red, yellow: r.yellow, oldestDue: r.oldest,
        extensions: r.extensions,
      })),
    };
  } catch (e) {
    throw readFailed(e, addr);
  } finally {
    await sql?.end({ timeout: 1 }).catch(() => {});
  }
}

/** The ids (034) of some ledgers of the database at `address`, by schema, 100 a statement. Read
 *  apart from the figures, and only of the ledgers that could be a copy of another (overview):
 *  each ledger's table is one more relation for the server to open, about 0.2 s per 100 ledgers
 *  on a fresh connection (README, "One ledger, whatever it is called"). */
export async function ledgerIds(address: string, env: NodeJS.ProcessEnv, schemas: readonly string[]): Promise<Map<string, string>> {
  const addr: ServerAddress = serverAddress(address, env);
  const ids = new Map<string, string>();
  let sql: Sql | undefined;
  try {
    sql = await connect(addr);
    for (let start = 0; start < schemas.length; start += LEDGERS_PER_QUERY) {
      const some = schemas.slice(start, start + LEDGERS_PER_QUERY);
      const query = some.map((s, i) => `SELECT $${i + 1}::text AS schema, (SELECT id FROM ${quoteIdent(s)}.ledger) AS id`).join('\nUNION ALL\n');
      for (const r of await sql.unsafe(query, [...some]) as unknown as { schema: string; id: string | null }[]) if (r.id !== null) ids.set(r.schema, r.id);
    }
    return ids;
  } catch (e) {
    throw readFailed(e, addr);
  } finally {
    await sql?.end({ timeout: 1 }).catch(() => {});
  }
}

/** What a failed read of the database's ledgers says: rectify's own refusal as it is, a server
 *  that cannot be reached as such, anything else as the server's reason with secrets masked. */
function readFailed(e: unknown, addr: ServerAddress): unknown {
  if (e instanceof RectifyError) return e;
  return unreachable(e, addr) ?? new RectifyError('overview.readFailed', { address: addr.shown, reason: maskSecrets((e instanceof Error ? e.message : String(e)).replace(/\s+/g, ' '), addr) }, { exit: EXIT.failure });
}
