// Removing a shared ledger: the README's SQL block, run as it stands there (names changed to the
// test's), leaves no schema, role or overview row of that ledger, touches no other ledger of
// the database, and a ledger of that name can be made again.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { rectify, tempDirsPerTest } from '../helpers/cli.js';
import { HAS_PG, dbSql, freshLedgerUrl, loginRole, testDatabase } from '../helpers/pg.js';

const newTemp = tempDirsPerTest();
const README = readFileSync(join(import.meta.dirname, '..', '..', 'README.md'), 'utf8');

/** The SQL block that follows "**Removing a shared ledger**" in the README. */
function removalSql(): string {
  const from = README.indexOf('**Removing a shared ledger**');
  expect(from).toBeGreaterThan(0);
  const block = /```sql\n([\s\S]*?)```/.exec(README.slice(from));
  return block![1]!;
}

describe.runIf(HAS_PG)('removing a shared ledger (README)', { timeout: 120_000 }, () => {
  it('leaves nothing of the ledger, nothing of another touched, and its name free for init', async () => {
    const dir = newTemp();
    const db = await testDatabase();
    const base = (await freshLedgerUrl()).replace(/\?.*$/, ''); // this file's database, no schema
    const url = (schema: string) => {
      const u = new URL(base);
      u.searchParams.set('schema', schema);
      return u.toString();
    };
    const run = (args: string[], address: string) => rectify(args, { cwd: dir, env: { RECTIFY_DB: address, RECTIFY_USER: '办公室' } });
    for (const schema of ['y2024', 'y2025']) expect(run(['init'], url(schema)).code).toBe(0);
    const li = await loginRole('remove_li');
    expect(run(['grant', li, 'staff'], url('y2024')).code).toBe(0);
    expect(run(['grant', li, 'staff'], url('y2025')).code).toBe(0);
    const other = run(['export', '--format', 'json'], url('y2025')).stdout;

    const sql = await dbSql();
    await sql.unsafe(removalSql().replaceAll('office_y2024_', `${db}_y2024_`));

    const left = await sql.unsafe(`SELECT
        (SELECT count(*) FROM pg_namespace WHERE nspname = 'y2024')::int AS schemas,
        (SELECT count(*) FROM pg_roles WHERE rolname LIKE $1)::int AS roles,
        (SELECT count(*) FROM rectify_overview.ledgers WHERE ledger = 'y2024')::int AS ledgers,
        (SELECT count(*) FROM rectify_overview.due WHERE ledger = 'y2024')::int AS due,
        (SELECT count(*) FROM pg_roles WHERE rolname LIKE $2)::int AS others`, [`${db}\\_y2024\\_%`, `${db}\\_y2025\\_%`]);
    expect(left[0]).toEqual({ schemas: 0, roles: 0, ledgers: 0, due: 0, others: 4 });
    expect(run(['export', '--format', 'json'], url('y2025')).stdout).toBe(other);
    const gone = run(['status'], url('y2024'));
    expect(gone.code).toBe(3);

    // The name is free again, and the database's overview shows both ledgers once more.
    expect(run(['init'], url('y2024')).code).toBe(0);
    const o = rectify(['overview', base, '--json'], { cwd: dir });
    expect(o.code, o.stderr).toBe(0);
    expect((JSON.parse(o.stdout) as { ledgers: unknown[] }).ledgers).toHaveLength(2);
  });
});
