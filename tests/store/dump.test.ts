// Store.dump and Store.restore on SQLite: a ledger dumped and restored is the same ledger.
import { describe, expect, it } from 'vitest';
import type { DumpRecord } from '../../src/core/dump.js';
import type { SqliteStore } from '../../src/store/sqlite/store.js';
import { exportJson, toJson } from '../../src/ui/json.js';
import { clock, expectRefused, fixtureStore, memoryStore } from './helpers.js';

async function collect(it: AsyncIterable<DumpRecord>): Promise<DumpRecord[]> {
  const out: DumpRecord[] = [];
  for await (const r of it) out.push(r);
  return out;
}

async function* from(records: DumpRecord[]): AsyncGenerator<DumpRecord> {
  for (const r of records) yield r;
}

/** The fixture ledger with a working history: progress, evidence, pins, an undo, a sign-off. */
async function busyLedger(): Promise<SqliteStore> {
  const { store } = await fixtureStore();
  const w = (fn: () => Promise<unknown>) => store.write(fn);
  await w(() => store.applyChanges([{ id: 'M1.1', action: 'progress', set: { status: 'in_progress', progress: 40 }, note: '已部署' }], '王'));
  await w(() => store.applyChanges([{ id: 'M1.2', action: 'assign', set: { owner: '张三', due: '2024-07-01' }, note: null, pinFields: ['owner', 'due'] }], '秘书'));
  await w(() => store.applyChanges([
    { id: 'M1.3', action: 'done', set: { status: 'done', progress: 100 }, note: '完成', evidence: ['会议纪要.pdf', '签到表.xlsx'] },
    { id: 'M2.1', action: 'done', set: { status: 'done', progress: 100 }, note: null, evidence: ['照片'] },
  ], '李'));
  await w(() => store.applyChanges([{ id: 'M2.2', action: 'progress', set: { status: 'in_progress', progress: 10 }, note: null }], '赵'));
  await w(() => store.undo('赵'));
  await w(() => store.applyChanges([{ id: 'M1.3', action: 'verify', set: { status: 'verified' }, note: '销号' }], '纪委'));
  await w(() => store.addItem({ measure: 'M1', title: '新增事项', detail: null, addresses: ['P3.1'], owner: '钱', department: null, due: null, term: 'ongoing' }, '秘书'));
  return store;
}

