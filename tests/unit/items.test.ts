import { describe, expect, it } from 'vitest';
import {
  allowed, isOverdue, parseDate, parsePercent, parseStatus, parseStatusList, parseTerm, parseText,
  planAssign, planDone, planProgress, planReopen, planVerify, settle,
} from '../../src/core/items.js';
import type { Item } from '../../src/core/types.js';
import { STATUSES, type Status } from '../../src/core/vocab.js';

function item(over: Partial<Item> = {}): Item {
  return {
    id: 'M1.1', title: 'T', detail: null, addresses: [], owner: null, department: null, due: null,
    term: 'deadline', measure: 'M1', status: 'open', progress: 0,
    createdAt: '2024-01-01T00:00:00.000+08:00', updatedAt: '2024-01-01T00:00:00.000+08:00', ...over,
  };
}

describe('reading a percentage', () => {
  it('accepts a whole number from 0 to 100, with or without a percent sign', () => {
    expect(parsePercent('0')).toBe(0);
    expect(parsePercent('50')).toBe(50);
    expect(parsePercent('50%')).toBe(50);
    expect(parsePercent(' 100 % ')).toBe(100);
  });
  it('accepts full-width digits and the full-width percent sign', () => {
    expect(parsePercent('５０％')).toBe(50);
    expect(parsePercent('１００')).toBe(100);
    expect(parsePercent('60％')).toBe(60);
  });
  it('refuses fractions, negatives, numbers above 100 and words', () => {
    for (const bad of ['', '50.5', '-1', '101', '1000', 'abc', '５０．５', '%', '50%%', '0x10', '1e2']) {
      expect(parsePercent(bad), bad).toBeNull();
    }
  });
});

describe('reading a date', () => {
  it('accepts real calendar dates written YYYY-MM-DD', () => {
    expect(parseDate('2024-02-29')).toBe('2024-02-29');
    expect(parseDate(' 2024-06-30 ')).toBe('2024-06-30');
    expect(parseDate('２０２４-０６-３０')).toBe('2024-06-30');
    // Month and day without their zero, as 2027/3/31 is taken (issue 20).
    expect(parseDate('2024-6-30')).toBe('2024-06-30');
    expect(parseDate('2027-3-1')).toBe('2027-03-01');
  });
  it('refuses impossible dates and other shapes', () => {
    for (const bad of ['2023-02-29', '2024-02-30', '2024-13-01', '2024-2-30', '30/06/2024', '', 'tomorrow']) {
      expect(parseDate(bad), bad).toBeNull();
    }
  });
});

describe('reading free text', () => {
  it('trims it and treats nothing left as no text', () => {
    expect(parseText('  note ')).toBe('note');
    expect(parseText('   ')).toBeNull();
    expect(parseText('')).toBeNull();
    expect(parseText(undefined)).toBeNull();
  });
});

describe('reading status and term names', () => {
  it('knows every status by its English names, in any case and with - or a space', () => {
    expect(parseStatus('open')).toBe('open');
    expect(parseStatus('in_progress')).toBe('in_progress');
    expect(parseStatus('in-progress')).toBe('in_progress');
    expect(parseStatus('In Progress')).toBe('in_progress');
    expect(parseStatus('DONE')).toBe('done');
    expect(parseStatus('verified')).toBe('verified');
  });
  it('knows every status by its Chinese name', () => {
    expect(parseStatus('未开始')).toBe('open');
    expect(parseStatus('推进中')).toBe('in_progress');
    expect(parseStatus('已完成')).toBe('done');
    expect(parseStatus('已销号')).toBe('verified');
  });
  it('refuses names that are no status', () => {
    expect(parseStatus('closed')).toBeNull();
    expect(parseStatus('')).toBeNull();
    expect(parseStatus('toString')).toBeNull();
  });
  it('splits a list on commas, full-width commas and 、, each status once', () => {
    expect(parseStatusList('open,推进中')).toEqual({ statuses: ['open', 'in_progress'], unknown: [] });
    expect(parseStatusList('done，已销号、done')).toEqual({ statuses: ['done', 'verified'], unknown: [] });
    expect(parseStatusList('open,closed')).toEqual({ statuses: ['open'], unknown: ['closed'] });
  });
  it('knows every term by its English and Chinese name', () => {
    expect(parseTerm('immediate')).toBe('immediate');
    expect(parseTerm('Deadline')).toBe('deadline');
    expect(parseTerm('ongoing')).toBe('ongoing');
    expect(parseTerm('立行立改')).toBe('immediate');
    expect(parseTerm('限期整改')).toBe('deadline');
    expect(parseTerm('长期坚持')).toBe('ongoing');
    expect(parseTerm('someday')).toBeNull();
  });
});

describe('which status changes are allowed', () => {
  const table: Record<string, Status[]> = {
    progress: ['open', 'in_progress', 'done'],
    done: ['open', 'in_progress', 'done'],
    verify: ['done'],
    reopen: ['done', 'verified'],
  };
  for (const [verb, from] of Object.entries(table)) {
    it(`lets ${verb} start only from ${from.join(', ')}`, () => {
      for (const s of STATUSES) expect(allowed(verb as 'done', s), `${verb} from ${s}`).toBe(from.includes(s));
    });
  }
});

