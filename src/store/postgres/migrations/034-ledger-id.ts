// The ledger's own name for itself (issue 17): an id written when the ledger is made, or by
// this upgrade for one made before, and kept by `rectify copy` (its owner role writes it, in
// the transaction that makes the copy), so that `overview` and `repeats` know one ledger
// however it is named. Every ledger role reads it; none writes it: an admin who could set it
// could give its ledger another ledger's id, and overview would count only one of the two.
// It is in no export: `export --format json` is unchanged.
import type { MigrationContext, PgMigration } from './types.js';

export const ledgerId: PgMigration = {
  version: 34,
  name: 'ledger-id',
  sql(c: MigrationContext): string {
    return `
CREATE TABLE ledger (
  one boolean PRIMARY KEY DEFAULT true CHECK (one),
  id  text NOT NULL CHECK (id ~ '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$')
);
INSERT INTO ledger (id) VALUES (gen_random_uuid()::text);
REVOKE ALL ON ledger FROM PUBLIC;
GRANT SELECT ON ledger TO ${c.viewer};
`;
  },
};
