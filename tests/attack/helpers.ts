// The attack suite's ground: a shared ledger in this file's database, real login roles
// (granted their ledger roles through `rectify grant`, plus one that may merely CONNECT), plain
// SQL connections as those roles (what psql would do), and the outcome checks every attack is
// judged by (docs/postgres.md, "What the server guarantees"). The checks read the ledger only
// through rectify's own full dump and dashboard, never through its tables, so that they hold
// whatever tables and triggers a server guard uses.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import postgres from 'postgres';
import { expect } from 'vitest';
import { atFileEnd } from '../helpers/file-hooks.js';
import { rectify, rectifyAsync, tempDir, type RunResult } from '../helpers/cli.js';
import { Writable } from 'node:stream';
import { PG_URL, asUser, freshLedgerUrl, loginRole, testDatabase } from '../helpers/pg.js';

export { HAS_PG, serverSql, testDatabase, loginRole, asUser, freshLedgerUrl } from '../helpers/pg.js';

export type Sql = postgres.Sql<Record<string, never>>;
export type Role = 'viewer' | 'staff' | 'admin';
export const TODAY = '2024-05-10';

/** A seed of three measures with ten items each, some owned and dated (overdue or not). */
export function seedText(): string {
  const lines = ['version: 1', 'report:', '  title: "攻击测试台账"', '  unit: "测试单位"', 'areas:'];
  for (let a = 1; a <= 3; a++) {
    lines.push(`  - id: A${a}`, `    name: "方面${a}"`, '    problems:');
    for (let p = 1; p <= 2; p++) lines.push(`      - id: P${a}.${p}`, `        title: "问题${a}.${p}"`);
  }
  lines.push('causes:', '  - id: C1', '    title: "原因"', 'measures:');
  for (let m = 1; m <= 3; m++) {
    lines.push(`  - id: M${m}`, `    title: "措施${m}"`, '    items:');
    for (let i = 1; i <= 10; i++) {
      lines.push(`      - id: M${m}.${i}`, `        title: "事项${m}.${i}"`, `        addresses: [P${m}.${(i % 2) + 1}]`);
      if (i % 3 === 0) lines.push(`        owner: "办公室"`, `        due: "${i % 2 === 0 ? '2024-04-01' : '2024-06-30'}"`);
    }
  }
  return `${lines.join('\n')}\n`;
}

export interface HistoryEntry {
  seq?: number;
  at: string;
  by: string;
  action: string;
  status: string;
  progress: number;
  note: string | null;
  changes: Record<string, [unknown, unknown]>;
  evidence: string[];
  dbUser?: string;
}
export interface DumpItem {
  id: string;
  measure: string;
  title: string;
  addresses: string[];
  owner: string | null;
  department: string | null;
  due: string | null;
  status: string;
  progress: number;
  evidence: string[];
  history: HistoryEntry[];
}
export interface Dump {
  items: Map<string, DumpItem>;
  problems: { id: string; area: string }[];
  areas: string[];
  measures: string[];
}

export interface Ledger {
  url: string;
  db: string;
  schema: string;
  dir: string;
  users: { admin: string; admin2: string; staff: string; staff2: string; viewer: string; outsider: string };
  group(r: Role): string;
  /** rectify as a login role (null: the superuser who ran init), acting as `by`. */
  cli(user: string | null, args: string[], by?: string, env?: Record<string, string | undefined>): RunResult;
  cliAsync(user: string | null, args: string[], by?: string, env?: Record<string, string | undefined>): Promise<RunResult>;
  /** The same command through rectify's dispatcher in this process. */
  inproc(user: string | null, args: string[], by?: string): Promise<RunResult>;
  /** The address as a login role (null: the superuser). */
  address(user: string | null): string;
  /** A plain SQL connection as a login role, search_path on the ledger's schema (a new one each call). */
  connect(user: string | null, opts?: { searchPath?: string; params?: Record<string, string> }): Sql;
  /** Runs SQL as that role; never throws: what the server answered. */
  attempt(user: string | null, text: string): Promise<Attempt>;
  /** The whole ledger as rectify dumps it (as the superuser). */
  dump(): Promise<Dump>;
  /** The dashboard's figures as rectify shows them (as the superuser). */
  figures(): Promise<ReturnType<typeof shownFigures>>;
}

/** rectify's own dispatcher in this process, as the binary runs it (for the many commands whose
 *  words are not what an attack is about: no process to start on a busy machine). */
