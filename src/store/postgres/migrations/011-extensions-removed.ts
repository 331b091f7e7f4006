// The database summary's count of extensions follows the rows when an item goes (issue 17, red
// team; migration 005 added one per `extend` entry and took back those undone, but `rm` of an
// item deletes its entries, extensions included, and the count kept them: an admin's two
// extensions and an rm left the ledger's row at 1 where its history holds none). Installed only
// where 005's triggers are (the ledger joined the summary), as the ledger's owner role.
import type { MigrationContext, PgMigration } from './types.js';

export const extensionsRemoved: PgMigration = {
  version: 11,
  name: 'extensions-removed',
  sql(c: MigrationContext): string {
    const s = c.schema;
    return `
DO $do$
BEGIN
  IF to_regprocedure('overview_extensions()') IS NOT NULL THEN
    EXECUTE $body$
CREATE FUNCTION overview_extensions_gone() RETURNS trigger
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, ${s}, pg_temp AS $f$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM undone WHERE grp = OLD.grp) THEN
    UPDATE rectify_overview.ledgers SET extensions = extensions - 1 WHERE ledger = TG_TABLE_SCHEMA;
  END IF;
  RETURN NULL;
END $f$;
REVOKE ALL ON FUNCTION overview_extensions_gone() FROM PUBLIC;
CREATE TRIGGER overview_extensions_gone AFTER DELETE ON history FOR EACH ROW WHEN (OLD.action = 'extend')
  EXECUTE FUNCTION overview_extensions_gone();
SELECT overview_recount();
$body$;
  END IF;
END $do$;`;
  },
};
