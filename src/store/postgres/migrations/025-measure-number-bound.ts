// A measure's last number stays within what an item's id carries (issue 17, red team 4). An
// admin's plain SQL set a measure's last_num to 2147483647, the largest integer (or inserted a
// measure with it); `add` then failed on that measure for good ("integer out of range", exit 1),
// since nobody may lower the number (019). The largest number an id carries is 999,999,999
// (nine digits: store/rows.ts idNumber, 016's items_number): last_num is held to it, on insert
// and update, and so `add` past it goes on with ids whose number no longer counts (M2.1000000000,
// then the next free one). A number above it from before is brought down to it.
import type { MigrationContext, PgMigration } from './types.js';

const MAX = 999_999_999;

export const measureNumberBound: PgMigration = {
  version: 25,
  name: 'measure-number-bound',
  sql(c: MigrationContext): string {
    return `
CREATE OR REPLACE FUNCTION last_num_kept() RETURNS trigger LANGUAGE plpgsql SET search_path = pg_catalog, ${c.schema}, pg_temp AS $$
BEGIN
  IF TG_OP = 'UPDATE' THEN NEW.last_num := greatest(NEW.last_num, OLD.last_num); END IF;
  NEW.last_num := least(NEW.last_num, ${MAX});
  RETURN NEW;
END $$;
CREATE TRIGGER measures_last_num_new BEFORE INSERT ON measures FOR EACH ROW EXECUTE FUNCTION last_num_kept();
UPDATE measures SET last_num = ${MAX} WHERE last_num > ${MAX};
`;
  },
};
