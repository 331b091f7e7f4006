// JSON Lines end to end: export --format jsonl as a full dump, init from it restoring the
// ledger exactly, JSON Lines seeds for init and import, and their refusals; and the YAML
// reader's answers to hostile seeds, through the built binary.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { rectify, tempDirsPerTest } from '../helpers/cli.js';

const dir = tempDirsPerTest();
const ok = (r: { code: number; stderr: string }) => expect(r.stderr === '' ? r.code : r.stderr).toBe(0);
const lines = (...records: unknown[]) => records.map((r) => JSON.stringify(r)).join('\n') + '\n';

/** A small JSON Lines seed: header, report, an area with two problems, a measure with items. */
function seedLines(extra: unknown[] = []): string {
  return lines(
    { kind: 'rectify', version: 1 },
    { kind: 'report', title: '某单位对照检查材料', unit: '某单位', date: '2024-01-15' },
    { kind: 'area', id: 'A1', name: '理论学习' },
    { kind: 'problem', id: 'P1.1', area: 'A1', title: '学习不深入', detail: null },
    { kind: 'problem', id: 'P1.2', area: 'a1', title: '制度不完善' },
    { kind: 'cause', id: 'C1', title: '理想信念不够坚定' },
    { kind: 'measure', id: 'M1', title: '深化学习', detail: '加强理论武装' },
    { kind: 'item', id: 'M1.1', measure: 'M1', title: '落实第一议题', addresses: ['p1.1'], owner: '王局长', due: '2024-06-30' },
    { kind: 'item', id: 'M1.2', measure: 'm1', title: '完善制度', addresses: ['P1.2', 'P1.1'], term: 'ongoing' },
    ...extra,
  );
}

describe('export --format jsonl and init from the dump', () => {
  it('restores a worked ledger exactly: export --format json and the dump print the same bytes', () => {
    const cwd = dir();
    ok(rectify(['init'], { cwd }));
    ok(rectify(['progress', 'M1.1', '40', '-m', '已部署'], { cwd, env: { RECTIFY_USER: '王' } }));
    ok(rectify(['done', 'M1.2', '--evidence', '会议纪要.pdf', '--evidence', '签到表'], { cwd, env: { RECTIFY_USER: '李' } }));
    ok(rectify(['verify', 'M1.2', '-m', '销号'], { cwd }));
    // A date still ahead: a past one is taken with a warning on stderr, which ok() refuses.
    ok(rectify(['assign', 'M2.1', '张三', '--due', '2099-01-01'], { cwd }));
    ok(rectify(['progress', 'M2.2', '10'], { cwd, env: { RECTIFY_USER: '赵' } }));
    ok(rectify(['undo'], { cwd, env: { RECTIFY_USER: '赵' } }));
    ok(rectify(['add', '新增事项', '--measure', 'M1', '--owner', '钱'], { cwd }));

    const dump = rectify(['export', '--format', 'jsonl'], { cwd });
    ok(dump);
    const records = dump.stdout.trimEnd().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(records[0]).toEqual({ kind: 'rectify', version: 1 });
    expect(records.find((r) => r.id === 'M1.2')).toMatchObject({ status: 'verified', evidence: ['会议纪要.pdf', '签到表'] });
    expect(records.find((r) => r.id === 'M2.1')).toMatchObject({ owner: '张三', pinned: ['owner', 'due'] });
    writeFileSync(join(cwd, 'backup.jsonl'), dump.stdout);

    const restored = rectify(['--db', 'restored.db', 'init', 'backup.jsonl'], { cwd });
    ok(restored);
    expect(restored.stdout).toContain('6 areas, 13 problems, 5 measures, 13 items');
    const original = rectify(['export', '--format', 'json'], { cwd });
    const copy = rectify(['--db', 'restored.db', 'export', '--format', 'json'], { cwd });
    expect(copy.stdout).toBe(original.stdout);
    expect(rectify(['--db', 'restored.db', 'export', '--format', 'jsonl'], { cwd }).stdout).toBe(dump.stdout);
    // The restored ledger goes on as the original would: the next id, and undo.
    const next = rectify(['--db', 'restored.db', 'add', 'x', '--measure', 'M1'], { cwd }).stdout;
    expect(next).toBe(rectify(['add', 'x', '--measure', 'M1'], { cwd }).stdout);
    expect(next).toBe('M1.4\n');
    expect(rectify(['--db', 'restored.db', 'undo'], { cwd, env: { RECTIFY_USER: '赵' } }).code).toBe(4);
  });

  it('refuses a dump that was tampered with, listing each problem with FILE:LINE:COLUMN, and leaves no ledger', () => {
    const cwd = dir();
    ok(rectify(['init'], { cwd }));
    ok(rectify(['done', 'M1.1', '--evidence', 'a.pdf'], { cwd }));
    const dump = rectify(['export', '--format', 'jsonl'], { cwd }).stdout.split('\n');
    const at = dump.findIndex((l) => l.includes('"id":"M1.1"'));
    dump[at] = dump[at]!.replace('"status":"done"', '"status":"finished"').replace('"evidence":["a.pdf"]', '"evidence":["b.pdf"]');
    writeFileSync(join(cwd, 'bad.jsonl'), dump.join('\n'));
    const r = rectify(['--db', 'x.db', 'init', 'bad.jsonl'], { cwd });
    expect(r.code).toBe(2);
    const line = at + 1;
    expect(r.stderr).toMatch(new RegExp(`^bad\\.jsonl:${line}:\\d+: item\\[0\\]\\.status: "finished" is not a status`, 'm'));
    expect(r.stderr).toMatch(new RegExp(`^bad\\.jsonl:${line}:\\d+: item\\[0\\]\\.evidence does not match`, 'm'));
    expect(r.stderr).toContain('rectify: seed bad.jsonl refused: 2 problem(s) found, nothing was written');
    expect(existsSync(join(cwd, 'x.db'))).toBe(false);
  });
});

