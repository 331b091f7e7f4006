// Small ledgers built in code for the store tests (the seed parser is tested elsewhere).
// The tests are one contract for every store: eachBackend() runs them on a SQLite ledger in
// memory and, when RECTIFY_TEST_PG names a server, on a PostgreSQL ledger in a fresh schema.
import type { Database } from '../../src/store/sqlite/driver.js';
import { afterAll, beforeAll, describe, expect } from 'vitest';
import type { Seed, SeedItem } from '../../src/core/types.js';
import { RectifyError } from '../../src/errors.js';
import type { MessageKey } from '../../src/i18n/index.js';
import { openStore } from '../../src/store/index.js';
import { openDatabase } from '../../src/store/sqlite/open.js';
import { SqliteStore } from '../../src/store/sqlite/store.js';
import type { Store } from '../../src/store/types.js';
import { atFileEnd, atTestEnd } from '../helpers/file-hooks.js';
import { HAS_PG, dbSql, freshLedgerUrl } from '../helpers/pg.js';

export type Backend = 'sqlite' | 'pg';
export const BACKENDS: Backend[] = HAS_PG ? ['sqlite', 'pg'] : ['sqlite'];
let current: Backend = 'sqlite';

/** The backend the running test uses. */
export function backend(): Backend {
  return current;
}

/** Runs the tests `body` declares once per backend. */
export function eachBackend(body: (b: Backend) => void): void {
  for (const b of BACKENDS) {
    describe(b === 'pg' ? 'on PostgreSQL' : 'on SQLite', () => {
      beforeAll(() => {
        current = b;
      });
      afterAll(() => {
        current = 'sqlite';
      });
      body(b);
    });
  }
}

/** On PostgreSQL the test's "db" is where its ledger lives, for dump(). */
export interface PgLedger {
  pgUrl: string;
  schema: string;
}

const openStores: Store[] = [];
atTestEnd(async () => {
  for (const s of openStores.splice(0)) await s.close().catch(() => {});
  // The server ledgers this test had, back to the spares unless it wrote underneath them.
  for (const url of inUse.splice(0)) if (!dirty.has(url)) spares.push(url);
});

/*
 * A fresh ledger on a server costs about half a second of the server's time (its schema, roles,
 * guard and summary are made in one transaction), and the store tests ask for one in almost
 * every test. A ledger a test is done with is therefore put back as it was made: every row
 * of its tables, and its row in the database's summary, as they were right after it was made,
 * and its sequences where they stood. Only rows: the schema, the roles and the guard are the
 * ones made for it and were not touched (a test that ran SQL of its own underneath a ledger
 * marks it dirty, and it is not used again). tests/store/reuse.test.ts checks that a ledger
 * put back cannot be told from a new one.
 */
interface Ledgers {
  /** Right after it was made. */
  empty: Made;
  /** With the fixture loaded on the default clock, once a test asked for it. */
  fixture?: Made;
}
interface Made {
  tables: Record<string, unknown[]>;
  sequences: Record<string, { last: string; called: boolean }>;
  summary: Record<string, unknown[]>;
  /** How often making it read the test's clock. */
  clockReadings: number;
}
const made = new Map<string, Ledgers>();
const spares: string[] = [];
const inUse: string[] = [];
const dirty = new Set<string>();

