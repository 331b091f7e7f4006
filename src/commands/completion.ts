// `rectify completion bash|zsh|fish`: a shell completion script, made from the command list
// (commands, options in the user's language, option values), which asks the ledger in reach
// for ids through `rectify completion ids KIND` as the user types.
import { LIGHTS } from '../core/lights.js';
import { STATUSES, TERMS } from '../core/vocab.js';
import { EXIT, RectifyError } from '../errors.js';
import { t } from '../i18n/index.js';
import {
  bashScript, fishScript, parseFlags, zshScript, type CompletionCommand, type CompletionModel, type IdKind,
} from '../ui/completion.js';
import { cleanInline } from '../ui/text.js';
import { lightWord, words } from '../ui/status.js';
import type { Lang } from '../i18n/index.js';
import type { CommandSpec } from './types.js';

const SHELLS = ['bash', 'zsh', 'fish'] as const;
const KINDS = ['item', 'measure', 'problem', 'area', 'any', 'log', 'done'] as const;

/** What each command's operands are (ids of a kind, files); the rest take none. */
const OPERANDS: Record<string, IdKind | 'files'> = {
  show: 'any', log: 'log', edit: 'item', rm: 'item', assign: 'item', progress: 'item', done: 'item', verify: 'done',
  reopen: 'item', init: 'files', import: 'files', draft: 'files',
};

async function model(lang: Lang): Promise<CompletionModel> {
  const w = words(lang);
  const { commands, loadAll } = await import('./index.js');
  const specs = await loadAll();
  const list: CompletionCommand[] = specs.map((c, i) => ({
    name: c.name,
    aliases: commands[i]!.aliases ?? [],
    summary: t(c.summary),
    options: (c.options ?? []).map((o) => parseFlags(o.flags, t(o.description))),
    operand: OPERANDS[c.name] ?? null,
  }));
  const completion = list.find((c) => c.name === 'completion');
  if (completion) completion.operand = null;
  return {
    commands: list,
    global: [
      parseFlags('--db <path>', t('help.opt.db')),
      parseFlags('--by <name>', t('help.opt.by')),
      parseFlags('--lang <lang>', t('help.opt.lang')),
      parseFlags('--no-color', t('help.opt.noColor')),
    ],
    values: [
      { command: '', long: 'status', values: [...STATUSES], labels: STATUSES.map((x) => w.status(x)) },
      { command: '', long: 'term', values: [...TERMS], labels: TERMS.map((x) => w.term(x)) },
      { command: '', long: 'lang', values: ['en', 'zh'], labels: ['English', '中文'] }, // i18n-ok: each language in its own words
      { command: '', long: 'sort', values: ['id', 'due', 'owner', 'progress'] },
      { command: '', long: 'light', values: [...LIGHTS], labels: LIGHTS.map((x) => lightWord(x, w)) },
      { command: 'assign', long: 'clear', values: ['owner', 'department', 'due'] },
      { command: 'contact', long: 'clear', values: ['email', 'webhook', 'secret'] },
      { command: 'report', long: 'format', values: ['text', 'md', 'csv', 'json', 'xlsx', 'docx', 'html'] },
      { command: 'remind', long: 'format', values: ['docx', 'text'] },
      { command: 'export', long: 'format', values: ['yaml', 'json', 'jsonl'] },
      { command: 'completion', long: 'shell', values: [...SHELLS] },
    ],
    optionIds: [
      { long: 'measure', kind: 'measure' },
      { long: 'area', kind: 'area' },
      { long: 'problem', kind: 'problem' },
      { long: 'addresses', kind: 'problem' },
    ],
  };
}

export const completion: CommandSpec = {
  name: 'completion',
  summary: 'items.completion.summary',
  args: [
    { name: '<shell>', description: 'items.completion.arg.shell' },
    { name: '[kind]', description: 'items.completion.arg.kind' },
    { name: '[start]', description: 'items.completion.arg.start' },
  ],
  ledger: 'none',
  async run({ args }, ctx) {
    const shell = String(args[0]);
    if (shell === 'ids') {
      // Asked by the script at each Tab: whatever goes wrong (no ledger here), say nothing.
      const kind = (KINDS as readonly string[]).includes(String(args[1])) ? String(args[1]) : 'any';
      // What the user has typed of the id: matched without regard to case, as commands take ids.
      const start = args[2] === undefined ? '' : String(args[2]).toLowerCase();
      try {
        const { openStore } = await import('../store/index.js');
        const store = await openStore(ctx.dbPath, { create: false, now: ctx.now, env: ctx.env });
        try {
          let ids: string[];
          if (kind === 'done') {
            // verify signs off done items only: offer those.
            ids = [];
            for await (const page of store.itemPages({ status: ['done'] }, { brief: true })) ids.push(...page.map((i) => i.id));
          } else {
            const wanted = kind === 'any' ? null : kind === 'log' ? ['item', 'measure'] : [kind];
            ids = (await store.allIds()).filter((x) => wanted === null || wanted.includes(x.kind)).map((x) => x.id);
          }
          ids = ids.filter((id) => id.toLowerCase().startsWith(start));
          if (ids.length) ctx.io.out(ids.join('\n'));
        } finally {
          await store.close();
        }
      } catch {
        /* no ids to offer */
      }
      return;
    }
    if (!(SHELLS as readonly string[]).includes(shell)) {
      throw new RectifyError('items.completion.badShell', { value: cleanInline(shell) }, { exit: EXIT.badInput });
    }
    const m = await model(ctx.lang);
    const script = shell === 'bash' ? bashScript(m) : shell === 'zsh' ? zshScript(m) : fishScript(m);
    // The scripts' source marks a few lines for the catalogue check; the user's shell need not see that.
    ctx.io.out(script.replace(/ {2}# i18n-ok$/gm, ''));
  },
};
