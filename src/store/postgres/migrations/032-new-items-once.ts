// An item created in a transaction is written once, however many problems it addresses (issue
// 17: bulk paths on a server). Migration 20 moves an item's time when what it addresses changes:
// item_problems_moved() UPDATEs the item after each row of item_problems. For an item inserted
// in the same transaction that UPDATE changes nothing (its time is the transaction's already,
// from its INSERT, and its entry is a creation whatever follows), yet it runs the item's
// triggers again and leaves a dead row: an admin's `import` of 40 new items addressing two
// problems each updated items 80 times. Measured on 5,000 new items imported by an admin login
// (load about 2): 15.5 s with those updates, 10.2 s without. Now an item whose state before the
// transaction is none (created in it: 020's touch) is left alone; any other as in 020.
import type { MigrationContext, PgMigration } from './types.js';

const lit = (s: string) => `'${s.replace(/'/g, "''")}'`;

export const newItemsOnce: PgMigration = {
  version: 32,
  name: 'new-items-once',
  sql(c: MigrationContext): string {
    const isOwner = `pg_has_role(session_user, ${lit(c.names.owner)}, 'MEMBER')`;
    const bulk = `(current_setting('rectify.bulk', true) IS NOT DISTINCT FROM 'on' AND ${isOwner})`;
    return `
CREATE OR REPLACE FUNCTION item_problems_moved() RETURNS trigger
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, ${c.schema}, pg_temp AS $$
DECLARE
  v_item integer := CASE WHEN TG_OP = 'DELETE' THEN OLD.item ELSE NEW.item END;
BEGIN
  IF ${bulk} OR ${isOwner} OR pg_trigger_depth() > 1 THEN RETURN NULL; END IF;
  IF EXISTS (SELECT 1 FROM pending WHERE tx = pg_current_xact_id() AND item = v_item AND before IS NULL) THEN RETURN NULL; END IF;
  UPDATE items SET updated_at = updated_at WHERE key = v_item;
  RETURN NULL;
END $$;
`;
  },
};
