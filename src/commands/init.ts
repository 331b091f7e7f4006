import { promises as fsp } from 'node:fs';
import { existsSync } from 'node:fs';
import { EXIT, RectifyError } from '../errors.js';
import { t } from '../i18n/index.js';
import { cleanInline } from '../ui/text.js';
import { bundledSeedPath, displayPath, readSeed } from './seedfile.js';
import type { CommandSpec } from './types.js';

export const init: CommandSpec = {
  name: 'init',
  summary: 'init.summary',
  args: [{ name: '[seed]', description: 'init.arg.seed' }],
  ledger: 'none',
  async run({ args }, ctx) {
    const db = ctx.dbPath;
    const shownDb = cleanInline(displayPath(db, ctx.cwd));
    if (existsSync(db)) {
      throw new RectifyError('init.exists', { db: shownDb }, { exit: EXIT.notAllowed, hint: 'init.exists.hint' });
    }
    const seedArg = args[0] as string | undefined;
    const seedPath = seedArg ?? bundledSeedPath();
    const seed = await readSeed(seedPath, seedArg ?? t('init.bundled'));
    const { openStore } = await import('../store/index.js');
    const store = await openStore(db, { create: true, now: ctx.now });
    try {
      await store.write(() => store.createFromSeed(seed, ctx.actor));
      await store.close();
    } catch (e) {
      // A failed init leaves no file behind.
      await store.close().catch(() => {});
      await Promise.all(['', '-wal', '-shm', '-journal'].map((s) => fsp.rm(db + s, { force: true })));
      throw e;
    }
    const items = seed.measures.reduce((n, m) => n + m.items.length, 0);
    const problems = seed.areas.reduce((n, a) => n + a.problems.length, 0);
    ctx.io.out(t('init.done', {
      db: shownDb,
      title: cleanInline(seed.report.title),
      areas: seed.areas.length,
      problems,
      measures: seed.measures.length,
      items,
    }));
  },
};
