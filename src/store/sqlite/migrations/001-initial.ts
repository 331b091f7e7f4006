// The first schema of a ledger.
//
// Every table has an integer `key` that other tables refer to, and the `id` as the seed
// spells it, unique without regard to case (COLLATE NOCASE), so that lookups by any
// spelling use the index. Text (title, detail) comes last in each row; the hot paths of a
// big ledger (status, overdue) read roll-ups and covering indexes rather than these rows.
//
// CHECK lists are built from the vocabulary tuples of src/core/vocab.ts. DDL cannot take
// bound parameters, so they are spliced in; sqlList() accepts only plain words.
import type { Database } from '../driver.js';
import { ACTIONS, FINISHED_STATUSES, OPEN_STATUSES, STATUSES, TERMS } from '../../../core/vocab.js';
import { sqlList } from '../sql.js';
import type { Migration } from './types.js';

const statuses = sqlList(STATUSES);
const open = sqlList(OPEN_STATUSES);
const finished = sqlList(FINISHED_STATUSES);
const terms = sqlList(TERMS);
const actions = sqlList(ACTIONS);
const date = (col: string) =>
  `${col} IS NULL OR (${col} GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]' AND length(${col}) = 10)`;

/** Refuses an id that another table of the shared namespace already holds. */
function namespaceTrigger(table: string, others: string[]): string {
  const taken = others.map((o) => `EXISTS (SELECT 1 FROM ${o} WHERE id = NEW.id)`).join(' OR ');
  return `
CREATE TRIGGER ${table}_namespace BEFORE INSERT ON ${table}
WHEN ${taken}
BEGIN
  SELECT RAISE(ABORT, 'id already used by another kind');
END;`;
}

/**
 * Triggers keeping a roll-up table (key columns → n) in step with items. `keys` maps each
 * key column to its expression over an items row (`#` stands for NEW or OLD, a bare
 * column name for #.column); `watch` are the item columns the key and condition read.
 */
