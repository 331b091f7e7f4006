// A notice sent is recorded though one of its items moved on its way (review of 036). remind
// --send reads the items, sends each notice (seconds, for a mail or a robot), then records it;
// 036 asked that every item be the recipient's when the record is written, so an item assigned
// elsewhere meanwhile (`assign M1.1 王建国 --department 宣传部` while the morning's reminders go)
// made the record fail: the notice had gone, the record said it had not, and the rest of the
// run was not sent (cli.md: "what was sent is recorded"; "any failure: the rest still go").
// An item now counts as the recipient's too where the history, since the day before the
// server's date, records it moving away from the recipient (its owner or department before a
// change): what a run could have read. Everything else 036 holds stands.
import type { MigrationContext, PgMigration } from './types.js';

const lit = (s: string) => `'${s.replace(/'/g, "''")}'`;

export const noticesOfItemsMoved: PgMigration = {
  version: 41,
  name: 'notices-of-items-moved',
  sql(c: MigrationContext): string {
    const s = c.schema;
    return `
CREATE OR REPLACE FUNCTION notices_as_sent() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, ${s}, pg_temp AS $$
DECLARE
  v_ids text[];
  v_since text;
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
  v_since := to_char(substr(notice_at(NEW.at), 1, 10)::date - 1, 'YYYY-MM-DD');
  IF EXISTS (SELECT 1 FROM unnest(v_ids) x WHERE NOT EXISTS (SELECT 1 FROM items i WHERE i.id = x
               AND (i.owner = NEW.recipient OR i.department = NEW.recipient
                    OR EXISTS (SELECT 1 FROM history h WHERE h.item = i.key AND h.day >= v_since
                                 AND (h.changes LIKE '%"owner"%' OR h.changes LIKE '%"department"%')
                                 AND NEW.recipient IN (h.changes::jsonb->'owner'->>0, h.changes::jsonb->'department'->>0))))) THEN
    RAISE EXCEPTION 'rectify: a notice to % names an item that is not its own', NEW.recipient USING ERRCODE = '42501';
  END IF;
  IF NOT EXISTS (SELECT 1 FROM contacts k WHERE k.name = NEW.recipient
                   AND CASE WHEN NEW.channel = 'email' THEN nullif(btrim(k.email), '') IS NOT NULL
                            ELSE lower(split_part(btrim(k.webhook), ':', 1)) = NEW.channel END) THEN
    RAISE EXCEPTION 'rectify: % has no % to send a notice to', NEW.recipient, NEW.channel USING ERRCODE = '42501';
  END IF;
  RETURN NEW;
END $$;
`;
  },
};
