// The habits of a good command line (issue 13): usage when called bare, the nearest name
// for a typo, hints that fit, no English in Chinese output, views of a measure and an area,
// the order of recent changes, and an import that looks like another report.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FIXTURES, rectify, tempDir, withLedger, type RunOptions, type RunResult } from '../helpers/cli.js';

const SEED = join(FIXTURES, 'items', 'filters.yaml');
const PRELOAD = `--require ${join(FIXTURES, 'views', 'fake-now.cjs')}`;

let cleanups: (() => void)[] = [];
afterEach(() => {
  cleanups.forEach((c) => c());
  cleanups = [];
});
type Ledger = ReturnType<typeof withLedger>;
function ledger(seed = SEED): Ledger {
  const l = withLedger(seed);
  cleanups.push(l.cleanup);
  return { ...l, run: (args, opts: RunOptions = {}) => l.run(args, { ...opts, env: { RECTIFY_TODAY: '2024-05-01', ...opts.env } }) };
}
const ok = (r: RunResult): RunResult => {
  expect(r.stderr, r.stderr).toBe('');
  expect(r.code, r.stdout).toBe(0);
  return r;
};

describe('the command line itself', () => {
  it('prints the usage when called with no command', () => {
    const r = rectify([]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Usage: rectify \[options\] \[command\]/);
    expect(r.stdout).toMatch(/\n  status /);
    expect(rectify(['--lang', 'zh']).stdout).toMatch(/^用法：/);
  });

  it('refuses help of an unknown command with exit 2, and still helps with a known one', () => {
    const r = rectify(['help', 'nosuch']);
    expect(r.code).toBe(2);
    expect(r.stderr.split('\n')[0]).toBe("rectify: unknown command 'nosuch'");
    const near = rectify(['help', 'stauts']);
    expect(near.code).toBe(2);
    expect(near.stderr).toMatch(/hint: did you mean status\?/);
    const known = rectify(['help', 'status']);
    expect(known.code).toBe(0);
    expect(known.stdout).toMatch(/^Usage: rectify status/);
  });

  it('suggests the nearest command or option for a typo', () => {
    const l = ledger();
    const c = l.run(['stauts']);
    expect(c.code).toBe(2);
    expect(c.stderr).toBe("rectify: unknown command 'stauts'\nhint: did you mean status?\n");
    const o = l.run(['list', '--staus', 'open']);
    expect(o.code).toBe(2);
    expect(o.stderr).toBe("rectify: unknown option '--staus'\nhint: did you mean --status?\n");
    expect(l.run(['stauts', '--lang', 'zh']).stderr).toMatch(/提示：是不是要输入 status？/);
  });

  it('suggests a name when two are equally near too (lst: list and its alias ls)', () => {
    const l = ledger();
    const c = l.run(['lst']);
    expect(c.code).toBe(2);
    expect(c.stderr).toBe("rectify: unknown command 'lst'\nhint: did you mean list?\n");
    const o = l.run(['list', '--lightz', 'red']);
    expect(o.code).toBe(2);
    expect(o.stderr).toBe("rectify: unknown option '--lightz'\nhint: did you mean --light?\n");
  });

  it('refuses remind --format without -o, where it would be ignored', () => {
    const r = ledger().run(['remind', '--format', 'docx']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe('rectify: --format goes with -o DIR (one file per recipient); without -o the notices are printed as text\n');
  });

  it("points a command's bad usage at that command's help", () => {
    const l = ledger();
    const r = l.run(['done']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe("rectify: missing argument 'ids'\nhint: run 'rectify done --help' to see how it is used\n");
    expect(l.run(['--db', 'rectify.db', 'ls', 'extra']).stderr).toBe("rectify: too many arguments\nhint: run 'rectify list --help' to see how it is used\n");
    expect(l.run(['show', '--lang', 'zh']).stderr).toMatch(/\n提示：运行 rectify show --help 查看用法\n$/);
    expect(l.run(['list', '--zzzzzz']).stderr).toBe("rectify: unknown option '--zzzzzz'\nhint: run 'rectify list --help' to see how it is used\n");
    expect(l.run(['--zzzzzz']).stderr).toBe("rectify: unknown option '--zzzzzz'\nhint: run 'rectify --help' to see the commands and options\n");
    // A blank id is a missing one (exit 2), not an unknown one (exit 3).
    for (const args of [['show', ''], ['log', ' ']]) {
      const blank = l.run(args);
      expect([blank.code, blank.stderr]).toEqual([2, 'rectify: no id given\n']);
    }
  });

  it('names a missing argument in the words of the help, in Chinese too', () => {
    const r = ledger().run(['progress', '--lang', 'zh']);
    expect(r.code).toBe(2);
    expect(r.stderr.split('\n')[0]).toBe('rectify: 缺少参数“编号”');
  });

  it('names an option missing its value with the placeholder of the help, in Chinese too', () => {
    const zh = ledger().run(['list', '--status', '--lang', 'zh']);
    expect(zh.code).toBe(2);
    expect(zh.stderr.split('\n')[0]).toBe('rectify: 选项“--status <状态>”需要一个值');
    expect(ledger().run(['list', '--days']).stderr.split('\n')[0]).toBe("rectify: option '--days <n>' needs a value");
    expect(ledger().run(['remind', '--lang', 'zh', '-o']).stderr.split('\n')[0]).toBe('rectify: 选项“-o, --output <文件夹>”需要一个值');
  });
});

describe('list as of another day', () => {
  it('judges --overdue, --light and the lights of --json as of --as-of, like status and report', () => {
    const l = ledger();
    const ids = (args: string[]) => ok(l.run(['list', ...args])).stdout.trim().split('\n').slice(1).map((line) => line.split(/\s+/)[0]);
    expect(ids(['--overdue'])).toEqual(['M1.1', 'M3.2', 'M2.2']);
    expect(ids(['--overdue', '--as-of', '2024-07-01'])).toEqual(['M1.1', 'M1.2', 'M1.10', 'M3.2', 'M2.2']);
    expect(ids(['--light', 'yellow', '--as-of', '2024-06-25'])).toEqual(['M1.2']);
    const json = JSON.parse(ok(l.run(['list', '--json', '--as-of', '2024-07-01'])).stdout) as { id: string; light: string }[];
    expect(json.find((i) => i.id === 'M1.10')?.light).toBe('red');
    const bad = l.run(['list', '--as-of', '2024-02-30']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^rectify: --as-of is "2024-02-30", not a real date/);
  });
});

describe('show --json of a problem', () => {
  it('carries the light of each item addressing it, as list --json does (cli.md: JSON carries "light")', () => {
    const l = ledger();
    const lights = new Map((JSON.parse(ok(l.run(['list', '--json', '--all'])).stdout) as { id: string; light: string | null }[]).map((i) => [i.id, i.light]));
    for (const p of ['P1.1', 'P2.1']) {
      const shown = JSON.parse(ok(l.run(['show', p, '--json'])).stdout) as { items: { id: string; light?: string | null }[] };
      expect(shown.items.length).toBeGreaterThan(0);
      for (const i of shown.items) expect(i.light, `${p} ${i.id}`).toBe(lights.get(i.id));
    }
    expect((JSON.parse(ok(l.run(['show', 'P1.1', '--json'])).stdout) as { items: { id: string; light: string }[] }).items.find((i) => i.id === 'M1.1')?.light).toBe('red');
  });
});

describe('--days out of range', () => {
  it('is refused naming the range it takes, since a large whole number is a whole number', () => {
    const l = ledger();
    const en = l.run(['status', '--days', '99999']);
    expect(en.code).toBe(2);
    expect(en.stderr).toBe('rectify: --days is "99999"; use a whole number of days from 0 to 36500\n');
    expect(l.run(['list', '--days', '-1', '--lang', 'zh']).stderr).toBe('rectify: --days 的值“-1”无效，请用 0 至 36500 之间的整数天数\n');
  });

  it('calls a contact\'s name its name when refusing it, not an owner', () => {
    const l = ledger();
    const r = l.run(['contact', 'set', 'a\u001bb', '--email', 'a@example.org']);
    expect(r.code).toBe(2);
    expect(r.stderr.split('\n')[0]).toBe('rectify: the name holds a control character (U+001B), which a ledger cannot keep');
    expect(l.run(['contact', 'set', '王'.repeat(101), '--email', 'a@example.org', '--lang', 'zh']).stderr).toMatch(/^rectify: 名称有 101 个字符/);
  });

  it('says what is wrong with an SMTP address that is smtp:// but cannot be used (a port out of range, no host)', () => {
    const l = ledger();
    ok(l.run(['contact', 'set', '张三', '--email', 'zhang@example.org']));
    for (const smtp of ['smtp://u:secret@mail.example.org:99999', 'smtp://']) {
      const r = l.run(['remind', '--send', '--smtp', smtp, '--from', 'office@example.org']);
      expect(r.code).toBe(2);
      expect(r.stderr).not.toContain('secret');
      expect(r.stderr.split('\n')[0]).toMatch(/^rectify: the SMTP address \(.*\) cannot be used: write smtp:\/\/USER:PASS@HOST:PORT or smtps:\/\/USER:PASS@HOST:PORT$/);
    }
  });

  it('says a text too long is refused, not cut', () => {
    const l = ledger();
    const r = l.run(['edit', 'M1.1', '--title', 'x'.repeat(501)]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('rectify: the title is 501 characters long; at most 500 are allowed\n');
  });
});

describe('remind -o DIR', () => {
  it('writes one file per recipient even when two names make the same file name', () => {
    const t = tempDir();
    cleanups.push(t.cleanup);
    writeFileSync(join(t.dir, 'seed.yaml'), [
      'version: 1', 'report: {title: 同名}', 'areas:', '  - {id: A, name: a, problems: [{id: P, title: p}]}', 'measures:', '  - id: M', '    title: m', '    items:',
      '      - {id: M.1, title: 一, owner: "a/b", department: "a?b", due: 2025-01-03}',
      '      - {id: M.2, title: 二, owner: "A/B", due: 2025-01-03}',
    ].join('\n'));
    const env = { RECTIFY_TODAY: '2025-04-28' };
    expect(rectify(['init', 'seed.yaml'], { cwd: t.dir }).code).toBe(0);
    const r = rectify(['remind', '-o', 'out', '--format', 'text'], { cwd: t.dir, env });
    expect(r.code, r.stderr).toBe(0);
    const files = readdirSync(join(t.dir, 'out'));
    expect(files).toHaveLength(3);
    expect(new Set(files.map((f) => f.toLowerCase())).size).toBe(3);
    const texts = files.map((f) => readFileSync(join(t.dir, 'out', f), 'utf8'));
    for (const who of ['a/b (owner)', 'a?b (department)', 'A/B (owner)']) expect(texts.filter((x) => x.includes(`Supervision notice · ${who}`))).toHaveLength(1);
  });

  it('says that -o names a folder when it names a file', () => {
    const l = ledger();
    writeFileSync(join(l.dir, 'notices'), 'x');
    const r = l.run(['remind', '-o', join(l.dir, 'notices')]);
    expect(r.code).toBe(2);
    expect(r.stderr.split('\n')[0]).toMatch(/^rectify: .*notices is a file, not a folder: -o names the folder the notices go into$/);
    expect(readFileSync(join(l.dir, 'notices'), 'utf8')).toBe('x');
  });

  it('writes the notice of a recipient whose name is as long as a name may be (100 characters of Chinese)', () => {
    const t = tempDir();
    cleanups.push(t.cleanup);
    const long = '市'.repeat(100);
    writeFileSync(join(t.dir, 'seed.yaml'), [
      'version: 1', 'report: {title: 长名}', 'areas:', '  - {id: A, name: a, problems: [{id: P, title: p}]}', 'measures:', '  - id: M', '    title: m', '    items:',
      `      - {id: M.1, title: 一, owner: "${long}", department: "${long.slice(1)}部", due: 2025-01-03}`,
    ].join('\n'));
    expect(rectify(['init', 'seed.yaml'], { cwd: t.dir }).code).toBe(0);
    for (const format of ['text', 'docx']) {
      const r = rectify(['remind', '-o', format, '--format', format], { cwd: t.dir, env: { RECTIFY_TODAY: '2025-04-28' } });
      expect(r.code, r.stderr).toBe(0);
      const files = readdirSync(join(t.dir, format));
      expect(files).toHaveLength(2);
      for (const f of files) expect(Buffer.byteLength(f)).toBeLessThanOrEqual(255);
    }
  });
});

describe('an area named with its own 方面', () => {
  it('is not called 方面 twice in the Chinese report, as text, Markdown or Word', async () => {
    const t = tempDir();
    cleanups.push(t.cleanup);
    writeFileSync(join(t.dir, 'seed.yaml'), 'version: 1\nreport: {title: 某局检查材料}\nareas:\n'
      + '  - {id: A1, name: 思想政治方面, problems: [{id: P1, title: 问题一}]}\n  - {id: A2, name: 作风建设, problems: [{id: P2, title: 问题二}]}\n'
      + 'measures:\n  - {id: M1, title: 措施, items: [{id: M1.1, title: 事项, addresses: [P1, P2]}]}\n');
    const run = (args: string[]) => ok(rectify(args, { cwd: t.dir, env: { RECTIFY_TODAY: '2024-05-01' } }));
    run(['init', 'seed.yaml']);
    for (const format of ['text', 'md']) {
      const out = run(['report', '--format', format, '--lang', 'zh']).stdout;
      expect(out).toContain('思想政治方面（问题1个');
      expect(out).toContain('作风建设方面（问题1个');
      expect(out).not.toContain('方面方面');
    }
    expect(rectify(['report', '-o', 'r.docx', '--lang', 'zh'], { cwd: t.dir, env: { RECTIFY_TODAY: '2024-05-01' } }).code).toBe(0);
    const { docxParts, docxParagraphs } = await import('../fixtures/office/read.js');
    const paragraphs = docxParagraphs((await docxParts(readFileSync(join(t.dir, 'r.docx'))))['word/document.xml']!);
    expect(paragraphs.some((p) => p.includes('思想政治方面（问题1个'))).toBe(true);
    expect(paragraphs.join('\n')).not.toContain('方面方面');
  });
});

describe('hints that fit', () => {
  it('says an item is already signed off, rather than to mark it done first', () => {
    const l = ledger();
    ok(l.run(['done', 'M1.2']));
    ok(l.run(['verify', 'M1.2']));
    const r = l.run(['verify', 'M1.2']);
    expect(r.code).toBe(4);
    expect(r.stderr).toMatch(/hint: it is already signed off/);
    expect(r.stderr).not.toMatch(/mark it done first/);
    // An open item still gets the usual hint.
    expect(l.run(['verify', 'M1.1']).stderr).toMatch(/mark it done first/);
  });
});

describe('no English in Chinese output', () => {
  it('words what undo refuses', () => {
    const l = ledger();
    ok(l.run(['add', 'x', '--measure', 'M1']));
    const r = l.run(['undo', '--lang', 'zh']);
    expect(r.code).toBe(4);
    expect(r.stderr).toMatch(/M1\.11 的 ?新增/);
    expect(r.stderr).toMatch(/提示：误加的事项请用 rectify rm M1\.11 删除/);
    expect(r.stderr).not.toMatch(/create/);
    const en = l.run(['undo']);
    expect(en.stderr.split('\n')[0]).toBe('rectify: the last change by tester (M1.11 created) cannot be undone: it created items or came from a seed');
  });

  it('names the fields import changed in the reader\'s words', () => {
    const l = ledger();
    const seed = join(l.dir, 'changed.yaml');
    const text = (require('node:fs') as typeof import('node:fs')).readFileSync(SEED, 'utf8');
    writeFileSync(seed, text.replace('title: 制定年度学习计划', 'title: 制定年度学习计划（修订）').replace('owner: 张三', 'owner: 张三丰'));
    const r = ok(l.run(['import', seed, '--lang', 'zh']));
    const line = r.stdout.split('\n').find((s) => s.includes('M1.1'))!;
    expect(line).toMatch(/变更：标题，责任人/);
    expect(line).not.toMatch(/[A-Za-z]{3,}/);
  });
});

describe('import of a seed that looks like another report', () => {
  it('is refused with exit 4 unless --force, and changes nothing', () => {
    const l = ledger();
    const other = join(l.dir, 'other.yaml');
    const text = (require('node:fs') as typeof import('node:fs')).readFileSync(join(FIXTURES, 'seeds', 'minimal.yaml'), 'utf8');
    // Every id renamed, so that none is shared with the ledger.
    writeFileSync(other, text.replace(/\b([APCM])(\d)/g, 'X$1$2'));
    const before = ok(l.run(['export', '--format', 'json'])).stdout;
    const r = l.run(['import', other]);
    expect(r.code).toBe(4);
    expect(r.stderr).toMatch(/^rectify: this seed looks like another report/);
    expect(r.stderr).toMatch(/hint: .*--force/);
    expect(ok(l.run(['export', '--format', 'json'])).stdout).toBe(before);
    expect(l.run(['import', other, '--dry-run']).code).toBe(4);
    ok(l.run(['import', other, '--force']));
    // A seed of the same report, or one sharing ids, is merged as before.
    ok(l.run(['import', SEED]));
  });
});

describe('show and log of a measure or an area', () => {
  it('shows a measure with its text and items, and an area with its problems and items', () => {
    const l = ledger();
    const m = ok(l.run(['show', 'M1'])).stdout;
    expect(m.split('\n')[0]).toBe('M1  加强理论学习');
    expect(m).toMatch(/M1\.1 .*制定年度学习计划/);
    expect(m).toMatch(/M1\.10 /);
    const a = ok(l.run(['show', 'a2', '--lang', 'zh'])).stdout;
    expect(a.split('\n')[0]).toBe('A2  工作作风');
    expect(a).toMatch(/问题\n  P2\.1  调研不够深入/);
    expect(JSON.parse(ok(l.run(['show', 'M3', '--json'])).stdout).items.map((i: { id: string }) => i.id)).toEqual(['M3.1', 'M3.2']);
  });

  it('logs the changes of a measure\'s items', () => {
    const l = ledger();
    ok(l.run(['progress', 'M1.2', '10']));
    ok(l.run(['progress', 'M3.1', '10']));
    const log = JSON.parse(ok(l.run(['log', 'M1', '--json'])).stdout) as { item: string; action: string }[];
    expect(log.map((h) => h.item)).toContain('M1.2');
    expect(log.map((h) => h.item)).not.toContain('M3.1');
    expect(log.every((h) => h.item.startsWith('M1.'))).toBe(true);
  });
});

describe('status: recent changes', () => {
  it('are ordered by the instant they were made, whatever the offset they were written with', () => {
    const t = tempDir();
    cleanups.push(t.cleanup);
    const at = (now: string, tz: string) => ({ NODE_OPTIONS: PRELOAD, RECTIFY_TEST_NOW: now, TZ: tz, RECTIFY_TODAY: '2024-05-10' });
    ok(rectify(['init', SEED], { cwd: t.dir, env: at('2024-05-01T09:00:00+08:00', 'Asia/Shanghai') }));
    // A China-time laptop at 10:30, then a UTC server at 11:00 China time (03:00 UTC).
    ok(rectify(['progress', 'M1.1', '10', '--by', 'laptop'], { cwd: t.dir, env: at('2024-05-10T10:30:00+08:00', 'Asia/Shanghai') }));
    ok(rectify(['progress', 'M1.2', '20', '--by', 'server'], { cwd: t.dir, env: at('2024-05-10T11:00:00+08:00', 'UTC') }));
    const out = ok(rectify(['status'], { cwd: t.dir, env: { RECTIFY_TODAY: '2024-05-10' } })).stdout;
    const recent = out.slice(out.indexOf('Changes in the last 7 days'));
    expect(recent.indexOf('server')).toBeGreaterThan(0);
    expect(recent.indexOf('server')).toBeLessThan(recent.indexOf('laptop'));
  });

  it('leave out a change that was undone, and the undo', () => {
    const l = ledger();
    const today = { env: { RECTIFY_TODAY: undefined } };
    ok(l.run(['done', 'M1.2'], today));
    ok(l.run(['verify', 'M1.2', '-m', '同意销号'], today));
    ok(l.run(['undo'], today));
    const out = ok(l.run(['status'], today)).stdout;
    const recent = out.slice(out.indexOf('Changes in the last'));
    expect(recent).toMatch(/marked done/);
    expect(recent).not.toMatch(/signed off|undone|同意销号/);
    expect(JSON.parse(ok(l.run(['log', '--json'], today)).stdout)[0].action).toBe('undo');
  });
});

describe('the report', () => {
  it('reads --days 0 as due today and --days 1 as one day, in both languages', () => {
    const l = ledger();
    const zh0 = ok(l.run(['report', '--days', '0', '--lang', 'zh'])).stdout;
    expect(zh0).toMatch(/今日到期事项（\d+项）/);
    expect(zh0).not.toMatch(/0日内/);
    const en0 = ok(l.run(['report', '--days', '0'])).stdout;
    expect(en0).toMatch(/Due today \(\d+\)/);
    expect(en0).not.toMatch(/within 0 days/);
    const en1 = ok(l.run(['report', '--days', '1'])).stdout;
    expect(en1).toMatch(/within 1 day\b/);
    expect(en1).not.toMatch(/within 1 days/);
  });

  it('gives extensions their own section, read as granted', () => {
    const l = ledger();
    const today = { env: { RECTIFY_TODAY: undefined } };
    ok(l.run(['assign', 'M1.2', '--due', '2026-12-31', '-m', '会议同意延期'], today));
    const zh = ok(l.run(['report', '--since', '2024-01-01', '--lang', 'zh'], today)).stdout;
    // Lines joined again: the wrapping is the report's, the words are what is checked.
    const joined = zh.replace(/\n +/g, '');
    expect(joined).toMatch(/延期事项（1项）1\. \[M1\.2\] 开展专题研讨.*整改时限由2024年6月30日延至2026年12月31日（已延期）：会议同意延期/);
    expect(zh).not.toMatch(/申请/);
    const json = JSON.parse(ok(l.run(['report', '--since', '2024-01-01', '--format', 'json'], today)).stdout);
    expect(json.changes.extended).toMatchObject([{ id: 'M1.2', from: '2024-06-30', to: '2026-12-31' }]);
    expect(json.changes.notes).toEqual([]);
  });
});

describe('owners and departments', () => {
  it('match a part of the name in --owner and --department', () => {
    const l = ledger();
    const ids = (args: string[]) => (JSON.parse(ok(l.run(['list', '--json', ...args])).stdout) as { id: string }[]).map((i) => i.id);
    expect(ids(['--owner', '张'])).toEqual(ids(['--owner', '张三']));
    expect(ids(['--owner', '张']).length).toBeGreaterThan(0);
    expect(ids(['--department', '组织'])).toEqual(ids(['--department', '组织部']));
    expect(ids(['--owner', '赵'])).toEqual([]);
  });

  it('sort by pinyin with --sort owner (李 before 王 before 张), nobody last', () => {
    const l = ledger();
    const owners = (JSON.parse(ok(l.run(['list', '--json', '--all', '--sort', 'owner'])).stdout) as { owner: string | null }[]).map((i) => i.owner);
    const named = owners.filter((o) => o !== null);
    expect([...new Set(named)]).toEqual(['李四', '王五', '张三']);
    expect(owners.indexOf(null) === -1 || owners.slice(owners.indexOf(null)).every((o) => o === null)).toBe(true);
  });
});
