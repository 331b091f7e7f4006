// Supervision (督办): where reminders go (contacts: an e-mail address, a chat robot's webhook
// and its signing secret) and the notices that were sent (so that one is not sent twice the
// same day for the same items, and `log` can show it). A ledger file's secrets are guarded by
// its file permissions, like the rest of it.
import type { Database } from '../driver.js';
import type { Migration } from './types.js';

export const supervise: Migration = {
  version: 4,
  name: 'supervise',
  up(db: Database): void {
    db.exec(`
CREATE TABLE contacts (
  name       TEXT PRIMARY KEY,
  email      TEXT,
  webhook    TEXT,
  secret     TEXT,
  updated_at TEXT NOT NULL
) STRICT;

CREATE TABLE notices (
  key       INTEGER PRIMARY KEY,
  at        TEXT NOT NULL,
  day       TEXT NOT NULL,
  by        TEXT NOT NULL,
  recipient TEXT NOT NULL,
  channel   TEXT NOT NULL CHECK (channel IN ('email', 'wecom', 'dingtalk')),
  items     TEXT NOT NULL,
  db_user   TEXT
) STRICT;
CREATE INDEX notices_day ON notices (day, recipient);
`);
  },
};
