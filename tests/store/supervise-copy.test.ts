// What `remind` recorded (contacts, notices sent) travels with the ledger: a copy to the other
// backend and back keeps it whole, and `export --format json` shows it without a key or secret.
import { describe, expect, it } from 'vitest';
import type { DumpContact, DumpNotice, DumpRecord } from '../../src/core/dump.js';
import { JsonlChecker } from '../../src/core/jsonl.js';
import { openStore } from '../../src/store/index.js';
import type { Store } from '../../src/store/types.js';
import { exportJson, redactContact, toJson, writeExportJson } from '../../src/ui/json.js';
import { HAS_PG, freshLedgerUrl } from '../helpers/pg.js';
import { clock, eachBackend, fixtureStore } from './helpers.js';

const WECOM = 'wecom:https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=KEY-wecom-123';
const DING = 'dingtalk:https://oapi.dingtalk.com/robot/send?access_token=TOKEN-ding-456';

async function streamed(store: Store): Promise<string> {
  let out = '';
  await writeExportJson(store.dump(), (t) => (out += t));
  return out;
}

async function records(store: Store): Promise<DumpRecord[]> {
  const out: DumpRecord[] = [];
  for await (const r of store.dump()) out.push(r);
  return out;
}

const opened: Store[] = [];
/** An empty ledger on the other backend (a file when there is no server to go to). */
async function elsewhere(onServer: boolean): Promise<Store> {
  const store = onServer ? await openStore(await freshLedgerUrl(), { create: true, now: clock() }) : await openStore(':memory:', { create: true, now: clock() });
  opened.push(store);
  return store;
}
const copy = async (from: Store, to: Store) => to.write(() => to.restore(from.dump(), 'copier'));

eachBackend((b) => {
  describe('contacts and notices in a copy and an export', () => {
    it('a copy to the other backend and back keeps them, and export json prints the same bytes', async () => {
      const { store } = await fixtureStore();
      const sup = store.supervision!();
      await store.write(async () => {
        await sup.setContact({ name: '办公室', email: 'bgs@example.org', webhook: WECOM, secret: null });
        await sup.setContact({ name: '张三', email: null, webhook: DING, secret: 'SEC-ding-789' });
        await sup.recordNotice({ at: '2024-04-02T09:00:00.000+08:00', day: '2024-04-02', by: '秘书', recipient: '办公室', channel: 'email', items: ['M1.1', 'M2.1'] });
        await sup.recordNotice({ at: '2024-04-02T09:00:01.000+08:00', day: '2024-04-02', by: '秘书', recipient: '张三', channel: 'dingtalk', items: ['M1.2'] });
      });
      const before = await streamed(store);

      const there = await elsewhere(b === 'sqlite' && HAS_PG);
      await copy(store, there);
      const back = b === 'pg' ? await elsewhere(true) : await elsewhere(false);
      await copy(there, back);

      expect(await streamed(there)).toBe(before);
      expect(await streamed(back)).toBe(before);
      // The addresses themselves (what export masks) came through whole.
      expect(await back.supervision!().contacts()).toEqual(await sup.contacts());
      expect((await back.supervision!().notices({})).map(({ at, recipient, channel, items, dbUser }) => ({ at, recipient, channel, items, dbUser })))
        .toEqual((await sup.notices({})).map(({ at, recipient, channel, items, dbUser }) => ({ at, recipient, channel, items, dbUser })));

      const json = JSON.parse(before) as { contacts: unknown[]; notices: { dbUser?: string }[] };
      expect(json.contacts).toEqual([
        { name: '办公室', email: 'bgs@example.org', webhook: 'wecom:https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=***', secret: null },
        { name: '张三', email: null, webhook: 'dingtalk:https://oapi.dingtalk.com/robot/send?access_token=***', secret: '***' },
      ]);
      expect(json.notices.map((n) => ({ ...n, dbUser: undefined }))).toEqual([
        { at: '2024-04-02T09:00:00.000+08:00', day: '2024-04-02', by: '秘书', dbUser: undefined, recipient: '办公室', channel: 'email', items: ['M1.1', 'M2.1'] },
        { at: '2024-04-02T09:00:01.000+08:00', day: '2024-04-02', by: '秘书', dbUser: undefined, recipient: '张三', channel: 'dingtalk', items: ['M1.2'] },
      ]);
      // On a server each notice names the database role that sent it; a file's none.
      expect(json.notices.every((n) => (b === 'pg') === (typeof n.dbUser === 'string'))).toBe(true);
      expect(before).not.toMatch(/KEY-wecom|TOKEN-ding|SEC-ding/);
      // The stream writes what the whole ledger stringified at once would.
      const supervision = (await records(store)).filter((r): r is DumpContact | DumpNotice => r.kind === 'contact' || r.kind === 'notice');
      expect(before).toBe(toJson(exportJson(await store.exportLedger(), supervision)));
      for (const s of opened.splice(0)) await s.close();
    });

    it('a ledger with none exports the contract\'s shape alone; one notice brings both lists', async () => {
      const { store } = await fixtureStore();
      expect(Object.keys(JSON.parse(await streamed(store)))).toEqual(['version', 'report', 'areas', 'causes', 'measures']);
      const sup = store.supervision!();
      await store.write(() => sup.recordNotice({ at: '2024-04-02T09:00:00.000+08:00', day: '2024-04-02', by: 's', recipient: '办公室', channel: 'wecom', items: ['M1.1'] }));
      const text = await streamed(store);
      expect(JSON.parse(text)).toMatchObject({ contacts: [], notices: [{ recipient: '办公室', channel: 'wecom', items: ['M1.1'] }] });
      const supervision = (await records(store)).filter((r): r is DumpContact | DumpNotice => r.kind === 'contact' || r.kind === 'notice');
      expect(text).toBe(toJson(exportJson(await store.exportLedger(), supervision)));
    });
  });
});

describe('a printed dump read back (init from export --format jsonl)', () => {
  it('keeps names, e-mail and notices, and takes no masked key or secret for real', () => {
    const contact: DumpContact = { kind: 'contact', name: '张三', email: 'z@example.org', webhook: DING, secret: 'SEC' };
    const printed = redactContact(contact);
    expect(JSON.stringify(printed)).not.toMatch(/TOKEN-ding|SEC"/);
    const c = new JsonlChecker();
    const lines = [
      { kind: 'rectify', version: 1 }, { kind: 'report', title: 't', unit: null, date: null },
      printed,
      { kind: 'notice', at: '2024-04-02T09:00:00.000+08:00', day: '2024-04-02', by: 's', recipient: '张三', channel: 'wecom', items: ['M1.1'], dbUser: 'alice' },
    ];
    const out = lines.map((l, i) => c.line(JSON.stringify(l), i + 1));
    expect(c.ok).toBe(true);
    expect(out[2]).toEqual({ kind: 'contact', name: '张三', email: 'z@example.org', webhook: null, secret: null });
    expect(out[3]).toEqual(lines[3]);
    expect(c.line(JSON.stringify({ kind: 'notice', at: '2024-04-02T09:00:00.000+08:00', day: '2024-04-02', by: 's', recipient: 'x', channel: 'fax', items: [] }), 5)).toBeNull();
  });
});
