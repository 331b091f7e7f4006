import type { DumpRecord } from '../core/dump.js';
import type { Output } from '../context.js';
import type { IsoDate, Seed } from '../core/types.js';
import { EXIT, RectifyError } from '../errors.js';
import { t } from '../i18n/index.js';
import type { LedgerExport, Store } from '../store/types.js';
import { redactContact, writeExportJson } from '../ui/json.js';
import { counted, type Progress } from '../ui/progress.js';
import { cleanInline } from '../ui/text.js';
import { seedFromRecords } from './seedfile.js';
import type { CommandSpec } from './types.js';

/** The ledger as a seed: current owner, department, due and term; no progress or history. */
function asSeed(l: LedgerExport): Seed {
  return {
    version: 1,
    report: l.report,
    areas: l.areas,
    causes: l.causes,
    measures: l.measures.map((m) => ({
      id: m.id,
      title: m.title,
      detail: m.detail,
      items: m.items.map((i) => ({
        id: i.id, title: i.title, detail: i.detail, addresses: i.addresses,
        owner: i.owner, department: i.department, due: i.due, term: i.term,
      })),
    })),
  };
}

/** A full dump as JSON Lines, written as it is read: lines gathered into chunks of about
 *  64 KB, so that neither the ledger nor the output is ever held whole. */
export async function writeDump(records: AsyncIterable<DumpRecord>, write: (text: string) => void): Promise<void> {
  let chunk = '';
  for await (const r of records) {
    chunk += JSON.stringify(r) + '\n';
    if (chunk.length >= 65_536) {
      write(chunk);
      chunk = '';
    }
  }
  if (chunk) write(chunk);
}

/** The dump's records, with a bar of the items passed out of the ledger's count when the
 *  output draws one (copy, export): the records as they are otherwise. */
export async function dumpWithProgress(io: Output, label: string, store: Store, today: IsoDate, serverTimes = false): Promise<{ records: AsyncIterable<DumpRecord>; bar?: Progress }> {
  if (!io.progress) return { records: store.dump({ serverTimes }) };
  const total = (await store.statusFigures(today, 0, { listLimit: 0 })).items.total;
  const bar = io.progress(label, total);
  return { records: counted(store.dump({ serverTimes }), (n) => bar.update(n), (r) => (r.kind === 'item' ? 1 : 0)), bar };
}

async function* redacted(records: AsyncIterable<DumpRecord>): AsyncGenerator<DumpRecord> {
  for await (const r of records) yield r.kind === 'contact' ? redactContact(r) : r;
}

export const exportCommand: CommandSpec = {
  name: 'export',
  summary: 'export.summary',
  options: [{ flags: '--format <format>', description: 'export.opt.format', defaultValue: 'yaml' }],
  ledger: 'open',
  async run({ opts }, ctx) {
    // Any case, as remind --format and list --light take theirs; a bad one shown without controls.
    const format = String(opts.format).trim().toLowerCase();
    if (format !== 'yaml' && format !== 'json' && format !== 'jsonl') {
      throw new RectifyError('cli.badFormat', { value: cleanInline(String(opts.format)), allowed: 'yaml, json, jsonl' }, { exit: EXIT.badInput }); // i18n-ok: format names
    }
    if (format === 'jsonl') {
      // A dump printed: contacts' webhook keys and secrets masked (docs/cli.md: never printed).
      const { records, bar } = await dumpWithProgress(ctx.io, t('progress.export'), ctx.store, ctx.today());
      try {
        await writeDump(redacted(records), (text) => ctx.io.out(text));
      } finally {
        bar?.end();
      }
      return;
    }
    if (format === 'json') {
      // Written as it is read, from the dump: a measure's items at a time, never the ledger.
      const { records, bar } = await dumpWithProgress(ctx.io, t('progress.export'), ctx.store, ctx.today());
      try {
        await writeExportJson(records, (text) => ctx.io.write(text));
      } finally {
        bar?.end();
      }
      ctx.io.write('\n');
      return;
    }
    const { seedToYaml } = await import('../core/seed.js');
    if (ctx.io.progress) {
      // On a terminal the seed is read from the dump, a page at a time, so that a bar can
      // follow it (the reading is most of the time; the YAML is written at once).
      const { records, bar } = await dumpWithProgress(ctx.io, t('progress.export'), ctx.store, ctx.today());
      let seed: Seed;
      try {
        seed = await seedFromRecords(records);
      } finally {
        bar?.end();
      }
      ctx.io.out(seedToYaml(seed));
      return;
    }
    const ledger = await ctx.store.exportLedger();
    ctx.io.out(seedToYaml(asSeed(ledger)));
  },
};
