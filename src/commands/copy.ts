import { existsSync, linkSync, rmSync } from 'node:fs';
import { dirname, join, resolve, basename } from 'node:path';
import { EXIT, RectifyError } from '../errors.js';
import { t } from '../i18n/index.js';
import { isServerAddress, maskAddress } from '../store/postgres/address.js';
import { cleanInline } from '../ui/text.js';
import { displayPath } from './seedfile.js';
import type { CommandSpec } from './types.js';

/** A file path as the user means it (from the working folder); a server's URL as it is. */
function address(arg: string, cwd: string): string {
  return isServerAddress(arg) ? arg : resolve(cwd, arg);
}

function shown(addr: string, cwd: string): string {
  return cleanInline(isServerAddress(addr) ? maskAddress(addr) : displayPath(addr, cwd));
}

/** `rectify copy FROM TO`: the whole ledger, history included, from any address to any other.
 *  TO must hold no ledger. A file is built beside its place and linked there only once whole
 *  (never over a file that appeared meanwhile); a server's ledger is built in one transaction. */
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
    const toFile = !isServerAddress(to);
    if (toFile && existsSync(to)) {
      throw new RectifyError('store.exists', { path: shown(to, ctx.cwd) }, { exit: EXIT.notAllowed, hint: 'store.existsHint' });
    }
    const { openStore } = await import('../store/index.js');
    const src = await openStore(from, { create: false, now: ctx.now });
    let summary;
    try {
      const building = toFile ? join(dirname(to), `.${basename(to)}.copy-${process.pid}`) : to;
      const dst = await openStore(building, { create: true, now: ctx.now });
      try {
        summary = await dst.write(() => dst.restore(src.dump(), ctx.actor));
        await dst.close();
        if (toFile) {
          try {
            linkSync(building, to);
          } catch (e) {
            if ((e as NodeJS.ErrnoException).code === 'EEXIST') {
              throw new RectifyError('store.exists', { path: shown(to, ctx.cwd) }, { exit: EXIT.notAllowed, hint: 'store.existsHint' });
            }
            throw e;
          }
        }
      } catch (e) {
        await dst.close().catch(() => {});
        throw e;
      } finally {
        if (toFile) for (const s of ['', '-wal', '-shm', '-journal']) rmSync(building + s, { force: true });
      }
    } finally {
      await src.close();
    }
    ctx.io.out(t('copy.done', { from: shown(from, ctx.cwd), to: shown(to, ctx.cwd), items: summary.items }));
  },
};
