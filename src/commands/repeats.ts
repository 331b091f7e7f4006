// `rectify repeats --against OLDER`: the problems of this ledger that recur from an earlier
// one (年年提、年年改), matched by meaning (core/repeats.ts), with how the earlier problem's
// items ended. Reads both ledgers, changes neither.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Context } from '../context.js';
import { findRepeats, REPEAT_RULE, type Cut, type RepeatPair, type RepeatProblem } from '../core/repeats.js';
import { EXIT, RectifyError } from '../errors.js';
import { t } from '../i18n/index.js';
import { isServerAddress } from '../store/postgres/address.js';
import type { Store } from '../store/types.js';
import { toJson } from '../ui/json.js';
import { renderRepeats, repeatsLines } from '../ui/repeats.js';
import { cleanInline, truncate } from '../ui/text.js';
import type { CommandSpec } from './types.js';

const SCHEMA_NAME = /^[a-z][a-z0-9._-]{0,31}$/;

/** Where OLDER is: a postgres:// address as it is; on a server, a bare schema name (no such
 *  file here) means that schema of this ledger's database; else a file from the working folder. */
export function olderAddress(arg: string, ctx: Pick<Context, 'cwd' | 'dbPath'>): string {
  if (isServerAddress(arg)) return arg;
  if (isServerAddress(ctx.dbPath) && SCHEMA_NAME.test(arg) && !existsSync(resolve(ctx.cwd, arg))) {
    const u = new URL(ctx.dbPath.replace(/^postgres(ql)?:/i, 'http:'));
    u.searchParams.set('schema', arg);
    return ctx.dbPath.replace(/^(postgres(?:ql)?:).*$/i, '$1') + u.toString().replace(/^http:/, '');
  }
  return resolve(ctx.cwd, arg);
}

/** Every problem of a ledger with its text and the statuses of the items addressing it. */
export async function problemsForRepeats(store: Store): Promise<RepeatProblem[]> {
  return store.snapshot(async () => {
    const out: RepeatProblem[] = [];
    for await (const page of store.problemPages()) {
      for (const p of page) {
        const d = await store.problemDetail(p.id);
        out.push({ id: p.id, title: p.title, detail: d?.detail ?? null, items: p.items.map((i) => ({ id: i.id, status: i.status })) });
      }
    }
    return out;
  });
}

/** jieba, loaded only by the commands that compare problems (native code, a 5 MB dictionary). */
export async function jiebaCut(): Promise<Cut> {
  const { Jieba } = await import('@node-rs/jieba');
  const { dict } = await import('@node-rs/jieba/dict.js');
  const jieba = Jieba.withDict(dict);
  return (text) => jieba.cut(text, false);
}

export interface RepeatsResult {
  pairs: RepeatPair[];
  older: string;
  total: number;
  /** The earlier ledger's unit, when it differs from this one's (both named). */
  otherUnit: { older: string; unit: string } | null;
}

