// `rectify repeats --against OLDER` and `report --against OLDER`, through the built CLI.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FIXTURES, rectify, tempDirsPerTest } from '../helpers/cli.js';

const SETS = join(FIXTURES, 'repeats');
const newTemp = tempDirsPerTest();
const env = { RECTIFY_TODAY: '2025-03-01', NO_COLOR: '1' };

function ledgers(older = 'edu-2023', newer = 'edu-2024') {
  const dir = newTemp();
  const run = (args: string[], extra: Record<string, string> = {}) => rectify(args, { cwd: dir, env: { ...env, ...extra } });
  expect(run(['init', join(SETS, `${older}.yaml`), '--db', 'old.db']).code).toBe(0);
  expect(run(['init', join(SETS, `${newer}.yaml`), '--db', 'new.db']).code).toBe(0);
  return { dir, run };
}

describe('rectify repeats', () => {
  it('lists the recurring problems most similar first, with how the earlier items ended, in JSON', () => {
    const { run } = ledgers();
    expect(run(['done', 'M2.1', '--db', 'old.db']).code).toBe(0);
    expect(run(['done', 'M1.1', '--db', 'old.db']).code).toBe(0);
    expect(run(['verify', 'M1.1', '--db', 'old.db']).code).toBe(0);
    const r = run(['repeats', '--against', 'old.db', '--db', 'new.db', '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toBe('');
    const pairs = JSON.parse(r.stdout) as { problem: string; title: string; olderProblem: string; olderTitle: string; score: number; olderItems: { id: string; status: string }[] }[];
    expect(Object.keys(pairs[0]!)).toEqual(['problem', 'title', 'olderProblem', 'olderTitle', 'score', 'olderItems']);
    const scores = pairs.map((p) => p.score);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
    const byProblem = new Map(pairs.map((p) => [p.problem, p]));
    // Reworded a year later, marked as recurring by a reader (gold.yaml).
    for (const [n, o] of [['P1.1', 'P1.1'], ['P1.2', 'P1.2'], ['P2.1', 'P2.1'], ['P2.2', 'P2.2'], ['P3.1', 'P3.1']] as const) {
      expect(byProblem.get(n)?.olderProblem, n).toBe(o);
    }
    expect(byProblem.has('P2.3')).toBe(false); // 教育信息化: new this year
    expect(byProblem.get('P1.1')!.olderItems).toEqual([{ id: 'M1.1', status: 'verified' }]);
    expect(byProblem.get('P2.1')!.olderItems).toEqual([{ id: 'M2.1', status: 'done' }]);
    expect(byProblem.get('P1.1')!.olderTitle).toBe('理论学习不够深入系统');
  });

  it('prints the pairs on screen in both languages, and the same ones the JSON has', () => {
    const { run } = ledgers('finance-2023', 'finance-2024');
    const en = run(['repeats', '--against', 'old.db', '--db', 'new.db']);
    expect(en.code).toBe(0);
    expect(en.stdout).toMatch(/^Problems that recur from 市财政局党组2023年度民主生活会对照检查材料: \d of 8/);
    const zh = run(['repeats', '--against', 'old.db', '--db', 'new.db', '--lang', 'zh']);
    expect(zh.stdout).toContain('上次：');
    expect(zh.stdout).toContain('未开始');
    const json = JSON.parse(run(['repeats', '--against', 'old.db', '--db', 'new.db', '--json']).stdout) as { problem: string }[];
    const shown = [...en.stdout.matchAll(/^\d\.\d\d {2}(P[\d.]+)/gm)].map((m) => m[1]);
    expect(shown).toEqual(json.map((p) => p.problem));
  });

  it('says so in one line when the earlier ledger is of another unit, and compares all the same', () => {
    const { run } = ledgers('health-2022', 'edu-2024');
    const r = run(['repeats', '--against', 'old.db', '--db', 'new.db', '--json']);
    expect(r.code).toBe(0);
    expect(r.stderr.trim().split('\n')).toEqual(['rectify: the earlier ledger is of another unit (市卫生健康委党组, this one is 县教育局党组); compared all the same']);
    expect(Array.isArray(JSON.parse(r.stdout))).toBe(true);
  });

  it('refuses a missing --against (exit 2), a missing earlier ledger (exit 3) and this same ledger (exit 2)', () => {
    const { run } = ledgers();
    const none = run(['repeats', '--db', 'new.db']);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/^rectify: which earlier ledger\? name it with --against\nhint: /);
    const missing = run(['repeats', '--db', 'new.db', '--against', 'nope.db']);
    expect(missing.code).toBe(3);
    expect(missing.stderr.split('\n')[0]).toMatch(/^rectify: no ledger at .*nope\.db$/);
    expect(run(['repeats', '--db', 'new.db', '--against', 'new.db']).code).toBe(2);
  });

  it('ends the text and Markdown reports with the section when --against names an earlier ledger', () => {
    const { run } = ledgers();
    const plain = run(['report', '--db', 'new.db']);
    const r = run(['report', '--db', 'new.db', '--against', 'old.db']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.startsWith(plain.stdout)).toBe(true);
    const section = r.stdout.slice(plain.stdout.length);
    expect(section).toContain('Problems that recur from the earlier report');
    expect(section).toContain('← P1.1  理论学习不够深入系统');
    const md = run(['report', '--db', 'new.db', '--against', 'old.db', '--format', 'md']);
    expect(md.stdout).toContain('## Problems that recur from the earlier report');
    const csv = run(['report', '--db', 'new.db', '--against', 'old.db', '--format', 'csv']);
    expect(csv.code).toBe(2);
    expect(csv.stdout).toBe('');
  });
});
