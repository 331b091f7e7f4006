#!/usr/bin/env node
// The start-up targets (README "Speed and memory"), timed interleaved with `node -e 0`, round
// after round, on a chosen Node; several builds side by side when given (an A/B of two builds
// in the same rounds: the machine's noise falls on all alike).
//   node bench/startup.mjs [--node /opt/node24/node_modules/.bin/node] [--rounds 21]
//       [--build before=/tmp/old/bin/rectify.js] [--build after=bin/rectify.js] [--only version,help]
//       [--pg postgres://postgres@127.0.0.1:5432/postgres] [--instructions [--instr-runs 3] [--jobs 2]] [--pg-prefix bench]
// --node given more than once: the whole measure on each release in turn (this script run once
// per release), then one table of the targets with every release's figures side by side:
//   node bench/startup.mjs --prepare --cpu --node /opt/node22/node_modules/.bin/node --node /opt/node24/node_modules/.bin/node
// The ledgers are those of bench/run.mjs (bench/out/ledger-0.db: the bundled report with a
// history; ledger-200000.db) and, on the server, the schemas bench_bundled and bench_100000
// (`rectify copy` of ledger-0.db and ledger-100000.db; made with --prepare). Output to a pipe.
// Prints medians (ms), the ratio to the floor's median, peak memory (VmHWM, separate runs),
// and the machine's load (uptime) before and after: a shared machine's figures are noisy.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '..');
const OUT = join(ROOT, 'bench', 'out');
const args = process.argv.slice(2);
const arg = (name, dflt) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : dflt;
};
const all = (name) => args.flatMap((a, i) => (a === name ? [args[i + 1]] : []));
const NODE = arg('--node', process.execPath);
const RELEASES = all('--node');
if (RELEASES.length > 1) {
  // Each release in turn, by this script with one --node; the ledgers are prepared (if asked)
  // by the first only. Each run prints its own table, then the targets side by side.
  const rest = args.filter((a, i) => a !== '--node' && args[i - 1] !== '--node');
  const results = [];
  RELEASES.forEach((node, i) => {
    const file = join(OUT, `releases-${process.pid}-${i}.json`);
    const own = i === 0 ? rest : rest.filter((a) => a !== '--prepare');
    const r = spawnSync(process.execPath, [import.meta.filename, ...own, '--node', node, '--rows-json', file], { stdio: 'inherit' });
    if (r.status !== 0) process.exit(r.status ?? 1);
    results.push(JSON.parse(readFileSync(file, 'utf8')));
    rmSync(file, { force: true });
  });
  const cpu = results.some((r) => r.rows.some((x) => x.cpuRatio !== undefined && x.cpuRatio !== null));
  const instr = results.some((r) => r.instructions);
  console.log(`\nThe targets on ${results.map((r) => `node ${r.version} (load ${r.load})`).join(' and ')}${instr ? ', instructions' : ''}:\n`);
  const head = results.map((r) => r.version.replace(/\..*/, '').replace('v', 'N'));
  const cols = instr ? ['M instr.', '×'] : ['ms', '×', ...(cpu ? ['CPU ms', 'CPU ×'] : [])];
  console.log(`| command | build | target | ${head.flatMap((h) => cols.map((c) => `${h} ${c}`)).join(' | ')} | met |`);
  console.log(`| --- | --- | ---: | ${head.flatMap(() => cols.map(() => '---:')).join(' | ')} | --- |`);
  for (const [k, row] of results[0].rows.entries()) {
    const cells = results.map((r) => r.rows[k]);
    const fig = (x) => (instr ? [(x.instructions / 1e6).toFixed(1), x.ratio.toFixed(2)] : [x.ms.toFixed(1), x.ratio.toFixed(2), ...(cpu ? [x.cpu.toFixed(1), x.cpuRatio.toFixed(2)] : [])]);
    const met = row.target ? cells.map((x, i) => `${head[i]} ${x.ratio <= row.target ? 'yes' : 'no'}`).join(', ') : '';
    console.log(`| ${row.label} | ${row.build} | ${row.target ? `≤ ${row.target}` : ''} | ${cells.flatMap(fig).join(' | ')} | ${met} |`);
  }
  process.exit(0);
}
const ROWS_JSON = arg('--rows-json', '');
const rounds = Number(arg('--rounds', '21'));
const bigRounds = Number(arg('--big-rounds', String(Math.max(5, Math.ceil(rounds / 3)))));
const PG = arg('--pg', process.env.RECTIFY_TEST_PG || 'postgres://postgres@127.0.0.1:5432/postgres');
const builds = all('--build').map((b) => {
  const at = b.indexOf('=');
  return at > 0 ? { name: b.slice(0, at), bin: resolve(b.slice(at + 1)) } : { name: 'this', bin: resolve(b) };
});
if (!builds.length) builds.push({ name: 'this', bin: join(ROOT, 'bin', 'rectify.js') });
const TODAY = '2026-11-26';
const env = { ...process.env, RECTIFY_TODAY: TODAY, RECTIFY_USER: 'bench', LANG: 'en_US.UTF-8', NO_COLOR: '1' };
delete env.RECTIFY_DB;
delete env.NODE_COMPILE_CACHE;

