import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadSeed, MAX_ISSUES, YAML_MAX_BYTES, type SeedIssue, type SeedResult } from '../../src/core/seed.js';
import type { Seed } from '../../src/core/types.js';
import { t } from '../../src/i18n/index.js';

const fixture = (name: string): Uint8Array => readFileSync(new URL(`../fixtures/seeds/${name}`, import.meta.url));
const bundled = (): Uint8Array => readFileSync(new URL('../../data/seed.yaml', import.meta.url));
const utf8 = (text: string): Uint8Array => new TextEncoder().encode(text);

function ok(r: SeedResult): Seed {
  if (!r.ok) throw new Error('expected a seed, got:\n' + r.issues.map((i) => `${i.line}:${i.column}: ${t(i.key, i.params)}`).join('\n'));
  return r.seed;
}
function issues(r: SeedResult): SeedIssue[] {
  if (r.ok) throw new Error('expected issues, got a seed');
  return r.issues;
}
/** `LINE:COLUMN key` for each issue: what the command layer prints, minus the words. */
const where = (r: SeedResult): string[] => issues(r).map((i) => `${i.line}:${i.column} ${i.key}`);

const minimal = readFileSync(new URL('../fixtures/seeds/minimal.yaml', import.meta.url), 'utf8');
/** The minimal seed with one line changed. */
function edited(from: string, to: string): Uint8Array {
  expect(minimal).toContain(from);
  return utf8(minimal.replace(from, to));
}

describe('the bundled seed', () => {
  it('loads with 6 areas, 13 problems, 5 causes, 5 measures and 12 items', () => {
    const seed = ok(loadSeed(bundled()));
    expect(seed.version).toBe(1);
    expect(seed.report).toEqual({ title: '市局领导班子主题教育对照检查材料', unit: '市局领导班子', date: null });
    expect(seed.areas).toHaveLength(6);
    expect(seed.areas.flatMap((a) => a.problems)).toHaveLength(13);
    expect(seed.causes).toHaveLength(5);
    expect(seed.measures).toHaveLength(5);
    expect(seed.measures.flatMap((m) => m.items)).toHaveLength(12);
  });

  it('keeps the terms and addresses the report implies', () => {
    const items = ok(loadSeed(bundled())).measures.flatMap((m) => m.items);
    const byId = new Map(items.map((i) => [i.id, i]));
    expect(byId.get('M2.1')).toMatchObject({ term: 'ongoing', addresses: ['P1.2', 'P6.1'], owner: null, due: null });
    expect(byId.get('M5.3')).toMatchObject({ term: 'immediate', addresses: ['P6.1'] });
    expect(byId.get('M1.1')?.term).toBe('deadline');
    expect(byId.get('M4.1')?.addresses).toEqual(['P3.1', 'P4.1', 'P4.2']);
  });
});

