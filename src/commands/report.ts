// `rectify report`: the progress report of every item, as text, Markdown, CSV or JSON,
// to standard output or, all of it or nothing, to a file.
import { promises as fsp, rmSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { buildReport, reportJson } from '../core/summary.js';
import { EXIT, RectifyError } from '../errors.js';
import { t } from '../i18n/index.js';
import { toJson } from '../ui/json.js';
import { renderReportCsv, renderReportMarkdown, renderReportText } from '../ui/report.js';
import { cleanInline } from '../ui/text.js';
import { displayPath } from './seedfile.js';
import { daysOption, optionalDate } from './args.js';
import type { CommandSpec } from './types.js';

const FORMATS = ['text', 'md', 'csv', 'json'] as const;
type Format = (typeof FORMATS)[number];

const SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

/** Writes through a temporary file in the same folder, synced, then renamed over the
 *  target: a reader sees the old file or the whole new one, never half a report. A
 *  failure, or Ctrl-C while writing, removes the temporary file. */
async function writeAtomically(file: string, data: string): Promise<void> {
  const dir = dirname(file);
  const tmp = join(dir, `.${basename(file)}.${process.pid}.${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}.tmp`);
  // On a signal: remove the temporary file, then die of that signal as we would have.
  const onSignal = (signal: NodeJS.Signals) => {
    rmSync(tmp, { force: true });
    process.kill(process.pid, signal);
  };
  for (const s of SIGNALS) process.once(s, onSignal);
  let fh: fsp.FileHandle | undefined;
  try {
    fh = await fsp.open(tmp, 'wx'); // wx: never over a file that is there
    await fh.writeFile(data, 'utf8');
    await fh.sync();
    await fh.close();
    fh = undefined;
    await fsp.rename(tmp, file);
  } catch (e) {
    await fh?.close().catch(() => {});
    await fsp.rm(tmp, { force: true }).catch(() => {});
    throw e;
  } finally {
    for (const s of SIGNALS) process.off(s, onSignal);
  }
  // Make the rename itself durable; some platforms cannot open a folder, which is fine.
  try {
    const d = await fsp.open(dir, 'r');
    await d.sync().finally(() => d.close());
  } catch {
    /* best effort */
  }
}

export const report: CommandSpec = {
  name: 'report',
  summary: 'views.report.summary',
  options: [
    // Defaults are applied in run() and named in the descriptions, in the user's language.
    { flags: '--format <format>', description: 'views.report.opt.format' },
    { flags: '-o, --output <file>', description: 'views.report.opt.output' },
    { flags: '--since <date>', description: 'views.report.opt.since' },
    { flags: '--as-of <date>', description: 'views.report.opt.asOf' },
    { flags: '--days <n>', description: 'views.report.opt.days' },
  ],
  ledger: 'open',
  async run({ opts }, ctx) {
    const format = String(opts.format ?? 'text') as Format;
    if (!FORMATS.includes(format)) {
      throw new RectifyError('cli.badFormat', { value: cleanInline(format), allowed: FORMATS.join(', ') }, { exit: EXIT.badInput });
    }
    const asOf = optionalDate('--as-of', opts.asOf) ?? ctx.today();
    const since = optionalDate('--since', opts.since) ?? null;
    const days = daysOption(opts.days);

    // The report reads every item anyway; from the figures it needs only the areas.
    const figures = await ctx.store.statusFigures(asOf, days, { listLimit: 0 });
    const model = buildReport({
      report: figures.report,
      areas: figures.areas,
      problems: await ctx.store.problems(),
      measures: await ctx.store.measures(),
      items: await ctx.store.reportItems(),
      history: since !== null ? await ctx.store.history({ since, via: 'cli' }) : null,
      asOf,
      since,
      days,
    });

    const text =
      format === 'md' ? renderReportMarkdown(model, ctx.lang)
      : format === 'csv' ? renderReportCsv(model, ctx.lang)
      : format === 'json' ? toJson(reportJson(model)) + '\n'
      : renderReportText(model, ctx.lang);

    if (opts.output === undefined) {
      ctx.io.out(text);
      return;
    }
    const file = resolve(ctx.cwd, String(opts.output));
    const shown = cleanInline(displayPath(file, ctx.cwd));
    try {
      await writeAtomically(file, text);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code ?? String(e);
      const exit = code === 'ENOENT' || code === 'ENOTDIR' || code === 'EISDIR' ? EXIT.badInput : EXIT.failure;
      throw new RectifyError('views.writeFailed', { file: shown, reason: code }, { exit });
    }
    ctx.io.err(t('views.wrote', { file: shown, format }));
  },
};
