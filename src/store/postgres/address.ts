// A ledger's address on a PostgreSQL server: `postgres://[USER[:PASSWORD]@]HOST[:PORT]/DATABASE[?schema=NAME]`.
// Pure string work, no driver: context.ts and the messages use it on every command.
import { userInfo } from 'node:os';

export const DEFAULT_SCHEMA = 'rectify';

/** A schema name follows the id rule of the seed format, in lower case. */
const SCHEMA_RULE = /^[a-z][a-z0-9._-]{0,31}$/;

export function isServerAddress(address: string): boolean {
  return /^postgres(ql)?:\/\//i.test(address);
}

export interface ServerAddress {
  /** What the driver is given: the URL without `schema` (the driver would take it for a setting). */
  url: string;
  schema: string;
  host: string;
  port: number;
  database: string;
  user: string;
  /** The address as messages show it: the password as ***. */
  shown: string;
}

/** The address with its password replaced by ***, whatever else it holds. */
export function maskAddress(address: string): string {
  return address.replace(/^(postgres(?:ql)?:\/\/[^:/@?#]*:)[^@/?#]*@/i, '$1***@');
}

function osUser(): string {
  try {
    return userInfo().username;
  } catch {
    return 'postgres';
  }
}

/** Reads an address; what the URL leaves out comes from PGHOST, PGPORT, PGUSER and
 *  PGDATABASE as libpq (and the driver) take them. Null when the schema name is not valid. */
export function parseServerAddress(address: string, env: NodeJS.ProcessEnv): ServerAddress | { bad: 'schema' | 'url'; shown: string } {
  const shown = maskAddress(address);
  let u: URL;
  try {
    u = new URL(address.replace(/^postgres(ql)?:/i, 'http:'));
  } catch {
    return { bad: 'url', shown };
  }
  const schema = u.searchParams.get('schema') ?? DEFAULT_SCHEMA;
  if (!SCHEMA_RULE.test(schema)) return { bad: 'schema', shown };
  u.searchParams.delete('schema');
  const decode = (s: string) => {
    try {
      return decodeURIComponent(s);
    } catch {
      return s;
    }
  };
  const host = decode(u.hostname) || env.PGHOST || 'localhost';
  const port = Number(u.port || env.PGPORT || 5432);
  const user = decode(u.username) || env.PGUSER || osUser();
  const database = decode(u.pathname.replace(/^\//, '')) || env.PGDATABASE || user;
  const rest = u.toString().replace(/^http:/, 'postgres:');
  return { url: rest, schema, host, port, database, user, shown };
}

/** PostgreSQL cuts names at 63 bytes; the role's own word must survive the cut. */
export function roleName(database: string, schema: string, role: 'viewer' | 'staff' | 'admin'): string {
  const suffix = `_${role}`;
  let stem = `${database}_${schema}`.toLowerCase();
  while (Buffer.byteLength(stem + suffix) > 63) stem = stem.slice(0, -1);
  return stem + suffix;
}

export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}