describe('the county education seed', () => {
  const seed = () => ok(loadSeed(fixture('county-education.yaml')));

  it('loads its report, quoted and unquoted, with a %YAML directive, --- and ...', () => {
    expect(seed().report).toEqual({
      title: '县教育局2024年校园安全与师德师风专项自查报告',
      unit: '某县教育局党组',
      date: '2024-03-18',
    });
  });

  it('loads its three areas and their problems, block scalars resolved as YAML says', () => {
    expect(seed().areas).toEqual([
      {
        id: 'SAFE',
        name: '校园安全管理',
        problems: [
          {
            id: 'SAFE-1',
            title: '部分农村学校消防设施老化',
            detail: '抽查的 12 所农村小学中，有 5 所学校灭火器超过有效期，\n3 所学校应急照明灯损坏未及时更换。',
          },
          // `>-` folds a line break into a space, as YAML says, even between Chinese lines.
          { id: 'SAFE-2', title: '校车安全管理台账不完整', detail: '部分学校校车驾驶员的年度体检记录缺失， 随车照管员培训记录不全。' },
        ],
      },
      {
        id: 'FOOD',
        name: '食品安全',
        problems: [{ id: 'FOOD-1', title: '学校食堂食材索证索票不规范', detail: '个别食堂未按要求留存供货商资质证明和检验检疫票据。' }],
      },
      {
        id: 'ETHICS',
        name: '师德师风',
        problems: [
          { id: 'ETHICS-1', title: '在职教师有偿补课问题仍有发生', detail: '群众来信反映，县城两所初中个别教师在校外机构兼职授课：“周末补课”现象未杜绝。' },
          { id: 'ETHICS-2', title: '师德考核流于形式', detail: null },
        ],
      },
    ]);
  });

  it('loads its causes, a |- block keeping its inner line break', () => {
    expect(seed().causes).toEqual([
      { id: 'C1', title: '安全责任落实层层递减', detail: '县局与学校签订了安全责任书，\n但对责任书执行情况的督查不够。' },
      { id: 'C2', title: '日常监管手段单一', detail: null },
    ]);
  });

  it('loads its measures and items: owners through an alias, dates quoted or not, terms defaulting to deadline', () => {
    expect(seed().measures).toEqual([
      {
        id: 'M1',
        title: '全面排查整改校园消防隐患',
        detail: '以农村学校为重点，开展为期两个月的消防设施专项排查。',
        items: [
          { id: 'M1.1', title: '更换过期灭火器和损坏的应急照明灯', detail: null, addresses: ['SAFE-1'], owner: '李建国', department: '安全股', due: '2024-05-31', term: 'immediate' },
          {
            id: 'M1.2',
            title: '建立消防设施季度巡检制度',
            detail: '每季度由学校后勤负责人巡检一次，\n县局安全股随机抽查。\n\n巡检结果纳入学校年度考核。',
            // Written `safe-1` in a block list: stored as the problem spells its id.
            addresses: ['SAFE-1'],
            owner: '李建国',
            department: '安全股',
            due: '2024-06-30',
            term: 'deadline',
          },
        ],
      },
      {
        id: 'M2',
        title: '规范校车和食堂管理',
        detail: null,
        items: [
          { id: 'M2.1', title: '补齐校车驾驶员体检和照管员培训记录', detail: null, addresses: ['SAFE-2'], owner: '王芳', department: '基础教育股', due: '2024-04-30', term: 'deadline' },
          { id: 'M2.2', title: '推行食堂食材“一票通”索证索票', detail: '与市场监管部门联合检查，每学期不少于一次。', addresses: ['FOOD-1'], owner: '赵强', department: '计财股', due: '2024-09-01', term: 'ongoing' },
        ],
      },
      {
        id: 'M3',
        title: '严肃整治有偿补课',
        detail: null,
        items: [
          { id: 'M3.1', title: '开展有偿补课专项治理并公布举报电话', detail: null, addresses: ['ETHICS-1', 'ETHICS-2'], owner: '陈静', department: '人事股', due: '2024-12-31', term: 'deadline' },
          { id: 'M3.2', title: '将师德考核结果与评优评先挂钩', detail: null, addresses: [], owner: null, department: '人事股', due: null, term: 'ongoing' },
        ],
      },
    ]);
  });
});

