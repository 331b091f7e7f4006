// The ledger's sequences set from its rows (issue 17, red team), as the ledger's owner role. On
// the earlier version an admin held ALL on every sequence: a red team's admin moved them back
// (setval to 1) before the upgrade, and every write after it failed on a duplicate key, with
// only a superuser left who could set them right. Run at the upgrade (and harmlessly at init,
// on empty tables): each sequence follows the largest number its rows use, as a bulk load
// leaves it (store.ts finishBulk); numbers no row holds any more are free to be used again.
import type { PgMigration } from './types.js';

/** setval to the largest number in use, or back to the start when there is none. */
const follow = (seq: string, max: string) => `SELECT setval(${seq}, coalesce((${max}), 1), (${max}) IS NOT NULL);`;

export const sequencesFromRows: PgMigration = {
  version: 9,
  name: 'sequences-from-rows',
  sql(): string {
    const keys = ['areas', 'problems', 'causes', 'measures', 'items', 'evidence', 'removed']
      .map((t) => follow(`pg_get_serial_sequence('${t}', 'key')`, `SELECT max(key) FROM ${t}`));
    const groups = `SELECT max(g) FROM (SELECT max(grp) FROM history UNION ALL SELECT max(grp) FROM removed
      UNION ALL SELECT max(grp) FROM undone UNION ALL SELECT max(by_grp) FROM undone UNION ALL SELECT max(grp) FROM tx_groups) x(g)`;
    return [
      ...keys,
      follow(`pg_get_serial_sequence('history', 'seq')`, 'SELECT max(seq) FROM history'),
      follow(`'groups'`, groups),
    ].join('\n');
  },
};
