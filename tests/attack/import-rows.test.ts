// An admin's import of new items writes each item once (issue 17: bulk paths on a server). Migration
// 20 moves an item's time when what it addresses changes (item_problems_moved: an UPDATE of the
// item after each row of item_problems), which for an item created in the same transaction is
// an UPDATE that changes nothing: its time is already the transaction's. Measured on 5,000 new
// items imported by an admin login: 15.5 s with that UPDATE per row, 10.2 s without.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { HAS_PG, makeLedger, seedText, type Ledger } from './helpers.js';

const NEW = 40;

describe.runIf(HAS_PG)("an admin's import of new items", () => {
  let L: Ledger;

  beforeAll(async () => {
    L = await makeLedger();
  }, 120_000);

  it('inserts each new item and updates none of them', async () => {
    const lines = [seedText().trimEnd(), '  - id: M4', '    title: "措施4"', '    items:'];
    for (let i = 1; i <= NEW; i++) lines.push(`      - id: M4.${i}`, `        title: "新事项${i}"`, `        addresses: [P1.${(i % 2) + 1}, P2.1]`);
    const seed = join(L.dir, 'more.yaml');
    writeFileSync(seed, `${lines.join('\n')}\n`);
    const stats = async () => {
      const r = await L.attempt(null, `SELECT n_tup_ins::int AS ins, n_tup_upd::int AS upd FROM pg_stat_user_tables WHERE schemaname = '${L.schema}' AND relname = 'items'`);
      expect(r.ok, r.message).toBe(true);
      return r.rows![0] as { ins: number; upd: number };
    };
    const before = await stats();
    const r = L.cli(L.users.admin, ['import', seed]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`Total: ${NEW + 1} added`));
    // The import's backend reports its figures when it ends, just after the command.
    let after = await stats();
    for (let n = 0; n < 50 && after.ins < before.ins + NEW; n++) {
      await new Promise((res) => setTimeout(res, 100));
      after = await stats();
    }
    expect(after.ins - before.ins).toBe(NEW);
    expect(after.upd - before.upd).toBe(0);
    // Each new item still takes the import's time, and addresses what the seed says.
    const d = await L.dump();
    const item = d.items.get('M4.3')!;
    expect(item.addresses).toEqual(['P1.2', 'P2.1']);
    expect(item.history.map((h) => h.action)).toEqual(['create']);
  });
});
