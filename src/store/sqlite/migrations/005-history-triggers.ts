// The history written by the ledger file itself, as a server's guard writes it
// (postgres/migrations/002-guard.ts): each item's state before the transaction first touched it
// is kept (`pending`), and one entry per item that changed is written from that state and the
// row as it is when the unit of work ends, with what the writer handed in (`change_context`).
//
// - change_context: one row, written by rectify inside its write transaction with each change
//   (the group, time, actor, action, note, evidence, via; for an undo, the entry it reverts and
//   the evidence it takes away) and deleted before COMMIT: no other connection ever sees it.
// - Triggers on items and item_problems keep the state before the first touch (and the
//   context's latest words) in `pending`; rectify deletes `pending` at the end of the unit of
//   work, and a trigger on that delete writes the entries, in the order the items were first
//   touched (a server does it at COMMIT, from a deferred trigger: SQLite has none).
// - A writer outside rectify (plain SQL, no context row) gets its entry at once, one per row it
//   changed, by '(sql)' at the time in UTC, the action told from what changed, as a server
//   names a role's plain UPDATE; an item it deletes is refused when it has work recorded, and
//   otherwise recorded in `removed`, as `rm` does.
// - A bulk load (init, copy, restore) sets these triggers aside with the item tables' others
//   and writes its entries itself, as a server's owner does.
//
// Only SQL that SQLite 3.37 parses goes into the schema (no concat_ws, no ORDER BY inside an
// aggregate, no ->>): older tools (the sqlite3 shell of a distribution) still open the file.
import type { Database } from '../driver.js';
import { FINISHED_STATUSES, OPEN_STATUSES } from '../../../core/vocab.js';
import { sqlList } from '../sql.js';
import type { Migration } from './types.js';

const finished = sqlList(FINISHED_STATUSES);
const open = sqlList(OPEN_STATUSES);

/** What the context says, with what a writer outside rectify gets: by '(sql)', no action. */
const META_COLUMNS = 'by, action, note, evidence, via, reverts, removed';
const META = `coalesce(c.by, '(sql)'), c.action, c.note, coalesce(c.evidence, '[]'), coalesce(c.via, 'cli'), c.reverts, coalesce(c.removed, '[]')`;
const NO_CONTEXT = 'NOT EXISTS (SELECT 1 FROM change_context)';
/** The group and time: the context's, or (outside rectify) a new group and now, in UTC. */
const NEW_GROUP = `UPDATE counters SET value = value + 1 WHERE name = 'group' AND ${NO_CONTEXT};`;
const GROUP = `coalesce(c.grp, (SELECT value FROM counters WHERE name = 'group'))`;
const AT = `coalesce(c.at, strftime('%Y-%m-%dT%H:%M:%f', 'now') || '+00:00')`;

const FIELDS = ['title', 'detail', 'owner', 'department', 'due', 'term', 'status', 'progress', 'pins'];
const addressesOf = (key: string) =>
  `(SELECT json_group_array(id) FROM (SELECT p.id FROM item_problems ip JOIN problems p ON p.key = ip.problem WHERE ip.item = ${key} ORDER BY ip.pos))`;

/** Keeps item `key`'s state before the transaction first touched it (its fields from `row`:
 *  OLD of an items row, or `i`, the items row as it stands) and the context's latest words. */
function touch(key: string, row: 'OLD' | 'i'): string {
  const from = row === 'OLD' ? '(SELECT 1) LEFT JOIN change_context c' : `items i LEFT JOIN change_context c`;
  return `
  INSERT INTO pending (item, fresh, ${FIELDS.join(', ')}, measure, addresses, ${META_COLUMNS})
  SELECT ${key}, 0, ${FIELDS.map((f) => `${row}.${f}`).join(', ')}, (SELECT id FROM measures WHERE key = ${row}.measure),
         ${addressesOf(key)}, ${META}
    FROM ${from} WHERE ${row === 'i' ? `i.key = ${key}` : 'true'}
  ON CONFLICT (item) DO UPDATE SET ${META_COLUMNS.split(', ').map((c) => `${c} = excluded.${c}`).join(', ')};`;
}

/** The changes of an entry, field → [before, after], in the order a server writes them. */
function changes(fields: string[]): string {
  const part = (f: string) => {
    if (f === 'addresses') return `CASE WHEN OLD.addresses IS NOT a.addresses THEN ',"addresses":[' || OLD.addresses || ',' || a.addresses || ']' ELSE '' END`;
    if (f === 'evidence') return `CASE WHEN OLD.removed <> '[]' THEN ',"evidence":[' || OLD.removed || ',[]]' ELSE '' END`;
    return `CASE WHEN OLD.${f} IS NOT a.${f} COLLATE BINARY THEN ',"${f}":' || json_array(OLD.${f}, a.${f}) ELSE '' END`;
  };
  return `'{' || substr(${fields.map(part).join(' || ')}, 2) || '}'`;
}
const BASE = ['title', 'detail', 'owner', 'department', 'due', 'term', 'status', 'progress'];
const CHANGES = `CASE OLD.action
    WHEN 'import' THEN ${changes(['title', 'detail', 'measure', 'addresses', 'owner', 'department', 'due', 'term', 'status', 'progress'])}
    WHEN 'undo' THEN ${changes([...BASE, 'measure', 'addresses', 'evidence'])}
    ELSE ${changes([...BASE, 'addresses', 'measure'])} END`;
