// The day a notice is recorded on, asked before it is sent (issue 17). 027 records a notice at
// the server's time in the ledger's offset, but `remind --send` judged "already sent today" by
// the client's day (RECTIFY_TODAY or its clock): an admin whose day was not the server's was
// sent a second reminder. notice_at() is 027's rule for a notice's time, now in one place:
// notices_stamp uses it, and notice_day() answers with the day it gives (the client's own day
// for the ledger's owner, whose notices keep what it sent, as 027 lets it).
import type { MigrationContext, PgMigration } from './types.js';

const AT = `'^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\\.[0-9]{3}[+-](0[0-9]|1[0-4]):[0-5][0-9]$'`;
/** The shape 006's CHECK (notices_seed_text) takes. */
const ANY_AT = `'^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}([.][0-9]+)?(Z|[+-][0-9]{2}:[0-9]{2})$'`;

export const noticeDay: PgMigration = {
  version: 33,
  name: 'notice-day',
  sql(c: MigrationContext): string {
    const s = c.schema;
    const owner = `'${c.names.owner.replace(/'/g, "''")}'`;
    return `
CREATE FUNCTION notice_at(p_sent text) RETURNS text LANGUAGE plpgsql STABLE SET search_path = pg_catalog, ${s}, pg_temp AS $$
DECLARE
  v_offset text;
BEGIN
  SELECT right(h.at, 6) INTO v_offset FROM history h WHERE h.at ~ ${AT} ORDER BY h.seq LIMIT 1;
  v_offset := coalesce(v_offset, CASE WHEN p_sent ~ ${AT} THEN right(p_sent, 6) END, '+00:00');
  RETURN to_char(now() AT TIME ZONE v_offset::interval, 'YYYY-MM-DD"T"HH24:MI:SS.MS') || v_offset;
END $$;

CREATE FUNCTION notice_day(p_sent text, p_day text) RETURNS text LANGUAGE plpgsql STABLE SET search_path = pg_catalog, ${s}, pg_temp AS $$
BEGIN
  IF pg_has_role(session_user, ${owner}, 'MEMBER') THEN RETURN p_day; END IF;
  RETURN substr(notice_at(p_sent), 1, 10);
END $$;

CREATE OR REPLACE FUNCTION notices_stamp() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, ${s}, pg_temp AS $$
DECLARE
  v_at text;
BEGIN
  IF pg_has_role(session_user, ${owner}, 'MEMBER') THEN RETURN NEW; END IF;
  IF NOT (coalesce(NEW.at ~ ${ANY_AT} AND real_date(substr(NEW.at, 1, 10)), false)
          AND coalesce(NEW.day ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$' AND real_date(NEW.day), false)) THEN
    RAISE EXCEPTION 'rectify: a notice''s time or day is none' USING ERRCODE = '23514';
  END IF;
  SELECT g.at INTO v_at FROM tx_groups g WHERE g.tx = pg_current_xact_id();
  NEW.at := coalesce(v_at, notice_at(NEW.at));
  NEW.day := substr(NEW.at, 1, 10);
  RETURN NEW;
END $$;

REVOKE ALL ON FUNCTION notice_at(text), notice_day(text, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION notice_at(text), notice_day(text, text) TO ${c.viewer};
`;
  },
};
