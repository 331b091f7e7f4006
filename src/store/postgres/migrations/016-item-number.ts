// An item's number is its id's (issue 17, red team 3). `num`, which every listing and the export
// order a measure's items by, is what rectify takes from the id (store/rows.ts idNumber: the
// digits after its last dot), but an admin's plain SQL INSERT could give any: M1.99 with 0 was
// listed first, and the export, reloaded (the number taken from the id again), listed it last.
// NOT VALID, as the CHECKs of 002: rows from before stand.
import type { PgMigration } from './types.js';

export const itemNumber: PgMigration = {
  version: 16,
  name: 'item-number',
  sql(): string {
    return `ALTER TABLE items ADD CONSTRAINT items_number
  CHECK (num IS NOT DISTINCT FROM substring(id FROM '[.]([0-9]{1,9})$')::integer) NOT VALID;`;
  },
};
