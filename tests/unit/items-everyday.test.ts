// The pure rules behind everyday use (issue 13): the seed's text rules for what the command
// line takes, dates and ids as people type them, assign's --clear, edit, the report's line
// breaking, and names in pinyin order.
import { describe, expect, it } from 'vitest';
import { normalizeId, splitIds } from '../../src/core/ids.js';
import { checkText, parseClear, parseDate, planAssign, planEdit, TEXT_LIMITS } from '../../src/core/items.js';
import { buildChanges, compareInstants, compareOwners } from '../../src/core/summary.js';
import type { HistoryEntry, Item } from '../../src/core/types.js';
import { wrap } from '../../src/ui/text.js';

function item(over: Partial<Item> = {}): Item {
  return {
    id: 'M1.1', title: 'T', detail: null, addresses: [], owner: '王', department: null, due: '2024-06-30',
    term: 'deadline', measure: 'M1', status: 'open', progress: 0,
    createdAt: '2024-01-01T00:00:00.000+08:00', updatedAt: '2024-01-01T00:00:00.000+08:00', ...over,
  };
}

describe('text the command line takes', () => {
  it('trims, and reads blank as nothing', () => {
    expect(checkText('title', '  标题 ')).toEqual({ ok: true, value: '标题' });
    expect(checkText('note', ' \n ')).toEqual({ ok: true, value: null });
    expect(checkText('owner', undefined)).toEqual({ ok: true, value: null });
  });

  it('collapses a line break in one-line fields: nothing between Chinese, a space between words', () => {
    expect(checkText('title', '制定年度\n学习计划')).toEqual({ ok: true, value: '制定年度学习计划' });
    expect(checkText('title', 'two\r\n  lines')).toEqual({ ok: true, value: 'two lines' });
    expect(checkText('owner', '王\n局长')).toEqual({ ok: true, value: '王局长' });
    expect(checkText('department', 'Office\nof A')).toEqual({ ok: true, value: 'Office of A' });
  });

  it('keeps line breaks in a detail or a note, as LF', () => {
    expect(checkText('detail', '一\r\n二')).toEqual({ ok: true, value: '一\n二' });
    expect(checkText('note', 'a\nb')).toEqual({ ok: true, value: 'a\nb' });
  });

  it('refuses control characters, DEL, C1 controls and lone surrogates; tab is fine', () => {
    for (const [text, code] of [['a\x07', 7], ['\x1b[2J', 0x1b], ['x\x7f', 0x7f], ['\x9b', 0x9b], ['\r', 0x0d], ['\ud800', 0xd800]] as const) {
      expect(checkText('note', text)).toEqual({ ok: false, reason: 'control', code });
    }
    expect(checkText('note', 'a\tb')).toEqual({ ok: true, value: 'a\tb' });
    expect(checkText('title', '😀')).toEqual({ ok: true, value: '😀' });
  });

  it('refuses more characters than a field holds, counting characters, not UTF-16 units', () => {
    expect(checkText('title', '长'.repeat(TEXT_LIMITS.title)).ok).toBe(true);
    expect(checkText('title', '😀'.repeat(TEXT_LIMITS.title)).ok).toBe(true);
    expect(checkText('title', '长'.repeat(TEXT_LIMITS.title + 1))).toEqual({ ok: false, reason: 'tooLong', max: TEXT_LIMITS.title, length: TEXT_LIMITS.title + 1 });
  });
});

describe('dates as people write them', () => {
  it('reads Chinese dates, with full-width digits too', () => {
    expect(parseDate('2026年12月31日')).toBe('2026-12-31');
    expect(parseDate('2026年1月5日')).toBe('2026-01-05');
    expect(parseDate('２０２６年１月５日')).toBe('2026-01-05');
    expect(parseDate('2026年1月5号')).toBe('2026-01-05');
    expect(parseDate('2026/1/5')).toBe('2026-01-05');
  });
  it('still refuses what is no real date', () => {
    expect(parseDate('2026年2月30日')).toBeNull();
    expect(parseDate('2026年13月1日')).toBeNull();
    expect(parseDate('12月31日')).toBeNull();
  });
});

