// A ledger's address on a PostgreSQL server: `postgres://[USER[:PASSWORD]@]HOST[:PORT]/DATABASE[?schema=NAME]`.
// Pure string work, no driver: context.ts and the messages use it on every command.
//
// Read by hand rather than by `new URL`, so that a password holding an unencoded `/`, `#`,
// `?` or `@` is still known for what it is and never printed (docs/postgres.md, "The
// address"). Only the options below are taken; any other is refused, never handed to the
// server as a setting (the driver would send `?rectify.bulk=on` as one).
import { userInfo } from 'node:os';

export const DEFAULT_SCHEMA = 'rectify';

/** A schema name follows the id rule of the seed format, in lower case; PostgreSQL keeps names
 *  beginning pg_ for itself (a session's temporary schema is pg_temp_N: never a ledger). */
const SCHEMA_RULE = /^(?!pg_)[a-z][a-z0-9._-]{0,31}$/;

/** The query options an address may carry (README, "A ledger for the whole office"). */
export const ADDRESS_OPTIONS = ['schema', 'sslmode', 'password'] as const;
const SSL_MODES = ['disable', 'allow', 'prefer', 'require', 'verify-full'] as const;
export type SslMode = (typeof SSL_MODES)[number];

/** Shown in place of an address that cannot be read: nothing of it is echoed. */
const UNREADABLE = 'postgres://…';

export function isServerAddress(address: string): boolean {
  return /^postgres(ql)?:\/\//i.test(address);
}

export interface ServerAddress {
  schema: string;
  host: string;
  port: number;
  database: string;
  user: string;
  /** From the address (user part or ?password=); else the driver's PGPASSWORD. */
  password: string | undefined;
  ssl: SslMode | undefined;
  /** The address as messages show it: the password as ***. */
  shown: string;
  /** Every password this command may have used, for masking server messages. */
  secrets: string[];
}

export type BadAddress = { bad: 'url' } | { bad: 'schema'; shown: string }
  | { bad: 'option'; shown: string; option: string; twice?: true } | { bad: 'sslmode'; shown: string; value: string };

function decode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

interface Parts {
  scheme: string;
  user: string | null;
  password: string | null;
  host: string;
  path: string;
  query: string | null;
}

