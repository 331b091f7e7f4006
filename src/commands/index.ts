// The one list of commands, in the order `--help` shows them.
import { exportCommand } from './export.js';
import { importCommand } from './import.js';
import { init } from './init.js';
import type { CommandSpec } from './types.js';

export const commands: CommandSpec[] = [init, importCommand, exportCommand];
