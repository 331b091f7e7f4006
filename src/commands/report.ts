// `rectify report`: the progress report of every item, as text, Markdown, CSV or JSON,
// to standard output or, all of it or nothing, to a file.
import { writeSync } from 'node:fs';
import { extname, resolve } from 'node:path';
import { buildReport, completionTimes, reportJson } from '../core/summary.js';
import { EXIT, RectifyError } from '../errors.js';
import { t } from '../i18n/index.js';
import { toJson } from '../ui/json.js';
import { renderReportCsv, renderReportMarkdown, renderReportText } from '../ui/report.js';
import { cleanInline } from '../ui/text.js';
import { writeOutputFile } from './outfile.js';
import { displayPath } from './seedfile.js';
import { daysOption, optionalDate } from './args.js';
import type { CommandSpec } from './types.js';

const FORMATS = ['text', 'md', 'csv', 'json', 'xlsx', 'docx'] as const;
type Format = (typeof FORMATS)[number];
/** Formats whose bytes are no text: never poured onto a terminal. */
const BINARY: readonly Format[] = ['xlsx', 'docx'];
/** The format a file's name asks for (`-o 台账.xlsx`), when --format does not say. */
const BY_EXTENSION: Record<string, Format> = { '.txt': 'text', '.md': 'md', '.csv': 'csv', '.json': 'json', '.xlsx': 'xlsx', '.docx': 'docx' };

/** Bytes to standard output as main.ts writes text there: all of them, waiting while a
 *  non-blocking pipe is full, stopping quietly when the reader has gone. */
function writeStdoutBytes(bytes: Uint8Array): void {
  const pause = new Int32Array(new SharedArrayBuffer(4));
  for (let done = 0; done < bytes.length; ) {
    try {
      done += writeSync(1, bytes, done);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'EAGAIN') Atomics.wait(pause, 0, 0, 1);
      else if (code === 'EPIPE') return;
      else throw new RectifyError('office.stdoutFailed', { reason: cleanInline(code ?? String(e)) }, { exit: EXIT.failure });
    }
  }
}

export const report: CommandSpec = {
  name: 'report',
  summary: 'views.report.summary',
  options: [
    // Defaults are applied in run() and named in the descriptions, in the user's language.
    { flags: '--format <format>', description: 'office.opt.format' },
    { flags: '-o, --output <file>', description: 'office.opt.output' },
    { flags: '--since <date>', description: 'views.report.opt.since' },
    { flags: '--as-of <date>', description: 'views.report.opt.asOf' },
    { flags: '--days <n>', description: 'views.report.opt.days' },
  ],
  ledger: 'open',
  async run({ opts }, ctx) {
    const output = opts.output === undefined ? undefined : String(opts.output);
    const format = String(opts.format ?? (output !== undefined ? BY_EXTENSION[extname(output).toLowerCase()] : undefined) ?? 'text') as Format;
    if (!FORMATS.includes(format)) {
      throw new RectifyError('cli.badFormat', { value: cleanInline(format), allowed: FORMATS.join(', ') }, { exit: EXIT.badInput });
    }
    const asOf = optionalDate('--as-of', opts.asOf) ?? ctx.today();
    const since = optionalDate('--since', opts.since) ?? null;
    const days = daysOption(opts.days);
    const toStdout = output === undefined || output === '-';
    if (BINARY.includes(format) && output === undefined && ctx.io.stdoutIsTTY) {
      throw new RectifyError('office.binaryToTerminal', { format }, {
        exit: EXIT.badInput, hint: 'office.binaryToTerminal.hint', hintParams: { example: t(format === 'xlsx' ? 'office.example.xlsx' : 'office.example.docx') },
      });
    }

    // The report reads every item anyway; from the figures it needs only the areas.
    const figures = await ctx.store.statusFigures(asOf, days, { listLimit: 0 });
    const model = buildReport({
      report: figures.report,
      areas: figures.areas,
      problems: await ctx.store.problems(),
      measures: await ctx.store.measures(),
      items: await ctx.store.reportItems(),
      history: since !== null ? await ctx.store.history({ since, via: 'cli', standing: true }) : null,
      asOf,
      since,
      days,
    });

    // The office formats load their library only here; the workbook also shows the history.
    const text: string | Uint8Array =
      format === 'xlsx' ? await (await import('../ui/report-xlsx.js')).renderReportXlsx(model, ctx.lang, { history: await ctx.store.history({ via: 'cli', standing: true }) })
      : format === 'docx' ? await (await import('../ui/report-docx.js')).renderReportDocx(model, ctx.lang)
      : format === 'md' ? renderReportMarkdown(model, ctx.lang)
      : format === 'csv' ? renderReportCsv(model, ctx.lang, completionTimes(await ctx.store.history({ via: 'cli', standing: true })))
      : format === 'json' ? toJson(reportJson(model)) + '\n'
      : renderReportText(model, ctx.lang);

    if (toStdout) {
      if (typeof text === 'string') ctx.io.out(text);
      else writeStdoutBytes(text);
      return;
    }
    const file = resolve(ctx.cwd, output);
    const shown = cleanInline(displayPath(file, ctx.cwd));
    await writeOutputFile(file, text, ctx.dbPath, shown);
    ctx.io.err(t('views.wrote', { file: shown, format: t(`views.formatName.${format}`) }));
  },
};
