// PostgreSQL for tests: RECTIFY_TEST_PG names a server where tests may create and drop
// databases (.ci/run sets it). Each test file that asks gets a database of its own, made on
// first use and dropped, with every role named after it, when the file is done.
import postgres from 'postgres';
import { atFileEnd } from './file-hooks.js';

export const PG_URL = process.env.RECTIFY_TEST_PG ?? '';
export const HAS_PG = PG_URL !== '';

type Sql = postgres.Sql<Record<string, never>>;

let admin: Sql | undefined;
let database: string | undefined;
let schemas = 0;
const opened: Sql[] = [];

function withDatabase(url: string, db: string, params: Record<string, string> = {}): string {
  const u = new URL(url);
  u.pathname = `/${db}`;
  for (const [k, v] of Object.entries(params)) u.searchParams.set(k, v);
  return u.toString();
}

/** A connection to the server's own database (for CREATE DATABASE, roles). */
export function serverSql(): Sql {
  admin ??= postgres(PG_URL, { max: 1, onnotice: () => {} }) as unknown as Sql;
  return admin;
}

/** This file's database, made on first call; its name. */
export async function testDatabase(): Promise<string> {
  if (!database) {
    const name = `rectify_t${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
    await serverSql().unsafe(`CREATE DATABASE "${name}"`);
    database = name;
  }
  return database;
}

/** A URL for a schema of its own in this file's database (no ledger in it yet). */
export async function freshLedgerUrl(extra: Record<string, string> = {}): Promise<string> {
  const db = await testDatabase();
  schemas += 1;
  return withDatabase(PG_URL, db, { schema: `t${schemas}`, ...extra });
}

/** The URL of this file's database as another login role. */
export function asUser(url: string, user: string, password?: string): string {
  const u = new URL(url);
  u.username = user;
  u.password = password ?? '';
  return u.toString();
}

/** A connection to this file's database (closed when the file is done). */
export async function dbSql(url?: string): Promise<Sql> {
  const db = await testDatabase();
  const sql = postgres(url ?? withDatabase(PG_URL, db), { max: 1, onnotice: () => {} }) as unknown as Sql;
  opened.push(sql);
  return sql;
}

/** A login role for this file (dropped with it). */
export async function loginRole(suffix: string, password = 'secret-pw'): Promise<string> {
  const db = await testDatabase();
  const name = `${db}_${suffix}`;
  await serverSql().unsafe(`CREATE ROLE "${name}" LOGIN PASSWORD '${password}'`);
  return name;
}

/** Drops a file's database and every role named after it, in one statement each, on a
 *  connection of its own (a test may have restarted the server under the file's). */
async function dropFileDatabase(name: string): Promise<void> {
  const sql = postgres(PG_URL, { max: 1, onnotice: () => {} });
  try {
    await sql.unsafe(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    const roles = await sql<{ rolname: string }[]>`SELECT rolname FROM pg_roles WHERE starts_with(rolname, ${`${name}_`})`;
    if (roles.length) await sql.unsafe(`DROP ROLE IF EXISTS ${roles.map((r) => `"${r.rolname}"`).join(', ')}`);
  } finally {
    await sql.end({ timeout: 1 });
  }
}

/** The cleanups of the files done in this worker, one after another, while later files run. */
let cleaning: Promise<void> = Promise.resolve();

if (HAS_PG) {
  atFileEnd(() => {
    const connections = [...opened.splice(0), ...(admin ? [admin] : [])];
    const name = database;
    admin = undefined;
    database = undefined;
    schemas = 0;
    // Nothing of the file is used again, so the next file need not wait for the server to drop
    // it (1 s or more of a 2-core machine's time a file). A worker stopped before it is done
    // leaves it to the run's end (global-setup.ts), which drops what this run's workers left.
    cleaning = cleaning.then(async () => {
      for (const s of connections) await s.end({ timeout: 1 }).catch(() => {});
      if (name) await dropFileDatabase(name);
    }).catch((e: unknown) => {
      process.stderr.write(`tests/helpers/pg.ts: the database ${name} was not dropped: ${String(e)}\n`);
    });
  });
}
