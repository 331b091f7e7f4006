// The same story on a ledger file and on a ledger on a server prints the same bytes, with
// the same exit codes, apart from dbUser and the ledger's address (docs/postgres.md, "The same
// program on both"). Runs when RECTIFY_TEST_PG names a server.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIXTURES, rectify, tempDir, type RunResult } from '../helpers/cli.js';
import { HAS_PG, freshLedgerUrl } from '../helpers/pg.js';

const PRELOAD = `--require ${join(FIXTURES, 'views', 'fake-now.cjs')}`;
const SEED = join(FIXTURES, 'views', 'seed.yaml');

/** [recorded time, actor, command, expected exit]. */
const STORY: [string, string, string[], number][] = [
  ['2024-04-20T09:00:00+08:00', 'tester', ['init', SEED], 0],
  ['2024-04-25T10:00:00+08:00', '王建国', ['progress', 'M1.1', '30', '-m', '已制定年度学习计划'], 0],
  ['2024-04-28T15:00:00+08:00', '王建国', ['done', 'M5.3', '-m', '问题清单已逐项整改', '--evidence', '民主生活会整改清单', '--evidence', '销号审批表'], 0],
  ['2024-04-29T09:30:00+08:00', '刘洋', ['done', 'M5.1', '-m', '主体责任清单已修订印发', '--evidence', '主体责任清单（2024年修订版）'], 0],
  ['2024-04-30T11:00:00+08:00', '张书记', ['verify', 'M5.3', '-m', '经党委会审议同意销号'], 0],
  ['2024-04-30T11:05:00+08:00', '王建国', ['progress', 'M5.3', '90'], 4],
  ['2024-05-06T10:00:00+08:00', '王建国', ['progress', 'M1.1', '60', '-m', '完成三次集中学习'], 0],
  ['2024-05-07T14:00:00+08:00', 'tester', ['assign', 'M3.2', '周婷', '--department', '办公室'], 0],
  ['2024-05-07T14:30:00+08:00', 'tester', ['add', '--measure', 'M3', '新增的整改事项', '--owner', '周婷', '--due', '2024-06-30'], 0],
  ['2024-05-07T14:40:00+08:00', 'tester', ['edit', 'M3.3', '--title', '改过的标题'], 0],
  ['2024-05-08T16:00:00+08:00', '李明', ['done', 'M1.2', '-m', '理论学习成果测试已完成', '--evidence', '理论学习测试成绩汇总表'], 0],
  ['2024-05-08T17:00:00+08:00', '李明', ['done', 'M3.1', '-m', '走访基层单位8个'], 0],
  ['2024-05-08T17:10:00+08:00', '李明', ['undo'], 0],
  ['2024-05-09T09:00:00+08:00', '张书记', ['verify', 'M1.2', '-m', '经党委会审核同意销号'], 0],
  ['2024-05-09T16:00:00+08:00', '张书记', ['reopen', 'M1.2', '-m', '群众满意度回访未达标'], 0],
  ['2024-05-09T17:00:00+08:00', '王建国', ['progress', 'M2.2', '20', '-m', '已起草工作机制文件'], 0],
  ['2024-05-10T08:30:00+08:00', '陈志远', ['progress', 'M9.9', '10'], 3],
  ['2024-05-10T10:00:00+08:00', 'tester', ['assign', 'M2.2', '王建国', '--due', '2024-05-15'], 0],
  ['2024-05-10T10:10:00+08:00', 'nobody', ['undo'], 4],
];

/** What is read afterwards, as of 2024-05-10. */
const VIEWS: string[][] = [
  ['status'], ['status', '--json'], ['--lang', 'zh', 'status'],
  ['list'], ['list', '--all', '--json'], ['list', '--overdue'], ['list', '--sort', 'owner'], ['list', '--owner', '王建国'],
  ['show', 'M1.1'], ['show', 'M5.3', '--json'], ['show', 'M1.2'], ['show', 'P1.1'], ['show', 'M3'], ['--lang', 'zh', 'show', 'M1.2'],
  ['log'], ['log', '--json'], ['log', 'M1.1'], ['log', '--since', '2024-05-08'],
  ['report'], ['report', '--since', '2024-05-01'], ['report', '--format', 'md'], ['report', '--format', 'csv'], ['--lang', 'zh', 'report'],
  ['export'], ['export', '--format', 'json'], ['export', '--format', 'jsonl'],
  ['show', 'M9.9'], ['list', '--status', 'nonsense'],
];

/** dbUser is the server's alone; everything else must match. In the text of show, log and
 *  report the role stands beside the actor it differs from: there the comparison is of the
 *  words, white space aside. */
function withoutDbUser(s: string, role: string, args: string[]): string {
  const json = s.replace(/\n\s*"dbUser": "[^"]*",?/g, '').replace(/,"dbUser":"[^"]*"/g, '');
  return textWithRole(args) ? spaced(json.split(` (${role})`).join('').split(`（${role}）`).join('')) : json;
}
const textWithRole = (args: string[]) =>
  (args.includes('log') || args.includes('show') || args.includes('report')) && !args.includes('--json');
/** The words alone: the role widens columns (show, log) and moves line breaks (report). */
const spaced = (s: string) => s.replace(/\s+/g, '');

