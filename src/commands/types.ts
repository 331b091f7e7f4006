import type { Context } from '../context.js';
import type { MessageKey } from '../i18n/index.js';

export interface ArgSpec {
  /** As commander writes it: `<id>`, `[seed]`, `[ids...]`. */
  name: string;
  description: MessageKey;
}

export interface OptionSpec {
  /** As commander writes it: `-m, --message <note>`. */
  flags: string;
  description: MessageKey;
  /** The option may be given several times; its values are collected in order. */
  repeatable?: boolean;
  defaultValue?: string;
}

export interface CommandInput {
  /** Positional arguments in the order declared (a variadic one is a string[]). */
  args: (string | string[] | undefined)[];
  opts: Record<string, unknown>;
}

/** A command declares its words and what it needs; the dispatcher in cli.ts applies
 *  what follows from that (opening the ledger, one write transaction). */
export interface CommandSpec {
  name: string;
  summary: MessageKey;
  args?: ArgSpec[];
  options?: OptionSpec[];
  /** 'open': the dispatcher opens the existing ledger before run; 'none': run manages it. */
  ledger: 'open' | 'none';
  /** Run inside one write transaction: all of it lands or none of it. */
  writes?: boolean;
  run(input: CommandInput, ctx: Context): Promise<void>;
}

/** A command in the list of src/commands/index.ts: its name (and other names), and how to
 *  load its spec: the command's module is read only when it runs or a help shows it. */
export interface CommandEntry {
  name: string;
  aliases?: string[];
  load(): Promise<CommandSpec>;
}
