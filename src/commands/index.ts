// The one list of commands, in the order `--help` shows them. Each is loaded only when it runs
// (or when a help or the completion script needs every command's words): one lazy import per
// command, which the bundle keeps as a module initialised only when imported, so that a command
// runs its own code and what it uses, not every other command's.
import type { CommandEntry, CommandSpec } from './types.js';

export const commands: CommandEntry[] = [
  { name: 'draft', load: async () => (await import('./draft.js')).draft },
  { name: 'init', load: async () => (await import('./init.js')).init },
  { name: 'status', load: async () => (await import('./status.js')).status },
  { name: 'list', aliases: ['ls'], load: async () => (await import('./list.js')).list },
  { name: 'show', load: async () => (await import('./show.js')).show },
  { name: 'add', load: async () => (await import('./add.js')).add },
  { name: 'edit', load: async () => (await import('./edit.js')).edit },
  { name: 'rm', load: async () => (await import('./rm.js')).rm },
  { name: 'assign', load: async () => (await import('./assign.js')).assign },
  { name: 'progress', load: async () => (await import('./progress.js')).progress },
  { name: 'done', load: async () => (await import('./done.js')).done },
  { name: 'verify', load: async () => (await import('./verify.js')).verify },
  { name: 'reopen', load: async () => (await import('./reopen.js')).reopen },
  { name: 'log', load: async () => (await import('./log.js')).log },
  { name: 'undo', load: async () => (await import('./undo.js')).undo },
  { name: 'report', load: async () => (await import('./report.js')).report },
  { name: 'import', load: async () => (await import('./import.js')).importCommand },
  { name: 'export', load: async () => (await import('./export.js')).exportCommand },
  { name: 'copy', load: async () => (await import('./copy.js')).copy },
  { name: 'grant', load: async () => (await import('./access.js')).grant },
  { name: 'revoke', load: async () => (await import('./access.js')).revoke },
  { name: 'users', load: async () => (await import('./access.js')).users },
  { name: 'completion', load: async () => (await import('./completion.js')).completion },
  { name: 'overview', load: async () => (await import('./overview.js')).overview },
  { name: 'repeats', load: async () => (await import('./repeats.js')).repeats },
  { name: 'contact', load: async () => (await import('./contact.js')).contact },
  { name: 'contacts', load: async () => (await import('./contact.js')).contacts },
  { name: 'remind', load: async () => (await import('./remind.js')).remind },
  { name: 'score', load: async () => (await import('./score.js')).score },
];

/** Every command's full words (the list of all commands in help, the completion script). */
export function loadAll(): Promise<CommandSpec[]> {
  return Promise.all(commands.map((c) => c.load()));
}