async function ledgerState(url: string): Promise<Omit<Made, 'clockReadings'>> {
  const schema = new URL(url).searchParams.get('schema')!;
  const sql = await dbSql();
  try {
    const out: Omit<Made, 'clockReadings'> = { tables: {}, sequences: {}, summary: {} };
    const rel = await sql.unsafe<{ name: string; kind: string }[]>(
      `SELECT relname AS name, relkind::text AS kind FROM pg_class WHERE relnamespace = to_regnamespace($1) AND relkind IN ('r', 'S') ORDER BY 1`,
      [`"${schema}"`],
    );
    for (const { name, kind } of rel) {
      if (kind === 'r') {
        out.tables[name] = (await sql.unsafe<{ rows: unknown[] }[]>(`SELECT coalesce(json_agg(t ORDER BY t::text), '[]') AS rows FROM "${schema}"."${name}" t`))[0]!.rows;
      } else {
        const [v] = await sql.unsafe<{ last: string; called: boolean }[]>(`SELECT last_value::text AS last, is_called AS called FROM "${schema}"."${name}"`);
        out.sequences[name] = v!;
      }
    }
    for (const t of ['ledgers', 'due']) {
      const [r] = await sql.unsafe<{ rows: unknown[] | null }[]>(
        `SELECT coalesce(json_agg(t ORDER BY t::text), '[]') AS rows FROM rectify_overview.${t} t WHERE ledger = $1`, [schema],
      ).catch(() => [{ rows: null }]);
      if (r?.rows) out.summary[t] = r.rows;
    }
    return out;
  } finally {
    await sql.end();
  }
}

/** The ledger at url back as `made` holds it, in one transaction, its own triggers and checks
 *  held off while the rows are put back (session_replication_role: as superuser). */
async function putBack(url: string, state: Omit<Made, 'clockReadings'>): Promise<void> {
  const schema = new URL(url).searchParams.get('schema')!;
  const sql = await dbSql();
  try {
    await sql.begin(async (tx) => {
      await tx.unsafe(`SET LOCAL session_replication_role = replica`);
      for (const [name, rows] of Object.entries(state.tables)) {
        await tx.unsafe(`DELETE FROM "${schema}"."${name}"`);
        if (!rows.length) continue;
        const cols = (await tx.unsafe<{ c: string }[]>(
          `SELECT string_agg(quote_ident(column_name), ', ' ORDER BY ordinal_position) AS c FROM information_schema.columns
            WHERE table_schema = $1 AND table_name = $2 AND is_generated = 'NEVER'`, [schema, name],
        ))[0]!.c;
        await tx.unsafe(`INSERT INTO "${schema}"."${name}" (${cols}) OVERRIDING SYSTEM VALUE
          SELECT ${cols} FROM json_populate_recordset(NULL::"${schema}"."${name}", $1::text::json)`, [JSON.stringify(rows)]);
      }
      for (const [name, { last, called }] of Object.entries(state.sequences)) {
        await tx.unsafe(`SELECT setval($1::regclass, $2::bigint, $3)`, [`"${schema}"."${name}"`, last, called]);
      }
      for (const [t, rows] of Object.entries(state.summary)) {
        await tx.unsafe(`DELETE FROM rectify_overview.${t} WHERE ledger = $1`, [schema]);
        if (rows.length) await tx.unsafe(`INSERT INTO rectify_overview.${t} SELECT * FROM json_populate_recordset(NULL::rectify_overview.${t}, $1::text::json)`, [JSON.stringify(rows)]);
      }
    });
  } finally {
    await sql.end();
  }
}

/** Keeps a ledger of memoryStore() open for the rest of the file (for read-only tests that
 *  share one large ledger), instead of closing and reusing it after this test. */
export function keepForFile(store: Store, db: Database): void {
  openStores.splice(openStores.indexOf(store), 1);
  if ('pgUrl' in db) inUse.splice(inUse.indexOf((db as unknown as PgLedger).pgUrl), 1);
  kept.push(store);
}
const kept: Store[] = [];
atFileEnd(async () => {
  for (const s of kept.splice(0)) await s.close().catch(() => {});
  // The file's database goes with it (helpers/pg.ts): its ledgers are no one's to reuse.
  spares.length = 0;
  inUse.length = 0;
  made.clear();
  dirty.clear();
});

/** What a ledger on a server holds, for the test that a ledger put back is as good as new. */
export const serverLedgerState = ledgerState;

