// What a new user of the 督办 commands met, tried by hand against cli.md's third round and then
// written down: the screens fit the terminal, a recipient's name that names nobody is said so,
// each robot gets the Markdown its own documentation describes, the hints fit the mistake.
import { symlinkSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { rectify, tempDirsPerTest } from '../helpers/cli.js';
import { width } from '../../src/ui/text.js';
import { HAS_PG, freshLedgerUrl } from '../helpers/pg.js';

const newTemp = tempDirsPerTest();
const env = { RECTIFY_TODAY: '2026-03-10', NO_COLOR: '1' };

/** A ledger with one red item (办公室, 王局长), one yellow (宣传部, 李主任) and one extension. */
function ledger() {
  const dir = newTemp();
  const run = (args: string[], lang = 'en_US.UTF-8') => rectify(args, { cwd: dir, env: { ...env, LANG: lang } });
  const ok = (args: string[]) => {
    const r = run(args);
    expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(0);
    return r;
  };
  ok(['init']);
  ok(['assign', 'M1.1', '王局长', '--department', '办公室', '--due', '2026-03-01']);
  ok(['assign', 'M2.1', '李主任', '--department', '宣传部', '--due', '2026-03-12']);
  ok(['assign', 'M3.2', '--due', '2026-02-01']);
  ok(['assign', 'M3.2', '--due', '2026-03-20']);
  return { dir, run, ok };
}

const widest = (text: string) => Math.max(...text.split('\n').map(width));

describe('the 督办 screens, piped, fit 80 columns in both languages', () => {
  for (const lang of ['en_US.UTF-8', 'zh_CN.UTF-8']) {
    it(`score and repeats wrap their notes (${lang})`, () => {
      const { run, ok, dir } = ledger();
      for (const by of ['department', 'owner']) {
        const r = run(['score', '--by', by], lang);
        expect(r.code, r.stderr).toBe(0);
        expect(widest(r.stdout), r.stdout).toBeLessThanOrEqual(80);
      }
      ok(['init', '--db', 'older.db']);
      const r = rectify(['repeats', '--against', 'older.db'], { cwd: dir, env: { ...env, LANG: lang } });
      expect(r.code, r.stderr).toBe(0);
      expect(widest(r.stdout), r.stdout).toBeLessThanOrEqual(80);
    });
  }
});

describe('remind --to a name that is no owner, department or contact', () => {
  it('is not found (exit 3), in one line naming it, and nothing is sent or recorded', () => {
    const { run } = ledger();
    const before = run(['log', '--json']).stdout;
    const r = run(['remind', '--to', '办工室']);
    expect(r.code).toBe(3);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^rectify: no owner or department is named 办工室\n/);
    const zh = run(['remind', '--to', '办公室,办工室', '--send', '--dry-run'], 'zh_CN.UTF-8');
    expect(zh.code).toBe(3);
    expect(zh.stdout).toBe('');
    expect(zh.stderr).toMatch(/^rectify: 没有名为 办工室 的责任人或责任部门\n/);
    expect(run(['log', '--json']).stdout).toBe(before);
  });

  it('a real name with nothing red or yellow still says so, exit 0', () => {
    const { run, ok } = ledger();
    ok(['assign', 'M2.2', '张科长', '--department', '组织部', '--due', '2026-04-30']);
    const r = run(['remind', '--to', '组织部']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/nothing to remind for 组织部/);
    // and the name of a contact is a recipient too, whatever the items say
    ok(['contact', 'set', '督查室', '--email', 'dcs@example.gov.cn']);
    expect(run(['remind', '--to', '督查室']).code).toBe(0);
  });
});

