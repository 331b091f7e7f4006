// Attacks through the address (docs/postgres.md, "The address"): a password must never be
// printed, wherever it was given and whatever it holds, and an option rectify does not know is
// refused (exit 2), never handed to the server as a setting.
import { beforeAll, describe, expect, it } from 'vitest';
import { HAS_PG, inProcess, makeLedger, type Ledger } from './helpers.js';

describe.runIf(HAS_PG)('attacks through the address', () => {
  let L: Ledger;

  beforeAll(async () => {
    L = await makeLedger();
  }, 120_000);

  it('never prints a password, whatever it holds and wherever it was given, in any message or --json', async () => {
    const pieces = ['Kq7Zx', 'Wv3Ly', 'Pj8Rn'];
    const pw = (sep: string) => `${pieces[0]}${sep}${pieces[1]}${sep}${pieces[2]}`;
    const host = (port: number, db: string) => `127.0.0.1:${port}/${db}`;
    const cases: { what: string; address: string; env?: Record<string, string> }[] = [];
    for (const [port, db] of [[1, 'x'], [5432, 'no_such_database_here']] as const) {
      for (const sep of ['/', '#', '?', '@', ':', '%2F', '%40']) {
        cases.push({ what: `user part, ${sep}, ${port}/${db}`, address: `postgres://postgres:${pw(sep)}@${host(port, db)}?schema=s` });
      }
      cases.push({ what: `?password=, ${port}/${db}`, address: `postgres://postgres@${host(port, db)}?schema=s&password=${pw('')}` });
      cases.push({ what: `?password= first, ${port}/${db}`, address: `postgresql://postgres@${host(port, db)}?password=${pw('%2F')}&schema=s` });
      cases.push({ what: `PGPASSWORD, ${port}/${db}`, address: `postgres://postgres@${host(port, db)}?schema=s`, env: { PGPASSWORD: pw('/') } });
    }
    cases.push({ what: 'unparseable', address: `postgres://postgres:${pw('/')}@[::1/x?schema=s` });
    cases.push({ what: 'bad schema', address: `postgres://postgres:${pw('/')}@127.0.0.1:5432/x?schema=BAD SCHEMA` });
    // status --json for every case; init and copy (from) for some. Through rectify's dispatcher in
    // this process, but through the binary where the password sits in the environment (the
    // driver reads PGPASSWORD from its process) and for one case of each other kind.
    const jobs = cases.flatMap((c, i) => [['--db', c.address, 'status', '--json'],
      ...(i % 4 === 0 || c.env ? [['--db', c.address, 'init'], ['copy', c.address, `${L.dir}/out${i}.db`]] : [])]
      .map((args, k) => ({ c, args, bin: Boolean(c.env) || (i % 4 === 0 && k === 0) })));
    const runs: { what: string; code: number; out: string }[] = [];
    for (const { c, args, bin } of jobs) {
      const r = bin ? await L.cliAsync(null, args, 'x', c.env) : await inProcess(args, { RECTIFY_USER: 'x' });
      runs.push({ what: `${c.what}: ${args.filter((a) => a !== c.address).join(' ')}${bin ? ' (bin)' : ''}`, code: r.code, out: r.stdout + r.stderr });
    }
    const leaks = runs.filter((r) => pieces.some((p) => r.out.includes(p)) || r.code === 0).map((r) => `${r.what} (exit ${r.code}): ${r.out.trim()}`);
    expect(leaks).toEqual([]);
  }, 60_000);

  it('refuses address options it does not know (exit 2), never passing them to the server as settings', async () => {
    const before = await L.dump();
    const options = ['rectify.bulk=on', 'rectify.copy=on', 'options=-c%20rectify.bulk%3Don', 'session_replication_role=replica',
      'search_path=public', 'application_name=x&rectify.bulk=on', 'foo=bar'];
    const runs = await Promise.all(options.map(async (o) => {
      const args = ['--db', `${L.address(L.users.staff)}&${o}`, 'progress', 'M1.1', '40'];
      const r = o === 'rectify.bulk=on' ? await L.cliAsync(null, args) : await inProcess(args, { RECTIFY_USER: 'x' });
      return { o, code: r.code, lines: r.stderr.trim().split('\n').length };
    }));
    expect(runs).toEqual(options.map((o) => ({ o, code: 2, lines: runs.find((r) => r.o === o)!.lines })));
    const after = await L.dump();
    expect(after.items.get('M1.1')).toEqual(before.items.get('M1.1'));
  });
});