// --pg-prefix: the server schemas' prefix (bench_bundled, bench_100000), so that two
// worktrees measuring on one server do not drop each other's.
const PREFIX = arg('--pg-prefix', 'bench');
const pgAddress = (schema) => {
  const u = new URL(PG);
  u.searchParams.set('schema', schema);
  return u.toString();
};
const file0 = join(OUT, 'ledger-0.db');
const file200k = join(OUT, 'ledger-200000.db');

if (args.includes('--prepare')) {
  // The ledgers, as bench/run.mjs makes them (seed, init, history), and their server copies.
  const bin = builds[0].bin;
  mkdirSync(OUT, { recursive: true });
  const run = (a, e = env) => execFileSync(NODE, a, { stdio: 'inherit', env: e });
  for (const [size, seed] of [[0, join(ROOT, 'data', 'seed.yaml')], [100000, join(OUT, 'seed-100000.jsonl')], [200000, join(OUT, 'seed-200000.jsonl')]]) {
    const db = join(OUT, `ledger-${size}.db`);
    if (existsSync(db)) continue;
    if (size && !existsSync(seed)) run([join(ROOT, 'bench', 'generate.mjs'), String(size), seed, '--today', TODAY]);
    run([bin, 'init', seed, '--db', db]);
    run([join(ROOT, 'bench', 'history.mjs'), db, TODAY]);
  }
  for (const [size, schema] of [[0, `${PREFIX}_bundled`], [100000, `${PREFIX}_100000`]]) {
    execFileSync('psql', [PG, '-qc', `DROP SCHEMA IF EXISTS ${schema} CASCADE`], { stdio: 'inherit' });
    run([bin, 'copy', join(OUT, `ledger-${size}.db`), pgAddress(schema)]);
  }
}

/** An item still in progress (the history leaves some verified, which progress refuses). */
function openItem(bin, db) {
  const out = execFileSync(NODE, [bin, 'list', '--status', 'in_progress', '--json', '--db', db], { env, maxBuffer: 1 << 30 });
  return JSON.parse(out)[0].id;
}

const targets = [
  { key: 'version', label: '--version', target: 1.15, argv: () => ['--version'] },
  { key: 'help', label: 'help', target: 1.15, argv: () => ['help'] },
  { key: 'status-file', label: 'status, bundled, file', target: 1.25, argv: () => ['status', '--db', file0] },
  { key: 'status-file-200k', label: 'status, 200,000 items, file', target: 1.6, big: true, argv: () => ['status', '--db', file200k] },
  { key: 'status-pg', label: 'status, bundled, server', target: 1.5, argv: () => ['status', '--db', pgAddress(`${PREFIX}_bundled`)] },
  { key: 'status-pg-100k', label: 'status, 100,000 items, server', target: 1.8, big: true, argv: () => ['status', '--db', pgAddress(`${PREFIX}_100000`)] },
  { key: 'progress-pg', label: 'progress, bundled, server', target: 1.6, argv: (bin) => ['progress', openItem(bin, pgAddress(`${PREFIX}_bundled`)), '50', '--db', pgAddress(`${PREFIX}_bundled`)] },
];
const only = arg('--only', '').split(',').filter(Boolean);
const chosen = only.length ? targets.filter((t) => only.includes(t.key)) : targets;

