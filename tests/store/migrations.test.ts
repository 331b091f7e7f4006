import { pragma, sqliteModule } from '../../src/store/sqlite/driver.js';

const { DatabaseSync: Database } = sqliteModule();
import { describe, expect, it } from 'vitest';
import { ACTIONS, STATUSES, TERMS } from '../../src/core/vocab.js';
import { LATEST_VERSION, MIGRATIONS, type Migration } from '../../src/store/sqlite/migrations/index.js';
import { migrate } from '../../src/store/sqlite/open.js';
import { fixtureStore } from './helpers.js';

function fresh(): InstanceType<typeof Database> {
  const db = new Database(':memory:');
  db.exec('PRAGMA foreign_keys = ON');
  return db;
}

/** The definitions (not where they are stored: rootpage differs). */
const schema = (db: InstanceType<typeof Database>) =>
  db.prepare(`SELECT type, name, tbl_name, sql FROM sqlite_schema ORDER BY type, name`).all();

describe('the migrations', () => {
  it('are numbered 1, 2, 3 … in order, the last one being the version this code writes', () => {
    expect(MIGRATIONS.map((m) => m.version)).toEqual(MIGRATIONS.map((_, i) => i + 1));
    expect(LATEST_VERSION).toBe(MIGRATIONS.at(-1)!.version);
    expect(new Set(MIGRATIONS.map((m) => m.name)).size).toBe(MIGRATIONS.length);
  });

  it('build the whole schema from nothing and set user_version', () => {
    const db = fresh();
    migrate(db);
    expect(pragma(db, 'user_version')).toBe(LATEST_VERSION);
    const tables = (db.prepare(`SELECT name, strict FROM pragma_table_list WHERE schema = 'main' AND name NOT LIKE 'sqlite_%' ORDER BY name`).all() as { name: string; strict: number }[]);
    expect(tables.map((t) => t.name)).toEqual([
      'areas', 'causes', 'change_context', 'contacts', 'counters', 'due_counts', 'evidence', 'history', 'item_problems', 'items',
      'ledger', 'measures', 'notices', 'owner_counts', 'pending', 'problems', 'removed', 'report', 'undone',
    ]);
    expect(tables.filter((t) => t.strict !== 1)).toEqual([]);
  });

  it('change nothing when run again', () => {
    const db = fresh();
    migrate(db);
    const before = { schema: schema(db), counters: db.prepare('SELECT * FROM counters').all() };
    migrate(db);
    expect({ schema: schema(db), counters: db.prepare('SELECT * FROM counters').all() }).toEqual(before);
    expect(pragma(db, 'user_version')).toBe(LATEST_VERSION);
  });

  it('apply each step whole or not at all', () => {
    const db = fresh();
    const broken: Migration = {
      version: MIGRATIONS.length + 1,
      name: 'broken',
      up(d) {
        d.exec('CREATE TABLE half_done (x INTEGER) STRICT');
        throw new Error('step failed');
      },
    };
    expect(() => migrate(db, [...MIGRATIONS, broken])).toThrow('step failed');
    expect(pragma(db, 'user_version')).toBe(LATEST_VERSION);
    expect(db.prepare(`SELECT name FROM sqlite_schema WHERE name = 'half_done'`).all()).toEqual([]);
  });
});

describe('the schema', () => {
  function withItem() {
    const db = fresh();
    migrate(db);
    db.exec(`INSERT INTO measures (id, pos, title) VALUES ('M1', 0, 'm');
      INSERT INTO items (id, measure, num, term, created_at, updated_at, title) VALUES ('M1.1', 1, 1, 'deadline', 't', 't', 'x');`);
    return db;
  }

  it('allows exactly the statuses, terms and actions of the vocabulary', () => {
    const db = withItem();
    for (const s of STATUSES) expect(() => db.prepare('UPDATE items SET status = ?').run(s)).not.toThrow();
    for (const t of TERMS) expect(() => db.prepare('UPDATE items SET term = ?').run(t)).not.toThrow();
    expect(() => db.prepare('UPDATE items SET status = ?').run('closed')).toThrow(/CHECK/);
    expect(() => db.prepare('UPDATE items SET term = ?').run('someday')).toThrow(/CHECK/);
    const entry = db.prepare(`INSERT INTO history (grp, at, by, item, action, status, progress, via) VALUES (1, 't', 'u', 1, ?, 'open', 0, 'cli')`);
    for (const a of ACTIONS) expect(() => entry.run(a)).not.toThrow();
    expect(() => entry.run('delete')).toThrow(/CHECK/);
  });

  it('keeps progress within 0 to 100 and dates in their shape', () => {
    const db = withItem();
    expect(() => db.prepare('UPDATE items SET progress = 101').run()).toThrow(/CHECK/);
    expect(() => db.prepare('UPDATE items SET progress = -1').run()).toThrow(/CHECK/);
    expect(() => db.prepare(`UPDATE items SET due = '2024-6-1'`).run()).toThrow(/CHECK/);
    expect(() => db.prepare(`UPDATE items SET due = '2024-06-01'`).run()).not.toThrow();
  });

  it('holds every id once across areas, problems, causes, measures and items, in any spelling', () => {
    const db = withItem();
    expect(() => db.prepare(`INSERT INTO causes (id, pos, title) VALUES ('m1.1', 0, 'c')`).run()).toThrow(/another kind/);
    expect(() => db.prepare(`INSERT INTO areas (id, pos, name) VALUES ('M1', 0, 'a')`).run()).toThrow(/another kind/);
    expect(() => db.prepare(`INSERT INTO measures (id, pos, title) VALUES ('m1', 1, 'm')`).run()).toThrow(/UNIQUE/);
  });
});

describe('loading a big seed', () => {
  it('leaves the schema exactly as the migrations made it (its indexes and triggers are set aside meanwhile)', async () => {
    const migrated = fresh();
    migrate(migrated);
    const { db } = await fixtureStore();
    expect(schema(db)).toEqual(schema(migrated));
  });
});
