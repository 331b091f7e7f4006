// The written offset of an entry's time is the ledger's, not a ledger role's (issue 17, red
// team): the time was always the server's, but the offset came from the client's rectify.at
// (any of -14:59 to +14:59), so a role that set its own could move an entry's written day by
// up to about a day, and score's on-time rate reads that day. A ledger's offset is now that
// of its first entry, which its owner wrote (init, copy: the office's clock); an entry a
// ledger role makes is written in it. The owner alone may still give its own time (a load, a
// test's fixed clock), as before. A ledger with no entry yet takes the client's offset.
import type { MigrationContext, PgMigration } from './types.js';

const AT = `'^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\\.[0-9]{3}[+-](0[0-9]|1[0-4]):[0-5][0-9]$'`;

export const officeOffset: PgMigration = {
  version: 13,
  name: 'office-offset',
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
  INSERT INTO tx_groups (tx, grp, at) VALUES (pg_current_xact_id(), nextval('groups'), v_at) RETURNING * INTO g;
  RETURN g;
END $$;
`;
  },
};
