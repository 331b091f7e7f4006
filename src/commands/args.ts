// What the item commands read from their arguments and share: ids, notes, dates, ids of
// a given kind, the items named; and the plan-settle-apply step of the status verbs.
import { normalizeId, splitIds } from '../core/ids.js';
import { checkText, parseDate, settle, type Planned, type TextField, type Verb } from '../core/items.js';
import type { IsoDate, Item } from '../core/types.js';
import type { Context } from '../context.js';
import { EXIT, RectifyError } from '../errors.js';
import { t, type MessageKey } from '../i18n/index.js';
import type { IdKind, Store } from '../store/types.js';
import { describeRefused, describeUpdate } from '../ui/items.js';
import { cleanInline } from '../ui/text.js';

/** The ids of an IDS argument (`M1.1,M2.3`, `，` too); none at all is bad input. */
export function itemIds(arg: unknown): string[] {
  const ids = splitIds(String(arg));
  if (!ids.length) throw new RectifyError('items.noIds', {}, { exit: EXIT.badInput });
  return ids;
}

/** Text for a field under the seed's rules (core's checkText): null when absent or blank;
 *  a control character or too long a text is bad input, saying which field and why. */
export function fieldText(field: TextField, value: unknown, label?: 'name'): string | null {
  if (value === undefined || value === null) return null;
  const r = checkText(field, String(value));
  if (r.ok) return r.value;
  // What the user calls it: a contact's name is checked as an owner's, and called its name.
  const name = t(`items.field.${label ?? field}`);
  if (r.reason === 'control') {
    const code = 'U+' + r.code.toString(16).toUpperCase().padStart(4, '0');
    throw new RectifyError('items.badChar', { field: name, code }, { exit: EXIT.badInput, hint: 'items.badChar.hint' });
  }
  throw new RectifyError('items.tooLong', { field: name, max: r.max, length: r.length }, { exit: EXIT.badInput });
}

/** Who acts, under the same rules as any text recorded (a control character in --by or
 *  $RECTIFY_USER would otherwise sit in every history entry it writes). */
export function actor(ctx: Context): string {
  return fieldText('by', ctx.actor) ?? ctx.actor;
}

/** Free text of an option: absent is null, given but blank is bad input (`emptyKey` says which). */
export function optionalText(value: unknown, emptyKey: MessageKey, field: TextField = 'note'): string | null {
  if (value === undefined) return null;
  const text = fieldText(field, value);
  if (text === null) throw new RectifyError(emptyKey, {}, { exit: EXIT.badInput });
  return text;
}

/** A date option: absent is undefined, anything but a real YYYY-MM-DD is bad input. */
export function optionalDate(option: string, value: unknown): IsoDate | undefined {
  if (value === undefined) return undefined;
  const d = parseDate(String(value));
  if (d === null) throw new RectifyError('items.badDate', { option, value: cleanInline(String(value)) }, { exit: EXIT.badInput });
  return d;
}

/** An id as the ledger spells it: unknown is exit 3, an id of another kind exit 2. */
export async function ref(store: Store, id: string, kind: IdKind): Promise<string> {
  const found = await store.lookup(normalizeId(id));
  const shown = cleanInline(id);
  if (!found) throw new RectifyError('items.unknownRef', { kind: t(`kind.${kind}`), id: shown }, { exit: EXIT.notFound });
  if (found.kind !== kind) {
    throw new RectifyError('items.wrongKind', { id: shown, kind: t(`items.kind.${found.kind}`), expected: t(`items.kind.${kind}`) }, { exit: EXIT.badInput });
  }
  return found.id;
}

/** The items with these ids, in the order given; any unknown id is exit 3, naming them all. */
export async function itemsNamed(store: Store, ids: string[]): Promise<Item[]> {
  const { items, missing } = await store.getItems(ids);
  if (missing.length) throw new RectifyError('items.unknownId', { ids: missing.map(cleanInline).join(', ') }, { exit: EXIT.notFound, hint: 'items.unknownId.hint' });
  return items;
}

/** Applies a status verb to every item or to none: one refusal refuses all (exit 4). */
export async function applyVerb(ctx: Context, verb: Verb, items: Item[], plan: (item: Item) => Planned): Promise<void> {
  const { changes, refused } = settle(items.map(plan));
  if (refused.length) {
    // Signing off what is already signed off needs no "mark it done first".
    const hint: MessageKey = verb === 'verify' && refused.every((r) => r.status === 'verified') ? 'items.refused.verify.already' : `items.refused.${verb}.hint`;
    throw new RectifyError(`items.refused.${verb}`, { items: describeRefused(refused) }, { exit: EXIT.notAllowed, hint });
  }
  await ctx.store.applyChanges(changes, actor(ctx));
  ctx.io.out(changes.map((c, n) => describeUpdate(items[n]!, c.set, c.note, c.evidence)).join('\n'));
}

/** --days N: a whole number of days, 0 or more (a century at most: beyond that no date
 *  arithmetic stays meaningful); 7 when not given. */
export function daysOption(value: unknown): number {
  const s = String(value ?? '7').normalize('NFKC').trim();
  if (!/^\d{1,5}$/.test(s) || Number(s) > 36_500) {
    throw new RectifyError('views.badDays', { value: cleanInline(s) }, { exit: EXIT.badInput });
  }
  return Number(s);
}
