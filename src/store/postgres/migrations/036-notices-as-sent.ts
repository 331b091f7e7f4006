// The record of reminders sent says only what `remind --send` could have sent (issue 17, red team
// 6). A notice (督办通知) recorded in the ledger is what an auditor or a discipline inspection
// reads as proof that a department was told of its overdue items, and when. Migrations 003, 004
// and 027 made it an admin's to write, under the database role that wrote it (session_user), at
// the server's time, and no role may change or remove one; but an admin's plain SQL still wrote
// anything else: 10,000 notices in one statement, a notice to 财务科 about items that are not
// its own (one it was never sent, which the record now said it had been), about ids no item
// has, by a channel the recipient has no address for, and under an actor of 1,000 characters.
// rectify records one notice for each recipient and channel it sent to, as it goes, each in a
// transaction of its own, naming the recipient's items (its owner's or its department's) by
// their ids in order, each once, by a channel of the recipient's contact. The server now holds
// every notice a ledger role writes to that:
//
// - one notice a transaction (each send recorded as it went);
// - the actor (`by`) by the history's rule for one (checked_text: one line, at most 100
//   characters, no white space at either end);
// - at least one item, ids in order and each once, each the id of an item of the ledger whose
//   owner or department is the recipient;
// - a recipient with a contact that has an address for the channel (an e-mail address; a robot
//   of that kind).
//
// Whether the item is still red or yellow is not asked: a notice is recorded after it went, and
// the item may have been done meanwhile. Nor is a notice sent again refused: `--force` sends one
// again the same day, and what went is recorded; any number of them is as many sends, each under
// the role that made it, at the server's time. The ledger's owner (init, copy: a record made
// elsewhere, of items that may have gone since) writes what it brings.
import type { MigrationContext, PgMigration } from './types.js';

const lit = (s: string) => `'${s.replace(/'/g, "''")}'`;

export const noticesAsSent: PgMigration = {
  version: 36,
  name: 'notices-as-sent',
  sql(c: MigrationContext): string {
    const s = c.schema;
    return `
-- The transaction that recorded a notice (not exported; empty for notices from before).
ALTER TABLE notices ADD COLUMN tx xid8;
ALTER TABLE notices ALTER COLUMN tx SET DEFAULT pg_current_xact_id();
CREATE INDEX notices_tx ON notices (tx);

CREATE FUNCTION notices_as_sent() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, ${s}, pg_temp AS $$
DECLARE
  v_ids text[];
BEGIN
  NEW.tx := pg_current_xact_id();
  IF pg_has_role(session_user, ${lit(c.names.owner)}, 'MEMBER') THEN RETURN NEW; END IF;
  IF EXISTS (SELECT 1 FROM notices WHERE tx = NEW.tx) THEN
    RAISE EXCEPTION 'rectify: a notice is recorded once it went, one a transaction' USING ERRCODE = '42501';
  END IF;
  PERFORM checked_text('by', NEW."by", 100, true);
  v_ids := string_to_array(NEW.items, ',');
  IF coalesce(cardinality(v_ids), 0) = 0
     OR v_ids IS DISTINCT FROM ARRAY(SELECT DISTINCT x COLLATE "C" FROM unnest(v_ids) x ORDER BY 1) THEN
    RAISE EXCEPTION 'rectify: a notice names its items by their ids, in order, each once' USING ERRCODE = '23514';
  END IF;
  IF EXISTS (SELECT 1 FROM unnest(v_ids) x WHERE NOT EXISTS (SELECT 1 FROM items i WHERE i.id = x
               AND (i.owner = NEW.recipient OR i.department = NEW.recipient))) THEN
    RAISE EXCEPTION 'rectify: a notice to % names an item that is not its own', NEW.recipient USING ERRCODE = '42501';
  END IF;
  IF NOT EXISTS (SELECT 1 FROM contacts k WHERE k.name = NEW.recipient
                   AND CASE WHEN NEW.channel = 'email' THEN nullif(btrim(k.email), '') IS NOT NULL
                            ELSE lower(split_part(btrim(k.webhook), ':', 1)) = NEW.channel END) THEN
    RAISE EXCEPTION 'rectify: % has no % to send a notice to', NEW.recipient, NEW.channel USING ERRCODE = '42501';
  END IF;
  RETURN NEW;
END $$;
REVOKE ALL ON FUNCTION notices_as_sent() FROM PUBLIC;
CREATE TRIGGER notices_as_sent BEFORE INSERT ON notices FOR EACH ROW EXECUTE FUNCTION notices_as_sent();
`;
  },
};
