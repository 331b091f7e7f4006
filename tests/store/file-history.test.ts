// A ledger file writes its history with its own triggers (migrations/005), as a server's guard
// does: rectify hands in only who, which command and why; a writer that goes round rectify with
// plain SQL still gets its entry (by '(sql)', its action told from what changed, as a server
// names a role's plain UPDATE), and cannot remove an item with work recorded.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { DumpRecord } from '../../src/core/dump.js';
import { openStore } from '../../src/store/index.js';
import type { Database } from '../../src/store/sqlite/driver.js';
import { Sql } from '../../src/store/sqlite/sql.js';
import { rebuildRollups } from '../../src/store/sqlite/tables.js';
import { atFileEnd } from '../helpers/file-hooks.js';
import { clock, eachBackend, expectRefused, fixtureSeed, fixtureStore, item, memoryStore, rows } from './helpers.js';

const UTC_TIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+00:00$/;

/** The roll-ups as the triggers keep them, and as counted afresh from the rows. */
function rollupsHold(db: Database): void {
  const read = () => ({
    measures: db.prepare('SELECT id, items, done FROM measures ORDER BY key').all(),
    owners: db.prepare('SELECT * FROM owner_counts ORDER BY 1, 2').all(),
    due: db.prepare('SELECT * FROM due_counts ORDER BY 1, 2').all(),
    problems: db.prepare('SELECT id, items, unfinished FROM problems ORDER BY key').all(),
  });
  const kept = read();
  db.exec('SAVEPOINT recount');
  rebuildRollups(new Sql(db));
  const counted = read();
  db.exec('ROLLBACK TO recount; RELEASE recount');
  expect(kept).toEqual(counted);
}

