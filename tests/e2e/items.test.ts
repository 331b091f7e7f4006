// The item commands end to end: list, show, add, assign, progress, done, verify, reopen,
// log and undo, run through the built binary in temporary folders.
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { FIXTURES, rectify, rectifyAsync, tempDir, withLedger, type RunOptions, type RunResult } from '../helpers/cli.js';
import { legacyText } from './items-legacy.js';

const SEED = join(FIXTURES, 'items', 'filters.yaml');
const TODAY = '2024-05-01';
type Ledger = ReturnType<typeof withLedger>;

let cleanups: (() => void)[] = [];
afterEach(() => {
  cleanups.forEach((c) => c());
  cleanups = [];
});

/** A fresh ledger from the filter seed; `run` has today fixed at 2024-05-01. */
function ledger(): Ledger & { run: (args: string[], opts?: RunOptions) => RunResult } {
  const l = withLedger(SEED);
  cleanups.push(l.cleanup);
  return { ...l, run: (args, opts = {}) => l.run(args, { ...opts, env: { RECTIFY_TODAY: TODAY, ...opts.env } }) };
}
const ok = (r: RunResult): RunResult => {
  expect(r.stderr, r.stderr).toBe('');
  expect(r.code).toBe(0);
  return r;
};
const ids = (r: RunResult): string[] => (JSON.parse(r.stdout) as { id: string }[]).map((i) => i.id);
/** The ledger's whole state, to compare before and after a refused command. */
const state = (l: Ledger): string => ok(l.run(['export', '--format', 'json'])).stdout;
const item = (l: Ledger, id: string) => JSON.parse(ok(l.run(['show', id, '--json'])).stdout);
/** One line on stderr, `rectify: ...`, maybe a hint, never a stack. */
function refused(r: RunResult, code: number, message: RegExp): void {
  expect(r.code).toBe(code);
  expect(r.stdout).toBe('');
  expect(r.stderr).toMatch(/^rectify: .+\n(hint: .+\n)?$/);
  expect(r.stderr.split('\n')[0]).toMatch(message);
}
/** Runs cmd, expects it refused with code, and the ledger unchanged. */
function refusedUnchanged(l: Ledger, args: string[], code: number, message: RegExp): void {
  const before = state(l);
  refused(l.run(args), code, message);
  expect(state(l)).toBe(before);
}
/** The statuses of the fixture's story: see tests/fixtures/items/filters.yaml. */
function setStage(l: Ledger): void {
  ok(l.run(['progress', 'M1.1', '50']));
  ok(l.run(['done', 'M1.10']));
  ok(l.run(['progress', 'M2.1', '20']));
  ok(l.run(['done', 'M2.2']));
  ok(l.run(['verify', 'M2.2']));
}

