// `report --format html` as a command, in-process on a copy of the bundled ledger: the format
// from -o's extension, standard output, the file said on standard error in the user's
// language, and the options it does not take. The page itself: tests/unit/report-html.test.ts;
// in a browser: report-html-browser.test.ts.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runInProcess } from '../helpers/inproc.js';
import { ledgerCopy } from '../helpers/ledger.js';

const TODAY = '2026-03-02';
const ledger = ledgerCopy();
afterAll(() => ledger.cleanup());
const db = join(ledger.dir, 'rectify.db');
const run = (args: string[]) => runInProcess([...args, '--db', db], TODAY);

describe('report --format html', { timeout: 60_000 }, () => {
  it('takes the format from -o\'s extension (.html, .htm) and says what it wrote', async () => {
    for (const name of ['会议.html', 'meeting.HTM']) {
      const r = await run(['report', '-o', join(ledger.dir, name)]);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toBe('');
      expect(r.stderr).toBe(`Wrote the report to ${join(ledger.dir, name)} (HTML page).\n`);
      const page = readFileSync(join(ledger.dir, name), 'utf8');
      expect(page.startsWith('<!DOCTYPE html>\n<html lang="en">')).toBe(true);
      expect(page).toContain('<title>Progress report on the rectification of');
      expect(page.match(/<svg class="chart/g)).toHaveLength(4);
    }
  });

  it('prints the page on standard output with --format html, in Chinese with --lang zh', async () => {
    const r = await run(['report', '--format', 'html', '--lang', 'zh', '--as-of', '2026-03-01', '--days', '3']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/^<!DOCTYPE html>\n<html lang="zh-CN">/);
    expect(r.stdout).toContain('数据截至2026-03-01');
    expect(r.stdout).toContain('3日内到期事项（0项）');
    expect(r.stdout.trimEnd().endsWith('</html>')).toBe(true);
  });

  it('refuses --against (the recurring problems are told in text and Markdown), exit 2, nothing written', async () => {
    const r = await run(['report', '--format', 'html', '--against', db]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.split('\n').filter(Boolean)).toHaveLength(1);
  });
});

describe('overview -o FILE.html', { timeout: 60_000 }, () => {
  it('writes the ledgers named as the meeting\'s page, and still refuses a file of another kind', async () => {
    // Another ledger of the same unit, made by its own init: a copy of the file would be the
    // same ledger, counted once (README, "One ledger, whatever it is called").
    const other = join(ledger.dir, 'other.db');
    const made = await runInProcess(['init', '--db', other], TODAY);
    expect(made.code, made.stderr).toBe(0);
    const done = await runInProcess(['done', 'M1.1,M1.2', '--db', other], TODAY);
    expect(done.code, done.stderr).toBe(0);
    const file = join(ledger.dir, '总览.html');
    const r = await runInProcess(['overview', db, other, '-o', file, '--lang', 'zh'], TODAY);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toBe(`已将总览写入 ${file}（HTML 网页）。\n`);
    const page = readFileSync(file, 'utf8');
    expect(page).toContain('<title>2本台账整改情况总览</title>');
    expect(page.match(/<g class="bar">/g)).toHaveLength(2);
    // The same unit twice: each bar says which ledger it is.
    expect(page).toContain(' · rectify.db</text>');
    expect(page).toContain(' · other.db</text>');
    // The ledger with two items done comes last (worst first), its share finished 17%.
    expect(page.match(/<td class="num">\d+%<\/td>/g)!.slice(0, 2)).toEqual(['<td class="num">0%</td>', '<td class="num">0%</td>']);
    expect(page).toContain(`<td>${other}</td>`);
    const txt = await runInProcess(['overview', db, '-o', join(ledger.dir, 'overview.txt')], TODAY);
    expect(txt.code).toBe(2);
    expect(txt.stderr).toBe('rectify: overview writes an Excel sheet or an HTML page: name a .xlsx or .html file after -o (or use --json)\n');
  });
});