describe('each rule of the seed format', () => {
  // [fixture in invalid/, the issues as LINE:COLUMN key, in order]
  const cases: [string, string[]][] = [
    ['syntax-bad-indent.yaml', ['16:4 seed.yaml.badIndent']],
    ['syntax-unclosed-quote.yaml', ['25:12 seed.yaml.unclosedQuote']],
    ['syntax-unclosed-flow.yaml', ['38:20 seed.yaml.unclosedFlow']],
    ['syntax-missing-colon.yaml', ['30:9 seed.yaml.missingColon']],
    ['syntax-tab-indent.yaml', ['31:1 seed.yaml.tabIndent']],
    ['syntax-nested-map.yaml', ['12:16 seed.yaml.nestedMap']],
    ['syntax-bad-escape.yaml', ['22:17 seed.yaml.badEscape']],
    ['multiple-documents.yaml', ['49:1 seed.yaml.multipleDocuments']],
    ['empty.yaml', ['1:1 seed.emptyFile']],
    ['comments-only.yaml', ['1:1 seed.emptyFile']],
    ['not-utf8.yaml', ['4:17 seed.utf8']],
    ['root-not-map.yaml', ['2:1 seed.rootNotMap']],
    ['version-missing.yaml', ['2:1 seed.version.missing']],
    ['version-2.yaml', ['2:10 seed.version.unsupported']],
    ['version-quoted.yaml', ['2:10 seed.version.unsupported']],
    ['report-title-missing.yaml', ['4:3 seed.required']],
    ['report-title-map.yaml', ['5:5 seed.expectedText']],
    ['report-title-null.yaml', ['4:3 seed.emptyValue']],
    ['report-title-blank.yaml', ['4:10 seed.emptyValue']],
    ['areas-empty.yaml', ['7:8 seed.atLeastOne', '17:21 seed.addresses.unknown', '26:21 seed.addresses.unknown', '32:21 seed.addresses.unknown']],
    ['areas-not-list.yaml', ['7:8 seed.expectedList']],
    ['problems-missing.yaml', ['15:5 seed.required']],
    ['measures-missing.yaml', ['2:1 seed.required']],
    ['items-empty.yaml', ['35:12 seed.atLeastOne']],
    ['unknown-key.yaml', ['45:9 seed.unknownKeySuggest']],
    ['duplicate-key.yaml', ['29:9 seed.duplicateKey']],
    ['id-invalid.yaml', ['13:13 seed.id.invalid', '38:21 seed.addresses.unknown']],
    ['id-duplicate.yaml', ['36:13 seed.id.duplicate']],
    ['addresses-scalar.yaml', ['38:20 seed.addresses.notList']],
    ['addresses-unknown.yaml', ['38:27 seed.addresses.unknown']],
    ['addresses-not-problem.yaml', ['38:21 seed.addresses.notProblem', '38:25 seed.addresses.notProblem']],
    ['date-not-real.yaml', ['32:14 seed.date.notReal']],
    ['date-not-real-quoted.yaml', ['32:14 seed.date.notReal']],
    ['date-format.yaml', ['47:14 seed.date.format']],
    ['term-invalid.yaml', ['48:15 seed.term.invalid']],
    ['control-char.yaml', ['34:16 seed.controlChar']],
    ['control-char-escaped.yaml', ['34:12 seed.controlChar']],
    ['item-title-multiline.yaml', ['37:16 seed.title.oneLine']],
    ['tag-unsupported.yaml', ['5:9 seed.yaml.tag']],
    ['alias-unknown.yaml', ['45:16 seed.yaml.unknownAlias']],
    ['alias-bomb.yaml', ['23:1 seed.unknownKey', '27:34 seed.yaml.aliasLimit']],
  ];
  for (const [name, expected] of cases) {
    it(`refuses invalid/${name} with ${expected.join(', ')}`, () => {
      expect(where(loadSeed(fixture('invalid/' + name)))).toEqual(expected);
    });
  }

  it('says which key was misspelt, with its full path, and what was probably meant', () => {
    const [issue] = issues(loadSeed(fixture('invalid/unknown-key.yaml')));
    expect(issue?.params).toEqual({ path: 'measures[2].items[0].owmer', suggestion: 'owner' });
    expect(t('seed.unknownKeySuggest', issue?.params)).toBe('unknown key measures[2].items[0].owmer; did you mean owner?');
  });

  it('lists the allowed keys when a key is unlike any of them', () => {
    const r = loadSeed(edited('        owner: 刘医生', '        负责人: 刘医生'));
    expect(issues(r)).toEqual([
      { line: 30, column: 9, key: 'seed.unknownKey', params: { path: 'measures[0].items[0].负责人', allowed: 'id, title, detail, addresses, owner, department, due, term' } },
    ]);
  });

  it('says where a duplicate id was first used, whatever its case', () => {
    const [issue] = issues(loadSeed(fixture('invalid/id-duplicate.yaml')));
    expect(issue?.params).toEqual({ path: 'measures[1].items[0].id', id: 'm1.1', line: 27 });
  });

  it('judges duplicate ids by their order in the file even across areas, causes and measures', () => {
    const r = loadSeed(utf8(
      'version: 1\nreport: {title: 报告}\nmeasures:\n  - id: X1\n    title: 措施\n    items:\n      - id: I1\n        title: 事项\n' +
      'areas:\n  - id: A1\n    name: 领域\n    problems:\n      - id: x1\n        title: 问题\n      - id: i1\n        title: 问题\n',
    ));
    expect(issues(r).map((i) => [i.line, i.column, i.key, i.params.line])).toEqual([
      [13, 13, 'seed.id.duplicate', 4],
      [15, 13, 'seed.id.duplicate', 7],
    ]);
  });

  it('names the bad byte of a file that is not UTF-8', () => {
    expect(issues(loadSeed(fixture('invalid/not-utf8.yaml')))[0]?.params).toEqual({ byte: 'C4' });
    expect(where(loadSeed(new Uint8Array([0x61, 0x3a, 0x20, 0xe4, 0xb8, 0x0a])))).toEqual(['1:4 seed.utf8']);
    expect(where(loadSeed(new Uint8Array([0x0a, 0xf0, 0x9f, 0x98, 0x80, 0xff])))).toEqual(['2:2 seed.utf8']);
    // An overlong encoding and a UTF-16 surrogate are not UTF-8 either.
    expect(where(loadSeed(new Uint8Array([0x61, 0xc0, 0xaf])))).toEqual(['1:2 seed.utf8']);
    expect(where(loadSeed(new Uint8Array([0xed, 0xa0, 0x80])))).toEqual(['1:1 seed.utf8']);
  });

  it('refuses the billion laughs quickly, without expanding the aliases', () => {
    const started = performance.now();
    const r = loadSeed(fixture('invalid/alias-bomb-classic.yaml'));
    expect(performance.now() - started).toBeLessThan(1000);
    // `items: *l9` stands for a billion nodes: refused where it is written, never expanded.
    expect(where(r).slice(0, 2)).toEqual(['20:1 seed.unknownKey', '52:12 seed.yaml.aliasLimit']);
  });

  it('refuses an alias bomb shaped like a seed when the aliases expand past the limit', () => {
    const started = performance.now();
    const r = loadSeed(fixture('invalid/alias-bomb.yaml'));
    expect(performance.now() - started).toBeLessThan(2000);
    expect(issues(r).at(-1)).toMatchObject({ key: 'seed.yaml.aliasLimit', params: { limit: 10_000 } });
  });

  it('accepts ordinary anchors and aliases', () => {
    const text = minimal.replace('        owner: 刘医生', '        owner: &liu 刘医生').replace('        owner: 张护士长', '        owner: *liu');
    expect(ok(loadSeed(utf8(text))).measures[2]?.items[0]?.owner).toBe('刘医生');
  });

  it('accepts far more than the alias limit of ordinary aliases in a large seed', () => {
    const items = Array.from({ length: 12_000 }, (_, i) => `      - id: M9.${i}\n        title: 事项${i}\n        owner: *boss\n        department: *office\n`).join('');
    const text = minimal.replace('        owner: 刘医生\n        department: 医务科', '        owner: &boss 刘医生\n        department: &office 医务科');
    const seed = ok(loadSeed(utf8(text + '  - id: M9\n    title: 很多事项\n    items:\n' + items)));
    expect(seed.measures[3]?.items).toHaveLength(12_000);
    expect(seed.measures[3]?.items[11_999]).toMatchObject({ owner: '刘医生', department: '医务科' });
  });

  it('refuses a second document even when it is empty', () => {
    expect(where(loadSeed(utf8(minimal + '---\n')))).toEqual(['49:1 seed.yaml.multipleDocuments']);
    expect(ok(loadSeed(utf8(minimal + '...\n# end\n'))).areas).toHaveLength(2);
  });

  it('refuses control characters where they are, in comments too, but not tabs', () => {
    expect(where(loadSeed(utf8(minimal.replace('# A small', '# A \u0001small'))))).toEqual(['1:5 seed.controlChar']);
    expect(issues(loadSeed(utf8(minimal.replace('# A small', '# A \u0001small'))))[0]?.params).toEqual({ code: 'U+0001' });
    expect(where(loadSeed(edited('  unit: 某市第一人民医院', '  unit: 某市\r第一人民医院')))).toEqual(['5:11 seed.controlChar']);
    expect(ok(loadSeed(edited('  unit: 某市第一人民医院', '  unit: "某市\\t第一\t人民医院"'))).report.unit).toBe('某市\t第一\t人民医院');
  });

  it('refuses a lone surrogate written as an escape', () => {
    expect(where(loadSeed(edited('  unit: 某市第一人民医院', '  unit: "\\ud800"')))).toEqual(['5:9 seed.badChar']);
  });

  it('refuses text where a list or mapping is needed, and lists or mappings where text is', () => {
    expect(where(loadSeed(edited('    name: 医疗质量', '    name: [医疗, 质量]')))).toEqual(['9:11 seed.expectedText']);
    expect(where(loadSeed(edited('  - id: M2\n', '  - 规范抗菌药物管理\n  - id: M2\n')))).toEqual(['33:5 seed.expectedMap']);
    expect(where(loadSeed(edited('report:\n  title: 某医院2024年医疗质量安全自查报告\n  unit: 某市第一人民医院\n  date: 2024-02-01', 'report: 某医院')))).toEqual(['3:9 seed.expectedMap']);
    expect(where(loadSeed(edited('addresses: [P1.2]', 'addresses: {P1.2: yes}')))).toEqual(['38:20 seed.expectedList']);
    expect(where(loadSeed(edited('addresses: [P1.2]', 'addresses: [[P1.2]]')))).toEqual(['38:21 seed.expectedText']);
  });

  it('refuses an id of 33 characters and accepts one of 32', () => {
    const long = 'P' + 'x'.repeat(32);
    expect(where(loadSeed(utf8(minimal.replaceAll('P1.2', long))))).toEqual(['13:13 seed.id.invalid', '38:21 seed.addresses.unknown']);
    const ok32 = long.slice(0, 32);
    expect(ok(loadSeed(utf8(minimal.replaceAll('P1.2', ok32)))).areas[0]?.problems[1]?.id).toBe(ok32);
  });

  it('refuses a date without leading zeros, quoted or not, and 29 February outside leap years', () => {
    expect(where(loadSeed(edited('due: 2024-06-30', 'due: "2024-6-30"')))).toEqual(['32:14 seed.date.format']);
    expect(where(loadSeed(edited('  date: 2024-02-01', '  date: 2024-02-01T08:00:00Z')))).toEqual(['6:9 seed.date.format']);
    expect(ok(loadSeed(edited('due: 2024-06-30', 'due: 2024-02-29'))).measures[0]?.items[0]?.due).toBe('2024-02-29');
    expect(where(loadSeed(edited('due: 2024-06-30', 'due: 1900-02-29')))).toEqual(['32:14 seed.date.notReal']);
  });

  it('reports every problem found, sorted by position', () => {
    const text = minimal
      .replace('due: 2024-06-30', 'due: 2024-13-01')
      .replace('        owner: 张护士长', '        onwer: 张护士长')
      .replace('term: immediate', 'term: soon')
      .replace('      - id: M2.1', '      - id: P1.1')
      .replace('    name: 院感防控', '    name: ""');
    expect(where(loadSeed(utf8(text)))).toEqual([
      '16:11 seed.emptyValue',
      '32:14 seed.date.notReal',
      '36:13 seed.id.duplicate',
      '45:9 seed.unknownKeySuggest',
      '48:15 seed.term.invalid',
    ]);
  });

  it(`lists at most ${MAX_ISSUES} problems and then says how many more there are`, () => {
    const items = Array.from({ length: 130 }, (_, i) => `      - id: M9.${i}\n        title: 事项${i}\n        due: 2024-02-31\n`).join('');
    const r = loadSeed(utf8(minimal + '  - id: M9\n    title: 很多事项\n    items:\n' + items));
    const list = issues(r);
    expect(list).toHaveLength(MAX_ISSUES + 1);
    expect(list.slice(0, MAX_ISSUES).every((i) => i.key === 'seed.date.notReal')).toBe(true);
    expect(list[MAX_ISSUES]).toEqual({ line: 52 + 3 * MAX_ISSUES + 2, column: 14, key: 'seed.tooManyIssues', params: { count: 30 } });
  });
});