const moved = (f: string) => `OLD.${f} IS NOT a.${f} COLLATE BINARY`;
/** What a change is, told from what changed (a writer outside rectify names none). */
const DERIVED = `CASE
    WHEN ${moved('status')} AND a.status = 'verified' THEN 'verify'
    WHEN ${moved('status')} AND a.status = 'in_progress' AND OLD.status IN (${finished}) AND NOT ${moved('progress')} THEN 'reopen'
    WHEN ${moved('status')} AND a.status = 'done' THEN 'done'
    WHEN ${moved('status')} OR ${moved('progress')} THEN 'progress'
    WHEN ${moved('due')} AND OLD.due IS NOT NULL AND a.due IS NOT NULL THEN 'extend'
    WHEN ${moved('owner')} OR ${moved('department')} OR ${moved('due')} THEN 'assign'
    ELSE 'edit' END`;

/** A new item: no state before, an entry of its creation. */
const fresh = `
  INSERT INTO pending (item, fresh, ${META_COLUMNS})
  SELECT NEW.key, 1, ${META} FROM (SELECT 1) LEFT JOIN change_context c WHERE true
  ON CONFLICT (item) DO UPDATE SET fresh = 1;`;

export const historyTriggers: Migration = {
  version: 5,
  name: 'history-triggers',
  up(db: Database): void {
    db.exec(`
CREATE TABLE change_context (
  one      INTEGER PRIMARY KEY CHECK (one = 1),
  grp      INTEGER NOT NULL,
  at       TEXT NOT NULL,
  by       TEXT NOT NULL,
  action   TEXT,
  note     TEXT,
  evidence TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(evidence)),
  via      TEXT NOT NULL DEFAULT 'cli' CHECK (via IN ('seed', 'cli')),
  reverts  INTEGER,
  removed  TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(removed))
) STRICT;

-- seq: the order items were first touched in, which their entries follow.
CREATE TABLE pending (
  seq        INTEGER PRIMARY KEY,
  item       INTEGER NOT NULL UNIQUE,
  fresh      INTEGER NOT NULL,
  title      TEXT,
  detail     TEXT,
  owner      TEXT,
  department TEXT,
  due        TEXT,
  term       TEXT,
  status     TEXT,
  progress   INTEGER,
  pins       INTEGER,
  measure    TEXT,
  addresses  TEXT,
  by         TEXT NOT NULL,
  action     TEXT,
  note       TEXT,
  evidence   TEXT NOT NULL,
  via        TEXT NOT NULL,
  reverts    INTEGER,
  removed    TEXT NOT NULL
) STRICT;

CREATE TRIGGER items_history_insert AFTER INSERT ON items WHEN NOT ${NO_CONTEXT}
BEGIN${fresh}
END;
CREATE TRIGGER items_history_update AFTER UPDATE ON items WHEN NOT ${NO_CONTEXT}
BEGIN${touch('NEW.key', 'OLD')}
END;
-- Outside rectify (no context), the entry at once. (Each pair's conditions exclude each other:
-- the order in which two triggers of one event fire is not SQLite's promise.)
CREATE TRIGGER items_history_insert_sql AFTER INSERT ON items WHEN ${NO_CONTEXT}
BEGIN${fresh}
  DELETE FROM pending WHERE item = NEW.key;
END;
CREATE TRIGGER items_history_update_sql AFTER UPDATE ON items WHEN ${NO_CONTEXT}
BEGIN${touch('NEW.key', 'OLD')}
  DELETE FROM pending WHERE item = NEW.key;
END;

-- A removal: refused for an item with work recorded (an import's prune: with anything but
-- seeds' entries); remembered (but not a prune's); its addresses and history go with it.
CREATE TRIGGER items_history_remove BEFORE DELETE ON items
BEGIN
  SELECT RAISE(ABORT, 'an item with work recorded stays')
   WHERE EXISTS (SELECT 1 FROM evidence WHERE item = OLD.key)
      OR EXISTS (SELECT 1 FROM history WHERE item = OLD.key AND action IN ('progress', 'done', 'verify', 'reopen'))
      OR ((SELECT action FROM change_context) IS 'import' AND EXISTS (SELECT 1 FROM history WHERE item = OLD.key AND via <> 'seed'));
  ${NEW_GROUP}
  INSERT INTO removed (grp, at, by, id, title)
  SELECT ${GROUP}, ${AT}, coalesce(c.by, '(sql)'), OLD.id, OLD.title
    FROM (SELECT 1) LEFT JOIN change_context c WHERE c.action IS NOT 'import';
  -- Its problems' unfinished counts now: its addresses go once it is gone (below).
  UPDATE problems SET unfinished = unfinished - 1
   WHERE OLD.status IN (${open}) AND key IN (SELECT problem FROM item_problems WHERE item = OLD.key);
END;
CREATE TRIGGER items_history_removed AFTER DELETE ON items
BEGIN
  DELETE FROM pending WHERE item = OLD.key;
  DELETE FROM item_problems WHERE item = OLD.key;
  DELETE FROM history WHERE item = OLD.key;
END;
DROP TRIGGER item_problems_count_delete;
CREATE TRIGGER item_problems_count_delete AFTER DELETE ON item_problems
BEGIN
  UPDATE problems SET
    unfinished = unfinished - coalesce((SELECT status IN (${open}) FROM items WHERE key = OLD.item), 0),
    items = items - 1
  WHERE key = OLD.problem;
END;

CREATE TRIGGER item_problems_history_insert BEFORE INSERT ON item_problems
WHEN EXISTS (SELECT 1 FROM items WHERE key = NEW.item)
BEGIN${touch('NEW.item', 'i')}
END;
CREATE TRIGGER item_problems_history_delete BEFORE DELETE ON item_problems
WHEN EXISTS (SELECT 1 FROM items WHERE key = OLD.item)
BEGIN${touch('OLD.item', 'i')}
END;
CREATE TRIGGER item_problems_history_update BEFORE UPDATE ON item_problems
WHEN EXISTS (SELECT 1 FROM items WHERE key = OLD.item)
BEGIN${touch('OLD.item', 'i')}${touch('NEW.item', 'i')}
END;
CREATE TRIGGER item_problems_history_inserted AFTER INSERT ON item_problems WHEN ${NO_CONTEXT}
BEGIN
  DELETE FROM pending WHERE item = NEW.item;
END;
CREATE TRIGGER item_problems_history_deleted AFTER DELETE ON item_problems WHEN ${NO_CONTEXT}
BEGIN
  DELETE FROM pending WHERE item = OLD.item;
END;
CREATE TRIGGER item_problems_history_updated AFTER UPDATE ON item_problems WHEN ${NO_CONTEXT}
BEGIN
  DELETE FROM pending WHERE item IN (OLD.item, NEW.item);
END;

-- The entry: one per item that changed (none when nothing did), with the evidence it adds.
CREATE TRIGGER pending_record AFTER DELETE ON pending
WHEN EXISTS (SELECT 1 FROM items WHERE key = OLD.item)
BEGIN
  ${NEW_GROUP}
  INSERT INTO history (grp, at, by, item, action, status, progress, via, pins_set, changes, note, reverts)
  SELECT ${GROUP}, ${AT}, OLD.by, e.key, e.action, e.status, e.progress, e.via, e.pins_set, e.changes, OLD.note, e.reverts
    FROM (
      SELECT a.key, a.status, a.progress, a.pins IS NOT OLD.pins AS pins_moved,
             CASE WHEN OLD.fresh THEN a.pins ELSE a.pins & ~OLD.pins END AS pins_set,
             CASE WHEN OLD.fresh THEN '{}' ELSE ${CHANGES} END AS changes,
             CASE WHEN OLD.fresh THEN 'create' ELSE coalesce(nullif(OLD.action, 'remove'), ${DERIVED}) END AS action,
             CASE WHEN OLD.action IS 'import' OR (OLD.fresh AND OLD.via = 'seed') THEN 'seed' ELSE 'cli' END AS via,
             CASE WHEN OLD.action IS 'undo' THEN OLD.reverts END AS reverts
        FROM (SELECT i.key, ${FIELDS.map((f) => `i.${f}`).join(', ')}, m.id AS measure, ${addressesOf('i.key')} AS addresses
                FROM items i JOIN measures m ON m.key = i.measure WHERE i.key = OLD.item) a
    ) e LEFT JOIN change_context c
   WHERE OLD.fresh OR e.changes <> '{}' OR OLD.note IS NOT NULL OR OLD.evidence <> '[]' OR OLD.action IS 'undo' OR e.pins_moved;
  INSERT INTO evidence (item, seq, text)
  SELECT OLD.item, (SELECT max(seq) FROM history), value FROM json_each(OLD.evidence) WHERE OLD.evidence <> '[]' ORDER BY key;
END;
`);
  },
};
