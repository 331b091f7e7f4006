// What an admin writes in plain SQL keeps to the seed's lengths and dates too (issue 17, red
// team): 002's CHECKs kept control characters and impossible dates out, but an admin's UPDATE of
// a 3,000-character title, a 500-character owner or a report date that is no date went in, and
// the export no longer reloaded (the seed allows a title 500 characters, a detail 20,000, an
// owner or department 100: core/items.ts TEXT_LIMITS; the report's date is a real date).
// NOT VALID, as 002's: checked for every row written from now on.
import type { PgMigration } from './types.js';

const TITLE = 500;
const DETAIL = 20_000;
const NAME = 100;

const within = (column: string, max: number) => `coalesce(char_length(${column}), 0) <= ${max}`;

export const seedLengths: PgMigration = {
  version: 8,
  name: 'seed-lengths',
  sql(): string {
    const titled = `${within('title', TITLE)} AND ${within('detail', DETAIL)}`;
    return `
ALTER TABLE items ADD CONSTRAINT items_seed_length
  CHECK (${titled} AND ${within('owner', NAME)} AND ${within('department', NAME)}) NOT VALID;
ALTER TABLE areas ADD CONSTRAINT areas_seed_length CHECK (${within('name', TITLE)}) NOT VALID;
ALTER TABLE problems ADD CONSTRAINT problems_seed_length CHECK (${titled}) NOT VALID;
ALTER TABLE causes ADD CONSTRAINT causes_seed_length CHECK (${titled}) NOT VALID;
ALTER TABLE measures ADD CONSTRAINT measures_seed_length CHECK (${titled}) NOT VALID;
ALTER TABLE report ADD CONSTRAINT report_seed_length
  CHECK (${within('title', TITLE)} AND ${within('unit', TITLE)} AND real_date(date)) NOT VALID;
`;
  },
};
