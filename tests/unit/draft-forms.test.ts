// The genre's forms that drafting other offices' reports found missing (issue 21, round 5:
// tests/unit/draft-others.test.ts), each in its smallest form.
import { describe, expect, it } from 'vitest';
import { draftFromTable, draftFromText, type Draft, type DraftResult } from '../../src/core/draft/index.js';
import type { Seed } from '../../src/core/types.js';

const CTX = { name: 'report', fallbackYear: 2026, defaultArea: '问题' };
function ok(r: DraftResult): Draft {
  if (!r.ok) throw new Error('expected a draft, got ' + r.reason);
  return r.draft;
}
const items = (s: Seed) => s.measures.flatMap((m) => m.items);
const problems = (s: Seed) => s.areas.flatMap((a) => a.problems);

describe('a 台账 whose problem column is named by who found the problems', () => {
  for (const head of ['审计发现的问题', '巡察发现问题', '检视问题', '查摆问题', '督察反馈问题', '审计查出的问题']) {
    it(`reads the column headed ${head}`, () => {
      const s = ok(draftFromTable([['序号', head, '整改措施', '责任单位', '整改时限'], [1, '预算编制不细化。', '细化预算编制。', '预算股', '2025年6月底前']], CTX, null)).seed;
      expect(problems(s).map((p) => p.title)).toEqual(['预算编制不细化']);
      expect(items(s).map((i) => [i.title, i.department, i.due, i.addresses.length])).toEqual([['细化预算编制', '预算股', '2025-06-30', 1]]);
    });
  }
  it('does not take a column of the problems a measure answers (对应问题) for the problems', () => {
    expect(draftFromTable([['序号', '整改措施', '对应问题', '责任单位'], [1, '细化预算编制。', '1', '预算股']], CTX, null).ok).toBe(false);
  });
});
