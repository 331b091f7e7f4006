// The functions the guard runs for each item a change touches keep their plans for the session
// (migration 40): a SQL function with a SET clause of its own is never inlined, and PostgreSQL
// parses and plans its body again at every call, which made item_state() (three calls an item)
// most of the server's time in a change of many items (README "Speed and memory").
import { describe, expect, it } from 'vitest';
import { BUNDLED_SEED, rectify, tempDir } from '../helpers/cli.js';
import { HAS_PG, dbSql, freshLedgerUrl } from '../helpers/pg.js';

describe.runIf(HAS_PG)("the guard's per-item functions", () => {
  it('are PL/pgSQL, whose plans a session keeps, not SQL functions planned at each call', async () => {
    const t = tempDir('rectify-pg-plans-');
    try {
      const url = await freshLedgerUrl();
      expect(rectify(['init', BUNDLED_SEED, '--db', url], { cwd: t.dir }).code).toBe(0);
      const sql = await dbSql();
      const rows = await sql.unsafe<{ name: string; language: string }[]>(
        `SELECT p.proname AS name, l.lanname AS language FROM pg_proc p JOIN pg_language l ON l.oid = p.prolang
          WHERE p.pronamespace = to_regnamespace($1) AND p.proname IN ('item_state', 'json_compact') ORDER BY 1`,
        [new URL(url).searchParams.get('schema')!],
      );
      expect(rows).toEqual([{ name: 'item_state', language: 'plpgsql' }, { name: 'json_compact', language: 'plpgsql' }]);
    } finally {
      t.cleanup();
    }
  }, 120_000);
});
