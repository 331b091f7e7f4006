// A reopening says why (issue 17, red team 6). `rectify reopen IDS -m REASON` takes a sign-off
// or a completion back only with a reason (cli.md: "the reason is required"), and the report's
// reopenings are read with it; 017 and 024 hold the label to a change of status, but an admin's
// plain SQL (`UPDATE items SET status = 'in_progress'` on a signed-off item, labelled `reopen` or
// not) recorded a reopening with no reason at all. The history now refuses a `reopen` entry
// without a note (a trigger before its insert, as the ledger's own code writes it; the text
// rules of client_meta already refuse a blank one). The ledger's owner, writing what a copy
// brings, is let by.
import type { MigrationContext, PgMigration } from './types.js';

export const reopenSaysWhy: PgMigration = {
  version: 38,
  name: 'reopen-says-why',
  sql(c: MigrationContext): string {
    const owner = `'${c.names.owner.replace(/'/g, "''")}'`;
    return `
CREATE FUNCTION history_reason() RETURNS trigger LANGUAGE plpgsql SET search_path = pg_catalog, ${c.schema}, pg_temp AS $$
BEGIN
  IF pg_has_role(session_user, ${owner}, 'MEMBER') THEN RETURN NEW; END IF;
  RAISE EXCEPTION 'rectify: a reopening says why (a note)' USING ERRCODE = '42501';
END $$;
REVOKE ALL ON FUNCTION history_reason() FROM PUBLIC;
CREATE TRIGGER history_reason BEFORE INSERT ON history FOR EACH ROW WHEN (NEW.action = 'reopen' AND NEW.note IS NULL)
  EXECUTE FUNCTION history_reason();
`;
  },
};
