// Every schema version of a ledger on a server, in order: one file each, appended here and
// never edited once released. Each is recorded in the ledger's `migrations` table.
import { initial } from './001-initial.js';
import { guard } from './002-guard.js';
import { supervise } from './003-supervise.js';
import { noticesFromFiles } from './004-notices-from-files.js';
import { overviewSummary } from './005-overview-summary.js';
import { undoWhole } from './006-undo-whole.js';
import { historyBeforeGuard } from './007-history-before-guard.js';
import { seedLengths } from './008-seed-lengths.js';
import { sequencesFromRows } from './009-sequences-from-rows.js';
import { rollupsFromRows } from './010-rollups-from-rows.js';
import { extensionsRemoved } from './011-extensions-removed.js';
import { staffLabels } from './012-staff-labels.js';
import { officeOffset } from './013-office-offset.js';
import { trimmedText } from './014-trimmed-text.js';
import { undoDeferred } from './015-undo-deferred.js';
import { itemNumber } from './016-item-number.js';
import { labelsThatChange } from './017-labels-that-change.js';
import { doneIsDone } from './018-done-is-done.js';
import { measureNumbers } from './019-measure-numbers.js';
import { unchangedRows } from './020-unchanged-rows.js';
import { extensionsByDate } from './021-extensions-by-date.js';
import { pinsKept } from './022-pins-kept.js';
import { extendMovesDue } from './023-extend-moves-due.js';
import { takenBackByReopen } from './024-taken-back-by-reopen.js';
import { measureNumberBound } from './025-measure-number-bound.js';
import { recountOnce } from './026-recount-once.js';
import { noticesServerTime } from './027-notices-server-time.js';
import { txGroupsPruned } from './028-tx-groups-pruned.js';
import { pinsSaid } from './029-pins-said.js';
import { checksInlined } from './030-checks-inlined.js';
import { numbersWithRoom } from './031-numbers-with-room.js';
import { newItemsOnce } from './032-new-items-once.js';
import { noticeDay } from './033-notice-day.js';
import { ledgerId } from './034-ledger-id.js';
import { numbersThatLast } from './035-numbers-that-last.js';
import { noticesAsSent } from './036-notices-as-sent.js';
import { pendingPruned } from './037-pending-pruned.js';
import { reopenSaysWhy } from './038-reopen-says-why.js';
import { contactsReload } from './039-contacts-reload.js';
import { plansKept } from './040-plans-kept.js';
import { noticesOfItemsMoved } from './041-notices-of-items-moved.js';
import type { MigrationContext, PgMigration } from './types.js';

export type { MigrationContext, PgMigration };

export const PG_MIGRATIONS: readonly PgMigration[] = [initial, guard, supervise, noticesFromFiles, overviewSummary, undoWhole, historyBeforeGuard, seedLengths, sequencesFromRows, rollupsFromRows, extensionsRemoved, staffLabels, officeOffset, trimmedText, undoDeferred, itemNumber, labelsThatChange, doneIsDone, measureNumbers, unchangedRows, extensionsByDate, pinsKept, extendMovesDue, takenBackByReopen, measureNumberBound, recountOnce, noticesServerTime, txGroupsPruned, pinsSaid, checksInlined, numbersWithRoom, newItemsOnce, noticeDay, ledgerId, numbersThatLast, noticesAsSent, pendingPruned, reopenSaysWhy, contactsReload, plansKept, noticesOfItemsMoved];

export const PG_LATEST_VERSION = PG_MIGRATIONS.length;
