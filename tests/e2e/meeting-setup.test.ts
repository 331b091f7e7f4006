// The README's set-up leaves `rectify` callable from any folder, and every example it gives
// is written for that command: no `npx rectify` (which fetches another package from the
// registry outside the clone), and each `rectify COMMAND --option` names a command and
// options that exist.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, rectify, tempDirsPerTest } from '../helpers/cli.js';

const README = readFileSync(join(ROOT, 'README.md'), 'utf8');
const temp = tempDirsPerTest();

/** The commands of the README's first ```sh block under "## Set up". */
function setUpCommands(): string[] {
  const section = README.slice(README.indexOf('## Set up'));
  const block = /```sh\n([\s\S]*?)```/.exec(section)![1]!;
  return block.split('\n').map((l) => l.replace(/\s+#.*$/, '').trim()).filter(Boolean);
}

describe('getting rectify on the PATH', () => {
  it('the README\'s set-up commands, run as written, leave `rectify` callable from another folder', () => {
    const prefix = temp();
    const elsewhere = temp();
    const cmds = setUpCommands();
    expect(cmds[0]).toMatch(/^npm (install|ci)\b/);
    expect(cmds.some((c) => /^npm (link|install -g \.)/.test(c))).toBe(true);
    // The clone here is already installed and built (the suite runs on it): the install
    // line is the one not repeated. npm's global folder is a temporary one, its bin first on
    // PATH, as a user's own prefix (`npm config set prefix ~/.local`) would be. npm runs
    // no scripts here: `npm link` would run `prepare` again, which rebuilds dist/ under the
    // other test files that are running the binary at that moment (the build removes dist/
    // first: one of them writing its compile cache there failed the build with ENOTEMPTY);
    // the install line, not repeated, is what builds it, and it is built.
    const env = {
      ...process.env,
      npm_config_prefix: prefix,
      npm_config_ignore_scripts: 'true',
      PATH: `${join(prefix, 'bin')}:${dirname(process.execPath)}:${process.env.PATH}`,
      LANG: 'en_US.UTF-8',
      RECTIFY_USER: 'tester',
      RECTIFY_DB: undefined,
      NO_COLOR: '1',
    };
    for (const cmd of cmds.slice(1)) {
      const npm = cmd.startsWith('npm ');
      const r = spawnSync('bash', ['-c', cmd], { cwd: npm ? ROOT : elsewhere, env, encoding: 'utf8', timeout: 120_000 });
      expect(r.status, `${cmd}\n${r.stderr}`).toBe(0);
      if (!npm) expect(r.stdout).toMatch(/items/);
    }
    const which = spawnSync('bash', ['-c', 'command -v rectify'], { cwd: elsewhere, env, encoding: 'utf8' });
    expect(which.stdout.trim()).toBe(join(prefix, 'bin', 'rectify'));
  }, 120_000);

  it('no example in the README runs rectify through npx', () => {
    expect(README).not.toMatch(/npx\s+rectify/);
  });

  it('every `rectify COMMAND --option` in the README names a command and options that exist', () => {
    const commands = new Map<string, string>();
    const global = rectify(['--help']).stdout;
    const examples = new Set<string>();
    // Code blocks and code spans: the examples a reader copies.
    // A fence opens on a line of its own (maybe indented, maybe with a language) and closes on
    // the next bare one: a ```sql block must not turn its closing fence into an opening that
    // takes the prose up to the next block for code. Shell and unlabelled blocks only.
    const blocks = [...README.matchAll(/^[ \t]*```(\w*)[ \t]*\n([\s\S]*?)^[ \t]*```[ \t]*$/gm)]
      .filter((m) => m[1] === '' || m[1] === 'sh').map((m) => m[2]!);
    // A code span that quotes what rectify writes (the COMMENT on a ledger's PostgreSQL roles,
    // `rectify ledger {"database":…}`) is data, not a command to run.
    const spans = [...README.matchAll(/`([^`\n]+)`/g)].map((m) => m[1]!).filter((s) => !/^rectify ledger \{/.test(s));
    const code = blocks.join('\n') + '\n' + spans.join('\n');
    for (const line of code.split('\n')) {
      for (const m of line.matchAll(/(?:^\s*|&&\s*|;\s*|\|\s*|\$\(|["'])rectify ((?:[a-z][a-z-]*)(?: [^#|;&)`"]*)?)/g)) examples.add(m[1]!.trim());
    }
    expect(examples.size).toBeGreaterThan(20);
    const bad: string[] = [];
    for (const ex of examples) {
      const [cmd] = ex.split(/\s+/);
      if (!commands.has(cmd!)) {
        const h = rectify(cmd === 'help' ? ['help'] : ['help', cmd!]);
        commands.set(cmd!, h.code === 0 ? h.stdout : '');
      }
      const help = commands.get(cmd!)!;
      if (!help) { bad.push(`${ex}: no command ${cmd}`); continue; }
      for (const opt of ex.match(/(?<=^|\s)--[a-z][a-z-]*/g) ?? []) {
        if (!help.includes(opt) && !global.includes(opt)) bad.push(`${ex}: ${cmd} has no ${opt}`);
      }
    }
    expect(bad).toEqual([]);
  }, 120_000);
});
