import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { pragma, sqliteModule } from '../../src/store/sqlite/driver.js';

const { DatabaseSync: Database } = sqliteModule();
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/index.js';
import { LATEST_VERSION } from '../../src/store/sqlite/migrations/index.js';
import { APPLICATION_ID, openDatabase } from '../../src/store/sqlite/open.js';
import { expectRefused, fixtureSeed } from './helpers.js';

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rectify-store-'));
});
afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

/** A real ledger file with the fixture in it, closed (so its WAL is folded in). */
async function ledgerFile(name = 'rectify.db'): Promise<string> {
  const file = path.join(dir, name);
  const store = await openStore(file, { create: true });
  await store.write(() => store.createFromSeed(fixtureSeed(), 'seeder'));
  await store.close();
  return file;
}

/** The files in the folder with their bytes: what "left untouched" is checked against. */
function snapshot(): Record<string, string> {
  const out: Record<string, string> = {};
  for (const f of fs.readdirSync(dir).sort()) out[f] = fs.readFileSync(path.join(dir, f)).toString('base64');
  return out;
}

describe('creating a ledger', () => {
  it('makes a file only its owner may read and write, marked as a rectify ledger, in WAL mode', async () => {
    const file = path.join(dir, 'new.db');
    const store = await openStore(file, { create: true });
    await store.write(() => store.createFromSeed(fixtureSeed(), 's'));
    await store.close();
    expect(fs.statSync(file).mode & 0o777).toBe(0o600 & ~process.umask());
    expect(fs.statSync(file).mode & 0o077).toBe(0);
    const db = new Database(file, { readOnly: true });
    expect(pragma(db, 'application_id')).toBe(APPLICATION_ID);
    expect(pragma(db, 'user_version')).toBe(LATEST_VERSION);
    expect(pragma(db, 'journal_mode')).toBe('wal');
    db.close();
  });

  it('refuses with exit 4 where a file already is, and leaves it alone', async () => {
    const file = await ledgerFile();
    const before = snapshot();
    await expectRefused(openStore(file, { create: true }), 'store.exists', 4);
    fs.writeFileSync(path.join(dir, 'notes.txt'), 'hello');
    const notes = snapshot();
    // What is not a ledger is no ledger that exists: bad input, and left alone.
    await expectRefused(openStore(path.join(dir, 'notes.txt'), { create: true }), 'store.notLedger', 2);
    expect(snapshot()).toEqual(notes);
    expect(before['rectify.db']).toBe(notes['rectify.db']);
  });

  it('starts a new ledger empty even where a deleted one left its WAL behind', async () => {
    const file = await ledgerFile('old.db');
    // Leave the old ledger's last changes in a WAL, as a crash would, then delete only the file.
    const db = new Database(file);
    db.exec('PRAGMA wal_autocheckpoint = 0');
    db.prepare("UPDATE report SET title = 'old'").run();
    fs.copyFileSync(`${file}-wal`, path.join(dir, 'saved-wal'));
    db.close();
    fs.rmSync(file);
    fs.copyFileSync(path.join(dir, 'saved-wal'), `${file}-wal`);
    const store = await openStore(file, { create: true });
    expect(await store.report()).toEqual({ title: '', unit: null, date: null });
    await store.write(() => store.createFromSeed(fixtureSeed(), 's'));
    expect((await store.report()).title).toBe(fixtureSeed().report.title);
    await store.close();
    const reopened = await openStore(file, { create: false });
    expect((await reopened.report()).title).toBe(fixtureSeed().report.title);
    await reopened.close();
  });

  it('refuses with exit 2 in a folder that does not exist', async () => {
    await expectRefused(openStore(path.join(dir, 'no', 'such', 'x.db'), { create: true }), 'store.cannotCreate', 2);
  });

  it('works on :memory: whether asked to create or to open', async () => {
    for (const create of [true, false]) {
      const store = await openStore(':memory:', { create });
      await store.write(() => store.createFromSeed(fixtureSeed(), 's'));
      expect((await store.measures()).length).toBe(2);
      await store.close();
    }
  });
});

