// rectify's own documents drafted back: `report -o 台账.xlsx`, the text `report` and the Word
// `report -o X.docx`, in
// Chinese and English, for the bundled ledger and for another seed with some assignments,
// give back the ledger's areas, problems, measures and items: the ids the document shows,
// titles, owners, departments, due dates, terms and links.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { docxBlocks, xlsxSheets } from '../../src/commands/draft.js';
import { draftFromBlocks, draftFromMarkdownOrText, draftFromSheets, draftFromText, type DraftResult } from '../../src/core/draft/index.js';
import { loadSeed } from '../../src/core/seed.js';
import type { Seed } from '../../src/core/types.js';
import { runInProcess } from '../helpers/inproc.js';

const dir = mkdtempSync(join(tmpdir(), 'rectify-own-'));
afterAll(() => { if (!process.env.KEEP) rmSync(dir, { recursive: true, force: true }); });
const ROOT = new URL('../../', import.meta.url).pathname;
const CTX = { name: 'report', fallbackYear: 2026, defaultArea: 'Problems' };

/** What a 台账 or report can show of a seed: no details, causes or area ids. */
function shown(s: Seed, order = true) {
  return {
    title: s.report.title,
    areas: s.areas.map((a) => ({ name: a.name, problems: a.problems.map((p) => ({ id: p.id, title: p.title })) })),
    measures: s.measures.map((m) => ({
      id: m.id, title: m.title,
      items: m.items.map((i) => ({ id: i.id, title: i.title, addresses: order ? i.addresses : [...i.addresses].sort(), owner: i.owner, department: i.department, due: i.due, term: i.term })),
    })),
  };
}

function seedOf(r: DraftResult): Seed {
  if (!r.ok) throw new Error('expected a draft, got ' + r.reason);
  return r.draft.seed;
}

async function ledger(name: string, seed: string, assign: string[][]): Promise<{ db: string; seed: Seed }> {
  const db = join(dir, `${name}.db`);
  const run = (args: string[]) => runInProcess([...args, '--db', db], '2024-05-01');
  expect((await run(['init', seed])).code).toBe(0);
  for (const a of assign) expect((await run(['assign', ...a])).code).toBe(0);
  const exported = await run(['export']);
  const s = loadSeed(Buffer.from(exported.stdout));
  if (!s.ok) throw new Error('export does not load');
  return { db, seed: s.seed };
}

/** A seed whose ids follow no numbering draft would make up: measures ZG-A and ZG-B. */
const ODD = join(dir, 'odd.yaml');
writeFileSync(ODD, [
  'version: 1', 'report:', '  title: 某办整改台账', 'areas:', '  - id: X', '    name: 作风', '    problems:',
  '      - id: W-1', '        title: 会议偏多', '      - id: W-2', '        title: 文件偏长',
  'measures:', '  - id: ZG-A', '    title: 精文简会', '    items:',
  '      - id: ZG-A.1', '        title: 压减会议', '        addresses: [W-1]', '        term: immediate',
  '      - id: ZG-A.7', '        title: 压缩篇幅', '        addresses: [W-2, W-1]', '        due: 2024-09-30',
  '  - id: ZG-B', '    title: 长效机制', '    items:', '      - id: ZG-B.1', '        title: 建立制度', '        addresses: [W-1, W-2]', '        term: ongoing',
  '',
].join('\n'));

/** Titles long enough that the 台账 breaks its cells into lines for print (report-xlsx.ts,
 *  breakLines): an item's several problems, each over lines, and English titles broken at
 *  spaces, whose next line starts with a word that looks like an id. */
const LONG = join(dir, 'long.yaml');
writeFileSync(LONG, [
  'version: 1', 'report:', '  title: 某局长标题整改台账', 'areas:', '  - id: A1', '    name: 作风建设', '    problems:',
  '      - id: P1', '        title: 一些党员干部学习贯彻新思想不够深入系统，学用结合不够紧密（调研不足、走访偏少），理论联系实际有差距',
  '      - id: P2', '        title: Meetings are too many and documents far too long for the staff who must read them all',
  'measures:', '  - id: M1', '    title: 精文简会，改进作风', '    items:',
  '      - id: M1.1', '        title: Hold fewer and shorter meetings, and publish a yearly plan of the meetings that remain', '        addresses: [P1, P2]',
  '      - id: M1.2', '        title: 建立健全学习制度，完善“第一议题”制度，推动理论学习走深走实，切实提高运用理论指导实践的能力', '        addresses: [P2]',
  '        due: 2027-03-31',
  '',
].join('\n'));

