import { describe, expect, it } from 'vitest';
import type { Seed } from '../../src/core/types.js';
import type { ImportLine } from '../../src/store/types.js';
import { dump, expectRefused, fixtureSeed, fixtureStore, item, eachBackend } from './helpers.js';

type Store = Awaited<ReturnType<typeof fixtureStore>>['store'];

eachBackend(() => {
// The lines as an array (the store hands them as an iterable, made afresh at each reading).
const run = async (store: Store, seed: Seed, opts: { dryRun?: boolean; prune?: boolean } = {}) => {
  const r = await store.write(() => store.importSeed(seed, { dryRun: opts.dryRun ?? false, prune: opts.prune ?? false, actor: 'importer' }));
  return { ...r, lines: [...r.lines] };
};

const lineOf = (lines: ImportLine[], id: string) => lines.find((l) => l.id === id);

describe('importing the same seed again', () => {
  it('reports every id kept and records nothing', async () => {
    const { store, db } = await fixtureStore();
    const before = await dump(db);
    const r = await run(store, fixtureSeed());
    expect(r.totals).toEqual({ added: 0, updated: 0, kept: 18, left: 0, removed: 0 });
    expect(r.lines.map((l) => `${l.kind}:${l.id}`)).toEqual([
      'area:A1', 'area:A2', 'area:A3', 'problem:P1.1', 'problem:P1.2', 'problem:P1.3', 'problem:P2.1', 'problem:P3.1',
      'cause:C1', 'cause:C2', 'measure:M1', 'measure:M2',
      'item:M1.1', 'item:M1.2', 'item:M1.10', 'item:M1.3', 'item:M2.1', 'item:M2.2',
    ]);
    expect(r.lines.every((l) => l.outcome === 'kept' && l.fields.length === 0)).toBe(true);
    const after = await dump(db);
    // Only the group counter may move (a write was opened); no row of data changed.
    delete (before as Record<string, unknown>).counters;
    delete (after as Record<string, unknown>).counters;
    expect(after).toEqual(before);
  });
});

describe('importing a changed seed', () => {
  function changedSeed(): Seed {
    const seed = fixtureSeed();
    seed.report.title = '新标题';
    seed.areas[0]!.name = '理论学习（修订）';
    seed.areas.reverse(); // A3, A2, A1
    seed.areas.push({ id: 'A4', name: '新方面', problems: [{ id: 'P4.1', title: '新问题', detail: null }] });
    seed.areas[2]!.problems[1]!.title = '制度尚需完善（修订）'; // P1.2
    seed.causes[1]!.detail = '补充';
    const m1 = seed.measures[0]!;
    m1.items[0]!.title = '新的事项标题'; // M1.1
    m1.items[0]!.addresses = ['p4.1']; // M1.1, spelled differently
    m1.items[1]!.owner = '周'; // M1.2 owner
    const m13 = m1.items.splice(3, 1)[0]!; // M1.3 moves to M2
    seed.measures[1]!.items.push(m13, item('M2.9', { addresses: ['P4.1'] }));
    return seed;
  }

  it('adds, updates and keeps each id, saying which fields changed', async () => {
    const { store } = await fixtureStore();
    const r = await run(store, changedSeed());
    const show = (id: string) => { const l = lineOf(r.lines, id)!; return [l.outcome, l.fields]; };
    expect(show('A1')).toEqual(['updated', ['name', 'order']]);
    expect(show('A3')).toEqual(['updated', ['order']]);
    expect(show('A2')).toEqual(['kept', []]);
    expect(show('A4')).toEqual(['added', []]);
    expect(show('P4.1')).toEqual(['added', []]);
    expect(show('P1.2')).toEqual(['updated', ['title']]);
    expect(show('C2')).toEqual(['updated', ['detail']]);
    expect(show('M1')).toEqual(['kept', []]);
    expect(show('M1.1')).toEqual(['updated', ['title', 'addresses']]);
    expect(show('M1.2')).toEqual(['updated', ['owner']]);
    expect(show('M1.3')).toEqual(['updated', ['measure']]);
    expect(show('M2.9')).toEqual(['added', []]);
    expect(r.totals).toEqual({ added: 3, updated: 7, kept: 11, left: 0, removed: 0 });
  });

  it('follows the seed in the ledger, keeping status, progress and history', async () => {
    const { store } = await fixtureStore();
    await store.write(() => store.applyChanges([{ id: 'M1.1', action: 'progress', set: { status: 'in_progress', progress: 30 }, note: 'n' }], 'u'));
    await run(store, changedSeed());
    expect((await store.report()).title).toBe('新标题');
    expect((await store.problems()).map((p) => p.id)).toEqual(['P3.1', 'P2.1', 'P1.1', 'P1.2', 'P1.3', 'P4.1']);
    const m11 = (await store.itemDetail('M1.1'))!;
    expect(m11).toMatchObject({ title: '新的事项标题', addresses: ['P4.1'], status: 'in_progress', progress: 30 });
    expect(m11.history.map((h) => `${h.action}/${h.by}`)).toEqual(['create/seeder', 'progress/u', 'import/importer']);
    expect(m11.history[2]).toMatchObject({
      status: 'in_progress', progress: 30, note: null,
      changes: { title: ['落实第一议题制度', '新的事项标题'], addresses: [['P1.1', 'P1.3'], ['P4.1']] },
    });
    expect((await store.getItems(['M1.3'])).items[0]!.measure).toBe('M2');
    expect((await store.listItems({ measure: 'M2' })).map((i) => i.id)).toEqual(['M2.1', 'M2.2', 'M1.3', 'M2.9']);
    // Nothing but M1.1, M1.2 and M1.3 got an import entry.
    expect((await store.history({ via: 'seed' })).filter((h) => h.action === 'import').map((h) => h.item).sort())
      .toEqual(['M1.1', 'M1.2', 'M1.3']);
  });

  it('keeps owner, department, due and term set from the command line, and reports the difference', async () => {
    const { store } = await fixtureStore();
    await store.write(() => store.applyChanges([{
      id: 'M1.1', action: 'assign', set: { owner: '赵', due: '2024-08-01' }, note: null, pinFields: ['owner', 'due'],
    }], 'u'));
    const seed = fixtureSeed();
    const m11 = seed.measures[0]!.items[0]!;
    m11.owner = '孙';
    m11.due = '2024-08-01'; // the same as the ledger's: no difference to report
    m11.department = '综合科'; // not pinned: followed
    let r = await run(store, seed);
    expect(lineOf(r.lines, 'M1.1')).toEqual({
      kind: 'item', id: 'M1.1', outcome: 'updated', fields: ['department'], keptFromCli: { owner: ['赵', '孙'] },
    });
    expect((await store.getItems(['M1.1'])).items[0]).toMatchObject({ owner: '赵', department: '综合科', due: '2024-08-01' });
    // Again: nothing changes, the kept value is still reported.
    r = await run(store, seed);
    expect(lineOf(r.lines, 'M1.1')).toEqual({
      kind: 'item', id: 'M1.1', outcome: 'kept', fields: ['owner'], keptFromCli: { owner: ['赵', '孙'] },
    });
  });

  it('keeps what add set for a new item', async () => {
    const { store } = await fixtureStore();
    const id = await store.write(() => store.addItem({ measure: 'M2', title: 't', detail: null, addresses: [], owner: '钱', department: null, due: null, term: 'deadline' }, 'u'));
    const seed = fixtureSeed();
    seed.measures[1]!.items.push(item(id, { title: 't', owner: '孙', term: 'ongoing', department: '办公室' }));
    const r = await run(store, seed);
    expect(lineOf(r.lines, id)).toMatchObject({
      outcome: 'updated', fields: ['department'], keptFromCli: { owner: ['钱', '孙'], term: ['deadline', 'ongoing'] },
    });
  });
});

describe('ids the seed no longer has', () => {
  function smallerSeed(): Seed {
    const seed = fixtureSeed();
    seed.areas.pop(); // A3 with P3.1
    seed.areas[0]!.problems.splice(1, 1); // P1.2
    seed.causes.pop(); // C2
    seed.measures[0]!.items.splice(2, 2); // M1.10, M1.3
    seed.measures[0]!.items[1]!.addresses = ['P1.1']; // M1.2 no longer addresses P1.2
    seed.measures.pop(); // M2 with M2.1, M2.2
    return seed;
  }

  it('are kept and reported as left without --prune', async () => {
    const { store } = await fixtureStore();
    const r = await run(store, smallerSeed());
    const left = r.lines.filter((l) => l.outcome === 'left');
    expect(left.map((l) => l.id)).toEqual(['A3', 'P1.2', 'P3.1', 'C2', 'M2', 'M1.3', 'M1.10', 'M2.1', 'M2.2'].sort(byKindOrder(r.lines)));
    expect(left.every((l) => l.notPruned === undefined)).toBe(true);
    expect(r.totals.left).toBe(9);
    expect(await store.lookup('M2.2')).not.toBeNull();
  });

  it('are removed with --prune when only seeds ever touched them', async () => {
    const { store } = await fixtureStore();
    await store.write(() => store.applyChanges([{ id: 'M2.1', action: 'progress', set: { status: 'in_progress', progress: 5 }, note: null }], 'u'));
    const r = await run(store, smallerSeed(), { prune: true });
    const outcome = (id: string) => { const l = lineOf(r.lines, id)!; return l.notPruned ? `${l.outcome}!` : l.outcome; };
    expect(['M1.3', 'M1.10', 'M2.2', 'M2.1', 'M2', 'P1.2', 'P3.1', 'A3', 'C2'].map(outcome)).toEqual([
      'removed', 'removed', 'removed', 'left!', 'left!', 'removed', 'removed', 'removed', 'removed',
    ]);
    expect(r.totals).toMatchObject({ removed: 7, left: 2 });
    expect(await store.lookup('M1.3')).toBeNull();
    expect(await store.lookup('M2.1')).not.toBeNull();
    expect((await store.history({ item: 'M1.3' }))).toEqual([]);
  });

  it('keep a problem that a kept item still addresses, and its area', async () => {
    const { store } = await fixtureStore();
    await store.write(() => store.applyChanges([{ id: 'M2.1', action: 'edit', set: { addresses: ['P3.1'] }, note: null }], 'u'));
    const r = await run(store, smallerSeed(), { prune: true });
    expect(lineOf(r.lines, 'P3.1')).toMatchObject({ outcome: 'left', notPruned: true });
    expect(lineOf(r.lines, 'A3')).toMatchObject({ outcome: 'left', notPruned: true });
  });

  it('never give their numbers to new items, even after a prune', async () => {
    const { store } = await fixtureStore();
    await run(store, smallerSeed(), { prune: true });
    const id = await store.write(() => store.addItem({ measure: 'M1', title: 't', detail: null, addresses: [], owner: null, department: null, due: null, term: 'deadline' }, 'u'));
    expect(id).toBe('M1.11');
  });
});

describe('importing', () => {
  it('counts new item numbers for add', async () => {
    const { store } = await fixtureStore();
    const seed = fixtureSeed();
    seed.measures[1]!.items.push(item('M2.40'));
    await run(store, seed);
    const id = await store.write(() => store.addItem({ measure: 'M2', title: 't', detail: null, addresses: [], owner: null, department: null, due: null, term: 'deadline' }, 'u'));
    expect(id).toBe('M2.41');
  });

  it('starts a new measure\'s numbering after item ids already shaped like it', async () => {
    const { store } = await fixtureStore();
    const seed = fixtureSeed();
    seed.measures[1]!.items.push(item('M3.4'));
    await run(store, seed);
    seed.measures.push({ id: 'M3', title: 'new', detail: null, items: [item('M3.1')] });
    await run(store, seed);
    const id = await store.write(() => store.addItem({ measure: 'M3', title: 't', detail: null, addresses: [], owner: null, department: null, due: null, term: 'deadline' }, 'u'));
    expect(id).toBe('M3.5');
  });

  it('does everything on a dry run but writes nothing, and answers as the real import does', async () => {
    const { store, db } = await fixtureStore();
    const seed = fixtureSeed();
    seed.measures[0]!.items[0]!.title = 'changed';
    seed.measures[1]!.items.pop();
    seed.measures[1]!.items.push(item('M2.7'));
    const before = await dump(db);
    const dry = await run(store, seed, { dryRun: true, prune: true });
    expect(await dump(db)).toEqual(before);
    const real = await run(store, seed, { prune: true });
    expect(real).toEqual(dry);
    expect(real.totals).toEqual({ added: 1, updated: 1, kept: 16, left: 0, removed: 1 });
  });

  it('refuses, changing nothing, when an id names another kind of thing in the seed', async () => {
    const { store, db } = await fixtureStore();
    const seed = fixtureSeed();
    seed.measures[1]!.items.push(item('p3.1'));
    const before = await dump(db);
    const e = await expectRefused(run(store, seed), 'store.kindMismatch', 2);
    expect(e.params).toMatchObject({ id: 'p3.1', seedKind: 'an item', ledgerKind: 'a problem' });
    expect(await dump(db)).toEqual(before);
  });
});

describe('a seed whose items come as a stream (a big JSON Lines seed, read again)', () => {
  /** The seed without its items, and its items handed out one at a time. */
  const streamed = (seed: Seed, opts: { dryRun?: boolean; prune?: boolean } = {}) => {
    const items = seed.measures.flatMap((m) => m.items.map((it) => ({ measure: m.id, item: it })));
    const bare = { ...seed, measures: seed.measures.map((m) => ({ ...m, items: [] })) };
    return { seed: bare, opts: {
      dryRun: opts.dryRun ?? false, prune: opts.prune ?? false, actor: 'importer',
      items: async function* () { yield* items; },
    } };
  };

  it('merges as the whole seed does: the same lines and the same ledger', async () => {
    const seed = fixtureSeed();
    seed.measures[0]!.items[0]!.title = 'changed';
    seed.measures[1]!.items.pop();
    seed.measures[1]!.items.push(item('M2.7', { addresses: ['P2.1'] }));
    const whole = await fixtureStore();
    const expected = await run(whole.store, seed, { prune: true });
    const { store } = await fixtureStore();
    const s = streamed(seed, { prune: true });
    const got = await store.write(() => store.importSeed(s.seed, s.opts));
    expect({ ...got, lines: [...got.lines] }).toEqual(expected);
    // The whole ledger, history included (the server's own clock of each entry aside).
    expect(await store.exportLedger()).toEqual(await whole.store.exportLedger());
    expect(expected.totals).toEqual({ added: 1, updated: 1, kept: 16, left: 0, removed: 1 });
  });

  it('refuses, changing nothing, an item whose id the ledger gives another kind', async () => {
    const { store, db } = await fixtureStore();
    const seed = fixtureSeed();
    seed.measures[1]!.items.push(item('p3.1'), item('C1'));
    const before = await dump(db);
    const s = streamed(seed);
    const e = await expectRefused(store.write(() => store.importSeed(s.seed, s.opts)), 'store.kindMismatch', 2);
    expect(e.params).toMatchObject({ id: 'p3.1', seedKind: 'an item', ledgerKind: 'a problem' });
    expect(e.details).toHaveLength(1);
    expect(await dump(db)).toEqual(before);
  });
});

/** Sorts ids as the import lists them: by kind, then by where they were. */
function byKindOrder(lines: ImportLine[]) {
  const at = new Map(lines.map((l, i) => [l.id, i]));
  return (a: string, b: string) => at.get(a)! - at.get(b)!;
}
});
