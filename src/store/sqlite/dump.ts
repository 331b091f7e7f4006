// What a ledger file's schema holds of what later versions added, for the dump and restore
// (../dump.ts, ../restore.ts): a file of any version can be read out.
import type { DumpSchema } from '../dump.js';
import type { Sql } from './sql.js';

export function schemaOf(sql: Sql): DumpSchema {
  return {
    reverts: Boolean(sql.get(`SELECT 1 AS x FROM pragma_table_info('history') WHERE name = 'reverts'`)),
    removed: Boolean(sql.get(`SELECT 1 AS x FROM sqlite_schema WHERE type = 'table' AND name = 'removed'`)),
    dbUser: Boolean(sql.get(`SELECT 1 AS x FROM pragma_table_info('history') WHERE name = 'db_user'`)),
  };
}
