// Supervision (督办) on a server (run as the ledger's owner role, after the guard): contacts (where reminders go, with webhook keys and signing
// secrets) and the notices sent. Only the admin role may read or write the contacts table;
// viewers and staff read the names through contact_names, a view that shows nothing else (it
// reads the table with its owner's rights, and exposes only the name column). Notices may be
// read by every ledger role (log shows them) and recorded by an admin only, under the
// database role that sent them (session_user, set by the server).
import type { MigrationContext, PgMigration } from './types.js';

export const supervise: PgMigration = {
  version: 3,
  name: 'supervise',
  sql(c: MigrationContext): string {
    const T = 'text COLLATE "C"';
    return `
CREATE TABLE contacts (
  name       ${T} PRIMARY KEY,
  email      ${T},
  webhook    ${T},
  secret     ${T},
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE VIEW contact_names AS SELECT name FROM contacts;

CREATE TABLE notices (
  key       integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  at        ${T} NOT NULL,
  day       ${T} NOT NULL,
  by        ${T} NOT NULL,
  recipient ${T} NOT NULL,
  channel   ${T} NOT NULL CHECK (channel IN ('email', 'wecom', 'dingtalk')),
  items     ${T} NOT NULL,
  db_user   ${T} NOT NULL DEFAULT session_user
);
CREATE INDEX notices_day ON notices (day, recipient);

REVOKE ALL ON contacts, contact_names, notices FROM PUBLIC;
GRANT SELECT, INSERT, UPDATE, DELETE ON contacts TO ${c.admin};
GRANT SELECT ON contact_names TO ${c.viewer}, ${c.staff}, ${c.admin};
GRANT SELECT ON notices TO ${c.viewer}, ${c.staff}, ${c.admin};
GRANT INSERT (at, day, by, recipient, channel, items) ON notices TO ${c.admin};
`;
  },
};
