import { enSeed } from './en-seed.js';
import { enItems } from './en-items.js';
import { enStore } from './en-store.js';
import { enViews } from './en-views.js';
import { enOffice } from './en-office.js';

export const en = {
  ...enSeed,
  ...enStore,
  ...enItems,
  ...enViews,
  ...enOffice,
  // The vocabularies, as users read them
  'status.open': 'open',
  'status.in_progress': 'in progress',
  'status.done': 'done',
  'status.verified': 'verified',
  'term.immediate': 'immediate',
  'term.deadline': 'deadline',
  'term.ongoing': 'ongoing',
  // Errors and hints of every command
  'error.line': 'rectify: {message}',
  'error.hint': 'hint: {hint}',
  'error.unexpected': 'unexpected failure: {message}',
  'error.diskFull': 'the disk is full: {message}',
  'error.badToday': 'RECTIFY_TODAY is "{value}", not a date as YYYY-MM-DD',
  'hint.debug': 'this is a bug in rectify; run again with RECTIFY_DEBUG=1 to see where it happened',
  'hint.help': "run 'rectify --help' to see the commands and options",
  'cli.unknownOption': "unknown option '{name}'",
  'cli.unknownCommand': "unknown command '{name}'",
  'cli.missingArgument': "missing argument '{name}'",
  'cli.optionMissingArgument': "option '{name}' needs a value",
  'cli.excessArguments': 'too many arguments',
  'cli.badUsage': '{message}',
  'cli.badLang': '--lang is "{value}"; use en or zh',
  'cli.badFormat': 'unknown format "{value}"; use one of: {allowed}',
  'list.sep': ', ',

  // Help: the program and its global options
  'help.usage': 'Usage:',
  'help.options': 'Options:',
  'help.commands': 'Commands:',
  'help.arguments': 'Arguments:',
  'help.globalOptions': 'Global Options:',
  'help.program': 'A ledger for rectification work (整改台账): the problems a self-inspection found, the measures that answer them, and every item tracked to sign-off.',
  'help.version': 'print the version',
  'help.help': 'show help for a command',
  'help.helpCommand': 'show help for a command',
  'help.opt.db': 'the ledger file (default: $RECTIFY_DB, else the nearest rectify.db upwards, else ./rectify.db)',
  'help.opt.by': 'who acts, as recorded in the history (default: $RECTIFY_USER, else your user name)',
  'help.opt.lang': 'language of messages: en or zh (default: from LC_ALL, LC_MESSAGES, LANG)',
  'help.opt.noColor': 'no colour, even on a terminal',
  'help.default': ' (default: {value})',
  // Placeholders in the help's usage lines and option terms (<path>, [options])
  'help.ph.command': 'command',
  'help.ph.options': 'options',
  'help.ph.date': 'date',
  'help.ph.file': 'file',
  'help.ph.format': 'format',
  'help.ph.id': 'id',
  'help.ph.ids': 'ids',
  'help.ph.key': 'key',
  'help.ph.lang': 'lang',
  'help.ph.n': 'n',
  'help.ph.name': 'name',
  'help.ph.note': 'note',
  'help.ph.owner': 'owner',
  'help.ph.path': 'path',
  'help.ph.reason': 'reason',
  'help.ph.seed': 'seed',
  'help.ph.statuses': 'statuses',
  'help.ph.term': 'term',
  'help.ph.text': 'text',
  'help.ph.percent': 'percent',
  'help.ph.title': 'title',

  // Seed files
  'seedfile.missing': 'seed file {file} not found',
  'seedfile.isDir': '{file} is a folder, not a seed file',
  'seedfile.unreadable': 'cannot read seed file {file} ({reason})',
  'seedfile.refused': 'seed {file} refused: {count} problem(s) found, nothing was written',
  'hint.seedFormat': 'fix the lines above; the seed format is described in the README',

  // init
  'init.summary': 'create the ledger from a seed (default: the bundled report)',
  'init.arg.seed': 'a seed file in YAML (default: the bundled report)',
  'init.exists': 'a ledger already exists at {db}',
  'init.exists.hint': "use 'rectify import SEED' to merge a seed into it, or --db to create another",
  'init.bundled': 'the bundled seed',
  'init.done': 'Created {db} from "{title}": {areas} areas, {problems} problems, {measures} measures, {items} items.',

  // import
  'import.summary': 'merge a seed into the ledger: add new ids, update descriptions, keep progress',
  'import.arg.seed': 'a seed file in YAML',
  'import.opt.dryRun': 'show what would change, write nothing',
  'import.opt.prune': 'remove ids the seed lacks (only those with no history beyond import)',
  'import.added': 'added',
  'import.updated': 'updated',
  'import.kept': 'kept',
  'import.left': 'left',
  'import.removed': 'removed',
  'import.fields': 'changed: {fields}',
  'import.keptFromCli': '{field} kept as "{ledger}" (set on the command line; seed says "{seed}")',
  'import.notPruned': 'not removed: it has history beyond import',
  'import.total.part': '{n} {outcome}',
  'import.total': 'Total: {parts}.',
  'import.total.dry': 'Dry run, nothing written. Total: {parts}.',
  'kind.area': 'area',
  'kind.problem': 'problem',
  'kind.cause': 'cause',
  'kind.measure': 'measure',
  'kind.item': 'item',

  // export
  'export.summary': 'print the whole ledger: as a seed (yaml) or with progress and history (json)',
  'export.opt.format': 'yaml or json',
} as const;

export type MessageKey = keyof typeof en;
