// Assembling a draft: ids as in the bundled seed (A1, P1.1, C1, M1, M1.1), each guess
// recorded at the path of the value it concerns.
import type { Area, Cause, IsoDate, Measure, ReportInfo, Seed, SeedItem } from '../types.js';
import { DEFAULT_TERM, type Term } from '../vocab.js';
import { findDate, termOf, termOfDue, type FoundDate } from './dates.js';
import { DRAFT_LIMITS, type Draft, type DraftResult, type Guess, type GuessKey, type GuessKind } from './types.js';

export interface ItemInput {
  title: string;
  detail: string | null;
  /** Indexes of problems (in draft order) the document ties the item to. */
  problems?: number[];
  owner?: string | null;
  department?: string | null;
  /** A labelled deadline (整改时限：…): its words decide the term and the date. */
  dueText?: string | null;
  /** Units that assist (配合单位：…), with their labels: kept in the detail. */
  helper?: string | null;
  /** Ids the document gives (rectify's own 台账 and report show them). */
  id?: string | null;
  /** A term and a date the document states outright (rectify's own 台账): no guessing. */
  term?: Term;
  due?: IsoDate | null;
}

/** A title is one line and never empty (the seed refuses both): a second line moves to the
 *  detail; an empty title takes the detail's first line, or an ellipsis for a person to fill. */
export function oneLine(title: string, detail: string | null): { title: string; detail: string | null } {
  const t = title.trim();
  const nl = t.indexOf('\n');
  const head = (nl < 0 ? t : t.slice(0, nl)).trim();
  const more = [nl < 0 ? '' : t.slice(nl + 1).trim(), detail?.trim() ?? ''].filter((x) => x !== '').join('\n');
  if (head !== '') return { title: head, detail: more === '' ? null : more };
  const first = more.split('\n', 1)[0] as string;
  return { title: first.slice(0, 40) || '…', detail: more === '' ? null : more };
}

export class DraftBuilder {
  readonly areas: Area[] = [];
  readonly causes: Cause[] = [];
  readonly measures: Measure[] = [];
  readonly guesses: Guess[] = [];
  /** Every problem in order, with the address of its area. */
  readonly problems: { id: string; title: string; detail: string | null }[] = [];

  constructor(readonly year: { value: number; guessed: boolean }) {}

  guess(path: (string | number)[], kind: GuessKind, key: GuessKey, params: Record<string, string | number> = {}, count = 1): void {
    this.guesses.push({ path, kind, key, params, count });
  }

  /** Areas named but not yet holding a problem: an area becomes part of the draft (and gets
   *  its id) with its first problem, so that no area is left empty. */
  private pending: { name: string; guessedFrom: string | undefined; index: number | null; id: string | null }[] = [];
  /** Measures whose ids the document gave: kept when others are numbered again. */
  private givenIds = new Set<Measure>();

  area(name: string, guessedFrom?: string, id: string | null = null): number {
    this.pending.push({ name: name.replace(/\s+/g, ' ').trim() || '…', guessedFrom, index: null, id });
    return this.pending.length - 1;
  }

  problem(handle: number, title: string, detail: string | null, id: string | null = null): number {
    const pending = this.pending[handle] as { name: string; guessedFrom: string | undefined; index: number | null; id: string | null };
    if (pending.index === null) {
      pending.index = this.areas.length;
      this.areas.push({ id: pending.id ?? `A${pending.index + 1}`, name: pending.name, problems: [] });
      if (pending.guessedFrom !== undefined) this.guess(['areas', pending.index, 'name'], 'other', 'draft.guess.area', { heading: pending.guessedFrom });
    }
    const area = pending.index;
    const a = this.areas[area] as Area;
    const p = { id: id ?? `P${area + 1}.${a.problems.length + 1}`, ...oneLine(title, detail) };
    a.problems.push(p);
    this.problems.push(p);
    return this.problems.length - 1;
  }

  cause(title: string, detail: string | null): void {
    this.causes.push({ id: `C${this.causes.length + 1}`, ...oneLine(title, detail) });
  }

  measure(title: string, detail: string | null, guessedFrom?: string, id: string | null = null): number {
    const i = this.measures.length;
    const m: Measure = { id: id ?? `M${i + 1}`, ...oneLine(title, detail), items: [] };
    if (id !== null) this.givenIds.add(m);
    this.measures.push(m);
    if (guessedFrom !== undefined) this.guess(['measures', i, 'title'], 'other', 'draft.guess.measure', { heading: guessedFrom });
    return i;
  }

