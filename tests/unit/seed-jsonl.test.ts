// The JSON Lines checker (core/jsonl.ts): the seed format's rules line by line, and a dump's.
import { describe, expect, it } from 'vitest';
import type { DumpRecord } from '../../src/core/dump.js';
import { JsonlChecker } from '../../src/core/jsonl.js';
import { MAX_ISSUES } from '../../src/core/seed-text.js';
import { t } from '../../src/i18n/index.js';

const HEAD = [
  { kind: 'rectify', version: 1 },
  { kind: 'report', title: '报告' },
  { kind: 'area', id: 'A1', name: '领域' },
  { kind: 'problem', id: 'P1', area: 'A1', title: '问题' },
  { kind: 'measure', id: 'M1', title: '措施' },
];
const history = (over: Record<string, unknown> = {}) => ({
  seq: 1, group: 1, at: '2024-04-01T09:00:00.000+08:00', by: 'u', action: 'create', status: 'open', progress: 0,
  note: null, changes: {}, via: 'seed', pinned: [], evidence: [], reverts: null, undoesGroup: null, ...over,
});

function check(records: unknown[]): { records: DumpRecord[]; issues: string[]; total: number } {
  const c = new JsonlChecker();
  const out: DumpRecord[] = [];
  records.forEach((r, i) => {
    const rec = c.line(typeof r === 'string' ? r : JSON.stringify(r), i + 1);
    if (rec) out.push(rec);
  });
  c.finish();
  const { issues, total } = c.issues.result();
  return { records: out, issues: issues.map((i) => `${i.line}:${i.column} ${i.key}`), total };
}

describe('JSON Lines seeds', () => {
  it('normalises a seed item: defaults, trimmed text, references spelled as defined', () => {
    const r = check([...HEAD, { kind: 'item', id: 'M1.1', measure: 'm1', title: ' 事项 ', addresses: ['p1', 'P1'], term: 'Ongoing', owner: '' }]);
    expect(r.issues).toEqual([]);
    expect(r.records.at(-1)).toEqual({
      kind: 'item', id: 'M1.1', measure: 'M1', title: '事项', detail: null, addresses: ['P1'], owner: null, department: null,
      due: null, term: 'ongoing', status: 'open', progress: 0, evidence: [], pinned: [], createdAt: null, updatedAt: null, history: null,
    });
  });

  it('needs the header, the report, areas with problems and measures with items', () => {
    expect(check([]).issues).toEqual(['1:1 seed.jsonl.noHeader']);
    expect(check([HEAD[0], HEAD[1], HEAD[2], HEAD[4]]).issues).toEqual(['3:1 seed.atLeastOne', '4:1 seed.atLeastOne']);
    expect(check([HEAD[0], HEAD[2]]).issues).toEqual(['2:1 seed.jsonl.reportFirst', '2:1 seed.atLeastOne', '3:1 seed.required', '3:1 seed.atLeastOne']);
  });

  it('wants every line after what it names', () => {
    const r = check([HEAD[0], HEAD[1], { kind: 'problem', id: 'P1', area: 'A1', title: 'p' }, HEAD[2], HEAD[4], { kind: 'item', id: 'I1', measure: 'M1', title: 'i', addresses: ['P9'] }]);
    // A stream knows only what came before: A1 and P9 are not defined on an earlier line.
    expect(r.issues).toEqual(['3:36 seed.jsonl.refUnknown', '4:1 seed.atLeastOne', '6:65 seed.jsonl.refUnknown']);
  });

  it('refuses dump fields on an item without its history, and a history out of order or inconsistent', () => {
    expect(check([...HEAD, { kind: 'item', id: 'I1', measure: 'M1', title: 'i', status: 'done' }]).issues).toEqual(['6:62 seed.jsonl.needsHistory']);
    const bad = check([...HEAD, {
      kind: 'item', id: 'I1', measure: 'M1', title: 'i', status: 'done', progress: 100, evidence: ['x'],
      history: [history({ seq: 5 }), history({ seq: 3, action: 'done', evidence: ['y'] }), history({ seq: 5, status: 'finished' })],
    }]);
    expect(bad.issues.map((i) => i.split(' ')[1])).toEqual(['seed.jsonl.evidenceMismatch', 'seed.jsonl.status', 'seed.jsonl.seqTwice', 'seed.jsonl.historyOrder']);
  });

  it('keeps a good dump item as it is', () => {
    const item = {
      kind: 'item', id: 'I1', measure: 'M1', title: 'i', detail: null, addresses: [], owner: '王', department: null, due: null,
      term: 'deadline', status: 'done', progress: 100, evidence: ['纪要'], pinned: ['owner'],
      createdAt: '2024-04-01T09:00:00.000+08:00', updatedAt: '2024-04-02T09:00:00.000+08:00',
      history: [history(), history({ seq: 2, group: 2, action: 'done', status: 'done', progress: 100, evidence: ['纪要'], via: 'cli', pinned: ['owner'] })],
    };
    const r = check([...HEAD, item]);
    expect(r.issues).toEqual([]);
    expect(r.records.at(-1)).toEqual(item);
  });

  it('counts every problem and keeps the first ones', () => {
    const lines = [...HEAD, ...Array.from({ length: 5000 }, (_, i) => ({ kind: 'item', id: `I${i}`, measure: 'M1', title: 'i', due: '2024-02-30' }))];
    const r = check(lines);
    expect(r.total).toBe(5000);
    expect(r.issues).toHaveLength(MAX_ISSUES + 1);
    expect(r.issues[0]).toBe('6:59 seed.date.notReal');
  });

  it('says a number or true/false in a text field is not text in quotes, not that it is a list or mapping', () => {
    const c = new JsonlChecker();
    for (const [i, r] of [...HEAD, { kind: 'item', id: 'M1.1', measure: 'M1', title: 'i', owner: 123, department: true, addresses: [7], detail: ['x'] }].entries()) {
      c.line(JSON.stringify(r), i + 1);
    }
    c.finish();
    const shown = c.issues.result().issues.map((i) => t(i.key, i.params, 'en'));
    expect(shown).toEqual([
      'item[0].owner must be text in quotes, not 123',
      'item[0].department must be text in quotes, not true',
      'item[0].addresses[0] must be text in quotes, not 7',
      'item[0].detail must be text, not a list or mapping',
    ]);
    expect(t(c.issues.result().issues[0]!.key, c.issues.result().issues[0]!.params, 'zh')).toBe('item[0].owner 必须是带引号的文本，不能是 123');
  });

  it('names a second BOM, JSON that is not an object, and a kind nearly right', () => {
    expect(check([HEAD[0], '\ufeff{}']).issues[0]).toBe('2:1 seed.bom');
    expect(check([HEAD[0], '[1]', '{"kind":"Report","title":"t"}']).issues.slice(0, 2)).toEqual(['2:1 seed.jsonl.notObject', '3:9 seed.jsonl.kindSuggest']);
  });
});