describe('a ledger file records what plain SQL changes', () => {
  it('an UPDATE of an item: one entry, by (sql), at the time in UTC, its action told from what changed', async () => {
    const { store, db } = await fixtureStore();
    const groups = () => (db.prepare(`SELECT value FROM counters WHERE name = 'group'`).get() as { value: number }).value;
    const group = groups();
    db.prepare(`UPDATE items SET status = 'done', progress = 100 WHERE id = 'M1.1'`).run();
    db.prepare(`UPDATE items SET owner = '赵' WHERE id = 'M1.2'`).run();
    db.prepare(`UPDATE items SET due = '2024-09-01' WHERE id = 'M1.3'`).run();
    db.prepare(`UPDATE items SET title = '新标题', detail = 'a "b"\\c	d' WHERE id = 'M2.1'`).run();
    db.prepare(`UPDATE items SET status = 'in_progress' WHERE id = 'M1.1'`).run();
    const last = async (id: string) => (await store.itemDetail(id))!.history.at(-1)!;
    expect(await last('M1.1')).toMatchObject({
      by: '(sql)', action: 'reopen', status: 'in_progress', progress: 100, note: null, changes: { status: ['done', 'in_progress'] },
    });
    expect((await store.itemDetail('M1.1'))!.history.map((h) => h.action)).toEqual(['create', 'done', 'reopen']);
    expect(await last('M1.2')).toMatchObject({ action: 'assign', changes: { owner: ['李处长', '赵'] } });
    expect(await last('M1.3')).toMatchObject({ action: 'extend', changes: { due: ['2024-02-01', '2024-09-01'] } });
    expect(await last('M2.1')).toMatchObject({ action: 'edit', changes: { title: ['title M2.1', '新标题'], detail: [null, 'a "b"\\c\td'] } });
    expect((await last('M2.1')).at).toMatch(UTC_TIME);
    // A group of its own for each statement's row, as each is a change of its own.
    const rows = db.prepare(`SELECT grp, via, pins_set, db_user FROM history WHERE by = '(sql)' ORDER BY seq`).all();
    expect(rows).toEqual([1, 2, 3, 4, 5].map((n) => ({ grp: group + n, via: 'cli', pins_set: 0, db_user: null })));
    rollupsHold(db);
  });

  it('no entry for an UPDATE that changes nothing; one for each row a statement changes', async () => {
    const { store, db } = await fixtureStore();
    const count = () => store.historyCount({});
    const before = await count();
    db.prepare(`UPDATE items SET title = title, updated_at = 'x'`).run();
    expect(await count()).toBe(before);
    db.prepare(`UPDATE items SET progress = 10, status = 'in_progress' WHERE measure = (SELECT key FROM measures WHERE id = 'M2')`).run();
    expect(await count()).toBe(before + 2);
    expect((await store.history({ limit: 2 })).map((h) => `${h.item} ${h.action}`)).toEqual(['M2.2 progress', 'M2.1 progress']);
  });

  it('addresses changed underneath: an entry each statement, the addresses before and after', async () => {
    const { store, db } = await fixtureStore();
    db.prepare(`DELETE FROM item_problems WHERE item = (SELECT key FROM items WHERE id = 'M1.1') AND pos = 1`).run();
    db.prepare(`INSERT INTO item_problems (item, pos, problem) SELECT i.key, 1, p.key FROM items i, problems p WHERE i.id = 'M1.1' AND p.id = 'P3.1'`).run();
    const h = (await store.itemDetail('M1.1'))!.history;
    expect(h.slice(1).map((e) => [e.action, e.changes])).toEqual([
      ['edit', { addresses: [['P1.1', 'P1.3'], ['P1.1']] }],
      ['edit', { addresses: [['P1.1'], ['P1.1', 'P3.1']] }],
    ]);
    rollupsHold(db);
  });

  it('a DELETE of an item with work recorded is refused; one without is remembered, its history gone with it', async () => {
    const { store, db } = await fixtureStore();
    await store.write(() => store.applyChanges([{ id: 'M1.1', action: 'progress', set: { status: 'in_progress', progress: 20 }, note: null }], 'u'));
    expect(() => db.prepare(`DELETE FROM items WHERE id = 'M1.1'`).run()).toThrow(/work recorded/);
    db.prepare(`DELETE FROM items WHERE id = 'M1.2'`).run();
    expect((await store.getItems(['M1.2'])).missing).toEqual(['M1.2']);
    expect(db.prepare(`SELECT by, id, title FROM removed`).all()).toEqual([{ by: '(sql)', id: 'M1.2', title: 'title M1.2' }]);
    expect(db.prepare(`SELECT count(*) AS n FROM history h WHERE NOT EXISTS (SELECT 1 FROM items i WHERE i.key = h.item)`).get()).toEqual({ n: 0 });
    expect(db.prepare('PRAGMA foreign_key_check').all()).toEqual([]);
    rollupsHold(db);
    // rectify's undo does not reach past it.
    await expectRefused(store.write(() => store.undo('(sql)')), 'store.undoRemoved', 4);
  });

  it('an undo of a group an earlier version wrote with two entries of one item: one entry, naming all the evidence', async () => {
    const { store, db } = await fixtureStore();
    await store.write(() => store.applyChanges([{ id: 'M1.1', action: 'progress', set: { status: 'in_progress', progress: 30 }, note: null }], 'u'));
    await store.write(() => store.applyChanges([{ id: 'M1.1', action: 'done', set: { status: 'done', progress: 100 }, note: null, evidence: ['a.pdf', 'b.pdf'] }], 'u'));
    // As a file wrote them before its triggers: both changes in one group.
    db.exec(`DROP TRIGGER history_no_update;
      UPDATE history SET grp = (SELECT min(grp) FROM history WHERE by = 'u') WHERE by = 'u';
      CREATE TRIGGER history_no_update BEFORE UPDATE ON history BEGIN SELECT RAISE(ABORT, 'history is append-only'); END;`);
    await store.write(() => store.undo('u'));
    const h = (await store.itemDetail('M1.1'))!;
    expect(h.evidence).toEqual([]);
    expect(h.history.at(-1)).toMatchObject({
      action: 'undo', status: 'open', progress: 0,
      changes: { status: ['done', 'open'], progress: [100, 0], evidence: [['a.pdf', 'b.pdf'], []] },
    });
    expect(h.history.filter((e) => e.action === 'undo')).toHaveLength(1);
  });

  it('leaves nothing of rectify\'s context behind, and the export reloads', async () => {
    const { store, db } = await fixtureStore();
    await store.write(() => store.applyChanges([{ id: 'M1.1', action: 'done', set: { status: 'done', progress: 100 }, note: '好', evidence: ['a.pdf'] }], 'u'));
    expect(db.prepare('SELECT (SELECT count(*) FROM change_context) + (SELECT count(*) FROM pending) AS n').get()).toEqual({ n: 0 });
    db.prepare(`UPDATE items SET progress = 50, status = 'in_progress' WHERE id = 'M2.2'`).run();
    const records: DumpRecord[] = [];
    for await (const r of store.dump()) records.push(r);
    const { store: copy } = await memoryStore();
    await copy.write(() => copy.restore((async function* () { yield* records; })(), 'x'));
    expect(await copy.exportLedger()).toEqual(await store.exportLedger());
  });
});

