import type { Seed } from '../core/types.js';
import { EXIT, RectifyError } from '../errors.js';
import { t, type MessageKey } from '../i18n/index.js';
import type { ImportLine, ImportOutcome, Store } from '../store/types.js';
import { cleanInline, padEnd, widest, width } from '../ui/text.js';
import { actor } from './args.js';
import { Steps } from '../ui/progress.js';
import { displayPath, fileProgress, fileStamp, isJsonl, readSeed, seedItems, yamlProgress } from './seedfile.js';
import type { CommandSpec } from './types.js';
import { resolve } from 'node:path';
import { setFlagsFromString } from 'node:v8';

const OUTCOMES: ImportOutcome[] = ['added', 'updated', 'kept', 'left', 'removed'];
const KINDS: ImportLine['kind'][] = ['area', 'problem', 'cause', 'measure', 'item'];
const OUTCOME_KEY: Record<ImportOutcome, MessageKey> = {
  added: 'import.added',
  updated: 'import.updated',
  kept: 'import.kept',
  left: 'import.left',
  removed: 'import.removed',
};

const FIELDS = ['title', 'detail', 'name', 'area', 'order', 'measure', 'addresses', 'owner', 'department', 'due', 'term'];

/** A field as the reader calls it (标题, 责任人), not as the code does. */
function fieldName(field: string): string {
  return FIELDS.includes(field) ? t(`items.field.${field}` as MessageKey) : cleanInline(field);
}

function describe(line: ImportLine): string {
  const parts: string[] = [];
  if (line.outcome === 'updated' && line.fields.length) parts.push(t('import.fields', { fields: line.fields.map(fieldName).join(t('items.sep')) }));
  for (const [field, [ledger, seed]] of Object.entries(line.keptFromCli)) {
    parts.push(t('import.keptFromCli', { field: fieldName(field), ledger: cleanInline(String(ledger ?? '—')), seed: cleanInline(String(seed ?? '—')) }));
  }
  if (line.notPruned) parts.push(t('import.notPruned'));
  return parts.join(t('import.partSep'));
}

/** A seed that names none of the ledger's ids and another report is most likely the wrong
 *  file: merging it would double the ledger. Stops at the first id the ledger knows. */
async function looksLikeAnother(
  seed: Seed, store: Store, items?: () => AsyncIterable<{ item: { id: string } }>,
): Promise<{ ledger: string; seed: string } | null> {
  const { title } = await store.report();
  if (title === '' || title === seed.report.title) return null;
  const ids = function* () {
    for (const a of seed.areas) {
      yield a.id;
      for (const p of a.problems) yield p.id;
    }
    for (const m of seed.measures) {
      yield m.id;
      for (const i of m.items) yield i.id;
    }
  };
  for (const id of ids()) if (await store.lookup(id)) return null;
  if (items) for await (const { item } of items()) if (await store.lookup(item.id)) return null;
  return { ledger: title, seed: seed.report.title };
}

export const importCommand: CommandSpec = {
  name: 'import',
  summary: 'import.summary',
  args: [{ name: '<seed>', description: 'import.arg.seed' }],
  options: [
    { flags: '--dry-run', description: 'import.opt.dryRun' },
    { flags: '--prune', description: 'import.opt.prune' },
    { flags: '--force', description: 'import.opt.force' },
  ],
  ledger: 'open',
  async run({ args, opts }, ctx) {
    // V8 lets the heap grow to up to four times what a full collection left before it runs
    // the next (its most, on a machine with gigabytes to spare): a 200,000-item import, whose
    // live heap stays under 60 MB, peaked anywhere from 214 to 360 MiB from run to run. Here
    // the next comes once the heap has grown by half: a schedule, not a limit (nothing is
    // refused memory); measured, 197 and 199 MiB, and no more CPU time (README, "Speed and
    // memory").
    setFlagsFromString('--heap-growing-percent=50');
    const file = args[0] as string;
    const path = resolve(ctx.cwd, file);
    // A JSON Lines file shows how much of it is read; a YAML seed, read at once, the steps of
    // its reading.
    const { onBytes, bar } = isJsonl(path) ? fileProgress(ctx.io, t('progress.import'), path) : { bar: yamlProgress(ctx.io, t('progress.import')) };
    const shown = displayPath(path, ctx.cwd);
    // JSON Lines may be big: it is checked whole first, then its items are read again as they
    // are merged (never the whole seed in memory).
    const jsonl = isJsonl(path);
    const stamp = jsonl ? await fileStamp(path) : null;
    const items = jsonl ? () => seedItems(path, shown, stamp) : undefined;
    let seed: Awaited<ReturnType<typeof readSeed>>;
    try {
      seed = await readSeed(path, shown, onBytes, bar instanceof Steps ? bar.step(0) : undefined, { noItems: jsonl });
    } finally {
      bar?.end();
    }
    if (!opts.force) {
      const other = await looksLikeAnother(seed, ctx.store, items);
      if (other) {
        throw new RectifyError('import.another', { ledger: cleanInline(other.ledger), seed: cleanInline(other.seed) }, { exit: EXIT.notAllowed, hint: 'import.another.hint' });
      }
    }
    const dryRun = Boolean(opts.dryRun);
    const options = { dryRun, prune: Boolean(opts.prune), actor: actor(ctx), ...(items ? { items } : {}) };
    const result = dryRun
      ? await ctx.store.importSeed(seed, options)
      : await ctx.store.write(() => ctx.store.importSeed(seed, options));
    const labels = OUTCOMES.map((o) => t(OUTCOME_KEY[o]));
    const labelWidth = widest(labels);
    const kindWidth = widest(KINDS.map((k) => t(`kind.${k}`)));
    let idWidth = 0;
    for (const l of result.lines) idWidth = Math.max(idWidth, width(l.id));
    // A line per id, handed on a thousand at a time: 200,000 lines are never one array and one
    // string besides the lines themselves.
    let out: string[] = [];
    for (const line of result.lines) {
      const extra = describe(line);
      const text = `${padEnd(t(OUTCOME_KEY[line.outcome]), labelWidth)}  ${padEnd(t(`kind.${line.kind}`), kindWidth)}  ${padEnd(cleanInline(line.id), idWidth)}${extra ? '  ' + extra : ''}`;
      out.push(text.trimEnd());
      if (out.length === 1000) {
        ctx.io.out(out.join('\n'));
        out = [];
      }
    }
    const totals = OUTCOMES.filter((o) => o !== 'removed' || options.prune)
      .map((o) => t('import.total.part', { n: result.totals[o], outcome: t(OUTCOME_KEY[o]) }))
      .join(t('list.sep'));
    out.push(t(dryRun ? 'import.total.dry' : 'import.total', { parts: totals }));
    ctx.io.out(out.join('\n'));
  },
};