const cases: [string, string, string[][]][] = [
  ['long titles', LONG, [['M1.1', 'Zhang Wei', '--department', 'General Office of the Bureau']]],
  ['odd ids', ODD, [['ZG-B.1', '赵主任', '--department', '办公室']]],
  ['bundled', join(ROOT, 'data', 'seed.yaml'), [['M1.1', '王局长', '--department', '办公室', '--due', '2024-06-30'], ['M2.1', '--department', '组织科'], ['M5.3', '李副局长']]],
  ['county', join(ROOT, 'tests', 'fixtures', 'seeds', 'county-education.yaml'), [['M3.2', '周敏', '--due', '2024-10-15'], ['M1.2', '--clear', 'owner']]],
  // Three areas, owners, departments, dues and terms of every kind, an item answering two
  // problems of its area (M2.2) and one answering two in the order they are not listed (M1.2).
  ['市场监管', join(ROOT, 'tests', 'fixtures', 'draft', 'own', 'shichang-xuncha.yaml'), [['M3.1', '赵股长'], ['M2.1', '--due', '2025-10-31']]],
];

describe('rectify\'s own 台账 and report drafted back', () => {
  for (const [name, seedFile, assign] of cases) {
    for (const lang of ['zh', 'en'] as const) {
      it(`${name} ledger, ${lang}: the Excel 台账 gives back areas, problems, measures and items`, async () => {
        const { db, seed } = await ledger(`${name}-x-${lang}`, seedFile, assign);
        const out = join(dir, `${name}-${lang}.xlsx`);
        expect((await runInProcess(['report', '-o', out, '--db', db, '--lang', lang], '2024-05-01')).code).toBe(0);
        const drafted = seedOf(draftFromSheets(await xlsxSheets(readFileSync(out)), CTX));
        // The 台账 lists an item's problems in the ledger's order of problems, not in the order
        // the item names them (ZG-A.7 addresses W-2, W-1): the set is what it shows.
        expect(shown(drafted, false)).toEqual(shown(seed, false));
        expect(drafted.report.unit).toBe(seed.report.unit);
      });

      it(`${name} ledger, ${lang}: the text report gives back the same`, async () => {
        const { db, seed } = await ledger(`${name}-t-${lang}`, seedFile, assign);
        const r = await runInProcess(['report', '--db', db, '--lang', lang], '2024-05-01');
        expect(r.code).toBe(0);
        const drafted = seedOf(draftFromText(r.stdout, CTX));
        // The report lists an item's problems only from the problems' side: their order is the
        // problems' order, not the order the item names them in.
        expect(shown(drafted, false)).toEqual(shown(seed, false));
      });

      it(`${name} ledger, ${lang}: the Markdown report gives back the same, terms included`, async () => {
        const { db, seed } = await ledger(`${name}-m-${lang}`, seedFile, assign);
        const r = await runInProcess(['report', '--format', 'md', '--db', db, '--lang', lang], '2024-05-01');
        expect(r.code).toBe(0);
        const drafted = seedOf(draftFromMarkdownOrText(r.stdout, CTX));
        expect(shown(drafted, false)).toEqual(shown(seed, false));
        expect(drafted.report.unit).toBe(seed.report.unit);
      });

      it(`${name} ledger, ${lang}: the Word report gives back the same`, async () => {
        const { db, seed } = await ledger(`${name}-w-${lang}`, seedFile, assign);
        const out = join(dir, `${name}-${lang}.docx`);
        expect((await runInProcess(['report', '-o', out, '--db', db, '--lang', lang], '2024-05-01')).code).toBe(0);
        const drafted = seedOf(draftFromBlocks(await docxBlocks(readFileSync(out)), CTX));
        expect(shown(drafted, false)).toEqual(shown(seed, false));
        expect(drafted.report.unit).toBe(seed.report.unit);
      });
    }
  }
});
