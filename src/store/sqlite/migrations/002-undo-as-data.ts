// Undo recorded as data, and items removed by mistake.
//
// An undo entry used to carry a note written in the language of whoever ran it
// ("undid #14 (verify)", "撤销了 #14（verify）"): an internal number and an English verb that
// then showed in every report. It now names the entry it took back (`reverts`), and the
// views word it in the reader's language. Existing undo entries are matched to the entry
// they reverted (same item, in the group the `undone` table says they undid) and lose the
// generated note.
//
// `rm` removes an item added by mistake together with its history. History stays
// append-only for every item that is still there: a row may be deleted only once its item
// is gone (the store removes the item first, with foreign keys deferred to the commit).
// What was removed, by whom and when is kept in `removed`, so that `undo` does not reach
// past a removal to an older change.
import { pluckAll, type Database } from '../driver.js';
import type { Migration } from './types.js';

export const undoAsData: Migration = {
  version: 2,
  name: 'undo-as-data',
  up(db: Database): void {
    db.exec(`
ALTER TABLE history ADD COLUMN reverts INTEGER REFERENCES history (seq);

CREATE TABLE removed (
  key   INTEGER PRIMARY KEY,
  grp   INTEGER NOT NULL,
  at    TEXT NOT NULL,
  by    TEXT NOT NULL,
  id    TEXT NOT NULL,
  title TEXT NOT NULL
) STRICT;
CREATE INDEX removed_by ON removed (by, grp);

DROP TRIGGER history_no_delete;
CREATE TRIGGER history_no_delete BEFORE DELETE ON history
WHEN OLD.via <> 'seed' AND EXISTS (SELECT 1 FROM items WHERE key = OLD.item)
BEGIN
  SELECT RAISE(ABORT, 'history is append-only');
END;
`);
    // The data move: history is append-only, so its guard steps aside for this one update.
    db.exec('DROP TRIGGER history_no_update');
    const undos = db.prepare(
      `SELECT h.seq, h.item, u.grp AS undid FROM history h JOIN undone u ON u.by_grp = h.grp
        WHERE h.action = 'undo' ORDER BY h.seq`,
    ).all() as { seq: number; item: number; undid: number }[];
    // Undo reverted a group's entries newest first, one undo entry each: match them in turn.
    const taken = new Set<number>();
    const candidates = db.prepare(
      'SELECT seq FROM history WHERE grp = ? AND item = ? ORDER BY seq DESC',
    );
    const set = db.prepare('UPDATE history SET reverts = ?, note = NULL WHERE seq = ?');
    for (const u of undos) {
      const seq = (pluckAll(candidates, u.undid, u.item) as number[]).find((s) => !taken.has(s));
      if (seq === undefined) continue;
      taken.add(seq);
      set.run(seq, u.seq);
    }
    db.exec(`
CREATE TRIGGER history_no_update BEFORE UPDATE ON history
BEGIN
  SELECT RAISE(ABORT, 'history is append-only');
END;`);
  },
};
