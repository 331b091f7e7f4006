// What an admin writes into a contact's robot address and secret reloads from an export (issue
// 17, red team 6). 006 held a contact's name and e-mail address to the seed's rules, but not its
// webhook nor its 钉钉 signing secret: an admin's plain SQL wrote a webhook of 3,000 characters,
// and the export no longer loaded ("contact[1].webhook is 3032 characters long; at most 2000 are
// allowed", core/jsonl.ts); a secret or webhook with a control character or white space at either
// end is none that `contact set` writes either (it trims both, and normalises the URL). CHECKs of
// the reader's rules (NOT VALID, as 006's: rows from before stand): the seed's text rules and at
// most 2,000 characters for a webhook, 500 for a secret. `contact set` says the same before it
// writes, on a file as on a server.
import { SECRET_MAX, WEBHOOK_MAX } from '../../../core/remind.js';
import type { PgMigration } from './types.js';

export const contactsReload: PgMigration = {
  version: 39,
  name: 'contacts-reload',
  sql(): string {
    return `
ALTER TABLE contacts ADD CONSTRAINT contacts_robot_text CHECK (
  (webhook IS NULL OR (seed_text(webhook, true) AND char_length(webhook) <= ${WEBHOOK_MAX}))
  AND (secret IS NULL OR (seed_text(secret, true) AND char_length(secret) <= ${SECRET_MAX}))) NOT VALID;
`;
  },
};