describe('hints that fit the mistake', () => {
  it('a 钉钉 webhook without its access_token is shown a 钉钉 address', () => {
    const { run } = ledger();
    const r = run(['contact', 'set', '办公室', '--webhook', 'dingtalk:https://oapi.dingtalk.com/robot/send']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('dingtalk:https://oapi.dingtalk.com/robot/send?access_token=');
    expect(r.stderr).not.toContain('wecom:');
  });

  it('repeats --against a missing file says the earlier ledger is missing, not to create this one', () => {
    const { run } = ledger();
    for (const [lang, word] of [['en_US.UTF-8', '--against'], ['zh_CN.UTF-8', '--against']] as const) {
      const r = run(['repeats', '--against', 'gone.db'], lang);
      expect(r.code).toBe(3);
      expect(r.stderr).toContain(word);
      expect(r.stderr).not.toContain('init');
    }
  });

  it('repeats --against this same ledger by a link to it is refused as the same ledger', () => {
    const { run, dir } = ledger();
    symlinkSync(`${dir}/rectify.db`, `${dir}/link.db`);
    const r = run(['repeats', '--against', 'link.db']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('rectify: --against names this same ledger\n');
  });

  it('overview of a ledger named that is missing says so, not to create this one or point --db', () => {
    const { run } = ledger();
    for (const lang of ['en_US.UTF-8', 'zh_CN.UTF-8']) {
      const r = run(['overview', 'gone.db'], lang);
      expect(r.code).toBe(3);
      expect(r.stderr.split('\n')).toHaveLength(3); // the line, the hint, the end
      expect(r.stderr).not.toContain('init');
      expect(r.stderr).not.toContain('--db');
      // among others, one line for it and the rest shown
      const some = run(['overview', 'gone.db', 'rectify.db'], lang);
      expect(some.code).toBe(0);
      expect(some.stderr.trim().split('\n')).toHaveLength(1);
    }
  });
});

/** A folder even root may not write to (Linux's /sys), so that the test means the same as root. */
const UNWRITABLE = (() => {
  try {
    writeFileSync('/sys/rectify-probe', '');
    return null;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EACCES' ? '/sys' : null;
  }
})();

describe.runIf(UNWRITABLE)('-o into a folder one may not write to', () => {
  it('is bad input (exit 2) with a hint, as init says of such a folder, for report, overview and remind', () => {
    const { run } = ledger();
    for (const args of [
      ['report', '-o', `${UNWRITABLE}/r.txt`],
      ['report', '-o', `${UNWRITABLE}/r.docx`],
      ['overview', '-o', `${UNWRITABLE}/o.xlsx`],
      ['remind', '-o', UNWRITABLE!],
    ]) {
      for (const [lang, hint] of [['en_US.UTF-8', 'hint: check that the folder exists and that you may write to it'], ['zh_CN.UTF-8', '提示：']] as const) {
        const r = run(args, lang);
        expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(2);
        expect(r.stderr).toMatch(/^rectify: .*[(（]EACCES[)）]\n/);
        expect(r.stderr.split('\n')[1]).toContain(hint);
      }
    }
  });
});

describe('log --since and the notices sent', () => {
  it('takes a notice by the day it was sent (its time, as every change), not the day it was sent for', () => {
    const { run, ok, dir } = ledger();
    // A notice sent on 2026-03-12 for the day 2026-03-10 (remind --send --as-of, or
    // RECTIFY_TODAY): restored from a dump, as init restores one.
    const dump = ok(['export', '--format', 'jsonl']).stdout
      + '{"kind":"notice","at":"2026-03-12T09:00:00.000+08:00","day":"2026-03-10","by":"秘书","recipient":"办公室","channel":"email","items":["M1.1"]}\n';
    writeFileSync(`${dir}/dump.jsonl`, dump);
    ok(['init', 'dump.jsonl', '--db', 'restored.db']);
    const reminds = (since: string) => (JSON.parse(run(['log', '--json', '--since', since, '--db', 'restored.db']).stdout) as { action: string; at: string }[])
      .filter((h) => h.action === 'remind').map((h) => h.at);
    expect(reminds('2026-03-12')).toEqual(['2026-03-12T09:00:00.000+08:00']);
    expect(reminds('2026-03-13')).toEqual([]);
    expect(reminds('2026-03-10')).toEqual(['2026-03-12T09:00:00.000+08:00']);
  });
});

describe('overview -o FILE.xlsx, printed', () => {
  it('is A4 landscape, one page wide, the header row on every page and page numbers, as the 台账', async () => {
    const { ok, dir } = ledger();
    ok(['init', '--db', 'other.db']);
    ok(['overview', 'rectify.db', 'other.db', '-o', 'o.xlsx']);
    const ExcelJS = (await import('exceljs')).default;
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(`${dir}/o.xlsx`);
    const ws = wb.worksheets[0]!;
    expect(ws.pageSetup).toMatchObject({ paperSize: 9, orientation: 'landscape', fitToPage: true, fitToWidth: 1, fitToHeight: 0, printTitlesRow: '2:2' });
    expect(ws.headerFooter.oddFooter).toMatch(/&P/);
  });
});

describe('--format as people type it', () => {
  it('takes a format in any case, as remind --format and list --light do, and shows a bad one without control characters', () => {
    const { run, ok } = ledger();
    expect(run(['export', '--format', 'JSON']).stdout).toBe(ok(['export', '--format', 'json']).stdout);
    expect(run(['export', '--format', 'Jsonl']).code).toBe(0);
    expect(run(['report', '--format', 'MD']).stdout).toBe(ok(['report', '--format', 'md']).stdout);
    for (const cmd of ['export', 'report']) {
      const bad = run([cmd, '--format', 'x\u001b[31my']);
      expect(bad.code).toBe(2);
      expect(bad.stderr).not.toContain('\u001b');
    }
  });
});

describe('contact set, mistyped', () => {
  it('says in words that the name is missing, and refuses to set and clear one field at once, changing nothing', () => {
    const { run, ok } = ledger();
    ok(['contact', 'set', '办公室', '--email', 'bgs@example.gov.cn']);
    const blank = run(['contact', 'set', ' ', '--email', 'a@example.cn']);
    expect(blank.code).toBe(2);
    expect(blank.stderr).toMatch(/^rectify: no name given/);
    for (const [lang, word] of [['en_US.UTF-8', 'both'], ['zh_CN.UTF-8', '同时']] as const) {
      const both = run(['contact', 'set', '办公室', '--email', 'new@example.cn', '--clear', 'email'], lang);
      expect(both.code).toBe(2);
      expect(both.stderr).toContain(word);
    }
    expect(run(['contacts']).stdout).toContain('bgs@example.gov.cn');
    // A mistyped action is told the nearest one, as an unknown command is.
    const typo = run(['contact', 'sett', '办公室', '--email', 'x@example.cn']);
    expect(typo.code).toBe(2);
    expect(typo.stderr).toBe("rectify: contact takes set or rm, not 'sett'\nhint: did you mean set?\n");
    expect(run(['contact', 'rn', '办公室'], 'zh_CN.UTF-8').stderr).toMatch(/\n提示：.*rm/);
  });
});

describe('overview of a ledger named twice', () => {
  it('counts it once, however it is spelled, so the total is not inflated', () => {
    const { run, ok } = ledger();
    ok(['init', '--db', 'other.db']);
    const o = JSON.parse(ok(['overview', 'rectify.db', 'rectify.db', './rectify.db', 'other.db', '--json']).stdout) as { ledgers: unknown[]; total: { items: number } };
    expect(o.ledgers).toHaveLength(2);
    expect(o.total.items).toBe(24);
    expect(run(['overview', 'rectify.db', `${process.platform === 'win32' ? '' : './'}sub/../rectify.db`]).stdout).toMatch(/: 1 ledger,/);
  });
});

describe.runIf(HAS_PG)('overview of a database and one of its ledgers named again', () => {
  it('counts that ledger once', async () => {
    const url = await freshLedgerUrl();
    const dir = newTemp();
    expect(rectify(['init', '--db', url], { cwd: dir }).code).toBe(0);
    const db = new URL(url);
    db.searchParams.delete('schema');
    const r = rectify(['overview', db.toString(), url, '--json'], { cwd: dir, env });
    expect(r.code, r.stderr).toBe(0);
    const addresses = (JSON.parse(r.stdout) as { ledgers: { address: string }[] }).ledgers.map((l) => l.address);
    expect(new Set(addresses).size).toBe(addresses.length);
  });
});

describe.runIf(HAS_PG)('repeats --against this same server ledger spelled otherwise', () => {
  it('is refused as the same ledger, as overview counts it once', async () => {
    const url = await freshLedgerUrl();
    const dir = newTemp();
    expect(rectify(['init', '--db', url], { cwd: dir }).code).toBe(0);
    // postgresql:// for postgres://, and the host, port, database and schema as they were.
    const other = url.replace(/^postgres:/, 'postgresql:');
    expect(other).not.toBe(url);
    const r = rectify(['repeats', '--against', other, '--db', url], { cwd: dir, env });
    expect({ code: r.code, stderr: r.stderr, stdout: r.stdout }).toEqual({ code: 2, stderr: 'rectify: --against names this same ledger\n', stdout: '' });
  });
});

describe('the words for items with no department', () => {
  it('are the same in score as in status --full, in both languages', () => {
    const { run } = ledger();
    for (const [lang, word] of [['en_US.UTF-8', '(unassigned)'], ['zh_CN.UTF-8', '（未分配）']] as const) {
      expect(run(['status', '--full'], lang).stdout).toContain(`  ${word} `);
      expect(run(['score'], lang).stdout).toMatch(new RegExp(`^${word.replace(/[()]/g, '\\$&')} `, 'm'));
    }
  });
});

describe('remind and the red or yellow items nobody answers for', () => {
  it('says on standard error which ones no notice names, with how to give them an owner; the notices are unchanged', () => {
    const { run, ok } = ledger();
    const before = ok(['remind']).stdout;
    ok(['assign', 'M4.1,M4.2', '--due', '2026-03-02']); // red, no owner, no department
    for (const [lang, line] of [
      ['en_US.UTF-8', /^rectify: note: 2 red or yellow items have no owner or department, so no notice names them: M4\.1, M4\.2\nhint: rectify assign M4\.1,M4\.2 OWNER --department DEPARTMENT\n$/],
      ['zh_CN.UTF-8', /^rectify: 注意：有 2 项红灯、黄灯事项没有责任人和责任部门，督办通知不会提到：M4\.1、M4\.2\n提示：/],
    ] as const) {
      const r = run(['remind'], lang);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stderr).toMatch(line);
    }
    expect(run(['remind']).stdout).toBe(before);
    // Named recipients: only their notices are asked for, so no note.
    expect(run(['remind', '--to', '办公室']).stderr).toBe('');
  });

  it('names ten of many and counts the rest, on one line, and so does its hint', () => {
    const { run, ok } = ledger();
    const ids = ['M1.2', 'M2.2', 'M2.3', 'M3.1', 'M3.2', 'M4.1', 'M4.2', 'M5.1', 'M5.2', 'M5.3'];
    const all = run(['list', '--all']).stdout;
    for (const id of ids) expect(all).toMatch(new RegExp(`^${id.replace('.', '\\.')} `, 'm'));
    ok(['assign', ids.join(','), '--due', '2026-03-02']);
    ok(['add', '--measure', 'M5', '--due', '2026-03-02', '补充事项一']);
    ok(['add', '--measure', 'M5', '--due', '2026-03-02', '补充事项二']);
    for (const [lang, line, hint] of [
      ['en_US.UTF-8', `rectify: note: 12 red or yellow items have no owner or department, so no notice names them: ${ids.join(', ')} … and 2 more`,
        `hint: rectify assign ${ids.join(',')} OWNER --department DEPARTMENT`],
      ['zh_CN.UTF-8', `rectify: 注意：有 12 项红灯、黄灯事项没有责任人和责任部门，督办通知不会提到：${ids.join('、')} 等（另有 2 项）`,
        `提示：rectify assign ${ids.join(',')} 责任人 --department 责任部门`],
    ] as const) {
      const r = run(['remind'], lang);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stderr.split('\n').slice(-3)).toEqual([line, hint, '']);
    }
  });
});

describe('contact set for a name no item uses', () => {
  it('is kept, with a note that no reminder will go to it until an item names it', () => {
    const { run } = ledger();
    for (const [lang, note, name] of [
      ['en_US.UTF-8', /^rectify: note: no item names 办工室 as its owner or department yet/, '办工室'],
      ['zh_CN.UTF-8', /^rectify: 注意：还没有事项以 宣传处 为责任人或责任部门/, '宣传处'],
    ] as const) {
      const r = run(['contact', 'set', name, '--email', 'x@example.cn'], lang);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stderr).toMatch(note);
    }
    expect(run(['contacts']).stdout).toContain('办工室');
    // A name the items use: no note.
    expect(run(['contact', 'set', '办公室', '--email', 'bgs@example.cn']).stderr).toBe('');
  });
});
