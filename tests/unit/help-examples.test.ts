// Examples in --help (issue 20): two or three for each command people start with, in both
// languages, each naming only options its command has. In this process (runInProcess).
import { describe, expect, it } from 'vitest';
import { runInProcess } from '../helpers/inproc.js';

const MAIN = ['init', 'status', 'list', 'assign', 'progress', 'done', 'verify', 'report', 'remind'];

async function help(command: string | null, lang: string): Promise<string> {
  const r = await runInProcess([...(command ? [command] : []), '--help', '--lang', lang], '2026-12-06');
  expect(r.code).toBe(0);
  return r.stdout;
}

/** The example lines of a help text: after its Examples heading, those that run rectify. */
function examples(text: string, heading: string): string[] {
  const at = text.indexOf(`\n${heading}\n`);
  if (at < 0) return [];
  return text.slice(at).split('\n').filter((l) => /^ {2}rectify /.test(l)).map((l) => l.trim());
}

describe.each([['en', 'Examples:'], ['zh', '示例：']])('--help in %s', (lang, heading) => {
  it.each(MAIN)('%s shows two or three examples of itself, with options it has', async (command) => {
    const text = await help(command, lang);
    const found = examples(text, heading);
    expect(found.length, text).toBeGreaterThanOrEqual(2);
    expect(found.length).toBeLessThanOrEqual(3);
    for (const e of found) {
      expect(e.startsWith(`rectify ${command}`), e).toBe(true);
      for (const opt of e.match(/(?<=\s)--?[a-z][\w-]*/g) ?? []) expect(text, `${e}: ${opt}`).toMatch(new RegExp(`(^|[ ,])${opt}\\b`, 'm'));
    }
  });

  it('the program’s own help ends with examples', async () => {
    expect(examples(await help(null, lang), heading)).toEqual(['rectify init', 'rectify status', 'rectify help assign']);
  });
});
