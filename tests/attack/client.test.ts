// What the client hands in (docs/postgres.md, "What the server guarantees", 2 and 3): the
// client supplies only what the server cannot know (the actor, the note, the evidence text),
// checked by the seed's text rules; everything else an entry says is the server's. Staff try
// every setting the ledger's functions read, with hostile values, and every function of the
// ledger they may execute, around a change they are allowed to make.
import { beforeAll, describe, expect, it } from 'vitest';
import { HAS_PG, inTransaction, makeLedger, tryOn, type Dump, type HistoryEntry, type Ledger } from './helpers.js';

const CONTROL = /[\u0001-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/;

describe.runIf(HAS_PG)('attacks through what the client hands in', () => {
  let L: Ledger;
  const ok = (r: { code: number; stderr: string }) => expect(r.code, r.stderr).toBe(0);

  beforeAll(async () => {
    L = await makeLedger();
  }, 120_000);

  /** The settings any function of the ledger reads (its source is readable by everyone). */
  const settingsRead = async () => {
    const r = await L.attempt(L.users.viewer, `SELECT string_agg(p.prosrc, ' ') AS src FROM pg_proc p
      JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = '${L.schema}'`);
    const src = ((r.rows?.[0] as { src: string | null } | undefined)?.src) ?? '';
    const names = new Set(['rectify.by', 'rectify.note', 'rectify.at', 'rectify.via', 'rectify.action', 'rectify.evidence', 'rectify.copy', 'rectify.bulk']);
    for (const m of src.matchAll(/current_setting\s*\(\s*'([^']+)'/gi)) names.add(m[1]!);
    for (const m of src.matchAll(/setting\s*\(\s*'([a-z_]+)'\s*\)/gi)) names.add(`rectify.${m[1]!}`);
    return [...names].filter((n) => /^[a-z_]+\.[a-z_]+$/.test(n));
  };
  const added = (before: Dump, after: Dump) => [...after.items].flatMap(([id, it]) =>
    it.history.slice(before.items.get(id)?.history.length ?? 0).map((e) => ({ id, ...e })));
  /** What any entry staff's plain SQL leaves must be: the server's words, the client's text checked. */
  const entryFaults = (entries: (HistoryEntry & { id: string; via?: string })[], startedAt: number, endedAt: number) => {
    const bad: string[] = [];
    for (const e of entries) {
      const t = Date.parse(e.at);
      if (!(t >= startedAt - 120_000 && t <= endedAt + 120_000)) bad.push(`${e.id}: entry dated ${e.at}`);
      if (!['progress', 'done'].includes(e.action)) bad.push(`${e.id}: staff's change recorded as ${e.action}`);
      if (e.via !== undefined && e.via !== 'cli') bad.push(`${e.id}: staff's change recorded as via ${e.via}`);
      if (e.dbUser !== L.users.staff) bad.push(`${e.id}: recorded as ${String(e.dbUser)}`);
      for (const text of [e.by, e.note ?? '', ...(e.evidence ?? [])]) if (CONTROL.test(text)) bad.push(`${e.id}: a control character kept in ${JSON.stringify(text)}`);
      if (e.by.trim() === '') bad.push(`${e.id}: a blank actor`);
      if ((e.evidence ?? []).length > 0 && e.action !== 'done') bad.push(`${e.id}: evidence on ${e.action}`);
    }
    return bad;
  };

  it('staff setting what an entry says (time, action, origin, actor, note, evidence) get only the server\'s words and checked text', async () => {
    const names = await settingsRead();
    const hostile = ['2020-01-01T00:00:00.000+08:00', '2099-12-31T23:59:59.999+08:00', 'seed', 'import', 'verify', 'create', 'undo', 'reopen',
      '["伪造的佐证"]', '{"x":1}', '书记\u0007', ' ', '42', 'on'];
    const c = L.connect(L.users.staff);
    const startedAt = Date.now();
    const before = await L.dump();
    const ids = ['M1.7', 'M1.8', 'M1.9', 'M1.10'];
    let k = 0;
    const commits = new Map<string, number>();
    for (const name of names) {
      for (const value of hostile) {
        const id = ids[k++ % ids.length]!;
        const p = 5 + (k % 90);
        const done = await inTransaction(c, [
          `SELECT set_config('${name}', '${value.replace(/'/g, "''")}', true)`,
          `UPDATE items SET progress = ${p}, status = 'in_progress' WHERE id = '${id}' AND progress <> ${p}`,
        ]);
        if (done) commits.set(id, (commits.get(id) ?? 0) + 1);
      }
    }
    const after = await L.dump();
    const entries = added(before, after);
    const bad = entryFaults(entries as never, startedAt, Date.now());
    for (const id of ids) {
      const n = entries.filter((e) => e.id === id).length;
      if (n !== (commits.get(id) ?? 0)) bad.push(`${id}: ${commits.get(id) ?? 0} changes committed, ${n} entries`);
    }
    expect(bad).toEqual([]);
    // Staff's own permitted change went through at all (the attack was a real one).
    expect([...commits.values()].reduce((a, b) => a + b, 0)).toBeGreaterThan(0);
  });

  it('staff may not leave an item in progress at 100% or done below it', async () => {
    const before = await L.dump();
    const c = L.connect(L.users.staff);
    await tryOn(c, `UPDATE items SET status = 'in_progress', progress = 100 WHERE id = 'M2.4'`);
    await tryOn(c, `UPDATE items SET status = 'done', progress = 99 WHERE id = 'M2.5'`);
    await tryOn(c, `UPDATE items SET status = 'open', progress = 10 WHERE id = 'M2.6'`);
    const after = await L.dump();
    const bad: string[] = [];
    for (const id of ['M2.4', 'M2.5', 'M2.6']) {
      const it = after.items.get(id)!;
      if ((it.status === 'done' || it.status === 'verified') !== (it.progress === 100)) bad.push(`${id}: ${it.status} at ${it.progress}%`);
      if (it.status === 'open' && it.progress !== 0) bad.push(`${id}: open at ${it.progress}%`);
    }
    expect(bad).toEqual([]);
    expect(added(before, after).filter((e) => !['M2.4', 'M2.5', 'M2.6'].includes(e.id))).toEqual([]);
  });

  it('staff calling any function of the ledger it may execute take back nobody else\'s change and forge no entry', async () => {
    ok(await L.inproc(L.users.staff2, ['progress', 'M3.1', '20'], '科室'));
    ok(await L.inproc(L.users.admin, ['progress', 'M3.2', '30'], '科室'));
    ok(await L.inproc(L.users.admin, ['assign', 'M3.3', '某人'], '科室'));
    const fns = (((await L.attempt(L.users.staff, `SELECT p.proname AS name, p.oid::regprocedure::text AS sig,
        array_to_string(array(SELECT format_type(t, NULL) FROM unnest(p.proargtypes) AS t), ',') AS args
        FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
       WHERE n.nspname = '${L.schema}' AND p.prorettype <> 'trigger'::regtype AND p.prokind = 'f'
         AND has_function_privilege(p.oid, 'EXECUTE')`)).rows ?? []) as { name: string; sig: string; args: string }[])
      .map((f) => ({ ...f, args: f.args === '' ? [] : f.args.split(',') }));
    // Numbers an attacker would try: the items' keys and the latest history numbers, as far as it can see them.
    const nums = new Set<number>();
    for (const q of [`SELECT key AS n FROM items WHERE id IN ('M3.1', 'M3.2', 'M3.3', 'M3.4')`,
      `SELECT DISTINCT grp AS n FROM history ORDER BY grp DESC LIMIT 6`, `SELECT seq AS n FROM history ORDER BY seq DESC LIMIT 6`]) {
      for (const r of ((await L.attempt(L.users.staff, q)).rows ?? []) as { n: number }[]) nums.add(Number(r.n));
    }
    const texts = ['科室', L.users.staff2, 'x\'); SELECT 1; --', `x" TO "${L.users.staff}`, 'admin', 'staff'];
    const valuesFor = (type: string): string[] => {
      if (/^(integer|bigint|smallint|numeric)/.test(type)) return [...nums].map(String);
      if (type === 'boolean') return ['true', 'false'];
      if (type === 'jsonb' || type === 'json') return [`'{}'`, `'["x"]'`];
      if (type.startsWith('text') || type.startsWith('character')) return texts.map((t) => `'${t.replace(/'/g, "''")}'`);
      return ['NULL'];
    };
    const c = L.connect(L.users.staff);
    const before = await L.dump();
    const startedAt = Date.now();
    let calls = 0;
    // The permitted change on its own first: what every call below is wrapped around.
    let ownChanges = (await inTransaction(c, [`UPDATE items SET progress = 99, status = 'in_progress' WHERE id = 'M3.4'`])) ? 1 : 0;
    for (const f of fns) {
      // Every combination would be too many: each argument in turn runs through its values, the rest at their first.
      const firsts = f.args.map((t) => valuesFor(t)[0]!);
      const combos = new Set<string>([firsts.join(', ')]);
      f.args.forEach((t, i) => valuesFor(t).forEach((v) => combos.add(firsts.map((x, j) => (j === i ? v : x)).join(', '))));
      for (const args of combos) {
        calls++;
        const p = 1 + (calls % 98);
        if (await inTransaction(c, [`SELECT "${L.schema}"."${f.name}"(${args})`,
          `UPDATE items SET progress = ${p}, status = 'in_progress' WHERE id = 'M3.4' AND progress <> ${p}`])) ownChanges++;
      }
    }
    const after = await L.dump();
    const bad: string[] = [];
    for (const id of ['M3.1', 'M3.2', 'M3.3']) {
      if (JSON.stringify(after.items.get(id)) !== JSON.stringify(before.items.get(id))) bad.push(`${id}: changed by staff's calls`);
    }
    const entries = added(before, after);
    bad.push(...entryFaults(entries.filter((e) => e.id === 'M3.4') as never, startedAt, Date.now()));
    const others = entries.filter((e) => e.id !== 'M3.4');
    for (const e of others) bad.push(`${e.id}: an entry ${e.action} by ${String(e.dbUser)}`);
    if (entries.length - others.length !== ownChanges) bad.push(`M3.4: ${ownChanges} changes committed, ${entries.length - others.length} entries`);
    expect(bad).toEqual([]);
  }, 60_000);
});
