import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadSeed, seedToYaml } from '../../src/core/seed.js';
import type { Seed, SeedItem } from '../../src/core/types.js';
import { TERMS } from '../../src/core/vocab.js';

const utf8 = (text: string): Uint8Array => new TextEncoder().encode(text);
const load = (bytes: Uint8Array): Seed => {
  const r = loadSeed(bytes);
  if (!r.ok) throw new Error(JSON.stringify(r.issues.slice(0, 5)));
  return r.seed;
};
const roundTrip = (seed: Seed): Seed => load(utf8(seedToYaml(seed)));

describe('seedToYaml', () => {
  for (const file of ['../../data/seed.yaml', '../fixtures/seeds/county-education.yaml', '../fixtures/seeds/minimal.yaml']) {
    it(`writes ${file.split('/').pop()} back to YAML that loads as the same seed`, () => {
      const seed = load(readFileSync(new URL(file, import.meta.url)));
      expect(roundTrip(seed)).toEqual(seed);
    });
  }

  it('is stable: writing what it wrote gives the same text', () => {
    const seed = load(readFileSync(new URL('../fixtures/seeds/county-education.yaml', import.meta.url)));
    const once = seedToYaml(seed);
    expect(seedToYaml(roundTrip(seed))).toBe(once);
  });

  it('writes readable YAML: plain ids and dates, quoted Chinese text, line breaks as a literal block', () => {
    const seed = load(readFileSync(new URL('../fixtures/seeds/county-education.yaml', import.meta.url)));
    const text = seedToYaml(seed);
    expect(text).toContain('version: 1\nreport:\n  title: "县教育局2024年校园安全与师德师风专项自查报告"\n  unit: "某县教育局党组"\n  date: 2024-03-18\n');
    expect(text).toContain('      - id: SAFE-1\n        title: "部分农村学校消防设施老化"\n        detail: |-\n          抽查的 12 所农村小学中，有 5 所学校灭火器超过有效期，\n          3 所学校应急照明灯损坏未及时更换。\n');
    expect(text).toContain('        addresses: [ETHICS-1, ETHICS-2]\n        owner: "陈静"\n        department: "人事股"\n        due: 2024-12-31\n');
    expect(text).toContain('        detail: |-\n          每季度由学校后勤负责人巡检一次，\n          县局安全股随机抽查。\n\n          巡检结果纳入学校年度考核。\n');
    expect(text).toContain('        term: ongoing\n');
    expect(text).not.toContain('term: deadline');
  });

  it('quotes ids that another YAML reader would take for a boolean or null', () => {
    const seed = load(utf8('version: 1\nreport: {title: t}\nareas: [{id: Yes, name: n, problems: [{id: "null", title: t}]}]\nmeasures: [{id: "on", title: t, items: [{id: N, title: t, addresses: ["NULL"]}]}]\n'));
    const text = seedToYaml(seed);
    expect(text).toContain('- id: "Yes"');
    expect(text).toContain('- id: "null"');
    expect(text).toContain('addresses: ["null"]');
    expect(roundTrip(seed)).toEqual(seed);
  });

  it('escapes what a double-quoted string cannot hold as it is', () => {
    const seed = load(utf8('version: 1\nreport:\n  title: "引号\\"、反斜杠\\\\、制表\\t、\\uFEFF与\\u2028行"\nareas: [{id: A, name: n, problems: [{id: P, title: t}]}]\nmeasures: [{id: M, title: t, items: [{id: I, title: t}]}]\n'));
    expect(seed.report.title).toBe('引号"、反斜杠\\、制表\t、\ufeff与\u2028行');
    expect(seedToYaml(seed)).toContain('  title: "引号\\"、反斜杠\\\\、制表\\t、\\ufeff与\\u2028行"\n');
    expect(roundTrip(seed)).toEqual(seed);
  });
});

// ---- generated seeds --------------------------------------------------------------------------

