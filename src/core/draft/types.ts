// The draft of a seed: a Seed plus what the drafter guessed, each guess tied to the place
// in the seed it concerns, so that the YAML writer can put a comment on that line.
import type { IsoDate, Seed } from '../types.js';

/** The catalogue keys of what a guess says (src/i18n/en-draft.ts); core knows the keys,
 *  the command renders them in the user's language. */
export type GuessKey =
  | 'draft.guess.link'
  | 'draft.guess.unlinked'
  | 'draft.guess.term'
  | 'draft.guess.date'
  | 'draft.guess.dateNoYear'
  | 'draft.guess.dateEnd'
  | 'draft.guess.dateProse'
  | 'draft.guess.title'
  | 'draft.guess.titleFromFile'
  | 'draft.guess.unit'
  | 'draft.guess.area'
  | 'draft.guess.measure';

/** What kind of guess, for the summary's counts. */
export type GuessKind = 'link' | 'term' | 'date' | 'unlinked' | 'other';

export interface Guess {
  /** Where in the seed: e.g. ['measures', 0, 'items', 1, 'addresses']. */
  path: (string | number)[];
  kind: GuessKind;
  key: GuessKey;
  params: Record<string, string | number>;
  /** How many values the guess is about (a link guess may name several problems). */
  count: number;
}

export interface Draft {
  seed: Seed;
  guesses: Guess[];
}

/** What the drafter knows besides the text: the file's name (a last resort for the title)
 *  and the year to assume when the document names none (the command passes today's). */
export interface DraftContext {
  name: string;
  fallbackYear: number;
  /** The name of the one area when a document groups its problems into none and has no
   *  heading to name it after (in the user's language). */
  defaultArea: string;
}

/** A cell of a spreadsheet as the command hands it over: text, a number, or a date that
 *  the sheet stored as a date. */
export type Cell = string | number | { date: IsoDate } | null;

/** Why a document could not be drafted (exit 2), each with its catalogue key. */
export type DraftFailure =
  | { reason: 'draft.noStructure' }
  | { reason: 'draft.noProblems' }
  | { reason: 'draft.noMeasures'; problems: number }
  | { reason: 'draft.noHeaderRow' }
  | { reason: 'draft.tooLong'; limit: number };

/** What one report of the genre stays within, with room to spare (a county's 台账 holds some
 *  hundreds of rows): past it the document is refused before the drafting costs minutes. */
export const DRAFT_LIMITS = { paragraphs: 20_000, rows: 10_000, problems: 1_000, items: 2_000 } as const;

export type DraftResult = { ok: true; draft: Draft } | ({ ok: false } & DraftFailure);

/** What a draft holds and what it guessed, for the one-line summary. */
export interface DraftCounts {
  areas: number;
  problems: number;
  causes: number;
  measures: number;
  items: number;
  links: number;
  terms: number;
  dates: number;
  others: number;
  unlinked: number;
  guesses: number;
}

export function draftCounts(d: Draft): DraftCounts {
  const n = (kind: GuessKind) => d.guesses.filter((g) => g.kind === kind).reduce((k, g) => k + g.count, 0);
  const s = d.seed;
  return {
    areas: s.areas.length,
    problems: s.areas.reduce((k, a) => k + a.problems.length, 0),
    causes: s.causes.length,
    measures: s.measures.length,
    items: s.measures.reduce((k, m) => k + m.items.length, 0),
    links: n('link'), terms: n('term'), dates: n('date'), others: n('other'), unlinked: n('unlinked'),
    guesses: d.guesses.length,
  };
}
