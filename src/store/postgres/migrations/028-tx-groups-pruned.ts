// The guard's table of transactions' groups keeps only what a transaction in progress needs
// (issue 17, red team 5). tx_group() wrote one row into tx_groups for every transaction that
// called it (each command that writes, and staff may call it directly) and nothing took any
// away: staff's loop of 10,000 calls left 10,000 rows, and an ordinary ledger one a command, for
// ever. A row is of use only inside its own transaction (its group and time, handed out once);
// the group numbers come from the sequence `groups`, which never goes back. tx_group() now takes
// away the rows of the transactions that ended (those it can see: committed; one another
// transaction is taking away meanwhile is skipped, not waited for) before it writes its own,
// so that the table holds about one row however many transactions there were. Otherwise as 013.
import type { MigrationContext, PgMigration } from './types.js';

const AT = `'^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\\.[0-9]{3}[+-](0[0-9]|1[0-4]):[0-5][0-9]$'`;

export const txGroupsPruned: PgMigration = {
  version: 28,
  name: 'tx-groups-pruned',
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
  -- Every row this transaction sees is another's that ended (committed): of no more use.
  DELETE FROM tx_groups WHERE tx IN (SELECT t.tx FROM tx_groups t FOR UPDATE SKIP LOCKED);
  INSERT INTO tx_groups (tx, grp, at) VALUES (pg_current_xact_id(), nextval('groups'), v_at) RETURNING * INTO g;
  RETURN g;
END $$;
-- What earlier transactions left.
DELETE FROM tx_groups WHERE tx <> pg_current_xact_id();
`;
  },
};
