// Contacts and the notices sent, as the one shared implementation keeps them on each backend.
import { describe, expect, it } from 'vitest';
import { eachBackend, fixtureStore } from './helpers.js';

eachBackend(() => {
  describe('contacts and notices', () => {
    it('adds, updates, keeps and removes a contact, saying which', async () => {
      const { store } = await fixtureStore();
      const sup = store.supervision!();
      const c = { name: '办公室', email: 'a@example.org', webhook: null, secret: null };
      expect(await store.write(() => sup.setContact(c))).toBe('added');
      expect(await store.write(() => sup.setContact(c))).toBe('same');
      expect(await store.write(() => sup.setContact({ ...c, email: 'b@example.org' }))).toBe('updated');
      await store.write(() => sup.setContact({ name: '财务科', email: null, webhook: null, secret: null }));
      expect(await sup.contactNames()).toEqual(['办公室', '财务科'].sort());
      expect((await sup.contacts())!.find((x) => x.name === '办公室')!.email).toBe('b@example.org');
      expect(await store.write(() => sup.removeContact('财务科'))).toBe(true);
      expect(await store.write(() => sup.removeContact('财务科'))).toBe(false);
      expect(await sup.contactNames()).toEqual(['办公室']);
    });

    it('lists the notices sent newest first, of a day or since a day', async () => {
      const { store } = await fixtureStore();
      const sup = store.supervision!();
      const notice = (day: string, recipient: string, items: string[]) =>
        store.write(() => sup.recordNotice({ at: `${day}T09:00:00.000+08:00`, day: day as never, by: '秘书', recipient, channel: 'email', items }));
      await notice('2024-03-01', '办公室', ['M1.1', 'M1.2']);
      await notice('2024-03-02', '财务科', []);
      await notice('2024-03-03', '办公室', ['M2.1']);
      const all = await sup.notices({});
      expect(all.map((n) => [n.day, n.recipient, n.items])).toEqual([
        ['2024-03-03', '办公室', ['M2.1']], ['2024-03-02', '财务科', []], ['2024-03-01', '办公室', ['M1.1', 'M1.2']],
      ]);
      expect((await sup.notices({ day: '2024-03-02' as never })).map((n) => n.recipient)).toEqual(['财务科']);
      expect((await sup.notices({ since: '2024-03-02' as never })).map((n) => n.day)).toEqual(['2024-03-03', '2024-03-02']);
    });

    it('tells the day a notice sent now is recorded on, the day "already sent" is asked of', async () => {
      const { store } = await fixtureStore();
      const sup = store.supervision!();
      const at = '2024-03-05T23:30:00.000+08:00';
      const day = await sup.noticeDay('2024-03-05' as never, at);
      await store.write(() => sup.recordNotice({ at, day, by: '秘书', recipient: '办公室', channel: 'email', items: ['M1.1'] }));
      expect((await sup.notices({})).map((n) => n.day)).toEqual([day]);
      expect((await sup.notices({ day })).map((n) => n.recipient)).toEqual(['办公室']);
    });
  });
});
