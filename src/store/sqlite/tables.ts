// The writing primitives shared by the store's methods and by import: inserting what a
// seed describes, keeping item numbers, appending history.
import type { SeedItem } from '../../core/types.js';
import type { Action, Status } from '../../core/vocab.js';
import { RectifyError } from '../../errors.js';
import { FINISHED_STATUSES } from '../../core/vocab.js';
import { idNumber } from '../rows.js';
import { blankToNull } from '../import.js';
import { OPEN, sqlList } from '../sql.js';
import type { Sql } from './sql.js';
import type { Stamp } from '../ledger.js';

const FINISHED = sqlList(FINISHED_STATUSES);


export type Via = 'seed' | 'cli';

export interface HistoryInput {
  item: number;
  by: string;
  action: Action;
  status: Status;
  progress: number;
  via: Via;
  changes?: Record<string, [unknown, unknown]>;
  note?: string | null;
  pinsSet?: number;
}

const EMPTY_CHANGES = '{}';

export class Tables {
  constructor(
    readonly sql: Sql,
    readonly stamp: () => Stamp,
  ) {}

  /** Inserts an item, open with progress 0, and its `create` history entry. */
  insertItem(item: SeedItem, measure: number, problems: number[], opts: { by: string; via: Via; pins: number }): number {
    const { at } = this.stamp();
    const key = this.sql.run(
      `INSERT INTO items (id, measure, num, term, due, owner, department, pins, created_at, updated_at, title, detail)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      item.id, measure, idNumber(item.id), item.term, item.due, blankToNull(item.owner),
      blankToNull(item.department), opts.pins, at, at, item.title, item.detail,
    );
    this.insertAddresses(key, problems);
    this.addHistory({
      item: key, by: opts.by, action: 'create', status: 'open', progress: 0, via: opts.via,
      pinsSet: opts.pins,
    });
    return key;
  }

  insertAddresses(item: number, problems: number[]): void {
    let pos = 0;
    for (const p of problems) {
      this.sql.run('INSERT INTO item_problems (item, pos, problem) VALUES (?, ?, ?)', item, pos++, p);
    }
  }

  setAddresses(item: number, problems: number[]): void {
    this.sql.run('DELETE FROM item_problems WHERE item = ?', item);
    this.insertAddresses(item, problems);
  }

  addHistory(h: HistoryInput): number {
    const { grp, at } = this.stamp();
    return this.sql.run(
      `INSERT INTO history (grp, at, by, item, action, status, progress, via, pins_set, changes, note)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      grp, at, h.by, h.item, h.action, h.status, h.progress, h.via, h.pinsSet ?? 0,
      h.changes && Object.keys(h.changes).length > 0 ? JSON.stringify(h.changes) : EMPTY_CHANGES,
      h.note ?? null,
    );
  }

  /** Problem keys for ids (any spelling), first mention kept; an unknown id is exit 3. */
  problemKeys(ids: readonly string[]): { keys: number[]; ids: string[] } {
    const keys: number[] = [];
    const canonical: string[] = [];
    for (const id of ids) {
      const row = this.sql.get<{ key: number; id: string }>('SELECT key, id FROM problems WHERE id = ?', id);
      if (!row) throw new RectifyError('store.unknownProblem', { id }, { exit: 3 });
      if (keys.includes(row.key)) continue;
      keys.push(row.key);
      canonical.push(row.id);
    }
    return { keys, ids: canonical };
  }

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
