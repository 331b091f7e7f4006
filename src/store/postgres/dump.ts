// A ledger on a server built from JSON Lines records (core/dump.ts; ../dump.ts reads them out),
// each history entry with its dbUser: many rows a statement.
import type { DumpContact, DumpNotice, DumpRecord, RestoreSummary } from '../../core/dump.js';
import { RectifyError } from '../../errors.js';
import { idNumber, numberedShape, pinMask } from '../rows.js';
import type { PgStore } from './store.js';
import { restoreSupervision } from './supervise.js';

/** Builds a ledger from records (Store.restore) in the caller's transaction: keys given,
 *  rows loaded many a statement, roll-ups written once. Each entry keeps the dbUser it was
 *  recorded with (none for entries made on a file): only an admin may do that (the server's
 *  history trigger otherwise writes the session's role). */
export async function restoreRecords(db: PgStore, records: AsyncIterable<DumpRecord>, actor: string, at: string): Promise<RestoreSummary> {
  if (await db.get('SELECT 1 AS x FROM report UNION ALL SELECT 1 FROM areas UNION ALL SELECT 1 FROM items LIMIT 1')) {
    throw new RectifyError('store.notEmpty', {}, { exit: 4, hint: 'store.notEmptyHint' });
  }
  const summary: RestoreSummary = { title: '', areas: 0, problems: 0, measures: 0, items: 0 };
  let report: { title: string; unit: string | null; date: string | null } | null = null;
  const areas: { key: number; id: string; pos: number; name: string }[] = [];
  const areaKey = new Map<string, { key: number; problems: number }>();
  const problems: Record<string, unknown>[] = [];
  const problemKey = new Map<string, number>();
  const causes: Record<string, unknown>[] = [];
  const measures: { key: number; id: string; pos: number; title: string; detail: string | null; last_num: number }[] = [];
  const measureByLower = new Map<string, (typeof measures)[number]>();
  const items: Record<string, unknown>[] = [];
  const links: { item: number; pos: number; problem: number }[] = [];
  const history: Record<string, unknown>[] = [];
  const evidence: { item: number; seq: number; text: string }[] = [];
  const removed: Record<string, unknown>[] = [];
  const supervision: (DumpContact | DumpNotice)[] = [];
  const undone = new Map<number, number>();
  const fresh: number[] = [];
  let maxSeq = 0;
  let maxGroup = 0;

  for await (const r of records) {
    switch (r.kind) {
      case 'rectify':
        break;
      case 'report':
        summary.title = r.title;
        report = { title: r.title, unit: r.unit, date: r.date };
        break;
      case 'area': {
        const key = areas.length + 1;
        areas.push({ key, id: r.id, pos: summary.areas++, name: r.name });
        areaKey.set(r.id.toLowerCase(), { key, problems: 0 });
        break;
      }
      case 'problem': {
        const area = areaKey.get(r.area.toLowerCase())!;
        const key = problems.length + 1;
        problems.push({ key, id: r.id, area: area.key, pos: area.problems++, title: r.title, detail: r.detail });
        problemKey.set(r.id.toLowerCase(), key);
        summary.problems++;
        break;
      }
      case 'cause':
        causes.push({ key: causes.length + 1, id: r.id, pos: causes.length, title: r.title, detail: r.detail });
        break;
      case 'measure': {
        const m = { key: measures.length + 1, id: r.id, pos: summary.measures++, title: r.title, detail: r.detail, last_num: r.lastNumber ?? 0 };
        measures.push(m);
        measureByLower.set(r.id.toLowerCase(), m);
        break;
      }
      case 'item': {
        const key = items.length + 1;
        const measure = measureByLower.get(r.measure.toLowerCase())!;
        const created = r.createdAt ?? at;
        items.push({
          key, id: r.id, measure: measure.key, num: idNumber(r.id), status: r.status, progress: r.progress, term: r.term,
          due: r.due, owner: r.owner || null, department: r.department || null, pins: pinMask(r.pinned),
          created_at: created, updated_at: r.updatedAt ?? created, title: r.title, detail: r.detail,
        });
        const seen = new Set<number>();
        for (const p of r.addresses) {
          const problem = problemKey.get(p.toLowerCase())!;
          if (seen.has(problem)) continue;
          seen.add(problem);
          links.push({ item: key, pos: seen.size - 1, problem });
        }
        if (r.history === null) fresh.push(key);
        else {
          for (const h of r.history) {
            history.push({
              seq: h.seq, grp: h.group, at: h.at, by: h.by, item: key, action: h.action, status: h.status,
              progress: h.progress, via: h.via, pins_set: pinMask(h.pinned), changes: JSON.stringify(h.changes),
              note: h.note, reverts: h.reverts, db_user: h.dbUser ?? null,
            });
            for (const text of h.evidence) evidence.push({ item: key, seq: h.seq, text });
            if (h.seq > maxSeq) maxSeq = h.seq;
            if (h.group > maxGroup) maxGroup = h.group;
            if (h.undoesGroup !== null) undone.set(h.group, h.undoesGroup);
          }
        }
        const shape = numberedShape(r.id);
        const counted = shape && measureByLower.get(shape.prefix.toLowerCase());
        if (counted) counted.last_num = Math.max(counted.last_num, shape.n);
        summary.items++;
        break;
      }
      case 'removed':
        removed.push({ grp: r.group, at: r.at, by: r.by, id: r.id, title: r.title });
        if (r.group > maxGroup) maxGroup = r.group;
        break;
      case 'contact':
      case 'notice':
        supervision.push(r);
        break;
    }
  }
  if (report) await db.run('INSERT INTO report (one, title, unit, date) VALUES (1, $1, $2, $3)', [report.title, report.unit, report.date]);
  await db.bulkInsert({ areas, problems, causes, measures, items, addresses: links, at });
  await db.exec(`SET LOCAL rectify.copy = 'on'; SET CONSTRAINTS ALL DEFERRED`);
  const chunked = async (list: unknown[], text: string) => {
    for (let i = 0; i < list.length; i += 20_000) await db.run(text, [JSON.stringify(list.slice(i, i + 20_000))]);
  };
  await chunked(history, `INSERT INTO history (seq, grp, at, by, item, action, status, progress, via, pins_set, changes, note, reverts, db_user)
    SELECT seq, grp, at, by, item, action, status, progress, via, pins_set, changes, note, reverts, db_user
      FROM json_to_recordset($1::text::json) AS x(seq int, grp int, at text, by text, item int, action text, status text,
           progress int, via text, pins_set int, changes text, note text, reverts int, db_user text)
     ORDER BY seq`);
  await db.exec(`SET LOCAL rectify.copy = 'off'`);
  await chunked(evidence, `INSERT INTO evidence (item, seq, text)
    SELECT item, seq, text FROM json_to_recordset($1::text::json) AS x(item int, seq int, text text)`);
  await chunked(removed, `INSERT INTO removed (grp, at, by, id, title)
    SELECT grp, at, by, id, title FROM json_to_recordset($1::text::json) AS x(grp int, at text, by text, id text, title text)`);
  await restoreSupervision(db, supervision, at);
  for (const [byGroup, group] of undone) await db.run('INSERT INTO undone (grp, by_grp) VALUES ($1, $2)', [group, byGroup]);
  // Groups go on above every group restored; a seed's items get their create entries in a new one.
  await db.run(`SELECT setval('groups', greatest($1::int, (SELECT last_value FROM groups)::int, 1), $1::int > 0 OR (SELECT is_called FROM groups))`, [maxGroup]);
  if (fresh.length > 0) {
    const grp = (await db.get<{ g: number }>(`SELECT nextval('groups')::int AS g`))!.g;
    await db.run(
      `INSERT INTO history (seq, grp, at, by, item, action, status, progress, via)
       SELECT $1::int + n, $2, $3, $4, value::int, 'create', 'open', 0, 'seed'
         FROM json_array_elements_text($5::text::json) WITH ORDINALITY AS e(value, n) ORDER BY n`,
      [maxSeq, grp, at, actor, JSON.stringify(fresh)],
    );
  }
  await db.finishBulk();
  return summary;
}
