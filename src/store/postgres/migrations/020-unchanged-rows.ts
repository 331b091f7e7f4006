// What a fourth red team found getting through the guard of 001-019 (issue 17), mended for
// every ledger (a new one right after 019; an earlier one by its upgrade), as the owner role:
//
// - A row moved without an entry. items_state() set an item's updated_at to the transaction's
//   time at every UPDATE by a ledger role, and the history writes no entry where nothing
//   changed: staff's `UPDATE items SET progress = progress` (or 40 and back to 30 in one
//   transaction), an admin's `SET title = title`, moved the time `show` gives with nothing in
//   the history. Now an UPDATE that leaves the item as it was before the transaction (its state
//   as the history words it, with no note, evidence or undo that would make an entry) keeps the
//   updated_at it had then; one that changes it takes the transaction's time, as before. A
//   change of what an item addresses (item_problems, an admin's) moves it likewise, after the
//   rows changed (rectify's own `edit --addresses` writes the time first, then the addresses).
// - One `done` took any number of evidence texts (staff's rectify.evidence of 5,000 texts made
//   5,000 rows). client_meta() now takes at most EVIDENCE_MAX texts an entry (each 1,000
//   characters at most, as before); `done` says so before opening the ledger, on a file as here.
import { EVIDENCE_MAX } from '../../../core/items.js';
import { ACTIONS } from '../../../core/vocab.js';
import type { MigrationContext, PgMigration } from './types.js';


const list = (words: readonly string[]) => words.map((w) => {
  if (!/^[a-z_]+$/.test(w)) throw new Error(`not a plain word: ${w}`);
  return `'${w}'`;
}).join(', ');
const lit = (s: string) => `'${s.replace(/'/g, "''")}'`;

