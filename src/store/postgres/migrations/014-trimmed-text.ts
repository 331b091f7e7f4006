// What a ledger role writes in plain SQL reloads from an export as it was (issue 17, red team
// 3). A dump's reader (core/jsonl.ts) trims a title, a detail, an owner, a department, a name
// and an entry's actor as JavaScript trims (U+3000, the ideographic space of Chinese input,
// U+00A0, U+FEFF, ...), where the guard's blank test trimmed only ASCII and let leading and
// trailing white space through: an admin's title of one U+3000 and staff's actor of U+3000
// U+00A0 were taken, and the export no longer reloaded; a title with a trailing space reloaded
// as another. Such text, which rectify itself never writes (it trims as the reader does), is
// refused now: seed_text (the CHECKs of 002, 006 and 008: NOT VALID, rows from before stand)
// and checked_text for a one-line field (the actor an entry records).
import type { PgMigration } from './types.js';

/** No C0 or C1 control but tab and line feed, no DEL (as 006). */
export const CONTROL = `'[\\x01-\\x08\\x0b-\\x1f\\x7f-\\x9f]'`;
/** White space at either end, as String.prototype.trim sees it. */
export const EDGE = `E'^[\\\\s\\\\u00a0\\\\u1680\\\\u2000-\\\\u200a\\\\u2028\\\\u2029\\\\u202f\\\\u205f\\\\u3000\\\\ufeff]|[\\\\s\\\\u00a0\\\\u1680\\\\u2000-\\\\u200a\\\\u2028\\\\u2029\\\\u202f\\\\u205f\\\\u3000\\\\ufeff]$'`;

export const trimmedText: PgMigration = {
  version: 14,
  name: 'trimmed-text',
  sql(): string {
    return `
CREATE OR REPLACE FUNCTION seed_text(value text, required boolean) RETURNS boolean
  LANGUAGE sql IMMUTABLE SET search_path = pg_catalog, pg_temp AS $$
  SELECT CASE WHEN value IS NULL THEN NOT required ELSE value !~ ${CONTROL} AND value <> '' AND value !~ ${EDGE} END
$$;

CREATE OR REPLACE FUNCTION checked_text(field text, value text, max integer, one_line boolean) RETURNS text
  LANGUAGE plpgsql IMMUTABLE SET search_path = pg_catalog, pg_temp AS $$
BEGIN
  IF value IS NULL THEN RETURN NULL; END IF;
  IF value ~ ${CONTROL} OR (one_line AND value ~ '[\\n\\r]') THEN
    RAISE EXCEPTION 'rectify: % holds a control character', field USING ERRCODE = '22023';
  END IF;
  IF btrim(value, E' \\t\\n\\r') = '' OR (one_line AND value ~ ${EDGE}) THEN
    RAISE EXCEPTION 'rectify: % is blank or begins or ends with white space', field USING ERRCODE = '22023';
  END IF;
  IF char_length(value) > max THEN
    RAISE EXCEPTION 'rectify: % is longer than % characters', field, max USING ERRCODE = '22023';
  END IF;
  RETURN value;
END $$;
`;
  },
};