describe('opening a ledger', () => {
  it('opens a ledger made earlier with everything in it', async () => {
    const file = await ledgerFile();
    const store = await openStore(file, { create: false });
    expect((await store.listItems({})).map((i) => i.id)).toEqual(['M1.1', 'M1.2', 'M1.3', 'M1.10', 'M2.1', 'M2.2']);
    await store.close();
  });

  it('fails with exit 3 when there is no ledger, and creates none', async () => {
    await expectRefused(openStore(path.join(dir, 'missing.db'), { create: false }), 'store.missing', 3);
    expect(fs.readdirSync(dir)).toEqual([]);
  });

  it('switches foreign keys on at every open', async () => {
    const file = await ledgerFile();
    const db = openDatabase(file, false);
    expect(pragma(db, 'foreign_keys')).toBe(1);
    // An address pointing at no problem is refused by the schema itself.
    expect(() => db.prepare('INSERT INTO item_problems (item, pos, problem) VALUES (1, 9, 999)').run()).toThrow(/FOREIGN KEY/);
    db.close();
  });

  it('refuses a marked file of schema 0 (what an interrupted first init once left) as damaged, and leaves it as it was', async () => {
    const file = path.join(dir, 'old.db');
    const db = new Database(file);
    db.exec(`PRAGMA application_id = ${APPLICATION_ID}`);
    db.close();
    const before = snapshot();
    await expectRefused(openStore(file, { create: false }), 'store.damaged', 2);
    expect(snapshot()).toEqual(before);
  });

  it('builds a new ledger out of sight: nothing at its place until the first unit of work commits, nothing left if none does', async () => {
    const file = path.join(dir, 'new.db');
    const store = await openStore(file, { create: true });
    expect(fs.existsSync(file)).toBe(false);
    await store.close();
    expect(fs.readdirSync(dir)).toEqual([]);
    const again = await openStore(file, { create: true });
    await again.write(() => again.createFromSeed(fixtureSeed(), 's'));
    expect(fs.existsSync(file)).toBe(false);
    await again.close();
    expect(fs.readdirSync(dir)).toEqual(['new.db']);
  });

  describe('leaves a file that is not a usable ledger byte for byte as it was', () => {
    const cases: [string, (file: string) => Promise<void> | void, string, number][] = [
      ['random bytes', (f) => fs.writeFileSync(f, Buffer.from(Array.from({ length: 8192 }, (_, i) => (i * 7919) % 251))), 'store.notLedger', 2],
      ['a text file', (f) => fs.writeFileSync(f, 'version: 1\nreport:\n  title: x\n'), 'store.notLedger', 2],
      ['an empty file', (f) => fs.writeFileSync(f, ''), 'store.empty', 2],
      ['a ledger cut in half', async (f) => {
        const src = await ledgerFile('whole.db');
        const bytes = fs.readFileSync(src);
        fs.writeFileSync(f, bytes.subarray(0, bytes.length / 2));
        fs.rmSync(src);
      }, 'store.damaged', 2],
      ['a ledger cut inside its first page', async (f) => {
        const src = await ledgerFile('whole.db');
        fs.writeFileSync(f, fs.readFileSync(src).subarray(0, 1000));
        fs.rmSync(src);
      }, 'store.damaged', 2],
      ['a ledger cut mid-page', async (f) => {
        const src = await ledgerFile('whole.db');
        const bytes = fs.readFileSync(src);
        fs.writeFileSync(f, bytes.subarray(0, bytes.length - 100));
        fs.rmSync(src);
      }, 'store.damaged', 2],
      ['another SQLite database', (f) => {
        const db = new Database(f);
        db.exec('CREATE TABLE notes (text TEXT); INSERT INTO notes VALUES (\'hi\')');
        db.close();
      }, 'store.notLedgerSqlite', 2],
      ['a ledger from a newer rectify', async (f) => {
        const src = await ledgerFile('whole.db');
        const db = new Database(src);
        db.exec(`PRAGMA user_version = ${LATEST_VERSION + 1}`);
        db.exec('PRAGMA journal_mode = DELETE');
        db.close();
        fs.renameSync(src, f);
      }, 'store.newer', 4],
    ];
    for (const [what, make, key, exit] of cases) {
      it(`${what}: exit ${exit}`, async () => {
        const file = path.join(dir, 'rectify.db');
        await make(file);
        const before = snapshot();
        const e = await expectRefused(openStore(file, { create: false }), key as never, exit);
        expect(e.params).toMatchObject({ path: file });
        expect(snapshot()).toEqual(before);
      });
    }
  });

  it('refuses a folder given as the ledger with exit 2', async () => {
    await expectRefused(openStore(dir, { create: false }), 'store.isFolder', 2);
  });

  it('reports damage found later, while reading, as exit 2 rather than a crash', async () => {
    const file = await ledgerFile();
    const db = new Database(file, { readOnly: true });
    const { rootpage } = db.prepare(`SELECT rootpage FROM sqlite_schema WHERE name = 'items'`).get() as { rootpage: number };
    const pageSize = pragma(db, 'page_size') as number;
    db.close();
    const fd = fs.openSync(file, 'r+');
    fs.writeSync(fd, Buffer.alloc(pageSize, 0xa5), 0, pageSize, (rootpage - 1) * pageSize);
    fs.closeSync(fd);
    const store = await openStore(file, { create: false });
    await expectRefused(store.listItems({}), 'store.damaged', 2);
    await store.close();
  });

  it('refuses an integer no ledger holds (beyond 2^53, written underneath) as damage, exit 2, and changes nothing', async () => {
    const file = await ledgerFile();
    const db = new Database(file);
    db.exec(`UPDATE counters SET value = 9007199254740993 WHERE name = 'group'`);
    db.close();
    const store = await openStore(file, { create: false });
    const before = await store.listItems({});
    await expectRefused(store.write(() => store.applyChanges([{ id: 'M1.1', action: 'progress', set: { progress: 20, status: 'in_progress' }, note: null }], 'u')), 'store.damaged', 2);
    expect(await store.listItems({})).toEqual(before);
    await store.close();
  });
});

