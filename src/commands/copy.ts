import { resolve } from 'node:path';
import type { RestoreSummary } from '../core/dump.js';
import { EXIT, RectifyError } from '../errors.js';
import { counted, t } from '../i18n/index.js';
import { isServerAddress } from '../store/postgres/address.js';
import { cleanInline } from '../ui/text.js';
import { dumpWithProgress } from './export.js';
import { displayPath } from './seedfile.js';
import type { CommandSpec } from './types.js';

/** A file path as the user means it (from the working folder); a server's URL as it is. */
function address(arg: string, cwd: string): string {
  return isServerAddress(arg) ? arg : resolve(cwd, arg);
}

function shown(addr: string, cwd: string): string {
  return cleanInline(displayPath(addr, cwd));
}

/** `rectify copy FROM TO`: the whole ledger, history included, from any address to any other.
 *  TO must hold no ledger. */
export const copy: CommandSpec = {
  name: 'copy',
  summary: 'copy.summary',
  args: [
    { name: '<from>', description: 'copy.arg.from' },
    { name: '<to>', description: 'copy.arg.to' },
  ],
  ledger: 'none',
  async run({ args }, ctx) {
    const from = address(String(args[0]), ctx.cwd);
    const to = address(String(args[1]), ctx.cwd);
    if (from === to) throw new RectifyError('copy.same', {}, { exit: EXIT.badInput });
    const { openStore } = await import('../store/index.js');
    const src = await openStore(from, { create: false, now: ctx.now });
    let summary: RestoreSummary;
    try {
      // The store refuses what stands at TO (a ledger: exit 4) and builds the copy out of
      // sight: in a temporary file moved into place by close(), or in one transaction.
      const dst = await openStore(to, { create: true, now: ctx.now }).catch((e: unknown) => {
        // A ledger at TO: said with copy's hint (init's would say import or --db).
        if (e instanceof RectifyError && (e.key === 'store.exists' || e.key === 'pg.exists')) {
          throw new RectifyError(e.key, e.key === 'store.exists' ? { path: shown(to, ctx.cwd) } : e.params, { exit: e.exit, hint: 'copy.existsHint' });
        }
        throw e;
      });
      try {
        const { records, bar } = await dumpWithProgress(ctx.io, t('progress.copy'), src, ctx.today(), true);
        try {
          // A copy is the ledger it was copied from, under another address (README, "Across
          // units"): it keeps that ledger's id.
          const { id } = await src.identity();
          summary = await dst.write(async () => {
            const done = await dst.restore(records, ctx.actor);
            if (id !== null) await dst.adoptId(id);
            return done;
          });
        } finally {
          bar?.end();
        }
      } finally {
        await dst.close();
      }
    } finally {
      await src.close();
    }
    ctx.io.out(t('copy.done', { from: shown(from, ctx.cwd), to: shown(to, ctx.cwd), items: counted(summary.items, 'items') }));
  },
};