describe('JSON Lines seeds', () => {
  it('init and import take a .jsonl seed, ids and references in any case', () => {
    const cwd = dir();
    writeFileSync(join(cwd, 'seed.jsonl'), seedLines());
    const r = rectify(['init', 'seed.jsonl'], { cwd });
    ok(r);
    expect(r.stdout).toContain('1 area, 2 problems, 1 measure, 2 items');
    const show = JSON.parse(rectify(['show', 'M1.2', '--json'], { cwd }).stdout) as { addresses: string[]; term: string };
    expect(show).toMatchObject({ addresses: ['P1.2', 'P1.1'], term: 'ongoing' });
    writeFileSync(join(cwd, 'more.jsonl'), seedLines([{ kind: 'item', id: 'M1.3', measure: 'M1', title: '新事项', owner: null }]));
    const imp = rectify(['import', 'more.jsonl'], { cwd });
    ok(imp);
    expect(imp.stdout).toMatch(/added\s+item\s+M1\.3/);
    // The YAML export of a ledger made from JSON Lines is a seed that init reads back.
    writeFileSync(join(cwd, 'back.yaml'), rectify(['export'], { cwd }).stdout);
    ok(rectify(['--db', 'y.db', 'init', 'back.yaml'], { cwd }));
  });

  it('refuses a JSON Lines seed with every problem at FILE:LINE:COLUMN, counted, and writes nothing', () => {
    const cwd = dir();
    const text = seedLines([
      { kind: 'item', id: 'M1.9', measure: 'M2', title: 't' },
      { kind: 'item', id: 'M1.1', measure: 'M1', title: 'again', owmer: 'x' },
      { kind: 'itme', id: 'M1.8' },
    ]) + '{"kind": "item", \n';
    writeFileSync(join(cwd, 'bad.jsonl'), text);
    const r = rectify(['init', 'bad.jsonl'], { cwd });
    expect(r.code).toBe(2);
    expect(r.stderr.split('\n').filter((l) => l.startsWith('bad.jsonl:'))).toEqual([
      'bad.jsonl:10:38: item[2].measure: "M2" is not defined on an earlier line (each line comes after the lines it names)',
      'bad.jsonl:11:21: item[3].id: id "M1.1" is already used at line 8 (ids are compared without case)',
      'bad.jsonl:11:59: unknown key item[3].owmer; did you mean owner?',
      'bad.jsonl:12:9: unknown kind "itme"; did you mean item?',
      'bad.jsonl:13:18: JSON syntax error: each line must be one JSON object',
    ]);
    expect(r.stderr).toContain('5 problem(s) found');
    expect(existsSync(join(cwd, 'rectify.db'))).toBe(false);
  });

  it('needs the header first and names a bad byte where it is', () => {
    const cwd = dir();
    writeFileSync(join(cwd, 'nohead.jsonl'), seedLines().split('\n').slice(1).join('\n'));
    expect(rectify(['init', 'nohead.jsonl'], { cwd }).stderr).toMatch(/^nohead\.jsonl:1:1: the first line must be the header/m);
    const bytes = Buffer.concat([Buffer.from(seedLines().replace('学习不深入', 'AB')), Buffer.from([0x0a])]);
    const at = bytes.indexOf(Buffer.from('AB'));
    bytes[at + 1] = 0xff;
    writeFileSync(join(cwd, 'bytes.jsonl'), bytes);
    expect(rectify(['init', 'bytes.jsonl'], { cwd }).stderr).toMatch(/^bytes\.jsonl:4:\d+: the file is not UTF-8 text \(byte 0xFF\)/m);
  });
});