describe('two writers', () => {
  it('the second waits for the first to finish instead of failing', async () => {
    const file = await ledgerFile();
    // Another process-like writer: holds the write lock for 300 ms, then commits.
    const worker = new Worker(`
      const { parentPort, workerData } = require('node:worker_threads');
      const { DatabaseSync } = process.getBuiltinModule('node:sqlite');
      const db = new DatabaseSync(workerData.file, { timeout: 5000 });
      db.exec('BEGIN IMMEDIATE');
      db.prepare("UPDATE items SET progress = 5 WHERE id = 'M1.2'").run();
      parentPort.postMessage('locked');
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 300);
      db.exec('COMMIT');
      db.close();
      parentPort.postMessage('done');
    `, { eval: true, workerData: { file } });
    const messages: string[] = [];
    const done = new Promise<void>((resolve, reject) => {
      worker.on('message', (m: string) => { messages.push(m); if (m === 'done') resolve(); });
      worker.on('error', reject);
    });
    await new Promise<void>((resolve) => worker.once('message', () => resolve()));
    const store = await openStore(file, { create: false });
    const started = Date.now();
    await store.write(() => store.applyChanges([{ id: 'M1.1', action: 'progress', set: { status: 'in_progress', progress: 10 }, note: null }], 'u'));
    expect(Date.now() - started).toBeGreaterThanOrEqual(200);
    await done;
    expect((await store.getItems(['M1.1', 'M1.2'])).items.map((i) => i.progress)).toEqual([10, 5]);
    await store.close();
    await worker.terminate();
  });
});
