// `--help` of the program and of every command, in both languages: golden files, and in
// Chinese no English word but option names, ids, file names, formats and the values a
// user types. UPDATE_GOLDEN=1 rewrites the golden files.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import stringWidth from 'string-width';
import { describe, expect, it } from 'vitest';
import { commands } from '../../src/commands/index.js';
import { FIXTURES, rectify } from '../helpers/cli.js';

const LANGS = { en: 'en_US.UTF-8', zh: 'zh_CN.UTF-8' } as const;
const names = ['', ...commands.map((c) => c.name), 'help'];

function allHelp(lang: keyof typeof LANGS): string {
  return names
    .map((name) => {
      const r = rectify([...(name ? [name] : []), '--help'], { env: { LANG: LANGS[lang] } });
      expect(r.code).toBe(0);
      expect(r.stderr).toBe('');
      return `$ rectify ${name ? name + ' ' : ''}--help\n${r.stdout}`;
    })
    .join('\n');
}

describe.each(Object.keys(LANGS) as (keyof typeof LANGS)[])('--help in %s', (lang) => {
  const text = allHelp(lang);

  it('matches its golden file', () => {
    const file = join(FIXTURES, 'help', `help.${lang}.txt`);
    if (process.env.UPDATE_GOLDEN === '1') writeFileSync(file, text);
    if (!existsSync(file)) throw new Error(`no golden file ${file}: run with UPDATE_GOLDEN=1`);
    expect(text).toBe(readFileSync(file, 'utf8'));
  });

  it('fits in 80 columns and keeps descriptions aligned', () => {
    for (const line of text.split('\n')) expect(stringWidth(line), line).toBeLessThanOrEqual(80);
    // In each block of options, every description starts in the same column.
    for (const block of text.split(/\n(?=\S)/)) {
      const starts = block.split('\n').filter((l) => /^ {2}-/.test(l)).map((l) => stringWidth(l.replace(/^( {2}\S+(?: \S+)*? {2,}).*$/, '$1')));
      expect(new Set(starts).size, block).toBeLessThanOrEqual(1);
    }
  });
});

describe('Chinese help', () => {
  it('has no English word but option names, commands, files, formats and typed values', () => {
    const text = allHelp('zh')
      .replace(/\$ rectify .*\n/g, '')
      .replace(/^ {2}rectify .*\n/gm, '') // an example's command line: what a user types
      .replace(/--?[A-Za-z][\w-]*/g, '')
      .replace(/\$RECTIFY_[A-Z_]+/g, '')
      .replace(/\b[A-Z]\d+(?:\.\d+)?/g, ''); // ids: M1.1, P2.3
    const words = new Set(text.match(/[A-Za-z_][A-Za-z_.]*/g));
    const allowed = new Set([
      'rectify', 'rectify.db', 'en', 'zh', 'LC_ALL', 'LC_MESSAGES', 'LANG', 'YYYY', 'MM', 'DD',
      'JSON', 'YAML', 'CSV', 'Markdown', 'yaml', 'json', 'text', 'md', 'csv',
      ...names.filter(Boolean), 'ls',
      // values a user types (`--status open`, `--sort due`): listed beside their Chinese names
      'open', 'in_progress', 'done', 'verified', 'id', 'due', 'owner', 'progress', 'department',
      // file kinds and formats, shells, the roles and the URL a user types, the README named
      'txt', 'docx', 'xlsx', 'jsonl', 'html', 'HTML', 'Excel', 'Word', 'Lines', 'bash', 'zsh', 'fish', 'README',
      'postgres', 'schema', 'viewer', 'staff', 'admin', 'supervisor', 'ids',
      // the robots and mail servers a contact or remind names as typed (wecom:URL, smtp://…)
      'wecom', 'dingtalk', 'smtp', 'smtps', 'set', 'email', 'webhook', 'secret',
      // lights a user types (`--light red,yellow`), beside 红灯、黄灯、绿灯
      'red', 'yellow', 'green',
    ]);
    expect([...words].filter((w) => !allowed.has(w))).toEqual([]);
  });
});

describe('grant and revoke', () => {
  it('name the supervisor role they take (cli.md: grant USER supervisor --db postgres://…/DATABASE), in help and in the refusal of a bad role', () => {
    for (const [lang, word] of [['en', 'supervisor'], ['zh', 'supervisor']] as const) {
      for (const name of ['grant', 'revoke']) {
        const help = rectify([name, '--help'], { env: { LANG: LANGS[lang] } }).stdout;
        expect(help.split(/\n\s*\n/).find((b) => /^(Arguments|参数)/.test(b)), `${name} ${lang}`).toContain(word);
      }
      const bad = rectify(['grant', 'alice', 'boss', '--db', 'postgres://u@127.0.0.1:1/db'], { env: { LANG: LANGS[lang] } });
      expect(bad.code).toBe(2);
      expect(bad.stderr).toContain(word);
    }
  });
});

