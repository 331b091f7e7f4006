// Gives a ledger a realistic history through the store's own API (what the commands call):
// every item moves to in progress with two notes; two in five are then done with
// evidence, and half of those signed off. The changes are spread over the 120 days before
// now, as months of work would be. Bundled and run by bench/history.mjs.
import { openStore } from '../src/store/index.js';
import { planDone, planProgress, planVerify, type Planned } from '../src/core/items.js';
import type { Item } from '../src/core/types.js';

const [db] = process.argv.slice(2);
if (!db) throw new Error('usage: history <ledger.db>');
const DAY = 86_400_000;
const end = Date.now();
let clock = end - 120 * DAY;
let tick = 0;
const store = await openStore(db, { create: false, now: () => new Date(clock) });
const items = await store.listItems({ all: true });
// Each item makes about 2.6 changes; spread them evenly over the window.
tick = (120 * DAY) / Math.max(1, items.length * 2.6);
const NOTES = ['已召开专题会议研究部署', '已制定工作方案并明确责任分工', '已完成阶段性任务，正在巩固成效'];
const CHUNK = 5000;
let changes = 0;
// Each step a unit of work of its own over the chunk: the database records one entry per item
// and unit of work (a file's triggers as a server's), so an item's steps go in separate ones.
const STEPS: ((i: Item, n: number) => Planned | null)[] = [
  (i) => planProgress(i, 30, NOTES[0]!),
  (i) => planProgress(i, 60, NOTES[1]!),
  (i, n) => (n % 5 < 2 ? planDone(i, NOTES[2]!, [`佐证材料-${i.id}.pdf`]) : null),
  (i, n) => (n % 5 === 0 ? planVerify(i, '经核查，同意销号') : null),
];
for (let start = 0; start < items.length; start += CHUNK) {
  const batch = items.slice(start, start + CHUNK);
  for (const step of STEPS) {
    await store.write(async () => {
      for (const [k, item] of batch.entries()) {
        const p = step(item, start + k);
        if (!p?.ok) continue;
        clock = Math.min(end, clock + tick);
        await store.applyChanges([p.change], 'bench');
        batch[k] = { ...item, ...p.change.set };
        changes++;
      }
    });
  }
}
await store.close();
process.stderr.write(`history: ${changes.toLocaleString('en')} changes on ${items.length.toLocaleString('en')} items\n`);
