// A ledger's identity (overview, repeats): its own id, written when it is made and kept by a
// copy, and where it is kept; on both backends alike.
import { describe, expect, it } from 'vitest';
import { eachBackend, fixtureStore } from './helpers.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

eachBackend(() => {
  describe('the ledger\'s identity', () => {
    it('is an id of its own, another for another ledger, the same when asked again', async () => {
      const a = (await fixtureStore()).store;
      const b = (await fixtureStore()).store;
      const ia = await a.identity();
      const ib = await b.identity();
      expect(ia.id).toMatch(UUID);
      expect(ib.id).toMatch(UUID);
      expect(ia.id).not.toBe(ib.id);
      expect(ia.place).not.toBe(ib.place);
      expect(await a.identity()).toEqual(ia);
    });

    it('takes the id of the ledger it is a copy of, in the write that builds it', async () => {
      const a = (await fixtureStore()).store;
      const b = (await fixtureStore()).store;
      const { id } = await a.identity();
      await b.write(() => b.adoptId(id!));
      expect((await b.identity()).id).toBe(id);
      expect((await b.identity()).place).not.toBe((await a.identity()).place);
    });
  });
});
