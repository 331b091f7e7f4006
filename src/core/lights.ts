// Lights (亮灯), as an office's supervision section (督查室) reads them: red for an item past
// its due date, yellow for one due within the due-soon window, green for one on track, and
// none for work that is finished (done or verified). The contract: docs/cli.md, "Lights".
import { addDays } from './dates.js';
import type { IsoDate } from './types.js';
import { OPEN_STATUSES, type Status } from './vocab.js';

export const LIGHTS = ['red', 'yellow', 'green'] as const;
export type Light = (typeof LIGHTS)[number];

/** The due-soon window when no `--days` is given (as `status` uses). */
export const DEFAULT_DUE_SOON_DAYS = 7;

export function isLight(s: string): s is Light {
  return (LIGHTS as readonly string[]).includes(s);
}

/**
 * An item's light as of a day. Red: due before `asOf` and still open or in progress (the
 * contract's "overdue"). Yellow: due from `asOf` through `asOf + days` (the contract's "due
 * soon"; due today is yellow, not red). Green: open work with a later due date or none.
 * null: done or verified. `days` below 0 is treated as 0 (only due today is yellow).
 */
export function lightOf(
  item: { due: IsoDate | null; status: Status },
  asOf: IsoDate,
  days: number = DEFAULT_DUE_SOON_DAYS,
): Light | null {
  if (!OPEN_STATUSES.includes(item.status)) return null;
  if (item.due === null) return 'green';
  if (item.due < asOf) return 'red';
  if (item.due <= addDays(asOf, Math.max(0, Math.trunc(days)))) return 'yellow';
  return 'green';
}

/** A function giving lights for one day and window: the last day of the window is computed once
 *  (views call it for every item of a large ledger). */
export function lightsAsOf(asOf: IsoDate, days: number = DEFAULT_DUE_SOON_DAYS): (item: { due: IsoDate | null; status: Status }) => Light | null {
  const last = addDays(asOf, Math.max(0, Math.trunc(days)));
  return (item) => {
    if (!OPEN_STATUSES.includes(item.status)) return null;
    if (item.due === null) return 'green';
    if (item.due < asOf) return 'red';
    return item.due <= last ? 'yellow' : 'green';
  };
}

/** Parses `red[,yellow]` (`,` `，` or `、`, any case): the lights in the order given (each once),
 *  and the words that are none. */
export function parseLightList(text: string): { lights: Light[]; unknown: string[] } {
  const lights: Light[] = [];
  const unknown: string[] = [];
  for (const raw of text.split(/[,，、]/)) {
    const part = raw.trim().toLowerCase();
    if (part === '') continue;
    if (isLight(part)) { if (!lights.includes(part)) lights.push(part); }
    else unknown.push(raw.trim());
  }
  return { lights, unknown };
}

/** Red first, then yellow, then green, then none: the order a reminder or a 通报 lists them. */
export function lightRank(light: Light | null): number {
  return light === null ? 3 : LIGHTS.indexOf(light);
}
