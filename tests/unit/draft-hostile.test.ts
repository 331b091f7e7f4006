// Hostile Word and Excel files (made in tests/fixtures/draft/hostile.ts): refused in one line,
// exit 2, within seconds, before mammoth or exceljs inflate them; a sparse sheet is walked by
// the cells it has. In this process, for speed; the memory figures are in the README.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkZip, DOCX_LIMITS } from '../../src/core/draft/zip.js';
import { runInProcess } from '../helpers/inproc.js';
import { bombDocx, manyCellsXlsx, mergeBombXlsx, sparseLedgerXlsx, sparseXlsx } from '../fixtures/draft/hostile.js';
import { planDocx } from '../fixtures/draft/reports.js';

const dir = mkdtempSync(join(tmpdir(), 'rectify-hostile-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const file = (name: string, data: Uint8Array) => {
  const p = join(dir, name);
  writeFileSync(p, data);
  return p;
};
const draft = (args: string[]) => runInProcess(['draft', ...args], '2026-11-29');

async function timed<T>(f: () => Promise<T>): Promise<[T, number]> {
  const t = performance.now();
  const r = await f();
  return [r, performance.now() - t];
}

describe('hostile documents', () => {
  it('refuses a .docx that inflates to 100 MB from what its central directory declares, before inflating', async () => {
    const bomb = await bombDocx(100 << 20);
    expect(bomb.length).toBeLessThan(1 << 20);
    const path = file('bomb.docx', bomb);
    const [r, ms] = await timed(() => draft([path]));
    expect(r.code).toBe(2);
    expect(r.stderr.split('\n')[0]).toMatch(/^rectify: .*bomb\.docx is too large to be a report: more than 32 MiB, inflated$/);
    expect(r.stderr.split('\n').length).toBe(3); // the line, a hint, the final newline
    expect(ms).toBeLessThan(3000);
  });

  it('refuses a bomb that declares a small size: inflating stops at what it declared', async () => {
    const liar = await bombDocx(8 << 20, 4000);
    expect(checkZip(liar, DOCX_LIMITS)).toEqual({ ok: false, reason: 'tooLarge', limit: 2 << 20 });
    const r = await draft([file('liar.docx', liar)]);
    expect([r.code, r.stderr.split('\n')[0]]).toEqual([2, expect.stringMatching(/liar\.docx is too large/)]);
  });

  it('still reads a Word report of ordinary size', async () => {
    const ok = checkZip(await planDocx());
    expect(ok.ok).toBe(true);
  });

  it('walks only the cells that exist: one cell at A1048576 is refused at once for its missing header row', async () => {
    const bytes = sparseXlsx();
    expect(bytes.length).toBeLessThan(2048);
    const [r, ms] = await timed(() => draft([file('sparse.xlsx', bytes)]));
    expect([r.code, r.stderr.split('\n')[0]]).toEqual([2, expect.stringMatching(/no header row found in .*sparse\.xlsx:/)]);
    expect(ms).toBeLessThan(3000);
  });

  it('drafts a 台账 whose one row is at the sheet\'s last row, a cell at XFD ignored', async () => {
    const [r, ms] = await timed(() => draft([file('far.xlsx', sparseLedgerXlsx())]));
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('title: "学习不够"');
    expect(r.stdout).toContain('title: "制定计划"');
    expect(ms).toBeLessThan(3000);
  });

  it('refuses a merged range over the whole sheet and a sheet of too many cells, counted before parsing', async () => {
    for (const [name, bytes] of [['merged.xlsx', mergeBombXlsx()], ['cells.xlsx', manyCellsXlsx(60_001)]] as const) {
      const [r, ms] = await timed(() => draft([file(name, bytes)]));
      expect([r.code, r.stderr.split('\n')[0]]).toEqual([2, expect.stringMatching(new RegExp(`${name.replace('.', '\\.')} has too many cells to be a rectification ledger: more than 60000$`))]);
      expect(ms).toBeLessThan(3000);
    }
  });

  it('refuses a zip whose directory points outside it, as no Word document', () => {
    const bytes = Buffer.from(sparseXlsx());
    // The central directory's offset of its first entry's local header, pointed past the end.
    const cd = bytes.lastIndexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]));
    bytes.writeUInt32LE(bytes.length + 10, cd + 42);
    expect(checkZip(bytes)).toEqual({ ok: false, reason: 'notZip' });
  });
});
