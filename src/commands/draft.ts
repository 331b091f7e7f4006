// `rectify draft FILE [-o SEED]`: a seed drafted from a report as people have it, every guess
// marked in a YAML comment. Never touches a ledger. The drafting is src/core/draft; this file
// reads the file, picks the reader (text, mammoth for .docx, exceljs for .xlsx, each loaded
// only here), and writes the seed all at once or not at all.
import { promises as fsp } from 'node:fs';
import { basename, extname, resolve } from 'node:path';
import type { Block, Cell, DraftContext, DraftResult } from '../core/draft/index.js';
import { EXIT, RectifyError } from '../errors.js';
import { counted, t, type MessageKey } from '../i18n/index.js';
import { cleanInline } from '../ui/text.js';
import { writeOutputFile } from './outfile.js';
import { displayPath } from './seedfile.js';
import type { Context } from '../context.js';
import type { CommandSpec } from './types.js';

/** Office formats draft does not read, and what to do about each. */
const SAVE_AS: Record<string, MessageKey> = {
  '.doc': 'draft.expected.doc', '.wps': 'draft.expected.doc', '.rtf': 'draft.expected.doc', '.odt': 'draft.expected.doc', '.pdf': 'draft.expected',
  '.xls': 'draft.expected.xls', '.et': 'draft.expected.xls', '.ods': 'draft.expected.xls', '.csv': 'draft.expected.xls',
};

type Kind = 'text' | 'docx' | 'xlsx';

/** A zip's central directory names its files in the clear: Word keeps word/, Excel xl/. */
function officeKind(bytes: Buffer): Kind | null {
  if (bytes.length < 4 || bytes.readUInt32LE(0) !== 0x04034b50) return null;
  if (bytes.includes('word/document.xml')) return 'docx';
  if (bytes.includes('xl/workbook.xml')) return 'xlsx';
  return null;
}

export const draft: CommandSpec = {
  name: 'draft',
  summary: 'draft.summary',
  args: [{ name: '<file>', description: 'draft.arg.file' }],
  options: [{ flags: '-o, --output <seed>', description: 'draft.opt.output' }],
  ledger: 'none',
  async run({ args, opts }, ctx) {
    const path = resolve(ctx.cwd, args[0] as string);
    const file = cleanInline(displayPath(path, ctx.cwd));
    const fail = (key: MessageKey, hint: MessageKey = 'draft.expected', params = {}) =>
      new RectifyError(key, { file, ...params }, { exit: EXIT.badInput, hint });
    const ext = extname(path).toLowerCase();
    if (SAVE_AS[ext] !== undefined) throw fail('draft.badType', SAVE_AS[ext]);

    const bytes = await read(path, file, fail);
    if (bytes.length === 0 || bytes.toString('utf8').trim() === '') throw fail('draft.empty');
    const office = officeKind(bytes);
    const kind: Kind = ext === '.docx' || ext === '.xlsx' || ext === '.xlsm' ? (ext === '.docx' ? 'docx' : 'xlsx') : office ?? 'text';
    if (kind !== 'text' && office !== kind) throw fail(kind === 'docx' ? 'draft.notDocx' : 'draft.notXlsx');

    const core = await import('../core/draft/index.js');
    const dctx: DraftContext = {
      name: basename(path, extname(path)),
      fallbackYear: Number(ctx.today().slice(0, 4)),
      defaultArea: t('draft.defaultArea'),
    };
    // A report in Chinese puts its ungrouped problems in an area named in Chinese whatever
    // the messages' language (a server's LANG=C too): the name is data of the seed.
    const inChinese = (sample: string) => {
      if (/[\u4e00-\u9fff]/.test(sample)) dctx.defaultArea = t('draft.defaultArea.zh');
    };
    if (kind !== 'text') {
      // The central directory and every entry checked before anything is parsed.
      const z = core.checkZip(bytes, kind === 'docx' ? core.DOCX_LIMITS : core.ZIP_LIMITS);
      if (!z.ok && z.reason === 'notZip') throw fail(kind === 'docx' ? 'draft.notDocx' : 'draft.notXlsx');
      if (!z.ok && z.reason === 'tooLarge') throw fail('draft.tooLarge', 'draft.tooLarge.hint', { limit: mib(z.limit) });
      if (!z.ok && z.reason === 'tooManyCells') throw fail('draft.tooManyCells', 'draft.tooLarge.hint', { limit: z.limit });
    }
    let result: DraftResult;
    if (kind === 'docx') {
      const blocks = await docxBlocks(bytes).catch(() => { throw fail('draft.notDocx'); });
      inChinese(JSON.stringify(blocks));
      result = core.draftFromBlocks(blocks, dctx);
    } else if (kind === 'xlsx') {
      const sheets = await xlsxSheets(bytes).catch(() => { throw fail('draft.notXlsx'); });
      inChinese(JSON.stringify(sheets));
      result = core.draftFromSheets(sheets, dctx);
    } else {
      const decoded = core.decodeText(bytes);
      if (!decoded.ok) throw fail('draft.binary');
      inChinese(decoded.text);
      result = core.draftFromMarkdownOrText(decoded.text, dctx);
    }
    if (!result.ok && result.reason === 'draft.tooLong') throw fail(result.reason, 'draft.tooLarge.hint', { limit: result.limit });
    if (!result.ok) throw fail(result.reason, 'draft.expected', 'problems' in result ? { problems: result.problems } : {});

    const out = opts.output === undefined || opts.output === '-' ? null : resolve(ctx.cwd, String(opts.output));
    const shownOut = out === null ? null : cleanInline(displayPath(out, ctx.cwd));
    const yaml = core.draftToYaml(result.draft, (g) => cleanInline(t(g.key as MessageKey, g.params)), [
      t('draft.header.source', { file: cleanInline(basename(path)) }),
      t('draft.header.check', { seed: shownOut ?? t('draft.header.seed') }),
    ]);
    // The draft must load as it is; if it does not, that is a bug, not the user's input.
    const { loadSeed } = await import('../core/seed.js');
    const check = loadSeed(Buffer.from(yaml, 'utf8'));
    if (!check.ok) throw new Error(`draft is not a valid seed: ${JSON.stringify(check.issues[0])}`); // i18n-ok: a bug report

    // Written whole or not at all, and never over the ledger or another database.
    if (out === null) ctx.io.out(yaml);
    else await writeOutputFile(out, yaml, ledgerToSpare(ctx), shownOut as string);
    const counts = core.draftCounts(result.draft);
    const guessed = counts.guesses === 0 ? t('draft.guessed.none') : t('draft.guessed', { ...counts });
    const held = {
      areas: counted(counts.areas, 'areas'), problems: counted(counts.problems, 'problems'), causes: counted(counts.causes, 'causes'),
      measures: counted(counts.measures, 'measures'), items: counted(counts.items, 'items'),
    };
    ctx.io.err(shownOut === null ? t('draft.done', { ...held, guessed }) : t('draft.done.file', { ...held, guessed, file: shownOut }));
  },
};

