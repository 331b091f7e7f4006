// The prompts of `add`. @inquirer/prompts is imported only here, and only when a prompt
// is about to be shown: commands that never prompt never load it.
import { parseDate, parseText } from '../core/items.js';
import type { IsoDate } from '../core/types.js';
import { TERMS, type Term } from '../core/vocab.js';
import { t, type MessageKey } from '../i18n/index.js';
import { cleanInline } from './text.js';
import type { Theme } from './theme.js';

export interface ItemAnswers {
  title: string;
  measure: string;
  addresses: string[];
  owner: string | null;
  department: string | null;
  due: IsoDate | null;
  term: Term;
}

/** What the command line already gave: a field that is undefined is asked for. */
export type KnownAnswers = { [K in keyof ItemAnswers]?: ItemAnswers[K] };

export interface PromptChoices {
  measures: { id: string; title: string }[];
  problems: { id: string; title: string }[];
}

const KEY_ACTIONS: Record<string, MessageKey> = {
  navigate: 'items.key.navigate',
  select: 'items.key.select',
  submit: 'items.key.submit',
  all: 'items.key.all',
  invert: 'items.key.invert',
};
/** Names of keys that are words (the others are symbols: ↑↓ ⏎, or letters: a i). */
const KEY_NAMES: Record<string, MessageKey> = { space: 'items.key.space' };

/** Asks for every field not known yet, in the order a person fills a form. Returns null
 *  when the person pressed Ctrl-C: the caller writes nothing. */
export async function askForItem(known: KnownAnswers, choices: PromptChoices, theme: Theme): Promise<ItemAnswers | null> {
  // An ES module, loaded on first need.
  const { input, select, checkbox } = await import('@inquirer/prompts');
  const keysHelpTip = (keys: [string, string][]) =>
    keys.map(([key, action]) => `${KEY_NAMES[key] ? t(KEY_NAMES[key]) : key} ${theme.dim(KEY_ACTIONS[action] ? t(KEY_ACTIONS[action]) : action)}`).join(theme.dim(' • '));
  const style = { theme: { style: { keysHelpTip } } };
  const optional = async (message: MessageKey) => parseText(await input({ message: t(message) }));
  try {
    const title = known.title ?? parseText(await input({
      message: t('items.prompt.title'),
      validate: (v) => parseText(v) !== null || t('items.prompt.titleEmpty'),
    }))!;
    const measure = known.measure ?? await select({
      message: t('items.prompt.measure'),
      choices: choices.measures.map((m) => ({ value: m.id, name: `${cleanInline(m.id)}  ${cleanInline(m.title)}`, short: cleanInline(m.id) })),
      ...style,
    });
    const addresses = known.addresses ?? await checkbox({
      message: t('items.prompt.addresses'),
      choices: choices.problems.map((p) => ({ value: p.id, name: `${cleanInline(p.id)}  ${cleanInline(p.title)}`, short: cleanInline(p.id) })),
      pageSize: 10,
      ...style,
    });
    const owner = known.owner !== undefined ? known.owner : await optional('items.prompt.owner');
    const department = known.department !== undefined ? known.department : await optional('items.prompt.department');
    const due = known.due !== undefined ? known.due : parseDate(await input({
      message: t('items.prompt.due'),
      validate: (v) => v.trim() === '' || parseDate(v) !== null || t('items.prompt.badDate'),
    }));
    const term = known.term ?? await select({
      message: t('items.prompt.term'),
      choices: TERMS.map((value) => ({ value, name: t(`term.${value}`) })),
      default: 'deadline' as Term,
      ...style,
    });
    return { title, measure, addresses, owner, department, due, term };
  } catch (e) {
    if (e instanceof Error && e.name === 'ExitPromptError') return null;
    throw e;
  }
}
