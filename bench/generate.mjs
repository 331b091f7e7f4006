#!/usr/bin/env node
// Writes a synthetic seed of N items: Chinese titles and details of report length, areas,
// problems, owners, departments, due dates spread around a day. JSON Lines (the format for
// machines and bulk loads, docs/seed-format.md) unless the file name ends in .yaml; written as it
// is made, so any size fits. Deterministic (a fixed PRNG): every run measures the same seed,
// and the YAML and JSON Lines of one N hold the same seed.
//   node bench/generate.mjs 100000 bench/out/seed-100000.jsonl [--today 2026-11-26]
import { createWriteStream } from 'node:fs';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';

const n = Number(process.argv[2] ?? 1000);
const out = process.argv[3] ?? `bench/out/seed-${n}.jsonl`;
const yaml = out.endsWith('.yaml') || out.endsWith('.yml');
const todayArg = process.argv.indexOf('--today');
const today = todayArg > 0 ? process.argv[todayArg + 1] : '2026-11-26';

let state = 0x9e3779b9;
function rand() {
  // xorshift32
  state ^= state << 13; state >>>= 0;
  state ^= state >>> 17;
  state ^= state << 5; state >>>= 0;
  return state / 0x100000000;
}
const pick = (a) => a[Math.floor(rand() * a.length)];

const AREAS = ['理论学习', '政治素质', '能力本领', '担当作为', '工作作风', '廉洁自律', '组织建设', '意识形态', '为民服务', '制度执行'];
const SUBJECTS = ['理论学习', '调查研究', '队伍建设', '基层党建', '意识形态工作', '作风建设', '廉政风险防控', '财务管理', '干部选拔任用', '服务群众', '制度建设', '监督检查', '安全生产', '信息化建设', '后勤保障'];
const VERBS = ['健全', '完善', '落实', '强化', '深化', '规范', '推进', '加强', '改进', '细化'];
const OBJECTS = ['工作机制', '责任清单', '考核办法', '督导制度', '学习方案', '调研计划', '整改台账', '风险排查', '培训体系', '联系点制度'];
const PHRASES = [
  '坚持问题导向和目标导向相统一', '对照问题清单逐项抓好落实', '做到立行立改、真改实改', '确保整改工作取得实效',
  '建立健全长效机制', '定期开展督促检查', '及时总结经验做法', '强化结果运用', '压实各级主体责任',
  '深入基层一线调查研究', '广泛听取干部群众意见', '形成上下联动的工作格局', '把整改成效转化为推动高质量发展的动力',
  '严格落实“第一议题”制度', '用好批评和自我批评武器', '持续加大监督检查力度',
];
const SURNAMES = '王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗'.split('');
const GIVEN = ['伟', '芳', '娜', '敏', '静', '强', '磊', '军', '洋', '勇', '艳', '杰', '涛', '明', '超', '秀英', '建华', '志强', '海燕', '晓东'];
const OWNERS = Array.from({ length: 60 }, () => pick(SURNAMES) + pick(GIVEN));
const DEPTS = ['办公室', '组织人事科', '宣传科', '纪检监察室', '财务科', '法规科', '后勤服务中心', '信息中心', '政策研究室', '基层工作科'];

function sentence(len) {
  let s = '';
  while (s.length < len) s += pick(PHRASES) + (rand() < 0.7 ? '，' : '；');
  return s.slice(0, -1) + '。';
}
function isoPlus(days) {
  return new Date(Date.parse(today + 'T00:00:00Z') + days * 86400000).toISOString().slice(0, 10);
}
const q = (s) => JSON.stringify(s); // a YAML double-quoted scalar

mkdirSync(dirname(out), { recursive: true });
const w = createWriteStream(out);
const write = (s) => (w.write(s) ? Promise.resolve() : new Promise((r) => w.once('drain', r)));
/** Text gathered and written in chunks of about 64 KB. */
let chunk = '';
const put = async (s) => {
  chunk += s;
  if (chunk.length > 1 << 16) {
    await write(chunk);
    chunk = '';
  }
};
const line = (record) => put(JSON.stringify(record) + '\n');

