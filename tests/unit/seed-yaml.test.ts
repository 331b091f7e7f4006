import { readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments, stringify } from 'yaml';
import { loadSeed, seedToYaml, type SeedResult } from '../../src/core/seed.js';
import type { Seed } from '../../src/core/types.js';
import { enSeed } from '../../src/i18n/en-seed.js';

const runs = Number(process.env.SEED_FC_RUNS ?? 400);
const read = (name: string) => readFileSync(new URL(name, import.meta.url), 'utf8');
const texts = {
  bundled: read('../../data/seed.yaml'),
  county: read('../fixtures/seeds/county-education.yaml'),
  minimal: read('../fixtures/seeds/minimal.yaml'),
};

/** Why loadSeed refused, for a text the yaml package reads without an error or a warning, on
 *  grounds of YAML itself (syntax, nesting, a second BOM, size): null when it did not. Such a
 *  refusal would be a valid document refused by what we add around the parser. */
function refusedValid(text: string): string | null {
  const docs = parseAllDocuments(text, { uniqueKeys: false, strict: true });
  if (!Array.isArray(docs) || docs.length > 1) return null;
  if (docs.some((d) => d.errors.length > 0 || d.warnings.length > 0)) return null;
  const r = loadSeed(new TextEncoder().encode(text));
  if (r.ok) return null;
  const yamlLevel = r.issues.filter((i) =>
    (i.key.startsWith('seed.yaml.') && i.key !== 'seed.yaml.aliasLimit' && i.key !== 'seed.yaml.unknownAlias')
    || i.key === 'seed.nesting' || i.key === 'seed.bom' || i.key === 'seed.tooLarge');
  if (yamlLevel.length === 0) return null;
  writeFileSync(`${tmpdir()}/seed-yaml-refused-valid.yaml`, text);
  return yamlLevel.map((i) => `${i.line}:${i.column} ${i.key}`).join(', ');
}

const fragment = fc.constantFrom(
  'a:', 'b: ', 'key: value', '- ', '-', '? ', ': ', 'x', '"q"', "'s'", '"e\\n"', '[a, b]', '{a: 1, b}', '[', ']', '{', '}', ',',
  '|', '|-', '>', '>+', '&x ', '*x', '!!str ', '!!map', '# c', ' #c', '---', '...', 'null', '~', '1', 'a b', 'x: y', '"k": v',
  '- a', '- b: c', '\t', '  ', ' ', ':', 'a:b', '%YAML 1.2', "''", '""', '中文', "it's", '"open', '[x,', 'c: [d,\n  e]', '\n',
);
const yamlish = fc
  .array(fc.tuple(fc.integer({ min: 0, max: 6 }), fc.array(fragment, { minLength: 1, maxLength: 4 })), { minLength: 1, maxLength: 8 })
  .map((lines) => lines.map(([indent, parts]) => ' '.repeat(indent) + parts.join('')).join('\n') + '\n');

const edit = fc.constantFrom(
  '', ' ', '  ', '-', '- ', ':', ': ', '\n', '"', "'", '\t', ' #', '[', ']', '{', '}', ',', '|', '>', '&a ', '*a', '!!str ', '? ', '---\n', '\\', 'x',
);
/** A real seed with a few characters inserted or deleted here and there. */
const mutated = (base: string) =>
  fc.array(fc.tuple(fc.nat(), fc.nat({ max: 3 }), edit), { minLength: 1, maxLength: 4 }).map((edits) => {
    let t = base;
    for (const [at, cut, put] of edits) {
      const p = at % (t.length + 1);
      t = t.slice(0, p) + put + t.slice(p + cut);
    }
    return t;
  });

