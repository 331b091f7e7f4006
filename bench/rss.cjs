// Preloaded into a measured process (node -r bench/rss.cjs …): on exit, appends the
// process's peak resident memory in KiB to the file named by BENCH_RSS_FILE. VmHWM, not
// getrusage's maxRSS: on Linux the latter can carry the memory of the parent the process
// was forked from (a bench runner holding large outputs), VmHWM starts afresh at exec.
const { appendFileSync, readFileSync } = require('node:fs');
process.on('exit', () => {
  if (!process.env.BENCH_RSS_FILE) return;
  let kib = process.resourceUsage().maxRSS;
  try {
    const m = /^VmHWM:\s+(\d+) kB/m.exec(readFileSync('/proc/self/status', 'utf8'));
    if (m) kib = Number(m[1]);
  } catch {
    /* not Linux: maxRSS it is */
  }
  appendFileSync(process.env.BENCH_RSS_FILE, kib + '\n');
});
