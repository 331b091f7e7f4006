// `extend` is recorded only with a due date moved (issue 17, red team 4). Migration 21 labels an
// entry by its dates where a set due date moved, but a note with no change labelled `extend` was
// still taken: an admin's plain SQL put three such notes on an item with no due date, and score
// and the database's overview counted three extensions. rectify records `extend` only with a due
// date moved later (core/items.ts planAssign), so the history refuses it otherwise, as 017
// refuses a sign-off that changed no status (history_claims).
import type { PgMigration } from './types.js';

export const extendMovesDue: PgMigration = {
  version: 23,
  name: 'extend-moves-due',
  sql(): string {
    return `
DROP TRIGGER history_claims ON history;
CREATE TRIGGER history_claims BEFORE INSERT ON history FOR EACH ROW
  WHEN ((NEW.action IN ('verify', 'reopen') AND NOT NEW.changes LIKE '%"status":%') OR (NEW.action = 'done' AND NEW.status <> 'done')
        OR (NEW.action = 'extend' AND NOT NEW.changes LIKE '%"due":%'))
  EXECUTE FUNCTION history_claims();
`;
  },
};
