// The item rules StrykerJS found untested (README, "Mutation testing"): what `edit` records,
// what `assign` records and calls an extension, `--clear` and `--status` lists, the names a
// status goes by, and the seed's text rules at their edges (C1 controls, surrogates, pasted
// line breaks). Each case is what a person types or what the history must show.
import { describe, expect, it } from 'vitest';
import { checkText, forbiddenChar, parseClear, parseStatus, parseStatusList, parseText, planAssign, planEdit } from '../../src/core/items.js';
import type { Item } from '../../src/core/types.js';

function item(over: Partial<Item> = {}): Item {
  return {
    id: 'M1.1', title: '建立台账', detail: '逐项销号', addresses: ['P1', 'P2'], owner: '王建国', department: '办公室', due: '2026-06-30',
    term: 'deadline', measure: 'M1', status: 'in_progress', progress: 40,
    createdAt: '2026-01-01T00:00:00.000+08:00', updatedAt: '2026-01-01T00:00:00.000+08:00', ...over,
  };
}

describe('edit records only what it changes', () => {
  it('records each descriptive field given that differs, and nothing for one given as it is', () => {
    const it0 = item();
    expect(planEdit(it0, { title: '新标题', detail: null, term: 'ongoing', measure: 'M2', addresses: ['P3'] }, '改正').set)
      .toStrictEqual({ title: '新标题', detail: null, term: 'ongoing', measure: 'M2', addresses: ['P3'] });
    const same = planEdit(it0, { title: '建立台账', detail: '逐项销号', term: 'deadline', measure: 'M1', addresses: ['P1', 'P2'] }, null);
    expect(same).toStrictEqual({ id: 'M1.1', action: 'edit', set: {}, note: null });
    expect(planEdit(it0, {}, null).set).toStrictEqual({});
  });

  it('records one field alone when only it is given or only it differs', () => {
    const it0 = item();
    expect(planEdit(it0, { title: '新标题' }, null).set).toStrictEqual({ title: '新标题' });
    expect(planEdit(it0, { detail: '另写' }, null).set).toStrictEqual({ detail: '另写' });
    expect(planEdit(it0, { detail: null }, null).set).toStrictEqual({ detail: null });
    expect(planEdit(item({ detail: null }), { detail: null }, null).set).toStrictEqual({});
    expect(planEdit(it0, { term: 'immediate' }, null).set).toStrictEqual({ term: 'immediate' });
    expect(planEdit(it0, { measure: 'M3' }, null).set).toStrictEqual({ measure: 'M3' });
    expect(planEdit(it0, { addresses: ['P2', 'P1'] }, null).set).toStrictEqual({ addresses: ['P2', 'P1'] });
    expect(planEdit(it0, { addresses: [] }, null).set).toStrictEqual({ addresses: [] });
  });

  it('takes a measure typed in another case as the same measure, and a new one in any case as a move', () => {
    expect(planEdit(item({ measure: 'M1' }), { measure: 'm1' }, null).set).toStrictEqual({});
    expect(planEdit(item({ measure: 'm1' }), { measure: 'M1' }, null).set).toStrictEqual({});
    expect(planEdit(item({ measure: 'Mx.1' }), { measure: 'MX.1' }, null).set).toStrictEqual({});
    expect(planEdit(item({ measure: 'M1' }), { measure: 'm2' }, null).set).toStrictEqual({ measure: 'm2' });
  });

  it('tells a different list of problems from the same one, whatever the ids hold', () => {
    // Joined naively, ['P1,P2'] and ['P1', 'P2'] (or ['P1P2']) would look alike.
    expect(planEdit(item({ addresses: ['P1', 'P2'] }), { addresses: ['P1P2'] }, null).set).toStrictEqual({ addresses: ['P1P2'] });
    expect(planEdit(item({ addresses: ['P1P2'] }), { addresses: ['P1', 'P2'] }, null).set).toStrictEqual({ addresses: ['P1', 'P2'] });
  });

  it('pins the term only when it changes it', () => {
    expect(planEdit(item(), { term: 'ongoing' }, null).pinFields).toEqual(['term']);
    expect(planEdit(item(), { term: 'deadline' }, null)).not.toHaveProperty('pinFields');
    expect(planEdit(item(), { title: '新标题' }, null)).not.toHaveProperty('pinFields');
  });
});

describe('assign records only what it changes', () => {
  it('records nothing for an owner, department or due date the item already has, and still pins them', () => {
    const c = planAssign(item(), { owner: '王建国', department: '办公室', due: '2026-06-30' }, null);
    expect(c.set).toStrictEqual({});
    expect(c.action).toBe('assign');
    expect(c.pinFields).toEqual(['owner', 'department', 'due']);
  });

  it('records the fields given that differ, leaving out those not given', () => {
    expect(planAssign(item(), { owner: '李明' }, null).set).toStrictEqual({ owner: '李明' });
    expect(planAssign(item(), { department: null }, null).set).toStrictEqual({ department: null });
    expect(planAssign(item(), { owner: '王建国', due: '2026-05-31' }, null).set).toStrictEqual({ due: '2026-05-31' });
  });

  it('calls only a later date over a set one an extension: not a first date, a cleared one, or one brought forward', () => {
    expect(planAssign(item(), { due: '2026-07-31' }, null).action).toBe('extend');
    expect(planAssign(item(), { due: '2026-05-31' }, null).action).toBe('assign');
    expect(planAssign(item(), { due: null }, null).action).toBe('assign');
    expect(planAssign(item({ due: null }), { due: '2026-07-31' }, null).action).toBe('assign');
    expect(planAssign(item(), { owner: '李明' }, null).action).toBe('assign');
  });
});

