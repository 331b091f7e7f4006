// The ledger's row of the database-wide summary that `rectify overview` reads (postgres/
// summary.ts): kept by the ledger's own triggers, as the owner role, from its roll-ups as they
// change (owner_counts: counts by status; due_counts: open items by due date), its report (title,
// unit) and its history (extensions, less those undone). Installed only where init or the
// upgrade could join the summary (the owner may write it); otherwise nothing here is made and
// overview reads the ledger's roll-ups as before. recount_rollups (after a bulk load, whose
// history is written with the triggers set aside) counts the row afresh as well.
// No setting is consulted: the figures follow the rows whoever writes them.
import type { MigrationContext, PgMigration } from './types.js';

export const overviewSummary: PgMigration = {
  version: 5,
  name: 'overview-summary',
  sql(c: MigrationContext): string {
    const s = c.schema;
    // The owner role by name (the row level security of the summary checks it against the
    // role the trigger runs as); the guard's functions never decide on current_user.
    const owner = `'${c.names.owner.replace(/'/g, "''")}'`;
    const definer = `LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, ${s}, pg_temp`;
    // The body runs only where the owner may write the summary; EXECUTE keeps its references
    // from being resolved where the summary does not exist.
    const body = `
CREATE FUNCTION overview_ledger() RETURNS text LANGUAGE sql STABLE SET search_path = pg_catalog, ${s}, pg_temp AS $f$
  SELECT n.nspname::text FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.oid = 'owner_counts'::regclass
$f$;

CREATE FUNCTION overview_recount() RETURNS void ${definer} AS $f$
DECLARE v_ledger text := overview_ledger();
BEGIN
  DELETE FROM rectify_overview.due WHERE ledger = v_ledger;
  INSERT INTO rectify_overview.ledgers AS l (ledger, owner_role, title, unit, items, open, in_progress, done, verified, extensions)
  SELECT v_ledger, ${owner}, r.title, r.unit, c.items, c.open, c.in_progress, c.done, c.verified, e.n
    FROM (SELECT 1) one
    LEFT JOIN report r ON true
   CROSS JOIN (SELECT coalesce(sum(n), 0)::int AS items,
                      coalesce(sum(n) FILTER (WHERE status = 'open'), 0)::int AS open,
                      coalesce(sum(n) FILTER (WHERE status = 'in_progress'), 0)::int AS in_progress,
                      coalesce(sum(n) FILTER (WHERE status = 'done'), 0)::int AS done,
                      coalesce(sum(n) FILTER (WHERE status = 'verified'), 0)::int AS verified
                 FROM owner_counts) c
   CROSS JOIN (SELECT count(*)::int AS n FROM history h
                WHERE h.action = 'extend' AND NOT EXISTS (SELECT 1 FROM undone u WHERE u.grp = h.grp)) e
  ON CONFLICT (ledger) DO UPDATE SET owner_role = excluded.owner_role, title = excluded.title, unit = excluded.unit,
     items = excluded.items, open = excluded.open, in_progress = excluded.in_progress, done = excluded.done,
     verified = excluded.verified, extensions = excluded.extensions;
  INSERT INTO rectify_overview.due (ledger, owner_role, due, n)
  SELECT v_ledger, ${owner}, due, sum(n)::int FROM due_counts GROUP BY due HAVING sum(n) > 0;
END $f$;

CREATE FUNCTION overview_counts() RETURNS trigger ${definer} AS $f$
DECLARE v_ledger text := TG_TABLE_SCHEMA;
BEGIN
  IF TG_OP <> 'INSERT' THEN
    UPDATE rectify_overview.ledgers SET items = items - OLD.n,
           open = open - CASE WHEN OLD.status = 'open' THEN OLD.n ELSE 0 END,
           in_progress = in_progress - CASE WHEN OLD.status = 'in_progress' THEN OLD.n ELSE 0 END,
           done = done - CASE WHEN OLD.status = 'done' THEN OLD.n ELSE 0 END,
           verified = verified - CASE WHEN OLD.status = 'verified' THEN OLD.n ELSE 0 END
     WHERE ledger = v_ledger;
  END IF;
  IF TG_OP <> 'DELETE' THEN
    UPDATE rectify_overview.ledgers SET items = items + NEW.n,
           open = open + CASE WHEN NEW.status = 'open' THEN NEW.n ELSE 0 END,
           in_progress = in_progress + CASE WHEN NEW.status = 'in_progress' THEN NEW.n ELSE 0 END,
           done = done + CASE WHEN NEW.status = 'done' THEN NEW.n ELSE 0 END,
           verified = verified + CASE WHEN NEW.status = 'verified' THEN NEW.n ELSE 0 END
     WHERE ledger = v_ledger;
  END IF;
  RETURN NULL;
END $f$;

CREATE FUNCTION overview_due() RETURNS trigger ${definer} AS $f$
DECLARE v_ledger text := TG_TABLE_SCHEMA;
BEGIN
  IF TG_OP <> 'INSERT' THEN
    UPDATE rectify_overview.due SET n = n - OLD.n WHERE ledger = v_ledger AND due = OLD.due AND n > OLD.n;
    IF NOT FOUND THEN DELETE FROM rectify_overview.due WHERE ledger = v_ledger AND due = OLD.due; END IF;
  END IF;
  IF TG_OP <> 'DELETE' AND NEW.n > 0 THEN
    INSERT INTO rectify_overview.due AS d (ledger, owner_role, due, n) VALUES (v_ledger, ${owner}, NEW.due, NEW.n)
      ON CONFLICT (ledger, due) DO UPDATE SET n = d.n + excluded.n;
  END IF;
  RETURN NULL;
END $f$;

CREATE FUNCTION overview_report() RETURNS trigger ${definer} AS $f$
BEGIN
  UPDATE rectify_overview.ledgers SET title = NEW.title, unit = NEW.unit WHERE ledger = TG_TABLE_SCHEMA;
  RETURN NULL;
END $f$;

CREATE FUNCTION overview_extensions() RETURNS trigger ${definer} AS $f$
BEGIN
  IF TG_TABLE_NAME = 'history' THEN
    UPDATE rectify_overview.ledgers SET extensions = extensions + 1 WHERE ledger = TG_TABLE_SCHEMA;
  ELSE
    UPDATE rectify_overview.ledgers
       SET extensions = extensions - (SELECT count(*)::int FROM history WHERE grp = NEW.grp AND action = 'extend')
     WHERE ledger = TG_TABLE_SCHEMA;
  END IF;
  RETURN NULL;
END $f$;

CREATE TRIGGER overview_counts AFTER INSERT OR UPDATE OR DELETE ON owner_counts FOR EACH ROW EXECUTE FUNCTION overview_counts();
CREATE TRIGGER overview_due AFTER INSERT OR UPDATE OR DELETE ON due_counts FOR EACH ROW EXECUTE FUNCTION overview_due();
CREATE TRIGGER overview_report AFTER INSERT OR UPDATE OF title, unit ON report FOR EACH ROW EXECUTE FUNCTION overview_report();
CREATE TRIGGER overview_extensions AFTER INSERT ON history FOR EACH ROW WHEN (NEW.action = 'extend') EXECUTE FUNCTION overview_extensions();
CREATE TRIGGER overview_undone AFTER INSERT ON undone FOR EACH ROW EXECUTE FUNCTION overview_extensions();

-- recount_rollups counts the summary's row afresh too (a bulk load sets history's triggers aside).
ALTER FUNCTION recount_rollups() RENAME TO recount_item_rollups;
REVOKE ALL ON FUNCTION recount_item_rollups() FROM PUBLIC, ${c.admin};
CREATE FUNCTION recount_rollups() RETURNS void ${definer} AS $f$
BEGIN
  PERFORM recount_item_rollups();
  PERFORM overview_recount();
END $f$;
REVOKE ALL ON FUNCTION recount_rollups(), overview_ledger(), overview_recount(), overview_counts(), overview_due(),
  overview_report(), overview_extensions() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION recount_rollups() TO ${c.admin};
SELECT overview_recount();`;
    return `
DO $do$
BEGIN
  IF to_regclass('rectify_overview.ledgers') IS NOT NULL AND to_regclass('rectify_overview.due') IS NOT NULL
     AND has_table_privilege('rectify_overview.ledgers', 'INSERT') AND has_table_privilege('rectify_overview.due', 'INSERT') THEN
    EXECUTE ${dollar(body)};
  END IF;
END $do$;`;
  },
};

/** A text as a dollar-quoted literal whose tag occurs nowhere in it. */
function dollar(text: string): string {
  let tag = 'body';
  while (text.includes(`$${tag}$`)) tag += 'x';
  return `$${tag}$${text}$${tag}$`;
}
