// A whole ledger copied between backends (Store.dump into Store.restore, as `rectify copy`
// does): the export is the same on both sides, each entry's dbUser carried both ways.
import { describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/index.js';
import type { Store } from '../../src/store/types.js';
import { HAS_PG, dbSql, freshLedgerUrl } from '../helpers/pg.js';
import { clock, expectRefused, fixtureSeed, rejection } from './helpers.js';

const stores: Store[] = [];
async function pgStore(): Promise<{ store: Store; url: string }> {
  const url = await freshLedgerUrl();
  const store = await openStore(url, { create: true, now: clock() });
  stores.push(store);
  return { store, url };
}
async function fileStore(): Promise<Store> {
  return openStore(':memory:', { create: true, now: clock() });
}
const copy = async (from: Store, to: Store) => to.write(() => to.restore(from.dump(), 'copier'));

describe.runIf(HAS_PG)('copying between a file and a server', () => {
  it('carries history, evidence, pins, undo and each dbUser from a server to a file and back', async () => {
    const { store: server } = await pgStore();
    await server.write(() => server.createFromSeed(fixtureSeed(), 'seeder'));
    await server.write(() => server.applyChanges([{ id: 'M1.1', action: 'assign', set: { owner: '赵' }, note: null, pinFields: ['owner'] }], 'sec'));
    await server.write(() => server.applyChanges([{ id: 'M1.2', action: 'done', set: { status: 'done', progress: 100 }, note: '完成', evidence: ['纪要'] }], 'dept'));
    await server.write(() => server.applyChanges([{ id: 'M1.3', action: 'progress', set: { status: 'in_progress', progress: 10 }, note: null }], 'dept'));
    await server.write(() => server.undo('dept'));
    const original = await server.exportLedger();
    const dbUser = new URL(process.env.RECTIFY_TEST_PG!).username;
    expect(original.measures[0]!.items.find((i) => i.id === 'M1.2')!.history.at(-1)).toMatchObject({ dbUser, action: 'done' });

    const file = await fileStore();
    expect(await copy(server, file)).toMatchObject({ items: 6, areas: 3 });
    expect(await file.exportLedger()).toEqual(original);

    const { store: again } = await pgStore();
    await copy(file, again);
    expect(await again.exportLedger()).toEqual(original);
    // What the copy kept is what the server recorded, not the copier's role.
    await again.close();
    await file.close();
  });

  it('keeps entries made on a file without a dbUser on the server', async () => {
    const file = await fileStore();
    await file.write(() => file.createFromSeed(fixtureSeed(), 'seeder'));
    await file.write(() => file.applyChanges([{ id: 'M2.1', action: 'progress', set: { status: 'in_progress', progress: 30 }, note: null }], 'u'));
    const { store: server } = await pgStore();
    await copy(file, server);
    const exported = await server.exportLedger();
    expect(exported).toEqual(await file.exportLedger());
    expect(JSON.stringify(exported)).not.toContain('dbUser');
    // New changes on the server are recorded as the server's.
    await server.write(() => server.applyChanges([{ id: 'M2.1', action: 'progress', set: { progress: 40 }, note: null }], 'u'));
    expect((await server.history({ limit: 1 }))[0]).toHaveProperty('dbUser');
    await file.close();
  });

  it('refuses to copy into a ledger that holds one', async () => {
    const { store: server } = await pgStore();
    await server.write(() => server.createFromSeed(fixtureSeed(), 'seeder'));
    const file = await fileStore();
    await file.write(() => file.createFromSeed(fixtureSeed(), 'seeder'));
    await expectRefused(copy(file, server), 'store.notEmpty', 4);
    await file.close();
  });
});

describe.runIf(HAS_PG)('a ledger on a server and its schema version', () => {
  it('is refused, exit 4, when a newer rectify migrated it', async () => {
    const { store, url } = await pgStore();
    await store.write(() => store.createFromSeed(fixtureSeed(), 'seeder'));
    await store.close();
    const sql = await dbSql();
    const schema = new URL(url).searchParams.get('schema')!;
    await sql.unsafe(`INSERT INTO "${schema}".migrations (version, name) VALUES (99, 'future')`);
    const e = await rejection(openStore(url, { create: false }));
    expect({ key: e.key, exit: e.exit }).toEqual({ key: 'pg.newer', exit: 4 });
    expect(e.message).toContain('schema 99');
  });

  it('records each migration it ran in the ledger', async () => {
    const { store, url } = await pgStore();
    await store.write(() => store.createFromSeed(fixtureSeed(), 'seeder'));
    const sql = await dbSql();
    const schema = new URL(url).searchParams.get('schema')!;
    const rows = await sql.unsafe(`SELECT version, name FROM "${schema}".migrations ORDER BY version`);
    const { PG_MIGRATIONS } = await import('../../src/store/postgres/migrations/index.js');
    expect(rows.map((r) => r.version)).toEqual(PG_MIGRATIONS.map((m) => m.version));
  });
});

afterAllClose();
function afterAllClose(): void {
  // Stores left open by a failing test are closed with the file.
  void import('vitest').then(({ afterAll }) => afterAll(async () => {
    for (const s of stores) await s.close().catch(() => {});
  }));
}
