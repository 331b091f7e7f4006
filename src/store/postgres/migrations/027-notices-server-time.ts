// A notice is recorded at the server's time (issue 17, red team 5). A notice's `at` and `day`
// were whatever the client sent: an admin's plain SQL recorded a reminder as sent months before
// it was written, and `log` and the export showed it so (督办: the proof that a reminder went in
// time). As for the history (013), the time is the server's, written in the ledger's offset (its
// first entry's), and the day is that time's date; what the client sent is still checked for its
// shape (a notice whose time or day is none is refused, as 006's CHECK refuses it). The ledger's
// owner alone (init or copy from an export or a file: what was recorded elsewhere) keeps its
// own, as it keeps the history's recorded_at. A notice in a transaction that changed items takes
// that transaction's time, as its entries do.
import type { MigrationContext, PgMigration } from './types.js';

const AT = `'^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\\.[0-9]{3}[+-](0[0-9]|1[0-4]):[0-5][0-9]$'`;
/** The shape 006's CHECK (notices_seed_text) takes. */
const ANY_AT = `'^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}([.][0-9]+)?(Z|[+-][0-9]{2}:[0-9]{2})$'`;

export const noticesServerTime: PgMigration = {
  version: 27,
  name: 'notices-server-time',
  sql(c: MigrationContext): string {
    const s = c.schema;
    const owner = `'${c.names.owner.replace(/'/g, "''")}'`;
    return `
CREATE FUNCTION notices_stamp() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, ${s}, pg_temp AS $$
DECLARE
  v_sent text := NEW.at;
  v_at text;
  v_offset text;
BEGIN
  IF pg_has_role(session_user, ${owner}, 'MEMBER') THEN RETURN NEW; END IF;
  IF NOT (coalesce(NEW.at ~ ${ANY_AT} AND real_date(substr(NEW.at, 1, 10)), false)
          AND coalesce(NEW.day ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$' AND real_date(NEW.day), false)) THEN
    RAISE EXCEPTION 'rectify: a notice''s time or day is none' USING ERRCODE = '23514';
  END IF;
  SELECT g.at INTO v_at FROM tx_groups g WHERE g.tx = pg_current_xact_id();
  IF v_at IS NULL THEN
    SELECT right(h.at, 6) INTO v_offset FROM history h WHERE h.at ~ ${AT} ORDER BY h.seq LIMIT 1;
    v_offset := coalesce(v_offset, CASE WHEN v_sent ~ ${AT} THEN right(v_sent, 6) END, '+00:00');
    v_at := to_char(now() AT TIME ZONE v_offset::interval, 'YYYY-MM-DD"T"HH24:MI:SS.MS') || v_offset;
  END IF;
  NEW.at := v_at;
  NEW.day := substr(v_at, 1, 10);
  RETURN NEW;
END $$;
REVOKE ALL ON FUNCTION notices_stamp() FROM PUBLIC;
CREATE TRIGGER notices_stamp BEFORE INSERT ON notices FOR EACH ROW EXECUTE FUNCTION notices_stamp();
`;
  },
};
