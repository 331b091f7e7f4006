// `rectify contact set|rm NAME` and `rectify contacts`: where reminders go. Addresses, webhook
// keys and secrets are kept in the ledger (on a server, readable by admins only, as the server
// enforces); what is printed never shows a robot's key nor a secret.
import { isEmail, maskWebhook, parseWebhook, SECRET_MAX, WEBHOOK_MAX, type Contact } from '../core/remind.js';
import { badCharInValue, codePointName } from '../core/seed-text.js';
import type { Context } from '../context.js';
import { EXIT, RectifyError } from '../errors.js';
import { t } from '../i18n/index.js';
import type { SupervisionStore } from '../store/supervise.js';
import { renderTable } from '../ui/table.js';
import { suggest } from '../core/seed-text.js';
import { cleanInline } from '../ui/text.js';
import { fieldText } from './args.js';
import type { CommandSpec } from './types.js';

export function supervision(ctx: Context): SupervisionStore {
  const s = ctx.store.supervision?.();
  if (!s) throw new RectifyError('supervise.notServer', {}, { exit: EXIT.failure });
  return s;
}

const FIELDS = ['email', 'webhook', 'secret'] as const;

function contactName(value: unknown): string {
  const name = fieldText('owner', value, 'name');
  if (name === null) throw new RectifyError('contact.noName', {}, { exit: EXIT.badInput });
  return name;
}

/** The contact after `set`: the fields given replace the old ones; --clear empties some. */
function merged(old: Contact | undefined, name: string, opts: Record<string, unknown>): Contact {
  const c: Contact = old ? { ...old } : { name, email: null, webhook: null, secret: null };
  for (const f of String(opts.clear ?? '').split(/[,，、]/).map((s) => s.trim().toLowerCase()).filter(Boolean)) {
    if (!(FIELDS as readonly string[]).includes(f)) throw new RectifyError('contact.badClear', { value: cleanInline(f) }, { exit: EXIT.badInput });
    // Set and cleared at once: which was meant cannot be told.
    if (opts[f] !== undefined) throw new RectifyError('contact.setAndClear', { field: f }, { exit: EXIT.badInput });
    c[f as (typeof FIELDS)[number]] = null;
  }
  if (opts.email !== undefined) {
    const email = String(opts.email).trim();
    if (!isEmail(email)) throw new RectifyError('contact.badEmail', { value: cleanInline(email) }, { exit: EXIT.badInput });
    c.email = email;
  }
  if (opts.webhook !== undefined) {
    const w = parseWebhook(String(opts.webhook));
    if ('bad' in w) {
      // The URL itself is never echoed: it may hold the robot's key. The example shown is of
      // the robot the user named (a 钉钉 address to a 钉钉 mistake).
      const ding = /^\s*dingtalk:/i.test(String(opts.webhook));
      const hint = ding ? 'contact.badWebhook.dingtalkHint' : 'contact.badWebhook.kindHint';
      if (w.bad === 'key') throw new RectifyError('contact.badWebhook.key', { param: ding ? 'access_token' : 'key' }, { exit: EXIT.badInput, hint });
      throw new RectifyError(`contact.badWebhook.${w.bad}`, {}, { exit: EXIT.badInput, hint });
    }
    c.webhook = `${w.kind}:${w.url}`;
    // What an export reloads (core/jsonl.ts): said without echoing the address.
    if (c.webhook.length > WEBHOOK_MAX) {
      throw new RectifyError('contact.tooLong', { field: 'webhook', length: c.webhook.length, max: WEBHOOK_MAX }, { exit: EXIT.badInput });
    }
  }
  if (opts.secret !== undefined) {
    const secret = String(opts.secret).trim();
    if (secret === '') throw new RectifyError('contact.noField', {}, { exit: EXIT.badInput });
    // What the export reader refuses (core/jsonl.ts; on a server migration 039): C1's too.
    const bad = badCharInValue(secret);
    if (bad >= 0 || secret.includes('\t') || secret.includes('\n')) {
      const code = bad >= 0 ? bad : secret.includes('\t') ? 9 : 10;
      throw new RectifyError('contact.badSecret', { code: codePointName(code) }, { exit: EXIT.badInput });
    }
    if (secret.length > SECRET_MAX) {
      throw new RectifyError('contact.tooLong', { field: 'secret', length: secret.length, max: SECRET_MAX }, { exit: EXIT.badInput });
    }
    c.secret = secret;
  }
  if (c.secret !== null && !(c.webhook ?? '').startsWith('dingtalk:')) {
    throw new RectifyError('contact.secretNoRobot', {}, { exit: EXIT.badInput });
  }
  return c;
}

