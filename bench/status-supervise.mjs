#!/usr/bin/env node
// Is `status` slowed by the 督办 work (lights, contacts, remind, score; issue 22)? `status` on the
// bundled report, timed interleaved with `node -e 0`, round after round, under two builds: one
// from before the lights landed (git archive 2843736^, built with scripts/build.mjs) and this
// one; and this one again on the same ledger holding 30 contacts and 600 notices sent (what a
// year of weekly reminders leaves). Each build gets a ledger it made itself (the earlier one
// refuses a file of a later version): init of data/seed.yaml and the same 14 changes.
//   node bench/status-supervise.mjs --before /tmp/sup-before/bin/rectify.js [--rounds 31]
// Prints medians (ms), each over the floor's median, and the machine's load before and after:
// a shared machine's figures are noisy, the interleaving puts its noise on all alike.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '..');
const OUT = join(ROOT, 'bench', 'out');
const args = process.argv.slice(2);
const arg = (name, dflt) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : dflt;
};
const before = arg('--before');
if (!before) throw new Error('give --before PATH/bin/rectify.js (a build from before the lights: git archive 2843736^)');
const after = join(ROOT, 'bin', 'rectify.js');
const rounds = Number(arg('--rounds', '31'));
const TODAY = '2026-03-10';
const env = { ...process.env, RECTIFY_TODAY: TODAY, RECTIFY_USER: 'bench', LANG: 'en_US.UTF-8', NO_COLOR: '1' };
delete env.RECTIFY_DB;
delete env.NODE_COMPILE_CACHE;
mkdirSync(OUT, { recursive: true });

/** A ledger made by `bin`: the bundled report, owners and deadlines, some progress. */
function ledger(bin, name) {
  const db = join(OUT, name);
  rmSync(db, { force: true });
  const run = (...a) => execFileSync(process.execPath, [bin, ...a, '--db', db], { env, stdio: 'ignore' });
  run('init', join(ROOT, 'data', 'seed.yaml'));
  const plan = [
    ['M1.1', '王建国', '办公室', '2026-03-01'], ['M1.2', '李明', '办公室', '2026-03-12'], ['M2.1', '张华', '宣传部', '2026-03-15'],
    ['M2.2', '张华', '宣传部', '2026-05-15'], ['M3.1', '赵敏', '组织部', '2026-02-20'], ['M4.1', '钱进', '纪检组', '2026-06-30'],
  ];
  for (const [id, owner, dept, due] of plan) run('assign', id, owner, '--department', dept, '--due', due);
  for (const id of ['M1.1', 'M2.1', 'M3.1']) run('progress', id, '40', '-m', '推进中');
  for (const id of ['M2.2', 'M4.1']) run('done', id, '-m', '已完成');
  run('verify', 'M4.1', '-m', '销号');
  return db;
}

const dbBefore = ledger(before, 'status-before.db');
const dbAfter = ledger(after, 'status-after.db');
const dbFull = ledger(after, 'status-after-supervise.db');
{
  // 30 contacts and 600 notices, written as the ledger's own tables hold them.
  const { DatabaseSync } = process.getBuiltinModule('node:sqlite');
  const db = new DatabaseSync(dbFull);
  const contact = db.prepare('INSERT INTO contacts (name, email, webhook, secret, updated_at) VALUES (?, ?, ?, ?, ?)');
  const notice = db.prepare('INSERT INTO notices (at, day, by, recipient, channel, items) VALUES (?, ?, ?, ?, ?, ?)');
  db.exec('BEGIN');
  for (let i = 0; i < 30; i++) contact.run(`部门${i}`, `d${i}@example.org`, `wecom:https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k${i}`, null, '2026-01-01T09:00:00.000+08:00');
  for (let i = 0; i < 600; i++) notice.run('2026-01-01T09:00:00.000+08:00', `2026-01-${String(1 + (i % 28)).padStart(2, '0')}`, 'bench', `部门${i % 30}`, 'wecom', 'M1.1,M2.1');
  db.exec('COMMIT');
  db.close();
}

function timeOnce(argv) {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(process.execPath, argv, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.status !== 0) throw new Error(`${argv.join(' ')} exited ${r.status}: ${r.stderr}`);
  return ms;
}
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const load = () => loadavg().map((x) => x.toFixed(2)).join(' ');

const runs = [
  { name: 'node -e 0', argv: ['-e', '0'] },
  { name: 'status, before the lights', argv: [before, 'status', '--db', dbBefore] },
  { name: 'status, this build', argv: [after, 'status', '--db', dbAfter] },
  { name: 'status, this build, 30 contacts + 600 notices', argv: [after, 'status', '--db', dbFull] },
];
// Warm each build's compile cache once, outside the timing.
for (const r of runs) timeOnce(r.argv);
const loadBefore = load();
const times = new Map(runs.map((r) => [r.name, []]));
for (let i = 0; i < rounds; i++) for (const r of runs) times.get(r.name).push(timeOnce(r.argv));
const loadAfter = load();
const floor = median(times.get('node -e 0'));
console.log(`node ${process.version}, ${rounds} rounds interleaved; load before ${loadBefore}, after ${loadAfter}`);
for (const r of runs) {
  const m = median(times.get(r.name));
  console.log(`${r.name.padEnd(48)} ${m.toFixed(1).padStart(7)} ms  ${(m / floor).toFixed(2)}x`);
}
