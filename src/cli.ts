// Builds the commander program from the command list, runs one command, and is the only
// place that turns an outcome into an exit code.
import { Argument, Command, CommanderError, Help, Option } from 'commander';
import { commands } from './commands/index.js';
import type { CommandEntry, CommandInput, CommandSpec } from './commands/types.js';
import { OutputError, heldOutput, makeOutput, resolveActor, resolveDbPath, resolveToday, type Context, type Output } from './context.js';
import { EXIT, RectifyError } from './errors.js';
import { detectLang, hasMessage, loadLang, t, type MessageKey, type Params } from './i18n/index.js';
import { colorWanted } from './ui/theme.js';
import { clean, cleanInline, width, wrap } from './ui/text.js';
import type { Store } from './store/types.js';

export interface Streams {
  stdout: NodeJS.WriteStream;
  stderr: NodeJS.WriteStream;
  /** Asked only by a command that may prompt (the check loads the terminal module). */
  stdinIsTTY: () => boolean;
  /** The folder relative names are read from: the process's own unless given (the tests run
   *  the CLI in a worker thread, which cannot change folder). */
  cwd?: string;
}

const VERSION = '0.1.0';

/** The value of a global option anywhere in argv (`--lang zh` or `--lang=zh`), before
 *  commander runs: the language must be known to build the help. */
function peekOption(argv: string[], name: string): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--') break;
    if (a === name) return argv[i + 1];
    if (a.startsWith(name + '=')) return a.slice(name.length + 1);
  }
  return undefined;
}

const TITLES: Record<string, MessageKey> = {
  'Usage:': 'help.usage',
  'Options:': 'help.options',
  'Commands:': 'help.commands',
  'Arguments:': 'help.arguments',
  'Global Options:': 'help.globalOptions',
};

/** `<path>`, `[options]`, `<ids...>` in the current language: the words inside the
 *  brackets come from the catalogue (`help.ph.*`); option names stay as they are. */
function localizePlaceholders(text: string): string {
  return text.replace(/([<[])([a-z]+)(\.\.\.)?([>\]])/g, (whole, open: string, word: string, dots: string | undefined, close: string) => {
    const key = `help.ph.${word}`;
    return hasMessage(key) ? `${open}${t(key)}${dots ?? ''}${close}` : whole;
  });
}

class LocalHelp extends Help {
  override commandUsage(cmd: Command): string {
    return localizePlaceholders(super.commandUsage(cmd));
  }
  override optionTerm(option: Option): string {
    return localizePlaceholders(super.optionTerm(option));
  }
  override argumentTerm(argument: Argument): string {
    return localizePlaceholders(`<${super.argumentTerm(argument)}>`).slice(1, -1);
  }
  // Commander pads by string length; a Chinese character takes two columns.
  override displayWidth(str: string): number {
    return width(str);
  }
  // On a narrow terminal (too little room beside the terms), each description goes under
  // its term, wrapped to the terminal's width, rather than running past its edge.
  override formatItem(term: string, termWidth: number, description: string, helper: Help): string {
    const room = (this.helpWidth ?? 80) - termWidth - 4;
    if (!description || room >= this.minWidthToWrap) return super.formatItem(term, termWidth, description, helper);
    const under = wrap(description, Math.max(20, (this.helpWidth ?? 80) - 6), '      ').join('\n');
    return `  ${term}\n${under}`;
  }
  // Commander wraps only at spaces; Chinese prose has none, so wrap by display width.
  override boxWrap(str: string, columns: number): string {
    return columns < this.minWidthToWrap ? str : wrap(str, columns).join('\n');
  }
  override subcommandTerm(cmd: Command): string {
    return localizePlaceholders(super.subcommandTerm(cmd));
  }
  override optionDescription(option: Option): string {
    return super.optionDescription(option).replace(/ \(default: (.*)\)$/, (_, value: string) => t('help.default', { value }));
  }
  override styleTitle(str: string): string {
    const key = TITLES[str];
    return key ? t(key) : str;
  }
  // Commander puts a space after the title; a full-width colon already has its own.
  // Examples after the options, for the commands people start with (issue 20).
  override formatHelp(cmd: Command, helper: Help): string {
    const text = super.formatHelp(cmd, helper).replace(/^(\S*：) /, '$1');
    const examples = EXAMPLES[cmd.name()];
    return examples ? `${text}\n${t('help.examples')}\n${t(examples)}\n` : text;
  }
}

const EXAMPLES: Record<string, MessageKey> = {
  rectify: 'help.examples.rectify', init: 'help.examples.init', status: 'help.examples.status', list: 'help.examples.list',
  assign: 'help.examples.assign', progress: 'help.examples.progress', done: 'help.examples.done', verify: 'help.examples.verify',
  report: 'help.examples.report', remind: 'help.examples.remind', score: 'help.examples.score', overview: 'help.examples.overview',
  repeats: 'help.examples.repeats',
};

