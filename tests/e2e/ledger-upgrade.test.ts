// Ledger files made by earlier versions open in this one and keep everything (issue 17, "Nothing
// lost on the way"): the first command brings the file up to date, and `export --format json`
// prints the same bytes before and after. The fixtures were made by the versions named
// (tests/fixtures/ledger/make-v4.sh made v4.db).
import Database from 'better-sqlite3';
import { copyFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LATEST_VERSION } from '../../src/store/sqlite/migrations/index.js';
import { FIXTURES, rectify, tempDir } from '../helpers/cli.js';
import { atFileEnd } from '../helpers/file-hooks.js';

const t = tempDir('rectify-upgrade-');
atFileEnd(() => t.cleanup());

const version = (file: string) => {
  const db = new Database(file, { readonly: true });
  try {
    return db.pragma('user_version', { simple: true });
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
  });
});
