// Shell completion (issue 13): `rectify completion bash|zsh|fish` prints a script; the bash
// one is run here in a real bash, with `rectify` on the PATH, as Tab would run it.
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { BIN, FIXTURES, baseEnv, rectify, tempDir, withLedger } from '../helpers/cli.js';

const SEED = join(FIXTURES, 'items', 'filters.yaml');
let cleanups: (() => void)[] = [];
afterEach(() => {
  cleanups.forEach((c) => c());
  cleanups = [];
});

/** Runs the bash script's completion function for each command line, in one bash (each Tab
 *  runs the function afresh, as here); returns what it offers for each. */
function complete(dir: string, script: string, lines: string[][]): string[][] {
  const bin = join(dir, 'bin');
  mkdirSync(bin, { recursive: true });
  writeFileSync(join(bin, 'rectify'), `#!/bin/sh\nexec "${process.execPath}" "${BIN}" "$@"\n`);
  chmodSync(join(bin, 'rectify'), 0o755);
  writeFileSync(join(dir, 'completion.bash'), script);
  const calls = lines.map((words) => {
    const line = words.map((w) => `'${w}'`).join(' ');
    return `COMP_WORDS=(${line}); COMP_CWORD=$((\${#COMP_WORDS[@]}-1)); COMPREPLY=(); _rectify; printf '%s\\n' "\${COMPREPLY[@]}"; echo '--end--'`;
  });
  const r = spawnSync('bash', ['-c', `source completion.bash; ${calls.join('; ')}`], {
    cwd: dir, env: { ...baseEnv(), PATH: `${bin}:${process.env.PATH}` }, encoding: 'utf8',
  });
  expect(r.stderr).toBe('');
  const out = r.stdout.split('--end--\n');
  expect(out).toHaveLength(lines.length + 1);
  return out.slice(0, lines.length).map((o) => o.split('\n').filter(Boolean));
}

describe('rectify completion', () => {
  it('prints a bash script that completes commands, options, values and ids from the ledger', () => {
    const l = withLedger(SEED);
    cleanups.push(l.cleanup);
    const script = l.run(['completion', 'bash']);
    expect(script.code).toBe(0);
    expect(spawnSync('bash', ['-n'], { input: script.stdout }).status).toBe(0);
    const s = script.stdout;
    const cases: [string[], string[]][] = [
      [['rectify', 'st'], ['status']],
      [['rectify', 'show', 'M1.'], ['M1.1', 'M1.2', 'M1.10']],
      // Without regard to case, as the commands take ids (issue 20).
      [['rectify', 'show', 'm1.'], ['M1.1', 'M1.2', 'M1.10']],
      [['rectify', 'verify', ''], []],
      [['rectify', 'progress', 'M1.1,M3.'], ['M1.1,M3.1', 'M1.1,M3.2']],
      [['rectify', 'list', '--status', ''], ['open', 'in_progress', 'done', 'verified']],
      [['rectify', 'list', '--term', ''], ['immediate', 'deadline', 'ongoing']],
      [['rectify', 'list', '--measure', ''], ['M1', 'M3', 'M2']],
      [['rectify', 'add', 'x', '--addresses', 'P2'], ['P2.1']],
      [['rectify', 'list', '--st'], ['--status']],
      [['rectify', 'report', '--format', 'c'], ['csv']],
    ];
    expect(complete(l.dir, s, cases.map(([words]) => words))).toEqual(cases.map(([, offered]) => offered));
    // Without a ledger in reach there is simply nothing to offer.
    const empty = tempDir();
    cleanups.push(empty.cleanup);
    expect(complete(empty.dir, s, [['rectify', 'show', 'M']])).toEqual([[]]);
  }, 120_000);

  it('lists ids of a kind for the script, quietly when there is no ledger', () => {
    const l = withLedger(SEED);
    cleanups.push(l.cleanup);
    expect(l.run(['completion', 'ids', 'measure']).stdout).toBe('M1\nM3\nM2\n');
    expect(l.run(['completion', 'ids', 'area']).stdout).toBe('A1\nA2\nA3\n');
    const none = rectify(['completion', 'ids'], { cwd: '/' , env: { RECTIFY_DB: join(l.dir, 'nothing.db') } });
    expect(none).toEqual({ code: 0, stdout: '', stderr: '' });
  });

  it('prints zsh and fish scripts with descriptions in the user\'s language', () => {
    const zsh = rectify(['completion', 'zsh', '--lang', 'zh']);
    expect(zsh.code).toBe(0);
    expect(zsh.stdout).toMatch(/^#compdef rectify/);
    expect(zsh.stdout).toMatch(/'status:[^']*会前/);
    expect(zsh.stdout).toMatch(/compdef _rectify rectify/);
    const fish = rectify(['completion', 'fish']);
    expect(fish.stdout).toMatch(/complete -c rectify -n __fish_use_subcommand -a status -d '/);
    // Each value with what it means (issue 20): open\tnot started … as fish shows them.
    expect(fish.stdout).toMatch(/-l status -x -a '\(printf [^\n]*open[^\n]*in_progress[^\n]*done[^\n]*verified/);
    const bad = rectify(['completion', 'tcsh']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toBe('rectify: no completion for "tcsh"; use bash, zsh or fish\n');
  });
});

describe('completion scripts as the shell reads them', () => {
  it('carry none of the source code markers', () => {
    for (const shell of ['bash', 'zsh', 'fish']) {
      const r = rectify(['completion', shell]);
      expect(r.code).toBe(0);
      expect(r.stdout).not.toContain('i18n-ok');
    }
  });
});
