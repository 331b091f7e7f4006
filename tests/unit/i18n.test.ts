import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { en } from '../../src/i18n/en.js';
import { zh } from '../../src/i18n/zh.js';
import { detectLang, t } from '../../src/i18n/index.js';

const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('the message catalogue', () => {
  it('has exactly the same keys in English and Chinese', () => {
    expect(Object.keys(zh).sort()).toEqual(Object.keys(en).sort());
  });

  it('uses the same placeholders for each key in both languages', () => {
    const differ = Object.keys(en).filter(
      (k) => placeholders(en[k as keyof typeof en]).join() !== placeholders(zh[k as keyof typeof zh]).join(),
    );
    expect(differ).toEqual([]);
  });

  it('has no empty message', () => {
    // A separator may be blanks only (zh lights: 红灯3项  黄灯4项), never empty.
    const empty = [...Object.entries(en), ...Object.entries(zh)].filter(([k, v]) => v === '' || (v.trim() === '' && !k.endsWith('.sep'))).map(([k]) => k);
    expect(empty).toEqual([]);
  });

  it('keeps Chinese out of the English catalogue, except where a message names the Chinese term', () => {
    const cjk = /[\u4e00-\u9fff]/;
    // The date messages name the accepted form 2024年6月30日 (issue 20).
    // draft.defaultArea.zh is data: the area a Chinese report's problems go in, in Chinese.
    const allowed = new Set(['help.program', 'items.prompt.badDate', 'items.badDate', 'draft.defaultArea.zh']);
    const offenders = Object.entries(en).filter(([k, v]) => cjk.test(v) && !allowed.has(k)).map(([k]) => k);
    expect(offenders).toEqual([]);
  });

  it('fills placeholders and leaves unknown ones visible', () => {
    expect(t('cli.unknownOption', { name: '--x' }, 'en')).toBe("unknown option '--x'");
    expect(t('cli.unknownOption', { name: '--x' }, 'zh')).toBe('未知选项“--x”');
    expect(t('cli.unknownOption', {}, 'en')).toBe("unknown option '{name}'");
  });
});

describe('choosing the language', () => {
  it('prefers --lang over the locale', () => {
    expect(detectLang('en', { LANG: 'zh_CN.UTF-8' })).toBe('en');
    expect(detectLang('zh', { LANG: 'en_US.UTF-8' })).toBe('zh');
  });
  it('reads LC_ALL, then LC_MESSAGES, then LANG', () => {
    expect(detectLang(undefined, { LC_ALL: 'zh_CN.UTF-8', LANG: 'en_US.UTF-8' })).toBe('zh');
    expect(detectLang(undefined, { LC_MESSAGES: 'en_GB', LANG: 'zh_CN' })).toBe('en');
    expect(detectLang(undefined, { LANG: 'zh_TW.UTF-8' })).toBe('zh');
  });
  it('falls back to English for any other locale or none', () => {
    expect(detectLang(undefined, {})).toBe('en');
    expect(detectLang(undefined, { LANG: 'C.UTF-8' })).toBe('en');
    expect(detectLang(undefined, { LANG: 'fr_FR' })).toBe('en');
  });
});

// Every word a user reads must come from the catalogue. This scans the command and
// terminal layers for string literals that look like prose: any Chinese character, or
// two or more English words. A line may opt out with the comment `i18n-ok` (for
// things that are not words for people: SQL-like tokens, file formats, option flags).
describe('user-visible words', () => {
  const root = join(__dirname, '..', '..', 'src');
  const files = ['commands', 'ui'].flatMap((d) =>
    readdirSync(join(root, d)).filter((f) => f.endsWith('.ts')).map((f) => join(root, d, f)),
  );

  it('never bypass the catalogue in src/commands and src/ui', () => {
    const offenders: string[] = [];
    const literal = /(['"`])((?:\\.|(?!\1).)*)\1/g;
    for (const file of files) {
      const lines = readFileSync(file, 'utf8').split('\n');
      lines.forEach((line, i) => {
        const code = line.replace(/\/\/.*$/, '');
        if (/^\s*(import|export \* from|\*|\/\*)/.test(line) || line.includes('i18n-ok')) return;
        for (const m of code.matchAll(literal)) {
          const s = m[2]!;
          if (s.startsWith('-') || s.startsWith('<') || s.startsWith('[')) continue; // option and argument specs
          const prose = /[\u4e00-\u9fff]/.test(s) || /\b[A-Za-z]{2,},? +[A-Za-z]{2,}\b/.test(s.replace(/\$\{[^}]*\}/g, ''));
          if (prose) offenders.push(`${file.slice(root.length + 1)}:${i + 1}: ${s}`);
        }
      });
    }
    expect(offenders).toEqual([]);
  });
});
