// Views written as they read (report, list, log): on a ledger of more items than a page
// (500), every form prints what the whole-model renderers print from the ledger read whole,
// and a ledger on a server prints the same bytes as the file it was copied from.
import { lightsAsOf } from '../../src/core/lights.js';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localDate } from '../../src/core/dates.js';
import { buildReport, completionTimes } from '../../src/core/summary.js';
import { setLang, type Lang } from '../../src/i18n/index.js';
import { openStore } from '../../src/store/index.js';
import type { Store } from '../../src/store/types.js';
import { renderItemTable, renderLog } from '../../src/ui/items.js';
import { itemJson, logJson, toJson } from '../../src/ui/json.js';
import { renderReportCsv, renderReportJson, renderReportMarkdown, renderReportText } from '../../src/ui/report.js';
import { makeTheme } from '../../src/ui/theme.js';
import { ROOT, rectify, tempDir } from '../helpers/cli.js';
import { HAS_PG, freshLedgerUrl } from '../helpers/pg.js';

// The command line runs in China's time (helpers/cli.ts): so do the renderers here.
process.env.TZ = 'Asia/Shanghai';
const TODAY = localDate(new Date());
const N = 1_100;
let t: { dir: string; cleanup: () => void };
let db: string;
const env = { RECTIFY_TODAY: TODAY, RECTIFY_USER: 'tester' };
const run = (args: string[], where = db) => {
  const r = rectify(['--db', where, ...args], { cwd: t.dir, env });
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  return r.stdout;
};
/** A report written to a file (its bytes may pass a pipe's buffer), read back. */
const reportFile = (args: string[], name: string, where = db) => {
  const r = rectify(['--db', where, 'report', ...args, '-o', name], { cwd: t.dir, env });
  expect(r.code, r.stderr).toBe(0);
  return readFileSync(join(t.dir, name), 'utf8');
};

beforeAll(() => {
  t = tempDir();
  db = join(t.dir, 'big.db');
  execFileSync(process.execPath, [join(ROOT, 'bench', 'generate.mjs'), String(N), join(t.dir, 'big.jsonl'), '--today', TODAY], { stdio: 'ignore' });
  expect(rectify(['--db', db, 'init', 'big.jsonl'], { cwd: t.dir, env }).code).toBe(0);
  // Every status, notes, evidence and a taken-back change, spread over the pages.
  const itemIds = readFileSync(join(t.dir, 'big.jsonl'), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as { kind: string; id: string })
    .filter((r) => r.kind === 'item').map((r) => r.id);
  const ids = (k: number) => itemIds.filter((_, n) => n % 7 === k).join(',');
  run(['done', ids(1), '-m', '已完成整改', '--evidence', '会议纪要', '--evidence', 'report | 1.pdf']);
  run(['done', ids(2), '-m', 'done']);
  run(['verify', ids(2), '-m', '同意销号']);
  run(['progress', ids(3), '40', '-m', '推进中']);
  run(['progress', ids(4), '70']);
  run(['undo']);
}, 120_000);
afterAll(() => t?.cleanup());

/** The ledger read whole, as the report was made before it was written a page at a time. */
async function wholeModel(store: Store, since: string | null, days = 7) {
  const figures = await store.statusFigures(TODAY, days, { listLimit: 0 });
  return buildReport({
    report: figures.report, areas: figures.areas, problems: await store.problems(), measures: await store.measures(),
    items: await store.reportItems(), history: since !== null ? await store.history({ since, via: 'cli', standing: true }) : null,
    asOf: TODAY, since, days,
  });
}

describe('views written a page at a time', () => {
  it('print the report in every form as the whole model renders it', async () => {
    const store = await openStore(db, { create: false, now: () => new Date() });
    try {
      const whole = await wholeModel(store, null);
      const since = await wholeModel(store, TODAY);
      expect(since.changes!.moved.length).toBeGreaterThan(400);
      const soon = await wholeModel(store, null, 30);
      expect(whole.overdue.length).toBeGreaterThan(0);
      expect(soon.dueSoon.length).toBeGreaterThan(0);
      const completion = completionTimes(await store.history({ via: 'cli', standing: true }));
      for (const lang of ['en', 'zh'] as Lang[]) {
        expect(reportFile(['--lang', lang], `r.${lang}.txt`)).toBe(renderReportText(whole, lang));
        expect(run(['report', '--lang', lang, '--since', TODAY])).toBe(renderReportText(since, lang));
        expect(reportFile(['--lang', lang, '--since', TODAY], `r.${lang}.md`)).toBe(renderReportMarkdown(since, lang));
        expect(reportFile(['--lang', lang, '--days', '30'], `s.${lang}.md`)).toBe(renderReportMarkdown(soon, lang));
        expect(reportFile(['--lang', lang], `r.${lang}.csv`)).toBe(renderReportCsv(whole, lang, completion));
      }
      expect(reportFile(['--since', TODAY], 'r.json')).toBe(toJson(since) + '\n');
      expect(reportFile(['--days', '30'], 's.json')).toBe(renderReportJson(soon));
      expect(renderReportJson(soon)).toBe(toJson(soon) + '\n');
    } finally {
      await store.close();
    }
  }, 120_000);

  it('print list and log as the whole lists render them', async () => {
    const store = await openStore(db, { create: false, now: () => new Date() });
    setLang('en');
    try {
      const theme = makeTheme(false);
      for (const filter of [{ all: true }, {}, { all: true, sort: 'owner' as const }]) {
        const args = ['list', ...(filter.all ? ['--all'] : []), ...(filter.sort ? ['--sort', filter.sort] : [])];
        const items = await store.listItems(filter);
        expect(items.length).toBeGreaterThan(500);
        expect(run([...args, '--lang', 'en'])).toBe(renderItemTable(items, { today: TODAY, theme }).join('\n') + '\n');
        expect(JSON.parse(run([...args, '--json']))).toEqual(JSON.parse(toJson(items.map((i) => itemJson(i, lightsAsOf(TODAY)(i))))));
      }
      const history = await store.history({});
      expect(history.length).toBeGreaterThan(1000);
      expect(run(['log', '--lang', 'en'])).toBe(renderLog(history, theme).join('\n') + '\n');
      expect(JSON.parse(run(['log', '--json']))).toEqual(JSON.parse(toJson(history.map(logJson))));
    } finally {
      await store.close();
    }
  }, 120_000);

  it.skipIf(!HAS_PG)('print the same bytes from a server as from the file copied there', async () => {
    const url = await freshLedgerUrl();
    expect(rectify(['copy', db, url], { cwd: t.dir, env }).code).toBe(0);
    for (const form of ['text', 'md', 'csv', 'json']) {
      expect(reportFile(['--format', form, '--since', TODAY], `pg.${form}`, url)).toBe(reportFile(['--format', form, '--since', TODAY], `file.${form}`));
    }
    for (const args of [['list', '--all'], ['list', '--sort', 'id'], ['log'], ['log', '--json']]) {
      expect(run(args, url)).toBe(run(args));
    }
  }, 180_000);
});
