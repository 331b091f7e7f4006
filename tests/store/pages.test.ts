// Views read a page at a time (list, log, report): the pages, put together, are exactly what
// the whole-list reads give, past the page size, on every backend.
import { describe, expect, it } from 'vitest';
import type { Seed } from '../../src/core/types.js';
import type { ItemFilter, LogFilter, Store } from '../../src/store/types.js';
import { backend, eachBackend, item, keepForFile, memoryStore } from './helpers.js';

const OWNERS = ['王建国', '李明', 'zhang', '陈静', null];

/** 1,234 items in 7 measures (more than two pages of 500), addressing 40 problems in 3
 *  areas (one problem addressed by none), with owners, due dates and every status. */
function bigSeed(): Seed {
  const problems = (a: number) => Array.from({ length: a === 3 ? 1 : 20 - a }, (_, k) => ({ id: `P${a}.${k + 1}`, title: `problem ${a}.${k + 1}`, detail: null }));
  const areas = [1, 2, 3].map((a) => ({ id: `A${a}`, name: `area ${a}`, problems: problems(a) }));
  const ids = areas.flatMap((a) => a.problems.map((p) => p.id)).filter((id) => id !== 'P3.1');
  let n = 0;
  const measures = Array.from({ length: 7 }, (_, m) => ({
    id: `M${m + 1}`, title: `measure ${m + 1}`, detail: null,
    // M4 has no items; the others' ids are numbered with gaps (M1.2 before M1.10).
    items: m === 3 ? [] : Array.from({ length: m === 6 ? 134 : 220 }, (_, k) => {
      n++;
      return item(`M${m + 1}.${k * 3 + 1}`, {
        title: `item ${n}`,
        addresses: [ids[n % ids.length]!, ...(n % 4 === 0 ? [ids[(n * 7) % ids.length]!] : [])].filter((x, i, xs) => xs.indexOf(x) === i),
        owner: OWNERS[n % OWNERS.length]!,
        due: n % 9 === 0 ? null : `2024-0${1 + (n % 6)}-${String(1 + (n % 27)).padStart(2, '0')}`,
      });
    }),
  }));
  return { version: 1, report: { title: 'big', unit: null, date: null }, areas, causes: [], measures };
}

/** The big ledger, made once per backend and shared by the tests below, which only read. */
const bigStores = new Map<string, Promise<Store>>();
function bigStore(): Promise<Store> {
  const b = backend();
  if (!bigStores.has(b)) bigStores.set(b, makeBigStore());
  return bigStores.get(b)!;
}

async function makeBigStore(): Promise<Store> {
  const { store, db } = await memoryStore();
  keepForFile(store, db);
  await store.write(() => store.createFromSeed(bigSeed(), 'seeder'));
  const all = await store.listItems({ all: true });
  // Every status, notes and evidence, and an undone change.
  const pick = (k: number) => all.filter((_, i) => i % 5 === k).map((i) => i.id);
  await store.write(() => store.applyChanges(pick(1).map((id) => ({ id, action: 'progress', set: { status: 'in_progress', progress: 40 }, note: `note ${id}` })), 'u'));
  await store.write(() => store.applyChanges(pick(2).map((id) => ({ id, action: 'done', set: { status: 'done', progress: 100 }, note: null, evidence: [`proof ${id}`, 'minutes'] })), 'u'));
  await store.write(() => store.applyChanges(pick(3).map((id) => ({ id, action: 'done', set: { status: 'done', progress: 100 }, note: 'done' })), 'u'));
  await store.write(() => store.applyChanges(pick(3).map((id) => ({ id, action: 'verify', set: { status: 'verified' }, note: 'signed off' })), 'v'));
  await store.write(() => store.applyChanges([{ id: pick(1)[0]!, action: 'progress', set: { progress: 60 }, note: 'taken back' }], 'w'));
  await store.write(() => store.undo('w'));
  return store;
}

async function flat<T>(pages: AsyncIterable<T[]>): Promise<{ rows: T[]; pages: number }> {
  const rows: T[] = [];
  let n = 0;
  for await (const page of pages) {
    n++;
    rows.push(...page);
  }
  return { rows, pages: n };
}

