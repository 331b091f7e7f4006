// The ledger's own name for itself (issue 17): an id written when the ledger is made, or by
// this upgrade for one made before, and kept by `rectify copy` and by a copy of the file, so
// that `overview` and `repeats` know one ledger however it is named (a link, another path, a
// copy moved to a server and back). It is in no export: `export --format json` is unchanged.
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
    // A random UUID (version 4, lower-case, as the server's CHECK wants it) made by SQLite
    // itself: node:crypto, imported here, was loaded by every command that opens a file (this
    // module is read at each open), 8-12 M more instructions for `status` (callgrind).
    db.exec(`
INSERT INTO ledger (one, id)
SELECT 1, substr(h, 1, 8) || '-' || substr(h, 9, 4) || '-4' || substr(h, 14, 3) || '-'
          || substr('89ab', 1 + abs(random() % 4), 1) || substr(h, 18, 3) || '-' || substr(h, 21, 12)
  FROM (SELECT lower(hex(randomblob(16))) AS h);`);
  },
};
