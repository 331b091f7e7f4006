// width() answers most text from its own table and hands the rest to string-width: the
// two must agree on every character and on any mix of them.
import fc from 'fast-check';
import stringWidth from 'string-width';
import { describe, expect, it } from 'vitest';
import { truncate, widest, width, wrap } from '../../src/ui/text.js';

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

describe('wrapping a Latin word before a closing mark', () => {
  it('moves the whole word down with the mark, not its last letter', () => {
    const lines = wrap('台账：文件，或共享台账的 postgres:// 地址（默认：$RECTIFY_DB，否则向上查找', 60);
    expect(lines[1]!.startsWith('$RECTIFY_DB，')).toBe(true);
    expect(lines.every((l) => !/^[，。、；：）》]/.test(l))).toBe(true);
  });

  it('takes only the last letter when the word fills the line', () => {
    expect(wrap('默认：ABCDEFGHIJ，否则', 10)).toEqual(['默认：', 'ABCDEFGHI', 'J，否则']);
  });
});

describe('width and grapheme work at hostile lengths', () => {
  it('measures, cuts and wraps long runs of combining marks and emoji in linear time (a quadratic pass would time the test out)', () => {
    const marks = 'a\u0301\u0302'.repeat(64_000);
    expect(width(marks)).toBe(64_000);
    expect(width(truncate(marks, 60))).toBeLessThanOrEqual(60);
    const emoji = '👍🏽'.repeat(50_000);
    expect(width(emoji)).toBe(100_000);
    expect(wrap(emoji.slice(0, 20_000), 80).every((l) => width(l) <= 80)).toBe(true);
  });
});