// --cpu: each run under `perf stat -e task-clock` too, for the CPU time of the process (all
// its threads), which a busy machine disturbs less than the time on the clock.
const CPU = args.includes('--cpu');
const cpuFile = join(OUT, `cpu-${process.pid}.txt`);
const cpuTimes = new Map();
function timeOnce(argv, extraEnv = {}, key) {
  const [cmd, full] = CPU && key ? ['perf', ['stat', '-x,', '-e', 'task-clock', '-o', cpuFile, NODE, ...argv]] : [NODE, argv];
  const t0 = process.hrtime.bigint();
  const r = spawnSync(cmd, full, { env: { ...env, ...extraEnv }, stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 2 ** 31 });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.status !== 0) throw new Error(`${argv.join(' ')} exited ${r.status}: ${r.stderr}`);
  if (CPU && key) {
    const line = readFileSync(cpuFile, 'utf8').split('\n').find((l) => l.includes('task-clock'));
    if (!cpuTimes.has(key)) cpuTimes.set(key, []);
    cpuTimes.get(key).push(Number(line.split(',')[0]));
  }
  return ms;
}
function peakKiB(argv) {
  const file = join(OUT, `rss-${process.pid}.txt`);
  rmSync(file, { force: true });
  timeOnce(['-r', join(ROOT, 'bench', 'rss.cjs'), ...argv], { BENCH_RSS_FILE: file });
  const kib = Number(readFileSync(file, 'utf8').trim().split('\n').at(-1));
  rmSync(file, { force: true });
  return kib;
}
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const load = () => loadavg().map((x) => x.toFixed(2)).join(' ');

const version = execFileSync(NODE, ['--version'], { encoding: 'utf8' }).trim();
const loadBefore = load();

