// `rectify report`: the progress report of every item, as text, Markdown, CSV or JSON,
// to standard output or, all of it or nothing, to a file.
import { writeSync } from 'node:fs';
import { extname, resolve } from 'node:path';
import { addDays } from '../core/dates.js';
import {
  buildChanges, buildReport, completionTimes, reportFrame, reportItem, type Completion, type ReportItem,
} from '../core/summary.js';
import type { IsoDate } from '../core/types.js';
import type { ItemFilter, ReportPage, ReportRow } from '../store/types.js';
import { EXIT, RectifyError } from '../errors.js';
import { t } from '../i18n/index.js';
import { reportCsvHead, reportCsvRows, reportWriter } from '../ui/report.js';
import { cleanInline } from '../ui/text.js';
import { addressee } from '../ui/addressee.js';
import { writeOutputFile, type Producer } from './outfile.js';
import { displayPath } from './seedfile.js';
import { daysOption, optionalDate } from './args.js';
import type { CommandSpec } from './types.js';
import type { Context } from '../context.js';
import { Steps, type OnFraction, type OnProgress, type Progress } from '../ui/progress.js';

const FORMATS = ['text', 'md', 'csv', 'json', 'xlsx', 'docx', 'html'] as const;
type Format = (typeof FORMATS)[number];
/** Formats whose bytes are no text: never poured onto a terminal. */
const BINARY: readonly Format[] = ['xlsx', 'docx'];
/** The Word report is refused above this many items, before anything is built: the docx
 *  library holds the whole document in memory, about 90 KB an item (Node 22, items without
 *  history: 10,000 items took 6 s and 933 MiB at most, 30,000 took 26 s and 2.7 GB, 100,000 ran
 *  out of memory after 221 s). 10,000 items make a report of several hundred pages. */
export const WORD_MAX_ITEMS = 10_000;
export const wordReportTooLarge = (items: number): boolean => items > WORD_MAX_ITEMS;
/** The format a file's name asks for (`-o 台账.xlsx`), when --format does not say. */
const BY_EXTENSION: Record<string, Format> = { '.txt': 'text', '.md': 'md', '.csv': 'csv', '.json': 'json', '.xlsx': 'xlsx', '.docx': 'docx', '.html': 'html', '.htm': 'html' };

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

type TextFormat = 'text' | 'md' | 'csv' | 'json';

/** Every item as the whole-model formats read them (store.reportItems()); with a bar, read a
 *  page at a time (the same rows in the same order) so that the bar follows the reading.
 *  `total`: how many items the ledger holds. */
export async function allReportItems(ctx: Context, total: number, on?: OnFraction): Promise<ReportRow[]> {
  if (!on) return ctx.store.reportItems();
  const out: ReportRow[] = [];
  for await (const page of ctx.store.reportPages({ all: true })) {
    for (const i of page.items) out.push(i);
    on(out.length / Math.max(1, total));
  }
  return out;
}

/** Lets the event loop run between pages: a Ctrl-C while writing -o is then handled (the
 *  temporary file removed) rather than left waiting until the whole report is read. */
const breathe = () => new Promise<void>((r) => setImmediate(r));

/** The pages of `filter`'s items as the report shows them. */
async function* reportItems(
  ctx: Context, filter: ItemFilter, judge: { asOf: IsoDate; soonUntil: IsoDate; measureTitle: ReadonlyMap<string, string> },
  opts: { completion?: boolean; detail?: boolean } = {}, each?: (page: ReportPage) => void,
): AsyncGenerator<ReportItem[]> {
  for await (const page of ctx.store.reportPages(filter, opts)) {
    each?.(page);
    yield page.items.map((i) => reportItem(i, judge.measureTitle.get(i.measure) ?? '', judge.asOf, judge.soonUntil));
    await breathe();
  }
}

/** The report in a text form, written through `write` as it is read (inside one snapshot):
 *  what it holds is the frame (headline, areas, measures), a page of items, and for --since
 *  the window's changes and the titles of the items they concern. */
