// `rectify overview [ADDRESS…]`: a supervising body's view across ledgers. With a server's
// address and no schema (`--db postgres://…/DATABASE`), every ledger of that database the
// user may read, in one query (store/postgres/overview.ts); else the ledgers named (files,
// addresses with a schema), each read from the figures `status` reads. An address that is no
// ledger, or a database with none, is said in one line and the rest go on.
import { extname, resolve } from 'node:path';
import type { Context } from '../context.js';
import { addDays } from '../core/dates.js';
import { buildOverview, overviewJson, type LedgerFigures } from '../core/overview.js';
import type { IsoDate } from '../core/types.js';
import { EXIT, RectifyError } from '../errors.js';
import { t } from '../i18n/index.js';
import { isServerAddress, maskAddress } from '../store/postgres/address.js';
import type { LedgerIdentity, Store } from '../store/types.js';
import { toJson } from '../ui/json.js';
import { renderOverview } from '../ui/overview.js';
import { cleanInline } from '../ui/text.js';
import { daysOption, optionalDate } from './args.js';
import { writeOutputFile } from './outfile.js';
import { displayPath } from './seedfile.js';
import type { CommandSpec } from './types.js';

/** A server's address that names no schema: the whole database. */
function wholeDatabase(address: string): boolean {
  return isServerAddress(address) && !/[?&]schema=/i.test(address);
}

/** One named ledger's row, from what `status` reads, and its standing extensions. */
async function ledgerFigures(store: Store, address: string, asOf: IsoDate, days: number): Promise<LedgerFigures> {
  return store.snapshot(async () => {
    const f = await store.statusFigures(asOf, days, { listLimit: 1 });
    let extensions = 0;
    for await (const page of store.historyPages({ via: 'cli', standing: true })) {
      for (const h of page) if (h.action === 'extend') extensions += 1;
    }
    return {
      address, unit: f.report.unit ?? null, report: f.report.title, items: f.items.total, open: f.items.open,
      inProgress: f.items.inProgress, done: f.items.done, verified: f.items.verified, red: f.items.overdue,
      yellow: f.dueSoonTotal ?? f.dueSoon.length, oldestDue: f.overdue[0]?.due ?? null, extensions,
    };
  });
}

function warn(ctx: Context, e: RectifyError): void {
  ctx.io.err(t('error.line', { message: t(e.key, e.params) }));
}

/**
 * The ledgers read, each counted once. A ledger named twice (a link, another path, another name
 * of the server, a database and one of its schemas) is one place: counted once, or the total
 * would count its items twice. A copy of a ledger (`rectify copy`, a copied file) carries its id:
 * counted once too, as the first named, and said, since its figures may have moved apart. A
 * database's ledgers come without their ids, which cost a relation each to read: they are read
 * only for the ledgers whose report and unit another ledger read has too, as a copy's are.
 */
async function countedOnce(ctx: Context, read: { f: LedgerFigures; identity: LedgerIdentity; unread?: { database: string; schema: string } }[]): Promise<LedgerFigures[]> {
  const key = (f: LedgerFigures) => JSON.stringify([f.report, f.unit]);
  const alike = new Map<string, number>();
  for (const r of read) alike.set(key(r.f), (alike.get(key(r.f)) ?? 0) + 1);
  const wanted = new Map<string, typeof read>();
  for (const r of read) {
    if (r.unread && alike.get(key(r.f))! > 1) wanted.set(r.unread.database, [...(wanted.get(r.unread.database) ?? []), r]);
  }
  if (wanted.size > 0) {
    const { ledgerIds } = await import('../store/postgres/overview.js');
    for (const [database, rs] of wanted) {
      const ids = await ledgerIds(database, ctx.env, rs.map((r) => r.unread!.schema));
      for (const r of rs) r.identity = { ...r.identity, id: ids.get(r.unread!.schema) ?? null };
    }
  }
  const kept: { identity: LedgerIdentity; address: string }[] = [];
  const ledgers: LedgerFigures[] = [];
  for (const { f, identity } of read) {
    if (kept.some((k) => k.identity.place === identity.place)) continue;
    const copy = identity.id === null ? undefined : kept.find((k) => k.identity.id === identity.id);
    if (copy) {
      ctx.io.err(t('error.line', { message: t('overview.copy', { address: f.address, first: copy.address }) }));
      continue;
    }
    kept.push({ identity, address: f.address });
    ledgers.push(f);
  }
  return ledgers;
}

