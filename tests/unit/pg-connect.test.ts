// Connecting to a server (store/postgres/connect.ts): a server, or a proxy before it, that
// accepts the connection and closes it without a word is given up on within the connect
// timeout (postgres.md: exit 3 within 10 seconds by default), not tried again for ever.
import { createServer, type AddressInfo, type Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import { connect, unreachable } from '../../src/store/postgres/connect.js';
import { serverAddress } from '../../src/store/postgres/index.js';

describe('connecting', () => {
  it('gives up on a server that accepts and closes without a word, as unreachable (exit 3)', async () => {
    let accepted = 0;
    const sockets: Socket[] = [];
    const server = createServer((s) => {
      accepted++;
      sockets.push(s);
      s.once('data', () => s.end());
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const addr = serverAddress(`postgres://u:pw@127.0.0.1:${(server.address() as AddressInfo).port}/x`, {});
      const sql = await connect(addr, 500);
      const t0 = Date.now();
      const e = await sql.unsafe('SELECT 1').then(() => null, (x: unknown) => x);
      expect(Date.now() - t0).toBeLessThan(3000);
      expect(accepted).toBeGreaterThan(0);
      const err = unreachable(e, addr);
      expect(err?.exit).toBe(3);
      expect(err?.message).toMatch(/^cannot reach the ledger at postgres:\/\/u:\*\*\*@127\.0\.0\.1:\d+\/x \(host 127\.0\.0\.1, port \d+, database x, user u\): /);
    } finally {
      for (const s of sockets) s.destroy();
      server.close();
    }
  }, 10_000);
});