describe('rectify list', () => {
  let l: Ledger;
  let cleanup: () => void;
  beforeAll(() => {
    const w = withLedger(SEED);
    cleanup = w.cleanup;
    l = { ...w, run: (args, opts = {}) => w.run(args, { ...opts, env: { RECTIFY_TODAY: TODAY, ...opts.env } }) };
    setStage(l);
  });
  afterAll(() => cleanup());
  const list = (...args: string[]) => ids(ok(l.run(['list', '--json', ...args])));

  it('lists items in measure order, then by item number, verified hidden, under one header line', () => {
    const r = ok(l.run(['list']));
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(7);
    expect(lines[0]).toMatch(/^ID\s+Status\s+Progress\s+Owner\s+Due\s+Title$/);
    expect(lines.slice(1).map((s) => s.split(/\s+/)[0])).toEqual(['M1.1', 'M1.2', 'M1.10', 'M3.1', 'M3.2', 'M2.1']);
    expect(r.stdout).not.toMatch(/\x1b/);
  });

  it('prints exactly one line per item plus the header when piped, so wc -l counts them', () => {
    expect(ok(l.run(['list'])).stdout.split('\n').filter(Boolean)).toHaveLength(6 + 1);
    expect(ok(l.run(['ls', '--all'])).stdout.split('\n').filter(Boolean)).toHaveLength(7 + 1);
  });

  it('aligns columns by display width and marks overdue due dates with !', () => {
    const lines = ok(l.run(['list'])).stdout.trimEnd().split('\n');
    const m11 = lines.find((s) => s.startsWith('M1.1 '))!;
    const m12 = lines.find((s) => s.startsWith('M1.2 '))!;
    expect(m11).toMatch(/in progress\s+50%\s+张三\s+2024-03-31 !\s+制定年度学习计划$/);
    expect(m12).toMatch(/open\s+0%\s+李四\s+2024-06-30\s+开展专题研讨$/);
    // The title column starts at the same display column on every line.
    const titleCol = (s: string, title: string) => [...s.slice(0, s.indexOf(title))].reduce((w, c) => w + (/[\u4e00-\u9fff]/.test(c) ? 2 : 1), 0);
    expect(titleCol(m11, '制定')).toBe(titleCol(m12, '开展'));
  });

  it('colours overdue dates only when asked for colour, keeping the marker', () => {
    const r = ok(l.run(['list', '--overdue'], { env: { FORCE_COLOR: '1' } }));
    expect(r.stdout).toMatch(/\x1b\[31m\x1b\[1m2024-03-31 !/);
    expect(ok(l.run(['list', '--overdue', '--no-color'], { env: { FORCE_COLOR: '1' } })).stdout).not.toMatch(/\x1b/);
  });

  it('shows everything with --all, and verified items with --status verified', () => {
    expect(list('--all')).toEqual(['M1.1', 'M1.2', 'M1.10', 'M3.1', 'M3.2', 'M2.1', 'M2.2']);
    expect(list('--status', 'verified')).toEqual(['M2.2']);
  });

  it.each([
    [['--status', 'open'], ['M1.2', 'M3.1', 'M3.2']],
    [['--status', '推进中,done'], ['M1.1', 'M1.10', 'M2.1']],
    [['--status', 'in-progress，已销号'], ['M1.1', 'M2.1', 'M2.2']],
    [['--measure', 'm1'], ['M1.1', 'M1.2', 'M1.10']],
    [['--area', 'A2'], ['M1.10', 'M3.2', 'M2.1']],
    [['--problem', 'p2.1'], ['M1.10', 'M3.2', 'M2.1']],
    [['--owner', '张三'], ['M1.1', 'M1.10']],
    [['--owner', '张三', '--all'], ['M1.1', 'M1.10', 'M2.2']],
    [['--department', '组织部'], ['M1.2', 'M2.1']],
    [['--term', 'immediate'], ['M1.10', 'M2.1']],
    [['--term', '长期坚持'], ['M1.2']],
    [['--overdue'], ['M1.1', 'M3.2']],
    [['--due-before', '2024-05-01'], ['M1.1', 'M3.2']],
    [['--due-before', '2024-05-16'], ['M1.1', 'M1.10', 'M3.2']],
    [['--owner', '张三', '--overdue'], ['M1.1']],
    [['--status', 'open', '--department', '组织部'], ['M1.2']],
    [['--area', 'A1', '--term', 'deadline'], ['M1.1']],
    [['--sort', 'id'], ['M1.1', 'M1.2', 'M1.10', 'M2.1', 'M3.1', 'M3.2']],
    [['--sort', 'due'], ['M1.1', 'M3.2', 'M1.10', 'M1.2', 'M2.1', 'M3.1']],
  ])('filters %j to the known answer', (args, want) => {
    expect(list(...args)).toEqual(want);
  });

  it('judges overdue by RECTIFY_TODAY', () => {
    expect(ids(ok(l.run(['list', '--json', '--overdue'], { env: { RECTIFY_TODAY: '2024-07-01' } })))).toEqual(['M1.1', 'M1.2', 'M3.2']);
  });

  it('prints the contract item shape with --json and nothing else', () => {
    const [m11] = JSON.parse(ok(l.run(['list', '--json', '--measure', 'M1'])).stdout);
    expect(Object.keys(m11).sort()).toEqual(
      ['addresses', 'createdAt', 'department', 'detail', 'due', 'id', 'light', 'measure', 'owner', 'progress', 'status', 'term', 'title', 'updatedAt'],
    );
    expect(m11).toMatchObject({ id: 'M1.1', measure: 'M1', addresses: ['P1.1'], owner: '张三', due: '2024-03-31', term: 'deadline', status: 'in_progress', progress: 50 });
    expect(m11.createdAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?[+-]\d\d:\d\d$/);
  });

  it('says so on stderr when nothing matches, with nothing on stdout and exit 0', () => {
    const r = l.run(['list', '--owner', 'nobody']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe('No items match.\n');
    expect(ok(l.run(['list', '--owner', 'nobody', '--json'])).stdout.trim()).toBe('[]');
  });

  it('speaks Chinese with --lang zh', () => {
    const r = ok(l.run(['list', '--lang', 'zh', '--measure', 'M1']));
    expect(r.stdout.split('\n')[0]).toMatch(/^编号\s+状态\s+进度\s+责任人\s+整改时限\s+事项$/);
    expect(r.stdout).toContain('推进中');
    expect(l.run(['list', '--lang', 'zh', '--owner', 'x']).stderr).toBe('没有符合条件的事项。\n');
  });

  it.each([
    [['--status', 'closed'], 2, /unknown status "closed"/],
    [['--term', 'soon'], 2, /unknown term "soon"/],
    [['--sort', 'title'], 2, /unknown sort "title"/],
    [['--due-before', '2024-02-30'], 2, /--due-before is "2024-02-30", not a real date/],
    [['--measure', 'M9'], 3, /unknown measure id: M9/],
    [['--problem', 'P9.9'], 3, /unknown problem id: P9\.9/],
    [['--measure', 'P1.1'], 2, /P1\.1 is a problem, not a measure/],
    [['--bogus'], 2, /unknown option '--bogus'/],
  ])('refuses %j with exit %i', (args, code, message) => {
    refused(l.run(['list', ...args]), code, message);
  });
});

describe('rectify show', () => {
  it('shows an item with its full text, measure, problems, fields and a dated history with actors', () => {
    const l = ledger();
    ok(l.run(['progress', 'M1.1', '40', '-m', '完成初稿', '--by', '王局长']));
    ok(l.run(['done', 'M1.1', '--evidence', '学习计划.pdf']));
    const out = ok(l.run(['show', 'm1.1'])).stdout;
    expect(out).toMatch(/^M1\.1  制定年度学习计划\n/);
    expect(out).toContain('形成学习记录和研讨成果。');
    expect(out).toMatch(/Measure +M1  加强理论学习/);
    expect(out).toMatch(/Addresses +P1\.1  学习不够系统/);
    expect(out).toMatch(/Owner +张三/);
    expect(out).toMatch(/Department +办公室/);
    expect(out).toMatch(/Due +2024-03-31\n/);
    expect(out).toMatch(/Status +done/);
    expect(out).toMatch(/Progress +100%/);
    expect(out).toMatch(/Evidence +学习计划\.pdf/);
    const history = out.slice(out.indexOf('History')).split('\n').slice(1).filter(Boolean);
    expect(history).toHaveLength(3);
    expect(history[0]).toMatch(/^  \d{4}-\d\d-\d\d \d\d:\d\d  tester +created$/);
    expect(history[1]).toMatch(/王局长 +progress +status open→in progress, progress 0→40 +"完成初稿"$/);
    expect(history[2]).toMatch(/tester +done +status in progress→done, progress 40→100$/);
  });

  it('wraps the full text by display width, never past 80 columns when piped', () => {
    const l = ledger();
    const out = ok(l.run(['show', 'M1.1'])).stdout;
    const cols = (s: string) => [...s].reduce((w, c) => w + (/[\u3000-\u9fff\uff00-\uffef]/.test(c) ? 2 : 1), 0);
    const body = out.slice(0, out.indexOf('History')).split('\n');
    for (const line of body) expect(cols(line), line).toBeLessThanOrEqual(80);
    expect(body.filter((s) => s.startsWith('  ') && /[\u4e00-\u9fff]/.test(s)).length).toBeGreaterThan(1);
  });

  it('prints the contract shape with --json: the item, problems, evidence and history oldest first', () => {
    const l = ledger();
    ok(l.run(['progress', 'M1.1', '30', '-m', 'n']));
    const j = item(l, 'M1.1');
    expect(j).toMatchObject({ id: 'M1.1', problems: [{ id: 'P1.1', title: '学习不够系统' }], evidence: [], status: 'in_progress', progress: 30 });
    expect(j.history.map((h: { action: string }) => h.action)).toEqual(['create', 'progress']);
    expect(Object.keys(j.history[1])).toEqual(expect.arrayContaining(['at', 'by', 'action', 'status', 'progress', 'note']));
    expect(j.history[1]).toMatchObject({ by: 'tester', status: 'in_progress', progress: 30, note: 'n' });
  });

  it('shows a problem with its full text and every item addressing it, with status', () => {
    const l = ledger();
    ok(l.run(['done', 'M3.2']));
    const out = ok(l.run(['show', 'P2.1'])).stdout;
    expect(out).toMatch(/^P2\.1  调研不够深入\n/);
    expect(out).toContain('了解基层情况过于依赖听取汇报');
    expect(out).toMatch(/Area +A2  工作作风/);
    expect(out).toMatch(/M1\.10 +open +0% +张三 +建立学习档案/);
    expect(out).toMatch(/M3\.2 +done +100% +- +定期到基层开展调研/);
    expect(out).toMatch(/M2\.1 +open/);
    const j = JSON.parse(ok(l.run(['show', 'P2.1', '--json'])).stdout);
    expect(j.items.map((i: { id: string }) => i.id)).toEqual(['M1.10', 'M3.2', 'M2.1']);
  });

  it('refuses an unknown id with exit 3, naming it', () => {
    const l = ledger();
    refused(l.run(['show', 'M9.9']), 3, /unknown id: M9\.9/);
  });
});

describe('changing items', () => {
  it('records progress in any of 50, 50% and ５０％, moving the item to in progress', () => {
    const l = ledger();
    expect(ok(l.run(['progress', 'M1.1', '５０％'])).stdout).toBe('M1.1: status open→in progress, progress 0→50\n');
    expect(ok(l.run(['progress', 'M1.1', '60%'])).stdout).toBe('M1.1: progress 50→60\n');
    expect(item(l, 'M1.1')).toMatchObject({ status: 'in_progress', progress: 60 });
  });

  it('makes an item done at 100, and takes a note alone', () => {
    const l = ledger();
    ok(l.run(['progress', 'M1.2', '100']));
    expect(item(l, 'M1.2')).toMatchObject({ status: 'done', progress: 100 });
    expect(ok(l.run(['progress', 'M3.1', '-m', '已召开部署会'])).stdout).toBe('M3.1: status open→in progress\n');
    expect(item(l, 'M3.1').history[1]).toMatchObject({ action: 'progress', note: '已召开部署会', progress: 0 });
  });

  it('changes several ids at once: commas, full-width commas, spaces, any case, repeats once', () => {
    const l = ledger();
    const r = ok(l.run(['progress', 'm1.1 ， M1.2,m1.1, M3.1', '30']));
    expect(r.stdout.trimEnd().split('\n')).toHaveLength(3);
    expect(ids(ok(l.run(['list', '--json', '--status', 'in_progress'])))).toEqual(['M1.1', 'M1.2', 'M3.1']);
    expect(JSON.parse(ok(l.run(['log', 'M1.1', '--json'])).stdout)).toHaveLength(2);
  });

  it.each([
    [['progress', 'M1.1', '101'], 2, /progress "101" is not a whole number from 0 to 100/],
    [['progress', 'M1.1', '50.5'], 2, /not a whole number/],
    [['progress', 'M1.1', '-5'], 2, /unknown option '-5'|not a whole number/],
    [['progress', 'M1.1'], 2, /give a percent, a note/],
    [['progress', 'M1.1', '-m', '  '], 2, /the note is empty/],
    [['progress', 'M9.9', '50'], 3, /unknown item id: M9\.9/],
    [['progress', 'M1.1,M9.9', '50'], 3, /unknown item id: M9\.9/],
    [['progress', 'P1.1', '50'], 3, /unknown item id: P1\.1/],
    [['progress', ',', '50'], 2, /no item id given/],
    [['done', 'M1.1', '--evidence', ''], 2, /--evidence text is empty/],
    // A file records what a shared ledger does: at most 100 evidence texts with one done.
    [['done', 'M1.1', ...Array.from({ length: 101 }, (_, i) => ['--evidence', `材料${i}`]).flat()], 2, /101 --evidence texts at once; one done records at most 100/],
    [['verify', 'M1.1'], 4, /only done items can be signed off: M1\.1 \(open\)/],
    [['reopen', 'M1.1', '-m', 'why'], 4, /only done or verified items can be reopened: M1\.1 \(open\)/],
    [['reopen', 'M1.1'], 2, /a reason is required/],
    [['assign', 'M1.1', ' '], 2, /the owner is empty/],
    [['assign', 'M1.1', '赵六', '--due', '2024-02-30'], 2, /--due is "2024-02-30", not a real date/],
    [['assign', 'M1.1'], 2, /nothing to assign/],
    [['done', 'M1.1', '--bogus'], 2, /unknown option '--bogus'/],
  ])('refuses %j with exit %i and changes nothing', (args, code, message) => {
    refusedUnchanged(ledger(), args, code, message);
  });

  it('refuses a whole list when one item may not change (exit 4), changing none of them', () => {
    const l = ledger();
    ok(l.run(['done', 'M1.1,M1.2']));
    ok(l.run(['verify', 'M1.2']));
    refusedUnchanged(l, ['progress', 'M1.1,M1.2,M3.1', '50'], 4, /cannot record progress on verified items: M1\.2 \(verified\)/);
    refusedUnchanged(l, ['done', 'M3.1,M1.2'], 4, /cannot mark verified items done: M1\.2/);
    refusedUnchanged(l, ['verify', 'M1.1,M3.1,M3.2'], 4, /only done items can be signed off: M3\.1 \(open\), M3\.2 \(open\)/);
  });

  it('marks items done with evidence, signs them off with the signer recorded, and reopens them keeping progress', () => {
    const l = ledger();
    ok(l.run(['progress', 'M1.1', '80']));
    expect(ok(l.run(['done', 'M1.1', '-m', '已完成', '--evidence', '计划.pdf', '--evidence', '纪要.docx'])).stdout)
      .toBe('M1.1: status in progress→done, progress 80→100, evidence +计划.pdf, evidence +纪要.docx\n');
    expect(item(l, 'M1.1').evidence).toEqual(['计划.pdf', '纪要.docx']);
    expect(ok(l.run(['verify', 'M1.1', '--by', '纪委书记', '-m', '同意销号'])).stdout).toBe('M1.1: status done→verified\n');
    const signed = item(l, 'M1.1').history.at(-1);
    expect(signed).toMatchObject({ action: 'verify', by: '纪委书记', status: 'verified', note: '同意销号' });
    expect(ok(l.run(['reopen', 'M1.1', '-m', '佐证材料不全'])).stdout).toBe('M1.1: status verified→in progress\n');
    expect(item(l, 'M1.1')).toMatchObject({ status: 'in_progress', progress: 100 });
    expect(item(l, 'M1.1').history.at(-1)).toMatchObject({ action: 'reopen', note: '佐证材料不全' });
  });

  it('assigns an owner, department and first due date, and records moving the due date as an extension', () => {
    const l = ledger();
    expect(ok(l.run(['assign', 'M3.2', '赵六', '--department', '纪检组', '--due', '2024-06-30'])).stdout)
      .toBe('M3.2: owner -→赵六, department -→纪检组, due 2024-04-30→2024-06-30\n');
    expect(item(l, 'M3.2')).toMatchObject({ owner: '赵六', department: '纪检组', due: '2024-06-30' });
    expect(item(l, 'M3.2').history.at(-1).action).toBe('extend');
    ok(l.run(['assign', 'M3.1', '王五', '--due', '2024-08-31']));
    expect(item(l, 'M3.1').history.at(-1).action).toBe('assign');
    ok(l.run(['assign', 'M3.1', '王五', '--due', '2024-09-30', '-m', '申请延期一个月']));
    const log = ok(l.run(['log', 'M3.1'])).stdout.split('\n')[0]!;
    expect(log).toMatch(/tester +M3\.1 +extended +due 2024-08-31→2024-09-30 +"申请延期一个月"$/);
  });

  it('keeps an assignment made on the command line when the seed is imported again', () => {
    const l = ledger();
    ok(l.run(['assign', 'M1.1', '赵六']));
    const r = ok(l.run(['import', SEED]));
    expect(r.stdout).toMatch(/owner kept as "赵六"/);
    expect(item(l, 'M1.1').owner).toBe('赵六');
  });
});

describe('rectify add', () => {
  it('adds an item with the next number of its measure and prints its id', () => {
    const l = ledger();
    const r = ok(l.run(['add', '建立联系点制度', '--measure', 'm1', '--addresses', 'p1.1，P2.1', '--owner', '赵六',
      '--department', '办公室', '--due', '2024-09-30', '--term', '立行立改', '--detail', '每位班子成员联系一个基层支部。']));
    expect(r.stdout).toBe('M1.11\n');
    expect(item(l, 'M1.11')).toMatchObject({
      title: '建立联系点制度', measure: 'M1', addresses: ['P1.1', 'P2.1'], owner: '赵六', department: '办公室',
      due: '2024-09-30', term: 'immediate', status: 'open', progress: 0, detail: '每位班子成员联系一个基层支部。',
    });
    expect(ok(l.run(['add', 'x', '--measure', 'M3'])).stdout).toBe('M3.3\n');
    expect(item(l, 'M3.3')).toMatchObject({ term: 'deadline', addresses: [], owner: null, due: null });
  });

  it('without a terminal never prompts: exit 2 naming each missing field', () => {
    const l = ledger();
    const before = state(l);
    refused(l.run(['add']), 2, /missing the title, the measure \(--measure ID\)/);
    refused(l.run(['add', 'x']), 2, /missing the measure \(--measure ID\)$/);
    refused(l.run(['add', '--measure', 'M1']), 2, /missing the title$/);
    expect(state(l)).toBe(before);
  });

  it.each([
    [['add', 'x', '--measure', 'M9'], 3, /unknown measure id: M9/],
    [['add', 'x', '--measure', 'P1.1'], 2, /P1\.1 is a problem, not a measure/],
    [['add', 'x', '--measure', 'M1', '--addresses', 'P1.1,P9'], 3, /unknown problem id: P9/],
    [['add', 'x', '--measure', 'M1', '--addresses', 'M1.1'], 2, /M1\.1 is an item, not a problem/],
    [['add', 'x', '--measure', 'M1', '--due', '2024-13-01'], 2, /--due is "2024-13-01", not a real date/],
    [['add', 'x', '--measure', 'M1', '--term', 'later'], 2, /unknown term "later"/],
    [['add', '  ', '--measure', 'M1'], 2, /the title is empty/],
  ])('refuses %j with exit %i and writes nothing', (args, code, message) => {
    refusedUnchanged(ledger(), args, code, message);
  });
});

describe('rectify log', () => {
  const localToday = () => new Intl.DateTimeFormat('sv-SE', { timeZone: 'Asia/Shanghai' }).format(new Date());

  it('lists changes newest first, one line each: when, who, item, what changed, note', () => {
    const l = ledger();
    ok(l.run(['progress', 'M1.1', '40', '--by', '张三']));
    ok(l.run(['progress', 'M1.1', '60', '-m', '完成初稿', '--by', '张三']));
    ok(l.run(['assign', 'M1.2', '王五']));
    const lines = ok(l.run(['log'])).stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(7 + 3);
    expect(lines[0]).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d  tester +M1\.2 +assigned +owner 李四→王五$/);
    expect(lines[1]).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d  张三 +M1\.1 +progress +progress 40→60 +"完成初稿"$/);
    expect(lines[2]).toMatch(/张三 +M1\.1 +progress +status open→in progress, progress 0→40$/);
    expect(lines[3]).toMatch(/tester +M2\.2 +created$/);
  });

  it('shows one item with an id, and the contract shape with --json', () => {
    const l = ledger();
    ok(l.run(['progress', 'M1.1', '40']));
    ok(l.run(['progress', 'M1.2', '40']));
    const j = JSON.parse(ok(l.run(['log', 'm1.1', '--json'])).stdout);
    expect(j.map((h: { action: string }) => h.action)).toEqual(['progress', 'create']);
    expect(Object.keys(j[0])).toEqual(expect.arrayContaining(['at', 'by', 'item', 'action', 'status', 'progress', 'note']));
    expect(j[0]).toMatchObject({ item: 'M1.1', by: 'tester', status: 'in_progress', progress: 40, note: null });
  });

  it('includes the day given to --since, and says so when nothing is that recent', () => {
    const l = ledger();
    ok(l.run(['progress', 'M1.1', '40']));
    expect(JSON.parse(ok(l.run(['log', '--since', localToday(), '--json'])).stdout)).toHaveLength(8);
    const r = l.run(['log', '--since', '2999-01-01']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe('No changes since 2999-01-01.\n');
  });

  it.each([
    [['log', 'M9.9'], 3, /unknown item id: M9\.9/],
    // A measure is taken (its items' history, issue 13); an area is not.
    [['log', 'A1'], 2, /A1 is an area; log takes an item or a measure id/],
    [['log', '--since', '2024-02-30'], 2, /--since is "2024-02-30", not a real date/],
  ])('refuses %j with exit %i', (args, code, message) => {
    refused(ledger().run(args), code, message);
  });
});

describe('rectify undo', () => {
  it("reverts the actor's most recent change, as a change of its own", () => {
    const l = ledger();
    ok(l.run(['progress', 'M1.1,M1.2', '40', '--by', '张三']));
    ok(l.run(['progress', 'M1.1', '60', '--by', '张三']));
    const r = ok(l.run(['undo', '--by', '张三']));
    expect(r.stdout).toMatch(/^Reverted M1\.1: progress by 张三 at \d{4}-\d\d-\d\d \d\d:\d\d  \(progress 40→60\)\n$/);
    expect(item(l, 'M1.1')).toMatchObject({ progress: 40 });
    expect(item(l, 'M1.1').history.at(-1)).toMatchObject({ action: 'undo', by: '张三' });
    const both = ok(l.run(['undo', '--by', '张三'])).stdout.trimEnd().split('\n');
    expect(both).toHaveLength(2);
    expect(ids(ok(l.run(['list', '--json', '--status', 'open'])))).toContain('M1.2');
  });

  it('refuses with exit 4 when someone else changed the item since, changing nothing', () => {
    const l = ledger();
    ok(l.run(['progress', 'M1.1', '40', '--by', '张三']));
    ok(l.run(['progress', 'M1.1', '50', '--by', '李四']));
    refusedUnchanged(l, ['undo', '--by', '张三'], 4, /cannot undo: 李四 changed M1\.1 since/);
    expect(ok(l.run(['undo', '--by', '李四'])).stdout).toMatch(/^Reverted M1\.1/);
  });

  it('refuses with exit 4 when the actor has nothing to undo', () => {
    refusedUnchanged(ledger(), ['undo', '--by', 'nobody'], 4, /nobody has no change to undo/);
  });
});

describe('text from data', () => {
  const evil = 'evil\x1b]0;pwned\x07\x1b[2J';

  it('never reaches the terminal with control characters, in list, show and log', () => {
    const l = ledger();
    // The command line refuses such text now; a ledger from elsewhere may still hold it.
    expect(ok(l.run(['add', 'plain', '--measure', 'M1'])).stdout).toBe('M1.11\n');
    legacyText(l.dir, 'M1.11', { title: evil, owner: 'o\x1b[31m', note: 'note\x1b[2Jx\x9b1m' });
    for (const args of [['list'], ['show', 'M1.11'], ['log'], ['list', '--lang', 'zh']]) {
      const r = ok(l.run(args, { env: { FORCE_COLOR: '1' } }));
      // Only colour codes (SGR) may remain, and no bell or C1 controls.
      expect(r.stdout.replace(/\x1b\[[0-9;]*m/g, ''), args.join(' ')).not.toMatch(/[\x00-\x08\x0b-\x1f\x7f-\x9f]/);
    }
    expect(ok(l.run(['list'])).stdout).toContain('evil\\x1b]0;pwned\\x07\\x1b[2J');
    expect(ok(l.run(['show', 'M1.11'])).stdout).toContain('"note\\x1b[2Jx\\x9b1m"');
    expect(item(l, 'M1.11').title).toBe(evil);
  });

  it('is escaped in error messages too', () => {
    const r = ledger().run(['show', 'x\x1b[2J']);
    expect(r.code).toBe(3);
    expect(r.stderr).not.toMatch(/\x1b/);
  });
});

describe('two writers at once', () => {
  it('records every change of both, none lost', { timeout: 240_000 }, async () => {
    const l = ledger();
    // Each change a process of its own, two at a time: how people meet on one ledger. Eight
    // each are enough for the two to meet at the lock; many more changes at once, from four
    // processes, are in faults.test.ts.
    const N = 8;
    const writer = async (by: string, id: string) => {
      const failures: string[] = [];
      for (let n = 1; n <= N; n++) {
        // A note each time: a change that changes nothing is (rightly) not recorded.
        const r = await rectifyAsync(['progress', n % 2 ? id : 'M2.1', String(n % 100), '-m', `${by}${n}`, '--by', by], { cwd: l.dir });
        if (r.code !== 0) failures.push(r.stderr);
      }
      return failures;
    };
    const [a, b] = await Promise.all([writer('甲', 'M1.1'), writer('乙', 'M1.2')]);
    expect(a).toEqual([]);
    expect(b).toEqual([]);
    const log = JSON.parse(ok(rectify(['log', '--json'], { cwd: l.dir })).stdout) as { by: string }[];
    expect(log.filter((h) => h.by === '甲')).toHaveLength(N);
    expect(log.filter((h) => h.by === '乙')).toHaveLength(N);
    expect(log).toHaveLength(7 + 2 * N);
  });
});

describe('without a ledger', () => {
  it('every item command fails with exit 3', () => {
    const t = tempDir();
    cleanups.push(t.cleanup);
    for (const args of [['list'], ['show', 'M1.1'], ['progress', 'M1.1', '5'], ['log'], ['undo'], ['add', 'x', '--measure', 'M1']]) {
      const r = rectify(args, { cwd: t.dir });
      expect(r.code, args.join(' ')).toBe(3);
    }
  });
});
