import { afterEach, describe, expect, it } from 'vitest';
import type { HistoryEntry, Item, ItemDetail } from '../../src/core/types.js';
import { setLang } from '../../src/i18n/index.js';
import {
  describeChanges, describeRefused, describeUpdate, localMinute, renderItemDetail, renderItemTable, renderLog,
} from '../../src/ui/items.js';
import { width } from '../../src/ui/text.js';
import { makeTheme } from '../../src/ui/theme.js';

process.env.TZ = 'Asia/Shanghai';
const plain = makeTheme(false);
afterEach(() => setLang('en'));

function item(over: Partial<Item> = {}): Item {
  return {
    id: 'M1.1', title: '制定年度学习计划', detail: null, addresses: [], owner: null, department: null, due: null,
    term: 'deadline', measure: 'M1', status: 'open', progress: 0,
    createdAt: '2024-01-01T00:00:00.000+08:00', updatedAt: '2024-01-01T00:00:00.000+08:00', ...over,
  };
}
function entry(over: Partial<HistoryEntry> = {}): HistoryEntry {
  return { seq: 1, at: '2024-05-01T09:30:12.000+08:00', by: 'tester', item: 'M1.1', action: 'progress', status: 'in_progress', progress: 60, note: null, changes: {}, ...over };
}

