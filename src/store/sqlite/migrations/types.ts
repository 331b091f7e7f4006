import type { Database } from '../driver.js';

/** One schema version. `up` runs inside a transaction that also sets user_version. */
export interface Migration {
  version: number;
  name: string;
  up(db: Database): void;
}