/** A command whose spec is not loaded (another command runs): its names only, enough for
 *  commander to tell it from an unknown one and to suggest it for a misspelt one. */
function registerUnloaded(program: Command, entry: CommandEntry, onUnloaded: (entry: CommandEntry) => void): void {
  const sub = program.command(entry.name).allowUnknownOption().allowExcessArguments().helpOption(false);
  for (const alias of entry.aliases ?? []) sub.alias(alias);
  sub.exitOverride().configureOutput({ writeErr: () => {}, outputError: () => {} });
  sub.action(() => onUnloaded(entry));
}

/** The program with every command: those in `loaded` with their words, the others by name
 *  only (`onUnloaded` is called if commander picks one of those after all). */
function buildProgram(
  loaded: ReadonlyMap<string, CommandSpec>,
  onRun: (spec: CommandSpec, input: CommandInput) => void,
  onUnloaded: (entry: CommandEntry) => void = () => {},
): Command {
  const program = new Command('rectify');
  program
    .description(t('help.program'))
    .version(VERSION, '-V, --version', t('help.version'))
    .helpOption('-h, --help', t('help.help'))
    .helpCommand('help [command]', t('help.helpCommand'))
    .option('--db <path>', t('help.opt.db'))
    .option('--by <name>', t('help.opt.by'))
    .option('--lang <lang>', t('help.opt.lang'))
    .option('--no-color', t('help.opt.noColor'))
    .showSuggestionAfterError(true)
    .exitOverride()
    .configureOutput({ writeErr: () => {}, outputError: () => {} });
  program.createHelp = () => Object.assign(new LocalHelp(), program.configureHelp());
  program.configureHelp({ showGlobalOptions: true });

  for (const entry of commands) {
    const spec = loaded.get(entry.name);
    if (!spec) {
      registerUnloaded(program, entry, onUnloaded);
      continue;
    }
    const sub = program.command(spec.name).description(t(spec.summary)).helpOption('-h, --help', t('help.help'));
    sub.createHelp = () => Object.assign(new LocalHelp(), sub.configureHelp());
    for (const alias of entry.aliases ?? []) sub.alias(alias);
    for (const arg of spec.args ?? []) sub.argument(arg.name, t(arg.description));
    for (const opt of spec.options ?? []) {
      const o = new Option(opt.flags, t(opt.description));
      if (opt.repeatable) o.argParser((v: string, prev: string[] | undefined) => [...(prev ?? []), v]);
      if (opt.defaultValue !== undefined) o.default(opt.defaultValue);
      sub.addOption(o);
    }
    sub.exitOverride().configureOutput({ writeErr: () => {}, outputError: () => {} });
    sub.action((...params: unknown[]) => {
      const cmd = params[params.length - 1] as Command;
      const args = params.slice(0, (spec.args ?? []).length) as CommandInput['args'];
      onRun(spec, { args, opts: cmd.optsWithGlobals() });
    });
  }
  return program;
}

/** The first quoted word of a commander message: the option, argument or command it names. */
function quoted(message: string): string {
  return /'([^']*)'/.exec(message)?.[1] ?? '';
}

/** The operands of argv before `--`, global options and their values skipped: the first is
 *  the command's name (or `help`, then the second). */
function operands(argv: string[]): string[] {
  const found: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--') break;
    if (a === '--db' || a === '--by' || a === '--lang') i++;
    else if (!a.startsWith('-')) found.push(a);
  }
  return found;
}

/** The operand after `help` (`rectify help nosuch`), global options and their values skipped. */
function helpTopic(argv: string[]): string | undefined {
  const found = operands(argv);
  return found[0] === 'help' ? found[1] : undefined;
}

/** The commands a word names, by name or alias (none or one). */
function named(word: string | undefined): CommandEntry[] {
  return commands.filter((c) => c.name === word || (c.aliases ?? []).includes(word ?? ''));
}

/** The commands whose specs this argv needs: the one it names (`rectify status`, `rectify help
 *  status`), none for `--version` or an unknown name, every one where the list of all commands
 *  may be shown (`rectify`, `rectify help`, `rectify --help`). */
function commandsNeeded(argv: string[]): CommandEntry[] {
  const [first, second] = operands(argv);
  if (first === undefined) {
    const helpFlag = argv.some((a) => a === '-h' || a === '--help');
    return !helpFlag && argv.some((a) => a === '-V' || a === '--version') ? [] : commands;
  }
  if (first === 'help') return second === undefined ? commands : named(second);
  return named(first);
}

