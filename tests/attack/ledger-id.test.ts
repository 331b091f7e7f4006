// The ledger's id (migration 034) as its roles could try it with plain SQL: an admin who could
// write it could give its ledger another ledger's id, and `overview` would count one of the two
// only (README, "One ledger, whatever it is called"). No ledger role writes it, however asked.
import { beforeAll, describe, expect, it } from 'vitest';
import { HAS_PG, makeLedger, type Ledger } from './helpers.js';

describe.runIf(HAS_PG)('the ledger\'s id', () => {
  let L: Ledger;
  beforeAll(async () => {
    L = await makeLedger();
  }, 120_000);

  it('is read by every ledger role and written by none', async () => {
    const { id } = ((await L.attempt(null, 'SELECT id FROM ledger')).rows as { id: string }[])[0]!;
    const other = '00000000-0000-4000-8000-000000000000';
    for (const user of [L.users.viewer, L.users.staff, L.users.admin]) {
      expect((await L.attempt(user, 'SELECT id FROM ledger')).rows).toEqual([{ id }]);
      for (const text of [
        `UPDATE ledger SET id = '${other}'`,
        'DELETE FROM ledger',
        `INSERT INTO ledger (one, id) VALUES (false, '${other}')`,
        'TRUNCATE ledger',
        'ALTER TABLE ledger DISABLE ROW LEVEL SECURITY',
        'CREATE TRIGGER t BEFORE UPDATE ON ledger FOR EACH ROW EXECUTE FUNCTION notices_stamp()',
      ]) {
        const r = await L.attempt(user, text);
        expect({ user, text, ok: r.ok, code: r.code }).toEqual({ user, text, ok: false, code: '42501' });
      }
    }
    expect((await L.attempt(null, 'SELECT id FROM ledger')).rows).toEqual([{ id }]);
  });
});