describe('ids as people type them', () => {
  it('reads full-width letters, digits and dots', () => {
    expect(normalizeId(' Ｍ１．１ ')).toBe('M1.1');
    expect(splitIds('Ｍ１．１，Ｍ２．３、m1.1')).toEqual(['M1.1', 'M2.3']);
  });
});

describe('assign', () => {
  it('reads the fields to clear, in English or Chinese', () => {
    expect(parseClear('owner, due')).toEqual({ fields: ['owner', 'due'], unknown: [] });
    expect(parseClear('责任人，整改时限')).toEqual({ fields: ['owner', 'due'], unknown: [] });
    expect(parseClear('boss')).toEqual({ fields: [], unknown: ['boss'] });
  });
  it('empties cleared fields and pins them; clearing a due date is no extension', () => {
    expect(planAssign(item(), { owner: null, due: null }, null)).toMatchObject({
      action: 'assign', set: { owner: null, due: null }, pinFields: ['owner', 'due'],
    });
  });
  it('changes only what is given: the owner may be left alone', () => {
    const c = planAssign(item(), { department: '办公室' }, null);
    expect(c.set).toEqual({ department: '办公室' });
    expect(c.pinFields).toEqual(['department']);
  });
  it('records moving a set due date as an extension', () => {
    expect(planAssign(item(), { due: '2024-07-31' }, null).action).toBe('extend');
  });
});

describe('edit', () => {
  it('sets only the fields that differ, and pins a changed term', () => {
    const c = planEdit(item({ addresses: ['P1.1'] }), { title: 'T', detail: '全文', term: 'ongoing', measure: 'm1', addresses: ['P1.1'] }, null);
    expect(c).toMatchObject({ action: 'edit', set: { detail: '全文', term: 'ongoing' }, pinFields: ['term'] });
    expect(planEdit(item(), { measure: 'M2', addresses: [] }, null).set).toEqual({ measure: 'M2' });
  });
});

describe('the report\'s line breaking', () => {
  const starts = /^\s*[）；。，、》]/;
  const ends = /[（《]$/;
  it('never starts a line with a closing mark nor ends one with an opening mark', () => {
    for (let w = 10; w <= 40; w++) {
      for (const text of ['共12项：已完成1项（含《方案》），推进中6项；未开始6项。', '整改事项：M2.1（未开始）、M5.1（未开始）、M5.2（未开始）、M5.3（未开始）。']) {
        for (const line of wrap(text, w)) {
          expect(line, `${w}: ${line}`).not.toMatch(starts);
          expect(line, `${w}: ${line}`).not.toMatch(ends);
        }
      }
    }
  });
  it('keeps a number with the word after it', () => {
    for (let w = 8; w <= 30; w++) {
      const lines = wrap('整改事项共计12项，已完成100%，逾期928天', w);
      for (const line of lines.slice(1)) expect(line, `${w}: ${lines.join('|')}`).not.toMatch(/^[项天%]/);
      for (const line of lines) expect(line, `${w}: ${lines.join('|')}`).not.toMatch(/\d$/);
    }
  });
});

describe('names and times in order', () => {
  it('orders owners by pinyin, not by code point', () => {
    const o = (owner: string | null) => ({ owner, open: 1, overdue: 0 });
    const names = ['王建国', '李明', '张华', '陈志远', '刘洋', null].map(o).sort(compareOwners).map((x) => x.owner);
    expect(names).toEqual(['陈志远', '李明', '刘洋', '王建国', '张华', null]);
  });
  it('orders recorded times by instant, across offsets', () => {
    const a = { at: '2024-05-10T10:30:00.000+08:00', seq: 1 };
    const b = { at: '2024-05-10T03:00:00.000+00:00', seq: 2 };
    expect([b, a].sort(compareInstants)).toEqual([a, b]);
  });
  it('gives extensions their own part of the changes, with the dates', () => {
    const h: HistoryEntry = {
      seq: 1, at: '2024-05-10T10:00:00.000+08:00', by: 'u', item: 'M1.1', action: 'extend', status: 'open', progress: 0,
      note: '同意', changes: { due: ['2024-05-01', '2024-05-15'] },
    };
    const c = buildChanges([h], [{ id: 'M1.1', title: 'T' }], '2024-05-01', '2024-05-10');
    expect(c.extended).toEqual([{ at: h.at, by: 'u', id: 'M1.1', title: 'T', note: '同意', from: '2024-05-01', to: '2024-05-15' }]);
    expect(c.notes).toEqual([]);
  });
});

