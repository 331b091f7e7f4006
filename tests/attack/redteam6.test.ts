// A sixth red team's attacks (issue 17), as real login roles with plain SQL and through the
// CLI: what got through the guard of migrations 001-034, each seen failing there, and what was
// tried and held.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HAS_PG, inProcess, inTransaction, inconsistencies, makeLedger, seedText, tryOn, type Ledger } from './helpers.js';

describe.runIf(HAS_PG)('a sixth red team', () => {
  let L: Ledger;
  const ok = (r: { code: number; stderr: string }) => expect(r.code, r.stderr).toBe(0);
  /** Each sequence of the ledger: where it is and where it ends (as the superuser). */
  const sequences = async () => (await L.attempt(null, `SELECT sequencename AS name, coalesce(last_value, 0)::text AS at, max_value::text AS max
    FROM pg_sequences WHERE schemaname = '${L.schema}' ORDER BY 1`)).rows as { name: string; at: string; max: string }[];

  /** A 企业微信 group robot that takes every message. */
  let robot: Server;
  let robotPort = 0;

  beforeAll(async () => {
    L = await makeLedger();
    robot = createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ errcode: 0, errmsg: 'ok' }));
      });
    });
    robotPort = await new Promise<number>((resolve) => robot.listen(0, '127.0.0.1', () => resolve((robot.address() as AddressInfo).port)));
  }, 120_000);
  afterAll(() => {
    robot?.close();
  });

  // Seen on main 73a8cec: every sequence of a ledger was an integer one, and a number handed
  // out is never given back, not even by a ROLLBACK. Staff took a group with each call of
  // tx_group() in a new transaction, a history number with each entry written (SET CONSTRAINTS
  // ALL IMMEDIATE) in a transaction then rolled back, and 100 evidence numbers with each such
  // `done`; once a sequence reaches 2147483647, every write that needs it fails for everyone.
  it('no ledger role runs out the numbers the ledger hands out: groups, entries, evidence, keys', async () => {
    const s = L.connect(L.users.staff);
    const before = new Map((await sequences()).map((q) => [q.name, BigInt(q.at)]));
    for (let n = 0; n < 3; n++) expect((await tryOn(s, 'SELECT grp FROM tx_group()')).message).toBeUndefined();
    const evidence = JSON.stringify(Array.from({ length: 100 }, (_, i) => `材料${i + 1}`)).replaceAll("'", "''");
    const rolledBack = async (statements: string[]) => {
      for (const text of ['BEGIN', ...statements, 'SET CONSTRAINTS ALL IMMEDIATE']) expect((await tryOn(s, text)).message).toBeUndefined();
      await tryOn(s, 'ROLLBACK');
    };
    for (let n = 0; n < 2; n++) {
      await rolledBack([`SELECT set_config('rectify.evidence', '${evidence}', true), set_config('rectify.action', 'done', true)`,
        `UPDATE items SET status = 'done', progress = 100 WHERE id = 'M1.1'`]);
    }
    await rolledBack([`UPDATE items SET status = 'in_progress', progress = 5 WHERE status = 'open'`]);
    const taken = Object.fromEntries((await sequences()).map((q) => [q.name, Number(BigInt(q.at) - before.get(q.name)!)]));
    expect(taken.groups).toBeGreaterThanOrEqual(5);
    expect(taken.evidence_key_seq).toBeGreaterThanOrEqual(200);
    expect(taken.history_seq_seq).toBeGreaterThanOrEqual(20);
    // Every sequence has room for as many numbers as a JavaScript number holds exactly.
    expect((await sequences()).filter((q) => BigInt(q.max) < 9007199254740991n).map((q) => `${q.name} ends at ${q.max}`)).toEqual([]);
    // Where a long run of such transactions leaves them: where an integer ends.
    for (const q of await sequences()) await L.attempt(null, `SELECT setval('"${L.schema}".${q.name}', 2147483647)`);
    // Every command, as each role, on numbers past where an integer ends.
    const seed = join(L.dir, 'seed4.yaml');
    writeFileSync(seed, `${seedText()}  - id: M4\n    title: "措施4"\n    items:\n      - id: M4.1\n        title: "事项4.1"\n        addresses: [P1.1]\n`);
    const failed: string[] = [];
    const run = async (user: string | null, args: string[]) => {
      const r = await L.inproc(user, args);
      if (r.code !== 0) failed.push(`${args.join(' ')}: ${r.code} ${r.stderr.trim().split('\n')[0]}`);
    };
    for (let n = 1; n <= 9; n++) await run(L.users.staff, ['progress', `M2.${n}`, '30']);
    await run(L.users.staff, ['done', 'M2.1', '--evidence', '会议纪要', '--evidence', '照片']);
    await run(L.users.staff, ['undo']);
    await run(L.users.admin, ['add', '新事项', '--measure', 'M2']);
    await run(L.users.admin, ['add', '又一新事项', '--measure', 'M2', '--addresses', 'P2.1']);
    await run(L.users.admin, ['edit', 'M2.11', '--addresses', 'P2.1,P2.2']);
    await run(L.users.admin, ['assign', 'M2.10', '办公室', '--due', '2024-07-31']);
    await run(L.users.admin, ['rm', 'M2.12']);
    await run(L.users.admin, ['import', seed]);
    await run(L.users.admin, ['contact', 'set', '办公室', '--email', 'office@example.org']);
    for (const args of [['status'], ['list', '--all'], ['show', 'M2.11'], ['log'], ['report'], ['report', '--format', 'json'], ['score'],
      ['export', '--format', 'json'], ['copy', L.address(null), join(L.dir, 'big.db')]]) await run(L.users.viewer, args);
    await run(null, ['copy', join(L.dir, 'big.db'), `${L.address(null).replace(/schema=[^&]*/, `schema=${L.schema}_big`)}`]);
    expect(failed).toEqual([]);
    // Read back as numbers, in order.
    const r = await inProcess(['export', '--format', 'jsonl'], { RECTIFY_DB: L.address(null), RECTIFY_USER: 'x' });
    ok(r);
    const entries = r.stdout.split('\n').filter((l) => l.includes('"kind":"item"')).flatMap((l) =>
      (JSON.parse(l) as { history: { seq: unknown; group: unknown }[] }).history);
    expect(entries.filter((e) => typeof e.seq !== 'number' || typeof e.group !== 'number')).toEqual([]);
    expect(Math.max(...entries.map((e) => e.group as number))).toBeGreaterThan(2147483647);
    const d = await L.dump();
    expect(d.items.get('M2.1')).toMatchObject({ status: 'in_progress', progress: 30 });
    expect([d.items.get('M2.10')?.owner, d.items.get('M2.11')?.addresses, d.items.has('M2.12'), d.items.get('M4.1')?.addresses])
      .toEqual(['办公室', ['P2.1', 'P2.2'], false, ['P1.1']]);
  }, 120_000);

  // Seen on main 73a8cec: the record of reminders sent (督办通知, the proof that a department was
  // told of its overdue items) took whatever an admin's plain SQL wrote: 1,000 notices in one
  // statement, a notice to 财务科 about 办公室's items, about an id no item has, by a channel the
  // recipient has no address for, items out of order or twice, an actor of 500 characters.
  it('the record of reminders sent holds only what remind --send could have sent, one send a transaction', async () => {
    ok(await L.inproc(L.users.admin, ['contact', 'set', '财务科', '--webhook', `wecom:http://127.0.0.1:${robotPort}/cgi-bin/webhook/send?key=k`]));
    ok(await L.inproc(L.users.admin, ['assign', 'M3.6', '--department', '财务科']));
    ok(await L.inproc(L.users.admin, ['contact', 'set', '办公室', '--email', 'office@example.org']));
    const a = L.connect(L.users.admin);
    const notice = (recipient: string, channel: string, items: string, by = '书记') => `INSERT INTO notices (at, day, by, recipient, channel, items)
      VALUES ('2024-05-10T09:00:00.000+08:00', '2024-05-10', '${by}', '${recipient}', '${channel}', '${items}')`;
    const count = async () => ((await L.attempt(null, 'SELECT count(*)::int AS n FROM notices')).rows![0] as { n: number }).n;
    const before = await count();
    const committed = {
      thousandAtOnce: await inTransaction(a, [`INSERT INTO notices (at, day, by, recipient, channel, items)
        SELECT '2024-05-10T09:00:00.000+08:00', '2024-05-10', '书记', '财务科', 'wecom', 'M3.6' FROM generate_series(1, 1000)`]),
      twoInOne: await inTransaction(a, [notice('财务科', 'wecom', 'M3.6'), notice('财务科', 'wecom', 'M3.6')]),
      notItsOwn: await inTransaction(a, [notice('财务科', 'wecom', 'M1.6')]),
      noSuchItem: await inTransaction(a, [notice('财务科', 'wecom', 'M3.6,M9.9')]),
      noItem: await inTransaction(a, [notice('财务科', 'wecom', '')]),
      outOfOrder: await inTransaction(a, [notice('办公室', 'email', 'M1.9,M1.6')]),
      twice: await inTransaction(a, [notice('办公室', 'email', 'M1.6,M1.6')]),
      noAddress: await inTransaction(a, [notice('财务科', 'email', 'M3.6')]),
      noContact: await inTransaction(a, [notice('组织科', 'email', 'M3.6')]),
      longActor: await inTransaction(a, [notice('财务科', 'wecom', 'M3.6', '书'.repeat(500))]),
      actorOfTwoLines: await inTransaction(a, [notice('财务科', 'wecom', 'M3.6', '书记\n办公室')]),
    };
    expect({ committed, added: (await count()) - before }).toEqual({
      committed: { thousandAtOnce: false, twoInOne: false, notItsOwn: false, noSuchItem: false, noItem: false, outOfOrder: false,
        twice: false, noAddress: false, noContact: false, longActor: false, actorOfTwoLines: false },
      added: 0 });
    // What rectify records: each notice that went, in a transaction of its own, sent again with --force.
    expect(await inTransaction(a, [notice('办公室', 'email', 'M1.6,M1.9')])).toBe(true);
    ok(await L.inproc(L.users.admin, ['remind', '--send', '--to', '财务科']));
    ok(await L.inproc(L.users.admin, ['remind', '--send', '--to', '财务科', '--force']));
    const sent = (await L.attempt(null, `SELECT recipient, channel, items, db_user FROM notices ORDER BY key`)).rows;
    expect(sent).toEqual([
      { recipient: '办公室', channel: 'email', items: 'M1.6,M1.9', db_user: L.users.admin },
      { recipient: '财务科', channel: 'wecom', items: 'M3.6', db_user: L.users.admin },
      { recipient: '财务科', channel: 'wecom', items: 'M3.6', db_user: L.users.admin },
    ]);
  }, 120_000);

  // Seen on main 73a8cec: an INSERT that ON CONFLICT DO NOTHING skips has fired its BEFORE
  // triggers, which keep the item's state in the guard's table `pending`, and never fires the
  // AFTER ones that take it away at COMMIT: an admin's 500 rows of an id the ledger has left 500
  // rows there for good (and one of item_problems a row each), in a table no one reads.
  it("the guard's table of items' states keeps nothing an INSERT that ON CONFLICT skipped left", async () => {
    const a = L.connect(L.users.admin);
    const pending = async () => ((await L.attempt(null, 'SELECT count(*)::int AS n FROM pending')).rows![0] as { n: number }).n;
    expect(await inTransaction(a, [`INSERT INTO items (id, measure, num, term, title)
      SELECT 'M1.1', (SELECT key FROM measures WHERE id = 'M1'), 1, 'deadline', '重复' FROM generate_series(1, 500) ON CONFLICT DO NOTHING`,
      'INSERT INTO item_problems (item, pos, problem) SELECT item, pos, problem FROM item_problems ON CONFLICT DO NOTHING'])).toBe(true);
    ok(await L.inproc(L.users.staff, ['progress', 'M1.2', '10']));
    expect(await pending()).toBe(0);
    // Nothing of the ledger moved.
    const d = await L.dump();
    expect([...d.items.values()].filter((i) => i.title === '重复')).toEqual([]);
  }, 60_000);

  // Seen on main 247c595: `rectify reopen` takes a sign-off back only with a reason (-m REASON,
  // required), but an admin's plain SQL reopened a signed-off item with none, labelled `reopen`
  // or not: the history and the report showed a reopening that said nothing of why.
  it('a sign-off or a completion is taken back only with a reason', async () => {
    ok(await L.inproc(null, ['done', 'M3.2,M3.3,M3.4']));
    ok(await L.inproc(null, ['verify', 'M3.2']));
    const a = L.connect(L.users.admin);
    const committed = {
      labelled: await inTransaction(a, [`SELECT set_config('rectify.action', 'reopen', true)`,
        `UPDATE items SET status = 'in_progress' WHERE id = 'M3.2'`]),
      unlabelled: await inTransaction(a, [`UPDATE items SET status = 'in_progress' WHERE id = 'M3.3'`]),
      blank: await inTransaction(a, [`SELECT set_config('rectify.note', '  ', true)`, `UPDATE items SET status = 'in_progress' WHERE id = 'M3.4'`]),
    };
    expect(committed).toEqual({ labelled: false, unlabelled: false, blank: false });
    // With a reason, in plain SQL as through rectify.
    expect(await inTransaction(a, [`SELECT set_config('rectify.note', '材料不全', true)`,
      `UPDATE items SET status = 'in_progress' WHERE id = 'M3.3'`])).toBe(true);
    ok(await L.inproc(L.users.admin, ['reopen', 'M3.2', '-m', '复核不通过']));
    const d = await L.dump();
    expect(['M3.2', 'M3.3', 'M3.4'].map((id) => [d.items.get(id)!.status, d.items.get(id)!.history.at(-1)!.note]))
      .toEqual([['in_progress', '复核不通过'], ['in_progress', '材料不全'], ['done', null]]);
  }, 60_000);

  // Tried on main 247c595, and it holds (plain SQL as each role):
  // - staff write their entry early (SET CONSTRAINTS ALL IMMEDIATE) inside a SAVEPOINT and roll
  //   back to it, keeping the change: PostgreSQL fires the entry again at COMMIT;
  // - a viewer locks no row (SELECT ... FOR KEY SHARE needs UPDATE) and neither it nor staff (a
  //   column's UPDATE only) locks a table in a mode that makes writers wait;
  // - an admin's MERGE ... WHEN NOT MATCHED THEN INSERT fires the statement trigger that raises the
  //   measure's last number, and writes the item's create entry;
  // - a second notice in one transaction through a SAVEPOINT or one INSERT of two rows (or COPY).
  it('held: entries through savepoints, locks by viewers and staff, MERGE, two notices in one transaction', async () => {
    const s = L.connect(L.users.staff);
    for (const text of ['BEGIN', `UPDATE items SET status = 'in_progress', progress = 15 WHERE id = 'M3.1'`, 'SAVEPOINT a',
      'SET CONSTRAINTS ALL IMMEDIATE', 'ROLLBACK TO a', 'COMMIT']) expect((await tryOn(s, text)).message).toBeUndefined();
    const d = await L.dump();
    expect(d.items.get('M3.1')!.history.at(-1)).toMatchObject({ action: 'progress', status: 'in_progress', progress: 15, dbUser: L.users.staff });
    expect(inconsistencies(d).filter((x) => x.startsWith('M3.1'))).toEqual([]);
    const v = L.connect(L.users.viewer);
    const locks: Record<string, boolean> = {};
    for (const [who, c] of [['viewer', v], ['staff', s]] as const) {
      // (Staff may lock the rows of items, whose status and progress they may UPDATE: README.)
      for (const text of [...(who === 'viewer' ? ['SELECT 1 FROM items FOR KEY SHARE'] : []), 'LOCK TABLE items IN SHARE MODE',
        'LOCK TABLE items IN ROW EXCLUSIVE MODE', 'LOCK TABLE history IN SHARE MODE', 'LOCK TABLE owner_counts IN SHARE MODE']) {
        await tryOn(c, 'BEGIN');
        locks[`${who}: ${text}`] = (await tryOn(c, text)).ok;
        await tryOn(c, 'ROLLBACK');
      }
    }
    expect(Object.entries(locks).filter(([, took]) => took).map(([k]) => k)).toEqual([]);
    const a = L.connect(L.users.admin);
    expect(await inTransaction(a, [`MERGE INTO items t USING (SELECT 'M3.70' AS id) s ON t.id = s.id WHEN NOT MATCHED THEN
      INSERT (id, measure, num, term, title) VALUES (s.id, (SELECT key FROM measures WHERE id = 'M3'), 70, 'deadline', '合并的事项')`])).toBe(true);
    ok(await L.inproc(L.users.admin, ['add', '再加一项', '--measure', 'M3']));
    const after = await L.dump();
    expect([after.items.get('M3.70')?.history.map((e) => e.action), after.items.get('M3.71')?.title]).toEqual([['create'], '再加一项']);
    ok(await L.inproc(L.users.admin, ['contact', 'set', '办公室', '--email', 'office@example.org']));
    const notice = `INSERT INTO notices (at, day, by, recipient, channel, items) VALUES ('2024-05-10T09:00:00.000+08:00', '2024-05-10', '书记', '办公室', 'email', 'M1.6')`;
    const twice = {
      savepoint: await inTransaction(a, [notice, 'SAVEPOINT a', notice, 'RELEASE a']),
      oneStatement: await inTransaction(a, [`${notice}, ('2024-05-10T09:00:00.000+08:00', '2024-05-10', '书记', '办公室', 'email', 'M1.9')`]),
    };
    expect(twice).toEqual({ savepoint: false, oneStatement: false });
  }, 60_000);

  // Seen on main 45e4484: 006 holds a contact's name and e-mail address to the seed's rules, but
  // not its webhook nor its signing secret: an admin's plain SQL wrote a webhook of 3,000
  // characters (`contact set` took one too), and the export no longer loaded ("contact[1].webhook
  // is 3032 characters long; at most 2000 are allowed").
  it("what an admin writes into a contact's robot address and secret reloads from the export", async () => {
    const a = L.connect(L.users.admin);
    const long = `wecom:https://qyapi.weixin.qq.com/${'a'.repeat(3000)}?key=k`;
    const ding = 'dingtalk:https://oapi.dingtalk.com/robot/send?access_token=t';
    const committed = {
      longWebhook: await inTransaction(a, [`INSERT INTO contacts (name, webhook) VALUES ('宣传部', '${long}')`]),
      spacedWebhook: await inTransaction(a, [`INSERT INTO contacts (name, webhook) VALUES ('组织部', ' ${ding}')`]),
      controlSecret: await inTransaction(a, [`INSERT INTO contacts (name, webhook, secret) VALUES ('统战部', '${ding}', E'SEC\\x01')`]),
      longSecret: await inTransaction(a, [`INSERT INTO contacts (name, webhook, secret) VALUES ('政法委', '${ding}', '${'S'.repeat(600)}')`]),
    };
    expect(committed).toEqual({ longWebhook: false, spacedWebhook: false, controlSecret: false, longSecret: false });
    const set = await L.inproc(L.users.admin, ['contact', 'set', '纪委', '--webhook', long]);
    expect([set.code, set.stderr.split('\n')[0]]).toEqual([2, `rectify: --webhook is ${long.length} characters long; at most 2000 are kept`]);
    ok(await L.inproc(L.users.admin, ['contact', 'set', '纪委', '--webhook', ding, '--secret', 'SEC123']));
    // The export loads again, into a file.
    const dump = await inProcess(['export', '--format', 'jsonl'], { RECTIFY_DB: L.address(null), RECTIFY_USER: 'x' });
    ok(dump);
    writeFileSync(join(L.dir, 'reload.jsonl'), dump.stdout);
    ok(await inProcess(['init', join(L.dir, 'reload.jsonl')], { RECTIFY_DB: join(L.dir, 'reload.db'), RECTIFY_USER: 'x' }));
  }, 60_000);
});
