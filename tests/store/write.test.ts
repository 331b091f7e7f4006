import { describe, expect, it } from 'vitest';
import type { ItemChange } from '../../src/store/types.js';
import { dump, expectRefused, fixtureSeed, fixtureStore, item, memoryStore, eachBackend, execRaw, rows } from './helpers.js';

eachBackend(() => {
const progress = (id: string, p: number, note: string | null = null): ItemChange => ({
  id, action: 'progress', set: { status: p === 100 ? 'done' : 'in_progress', progress: p }, note,
});

describe('applying changes', () => {
  it('sets the fields, bumps updatedAt, and records one entry with only what really changed', async () => {
    const { store } = await fixtureStore();
    const before = (await store.getItems(['M1.1'])).items[0]!;
    await store.write(() => store.applyChanges([{
      id: 'm1.1', action: 'assign', set: { owner: '赵主任', department: '办公室', due: '2024-06-30' }, note: '调整',
      pinFields: ['owner', 'department', 'due'],
    }], 'u'));
    const after = (await store.getItems(['M1.1'])).items[0]!;
    expect(after).toMatchObject({ owner: '赵主任', department: '办公室', due: '2024-06-30', status: 'open' });
    expect(after.updatedAt > before.updatedAt).toBe(true);
    expect(after.createdAt).toBe(before.createdAt);
    const [entry] = await store.history({ limit: 1 });
    expect(entry).toMatchObject({
      // A set due date moved later is an extension, whatever the change called it.
      item: 'M1.1', by: 'u', action: 'extend', status: 'open', progress: 0, note: '调整',
      changes: { owner: ['王局长', '赵主任'], due: ['2024-03-01', '2024-06-30'] },
    });
  });

  it('labels a change of a set due date by the dates on both backends: later extend, earlier assign', async () => {
    const { store } = await fixtureStore();
    const moved = async (action: 'assign' | 'extend', due: string) => {
      await store.write(() => store.applyChanges([{ id: 'M1.1', action, set: { due }, note: null }], 'u'));
      return (await store.history({ limit: 1 }))[0]!.action;
    };
    expect([await moved('extend', '2024-02-01'), await moved('assign', '2024-05-01'), await moved('extend', '2024-06-01')])
      .toEqual(['assign', 'extend', 'extend']);
    // A due date given where there was none, or a note alone, is no extension.
    await store.write(() => store.applyChanges([{ id: 'M2.1', action: 'extend', set: { due: '2024-09-30' }, note: null }], 'u'));
    expect((await store.history({ limit: 1 }))[0]).toMatchObject({ item: 'M2.1', action: 'assign' });
    await store.write(() => store.applyChanges([{ id: 'M2.2', action: 'extend', set: {}, note: '再议' }], 'u'));
    expect((await store.history({ limit: 1 }))[0]).toMatchObject({ item: 'M2.2', action: 'assign', note: '再议' });
  });

  it('records an entry for a note alone, with no changes', async () => {
    const { store } = await fixtureStore();
    await store.write(() => store.applyChanges([{ id: 'M2.1', action: 'progress', set: {}, note: '座谈会已开' }], 'u'));
    const [entry] = await store.history({ limit: 1 });
    expect(entry).toMatchObject({ item: 'M2.1', action: 'progress', note: '座谈会已开', changes: {}, status: 'open' });
  });

  it('can change an item\'s text and the problems it addresses', async () => {
    const { store } = await fixtureStore();
    await store.write(() => store.applyChanges([{
      id: 'M1.3', action: 'edit', set: { title: '新标题', detail: '新内容', addresses: ['p3.1', 'P1.1', 'p3.1'] }, note: null,
    }], 'u'));
    const d = (await store.itemDetail('M1.3'))!;
    expect(d).toMatchObject({ title: '新标题', detail: '新内容', addresses: ['P3.1', 'P1.1'] });
    expect(d.history.at(-1)!.changes).toEqual({
      title: ['title M1.3', '新标题'], detail: [null, '新内容'], addresses: [[], ['P3.1', 'P1.1']],
    });
  });

  it('treats an empty owner as nobody', async () => {
    const { store } = await fixtureStore();
    await store.write(() => store.applyChanges([{ id: 'M1.1', action: 'assign', set: { owner: '' }, note: null }], 'u'));
    expect((await store.getItems(['M1.1'])).items[0]!.owner).toBeNull();
  });

  it('changes all the items or none: an unknown id is exit 3 and nothing is written', async () => {
    const { store, db } = await fixtureStore();
    const before = await dump(db);
    await expectRefused(store.write(() => store.applyChanges([progress('M1.1', 50), progress('M9.9', 50)], 'u')), 'store.unknownItem', 3);
    expect(await dump(db)).toEqual(before);
  });

  // An item named twice (each read before its change) has one entry for the unit of work, as
  // any item changed twice in one: its state before against its state after, with what the last
  // change said.
  it('applies an item named twice, in two spellings, change after change; each entry with what its change said', async () => {
    const { store } = await fixtureStore();
    await store.write(() => store.applyChanges([
      progress('M1.1', 10, '同一'), progress('m1.2', 30, '同一'), progress('M1.2', 0, '再改'), progress('M1.3', 20, '同一'),
    ], 'u'));
    const entries = (await store.history({ limit: 3 })).reverse().map((e) => [e.item, e.progress, e.note, e.changes.progress]);
    expect(entries).toEqual([['M1.1', 10, '同一', [0, 10]], ['M1.2', 0, '再改', undefined], ['M1.3', 20, '同一', [0, 20]]]);
    // The second change is read after the first: back to 0 (read before it, 0 was no change).
    expect((await store.getItems(['M1.2'])).items[0]).toMatchObject({ progress: 0, status: 'in_progress' });
  });

  it('changes none when an id after good changes is unknown, named once each or twice', async () => {
    const { store, db } = await fixtureStore();
    const before = await dump(db);
    for (const changes of [[progress('M1.1', 50), progress('M1.2', 50), progress('M9.9', 50), progress('M1.3', 50)],
      [progress('M1.1', 50), progress('m1.1', 60), progress('M9.9', 50)]]) {
      await expectRefused(store.write(() => store.applyChanges(changes, 'u')), 'store.unknownItem', 3);
      expect(await dump(db)).toEqual(before);
    }
  });

  it('refuses an unknown problem among the addresses with exit 3', async () => {
    const { store } = await fixtureStore();
    await expectRefused(
      store.write(() => store.applyChanges([{ id: 'M1.1', action: 'edit', set: { addresses: ['P9.9'] }, note: null }], 'u')),
      'store.unknownProblem', 3,
    );
  });

  it('gives the entries of one write the same group, and separate writes separate groups', async () => {
    const { store, db } = await fixtureStore();
    await store.write(async () => {
      await store.applyChanges([progress('M1.1', 10)], 'u');
      await store.applyChanges([progress('M1.2', 10)], 'u');
    });
    await store.write(() => store.applyChanges([progress('M1.3', 10)], 'u'));
    // A bigint on a server (migration 35), which a plain connection reads as text.
    const groups = (await rows<{ grp: number | string }>(db, `SELECT grp FROM history WHERE via = 'cli' ORDER BY seq`)).map((g) => ({ grp: Number(g.grp) }));
    expect(groups[0]!.grp).toBe(groups[1]!.grp);
    expect(groups[2]!.grp).toBeGreaterThan(groups[1]!.grp);
  });
});

describe('write()', () => {
  it('rolls everything back when its work throws, and passes the error on', async () => {
    const { store, db } = await fixtureStore();
    const before = await dump(db);
    const boom = new Error('boom');
    await expect(store.write(async () => {
      await store.applyChanges([progress('M1.1', 40)], 'u');
      await store.addItem({ measure: 'M1', title: 't', detail: null, addresses: [], owner: 'x', department: null, due: null, term: 'deadline' }, 'u');
      throw boom;
    })).rejects.toBe(boom);
    expect(await dump(db)).toEqual(before);
    // The ledger works on as before.
    await store.write(() => store.applyChanges([progress('M1.1', 40)], 'u'));
    expect((await store.getItems(['M1.1'])).items[0]!.progress).toBe(40);
  });

  it('runs writes started together one after the other, never interleaved', async () => {
    const { store, db } = await fixtureStore();
    // Two items a write: a server records one entry per item a transaction, as a file does a command.
    const slow = (a: string, b: string) => store.write(async () => {
      await store.applyChanges([progress(a, 10)], 'u');
      await new Promise((r) => setTimeout(r, 5));
      await store.applyChanges([progress(b, 20)], 'u');
    });
    await Promise.all([slow('M1.1', 'M1.2'), slow('M1.3', 'M1.10')]);
    const got = await rows<{ grp: number; item: number }>(db, `SELECT grp, item FROM history WHERE via = 'cli' ORDER BY seq`);
    expect(got.map((r) => r.grp)).toEqual([got[0]!.grp, got[0]!.grp, got[2]!.grp, got[2]!.grp]);
    expect(got[0]!.grp).not.toBe(got[2]!.grp);
  });

  it('keeps the history append-only underneath', async () => {
    const { store, db } = await fixtureStore();
    await store.write(() => store.applyChanges([progress('M1.1', 10)], 'u'));
    await expect(execRaw(db, `UPDATE history SET note = 'x'`)).rejects.toThrow(/append-only|written by the ledger itself/);
    await expect(execRaw(db, `DELETE FROM history WHERE via = 'cli'`)).rejects.toThrow(/append-only|written by the ledger itself/);
  });
});

describe('adding items', () => {
  const newItem = (over: Partial<Parameters<Awaited<ReturnType<typeof fixtureStore>>['store']['addItem']>[0]> = {}) => ({
    measure: 'M1', title: '新增事项', detail: null, addresses: [], owner: null, department: null, due: null,
    term: 'deadline' as const, ...over,
  });

  it('numbers a new item one past the highest number its measure has had, spelled as the measure is', async () => {
    const { store } = await fixtureStore();
    expect(await store.write(() => store.addItem(newItem({ measure: 'm1' }), 'u'))).toBe('M1.11');
    expect(await store.write(() => store.addItem(newItem({ measure: 'M2' }), 'u'))).toBe('M2.3');
    expect(await store.write(() => store.addItem(newItem(), 'u'))).toBe('M1.12');
  });

  it('records the item as created from the command line, open, with the problems it addresses', async () => {
    const { store } = await fixtureStore();
    const id = await store.write(() => store.addItem(newItem({ addresses: ['p3.1'], owner: '钱', due: '2024-07-01', term: 'ongoing', detail: 'd' }), 'adder'));
    const d = (await store.itemDetail(id))!;
    expect(d).toMatchObject({
      id: 'M1.11', measure: 'M1', title: '新增事项', detail: 'd', addresses: ['P3.1'], owner: '钱', department: null,
      due: '2024-07-01', term: 'ongoing', status: 'open', progress: 0,
    });
    expect(d.history).toHaveLength(1);
    expect(d.history[0]).toMatchObject({ action: 'create', by: 'adder', status: 'open', progress: 0 });
    expect((await store.problemDetail('P3.1'))!.items.map((i) => i.id)).toEqual(['M1.11']);
  });

  it('counts ids of the measure\'s shape that sit under another measure, and skips ids other kinds hold', async () => {
    const { store } = await memoryStore();
    const seed = fixtureSeed();
    seed.measures[1]!.items.push(item('M1.20'));
    seed.areas[2]!.problems.push({ id: 'M2.3', title: 'a problem named like an item', detail: null });
    await store.write(() => store.createFromSeed(seed, 's'));
    expect(await store.write(() => store.addItem(newItem(), 'u'))).toBe('M1.21');
    expect(await store.write(() => store.addItem(newItem({ measure: 'M2' }), 'u'))).toBe('M2.4');
  });

  it('refuses an unknown measure or problem with exit 3', async () => {
    const { store } = await fixtureStore();
    await expectRefused(store.write(() => store.addItem(newItem({ measure: 'M9' }), 'u')), 'store.unknownMeasure', 3);
    await expectRefused(store.write(() => store.addItem(newItem({ addresses: ['P9'] }), 'u')), 'store.unknownProblem', 3);
  });
});

describe('undo', () => {
  it('reverts the actor\'s latest change and records the reversal as a change of its own', async () => {
    const { store } = await fixtureStore();
    await store.write(() => store.applyChanges([progress('M1.1', 40, '四成')], 'u'));
    await store.write(() => store.applyChanges([{
      id: 'M1.1', action: 'done', set: { status: 'done', progress: 100 }, note: '完成', evidence: ['纪要', '照片'],
    }], 'u'));
    const { reverted } = await store.write(() => store.undo('u'));
    expect(reverted.map((r) => [r.item, r.action, r.note])).toEqual([['M1.1', 'done', '完成']]);
    const d = (await store.itemDetail('M1.1'))!;
    expect(d).toMatchObject({ status: 'in_progress', progress: 40, evidence: [] });
    const last = d.history.at(-1)!;
    expect(last).toMatchObject({
      action: 'undo', by: 'u', status: 'in_progress', progress: 40,
      changes: { status: ['done', 'in_progress'], progress: [100, 40], evidence: [['纪要', '照片'], []] },
    });
    // Undo is recorded as data (which change it took back), worded only when shown.
    expect(last.note).toBeNull();
    expect(last.undoes).toMatchObject({ item: 'M1.1', action: 'done', by: 'u' });
  });

  it('steps back one change at a time, skipping undos and what is already undone', async () => {
    const { store } = await fixtureStore();
    await store.write(() => store.applyChanges([progress('M1.1', 10)], 'u'));
    await store.write(() => store.applyChanges([progress('M1.1', 20)], 'u'));
    await store.write(() => store.undo('u'));
    await store.write(() => store.undo('u'));
    expect((await store.getItems(['M1.1'])).items[0]).toMatchObject({ status: 'open', progress: 0 });
    // Both are undone; the undos themselves are not for undoing.
    await expectRefused(store.write(() => store.undo('u')), 'store.nothingToUndo', 4);
  });

  it('reverts a whole group: every item one write changed', async () => {
    const { store } = await fixtureStore();
    await store.write(() => store.applyChanges([progress('M1.1', 10), progress('M1.2', 20)], 'u'));
    const { reverted } = await store.write(() => store.undo('u'));
    expect(reverted.map((r) => r.item)).toEqual(['M1.1', 'M1.2']);
    expect((await store.getItems(['M1.1', 'M1.2'])).items.map((i) => i.progress)).toEqual([0, 0]);
  });

  it('puts back owner, due, addresses and the pins a change set', async () => {
    const { store } = await fixtureStore();
    // assign sets owner and due, edit the addresses (the server checks each label against the change).
    await store.write(() => store.applyChanges([{
      id: 'M1.1', action: 'assign', set: { owner: '赵', due: '2024-09-01' }, note: null, pinFields: ['owner', 'due'],
    }], 'u'));
    await store.write(() => store.applyChanges([{ id: 'M1.1', action: 'edit', set: { addresses: ['P3.1'] }, note: null }], 'u'));
    await store.write(() => store.undo('u'));
    expect((await store.getItems(['M1.1'])).items[0]).toMatchObject({ owner: '赵', due: '2024-09-01', addresses: ['P1.1', 'P1.3'] });
    await store.write(() => store.undo('u'));
    expect((await store.getItems(['M1.1'])).items[0]).toMatchObject({ owner: '王局长', due: '2024-03-01', addresses: ['P1.1', 'P1.3'] });
    // Unpinned again: the seed's owner is followed by an import.
    const seed = fixtureSeed();
    seed.measures[0]!.items[0]!.owner = '孙';
    const r = await store.write(() => store.importSeed(seed, { dryRun: false, prune: false, actor: 's' }));
    expect([...r.lines].find((l) => l.id === 'M1.1')).toMatchObject({ outcome: 'updated', fields: ['owner'], keptFromCli: {} });
  });

  it('says when there is nothing to undo', async () => {
    const { store } = await memoryStore();
    const e = await expectRefused(store.write(() => store.undo('nobody')), 'store.nothingToUndo', 4);
    expect(e.params).toEqual({ actor: 'nobody' });
  });

  it('refuses to undo creating items, from a seed or from add', async () => {
    const { store } = await fixtureStore();
    await expectRefused(store.write(() => store.undo('seeder')), 'store.notUndoable', 4);
    await store.write(() => store.addItem({ measure: 'M1', title: 't', detail: null, addresses: [], owner: null, department: null, due: null, term: 'deadline' }, 'u'));
    const e = await expectRefused(store.write(() => store.undo('u')), 'store.notUndoable', 4);
    expect(e.params).toMatchObject({ actor: 'u', action: 'create', item: 'M1.11' });
  });

  it('refuses when someone changed the item since, naming the item and who, and changes nothing', async () => {
    const { store, db } = await fixtureStore();
    await store.write(() => store.applyChanges([progress('M1.1', 10)], 'alice'));
    await store.write(() => store.applyChanges([progress('M1.1', 30)], 'bob'));
    const before = await dump(db);
    const e = await expectRefused(store.write(() => store.undo('alice')), 'store.undoConflict', 4);
    expect(e.params).toMatchObject({ item: 'M1.1', by: 'bob' });
    expect(await dump(db)).toEqual(before);
  });

  it('does not count a later change that was itself undone as a conflict', async () => {
    const { store } = await fixtureStore();
    await store.write(() => store.applyChanges([progress('M1.1', 10)], 'alice'));
    await store.write(() => store.applyChanges([progress('M1.1', 30)], 'bob'));
    await store.write(() => store.undo('bob'));
    await store.write(() => store.undo('alice'));
    expect((await store.getItems(['M1.1'])).items[0]).toMatchObject({ status: 'open', progress: 0 });
  });

  it('undoes only the actor\'s own changes', async () => {
    const { store } = await fixtureStore();
    await store.write(() => store.applyChanges([progress('M1.1', 10)], 'alice'));
    await store.write(() => store.applyChanges([progress('M1.2', 30)], 'bob'));
    await store.write(() => store.undo('alice'));
    expect((await store.getItems(['M1.1', 'M1.2'])).items.map((i) => i.progress)).toEqual([0, 30]);
  });
});
});
