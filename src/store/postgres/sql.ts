// PostgreSQL's side of the shared SQL (../sql.ts). Text columns compare as bytes (COLLATE
// "C"), ids without case through lower(): every order is the one the ledger file gives.
import { HISTORY_FROM, ITEM_FROM, OPEN, sqlOf, type Dialect } from '../sql.js';

export const PG: Dialect = {
  name: 'pg',
  id: (expr) => `lower(${expr})`,
  jsonList: (expr, order, from) => `coalesce((SELECT json_agg(${expr} ORDER BY ${order}) FROM ${from}), '[]')::text`,
  jsonObject: (args) => `json_build_object(${args})::text`,
  jsonRows: true,
  noLimit: null,
  indexedBy: () => '',
  // `= ANY` of an array rather than `IN` a set: the planner then reads the keys through the
  // index instead of hashing a whole table (a 100,000-item ledger: a page took 20 ms).
  inKeys: (col, keys) => ({ text: `${col} = ANY (ARRAY(SELECT value::bigint FROM json_array_elements_text(?::text::json)))`, params: [JSON.stringify(keys)] }),
  inIds: (col, ids) => ({
    text: `lower(${col}) = ANY (ARRAY(SELECT lower(value) FROM json_array_elements_text(?::text::json)))`, params: [JSON.stringify(ids)],
  }),
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

/** Parameters written into a statement at most: past this (a bulk load's rows) the statement
 *  goes with its parameters. */
const INLINE_MAX = 64;

/**
 * `text` (with `$1, $2, ...`) with its parameters written in as literals, or null when it is
 * to go with them (many, or a string holding a NUL, which no literal may hold). A statement
 * with parameters costs two round trips (the driver asks the server for their types first,
 * and sends nothing else meanwhile); one without goes in one, and the statements asked
 * together go out together. Each literal is typed as its parameter would be: a string or a
 * number is an untyped quoted literal (E'…', the same whatever standard_conforming_strings
 * says: backslashes and quotes doubled), a boolean a boolean, null NULL.
 */
export function inlined(text: string, params: readonly unknown[]): string | null {
  if (params.length === 0) return text;
  if (params.length > INLINE_MAX) return null;
  const lit: string[] = [];
  for (const p of params) {
    if (p === null) lit.push('NULL');
    else if (p === true || p === false) lit.push(p ? 'true' : 'false');
    else if (typeof p === 'bigint') lit.push(`'${p}'::int8`);
    else if (typeof p === 'number' || typeof p === 'string') {
      const s = String(p);
      if (s.includes('\0')) return null;
      lit.push(`E'${s.replace(/\\/g, '\\\\').replace(/'/g, "''")}'`);
    } else return null;
  }
  let bad = false;
  // Outside dollar quotes, quotes, quoted names and comments, as dollars() wrote them.
  const out = text.replace(/\$([A-Za-z_][A-Za-z_0-9]*)?\$[\s\S]*?\$\1\$|'(?:[^']|'')*'|"[^"]*"|--[^\n]*|\/\*[\s\S]*?\*\/|\$(\d+)/g, (m, _tag, n) => {
    if (n === undefined) return m;
    const v = lit[Number(n) - 1];
    if (v === undefined) bad = true;
    return v ?? m;
  });
  return bad ? null : out;
}