describe('the items table', () => {
  it('aligns columns by display width, a Chinese character taking two columns', () => {
    const lines = renderItemTable([
      item({ owner: '张三', due: '2024-03-31', status: 'in_progress', progress: 60 }),
      item({ id: 'M1.10', title: 'Plan', owner: 'Li', progress: 5 }),
    ], { today: '2024-03-01', theme: plain });
    expect(lines).toMatchInlineSnapshot(`
      [
        "ID     Status       Progress  Owner  Due         Title",
        "M1.1   in progress       60%  张三   2024-03-31  制定年度学习计划",
        "M1.10  open               5%  Li     -           Plan",
      ]
    `);
  });

  it('marks an overdue due date with ! so that it shows without colour', () => {
    const lines = renderItemTable([item({ due: '2024-03-31' }), item({ id: 'M1.2', due: '2024-03-31', status: 'done', progress: 100 })], { today: '2024-04-01', theme: plain });
    expect(lines[1]).toContain('2024-03-31 !');
    expect(lines[2]).not.toContain('!');
  });

  it('colours an overdue date on a terminal', () => {
    const lines = renderItemTable([item({ due: '2024-03-31' })], { today: '2024-04-01', theme: makeTheme(true) });
    expect(lines[1]).toMatch(/\x1b\[31m\x1b\[1m2024-03-31 !/);
  });

  it('cuts titles to the width given, never splitting a character', () => {
    const long = '落实理论学习中心组和“第一议题”学习制度，加强理论武装，深化学习意识';
    for (const max of [50, 51, 52, 53]) {
      const lines = renderItemTable([item({ title: long })], { today: '2024-01-01', theme: plain, maxWidth: max });
      for (const l of lines) expect(width(l), l).toBeLessThanOrEqual(max);
      expect(lines[1]).toMatch(/…$/);
      expect(lines[1]).not.toContain('\ufffd');
    }
  });

  it('shows control characters in data escaped', () => {
    const lines = renderItemTable([item({ title: 'evil\x1b]0;pwned\x07\x1b[2J', owner: 'a\nb' })], { today: '2024-01-01', theme: plain });
    expect(lines[1]).toContain('evil\\x1b]0;pwned\\x07\\x1b[2J');
    expect(lines.join('')).not.toMatch(/[\x00-\x08\x0b-\x1f\x7f]/);
  });

  it('speaks Chinese headings and status names in Chinese', () => {
    setLang('zh');
    const lines = renderItemTable([item({ status: 'in_progress' })], { today: '2024-01-01', theme: plain });
    expect(lines[0]).toBe('编号  状态    进度  责任人  整改时限  事项');
    expect(lines[1]).toContain('推进中');
  });
});

describe('describing changes', () => {
  it('says each field before and after, status and term by their names', () => {
    expect(describeChanges({ progress: [40, 60], status: ['open', 'in_progress'], due: ['2024-06-30', '2024-07-31'] }))
      .toBe('status open→in progress, progress 40→60, due 2024-06-30→2024-07-31');
    expect(describeChanges({ owner: [null, '张三'], term: ['deadline', 'ongoing'] })).toBe('owner -→张三, term deadline→ongoing');
  });
  it('lists evidence that was added', () => {
    expect(describeChanges({}, ['会议纪要.pdf'])).toBe('evidence +会议纪要.pdf');
  });
  it('confirms a change from the item as it was, or says a note was recorded', () => {
    expect(describeUpdate(item(), { progress: 60, status: 'in_progress' }, null)).toBe('M1.1: status open→in progress, progress 0→60');
    expect(describeUpdate(item(), {}, 'n')).toBe('M1.1: note recorded');
  });
  it('names refused items with their status', () => {
    expect(describeRefused([{ id: 'M1.1', status: 'open' }, { id: 'M1.2', status: 'in_progress' }])).toBe('M1.1 (open), M1.2 (in progress)');
  });
  it('says it in Chinese', () => {
    setLang('zh');
    expect(describeChanges({ progress: [40, 60], status: ['open', 'in_progress'] })).toBe('状态 未开始→推进中，进度 40→60');
  });
});

describe('log lines', () => {
  it('shows local time to the minute', () => {
    expect(localMinute('2024-05-01T01:30:59.000Z')).toBe('2024-05-01 09:30');
  });
  it('gives one aligned line per change with who, item, action, what changed and the note', () => {
    const lines = renderLog([
      entry({ seq: 2, by: '王局长', changes: { progress: [40, 60] }, note: '完成初稿' }),
      entry({ seq: 1, action: 'create', changes: { title: [null, 'x'] }, status: 'open', progress: 0 }),
    ], plain);
    expect(lines).toMatchInlineSnapshot(`
      [
        "2024-05-01 09:30  王局长  M1.1  progress  progress 40→60  "完成初稿"",
        "2024-05-01 09:30  tester  M1.1  created",
      ]
    `);
  });
  it('escapes control characters in notes and names', () => {
    const [line] = renderLog([entry({ by: 'x\x1b[2J', note: 'a\x07b\nc' })], plain);
    expect(line).toContain('x\\x1b[2J');
    expect(line).toContain('"a\\x07b c"');
  });
});

describe('the item view', () => {
  const detail: ItemDetail = {
    ...item({ owner: '张三', department: '办公室', due: '2024-03-31', status: 'in_progress', progress: 60, addresses: ['P1.1'],
      detail: '学习碎片化，缺少系统规划。'.repeat(8) }),
    measureTitle: '加强理论学习',
    problems: [{ id: 'P1.1', title: '学习不够系统' }],
    evidence: ['会议纪要'],
    history: [entry({ action: 'create', changes: {}, status: 'open', progress: 0 }), entry({ seq: 2, changes: { progress: [0, 60] } })],
  };
  it('shows the full text wrapped by display width, the fields and the history', () => {
    const lines = renderItemDetail(detail, { today: '2024-04-01', theme: plain, maxWidth: 40 });
    const history = lines.indexOf('History');
    for (const l of lines.slice(0, history)) expect(width(l), l).toBeLessThanOrEqual(40);
    const text = lines.join('\n');
    expect(text).toContain('Measure     M1  加强理论学习');
    expect(text).toContain('Addresses   P1.1  学习不够系统');
    expect(text).toContain('Due         2024-03-31 ! overdue');
    expect(text).toContain('Evidence    会议纪要');
    expect(text).toMatch(/History\n  2024-05-01 09:30  tester  created\n  2024-05-01 09:30  tester  progress  progress 0→60/);
  });
});
