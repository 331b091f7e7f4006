import type { Seed } from '../core/types.js';
import { EXIT, RectifyError } from '../errors.js';
import type { LedgerExport } from '../store/types.js';
import { exportJson, toJson } from '../ui/json.js';
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

export const exportCommand: CommandSpec = {
  name: 'export',
  summary: 'export.summary',
  options: [{ flags: '--format <format>', description: 'export.opt.format', defaultValue: 'yaml' }],
  ledger: 'open',
  async run({ opts }, ctx) {
    const format = String(opts.format);
    if (format !== 'yaml' && format !== 'json') {
      throw new RectifyError('cli.badFormat', { value: format, allowed: 'yaml, json' }, { exit: EXIT.badInput }); // i18n-ok: format names
    }
    const ledger = await ctx.store.exportLedger();
    if (format === 'json') {
      ctx.io.out(toJson(exportJson(ledger)));
      return;
    }
    const { seedToYaml } = await import('../core/seed.js');
    ctx.io.out(seedToYaml(asSeed(ledger)));
  },
};
