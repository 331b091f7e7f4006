// What a red team found getting through the guard of 002 (issue 17), mended for every ledger
// (a new one right after 005; an earlier one by its upgrade), as the ledger's owner role:
//
// - An undo and another change of the same item in one transaction became one entry: staff
//   called undo_group() on its own `done` and then set the progress in the same transaction;
//   the entry said `progress`, without what it reverted, and the evidence the undo took away
//   was gone from the ledger without a trace. The other order (a change, then undo_group())
//   recorded the change as part of an undo. touch() now refuses to mix them (55000), and keeps
//   what an earlier undo of the unit of work recorded (two undos of one item in one unit).
// - The text rules let a CR before a LF through (a note, a title), which the seed refuses
//   anywhere (rectify itself writes LF): an export of such a ledger did not reload, and the
//   history keeps it for good. checked_text() and seed_text() now refuse every CR.
// - Notices and contacts, which an export carries, had no text rules: an admin's INSERT put
//   control characters and times that are none into them, and the export did not reload.
//   CHECKs of the seed's rules for what an export carries (NOT VALID: rows from before stand).
import type { MigrationContext, PgMigration } from './types.js';

/** No C0 or C1 control but tab and line feed, no DEL (core/seed-text.ts badCharInValue). */
const CONTROL = `'[\\x01-\\x08\\x0b-\\x1f\\x7f-\\x9f]'`;

export const undoWhole: PgMigration = {
  version: 6,
  name: 'undo-whole',
  sql(c: MigrationContext): string {
    const s = c.schema;
    const definer = `LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, ${s}, pg_temp`;
    return `
CREATE OR REPLACE FUNCTION checked_text(field text, value text, max integer, one_line boolean) RETURNS text
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

CREATE OR REPLACE FUNCTION seed_text(value text, required boolean) RETURNS boolean
  LANGUAGE sql IMMUTABLE SET search_path = pg_catalog, pg_temp AS $$
  SELECT CASE WHEN value IS NULL THEN NOT required
              ELSE value !~ ${CONTROL} AND btrim(value, E' \\t\\n\\r') <> '' END
$$;

CREATE OR REPLACE FUNCTION touch(p_item integer, p_created boolean) RETURNS void ${definer} AS $$
DECLARE
  v_meta jsonb := client_meta();
  v_old jsonb;
BEGIN
  SELECT meta INTO v_old FROM pending WHERE tx = pg_current_xact_id() AND item = p_item;
  IF NOT FOUND THEN
    INSERT INTO pending (tx, item, before, meta)
    VALUES (pg_current_xact_id(), p_item, CASE WHEN p_created THEN NULL ELSE item_state(p_item) END, v_meta);
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

ALTER TABLE notices ADD CONSTRAINT notices_seed_text CHECK (
  at ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}([.][0-9]+)?(Z|[+-][0-9]{2}:[0-9]{2})$' AND real_date(substr(at, 1, 10))
  AND day ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$' AND real_date(day)
  AND seed_text(by, true) AND char_length(by) <= 1000 AND seed_text(recipient, true) AND char_length(recipient) <= 200
  AND seed_text(nullif(btrim(items, E' \\t\\n'), ''), false)) NOT VALID;
ALTER TABLE contacts ADD CONSTRAINT contacts_seed_text CHECK (
  seed_text(name, true) AND char_length(name) <= 200
  AND seed_text(nullif(btrim(email, E' \\t\\n'), ''), false) AND coalesce(char_length(email), 0) <= 320) NOT VALID;
`;
  },
};