export async function inProcess(argv: string[], env: Record<string, string | undefined>): Promise<RunResult> {
  const sink = () => {
    let text = '';
    const w = new Writable({ write(chunk, _enc, cb) { text += String(chunk); cb(); } });
    return { stream: Object.assign(w, { isTTY: false }) as unknown as NodeJS.WriteStream, text: () => text };
  };
  const out = sink();
  const err = sink();
  const full: NodeJS.ProcessEnv = { LANG: 'en_US.UTF-8', TZ: 'Asia/Shanghai' };
  for (const [k, v] of Object.entries(env)) if (v !== undefined) full[k] = v;
  // Loaded on first use: a run without a server skips this suite without compiling the CLI.
  const { run } = await import('../../src/cli.js');
  const code = await run(argv, full, { stdout: out.stream, stderr: err.stream, stdinIsTTY: () => false });
  return { code, stdout: out.text(), stderr: err.text() };
}

export interface Attempt {
  ok: boolean;
  code?: string;
  message?: string;
  rows?: unknown[];
}

const opened: Sql[] = [];
const cleanups: (() => void)[] = [];
// Registered after pg.ts's, so that it runs before pg.ts drops the database (file-hooks.ts).
atFileEnd(async () => {
  for (const s of opened.splice(0)) await s.end({ timeout: 1 }).catch(() => {});
  for (const c of cleanups.splice(0)) c();
  usersMade = undefined;
});

type Users = Ledger['users'];
let usersMade: Promise<Users> | undefined;
/** This file's login roles (one set for all its ledgers). */
function fileUsers(): Promise<Users> {
  usersMade ??= (async () => {
    const users: Users = { admin: '', admin2: '', staff: '', staff2: '', viewer: '', outsider: '' };
    for (const k of Object.keys(users) as (keyof Users)[]) users[k] = await loginRole(k);
    return users;
  })();
  return usersMade;
}

/** Runs one statement on a connection; never throws. */
export async function tryOn(sql: Sql, text: string): Promise<Attempt> {
  try {
    const rows = await sql.unsafe(text);
    return { ok: true, rows: [...rows] };
  } catch (e) {
    const err = e as { code?: string; message?: string };
    return { ok: false, code: err.code, message: err.message };
  }
}

/** Runs statements in one transaction; whether it committed. */
export async function inTransaction(c: Sql, statements: string[]): Promise<boolean> {
  if (!(await tryOn(c, 'BEGIN')).ok) return false;
  for (const s of statements) {
    if (!(await tryOn(c, s)).ok) {
      await tryOn(c, 'ROLLBACK');
      return false;
    }
  }
  return (await tryOn(c, 'COMMIT')).ok;
}

export function parseDump(text: string): Dump {
  const items = new Map<string, DumpItem>();
  const problems: { id: string; area: string }[] = [];
  const areas: string[] = [];
  const measures: string[] = [];
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    const r = JSON.parse(line) as { kind: string } & Record<string, unknown>;
    if (r.kind === 'item') items.set(r.id as string, r as unknown as DumpItem);
    else if (r.kind === 'problem') problems.push({ id: r.id as string, area: r.area as string });
    else if (r.kind === 'area') areas.push(r.id as string);
    else if (r.kind === 'measure') measures.push(r.id as string);
  }
  return { items, problems, areas, measures };
}

/**
 * A shared ledger of the attack seed, inited by the superuser through rectify, with login roles
 * granted through `rectify grant`: admin, admin2 (admin), staff, staff2 (staff), viewer, and an
 * outsider that may only CONNECT.
 */
