// Writing primitives of a file's own: a seed's item as an import adds it, and the roll-ups
// counted afresh.
import type { SeedItem } from '../../core/types.js';
import { FINISHED_STATUSES } from '../../core/vocab.js';
import { idNumber } from '../rows.js';
import { blankToNull } from '../import.js';
import { OPEN, sqlList } from '../sql.js';
import type { Sql } from './sql.js';

const FINISHED = sqlList(FINISHED_STATUSES);

/** A seed's new item, open with progress 0, and its addresses (the file's triggers record its
 *  `create` entry). */
export function insertSeedItem(sql: Sql, item: SeedItem, measure: number, problems: number[], at: string): void {
  const key = sql.run(
    `INSERT INTO items (id, measure, num, term, due, owner, department, pins, created_at, updated_at, title, detail)
     VALUES (?, ?, ?, ?, ?, ?, ?, 0, ?, ?, ?, ?)`,
    item.id, measure, idNumber(item.id), item.term, item.due, blankToNull(item.owner), blankToNull(item.department), at, at,
    item.title, item.detail,
  );
  for (const [pos, p] of problems.entries()) sql.run('INSERT INTO item_problems (item, pos, problem) VALUES (?, ?, ?)', key, pos, p);
}

/** Recomputes from scratch what the triggers keep (tests compare the two). */
export function rebuildRollups(sql: Sql): void {
  for (const t of ['owner_counts', 'due_counts']) sql.run(`DELETE FROM ${t}`);
  sql.run('UPDATE measures SET items = 0, done = 0');
  sql.run(
    `UPDATE measures SET items = c.n, done = c.done
       FROM (SELECT measure, count(*) AS n, sum(status IN (${FINISHED})) AS done FROM items GROUP BY measure) AS c
      WHERE c.measure = measures.key`,
  );
  sql.run(`INSERT INTO owner_counts (owner, status, n) SELECT coalesce(owner, ''), status, count(*) FROM items GROUP BY 1, 2`);
  sql.run(
    `INSERT INTO due_counts (due, owner, n) SELECT due, coalesce(owner, ''), count(*) FROM items
      WHERE status IN (${OPEN}) AND due IS NOT NULL GROUP BY 1, 2`,
  );
  sql.run('UPDATE problems SET items = 0, unfinished = 0');
  sql.run(
    `UPDATE problems SET items = c.n, unfinished = c.u
       FROM (SELECT ip.problem, count(*) AS n, sum(i.status IN (${OPEN})) AS u
               FROM item_problems ip JOIN items i ON i.key = ip.item GROUP BY ip.problem) AS c
      WHERE c.problem = problems.key`,
  );
}