  item(measure: number, input: ItemInput): void {
    const m = this.measures[measure] as Measure;
    const j = m.items.length;
    const path = ['measures', measure, 'items', j];
    let term: Term = DEFAULT_TERM;
    let due: IsoDate | null = null;
    const text = input.title + (input.detail ? '\n' + input.detail : '');
    if (input.term !== undefined) {
      term = input.term;
      due = input.due ?? null;
    } else if (input.dueText) {
      // A labelled deadline is what the document says; only a year or day filled in is a guess.
      const t = termOfDue(input.dueText);
      if (t) term = t.term;
      const d = finalDate(input.dueText, this.year.value);
      if (d) {
        due = d.date;
        if (d.yearGuessed || d.dayGuessed) this.dateGuess([...path, 'due'], d);
      }
    }
    // 立行立改 in the item's own words makes it immediate whatever deadline its problem has;
    // the words of an ongoing term (持续, 常态化) only when no deadline is labelled.
    if (term === DEFAULT_TERM && input.term === undefined) {
      const t = termOf(text);
      if (t && (t.term === 'immediate' || !input.dueText)) {
        term = t.term;
        this.guess([...path, 'term'], 'term', 'draft.guess.term', { word: t.word, term: t.term });
      }
    }
    if (due === null && !input.dueText && input.term === undefined) {
      const d = deadlineIn(text, this.year.value);
      if (d) {
        due = d.date;
        this.dateGuess([...path, 'due'], d, true);
      }
    }
    const detail = input.helper ? [input.detail, input.helper].filter((x) => x !== null && x !== undefined && x !== '').join('\n') : input.detail;
    const item: SeedItem = {
      id: input.id ?? `${m.id}.${j + 1}`,
      ...oneLine(input.title, detail),
      addresses: (input.problems ?? []).map((k) => (this.problems[k] as { id: string }).id),
      owner: input.owner?.replace(/\s+/g, ' ').trim() || null,
      department: input.department?.replace(/\s+/g, ' ').trim() || null,
      due,
      term,
    };
    m.items.push(item);
  }

  private dateGuess(path: (string | number)[], d: FoundDate, fromProse = false): void {
    const params = { text: d.text, date: d.date, year: this.year.value };
    if (d.yearGuessed) this.guess(path, 'date', this.year.guessed ? 'draft.guess.dateNoYear' : 'draft.guess.date', params);
    else if (d.dayGuessed) this.guess(path, 'date', 'draft.guess.dateEnd', params);
    else if (fromProse) this.guess(path, 'date', 'draft.guess.dateProse', params);
  }

  /** Refused when the draft holds more than one report of the genre would. */
  tooMany(): DraftResult | null {
    if (this.problems.length > DRAFT_LIMITS.problems) return { ok: false, reason: 'draft.tooLong', limit: DRAFT_LIMITS.problems };
    const items = this.measures.reduce((n, m) => n + m.items.length, 0);
    return items > DRAFT_LIMITS.items ? { ok: false, reason: 'draft.tooLong', limit: DRAFT_LIMITS.items } : null;
  }

  finish(report: ReportInfo): Draft {
    // A measure left without items is no measure: the rest are numbered M1… again.
    const kept = this.measures.filter((m) => m.items.length > 0);
    if (kept.length !== this.measures.length) {
      const moved = new Map(kept.map((m, i) => [this.measures.indexOf(m), i]));
      kept.forEach((m, i) => {
        if (this.givenIds.has(m)) return;
        m.id = `M${i + 1}`;
        m.items.forEach((it, j) => (it.id = `M${i + 1}.${j + 1}`));
      });
      for (const g of this.guesses) if (g.path[0] === 'measures') g.path[1] = moved.get(g.path[1] as number) ?? (g.path[1] as number);
    }
    const seed: Seed = { version: 1, report, areas: this.areas, causes: this.causes, measures: kept };
    return { seed, guesses: this.guesses.filter((g) => g.path[0] !== 'measures' || g.path[1] as number < kept.length) };
  }
}

/** A deadline in stages (2025年6月30日前完成初步整改，12月31日前全面完成): the day the work is to
 *  be done whole, in the year the first stage names; else the first date written. */
function finalDate(text: string, year: number): FoundDate | null {
  const first = findDate(text, year);
  const clauses = text.split(/[，,；;]/);
  const whole = clauses.findIndex((c, k) => k > 0 && /全面完成|全部完成|全部整改到位|全面整改到位|整改到位|彻底完成|完成全部/.test(c));
  if (first === null || whole < 0) return first;
  const later = findDate(clauses[whole] as string, first.yearGuessed ? year : Number(first.date.slice(0, 4)));
  return later !== null && later.date > first.date ? { ...later, yearGuessed: later.yearGuessed && first.yearGuessed } : first;
}

/** A deadline written in an item's prose: 3月底前完成, 2024年6月30日前, 年底前, 第三季度前,
 *  年内完成, 春节前. */
const DEADLINE = /(?:(?:20\d\d\s*年\s*)?(?:\d{1,2}\s*月(?:\s*\d{1,2}\s*[日号])?(?:份)?(?:底|末|上旬|中旬|下旬)?|第?[一二三四1-4]季度(?:末)?|[上下]半年|春节)|20\d\d\s*年\s*(?:底|末)|年底|年末)\s*(?:前|之前|以前)|(?:20\d\d\s*年|本年|今年|年)内(?=完成|办结|落实|到位|全面|基本|建立|实现)/;

function deadlineIn(text: string, year: number): FoundDate | null {
  const m = DEADLINE.exec(text);
  return m ? findDate(m[0], year) : null;
}
