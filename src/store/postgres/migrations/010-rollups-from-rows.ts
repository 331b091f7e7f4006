// The roll-ups counted afresh from the rows (issue 17, red team), as the ledger's owner role. On
// the earlier version an admin held ALL on owner_counts, due_counts, measures and problems: a red
// team's admin added 7 to every count and marked every problem rectified before the upgrade, and
// after it `status` said 61 items of a 12-item ledger, for good (nobody but the owner writes the
// roll-ups now). recount_rollups() is the one bulk loads use (and, where the ledger joined the
// database's summary, it counts the summary's row too); on empty tables (init) it does nothing.
import type { PgMigration } from './types.js';

export const rollupsFromRows: PgMigration = {
  version: 10,
  name: 'rollups-from-rows',
  sql(): string {
    return 'SELECT recount_rollups();';
  },
};
