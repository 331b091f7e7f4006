// `export --format json` is written as the dump is read (ui/json.ts writeExportJson), one item
// at a time: it must print exactly the bytes of the whole ledger stringified at once.
import { describe, expect, it } from 'vitest';
import { exportJson, toJson, writeExportJson } from '../../src/ui/json.js';
import type { Store } from '../../src/store/types.js';
import { eachBackend, fixtureStore, memoryStore } from './helpers.js';

async function streamed(store: Store): Promise<string> {
  let out = '';
  await writeExportJson(store.dump(), (t) => (out += t));
  return out;
}

eachBackend(() => {
  describe('export --format json written as it is read', () => {
    it('is byte for byte the ledger stringified whole, with history, evidence and odd text', async () => {
      const { store } = await fixtureStore();
      await store.write(() => store.applyChanges([
        { id: 'M1.1', action: 'progress', set: { status: 'in_progress', progress: 40 }, note: 'a "quoted"\nnote\u2028x' },
        { id: 'M1.2', action: 'done', set: { status: 'done', progress: 100 }, note: null, evidence: ['扫描件.pdf', 'b'] },
      ], 'tester'));
      expect(await streamed(store)).toBe(toJson(exportJson(await store.exportLedger())));
    });

    it('writes empty causes and a measure without items as the whole would', async () => {
      const { store } = await memoryStore();
      await store.write(() => store.createFromSeed({
        version: 1,
        report: { title: 't', unit: null, date: null },
        areas: [{ id: 'A1', name: 'a', problems: [{ id: 'P1', title: 'p', detail: null }] }],
        causes: [],
        measures: [{ id: 'M1', title: 'm', detail: null, items: [{ id: 'M1.1', title: 'i', detail: null, addresses: [], owner: null, department: null, due: null, term: 'deadline' }] }],
      }, 'seeder'));
      expect(await streamed(store)).toBe(toJson(exportJson(await store.exportLedger())));
    });
  });
});
