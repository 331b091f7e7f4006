// Undo as data (migration 2 and after), items removed by mistake, and changes that change
// nothing: the store underneath `undo`, `rm`, `edit` and `assign`.
import { sqliteModule } from '../../src/store/sqlite/driver.js';

const { DatabaseSync: Database } = sqliteModule();
import { describe, expect, it } from 'vitest';
import { MIGRATIONS } from '../../src/store/sqlite/migrations/index.js';
import { migrate } from '../../src/store/sqlite/open.js';
import { SqliteStore } from '../../src/store/sqlite/store.js';
import { clock, dump, eachBackend, execRaw, expectRefused, fixtureSeed, fixtureStore, rows } from './helpers.js';

describe('migration 2 (undo as data)', () => {
  it('links each old undo entry to the entry it reverted and drops the generated note', async () => {
    // A ledger as version 1 left it: an undo entry whose note says "撤销了 #3（verify）".
    const db = new Database(':memory:');
    db.exec('PRAGMA foreign_keys = ON');
    migrate(db, MIGRATIONS.slice(0, 1));
    const old = new SqliteStore(db, ':memory:', clock());
    await old.write(() => old.createFromSeed(fixtureSeed(), 'seeder'));
    const key = (db.prepare(`SELECT key FROM items WHERE id = 'M1.1'`).get() as { key: number }).key;
    const add = db.prepare(
      `INSERT INTO history (grp, at, by, item, action, status, progress, via, changes, note)
       VALUES (?, '2024-04-01T10:00:00.000+08:00', 'u', ?, ?, ?, ?, 'cli', ?, ?)`,
    );
    add.run(100, key, 'done', 'done', 100, '{"status":["open","done"]}', null);
    const verify = Number(add.run(101, key, 'verify', 'verified', 100, '{"status":["done","verified"]}', '同意销号').lastInsertRowid);
    const undo = Number(add.run(102, key, 'undo', 'done', 100, '{"status":["verified","done"]}', `撤销了 #${verify}（verify）`).lastInsertRowid);
    db.prepare('INSERT INTO undone (grp, by_grp) VALUES (101, 102)').run();

    migrate(db);
    const row = db.prepare('SELECT note, reverts FROM history WHERE seq = ?').get(undo);
    expect(row).toEqual({ note: null, reverts: verify });
    // The entry it reverted keeps its own note.
    expect(db.prepare('SELECT note FROM history WHERE seq = ?').get(verify)).toEqual({ note: '同意销号' });
    // History is still append-only afterwards.
    expect(() => db.prepare('UPDATE history SET note = NULL WHERE seq = ?').run(verify)).toThrow(/append-only/);

    const store = new SqliteStore(db, ':memory:', clock());
    const h = (await store.itemDetail('M1.1'))!.history;
    expect(h.at(-1)).toMatchObject({ action: 'undo', note: null, undoes: { item: 'M1.1', action: 'verify', by: 'u' } });
    expect(h.find((e) => e.action === 'verify')).toMatchObject({ undone: true });
  });
});