async function writeReport(
  ctx: Context, format: TextFormat, o: { asOf: IsoDate; since: IsoDate | null; days: number }, write: (text: string) => void,
  progress?: (total: number) => OnProgress,
): Promise<void> {
  const { store } = ctx;
  const figures = await store.statusFigures(o.asOf, o.days, { listLimit: 0 });
  // The items written, of all the ledger's (the pass over every item is the long part).
  const onItems = progress?.(figures.items.total);
  let written = 0;
  const wrote = (n: number) => {
    written += n;
    onItems?.(written);
  };
  const frame = reportFrame(figures, o.asOf, o.since, o.days);
  const judge = { asOf: o.asOf, soonUntil: addDays(o.asOf, o.days), measureTitle: new Map(frame.measures.map((m) => [m.id, m.title])) };
  const all: ItemFilter = { all: true };
  if (format === 'csv') {
    const problemTitle = new Map((await store.problems()).map((p) => [p.id, p.title]));
    write(reportCsvHead(ctx.lang));
    let completion = new Map<string, Completion>();
    for await (const items of reportItems(ctx, all, judge, { completion: true }, (page) => (completion = completionTimes(page.changes)))) {
      write(reportCsvRows(items, ctx.lang, problemTitle, completion));
      wrote(items.length);
    }
    return;
  }
  const history = o.since !== null ? await store.history({ since: o.since, via: 'cli', standing: true }) : null;
  // The items the window's changes concern, with their titles, in listing order (as buildChanges reads them).
  const touched = new Set(history?.map((h) => h.item.toLowerCase()) ?? []);
  const titled: { id: string; title: string }[] = [];
  const open = ['open', 'in_progress'] as const;
  const wr = reportWriter(frame, format, ctx.lang, write);
  // Text and Markdown tell the problems after the items: the items pass gathers which items
  // address each problem (ids and statuses: a few bytes an item) instead of a third pass
  // over the ledger. JSON gives the problems first: it reads them a page at a time.
  const addressing = format === 'json' ? null : new Map<string, number[]>(); // problem → items' places in `shown`
  const shown: { ids: string[]; statuses: ReportItem['status'][] } = { ids: [], statuses: [] };
  for (const list of wr.lists) {
    wr.begin(list);
    if (list === 'problems' && addressing) {
      const problems = await store.problems();
      for (let start = 0; start < problems.length; start += 500) {
        wr.problems(problems.slice(start, start + 500).map((p) => ({
          ...p, items: (addressing.get(p.id) ?? []).map((k) => ({ id: shown.ids[k]!, status: shown.statuses[k]! })),
        })));
      }
    } else if (list === 'problems') {
      for await (const page of store.problemPages()) {
        wr.problems(page);
        await breathe();
      }
    } else if (list === 'items') {
      for await (const page of reportItems(ctx, all, judge, { detail: format === 'json' })) {
        for (const i of page) {
          if (touched.has(i.id.toLowerCase())) titled.push({ id: i.id, title: i.title });
          if (!addressing || i.addresses.length === 0) continue;
          const k = shown.ids.push(i.id) - 1;
          shown.statuses.push(i.status);
          for (const a of i.addresses) {
            const list = addressing.get(a);
            if (list) list.push(k);
            else addressing.set(a, [k]);
          }
        }
        wr.items(page);
        wrote(page.length);
      }
    } else {
      // Overdue: most days late first; due soon: soonest first; each in listing order within a day.
      const filter: ItemFilter = list === 'overdue'
        ? { status: [...open], overdueAsOf: o.asOf, sort: 'due' }
        : { status: [...open], dueFrom: o.asOf, dueBefore: addDays(o.asOf, o.days + 1), sort: 'due' };
      if (format === 'json') {
        for await (const page of reportItems(ctx, filter, judge)) wr.items(page);
      } else {
        // Text and Markdown show no note, evidence or detail in these lists: the items will do.
        for await (const page of store.itemPages(filter, { brief: true })) {
          wr.items(page.map((i) => reportItem({ ...i, evidence: [], lastNote: null }, judge.measureTitle.get(i.measure) ?? '', judge.asOf, judge.soonUntil)));
          await breathe();
        }
      }
    }
    wr.end(list);
  }
  wr.finish(history !== null && o.since !== null ? buildChanges(history, titled, o.since, o.asOf) : null);
}

