// The guard's table of items' states before a transaction keeps only what transactions in
// progress need (issue 17, red team 6). A BEFORE trigger keeps an item's state in `pending` when a
// transaction first touches it, and the history's deferred trigger takes the row away at COMMIT
// (002). An INSERT that ON CONFLICT DO NOTHING skips has fired its BEFORE triggers and never
// fires its AFTER ones: an admin's `INSERT INTO items ... SELECT ... FROM generate_series(1, 500)
// ON CONFLICT DO NOTHING` (an id the ledger has) left 500 rows in pending for good, and one of
// item_problems a row each, in a table no one but the owner reads (a million with a million rows,
// one statement each). As 028 does for tx_groups, tx_group() now takes away, at a transaction's
// first use of it, the rows of pending that transactions which ended left (every row it sees of
// another transaction: committed; one another transaction is taking away is skipped, not waited
// for). On a ledger as rectify writes it there are none to take (each COMMIT takes its own).
import type { MigrationContext, PgMigration } from './types.js';

const AT = `'^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\\.[0-9]{3}[+-](0[0-9]|1[0-4]):[0-5][0-9]$'`;

export const pendingPruned: PgMigration = {
  version: 37,
  name: 'pending-pruned',
  sql(c: MigrationContext): string {
    const s = c.schema;
    const owner = `'${c.names.owner.replace(/'/g, "''")}'`;
    return `
CREATE OR REPLACE FUNCTION tx_group() RETURNS tx_groups LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, ${s}, pg_temp AS $$
DECLARE
  g tx_groups;
  v_at text := nullif(current_setting('rectify.at', true), '');
  v_offset text;
BEGIN
  SELECT * INTO g FROM tx_groups WHERE tx = pg_current_xact_id();
  IF FOUND THEN RETURN g; END IF;
  IF v_at !~ ${AT} THEN v_at := NULL; END IF;
  -- The time is the server's, written in the ledger's offset (its first entry's); the owner
  -- alone (a load, a test's fixed clock) may give its own.
  IF v_at IS NULL OR NOT pg_has_role(session_user, ${owner}, 'MEMBER') THEN
    SELECT right(h.at, 6) INTO v_offset FROM history h WHERE h.at ~ ${AT} ORDER BY h.seq LIMIT 1;
    v_offset := coalesce(v_offset, right(v_at, 6), '+00:00');
    v_at := to_char(now() AT TIME ZONE v_offset::interval, 'YYYY-MM-DD"T"HH24:MI:SS.MS') || v_offset;
  END IF;
  -- Every row this transaction sees of another is one that ended (committed): of no more use.
  DELETE FROM tx_groups WHERE tx IN (SELECT t.tx FROM tx_groups t FOR UPDATE SKIP LOCKED);
  DELETE FROM pending p USING (SELECT q.tx, q.item FROM pending q WHERE q.tx <> pg_current_xact_id() FOR UPDATE SKIP LOCKED) x
   WHERE p.tx = x.tx AND p.item = x.item;
  INSERT INTO tx_groups (tx, grp, at) VALUES (pg_current_xact_id(), nextval('groups'), v_at) RETURNING * INTO g;
  RETURN g;
END $$;
-- What earlier transactions left.
DELETE FROM pending WHERE tx <> pg_current_xact_id();
`;
  },
};