describe('hostile YAML seeds', () => {
  it('refuses deep nesting with exit 2 and FILE:LINE:COL: nesting too deep, not a crash', () => {
    const cwd = dir();
    writeFileSync(join(cwd, 'flow.yaml'), 'version: 1\nreport:\n  title: x\n  detail: ' + '['.repeat(3000) + ']'.repeat(3000) + '\n');
    writeFileSync(join(cwd, 'block.yaml'), 'version: 1\nareas:\n' + Array.from({ length: 2000 }, (_, i) => ' '.repeat(i) + '-').join('\n') + ' x\n');
    for (const [file, where] of [['flow.yaml', '4:109'], ['block.yaml', '102:1']]) {
      const r = rectify(['init', file!], { cwd });
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(`${file}:${where}: nesting too deep`);
      expect(r.stderr).not.toMatch(/stack|unexpected failure/i);
    }
  });

  it('counts all 5,000 problems of a seed, and names a second BOM', () => {
    const cwd = dir();
    const items = Array.from({ length: 5000 }, (_, i) => `      - id: M1.${i}\n        title: 事项\n        due: 2024-02-31\n`).join('');
    writeFileSync(join(cwd, 'many.yaml'), 'version: 1\nreport: {title: t}\nareas: [{id: A1, name: a, problems: [{id: P1, title: p}]}]\nmeasures:\n  - id: M1\n    title: m\n    items:\n' + items);
    const r = rectify(['init', 'many.yaml'], { cwd });
    expect(r.stderr).toContain('5000 problem(s) found');
    expect(r.stderr).toContain('… and 4900 more problems not shown');
    writeFileSync(join(cwd, 'bom.yaml'), Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf, 0xef, 0xbb, 0xbf]), readFileSync(join(__dirname, '..', 'fixtures', 'seeds', 'minimal.yaml'))]));
    const bom = rectify(['init', 'bom.yaml'], { cwd });
    expect(bom.code).toBe(2);
    expect(bom.stderr).toMatch(/^bom\.yaml:1:1: a second byte order mark/m);
    expect(bom.stderr).not.toContain('---');
  });
});

describe('a YAML seed too large', () => {
  it('is refused before it is read, with a hint to use JSON Lines', () => {
    const cwd = dir();
    writeFileSync(join(cwd, 'huge.yaml'), Buffer.alloc(9 * 1048576, 0x20));
    const r = rectify(['init', 'huge.yaml'], { cwd });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('huge.yaml:1:1: the seed is 9 MB of YAML, more than the 8 MB a YAML seed may be; write large seeds as JSON Lines (.jsonl)');
    expect(existsSync(join(cwd, 'rectify.db'))).toBe(false);
  });
});

describe('JSON Lines read in chunks', () => {
  it('numbers lines right across chunk boundaries, lines of megabytes included, and CRLF', () => {
    const cwd = dir();
    const long = '长'.repeat(1_000_000);
    const text = seedLines().split('\n');
    // Line 5 (a problem) gets a detail of a million characters: 3 MB, over several chunks.
    text[4] = JSON.stringify({ kind: 'problem', id: 'P1.2', area: 'A1', title: '制度不完善', detail: long });
    const extra = Array.from({ length: 30_000 }, (_, i) => JSON.stringify({ kind: 'item', id: `M1.${i + 10}`, measure: 'M1', title: `事项${i}` }));
    extra[20_000] = JSON.stringify({ kind: 'item', id: 'M1.x', measure: 'M1', title: '' });
    writeFileSync(join(cwd, 'big.jsonl'), [...text.slice(0, -1), ...extra].join('\r\n') + '\r\n');
    const r = rectify(['init', 'big.jsonl'], { cwd });
    expect(r.code).toBe(2);
    expect(r.stderr.split('\n').filter((l) => l.startsWith('big.jsonl:'))).toEqual([
      'big.jsonl:5:68: problem[1].detail is 1000000 characters long; at most 20000 are allowed',
      `big.jsonl:${9 + 20_001}:51: item[${2 + 20_000}].title is empty`,
    ]);
    text[4] = JSON.stringify({ kind: 'problem', id: 'P1.2', area: 'A1', title: '制度不完善', detail: long.slice(0, 20_000) });
    extra[20_000] = JSON.stringify({ kind: 'item', id: 'M1.x', measure: 'M1', title: 'x' });
    writeFileSync(join(cwd, 'big.jsonl'), [...text.slice(0, -1), ...extra].join('\r\n') + '\r\n');
    const fine = rectify(['init', 'big.jsonl'], { cwd });
    expect(fine.stderr).toBe('');
    expect(fine.stdout).toContain('30002 items');
  });
});