/** The parts of an address as typed (not decoded), or null when it has none such. */
function split(address: string): Parts | null {
  const m = /^(postgres(?:ql)?):\/\/(.*)$/is.exec(address);
  if (!m) return null;
  const scheme = m[1]!;
  const rest = m[2]!;
  // The user part ends at the first `@` after which a plain HOST[:PORT][/DATABASE][?QUERY]
  // follows; a password may hold any character, an unencoded `@` too.
  const tail = /^[^@/?#\s]*(?:\/[^?#@]*)?(?:\?.*)?$/s;
  let userinfo: string | null = null;
  let after = rest;
  for (let at = rest.indexOf('@'); at >= 0; at = rest.indexOf('@', at + 1)) {
    const candidate = rest.slice(0, at);
    const colon = candidate.indexOf(':');
    const userPart = colon >= 0 ? candidate.slice(0, colon) : candidate;
    if (/[/?#]/.test(userPart)) break;
    if (tail.test(rest.slice(at + 1))) {
      userinfo = candidate;
      after = rest.slice(at + 1);
      break;
    }
  }
  if (userinfo === null && !tail.test(rest)) return null;
  const hm = /^([^/?]*)(\/[^?]*)?(?:\?(.*))?$/s.exec(after);
  if (!hm) return null;
  let user: string | null = null;
  let password: string | null = null;
  if (userinfo !== null) {
    const colon = userinfo.indexOf(':');
    user = colon >= 0 ? userinfo.slice(0, colon) : userinfo;
    password = colon >= 0 ? userinfo.slice(colon + 1) : null;
  }
  return { scheme, user, password, host: hm[1]!, path: hm[2] ?? '', query: hm[3] ?? null };
}

/** The address with its password replaced by ***, whatever it holds and wherever it stands;
 *  an address that cannot be read shows nothing of itself. */
export function maskAddress(address: string): string {
  const p = split(address);
  if (!p) return UNREADABLE;
  return shownOf(p);
}

function shownOf(p: Parts): string {
  const who = p.user === null ? '' : `${p.user}${p.password === null ? '' : ':***'}@`;
  let query = '';
  if (p.query !== null) {
    query = `?${p.query.split('&').map((kv) => {
      const eq = kv.indexOf('=');
      const key = decode(eq >= 0 ? kv.slice(0, eq) : kv).toLowerCase();
      return key === 'password' ? `${eq >= 0 ? kv.slice(0, eq) : kv}=***` : kv;
    }).join('&')}`;
  }
  return `${p.scheme}://${who}${p.host}${p.path}${query}`;
}

function osUser(): string {
  try {
    return userInfo().username;
  } catch {
    return 'postgres';
  }
}

/** Reads an address; what the URL leaves out comes from PGHOST, PGPORT, PGUSER, PGDATABASE
 *  and PGPASSWORD as libpq (and the driver) take them. */
export function parseServerAddress(address: string, env: NodeJS.ProcessEnv): ServerAddress | BadAddress {
  const p = split(address);
  if (!p) return { bad: 'url' };
  const shown = shownOf(p);
  const hp = /^(?:\[([0-9a-fA-F:.]+)\]|([^:[\]]*))(?::(\d{1,5}))?$/.exec(p.host);
  if (!hp) return { bad: 'url' };
  if (p.path.slice(1).includes('/')) return { bad: 'url' };
  const options = new Map<string, string>();
  if (p.query !== null && p.query !== '') {
    for (const kv of p.query.split('&')) {
      if (kv === '') continue;
      const eq = kv.indexOf('=');
      const key = decode(eq >= 0 ? kv.slice(0, eq) : kv);
      if (!(ADDRESS_OPTIONS as readonly string[]).includes(key)) {
        // Named only when it is a plain word: the option may be a password typed in the wrong place.
        return { bad: 'option', shown, option: /^[A-Za-z0-9_.-]{1,40}$/.test(key) ? key : '?' };
      }
      if (options.has(key)) return { bad: 'option', shown, option: key, twice: true };
      options.set(key, decode(eq >= 0 ? kv.slice(eq + 1) : ''));
    }
  }
  const schema = options.get('schema') ?? DEFAULT_SCHEMA;
  if (!SCHEMA_RULE.test(schema)) return { bad: 'schema', shown };
  const ssl = options.get('sslmode');
  if (ssl !== undefined && !(SSL_MODES as readonly string[]).includes(ssl)) {
    return { bad: 'sslmode', shown, value: /^[A-Za-z0-9_.-]{1,40}$/.test(ssl) ? ssl : '?' };
  }
  const port = Number(hp[3] || env.PGPORT || 5432);
  if (!Number.isInteger(port) || port < 1 || port > 65535) return { bad: 'url' };
  const host = decode(hp[1] ?? hp[2] ?? '') || env.PGHOST || 'localhost';
  const user = (p.user !== null ? decode(p.user) : '') || env.PGUSER || osUser();
  const database = decode(p.path.replace(/^\//, '')) || env.PGDATABASE || user;
  const given = options.get('password') ?? (p.password !== null ? decode(p.password) : undefined);
  const secrets = [given, p.password, options.get('password'), env.PGPASSWORD]
    .filter((s): s is string => typeof s === 'string' && s !== '');
  return {
    schema, host, port, database, user, password: given, ssl: ssl as SslMode | undefined, shown, secrets: [...new Set(secrets)],
  };
}

/** A server's message with every password this command knows replaced by ***. */
export function maskSecrets(message: string, addr: Pick<ServerAddress, 'secrets'>): string {
  let m = message;
  // Longest first, so that a password holding another one is masked whole.
  for (const s of [...addr.secrets].sort((a, b) => b.length - a.length)) {
    m = m.split(s).join('***');
    const encoded = encodeURIComponent(s);
    if (encoded !== s) m = m.split(encoded).join('***');
  }
  return m;
}

/** PostgreSQL cuts names at 63 bytes; the role's own word must survive the cut. */
export function roleName(database: string, schema: string, role: 'viewer' | 'staff' | 'admin' | 'owner'): string {
  const suffix = `_${role}`;
  let stem = `${database}_${schema}`.toLowerCase();
  while (Buffer.byteLength(stem + suffix) > 63) stem = stem.slice(0, -1);
  return stem + suffix;
}

export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}
