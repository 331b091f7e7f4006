import type { DumpRecord } from '../core/dump.js';
import type { Seed } from '../core/types.js';
import { EXIT, RectifyError } from '../errors.js';
import type { LedgerExport } from '../store/types.js';
import { redactContact, writeExportJson } from '../ui/json.js';
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

async function* redacted(records: AsyncIterable<DumpRecord>): AsyncGenerator<DumpRecord> {
  for await (const r of records) yield r.kind === 'contact' ? redactContact(r) : r;
}

export const exportCommand: CommandSpec = {
  name: 'export',
  summary: 'export.summary',
  options: [{ flags: '--format <format>', description: 'export.opt.format', defaultValue: 'yaml' }],
  ledger: 'open',
  async run({ opts }, ctx) {
    const format = String(opts.format);
    if (format !== 'yaml' && format !== 'json' && format !== 'jsonl') {
      throw new RectifyError('cli.badFormat', { value: format, allowed: 'yaml, json, jsonl' }, { exit: EXIT.badInput }); // i18n-ok: format names
    }
    if (format === 'jsonl') {
      // A dump printed: contacts' webhook keys and secrets masked (docs/cli.md: never printed).
      await writeDump(redacted(ctx.store.dump()), (text) => ctx.io.out(text));
      return;
    }
    if (format === 'json') {
      // Written as it is read, from the dump: a measure's items at a time, never the ledger.
      await writeExportJson(ctx.store.dump(), (text) => ctx.io.write(text));
      ctx.io.write('\n');
      return;
    }
    const ledger = await ctx.store.exportLedger();
    const { seedToYaml } = await import('../core/seed.js');
    ctx.io.out(seedToYaml(asSeed(ledger)));
  },
};
