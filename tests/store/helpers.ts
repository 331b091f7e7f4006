// Small ledgers built in code for the store tests (the seed parser is tested elsewhere).
// The tests are one contract for every store: eachBackend() runs them on a SQLite ledger in
// memory and, when RECTIFY_TEST_PG names a server, on a PostgreSQL ledger in a fresh schema.
import type { Database } from 'better-sqlite3';
import { afterAll, afterEach, beforeAll, describe, expect } from 'vitest';
import type { Seed, SeedItem } from '../../src/core/types.js';
import { RectifyError } from '../../src/errors.js';
import type { MessageKey } from '../../src/i18n/index.js';
import { openStore } from '../../src/store/index.js';
import { openDatabase } from '../../src/store/sqlite/open.js';
import { SqliteStore } from '../../src/store/sqlite/store.js';
import type { Store } from '../../src/store/types.js';
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
afterEach(async () => {
  for (const s of openStores.splice(0)) await s.close().catch(() => {});
});

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
  if (current === 'pg') {
    const url = await freshLedgerUrl();
    const store = await openStore(url, { create: true, now });
    openStores.push(store);
    await store.write(async () => {});
    const pg: PgLedger = { pgUrl: url, schema: new URL(url).searchParams.get('schema')! };
    // Typed as the file's store for the tests that look underneath one; those that run on
    // every backend use only the Store interface.
    return { store: store as unknown as SqliteStore, db: pg as unknown as Database };
  }
  const db = openDatabase(':memory:', true);
  return { store: new SqliteStore(db, ':memory:', now), db };
}

/** The fixture ledger, loaded by 'seeder'. */
export async function fixtureStore(now: () => Date = clock()): Promise<{ store: SqliteStore; db: Database }> {
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
    await rows(db, text);
    return;
  }
  db.prepare(text).run();
}