/** Compares this ledger with the one at `against`; opens and closes the older ledger. */
export async function compareWithOlder(ctx: Context, against: string): Promise<RepeatsResult> {
  const addr = olderAddress(against, ctx);
  if (addr === ctx.dbPath) throw new RectifyError('repeats.same', {}, { exit: EXIT.badInput });
  const { openStore } = await import('../store/index.js');
  let olderStore: Store;
  try {
    olderStore = await openStore(addr, { create: false, now: ctx.now });
  } catch (e) {
    // The earlier ledger is missing: the usual hint (create one, or point --db at one) is about
    // this ledger, not the one --against names.
    if (e instanceof RectifyError && e.exit === EXIT.notFound) {
      throw new RectifyError(e.key, e.params, { exit: EXIT.notFound, hint: 'repeats.olderMissingHint' });
    }
    throw e;
  }
  let olderProblems: RepeatProblem[];
  let olderReport: Awaited<ReturnType<Store['report']>>;
  try {
    // Another spelling of this ledger (a link to the file, another name of the server, another
    // login), or a copy of it (`rectify copy`, a copied file): the same ledger, as overview
    // counts it once.
    const [mine, theirs] = [await ctx.store.identity(), await olderStore.identity()];
    if (mine.place === theirs.place) throw new RectifyError('repeats.same', {}, { exit: EXIT.badInput });
    if (mine.id !== null && mine.id === theirs.id) throw new RectifyError('repeats.copy', {}, { exit: EXIT.badInput, hint: 'repeats.copyHint' });
    olderReport = await olderStore.report();
    olderProblems = await problemsForRepeats(olderStore);
  } finally {
    await olderStore.close();
  }
  const report = await ctx.store.report();
  const problems = await problemsForRepeats(ctx.store);
  const cut = await jiebaCut();
  const pairs = findRepeats(problems, olderProblems, cut);
  const otherUnit = report.unit && olderReport.unit && report.unit.trim() !== olderReport.unit.trim()
    ? { older: olderReport.unit, unit: report.unit } : null;
  return { pairs, older: olderReport.title, total: problems.length, otherUnit };
}

export const repeats: CommandSpec = {
  name: 'repeats',
  summary: 'repeats.summary',
  options: [
    { flags: '--against <older>', description: 'repeats.opt.against' },
    { flags: '--json', description: 'repeats.opt.json' },
  ],
  ledger: 'open',
  async run({ opts }, ctx) {
    const against = typeof opts.against === 'string' ? opts.against.trim() : '';
    if (!against) throw new RectifyError('repeats.missingAgainst', {}, { exit: EXIT.badInput, hint: 'repeats.missingAgainstHint' });
    const r = await compareWithOlder(ctx, against);
    if (r.otherUnit) {
      ctx.io.err(t('error.line', { message: t('repeats.otherUnit', { older: cleanInline(r.otherUnit.older), unit: cleanInline(r.otherUnit.unit) }) }));
    }
    if (opts.json) {
      ctx.io.out(toJson(r.pairs));
      return;
    }
    ctx.io.out(renderRepeats({ pairs: r.pairs, older: r.older, total: r.total, min: REPEAT_RULE.min }, { lang: ctx.lang, theme: ctx.io.theme, width: ctx.io.columns }));
  },
};

/** The section `report --against OLDER` ends with (text and Markdown only; lines of at most
 *  80 columns, as the text report's). The warning about another unit goes to standard error. */
export async function repeatsSection(ctx: Context, against: string, format: string): Promise<string> {
  if (format !== 'text' && format !== 'md') throw new RectifyError('repeats.reportFormat', { format: cleanInline(format) }, { exit: EXIT.badInput });
  const r = await compareWithOlder(ctx, against);
  if (r.otherUnit) {
    ctx.io.err(t('error.line', { message: t('repeats.otherUnit', { older: cleanInline(r.otherUnit.older), unit: cleanInline(r.otherUnit.unit) }) }));
  }
  const view = { pairs: r.pairs, older: r.older, total: r.total, min: REPEAT_RULE.min };
  const o = { lang: ctx.lang, theme: { ...ctx.io.theme, enabled: false, id: (x: string) => x, dim: (x: string) => x, heading: (x: string) => x }, width: 80 };
  const head = t('repeats.section');
  const lines = r.pairs.length === 0
    ? [truncate(t('repeats.none', { older: cleanInline(r.older), total: r.total, min: REPEAT_RULE.min.toFixed(2) }), 80)]
    : [truncate(t('repeats.head', { older: cleanInline(r.older), n: r.pairs.length, total: r.total }), 80), '', ...repeatsLines(view, o)];
  if (format === 'md') return ['', `## ${head}`, '', ...lines.map((l) => (l === '' ? l : `    ${l}`)), ''].join('\n');
  return ['', head, '', ...lines, ''].join('\n');
}