describe('YAML syntax problems', () => {
  // [what is wrong, the seed text, the issues as LINE:COLUMN key]
  const cases: [string, string, string[]][] = [
    ['a list on its key\'s line', 'version: 1\nreport: - a\n', ['2:9 seed.yaml.seqOnKeyLine']],
    ['a list entry among mapping lines', 'version: 1\nreport:\n  title: t\n- a\n', ['4:1 seed.yaml.seqInMap']],
    ['an anchor before a list on the same line', 'version: 1\nareas:\n  &a - x\n', ['3:3 seed.yaml.seqProps']],
    ['a mapping on the --- line', '--- version: 1\n', ['1:5 seed.yaml.blockOnDocStart']],
    ['a quoted key over two lines', 'version: 1\n"re\n port": x\n', ['2:1 seed.yaml.multilineKey']],
    ['plain text starting with @', 'version: 1\nreport: @home\n', ['2:9 seed.yaml.badPlainStart']],
    ['a block scalar line indented less than its first', 'version: 1\nreport:\n  title: |\n      a\n    b\n', ['5:5 seed.yaml.badIndent']],
    ['a block scalar header with extra characters', 'version: 1\nreport:\n  title: |x\n    a\n', ['3:11 seed.yaml.blockScalarHeader']],
    ['a comment right after a value', 'version: 1\nreport: x#c\nareas: "a"#c\n', ['3:11 seed.yaml.spaceBeforeComment']],
    ['a tag right before a value', 'version: 1\nreport: !!str"x"\n', ['2:14 seed.yaml.spaceAfterProperty']],
    ['a list closed with }', 'version: 1\nareas: [a}\n', ['2:10 seed.yaml.flowMismatch']],
    ['two list entries without a comma', 'version: 1\nareas: ["a" "b"]\n', ['2:13 seed.yaml.flowComma']],
    ['two mapping entries without a comma', 'version: 1\nareas: {"a": "1" "b": 2}\n', ['2:18 seed.yaml.flowComma']],
    ['an unclosed list', 'version: 1\nareas: [a, b\nmeasures: x\n', ['2:8 seed.yaml.unclosedFlow']],
    ['a YAML 2.0 directive', '%YAML 2.0\n---\nversion: 1\n', ['1:1 seed.yaml.directive']],
    ['a %TAG directive', '%TAG ! tag:x,2024:\n---\nversion: 1\n', ['1:1 seed.yaml.directive']],
    ['a directive without ---', '%YAML 1.2\nversion: 1\n', ['2:1 seed.yaml.directivesEnd']],
    ['!!int on text', 'version: !!int abc\n', ['1:10 seed.yaml.tagMismatch']],
    ['!!map on text', 'version: 1\nreport: !!map x\n', ['2:9 seed.yaml.tagMismatch']],
    ['two anchors', 'version: &a &b 1\n', ['1:13 seed.yaml.twoAnchors']],
    ['two tags', 'version: !!int !!str 1\n', ['1:16 seed.yaml.twoTags']],
    ['an anchor on an alias', 'version: &v 1\nreport: &r *v\n', ['2:9 seed.yaml.aliasProperties']],
    ['a stray ]', 'version: 1\nreport: ]\n', ['2:9 seed.yaml.unexpected']],
    ['a double quote never closed', 'version: 1\nreport: "a\\\n', ['2:9 seed.yaml.unclosedQuote']],
  ];
  for (const [what, text, expected] of cases) {
    it(`refuses ${what} with ${expected.join(', ')}`, () => {
      expect(where(loadSeed(utf8(text)))).toEqual(expected);
    });
  }

  it('lists every missing field, even when several are missing from one mapping', () => {
    const r = loadSeed(utf8('version: 1\nreport: {title: t}\nareas:\n  - name: n\n    problems: [{id: P1, title: x}]\nmeasures:\n  - items: [{detail: d}]\n'));
    const messages = issues(r).map((i) => `${i.line}:${i.column} ${t(i.key, i.params)}`);
    expect(messages).toEqual([
      '4:5 areas[0].id is missing',
      '7:5 measures[0].id is missing',
      '7:5 measures[0].title is missing',
      '7:13 measures[0].items[0].id is missing',
      '7:13 measures[0].items[0].title is missing',
    ]);
    expect(where(loadSeed(utf8('version: 1\nreport: {title: t}\n')))).toEqual(['1:1 seed.required', '1:1 seed.required']);
  });

  it('refuses a key that is empty or not text, once the YAML is read', () => {
    const missing = ['1:1 seed.required', '1:1 seed.required', '1:1 seed.required'];
    expect(where(loadSeed(utf8('version: 1\n: x\n')))).toEqual([...missing, '2:1 seed.emptyKey']);
    expect(where(loadSeed(utf8('version: 1\n[a, b]: x\n')))).toEqual([...missing, '2:1 seed.complexKey']);
  });

  it('reports YAML syntax problems alone, before any rule of the seed format', () => {
    const text = minimal.replace('due: 2024-06-30', 'due: 2024-02-30').replace('    name: 院感防控', '   name: 院感防控');
    expect(where(loadSeed(utf8(text)))).toEqual(['16:4 seed.yaml.badIndent']);
  });

  it('reports several YAML syntax problems in one file, one per broken region', () => {
    const text = minimal.replace('    name: 院感防控', '   name: 院感防控').replace('    title: 加强病历质控', '    title: "加强病历质控\\q"');
    expect(where(loadSeed(utf8(text)))).toEqual(['16:4 seed.yaml.badIndent', '25:19 seed.yaml.badEscape']);
  });
});

