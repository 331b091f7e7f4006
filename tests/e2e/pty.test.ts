// The prompts of `rectify add`, driven in a real pseudo-terminal by tests/helpers/ptydrive.py:
// a person typing answers, a bad date, Ctrl-C.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { BIN, FIXTURES, ROOT, baseEnv, withLedger } from '../helpers/cli.js';

const SEED = join(FIXTURES, 'items', 'filters.yaml');
const DRIVER = join(ROOT, 'tests', 'helpers', 'ptydrive.py');
const DOWN = '\x1b[B';
const ENTER = '\r';
const CTRL_C = '\x03';
const BACKSPACE = '\x7f';

type Step = { expect?: string; send?: string };
interface Session { code: number; transcript: string; raw: string; error: string | null }

/** Runs `rectify ARGS` on a terminal in cwd, going through the steps. */
function onTerminal(cwd: string, args: string[], steps: Step[]): Session {
  const r = spawnSync('python3', [DRIVER, JSON.stringify(steps), '--', process.execPath, BIN, ...args], {
    cwd, env: baseEnv({ TERM: 'xterm-256color' }), encoding: 'utf8', timeout: 60_000,
  });
  if (r.status !== 0) throw new Error(`the pty driver failed: ${r.stderr}`);
  return JSON.parse(r.stdout) as Session;
}

let cleanups: (() => void)[] = [];
afterEach(() => {
  cleanups.forEach((c) => c());
  cleanups = [];
});
function ledger() {
  const l = withLedger(SEED);
  cleanups.push(l.cleanup);
  return l;
}
const exported = (l: ReturnType<typeof ledger>) => l.run(['export', '--format', 'json']).stdout;

describe('rectify add on a terminal', () => {
  it('asks for every field, and answering all prompts creates the item', () => {
    const l = ledger();
    const s = onTerminal(l.dir, ['add'], [
      { expect: 'Title', send: '建立谈心谈话制度' + ENTER },
      { expect: 'M3  强化监督执纪', send: DOWN },
      { send: ENTER },
      { expect: 'Problems it addresses', send: ' ' },
      { send: DOWN },
      { send: DOWN },
      { send: ' ' },
      { send: ENTER },
      { expect: 'Owner', send: '赵六' + ENTER },
      { expect: 'Department', send: ENTER },
      { expect: 'Due date', send: '2024-06-30' + ENTER },
      { expect: 'Term', send: DOWN },
      { send: ENTER },
      { expect: 'M3.3' },
    ]);
    expect(s.error, s.transcript).toBeNull();
    expect(s.code, s.transcript).toBe(0);
    const item = JSON.parse(l.run(['show', 'M3.3', '--json']).stdout);
    expect(item).toMatchObject({
      title: '建立谈心谈话制度', measure: 'M3', addresses: ['P1.1', 'P2.1'], owner: '赵六',
      department: null, due: '2024-06-30', term: 'ongoing', status: 'open',
    });
  });

  it('shows the validation message for a bad date and does not accept it', () => {
    const l = ledger();
    const s = onTerminal(l.dir, ['add', '--measure', 'M1', '--addresses', 'P1.2', '--owner', '李四', '--department', '办公室'], [
      { expect: 'Title', send: '修订议事规则' + ENTER },
      { expect: 'Due date', send: '2024-02-30' + ENTER },
      { expect: 'Not a real date', send: BACKSPACE.repeat(10) + '2024-02-29' + ENTER },
      { expect: 'Term', send: ENTER },
      { expect: 'M1.11' },
    ]);
    expect(s.error, s.transcript).toBeNull();
    expect(s.code, s.transcript).toBe(0);
    expect(JSON.parse(l.run(['show', 'M1.11', '--json']).stdout)).toMatchObject({ due: '2024-02-29', term: 'deadline', owner: '李四' });
  });

  it('does not accept an empty title', () => {
    const l = ledger();
    const s = onTerminal(l.dir, ['add', '--measure', 'M1', '--addresses', '', '--owner', '', '--department', '', '--due', '', '--term', 'ongoing'], [
      { expect: 'Title', send: '   ' + ENTER },
      { expect: 'The title cannot be empty', send: 'x' + ENTER },
      { expect: 'M1.11' },
    ]);
    expect(s.error, s.transcript).toBeNull();
    expect(s.code).toBe(0);
  });

  it('exits 130 on Ctrl-C, writing nothing', () => {
    const l = ledger();
    const before = exported(l);
    const s = onTerminal(l.dir, ['add', '新事项'], [
      { expect: 'Measure', send: DOWN },
      { send: CTRL_C },
      { expect: 'cancelled; nothing was written' },
    ]);
    expect(s.error, s.transcript).toBeNull();
    expect(s.code, s.transcript).toBe(130);
    expect(s.transcript).not.toMatch(/\n\s+at /);
    expect(exported(l)).toBe(before);
  });

  it('asks nothing when the title and measure are given', () => {
    const l = ledger();
    const s = onTerminal(l.dir, ['add', '新事项', '--measure', 'M2'], [{ expect: 'M2.3' }]);
    expect(s.code, s.transcript).toBe(0);
    expect(s.transcript.trim()).toBe('M2.3');
  });

  it('asks in Chinese with --lang zh', () => {
    const l = ledger();
    const s = onTerminal(l.dir, ['add', '--lang', 'zh', '--measure', 'M1'], [
      { expect: '事项标题', send: CTRL_C },
      { expect: '已取消' },
    ]);
    expect(s.code, s.transcript).toBe(130);
  });
});

describe('rectify list on a terminal', () => {
  it('cuts titles to the terminal width without splitting a character, and colours overdue dates', () => {
    const l = ledger();
    const long = '构建“室务会统一领导、纪检组监督检查、各部门分工负责”的工作格局，完善全面从严治党主体责任清单和监督责任清单';
    expect(l.run(['add', long, '--measure', 'M1', '--due', '2024-01-31']).code).toBe(0);
    const s = onTerminal(l.dir, ['list'], [{ expect: 'M1.11' }]);
    expect(s.code, s.transcript).toBe(0);
    const lines = s.transcript.trimEnd().split('\n');
    const cols = (t: string) => [...t].reduce((w, c) => w + (/[\u3000-\u9fff\uff00-\uffef]/.test(c) ? 2 : 1), 0);
    for (const line of lines) expect(cols(line), line).toBeLessThanOrEqual(100);
    const m111 = lines.find((t) => t.startsWith('M1.11'))!;
    expect(m111).toMatch(/^M1\.11 .+2024-01-31 ! +构建“室务会统一领导.*…$/);
    expect(s.raw ?? '').toMatch(/\x1b\[31m\x1b\[1m2024-01-31 !/);
  });
});