const areaCount = Math.min(AREAS.length, Math.max(3, Math.round(Math.log10(n) * 2)));
const problemsPerArea = Math.max(2, Math.round(n / 10 / areaCount));
const measureCount = Math.max(3, Math.round(n / 40));
const problemIds = [];
const title = `某市直单位领导班子对照检查材料（${n}项）`;
const unit = '某市直单位领导班子';

if (yaml) await put(`# Synthetic seed of ${n} items made by bench/generate.mjs (deterministic).\nversion: 1\nreport:\n  title: ${q(title)}\n  unit: ${q(unit)}\n  date: ${today}\nareas:\n`);
else {
  await line({ kind: 'rectify', version: 1 });
  await line({ kind: 'report', title, unit, date: today });
}
for (let a = 1; a <= areaCount; a++) {
  if (yaml) await put(`  - id: A${a}\n    name: ${q(AREAS[a - 1])}\n    problems:\n`);
  else await line({ kind: 'area', id: `A${a}`, name: AREAS[a - 1] });
  for (let p = 1; p <= problemsPerArea; p++) {
    const id = `P${a}.${p}`;
    problemIds.push(id);
    const t = pick(SUBJECTS) + '方面' + pick(['还存在薄弱环节', '有待加强', '落实不够到位', '仍有差距']);
    const detail = sentence(120 + Math.floor(rand() * 120));
    if (yaml) await put(`      - id: ${id}\n        title: ${q(t)}\n        detail: ${q(detail)}\n`);
    else await line({ kind: 'problem', id, area: `A${a}`, title: t, detail });
  }
}
if (yaml) await put('causes:\n');
for (let c = 1; c <= 5; c++) {
  const t = pick(SUBJECTS) + '的自觉性还不够强';
  const detail = sentence(150);
  if (yaml) await put(`  - id: C${c}\n    title: ${q(t)}\n    detail: ${q(detail)}\n`);
  else await line({ kind: 'cause', id: `C${c}`, title: t, detail });
}
if (yaml) await put('measures:\n');
let made = 0;
for (let m = 1; m <= measureCount && made < n; m++) {
  const count = m === measureCount ? n - made : Math.min(n - made, Math.round(n / measureCount));
  const mt = pick(VERBS) + pick(SUBJECTS) + '，' + pick(VERBS) + pick(OBJECTS);
  const md = sentence(100);
  if (yaml) await put(`  - id: M${m}\n    title: ${q(mt)}\n    detail: ${q(md)}\n    items:\n`);
  else await line({ kind: 'measure', id: `M${m}`, title: mt, detail: md });
  for (let k = 1; k <= count; k++) {
    const addresses = [pick(problemIds)];
    if (rand() < 0.3) { const other = pick(problemIds); if (other !== addresses[0]) addresses.push(other); }
    const item = { kind: 'item', id: `M${m}.${k}`, measure: `M${m}`, title: pick(VERBS) + pick(SUBJECTS) + pick(OBJECTS), detail: sentence(90 + Math.floor(rand() * 110)), addresses };
    if (rand() < 0.85) { item.owner = pick(OWNERS); item.department = pick(DEPTS); }
    if (rand() < 0.9) item.due = isoPlus(Math.floor(rand() * 360) - 120);
    const r = rand();
    if (r < 0.15) item.term = 'immediate'; else if (r < 0.3) item.term = 'ongoing';
    if (!yaml) {
      await line(item);
      continue;
    }
    let y = `      - id: ${item.id}\n        title: ${q(item.title)}\n        detail: ${q(item.detail)}\n        addresses: [${addresses.join(', ')}]\n`;
    if (item.owner) y += `        owner: ${q(item.owner)}\n        department: ${q(item.department)}\n`;
    if (item.due) y += `        due: ${item.due}\n`;
    if (item.term) y += `        term: ${item.term}\n`;
    await put(y);
  }
  made += count;
}
await write(chunk);
await new Promise((r) => w.end(r));
console.error(`wrote ${out}: ${n} items`);
