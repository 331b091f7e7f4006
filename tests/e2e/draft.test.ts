// The way to start with one's own report, as a user runs it: draft → init → status, with the
// built binary, for the bundled report's text, a Word 整改方案 and an Excel 台账.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, rectify, tempDirsPerTest } from '../helpers/cli.js';
import { loadSeed } from '../../src/core/seed.js';
import { ledgerXlsx, planDocx } from '../fixtures/draft/reports.js';

const tempDir = tempDirsPerTest();
// The bundled report's source (the report docs/seed-format.md names), kept with the fixtures so the suite stands alone.
const REPORT = join(ROOT, 'tests', 'fixtures', 'draft', '000_d323877fa63bd839.txt');
const env = { RECTIFY_TODAY: '2026-11-29' };

describe('rectify draft, then init', () => {
  it('drafts the bundled report to a file that init loads as it is, and status shows it', () => {
    const cwd = tempDir();
    const d = rectify(['draft', REPORT, '-o', 'seed.yaml'], { cwd, env });
    expect(d.code).toBe(0);
    expect(d.stdout).toBe('');
    expect(d.stderr).toBe('drafted seed.yaml: 6 areas, 13 problems, 5 causes, 5 measures, 12 items; 16 links, 3 terms, 0 dates and 2 other values guessed, 2 items left unlinked: check the lines marked # guess\n');
    expect(readFileSync(join(cwd, 'seed.yaml'), 'utf8')).toContain('# Check every line marked "# guess", then load it: rectify init seed.yaml\n');
    const init = rectify(['init', 'seed.yaml'], { cwd, env });
    expect(init).toEqual({ code: 0, stdout: 'Created rectify.db from "市局领导班子对照检查材料": 6 areas, 13 problems, 5 measures, 12 items.\n', stderr: '' });
    const status = rectify(['status'], { cwd, env });
    expect(status.code).toBe(0);
    expect(status.stdout).toContain('12 items: 12 open, 0 in progress, 0 done, 0 verified');
    // Areas are on the full screen since status fits 40 rows (issue 20).
    expect(rectify(['status', '--full'], { cwd, env }).stdout).toContain('A6  廉洁自律');
  });

  it('drafts a Word 整改方案 and an Excel 台账 that init loads, owners and deadlines included', async () => {
    const cwd = tempDir();
    writeFileSync(join(cwd, '整改方案.docx'), await planDocx());
    writeFileSync(join(cwd, '台账.xlsx'), await ledgerXlsx());

    const word = rectify(['draft', '整改方案.docx', '-o', 'plan.yaml'], { cwd, env });
    expect(word.code).toBe(0);
    expect(word.stderr).toBe('drafted plan.yaml: 2 areas, 3 problems, 0 causes, 3 measures, 4 items; 0 links, 0 terms, 2 dates and 1 other values guessed, 0 items left unlinked: check the lines marked # guess\n');
    expect(rectify(['init', 'plan.yaml', '--db', 'plan.db'], { cwd, env }).stdout)
      .toBe('Created plan.db from "XX区市场监管局关于区委巡察反馈意见的整改方案": 2 areas, 3 problems, 3 measures, 4 items.\n');

    const excel = rectify(['draft', '台账.xlsx', '--lang', 'zh'], { cwd, env });
    expect(excel.code).toBe(0);
    expect(excel.stderr).toBe('已起草 2 个方面、4 个问题、0 条原因、4 项措施、5 项整改事项；推测了 0 处关联、0 个整改类型、2 个日期和 1 处其他内容，0 个事项未关联问题：请核对标有“# 推测”的行\n');
    writeFileSync(join(cwd, 'ledger.yaml'), excel.stdout);
    expect(rectify(['init', 'ledger.yaml', '--db', 'ledger.db'], { cwd, env }).code).toBe(0);
    const list = rectify(['list', '--db', 'ledger.db', '--sort', 'id'], { cwd, env });
    expect(list.code).toBe(0);
    expect(list.stdout).toContain('M2.1');
    expect(list.stdout).toContain('张书记');
    expect(list.stdout).toContain('2025-06-30');
  });
});

describe('rectify\'s own documents, drafted and loaded again (issue 21)', () => {
  // Another office's seed: three areas, owners, departments, dues, every term, an item answering
  // two problems, a title with Markdown's marks (| [ ] _ *).
  const SEED = join(ROOT, 'tests', 'fixtures', 'draft', 'own', 'shichang-xuncha.yaml');
  /** What every one of rectify's documents shows of a seed (no details, causes, area ids). */
  const shown = (yaml: string, immediateShown = true) => {
    const seed = loadSeed(Buffer.from(yaml));
    if (!seed.ok) throw new Error('does not load');
    const s = seed.seed;
    return {
      title: s.report.title, unit: s.report.unit,
      areas: s.areas.map((a) => [a.name, a.problems.map((p) => [p.id, p.title])]),
      measures: s.measures.map((m) => [m.id, m.title, m.items.map((i) => [i.id, i.title, [...i.addresses].sort(), i.owner, i.department, i.due,
        !immediateShown && i.term === 'immediate' ? 'deadline' : i.term])]),
    };
  };
  for (const [form, args] of [['text', ['report', '-o', 'r.txt']], ['Markdown', ['report', '--format', 'md', '-o', 'r.md']], ['Excel', ['report', '-o', 'r.xlsx']], ['Word', ['report', '-o', 'r.docx']]] as const) {
    it(`init → ${form} report → draft → init gives back the ledger`, () => {
      const cwd = tempDir();
      expect(rectify(['init', SEED, '--db', 'a.db'], { cwd, env }).code).toBe(0);
      expect(rectify(['assign', 'M3.1', '赵股长', '--db', 'a.db'], { cwd, env }).code).toBe(0);
      expect(rectify(['done', 'M2.3', '--db', 'a.db'], { cwd, env }).code).toBe(0);
      expect(rectify([...args, '--db', 'a.db'], { cwd, env }).code).toBe(0);
      const file = args[args.length - 1] as string;
      const d = rectify(['draft', file, '-o', 'back.yaml'], { cwd, env });
      expect(d.stderr).toMatch(/^drafted back\.yaml: 3 areas, 6 problems, 0 causes, 3 measures, 6 items; nothing guessed/);
      expect(rectify(['init', 'back.yaml', '--db', 'b.db'], { cwd, env }).code).toBe(0);
      const before = rectify(['export', '--db', 'a.db'], { cwd, env }).stdout;
      const after = rectify(['export', '--db', 'b.db'], { cwd, env }).stdout;
      expect(shown(after)).toEqual(shown(before));
    });
  }
});
