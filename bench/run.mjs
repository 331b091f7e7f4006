#!/usr/bin/env node
// Measures rectify's speed and memory against the floor of any Node program.
//   npm run bench                         # sizes 1000,10000,100000
//   npm run bench -- --sizes 1000,10000,100000,1000000 --rounds 21 --big-rounds 5
//   npm run bench -- --node /opt/node24/node_modules/.bin/node   # the CLI on another Node
//       (default: the Node that runs this script, i.e. the first `node` on PATH)
//   npm run bench -- --backend pg [--pg postgres://postgres@127.0.0.1:5432/postgres]
//       the same ledgers on a PostgreSQL server (schemas bench_<size>, copied from the ledger
//       files with `rectify copy`; init timed into a schema of its own), over local TCP
// For each ledger (the bundled report, then each synthetic size) it times, interleaved
// round by round so that machine noise falls on all alike: `node -e 0`, `status`,
// `list --overdue`, `report`, and `progress` (one write). It prints medians, the ratio of
// each to the floor, and peak memory (measured in separate runs, through bench/rss.cjs,
// so that measuring memory does not slow the timed runs). `init` is timed once per size.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '..');
const OUT = join(ROOT, 'bench', 'out');
const BIN = join(ROOT, 'bin', 'rectify.js');
const arg = (name, dflt) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : dflt;
};
const sizes = arg('--sizes', '1000,10000,100000').split(',').filter(Boolean).map(Number);
const rounds = Number(arg('--rounds', '15'));
// Ledgers of 100,000 items and more take seconds a command: fewer rounds there.
const bigRounds = Number(arg('--big-rounds', '5'));
const TODAY = '2026-11-26';
const backend = arg('--backend', 'sqlite');
// The Node that runs the measured commands (and the floor, node -e 0).
const NODE = arg('--node', process.execPath);
const NODE_VERSION = execFileSync(NODE, ['--version'], { encoding: 'utf8' }).trim();
const LOAD_BEFORE = loadavg().map((x) => x.toFixed(2)).join(' ');
if (backend !== 'sqlite' && backend !== 'pg') throw new Error(`--backend is sqlite or pg, not ${backend}`);
const PG = arg('--pg', process.env.RECTIFY_TEST_PG || 'postgres://postgres@127.0.0.1:5432/postgres');
mkdirSync(OUT, { recursive: true });

/** The address of a bench ledger on the server (a schema of its own). */
function pgAddress(schema) {
  const u = new URL(PG);
  u.searchParams.set('schema', schema);
  return u.toString();
}
/** Drops a bench schema (the driver only here: the SQLite bench never loads it). */
async function dropSchema(schema) {
  const { default: postgres } = await import('postgres');
  const u = new URL(PG);
  u.searchParams.delete('schema');
  const sql = postgres(u.toString(), { max: 1, onnotice: () => {} });
  try {
    await sql.unsafe(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  } finally {
    await sql.end();
  }
}

const env = { ...process.env, RECTIFY_TODAY: TODAY, RECTIFY_USER: 'bench', LANG: 'en_US.UTF-8', NO_COLOR: '1' };
delete env.RECTIFY_DB;

function timeOnce(argv, extraEnv = {}) {
  const t0 = process.hrtime.bigint();
  // Output goes to a pipe, as when a command is piped into less or grep.
  const r = spawnSync(NODE, argv, { env: { ...env, ...extraEnv }, stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 2 ** 31 });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.status !== 0) throw new Error(`${argv.join(' ')} exited ${r.status}: ${r.stderr}`);
  return ms;
}
function peakKiB(argv) {
  const file = join(OUT, 'rss.txt');
  rmSync(file, { force: true });
  timeOnce(['-r', join(ROOT, 'bench', 'rss.cjs'), ...argv], { BENCH_RSS_FILE: file });
  return Number(readFileSync(file, 'utf8').trim().split('\n').at(-1));
}
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

/** A ledger for this size: the seed (generated once), init (timed), then a realistic
 *  history: several changes per item, written through the store's own API. */
