// Completion (issue 20): ids offered without regard to case, `verify` offered done items
// only, and in Chinese the values offered read as words. The ids through the CLI in this
// process; the scripts as text (tests/e2e/items-completion.test.ts runs bash on them).
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runInProcess } from '../helpers/inproc.js';
import { ledgerCopy } from '../helpers/ledger.js';

const TODAY = '2026-12-06';
let l: { dir: string; cleanup: () => void };
const run = (args: string[]) => runInProcess([...args, '--db', join(l.dir, 'rectify.db')], TODAY);

beforeAll(async () => {
  l = ledgerCopy();
  for (const args of [['done', 'M1.2'], ['done', 'M3.1'], ['verify', 'M3.1'], ['progress', 'M2.1', '50']]) expect((await run(args)).code).toBe(0);
});
afterAll(() => l.cleanup());

describe('completion ids', () => {
  it('matches what is typed without regard to case, in the ledger’s order', async () => {
    expect((await run(['completion', 'ids', 'item', 'm1.'])).stdout).toBe('M1.1\nM1.2\n');
    expect((await run(['completion', 'ids', 'item', 'M1.'])).stdout).toBe('M1.1\nM1.2\n');
    expect((await run(['completion', 'ids', 'any', 'p2'])).stdout).toBe('P2.1\nP2.2\n');
    expect((await run(['completion', 'ids', 'item', 'x'])).stdout).toBe('');
  });

  it('offers verify the items that are done, and no other', async () => {
    expect((await run(['completion', 'ids', 'done'])).stdout).toBe('M1.2\n');
    expect((await run(['completion', 'ids', 'done', 'm3'])).stdout).toBe('');
  });
});

describe('the scripts', () => {
  const script = async (shell: string, lang: string) => (await runInProcess(['completion', shell, '--lang', lang], TODAY)).stdout;

  it('bash asks the ledger with what is typed, and verify for done items', async () => {
    const s = await script('bash', 'zh');
    expect(s).toContain('completion ids "$1" "$word"');
    expect(s).toMatch(/verify[|)][^\n]*_rectify_ids done/);
    expect(s).toMatch(/progress[|)][^\n]*_rectify_ids item/);
  });

  it('offers the values each command takes: assign and contact clear other fields, report writes html, remind text or docx, lights', async () => {
    const s = await script('bash', 'en');
    expect(s).toContain("assign:--clear) words='owner department due' ;;");
    expect(s).toContain("contact:--clear) words='email webhook secret' ;;");
    expect(s).toContain("report:--format) words='text md csv json xlsx docx html' ;;");
    expect(s).toContain("remind:--format) words='docx text' ;;");
    expect(s).toContain("list:--light|ls:--light) words='red yellow green' ;;");
  });

  it('zsh matches ids in any case and shows each value with its meaning in Chinese', async () => {
    const s = await script('zsh', 'zh');
    expect(s).toContain("compadd -M 'm:{a-zA-Z}={A-Za-z}' -- $ids");
    expect(s).toContain("vals=('open:未开始' 'in_progress:推进中' 'done:已完成' 'verified:已销号'); _describe 'value' vals");
    expect(s).toContain("'immediate:立行立改'");
    expect(await script('zsh', 'en')).toContain("'in_progress:in progress'");
  });

  it('fish shows each value with its meaning in Chinese', async () => {
    const s = await script('fish', 'zh');
    expect(s).toMatch(/-l status -x -a '\(printf [^\n]*未开始[^\n]*已销号/);
    expect(s).toContain("__fish_seen_subcommand_from verify' -a '(__rectify_ids done)'");
  });
});
