// A notice sent from a ledger file and copied to a server keeps no database role, as a history
// entry made on a file does (docs/postgres.md, "Who acted"): the column may be empty. Only the
// ledger's owner (a copy into the schema it is creating) writes the column; admins record
// notices without it, and the server fills in session_user as before.
import type { PgMigration } from './types.js';

export const noticesFromFiles: PgMigration = {
  version: 4,
  name: 'notices-from-files',
  sql(): string {
    return 'ALTER TABLE notices ALTER COLUMN db_user DROP NOT NULL;';
  },
};
