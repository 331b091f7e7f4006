// Merging a seed into a ledger on a server: the same steps as on a file (sqlite/import.ts),
// with the ledger's items read once up front rather than one query per item.
import type { Seed } from '../../core/types.js';
import { RectifyError } from '../../errors.js';
import { t, type MessageKey } from '../../i18n/index.js';
import type { IdKind, ImportLine, ImportOutcome, ImportResult } from '../types.js';
import { PIN_BITS, PIN_FIELDS, numberedShape, type PinField } from '../sqlite/rows.js';
import { LISTING_ORDER } from './sql.js';
import { blankToNull, type PgStore } from './store.js';
import type { ItemStateRow } from '../item-state.js';

interface Positioned {
  key: number;
  id: string;
}

const lower = (s: string) => s.toLowerCase();

/** Ids (lower-cased) whose place among the ids both lists share has changed. */
function reordered(before: readonly string[], after: readonly string[]): Set<string> {
  const inAfter = new Set(after.map(lower));
  const inBefore = new Set(before.map(lower));
  const a = before.map(lower).filter((x) => inAfter.has(x));
  const b = after.map(lower).filter((x) => inBefore.has(x));
  const moved = new Set<string>();
  a.forEach((x, i) => {
    if (b[i] !== x) moved.add(x);
  });
  return moved;
}

function kindName(kind: IdKind): string {
  return t(`store.kind.${kind}` as MessageKey);
}