export const contact: CommandSpec = {
  name: 'contact',
  summary: 'contact.summary',
  args: [
    { name: '<action>', description: 'contact.arg.action' },
    { name: '<name>', description: 'contact.arg.name' },
  ],
  options: [
    { flags: '--email <address>', description: 'contact.opt.email' },
    { flags: '--webhook <url>', description: 'contact.opt.webhook' },
    { flags: '--secret <secret>', description: 'contact.opt.secret' },
    { flags: '--clear <fields>', description: 'contact.opt.clear' },
  ],
  ledger: 'open',
  writes: true,
  async run({ args, opts }, ctx) {
    const action = String(args[0]).trim().toLowerCase();
    const name = contactName(args[1]);
    const store = supervision(ctx);
    const shown = cleanInline(name);
    if (action === 'rm' || action === 'remove') {
      if (!(await store.removeContact(name))) throw new RectifyError('contact.missing', { name: shown }, { exit: EXIT.notFound });
      ctx.io.out(t('contact.removed', { name: shown }));
      return;
    }
    if (action !== 'set') {
      // A typo of an action is told its nearest name, as an unknown command is.
      const near = suggest(action, ['set', 'rm', 'remove']);
      throw new RectifyError('contact.badAction', { value: cleanInline(action) }, { exit: EXIT.badInput, ...(near ? { hint: 'cli.didYouMean' as const, hintParams: { name: near } } : {}) });
    }
    if (opts.email === undefined && opts.webhook === undefined && opts.secret === undefined && opts.clear === undefined) {
      throw new RectifyError('contact.noField', {}, { exit: EXIT.badInput });
    }
    const all = await store.contacts();
    const old = all?.find((c) => c.name === name);
    const outcome = await store.setContact(merged(old, name, opts));
    ctx.io.out(t(`contact.${outcome}`, { name: shown }));
    // Reminders go by the names the items use: a new contact no item names (办工室 for 办公室)
    // would quietly get nothing. Kept all the same: the items may be assigned later.
    if (outcome === 'added') {
      const named = (await ctx.store.listItems({ all: true, owner: name })).some((i) => i.owner === name)
        || (await ctx.store.listItems({ all: true, department: name })).some((i) => i.department === name);
      if (!named) {
        ctx.io.err(`rectify: ${t('contact.unusedName', { name: shown })}`);
        ctx.io.err(t('error.hint', { hint: t('remind.unknownNameHint') }));
      }
    }
  },
};

export const contacts: CommandSpec = {
  name: 'contacts',
  summary: 'contacts.summary',
  ledger: 'open',
  async run(_input, ctx) {
    const store = supervision(ctx);
    const all = await store.contacts();
    if (all === null) {
      const names = await store.contactNames();
      ctx.io.err(t('contacts.namesOnly'));
      for (const n of names) ctx.io.out(cleanInline(n));
      return;
    }
    if (!all.length) {
      ctx.io.err(t('contacts.none'));
      ctx.io.err(t('error.hint', { hint: t('contacts.noneHint') }));
      return;
    }
    const dash = '-';
    ctx.io.out(renderTable(
      [{ header: t('contacts.col.name') }, { header: t('contacts.col.email') }, { header: t('contacts.col.webhook') }, { header: t('contacts.col.secret') }],
      all.map((c) => [cleanInline(c.name), c.email ? cleanInline(c.email) : dash, c.webhook ? cleanInline(maskWebhook(c.webhook)) : dash, c.secret ? t('contacts.secretSet') : dash]),
      // The masked address is shown whole (no column gives up room): a cut URL tells nothing.
      { header: ctx.io.theme.heading },
    ).join('\n'));
  },
};
