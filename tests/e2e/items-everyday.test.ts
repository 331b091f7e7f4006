// Everyday use (issue 13): mending mistakes (edit, rm, assign --clear), the report after an
// undo, what the command line accepts being what an export reloads, and the habits of a
// good command line. Run through the built binary in temporary folders.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FIXTURES, rectify, withLedger, type RunOptions, type RunResult } from '../helpers/cli.js';

const SEED = join(FIXTURES, 'items', 'filters.yaml');
const TODAY = '2024-05-01';

let cleanups: (() => void)[] = [];
afterEach(() => {
  cleanups.forEach((c) => c());
  cleanups = [];
});

type Ledger = ReturnType<typeof withLedger>;
function ledger(seed = SEED): Ledger {
  const l = withLedger(seed);
  cleanups.push(l.cleanup);
  return { ...l, run: (args, opts: RunOptions = {}) => l.run(args, { ...opts, env: { RECTIFY_TODAY: TODAY, ...opts.env } }) };
}
const ok = (r: RunResult): RunResult => {
  expect(r.stderr, r.stderr).toBe('');
  expect(r.code, r.stdout).toBe(0);
  return r;
};
const state = (l: Ledger): string => ok(l.run(['export', '--format', 'json'])).stdout;
const item = (l: Ledger, id: string) => JSON.parse(ok(l.run(['show', id, '--json'])).stdout);
function refused(l: Ledger, args: string[], code: number, message: RegExp, opts: RunOptions = {}): RunResult {
  const before = state(l);
  const r = l.run(args, opts);
  expect(r.code, r.stderr).toBe(code);
  expect(r.stdout).toBe('');
  expect(r.stderr).toMatch(/^rectify: .+\n((hint: |提示：).+\n)?$/);
  expect(r.stderr.split('\n')[0]).toMatch(message);
  expect(state(l)).toBe(before);
  return r;
}