export async function runImport(tables: PgStore, seed: Seed, prune: boolean, actor: string): Promise<ImportResult> {
  const sql = tables;
  await checkKinds(tables, seed);

  const lines: Record<IdKind, ImportLine[]> = { area: [], problem: [], cause: [], measure: [], item: [] };
  const line = (kind: IdKind, id: string, outcome: ImportOutcome, fields: string[] = [],
    keptFromCli: Record<string, [unknown, unknown]> = {}): ImportLine => {
    const l: ImportLine = { kind, id, outcome, fields, keptFromCli };
    lines[kind].push(l);
    return l;
  };
  const changedOrKept = (kind: IdKind, id: string, fields: string[]) =>
    line(kind, id, fields.length > 0 ? 'updated' : 'kept', fields);

  // The report itself has no id and no line: it simply follows the seed.
  await sql.run(
    `INSERT INTO report (one, title, unit, date) VALUES (1, $1, $2, $3)
     ON CONFLICT (one) DO UPDATE SET title = excluded.title, unit = excluded.unit, date = excluded.date`,
    [seed.report.title, seed.report.unit, seed.report.date],
  );

  // Areas. Positions are unique: park them out of the way, then hand them out again.
  const oldAreas = await sql.all<Positioned & { name: string }>('SELECT key, id, name FROM areas ORDER BY pos');
  const areaByLower = new Map(oldAreas.map((a) => [lower(a.id), a]));
  const areaKey = new Map<string, number>();
  const movedAreas = reordered(oldAreas.map((a) => a.id), seed.areas.map((a) => a.id));
  await sql.run('UPDATE areas SET pos = -key');
  for (const [pos, a] of seed.areas.entries()) {
    const old = areaByLower.get(lower(a.id));
    if (!old) {
      areaKey.set(lower(a.id), await tables.insertArea(a.id, pos, a.name));
      line('area', a.id, 'added');
      continue;
    }
    const fields: string[] = [];
    if (old.name !== a.name) fields.push('name');
    if (movedAreas.has(lower(a.id))) fields.push('order');
    await sql.run('UPDATE areas SET pos = $1, name = $2 WHERE key = $3', [pos, a.name, old.key]);
    areaKey.set(lower(a.id), old.key);
    changedOrKept('area', old.id, fields);
  }
  const leftAreas = oldAreas.filter((a) => !areaKey.has(lower(a.id)));
  for (const [i, a] of leftAreas.entries()) await sql.run('UPDATE areas SET pos = $1 WHERE key = $2', [seed.areas.length + i, a.key]);

  // Problems, numbered within their area.
  const oldProblems = await sql.all<Positioned & { area: number; title: string; detail: string | null }>(
    'SELECT p.key, p.id, p.area, p.title, p.detail FROM problems p JOIN areas a ON a.key = p.area ORDER BY a.pos, p.pos',
  );
  const problemByLower = new Map(oldProblems.map((p) => [lower(p.id), p]));
  const problemKey = new Map<string, number>();
  const problemId = new Map<string, string>();
  const nextPos = new Map<number, number>();
  await sql.run('UPDATE problems SET pos = -key');
  for (const a of seed.areas) {
    const area = areaKey.get(lower(a.id))!;
    const moved = reordered(oldProblems.filter((p) => p.area === area).map((p) => p.id), a.problems.map((p) => p.id));
    for (const [pos, p] of a.problems.entries()) {
      const old = problemByLower.get(lower(p.id));
      if (!old) {
        problemKey.set(lower(p.id), await tables.insertProblem(p.id, area, pos, p.title, p.detail));
        problemId.set(lower(p.id), p.id);
        line('problem', p.id, 'added');
        continue;
      }
      const fields: string[] = [];
      if (old.title !== p.title) fields.push('title');
      if (old.detail !== p.detail) fields.push('detail');
      if (old.area !== area) fields.push('area');
      else if (moved.has(lower(p.id))) fields.push('order');
      await sql.run('UPDATE problems SET area = $1, pos = $2, title = $3, detail = $4 WHERE key = $5',
        [area, pos, p.title, p.detail, old.key]);
      problemKey.set(lower(p.id), old.key);
      problemId.set(lower(p.id), old.id);
      changedOrKept('problem', old.id, fields);
    }
    nextPos.set(area, a.problems.length);
  }
  const leftProblems = oldProblems.filter((p) => !problemKey.has(lower(p.id)));
  for (const p of leftProblems) {
    const pos = nextPos.get(p.area) ?? 0;
    nextPos.set(p.area, pos + 1);
    await sql.run('UPDATE problems SET pos = $1 WHERE key = $2', [pos, p.key]);
  }

  // Causes.
  const oldCauses = await sql.all<Positioned & { title: string; detail: string | null }>(
    'SELECT key, id, title, detail FROM causes ORDER BY pos',
  );
  const causeByLower = new Map(oldCauses.map((c) => [lower(c.id), c]));
  const movedCauses = reordered(oldCauses.map((c) => c.id), seed.causes.map((c) => c.id));
  const seedCauses = new Set(seed.causes.map((c) => lower(c.id)));
  await sql.run('UPDATE causes SET pos = -key');
  for (const [pos, c] of seed.causes.entries()) {
    const old = causeByLower.get(lower(c.id));
    if (!old) {
      await tables.insertCause(c.id, pos, c.title, c.detail);
      line('cause', c.id, 'added');
      continue;
    }
    const fields: string[] = [];
    if (old.title !== c.title) fields.push('title');
    if (old.detail !== c.detail) fields.push('detail');
    if (movedCauses.has(lower(c.id))) fields.push('order');
    await sql.run('UPDATE causes SET pos = $1, title = $2, detail = $3 WHERE key = $4', [pos, c.title, c.detail, old.key]);
    changedOrKept('cause', old.id, fields);
  }
  const leftCauses = oldCauses.filter((c) => !seedCauses.has(lower(c.id)));
  for (const [i, c] of leftCauses.entries()) await sql.run('UPDATE causes SET pos = $1 WHERE key = $2', [seed.causes.length + i, c.key]);

  // Measures.
  const oldMeasures = await sql.all<Positioned & { title: string; detail: string | null }>(
    'SELECT key, id, title, detail FROM measures ORDER BY pos',
  );
  const measureByLower = new Map(oldMeasures.map((m) => [lower(m.id), m]));
  const measureKey = new Map<string, number>();
  const movedMeasures = reordered(oldMeasures.map((m) => m.id), seed.measures.map((m) => m.id));
  await sql.run('UPDATE measures SET pos = -key');
  for (const [pos, m] of seed.measures.entries()) {
    const old = measureByLower.get(lower(m.id));
    if (!old) {
      measureKey.set(lower(m.id), await tables.insertMeasure(m.id, pos, m.title, m.detail));
      line('measure', m.id, 'added');
      continue;
    }
    const fields: string[] = [];
    if (old.title !== m.title) fields.push('title');
    if (old.detail !== m.detail) fields.push('detail');
    if (movedMeasures.has(lower(m.id))) fields.push('order');
    await sql.run('UPDATE measures SET pos = $1, title = $2, detail = $3 WHERE key = $4', [pos, m.title, m.detail, old.key]);
    measureKey.set(lower(m.id), old.key);
    changedOrKept('measure', old.id, fields);
  }
  const leftMeasures = oldMeasures.filter((m) => !measureKey.has(lower(m.id)));
  for (const [i, m] of leftMeasures.entries()) await sql.run('UPDATE measures SET pos = $1 WHERE key = $2', [seed.measures.length + i, m.key]);

  // Items: descriptive fields follow the seed; owner, department, due and term too unless
  // pinned from the command line; status, progress and history never change. The ledger's
  // items are read once, locked.
  const current = new Map<string, ImportItemRow>();
  for (const r of await sql.all<ImportItemRow>(
    `SELECT i.key, i.id, i.measure, m.id AS "measureId", i.title, i.detail, i.owner, i.department,
            i.due, i.term, i.status, i.progress, i.pins,
            coalesce((SELECT json_agg(p.id ORDER BY ip.pos)
               FROM item_problems ip JOIN problems p ON p.key = ip.problem
              WHERE ip.item = i.key), '[]')::text AS addresses
       FROM items i JOIN measures m ON m.key = i.measure FOR UPDATE OF i`,
  )) {
    current.set(lower(r.id), r);
  }
  const seedItems = new Set<string>();
  const fresh: { item: (typeof seed.measures)[number]['items'][number]; measure: number; problems: number[] }[] = [];
  const flushFresh = async () => {
    if (fresh.length > 0) await tables.insertSeedItems(fresh.splice(0), await tables.stamp());
  };
  // Item numbers counted towards their measures (`add` never hands them out again), written
  // once per measure after the items.
  const highest = new Map<string, { id: string; n: number }>();
  const countNumber = (itemId: string) => {
    const shape = numberedShape(itemId);
    if (!shape) return;
    const had = highest.get(lower(shape.prefix));
    if (!had || shape.n > had.n) highest.set(lower(shape.prefix), { id: shape.prefix, n: shape.n });
  };
  // The roll-up triggers stand aside while the items go in (for the ledger's owner only);
  // they are counted once after. The server records each item's change as the seed's.
  await tables.exec(`SET LOCAL rectify.bulk = 'on'`);
  await tables.meta({ by: actor, action: 'import', via: 'seed' });
  for (const m of seed.measures) {
    const measure = measureKey.get(lower(m.id))!;
    for (const it of m.items) {
      seedItems.add(lower(it.id));
      const problems: number[] = [];
      const addresses: string[] = [];
      for (const p of it.addresses) {
        const key = problemKey.get(lower(p));
        if (key === undefined) throw new RectifyError('store.unknownProblem', { id: p }, { exit: 3 });
        if (problems.includes(key)) continue;
        problems.push(key);
        addresses.push(problemId.get(lower(p))!);
      }
      const old = current.get(lower(it.id));
      if (!old) {
        // New items go in many a statement, in seed order (an update in between goes after
        // the ones before it, as on a file).
        fresh.push({ item: it, measure, problems });
        if (fresh.length >= 5000) await flushFresh();
        countNumber(it.id);
        line('item', it.id, 'added');
        continue;
      }
      const changes: Record<string, [unknown, unknown]> = {};
      const keptFromCli: Record<string, [unknown, unknown]> = {};
      if (old.title !== it.title) changes.title = [old.title, it.title];
      if (old.detail !== it.detail) changes.detail = [old.detail, it.detail];
      if (old.measure !== measure) changes.measure = [old.measureId, measureByLower.get(lower(m.id))?.id ?? m.id];
      const oldAddresses = JSON.parse(old.addresses) as string[];
      if (oldAddresses.join('\n') !== addresses.join('\n')) changes.addresses = [oldAddresses, addresses];
      const next = {
        owner: blankToNull(it.owner), department: blankToNull(it.department), due: it.due, term: it.term,
      };
      const kept: Record<PinField, string | null> = { ...next };
      for (const f of PIN_FIELDS) {
        if (old[f] === next[f]) continue;
        if ((old.pins & PIN_BITS[f]) !== 0) {
          keptFromCli[f] = [old[f], next[f]];
          kept[f] = old[f];
        } else {
          changes[f] = [old[f], next[f]];
        }
      }
      const fields = Object.keys(changes);
      if (fields.length > 0) {
        await flushFresh();
        const { at } = await tables.stamp();
        await sql.run(
          `UPDATE items SET measure = $1, title = $2, detail = $3, owner = $4, department = $5, due = $6, term = $7,
                  updated_at = $8 WHERE key = $9`,
          [measure, it.title, it.detail, kept.owner, kept.department, kept.due, kept.term, at, old.key],
        );
        if (changes.addresses) await tables.setAddresses(old.key, problems);
      }
      countNumber(it.id);
      line('item', old.id, fields.length > 0 ? 'updated' : 'kept',
        fields.length > 0 ? fields : Object.keys(keptFromCli), keptFromCli);
    }
  }

  await flushFresh();
  if (highest.size > 0) {
    await sql.run(
      `UPDATE measures m SET last_num = x.n
         FROM json_to_recordset($1::text::json) AS x(id text, n int)
        WHERE lower(m.id) = lower(x.id) AND m.last_num < x.n`,
      [JSON.stringify([...highest.values()])],
    );
  }
  await tables.recountRollups();
  // Many new rows: the planner's statistics from before would lead it astray (reading a whole
  // table for each item's addresses), and autovacuum may come much later.
  if (lines.item.filter((l) => l.outcome === 'added').length > 1000) {
    await tables.exec('ANALYZE problems, measures, items, item_problems, history');
  }

  // What the ledger has and the seed lacks: kept, or removed with --prune when nothing
  // but seeds ever touched it (and nothing kept still hangs on it). Children go first.
  const leftItems = (await sql
    .all<Positioned>(`SELECT i.key, i.id FROM items i JOIN measures m ON m.key = i.measure ORDER BY ${LISTING_ORDER}`))
    .filter((i) => !seedItems.has(lower(i.id)));
  for (const i of leftItems) {
    const removable = prune && !(await sql.get(
      `SELECT 1 AS x FROM history WHERE item = $1 AND via <> 'seed'
       UNION ALL SELECT 1 FROM evidence WHERE item = $1 LIMIT 1`,
      [i.key],
    ));
    // The server lets its history and addresses go with it (a prune records no removal).
    if (removable) await sql.run('DELETE FROM items WHERE key = $1', [i.key]);
    leftLine(line('item', i.id, removable ? 'removed' : 'left'), prune);
  }
  for (const p of leftProblems) {
    const removable = prune && !(await sql.get('SELECT 1 AS x FROM item_problems WHERE problem = $1 LIMIT 1', [p.key]));
    if (removable) await sql.run('DELETE FROM problems WHERE key = $1', [p.key]);
    leftLine(line('problem', p.id, removable ? 'removed' : 'left'), prune);
  }
  for (const a of leftAreas) {
    const removable = prune && !(await sql.get('SELECT 1 AS x FROM problems WHERE area = $1 LIMIT 1', [a.key]));
    if (removable) await sql.run('DELETE FROM areas WHERE key = $1', [a.key]);
    leftLine(line('area', a.id, removable ? 'removed' : 'left'), prune);
  }
  for (const m of leftMeasures) {
    const removable = prune && !(await sql.get('SELECT 1 AS x FROM items WHERE measure = $1 LIMIT 1', [m.key]));
    if (removable) await sql.run('DELETE FROM measures WHERE key = $1', [m.key]);
    leftLine(line('measure', m.id, removable ? 'removed' : 'left'), prune);
  }
  for (const c of leftCauses) {
    if (prune) await sql.run('DELETE FROM causes WHERE key = $1', [c.key]);
    line('cause', c.id, prune ? 'removed' : 'left');
  }

  const all = [...lines.area, ...lines.problem, ...lines.cause, ...lines.measure, ...lines.item];
  const totals: Record<ImportOutcome, number> = { added: 0, updated: 0, kept: 0, left: 0, removed: 0 };
  for (const l of all) totals[l.outcome] += 1;
  return { lines: all, totals };
}

