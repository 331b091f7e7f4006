// One ledger is one ledger, whatever it is called (issue 17): overview counts it once and
// repeats refuses to compare it with itself, when it is named by two paths of one file (a hard
// link as well as a symbolic one), by two names of one server (localhost and 127.0.0.1), or
// when it is a copy of the other (`rectify copy`, a copied file): a copy keeps the ledger's id.
// The upgrade's id for a ledger made before: postgres-guard.test.ts (the v2 fixture).
import { copyFileSync, linkSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { rectify, tempDirsPerTest } from '../helpers/cli.js';
import { HAS_PG, dbSql, freshLedgerUrl } from '../helpers/pg.js';

const newTemp = tempDirsPerTest();
const env = { RECTIFY_TODAY: '2026-03-10', NO_COLOR: '1', LANG: 'en_US.UTF-8' };

function folder() {
  const dir = newTemp();
  const run = (args: string[], extra: Record<string, string> = {}) => rectify(args, { cwd: dir, env: { ...env, ...extra } });
  const ok = (args: string[]) => {
    const r = run(args);
    expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(0);
    return r;
  };
  return { dir, run, ok };
}

interface Json { ledgers: { address: string; items: number }[]; total: { ledgers: number; items: number } }
const json = (stdout: string) => JSON.parse(stdout) as Json;

describe('ledger files', () => {
  it('counts a file named by a hard link once', () => {
    const { dir, ok } = folder();
    ok(['init', '--db', 'a.db']);
    linkSync(join(dir, 'a.db'), join(dir, 'b.db'));
    const r = ok(['overview', 'a.db', 'b.db', '--json']);
    expect(json(r.stdout).ledgers.map((l) => l.address)).toEqual(['a.db']);
    expect(r.stderr).toBe('');
  });

  it('counts a copy once, as the first named, and says so; repeats refuses it', () => {
    const { dir, ok, run } = folder();
    ok(['init', '--db', 'a.db']);
    ok(['init', '--db', 'other.db']);
    ok(['copy', 'a.db', 'copied.db']);
    copyFileSync(join(dir, 'a.db'), join(dir, 'backup.db'));
    // The copy moves apart: its figures are not the first's any more.
    ok(['done', 'M1.1', '--db', 'copied.db']);
    const r = ok(['overview', 'a.db', 'copied.db', 'other.db', 'backup.db', '--json']);
    const o = json(r.stdout);
    expect(o.ledgers.map((l) => l.address).sort()).toEqual(['a.db', 'other.db']);
    expect(o.total.items).toBe(2 * o.ledgers[0]!.items);
    expect(r.stderr).toBe([
      'rectify: copied.db holds a copy of the ledger at a.db (the same ledger): counted once, as a.db',
      'rectify: backup.db holds a copy of the ledger at a.db (the same ledger): counted once, as a.db', ''].join('\n'));
    const zh = run(['overview', 'a.db', 'copied.db'], { LANG: 'zh_CN.UTF-8' });
    expect(zh.stderr).toBe('rectify: copied.db 是 a.db 台账的副本（同一本台账）：只计一次，按 a.db 计\n');
    const rep = run(['repeats', '--against', 'copied.db', '--db', 'a.db']);
    expect([rep.code, rep.stdout]).toEqual([2, '']);
    expect(rep.stderr).toMatch(/^rectify: --against names a copy of this ledger \(the same ledger, copied\)\nhint: /);
    // Two ledgers made by their own init are two, from the same seed.
    expect(ok(['repeats', '--against', 'other.db', '--db', 'a.db', '--json']).stdout).not.toBe('');
  });
});

describe.runIf(HAS_PG)('ledgers on a server', () => {
  const other = (url: string, host: string) => {
    const u = new URL(url);
    u.hostname = host;
    return u.toString();
  };

  it('counts a ledger named by localhost and by 127.0.0.1 once, and repeats refuses it', async () => {
    const { ok, run } = folder();
    const url = await freshLedgerUrl();
    ok(['init', '--db', url]);
    const local = other(url, 'localhost');
    expect(local).not.toBe(url);
    const o = json(ok(['overview', url, local, '--json']).stdout);
    expect(o.total.ledgers).toBe(1);
    const db = new URL(local);
    db.searchParams.delete('schema');
    // The database under one name, the ledger under the other.
    const both = json(ok(['overview', db.toString(), url, '--json']).stdout);
    expect(new Set(both.ledgers.map((l) => new URL(l.address.replace(/^postgres/, 'http')).searchParams.get('schema'))).size).toBe(both.ledgers.length);
    const rep = run(['repeats', '--against', local, '--db', url]);
    expect([rep.code, rep.stderr, rep.stdout]).toEqual([2, 'rectify: --against names this same ledger\n', '']);
  });

  it('counts a copy in another schema once in the overview of the database, and a copy to a file and back', async () => {
    const { ok } = folder();
    const url = await freshLedgerUrl();
    const copy = await freshLedgerUrl();
    ok(['init', '--db', url]);
    ok(['copy', url, copy]);
    ok(['copy', copy, 'back.db']);
    const db = new URL(url);
    db.searchParams.delete('schema');
    const r = ok(['overview', db.toString(), 'back.db', '--json']);
    const o = json(r.stdout);
    const mine = o.ledgers.filter((l) => [url, copy].some((u) => l.address.endsWith(`schema=${new URL(u).searchParams.get('schema')}`)));
    expect(mine).toHaveLength(1);
    expect(o.ledgers.map((l) => l.address)).not.toContain('back.db');
    expect(r.stderr).toContain(`back.db holds a copy of the ledger at ${mine[0]!.address}`);
  });

  it('tells a ledger made before its id by where it is', async () => {
    const { ok } = folder();
    const url = await freshLedgerUrl();
    ok(['init', '--db', url]);
    const schema = new URL(url).searchParams.get('schema')!;
    const sql = await dbSql();
    // As a ledger of version 33 was, read by someone who may not upgrade it: no id.
    await sql.unsafe(`DROP TABLE "${schema}".ledger`);
    const db = new URL(other(url, 'localhost'));
    db.searchParams.delete('schema');
    const o = json(ok(['overview', db.toString(), url, '--json']).stdout);
    expect(o.ledgers.filter((l) => l.address.endsWith(`schema=${schema}`))).toHaveLength(1);
  });
});
