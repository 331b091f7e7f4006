import type { Database } from '../../src/store/sqlite/driver.js';
import { describe, expect, it } from 'vitest';
import type { Param } from '../../src/store/sqlite/sql.js';
import { ITEM_FROM, historyQuery as sharedHistoryQuery, itemQuery as sharedItemQuery, recentQueries, sqlOf } from '../../src/store/sql.js';
import { statusSql } from '../../src/store/status.js';
import { SQLITE, Sql } from '../../src/store/sqlite/sql.js';
import { rebuildRollups } from '../../src/store/sqlite/tables.js';
import type { ItemChange } from '../../src/store/types.js';
import { fixtureSeed, fixtureStore, item, eachBackend, rows } from './helpers.js';

eachBackend((backend) => {
// Each change under the label the CLI gives it (the server checks the label against the change).
const set = (id: string, s: ItemChange['set'], action: ItemChange['action'] = 'edit'): ItemChange => ({ id, action, set: s, note: null });

describe('the status figures', () => {
  it('brief: the same totals and lists, without the rows of areas, measures and owners', async () => {
    const { store } = await fixtureStore();
    await store.write(() => store.applyChanges([
      set('M1.1', { status: 'done', progress: 100 }, 'done'),
      set('M2.1', { status: 'in_progress', progress: 50 }, 'progress'),
    ], 'u'));
    for (const [asOf, days] of [['2024-04-11', 7], ['2024-06-30', 0], ['2024-01-01', 30]] as const) {
      const full = await store.statusFigures(asOf, days, { listLimit: 2 });
      const brief = await store.statusFigures(asOf, days, { listLimit: 2, brief: true });
      expect(brief).toEqual({ ...full, areas: [], measures: [], owners: [] });
      expect(full.areas.length).toBeGreaterThan(0);
    }
    expect((await store.statusFigures('2024-04-11', 7, { brief: true })).problems).toEqual({ total: 5, rectified: 1 });
  });

  it('add up as counted by hand', async () => {
    const { store } = await fixtureStore();
    await store.write(() => store.applyChanges([
      set('M1.1', { status: 'done', progress: 100 }, 'done'),
      set('M2.1', { status: 'in_progress', progress: 50 }, 'progress'),
    ], 'u'));
    const f = await store.statusFigures('2024-04-11', 7);
    expect(f.report).toEqual(fixtureSeed().report);
    expect(f.items).toEqual({ total: 6, open: 4, inProgress: 1, done: 1, verified: 0, overdue: 2 });
    expect(f.problems).toEqual({ total: 5, rectified: 1 });
    expect(f.areas).toEqual([
      { id: 'A1', name: '理论学习', problems: 3, rectified: 1 },
      { id: 'A2', name: '政治素质', problems: 1, rectified: 0 },
      { id: 'A3', name: '能力本领', problems: 1, rectified: 0 },
    ]);
    expect(f.measures).toEqual([
      { id: 'M1', title: '深化学习意识', items: 4, done: 1 },
      { id: 'M2', title: '提高政治站位', items: 2, done: 0 },
    ]);
    expect(f.overdue).toEqual([
      { id: 'M1.3', title: 'title M1.3', owner: '李处长', due: '2024-02-01' },
      { id: 'M1.10', title: 'title M1.10', owner: null, due: '2024-04-10' },
    ]);
    expect(f.dueSoon).toEqual([{ id: 'M2.2', title: 'title M2.2', owner: '李处长', due: '2024-04-12' }]);
    expect(f.dueSoonTotal).toBe(1);
    expect(f.owners).toEqual([
      { owner: '李处长', open: 3, overdue: 1 },
      { owner: null, open: 1, overdue: 1 },
      { owner: '王局长', open: 1, overdue: 0 },
    ]);
  });

  it('follow sign-off and reopening', async () => {
    const { store } = await fixtureStore();
    await store.write(() => store.applyChanges([set('M1.1', { status: 'done', progress: 100 }, 'done')], 'u'));
    await store.write(() => store.applyChanges([set('M1.1', { status: 'verified' }, 'verify')], 'u'));
    let f = await store.statusFigures('2024-04-11', 7);
    expect(f.items).toMatchObject({ done: 0, verified: 1 });
    expect(f.measures[0]).toMatchObject({ items: 4, done: 1 });
    expect(f.problems.rectified).toBe(1);
    await store.write(() => store.applyChanges([set('M1.1', { status: 'in_progress' }, 'reopen')], 'u'));
    f = await store.statusFigures('2024-04-11', 7);
    expect(f.problems.rectified).toBe(0);
    expect(f.items.overdue).toBe(3);
    expect(f.overdue.map((o) => o.id)).toEqual(['M1.3', 'M1.1', 'M1.10']);
    // Equal on overdue: by name in binary order (李 U+674E before 王 U+738B), unassigned last.
    expect(f.owners).toEqual([
      { owner: '李处长', open: 3, overdue: 1 },
      { owner: '王局长', open: 2, overdue: 1 },
      { owner: null, open: 1, overdue: 1 },
    ]);
  });

  it('judge due soon from the day itself through that day plus N, and order equal due dates as listed', async () => {
    const { store } = await fixtureStore();
    await store.write(() => store.applyChanges([set('M2.1', { due: '2024-04-12' }, 'assign'), set('M1.2', { due: '2024-04-19' }, 'assign')], 'u'));
    expect((await store.statusFigures('2024-04-12', 7)).dueSoon.map((d) => d.id)).toEqual(['M2.1', 'M2.2', 'M1.2']);
    expect((await store.statusFigures('2024-04-12', 6)).dueSoon.map((d) => d.id)).toEqual(['M2.1', 'M2.2']);
    expect((await store.statusFigures('2024-04-13', 0)).dueSoon).toEqual([]);
    await store.write(() => store.applyChanges([set('M2.2', { due: '2024-04-10' }, 'assign')], 'u'));
    expect((await store.statusFigures('2024-04-11', 7)).overdue.map((d) => d.id)).toEqual(['M1.3', 'M1.1', 'M1.10', 'M2.2']);
  });

  it('list at most listLimit overdue and due-soon items, with whole totals', async () => {
    const { store } = await fixtureStore();
    const f = await store.statusFigures('2024-04-11', 30, { listLimit: 1 });
    expect(f.items.overdue).toBe(3);
    expect(f.overdue.map((o) => o.id)).toEqual(['M1.3']);
    expect(f.dueSoonTotal).toBe(2);
    expect(f.dueSoon.map((o) => o.id)).toEqual(['M2.2']);
  });

  it('are all zero for an empty ledger', async () => {
    const { store } = await fixtureStore();
    const empty = fixtureSeed();
    empty.measures = [{ id: 'M1', title: 't', detail: null, items: [] }];
    await store.write(() => store.importSeed(empty, { dryRun: false, prune: true, actor: 'x' }));
    const f = await store.statusFigures('2024-04-11', 7);
    expect(f.items).toEqual({ total: 0, open: 0, inProgress: 0, done: 0, verified: 0, overdue: 0 });
    expect(f.measures).toEqual([{ id: 'M1', title: 't', items: 0, done: 0 }]);
    expect(f.owners).toEqual([]);
    expect(f.problems).toEqual({ total: 5, rectified: 0 });
  });
});

describe('the roll-ups behind the figures', () => {
  async function rollups(db: Database) {
    return {
      measures: await rows(db, 'SELECT id, items, done FROM measures ORDER BY key'),
      owners: await rows(db, 'SELECT owner, status, n FROM owner_counts ORDER BY 1, 2'),
      due: await rows(db, 'SELECT due, owner, n FROM due_counts ORDER BY 1, 2'),
      problems: await rows(db, 'SELECT id, items, unfinished FROM problems ORDER BY key'),
    };
  }
  async function recomputed(db: Database) {
    if (backend === 'pg') {
      // Counted afresh from the items, as rebuildRollups does on a file.
      const open = `i.status IN ('open', 'in_progress')`;
      return {
        measures: await rows(db, `SELECT m.id, CAST(count(i.key) AS integer) AS items,
            CAST(count(i.key) FILTER (WHERE i.status IN ('done', 'verified')) AS integer) AS done
            FROM measures m LEFT JOIN items i ON i.measure = m.key GROUP BY m.key, m.id ORDER BY m.key`),
        owners: await rows(db, `SELECT coalesce(owner, '') AS owner, status, CAST(count(*) AS integer) AS n FROM items GROUP BY 1, 2 ORDER BY 1, 2`),
        due: await rows(db, `SELECT due, coalesce(owner, '') AS owner, CAST(count(*) AS integer) AS n FROM items i
            WHERE ${open} AND due IS NOT NULL GROUP BY 1, 2 ORDER BY 1, 2`),
        problems: await rows(db, `SELECT p.id, CAST(count(i.key) AS integer) AS items,
            CAST(count(i.key) FILTER (WHERE ${open}) AS integer) AS unfinished
            FROM problems p LEFT JOIN item_problems ip ON ip.problem = p.key LEFT JOIN items i ON i.key = ip.item
           GROUP BY p.key, p.id ORDER BY p.key`),
      };
    }
    db.exec('SAVEPOINT recompute');
    try {
      rebuildRollups(new Sql(db));
      return await rollups(db);
    } finally {
      db.exec('ROLLBACK TO recompute');
      db.exec('RELEASE recompute');
    }
  }

  it('match a recount after seeding, changes, adds, imports, prunes and undos', async () => {
    const { store, db } = await fixtureStore();
    expect(await rollups(db)).toEqual(await recomputed(db));
    await store.write(() => store.applyChanges([set('M1.3', { status: 'done', progress: 100 }, 'done')], 'u'));
    await store.write(() => store.applyChanges([set('M1.3', { status: 'verified' }, 'verify')], 'u'));
    await store.write(() => store.applyChanges([set('M1.3', { owner: '孙' }, 'assign')], 'u'));
    await store.write(() => store.applyChanges([set('M1.1', { owner: '赵' }, 'assign'), set('M2.1', { owner: null }, 'assign')], 'u'));
    await store.write(() => store.applyChanges([
      set('M1.1', { status: 'done', progress: 100 }, 'done'),
      set('M1.2', { addresses: ['P3.1'] }),
      set('M2.1', { status: 'in_progress' }, 'progress'),
    ], 'u'));
    expect(await rollups(db)).toEqual(await recomputed(db));
    await store.write(() => store.undo('u'));
    expect(await rollups(db)).toEqual(await recomputed(db));
    await store.write(() => store.addItem({ measure: 'M2', title: 't', detail: null, addresses: ['P1.3', 'P2.1'], owner: '赵', department: null, due: null, term: 'deadline' }, 'u'));
    expect(await rollups(db)).toEqual(await recomputed(db));
    const seed = fixtureSeed();
    const moved = seed.measures[0]!.items.splice(1, 1)[0]!; // M1.2 to M2, addressing P1.2 only
    moved.addresses = ['P1.2'];
    moved.owner = '钱';
    seed.measures[1]!.items.push(moved, item('M2.5', { addresses: ['P1.1'] }));
    seed.measures[0]!.items.pop(); // M1.3, seed-only: pruned
    await store.write(() => store.importSeed(seed, { dryRun: false, prune: true, actor: 'i' }));
    expect(await rollups(db)).toEqual(await recomputed(db));
    await store.write(() => store.applyChanges([set('M1.10', { status: 'done', progress: 100 }, 'done')], 'v'));
    await store.write(() => store.applyChanges([set('M1.10', { status: 'verified' }, 'verify')], 'v'));
    await store.write(() => store.undo('v'));
    expect(await rollups(db)).toEqual(await recomputed(db));
    await store.write(() => store.undo('v'));
    expect(await rollups(db)).toEqual(await recomputed(db));
    expect((await rollups(db)).owners.length).toBeGreaterThan(3);
    expect((await rollups(db)).due.length).toBeGreaterThan(3);
  });
});

describe.runIf(backend === 'sqlite')('the hot queries', () => {
  const STATUS_SQL = statusSql(SQLITE);
  const itemQuery = (f: Parameters<typeof sharedItemQuery>[1]) => {
    const q = sharedItemQuery(SQLITE, f);
    return { sql: q.text, params: q.params as Param[] };
  };
  const historyQuery = (f: Parameters<typeof sharedHistoryQuery>[1]) => {
    const q = sharedHistoryQuery(SQLITE, f);
    return { sql: q.text, params: q.params as Param[] };
  };
  const keys = SQLITE.inKeys('i.key', Array.from({ length: 500 }, (_, n) => n + 1));
  const itemsByKey = `SELECT ${sqlOf(SQLITE).ITEM_COLUMNS} FROM ${ITEM_FROM} WHERE ${keys.text}`;
  function plan(db: Database, sql: string, params: Param[]): string {
    return (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as { detail: string }[]).map((r) => r.detail).join('\n');
  }
  /** A full pass over the items table (or over an index of all items) reads every item. */
  const SCANS_ITEMS = /\bSCAN (i|items)\b/;

  it('find overdue and due-soon items through the partial index by due date, never scanning items', async () => {
    const { db } = await fixtureStore();
    for (const [sql, params] of [
      [STATUS_SQL.overdue, ['2024-04-11', 10]],
      [STATUS_SQL.dueSoon, ['2024-04-11', '2024-04-18', 10]],
    ] as const) {
      const p = plan(db, sql, [...params]);
      // The order is found in the index alone; only the items listed are read.
      expect(p).toMatch(/SEARCH i USING COVERING INDEX items_open_due \(due[<>]/);
      expect(p).toMatch(/SEARCH m USING COVERING INDEX measures_position \(key=\?\)/);
      expect(p).toMatch(/SEARCH i USING INTEGER PRIMARY KEY \(rowid=\?\)/);
      expect(p).not.toMatch(SCANS_ITEMS);
    }
  });

  it('count overdue and due-soon items by day from the roll-up, a range of it', async () => {
    const { db } = await fixtureStore();
    expect(plan(db, STATUS_SQL.ownersOverdue, ['2024-04-11'])).toMatch(/SEARCH due_counts USING PRIMARY KEY \(due<\?\)/);
    expect(plan(db, STATUS_SQL.dueSoonCount, ['2024-04-11', '2024-04-18'])).toMatch(/SEARCH due_counts USING PRIMARY KEY \(due>\? AND due<\?\)/);
  });

  it('count items and problems from the roll-ups and the problems index, never from items or problem texts', async () => {
    const { db } = await fixtureStore();
    for (const sql of [STATUS_SQL.byStatus, STATUS_SQL.ownersOpen, STATUS_SQL.measures, STATUS_SQL.areas]) {
      expect(plan(db, sql, [])).not.toMatch(/\b(SCAN|SEARCH) (i|items)\b/);
    }
    const areas = plan(db, STATUS_SQL.areas, []);
    expect(areas).toMatch(/SEARCH p USING COVERING INDEX problems_rollup \(area=\?\)/);
    expect(areas).toMatch(/SEARCH p USING COVERING INDEX problems_rollup \(area=\? AND unfinished=\? AND items>\?\)/);
    expect(areas).not.toMatch(/TEMP B-TREE/);
    const measures = plan(db, STATUS_SQL.measures, []);
    expect(measures).toBe('SCAN m USING COVERING INDEX measures_listing');
  });

  it('list overdue items through the partial index, ordering them from the index alone', async () => {
    const { db } = await fixtureStore();
    const q = itemQuery({ overdueAsOf: '2024-04-11' });
    const p = plan(db, q.sql, q.params);
    expect(p).toMatch(/SEARCH i USING COVERING INDEX items_open_due \(due<\?\)/);
    expect(p).not.toMatch(SCANS_ITEMS);
    // Then only those items are read, by key.
    expect(plan(db, itemsByKey, keys.params as Param[])).toMatch(/SEARCH i USING INTEGER PRIMARY KEY \(rowid=\?\)/);
  });

  it('list all items in order by walking the listing index, without sorting them', async () => {
    const { db } = await fixtureStore();
    const q = itemQuery({});
    const p = plan(db, q.sql, q.params);
    expect(p).toMatch(/SEARCH i USING INDEX items_order \(measure=\?\)/);
    expect(p).not.toMatch(/TEMP B-TREE/);
  });

  it('find recent changes by people without reading what seeds recorded', async () => {
    const { db } = await fixtureStore();
    const q = historyQuery({ via: 'cli', since: '2024-04-01' });
    expect(plan(db, q.sql, q.params)).toMatch(/SEARCH h USING INDEX history_cli_day \(day>\?\)/);
    const byItem = historyQuery({ item: 'M1.1' });
    expect(plan(db, byItem.sql, byItem.params)).toMatch(/SEARCH h USING INDEX history_item \(item=\?\)/);
  });

  it('the newest few of a week walk the history backwards from its end to the week\'s first entry, without sorting the week', async () => {
    const { db } = await fixtureStore();
    const q = historyQuery({ via: 'cli', standing: true, since: '2024-04-01', until: '2024-04-07', limit: 5000 });
    const p = plan(db, q.sql, q.params);
    // From the days' first entry up to their last: not every later entry first.
    expect(p).toMatch(/SEARCH h USING INTEGER PRIMARY KEY \(rowid>\? AND rowid<\?\)/);
    expect(p).toMatch(/SEARCH history USING INDEX history_cli_day \(day>\? AND day<\?\)/);
    expect(p).not.toMatch(/TEMP B-TREE/);
  });

  it('status\'s week: its newest entries walked backwards between the days\' first and last entry, counted from the index and the history alone', async () => {
    const { db } = await fixtureStore();
    const q = recentQueries(SQLITE, '2024-04-01', '2024-04-07', 5000);
    const list = plan(db, q.list.text, q.list.params as Param[]);
    expect(list).toMatch(/SEARCH h USING INTEGER PRIMARY KEY \(rowid>\? AND rowid<\?\)/);
    expect(list).toMatch(/SEARCH history USING INDEX history_cli_day \(day>\? AND day<\?\)/);
    // Only the entries kept are joined to their items.
    expect(list).toMatch(/SEARCH i USING INTEGER PRIMARY KEY \(rowid=\?\)/);
    const count = plan(db, q.count.text, q.count.params as Param[]);
    expect(count).toMatch(/SEARCH h USING INDEX history_cli_day \(day>\? AND day<\?\)/);
    expect(count).not.toMatch(/\b(i|items)\b/);
  });
});
});
