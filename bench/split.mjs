#!/usr/bin/env node
// Splits a generated seed into two seeds by its measures: the same report, areas and
// causes, the first half of the measures in one, the rest in the other. A seed of a
// million items (~700 MB) is more text than one JavaScript string can hold; the bench
// builds that ledger with `init` of the first half and `import` of the second.
//   node bench/split.mjs seed.yaml first.yaml second.yaml
import { createReadStream, createWriteStream } from 'node:fs';
import { createInterface } from 'node:readline';

const [src, firstOut, secondOut] = process.argv.slice(2);
// First pass: how many measures there are.
let measures = 0;
let inMeasures = false;
for await (const line of createInterface({ input: createReadStream(src) })) {
  if (line === 'measures:') inMeasures = true;
  else if (inMeasures && line.startsWith('  - id: ')) measures++;
}
const half = Math.ceil(measures / 2);
const a = createWriteStream(firstOut);
const b = createWriteStream(secondOut);
const both = (s) => Promise.all([a, b].map((w) => (w.write(s) ? null : new Promise((r) => w.once('drain', r)))));
const one = (w, s) => (w.write(s) ? null : new Promise((r) => w.once('drain', r)));
let seen = 0;
inMeasures = false;
for await (const line of createInterface({ input: createReadStream(src) })) {
  if (!inMeasures) {
    await both(line + '\n');
    if (line === 'measures:') inMeasures = true;
    continue;
  }
  if (line.startsWith('  - id: ')) seen++;
  await one(seen <= half ? a : b, line + '\n');
}
await Promise.all([a, b].map((w) => new Promise((r) => w.end(r))));
console.error(`split ${src}: measures 1-${half} and ${half + 1}-${measures}`);
