// The guard (docs/postgres.md, "What the server guarantees"): a ledger whose server trusts
// no client. It runs as the ledger's owner role (NOLOGIN, no login member once init or the
// upgrade commits), on a new ledger right after 001 and on a ledger of the earlier version
// by `rectify init --upgrade`, in the same transaction that hands everything to the owner.
//
// - The history is the database's: group roles may not write history, evidence, undone,
//   removed or the roll-ups. A BEFORE trigger on items and item_problems keeps each item's
//   state as it was before the transaction first touched it (`pending`); a constraint
//   trigger deferred to COMMIT compares it with the state then and writes exactly one entry
//   per item that changed (none when nothing did), with the database role (session_user).
//   The client hands in only what the server cannot know, as transaction-local settings read
//   and checked at each touch: rectify.by (on whose behalf), rectify.note, rectify.evidence
//   (a JSON array of texts), rectify.action (its label, checked against the change) and
//   rectify.via; rectify.at, the client's clock, is checked for its shape (the server's own
//   time is kept beside it in history.recorded_at).
// - Rules on the locked row: status and progress agree; staff move items only between open,
//   in progress and done, never touch a signed-off item; only a done item is signed off.
// - undo is a SECURITY DEFINER function: staff reach only what their own database role
//   recorded (progress and done), admins anyone's; it reverts what the history says and
//   refuses when the item moved since.
// - Every function here that runs as the owner sets search_path = pg_catalog, <schema>,
//   pg_temp and decides on session_user; "called by the ledger's own code" is current_user
//   being the owner, which no login role can become.
// - The bulk path (roll-ups and checks set aside, counted once) is the owner's alone: a
//   member of the owner role, which only the session running init or the upgrade is.
import { ACTIONS, FINISHED_STATUSES, OPEN_STATUSES } from '../../../core/vocab.js';
import type { MigrationContext, PgMigration } from './types.js';

function list(words: readonly string[]): string {
  return words
    .map((w) => {
      if (!/^[a-z_]+$/.test(w)) throw new Error(`not a plain word: ${w}`);
      return `'${w}'`;
    })
    .join(', ');
}

const lit = (s: string) => `'${s.replace(/'/g, "''")}'`;

/** The text rules of a seed (core/items.ts forbiddenChar): no C0 or C1 control but tab and
 *  line feed (a CR only before LF), no DEL. */
const CONTROL = `'[\\x01-\\x08\\x0b\\x0c\\x0e-\\x1f\\x7f-\\x9f]|\\r(?!\\n)'`;