function leftLine(l: ImportLine, prune: boolean): void {
  if (prune && l.outcome === 'left') l.notPruned = true;
}

type ImportItemRow = ItemStateRow;

/** An id keeps its kind: a seed that calls a ledger's problem an item is refused whole. */
async function checkKinds(tables: PgStore, seed: Seed): Promise<void> {
  const wanted: { kind: IdKind; id: string }[] = [];
  for (const a of seed.areas) {
    wanted.push({ kind: 'area', id: a.id });
    for (const p of a.problems) wanted.push({ kind: 'problem', id: p.id });
  }
  for (const c of seed.causes) wanted.push({ kind: 'cause', id: c.id });
  for (const m of seed.measures) {
    wanted.push({ kind: 'measure', id: m.id });
    for (const i of m.items) wanted.push({ kind: 'item', id: i.id });
  }
  const known = new Map<string, { kind: IdKind; id: string }>();
  for (const r of await tables.all<{ kind: IdKind; id: string }>(
    `SELECT 'area' AS kind, id FROM areas UNION ALL SELECT 'problem', id FROM problems
     UNION ALL SELECT 'cause', id FROM causes UNION ALL SELECT 'measure', id FROM measures
     UNION ALL SELECT 'item', id FROM items`,
  )) {
    known.set(lower(r.id), r);
  }
  const clashes: { id: string; seedKind: string; ledgerKind: string }[] = [];
  for (const w of wanted) {
    const found = known.get(lower(w.id));
    if (found && found.kind !== w.kind) {
      clashes.push({ id: w.id, seedKind: kindName(w.kind), ledgerKind: kindName(found.kind) });
    }
  }
  const [first, ...rest] = clashes;
  if (first) {
    throw new RectifyError('store.kindMismatch', first, {
      exit: 2,
      hint: 'store.kindMismatchHint',
      hintParams: {},
      details: rest.map((c) => t('store.kindMismatch', c)),
    });
  }
}