// --instructions: the instructions each run executes (valgrind's cachegrind, every thread of
// the process), the median of --instr-runs runs (3), as a ratio to `node -e 0`'s: a count the
// machine's load does not change (its spread between runs is about 2%; a run takes some 50
// times its CPU time). --jobs runs that many at once (2). Each command is run once first as it
// is, so that the compile cache is filled as a user's second run finds it.
if (args.includes('--instructions')) {
  const runs = Number(arg('--instr-runs', '3'));
  const jobs = Number(arg('--jobs', '2'));
  const { spawn } = await import('node:child_process');
  const { mkdtempSync, readFileSync: read } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const logs = mkdtempSync(join(tmpdir(), 'rectify-instr-'));
  let made = 0;
  const count = (argv) => new Promise((done, failed) => {
    const log = join(logs, `${made++}.log`);
    const p = spawn('valgrind', ['--tool=cachegrind', '--cache-sim=no', '--cachegrind-out-file=/dev/null', `--log-file=${log}`, NODE, ...argv], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let err = '';
    p.stdout.resume();
    p.stderr.on('data', (d) => (err += d));
    p.on('close', (code) => {
      if (code !== 0) return failed(new Error(`${argv.join(' ')} exited ${code}: ${err}`));
      const m = /I\s+refs:\s+([\d,]+)/.exec(read(log, 'utf8'));
      return m ? done(Number(m[1].replaceAll(',', ''))) : failed(new Error(`no count for ${argv.join(' ')}`));
    });
  });
  const work = [{ key: 'node -e 0', label: 'node -e 0', build: '', argv: ['-e', '0'] }];
  for (const t of chosen) for (const b of builds) {
    const argv = [b.bin, ...t.argv(b.bin)];
    timeOnce(argv);
    work.push({ key: `${t.key}|${b.name}`, label: t.label, build: b.name, target: t.target, argv });
  }
  const queue = work.flatMap((w) => Array.from({ length: runs }, () => w));
  const counts = new Map(work.map((w) => [w.key, []]));
  await Promise.all(Array.from({ length: jobs }, async () => {
    for (let w = queue.shift(); w; w = queue.shift()) counts.get(w.key).push(await count(w.argv));
  }));
  rmSync(logs, { recursive: true, force: true });
  const floor = median(counts.get('node -e 0'));
  console.log(`node ${version}, instructions (valgrind cachegrind, median of ${runs}), load ${loadBefore} before, ${load()} after (${new Date().toISOString().slice(0, 16)}Z)\n`);
  if (ROWS_JSON) {
    const rows = work.map((w) => ({ label: w.label, build: w.build, target: w.target, instructions: median(counts.get(w.key)), ratio: median(counts.get(w.key)) / floor }));
    writeFileSync(ROWS_JSON, JSON.stringify({ version, load: `${loadBefore} / ${load()}`, instructions: true, rows }));
  }
  console.log('| command | build | M instructions | × node -e 0 | target | spread |');
  console.log('| --- | --- | ---: | ---: | ---: | ---: |');
  for (const w of work) {
    const xs = counts.get(w.key);
    const m = median(xs);
    const met = w.target ? `≤ ${w.target} ${m / floor <= w.target ? 'met' : 'not met'}` : '';
    const spread = `${(((Math.max(...xs) - Math.min(...xs)) / m) * 100).toFixed(1)}%`;
    console.log(`| ${w.label} | ${w.build} | ${(m / 1e6).toFixed(1)} | ${(m / floor).toFixed(2)} | ${met} | ${spread} |`);
  }
  process.exit(0);
}
const rows = [];
for (const group of [chosen.filter((t) => !t.big), chosen.filter((t) => t.big)]) {
  if (!group.length) continue;
  // Each round: the floor, then every target of the group under every build, in turn.
  const runs = [{ name: 'node -e 0', argv: ['-e', '0'] }];
  for (const t of group) for (const b of builds) runs.push({ name: `${t.key}|${b.name}`, t, b, argv: [b.bin, ...t.argv(b.bin)] });
  const times = new Map(runs.map((r) => [r.name, []]));
  const n = group[0].big ? bigRounds : rounds;
  // Once each first, not timed: the compile cache is filled as a user's second run finds it.
  for (const r of runs) timeOnce(r.argv);
  for (let i = 0; i < n; i++) for (const r of runs) times.get(r.name).push(timeOnce(r.argv, {}, r.name));
  const floor = median(times.get('node -e 0'));
  const cpuFloor = CPU ? median(cpuTimes.get('node -e 0')) : NaN;
  rows.push({ label: 'node -e 0', build: '', ms: floor, ratio: 1, cpu: cpuFloor, cpuRatio: 1, kib: peakKiB(['-e', '0']), rounds: n });
  for (const r of runs.slice(1)) {
    const ms = median(times.get(r.name));
    const cpu = CPU ? median(cpuTimes.get(r.name)) : NaN;
    rows.push({ label: r.t.label, build: r.b.name, ms, ratio: ms / floor, cpu, cpuRatio: cpu / cpuFloor, target: r.t.target, kib: peakKiB(r.argv), rounds: n });
    process.stderr.write(`  ${JSON.stringify(rows.at(-1))}\n`);
  }
}
if (ROWS_JSON) {
  // The floor of each group is its own row; the side-by-side table keeps the first.
  const kept = rows.filter((r, i) => r.label !== 'node -e 0' || i === 0);
  writeFileSync(ROWS_JSON, JSON.stringify({ version, load: `${loadBefore} / ${load()}`, rows: kept.map((r) => ({ ...r, cpu: CPU ? r.cpu : null, cpuRatio: CPU ? r.cpuRatio : null })) }));
}
console.log(`node ${version}, ${rounds} rounds (${bigRounds} for the big ledgers), load ${loadBefore} before, ${load()} after (${new Date().toISOString().slice(0, 16)}Z)\n`);
console.log(`| command | build | median ms | × node -e 0 | target |${CPU ? ' CPU ms | CPU × |' : ''} peak MiB |`);
console.log(`| --- | --- | ---: | ---: | ---: |${CPU ? ' ---: | ---: |' : ''} ---: |`);
for (const r of rows) {
  const met = r.target ? `≤ ${r.target} ${r.ratio <= r.target ? 'met' : 'not met'}` : '';
  const cpu = CPU ? ` ${r.cpu.toFixed(1)} | ${r.cpuRatio.toFixed(2)} |` : '';
  console.log(`| ${r.label} | ${r.build} | ${r.ms.toFixed(1)} | ${r.ratio.toFixed(2)} | ${met} |${cpu} ${(r.kib / 1024).toFixed(1)} |`);
}
rmSync(cpuFile, { force: true });
