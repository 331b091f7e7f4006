// Preloaded into a measured process (node -r bench/rss.cjs …): on exit, appends the
// process's peak resident memory in KiB to the file named by BENCH_RSS_FILE.
const { appendFileSync } = require('node:fs');
process.on('exit', () => {
  if (process.env.BENCH_RSS_FILE) appendFileSync(process.env.BENCH_RSS_FILE, process.resourceUsage().maxRSS + '\n');
});
