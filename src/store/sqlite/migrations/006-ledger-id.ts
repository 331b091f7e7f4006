// The ledger's own name for itself (issue 17): an id written when the ledger is made, or by
// this upgrade for one made before, and kept by `rectify copy` and by a copy of the file, so
// that `overview` and `repeats` know one ledger however it is named (a link, another path, a
// copy moved to a server and back). It is in no export: `export --format json` is unchanged.
import { randomUUID } from 'node:crypto';
import type { Database } from '../driver.js';
import type { Migration } from './types.js';

export const ledgerId: Migration = {
  version: 6,
  name: 'ledger-id',
  up(db: Database): void {
    db.exec(`
CREATE TABLE ledger (
  one INTEGER PRIMARY KEY CHECK (one = 1),
  id  TEXT NOT NULL
) STRICT;`);
    db.prepare('INSERT INTO ledger (one, id) VALUES (1, ?)').run(randomUUID());
  },
};
