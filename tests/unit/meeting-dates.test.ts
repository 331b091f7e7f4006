// Dates that tell the truth: the forms people write are all taken, and the message names
// them; a due date in the past is said; a date brought forward is no extension; a date
// cleared and set again still shows in the report as moved.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseDateText, addDays } from '../../src/core/dates.js';
import { parseDate } from '../../src/core/items.js';
import { office, type Office } from '../helpers/meeting.js';

describe('dates as people write them', () => {
  it('takes 2027-3-31 as it takes 2027/3/31, 2027.3.31 and 2027年3月31日', () => {
    for (const d of ['2027-03-31', '2027-3-31', '2027/3/31', '2027.3.31', '2027年3月31日', '2027年3月31号', '２０２７－３－３１']) {
      expect(parseDate(d), d).toBe('2027-03-31');
    }
    expect(parseDateText('2027-3-1')).toBe('2027-03-01');
  });
  it('refuses what is no date, and a day that does not exist', () => {
    for (const d of ['2027-2-30', '2027-3/31', '27-3-31', '2027-13-1', '2027-3-31x', 'tomorrow']) expect(parseDate(d), d).toBeNull();
  });
});

describe('due dates on the command line and in the report', () => {
  let o: Office;
  beforeEach(async () => { o = await office(); }, 60_000);
  afterEach(() => o.cleanup());

  it('names the accepted forms when a date is refused', async () => {
    const r = await o.run(['assign', 'M1.1', '--due', '2027-2-30']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('2027-3-31');
    expect(r.stderr).toContain('2027年3月31日');
    const zh = await o.run(['assign', 'M1.1', '--due', '明天', '--lang', 'zh']);
    expect(zh.stderr).toMatch(/^rectify: --due 的值“明天”不是有效日期（可写作 2027-03-31、2027-3-31/);
    const ok = await o.run(['assign', 'M3.1', '--due', addDays(o.today, 90).replace(/-0?/g, '-').replace(/^(\d{4})-/, '$1-')]);
    expect(ok.code).toBe(0);
  });

  it('warns when a due date has already passed, and still records it', async () => {
    const past = addDays(o.today, -30);
    const r = await o.run(['assign', 'M3.1', '--due', past]);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain(`has already passed (today is ${o.today})`);
    // Two lines, as every message: what is so, then a hint marked as one.
    expect(r.stderr.trimEnd().split('\n')).toEqual([expect.stringMatching(/^rectify: note: /), 'hint: if that is a slip, set the right date: rectify assign M3.1 --due DATE']);
    expect(JSON.parse((await o.run(['show', 'M3.1', '--json'])).stdout).due).toBe(past);
    // A date still to come says nothing.
    expect((await o.run(['assign', 'M3.1', '--due', addDays(o.today, 3)])).stderr).toBe('');
  });

  it('a date brought forward is recorded and reported as 提前, not 延期', async () => {
    // M3.1 was due today + 30; brought forward to today + 20.
    const r = await o.run(['assign', 'M3.1', '--due', addDays(o.today, 20), '--by', '秘书']);
    expect(r.code).toBe(0);
    const log = JSON.parse((await o.run(['log', 'M3.1', '--json'])).stdout);
    expect(log[0].action).toBe('assign');
    const report = (await o.run(['report', '--lang', 'zh', '--since', addDays(o.today, -1)])).stdout;
    expect(report).toMatch(/\[M3\.1\][^\n]*\n[^\n]*整改时限由[^\n]*提前至/);
    expect(report).not.toMatch(/\[M3\.1\][^\n]*\n[^\n]*延至/);
    const { describeChange, words } = await import('../../src/ui/status.js');
    expect(describeChange(log[0], words('zh'))).toMatch(/^提前：整改时限 \d{4}-\d\d-\d\d → /);
  });

  it('a due date cleared and then set again still shows in the report as moved', async () => {
    expect((await o.run(['assign', 'M2.3', '--clear', 'due'])).code).toBe(0);
    expect((await o.run(['assign', 'M2.3', '--due', addDays(o.today, 40), '-m', '上级调整部署'])).code).toBe(0);
    const report = (await o.run(['report', '--lang', 'zh', '--since', addDays(o.today, -1)])).stdout;
    expect(report).toMatch(/\[M2\.3\][^\n]*\n[^\n]*整改时限由[^\n]*延至[^\n]*/);
    expect(report).toContain('上级调整部署');
  });
});
