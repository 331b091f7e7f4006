// The store tests reuse a server ledger a test is done with (helpers.ts, memoryStore): it is
// put back as it was made. A ledger worked on and put back must hold exactly what it held when
// new (rows, sequences, its row in the summary), and the same work on it must come out the
// same, down to keys, sequence numbers and groups.
import { describe, expect, it } from 'vitest';
import { type PgLedger, eachBackend, fixtureSeed, fixtureStore, memoryStore, serverLedgerState } from './helpers.js';

type State = Awaited<ReturnType<typeof serverLedgerState>>;

/** The state without the server's own clock (when a row was written, in real time). */
const timeless = (s: State): State => JSON.parse(JSON.stringify(s, (k, v) => (k === 'recorded_at' || k === 'applied_at' || k === 'tx' ? undefined : v)));

eachBackend((b) => {
  describe.runIf(b === 'pg')('a server ledger put back for the next test', () => {
    const seen: { url: string; made: State; worked: State }[] = [];
    const work = async () => {
      const { store, db } = await memoryStore();
      const url = (db as unknown as PgLedger).pgUrl;
      const made = await serverLedgerState(url);
      await store.write(() => store.createFromSeed(fixtureSeed(), 'seeder'));
      await store.write(() => store.applyChanges([{ id: 'M1.1', action: 'done', set: { status: 'done', progress: 100 }, note: 'n', evidence: ['minutes'] }], 'u'));
      await store.write(() => store.applyChanges([{ id: 'M1.2', action: 'progress', set: { status: 'in_progress', progress: 40 }, note: 'n' }], 'u'));
      await store.write(() => store.undo('u'));
      await store.write(() => store.removeItems(['M2.2'], 'u'));
      seen.push({ url, made: timeless(made), worked: timeless(await serverLedgerState(url)) });
    };

    it('is made and worked on', work);

    it('is the same ledger again, as it was made, and the same work comes out the same', async () => {
      await work();
      const [first, again] = seen;
      expect(again!.url).toBe(first!.url);
      expect(again!.made).toEqual(first!.made);
      expect(first!.worked).not.toEqual(first!.made);
      expect(again!.worked).toEqual(first!.worked);
    });

    const loaded: { url: string; seeded: State; worked: State }[] = [];
    const workOnFixture = async () => {
      const { store, db } = await fixtureStore();
      const url = (db as unknown as PgLedger).pgUrl;
      const seeded = await serverLedgerState(url);
      await store.write(() => store.applyChanges([{ id: 'M1.3', action: 'done', set: { status: 'done', progress: 100 }, note: 'n' }], 'u'));
      await store.write(() => store.undo('u'));
      loaded.push({ url, seeded: timeless(seeded), worked: timeless(await serverLedgerState(url)) });
    };

    it('is loaded with the fixture and worked on', workOnFixture);

    it('with the fixture put back, is what loading the fixture made, and works out the same', async () => {
      await workOnFixture();
      const [first, again] = loaded;
      expect(again!.url).toBe(first!.url);
      expect(again!.seeded).toEqual(first!.seeded);
      expect(again!.worked).toEqual(first!.worked);
      expect(first!.seeded.tables.items!.length).toBe(6);
    });
  });
});
