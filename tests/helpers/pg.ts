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

if (HAS_PG) {
  atFileEnd(async () => {
    for (const s of opened.splice(0)) await s.end({ timeout: 1 }).catch(() => {});
    // A fresh connection: a test may have restarted the server under the old one.
    await admin?.end({ timeout: 1 }).catch(() => {});
    admin = undefined;
    if (database) {
      admin = serverSql();
      await admin.unsafe(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
      const roles = await admin.unsafe(`SELECT rolname FROM pg_roles WHERE starts_with(rolname, $1)`, [`${database}_`]);
      for (const r of roles as unknown as { rolname: string }[]) await admin.unsafe(`DROP ROLE IF EXISTS "${r.rolname}"`);
    }
    await admin?.end({ timeout: 1 });
    admin = undefined;
    database = undefined;
    schemas = 0;
  });
}
