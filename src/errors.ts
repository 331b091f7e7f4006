import { t, type MessageKey, type Params } from './i18n/index.js';

/** The exit codes of the contract (docs/cli.md). */
export const EXIT = {
  ok: 0,
  failure: 1,
  badInput: 2,
  notFound: 3,
  notAllowed: 4,
  cancelled: 130,
} as const;
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** The one error class: what went wrong, the exit code as data, and a hint where one helps.
 *  Messages are catalogue keys, rendered in the user's language when printed. */
export class RectifyError extends Error {
  readonly exit: ExitCode;
  readonly key: MessageKey;
  readonly params: Params;
  readonly hintKey: MessageKey | undefined;
  readonly hintParams: Params;
  /** Extra lines printed before the error line (e.g. every issue of a refused seed). */
  readonly details: string[];

  constructor(
    key: MessageKey,
    params: Params,
    opts: { exit: ExitCode; hint?: MessageKey; hintParams?: Params; details?: string[] },
  ) {
    super(t(key, params, 'en'));
    this.name = 'RectifyError';
    this.key = key;
    this.params = params;
    this.exit = opts.exit;
    this.hintKey = opts.hint;
    this.hintParams = opts.hintParams ?? params;
    this.details = opts.details ?? [];
  }
}
