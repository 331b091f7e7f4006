// `done` is recorded only on an item that is done after it (issue 17, red team 3). A note with
// no change labelled `done` was taken on an item still in progress, evidence and all: staff in
// plain SQL had an item at 30% show evidence and a `done` entry. rectify records `done` only
// with the item done (on a done item it adds evidence; on any other it makes it done), so the
// check of 017 (history_claims) refuses that too.
import type { PgMigration } from './types.js';

export const doneIsDone: PgMigration = {
  version: 18,
  name: 'done-is-done',
  sql(): string {
    return `
DROP TRIGGER history_claims ON history;
CREATE TRIGGER history_claims BEFORE INSERT ON history FOR EACH ROW
  WHEN ((NEW.action IN ('verify', 'reopen') AND NOT NEW.changes LIKE '%"status":%') OR (NEW.action = 'done' AND NEW.status <> 'done'))
  EXECUTE FUNCTION history_claims();
`;
  },
};