describe('the story: a mistake mended, a sign-off undone, the report handed over', () => {
  for (const lang of ['en', 'zh'] as const) {
    it(`leaves a ledger and a report a careful secretary would accept (${lang})`, () => {
      const l = ledger();
      // Today is the real day: the report's window must hold what was just recorded.
      const run = (args: string[]) => ok(l.run([...args, '--lang', lang], { env: { RECTIFY_TODAY: undefined, RECTIFY_USER: '王秘书' } }));
      // Added by mistake, its title fixed, then removed.
      expect(run(['add', '错误的事项', '--measure', 'M1']).stdout).toBe('M1.11\n');
      run(['edit', 'M1.11', '--title', '更正后的标题']);
      expect(item(l, 'M1.11').title).toBe('更正后的标题');
      run(['rm', 'M1.11']);
      expect(l.run(['show', 'M1.11']).code).toBe(3);
      // One signed off, and the sign-off undone.
      run(['done', 'M1.1', '-m', '已完成']);
      run(['verify', 'M1.1', '-m', '同意销号']);
      run(['undo']);
      expect(item(l, 'M1.1').status).toBe('done');

      const report = run(['report', '--since', '2024-01-01']).stdout;
      // The sign-off that was taken back is no sign-off, and no internal number or English
      // verb tells of the undo.
      expect(report).not.toMatch(/同意销号/);
      expect(report).not.toMatch(/#\d/);
      expect(report).not.toMatch(/\bverify\b|\bundo\b|撤销/);
      // The removed item is gone from every part of it.
      expect(report).not.toMatch(/M1\.11|错误的事项|更正后的标题/);
      expect(report).toMatch(lang === 'zh' ? /已完成/ : /done/);
      const json = JSON.parse(run(['report', '--since', '2024-01-01', '--format', 'json']).stdout);
      expect(json.changes.verified).toEqual([]);
      expect(json.changes.added).toEqual([]);
      expect(json.changes.notes.map((n: { note: string }) => n.note)).toEqual(['已完成']);
      if (lang === 'zh') expect(report).not.toMatch(/[A-Za-z]{3,}/); // ids only: no English words
      for (const line of report.split('\n')) {
        expect(line).not.toMatch(/^\s*[）；。，、》]/);
        expect(line).not.toMatch(/[（《]$/);
      }

      // The history tells it in the reader's words.
      const log = run(['log', 'M1.1']).stdout;
      expect(log).not.toMatch(/#\d/);
      expect(log.split('\n')[0]).toMatch(lang === 'zh' ? /撤销\s+撤回 王秘书 .+ 的销号/ : /undo\s+took back verified of .+ by 王秘书/);
      expect(log).toMatch(lang === 'zh' ? /销号（已撤销）/ : /verified \(undone\)/);
      // The export is a seed that rebuilds the ledger.
      const yaml = run(['export']).stdout;
      const again = withLedger();
      cleanups.push(again.cleanup);
      writeFileSync(join(again.dir, 'seed.yaml'), yaml);
      ok(rectify(['init', 'seed.yaml', '--db', 'again.db'], { cwd: again.dir }));
    });
  }
});

describe('what the command line accepts, an export reloads', () => {
  it('collapses a line break pasted into a title or a name, and the export reloads', () => {
    const l = ledger();
    expect(ok(l.run(['add', 'two\nlines', '--measure', 'M1'])).stdout).toBe('M1.11\n');
    expect(item(l, 'M1.11').title).toBe('two lines');
    ok(l.run(['add', '制定\n年度计划', '--measure', 'M1', '--owner', '王\n局长']));
    expect(item(l, 'M1.12')).toMatchObject({ title: '制定年度计划', owner: '王局长' });
    ok(l.run(['assign', 'M1.1', '李\r\n四']));
    expect(item(l, 'M1.1').owner).toBe('李四');
    // A detail or a note may hold line breaks.
    ok(l.run(['edit', 'M1.1', '--detail', '第一行\n第二行']));
    writeFileSync(join(l.dir, 'out.yaml'), ok(l.run(['export'])).stdout);
    ok(rectify(['init', 'out.yaml', '--db', 'copy.db'], { cwd: l.dir }));
  });

  it('refuses control characters in every field it takes, with exit 2, naming the field', () => {
    const l = ledger();
    refused(l, ['add', 'a\x07b', '--measure', 'M1'], 2, /title holds a control character \(U\+0007\)/);
    refused(l, ['add', 'ok', '--measure', 'M1', '--detail', 'x\x1b[2J'], 2, /detail .*U\+001B/);
    refused(l, ['assign', 'M1.1', '王\x07局长'], 2, /owner .*U\+0007/);
    refused(l, ['assign', 'M1.1', '--department', 'x\x01'], 2, /department .*U\+0001/);
    refused(l, ['progress', 'M1.1', '10', '-m', 'n\x9b'], 2, /note .*U\+009B/);
    refused(l, ['done', 'M1.1', '--evidence', 'e\x08'], 2, /evidence .*U\+0008/);
    refused(l, ['edit', 'M1.1', '--title', 't\x7f'], 2, /title .*U\+007F/);
    refused(l, ['reopen', 'M2.2', '-m', 'r\x01'], 2, /U\+0001/);
    // Who acts is recorded in every entry: the same rules.
    refused(l, ['progress', 'M1.1', '10', '--by', 'x\x07'], 2, /actor \(--by\) holds a control character \(U\+0007\)/);
    refused(l, ['assign', 'M1.1', '王'], 2, /actor/, { env: { RECTIFY_USER: 'y\x1b[2J' } });
    const zh = refused(l, ['add', 'a\x07b', '--measure', 'M1', '--lang', 'zh'], 2, /事项标题|标题/);
    expect(zh.stderr).not.toMatch(/title/);
  });

  it('takes a blank --by as not given: $RECTIFY_USER acts, as with no --by', () => {
    const l = ledger();
    ok(l.run(['progress', 'M1.1', '10', '--by', '']));
    ok(l.run(['progress', 'M1.1', '20', '--by', '  ']));
    const log = JSON.parse(ok(l.run(['log', 'M1.1', '--json'])).stdout) as { by: string }[];
    expect(log.slice(0, 2).map((e) => e.by)).toEqual(['tester', 'tester']);
  });

  it('refuses text longer than a ledger keeps', () => {
    const l = ledger();
    refused(l, ['add', '长'.repeat(501), '--measure', 'M1'], 2, /title is 501 characters long; at most 500/);
    refused(l, ['assign', 'M1.1', 'x'.repeat(101)], 2, /owner is 101 characters/);
  });

  it('refuses to add under a measure whose id leaves no room for an item number', () => {
    const long = 'M' + 'x'.repeat(31);
    const seed = readFileSync(SEED, 'utf8').replace(/id: M3\n/, `id: ${long}\n`).replace(/id: M3\.(\d+)/g, 'id: X3.$1');
    const l0 = withLedger();
    cleanups.push(l0.cleanup);
    writeFileSync(join(l0.dir, 'long.yaml'), seed);
    const l = ledger(join(l0.dir, 'long.yaml'));
    const r = refused(l, ['add', 'x', '--measure', long], 2, /longer than an id may be \(32 characters\)/);
    expect(r.stderr).toMatch(/^hint: /m);
  });
});

describe('rectify edit', () => {
  it('mends title, detail, term, measure and addresses; recorded and undoable', () => {
    const l = ledger();
    expect(ok(l.run(['edit', 'M1.2', '--title', '开展专题研讨会', '--term', '限期整改', '--measure', 'M3', '--addresses', 'P2.1，P1.1'])).stdout)
      .toMatch(/^M1\.2: /);
    expect(item(l, 'M1.2')).toMatchObject({ title: '开展专题研讨会', term: 'deadline', measure: 'M3', addresses: ['P2.1', 'P1.1'] });
    const h = item(l, 'M1.2').history.at(-1);
    expect(h.action).toBe('edit');
    ok(l.run(['undo']));
    expect(item(l, 'M1.2')).toMatchObject({ title: '开展专题研讨', term: 'ongoing', measure: 'M1', addresses: ['P1.2'] });
  });

  it('refuses nothing to edit, an empty title, an unknown measure', () => {
    const l = ledger();
    refused(l, ['edit', 'M1.2'], 2, /nothing to edit/);
    refused(l, ['edit', 'M1.2', '--title', '  '], 2, /title is empty/);
    refused(l, ['edit', 'M1.2', '--measure', 'M9'], 3, /unknown measure id: M9/);
    refused(l, ['edit', 'M1.9', '--title', 'x'], 3, /unknown item id: M1\.9/);
  });
});

describe('rectify rm', () => {
  it('removes items that hold only their creation and edits, all or none', () => {
    const l = ledger();
    ok(l.run(['add', 'a', '--measure', 'M1']));
    ok(l.run(['add', 'b', '--measure', 'M1', '--owner', '王']));
    ok(l.run(['edit', 'M1.12', '--title', 'bb']));
    expect(ok(l.run(['rm', 'M1.11，m1.12'])).stdout).toBe('Removed M1.11 "a"\nRemoved M1.12 "bb"\n');
    expect(l.run(['show', 'M1.11']).code).toBe(3);
    // Numbers are never handed out again.
    expect(ok(l.run(['add', 'c', '--measure', 'M1'])).stdout).toBe('M1.13\n');
  });

  it('refuses an item with progress, completion or sign-off, with exit 4 and a hint, removing none', () => {
    const l = ledger();
    ok(l.run(['add', 'a', '--measure', 'M1']));
    ok(l.run(['progress', 'M1.1', '10']));
    const r = refused(l, ['rm', 'M1.11,M1.1'], 4, /cannot remove M1\.1: work was recorded on it/);
    expect(r.stderr).toMatch(/^hint: /m);
    refused(l, ['rm', 'M1.1', '--lang', 'zh'], 4, /不能删除 M1\.1/);
  });
});

describe('rectify assign', () => {
  it('takes the owner as optional when another option is given, and --clear empties fields', () => {
    const l = ledger();
    ok(l.run(['assign', 'M1.1', '--department', '宣传部']));
    expect(item(l, 'M1.1')).toMatchObject({ owner: '张三', department: '宣传部' });
    ok(l.run(['assign', 'M1.1', '--clear', 'owner,due']));
    expect(item(l, 'M1.1')).toMatchObject({ owner: null, department: '宣传部', due: null });
    ok(l.run(['assign', 'M1.2', '--clear', '责任部门']));
    expect(item(l, 'M1.2').department).toBeNull();
  });

  it('refuses a lone dash as an owner, nothing to assign, and a field both set and cleared', () => {
    const l = ledger();
    refused(l, ['assign', 'M1.2', '-'], 2, /owner "-" would be stored as a name/);
    refused(l, ['assign', 'M1.2'], 2, /nothing to assign/);
    refused(l, ['assign', 'M1.2', '王', '--clear', 'owner'], 2, /both set and cleared/);
    refused(l, ['assign', 'M1.2', '--clear', 'boss'], 2, /cannot clear "boss"/);
  });
});

describe('a command that changes nothing', () => {
  it('records nothing, so that undo takes back the real change', () => {
    const l = ledger();
    ok(l.run(['assign', 'M1.2', '王']));
    expect(ok(l.run(['assign', 'M1.2', '王'])).stdout).toBe('M1.2: nothing changed\n');
    ok(l.run(['progress', 'M1.1', '30']));
    ok(l.run(['progress', 'M1.1', '30']));
    // Clearing what is already empty changes nothing either (M3.1 has no due date).
    expect(ok(l.run(['assign', 'M3.1', '--clear', 'due'])).stdout).toBe('M3.1: nothing changed\n');
    const log = JSON.parse(ok(l.run(['log', '--json'])).stdout) as { action: string; item: string }[];
    expect(log.filter((h) => h.action !== 'create').map((h) => `${h.item} ${h.action}`)).toEqual(['M1.1 progress', 'M1.2 assign']);
    ok(l.run(['undo']));
    ok(l.run(['undo']));
    expect(item(l, 'M1.2').owner).toBe('李四');
    expect(item(l, 'M1.1').progress).toBe(0);
  });
});

describe('ids and dates as people type them', () => {
  it('accepts full-width ids wherever ids are taken', () => {
    const l = ledger();
    expect(ok(l.run(['show', 'Ｍ１．１', '--json'])).stdout).toMatch(/"id": "M1.1"/);
    ok(l.run(['progress', 'Ｍ１．１，Ｍ１．２', '10']));
    expect(item(l, 'M1.2').progress).toBe(10);
    ok(l.run(['add', 'x', '--measure', 'Ｍ１', '--addresses', 'Ｐ１．１']));
    ok(l.run(['log', 'ｍ１．１']));
    expect(JSON.parse(ok(l.run(['list', '--measure', 'Ｍ３', '--json'])).stdout)).toHaveLength(2);
  });

  it('accepts Chinese dates wherever dates are taken', () => {
    const l = ledger();
    ok(l.run(['assign', 'M1.2', '--due', '2026年12月31日']));
    expect(item(l, 'M1.2').due).toBe('2026-12-31');
    ok(l.run(['add', 'x', '--measure', 'M1', '--due', '２０２６年１月５日']));
    expect(item(l, 'M1.11').due).toBe('2026-01-05');
    ok(l.run(['list', '--due-before', '2024年5月1日']));
    ok(l.run(['status', '--as-of', '2024年5月1日']));
    refused(l, ['assign', 'M1.2', '--due', '2026年2月30日'], 2, /not a real date/);
  });
});
