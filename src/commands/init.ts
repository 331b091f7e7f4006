import { resolve } from 'node:path';
import { EXIT, RectifyError } from '../errors.js';
import { counted, t } from '../i18n/index.js';
import { cleanInline } from '../ui/text.js';
import { Steps } from '../ui/progress.js';
import { bundledSeedPath, displayPath, fileProgress, isJsonl, readSeed, seedRecords, yamlProgress } from './seedfile.js';
import type { CommandSpec } from './types.js';

export const init: CommandSpec = {
  name: 'init',
  summary: 'init.summary',
  args: [{ name: '[seed]', description: 'init.arg.seed' }],
  options: [{ flags: '--upgrade', description: 'pg.opt.upgrade' }],
  ledger: 'none',
  async run({ args, opts }, ctx) {
    const db = ctx.dbPath;
    const shownDb = cleanInline(displayPath(db, ctx.cwd));
    if (opts.upgrade) {
      // A ledger made by an earlier version, brought under this one in one transaction
      // (on a server: under the server's guard, by its owner; README, "Upgrading").
      if (args[0] !== undefined) throw new RectifyError('pg.upgradeNoSeed', {}, { exit: EXIT.badInput });
      const { upgradeLedger } = await import('../store/index.js');
      const r = await upgradeLedger(db, { now: ctx.now, env: ctx.env });
      ctx.io.out(r ? t(r.guarded ? 'pg.upgradedGuard' : 'pg.upgraded', { address: shownDb, from: r.from, to: r.to }) : t('pg.upToDate', { address: shownDb }));
      return;
    }
    const seedArg = args[0] as string | undefined;
    const seedPath = seedArg !== undefined ? resolve(ctx.cwd, seedArg) : bundledSeedPath();
    const shownSeed = seedArg ?? t('init.bundled');
    // JSON Lines (a seed or a dump) is checked as it streams into the ledger: refused, it
    // leaves nothing, like any failed init.
    // The store refuses first what stands where the ledger would go (a ledger: exit 4;
    // anything else: exit 2), then builds the new one out of sight: in a temporary file
    // moved into place by close(), or in one transaction on a server.
    const { openStore } = await import('../store/index.js');
    const store = await openStore(db, { create: true, now: ctx.now }).catch((e: unknown) => {
      // Named as the user named it, with the hint of init.
      if (e instanceof RectifyError && e.key === 'store.exists') throw new RectifyError('init.exists', { db: shownDb }, { exit: EXIT.notAllowed, hint: 'init.exists.hint' });
      throw e;
    });
    let restored: Awaited<ReturnType<typeof store.restore>> | null = null;
    let seed: Awaited<ReturnType<typeof readSeed>> | null = null;
    // A JSON Lines file shows how much of it is read (a large ledger takes a while).
    // A YAML seed is read at once: its bar follows the reading's steps.
    const { onBytes, bar } = isJsonl(seedPath) ? fileProgress(ctx.io, t('progress.init'), seedPath) : { bar: yamlProgress(ctx.io, t('progress.init')) };
    try {
      seed = isJsonl(seedPath) ? null : await readSeed(seedPath, shownSeed, undefined, bar instanceof Steps ? bar.step(0) : undefined);
      const loaded = seed;
      if (loaded) await store.write(() => store.createFromSeed(loaded, ctx.actor));
      else restored = await store.write(() => store.restore(seedRecords(seedPath, shownSeed, onBytes), ctx.actor));
      bar?.end();
      await store.close();
    } catch (e) {
      bar?.end();
      // A failed init leaves nothing behind: the store discards what it began.
      await store.close().catch(() => {});
      throw e;
    }
    const counts = restored ?? {
      title: seed!.report.title,
      areas: seed!.areas.length,
      problems: seed!.areas.reduce((n, a) => n + a.problems.length, 0),
      measures: seed!.measures.length,
      items: seed!.measures.reduce((n, m) => n + m.items.length, 0),
    };
    const { areas, problems, measures, items } = counts;
    ctx.io.out(t('init.done', {
      db: shownDb, title: cleanInline(counts.title),
      areas: counted(areas, 'areas'), problems: counted(problems, 'problems'), measures: counted(measures, 'measures'), items: counted(items, 'items'),
    }));
  },
};