describe('the status screen at scale', () => {
  it('shows the measures furthest behind up to the cap, then one line for the rest: at most 80 lines', async () => {
    const { buildStatus } = await import('../../src/core/summary.js');
    const { renderStatus } = await import('../../src/ui/status.js');
    const measures = Array.from({ length: 5000 }, (_, n) => ({ id: `M${n + 1}`, title: `措施${n + 1}`, items: 40, done: n === 4321 ? 0 : 20 + (n % 20) }));
    const figures = {
      report: { title: '某单位', unit: null, date: null },
      items: { total: 200_000, open: 100_000, inProgress: 0, done: 100_000, verified: 0, overdue: 0 },
      problems: { total: 0, rectified: 0 },
      areas: [],
      measures,
      overdue: [],
      dueSoon: [],
      owners: [],
    };
    for (const lang of ['en', 'zh'] as const) {
      const text = renderStatus(buildStatus(figures, [], '2024-05-10', 7), { lang, limit: 10, full: true });
      const lines = text.split('\n');
      expect(lines.length).toBeLessThanOrEqual(80);
      // The one with nothing done is among those shown; the rest are counted in one line.
      expect(text).toMatch(/M4322 +措施4322/);
      const shown = lines.filter((l) => /^ {2}M\d+ /.test(l));
      expect(shown).toHaveLength(10);
      const rest = measures.length - 10;
      expect(text).toMatch(lang === 'en' ? new RegExp(`… and ${rest} more measures \\(\\d+ of \\d+ items done\\)`) : new RegExp(`……另有${rest}项整改措施`));
    }
  });

  it('lists every measure in seed order when they fit', async () => {
    const { buildStatus } = await import('../../src/core/summary.js');
    const { renderStatus } = await import('../../src/ui/status.js');
    const measures = Array.from({ length: 5 }, (_, n) => ({ id: `M${n + 1}`, title: `措施${n + 1}`, items: 4, done: 4 - n }));
    const figures = {
      report: { title: '某单位', unit: null, date: null },
      items: { total: 20, open: 10, inProgress: 0, done: 10, verified: 0, overdue: 0 },
      problems: { total: 0, rectified: 0 }, areas: [], measures, overdue: [], dueSoon: [], owners: [],
    };
    const lines = renderStatus(buildStatus(figures, [], '2024-05-10', 7), { lang: 'en', limit: 10, full: true }).split('\n').filter((l) => /^ {2}M\d /.test(l));
    expect(lines.map((l) => l.trim().split(' ')[0])).toEqual(['M1', 'M2', 'M3', 'M4', 'M5']);
  });
});

describe('the status screen\'s due-soon heading', () => {
  it('says 1 day, not 1 days, and today for 0', async () => {
    const { buildStatus } = await import('../../src/core/summary.js');
    const { renderStatus } = await import('../../src/ui/status.js');
    const figures = {
      report: { title: '某单位', unit: null, date: null },
      items: { total: 1, open: 1, inProgress: 0, done: 0, verified: 0, overdue: 0 },
      problems: { total: 0, rectified: 0 }, areas: [], measures: [], overdue: [], dueSoon: [], owners: [],
    };
    const text = (days: number, lang: 'en' | 'zh') => renderStatus(buildStatus(figures, [], '2024-05-10', days), { lang });
    expect(text(1, 'en')).toMatch(/Due within 1 day \(0\)/);
    expect(text(1, 'en')).toMatch(/Nothing falls due within 1 day\./);
    expect(text(7, 'en')).toMatch(/Due within 7 days \(0\)/);
    expect(text(0, 'en')).toMatch(/Due today \(0\)/);
    expect(text(1, 'zh')).toMatch(/1日内到期（0项）/);
    expect(text(0, 'zh')).toMatch(/今日到期（0项）/);
  });
});
