#!/usr/bin/env node
// A supervisor's morning: 50 units of a county, each with its ledger in one database (the
// report seeds of tests/fixtures/repeats, each given a unit of the county), progress recorded
// through rectify as units do (some items done, some signed off, some due dates extended),
// then `rectify overview` of the database as of a day. Deterministic (a fixed PRNG).
//   node bench/overview-morning.mjs [--url postgres://postgres@127.0.0.1:5432] [--as-of 2025-06-26]
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import postgres from 'postgres';

const arg = (name, d) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : d;
};
const server = arg('url', 'postgres://postgres@127.0.0.1:5432');
const asOf = arg('as-of', '2025-06-26');
const database = arg('database', 'rectify_morning_50');
const url = `${server}/${database}`;
const UNITS = `县委办公室 县政府办公室 县纪委监委机关 县委组织部 县委宣传部 县委统战部 县委政法委 县发展和改革局 县教育局 县科技局
县工业和信息化局 县公安局 县民政局 县司法局 县财政局 县人力资源和社会保障局 县自然资源局 县生态环境分局 县住房和城乡建设局 县交通运输局
县水利局 县农业农村局 县商务局 县文化广电和旅游局 县卫生健康局 县退役军人事务局 县应急管理局 县审计局 县市场监督管理局 县统计局
县医疗保障局 县林业局 县乡村振兴局 县信访局 县城市管理局 县行政审批服务局 县机关事务服务中心 县融媒体中心 县档案馆 县供销社
城关镇 东关镇 南湖乡 北山乡 西河镇 青石镇 柳溪乡 白马镇 县人民医院 县第一中学`.split(/\s+/);
let state = 0x2545f491;
const rand = () => {
  state ^= state << 13; state >>>= 0; state ^= state >>> 17; state ^= state << 5; state >>>= 0;
  return state / 0x100000000;
};
const seeds = readdirSync('tests/fixtures/repeats').filter((f) => f.endsWith('.yaml') && f !== 'gold.yaml').sort();
const out = 'bench/out/morning';
mkdirSync(out, { recursive: true });
const admin = postgres(`${server}/postgres`, { max: 1, onnotice: () => {} });
const [have] = await admin`SELECT count(*)::int AS n FROM pg_database WHERE datname = ${database}`;
{
  // Resumable: a unit whose ledger is there already is left as it is.
  if (have.n === 0) await admin.unsafe(`CREATE DATABASE "${database}"`);
  const db0 = postgres(url, { max: 1, onnotice: () => {} });
  const made = new Set((await db0`SELECT nspname FROM pg_namespace`).map((r) => r.nspname));
  await db0.end();
  const rectify = (args, today) => execFileSync(process.execPath, ['bin/rectify.js', ...args], {
    stdio: 'ignore', env: { ...process.env, RECTIFY_USER: 'bench', RECTIFY_TODAY: today },
  });
  for (let i = 0; i < UNITS.length; i++) {
    const unit = UNITS[i];
    const text = readFileSync(join('tests/fixtures/repeats', seeds[i % seeds.length]), 'utf8');
    const year = /date: (\d{4})/.exec(text)[1];
    const seed = join(out, `u${i}.yaml`);
    writeFileSync(seed, text.replace(/^ {2}title: .*$/m, `  title: "${unit}${year}年度整改台账"`).replace(/^ {2}unit: .*$/m, `  unit: "${unit}"`));
    const schema = `u${String(i).padStart(2, '0')}`;
    if (made.has(schema)) continue;
    const db = `${url}?schema=${schema}`;
    rectify(['init', seed, '--db', db], `${year}-12-31`);
    const ids = [...text.matchAll(/- id: (M\d+\.\d+)/g)].map((m) => m[1]);
    const when = `${Number(year) + 1}-05-20`;
    const done = ids.filter(() => rand() < 0.2 + 0.6 * ((i * 7) % 10) / 10);
    if (done.length) rectify(['done', done.join(','), '--db', db], when);
    const verified = done.filter(() => rand() < 0.5);
    if (verified.length) rectify(['verify', verified.join(','), '--db', db], when);
    const open = ids.filter((id) => !done.includes(id));
    if (open.length && rand() < 0.4) rectify(['assign', open[0], '--due', `${Number(year) + 1}-09-30`, '--db', db], when);
    process.stderr.write(`${i + 1} units\r`);
  }
}
await admin.end();
const t0 = Date.now();
const text = execFileSync(process.execPath, ['bin/rectify.js', 'overview', '--db', url, '--as-of', asOf, ...process.argv.slice(2).filter((a) => a === '--json' || a.startsWith('--lang') || a === 'zh' || a === 'en')], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', COLUMNS: '100' } });
process.stdout.write(text);
console.error(`overview of ${database}: ${Date.now() - t0} ms`);
