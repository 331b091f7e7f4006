// The message catalogue: every word a user reads comes from here, in English and Chinese.
// A command loads one language's catalogue (loadLang, before anything is said): each is a
// chunk of its own in the bundle, so the other one is never read nor built.
import type { MessageKey } from './en.js';

export type { MessageKey };
export type Lang = 'en' | 'zh';
export type Params = Record<string, string | number>;

const catalogues: Partial<Record<Lang, Record<MessageKey, string>>> = {};
let current: Lang = 'en';

/** Loads a language's catalogue (once) and makes it the current one. */
export async function loadLang(lang: Lang): Promise<void> {
  catalogues[lang] ??= lang === 'zh' ? (await import('./zh.js')).zh : (await import('./en.js')).en;
  current = lang;
}

/** Makes an already loaded language the current one. */
export function setLang(lang: Lang): void {
  if (!catalogues[lang]) throw new Error(`the ${lang} catalogue is not loaded`);
  current = lang;
}
export function getLang(): Lang {
  return current;
}

/** `--lang` wins; else LC_ALL, LC_MESSAGES, LANG in that order: `zh*` is Chinese, anything else English. */
export function detectLang(flag: string | undefined, env: NodeJS.ProcessEnv): Lang {
  if (flag === 'zh' || flag === 'en') return flag;
  const locale = env.LC_ALL || env.LC_MESSAGES || env.LANG || '';
  return locale.toLowerCase().startsWith('zh') ? 'zh' : 'en';
}

/** The message `key` in `lang` (the current language by default), with `{name}` placeholders
 *  filled from params. A language that was not loaded falls back to the current one (an
 *  error's internal English message, in a Chinese run, is its Chinese one); with no catalogue
 *  loaded at all, the key itself. */
export function t(key: MessageKey, params?: Params, lang: Lang = current): string {
  const text = (catalogues[lang] ?? catalogues[current])?.[key] ?? key;
  if (!params) return text;
  return text.replace(/\{(\w+)\}/g, (whole, name: string) =>
    Object.prototype.hasOwnProperty.call(params, name) ? String(params[name]) : whole,
  );
}

/** What a seed holds, counted: "1 area", "2 areas" (count.<kind>.one / .other). */
export function counted(n: number, kind: 'areas' | 'problems' | 'causes' | 'measures' | 'items', lang: Lang = current): string {
  return t(`count.${kind}.${n === 1 ? 'one' : 'other'}`, { n }, lang);
}

/** Whether `key` is a message of the catalogue (both languages have the same keys). */
export function hasMessage(key: string): key is MessageKey {
  const cat = catalogues[current];
  return cat !== undefined && Object.prototype.hasOwnProperty.call(cat, key);
}

/** The catalogue of a loaded language (the current one if `lang` was not loaded). */
export function catalogue(lang: Lang): Readonly<Record<MessageKey, string>> {
  return (catalogues[lang] ?? catalogues[current])!;
}