export const report: CommandSpec = {
  name: 'report',
  summary: 'views.report.summary',
  options: [
    // Defaults are applied in run() and named in the descriptions, in the user's language.
    { flags: '--format <format>', description: 'office.opt.format' },
    { flags: '-o, --output <file>', description: 'office.opt.output' },
    { flags: '--to <name>', description: 'office.opt.to' },
    { flags: '--since <date>', description: 'views.report.opt.since' },
    { flags: '--as-of <date>', description: 'views.report.opt.asOf' },
    { flags: '--days <n>', description: 'views.report.opt.days' },
    { flags: '--against <older>', description: 'repeats.opt.reportAgainst' },
    { flags: '--score [by]', description: 'score.opt.report' },
  ],
  ledger: 'open',
  async run({ opts }, ctx) {
    const output = opts.output === undefined ? undefined : String(opts.output);
    const format = String(opts.format ?? (output !== undefined ? BY_EXTENSION[extname(output).toLowerCase()] : undefined) ?? 'text').trim().toLowerCase() as Format;
    if (!FORMATS.includes(format)) {
      throw new RectifyError('cli.badFormat', { value: cleanInline(format), allowed: FORMATS.join(', ') }, { exit: EXIT.badInput });
    }
    if (opts.to !== undefined && format !== 'docx') throw new RectifyError('office.toOnlyDocx', { format }, { exit: EXIT.badInput });
    const to = opts.to === undefined ? undefined : addressee(String(opts.to));
    if (to === '') throw new RectifyError('office.toEmpty', {}, { exit: EXIT.badInput });
    if (opts.against !== undefined && format !== 'text' && format !== 'md') throw new RectifyError('repeats.reportFormat', { format }, { exit: EXIT.badInput });
    const asOf = optionalDate('--as-of', opts.asOf) ?? ctx.today();
    const since = optionalDate('--since', opts.since) ?? null;
    const days = daysOption(opts.days);
    const toStdout = output === undefined || output === '-';
    if (BINARY.includes(format) && output === undefined && ctx.io.stdoutIsTTY) {
      throw new RectifyError('office.binaryToTerminal', { format }, {
        exit: EXIT.badInput, hint: 'office.binaryToTerminal.hint', hintParams: { example: t(format === 'xlsx' ? 'office.example.xlsx' : 'office.example.docx') },
      });
    }

    const file = toStdout ? null : resolve(ctx.cwd, output);
    const shown = file === null ? '' : cleanInline(displayPath(file, ctx.cwd));

    if (format === 'html') {
      // The meeting's page (ui/report-html.ts): the whole model, the history for the weekly chart.
      // Written to a file on a terminal: a bar over the items read, the history read, the page.
      const { htmlReport, HTML_STEPS } = await import('./report-html.js');
      const steps = file !== null ? Steps.start(ctx.io.progress, t('progress.report'), HTML_STEPS) : undefined;
      try {
        const html = await ctx.store.snapshot(() => htmlReport(ctx, { asOf, since, days }, steps));
        if (file === null) ctx.io.write(html);
        else await writeOutputFile(file, html, ctx.dbPath, shown);
      } finally {
        steps?.end();
      }
    } else if (BINARY.includes(format)) {
      // The Office formats are sized for a meeting: they hold the whole model, and load
      // their library only here; the workbook also shows the history. Written to a file on a
      // terminal: a bar over the items read (a few per cent of the time) and the document made.
      const steps = file !== null ? Steps.start(ctx.io.progress, t('progress.report'), [5, 95]) : undefined;
      try {
        const model = await ctx.store.snapshot(async () => {
          const figures = await ctx.store.statusFigures(asOf, days, { listLimit: 0 });
          if (format === 'docx' && wordReportTooLarge(figures.items.total)) {
            throw new RectifyError('office.docxTooLarge', { items: figures.items.total, max: WORD_MAX_ITEMS }, { exit: EXIT.notAllowed, hint: 'office.docxTooLarge.hint' });
          }
          return buildReport({
            report: figures.report,
            areas: figures.areas,
            problems: await ctx.store.problems(),
            measures: await ctx.store.measures(),
            items: await allReportItems(ctx, figures.items.total, steps?.step(0)),
            history: since !== null ? await ctx.store.history({ since, via: 'cli', standing: true }) : null,
            asOf,
            since,
            days,
          });
        });
        const bytes = format === 'xlsx'
          ? await (await import('../ui/report-xlsx.js')).renderReportXlsx(model, ctx.lang, { history: await ctx.store.history({ via: 'cli', standing: true }) }, steps?.step(1))
          : await (async () => {
            const docx = await import('../ui/report-docx.js');
            return docx.renderReportDocx(model, ctx.lang, to === undefined ? {} : { to }, steps?.step(1));
          })();
        if (file === null) writeStdoutBytes(bytes);
        else await writeOutputFile(file, bytes, ctx.dbPath, shown);
      } finally {
        steps?.end();
      }
    } else {
      // The text forms are written as the ledger is read, a page at a time, from one snapshot.
      // With --against, the problems that recur from an earlier ledger end it (commands/repeats.ts).
      const section = opts.against === undefined ? '' : await (await import('./repeats.js')).repeatsSection(ctx, String(opts.against), format);
      // With --score, the 通报 section: the assessment per department (commands/score.ts).
      const circular = opts.score === undefined || (format !== 'text' && format !== 'md') ? ''
        : await (await import('./score.js')).scoreReportSection(ctx, opts.score, asOf, format);
      // Written to a file on a terminal: a bar of the items written.
      let bar: Progress | undefined;
      const progress = file !== null && ctx.io.progress ? (total: number): OnProgress => {
        bar = ctx.io.progress!(t('progress.report'), total);
        return (n) => bar!.update(n);
      } : undefined;
      const produce: Producer = (write) => ctx.store.snapshot(async () => {
        await writeReport(ctx, format as TextFormat, { asOf, since, days }, write, progress);
        if (section) write(section);
        if (circular) write(circular);
      });
      if (file === null) await produce((text) => ctx.io.write(text));
      else {
        try {
          await writeOutputFile(file, produce, ctx.dbPath, shown);
        } finally {
          bar?.end();
        }
      }
    }
    if (file !== null) ctx.io.err(t('views.wrote', { file: shown, format: t(`views.formatName.${format}`) }));
  },
};
