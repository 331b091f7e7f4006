// The SQL a ledger on a server shares between the store's parts, in PostgreSQL's dialect.
// Text columns compare as bytes (COLLATE "C"), ids without case through lower(): every order
// is the one the ledger file gives.
import { OPEN_STATUSES } from '../../core/vocab.js';

export const OPEN = OPEN_STATUSES.map((s) => `'${s}'`).join(', ');

/** Listing order (docs/cli.md): measures as in the seed, then the item number, then the id. */
export const LISTING_ORDER = 'm.pos, i.num IS NULL, i.num, lower(i.id)';

const addressesOf = (item: string) => `coalesce((SELECT json_agg(p.id ORDER BY ip.pos)
     FROM item_problems ip JOIN problems p ON p.key = ip.problem WHERE ip.item = ${item}), '[]')::text`;

export const ITEM_COLUMNS = `
  i.key, i.id, i.title, i.detail, m.id AS measure, ${addressesOf('i.key')} AS addresses,
  i.owner, i.department, i.due, i.term, i.status, i.progress, i.created_at, i.updated_at`;
export const ITEM_FROM = 'items i JOIN measures m ON m.key = i.measure';

export const STATE_SELECT = `
  SELECT i.key, i.id, i.title, i.detail, i.owner, i.department, i.due, i.term, i.status, i.progress, i.pins,
         i.measure, m.id AS "measureId", ${addressesOf('i.key')} AS addresses
    FROM items i JOIN measures m ON m.key = i.measure`;

// undoes: the entry an undo took back; undone: whether a later undo took this entry's group back.
export const HISTORY_COLUMNS = `
  h.seq, h.grp, h.at, h.by, i.id AS item, h.action, h.status, h.progress, h.note, h.changes, h.via, h.db_user,
  CASE WHEN h.reverts IS NOT NULL THEN
    (SELECT json_build_object('item', ri.id, 'action', r.action, 'at', r.at, 'by', r.by)::text
       FROM history r JOIN items ri ON ri.key = r.item WHERE r.seq = h.reverts) END AS undoes,
  EXISTS (SELECT 1 FROM undone u WHERE u.grp = h.grp) AS undone`;
export const HISTORY_FROM = 'history h JOIN items i ON i.key = h.item';

/** `$n` placeholders in order: p(x) pushes x and returns its placeholder. */
export class Params {
  readonly values: (string | number | boolean | null)[] = [];
  p(v: string | number | boolean | null): string {
    this.values.push(v);
    return `$${this.values.length}`;
  }
}
