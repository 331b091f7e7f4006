// A measure's last number only grows, and follows the items inserted (issue 17, red team 3).
// last_num is the highest number a measure's items have had (`<measure>.<n>`), so that `add`
// never hands one out again, even one whose item was removed. An admin's plain SQL lowered it:
// `add` then gave a new item the number of a removed one; and an item inserted past it was
// counted afresh by a reloaded export (core's restore), another lastNumber. Kept as rectify
// keeps it: never lowered, and raised by every insert (one statement-level update; a bulk load
// sets triggers aside and counts it itself).
import type { MigrationContext, PgMigration } from './types.js';

export const measureNumbers: PgMigration = {
  version: 19,
  name: 'measure-numbers',
  sql(c: MigrationContext): string {
    const invoker = `LANGUAGE plpgsql SET search_path = pg_catalog, ${c.schema}, pg_temp`;
    return `
CREATE FUNCTION last_num_kept() RETURNS trigger ${invoker} AS $$
BEGIN
  NEW.last_num := greatest(NEW.last_num, OLD.last_num);
  RETURN NEW;
END $$;
CREATE FUNCTION last_num_raised() RETURNS trigger ${invoker} AS $$
BEGIN
  UPDATE measures m SET last_num = x.n
    FROM (SELECT lower(substring(id FROM '^(.+)[.][0-9]{1,9}$')) AS prefix, max(num) AS n FROM inserted GROUP BY 1) x
   WHERE lower(m.id) = x.prefix AND m.last_num < x.n;
  RETURN NULL;
END $$;
REVOKE ALL ON FUNCTION last_num_kept(), last_num_raised() FROM PUBLIC;
CREATE TRIGGER measures_last_num BEFORE UPDATE OF last_num ON measures FOR EACH ROW EXECUTE FUNCTION last_num_kept();
CREATE TRIGGER items_last_num AFTER INSERT ON items REFERENCING NEW TABLE AS inserted
  FOR EACH STATEMENT EXECUTE FUNCTION last_num_raised();
`;
  },
};