describe('dump and restore', () => {
  it('restores a ledger whose export, dump and behaviour are the same as the original', async () => {
    const original = await busyLedger();
    const records = await collect(original.dump());
    expect(records[0]).toEqual({ kind: 'rectify', version: 1 });
    expect(records[1]?.kind).toBe('report');
    const m13 = records.find((r) => r.kind === 'item' && r.id === 'M1.3');
    expect(m13).toMatchObject({ status: 'verified', progress: 100, evidence: ['会议纪要.pdf', '签到表.xlsx'] });
    const m12 = records.find((r) => r.kind === 'item' && r.id === 'M1.2');
    expect(m12).toMatchObject({ pinned: ['owner', 'due'], owner: '张三' });
    expect(records.find((r) => r.kind === 'measure' && r.id === 'M1')).toMatchObject({ lastNumber: 11 });

    const { store: copy } = await memoryStore(clock(new Date(2030, 0, 1)));
    const summary = await copy.restore(from(records), 'someone');
    expect(summary).toEqual({ title: '某单位对照检查材料', areas: 3, problems: 5, measures: 2, items: 7 });

    expect(toJson(exportJson(await copy.exportLedger()))).toBe(toJson(exportJson(await original.exportLedger())));
    expect(await collect(copy.dump())).toEqual(records);
    expect(await copy.statusFigures('2024-04-15', 7)).toEqual(await original.statusFigures('2024-04-15', 7));

    // The next change behaves the same on both: the next id, and undo of the same group.
    const add = (s: SqliteStore) => s.write(() => s.addItem({ measure: 'M1', title: 'x', detail: null, addresses: [], owner: null, department: null, due: null, term: 'deadline' }, 'u'));
    expect(await add(copy)).toBe(await add(original));
    const undo = async (s: SqliteStore, who: string) => {
      try {
        return (await s.write(() => s.undo(who))).reverted.map((h) => [h.seq, h.item, h.action]);
      } catch (e) {
        return String(e);
      }
    };
    expect(await undo(copy, '李')).toMatch(/纪委/);
    expect(await undo(copy, '李')).toEqual(await undo(original, '李'));
    const undone = await undo(copy, '纪委');
    expect(undone).toEqual([[expect.any(Number), 'M1.3', 'verify']]);
    expect(undone).toEqual(await undo(original, '纪委'));
    await expectRefused(copy.write(() => copy.undo('赵')), 'store.nothingToUndo', 4);
    await expectRefused(original.write(() => original.undo('赵')), 'store.nothingToUndo', 4);
  });

  it('gives a seed item one create entry by the actor, and refuses a ledger that is not empty', async () => {
    const { store } = await memoryStore();
    await store.restore(from([
      { kind: 'rectify', version: 1 },
      { kind: 'report', title: 'T', unit: null, date: null },
      { kind: 'area', id: 'A1', name: 'a' },
      { kind: 'problem', id: 'P1', area: 'A1', title: 'p', detail: null },
      { kind: 'measure', id: 'M1', title: 'm', detail: null, lastNumber: null },
      {
        kind: 'item', id: 'M1.7', measure: 'M1', title: 'i', detail: null, addresses: ['p1'], owner: null, department: null,
        due: '2024-05-01', term: 'deadline', status: 'open', progress: 0, evidence: [], pinned: [], createdAt: null, updatedAt: null, history: null,
      },
    ]), 'seeder');
    const detail = await store.itemDetail('M1.7');
    expect(detail?.addresses).toEqual(['P1']);
    expect(detail?.history.map((h) => [h.action, h.by])).toEqual([['create', 'seeder']]);
    expect(await store.write(() => store.addItem({ measure: 'M1', title: 'x', detail: null, addresses: [], owner: null, department: null, due: null, term: 'deadline' }, 'u'))).toBe('M1.8');
    await expectRefused(store.restore(from([{ kind: 'rectify', version: 1 }]), 'x'), 'store.notEmpty', 4);
  });

  it('writes nothing when the records stop with an error', async () => {
    const { store, db } = await memoryStore();
    async function* broken(): AsyncGenerator<DumpRecord> {
      yield { kind: 'rectify', version: 1 };
      yield { kind: 'report', title: 'T', unit: null, date: null };
      throw new Error('refused');
    }
    await expect(store.restore(broken(), 'x')).rejects.toThrow('refused');
    expect(db.prepare('SELECT count(*) AS n FROM report').get()).toEqual({ n: 0 });
    expect(db.prepare(`SELECT count(*) AS n FROM sqlite_schema WHERE name = 'items_id'`).get()).toEqual({ n: 1 });
  });
});

describe('dump and restore at size', () => {
  it('restores items with long histories and many addresses, batches of each table out of step', async () => {
    const { store } = await fixtureStore();
    // Many entries on few items, then many items: history batches fill before item batches.
    for (let round = 0; round < 120; round++) {
      await store.write(() => store.applyChanges([{ id: 'M1.1', action: 'progress', set: { status: 'in_progress', progress: round % 100 }, note: `第${round}次` }], 'u'));
    }
    for (let i = 0; i < 450; i++) {
      await store.write(() => store.addItem({ measure: 'M2', title: `事项${i}`, detail: null, addresses: ['P1.1', 'P1.2', 'P1.3', 'P2.1'], owner: null, department: null, due: null, term: 'deadline' }, 'u'));
    }
    const records = await collect(store.dump());
    const { store: copy } = await memoryStore();
    await copy.restore(from(records), 'x');
    expect(toJson(exportJson(await copy.exportLedger()))).toBe(toJson(exportJson(await store.exportLedger())));
  });
});

describe('dump and restore of removals', () => {
  it('keeps what rm removed, so that undo does not reach past it on the restored ledger either', async () => {
    const { store } = await fixtureStore();
    await store.write(() => store.applyChanges([{ id: 'M1.1', action: 'progress', set: { status: 'in_progress', progress: 10 }, note: null }], 'u'));
    const id = await store.write(() => store.addItem({ measure: 'M2', title: '误加', detail: null, addresses: [], owner: null, department: null, due: null, term: 'deadline' }, 'u'));
    await store.write(() => store.removeItems([id], 'u'));
    const records = await collect(store.dump());
    expect(records.filter((r) => r.kind === 'removed')).toEqual([expect.objectContaining({ kind: 'removed', id, title: '误加', by: 'u' })]);
    const { store: copy } = await memoryStore();
    await copy.restore(from(records), 'x');
    expect(await collect(copy.dump())).toEqual(records);
    const undo = async (s: SqliteStore) => {
      try {
        return (await s.write(() => s.undo('u'))).reverted.map((h) => h.item);
      } catch (e) {
        return (e as { key?: string }).key;
      }
    };
    const original = await undo(store);
    expect(original).toBe('store.undoRemoved');
    expect(await undo(copy)).toEqual(original);
  });
});