// Every backend keeps these.
eachBackend(() => {
describe('history that still stands', () => {
  it('leaves out undone changes and the undos themselves', async () => {
    const { store } = await fixtureStore();
    const set = (id: string, action: 'done' | 'verify', status: 'done' | 'verified', note: string | null) =>
      store.write(() => store.applyChanges([{ id, action, set: { status, progress: 100 }, note }], 'u'));
    await set('M1.1', 'done', 'done', null);
    await set('M1.1', 'verify', 'verified', '同意销号');
    await store.write(() => store.undo('u'));
    const all = await store.history({ via: 'cli' });
    expect(all.map((h) => h.action)).toEqual(['undo', 'verify', 'done']);
    const standing = await store.history({ via: 'cli', standing: true });
    expect(standing.map((h) => h.action)).toEqual(['done']);
    expect(await store.historyCount({ via: 'cli', standing: true })).toBe(1);
  });
});

describe('a change that changes nothing', () => {
  it('records nothing, so that undo takes back the real change', async () => {
    const { store } = await fixtureStore();
    const assign = (owner: string) =>
      store.write(() => store.applyChanges([{ id: 'M1.3', action: 'assign', set: { owner }, note: null, pinFields: ['owner'] }], 'u'));
    await assign('张三');
    await assign('张三');
    const h = (await store.itemDetail('M1.3'))!.history;
    expect(h.map((e) => e.action)).toEqual(['create', 'assign']);
    await store.write(() => store.undo('u'));
    expect((await store.getItems(['M1.3'])).items[0]!.owner).toBe('李处长');
  });

  it('an assign to the owner the item already has records nothing and changes nothing', async () => {
    const { store } = await fixtureStore();
    const before = { item: await store.getItems(['M1.3']), ledger: await store.exportLedger() };
    await store.write(() => store.applyChanges([{ id: 'M1.3', action: 'assign', set: { owner: '李处长' }, note: null }], 'u'));
    expect(await store.historyCount({ via: 'cli' })).toBe(0);
    // The item is as it was, its updatedAt too (a group number may have been drawn and left unused).
    expect({ item: await store.getItems(['M1.3']), ledger: await store.exportLedger() }).toEqual(before);
  });
});

describe('edit', () => {
  it('moves an item to another measure, and undo moves it back', async () => {
    const { store } = await fixtureStore();
    await store.write(() => store.applyChanges([{ id: 'M1.3', action: 'edit', set: { measure: 'M2', title: '新标题' }, note: null }], 'u'));
    expect((await store.getItems(['M1.3'])).items[0]).toMatchObject({ measure: 'M2', title: '新标题' });
    expect((await store.listItems({ measure: 'M2' })).map((i) => i.id)).toContain('M1.3');
    await store.write(() => store.undo('u'));
    expect((await store.getItems(['M1.3'])).items[0]).toMatchObject({ measure: 'M1', title: 'title M1.3' });
  });
});

describe('removeItems', () => {
  it('removes an item with only creation and edits, with its history, and remembers the removal', async () => {
    const { store, db } = await fixtureStore();
    const id = await store.write(() => store.addItem({
      measure: 'M1', title: '误加', detail: null, addresses: ['P1.1'], owner: null, department: null, due: null, term: 'deadline',
    }, 'u'));
    await store.write(() => store.applyChanges([{ id, action: 'edit', set: { title: '误加的事项' }, note: null }], 'u'));
    const problemItems = async () => (await rows<{ n: number }>(db, `SELECT items AS n FROM problems WHERE id = 'P1.1'`))[0]!.n;
    const problemsBefore = await problemItems();
    await store.write(() => store.removeItems([id], 'u'));
    expect(await store.lookup(id)).toBeNull();
    expect(await rows(db, `SELECT CAST(count(*) AS integer) AS n FROM history h WHERE NOT EXISTS (SELECT 1 FROM items i WHERE i.key = h.item)`)).toEqual([{ n: 0 }]);
    expect(await rows(db, 'SELECT id, title, by FROM removed')).toEqual([{ id, title: '误加的事项', by: 'u' }]);
    expect(await problemItems()).toBe(problemsBefore - 1);
    // Its number is never handed out again.
    const next = await store.write(() => store.addItem({
      measure: 'M1', title: '下一个', detail: null, addresses: [], owner: null, department: null, due: null, term: 'deadline',
    }, 'v'));
    expect(next).not.toBe(id);
    // Undo does not reach past the removal to an older change.
    const before = await dump(db);
    await expectRefused(store.write(() => store.undo('u')), 'store.undoRemoved' as never, 4);
    expect(await dump(db)).toEqual(before);
  });

  it('refuses undo past a removal even when the change before it is undoable, and lets another actor undo theirs', async () => {
    const { store, db } = await fixtureStore();
    await store.write(() => store.applyChanges([{ id: 'M1.1', action: 'progress', set: { status: 'in_progress', progress: 30 }, note: null }], 'u'));
    await store.write(() => store.applyChanges([{ id: 'M1.2', action: 'progress', set: { status: 'in_progress', progress: 20 }, note: null }], 'v'));
    const id = await store.write(() => store.addItem({
      measure: 'M2', title: '误加', detail: null, addresses: [], owner: null, department: null, due: null, term: 'deadline',
    }, 'u'));
    await store.write(() => store.removeItems([id], 'u'));
    await expectRefused(store.write(() => store.undo('u')), 'store.undoRemoved' as never, 4);
    expect((await store.getItems(['M1.1'])).items[0]).toMatchObject({ progress: 30, status: 'in_progress' });
    expect(await store.historyCount({ via: 'cli' })).toBe(2);
    // Someone else's last change is theirs to take back.
    await store.write(() => store.undo('v'));
    expect((await store.getItems(['M1.2'])).items[0]).toMatchObject({ progress: 0, status: 'open' });
    expect(await rows(db, 'SELECT id FROM removed')).toEqual([{ id }]);
  });

  it('refuses an item with recorded work, even taken back, and then removes nothing', async () => {
    const { store, db } = await fixtureStore();
    await store.write(() => store.applyChanges([{ id: 'M1.2', action: 'progress', set: { progress: 10, status: 'in_progress' }, note: null }], 'u'));
    await store.write(() => store.undo('u'));
    const before = await dump(db);
    await expectRefused(store.write(() => store.removeItems(['M1.3', 'M1.2'], 'u')), 'store.notRemovable' as never, 4);
    expect(await dump(db)).toEqual(before);
  });

  it('keeps the history of every item that is still there append-only', async () => {
    const { store, db } = await fixtureStore();
    await expect(execRaw(db, `DELETE FROM history WHERE via = 'cli'`)).resolves.toBeUndefined();
    await store.write(() => store.applyChanges([{ id: 'M1.1', action: 'assign', set: { owner: '王' }, note: null }], 'u'));
    await expect(execRaw(db, `DELETE FROM history WHERE via = 'cli'`)).rejects.toThrow(/append-only|written by the ledger itself/);
    expect(await store.historyCount({ via: 'cli' })).toBe(1);
  });
});

});