eachBackend(() => {
  describe('pages', () => {
    it('of items are listItems, in its order, for every sort and filter', async () => {
      const store = await bigStore();
      const filters: ItemFilter[] = [
        { all: true }, {}, { all: true, sort: 'id' }, { all: true, sort: 'owner' }, { sort: 'due' }, { sort: 'progress' },
        { overdueAsOf: '2024-04-01', sort: 'due' }, { status: ['open', 'in_progress'], dueFrom: '2024-03-01', dueBefore: '2024-03-09', sort: 'due' },
        { measure: 'M4' }, { problem: 'P1.2' }, { owner: '王' },
      ];
      for (const f of filters) {
        const whole = await store.listItems(f);
        const { rows, pages } = await flat(store.itemPages(f));
        expect(rows, JSON.stringify(f)).toEqual(whole);
        expect(pages).toBe(Math.ceil(whole.length / 500));
      }
      // brief: the same items, perhaps without their detail and addresses.
      const whole = await store.listItems({ all: true });
      const brief = (await flat(store.itemPages({ all: true }, { brief: true }))).rows;
      expect(brief.map((i) => ({ ...i, detail: null, addresses: [] }))).toEqual(whole.map((i) => ({ ...i, detail: null, addresses: [] })));
      expect(brief.every((i) => i.detail === null && i.addresses.length === 0)).toBe(true);
      // dueFrom: on or after that day.
      const from = (await store.listItems({ all: true, dueFrom: '2024-03-05' })).map((i) => i.due);
      expect(from.length).toBeGreaterThan(0);
      expect(from.every((d) => d !== null && d >= '2024-03-05')).toBe(true);
    });

    it('of the report are reportItems, with each page\'s standing changes made through commands', async () => {
      const store = await bigStore();
      const whole = await store.reportItems();
      const pages: Awaited<ReturnType<typeof flat>>['rows'] = [];
      const changes: unknown[] = [];
      for await (const page of store.reportPages({ all: true }, { completion: true })) {
        pages.push(...page.items);
        changes.push(...page.changes);
      }
      expect(pages).toEqual(whole);
      const key = (c: { item: string; seq: number }) => `${c.item}/${c.seq}`;
      const standing = (await store.history({ via: 'cli', standing: true })).map((h) => ({ item: h.item, at: h.at, seq: h.seq, status: h.status }));
      expect(standing.length).toBeGreaterThan(900);
      expect((changes as typeof standing).sort((a, b) => a.seq - b.seq)).toEqual(standing.sort((a, b) => a.seq - b.seq));
      expect(new Set(changes.map((c) => key(c as never))).size).toBe(changes.length);
      for await (const page of store.reportPages({ all: true })) expect(page.changes).toEqual([]);
    });

    it('of problems hold every problem in order with the items addressing it, in listing order', async () => {
      const store = await bigStore();
      const items = await store.reportItems();
      const { rows } = await flat(store.problemPages());
      const problems = await store.problems();
      expect(rows.map((p) => [p.id, p.title, p.area])).toEqual(problems.map((p) => [p.id, p.title, p.area]));
      for (const p of rows) {
        expect(p.items).toEqual(items.filter((i) => i.addresses.includes(p.id)).map((i) => ({ id: i.id, status: i.status })));
      }
      expect(rows.find((p) => p.id === 'P3.1')!.items).toEqual([]);
    });

    it('of history are history(filter) without its limit, newest first', async () => {
      const store = await bigStore();
      const filters: LogFilter[] = [{}, { via: 'cli' }, { via: 'cli', standing: true }, { item: 'M1.4' }, { measure: 'M2' }, { since: '2000-01-01' }, { limit: 3 }];
      for (const f of filters) {
        const whole = await store.history({ ...f, limit: undefined });
        const { rows, pages } = await flat(store.historyPages(f));
        expect(rows, JSON.stringify(f)).toEqual(whole);
        expect(pages).toBe(Math.ceil(whole.length / 500));
      }
    });

    it('read inside snapshot() give what they give outside', async () => {
      const store = await bigStore();
      const whole = await store.listItems({ all: true });
      const [a, b] = await store.snapshot(async () => [await flat(store.itemPages({ all: true })), await flat(store.itemPages({ all: true }))]);
      expect(a!.rows).toEqual(whole);
      expect(b!.rows).toEqual(whole);
    });
  });
});