export async function makeLedger(): Promise<Ledger> {
  const t = tempDir('rectify-attack-');
  const seed = join(t.dir, 'seed.yaml');
  writeFileSync(seed, seedText());
  const url = await freshLedgerUrl();
  const db = await testDatabase();
  const schema = new URL(url).searchParams.get('schema')!;
  const users = await fileUsers();
  const address = (user: string | null) => (user === null ? url : asUser(url, user));
  const envOf = (user: string | null, by: string, env: Record<string, string | undefined> = {}) => ({
    RECTIFY_DB: address(user), RECTIFY_USER: by, RECTIFY_TODAY: TODAY, PGPASSWORD: undefined, ...env,
  });
  const cli = (user: string | null, args: string[], by = user ?? '书记', env?: Record<string, string | undefined>) =>
    rectify(args, { cwd: t.dir, env: envOf(user, by, env) });
  const cliAsync = (user: string | null, args: string[], by = user ?? '书记', env?: Record<string, string | undefined>) =>
    rectifyAsync(args, { cwd: t.dir, env: envOf(user, by, env) });
  const inproc = (user: string | null, args: string[], by = user ?? '书记') => inProcess(args, envOf(user, by));
  const init = await inproc(null, ['init', seed]);
  expect(init.code, init.stderr).toBe(0);
  for (const [u, r] of [
    [users.admin, 'admin'], [users.admin2, 'admin'], [users.staff, 'staff'], [users.staff2, 'staff'], [users.viewer, 'viewer'],
  ] as const) {
    const g = await inproc(null, ['grant', u, r]);
    expect(g.code, g.stderr).toBe(0);
  }
  const connect = (user: string | null, opts: { searchPath?: string; params?: Record<string, string> } = {}): Sql => {
    const u = new URL(address(user));
    u.searchParams.delete('schema');
    const sql = postgres(u.toString(), {
      max: 1, onnotice: () => {}, fetch_types: false, idle_timeout: 0,
      connection: { search_path: opts.searchPath ?? `"${schema}"`, ...opts.params },
    }) as unknown as Sql;
    opened.push(sql);
    return sql;
  };
  const cached = new Map<string, Sql>();
  const attempt = (user: string | null, text: string) => {
    const key = user ?? '';
    if (!cached.has(key)) cached.set(key, connect(user));
    return tryOn(cached.get(key)!, text);
  };
  // The oracle reads through rectify's own dispatcher in this process (no process to start).
  const dump = async () => {
    const r = await inProcess(['export', '--format', 'jsonl'], envOf(null, 'x'));
    expect(r.code, `export as the superuser: ${r.stderr}`).toBe(0);
    return parseDump(r.stdout);
  };
  const figures = async () => {
    const r = await inProcess(['status', '--json'], envOf(null, 'x'));
    expect(r.code, `status as the superuser: ${r.stderr}`).toBe(0);
    return shownFigures(r.stdout);
  };
  cleanups.push(t.cleanup);
  const group = (r: Role) => `${db}_${schema}_${r}`;
  return { url, db, schema, dir: t.dir, users, group, cli, cliAsync, inproc, address, connect, attempt, dump, figures };
}

const FINISHED = new Set(['done', 'verified']);

/** What no ledger may ever show: an item whose state is not what its history says. */
export function inconsistencies(d: Dump): string[] {
  const bad: string[] = [];
  for (const it of d.items.values()) {
    if (FINISHED.has(it.status) !== (it.progress === 100)) bad.push(`${it.id}: ${it.status} at ${it.progress}%`);
    if (it.status === 'open' && it.progress !== 0) bad.push(`${it.id}: open at ${it.progress}%`);
    const h = it.history;
    if (h.length === 0) {
      bad.push(`${it.id}: no history`);
      continue;
    }
    const last = h[h.length - 1]!;
    if (last.status !== it.status || last.progress !== it.progress) {
      bad.push(`${it.id}: is ${it.status} ${it.progress}% but its history ends at ${last.status} ${last.progress}%`);
    }
    for (let i = 1; i < h.length; i++) {
      const prev = h[i - 1]!;
      const cur = h[i]!;
      for (const f of ['status', 'progress'] as const) {
        const c = cur.changes?.[f];
        if (c) {
          if (c[0] !== prev[f] || c[1] !== cur[f]) bad.push(`${it.id}#${i}: ${f} says ${JSON.stringify(c)} after ${String(prev[f])}, entry ${String(cur[f])}`);
        } else if (prev[f] !== cur[f]) {
          bad.push(`${it.id}#${i}: ${f} moved ${String(prev[f])}→${String(cur[f])} with no change recorded`);
        }
      }
    }
  }
  return bad;
}

/** Inconsistencies an attack added (those an earlier one left are its own finding). */
export function newInconsistencies(before: Dump, after: Dump): string[] {
  const known = new Set(inconsistencies(before));
  return inconsistencies(after).filter((x) => !known.has(x));
}

