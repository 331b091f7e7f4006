// A week of an office's work on the bundled report, recorded in-process (the CLI's own
// dispatcher, its output caught), for the meeting views' tests. Due dates are set around
// today (the real clock: recorded times come from it, and "recent" is judged against them).
import { Writable } from 'node:stream';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run } from '../../src/cli.js';
import { addDays, localDate } from '../../src/core/dates.js';
import type { RunResult } from './cli.js';

function sink(isTTY = false): { stream: NodeJS.WriteStream; text: () => string } {
  let buf = '';
  const w = new Writable({ write(chunk, _enc, cb) { buf += String(chunk); cb(); } });
  return { stream: Object.assign(w, { isTTY, columns: 80 }) as unknown as NodeJS.WriteStream, text: () => buf };
}

export interface Office {
  dir: string;
  today: string;
  /** Runs rectify on this ledger in-process. */
  run(args: string[], env?: Record<string, string>): Promise<RunResult>;
  cleanup(): void;
}

export async function office(): Promise<Office> {
  const dir = mkdtempSync(join(tmpdir(), 'rectify-meeting-'));
  const today = localDate(new Date());
  const db = join(dir, 'rectify.db');
  const runIt = async (args: string[], env: Record<string, string> = {}): Promise<RunResult> => {
    const out = sink();
    const err = sink();
    const code = await run([...args, '--db', db], { LANG: 'en_US.UTF-8', RECTIFY_USER: 'tester', ...env }, { stdout: out.stream, stderr: err.stream, stdinIsTTY: () => false });
    return { code, stdout: out.text(), stderr: err.text() };
  };
  const must = async (args: string[]) => {
    const r = await runIt(args);
    if (r.code !== 0) throw new Error(`${args.join(' ')}: ${r.stderr}`);
  };
  const d = (n: number) => addDays(today, n);
  await must(['init']);
  await must(['assign', 'M1.1,M1.2', '王建国', '--department', '办公室', '--due', d(-3), '--by', '秘书']);
  await must(['assign', 'M2.1,M2.2,M2.3', '李明', '--department', '组织科', '--due', d(5), '--by', '秘书']);
  await must(['assign', 'M3.1,M3.2', '张华', '--department', '综合股', '--due', d(30), '--by', '秘书']);
  await must(['assign', 'M4.1,M4.2', '赵强', '--department', '人事科', '--due', d(-10), '--by', '秘书']);
  await must(['assign', 'M5.1,M5.2,M5.3', '刘洋', '--department', '纪检组', '--due', d(3), '--by', '秘书']);
  await must(['progress', 'M1.1', '60', '-m', '已组织中心组学习4次', '--by', '王建国']);
  await must(['progress', 'M2.1', '30', '-m', '制定党性锻炼计划', '--by', '李明']);
  await must(['progress', 'M2.2', '50', '-m', '修订主体责任清单', '--by', '李明']);
  await must(['progress', 'M3.1', '80', '-m', '已走访8个基层单位', '--by', '张华']);
  await must(['done', 'M5.3', '-m', '立行立改完成', '--evidence', '整改清单.docx', '--by', '刘洋']);
  await must(['done', 'M4.2', '-m', '制度已印发', '--evidence', '干部选拔任用办法.pdf', '--by', '赵强']);
  await must(['verify', 'M4.2', '-m', '经核查，同意销号', '--by', '秘书']);
  await must(['assign', 'M3.2', '--due', d(60), '--by', '秘书', '-m', '需结合年度调研安排']);
  await must(['progress', 'M1.2', '20', '--by', '王建国']);
  return { dir, today, run: runIt, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}