export const unchangedRows: PgMigration = {
  version: 20,
  name: 'unchanged-rows',
  sql(c: MigrationContext): string {
    const s = c.schema;
    const definer = `LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, ${s}, pg_temp`;
    const member = (role: string) => `pg_has_role(session_user, ${lit(role)}, 'MEMBER')`;
    const isOwner = member(c.names.owner);
    const bulk = `(current_setting('rectify.bulk', true) IS NOT DISTINCT FROM 'on' AND ${isOwner})`;
    const setting = (name: string) => `nullif(current_setting('rectify.${name}', true), '')`;
    return `
-- The item's updated_at before the transaction first touched it.
ALTER TABLE pending ADD COLUMN was text COLLATE "C";

CREATE OR REPLACE FUNCTION touch(p_item integer, p_created boolean) RETURNS void ${definer} AS $$
DECLARE
  v_meta jsonb := client_meta();
  v_old jsonb;
BEGIN
  SELECT meta INTO v_old FROM pending WHERE tx = pg_current_xact_id() AND item = p_item;
  IF NOT FOUND THEN
    INSERT INTO pending (tx, item, before, meta, was)
    VALUES (pg_current_xact_id(), p_item, CASE WHEN p_created THEN NULL ELSE item_state(p_item) END, v_meta,
            CASE WHEN p_created THEN NULL ELSE (SELECT updated_at FROM items WHERE key = p_item) END);
    RETURN;
  END IF;
  -- An undo reverts the state its entry left; nothing else of the item changes in its unit of
  -- work, before it or after it (the client may not call its own change 'undo').
  IF (v_old->>'action' IS NOT DISTINCT FROM 'undo') <> (v_meta->>'action' IS NOT DISTINCT FROM 'undo') THEN
    RAISE EXCEPTION 'rectify: % is undone and changed otherwise in one unit of work', (SELECT id FROM items WHERE key = p_item)
      USING ERRCODE = '55000';
  END IF;
  UPDATE pending SET meta = v_meta || jsonb_strip_nulls(jsonb_build_object('reverts', v_old->'reverts', 'removed', v_old->'removed'))
   WHERE tx = pg_current_xact_id() AND item = p_item;
END $$;

CREATE OR REPLACE FUNCTION items_state() RETURNS trigger ${definer} AS $$
DECLARE
  v_action text := ${setting('action')};
  v_at text;
  p pending;
BEGIN
  IF TG_OP = 'INSERT' THEN
    -- When an item came is the server's word.
    IF NOT ${isOwner} THEN
      v_at := (tx_group()).at;
      NEW.updated_at := v_at;
      NEW.created_at := v_at;
    END IF;
    IF NOT ${bulk} THEN PERFORM touch(NEW.key, true); END IF;
    RETURN NEW;
  END IF;
  IF TG_OP = 'DELETE' THEN
    -- Work done on it, even if taken back since, keeps it; a seed's prune only what seeds alone touched.
    IF EXISTS (SELECT 1 FROM evidence WHERE item = OLD.key)
       OR EXISTS (SELECT 1 FROM history WHERE item = OLD.key AND action IN ('progress', 'done', 'verify', 'reopen'))
       OR (v_action IS NOT DISTINCT FROM 'import' AND EXISTS (SELECT 1 FROM history WHERE item = OLD.key AND via <> 'seed')) THEN
      RAISE EXCEPTION 'rectify: % has work recorded and stays', OLD.id USING ERRCODE = '42501';
    END IF;
    IF v_action IS DISTINCT FROM 'import' THEN
      INSERT INTO removed (grp, at, by, id, title)
      SELECT g.grp, g.at, client_meta()->>'by', OLD.id, OLD.title FROM tx_group() g;
    END IF;
    DELETE FROM item_problems WHERE item = OLD.key;
    DELETE FROM history WHERE item = OLD.key;
    RETURN OLD;
  END IF;
  PERFORM touch(OLD.key, false);
  IF NOT ${isOwner} THEN
    -- When it last changed is the server's word too: the transaction's time if it makes an
    -- entry (the item differs from before the transaction, or a note, evidence or an undo is
    -- recorded), else the time it had.
    SELECT * INTO p FROM pending WHERE tx = pg_current_xact_id() AND item = OLD.key;
    IF p.before IS NULL OR p.meta->>'action' IS NOT DISTINCT FROM 'undo' OR p.meta->>'note' IS NOT NULL
       OR jsonb_array_length(coalesce(p.meta->'evidence', '[]'::jsonb)) > 0
       OR p.before IS DISTINCT FROM item_state(OLD.key) || jsonb_build_object(
            'title', NEW.title, 'detail', NEW.detail, 'owner', NEW.owner, 'department', NEW.department, 'due', NEW.due,
            'term', NEW.term, 'status', NEW.status, 'progress', NEW.progress, 'pins', NEW.pins,
            'measure', (SELECT m.id FROM measures m WHERE m.key = NEW.measure)) THEN
      NEW.updated_at := (tx_group()).at;
    ELSE
      NEW.updated_at := p.was;
    END IF;
  END IF;
  RETURN NEW;
END $$;

-- A change of what an item addresses moves the item's time (through items_state), once the
-- rows changed. Not for the rows an item's removal takes with it (from inside a trigger).
CREATE FUNCTION item_problems_moved() RETURNS trigger ${definer} AS $$
BEGIN
  IF ${bulk} OR ${isOwner} OR pg_trigger_depth() > 1 THEN RETURN NULL; END IF;
  UPDATE items SET updated_at = updated_at WHERE key = CASE WHEN TG_OP = 'DELETE' THEN OLD.item ELSE NEW.item END;
  RETURN NULL;
END $$;
REVOKE ALL ON FUNCTION item_problems_moved() FROM PUBLIC;
CREATE TRIGGER item_problems_moved AFTER INSERT OR UPDATE OR DELETE ON item_problems
  FOR EACH ROW EXECUTE FUNCTION item_problems_moved();

-- What the client said, checked (at each touch of an item): at most ${EVIDENCE_MAX} evidence texts.
CREATE OR REPLACE FUNCTION client_meta() RETURNS jsonb ${definer} AS $$
DECLARE
  v_by text := coalesce(checked_text('by', ${setting('by')}, 100, true), session_user);
  v_note text := checked_text('note', ${setting('note')}, 5000, false);
  v_action text := ${setting('action')};
  v_via text := coalesce(${setting('via')}, 'cli');
  v_evidence jsonb := coalesce(${setting('evidence')}, '[]')::jsonb;
  v_text text;
BEGIN
  IF v_action IS NOT NULL AND v_action NOT IN (${list(ACTIONS)}, 'remove') THEN
    RAISE EXCEPTION 'rectify: unknown action %', v_action USING ERRCODE = '22023';
  END IF;
  IF v_via NOT IN ('cli', 'seed') THEN RAISE EXCEPTION 'rectify: unknown via %', v_via USING ERRCODE = '22023'; END IF;
  IF jsonb_typeof(v_evidence) IS DISTINCT FROM 'array' THEN
    RAISE EXCEPTION 'rectify: evidence is a list of texts' USING ERRCODE = '22023';
  END IF;
  IF jsonb_array_length(v_evidence) > ${EVIDENCE_MAX} THEN
    RAISE EXCEPTION 'rectify: % evidence texts at once; at most ${EVIDENCE_MAX} are recorded with one done', jsonb_array_length(v_evidence)
      USING ERRCODE = '22023';
  END IF;
  IF EXISTS (SELECT 1 FROM jsonb_array_elements(v_evidence) j WHERE jsonb_typeof(j) <> 'string') THEN
    RAISE EXCEPTION 'rectify: evidence is a list of texts' USING ERRCODE = '22023';
  END IF;
  FOR v_text IN SELECT e FROM jsonb_array_elements_text(v_evidence) AS x(e) LOOP
    PERFORM checked_text('evidence', v_text, 1000, false);
  END LOOP;
  RETURN jsonb_build_object('by', v_by, 'note', v_note, 'action', v_action, 'via', v_via, 'evidence', v_evidence);
END $$;
`;
  },
};
