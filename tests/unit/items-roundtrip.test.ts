// What the command line accepts, an export must reload (issue 13): any text that passes the
// command line's rules (core's checkText) for a field, written into a seed by export's writer,
// is read back by the seed loader as the same text.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkText, type TextField } from '../../src/core/items.js';
import { loadSeed } from '../../src/core/seed.js';
import { seedToYaml } from '../../src/core/seed-write.js';
import type { Seed } from '../../src/core/types.js';

function seedWith(field: 'title' | 'detail' | 'owner' | 'department', value: string): Seed {
  return {
    version: 1,
    report: { title: '某单位', unit: null, date: null },
    areas: [{ id: 'A1', name: '方面', problems: [{ id: 'P1.1', title: '问题', detail: null }] }],
    causes: [],
    measures: [{
      id: 'M1', title: '措施', detail: null,
      items: [{ id: 'M1.1', title: '事项', detail: null, addresses: [], owner: null, department: null, due: null, term: 'deadline', [field]: value }],
    }],
  };
}

// Text as people paste it: any characters, with line breaks, tabs, controls, quotes, YAML
// marks and characters outside the basic plane weighted in.
const pasted = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.string({ unit: fc.constantFrom('a', ' ', '\n', '\r', '\t', '\x07', '\x1b', '\x85', '\u2028', '"', "'", '#', ':', '-', '|', '>', '{', '[', '&', '*', '!', '%', '@', '`', '王', '，', '😀', '\ud800', '\\'), maxLength: 30 }),
  fc.string({ unit: 'binary', maxLength: 30 }),
);

describe('text the command line accepts reloads from an export', () => {
  for (const field of ['title', 'detail', 'owner', 'department'] as const) {
    it(`for the ${field}`, () => {
      fc.assert(
        fc.property(pasted, (raw) => {
          const r = checkText(field as TextField, raw);
          if (!r.ok || r.value === null) return;
          const loaded = loadSeed(new TextEncoder().encode(seedToYaml(seedWith(field, r.value))));
          expect(loaded.ok, JSON.stringify(raw)).toBe(true);
          if (loaded.ok) expect(loaded.seed.measures[0]!.items[0]![field]).toBe(r.value);
        }),
        { numRuns: 400 },
      );
    });
  }
});