describe.runIf(HAS_PG)('the same story on a file and on a server', () => {
  const t = tempDir('rectify-pg-e2e-');
  const file = join(t.dir, 'story.db');
  let url = '';
  const outcomes: { file: RunResult[]; pg: RunResult[] } = { file: [], pg: [] };
  const views: { file: RunResult[]; pg: RunResult[] } = { file: [], pg: [] };

  beforeAll(async () => {
    url = await freshLedgerUrl();
    for (const [name, db] of [['file', file], ['pg', url]] as const) {
      for (const [time, by, args] of STORY) {
        outcomes[name].push(rectify(args, {
          cwd: t.dir,
          env: { NODE_OPTIONS: PRELOAD, RECTIFY_TEST_NOW: time, RECTIFY_TODAY: time.slice(0, 10), RECTIFY_USER: by, RECTIFY_DB: db },
        }));
      }
      for (const args of VIEWS) {
        views[name].push(rectify(args, { cwd: t.dir, env: { RECTIFY_TODAY: '2024-05-10', RECTIFY_DB: db } }));
      }
    }
  }, 180_000);
  afterAll(() => t.cleanup());

  it('gives every step the exit code the story expects, on both', () => {
    const codes = STORY.map(([, , , code]) => code);
    expect(outcomes.file.map((r) => r.code), outcomes.file.map((r) => r.stderr).join('')).toEqual(codes);
    expect(outcomes.pg.map((r) => r.code), outcomes.pg.map((r) => r.stderr).join('')).toEqual(codes);
  });

  it('prints the same bytes for every step but init (which names the ledger)', () => {
    STORY.forEach(([, , args], i) => {
      if (args[0] === 'init') return;
      expect({ args, ...outcomes.pg[i] }).toEqual({ args, ...outcomes.file[i] });
    });
  });

  it('prints the same bytes for every view, dbUser aside', () => {
    VIEWS.forEach((args, i) => {
      const pg = views.pg[i]!;
      const f = views.file[i]!;
      const role = new URL(url).username;
      expect({ args, code: pg.code, stdout: withoutDbUser(pg.stdout, role, args), stderr: pg.stderr })
        .toEqual({ args, code: f.code, stdout: textWithRole(args) ? spaced(f.stdout) : f.stdout, stderr: f.stderr });
    });
  });

  it('carries in its JSON the database role that recorded each change, and nothing of the kind on a file', () => {
    const show = views.pg[VIEWS.findIndex((a) => a.join(' ') === 'show M5.3 --json')]!;
    const history = (JSON.parse(show.stdout) as { history: { dbUser?: string }[] }).history;
    expect(history.length).toBeGreaterThan(1);
    for (const h of history) expect(h.dbUser).toBe(new URL(url).username);
    expect(views.file.some((r) => r.stdout.includes('dbUser'))).toBe(false);
    // In text, beside the actor it differs from.
    const log = views.pg[VIEWS.findIndex((a) => a.join(' ') === 'log')]!;
    expect(log.stdout).toContain(`张书记 (${new URL(url).username})`);
    const report = views.pg[VIEWS.findIndex((a) => a.join(' ') === 'report --since 2024-05-01')]!;
    expect(report.stdout).toContain(`(${new URL(url).username})`);
  });

  it('copies the file to a server and back, unchanged', async () => {
    const to = await freshLedgerUrl();
    const back = join(t.dir, 'back.db');
    expect(rectify(['copy', file, to], { cwd: t.dir }).code).toBe(0);
    expect(rectify(['copy', to, back], { cwd: t.dir }).code).toBe(0);
    const exported = (db: string) => rectify(['export', '--format', 'json'], { cwd: t.dir, env: { RECTIFY_DB: db } }).stdout;
    const original = exported(file);
    expect(original.length).toBeGreaterThan(1000);
    expect(exported(to)).toBe(original);
    expect(exported(back)).toBe(original);
    // TO must hold no ledger.
    const again = rectify(['copy', file, to], { cwd: t.dir });
    expect(again.code).toBe(4);
    expect(again.stderr).toMatch(/already exists/);
    expect(rectify(['copy', to, back], { cwd: t.dir }).code).toBe(4);
  });

  it('takes a schema name with a dot and a dash, as the id rule allows (postgres.md: a schema name follows the id rule, lower case)', async () => {
    const url = (await freshLedgerUrl()).replace(/schema=([^&]+)/, 'schema=$1.y2024-b');
    const init = rectify(['init', SEED, '--db', url], { cwd: t.dir });
    expect(init.stderr).toBe('');
    expect(init.code).toBe(0);
    expect(rectify(['progress', 'M1.1', '30', '--db', url], { cwd: t.dir }).code).toBe(0);
    const exported = (db: string) => rectify(['export', '--format', 'json'], { cwd: t.dir, env: { RECTIFY_DB: db } });
    expect(exported(url).code).toBe(0);
    const copied = (await freshLedgerUrl()).replace(/schema=([^&]+)/, 'schema=$1.copy');
    expect(rectify(['copy', url, copied], { cwd: t.dir }).code).toBe(0);
    expect(exported(copied).stdout).toBe(exported(url).stdout);
  });
});

describe('a ledger file', () => {
  it('never loads the PostgreSQL driver; a server address does', async () => {
    const t = tempDir('rectify-driver-');
    try {
      const trace = join(t.dir, 'trace.txt');
      const env = { NODE_OPTIONS: `--require ${join(FIXTURES, 'pg', 'trace-driver.cjs')}`, RECTIFY_TRACE_DRIVER: trace };
      for (const args of [['init'], ['status'], ['progress', 'M1.1', '10'], ['list', '--overdue'], ['export', '--format', 'json']]) {
        expect(rectify(args, { cwd: t.dir, env }).code).toBe(0);
      }
      expect(existsSync(trace)).toBe(false);
      // The same trace sees the driver load for a URL (the server need not answer).
      rectify(['status'], { cwd: t.dir, env: { ...env, RECTIFY_DB: 'postgres://nobody@127.0.0.1:1/none' } });
      expect(readFileSync(trace, 'utf8')).toBe('postgres\n');
    } finally {
      t.cleanup();
    }
  });
});