/** A clock that moves on one minute at each reading, from 2024-04-01 09:00 local time. */
export function clock(start = new Date(2024, 3, 1, 9, 0, 0)): () => Date {
  let t = start.getTime();
  return () => {
    const d = new Date(t);
    t += 60_000;
    return d;
  };
}

export function item(id: string, over: Partial<SeedItem> = {}): SeedItem {
  return {
    id, title: `title ${id}`, detail: null, addresses: [], owner: null, department: null, due: null,
    term: 'deadline', ...over,
  };
}

/**
 * The fixture ledger:
 *   A1 理论学习: P1.1, P1.2, P1.3   A2 政治素质: P2.1   A3 能力本领: P3.1 (addressed by nothing)
 *   M1: M1.1 [P1.1, P1.3] 王 03-01 · M1.2 [P1.1, P1.2] 李 05-01 · M1.3 李 02-01 · M1.10 [P2.1] nobody 04-10
 *   M2: M2.1 [P2.1] 王 no due, ongoing · M2.2 李 04-12 immediate
 */
export function fixtureSeed(): Seed {
  return {
    version: 1,
    report: { title: '某单位对照检查材料', unit: '某单位领导班子', date: '2024-01-15' },
    areas: [
      {
        id: 'A1', name: '理论学习',
        problems: [
          { id: 'P1.1', title: '学习不够深入', detail: '被动学习较多' },
          { id: 'P1.2', title: '制度尚需完善', detail: null },
          { id: 'P1.3', title: '督促不够', detail: null },
        ],
      },
      { id: 'A2', name: '政治素质', problems: [{ id: 'P2.1', title: '监督检查尚不深入', detail: null }] },
      { id: 'A3', name: '能力本领', problems: [{ id: 'P3.1', title: '统筹规划有待深化', detail: null }] },
    ],
    causes: [
      { id: 'C1', title: '理想信念不够坚定', detail: '……' },
      { id: 'C2', title: '宗旨意识有所淡化', detail: null },
    ],
    measures: [
      {
        id: 'M1', title: '深化学习意识', detail: '加强理论武装',
        items: [
          item('M1.1', { title: '落实第一议题制度', detail: '主动贯彻', addresses: ['P1.1', 'P1.3'], owner: '王局长', department: '办公室', due: '2024-03-01' }),
          item('M1.2', { addresses: ['P1.1', 'P1.2'], owner: '李处长', due: '2024-05-01' }),
          item('M1.10', { addresses: ['P2.1'], due: '2024-04-10' }),
          item('M1.3', { owner: '李处长', due: '2024-02-01' }),
        ],
      },
      {
        id: 'M2', title: '提高政治站位', detail: null,
        items: [
          item('M2.1', { addresses: ['P2.1'], owner: '王局长', term: 'ongoing' }),
          item('M2.2', { owner: '李处长', due: '2024-04-12', term: 'immediate' }),
        ],
      },
    ],
  };
}

/** An empty ledger: a SQLite store on ':memory:' with a handle on its database for looking
 *  underneath, or a PostgreSQL store in a fresh schema (db: where it is, for dump()). */
export async function memoryStore(now: () => Date = clock()): Promise<{ store: SqliteStore; db: Database }> {
  if (current === 'pg') return serverStore(now, false);
  const db = openDatabase(':memory:', true);
  return { store: new SqliteStore(db, ':memory:', now), db };
}

/** A ledger on the server: a spare put back as new (or, for the fixture on the default clock,
 *  as the fixture made it), else a new one. */
