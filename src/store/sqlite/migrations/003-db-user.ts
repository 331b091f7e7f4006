// The database role that recorded an entry (docs/postgres.md, "Who acted"). A ledger file has no
// database roles of its own, so its own changes leave this empty; it holds what a copy from
// a server carried, so that a ledger copied to a file and back loses nothing.
import type { Database } from '../driver.js';
import type { Migration } from './types.js';

export const dbUser: Migration = {
  version: 3,
  name: 'db-user',
  up(db: Database): void {
    db.exec('ALTER TABLE history ADD COLUMN db_user TEXT');
  },
};