function rollupTriggers(table: string, keys: Record<string, string>, watch: string[], when?: string): string {
  const cols = Object.keys(keys);
  const expr = (row: 'NEW' | 'OLD', e: string) => (e.includes('#') ? e.replace(/#/g, row) : `${row}.${e}`);
  const cond = (row: 'NEW' | 'OLD') => (when ? [when.replace(/#/g, row)] : []);
  const match = (row: 'OLD') => [...cols.map((c) => `${c} = ${expr(row, keys[c]!)}`), ...cond(row)].join(' AND ');
  // (An upsert from a SELECT needs its WHERE, if only `true`, to parse.)
  const add = (row: 'NEW') => `
  INSERT INTO ${table} (${cols.join(', ')}, n)
  SELECT ${cols.map((c) => expr(row, keys[c]!)).join(', ')}, 1 WHERE ${cond(row)[0] ?? 'true'}
  ON CONFLICT (${cols.join(', ')}) DO UPDATE SET n = n + 1;`;
  const remove = (row: 'OLD') => `
  DELETE FROM ${table} WHERE ${match(row)} AND n = 1;
  UPDATE ${table} SET n = n - 1 WHERE ${match(row)};`;
  const changed = watch.map((c) => `OLD.${c} IS NOT NEW.${c}`).join(' OR ');
  return `
CREATE TRIGGER ${table}_insert AFTER INSERT ON items
BEGIN${add('NEW')}
END;
CREATE TRIGGER ${table}_delete AFTER DELETE ON items
BEGIN${remove('OLD')}
END;
CREATE TRIGGER ${table}_update AFTER UPDATE OF ${watch.join(', ')} ON items
WHEN ${changed}
BEGIN${remove('OLD')}${add('NEW')}
END;`;
}

const KINDS = ['areas', 'problems', 'causes', 'measures', 'items'];

export const initial: Migration = {
  version: 1,
  name: 'initial',
  up(db: Database): void {
    db.exec(`
-- The report the ledger tracks: exactly one row once a seed is loaded.
CREATE TABLE report (
  only  INTEGER PRIMARY KEY CHECK (only = 1),
  title TEXT NOT NULL,
  unit  TEXT,
  date  TEXT CHECK (${date('date')})
) STRICT;

-- Named counters that must never go back, even when rows are deleted (history groups).
CREATE TABLE counters (
  name  TEXT PRIMARY KEY,
  value INTEGER NOT NULL
) STRICT, WITHOUT ROWID;
INSERT INTO counters (name, value) VALUES ('group', 0);

CREATE TABLE areas (
  key  INTEGER PRIMARY KEY,
  id   TEXT NOT NULL UNIQUE COLLATE NOCASE,
  pos  INTEGER NOT NULL UNIQUE,
  name TEXT NOT NULL
) STRICT;

-- items / unfinished: how many items address the problem, and how many of those are
-- still open or in progress (kept by triggers). Rectified = items > 0 AND unfinished = 0.
CREATE TABLE problems (
  key        INTEGER PRIMARY KEY,
  id         TEXT NOT NULL UNIQUE COLLATE NOCASE,
  area       INTEGER NOT NULL REFERENCES areas (key),
  pos        INTEGER NOT NULL,
  items      INTEGER NOT NULL DEFAULT 0 CHECK (items >= 0),
  unfinished INTEGER NOT NULL DEFAULT 0 CHECK (unfinished BETWEEN 0 AND items),
  title      TEXT NOT NULL,
  detail     TEXT,
  UNIQUE (area, pos)
) STRICT;
-- Problems and rectified problems per area, from this index alone, however long the texts.
CREATE INDEX problems_rollup ON problems (area, unfinished, items);

CREATE TABLE causes (
  key    INTEGER PRIMARY KEY,
  id     TEXT NOT NULL UNIQUE COLLATE NOCASE,
  pos    INTEGER NOT NULL UNIQUE,
  title  TEXT NOT NULL,
  detail TEXT
) STRICT;

-- last_num: the highest n any item id <measure>.<n> has had in this ledger. It never
-- goes down, so a new item never takes the number of one that was pruned.
-- pos is unique so that listing in measure order can walk the items index without a sort.
-- items / done: how many items the measure has, and how many of them are done or
-- verified (kept by triggers).
CREATE TABLE measures (
  key      INTEGER PRIMARY KEY,
  id       TEXT NOT NULL UNIQUE COLLATE NOCASE,
  pos      INTEGER NOT NULL UNIQUE,
  last_num INTEGER NOT NULL DEFAULT 0 CHECK (last_num >= 0),
  items    INTEGER NOT NULL DEFAULT 0 CHECK (items >= 0),
  done     INTEGER NOT NULL DEFAULT 0 CHECK (done BETWEEN 0 AND items),
  title    TEXT NOT NULL,
  detail   TEXT
) STRICT;
-- The dashboard lists every measure in order with its title and counts: from this index
-- alone, not from rows that also carry the long details (a big ledger has 25,000 measures).
CREATE INDEX measures_listing ON measures (pos, id, title, items, done);
-- Items sort by their measure's position: looked up here, in a few pages, rather than in
-- the measures' rows.
CREATE INDEX measures_position ON measures (key, pos);

-- num: the number after the id's last dot (M1.10 → 10), NULL when there is none; the
-- listing order is measure, num (NULL last), id. Items keep no seed position of their
-- own: the contract orders them by number, never by where a seed listed them.
-- pins: which of owner (1), department (2), due (4), term (8) were last set from the
-- command line; an import keeps those.
CREATE TABLE items (
  key        INTEGER PRIMARY KEY,
  id         TEXT NOT NULL COLLATE NOCASE,
  measure    INTEGER NOT NULL REFERENCES measures (key),
  num        INTEGER CHECK (num >= 0),
  status     TEXT NOT NULL DEFAULT 'open' CHECK (status IN (${statuses})),
  progress   INTEGER NOT NULL DEFAULT 0 CHECK (progress BETWEEN 0 AND 100),
  term       TEXT NOT NULL CHECK (term IN (${terms})),
  due        TEXT CHECK (${date('due')}),
  owner      TEXT CHECK (owner <> ''),
  department TEXT CHECK (department <> ''),
  pins       INTEGER NOT NULL DEFAULT 0 CHECK (pins BETWEEN 0 AND 15),
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  title      TEXT NOT NULL,
  detail     TEXT
) STRICT;
-- Unique ids as an index rather than a constraint, so that a bulk load can build it in
-- one sorted pass at the end instead of inserting a million ids at scattered places.
CREATE UNIQUE INDEX items_id ON items (id);
CREATE INDEX items_order ON items (measure, num IS NULL, num, id);
-- Overdue and due soon: only unfinished items, by due date, carrying what the listing
-- order needs, so that lists sort within a day without reading the items themselves.
CREATE INDEX items_open_due ON items (due, status, measure, num, id) WHERE status IN (${open});

-- The problems an item addresses, in the order given.
CREATE TABLE item_problems (
  item    INTEGER NOT NULL REFERENCES items (key),
  pos     INTEGER NOT NULL,
  problem INTEGER NOT NULL REFERENCES problems (key),
  PRIMARY KEY (item, pos)
) STRICT, WITHOUT ROWID;
-- An index rather than a UNIQUE constraint, so that a bulk load can build it afterwards.
CREATE UNIQUE INDEX item_problems_problem ON item_problems (problem, item);

-- Append-only. seq never comes back (AUTOINCREMENT), even after a prune.
-- grp: the write() the entry belongs to, which undo reverts as a whole.
-- changes: field → [before, after], as JSON. pins_set: the pins this entry switched on
-- (so that undo can switch them off again).
CREATE TABLE history (
  seq      INTEGER PRIMARY KEY AUTOINCREMENT,
  grp      INTEGER NOT NULL,
  at       TEXT NOT NULL,
  by       TEXT NOT NULL,
  item     INTEGER NOT NULL REFERENCES items (key),
  action   TEXT NOT NULL CHECK (action IN (${actions})),
  status   TEXT NOT NULL CHECK (status IN (${statuses})),
  progress INTEGER NOT NULL CHECK (progress BETWEEN 0 AND 100),
  via      TEXT NOT NULL CHECK (via IN ('seed', 'cli')),
  pins_set INTEGER NOT NULL DEFAULT 0 CHECK (pins_set BETWEEN 0 AND 15),
  changes  TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(changes)),
  note     TEXT,
  day      TEXT NOT NULL GENERATED ALWAYS AS (substr(at, 1, 10)) VIRTUAL
) STRICT;
CREATE INDEX history_item ON history (item, seq);
CREATE INDEX history_group ON history (grp);
-- "What changed recently" asks for changes made by people since a day; the seed's
-- create entries (a million of them in a big ledger) stay out of this index.
CREATE INDEX history_cli_day ON history (day, seq) WHERE via = 'cli';

CREATE TRIGGER history_no_update BEFORE UPDATE ON history
BEGIN
  SELECT RAISE(ABORT, 'history is append-only');
END;
-- Only a prune deletes history, and only of items whose history all came from seeds.
CREATE TRIGGER history_no_delete BEFORE DELETE ON history WHEN OLD.via <> 'seed'
BEGIN
  SELECT RAISE(ABORT, 'history is append-only');
END;

-- Which group undid which: history rows themselves are never changed.
CREATE TABLE undone (
  grp    INTEGER PRIMARY KEY,
  by_grp INTEGER NOT NULL UNIQUE
) STRICT;

-- Supporting documents (佐证材料), each added by one history entry (undo removes them).
CREATE TABLE evidence (
  key  INTEGER PRIMARY KEY,
  item INTEGER NOT NULL REFERENCES items (key),
  seq  INTEGER NOT NULL REFERENCES history (seq),
  text TEXT NOT NULL
) STRICT;
CREATE INDEX evidence_item ON evidence (item, key);
CREATE INDEX evidence_seq ON evidence (seq);

-- Roll-ups kept by the triggers below, so that the dashboard never counts a million items:
-- the counts on each measure and each problem, and two tables that stay small whatever the
-- ledger's size: owners × statuses, and for unfinished items with a due date, days ×
-- owners (the overdue and due-soon counts as of any day are a range of it).
-- owner '' = unassigned. (A bulk load sets these triggers aside and writes the counts.)
CREATE TABLE owner_counts (
  owner  TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN (${statuses})),
  n      INTEGER NOT NULL CHECK (n > 0),
  PRIMARY KEY (owner, status)
) STRICT, WITHOUT ROWID;

CREATE TABLE due_counts (
  due   TEXT NOT NULL,
  owner TEXT NOT NULL,
  n     INTEGER NOT NULL CHECK (n > 0),
  PRIMARY KEY (due, owner)
) STRICT, WITHOUT ROWID;

CREATE TRIGGER measures_count_insert AFTER INSERT ON items
BEGIN
  UPDATE measures SET items = items + 1, done = done + (NEW.status IN (${finished})) WHERE key = NEW.measure;
END;
CREATE TRIGGER measures_count_delete AFTER DELETE ON items
BEGIN
  UPDATE measures SET done = done - (OLD.status IN (${finished})), items = items - 1 WHERE key = OLD.measure;
END;
CREATE TRIGGER measures_count_update AFTER UPDATE OF measure, status ON items
WHEN OLD.measure IS NOT NEW.measure OR (OLD.status IN (${finished})) <> (NEW.status IN (${finished}))
BEGIN
  UPDATE measures SET done = done - (OLD.status IN (${finished})), items = items - 1 WHERE key = OLD.measure;
  UPDATE measures SET items = items + 1, done = done + (NEW.status IN (${finished})) WHERE key = NEW.measure;
END;
${rollupTriggers('owner_counts', { owner: "coalesce(#.owner, '')", status: 'status' }, ['owner', 'status'])}
${rollupTriggers('due_counts', { due: 'due', owner: "coalesce(#.owner, '')" }, ['owner', 'status', 'due'],
  `#.status IN (${open}) AND #.due IS NOT NULL`)}

-- An address is added or removed before its item is, so the item is there to be read.
CREATE TRIGGER item_problems_count_insert AFTER INSERT ON item_problems
BEGIN
  UPDATE problems SET
    items = items + 1,
    unfinished = unfinished + (SELECT status IN (${open}) FROM items WHERE key = NEW.item)
  WHERE key = NEW.problem;
END;

CREATE TRIGGER item_problems_count_delete AFTER DELETE ON item_problems
BEGIN
  UPDATE problems SET
    unfinished = unfinished - (SELECT status IN (${open}) FROM items WHERE key = OLD.item),
    items = items - 1
  WHERE key = OLD.problem;
END;

CREATE TRIGGER items_unfinished_update AFTER UPDATE OF status ON items
WHEN (OLD.status IN (${open})) <> (NEW.status IN (${open}))
BEGIN
  UPDATE problems SET unfinished = unfinished + (CASE WHEN NEW.status IN (${open}) THEN 1 ELSE -1 END)
  WHERE key IN (SELECT problem FROM item_problems WHERE item = NEW.key);
END;
`);
    for (const table of KINDS) {
      db.exec(namespaceTrigger(table, KINDS.filter((k) => k !== table)));
    }
  },
};
