import { describe, expect, it } from 'vitest';
import { expectRefused, fixtureSeed, fixtureStore, item, memoryStore, eachBackend } from './helpers.js';
import { groupChanges, orderGroups, type ChangeGroup } from '../../src/core/summary.js';
import type { ItemChange } from '../../src/store/types.js';

eachBackend(() => {
const ids = (xs: { id: string }[]) => xs.map((x) => x.id);
const AT = /^2024-04-01T09:\d\d:00\.000[+-]\d\d:\d\d$/;

describe('a ledger loaded from a seed', () => {
  it('holds the report as the seed gave it', async () => {
    const { store } = await fixtureStore();
    expect(await store.report()).toEqual({ title: '某单位对照检查材料', unit: '某单位领导班子', date: '2024-01-15' });
  });

  it('gives each item the contract shape, keys in the contract order, open with progress 0', async () => {
    const { store } = await fixtureStore();
    const { items } = await store.getItems(['M1.1']);
    expect(items).toHaveLength(1);
    const it1 = items[0]!;
    expect(Object.keys(it1)).toEqual([
      'id', 'title', 'detail', 'measure', 'addresses', 'owner', 'department', 'due', 'term', 'status',
      'progress', 'createdAt', 'updatedAt',
    ]);
    expect(it1).toMatchObject({
      id: 'M1.1', title: '落实第一议题制度', detail: '主动贯彻', measure: 'M1', addresses: ['P1.1', 'P1.3'],
      owner: '王局长', department: '办公室', due: '2024-03-01', term: 'deadline', status: 'open', progress: 0,
    });
    expect(it1.createdAt).toMatch(AT);
    expect(it1.updatedAt).toBe(it1.createdAt);
  });

  it('records one create entry per item, from the seed, by whoever loaded it', async () => {
    const { store } = await fixtureStore();
    const log = await store.history({});
    expect(log).toHaveLength(6);
    expect(new Set(log.map((h) => `${h.action}/${h.by}/${h.status}/${h.progress}`))).toEqual(new Set(['create/seeder/open/0']));
    // Newest first: the reverse of seed order.
    expect(log.map((h) => h.item)).toEqual(['M2.2', 'M2.1', 'M1.3', 'M1.10', 'M1.2', 'M1.1']);
  });

  it('refuses to load a second seed over the first', async () => {
    const { store } = await fixtureStore();
    await expectRefused(store.write(() => store.createFromSeed(fixtureSeed(), 'x')), 'store.notEmpty', 4);
  });

  it('refuses a seed that uses one id for two things, writing nothing', async () => {
    const { store } = await memoryStore();
    const seed = fixtureSeed();
    seed.measures[1]!.items.push(item('P1.1'));
    await expect(store.write(() => store.createFromSeed(seed, 'x'))).rejects.toThrow(/P1\.1/);
    expect(await store.measures()).toEqual([]);
  });
});

describe('looking ids up', () => {
  it('finds every kind of id in any spelling and answers with the ledger spelling', async () => {
    const { store } = await fixtureStore();
    expect(await store.lookup('a1')).toEqual({ kind: 'area', id: 'A1' });
    expect(await store.lookup('p1.2')).toEqual({ kind: 'problem', id: 'P1.2' });
    expect(await store.lookup('c2')).toEqual({ kind: 'cause', id: 'C2' });
    expect(await store.lookup('m2')).toEqual({ kind: 'measure', id: 'M2' });
    expect(await store.lookup('m1.10')).toEqual({ kind: 'item', id: 'M1.10' });
    expect(await store.lookup('M9')).toBeNull();
  });

  it('returns items in the order asked, spelled as the ledger spells them, and names the missing ones as given', async () => {
    const { store } = await fixtureStore();
    const { items, missing } = await store.getItems(['m2.2', 'nope', 'M1.1', 'p1.1']);
    expect(ids(items)).toEqual(['M2.2', 'M1.1']);
    expect(missing).toEqual(['nope', 'p1.1']);
  });
});

describe('listing items', () => {
  it('lists in measure order, then by item number as a number', async () => {
    const { store } = await fixtureStore();
    expect(ids(await store.listItems({}))).toEqual(['M1.1', 'M1.2', 'M1.3', 'M1.10', 'M2.1', 'M2.2']);
  });

  it('hides verified items unless asked for all or for verified ones', async () => {
    const { store } = await fixtureStore();
    // Only a done item is signed off (docs/cli.md, verify; the server checks it too).
    await store.write(() => store.applyChanges([{ id: 'M1.2', action: 'done', set: { status: 'done', progress: 100 }, note: null }], 'u'));
    await store.write(() => store.applyChanges([{ id: 'M1.2', action: 'verify', set: { status: 'verified' }, note: null }], 'u'));
    expect(ids(await store.listItems({}))).not.toContain('M1.2');
    expect(ids(await store.listItems({ all: true }))).toContain('M1.2');
    expect(ids(await store.listItems({ status: ['verified'] }))).toEqual(['M1.2']);
    expect(ids(await store.listItems({ status: ['open', 'verified'] }))).toEqual(ids(await store.listItems({ all: true })));
    expect(ids(await store.listItems({ status: ['open'] }))).not.toContain('M1.2');
  });

  it('filters by measure, area and problem in any spelling', async () => {
    const { store } = await fixtureStore();
    expect(ids(await store.listItems({ measure: 'm2' }))).toEqual(['M2.1', 'M2.2']);
    expect(ids(await store.listItems({ area: 'a1' }))).toEqual(['M1.1', 'M1.2']);
    expect(ids(await store.listItems({ area: 'A2' }))).toEqual(['M1.10', 'M2.1']);
    expect(ids(await store.listItems({ problem: 'p2.1' }))).toEqual(['M1.10', 'M2.1']);
    expect(ids(await store.listItems({ problem: 'P3.1' }))).toEqual([]);
    expect(ids(await store.listItems({ measure: 'M9' }))).toEqual([]);
  });

  it('filters by owner, department, term, overdue and due date, and combines filters', async () => {
    const { store } = await fixtureStore();
    expect(ids(await store.listItems({ owner: '李处长' }))).toEqual(['M1.2', 'M1.3', 'M2.2']);
    expect(ids(await store.listItems({ department: '办公室' }))).toEqual(['M1.1']);
    expect(ids(await store.listItems({ term: 'immediate' }))).toEqual(['M2.2']);
    expect(ids(await store.listItems({ overdueAsOf: '2024-04-11' }))).toEqual(['M1.1', 'M1.3', 'M1.10']);
    expect(ids(await store.listItems({ dueBefore: '2024-04-10' }))).toEqual(['M1.1', 'M1.3']);
    expect(ids(await store.listItems({ overdueAsOf: '2024-04-11', owner: '李处长' }))).toEqual(['M1.3']);
    expect(ids(await store.listItems({ measure: 'M1', dueBefore: '2024-05-02', owner: '李处长' }))).toEqual(['M1.2', 'M1.3']);
  });

  it('does not count finished items as overdue', async () => {
    const { store } = await fixtureStore();
    await store.write(() => store.applyChanges([{ id: 'M1.1', action: 'done', set: { status: 'done', progress: 100 }, note: null }], 'u'));
    expect(ids(await store.listItems({ overdueAsOf: '2024-04-11' }))).toEqual(['M1.3', 'M1.10']);
    expect(ids(await store.listItems({ dueBefore: '2024-04-11' }))).toEqual(['M1.1', 'M1.3', 'M1.10']);
  });

  it('sorts by id numerically, by due and owner with the empty ones last, and by progress from the least', async () => {
    const { store } = await fixtureStore();
    await store.write(() => store.applyChanges([
      { id: 'M1.1', action: 'progress', set: { status: 'in_progress', progress: 60 }, note: null },
      { id: 'M2.2', action: 'progress', set: { status: 'in_progress', progress: 30 }, note: null },
    ], 'u'));
    expect(ids(await store.listItems({ sort: 'id' }))).toEqual(['M1.1', 'M1.2', 'M1.3', 'M1.10', 'M2.1', 'M2.2']);
    expect(ids(await store.listItems({ sort: 'due' }))).toEqual(['M1.3', 'M1.1', 'M1.10', 'M2.2', 'M1.2', 'M2.1']);
    expect(ids(await store.listItems({ sort: 'owner' }))).toEqual(['M1.2', 'M1.3', 'M2.2', 'M1.1', 'M2.1', 'M1.10']);
    expect(ids(await store.listItems({ sort: 'progress' }))).toEqual(['M1.2', 'M1.3', 'M1.10', 'M2.1', 'M2.2', 'M1.1']);
  });

  it('puts ids without a number after the numbered ones of their measure', async () => {
    const { store } = await memoryStore();
    const seed = fixtureSeed();
    seed.measures[0]!.items.unshift(item('M1.x'), item('M1-extra'));
    await store.write(() => store.createFromSeed(seed, 's'));
    expect(ids(await store.listItems({ measure: 'M1' }))).toEqual(['M1.1', 'M1.2', 'M1.3', 'M1.10', 'M1-extra', 'M1.x']);
  });
});

describe('details', () => {
  it('shows an item with its problems, evidence, history oldest first and measure title', async () => {
    const { store } = await fixtureStore();
    await store.write(() => store.applyChanges([{
      id: 'M1.1', action: 'done', set: { status: 'done', progress: 100 }, note: '已完成', evidence: ['会议记录', '学习笔记'],
    }], 'u'));
    const d = (await store.itemDetail('m1.1'))!;
    expect(d.id).toBe('M1.1');
    expect(d.measureTitle).toBe('深化学习意识');
    expect(d.problems).toEqual([{ id: 'P1.1', title: '学习不够深入' }, { id: 'P1.3', title: '督促不够' }]);
    expect(d.evidence).toEqual(['会议记录', '学习笔记']);
    expect(d.history.map((h) => h.action)).toEqual(['create', 'done']);
    expect(d.history[1]).toMatchObject({ by: 'u', status: 'done', progress: 100, note: '已完成', changes: { status: ['open', 'done'], progress: [0, 100] } });
    expect(await store.itemDetail('M9.9')).toBeNull();
  });

  it('shows a problem with its area and the items addressing it, in listing order', async () => {
    const { store } = await fixtureStore();
    expect(await store.problemDetail('p2.1')).toEqual({
      id: 'P2.1', title: '监督检查尚不深入', detail: null, area: { id: 'A2', name: '政治素质' },
      items: [
        { id: 'M1.10', title: 'title M1.10', status: 'open', progress: 0, owner: null },
        { id: 'M2.1', title: 'title M2.1', status: 'open', progress: 0, owner: '王局长' },
      ],
    });
    expect((await store.problemDetail('P3.1'))!.items).toEqual([]);
    expect(await store.problemDetail('M1.1')).toBeNull();
  });

  it('lists measures and problems in seed order', async () => {
    const { store } = await fixtureStore();
    expect((await store.measures()).map(({ id, title }) => ({ id, title }))).toEqual([{ id: 'M1', title: '深化学习意识' }, { id: 'M2', title: '提高政治站位' }]);
    expect((await store.problems()).map((p) => `${p.area}:${p.id}`)).toEqual(['A1:P1.1', 'A1:P1.2', 'A1:P1.3', 'A2:P2.1', 'A3:P3.1']);
  });
});

describe('the history log', () => {
  async function withChanges() {
    // Changes on three days: 04-01 (the seed), 04-02 and 04-03.
    let day = new Date(2024, 3, 1, 9);
    const s = await fixtureStore(() => day);
    day = new Date(2024, 3, 2, 10);
    await s.store.write(() => s.store.applyChanges([{ id: 'M1.1', action: 'progress', set: { status: 'in_progress', progress: 10 }, note: 'a' }], 'u'));
    await s.store.write(() => s.store.applyChanges([{ id: 'M1.2', action: 'progress', set: { status: 'in_progress', progress: 20 }, note: 'b' }], 'u'));
    day = new Date(2024, 3, 3, 23, 59);
    await s.store.write(() => s.store.applyChanges([{ id: 'M1.1', action: 'progress', set: { progress: 30 }, note: 'c' }], 'v'));
    return s;
  }

  it('lists newest first, changes with the same time in reverse order of recording', async () => {
    const { store } = await withChanges();
    const log = await store.history({ limit: 3 });
    expect(log.map((h) => h.note)).toEqual(['c', 'b', 'a']);
    expect(log[1]!.at).toBe(log[2]!.at);
  });

  it('filters by item in any spelling, and by day with that day included', async () => {
    const { store } = await withChanges();
    expect((await store.history({ item: 'm1.1' })).map((h) => h.action)).toEqual(['progress', 'progress', 'create']);
    expect((await store.history({ since: '2024-04-02' })).map((h) => h.note)).toEqual(['c', 'b', 'a']);
    expect((await store.history({ since: '2024-04-03' })).map((h) => h.note)).toEqual(['c']);
    expect((await store.history({ since: '2024-04-04' }))).toEqual([]);
    expect((await store.history({ item: 'M1.1', since: '2024-04-03' })).map((h) => h.note)).toEqual(['c']);
    expect(await store.history({ item: 'M9.9' })).toEqual([]);
  });

  it('can leave out what seeds recorded', async () => {
    const { store } = await withChanges();
    expect((await store.history({ via: 'cli' })).map((h) => h.note)).toEqual(['c', 'b', 'a']);
    expect((await store.history({ via: 'seed' }))).toHaveLength(6);
    expect((await store.history({ via: 'cli', since: '2024-04-03' })).map((h) => h.note)).toEqual(['c']);
    // The newest few of some days (read backwards from the end, down to the days' first entry).
    expect((await store.history({ via: 'cli', since: '2024-04-02', limit: 2 })).map((h) => h.note)).toEqual(['c', 'b']);
    expect((await store.history({ via: 'cli', since: '2024-04-02', until: '2024-04-02', limit: 5 })).map((h) => h.note)).toEqual(['b', 'a']);
    expect((await store.history({ via: 'cli', since: '2024-04-01', until: '2024-04-01', limit: 5 }))).toEqual([]);
    expect((await store.history({ via: 'cli', since: '2024-04-04', limit: 5 }))).toEqual([]);
  });
});

describe('the week status tells', () => {
  it('is the newest changes by people that still stand, with words only for one alone of its person and action, and their count', async () => {
    let day = new Date(2024, 3, 1, 9);
    const { store } = await fixtureStore(() => day);
    const change = (id: string, action: ItemChange['action'], set: ItemChange['set'], note: string, by: string) =>
      store.write(() => store.applyChanges([{ id, action, set, note }], by));
    day = new Date(2024, 3, 2, 10);
    await change('M1.1', 'progress', { status: 'in_progress', progress: 10 }, 'a', 'u');
    await change('M1.2', 'progress', { status: 'in_progress', progress: 20 }, 'b', 'u');
    await change('M1.3', 'assign', { owner: '王' }, 'c', 'v');
    // Taken back, and the undo itself: neither is told.
    await change('M2.1', 'progress', { status: 'in_progress', progress: 5 }, 'd', 'v');
    await store.write(() => store.undo('v'));
    day = new Date(2024, 3, 3, 10);
    await change('M2.2', 'extend', { due: '2024-06-01' }, 'f', 'v');
    // An item's second progress: the group tells its newest.
    day = new Date(2024, 3, 3, 11);
    await change('M1.1', 'progress', { progress: 15 }, 'g', 'u');
    // After the days asked for.
    day = new Date(2024, 3, 5, 10);
    await change('M1.1', 'progress', { progress: 40 }, 'e', 'u');
    const filter = { via: 'cli', standing: true, since: '2024-04-01', until: '2024-04-03' } as const;
    const whole = await store.history(filter);
    const r = await store.recentChanges('2024-04-01', '2024-04-03', 5000);
    expect(r.total).toBe(5);
    expect(r.total).toBe(await store.historyCount(filter));
    expect(r.told).toBe(5);
    // Grouped as the program groups the same entries (groupChanges), the groups newest first.
    const plain = (g: ChangeGroup) => ({ ...g, only: g.only && [g.only.seq, g.only.at, g.only.item, g.only.status, g.only.progress, g.only.note, g.only.changes] });
    expect(orderGroups([...r.groups]).map(plain)).toEqual(groupChanges(whole).map(plain));
    expect(r.groups.map((g) => [g.by, g.action, g.entries, g.items, g.progress, g.only?.note ?? null])).toEqual([
      ['u', 'progress', 3, ['M1.1', 'M1.2'], [15, 20], null],
      ['v', 'extend', 1, ['M2.2'], [whole[1]!.progress], 'f'], ['v', 'assign', 1, ['M1.3'], [whole[2]!.progress], 'c'],
    ]);
    expect(r.groups[2]!.only!.changes).toEqual({ owner: ['李处长', '王'] });
    expect(r.groups.map((g) => g.day)).toEqual(['2024-04-03', '2024-04-03', '2024-04-02']);
    // The newest three: each alone of its kind among them, all with their words.
    const three = await store.recentChanges('2024-04-01', '2024-04-03', 3);
    expect(three.groups.map((g) => [g.items, g.only?.note])).toEqual([[['M1.1'], 'g'], [['M2.2'], 'f'], [['M1.3'], 'c']]);
    expect([three.told, three.total]).toEqual([3, 5]);
    expect(await store.recentChanges('2024-04-06', '2024-04-07', 10)).toEqual({ groups: [], told: 0, total: 0 });
  });
});

describe('the report and the export', () => {
  it('gives every item with its evidence and its latest standing note', async () => {
    const { store } = await fixtureStore();
    await store.write(() => store.applyChanges([{ id: 'M1.1', action: 'progress', set: { status: 'in_progress', progress: 50 }, note: '过半' }], 'u'));
    await store.write(() => store.applyChanges([{ id: 'M1.1', action: 'done', set: { status: 'done', progress: 100 }, note: '完成', evidence: ['纪要'] }], 'u'));
    await store.write(() => store.applyChanges([{ id: 'M1.2', action: 'done', set: { status: 'done', progress: 100 }, note: null }], 'v'));
    await store.write(() => store.applyChanges([{ id: 'M1.2', action: 'verify', set: { status: 'verified' }, note: null }], 'u'));
    let items = await store.reportItems();
    expect(ids(items)).toEqual(['M1.1', 'M1.2', 'M1.3', 'M1.10', 'M2.1', 'M2.2']);
    expect(items[0]).toMatchObject({ status: 'done', evidence: ['纪要'], lastNote: '完成' });
    expect(items[1]).toMatchObject({ status: 'verified', evidence: [], lastNote: null });
    // Undoing the verify of M1.2 and then the done of M1.1: its note goes back to the one before.
    await store.write(() => store.undo('u'));
    await store.write(() => store.undo('u'));
    items = await store.reportItems();
    expect(items[0]).toMatchObject({ status: 'in_progress', evidence: [], lastNote: '过半' });
  });

  it('exports the seed structure, items in listing order with evidence and history oldest first', async () => {
    const { store } = await fixtureStore();
    await store.write(() => store.applyChanges([{ id: 'M1.3', action: 'done', set: { status: 'done', progress: 100 }, note: 'ok', evidence: ['e1'] }], 'u'));
    const x = await store.exportLedger();
    const seed = fixtureSeed();
    expect(x.version).toBe(1);
    expect(x.report).toEqual(seed.report);
    expect(x.areas).toEqual(seed.areas);
    expect(x.causes).toEqual(seed.causes);
    expect(x.measures.map((m) => [m.id, m.title, m.detail, ids(m.items)])).toEqual([
      ['M1', '深化学习意识', '加强理论武装', ['M1.1', 'M1.2', 'M1.3', 'M1.10']],
      ['M2', '提高政治站位', null, ['M2.1', 'M2.2']],
    ]);
    const m13 = x.measures[0]!.items[2]!;
    expect(m13).toMatchObject({ id: 'M1.3', status: 'done', progress: 100, evidence: ['e1'] });
    expect(m13.history.map((h) => h.action)).toEqual(['create', 'done']);
  });

  it('exports what loads again as a seed into a new ledger with the same contents', async () => {
    const { store } = await fixtureStore();
    const x = await store.exportLedger();
    const { store: copy } = await memoryStore();
    await copy.write(() => copy.createFromSeed(x, 'again'));
    const y = await copy.exportLedger();
    const strip = (e: typeof x) => ({ ...e, measures: e.measures.map((m) => ({ ...m, items: m.items.map(({ history: _h, createdAt: _c, updatedAt: _u, ...rest }) => rest) })) });
    expect(strip(y)).toEqual(strip(x));
  });
});
});
