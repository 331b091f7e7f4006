// `rectify repeats` on screen and in the text report: each recurring problem with the earlier
// one it repeats, their similarity, and how the earlier problem's items ended.
import type { RepeatPair } from '../core/repeats.js';
import { t, type Lang } from '../i18n/index.js';
import type { Theme } from './theme.js';
import { cleanInline, truncate, wrap } from './text.js';

export interface RepeatsView {
  pairs: RepeatPair[];
  /** The earlier ledger as the heading names it (its report's title). */
  older: string;
  /** How many problems this ledger has. */
  total: number;
  min: number;
}

/** The lines of the list (no heading), each cut to `width` columns. */
export function repeatsLines(v: RepeatsView, o: { lang: Lang; theme: Theme; width: number }): string[] {
  const w = (key: Parameters<typeof t>[0], p?: Record<string, string | number>) => t(key, p, o.lang);
  const lines: string[] = [];
  for (const p of v.pairs) {
    const ended = p.olderItems.length === 0
      ? w('repeats.noItems')
      : p.olderItems.map((i) => `${cleanInline(i.id)} ${w(`status.${i.status}`)}`).join(o.lang === 'zh' ? '，' : ', ');
    lines.push(truncate(`${p.score.toFixed(2)}  ${o.theme.id(cleanInline(p.problem))}  ${cleanInline(p.title)}`, o.width));
    lines.push(truncate(`      ← ${o.theme.id(cleanInline(p.olderProblem))}  ${cleanInline(p.olderTitle)}`, o.width));
    lines.push(truncate(`        ${o.theme.dim(`${w('repeats.then')} ${ended}`)}`, o.width));
  }
  return lines;
}

export function renderRepeats(v: RepeatsView, o: { lang: Lang; theme: Theme; width: number }): string {
  const w = (key: Parameters<typeof t>[0], p?: Record<string, string | number>) => t(key, p, o.lang);
  const older = cleanInline(v.older);
  if (v.pairs.length === 0) return w('repeats.none', { older, total: v.total, min: v.min.toFixed(2) });
  return [
    o.theme.heading(w('repeats.head', { older, n: v.pairs.length, total: v.total })),
    ...repeatsLines(v, o),
    '',
    ...wrap(w('repeats.foot', { min: v.min.toFixed(2) }), Math.max(40, o.width)).map(o.theme.dim),
  ].join('\n');
}
