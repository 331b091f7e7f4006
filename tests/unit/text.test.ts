// width() answers most text from its own table and hands the rest to string-width: the
// two must agree on every character and on any mix of them.
import fc from 'fast-check';
import stringWidth from 'string-width';
import { describe, expect, it } from 'vitest';
import { truncate, widest, width } from '../../src/ui/text.js';

describe('width', () => {
  it('agrees with string-width on every character of the basic plane', () => {
    const differ: string[] = [];
    for (let c = 0; c <= 0xffff; c++) {
      if (c >= 0xd800 && c <= 0xdfff) continue;
      const ch = String.fromCharCode(c);
      if (width(ch) !== stringWidth(ch)) differ.push(c.toString(16));
    }
    expect(differ).toEqual([]);
  });

  it('agrees with string-width on mixed text: Chinese, punctuation, emoji, combining marks, colour', () => {
    const piece = fc.oneof(
      fc.string({ unit: 'grapheme', maxLength: 8 }),
      fc.constantFrom('整改台账', '，。、；：“”（）', '１２３％', 'ｱｲｳﾞﾟ', '█▏░', '🙂', '👩‍👩‍👧', 'é', 'e\u0301', '\u200b', '\u3099', 'か\u3099', '\u001b[31m红\u001b[39m', '①②', '—…'),
    );
    fc.assert(fc.property(fc.array(piece, { maxLength: 6 }), (parts) => {
      const s = parts.join('');
      expect(width(s)).toBe(stringWidth(s));
    }), { numRuns: 2000 });
  });

  it('counts a Chinese character as two columns and colour codes as none', () => {
    expect(width('整改 M1.1')).toBe(9);
    expect(width('\u001b[1m销号\u001b[22m')).toBe(4);
  });
});

describe('truncate', () => {
  it('cuts by columns, never inside a character, and marks the cut', () => {
    expect(truncate('深化学习意识，加强理论武装', 9)).toBe('深化学习…');
    expect(truncate('short', 9)).toBe('short');
    expect(width(truncate('a深化学习意识', 6))).toBeLessThanOrEqual(6);
  });
});

describe('widest', () => {
  it('measures lists longer than a call may have arguments (an import of a million ids)', () => {
    const ids = Array.from({ length: 300_000 }, (_, i) => `M${i}.1`);
    ids.push('整改事项编号');
    expect(widest(ids)).toBe(12);
    expect(widest([])).toBe(0);
  });
});