/** What `status --json` must show, rebuilt from the items themselves. */
export function rebuildFigures(d: Dump, today = TODAY) {
  const items = [...d.items.values()];
  const open = (s: string) => s === 'open' || s === 'in_progress';
  const count = (s: string) => items.filter((i) => i.status === s).length;
  const addressing = new Map<string, DumpItem[]>();
  for (const i of items) for (const p of i.addresses) addressing.set(p, [...(addressing.get(p) ?? []), i]);
  const rectified = (p: string) => (addressing.get(p) ?? []).length > 0 && (addressing.get(p) ?? []).every((i) => !open(i.status));
  const owners = new Map<string | null, number>();
  for (const i of items.filter((x) => open(x.status))) owners.set(i.owner, (owners.get(i.owner) ?? 0) + 1);
  return {
    items: {
      total: items.length, open: count('open'), inProgress: count('in_progress'), done: count('done'), verified: count('verified'),
      overdue: items.filter((i) => open(i.status) && i.due !== null && i.due < today).length,
    },
    areas: d.areas.map((a) => {
      const ps = d.problems.filter((p) => p.area === a).map((p) => p.id);
      return { id: a, problems: ps.length, rectified: ps.filter(rectified).length };
    }),
    measures: d.measures.map((m) => {
      const its = items.filter((i) => i.measure === m);
      return { id: m, items: its.length, done: its.filter((i) => !open(i.status)).length };
    }),
    owners: [...owners].map(([owner, n]) => ({ owner, open: n })).sort((a, b) => String(a.owner).localeCompare(String(b.owner))),
  };
}

/** The dashboard's figures as rectify shows them, in the shape rebuildFigures gives. */
export function shownFigures(statusJson: string) {
  const s = JSON.parse(statusJson) as {
    items: Record<string, number>;
    areas: { id: string; problems: number; rectified: number }[];
    measures: { id: string; items: number; done: number }[];
    owners: { owner: string | null; open: number }[];
  };
  return {
    items: s.items,
    areas: s.areas.map(({ id, problems, rectified }) => ({ id, problems, rectified })),
    measures: s.measures.map(({ id, items, done }) => ({ id, items, done })),
    owners: s.owners.map(({ owner, open }) => ({ owner, open })).sort((a, b) => String(a.owner).localeCompare(String(b.owner))),
  };
}

/**
 * What an attack left behind, judged against the dump before it: for each item whose state
 * moved, exactly `perItem` new entries (each by `dbUser`), none where nothing moved; the
 * entries there before are unchanged; and nothing inconsistent anywhere.
 */
export function newEntriesFaults(before: Dump, after: Dump, dbUser: string, perItem = 1): string[] {
  const bad: string[] = [];
  const stateOf = (i: DumpItem) => JSON.stringify([i.status, i.progress, i.evidence, i.owner, i.department, i.due, i.title, i.measure, i.addresses]);
  for (const [id, b] of before.items) {
    const a = after.items.get(id);
    if (!a) {
      bad.push(`${id}: gone`);
      continue;
    }
    const strip = (e: HistoryEntry) => JSON.stringify({ ...e, seq: undefined });
    const kept = a.history.slice(0, b.history.length).map(strip);
    if (JSON.stringify(kept) !== JSON.stringify(b.history.map(strip))) bad.push(`${id}: earlier history rewritten`);
    const added = a.history.slice(b.history.length);
    const moved = stateOf(a) !== stateOf(b);
    if (!moved && added.length > 0) bad.push(`${id}: ${added.length} entries without a change (${added.map((e) => `${e.action} by ${e.by}/${e.dbUser}`).join(', ')})`);
    if (moved && added.length !== perItem) bad.push(`${id}: changed ${stateOf(b)} → ${stateOf(a)} with ${added.length} new entries`);
    for (const e of added) if (e.dbUser !== dbUser) bad.push(`${id}: an entry recorded as ${String(e.dbUser)}, not ${dbUser}`);
  }
  for (const id of after.items.keys()) if (!before.items.has(id)) bad.push(`${id}: appeared`);
  const known = new Set(inconsistencies(before));
  return [...bad, ...inconsistencies(after).filter((x) => !known.has(x))];
}

/** The test server's address for a database and schema, as a login role (no password). */
export function PG_URL_FOR(db: string, schema: string, user: string): string {
  const u = new URL(PG_URL);
  u.pathname = `/${db}`;
  u.username = user;
  u.password = '';
  u.search = '';
  u.searchParams.set('schema', schema);
  return u.toString();
}