describe('what the loader accepts', () => {
  it('takes plain scalars in text fields as their source text, numbers and booleans included', () => {
    const r = (v: string) => ok(loadSeed(edited('  title: 某医院2024年医疗质量安全自查报告', '  title: ' + v))).report.title;
    expect(r('2024')).toBe('2024');
    expect(r('2024年')).toBe('2024年');
    expect(r('100')).toBe('100');
    expect(r('1.50')).toBe('1.50');
    expect(r('true')).toBe('true');
    expect(r('0x1F')).toBe('0x1F');
    expect(r('"null"')).toBe('null');
  });

  it('trims white space, full-width spaces included, and turns null or empty optional fields into null', () => {
    const seed = ok(loadSeed(edited('  unit: 某市第一人民医院\n  date: 2024-02-01', '  unit: "\u3000 某市第一人民医院\t "\n  date: ~')));
    expect(seed.report.unit).toBe('某市第一人民医院');
    expect(seed.report.date).toBeNull();
    const empty = ok(loadSeed(edited('        owner: 刘医生\n        department: 医务科', '        owner: ""\n        department:')));
    expect(empty.measures[0]?.items[0]).toMatchObject({ owner: null, department: null });
  });

  it('takes version 1 written as any YAML integer 1, or with the !!int tag', () => {
    for (const v of ['1', '+1', '0x1', '0o1', '!!int 1']) {
      expect(ok(loadSeed(edited('version: 1', 'version: ' + v))).version).toBe(1);
    }
    for (const v of ['1.0', '"1"', "'1'", '!!str 1', 'one', '~', '[1]']) {
      expect(where(loadSeed(edited('version: 1', 'version: ' + v)))[0]).toMatch(/^2:\d+ seed\.version\.unsupported$/);
    }
  });

  it('takes terms in any letter case and defaults to deadline', () => {
    expect(ok(loadSeed(edited('term: immediate', 'term: Ongoing'))).measures[2]?.items[0]?.term).toBe('ongoing');
    expect(ok(loadSeed(edited('        term: immediate\n', ''))).measures[2]?.items[0]?.term).toBe('deadline');
    expect(ok(loadSeed(edited('term: immediate', 'term: ~'))).measures[2]?.items[0]?.term).toBe('deadline');
  });

  it('resolves addresses without regard to case, stores them as the problem spells its id, each once', () => {
    const item = ok(loadSeed(edited('addresses: [P1.2]', 'addresses: [p1.2, P2.1, P1.2]'))).measures[1]?.items[0];
    expect(item?.addresses).toEqual(['P1.2', 'P2.1']);
  });

  it('takes addresses in block style, flow style, empty or null', () => {
    const a = (v: string) => ok(loadSeed(edited('addresses: [P1.2]', 'addresses:' + v))).measures[1]?.items[0]?.addresses;
    expect(a('\n          - P1.2\n          - P2.1')).toEqual(['P1.2', 'P2.1']);
    expect(a(' [ P1.2 ,\n          P2.1 ]')).toEqual(['P1.2', 'P2.1']);
    expect(a(' []')).toEqual([]);
    expect(a('')).toEqual([]);
  });

  it('takes flow mappings, quoted keys and comments anywhere', () => {
    const seed = ok(loadSeed(utf8(
      '# 种子\n"version": 1 # 版本\nreport: {title: "报告", unit: 单位}\nareas: [{id: A1, name: 领域, problems: [{id: P1, title: "问题: 一"}]}]\n' +
      "measures:\n  - {id: M1, title: '措施''一''', items: [{id: M1.1, title: 事项, addresses: [P1], due: '2024-01-31'}]}\n",
    )));
    expect(seed.report).toEqual({ title: '报告', unit: '单位', date: null });
    expect(seed.areas[0]?.problems[0]?.title).toBe('问题: 一');
    expect(seed.measures[0]?.title).toBe("措施'一'");
    expect(seed.measures[0]?.items[0]).toMatchObject({ addresses: ['P1'], due: '2024-01-31' });
  });

  it('takes a byte order mark and counts columns after it', () => {
    const bom = new Uint8Array([0xef, 0xbb, 0xbf, ...fixture('county-education.yaml')]);
    expect(ok(loadSeed(bom))).toEqual(ok(loadSeed(fixture('county-education.yaml'))));
    expect(where(loadSeed(new Uint8Array([0xef, 0xbb, 0xbf, ...edited('version: 1', 'version: 2')])))).toEqual(['2:10 seed.version.unsupported']);
  });

  it('takes CRLF line endings, keeping none of the carriage returns', () => {
    const crlf = (b: Uint8Array) => utf8(new TextDecoder().decode(b).replace(/\n/g, '\r\n'));
    expect(ok(loadSeed(crlf(fixture('county-education.yaml'))))).toEqual(ok(loadSeed(fixture('county-education.yaml'))));
    expect(ok(loadSeed(crlf(bundled())))).toEqual(ok(loadSeed(bundled())));
    expect(where(loadSeed(crlf(fixture('invalid/date-not-real.yaml'))))).toEqual(['32:14 seed.date.notReal']);
  });

  it('counts columns in characters: Chinese and emoji are one column each', () => {
    const r = loadSeed(edited('    title: 加强病历质控\n', '    title: 加强😀病历质控\n    owner: 刘\n'));
    expect(where(r)).toEqual(['26:5 seed.unknownKey']);
    const r2 = loadSeed(edited('    title: 加强病历质控', '    title: 加强😀病历\u0007质控'));
    expect(where(r2)).toEqual(['25:17 seed.controlChar']);
  });
});

