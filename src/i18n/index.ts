// The message catalogue: every word a user reads comes from here, in English and Chinese.
import { en, type MessageKey } from './en.js';
import { zh } from './zh.js';

export type { MessageKey };
export type Lang = 'en' | 'zh';
export type Params = Record<string, string | number>;

const catalogues: Record<Lang, Record<MessageKey, string>> = { en, zh };
let current: Lang = 'en';

export function setLang(lang: Lang): void {
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

/** The message `key` in the current language, with `{name}` placeholders filled from params. */
export function t(key: MessageKey, params?: Params, lang: Lang = current): string {
  const text = catalogues[lang][key];
  if (!params) return text;
  return text.replace(/\{(\w+)\}/g, (whole, name: string) =>
    Object.prototype.hasOwnProperty.call(params, name) ? String(params[name]) : whole,
  );
}

export function catalogue(lang: Lang): Readonly<Record<MessageKey, string>> {
  return catalogues[lang];
}