function fromCommander(err: CommanderError, argv: string[] = []): RectifyError {
  const name = quoted(err.message);
  // Commander's nearest name (showSuggestionAfterError): `stauts` → status, `--staus` → --status;
  // of several as near ("one of list, ls" for `lst`), the first.
  const near = /\(Did you mean (?:one of )?([^\s,?]+)[^)]*\)/.exec(err.message)?.[1];
  // Bad usage of a command named on the line points at that command's help (`done --help`).
  const word = operands(argv)[0];
  const command = err.code === 'commander.unknownCommand' ? undefined : named(word)[0]?.name;
  const hint: MessageKey = near ? 'cli.didYouMean' : command ? 'hint.helpCommand' : 'hint.help';
  const hintParams: Params = near ? { name: near } : command ? { command } : {};
  switch (err.code) {
    case 'commander.unknownOption':
      return new RectifyError('cli.unknownOption', { name }, { exit: EXIT.badInput, hint, hintParams });
    case 'commander.unknownCommand':
      return new RectifyError('cli.unknownCommand', { name }, { exit: EXIT.badInput, hint, hintParams });
    case 'commander.missingArgument': {
      // The placeholder as the help shows it, in the user's language (<ids> → <编号>).
      const ph = `help.ph.${name}`;
      const shown = hasMessage(ph) ? t(ph) : name;
      return new RectifyError('cli.missingArgument', { name: shown }, { exit: EXIT.badInput, hint, hintParams });
    }
    case 'commander.optionMissingArgument': {
      // The option as the help shows it: its placeholder in the user's language (<statuses> → <状态>).
      const shown = name.replace(/<([^<>]+)>/g, (whole, ph: string) => (hasMessage(`help.ph.${ph}`) ? `<${t(`help.ph.${ph}` as MessageKey)}>` : whole));
      return new RectifyError('cli.optionMissingArgument', { name: shown }, { exit: EXIT.badInput, hint, hintParams });
    }
    case 'commander.excessArguments':
      return new RectifyError('cli.excessArguments', {}, { exit: EXIT.badInput, hint, hintParams });
    default:
      return new RectifyError('cli.badUsage', { message: err.message.replace(/^error: /, '') }, { exit: EXIT.badInput, hint, hintParams });
  }
}

/** SQLite's SQLITE_FULL (13), as node:sqlite throws it. */
const sqliteFull = (e: NodeJS.ErrnoException) => e.code === 'ERR_SQLITE_ERROR' && (Number((e as { errcode?: unknown }).errcode) & 0xff) === 13;

