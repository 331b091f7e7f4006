// The one list of commands, in the order `--help` shows them.
import { grant, revoke, users } from './access.js';
import { add } from './add.js';
import { assign } from './assign.js';
import { copy } from './copy.js';
import { completion } from './completion.js';
import { done } from './done.js';
import { draft } from './draft.js';
import { edit } from './edit.js';
import { exportCommand } from './export.js';
import { importCommand } from './import.js';
import { init } from './init.js';
import { list } from './list.js';
import { log } from './log.js';
import { progress } from './progress.js';
import { reopen } from './reopen.js';
import { rm } from './rm.js';
import { report } from './report.js';
import { repeats } from './repeats.js';
import { show } from './show.js';
import { status } from './status.js';
import { undo } from './undo.js';
import { verify } from './verify.js';
import type { CommandSpec } from './types.js';

export const commands: CommandSpec[] = [
  draft, init, status, list, show, add, edit, rm, assign, progress, done, verify, reopen, log, undo, report, importCommand, exportCommand,
  copy, grant, revoke, users, completion, repeats,
];
