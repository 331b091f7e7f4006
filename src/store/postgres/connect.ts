// The one connection a command makes to a server, and what its failures mean to a user.
// The driver (postgres.js, chosen by its start-up cost inside the bundle) is loaded here
// only: this module is reached through import() from store/index.ts (esbuild then turns the
// import below into a require at that moment), so that a ledger file never pays for it.
import postgres from 'postgres';
import { EXIT, RectifyError } from '../../errors.js';
import { LOCK_WAIT_MS } from '../lock-wait.js';
import { maskSecrets, type ServerAddress } from './address.js';

export type Sql = postgres.Sql<Record<string, never>>;
export type Param = string | number | boolean | null;

/** How long connecting may take before the command gives up (seconds). */
const CONNECT_TIMEOUT_S = 10;
/** How long a change waits for another one holding the same ledger (as on a file). */
export const LOCK_TIMEOUT = `${LOCK_WAIT_MS}ms`;

/** `giveUpMs`: how long to wait for the server's first word (the tests' shorter wait). */
export async function connect(addr: ServerAddress, giveUpMs = CONNECT_TIMEOUT_S * 1000): Promise<Sql> {
  // The driver gives up after connect_timeout only while its socket connects or logs in; a
  // server (or a proxy before it) that accepts and closes without a word it tries again at
  // once, for ever. Given up as the driver would, when no word came from the server in time.
  let heard = false;
  let sql: Sql | undefined;
  const deadline = setTimeout(() => {
    if (!heard) void sql?.end({ timeout: 0 }).catch(() => {});
  }, giveUpMs);
  deadline.unref();
  // The parts of the address, never its text: the driver would send any query option it
  // does not know to the server as a setting.
  sql = postgres({
    host: addr.host,
    port: addr.port,
    database: addr.database,
    username: addr.user,
    ...(addr.password !== undefined ? { password: addr.password } : {}),
    ...(addr.ssl !== undefined ? { ssl: addr.ssl === 'disable' ? false : addr.ssl } : {}),
    max: 1,
    // One connection per command, no type discovery round trip, no notices on stderr.
    fetch_types: false,
    // Unnamed statements, planned for their values each time: a named one falls back to a
    // generic plan after five runs, and that plan made import's insert of an item 40 times
    // slower (29 ms against 0.7 ms); a command runs each statement a few times at most.
    prepare: false,
    onnotice: () => {},
    // A bigint (the ledger's keys, groups and history numbers: migration 35) as a number, as an
    // integer is: the sequences end at 2^53 - 1, which a number holds exactly.
    types: { int8: { to: 20, from: [20], serialize: (x: number) => String(x), parse: (x: string) => Number(x) } },
    // The server's parameters come once it has let this role in.
    onparameter: () => {
      heard = true;
      clearTimeout(deadline);
    },
    connect_timeout: CONNECT_TIMEOUT_S,
    idle_timeout: 0,
    max_lifetime: null,
    connection: {
      application_name: 'rectify',
      // UTF-8 whatever the role's or the database's default: inlined() writes values in as
      // E'…' literals, which are safe only where no character's bytes may hold a backslash
      // (GBK, SJIS, BIG5 and GB18030 let one end a two-byte character and so escape the quote).
      // The driver sends the same by default; said here because the safety rests on it.
      client_encoding: 'UTF8',
      // A command's queries are short: compiling them (JIT) costs more than it saves.
      jit: 'off',
      search_path: `"${addr.schema}"`,
    },
  }) as unknown as Sql;
  return sql;
}

/** The SQLSTATE of a server error, or the code of a connection failure. */
export function errorCode(e: unknown): string | undefined {
  if (e && typeof e === 'object' && 'code' in e && typeof (e as { code: unknown }).code === 'string') {
    return (e as { code: string }).code;
  }
  return undefined;
}

const CONNECT_FAILURES = new Set([
  'ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'ETIMEDOUT', 'CONNECT_TIMEOUT',
  'ECONNRESET', 'EPIPE', 'CONNECTION_CLOSED', 'CONNECTION_DESTROYED', 'CONNECTION_ENDED', 'SASL_SIGNATURE_MISMATCH',
  'AUTH_TYPE_NOT_IMPLEMENTED', 'ENOENT', 'EACCES',
]);
/** Connection lost in the middle of a command. */
const LOST = new Set(['ECONNRESET', 'EPIPE', 'CONNECTION_CLOSED', 'CONNECTION_DESTROYED', 'CONNECTION_ENDED', 'ETIMEDOUT']);

export function isConnectionLost(e: unknown): boolean {
  const code = errorCode(e);
  // 57P01..57P03: the server shuts down, crashed or cannot connect now; 08*: connection exceptions.
  return code !== undefined && (LOST.has(code) || code.startsWith('57P') || code.startsWith('08'));
}

/** A failure to reach or log into the server: exit 3, naming where, never the password. */
export function unreachable(e: unknown, addr: ServerAddress): RectifyError | null {
  const code = errorCode(e);
  if (code === undefined) return null;
  // 28000/28P01: no such role or a wrong password; 3D000: no such database; 08*: cannot connect.
  if (!(CONNECT_FAILURES.has(code) || code === '28000' || code === '28P01' || code === '3D000'
    || code.startsWith('08') || code.startsWith('57P'))) {
    return null;
  }
  const reason = oneLine(e instanceof Error ? e.message : String(e), addr);
  return new RectifyError(
    'pg.unreachable',
    { address: addr.shown, host: addr.host, port: addr.port, database: addr.database, user: addr.user, reason },
    { exit: EXIT.notFound, hint: 'pg.unreachableHint' },
  );
}

/** A server message on one line, with nothing of the password in it. */
export function oneLine(message: string, addr?: ServerAddress): string {
  const m = message.replace(/\s+/g, ' ').trim();
  return addr ? maskSecrets(m, addr) : m;
}