export const overview: CommandSpec = {
  name: 'overview',
  summary: 'overview.summary',
  args: [{ name: '[addresses...]', description: 'overview.arg.addresses' }],
  options: [
    { flags: '--as-of <date>', description: 'overview.opt.asOf' },
    { flags: '--days <n>', description: 'overview.opt.days' },
    { flags: '--json', description: 'overview.opt.json' },
    { flags: '-o, --output <file>', description: 'overview.opt.output' },
  ],
  ledger: 'none',
  async run({ args, opts }, ctx) {
    const asOf = optionalDate('--as-of', opts.asOf) ?? ctx.today();
    const days = daysOption(opts.days);
    const kind = opts.output === undefined ? null : ({ '.xlsx': 'xlsx', '.html': 'html', '.htm': 'html' } as const)[extname(String(opts.output)).toLowerCase()];
    if (kind === undefined) {
      throw new RectifyError('overview.onlyXlsx', {}, { exit: EXIT.badInput });
    }
    const named = (args[0] as string[] | undefined) ?? [];
    const addresses = named.length > 0 ? named.map((a) => (isServerAddress(a) ? a : resolve(ctx.cwd, a))) : [ctx.dbPath];
    // Every ledger read, in the order named, with what tells it from another (counted below).
    const read: { f: LedgerFigures; identity: LedgerIdentity; unread?: { database: string; schema: string } }[] = [];
    const add = (f: LedgerFigures, identity: LedgerIdentity) => read.push({ f, identity });
    const failed: RectifyError[] = [];
    const { openStore } = await import('../store/index.js');
    for (const address of addresses) {
      try {
        if (wholeDatabase(address)) {
          const { databaseOverview } = await import('../store/postgres/overview.js');
          const db = await databaseOverview(address, ctx.env, asOf, addDays(asOf, days));
          if (db.ledgers.length === 0) {
            throw new RectifyError(db.hidden > 0 ? 'overview.noneReadable' : 'overview.noLedgers',
              { address: db.shown, database: cleanInline(db.database), hidden: db.hidden }, { exit: db.hidden > 0 ? EXIT.notAllowed : EXIT.notFound });
          }
          db.ledgers.forEach((f, i) => {
            const { schema, ...identity } = db.identities[i]!;
            read.push({ f, identity, ...(schema === null ? {} : { unread: { database: address, schema } }) });
          });
          continue;
        }
        const shown = isServerAddress(address) ? maskAddress(address) : cleanInline(displayPath(address, ctx.cwd));
        const store = await openStore(address, { create: false, now: ctx.now, env: ctx.env });
        try {
          add(await ledgerFigures(store, shown, asOf, days), await store.identity());
        } finally {
          await store.close();
        }
      } catch (e) {
        if (!(e instanceof RectifyError)) throw e;
        // Said in one line; the other ledgers go on. A ledger named that is missing: the
        // usual hint (create one, or point --db) is about the ledger of this folder.
        failed.push(named.length > 0 && e.exit === EXIT.notFound && e.key === 'store.missing'
          ? new RectifyError(e.key, e.params, { exit: e.exit, hint: 'overview.missingHint' }) : e);
      }
    }
    const ledgers = await countedOnce(ctx, read);
    if (ledgers.length === 0) {
      // Nothing to show: the first failure is the command's, the others are said before it.
      for (const e of failed.slice(1)) warn(ctx, e);
      throw failed[0] ?? new RectifyError('overview.nothing', {}, { exit: EXIT.notFound });
    }
    for (const e of failed) warn(ctx, e);
    const model = buildOverview(ledgers, asOf, days);
    if (opts.output !== undefined) {
      const file = resolve(ctx.cwd, String(opts.output));
      const bytes = kind === 'html'
        ? (await import('../ui/overview-html.js')).renderOverviewHtml(model, ctx.lang)
        : await (await import('../ui/overview-xlsx.js')).renderOverviewXlsx(model, ctx.lang);
      const shown = cleanInline(displayPath(file, ctx.cwd));
      await writeOutputFile(file, bytes, null, shown);
      ctx.io.err(t(kind === 'html' ? 'html.overview.wrote' : 'overview.wrote', { file: shown }));
      return;
    }
    if (opts.json) {
      ctx.io.out(toJson(overviewJson(model)));
      return;
    }
    ctx.io.out(renderOverview(model, { lang: ctx.lang, theme: ctx.io.theme, width: ctx.io.columns }));
  },
};