export const guard: PgMigration = {
  version: 2,
  name: 'guard',
  sql(c: MigrationContext): string {
    const open = list(OPEN_STATUSES);
    const finished = list(FINISHED_STATUSES);
    const s = c.schema;
    const definer = `LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, ${s}, pg_temp`;
    // Checks that must know who is calling run as the caller (current_user is then the owner
    // only inside the ledger's own SECURITY DEFINER code, such as undo_group).
    const invoker = `LANGUAGE plpgsql SET search_path = pg_catalog, ${s}, pg_temp`;
    const member = (role: string) => `pg_has_role(session_user, ${lit(role)}, 'MEMBER')`;
    const isAdmin = member(c.names.admin);
    const isStaff = member(c.names.staff);
    const isOwner = member(c.names.owner);
    // Inside the ledger's own SECURITY DEFINER code (undo): nobody else runs as the owner.
    const ours = `current_user = ${lit(c.names.owner)}`;
    const bulk = `(current_setting('rectify.bulk', true) IS NOT DISTINCT FROM 'on' AND ${isOwner})`;
    const setting = (name: string) => `nullif(current_setting('rectify.${name}', true), '')`;
    return `
-- The guard's own tables: nobody but the owner reads or writes them -------------------
CREATE TABLE ledger_lock (one integer PRIMARY KEY CHECK (one = 1));
INSERT INTO ledger_lock VALUES (1);
-- One group (and time) per writing transaction.
CREATE TABLE tx_groups (
  tx  xid8 PRIMARY KEY,
  grp integer NOT NULL,
  at  text COLLATE "C" NOT NULL
);
-- Each item's state before the transaction first touched it, and what the client said.
CREATE TABLE pending (
  tx     xid8 NOT NULL,
  item   integer NOT NULL,
  before jsonb,
  meta   jsonb NOT NULL,
  PRIMARY KEY (tx, item)
);
-- The server's own clock beside the client's (entries from before the guard have none).
ALTER TABLE history ADD COLUMN recorded_at timestamptz;
ALTER TABLE history ALTER COLUMN recorded_at SET DEFAULT now();

-- Text the client hands in, by the seed's rules ------------------------------------------
CREATE FUNCTION checked_text(field text, value text, max integer, one_line boolean) RETURNS text
  LANGUAGE plpgsql IMMUTABLE SET search_path = pg_catalog, pg_temp AS $$
BEGIN
  IF value IS NULL THEN RETURN NULL; END IF;
  IF value ~ ${CONTROL} OR (one_line AND value ~ '[\\n\\r]') THEN
    RAISE EXCEPTION 'rectify: % holds a control character', field USING ERRCODE = '22023';
  END IF;
  IF btrim(value, E' \\t\\n\\r') = '' THEN
    RAISE EXCEPTION 'rectify: % is blank', field USING ERRCODE = '22023';
  END IF;
  IF char_length(value) > max THEN
    RAISE EXCEPTION 'rectify: % is longer than % characters', field, max USING ERRCODE = '22023';
  END IF;
  RETURN value;
END $$;

-- What the client said, checked (at each touch of an item).
CREATE FUNCTION client_meta() RETURNS jsonb ${definer} AS $$
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
  FOR v_text IN SELECT e FROM jsonb_array_elements(v_evidence) AS x(j), LATERAL (SELECT j #>> '{}' AS e) y LOOP
    PERFORM checked_text('evidence', v_text, 1000, false);
  END LOOP;
  IF EXISTS (SELECT 1 FROM jsonb_array_elements(v_evidence) j WHERE jsonb_typeof(j) <> 'string') THEN
    RAISE EXCEPTION 'rectify: evidence is a list of texts' USING ERRCODE = '22023';
  END IF;
  RETURN jsonb_build_object('by', v_by, 'note', v_note, 'action', v_action, 'via', v_via, 'evidence', v_evidence);
END $$;

-- This transaction's group and time (made on first use).
CREATE FUNCTION tx_group() RETURNS tx_groups ${definer} AS $$
DECLARE
  g tx_groups;
  v_at text := ${setting('at')};
  v_offset text := '+00:00';
BEGIN
  SELECT * INTO g FROM tx_groups WHERE tx = pg_current_xact_id();
  IF FOUND THEN RETURN g; END IF;
  IF v_at !~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\\.[0-9]{3}[+-](0[0-9]|1[0-4]):[0-5][0-9]$' THEN v_at := NULL; END IF;
  -- The time is the server's: the client's clock only lends its offset (local time, as a file
  -- records it). The owner alone (a load, a test's fixed clock) may give its own.
  IF v_at IS NULL OR NOT ${isOwner} THEN
    IF v_at IS NOT NULL THEN v_offset := right(v_at, 6); END IF;
    v_at := to_char(now() AT TIME ZONE v_offset::interval, 'YYYY-MM-DD"T"HH24:MI:SS.MS') || v_offset;
  END IF;
  INSERT INTO tx_groups (tx, grp, at) VALUES (pg_current_xact_id(), nextval('groups'), v_at) RETURNING * INTO g;
  RETURN g;
END $$;

-- The ledger's write lock: a row only the owner may lock, taken for a ledger role.
CREATE FUNCTION lock_ledger() RETURNS boolean ${definer} AS $$
BEGIN
  IF NOT ${isStaff} THEN RETURN false; END IF;
  PERFORM 1 FROM ledger_lock FOR UPDATE;
  RETURN true;
END $$;

-- An item's state as the history words it.
CREATE FUNCTION item_state(p_key integer) RETURNS jsonb
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, ${s}, pg_temp AS $$
  SELECT jsonb_build_object(
    'title', i.title, 'detail', i.detail, 'owner', i.owner, 'department', i.department, 'due', i.due, 'term', i.term,
    'status', i.status, 'progress', i.progress, 'pins', i.pins,
    'measure', (SELECT m.id FROM measures m WHERE m.key = i.measure),
    'addresses', coalesce((SELECT jsonb_agg(p.id ORDER BY ip.pos) FROM item_problems ip JOIN problems p ON p.key = ip.problem
                            WHERE ip.item = i.key), '[]'::jsonb))
    FROM items i WHERE i.key = p_key
$$;

-- Keeps the state before the first touch, and what the client said at the latest.
CREATE FUNCTION touch(p_item integer, p_created boolean) RETURNS void ${definer} AS $$
DECLARE
  v_meta jsonb := client_meta();
BEGIN
  UPDATE pending SET meta = v_meta WHERE tx = pg_current_xact_id() AND item = p_item;
  IF NOT FOUND THEN
    INSERT INTO pending (tx, item, before, meta)
    VALUES (pg_current_xact_id(), p_item, CASE WHEN p_created THEN NULL ELSE item_state(p_item) END, v_meta);
  END IF;
END $$;

-- Rules on the locked row (as the caller), then the state before (as the owner) -------
CREATE FUNCTION items_rules() RETURNS trigger ${invoker} AS $$
DECLARE
  v_action text := ${setting('action')};
BEGIN
  IF TG_OP = 'INSERT' THEN RETURN NEW; END IF;
  IF TG_OP = 'DELETE' THEN
    IF NOT (${isAdmin} OR ${ours}) THEN
      RAISE EXCEPTION 'rectify: only % may remove an item', ${lit(c.names.admin)} USING ERRCODE = '42501';
    END IF;
    RETURN OLD;
  END IF;
  IF NOT ${ours} THEN
    IF v_action IN ('undo', 'create', 'remove') THEN
      RAISE EXCEPTION 'rectify: % is recorded by the ledger itself', v_action USING ERRCODE = '42501';
    END IF;
    IF NOT ${isAdmin} THEN
      IF OLD.status = 'verified' THEN
        RAISE EXCEPTION 'rectify: only % may change a signed-off item', ${lit(c.names.admin)} USING ERRCODE = '42501';
      END IF;
      IF NEW.status IS DISTINCT FROM OLD.status AND NEW.status NOT IN ('in_progress', 'done') THEN
        RAISE EXCEPTION 'rectify: only % may sign off or reopen', ${lit(c.names.admin)} USING ERRCODE = '42501';
      END IF;
      -- Back to work from done with the progress kept is a reopening, whatever it is called.
      IF OLD.status = 'done' AND NEW.status = 'in_progress' AND NEW.progress IS NOT DISTINCT FROM OLD.progress THEN
        RAISE EXCEPTION 'rectify: only % may reopen', ${lit(c.names.admin)} USING ERRCODE = '42501';
      END IF;
      IF v_action IS NOT NULL AND v_action NOT IN ('progress', 'done') THEN
        RAISE EXCEPTION 'rectify: only % may record %', ${lit(c.names.admin)}, v_action USING ERRCODE = '42501';
      END IF;
      -- Progress 100 is done: staff never leave an item in progress at 100.
      IF NEW.status = 'in_progress' AND NEW.progress = 100 AND (NEW.status, NEW.progress) IS DISTINCT FROM (OLD.status, OLD.progress) THEN
        RAISE EXCEPTION 'rectify: progress 100 is done' USING ERRCODE = '23514';
      END IF;
      IF (NEW.id, NEW.measure, NEW.num, NEW.title, NEW.detail, NEW.owner, NEW.department, NEW.due, NEW.term, NEW.pins, NEW.created_at)
         IS DISTINCT FROM (OLD.id, OLD.measure, OLD.num, OLD.title, OLD.detail, OLD.owner, OLD.department, OLD.due, OLD.term, OLD.pins, OLD.created_at) THEN
        RAISE EXCEPTION 'rectify: only % may change that', ${lit(c.names.admin)} USING ERRCODE = '42501';
      END IF;
    ELSIF NEW.status = 'verified' AND OLD.status IS DISTINCT FROM 'verified' AND OLD.status IS DISTINCT FROM 'done' THEN
      RAISE EXCEPTION 'rectify: only a done item is signed off' USING ERRCODE = '23514';
    END IF;
    IF NEW.id IS DISTINCT FROM OLD.id OR NEW.created_at IS DISTINCT FROM OLD.created_at THEN
      RAISE EXCEPTION 'rectify: an item keeps its id' USING ERRCODE = '42501';
    END IF;
  END IF;
  IF (NEW.status, NEW.progress) IS DISTINCT FROM (OLD.status, OLD.progress) THEN
    IF (NEW.status IN (${finished}) AND NEW.progress IS DISTINCT FROM 100) OR (NEW.status = 'open' AND NEW.progress IS DISTINCT FROM 0) THEN
      RAISE EXCEPTION 'rectify: status % with progress % per cent', NEW.status, NEW.progress USING ERRCODE = '23514';
    END IF;
  END IF;
  RETURN NEW;
END $$;
-- Fires before items_state (triggers of one event fire in name order).
CREATE TRIGGER items_check BEFORE INSERT OR UPDATE OR DELETE ON items FOR EACH ROW EXECUTE FUNCTION items_rules();

CREATE FUNCTION items_state() RETURNS trigger ${definer} AS $$
DECLARE
  v_action text := ${setting('action')};
  v_at text;
BEGIN
  IF TG_OP <> 'DELETE' AND NOT ${isOwner} THEN
    -- When an item came and last changed is the server's word too.
    v_at := (tx_group()).at;
    NEW.updated_at := v_at;
    IF TG_OP = 'INSERT' THEN NEW.created_at := v_at; END IF;
  END IF;
  IF TG_OP = 'INSERT' THEN
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
  RETURN NEW;
END $$;
CREATE TRIGGER items_state BEFORE INSERT OR UPDATE OR DELETE ON items FOR EACH ROW EXECUTE FUNCTION items_state();

CREATE FUNCTION item_problems_rules() RETURNS trigger ${invoker} AS $$
BEGIN
  IF NOT ${ours} AND ${setting('action')} IN ('undo', 'remove') THEN
    RAISE EXCEPTION 'rectify: this change is recorded by the ledger itself' USING ERRCODE = '42501';
  END IF;
  IF NOT (${isAdmin} OR ${ours}) THEN
    RAISE EXCEPTION 'rectify: only % may change what an item addresses', ${lit(c.names.admin)} USING ERRCODE = '42501';
  END IF;
  RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
END $$;
CREATE TRIGGER item_problems_check BEFORE INSERT OR UPDATE OR DELETE ON item_problems
  FOR EACH ROW EXECUTE FUNCTION item_problems_rules();

CREATE FUNCTION item_problems_before() RETURNS trigger ${definer} AS $$
DECLARE
  v_item integer;
BEGIN
  IF TG_OP = 'DELETE' THEN v_item := OLD.item; ELSE v_item := NEW.item; END IF;
  IF ${bulk} THEN RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END; END IF;
  IF EXISTS (SELECT 1 FROM items WHERE key = v_item) THEN PERFORM touch(v_item, false); END IF;
  RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
END $$;
CREATE TRIGGER item_problems_state BEFORE INSERT OR UPDATE OR DELETE ON item_problems
  FOR EACH ROW EXECUTE FUNCTION item_problems_before();

-- At COMMIT: one entry per item that changed ----------------------------------------------
CREATE FUNCTION json_compact(v jsonb) RETURNS text
  LANGUAGE sql IMMUTABLE SET search_path = pg_catalog, pg_temp AS $$
  SELECT CASE WHEN jsonb_typeof(v) = 'array'
              THEN '[' || coalesce((SELECT string_agg(e::text, ',' ORDER BY n) FROM jsonb_array_elements(v) WITH ORDINALITY AS x(e, n)), '') || ']'
              ELSE v::text END
$$;

CREATE FUNCTION record_changes() RETURNS trigger ${definer} AS $$
DECLARE
  v_item integer;
  v_before jsonb;
  v_meta jsonb;
  v_after jsonb;
  v_keys text[];
  v_changed text[] := '{}';
  v_parts text[] := '{}';
  v_key text;
  v_action text;
  v_derived text;
  v_fits boolean;
  v_via text;
  v_pins integer;
  v_seq integer;
  g tx_groups;
BEGIN
  IF TG_TABLE_NAME = 'items' THEN v_item := NEW.key;
  ELSIF TG_OP = 'DELETE' THEN v_item := OLD.item;
  ELSE v_item := NEW.item;
  END IF;
  DELETE FROM pending WHERE tx = pg_current_xact_id() AND item = v_item RETURNING before, meta INTO v_before, v_meta;
  IF NOT FOUND THEN RETURN NULL; END IF;
  v_after := item_state(v_item);
  IF v_after IS NULL THEN RETURN NULL; END IF;
  g := tx_group();
  v_action := v_meta->>'action';
  v_via := v_meta->>'via';
  IF v_before IS NULL THEN
    -- A new item: its create entry.
    INSERT INTO history (grp, at, by, item, action, status, progress, via, pins_set, changes, note, db_user)
    VALUES (g.grp, g.at, v_meta->>'by', v_item, 'create', v_after->>'status', (v_after->>'progress')::int,
            CASE WHEN v_via = 'seed' OR v_action = 'import' THEN 'seed' ELSE 'cli' END, (v_after->>'pins')::int, '{}', NULL, session_user);
    RETURN NULL;
  END IF;
  v_keys := CASE v_action
    WHEN 'import' THEN ARRAY['title', 'detail', 'measure', 'addresses', 'owner', 'department', 'due', 'term', 'status', 'progress']
    WHEN 'undo' THEN ARRAY['title', 'detail', 'owner', 'department', 'due', 'term', 'status', 'progress', 'measure', 'addresses']
    ELSE ARRAY['title', 'detail', 'owner', 'department', 'due', 'term', 'status', 'progress', 'addresses', 'measure'] END;
  FOREACH v_key IN ARRAY v_keys LOOP
    IF v_before->v_key IS DISTINCT FROM v_after->v_key THEN
      v_changed := v_changed || v_key;
      v_parts := v_parts || (to_json(v_key)::text || ':[' || json_compact(v_before->v_key) || ',' || json_compact(v_after->v_key) || ']');
    END IF;
  END LOOP;
  IF v_action = 'undo' AND jsonb_array_length(coalesce(v_meta->'removed', '[]')) > 0 THEN
    v_parts := v_parts || ('"evidence":[' || json_compact(v_meta->'removed') || ',[]]');
  END IF;
  v_pins := (v_after->>'pins')::int & ~(v_before->>'pins')::int;
  IF cardinality(v_parts) = 0 AND v_meta->>'note' IS NULL AND jsonb_array_length(v_meta->'evidence') = 0
     AND v_pins = 0 AND v_action IS DISTINCT FROM 'undo' AND (v_after->>'pins') = (v_before->>'pins') THEN
    RETURN NULL;
  END IF;
  -- The label: what the change was, checked against what the client called it.
  v_derived := CASE
    WHEN 'status' = ANY (v_changed) AND v_after->>'status' = 'verified' THEN 'verify'
    WHEN 'status' = ANY (v_changed) AND v_after->>'status' = 'in_progress' AND v_before->>'status' IN (${finished})
         AND NOT 'progress' = ANY (v_changed) THEN 'reopen'
    WHEN 'status' = ANY (v_changed) AND v_after->>'status' = 'done' THEN 'done'
    WHEN 'status' = ANY (v_changed) OR 'progress' = ANY (v_changed) THEN 'progress'
    WHEN 'due' = ANY (v_changed) AND v_before->>'due' IS NOT NULL AND v_after->>'due' IS NOT NULL THEN 'extend'
    WHEN v_changed && ARRAY['owner', 'department', 'due'] THEN 'assign'
    ELSE 'edit' END;
  v_fits := CASE v_action
      WHEN 'progress' THEN v_changed <@ ARRAY['status', 'progress'] AND v_after->>'status' IN ('in_progress', 'done')
      WHEN 'done' THEN v_changed <@ ARRAY['status', 'progress'] AND v_after->>'status' = 'done'
      WHEN 'verify' THEN v_changed <@ ARRAY['status'] AND v_after->>'status' = 'verified'
      WHEN 'reopen' THEN v_changed <@ ARRAY['status'] AND v_after->>'status' = 'in_progress'
      WHEN 'assign' THEN v_changed <@ ARRAY['owner', 'department', 'due'] AND v_derived IN ('assign', 'extend')
      WHEN 'extend' THEN v_changed <@ ARRAY['owner', 'department', 'due'] AND v_derived = 'extend'
      WHEN 'edit' THEN v_changed <@ ARRAY['title', 'detail', 'term', 'measure', 'addresses']
      WHEN 'import' THEN NOT v_changed && ARRAY['status', 'progress']
      ELSE false END;
  IF v_action IS NULL OR v_action = 'remove' THEN
    v_action := v_derived;
  ELSIF v_action = 'undo' THEN
    NULL;
  ELSIF cardinality(v_changed) > 0 AND NOT v_fits THEN
    RAISE EXCEPTION 'rectify: a change of % is not %', array_to_string(v_changed, ', '), v_action USING ERRCODE = '42501';
  ELSIF v_action = 'create' THEN
    RAISE EXCEPTION 'rectify: create is recorded by the ledger itself' USING ERRCODE = '42501';
  END IF;
  IF jsonb_array_length(v_meta->'evidence') > 0 AND v_action <> 'done' THEN
    RAISE EXCEPTION 'rectify: evidence comes with done' USING ERRCODE = '42501';
  END IF;
  INSERT INTO history (grp, at, by, item, action, status, progress, via, pins_set, changes, note, reverts, db_user)
  VALUES (g.grp, g.at, v_meta->>'by', v_item, v_action, v_after->>'status', (v_after->>'progress')::int,
          CASE WHEN v_action = 'import' THEN 'seed' ELSE 'cli' END, v_pins,
          '{' || array_to_string(v_parts, ',') || '}', v_meta->>'note', (v_meta->>'reverts')::int, session_user)
  RETURNING seq INTO v_seq;
  INSERT INTO evidence (item, seq, text)
  SELECT v_item, v_seq, e FROM jsonb_array_elements_text(v_meta->'evidence') WITH ORDINALITY AS x(e, n) ORDER BY n;
  RETURN NULL;
END $$;
CREATE CONSTRAINT TRIGGER items_record AFTER INSERT OR UPDATE ON items
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION record_changes();
CREATE CONSTRAINT TRIGGER item_problems_record AFTER INSERT OR UPDATE OR DELETE ON item_problems
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION record_changes();

-- The history, its evidence and what undo and rm record: the ledger's own writing only ---
DROP TRIGGER history_guard ON history;
DROP TRIGGER items_guard ON items;
DROP TRIGGER undone_guard ON undone;
DROP TRIGGER evidence_guard ON evidence;
DROP FUNCTION history_guard();
DROP FUNCTION items_guard();
DROP FUNCTION undone_guard();
DROP FUNCTION evidence_guard();
CREATE FUNCTION written_by_ledger() RETURNS trigger ${invoker} AS $$
BEGIN
  IF TG_OP = 'TRUNCATE' OR (TG_TABLE_NAME = 'history' AND TG_OP = 'UPDATE') OR NOT ${ours} THEN
    RAISE EXCEPTION 'rectify: % is written by the ledger itself', TG_TABLE_NAME USING ERRCODE = '42501';
  END IF;
  RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
END $$;
CREATE TRIGGER history_written BEFORE INSERT OR UPDATE OR DELETE ON history FOR EACH ROW EXECUTE FUNCTION written_by_ledger();
CREATE TRIGGER evidence_written BEFORE INSERT OR UPDATE OR DELETE ON evidence FOR EACH ROW EXECUTE FUNCTION written_by_ledger();
CREATE TRIGGER undone_written BEFORE INSERT OR UPDATE OR DELETE ON undone FOR EACH ROW EXECUTE FUNCTION written_by_ledger();
CREATE TRIGGER removed_written BEFORE INSERT OR UPDATE OR DELETE ON removed FOR EACH ROW EXECUTE FUNCTION written_by_ledger();
CREATE TRIGGER history_kept BEFORE TRUNCATE ON history FOR EACH STATEMENT EXECUTE FUNCTION written_by_ledger();
CREATE TRIGGER evidence_kept BEFORE TRUNCATE ON evidence FOR EACH STATEMENT EXECUTE FUNCTION written_by_ledger();
CREATE TRIGGER undone_kept BEFORE TRUNCATE ON undone FOR EACH STATEMENT EXECUTE FUNCTION written_by_ledger();
CREATE TRIGGER removed_kept BEFORE TRUNCATE ON removed FOR EACH STATEMENT EXECUTE FUNCTION written_by_ledger();
CREATE TRIGGER items_kept BEFORE TRUNCATE ON items FOR EACH STATEMENT EXECUTE FUNCTION written_by_ledger();
CREATE TRIGGER item_problems_kept BEFORE TRUNCATE ON item_problems FOR EACH STATEMENT EXECUTE FUNCTION written_by_ledger();

-- Undo ----------------------------------------------------------------------------------
CREATE FUNCTION undo_group(p_grp integer, p_by text) RETURNS void ${definer} AS $$
DECLARE
  v_last integer;
  e history;
  c jsonb;
  v_removed jsonb;
  g tx_groups;
BEGIN
  IF NOT ${isStaff} THEN
    RAISE EXCEPTION 'rectify: only % may undo', ${lit(c.names.staff)} USING ERRCODE = '42501';
  END IF;
  SELECT max(seq) INTO v_last FROM history WHERE grp = p_grp;
  IF v_last IS NULL THEN RAISE EXCEPTION 'rectify: no change % to undo', p_grp USING ERRCODE = 'P0002'; END IF;
  IF NOT ${isAdmin} AND EXISTS (SELECT 1 FROM history WHERE grp = p_grp
       AND (db_user IS DISTINCT FROM session_user OR action NOT IN ('progress', 'done'))) THEN
    RAISE EXCEPTION 'rectify: only % may undo a change another role made', ${lit(c.names.admin)} USING ERRCODE = '42501';
  END IF;
  IF EXISTS (SELECT 1 FROM undone WHERE grp = p_grp OR by_grp = p_grp)
     OR EXISTS (SELECT 1 FROM history WHERE grp = p_grp AND (action IN ('undo', 'create') OR via = 'seed')) THEN
    RAISE EXCEPTION 'rectify: change % cannot be undone', p_grp USING ERRCODE = '55000';
  END IF;
  PERFORM 1 FROM items WHERE key IN (SELECT item FROM history WHERE grp = p_grp) ORDER BY key FOR UPDATE;
  IF EXISTS (SELECT 1 FROM history h WHERE h.item IN (SELECT item FROM history WHERE grp = p_grp) AND h.seq > v_last
              AND NOT EXISTS (SELECT 1 FROM undone u WHERE u.grp = h.grp OR u.by_grp = h.grp)) THEN
    RAISE EXCEPTION 'rectify: the item moved since change %', p_grp USING ERRCODE = '55000';
  END IF;
  PERFORM set_config('rectify.action', 'undo', true), set_config('rectify.by', p_by, true),
          set_config('rectify.note', '', true), set_config('rectify.evidence', '', true), set_config('rectify.via', 'cli', true);
  g := tx_group();
  FOR e IN SELECT * FROM history WHERE grp = p_grp ORDER BY seq DESC LOOP
    c := e.changes::jsonb;
    UPDATE items SET
      title = CASE WHEN c ? 'title' THEN c->'title'->>0 ELSE title END,
      detail = CASE WHEN c ? 'detail' THEN c->'detail'->>0 ELSE detail END,
      owner = CASE WHEN c ? 'owner' THEN c->'owner'->>0 ELSE owner END,
      department = CASE WHEN c ? 'department' THEN c->'department'->>0 ELSE department END,
      due = CASE WHEN c ? 'due' THEN c->'due'->>0 ELSE due END,
      term = CASE WHEN c ? 'term' THEN c->'term'->>0 ELSE term END,
      status = CASE WHEN c ? 'status' THEN c->'status'->>0 ELSE status END,
      progress = CASE WHEN c ? 'progress' THEN (c->'progress'->>0)::int ELSE progress END,
      measure = CASE WHEN c ? 'measure'
                     THEN coalesce((SELECT m.key FROM measures m WHERE lower(m.id) = lower(c->'measure'->>0)), measure)
                     ELSE measure END,
      pins = pins & ~e.pins_set,
      updated_at = g.at
     WHERE key = e.item;
    IF c ? 'addresses' THEN
      DELETE FROM item_problems WHERE item = e.item;
      INSERT INTO item_problems (item, pos, problem)
      SELECT e.item, row_number() OVER (ORDER BY min(x.n)) - 1, p.key
        FROM jsonb_array_elements_text(c->'addresses'->0) WITH ORDINALITY AS x(v, n) JOIN problems p ON lower(p.id) = lower(x.v)
       GROUP BY p.key;
    END IF;
    SELECT jsonb_agg(text ORDER BY key) INTO v_removed FROM evidence WHERE seq = e.seq;
    DELETE FROM evidence WHERE seq = e.seq;
    UPDATE pending SET meta = meta || jsonb_build_object('reverts', e.seq,
             'removed', coalesce(meta->'removed', '[]'::jsonb) || coalesce(v_removed, '[]'::jsonb))
     WHERE tx = pg_current_xact_id() AND item = e.item;
  END LOOP;
  INSERT INTO undone (grp, by_grp) VALUES (p_grp, g.grp);
END $$;

-- Roll-ups: kept by the owner's triggers; set aside only by the owner ------------------
CREATE OR REPLACE FUNCTION items_rollup() RETURNS trigger ${definer} AS $$
BEGIN
  IF ${bulk} THEN RETURN NULL; END IF;
  IF TG_OP <> 'INSERT' THEN
    UPDATE measures SET items = items - 1, done = done - (OLD.status IN (${finished}))::int WHERE key = OLD.measure;
    UPDATE owner_counts SET n = n - 1 WHERE owner = coalesce(OLD.owner, '') AND status = OLD.status;
    DELETE FROM owner_counts WHERE owner = coalesce(OLD.owner, '') AND status = OLD.status AND n = 0;
    IF OLD.status IN (${open}) AND OLD.due IS NOT NULL THEN
      UPDATE due_counts SET n = n - 1 WHERE due = OLD.due AND owner = coalesce(OLD.owner, '');
      DELETE FROM due_counts WHERE due = OLD.due AND owner = coalesce(OLD.owner, '') AND n = 0;
    END IF;
  END IF;
  IF TG_OP <> 'DELETE' THEN
    UPDATE measures SET items = items + 1, done = done + (NEW.status IN (${finished}))::int WHERE key = NEW.measure;
    INSERT INTO owner_counts (owner, status, n) VALUES (coalesce(NEW.owner, ''), NEW.status, 1)
      ON CONFLICT (owner, status) DO UPDATE SET n = owner_counts.n + 1;
    IF NEW.status IN (${open}) AND NEW.due IS NOT NULL THEN
      INSERT INTO due_counts (due, owner, n) VALUES (NEW.due, coalesce(NEW.owner, ''), 1)
        ON CONFLICT (due, owner) DO UPDATE SET n = due_counts.n + 1;
    END IF;
  END IF;
  IF TG_OP = 'UPDATE' AND (OLD.status IN (${open})) <> (NEW.status IN (${open})) THEN
    UPDATE problems SET unfinished = unfinished + CASE WHEN NEW.status IN (${open}) THEN 1 ELSE -1 END
     WHERE key IN (SELECT problem FROM item_problems WHERE item = NEW.key);
  END IF;
  RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION item_problems_rollup() RETURNS trigger ${definer} AS $$
BEGIN
  IF ${bulk} THEN RETURN NULL; END IF;
  IF TG_OP = 'INSERT' THEN
    UPDATE problems SET items = items + 1,
           unfinished = unfinished + coalesce((SELECT (status IN (${open}))::int FROM items WHERE key = NEW.item), 0)
     WHERE key = NEW.problem;
  ELSE
    UPDATE problems SET items = items - 1,
           unfinished = unfinished - coalesce((SELECT (status IN (${open}))::int FROM items WHERE key = OLD.item), 0)
     WHERE key = OLD.problem;
  END IF;
  RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION namespace_check() RETURNS trigger ${definer} AS $$
BEGIN
  IF ${bulk} THEN RETURN NEW; END IF;
  IF (TG_TABLE_NAME <> 'areas' AND EXISTS (SELECT 1 FROM areas WHERE lower(id) = lower(NEW.id)))
     OR (TG_TABLE_NAME <> 'problems' AND EXISTS (SELECT 1 FROM problems WHERE lower(id) = lower(NEW.id)))
     OR (TG_TABLE_NAME <> 'causes' AND EXISTS (SELECT 1 FROM causes WHERE lower(id) = lower(NEW.id)))
     OR (TG_TABLE_NAME <> 'measures' AND EXISTS (SELECT 1 FROM measures WHERE lower(id) = lower(NEW.id)))
     OR (TG_TABLE_NAME <> 'items' AND EXISTS (SELECT 1 FROM items WHERE lower(id) = lower(NEW.id))) THEN
    RAISE EXCEPTION 'id already used by another kind: %', NEW.id USING ERRCODE = 'unique_violation';
  END IF;
  RETURN NEW;
END $$;
DROP TRIGGER IF EXISTS areas_namespace ON areas;
DROP TRIGGER IF EXISTS problems_namespace ON problems;
DROP TRIGGER IF EXISTS causes_namespace ON causes;
DROP TRIGGER IF EXISTS measures_namespace ON measures;
DROP TRIGGER IF EXISTS items_namespace ON items;
CREATE TRIGGER areas_namespace BEFORE INSERT OR UPDATE OF id ON areas FOR EACH ROW EXECUTE FUNCTION namespace_check();
CREATE TRIGGER problems_namespace BEFORE INSERT OR UPDATE OF id ON problems FOR EACH ROW EXECUTE FUNCTION namespace_check();
CREATE TRIGGER causes_namespace BEFORE INSERT OR UPDATE OF id ON causes FOR EACH ROW EXECUTE FUNCTION namespace_check();
CREATE TRIGGER measures_namespace BEFORE INSERT OR UPDATE OF id ON measures FOR EACH ROW EXECUTE FUNCTION namespace_check();
CREATE TRIGGER items_namespace BEFORE INSERT OR UPDATE OF id ON items FOR EACH ROW EXECUTE FUNCTION namespace_check();

-- The roll-ups counted afresh from the rows (after a load, or to check them).
CREATE FUNCTION recount_rollups() RETURNS void ${definer} AS $$
BEGIN
  IF NOT ${isAdmin} THEN
    RAISE EXCEPTION 'rectify: only % may recount', ${lit(c.names.admin)} USING ERRCODE = '42501';
  END IF;
  UPDATE measures SET items = 0, done = 0 WHERE items <> 0 OR done <> 0;
  UPDATE measures m SET items = c.n, done = c.d
    FROM (SELECT measure, count(*)::int AS n, (count(*) FILTER (WHERE status IN (${finished})))::int AS d
            FROM items GROUP BY measure) c
   WHERE c.measure = m.key;
  DELETE FROM owner_counts;
  INSERT INTO owner_counts (owner, status, n) SELECT coalesce(owner, ''), status, count(*) FROM items GROUP BY 1, 2;
  DELETE FROM due_counts;
  INSERT INTO due_counts (due, owner, n) SELECT due, coalesce(owner, ''), count(*) FROM items
   WHERE status IN (${open}) AND due IS NOT NULL GROUP BY 1, 2;
  UPDATE problems SET items = 0, unfinished = 0 WHERE items <> 0 OR unfinished <> 0;
  UPDATE problems p SET items = c.n, unfinished = c.u
    FROM (SELECT ip.problem, count(*)::int AS n, (count(*) FILTER (WHERE i.status IN (${open})))::int AS u
            FROM item_problems ip JOIN items i ON i.key = ip.item GROUP BY ip.problem) c
   WHERE c.problem = p.key;
END $$;

-- Who may reach the ledger: admins hand out the group roles through these alone --------
CREATE FUNCTION ledger_role(p_role text) RETURNS text
  LANGUAGE sql IMMUTABLE SET search_path = pg_catalog, pg_temp AS $$
  SELECT CASE p_role WHEN 'viewer' THEN ${lit(c.names.viewer)} WHEN 'staff' THEN ${lit(c.names.staff)}
                     WHEN 'admin' THEN ${lit(c.names.admin)} END
$$;

CREATE FUNCTION grant_role(p_user text, p_role text) RETURNS boolean ${definer} AS $$
DECLARE
  v_role text := ledger_role(p_role);
BEGIN
  IF NOT ${isAdmin} THEN
    RAISE EXCEPTION 'rectify: only % may grant', ${lit(c.names.admin)} USING ERRCODE = '42501';
  END IF;
  IF v_role IS NULL THEN RAISE EXCEPTION 'rectify: no ledger role %', p_role USING ERRCODE = '22023'; END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = p_user AND rolcanlogin) THEN
    RAISE EXCEPTION 'rectify: no login role %', p_user USING ERRCODE = 'P0002';
  END IF;
  IF EXISTS (SELECT 1 FROM pg_auth_members m JOIN pg_roles g ON g.oid = m.roleid JOIN pg_roles u ON u.oid = m.member
              WHERE g.rolname = v_role AND u.rolname = p_user) THEN
    RETURN false;
  END IF;
  EXECUTE format('GRANT %I TO %I', v_role, p_user);
  RETURN true;
END $$;

CREATE FUNCTION revoke_role(p_user text, p_role text) RETURNS boolean ${definer} AS $$
DECLARE
  v_role text := ledger_role(p_role);
BEGIN
  IF NOT ${isAdmin} THEN
    RAISE EXCEPTION 'rectify: only % may revoke', ${lit(c.names.admin)} USING ERRCODE = '42501';
  END IF;
  IF v_role IS NULL THEN RAISE EXCEPTION 'rectify: no ledger role %', p_role USING ERRCODE = '22023'; END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = p_user AND rolcanlogin) THEN
    RAISE EXCEPTION 'rectify: no login role %', p_user USING ERRCODE = 'P0002';
  END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_auth_members m JOIN pg_roles g ON g.oid = m.roleid JOIN pg_roles u ON u.oid = m.member
                  WHERE g.rolname = v_role AND u.rolname = p_user) THEN
    RETURN false;
  END IF;
  EXECUTE format('REVOKE %I FROM %I', v_role, p_user);
  -- Someone must be left to hand the ledger on: a login role that is still an admin.
  IF NOT EXISTS (SELECT 1 FROM pg_roles u WHERE u.rolcanlogin AND NOT u.rolsuper
                    AND pg_has_role(u.oid, ${lit(c.names.admin)}, 'MEMBER')) THEN
    RAISE EXCEPTION 'rectify: % is the last admin', p_user USING ERRCODE = 'P0003';
  END IF;
  RETURN true;
END $$;

-- What an admin writes in plain SQL must reload from an export: the seed's text and id rules
-- (NOT VALID: checked for every row written from now on; an upgrade never fails on old rows).
CREATE FUNCTION seed_text(value text, required boolean) RETURNS boolean
  LANGUAGE sql IMMUTABLE SET search_path = pg_catalog, pg_temp AS $$
  SELECT CASE WHEN value IS NULL THEN NOT required
              ELSE value !~ ${CONTROL} AND btrim(value, E' \t\n\r') <> '' END
$$;
CREATE FUNCTION seed_id(value text) RETURNS boolean
  LANGUAGE sql IMMUTABLE SET search_path = pg_catalog, pg_temp AS $$
  SELECT value ~ '^[A-Za-z][A-Za-z0-9._-]{0,31}$'
$$;
CREATE FUNCTION real_date(value text) RETURNS boolean
  LANGUAGE sql IMMUTABLE SET search_path = pg_catalog, pg_temp AS $$
  -- No exception block (a subtransaction a row): the day is compared with the month's last.
  SELECT value IS NULL OR (value ~ '^(?!0000)[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$'
    AND substr(value, 9, 2)::int <= extract(day FROM make_date(substr(value, 1, 4)::int, substr(value, 6, 2)::int, 1)
                                                    + interval '1 month' - interval '1 day'))
$$;
ALTER TABLE items ADD CONSTRAINT items_seed_text CHECK (seed_id(id) AND seed_text(title, true) AND seed_text(detail, false)
  AND seed_text(owner, false) AND seed_text(department, false) AND real_date(due)) NOT VALID;
ALTER TABLE areas ADD CONSTRAINT areas_seed_text CHECK (seed_id(id) AND seed_text(name, true)) NOT VALID;
ALTER TABLE problems ADD CONSTRAINT problems_seed_text CHECK (seed_id(id) AND seed_text(title, true) AND seed_text(detail, false)) NOT VALID;
ALTER TABLE causes ADD CONSTRAINT causes_seed_text CHECK (seed_id(id) AND seed_text(title, true) AND seed_text(detail, false)) NOT VALID;
ALTER TABLE measures ADD CONSTRAINT measures_seed_text CHECK (seed_id(id) AND seed_text(title, true) AND seed_text(detail, false)) NOT VALID;
ALTER TABLE report ADD CONSTRAINT report_seed_text CHECK (seed_text(title, false) AND seed_text(unit, false) AND seed_text(date, false)) NOT VALID;

-- Privileges: only what each role's commands need --------------------------------------
REVOKE ALL ON SCHEMA ${s} FROM PUBLIC, ${c.viewer}, ${c.staff}, ${c.admin};
REVOKE ALL ON ALL TABLES IN SCHEMA ${s} FROM PUBLIC, ${c.viewer}, ${c.staff}, ${c.admin};
REVOKE ALL ON ALL SEQUENCES IN SCHEMA ${s} FROM PUBLIC, ${c.viewer}, ${c.staff}, ${c.admin};
REVOKE ALL ON ALL FUNCTIONS IN SCHEMA ${s} FROM PUBLIC, ${c.viewer}, ${c.staff}, ${c.admin};
GRANT USAGE ON SCHEMA ${s} TO ${c.viewer};
GRANT SELECT ON migrations, report, areas, problems, causes, measures, items, item_problems, history, removed, undone,
  evidence, owner_counts, due_counts TO ${c.viewer};
GRANT EXECUTE ON FUNCTION lock_ledger() TO ${c.viewer};
-- The CHECKs' own functions run as whoever writes the row.
GRANT EXECUTE ON FUNCTION seed_text(text, boolean), seed_id(text), real_date(text) TO ${c.viewer};
GRANT EXECUTE ON FUNCTION tx_group(), undo_group(integer, text) TO ${c.staff};
GRANT UPDATE (status, progress, updated_at) ON items TO ${c.staff};
GRANT INSERT (id, measure, num, term, due, owner, department, pins, created_at, updated_at, title, detail) ON items TO ${c.admin};
GRANT UPDATE (measure, title, detail, owner, department, due, term, status, progress, pins, updated_at) ON items TO ${c.admin};
GRANT DELETE ON items TO ${c.admin};
GRANT INSERT (item, pos, problem), DELETE ON item_problems TO ${c.admin};
GRANT INSERT (one, title, unit, date), UPDATE (title, unit, date) ON report TO ${c.admin};
GRANT INSERT (id, pos, name), UPDATE (pos, name), DELETE ON areas TO ${c.admin};
GRANT INSERT (id, area, pos, title, detail), UPDATE (area, pos, title, detail), DELETE ON problems TO ${c.admin};
GRANT INSERT (id, pos, title, detail), UPDATE (pos, title, detail), DELETE ON causes TO ${c.admin};
GRANT INSERT (id, pos, title, detail, last_num), UPDATE (pos, title, detail, last_num), DELETE ON measures TO ${c.admin};
GRANT EXECUTE ON FUNCTION recount_rollups(), grant_role(text, text), revoke_role(text, text) TO ${c.admin};
`;
  },
};