async function serverStore(now: () => Date, fixture: boolean): Promise<{ store: SqliteStore; db: Database }> {
  let url = spares.pop();
  let readings = 0;
  const counted = () => (readings++, now());
  let store: Store;
  const states = url ? made.get(url)! : undefined;
  if (url && states) {
    const state = (fixture && states.fixture) || states.empty;
    await putBack(url, state);
    store = await openStore(url, { create: false, now: counted });
    // The clock as it would stand after making it: making it read the clock.
    for (let i = 0; i < state.clockReadings; i++) counted();
    if (fixture && state !== states.fixture) {
      await store.write(() => store.createFromSeed(fixtureSeed(), 'seeder'));
      states.fixture = { ...await ledgerState(url), clockReadings: readings };
    }
  } else {
    url = await freshLedgerUrl();
    store = await openStore(url, { create: true, now: counted });
    await store.write(async () => {});
    const state: Ledgers = { empty: { ...await ledgerState(url), clockReadings: readings } };
    made.set(url, state);
    if (fixture) {
      await store.write(() => store.createFromSeed(fixtureSeed(), 'seeder'));
      state.fixture = { ...await ledgerState(url), clockReadings: readings };
    }
  }
  inUse.push(url);
  openStores.push(store);
  const pg: PgLedger = { pgUrl: url, schema: new URL(url).searchParams.get('schema')! };
  // Typed as the file's store for the tests that look underneath one; those that run on
  // every backend use only the Store interface.
  return { store: store as unknown as SqliteStore, db: pg as unknown as Database };
}

/** The fixture ledger, loaded by 'seeder'. */
export async function fixtureStore(now?: () => Date): Promise<{ store: SqliteStore; db: Database }> {
  // On a server, the fixture as the default clock made it is put back rather than made again.
  if (current === 'pg' && !now) return serverStore(clock(), true);
  const s = await memoryStore(now);
  await s.store.write(() => s.store.createFromSeed(fixtureSeed(), 'seeder'));
  return s;
}

export async function rejection(p: Promise<unknown>): Promise<RectifyError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(RectifyError);
    return e as RectifyError;
  }
  throw new Error('expected a RectifyError, but it succeeded');
}

export async function expectRefused(p: Promise<unknown>, key: MessageKey, exit: number): Promise<RectifyError> {
  const e = await rejection(p);
  expect({ key: e.key, exit: e.exit }).toEqual({ key, exit });
  return e;
}

/** Everything in the ledger, for "nothing changed" comparisons. */
export async function dump(db: Database): Promise<Record<string, unknown[]>> {
  if ('pgUrl' in db) {
    const { schema } = db as unknown as PgLedger;
    const sql = await dbSql();
    const names = await sql.unsafe(`SELECT table_name AS name FROM information_schema.tables WHERE table_schema = $1 ORDER BY 1`, [schema]);
    const out: Record<string, unknown[]> = {};
    for (const { name } of names as unknown as { name: string }[]) {
      out[name] = [...await sql.unsafe(`SELECT * FROM "${schema}"."${name}" ORDER BY 1`)];
    }
    await sql.end();
    return out;
  }
  const tables = db
    .prepare(`SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`)
    .all() as { name: string }[];
  const out: Record<string, unknown[]> = {};
  for (const { name } of tables) out[name] = db.prepare(`SELECT * FROM "${name}"`).all();
  return out;
}

/** Rows of a query run underneath the store, on either backend (portable SQL only). */
export async function rows<T = Record<string, unknown>>(db: Database, text: string): Promise<T[]> {
  if ('pgUrl' in db) {
    if (!/^\s*(SELECT|WITH)\b/i.test(text)) dirty.add((db as unknown as PgLedger).pgUrl);
    const { schema } = db as unknown as PgLedger;
    const sql = await dbSql();
    try {
      await sql.unsafe(`SET search_path = "${schema}"`);
      return [...await sql.unsafe(text)] as unknown as T[];
    } finally {
      await sql.end();
    }
  }
  return db.prepare(text).all() as T[];
}

/** A statement run underneath the store, on either backend; rejects as the database does. */
export async function execRaw(db: Database, text: string): Promise<void> {
  if ('pgUrl' in db) {
    dirty.add((db as unknown as PgLedger).pgUrl);
    await rows(db, text);
    return;
  }
  db.prepare(text).run();
}
