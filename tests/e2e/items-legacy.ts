// Data the command line no longer accepts (control characters) can still sit in a ledger
// written by an older rectify or by another program: tests put it there directly, to check
// that it never reaches a terminal unescaped.
import { sqliteModule } from '../../src/store/sqlite/driver.js';

const { DatabaseSync: Database } = sqliteModule();
import { join } from 'node:path';

/** Runs statements on the ledger of `dir` (rectify.db), as another program would. */
export function writeUnderneath(dir: string, fn: (db: InstanceType<typeof Database>) => void): void {
  const db = new Database(join(dir, 'rectify.db'));
  try {
    fn(db);
  } finally {
    db.close();
  }
}

/** Sets an item's title and owner, and records a progress note, without the command line. */
export function legacyText(dir: string, id: string, t: { title?: string; owner?: string; note?: string }): void {
  writeUnderneath(dir, (db) => {
    if (t.title !== undefined) db.prepare('UPDATE items SET title = ? WHERE id = ?').run(t.title, id);
    if (t.owner !== undefined) db.prepare('UPDATE items SET owner = ? WHERE id = ?').run(t.owner, id);
    if (t.note !== undefined) {
      db.prepare(`UPDATE items SET status = 'in_progress', progress = 10 WHERE id = ?`).run(id);
      db.prepare(
        `INSERT INTO history (grp, at, by, item, action, status, progress, via, changes, note)
         SELECT 1000000, ?, 'tester', key, 'progress', 'in_progress', 10, 'cli', '{"progress":[0,10]}', ? FROM items WHERE id = ?`,
      ).run(new Date().toISOString(), t.note, id);
    }
  });
}
