// Attacks on the history and the rows it speaks for, by staff, viewers and admins with plain SQL
// (docs/postgres.md, "What the server guarantees", 2 to 4). Each is judged by its outcome in the
// contract's terms, read back through rectify: every change of an item's state has exactly one
// entry, by the role that made it; no entry without a change; the dashboard equals a rebuild
// from the rows; everyone can still read and write afterwards.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  HAS_PG, inconsistencies, makeLedger, newEntriesFaults, newInconsistencies, rebuildFigures, tryOn, type Attempt, type Ledger,
} from './helpers.js';

describe.runIf(HAS_PG)('attacks on the history', () => {
  // L takes most attacks, each on items of its own; J and Q take the two whose success would
  // spoil every later read (malformed history) or write (sequences), on today's code.
  let L: Ledger;
  let J: Ledger;
  let Q: Ledger;
  const ok = (r: { code: number; stderr: string }) => expect(r.code, r.stderr).toBe(0);

  beforeAll(async () => {
    [L, J, Q] = await Promise.all([makeLedger(), makeLedger(), makeLedger()]);
  }, 120_000);

  /** Tables and sequences of the ledger's schema, as any role sees them in the catalogue. */
  const catalogue = async (on = L) => {
    const r = await on.attempt(L.users.viewer, `SELECT c.relname AS name, c.relkind AS kind FROM pg_class c
      JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = '${on.schema}' AND c.relkind IN ('r', 'S', 'p', 'v')`);
    expect(r.ok, r.message).toBe(true);
    return r.rows as { name: string; kind: string }[];
  };
  /** The settings any function of the ledger reads (its source is readable by everyone). */
  const settingsRead = async () => {
    const r = await L.attempt(L.users.viewer, `SELECT string_agg(p.prosrc, ' ') AS src FROM pg_proc p
      JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = '${L.schema}'`);
    const src = ((r.rows?.[0] as { src: string | null } | undefined)?.src) ?? '';
    const names = new Set(['rectify.bulk', 'rectify.copy']);
    for (const m of src.matchAll(/current_setting\s*\(\s*'([^']+)'/gi)) names.add(m[1]!);
    return [...names];
  };

  it('staff cannot make any history entry appear that it did not cause, and the secretary\'s undo never applies a forged one', async () => {
    ok(await L.inproc(L.users.admin, ['progress', 'M1.2', '20'], '书记'));
    const before = await L.dump();
    // A forged entry under the secretary's name: its "before" values are what an undo would restore.
    const forged = JSON.stringify({ status: ['verified', 'open'], progress: [100, 0], title: ['被篡改', '事项1.1'], owner: ['staff', null] });
    const tries: Attempt[] = [];
    for (const user of [L.users.staff, L.users.viewer]) {
      tries.push(await L.attempt(user, `INSERT INTO history (grp, at, by, item, action, status, progress, via, changes)
        SELECT nextval('groups'), '2099-01-01T00:00:00.000+00:00', '书记', key, 'progress', 'open', 0, 'cli', '${forged}'
          FROM items WHERE id = 'M1.1'`));
      tries.push(await L.attempt(user, `INSERT INTO history (grp, at, by, item, action, status, progress, via, changes)
        SELECT grp + 1000, at, '书记', item, 'done', 'done', 100, 'cli', '{"status":["open","done"],"progress":[0,100]}'
          FROM history ORDER BY seq DESC LIMIT 1`));
    }
    const after = await L.dump();
    expect(newEntriesFaults(before, after, L.users.staff)).toEqual([]);
    // The secretary's undo takes back the secretary's own change, nothing forged.
    ok(await L.inproc(L.users.admin, ['undo'], '书记'));
    const undone = await L.dump();
    expect(undone.items.get('M1.1')).toMatchObject({ status: 'open', progress: 0, title: '事项1.1', owner: null });
    expect(undone.items.get('M1.2')).toMatchObject({ status: 'open', progress: 0 });
    expect(newInconsistencies(before, undone)).toEqual([]);
    expect(tries.filter((t) => t.ok)).toEqual([]);
  });

  it('malformed changes cannot be put into the history, and everyone can still read it', async () => {
    const before = await J.dump();
    const tries: Attempt[] = [];
    for (const changes of ['not json {', '[1,2]', '{"status": 5}', '{"status":["open"]}', '']) {
      for (const user of [J.users.staff, J.users.admin]) {
        tries.push(await J.attempt(user, `INSERT INTO history (grp, at, by, item, action, status, progress, via, changes)
          SELECT nextval('groups'), '2024-05-10T00:00:00.000+00:00', 'x', key, 'progress', status, progress, 'cli', '${changes}'
            FROM items WHERE id = 'M1.3'`));
      }
    }
    const after = await J.dump();
    expect(newEntriesFaults(before, after, J.users.staff)).toEqual([]);
    for (const args of [['log', '--json'], ['show', 'M1.3', '--json'], ['export', '--format', 'json']]) {
      const r = await J.inproc(J.users.viewer, args);
      expect({ args, code: r.code, stderr: r.stderr }).toEqual({ args, code: 0, stderr: '' });
    }
    expect(tries.filter((t) => t.ok)).toEqual([]);
  });

  it('explicit future sequence numbers and moved sequences cannot break later writes', async () => {
    const cat = await catalogue(Q);
    for (const user of [Q.users.staff, Q.users.admin]) {
      for (let k = 1; k <= 5; k++) {
        await Q.attempt(user, `INSERT INTO history (seq, grp, at, by, item, action, status, progress, via)
          OVERRIDING SYSTEM VALUE SELECT (SELECT max(seq) FROM history) + ${k}, nextval('groups'), '2024-05-10T00:00:00.000+00:00', 'x', key,
            'progress', status, progress, 'cli' FROM items WHERE id = 'M1.4'`);
        await Q.attempt(user, `INSERT INTO history (seq, grp, at, by, item, action, status, progress, via)
          SELECT (SELECT max(seq) FROM history) + ${k}, nextval('groups'), '2024-05-10T00:00:00.000+00:00', 'x', key,
            'progress', status, progress, 'cli' FROM items WHERE id = 'M1.4'`);
      }
      for (const s of cat.filter((c) => c.kind === 'S')) {
        await Q.attempt(user, `SELECT setval('"${Q.schema}"."${s.name}"', 1, false)`);
      }
    }
    ok(await Q.inproc(Q.users.staff, ['progress', 'M1.4', '10']));
    ok(await Q.inproc(Q.users.staff, ['progress', 'M1.4', '20']));
    ok(await Q.inproc(Q.users.admin, ['assign', 'M1.5', '某人']));
    ok(await Q.inproc(Q.users.admin, ['add', '新事项', '--measure', 'M1']));
    // Changes stay apart: staff's undo takes back its last change only.
    const before = await Q.dump();
    ok(await Q.inproc(Q.users.staff, ['undo']));
    const after = await Q.dump();
    expect(after.items.get('M1.4')).toMatchObject({ status: 'in_progress', progress: 10 });
    for (const [id, it] of before.items) if (id !== 'M1.4') expect(after.items.get(id)?.status, id).toBe(it.status);
    expect(after.items.get('M1.5')!.owner).toBe('某人');
    expect(inconsistencies(after)).toEqual([]);
  });

  it('an admin cannot write the database role an entry records, with or without the copy setting', async () => {
    const before = await L.dump();
    const insert = (who: string) => `INSERT INTO history (grp, at, by, item, action, status, progress, via, changes, db_user)
      SELECT nextval('groups'), '2024-05-10T00:00:00.000+00:00', '书记', key, 'progress', status, progress, 'cli', '{}', '${who}'
        FROM items WHERE id = 'M1.6'`;
    const a = L.connect(L.users.admin);
    const tries = [
      await tryOn(a, insert('forged-no-flag')),
      await tryOn(a, `UPDATE history SET db_user = 'forged-update'`),
      await tryOn(a, `SET rectify.copy = 'on'`),
      await tryOn(a, insert('forged-copy-flag')),
    ];
    const after = await L.dump();
    const users = [...after.items.values()].flatMap((i) => i.history.map((h) => h.dbUser));
    expect(users.filter((u) => u?.startsWith('forged'))).toEqual([]);
    expect(newEntriesFaults(before, after, L.users.admin)).toEqual([]);
    expect(tries.slice(0, 2).filter((t) => t.ok)).toEqual([]);
  });

  it('staff cannot change status or progress with plain UPDATE without an entry (done at 3%, done moved back, signed off)', async () => {
    ok(await L.inproc(L.users.staff, ['done', 'M2.3']));
    const before = await L.dump();
    const s = L.connect(L.users.staff);
    await tryOn(s, `UPDATE items SET status = 'done', progress = 3 WHERE id = 'M2.1'`);
    await tryOn(s, `UPDATE items SET progress = 40 WHERE id = 'M2.2'`);
    await tryOn(s, `UPDATE items SET status = 'in_progress', progress = 50 WHERE id = 'M2.3'`);
    await tryOn(s, `UPDATE items SET status = 'verified', progress = 100 WHERE id = 'M2.4'`);
    await tryOn(s, `UPDATE items SET status = 'in_progress' WHERE id = 'M2.5'`);
    const after = await L.dump();
    expect(after.items.get('M2.4')!.status).not.toBe('verified');
    expect(newEntriesFaults(before, after, L.users.staff)).toEqual([]);
  });

  it('staff cannot delete or rewrite evidence, its own or another\'s', async () => {
    ok(await L.inproc(L.users.staff, ['done', 'M2.6', '--evidence', '会议纪要']));
    ok(await L.inproc(L.users.staff2, ['done', 'M2.7', '--evidence', '整改报告']));
    const before = await L.dump();
    const tries: Attempt[] = [];
    for (const user of [L.users.staff, L.users.staff2]) {
      tries.push(await L.attempt(user, `DELETE FROM evidence`));
      tries.push(await L.attempt(user, `UPDATE evidence SET text = '伪造'`));
      tries.push(await L.attempt(user, `INSERT INTO evidence (item, seq, text) SELECT item, seq, '伪造' FROM evidence LIMIT 1`));
      tries.push(await L.attempt(user, `TRUNCATE evidence`));
    }
    const after = await L.dump();
    expect(after.items.get('M2.6')!.evidence).toEqual(['会议纪要']);
    expect(after.items.get('M2.7')!.evidence).toEqual(['整改报告']);
    expect(newEntriesFaults(before, after, L.users.staff)).toEqual([]);
    expect(tries.filter((t) => t.ok)).toEqual([]);
  });

  it('staff cannot mark a change taken back without taking it back', async () => {
    const before = await L.dump();
    ok(await L.inproc(L.users.staff, ['progress', 'M2.8', '30']));
    for (const text of [
      `INSERT INTO undone (grp, by_grp) SELECT max(grp), max(grp) + 100 FROM history`,
      `INSERT INTO undone (grp, by_grp) SELECT grp, grp + 200 FROM history WHERE db_user <> session_user`,
    ]) await L.attempt(L.users.staff, text);
    ok(await L.inproc(L.users.staff, ['undo']));
    const d = await L.dump();
    expect(d.items.get('M2.8')).toMatchObject({ status: 'open', progress: 0 });
    expect(newInconsistencies(before, d)).toEqual([]);
  });

  it('a viewer cannot write anything: no table, sequence, schema object or setting of the ledger', async () => {
    const before = await L.dump();
    const cat = await catalogue();
    const wrote: string[] = [];
    const v = L.connect(L.users.viewer);
    const attempt = async (text: string) => {
      const r = await tryOn(v, text);
      if (r.ok) wrote.push(text);
    };
    for (const t of cat.filter((c) => c.kind !== 'S')) {
      const cols = (await tryOn(v, `SELECT attname FROM pg_attribute WHERE attrelid = '"${L.schema}"."${t.name}"'::regclass AND attnum > 0 AND NOT attisdropped AND attgenerated = '' ORDER BY attnum`)).rows as { attname: string }[];
      const col = cols[cols.length - 1]!.attname;
      await attempt(`UPDATE "${t.name}" SET "${col}" = "${col}"`);
      await attempt(`DELETE FROM "${t.name}" WHERE false`);
      await attempt(`INSERT INTO "${t.name}" SELECT * FROM "${t.name}" WHERE false`);
      await attempt(`TRUNCATE "${t.name}"`);
      await attempt(`LOCK TABLE "${t.name}" IN EXCLUSIVE MODE`);
    }
    for (const s of cat.filter((c) => c.kind === 'S')) await attempt(`SELECT setval('"${s.name}"', 1000000)`);
    await attempt(`CREATE TABLE "${L.schema}".planted (x int)`);
    await attempt(`CREATE FUNCTION "${L.schema}".planted() RETURNS int LANGUAGE sql AS 'SELECT 1'`);
    expect(wrote).toEqual([]);
    const r = await L.inproc(L.users.viewer, ['progress', 'M2.9', '10']);
    expect(r.code).toBe(4);
    expect(newEntriesFaults(before, await L.dump(), L.users.viewer)).toEqual([]);
  });

  it('COPY into the history is refused', async () => {
    const before = await L.dump();
    const copied: string[] = [];
    for (const user of [L.users.staff, L.users.admin]) {
      const c = L.connect(user);
      const [row] = ((await L.attempt(user, `SELECT key FROM items WHERE id = 'M3.7'`)).rows ?? []) as { key: number }[];
      const line = `999999\t2024-05-10T00:00:00.000+00:00\t书记\t${row?.key ?? 1}\tverify\tverified\t100\tcli\t{}\n`;
      const copy = (async () => {
        const w = await c.unsafe(`COPY history (grp, at, by, item, action, status, progress, via, changes) FROM STDIN`).writable();
        await pipeline(Readable.from([line]), w);
      })();
      copy.catch(() => {});
      const timeout = new Promise((_, reject) => setTimeout(() => reject(new Error('copy did not finish')), 5000));
      if (await Promise.race([copy, timeout]).then(() => true, () => false)) copied.push(user);
    }
    const after = await L.dump();
    expect(newEntriesFaults(before, after, L.users.staff)).toEqual([]);
    expect(copied).toEqual([]);
  });

  it('admins cannot switch a trigger off, add a rule, or replicate past the triggers', async () => {
    const cat = await catalogue();
    const a = L.connect(L.users.admin);
    const took: string[] = [];
    for (const t of cat.filter((c) => c.kind === 'r')) {
      for (const text of [
        `ALTER TABLE "${t.name}" DISABLE TRIGGER ALL`, `ALTER TABLE "${t.name}" DISABLE TRIGGER USER`,
        `CREATE RULE planted AS ON INSERT TO "${t.name}" DO INSTEAD NOTHING`,
        `ALTER TABLE "${t.name}" ENABLE REPLICA TRIGGER ALL`,
      ]) if ((await tryOn(a, text)).ok) took.push(text);
    }
    if ((await tryOn(a, `SET session_replication_role = replica`)).ok) took.push('session_replication_role');
    await tryOn(a, `RESET session_replication_role`);
    expect(took).toEqual([]);
    const before = await L.dump();
    ok(await L.inproc(L.users.admin, ['progress', 'M3.8', '30']));
    ok(await L.inproc(L.users.staff, ['progress', 'M3.9', '30']));
    const after = await L.dump();
    expect(after.items.get('M3.8')!.history.length).toBe(before.items.get('M3.8')!.history.length + 1);
    expect(after.items.get('M3.9')!.history.length).toBe(before.items.get('M3.9')!.history.length + 1);
    expect(await L.figures()).toEqual(rebuildFigures(after));
  });

  it('a permitted change made with the ledger\'s table names shadowed in pg_temp still records one entry and keeps the roll-ups', async () => {
    const cat = await catalogue();
    const s = L.connect(L.users.staff, { searchPath: `pg_temp, "${L.schema}"` });
    for (const t of cat.filter((c) => c.kind === 'r')) await tryOn(s, `CREATE TEMP TABLE "${t.name}" (LIKE "${L.schema}"."${t.name}")`);
    const before = await L.dump();
    // Whatever plain change staff may make; if none is permitted, nothing may change at all.
    await tryOn(s, `UPDATE "${L.schema}".items SET progress = 30, status = 'in_progress' WHERE id = 'M3.10'`);
    await tryOn(s, `UPDATE "${L.schema}".items SET progress = 100, status = 'done' WHERE id = 'M2.10'`);
    const after = await L.dump();
    expect(newEntriesFaults(before, after, L.users.staff)).toEqual([]);
    expect(await L.figures()).toEqual(rebuildFigures(after));
  });

  it('no setting skips a roll-up or a check: the dashboard equals a rebuild from the rows after staff and admins set every setting the guard reads', async () => {
    const settings = await settingsRead();
    const before = await L.dump();
    const s = L.connect(L.users.staff, { params: { 'rectify.bulk': 'on' } });
    for (const name of settings) for (const v of ['on']) await tryOn(s, `SET "${name}" = '${v}'`);
    await tryOn(s, `SET session_replication_role = replica`);
    await tryOn(s, `UPDATE items SET status = 'done', progress = 100 WHERE id = 'M3.1'`);
    await tryOn(s, `UPDATE items SET status = 'in_progress', progress = 50 WHERE id = 'M3.2'`);
    const staffFaults = newEntriesFaults(before, await L.dump(), L.users.staff);
    // rectify itself, with the setting in the address and in the role's own defaults.
    const viaAddress = L.cli(L.users.staff, ['--db', `${L.address(L.users.staff)}&rectify.bulk=on`, 'progress', 'M3.3', '40']);
    await L.attempt(L.users.staff, `ALTER ROLE CURRENT_USER SET rectify.bulk = 'on'`);
    ok(await L.inproc(L.users.staff, ['done', 'M3.4']));
    await L.attempt(L.users.staff, `ALTER ROLE CURRENT_USER RESET ALL`);
    const a = L.connect(L.users.admin);
    for (const name of settings) await tryOn(a, `SET "${name}" = 'on'`);
    await tryOn(a, `UPDATE items SET status = 'done', progress = 100 WHERE id = 'M3.5'`);
    await tryOn(a, `UPDATE items SET owner = '别人', due = '2024-01-01' WHERE id = 'M3.6'`);
    const after = await L.dump();
    expect(staffFaults).toEqual([]);
    expect(viaAddress.code, 'an unknown address option is refused').toBe(2);
    expect(await L.figures()).toEqual(rebuildFigures(after));
    expect(newInconsistencies(before, after)).toEqual([]);
  });

  it('an admin\'s plain SQL cannot put into the ledger what its export would not load again (control characters, blank titles, impossible dates)', async () => {
    const a = L.connect(L.users.admin);
    const wrote: string[] = [];
    for (const text of [
      `UPDATE items SET title = E'标题\\x07' WHERE id = 'M1.8'`,
      `UPDATE items SET owner = E'某\\x1b人' WHERE id = 'M1.8'`,
      `UPDATE items SET department = E'\\x01' WHERE id = 'M1.9'`,
      `UPDATE items SET detail = E'a\\rb' WHERE id = 'M1.9'`,
      `UPDATE items SET title = '' WHERE id = 'M1.10'`,
      `UPDATE items SET title = '   ' WHERE id = 'M1.10'`,
      `UPDATE items SET due = '2024-02-30' WHERE id = 'M2.8'`,
      `UPDATE items SET due = '2024-19-39' WHERE id = 'M2.8'`,
      `UPDATE problems SET title = E'问题\\x7f' WHERE id = 'P1.1'`,
      `UPDATE areas SET name = E'\\x02' WHERE id = 'A1'`,
      `UPDATE measures SET title = E'措施\\x03' WHERE id = 'M1'`,
      `UPDATE report SET title = E'台账\\x04'`,
    ]) if ((await tryOn(a, text)).ok) wrote.push(text);
    const reloads: Record<string, number> = {};
    for (const format of ['jsonl', 'yaml']) {
      const out = await L.inproc(L.users.viewer, ['export', '--format', format]);
      const file = join(L.dir, `export.${format}`);
      writeFileSync(file, out.stdout);
      const r = await L.inproc(null, ['--db', join(L.dir, `reload-${format}.db`), 'init', file]);
      reloads[format] = out.code === 0 ? r.code : -1;
      if (r.code !== 0) reloads[`${format}: ${r.stderr.split('\n')[0]}`] = r.code;
    }
    expect({ reloads, wrote: wrote.length }).toEqual({ reloads: { jsonl: 0, yaml: 0 }, wrote: wrote.length });
  });

  it('TRUNCATE of the history, evidence and undo records is refused for every ledger role', async () => {
    const cat = await catalogue();
    const done: string[] = [];
    for (const user of [L.users.viewer, L.users.staff, L.users.admin]) {
      for (const t of cat.filter((c) => c.kind === 'r' && c.name !== 'items')) {
        const r = await L.attempt(user, `TRUNCATE "${t.name}" CASCADE`);
        if (r.ok) done.push(`${user}: ${t.name}`);
      }
    }
    expect(done).toEqual([]);
    const d = await L.dump();
    expect([...d.items.values()].every((i) => i.history.length > 0)).toBe(true);
  });
});
