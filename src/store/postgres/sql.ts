// PostgreSQL's side of the shared SQL (../sql.ts). Text columns compare as bytes (COLLATE
// "C"), ids without case through lower(): every order is the one the ledger file gives.
import { HISTORY_FROM, ITEM_FROM, OPEN, sqlOf, type Dialect } from '../sql.js';

export const PG: Dialect = {
  name: 'pg',
  id: (expr) => `lower(${expr})`,
  jsonList: (expr, order, from) => `coalesce((SELECT json_agg(${expr} ORDER BY ${order}) FROM ${from}), '[]')::text`,
  jsonObject: (args) => `json_build_object(${args})::text`,
  noLimit: null,
  indexedBy: () => '',
  // `= ANY` of an array rather than `IN` a set: the planner then reads the keys through the
  // index instead of hashing a whole table (a 100,000-item ledger: a page took 20 ms).
  inKeys: (col, keys) => ({ text: `${col} = ANY (ARRAY(SELECT value::int FROM json_array_elements_text(?::text::json)))`, params: [JSON.stringify(keys)] }),
};

export const { LISTING_ORDER, ITEM_COLUMNS, STATE_SELECT, HISTORY_COLUMNS } = sqlOf(PG);
export { HISTORY_FROM, ITEM_FROM, OPEN };

const numbered = new Map<string, string>();

/** The shared SQL's `?` placeholders as the server's `$1, $2, ...` (outside quotes and comments). */
export function dollars(text: string): string {
  let out = numbered.get(text);
  if (out !== undefined) return out;
  let n = 0;
  out = text.replace(/'(?:[^']|'')*'|"[^"]*"|--[^\n]*|\?/g, (m) => (m === '?' ? `$${++n}` : m));
  numbered.set(text, out);
  return out;
}
