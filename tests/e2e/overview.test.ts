// `rectify overview`: across ledger files and across every ledger of a database the user may
// read (one query over the roll-ups), worst first, with a total; bad ledgers said in one line.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lightOf } from '../../src/core/lights.js';
import { FIXTURES, rectify, tempDir, tempDirsPerTest } from '../helpers/cli.js';
import { HAS_PG, asUser, freshLedgerUrl, loginRole, serverSql, testDatabase } from '../helpers/pg.js';

const SEEDS = join(FIXTURES, 'repeats');
const newTemp = tempDirsPerTest();
// The seeds' items are due on the 30th of June of the year after their report.
const TODAY = '2025-06-26';

interface Json {
  asOf: string;
  days: number;
  ledgers: { unit: string; report: string; address: string; items: number; done: number; verified: number; donePercent: number; verifiedPercent: number; red: number; yellow: number; maxDaysOverdue: number; extensions: number }[];
  total: { ledgers: number; items: number; red: number; yellow: number; extensions: number; donePercent: number };
}

describe('rectify overview of ledger files', { timeout: 180_000 }, () => {
  function files() {
    const dir = newTemp();
    const run = (args: string[], env: Record<string, string> = {}) => rectify(args, { cwd: dir, env: { RECTIFY_TODAY: TODAY, NO_COLOR: '1', ...env } });
    // edu-2023: due 2024-06-30, all overdue now; land-2024 and finance-2024: due 2025-06-30 (yellow).
    for (const f of ['edu-2023', 'land-2024', 'finance-2024']) expect(run(['init', join(SEEDS, `${f}.yaml`), '--db', `${f}.db`]).code).toBe(0);
    expect(run(['done', 'M1.1,M2.1', '--db', 'edu-2023.db']).code).toBe(0);
    expect(run(['verify', 'M1.1', '--db', 'edu-2023.db']).code).toBe(0);
    expect(run(['done', 'M2.1,M2.2,M2.3', '--db', 'land-2024.db']).code).toBe(0);
    // Two extensions on finance, one of them taken back.
    expect(run(['assign', 'M1.1', '--due', '2025-09-30', '--db', 'finance-2024.db']).code).toBe(0);
    expect(run(['assign', 'M2.1', '--due', '2025-09-30', '--db', 'finance-2024.db']).code).toBe(0);
    expect(run(['assign', 'M2.2', '--due', '2025-09-30', '--db', 'finance-2024.db']).code).toBe(0);
    expect(run(['undo', '--db', 'finance-2024.db']).code).toBe(0);
    return { dir, run };
  }

  it('gives one row per ledger, worst first, with shares, lights, the oldest overdue and extensions, and a total', () => {
    const { run } = files();
    const r = run(['overview', 'land-2024.db', 'finance-2024.db', 'edu-2023.db', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const o = JSON.parse(r.stdout) as Json;
    expect(o.asOf).toBe(TODAY);
    expect(o.ledgers.map((l) => l.address)).toEqual(['edu-2023.db', 'finance-2024.db', 'land-2024.db']);
    const [edu, fin, land] = o.ledgers;
    expect(edu).toMatchObject({ unit: '县教育局党组', items: 8, done: 1, verified: 1, donePercent: 25, verifiedPercent: 13, red: 6, yellow: 0, extensions: 0 });
    expect(edu!.maxDaysOverdue).toBe(361); // 2024-06-30 → 2025-06-26
    expect(fin).toMatchObject({ items: 8, red: 0, yellow: 6, extensions: 2, donePercent: 0 });
    expect(land).toMatchObject({ items: 8, red: 0, yellow: 5, donePercent: 38, maxDaysOverdue: 0 });
    expect(o.total).toMatchObject({ ledgers: 3, items: 24, red: 6, yellow: 11, extensions: 2, donePercent: 21 });
    // The lights are the contract's (core/lights.ts), item by item, whatever the window.
    for (const days of ['0', '30']) {
      const byDays = JSON.parse(run(['overview', 'land-2024.db', 'finance-2024.db', 'edu-2023.db', '--days', days, '--json']).stdout) as Json;
      for (const l of byDays.ledgers) {
        const all = JSON.parse(run(['list', '--all', '--json', '--db', l.address]).stdout) as { due: string | null; status: 'open' }[];
        const lights = all.map((i) => lightOf(i, TODAY, Number(days)));
        expect({ days, red: l.red, yellow: l.yellow }).toEqual({ days, red: lights.filter((x) => x === 'red').length, yellow: lights.filter((x) => x === 'yellow').length });
      }
    }
  });

  it('prints the table in both languages, the light words as column heads, the total last', () => {
    const { run } = files();
    const en = run(['overview', 'land-2024.db', 'finance-2024.db', 'edu-2023.db']);
    expect(en.code).toBe(0);
    const lines = en.stdout.split('\n');
    expect(lines.slice(0, 2).join(' ')).toBe(`Overview as of ${TODAY} (red: overdue; yellow: due within 7 days): 3 ledgers, worst first`);
    lines.splice(0, 1);
    expect(lines[2]).toMatch(/^unit\s+report\s+items\s+done\s+signed\s+red\s+yellow\s+late\s+extended$/);
    expect(lines[3]).toMatch(/^县教育局党组\s+2023年度.*\s8\s+25%\s+13%\s+6\s+0\s+361 d\s+0$/);
    expect(lines[6]).toMatch(/^total\s+3 ledgers\s+24\s+21%/);
    const zh = run(['overview', 'land-2024.db', 'finance-2024.db', 'edu-2023.db', '--lang', 'zh']);
    expect(zh.stdout).toMatch(/单位\s+报告\s+事项\s+完成\s+销号\s+红灯\s+黄灯\s+最久逾期\s+延期/);
    expect(zh.stdout).toMatch(/^合计\s+3 本台账/m);
    for (const l of en.stdout.split('\n')) expect(l.length).toBeLessThanOrEqual(80);
  });

  it('says in one line what is no ledger and goes on; with nothing left, exits as the first failure did', () => {
    const { run, dir } = files();
    writeFileSync(join(dir, 'notes.txt'), 'not a ledger\n');
    const r = run(['overview', 'edu-2023.db', 'missing.db', 'notes.txt', '--json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).ledgers).toHaveLength(1);
    const errs = r.stderr.trim().split('\n');
    expect(errs).toHaveLength(2);
    expect(errs[0]).toMatch(/^rectify: no ledger at .*missing\.db$/);
    expect(errs[1]).toMatch(/^rectify: .*notes\.txt/);
    const none = run(['overview', 'missing.db']);
    expect(none.code).toBe(3);
    expect(none.stdout).toBe('');
  });

  it('writes the same rows as an Excel sheet with -o FILE.xlsx, and refuses another kind of file', async () => {
    const { run, dir } = files();
    const r = run(['overview', 'land-2024.db', 'finance-2024.db', 'edu-2023.db', '-o', 'overview.xlsx']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe('');
    const json = JSON.parse(run(['overview', 'land-2024.db', 'finance-2024.db', 'edu-2023.db', '--json']).stdout) as Json;
    const { default: ExcelJS } = await import('exceljs');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(join(dir, 'overview.xlsx'));
    const ws = wb.worksheets[0]!;
    const rows = ws.getSheetValues().slice(3, 6) as unknown[][];
    expect(rows.map((row) => [row[1], row[3], row[6], row[7], row[9], row[10]])).toEqual(
      json.ledgers.map((l) => [l.unit, l.items, l.red, l.yellow, l.extensions, l.address]),
    );
    expect((ws.getSheetValues()[6] as unknown[])[3]).toBe(24);
    const txt = run(['overview', 'edu-2023.db', '-o', 'overview.txt']);
    expect(txt.code).toBe(2);
  });

  it('says "1 ledger", not "1 ledgers", of one ledger', () => {
    const { run } = files();
    const r = run(['overview', 'edu-2023.db']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.split('\n').slice(0, 2).join(' ')).toMatch(/: 1 ledger, worst first$/);
    expect(r.stdout).toMatch(/^total\s+1 ledger\s/m);
    expect(r.stdout).not.toMatch(/1 ledgers/);
  });

  it('says "within 1 day" of a one-day window, and "today" of none', () => {
    const { run } = files();
    const one = run(['overview', 'edu-2023.db', '--days', '1']).stdout.replace(/\n(?=\S)/g, ' ');
    expect(one).toContain('yellow: due within 1 day)');
    expect(one).not.toContain('1 days');
    expect(run(['overview', 'edu-2023.db', '--days', '0']).stdout.replace(/\n(?=\S)/g, ' ')).toContain('yellow: due today)');
  });

  it('reads the ledger of --db when no ledger is named', () => {
    const { run } = files();
    const r = run(['overview', '--json', '--db', 'land-2024.db']);
    expect(r.code, r.stderr).toBe(0);
    expect((JSON.parse(r.stdout) as Json).ledgers.map((l) => l.address)).toEqual(['land-2024.db']);
  });
});

describe.runIf(HAS_PG)('rectify overview of a database', { timeout: 180_000 }, () => {
  const t = tempDir('rectify-overview-pg-');
  const urls: string[] = [];
  let database = '';
  let reader = '';
  let nobody = '';
  const run = (args: string[], env: Record<string, string> = {}) => rectify(args, { cwd: t.dir, env: { RECTIFY_TODAY: TODAY, NO_COLOR: '1', ...env } });

  beforeAll(async () => {
    for (const f of ['edu-2023', 'land-2024', 'street-2023']) {
      const url = await freshLedgerUrl();
      urls.push(url);
      const r = run(['init', join(SEEDS, `${f}.yaml`), '--db', url]);
      expect(r.code, r.stderr).toBe(0);
    }
    const u = new URL(urls[0]!);
    u.searchParams.delete('schema');
    database = u.toString();
    expect(run(['done', 'M1.1', '--db', urls[1]!]).code).toBe(0);
    expect(run(['assign', 'M2.1', '--due', '2025-12-31', '--db', urls[1]!]).code).toBe(0);
    reader = await loginRole('reader');
    nobody = await loginRole('nobody');
    // The reader may read two of the three ledgers.
    for (const url of urls.slice(0, 2)) expect(run(['grant', reader, 'viewer', '--db', url]).code).toBe(0);
  }, 120_000);
  afterAll(() => t.cleanup());

  it('shows every ledger of the database, worst first, from one --db without a schema', () => {
    const r = run(['overview', '--db', database, '--json']);
    expect(r.code, r.stderr).toBe(0);
    const o = JSON.parse(r.stdout) as Json;
    expect(o.ledgers).toHaveLength(3);
    expect(o.ledgers.map((l) => l.unit)).toEqual(['县教育局党组', '城关街道党工委', '县自然资源局党组']);
    const land = o.ledgers[2]!;
    expect(land).toMatchObject({ items: 8, done: 1, red: 0, yellow: 6, extensions: 1 });
    expect(land.address).toBe(`${database}?schema=${new URL(urls[1]!).searchParams.get('schema')}`);
    expect(o.ledgers[0]).toMatchObject({ items: 8, red: 8, maxDaysOverdue: 361 });
    expect(o.ledgers[1]).toMatchObject({ items: 8, red: 8, maxDaysOverdue: 361 });
    // The same figures as each ledger named on its own (read through `status`'s figures), on
    // the edges of the lights: due the day before, on the day, on the window's last day.
    for (const asOf of [TODAY, '2025-06-23', '2025-06-30', '2025-07-01']) {
      const whole = JSON.parse(run(['overview', '--db', database, '--json', '--as-of', asOf]).stdout) as Json;
      const named = JSON.parse(run(['overview', ...urls, '--json', '--as-of', asOf]).stdout) as Json;
      expect(named.ledgers.map(({ address: _a, ...rest }) => rest)).toEqual(whole.ledgers.map(({ address: _a, ...rest }) => rest));
    }
  });

  it('shows a login role only the ledgers it may read, and says so when it may read none', () => {
    const r = run(['overview', '--db', asUser(database, reader), '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect((JSON.parse(r.stdout) as Json).ledgers.map((l) => l.unit).sort()).toEqual(['县教育局党组', '县自然资源局党组']);
    const none = run(['overview', '--db', asUser(database, nobody)]);
    expect(none.code).toBe(4);
    expect(none.stderr.trim().split('\n')).toHaveLength(1);
    expect(none.stderr).toMatch(/^rectify: no ledger in database \S+ that you may read \(3 there; /);
  });

  it('says in one line that a database holds no ledger, and goes on with the others named', async () => {
    const name = `${await testDatabase()}_empty`;
    await serverSql().unsafe(`CREATE DATABASE "${name}"`);
    try {
      const empty = new URL(database);
      empty.pathname = `/${name}`;
      const r = run(['overview', empty.toString(), urls[0]!, '--json']);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stderr.trim()).toBe(`rectify: no ledger in database ${name} (${empty.toString()})`);
      expect((JSON.parse(r.stdout) as Json).ledgers).toHaveLength(1);
      const alone = run(['overview', '--db', empty.toString()]);
      expect(alone.code).toBe(3);
      expect(alone.stderr.trim().split('\n')).toHaveLength(1);
    } finally {
      await serverSql().unsafe(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    }
  });

  it('says of a server, a database or a role it cannot reach that it cannot, naming it with the password masked (exit 3)', () => {
    const at = (user: string, db: string, port = new URL(database).port || '5432') => {
      const u = new URL(database);
      u.username = user;
      u.password = 's3cret';
      u.port = port;
      u.pathname = `/${db}`;
      return u.toString();
    };
    for (const [address, said] of [
      [at('nosuch_overview_role', 'postgres'), 'role "nosuch_overview_role" does not exist'],
      [at('postgres', 'nosuch_overview_db'), 'database "nosuch_overview_db" does not exist'],
      [at('postgres', 'postgres', '1'), 'ECONNREFUSED'],
    ] as const) {
      const r = run(['overview', address]);
      expect(r.code, r.stderr).toBe(3);
      expect(r.stderr).toContain(said);
      expect(r.stderr).toContain(':***@');
      expect(r.stderr).not.toContain('s3cret');
      expect(r.stderr.trim().split('\n')).toHaveLength(2); // the line and its hint
    }
  });
});