// Valid seeds, generated, then written in the styles people and programs use.
const word = fc.stringMatching(/^[A-Za-z\u4e00-\u4e2f][A-Za-z0-9 \u4e00-\u4e2f,.:#'"!&*?-]{0,30}$/)
  .map((t) => t.trim()).filter((t) => t.length > 0);
const date = fc.constantFrom('2024-01-31', '2024-02-29', '2025-12-01', null);
const validSeed: fc.Arbitrary<Seed> = fc
  .record({
    title: word, unit: fc.option(word, { nil: null }), date,
    areas: fc.array(fc.record({ name: word, problems: fc.array(fc.record({ title: word, detail: fc.option(word, { nil: null }) }), { minLength: 1, maxLength: 3 }) }), { minLength: 1, maxLength: 3 }),
    measures: fc.array(fc.array(fc.record({
      title: word, owner: fc.option(word, { nil: null }), due: date,
      term: fc.constantFrom('immediate', 'deadline', 'ongoing') as fc.Arbitrary<'immediate' | 'deadline' | 'ongoing'>,
      pick: fc.nat(),
    }), { minLength: 1, maxLength: 3 }), { minLength: 1, maxLength: 3 }),
  })
  .map((g) => {
    const areas = g.areas.map((a, i) => ({ id: `A${i + 1}`, name: a.name, problems: a.problems.map((p, j) => ({ id: `P${i + 1}.${j + 1}`, title: p.title, detail: p.detail })) }));
    const problems = areas.flatMap((a) => a.problems.map((p) => p.id));
    return {
      version: 1 as const,
      report: { title: g.title, unit: g.unit, date: g.date },
      areas,
      causes: [],
      measures: g.measures.map((items, i) => ({
        id: `M${i + 1}`, title: `措施${i + 1}`, detail: null,
        items: items.map((it, j) => ({
          id: `M${i + 1}.${j + 1}`, title: it.title, detail: null, addresses: [problems[it.pick % problems.length]!],
          owner: it.owner, department: null, due: it.due, term: it.term,
        })),
      })),
    };
  });

/** The same seed in other YAML styles: flow (JSON is YAML), the yaml package's own block and
 *  flow output, and ours with directives, comments and an end marker added. */
function styles(seed: Seed): string[] {
  const ours = seedToYaml(seed);
  return [
    ours,
    JSON.stringify(seed, null, 2),
    JSON.stringify(seed),
    stringify(seed),
    stringify(seed, { collectionStyle: 'flow' }),
    '# a comment\n%YAML 1.2\n---\n' + ours.replace(/^(areas:)$/m, '$1 # the areas') + '...\n',
  ];
}

describe('the YAML reader', () => {
  it('loads every valid seed, in every style, to the same seed', () => {
    fc.assert(fc.property(validSeed, (seed) => {
      for (const text of styles(seed)) {
        const r = loadSeed(new TextEncoder().encode(text));
        if (!r.ok) writeFileSync(`${tmpdir()}/seed-yaml-refused-valid.yaml`, text);
        expect(r.ok ? r.seed : r.issues).toEqual(seed);
      }
    }), { numRuns: Math.max(20, runs / 8) });
  });

  it('never refuses, on grounds of YAML, a text the yaml package reads cleanly', () => {
    fc.assert(fc.property(yamlish, (text) => {
      expect(refusedValid(text)).toBeNull();
    }), { numRuns: runs * 2 });
    for (const base of [texts.bundled.slice(0, 4000), texts.county]) {
      fc.assert(fc.property(mutated(base), (text) => {
        expect(refusedValid(text)).toBeNull();
      }), { numRuns: runs / 2 });
    }
  });

  it('refuses what the yaml package refuses', () => {
    fc.assert(fc.property(yamlish, (text) => {
      const docs = parseAllDocuments(text, { uniqueKeys: false, strict: true });
      const bad = !Array.isArray(docs) || docs.some((d) => d.errors.some((e) => e.code !== 'DUPLICATE_KEY'));
      if (bad) expect(loadSeed(new TextEncoder().encode(text)).ok).toBe(false);
    }), { numRuns: runs });
  });

  it('reads block, flow, quoted and block-scalar text as YAML does, plain scalars by their source', () => {
    const title = (value: string) => {
      const r = loadSeed(new TextEncoder().encode(`version: 1\nreport:\n  title: ${value}\nareas: [{id: A1, name: a, problems: [{id: P1, title: p}]}]\nmeasures: [{id: M1, title: m, items: [{id: M1.1, title: i}]}]\n`));
      return r.ok ? r.seed.report.title : r.issues.map((i) => i.key).join();
    };
    expect(title('"double \\u4e2d"')).toBe('double 中');
    expect(title("'single ''quoted'''")).toBe("single 'quoted'");
    expect(title('|\n    keep\n    two')).toBe('keep\ntwo');
    expect(title('>\n    folded\n    line')).toBe('folded line');
    expect(title('multi\n    line plain')).toBe('multi line plain');
    expect(title('0x1F')).toBe('0x1F');
    expect(title('1.50')).toBe('1.50');
    expect(title('&t anchored')).toBe('anchored');
  });
});

function wellFormed(r: SeedResult, text: string): void {
  if (r.ok) return;
  expect(r.issues.length).toBeGreaterThan(0);
  const lines = text.split('\n').length;
  for (const i of r.issues) {
    expect(Object.prototype.hasOwnProperty.call(enSeed, i.key)).toBe(true);
    expect(i.line).toBeGreaterThanOrEqual(1);
    expect(i.line).toBeLessThanOrEqual(lines);
    expect(i.column).toBeGreaterThanOrEqual(1);
  }
  const order = r.issues.map((i) => i.line * 1e6 + i.column);
  expect(order).toEqual([...order].sort((a, b) => a - b));
}

describe('loadSeed on any input', () => {
  const utf8 = (t: string) => new TextEncoder().encode(t);

  it('never throws on random bytes', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
      const r = loadSeed(bytes);
      expect(r.ok).toBe(false);
    }), { numRuns: runs });
  });

  it('never throws on random text, and places every issue inside it', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 200 }), (text) => {
      const clean = text.replace(/[\ud800-\udfff]/g, '');
      wellFormed(loadSeed(utf8(clean)), clean);
    }), { numRuns: runs });
  });

  it('never throws on YAML-ish text', () => {
    fc.assert(fc.property(yamlish, (text) => {
      wellFormed(loadSeed(utf8(text)), text);
    }), { numRuns: runs * 2 });
  });

  it('never throws on seeds with a few characters changed, written by hand or by seedToYaml', () => {
    const written = seedToYaml((loadSeed(utf8(texts.county)) as { ok: true; seed: Parameters<typeof seedToYaml>[0] }).seed);
    for (const base of [texts.minimal, texts.county, written]) {
      fc.assert(fc.property(mutated(base), (text) => {
        wellFormed(loadSeed(utf8(text)), text);
      }), { numRuns: runs / 2 });
    }
  });
});
