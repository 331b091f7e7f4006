/** What a migration of a ledger on a server knows: where it runs and the ledger's roles. */
export interface MigrationContext {
  /** The schema, quoted. */
  schema: string;
  /** The group roles, quoted. */
  viewer: string;
  staff: string;
  admin: string;
  /** The NOLOGIN role that owns everything of the ledger. */
  owner: string;
  /** The same names unquoted, as string literals need them. */
  names: { viewer: string; staff: string; admin: string; owner: string };
}

/** One schema version: `sql` runs inside the transaction that records it in `migrations`. */
export interface PgMigration {
  version: number;
  name: string;
  sql(ctx: MigrationContext): string;
}
