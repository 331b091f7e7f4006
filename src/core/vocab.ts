// The vocabularies of the domain. The store builds its CHECK constraints from these
// same tuples, so the code and the schema cannot disagree.
export const STATUSES = ['open', 'in_progress', 'done', 'verified'] as const;
export type Status = (typeof STATUSES)[number];

export const TERMS = ['immediate', 'deadline', 'ongoing'] as const;
export type Term = (typeof TERMS)[number];
export const DEFAULT_TERM: Term = 'deadline';

/** What a history entry records. `create` is an item coming into the ledger. */
export const ACTIONS = [
  'create', 'import', 'assign', 'extend', 'progress', 'done', 'verify', 'reopen', 'undo', 'edit',
] as const;
export type Action = (typeof ACTIONS)[number];

/** Statuses that still need work: these can be overdue, due soon, chased. */
export const OPEN_STATUSES: readonly Status[] = ['open', 'in_progress'];
export const FINISHED_STATUSES: readonly Status[] = ['done', 'verified'];

export function isStatus(s: string): s is Status {
  return (STATUSES as readonly string[]).includes(s);
}
export function isTerm(s: string): s is Term {
  return (TERMS as readonly string[]).includes(s);
}
