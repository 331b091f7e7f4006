// A sign-off or a completion is taken back only as a reopening, and an item goes back to open
// only by undo (issue 17, red team 4). The guard checked a change's label against what changed,
// but let an admin's plain SQL take a signed-off item back to work labelled `progress` (verified
// 100% -> in progress 50%), back to done with no label (recorded `done`: a second completion),
// move a done item back to work at 100% as `progress`, and an item in progress back to open.
// rectify does these only by `reopen` (from done or verified to in progress, the progress kept:
// core/items.ts planReopen) or by undo, and never makes an item open again but by undo; the
// report's reopenings and completions read the labels. The history refuses any other such entry
// (a trigger before its insert, as the ledger's own code writes it; undo, create and import
// entries are not looked at: import never changes a status).
import type { MigrationContext, PgMigration } from './types.js';

export const takenBackByReopen: PgMigration = {
  version: 24,
  name: 'taken-back-by-reopen',
  sql(c: MigrationContext): string {
    return `
CREATE FUNCTION history_transition() RETURNS trigger LANGUAGE plpgsql SET search_path = pg_catalog, ${c.schema}, pg_temp AS $$
DECLARE
  v_changes jsonb;
  v_from text;
  v_to text;
  v_progress boolean;
BEGIN
  BEGIN
    v_changes := NEW.changes::jsonb;
  EXCEPTION WHEN others THEN
    RETURN NEW;
  END;
  v_from := v_changes->'status'->>0;
  v_to := v_changes->'status'->>1;
  v_progress := v_changes ? 'progress';
  IF v_to = 'open'
     OR (v_from = 'verified' AND NOT (NEW.action = 'reopen' AND v_to = 'in_progress' AND NOT v_progress))
     OR (v_from = 'done' AND v_to = 'in_progress' AND NOT v_progress AND NEW.action <> 'reopen')
     OR (NEW.action = 'reopen' AND (v_from IS NULL OR v_from NOT IN ('done', 'verified') OR v_to <> 'in_progress' OR v_progress)) THEN
    RAISE EXCEPTION 'rectify: % from % to % is taken back only by reopen or undo', NEW.action, v_from, v_to USING ERRCODE = '42501';
  END IF;
  RETURN NEW;
END $$;
REVOKE ALL ON FUNCTION history_transition() FROM PUBLIC;
CREATE TRIGGER history_transition BEFORE INSERT ON history FOR EACH ROW
  WHEN (NEW.action NOT IN ('undo', 'create', 'import') AND NEW.changes LIKE '%"status":%') EXECUTE FUNCTION history_transition();
`;
  },
};