describe('planning a change', () => {
  it('moves an open item to in progress when progress is recorded', () => {
    const p = planProgress(item(), 40, 'started');
    expect(p).toEqual({ ok: true, change: { id: 'M1.1', action: 'progress', set: { progress: 40, status: 'in_progress' }, note: 'started' } });
  });
  it('makes an item done at 100 percent', () => {
    const p = planProgress(item({ status: 'in_progress', progress: 60 }), 100, null);
    expect(p.ok && p.change.set).toEqual({ progress: 100, status: 'done' });
  });
  it('moves an open item to in progress on a note alone, keeping its progress', () => {
    const p = planProgress(item(), null, 'kick-off meeting held');
    expect(p.ok && p.change.set).toEqual({ status: 'in_progress' });
  });
  it('leaves a done item done on a note alone, and takes it back to in progress below 100', () => {
    const d = item({ status: 'done', progress: 100 });
    const note = planProgress(d, null, 'n');
    expect(note.ok && note.change.set).toEqual({});
    const lower = planProgress(d, 80, null);
    expect(lower.ok && lower.change.set).toEqual({ progress: 80, status: 'in_progress' });
  });
  it('refuses progress on a verified item', () => {
    expect(planProgress(item({ status: 'verified', progress: 100 }), 50, null)).toEqual({ ok: false, refusal: { id: 'M1.1', status: 'verified' } });
  });
  it('marks done with progress 100 and the evidence given, and refuses a verified item', () => {
    const p = planDone(item({ status: 'in_progress', progress: 70 }), null, ['minutes.pdf']);
    expect(p).toEqual({ ok: true, change: { id: 'M1.1', action: 'done', set: { progress: 100, status: 'done' }, note: null, evidence: ['minutes.pdf'] } });
    expect(planDone(item({ status: 'verified', progress: 100 }), null, []).ok).toBe(false);
  });
  it('signs off only a done item', () => {
    expect(planVerify(item({ status: 'done', progress: 100 }), 'ok')).toEqual({ ok: true, change: { id: 'M1.1', action: 'verify', set: { status: 'verified' }, note: 'ok' } });
    for (const s of ['open', 'in_progress', 'verified'] as const) expect(planVerify(item({ status: s }), null).ok).toBe(false);
  });
  it('reopens done or verified items to in progress, keeping progress, with the reason as note', () => {
    const p = planReopen(item({ status: 'verified', progress: 100 }), 'evidence incomplete');
    expect(p).toEqual({ ok: true, change: { id: 'M1.1', action: 'reopen', set: { status: 'in_progress' }, note: 'evidence incomplete' } });
    expect(planReopen(item({ status: 'open' }), 'x').ok).toBe(false);
    expect(planReopen(item({ status: 'in_progress' }), 'x').ok).toBe(false);
  });
  it('settles all or nothing: any refusal is reported with the changes that would have applied', () => {
    const r = settle([planVerify(item({ status: 'done' }), null), planVerify(item({ id: 'M1.2', status: 'open' }), null)]);
    expect(r.changes).toHaveLength(1);
    expect(r.refused).toEqual([{ id: 'M1.2', status: 'open' }]);
  });
});

describe('planning an assignment', () => {
  it('sets the owner and pins it', () => {
    const c = planAssign(item(), { owner: '张三' }, null);
    expect(c).toEqual({ id: 'M1.1', action: 'assign', set: { owner: '张三' }, note: null, pinFields: ['owner'] });
  });
  it('sets a first due date as an assignment', () => {
    const c = planAssign(item(), { owner: '张三', department: '办公室', due: '2024-06-30' }, null);
    expect(c.action).toBe('assign');
    expect(c.set).toEqual({ owner: '张三', department: '办公室', due: '2024-06-30' });
    expect(c.pinFields).toEqual(['owner', 'department', 'due']);
  });
  it('records moving a set due date to another as an extension', () => {
    const c = planAssign(item({ owner: '张三', due: '2024-06-30' }), { owner: '张三', due: '2024-07-31' }, '申请延期');
    expect(c.action).toBe('extend');
    expect(c.set).toEqual({ due: '2024-07-31' });
    expect(c.note).toBe('申请延期');
  });
  it('does not call the same due date an extension', () => {
    expect(planAssign(item({ due: '2024-06-30' }), { owner: 'x', due: '2024-06-30' }, null).action).toBe('assign');
  });
});

describe('overdue', () => {
  it('is a due date before the day on an open or in-progress item', () => {
    expect(isOverdue(item({ due: '2024-03-31' }), '2024-04-01')).toBe(true);
    expect(isOverdue(item({ due: '2024-03-31', status: 'in_progress' }), '2024-04-01')).toBe(true);
    expect(isOverdue(item({ due: '2024-03-31' }), '2024-03-31')).toBe(false);
    expect(isOverdue(item({ due: '2024-03-31', status: 'done' }), '2024-04-01')).toBe(false);
    expect(isOverdue(item({ due: null }), '2024-04-01')).toBe(false);
  });
});