function mib(n: number): number {
  return Math.round(n / (1 << 20));
}

/** The largest report file read, of any kind (a 台账 of 20,000 rows is about 2 MB zipped). */
const FILE_MAX = 32 << 20;

async function read(path: string, file: string, fail: (key: MessageKey, hint: MessageKey, params: Record<string, number>) => Error): Promise<Buffer> {
  try {
    const st = await fsp.stat(path);
    if (st.isFile() && st.size > FILE_MAX) throw fail('draft.tooLarge', 'draft.tooLarge.hint', { limit: mib(FILE_MAX) });
    return await fsp.readFile(path);
  } catch (e) {
    if (e instanceof RectifyError) throw e;
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') throw new RectifyError('draft.missing', { file }, { exit: EXIT.notFound });
    if (code === 'EISDIR') throw new RectifyError('draft.isDir', { file }, { exit: EXIT.badInput });
    throw new RectifyError('draft.unreadable', { file, reason: String(code ?? e) }, { exit: EXIT.badInput });
  }
}

/** A library only draft needs, loaded when it does. */
async function load<T>(id: 'mammoth' | 'exceljs'): Promise<T> {
  const mod = (await import(id)) as { default?: T };
  return (mod.default ?? mod) as T;
}

/** The paragraphs and tables of a Word document, through mammoth's HTML. */
export async function docxBlocks(bytes: Buffer): Promise<Block[]> {
  const mammoth = await load<typeof import('mammoth')>('mammoth');
  const { htmlBlocks } = await import('../core/draft/index.js');
  // Images are never read: the drafter needs none of them.
  const noImage = mammoth.images.imgElement(async () => ({ src: '' }));
  return htmlBlocks((await mammoth.convertToHtml({ buffer: bytes }, { convertImage: noImage })).value);
}

const SHEET_COLUMNS = 256;

/** Every worksheet of a workbook as rows of cells, through exceljs. */
export async function xlsxSheets(bytes: Buffer): Promise<{ name: string; rows: Cell[][] }[]> {
  const ExcelJS = await load<typeof import('exceljs')>('exceljs');
  const { cellOf } = await import('../core/draft/index.js');
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(bytes as unknown as ArrayBuffer);
  return wb.worksheets.map((ws) => {
    // Only the rows and cells that exist are walked (a sheet may claim a million rows and hold
    // one cell); empty rows are left out, and columns past SHEET_COLUMNS (no 台账 has so many).
    const rows: Cell[][] = [];
    ws.eachRow({ includeEmpty: false }, (r) => {
      const row: Cell[] = [];
      r.eachCell({ includeEmpty: false }, (cell, c) => {
        if (c > SHEET_COLUMNS) return;
        while (row.length < c - 1) row.push(null);
        // A merged cell reads as the value of its range's first cell.
        row.push(cellOf(cell.value));
      });
      if (row.some((v) => v !== null && v !== '')) rows.push(row);
    });
    return { name: ws.name, rows };
  });
}

/** The ledger a draft must not be written over: none where the one found above this folder is
 *  another user's (draft never opens a ledger, so that one does not stop it; a file of another
 *  user's is still refused as a database by writeOutputFile). */
function ledgerToSpare(ctx: Context): string | null {
  try {
    return ctx.dbPath;
  } catch (e) {
    if (e instanceof RectifyError && e.key === 'store.planted') return null;
    throw e;
  }
}
