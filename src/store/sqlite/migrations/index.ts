// Every schema version, in order. A new version is one new file, appended here; a
// released migration is never edited (ledgers in the field have already run it).
import { initial } from './001-initial.js';
import { undoAsData } from './002-undo-as-data.js';
import { dbUser } from './003-db-user.js';
import { supervise } from './004-supervise.js';
import { historyTriggers } from './005-history-triggers.js';
import { ledgerId } from './006-ledger-id.js';
import type { Migration } from './types.js';

export type { Migration };

export const MIGRATIONS: readonly Migration[] = [initial, undoAsData, dbUser, supervise, historyTriggers, ledgerId];

/** The schema version this code writes; a ledger with a higher user_version is refused. */
export const LATEST_VERSION = MIGRATIONS.length;

/** A file this process may not write is read as it is from this version on: what later
 *  versions add (the ledger's id, 6) no view needs. Below it, the file must be upgraded first. */
export const READ_AS_IS_FROM = 5;
