// One writer process for the concurrency fault test: runs the CLI's own `run` (the code
// the binary runs, opening and closing the ledger each time) N times in a row, so that
// four such processes make 4 x N changes without paying for 4 x N process starts.
//   node writer.cjs <writer-number> <item> <count>
import { run } from '../../src/cli.js';

async function main(): Promise<void> {
  const [w, item, count] = process.argv.slice(2);
  const sink = { write: () => true, isTTY: false } as unknown as NodeJS.WriteStream;
  let failed = 0;
  for (let k = 0; k < Number(count); k++) {
    const argv = ['progress', item!, String(k % 100), '-m', `writer ${w} change ${k}`, '--by', `w${w}`];
    const code = await run(argv, process.env, { stdout: sink, stderr: process.stderr, stdinIsTTY: () => false });
    if (code !== 0) {
      failed++;
      process.stderr.write(`change ${k}: exit ${code}\n`);
    }
  }
  process.exitCode = failed ? 1 : 0;
}
void main();
