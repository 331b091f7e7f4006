import { readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isAlias, isMap, isScalar, isSeq, parseDocument, type Document } from 'yaml';
import { loadSeed, seedToYaml, type SeedResult } from '../../src/core/seed.js';
import { readYaml, type YNode } from '../../src/core/seed-yaml.js';
import { enSeed } from '../../src/i18n/en-seed.js';

const runs = Number(process.env.SEED_FC_RUNS ?? 800);
const read = (name: string) => readFileSync(new URL(name, import.meta.url), 'utf8');
const texts = {
  bundled: read('../../data/seed.yaml'),
  county: read('../fixtures/seeds/county-education.yaml'),
  minimal: read('../fixtures/seeds/minimal.yaml'),
};

/** Our nodes as plain data: scalars as their text (null for YAML null), maps as entry lists. */
function ours(n: YNode): unknown {
  switch (n.kind) {
    case 'scalar': return n.isNull ? null : n.value;
    case 'alias': return ours(n.target);
    case 'map': return { map: n.keys.map((k, i) => [ours(k), ours(n.values[i] as YNode)]) };
    case 'seq': return n.items.map(ours);
    default: return n;
  }
}
/** The yaml package's nodes the same way: plain scalars by their source, not their type. */
function theirs(n: unknown, doc: Document): unknown {
  if (n === null || n === undefined) return null;
  if (isAlias(n)) return theirs(n.resolve(doc), doc);
  if (isScalar(n)) {
    if (n.type === 'PLAIN' && n.value === null) return null;
    const source = (n as { source?: unknown }).source;
    return typeof source === 'string' ? source : String(n.value);
  }
  if (isMap(n)) return { map: n.items.map((p) => [theirs(p.key, doc), theirs(p.value, doc)]) };
  if (isSeq(n)) return n.items.map((x) => theirs(x, doc));
  return n;
}

/** Where our reader and the yaml package disagree on a text, or null when they agree. A text
 *  the yaml package refuses must be refused; one it accepts without warnings must give the
 *  same tree. (We may refuse more: yaml accepts some mis-indented input, and aliases to
 *  anchors never defined.) */
function disagreement(text: string): string | null {
  const d = compare(text);
  // Keep the input of a failure where it can be looked at: fast-check prints it escaped.
  if (d !== null) writeFileSync(`${tmpdir()}/seed-yaml-disagreement.yaml`, text);
  return d;
}

function compare(text: string): string | null {
  const doc = parseDocument(text, { uniqueKeys: false, prettyErrors: true });
  const r = readYaml(text);
  if (doc.errors.some((e) => e.code === 'IMPOSSIBLE')) return null;
  // After an empty value, yaml refuses a blank line holding a tab ("Tabs are not allowed as
  // indentation"), though nothing is indented by it; we let blank lines be blank.
  const lines = text.split('\n');
  const blankTab = (e: (typeof doc.errors)[number]) => e.code === 'TAB_AS_INDENT' && /^[ \t]*$/.test(lines[(e.linePos?.[0].line ?? 0) - 1] ?? 'x');
  if (doc.errors.length > 0 && doc.errors.every(blankTab)) return null;
  if (doc.errors.length > 0) return r.issues.length > 0 ? null : 'yaml refuses it: ' + doc.errors[0]?.message;
  if (doc.warnings.length > 0 || r.issues.length > 0) return null;
  // Explicit `?` keys with empty keys inside them (`? : x`, or a `:` line indented past its
  // `?`): yaml reads the `:` as the explicit key's value, the spec (and we) as part of the key.
  // Seeds have no use for explicit keys: leave that corner out.
  if (/^[ -]*\?(\s|$)/m.test(text) && /(^|\s):(\s|$)/m.test(text)) return null;
  const a = JSON.stringify(r.root ? ours(r.root) : null);
  let b: string;
  try {
    b = JSON.stringify(theirs(doc.contents, doc));
  } catch {
    return null; // a recursive alias: we refuse those
  }
  return a === b ? null : `trees differ:\n${a}\n${b}`;
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

describe('the YAML reader', () => {
  it('agrees with the yaml package on YAML-ish text: what it refuses, and the tree of what it accepts', () => {
    fc.assert(fc.property(yamlish, (text) => {
      expect(disagreement(text)).toBeNull();
    }), { numRuns: runs * 4 });
  });

  it('agrees with the yaml package on seeds with a few characters changed', () => {
    for (const base of [texts.bundled.slice(0, 4000), texts.county]) {
      fc.assert(fc.property(mutated(base), (text) => {
        expect(disagreement(text)).toBeNull();
      }), { numRuns: runs });
    }
  });

  it('reads block, flow, quoted and block-scalar styles as YAML does', () => {
    const text = [
      'a: plain text',
      'b: "double \\u4e2d\\n"',
      "c: 'single ''quoted'''",
      'd: |+',
      '  keep',
      '',
      'e: >',
      '  folded',
      '  line',
      '',
      '  para',
      'f: [x, "y", {z: 1}, [w]]',
      'g:',
      '- one',
      '- - two',
      '  - three',
      '? h',
      ': explicit',
      'i: &anchor {k: v}',
      'j: *anchor',
      'k: multi',
      '  line plain',
      'l: ~',
      'm:',
      '',
    ].join('\n');
    expect(disagreement(text)).toBeNull();
    const r = readYaml(text);
    expect(r.issues).toEqual([]);
    expect(ours(r.root as YNode)).toEqual({
      map: [
        ['a', 'plain text'], ['b', 'double 中\n'], ['c', "single 'quoted'"], ['d', 'keep\n\n'], ['e', 'folded line\npara\n'],
        ['f', ['x', 'y', { map: [['z', '1']] }, ['w']]], ['g', ['one', ['two', 'three']]], ['h', 'explicit'],
        ['i', { map: [['k', 'v']] }], ['j', { map: [['k', 'v']] }], ['k', 'multi line plain'], ['l', null], ['m', null],
      ],
    });
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
      }), { numRuns: runs });
    }
  });
});
