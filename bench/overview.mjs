#!/usr/bin/env node
// The overview of many ledgers in one database (issue 23's target: 1,000 ledgers of 200 items,
// 200,000 items in all, within 5 s and 200 MiB). Makes the database (kept for the next run,
// and made up to --ledgers where a run stopped): a few ledgers by `rectify init` of generated seeds (bench/generate.mjs, each with its
// due dates around another day), then the rest cloned from them in SQL, schema by schema
// (tables LIKE … INCLUDING ALL, rows copied, the unit and title made each ledger's own).
// Then times `rectify overview --db URL --json` (median of --runs, peak RSS of the process),
// and prints the load average beside it: the machine is shared.
//   node bench/overview.mjs [--ledgers 1000] [--items 200] [--runs 5] [--url postgres://postgres@127.0.0.1:5432] [--no-summary]
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, cpus } from 'node:os';
import { join } from 'node:path';
import postgres from 'postgres';

const arg = (name, d) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : d;
};
const ledgers = Number(arg('ledgers', 1000));
const items = Number(arg('items', 200));
const runs = Number(arg('runs', 5));
const server = arg('url', 'postgres://postgres@127.0.0.1:5432');
const database = arg('database', `rectify_bench_overview_${ledgers}x${items}`);
const BASES = 4;
const url = `${server}/${database}`;
const name = (i) => `l${String(i).padStart(5, '0')}`;
const out = 'bench/out';
mkdirSync(out, { recursive: true });