describe('a ledger file written by the sqlite3 shell (an older SQLite than rectify\'s)', () => {
  const shell = spawnSync('sqlite3', ['-version'], { encoding: 'utf8' });
  it.skipIf(shell.status !== 0)('parses the triggers and records the change', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rectify-shell-'));
    atFileEnd(() => rmSync(dir, { recursive: true, force: true }));
    const file = join(dir, 'l.db');
    const store = await openStore(file, { create: true, now: clock() });
    await store.write(() => store.createFromSeed(fixtureSeed(), 'seeder'));
    await store.close();
    const r = spawnSync('sqlite3', [file, `UPDATE items SET status = 'in_progress', progress = 40 WHERE id = 'M1.10';`], { encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    const again = await openStore(file, { create: false, now: clock() });
    expect((await again.itemDetail('M1.10'))!.history.at(-1)).toMatchObject({
      by: '(sql)', action: 'progress', changes: { status: ['open', 'in_progress'], progress: [0, 40] },
    });
    await again.close();
  });
});

// The same on both backends: the database writes the entries, one per item and unit of work.
eachBackend(() => {
  describe('the history written by the database', () => {
    it('gives an item an import adds its create entry, as the seed\'s, by the importer', async () => {
      const { store, db } = await fixtureStore();
      const seed = fixtureSeed();
      seed.measures[1]!.items.push(item('M2.9', { addresses: ['P1.1'] }));
      seed.measures[1]!.items[0]!.title = '改过的标题';
      await store.write(() => store.importSeed(seed, { dryRun: false, prune: false, actor: 'imp' }));
      const entries = await rows<{ id: string; by: string; action: string; via: string; changes: string }>(db,
        `SELECT i.id, h.by, h.action, h.via, h.changes FROM history h JOIN items i ON i.key = h.item WHERE h.by = 'imp' ORDER BY h.seq`);
      expect(entries).toEqual([
        { id: 'M2.1', by: 'imp', action: 'import', via: 'seed', changes: '{"title":["title M2.1","改过的标题"]}' },
        { id: 'M2.9', by: 'imp', action: 'create', via: 'seed', changes: '{}' },
      ]);
    });

    it('records an import\'s prune as no removal: the item goes with its history, and undo is not stopped by it', async () => {
      const { store, db } = await fixtureStore();
      await store.write(() => store.applyChanges([{ id: 'M2.1', action: 'assign', set: { owner: '钱' }, note: null, pinFields: ['owner'] }], 'imp'));
      const seed = fixtureSeed();
      seed.measures[0]!.items.pop(); // M1.3, seed-only
      const r = await store.write(() => store.importSeed(seed, { dryRun: false, prune: true, actor: 'imp' }));
      expect(r.totals.removed).toBe(1);
      expect(await rows(db, 'SELECT CAST(count(*) AS integer) AS n FROM removed')).toEqual([{ n: 0 }]);
      expect(await rows(db, `SELECT CAST(count(*) AS integer) AS n FROM history h WHERE NOT EXISTS (SELECT 1 FROM items i WHERE i.key = h.item)`))
        .toEqual([{ n: 0 }]);
      await store.write(() => store.undo('imp'));
      expect((await store.getItems(['M2.1'])).items[0]!.owner).toBe('王局长');
    });

    it('records one entry for an item changed twice in one unit of work: from before the first to after the last', async () => {
      const { store } = await fixtureStore();
      await store.write(() => store.applyChanges([
        { id: 'M1.2', action: 'progress', set: { status: 'in_progress', progress: 30 }, note: '第一次' },
        { id: 'M1.1', action: 'progress', set: { status: 'in_progress', progress: 10 }, note: null },
        { id: 'M1.2', action: 'progress', set: { progress: 60 }, note: '第二次' },
      ], 'u'));
      const h = await store.history({ via: 'cli' });
      expect(h.map((e) => [e.item, e.action, e.progress, e.note, e.changes])).toEqual([
        ['M1.1', 'progress', 10, null, { status: ['open', 'in_progress'], progress: [0, 10] }],
        ['M1.2', 'progress', 60, '第二次', { status: ['open', 'in_progress'], progress: [0, 60] }],
      ]);
    });
  });
});
