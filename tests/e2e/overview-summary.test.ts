// The database-wide summary behind `rectify overview` (store/postgres/summary.ts, migration 005):
// kept by each ledger's own triggers through every kind of change, equal to what the ledgers'
// roll-ups say, and written by nobody else: staff, admins and a supervisor meet the server's
// refusal through plain SQL, and a role sees only the rows of the ledgers it may read.
import { Writable } from 'node:stream';
import { beforeAll, describe, expect, it } from 'vitest';
import { run } from '../../src/cli.js';
import { summaryMark, summaryRole } from '../../src/store/postgres/summary.js';
import { HAS_PG, asUser, dbSql, freshLedgerUrl, loginRole, serverSql, testDatabase } from '../helpers/pg.js';

const TODAY = '2026-03-10';

function sink() {
  let buf = '';
  const w = new Writable({ write(chunk, _e, cb) { buf += String(chunk); cb(); } });
  return { stream: Object.assign(w, { isTTY: false }) as unknown as NodeJS.WriteStream, text: () => buf };
}
async function rectify(db: string, args: string[]) {
  const out = sink();
  const err = sink();
  const code = await run(['--db', db, ...args], { LANG: 'en_US.UTF-8', RECTIFY_USER: 'secretary', RECTIFY_TODAY: TODAY, TZ: 'Asia/Shanghai' },
    { stdout: out.stream, stderr: err.stream, stdinIsTTY: () => false });
  return { code, stdout: out.text(), stderr: err.text() };
}
const ok = async (db: string, args: string[]) => {
  const r = await rectify(db, args);
  expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(0);
  return r;
};

describe.runIf(HAS_PG)('the overview summary of a database', { timeout: 180_000 }, () => {
  const urls: string[] = [];
  let database = '';
  let staff = '';
  let watcher = '';
  let nobody = '';
  const dbUrl = () => { const u = new URL(urls[0]!); u.searchParams.delete('schema'); return u.toString(); };

  beforeAll(async () => {
    database = await testDatabase();
    for (let i = 0; i < 2; i++) {
      const url = await freshLedgerUrl();
      urls.push(url);
      await ok(url, ['init']);
    }
    const [a, b] = urls as [string, string];
    // Every kind of change the summary follows: owners and due dates (some past), progress,
    // done, sign-off, extensions (one taken back), a new item, a removal, the report's title.
    await ok(a, ['assign', 'M1.1,M1.2', '王建国', '--department', '办公室', '--due', '2026-03-01']);
    await ok(a, ['assign', 'M2.1', '李明', '--due', '2026-03-12']);
    await ok(a, ['progress', 'M2.1', '40']);
    await ok(a, ['done', 'M1.2']);
    await ok(a, ['verify', 'M1.2']);
    await ok(a, ['assign', 'M1.1', '--due', '2026-04-30']);
    await ok(a, ['assign', 'M2.1', '--due', '2026-05-30']);
    await ok(a, ['undo']);
    await ok(b, ['assign', 'M3.1', '张华', '--due', '2026-03-05']);
    await ok(b, ['add', '新增事项', '--measure', 'M1', '--due', '2026-03-09']);
    await ok(b, ['add', '误加事项', '--measure', 'M1']);
    await ok(b, ['rm', 'M1.4']);
    staff = await loginRole('staff');
    watcher = await loginRole('watcher');
    nobody = await loginRole('nobody');
    await ok(a, ['grant', staff, 'staff']);
    await ok(a, ['grant', staff, 'admin']);
    await ok(dbUrl(), ['grant', watcher, 'supervisor']);
  });

  it('holds a row per ledger, and overview from it equals overview from the ledgers\' roll-ups', async () => {
    const sql = await dbSql();
    const rows = await sql.unsafe('SELECT ledger FROM rectify_overview.ledgers ORDER BY ledger') as unknown as { ledger: string }[];
    expect(rows.map((r) => r.ledger)).toEqual(urls.map((u) => new URL(u).searchParams.get('schema')));
    for (const days of ['7', '0', '30']) {
      const fromSummary = await ok(dbUrl(), ['overview', '--json', '--days', days]);
      // The summary not trusted (its role's mark changed): overview reads every ledger's roll-ups.
      const role = summaryRole(database);
      await serverSql().unsafe(`COMMENT ON ROLE "${role}" IS 'not rectify''s'`);
      try {
        const fromRollups = await ok(dbUrl(), ['overview', '--json', '--days', days]);
        expect(JSON.parse(fromSummary.stdout)).toEqual(JSON.parse(fromRollups.stdout));
      } finally {
        await serverSql().unsafe(`COMMENT ON ROLE "${role}" IS '${summaryMark(database).replace(/'/g, "''")}'`);
      }
    }
    const o = JSON.parse((await ok(dbUrl(), ['overview', '--json'])).stdout) as { ledgers: { red: number; extensions: number; items: number }[] };
    expect(o.ledgers.map((l) => l.extensions).sort()).toEqual([0, 1]);
    expect(o.ledgers.map((l) => l.items).sort()).toEqual([12, 13]);
  });

  it('is written by no login role: staff, admin and supervisor are refused through plain SQL', async () => {
    const schema = new URL(urls[0]!).searchParams.get('schema')!;
    for (const user of [staff, watcher, nobody]) {
      const sql = await dbSql(asUser(dbUrl(), user, 'secret-pw'));
      for (const text of [
        `UPDATE rectify_overview.ledgers SET verified = items WHERE ledger = '${schema}'`,
        `INSERT INTO rectify_overview.due (ledger, owner_role, due, n) VALUES ('${schema}', current_user, '2020-01-01', 1)`,
        `DELETE FROM rectify_overview.due`,
        `CREATE TABLE rectify_overview.x (a int)`,
        `CREATE TRIGGER t AFTER UPDATE ON rectify_overview.ledgers FOR EACH ROW EXECUTE FUNCTION pg_catalog.suppress_redundant_updates_trigger()`,
      ]) {
        await expect(sql.unsafe(text), `${user}: ${text}`).rejects.toMatchObject({ code: expect.stringMatching(/^42501$|^42P01$/) });
      }
      await sql.end();
    }
  });

  it('shows each role only the rows of the ledgers it may read', async () => {
    const seen = async (user: string) => {
      const sql = await dbSql(asUser(dbUrl(), user, 'secret-pw'));
      const rows = await sql.unsafe('SELECT ledger FROM rectify_overview.ledgers ORDER BY ledger') as unknown as { ledger: string }[];
      const due = await sql.unsafe('SELECT DISTINCT ledger FROM rectify_overview.due ORDER BY ledger') as unknown as { ledger: string }[];
      await sql.end();
      return { ledgers: rows.map((r) => r.ledger), due: due.map((r) => r.ledger) };
    };
    const [a, b] = urls.map((u) => new URL(u).searchParams.get('schema')!) as [string, string];
    expect(await seen(staff)).toEqual({ ledgers: [a], due: [a] });
    expect(await seen(watcher)).toEqual({ ledgers: [a, b], due: [a, b] });
    expect(await seen(nobody)).toEqual({ ledgers: [], due: [] });
  });
});