const admin = postgres(`${server}/postgres`, { max: 1, onnotice: () => {} });
const [have] = await admin`SELECT count(*)::int AS n FROM pg_database WHERE datname = ${database}`;
if (have.n === 0) await admin.unsafe(`CREATE DATABASE "${database}"`);
{
  // Resumable: the ledgers there are kept, the rest are made.
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  const made = new Set((await sql`SELECT nspname FROM pg_namespace`).map((r) => r.nspname));
  const t0 = Date.now();
  const bases = Math.min(BASES, ledgers);
  for (let b = 0; b < bases; b++) {
    if (made.has(name(b))) continue;
    // Each base ledger's due dates spread around another day: some units late, some on time.
    const today = ['2026-09-01', '2026-11-20', '2026-12-31', '2027-03-01'][b];
    const seed = join(out, `overview-seed-${items}-${b}.jsonl`);
    if (!existsSync(seed)) execFileSync(process.execPath, ['bench/generate.mjs', String(items), seed, '--today', today], { stdio: 'ignore' });
    execFileSync(process.execPath, ['bin/rectify.js', 'init', seed, '--db', `${url}?schema=${name(b)}`], { stdio: 'ignore', env: { ...process.env, RECTIFY_USER: 'bench' } });
  }
  let cloned = 0;
  for (let i = bases; i < ledgers; i++) {
    if (made.has(name(i))) continue;
    const src = name(i % bases);
    const dst = name(i);
    // One transaction a schema: a dozen tables' locks, not the whole database's at once.
    await sql.unsafe(`DO $$
DECLARE t record; cols text;
BEGIN
  EXECUTE format('CREATE SCHEMA %I', '${dst}');
  FOR t IN SELECT tablename FROM pg_tables WHERE schemaname = '${src}' LOOP
    EXECUTE format('CREATE TABLE %I.%I (LIKE %I.%I INCLUDING ALL)', '${dst}', t.tablename, '${src}', t.tablename);
    SELECT string_agg(quote_ident(column_name), ', ' ORDER BY ordinal_position) INTO cols
      FROM information_schema.columns WHERE table_schema = '${src}' AND table_name = t.tablename AND is_generated = 'NEVER';
    EXECUTE format('INSERT INTO %I.%I (%s) OVERRIDING SYSTEM VALUE SELECT %s FROM %I.%I', '${dst}', t.tablename, cols, cols, '${src}', t.tablename);
  END LOOP;
  EXECUTE format('UPDATE %I.report SET unit = %L, title = %L', '${dst}', '第${i}号单位', '第${i}号单位2026年度整改台账');
END $$`);
    cloned += 1;
    if (i % 100 === 0) process.stderr.write(`${i} ledgers\r`);
  }
  // The database's summary (store/postgres/summary.ts, migration 005): the base ledgers join it
  // when this build first opens them (the upgrade, as their owner); the clones, made in SQL
  // without the ledgers' functions and triggers, get the row those triggers would keep,
  // counted from their roll-ups as overview_recount() counts it. --no-summary leaves it out
  // (overview then reads every ledger's roll-ups, as before).
  let summed = 0;
  if (!process.argv.includes('--no-summary')) {
    for (let b = 0; b < bases; b++) {
      execFileSync(process.execPath, ['bin/rectify.js', 'status', '--db', `${url}?schema=${name(b)}`], { stdio: 'ignore', env: { ...process.env, RECTIFY_USER: 'bench' } });
    }
    const [{ n }] = await sql.unsafe(`SELECT count(*)::int AS n FROM pg_namespace n WHERE nspname ~ '^l[0-9]{5}$'
      AND to_regclass('rectify_overview.ledgers') IS NOT NULL AND NOT EXISTS (SELECT 1 FROM rectify_overview.ledgers l WHERE l.ledger = n.nspname)`);
    summed = n;
    if (n > 0) {
      await sql.unsafe(`DO $$
DECLARE s text;
BEGIN
  FOR s IN SELECT nspname FROM pg_namespace n WHERE nspname ~ '^l[0-9]{5}$'
              AND NOT EXISTS (SELECT 1 FROM rectify_overview.ledgers l WHERE l.ledger = n.nspname) LOOP
    EXECUTE format($q$
      INSERT INTO rectify_overview.ledgers (ledger, owner_role, title, unit, items, open, in_progress, done, verified, extensions)
      SELECT %1$L, current_user, r.title, r.unit, c.items, c.open, c.in_progress, c.done, c.verified, e.n
        FROM (SELECT 1) one LEFT JOIN %1$I.report r ON true
       CROSS JOIN (SELECT coalesce(sum(n), 0)::int AS items, coalesce(sum(n) FILTER (WHERE status = 'open'), 0)::int AS open,
                          coalesce(sum(n) FILTER (WHERE status = 'in_progress'), 0)::int AS in_progress,
                          coalesce(sum(n) FILTER (WHERE status = 'done'), 0)::int AS done,
                          coalesce(sum(n) FILTER (WHERE status = 'verified'), 0)::int AS verified FROM %1$I.owner_counts) c
       CROSS JOIN (SELECT count(*)::int AS n FROM %1$I.history h
                    WHERE h.action = 'extend' AND NOT EXISTS (SELECT 1 FROM %1$I.undone u WHERE u.grp = h.grp)) e;
      INSERT INTO rectify_overview.due (ledger, owner_role, due, n)
      SELECT %1$L, current_user, due, sum(n)::int FROM %1$I.due_counts GROUP BY due HAVING sum(n) > 0$q$, s);
  END LOOP;
END $$`);
      console.log(`summary rows written for ${n} cloned ledgers`);
    }
  }
  if (cloned > 0 || summed > 0) {
    await sql.unsafe('ANALYZE');
    console.log(`made ${cloned} ledgers of ${items} items in ${database} in ${((Date.now() - t0) / 1000).toFixed(0)} s`);
  }
  await sql.end();
}
await admin.end();

const rssFile = join(out, 'overview-rss.txt');
const times = [];
const rss = [];
let rows = 0;
for (let r = 0; r < runs; r++) {
  rmSync(rssFile, { force: true });
  const t0 = process.hrtime.bigint();
  const p = spawnSync(process.execPath, ['-r', './bench/rss.cjs', 'bin/rectify.js', 'overview', '--db', url, '--json'], {
    env: { ...process.env, BENCH_RSS_FILE: rssFile, RECTIFY_TODAY: '2026-12-01' }, encoding: 'utf8', maxBuffer: 1 << 28,
  });
  times.push(Number(process.hrtime.bigint() - t0) / 1e6);
  if (p.status !== 0) throw new Error(p.stderr);
  rows = JSON.parse(p.stdout).ledgers.length;
  rss.push(Number(readFileSync(rssFile, 'utf8').trim()) / 1024);
}
const median = (a) => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)];
console.log(JSON.stringify({
  ledgers: rows, itemsEach: items, runs, medianMs: Math.round(median(times)), minMs: Math.round(Math.min(...times)),
  maxRssMiB: Math.round(Math.max(...rss)), load: loadavg().map((x) => x.toFixed(1)).join(' '), cores: cpus().length,
}));