export async function run(argv: string[], env: NodeJS.ProcessEnv, streams: Streams): Promise<number> {
  // `rectify --version` alone (what scripts ask): said before any catalogue or command is
  // loaded. Any other argv with it goes through commander, which tells the same.
  if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-V')) {
    streams.stdout.write(`${VERSION}\n`);
    return EXIT.ok;
  }
  const langFlag = peekOption(argv, '--lang');
  const lang = detectLang(langFlag, env);
  await loadLang(lang);
  const noColor = argv.includes('--no-color');
  const io = makeOutput(
    colorWanted(Boolean(streams.stdout.isTTY), env, noColor),
    colorWanted(Boolean(streams.stderr.isTTY), env, noColor),
    streams.stdout,
    streams.stderr,
    env,
  );
  const debug = env.RECTIFY_DEBUG === '1';
  let store: Store | undefined;
  try {
    if (langFlag !== undefined && langFlag !== 'en' && langFlag !== 'zh') {
      throw new RectifyError('cli.badLang', { value: langFlag }, { exit: EXIT.badInput });
    }
    let chosen: { spec: CommandSpec; input: CommandInput } | undefined;
    const loaded = new Map<string, CommandSpec>();
    const load = async (entries: CommandEntry[]) => {
      for (const [i, spec] of (await Promise.all(entries.map((e) => e.load()))).entries()) loaded.set(entries[i]!.name, spec);
    };
    await load(commandsNeeded(argv));
    let program!: Command;
    try {
      // Once more with its words if commander picked a command that was not loaded (an argv
      // read otherwise than commandsNeeded did): parsing has no effects until a command runs.
      for (let round = 0; round < 2; round++) {
        const unloaded: CommandEntry[] = [];
        program = buildProgram(loaded, (spec, input) => (chosen = { spec, input }), (entry) => unloaded.push(entry));
        // Each command's own, too: a command copies its parent's settings when it is made,
        // before this, and `help status` prints through the command's.
        for (const c of [program, ...program.commands]) {
          c.configureOutput({
            writeOut: (s) => void streams.stdout.write(s),
            writeErr: () => {},
            outputError: () => {},
          });
        }
        await program.parseAsync(argv, { from: 'user' });
        if (!unloaded.length) break;
        await load(unloaded);
      }
    } catch (e) {
      if (e instanceof CommanderError) {
        if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version') return EXIT.ok;
        // A help that was asked for and shown (`help status`) is exit 0.
        if (e.code === 'commander.help' && e.exitCode === 0) return EXIT.ok;
        if (e.code === 'commander.help') {
          // Bare `rectify`: the usage. `rectify help nosuch`: refused as `rectify nosuch` is.
          const topic = helpTopic(argv);
          if (topic === undefined) {
            program.outputHelp();
            return EXIT.ok;
          }
          const again = buildProgram(loaded, () => {});
          try {
            await again.parseAsync([topic], { from: 'user' });
          } catch (e2) {
            if (e2 instanceof CommanderError && e2.code === 'commander.unknownCommand') throw fromCommander(e2);
          }
          throw new RectifyError('cli.unknownCommand', { name: cleanInline(topic) }, { exit: EXIT.badInput, hint: 'hint.help' });
        }
        throw fromCommander(e, argv);
      }
      throw e;
    }
    if (!chosen) {
      program.outputHelp();
      return EXIT.ok;
    }
    const { spec, input } = chosen;
    const opts = input.opts;
    const now = () => new Date();
    const cwd = streams.cwd ?? process.cwd();
    // The ledger's address, found when a command first asks for it: a command that never
    // touches a ledger (draft, completion's script, a help) is not stopped by one it would not
    // open (a rectify.db of another user's in a folder above, which is refused when opened).
    let db: { path: string; named: boolean } | undefined;
    const dbOf = () => (db ??= resolveDbPath(opts.db as string | undefined, env, cwd, spec.name !== 'init'));
    // JSON asked for: no bar, whatever standard error is.
    if (opts.json) delete io.progress;
    const ctx: Context = {
      lang,
      env,
      cwd,
      io,
      actor: resolveActor(opts.by as string | undefined, env),
      get dbPath() {
        return dbOf().path;
      },
      get dbNamed() {
        return dbOf().named;
      },
      get interactive() {
        return Boolean(streams.stdout.isTTY) && streams.stdinIsTTY();
      },
      today: resolveToday(env, now),
      now,
      store: undefined as unknown as Store,
    };
    if (spec.ledger === 'open') {
      const { openStore } = await import('./store/index.js');
      store = await openStore(ctx.dbPath, { create: false, now });
      ctx.store = store;
    }
    if (spec.writes) {
      // What the command says is printed after COMMIT: a commit that fails must not follow
      // a success line, and output that cannot be written must not undo a saved change.
      const held = heldOutput(io);
      ctx.io = held.io;
      await ctx.store.write(() => spec.run(input, ctx));
      ctx.io = io;
      try {
        held.flush();
      } catch (e) {
        if (e instanceof OutputError) throw new RectifyError('error.savedOutputFailed', { reason: e.code }, { exit: EXIT.failure, hint: 'error.savedOutputFailed.hint' });
        throw e;
      }
    } else {
      await spec.run(input, ctx);
    }
    return EXIT.ok;
  } catch (e) {
    return report(e, io, debug);
  } finally {
    io.endProgress();
    if (store) await store.close().catch(() => {});
  }
}

function report(e: unknown, io: Output, debug: boolean): number {
  // Standard error itself may be unwritable (`2>/dev/full`): the exit code still tells.
  const say = (text: string) => {
    try {
      io.err(text);
    } catch {
      /* nowhere left to say it */
    }
  };
  return describeFailure(e, { ...io, err: say }, debug);
}

/** What a message quotes may come from outside (an option's value, a file or folder name,
 *  the environment): shown escaped, never sent to the terminal as control codes. */
function safe(params: Params): Params {
  const out: Params = {};
  for (const [k, v] of Object.entries(params)) out[k] = typeof v === 'string' ? cleanInline(v) : v;
  return out;
}

function describeFailure(e: unknown, io: Output, debug: boolean): number {
  if (e instanceof OutputError) {
    io.err(t('error.line', { message: t('error.outputFailed', { reason: e.code }) }));
    return EXIT.failure;
  }
  if (e instanceof RectifyError) {
    for (const line of e.details) io.err(clean(line));
    io.err(t('error.line', { message: t(e.key, safe(e.params)) }));
    if (e.hintKey) io.err(t('error.hint', { hint: t(e.hintKey, safe(e.hintParams)) }));
    if (debug && e.stack) io.err(e.stack);
    return e.exit;
  }
  const err = e as NodeJS.ErrnoException;
  const message = cleanInline(err && typeof err.message === 'string' ? err.message : String(e));
  if (err && (err.code === 'ENOSPC' || sqliteFull(err))) {
    io.err(t('error.line', { message: t('error.diskFull', { message }) }));
  } else {
    io.err(t('error.line', { message: t('error.unexpected', { message }) }));
    io.err(t('error.hint', { hint: t('hint.debug') }));
  }
  if (debug && err && err.stack) io.err(err.stack);
  return EXIT.failure;
}