/** Text as loadSeed returns it: no control characters but tab and line feed, trimmed, not empty. */
function normalise(s: string, oneLine: boolean): string {
  let t = s.replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, '');
  if (oneLine) t = t.replace(/\n/g, ' ');
  t = t.trim();
  return t === '' ? '空' : t;
}
const tricky = fc.constantFrom(
  '"', "'", ':', ': ', ' :', '#', ' #', '\\', '\n', '\n\n', '\t', '  ', '- ', '? ', '[', ']', '{', '}', ',', '&a', '*a', '!!str',
  '|', '>', '%', '@', '`', '---', '...', '中文', '“引号”', '：', '😀', '👨‍👩‍👧', '\u3000', '\u00a0', '\ufeff', '\u2028', 'null', 'true',
  '1', '0x1F', '2024-01-01', '~', 'é', '\r\n', '\u0007',
);
const text = (oneLine = false) =>
  fc.array(fc.oneof(fc.string({ unit: 'grapheme', maxLength: 6 }), tricky), { maxLength: 10 })
    .map((parts) => normalise(parts.join(''), oneLine));
const optionalText = fc.option(text(), { nil: null });
const date = fc.date({ min: new Date('1900-01-01T00:00:00Z'), max: new Date('2199-12-31T00:00:00Z'), noInvalidDate: true })
  .map((d) => d.toISOString().slice(0, 10));
const idTail = fc.stringMatching(/^[A-Za-z0-9._-]{0,6}$/);

/** A seed with unique ids (without case) and addresses naming its problems. */
const seedArb: fc.Arbitrary<Seed> = fc
  .record({
    report: fc.record({ title: text(), unit: optionalText, date: fc.option(date, { nil: null }) }),
    areas: fc.array(fc.record({ name: text(), problems: fc.array(fc.record({ title: text(), detail: optionalText }), { minLength: 1, maxLength: 3 }) }), { minLength: 1, maxLength: 3 }),
    causes: fc.array(fc.record({ title: text(), detail: optionalText }), { maxLength: 2 }),
    measures: fc.array(
      fc.record({
        title: text(),
        detail: optionalText,
        items: fc.array(
          fc.record({
            title: text(true),
            detail: optionalText,
            picks: fc.array(fc.nat(), { maxLength: 3 }),
            owner: optionalText,
            department: optionalText,
            due: fc.option(date, { nil: null }),
            term: fc.constantFrom(...TERMS),
          }),
          { minLength: 1, maxLength: 3 },
        ),
      }),
      { minLength: 1, maxLength: 3 },
    ),
    tails: fc.array(idTail, { minLength: 40, maxLength: 40 }),
  })
  .map((g) => {
    let n = 0;
    // A counter keeps ids unique; the random tail keeps them varied.
    const id = (prefix: string) => `${prefix}${n++}${g.tails[n % 40] === '' ? '' : '_' + g.tails[n % 40]}`.slice(0, 32);
    const areas = g.areas.map((a) => ({ id: id('A'), name: a.name, problems: a.problems.map((p) => ({ id: id('p'), ...p })) }));
    const problemIds = areas.flatMap((a) => a.problems.map((p) => p.id));
    const causes = g.causes.map((c) => ({ id: id('C'), ...c }));
    const measures = g.measures.map((m) => ({
      id: id('M'),
      title: m.title,
      detail: m.detail,
      items: m.items.map(({ picks, ...it }): SeedItem => ({
        id: id('i'),
        title: it.title,
        detail: it.detail,
        addresses: [...new Set(picks.map((k) => problemIds[k % problemIds.length] as string))],
        owner: it.owner,
        department: it.department,
        due: it.due,
        term: it.term,
      })),
    }));
    return { version: 1 as const, report: g.report, areas, causes, measures };
  });

describe('seedToYaml and loadSeed together', () => {
  it('give back any seed they are handed: Chinese, emoji, quotes, colons, #, leading spaces, line breaks', () => {
    fc.assert(
      fc.property(seedArb, (seed) => {
        expect(roundTrip(seed)).toEqual(seed);
      }),
      { numRuns: Number(process.env.SEED_FC_RUNS ?? 400) },
    );
  });
});
