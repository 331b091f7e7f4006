// Merging a seed into an existing ledger (docs/seed-format.md, "Loading into an existing ledger").
import type { Seed } from '../../core/types.js';
import { RectifyError } from '../../errors.js';
import { t, type MessageKey } from '../../i18n/index.js';
import type { IdKind, ImportLine, ImportOutcome, ImportResult } from '../types.js';
import { LISTING_ORDER, PIN_BITS, PIN_FIELDS, type PinField } from './rows.js';
import { blankToNull, type Tables } from './tables.js';
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

export function runImport(tables: Tables, seed: Seed, prune: boolean, actor: string): ImportResult {
  const { sql } = tables;
  checkKinds(tables, seed);

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
  sql.run(
    `INSERT INTO report (only, title, unit, date) VALUES (1, ?, ?, ?)
     ON CONFLICT (only) DO UPDATE SET title = excluded.title, unit = excluded.unit, date = excluded.date`,
    seed.report.title, seed.report.unit, seed.report.date,
  );

  // Areas. Positions are unique: park them out of the way, then hand them out again.
  const oldAreas = sql.all<Positioned & { name: string }>('SELECT key, id, name FROM areas ORDER BY pos');
  const areaByLower = new Map(oldAreas.map((a) => [lower(a.id), a]));
  const areaKey = new Map<string, number>();
  const movedAreas = reordered(oldAreas.map((a) => a.id), seed.areas.map((a) => a.id));
  sql.run('UPDATE areas SET pos = -key');
  seed.areas.forEach((a, pos) => {
    const old = areaByLower.get(lower(a.id));
    if (!old) {
      areaKey.set(lower(a.id), tables.insertArea(a.id, pos, a.name));
      line('area', a.id, 'added');
      return;
    }
    const fields: string[] = [];
    if (old.name !== a.name) fields.push('name');
    if (movedAreas.has(lower(a.id))) fields.push('order');
    sql.run('UPDATE areas SET pos = ?, name = ? WHERE key = ?', pos, a.name, old.key);
    areaKey.set(lower(a.id), old.key);
    changedOrKept('area', old.id, fields);
  });
  const leftAreas = oldAreas.filter((a) => !areaKey.has(lower(a.id)));
  leftAreas.forEach((a, i) => sql.run('UPDATE areas SET pos = ? WHERE key = ?', seed.areas.length + i, a.key));

  // Problems, numbered within their area.
  const oldProblems = sql.all<Positioned & { area: number; title: string; detail: string | null }>(
    'SELECT p.key, p.id, p.area, p.title, p.detail FROM problems p JOIN areas a ON a.key = p.area ORDER BY a.pos, p.pos',
  );
  const problemByLower = new Map(oldProblems.map((p) => [lower(p.id), p]));
  const problemKey = new Map<string, number>();
  const problemId = new Map<string, string>();
  const nextPos = new Map<number, number>();
  sql.run('UPDATE problems SET pos = -key');
  for (const a of seed.areas) {
    const area = areaKey.get(lower(a.id))!;
    // Only problems that were in this area and stay in it can have changed their order.
    const moved = reordered(oldProblems.filter((p) => p.area === area).map((p) => p.id), a.problems.map((p) => p.id));
    a.problems.forEach((p, pos) => {
      const old = problemByLower.get(lower(p.id));
      if (!old) {
        problemKey.set(lower(p.id), tables.insertProblem(p.id, area, pos, p.title, p.detail));
        problemId.set(lower(p.id), p.id);
        line('problem', p.id, 'added');
        return;
      }
      const fields: string[] = [];
      if (old.title !== p.title) fields.push('title');
      if (old.detail !== p.detail) fields.push('detail');
      if (old.area !== area) fields.push('area');
      else if (moved.has(lower(p.id))) fields.push('order');
      sql.run('UPDATE problems SET area = ?, pos = ?, title = ?, detail = ? WHERE key = ?',
        area, pos, p.title, p.detail, old.key);
      problemKey.set(lower(p.id), old.key);
      problemId.set(lower(p.id), old.id);
      changedOrKept('problem', old.id, fields);
    });
    nextPos.set(area, a.problems.length);
  }
  const leftProblems = oldProblems.filter((p) => !problemKey.has(lower(p.id)));
  for (const p of leftProblems) {
    const pos = nextPos.get(p.area) ?? 0;
    nextPos.set(p.area, pos + 1);
    sql.run('UPDATE problems SET pos = ? WHERE key = ?', pos, p.key);
  }

  // Causes.
  const oldCauses = sql.all<Positioned & { title: string; detail: string | null }>(
    'SELECT key, id, title, detail FROM causes ORDER BY pos',
  );
  const causeByLower = new Map(oldCauses.map((c) => [lower(c.id), c]));
  const movedCauses = reordered(oldCauses.map((c) => c.id), seed.causes.map((c) => c.id));
  const seedCauses = new Set(seed.causes.map((c) => lower(c.id)));
  sql.run('UPDATE causes SET pos = -key');
  seed.causes.forEach((c, pos) => {
    const old = causeByLower.get(lower(c.id));
    if (!old) {
      tables.insertCause(c.id, pos, c.title, c.detail);
      line('cause', c.id, 'added');
      return;
    }
    const fields: string[] = [];
    if (old.title !== c.title) fields.push('title');
    if (old.detail !== c.detail) fields.push('detail');
    if (movedCauses.has(lower(c.id))) fields.push('order');
    sql.run('UPDATE causes SET pos = ?, title = ?, detail = ? WHERE key = ?', pos, c.title, c.detail, old.key);
    changedOrKept('cause', old.id, fields);
  });
  const leftCauses = oldCauses.filter((c) => !seedCauses.has(lower(c.id)));
  leftCauses.forEach((c, i) => sql.run('UPDATE causes SET pos = ? WHERE key = ?', seed.causes.length + i, c.key));

  // Measures.
  const oldMeasures = sql.all<Positioned & { title: string; detail: string | null }>(
    'SELECT key, id, title, detail FROM measures ORDER BY pos',
  );
  const measureByLower = new Map(oldMeasures.map((m) => [lower(m.id), m]));
  const measureKey = new Map<string, number>();
  const movedMeasures = reordered(oldMeasures.map((m) => m.id), seed.measures.map((m) => m.id));
  sql.run('UPDATE measures SET pos = -key');
  seed.measures.forEach((m, pos) => {
    const old = measureByLower.get(lower(m.id));
    if (!old) {
      measureKey.set(lower(m.id), tables.insertMeasure(m.id, pos, m.title, m.detail));
      line('measure', m.id, 'added');
      return;
    }
    const fields: string[] = [];
    if (old.title !== m.title) fields.push('title');
    if (old.detail !== m.detail) fields.push('detail');
    if (movedMeasures.has(lower(m.id))) fields.push('order');
    sql.run('UPDATE measures SET pos = ?, title = ?, detail = ? WHERE key = ?', pos, m.title, m.detail, old.key);
    measureKey.set(lower(m.id), old.key);
    changedOrKept('measure', old.id, fields);
  });
  const leftMeasures = oldMeasures.filter((m) => !measureKey.has(lower(m.id)));
  leftMeasures.forEach((m, i) => sql.run('UPDATE measures SET pos = ? WHERE key = ?', seed.measures.length + i, m.key));

  // Items: descriptive fields follow the seed; owner, department, due and term too unless
  // pinned from the command line; status, progress and history never change.
  const seedItems = new Set<string>();
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
      const old = sql.get<ImportItemRow>(
        `SELECT i.key, i.id, i.measure, m.id AS measureId, i.title, i.detail, i.owner, i.department,
                i.due, i.term, i.status, i.progress, i.pins,
                (SELECT json_group_array(p.id ORDER BY ip.pos)
                   FROM item_problems ip JOIN problems p ON p.key = ip.problem
                  WHERE ip.item = i.key) AS addresses
           FROM items i JOIN measures m ON m.key = i.measure WHERE i.id = ?`,
        it.id,
      );
      if (!old) {
        tables.insertItem(it, measure, problems, { by: actor, via: 'seed', pins: 0 });
        tables.countItemNumber(it.id);
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
        const { at } = tables.stamp();
        sql.run(
          `UPDATE items SET measure = ?, title = ?, detail = ?, owner = ?, department = ?, due = ?, term = ?,
                  updated_at = ? WHERE key = ?`,
          measure, it.title, it.detail, kept.owner, kept.department, kept.due, kept.term, at, old.key,
        );
        if (changes.addresses) tables.setAddresses(old.key, problems);
        tables.addHistory({
          item: old.key, by: actor, action: 'import', status: old.status, progress: old.progress,
          via: 'seed', changes,
        });
      }
      tables.countItemNumber(it.id);
      // fields: what changed, or (when nothing did) what the ledger kept against the seed.
      line('item', old.id, fields.length > 0 ? 'updated' : 'kept',
        fields.length > 0 ? fields : Object.keys(keptFromCli), keptFromCli);
    }
  }

  // What the ledger has and the seed lacks: kept, or removed with --prune when nothing
  // but seeds ever touched it (and nothing kept still hangs on it). Children go first.
  const leftItems = sql
    .all<Positioned>(`SELECT i.key, i.id FROM items i JOIN measures m ON m.key = i.measure ORDER BY ${LISTING_ORDER}`)
    .filter((i) => !seedItems.has(lower(i.id)));
  for (const i of leftItems) {
    const removable = prune && !sql.get(
      `SELECT 1 AS x FROM history WHERE item = ? AND via <> 'seed'
       UNION ALL SELECT 1 FROM evidence WHERE item = ? LIMIT 1`,
      i.key, i.key,
    );
    if (removable) {
      sql.run('DELETE FROM item_problems WHERE item = ?', i.key);
      sql.run('DELETE FROM history WHERE item = ?', i.key);
      sql.run('DELETE FROM items WHERE key = ?', i.key);
    }
    leftLine(line('item', i.id, removable ? 'removed' : 'left'), prune);
  }
  for (const p of leftProblems) {
    const removable = prune && !sql.get('SELECT 1 AS x FROM item_problems WHERE problem = ? LIMIT 1', p.key);
    if (removable) sql.run('DELETE FROM problems WHERE key = ?', p.key);
    leftLine(line('problem', p.id, removable ? 'removed' : 'left'), prune);
  }
  for (const a of leftAreas) {
    const removable = prune && !sql.get('SELECT 1 AS x FROM problems WHERE area = ? LIMIT 1', a.key);
    if (removable) sql.run('DELETE FROM areas WHERE key = ?', a.key);
    leftLine(line('area', a.id, removable ? 'removed' : 'left'), prune);
  }
  for (const m of leftMeasures) {
    const removable = prune && !sql.get('SELECT 1 AS x FROM items WHERE measure = ? LIMIT 1', m.key);
    if (removable) sql.run('DELETE FROM measures WHERE key = ?', m.key);
    leftLine(line('measure', m.id, removable ? 'removed' : 'left'), prune);
  }
  for (const c of leftCauses) {
    if (prune) sql.run('DELETE FROM causes WHERE key = ?', c.key);
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
function checkKinds(tables: Tables, seed: Seed): void {
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
  const clashes: { id: string; seedKind: string; ledgerKind: string }[] = [];
  for (const w of wanted) {
    const found = tables.lookup(w.id);
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
