// Ledger files made by earlier versions open in this one and keep everything (issue 17, "Nothing
// lost on the way"): the first command brings the file up to date, and `export --format json`
// prints the same bytes before and after. The fixtures were made by the versions named
// (tests/fixtures/ledger/make-v4.sh made v4.db).
import { copyFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { pragma, sqliteModule } from '../../src/store/sqlite/driver.js';
import { LATEST_VERSION } from '../../src/store/sqlite/migrations/index.js';
import { FIXTURES, rectify, tempDir } from '../helpers/cli.js';
import { atFileEnd } from '../helpers/file-hooks.js';

const t = tempDir('rectify-upgrade-');
atFileEnd(() => t.cleanup());

const { DatabaseSync: Database } = sqliteModule();

const version = (file: string) => {
  const db = new Database(file, { readOnly: true });
  try {
    return pragma(db, 'user_version');
  } finally {
    db.close();
  }
};

describe.each([
  { name: 'v4.db', made: 4, exported: join(FIXTURES, 'ledger', 'v4.export.json') },
  { name: 'ledger-v2.db', made: 3, exported: join(FIXTURES, 'pg', 'ledger-v2.export.json'), dir: 'pg' },
])('a ledger file of schema version $made ($name)', ({ name, made, exported, dir }) => {
  it('opens, is brought up to date, and exports the same bytes before and after', () => {
    const file = join(t.dir, name);
    copyFileSync(join(FIXTURES, dir ?? 'ledger', name), file);
    expect(version(file)).toBe(made);
    const expected = readFileSync(exported, 'utf8');
    const first = rectify(['export', '--format', 'json'], { cwd: t.dir, env: { RECTIFY_DB: file } });
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toBe(expected);
    expect(version(file)).toBe(LATEST_VERSION);
    const again = rectify(['export', '--format', 'json'], { cwd: t.dir, env: { RECTIFY_DB: file } });
    expect(again.stdout).toBe(expected);
    // Its history is now written by its own triggers (migration 5), a change through rectify
    // and one of plain SQL alike.
    const p = rectify(['progress', 'M3.2', '40', '-m', '升级之后'], { cwd: t.dir, env: { RECTIFY_DB: file, RECTIFY_USER: '办公室' } });
    expect(p.code, p.stderr).toBe(0);
    const db = new Database(file);
    try {
      expect(db.prepare(`SELECT count(*) AS n FROM sqlite_schema WHERE type = 'trigger' AND name = 'pending_record'`).get()).toEqual({ n: 1 });
      db.prepare(`UPDATE items SET due = '2027-12-31' WHERE id = 'M3.2'`).run();
      const last = db.prepare(`SELECT h.by, h.action, h.changes, h.note FROM history h JOIN items i ON i.key = h.item
        WHERE i.id = 'M3.2' ORDER BY h.seq DESC LIMIT 2`).all();
      expect(last).toEqual([
        { by: '(sql)', action: 'assign', changes: '{"due":[null,"2027-12-31"]}', note: null },
        { by: '办公室', action: 'progress', changes: '{"status":["open","in_progress"],"progress":[0,40]}', note: '升级之后' },
      ]);
    } finally {
      db.close();
    }
  });
});
