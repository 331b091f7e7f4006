// How often a command waits for the server (README "Speed and memory", start-up on a server):
// through a proxy that counts the client's turns to speak (each after the server answered),
// `status` opens, reads its figures and the week's changes, and closes in 4 turns (the
// connection, the session and the ledger's version, every figure at once, the goodbye);
// `progress` in 9 (the connection, the session, the transaction with the ledger's lock, the
// item, its state, the change's time, the change with what the history records of it, the
// commit, the goodbye). Before, each statement with parameters cost two turns (20 and 19).
// The driver may write one batch in two pieces; should the server's answer to the first reach
// the client before the second leaves (a slow machine), `status` counts one more.
import { spawn } from 'node:child_process';
import { createServer, connect, type AddressInfo, type Server } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, BUNDLED_SEED, baseEnv, rectify, tempDir } from '../helpers/cli.js';
import { HAS_PG, freshLedgerUrl } from '../helpers/pg.js';

/** A TCP proxy to `target` counting, per connection, the times the client speaks after the
 *  server did (or first): the times it waited for an answer. */
function countingProxy(target: URL): Promise<{ server: Server; port: number; turns: number[]; said: string[] }> {
  const turns: number[] = [];
  // What the client said, per connection (its statements' text among the protocol's bytes).
  const said: string[] = [];
  const server = createServer((client) => {
    const k = turns.push(0) - 1;
    said.push('');
    let last: 'client' | 'server' | null = null;
    const upstream = connect(Number(target.port || 5432), target.hostname);
    client.on('data', (d) => {
      if (last !== 'client') turns[k]!++;
      last = 'client';
      said[k] += d.toString('latin1');
      upstream.write(d);
    });
    // The server's answers handed on a little late: what the client sends meanwhile without
    // waiting for them (the rest of a batch it wrote in two pieces) is then one turn.
    const held: Buffer[] = [];
    let timer: NodeJS.Timeout | null = null;
    upstream.on('data', (d: Buffer) => {
      held.push(d);
      if (timer !== null) return;
      timer = setTimeout(() => {
        timer = null;
        last = 'server';
        for (const x of held.splice(0)) client.write(x);
      }, 50);
    });
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
    client.on('error', () => upstream.destroy());
    upstream.on('error', () => client.destroy());
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ server, port: (server.address() as AddressInfo).port, turns, said })));
}

/** The CLI as its own process (the proxy lives in this one, which must stay free to relay). */
function run(args: string[], env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const p = spawn(process.execPath, [BIN, ...args], { env: baseEnv(env) });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (d) => (stdout += d));
    p.stderr.on('data', (d) => (stderr += d));
    p.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe.runIf(HAS_PG)('round trips to the server', () => {
  const t = tempDir('rectify-pg-turns-');
  let direct = '';
  let proxied = '';
  let proxy: Awaited<ReturnType<typeof countingProxy>>;

  beforeAll(async () => {
    direct = await freshLedgerUrl();
    expect(rectify(['init', BUNDLED_SEED, '--db', direct], { cwd: t.dir }).code).toBe(0);
    proxy = await countingProxy(new URL(direct));
    const u = new URL(direct);
    u.hostname = '127.0.0.1';
    u.port = String(proxy.port);
    proxied = u.toString();
  }, 120_000);
  afterAll(async () => {
    await new Promise((r) => proxy?.server.close(r));
    t.cleanup();
  });

  const turnsOf = async (args: string[]) => {
    const before = proxy.turns.length;
    const r = await run([...args, '--db', proxied], { RECTIFY_TODAY: '2026-12-06' });
    expect(r.code, r.stderr).toBe(0);
    expect(proxy.turns.length).toBe(before + 1);
    return { out: r.stdout, turns: proxy.turns[before]!, said: proxy.said[before]! };
  };

  it('status: four turns, and the same screen as without the proxy', async () => {
    const { out, turns } = await turnsOf(['status']);
    expect(turns).toBeGreaterThanOrEqual(4);
    expect(turns).toBeLessThanOrEqual(5);
    expect(out).toBe((await run(['status', '--db', direct], { RECTIFY_TODAY: '2026-12-06' })).stdout);
  });

  it('progress: nine turns', async () => {
    const { turns } = await turnsOf(['progress', 'M1.1', '30', '-m', "it's 30 \\ $1 -- done"]);
    expect(turns).toBe(9);
    const log = await run(['log', 'M1.1', '--db', direct], { RECTIFY_TODAY: '2026-12-06' });
    expect(log.stdout).toContain("it's 30 \\ $1 -- done");
  });

  // Before, each item cost three turns more (its row, its state, its change): 2,000 ids at
  // once took some 9 s on a server with 6,000 turns (README "Speed and memory").
  it('progress of six items: as many turns as of one, and what the history records said once', async () => {
    const listed = await run(['list', '--json', '--db', direct], { RECTIFY_TODAY: '2026-12-06' });
    const ids = (JSON.parse(listed.stdout) as { id: string; status: string }[])
      .filter((i) => i.status === 'open' || i.status === 'in_progress').slice(0, 6).map((i) => i.id);
    expect(ids).toHaveLength(6);
    const { out, turns, said } = await turnsOf(['progress', ids.join(','), '40']);
    expect(turns).toBe(9);
    // What the history records (who, which command) is the same for all six: said once.
    expect(said.split("set_config('rectify.by'").length - 1).toBe(1);
    expect(out.trim().split('\n')).toHaveLength(6);
    const after = await run(['list', '--json', '--db', direct], { RECTIFY_TODAY: '2026-12-06' });
    const progress = new Map((JSON.parse(after.stdout) as { id: string; progress: number }[]).map((i) => [i.id, i.progress]));
    expect(ids.map((id) => progress.get(id))).toEqual(ids.map(() => 40));
  });
});