async function prepare(size) {
  const db = join(OUT, `ledger-${size}.db`);
  // Big ledgers are built as machines build them: init from a JSON Lines seed, read as a stream.
  const seed = size === 0 ? join(ROOT, 'data', 'seed.yaml') : join(OUT, `seed-${size}.jsonl`);
  if (size > 0 && !existsSync(seed)) execFileSync(process.execPath, [join(ROOT, 'bench', 'generate.mjs'), String(size), seed, '--today', TODAY], { stdio: 'inherit' });
  const wipe = () => { for (const s of ['', '-wal', '-shm']) rmSync(db + s, { force: true }); };
  wipe();
  let initMs;
  let initKiB;
  const initArgs = [BIN, 'init', seed, '--db', db];
  initMs = timeOnce(initArgs);
  wipe();
  initKiB = peakKiB(initArgs);
  execFileSync(process.execPath, [join(ROOT, 'bench', 'history.mjs'), db, TODAY], { stdio: 'inherit', env });
  if (backend === 'pg') {
    // init timed on the server, into a schema of its own; the measured ledger is the file's
    // (with its history) copied there.
    const name = `bench_${size || 'bundled'}`;
    await dropSchema(`${name}_init`);
    const initArgs = [BIN, 'init', seed, '--db', pgAddress(`${name}_init`)];
    initMs = timeOnce(initArgs);
    await dropSchema(`${name}_init`);
    initKiB = peakKiB(initArgs);
    await dropSchema(`${name}_init`);
    await dropSchema(name);
    timeOnce([BIN, 'copy', db, pgAddress(name)]);
    return { db: pgAddress(name), initMs, initKiB };
  }
  return { db, initMs, initKiB };
}

/** An item still in progress (the history leaves some verified, which progress refuses). */
function openItem(db) {
  const out = execFileSync(NODE, [BIN, 'list', '--status', 'in_progress', '--json', '--db', db], { env, maxBuffer: 1 << 30 });
  return JSON.parse(out)[0].id;
}

const rows = [];
const floorArgs = ['-e', '0'];
for (const size of [0, ...sizes]) {
  const label = size === 0 ? 'bundled (12)' : size.toLocaleString('en');
  process.stderr.write(`preparing ${label}…\n`);
  const { db, initMs, initKiB } = await prepare(size);
  const cmds = {
    'node -e 0': floorArgs,
    status: [BIN, 'status', '--db', db],
    'list --overdue': [BIN, 'list', '--overdue', '--db', db],
    report: [BIN, 'report', '--db', db],
    progress: [BIN, 'progress', openItem(db), '50', '--db', db],
  };
  const times = Object.fromEntries(Object.keys(cmds).map((k) => [k, []]));
  const failed = {};
  for (let r = 0; r < (size >= 100_000 ? bigRounds : rounds); r++) {
    for (const [name, argv] of Object.entries(cmds)) {
      if (failed[name]) continue;
      try {
        times[name].push(timeOnce(argv));
      } catch (e) {
        // A command that fails at a size is a finding: say so in the table, go on.
        failed[name] = String(e.message).split('\n').find((l) => l.startsWith('rectify:') || /heap|memory/i.test(l)) ?? String(e.message).slice(0, 200);
      }
    }
  }
  const floor = median(times['node -e 0']);
  for (const [name, argv] of Object.entries(cmds)) {
    if (failed[name]) {
      rows.push({ size: label, command: name, ms: NaN, ratio: NaN, kib: NaN, failed: failed[name] });
      process.stderr.write(`  ${JSON.stringify(rows.at(-1))}\n`);
      continue;
    }
    rows.push({ size: label, command: name, ms: median(times[name]), ratio: median(times[name]) / floor, kib: peakKiB(argv) });
    process.stderr.write(`  ${JSON.stringify(rows.at(-1))}\n`);
  }
  rows.push({ size: label, command: 'init', ms: initMs, ratio: initMs / floor, kib: initKiB });
  process.stderr.write(`  ${JSON.stringify(rows.at(-1))}\n`);
}

const head = '| ledger | command | median ms | × node -e 0 | peak MiB |';
console.log(`rounds: ${rounds} (${bigRounds} at 100,000 items and more), node ${NODE_VERSION}, ${new Date().toISOString().slice(0, 10)}${backend === 'pg' ? `, PostgreSQL at ${new URL(PG).host}` : ''}, load (uptime) ${LOAD_BEFORE} before, ${loadavg().map((x) => x.toFixed(2)).join(' ')} after\n`);
console.log(head);
console.log('| --- | --- | ---: | ---: | ---: |');
for (const r of rows) {
  if (r.failed) console.log(`| ${r.size} | ${r.command} | failed: ${r.failed} | | |`);
  else console.log(`| ${r.size} | ${r.command} | ${r.ms.toFixed(1)} | ${r.ratio.toFixed(2)} | ${(r.kib / 1024).toFixed(1)} |`);
}