describe('the message catalogue', () => {
  it('has every loader message in English and Chinese with the same placeholders', async () => {
    const { enSeed } = await import('../../src/i18n/en-seed.js');
    const { zhSeed } = await import('../../src/i18n/zh-seed.js');
    const holes = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
    expect(Object.keys(zhSeed).sort()).toEqual(Object.keys(enSeed).sort());
    for (const key of Object.keys(enSeed) as (keyof typeof enSeed)[]) {
      expect(key.startsWith('seed.')).toBe(true);
      expect(holes(zhSeed[key]), key).toEqual(holes(enSeed[key]));
    }
  });

  it('uses full-width punctuation in Chinese prose', async () => {
    const { zhSeed } = await import('../../src/i18n/zh-seed.js');
    for (const [key, text] of Object.entries(zhSeed)) {
      expect(text, key).not.toMatch(/[\u4e00-\u9fff][,;?!()]|[,;?!()][\u4e00-\u9fff]/);
    }
  });
});

describe('hostile sizes and shapes', () => {
  it('refuses deep nesting before the parser recurses: flow brackets and block lists', () => {
    const flow = loadSeed(utf8('version: 1\nreport:\n  title: x\n  detail: ' + '['.repeat(3000) + ']'.repeat(3000) + '\n'));
    expect(where(flow)).toEqual(['4:109 seed.nesting']);
    const block = loadSeed(utf8('version: 1\nareas:\n' + Array.from({ length: 2000 }, (_, i) => ' '.repeat(i) + '-').join('\n') + ' x\n'));
    expect(where(block)).toEqual(['102:1 seed.nesting']);
    expect(t('seed.nesting', issues(block)[0]?.params)).toMatch(/^nesting too deep/);
    // Nesting a seed really uses is fine, in both styles.
    expect(ok(loadSeed(edited('addresses: [P1.2]', 'addresses: [P1.2]')))).toBeTruthy();
  });

  it('says what a second byte order mark is, not something about YAML', () => {
    const twice = new Uint8Array([0xef, 0xbb, 0xbf, 0xef, 0xbb, 0xbf, ...utf8(minimal)]);
    expect(where(loadSeed(twice))).toEqual(['1:1 seed.bom']);
  });

  it('refuses fields longer than the command line allows, with their length', () => {
    const r = loadSeed(edited('    title: 加强病历质控', '    title: ' + '长'.repeat(501)));
    expect(issues(r)).toEqual([{ line: 25, column: 12, key: 'seed.tooLong', params: { path: 'measures[0].title', max: 500, length: 501 } }]);
    expect(ok(loadSeed(edited('    title: 加强病历质控', '    title: ' + '长'.repeat(500)))).measures[0]?.title).toHaveLength(500);
  });

  it('counts every problem of a seed with thousands of them, listing the first', () => {
    const items = Array.from({ length: 5000 }, (_, i) => `      - id: M9.${i}\n        title: 事项${i}\n        due: 2024-02-31\n`).join('');
    const r = loadSeed(utf8(minimal + '  - id: M9\n    title: 很多事项\n    items:\n' + items));
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.total).toBe(5000);
      expect(r.issues).toHaveLength(MAX_ISSUES + 1);
      expect(r.issues[MAX_ISSUES]?.params).toEqual({ count: 4900 });
    }
  });

  it('refuses a YAML seed beyond the size limit before reading it, with a hint to use JSON Lines', () => {
    const big = new Uint8Array(YAML_MAX_BYTES + 1).fill(0x20);
    expect(where(loadSeed(big))).toEqual(['1:1 seed.tooLarge']);
    expect(t('seed.tooLarge', issues(loadSeed(big))[0]?.params)).toMatch(/JSON Lines/);
  });

  it('loads a 5,000-item seed', () => {
    const items = Array.from({ length: 5000 }, (_, i) => `      - id: M9.${i}\n        title: 事项${i}，落实整改要求\n        detail: 第${i}项的说明文字，较长一些，像真实的材料那样写上几十个字。\n        owner: 张${i % 50}\n        due: 2024-06-30\n        addresses: [P1.1]\n`).join('');
    const seed = ok(loadSeed(utf8(minimal + '  - id: M9\n    title: 很多事项\n    items:\n' + items)));
    expect(seed.measures[3]?.items).toHaveLength(5000);
  });
});

describe('the nesting check on valid text', () => {
  it('counts no level for the lines of a plain text, however they are indented', () => {
    const lines = Array.from({ length: 150 }, (_, i) => ' '.repeat(6 + i) + `第${i}行`).join('\n');
    const seed = ok(loadSeed(edited('    title: 加强病历质控\n', `    title: 加强病历质控\n    detail: 开头\n${lines}\n`)));
    expect(seed.measures[0]?.detail?.startsWith('开头 第0行 第1行')).toBe(true);
  });
});