describe('--clear lists', () => {
  it('reads the English and Chinese field names, each once, in the order given', () => {
    expect(parseClear('owner,department,due')).toEqual({ fields: ['owner', 'department', 'due'], unknown: [] });
    expect(parseClear('责任人，责任部门、整改时限')).toEqual({ fields: ['owner', 'department', 'due'], unknown: [] });
    expect(parseClear('时限')).toEqual({ fields: ['due'], unknown: [] });
    expect(parseClear('due, Owner ,DUE,整改时限')).toEqual({ fields: ['due', 'owner'], unknown: [] });
  });

  it('skips empty parts and names the unknown ones as typed, trimmed', () => {
    expect(parseClear('owner,,  ,due,')).toEqual({ fields: ['owner', 'due'], unknown: [] });
    expect(parseClear(' title , owner')).toEqual({ fields: ['owner'], unknown: ['title'] });
  });
});

describe('--status lists and status names', () => {
  it('skips empty parts and names the unknown ones as typed, trimmed', () => {
    expect(parseStatusList('open, ,done,')).toEqual({ statuses: ['open', 'done'], unknown: [] });
    expect(parseStatusList(' closed ,open')).toEqual({ statuses: ['open'], unknown: ['closed'] });
  });

  it('knows every name a status goes by', () => {
    expect(parseStatus('inprogress')).toBe('in_progress');
    expect(parseStatus('进行中')).toBe('in_progress');
    expect(parseStatus('完成')).toBe('done');
    expect(parseStatus('销号')).toBe('verified');
  });

  it('takes any run of blanks between two words as one space', () => {
    expect(parseStatus('in   progress')).toBe('in_progress');
    expect(parseStatus('in\tprogress')).toBe('in_progress');
  });
});

describe('the seed\'s text rules at their edges', () => {
  it('takes no text (undefined or null) as no text', () => {
    expect(parseText(undefined)).toBeNull();
    expect(parseText(null)).toBeNull();
    expect(checkText('title', undefined)).toEqual({ ok: true, value: null });
    expect(checkText('note', null)).toEqual({ ok: true, value: null });
  });

  it('refuses every C1 control, up to U+009F, and takes U+00A0', () => {
    expect(forbiddenChar('a\u0080')).toBe(0x80);
    expect(forbiddenChar('a\u009f')).toBe(0x9f);
    expect(forbiddenChar('a\u00a0b')).toBe(-1);
  });

  it('takes every surrogate pair, from the first to the last, and refuses a lone half of one', () => {
    for (const pair of ['\ud800\udc00', '\ud800\udfff', '\udbff\udc00', '\udbff\udfff', '😀']) expect(forbiddenChar(`x${pair}y`), escape(pair)).toBe(-1);
    expect(forbiddenChar('x\udbff')).toBe(0xdbff);
    expect(forbiddenChar('x\ud800y')).toBe(0xd800);
    expect(forbiddenChar('x\udc00y')).toBe(0xdc00);
    expect(forbiddenChar('x\udfff')).toBe(0xdfff);
    expect(checkText('title', 'x\udfff')).toEqual({ ok: false, reason: 'control', code: 0xdfff });
  });

  it('collapses a line break pasted into one-line text: nothing between Chinese, one space where either side is not', () => {
    expect(checkText('title', '建立健全\n长效机制')).toEqual({ ok: true, value: '建立健全长效机制' });
    expect(checkText('title', 'annual\n  review')).toEqual({ ok: true, value: 'annual review' });
    expect(checkText('title', 'ISO\n标准')).toEqual({ ok: true, value: 'ISO 标准' });
    expect(checkText('title', '标准\nISO')).toEqual({ ok: true, value: '标准 ISO' });
    expect(checkText('title', 'a\n中文')).toEqual({ ok: true, value: 'a 中文' });
    expect(checkText('title', '中文\nb')).toEqual({ ok: true, value: '中文 b' });
  });

  it('collapses line breaks in who acts (--by) as in the other one-line fields, and keeps them in a note', () => {
    expect(checkText('by', '王\r\n建国')).toEqual({ ok: true, value: '王建国' });
    expect(checkText('by', 'Wang\nJianguo')).toEqual({ ok: true, value: 'Wang Jianguo' });
    expect(checkText('note', 'first\r\nsecond')).toEqual({ ok: true, value: 'first\nsecond' });
  });
});
