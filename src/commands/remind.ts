// `rectify remind`: one notice (督办通知) per owner and department with red or yellow items.
// Printed as text to paste (changes nothing), written one file per recipient (-o DIR), or
// sent to each recipient's contacts (--send), each sending recorded in the ledger.
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { localTimestamp } from '../core/dates.js';
import { buildNotices, maskUrl, noticeKey, parseWebhook, type Channel, type Contact, type Notice } from '../core/remind.js';
import type { IsoDate, Item, ReportInfo } from '../core/types.js';
import { lightsAsOf } from '../core/lights.js';
import type { Context } from '../context.js';
import { EXIT, RectifyError } from '../errors.js';
import { t } from '../i18n/index.js';
import { noticeFileName, renderNoticeText } from '../ui/remind.js';
import { cleanInline } from '../ui/text.js';
import { actor, daysOption, optionalDate } from './args.js';
import { supervision } from './contact.js';
import { writeOutputFile } from './outfile.js';
import type { CommandSpec } from './types.js';

/** Seconds to wait for a server: at most 10 (the contract), less for tests. */
function timeoutMs(value: unknown): number {
  if (value === undefined) return 10_000;
  const s = String(value).trim();
  const n = Number(s);
  if (!/^\d+(\.\d+)?$/.test(s) || !(n > 0) || n > 10) throw new RectifyError('remind.badTimeout', { value: cleanInline(s) }, { exit: EXIT.badInput });
  return Math.round(n * 1000);
}

function names(value: unknown): string[] | undefined {
  if (value === undefined) return undefined;
  return String(value).split(/[,，、]/).map((s) => s.trim()).filter(Boolean);
}

export const remind: CommandSpec = {
  name: 'remind',
  summary: 'remind.summary',
  options: [
    { flags: '--as-of <date>', description: 'remind.opt.asOf' },
    { flags: '--days <n>', description: 'remind.opt.days' },
    { flags: '--to <names>', description: 'remind.opt.to' },
    { flags: '-o, --output <dir>', description: 'remind.opt.output' },
    { flags: '--format <format>', description: 'remind.opt.format' },
    { flags: '--send', description: 'remind.opt.send' },
    { flags: '--force', description: 'remind.opt.force' },
    { flags: '--dry-run', description: 'remind.opt.dryRun' },
    { flags: '--smtp <url>', description: 'remind.opt.smtp' },
    { flags: '--from <address>', description: 'remind.opt.from' },
    { flags: '--timeout <seconds>', description: 'remind.opt.timeout' },
  ],
  ledger: 'open',
  async run({ opts }, ctx) {
    const asOf = optionalDate('--as-of', opts.asOf) ?? ctx.today();
    const days = daysOption(opts.days);
    const to = names(opts.to);
    const format = opts.format === undefined ? 'docx' : String(opts.format).trim().toLowerCase();
    if (format !== 'docx' && format !== 'text') throw new RectifyError('remind.badFormat', { value: cleanInline(String(opts.format)) }, { exit: EXIT.badInput });
    if (opts.format !== undefined && opts.output === undefined) throw new RectifyError('remind.formatNoOutput', {}, { exit: EXIT.badInput });
    if (opts.output !== undefined && opts.send) throw new RectifyError('remind.outputAndSend', {}, { exit: EXIT.badInput });
    if ((opts.force || opts.dryRun) && !opts.send) throw new RectifyError('remind.forceNoSend', {}, { exit: EXIT.badInput });
    const timeout = timeoutMs(opts.timeout);

    const { items, report } = await ctx.store.snapshot(async () => ({
      items: await ctx.store.listItems({ status: ['open', 'in_progress'] }),
      report: await ctx.store.report(),
    }));
    const notices = buildNotices(items, asOf, days, to);
    if (to) await refuseUnknownNames(ctx, to, notices);
    // Said once the notices are out (printed, written or sent), never before an error.
    const unanswered = () => (to ? undefined : noteUnanswered(ctx, items, asOf, days));
    if (!notices.length) {
      ctx.io.err(to ? t('remind.noneTo', { names: to.map(cleanInline).join(', '), date: asOf }) : t('remind.none', { date: asOf }));
      return unanswered();
    }
    if (opts.send) await send(ctx, notices, report, { force: Boolean(opts.force), dryRun: Boolean(opts.dryRun), timeout, smtp: opts.smtp, from: opts.from });
    else if (opts.output !== undefined) await writeFiles(ctx, notices, report, String(opts.output), format);
    else ctx.io.out(notices.map((n) => renderNoticeText(n, report)).join('\n' + '-'.repeat(40) + '\n\n'));
    unanswered();
  },
};

/** How many of the items no notice names are named in remind's note. */
const UNANSWERED_SHOWN = 10;

/** Red or yellow items with neither owner nor department reach no notice: said on standard
 *  error (the notices themselves are unchanged), so that the office gives them someone. */
function noteUnanswered(ctx: Context, items: readonly Item[], asOf: IsoDate, days: number): void {
  const light = lightsAsOf(asOf, days);
  const ids = items.filter((i) => i.owner === null && i.department === null && (light(i) === 'red' || light(i) === 'yellow')).map((i) => cleanInline(i.id));
  if (!ids.length) return;
  // A ledger of many unassigned items (a seed with dates and no owners) would otherwise print
  // each id twice on one line each: the first UNANSWERED_SHOWN are named, the rest counted.
  const shown = ids.slice(0, UNANSWERED_SHOWN);
  const named = shown.join(t('remind.idSeparator'));
  const list = ids.length > shown.length ? t('remind.idsMore', { ids: named, n: ids.length - shown.length }) : named;
  ctx.io.err(`rectify: ${t(ids.length === 1 ? 'remind.unanswered.one' : 'remind.unanswered', { n: ids.length, ids: list })}`);
  ctx.io.err(t('error.hint', { hint: t('remind.unansweredHint', { ids: shown.join(',') }) }));
}

/** A name in --to that no item has as its owner or department, and no contact has, is a
 *  typo (办工室 for 办公室): not found, before anything is printed, written or sent, rather
 *  than "nothing to remind", which a scheduled run would take for a quiet week. */
async function refuseUnknownNames(ctx: Context, to: readonly string[], notices: readonly Notice[]): Promise<void> {
  const reached = new Set(notices.map((n) => n.recipient));
  const rest = to.filter((name) => !reached.has(name));
  if (!rest.length) return;
  const contacts = new Set(await supervision(ctx).contactNames());
  for (const name of rest) {
    if (contacts.has(name)) continue;
    // The store's owner and department filters find a part of a name; the name must be whole.
    const known = (await ctx.store.listItems({ all: true, owner: name })).some((i) => i.owner === name)
      || (await ctx.store.listItems({ all: true, department: name })).some((i) => i.department === name);
    if (!known) throw new RectifyError('remind.unknownName', { name: cleanInline(name) }, { exit: EXIT.notFound, hint: 'remind.unknownNameHint' });
  }
}

async function writeFiles(ctx: Context, notices: Notice[], report: ReportInfo, dir: string, format: 'docx' | 'text'): Promise<void> {
  const folder = resolve(ctx.cwd, dir);
  try {
    mkdirSync(folder, { recursive: true });
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    // A file where the folder should be (or on its way): said as such, not as EEXIST.
    if (code === 'EEXIST' || code === 'ENOTDIR') throw new RectifyError('remind.notFolder', { dir: cleanInline(dir) }, { exit: EXIT.badInput });
    throw new RectifyError('views.writeFailed', { file: cleanInline(dir), reason: cleanInline(code ?? String(e)) }, { exit: EXIT.badInput, hint: 'store.cannotCreateHint' });
  }
  const render = format === 'docx' ? (await import('../ui/remind-docx.js')).renderNoticeDocx : null;
  const taken = new Set<string>();
  for (const n of notices) {
    const name = noticeFileName(n, format === 'docx' ? 'docx' : 'txt', taken);
    const file = join(folder, name);
    const data = render ? await render(n, report, ctx.lang) : renderNoticeText(n, report);
    await writeOutputFile(file, data, ctx.dbPath, cleanInline(join(dir, name)));
    ctx.io.err(t('remind.wrote', { file: cleanInline(join(dir, name)) }));
  }
}

interface SendOpts { force: boolean; dryRun: boolean; timeout: number; smtp: unknown; from: unknown }

async function send(ctx: Context, notices: Notice[], report: ReportInfo, o: SendOpts): Promise<void> {
  const store = supervision(ctx);
  // On a server only an admin may read the addresses: anyone else is refused as for an admin's command.
  const contacts = await store.contactsToSend();
  const byName = new Map<string, Contact>(contacts.map((c) => [c.name, c]));
  // The day the notices are recorded on: on a server its own date, not this client's.
  const at = localTimestamp(ctx.now());
  const day = await store.noticeDay(ctx.today(), at);
  const sentToday = await store.notices({ day });
  const already = (recipient: string, channel: Channel, key: string) =>
    sentToday.some((s) => s.recipient === recipient && s.channel === channel && s.items.join(',') === key);

  // E-mail settings are checked before anything goes, and only when a mail is to go.
  const wantsMail = notices.some((n) => byName.get(n.recipient)?.email);
  let mailer: import('./remind-send.js').Mailer | null = null;
  const sender = await import('./remind-send.js');
  let smtpShown = '';
  if (wantsMail) {
    const address = (o.smtp ?? ctx.env.RECTIFY_SMTP) as string | undefined;
    if (!address) throw new RectifyError('remind.noSmtp', {}, { exit: EXIT.badInput, hint: 'remind.noSmtpHint' });
    const smtp = sender.smtpOptions(String(address), o.timeout);
    smtpShown = maskUrl(String(address));
    if (!smtp) throw new RectifyError('remind.badSmtp', { address: smtpShown }, { exit: EXIT.badInput });
    const from = String(o.from ?? ctx.env.RECTIFY_MAIL_FROM ?? '').trim();
    if (!from) throw new RectifyError('remind.noFrom', {}, { exit: EXIT.badInput, hint: 'remind.noFromHint' });
    if (!/@/.test(from) || /[\u0000-\u001f\u007f]/.test(from)) throw new RectifyError('remind.badFrom', { value: cleanInline(from) }, { exit: EXIT.badInput });
    if (!o.dryRun) mailer = await sender.makeMailer(smtp, from);
  }

  const by = actor(ctx);
  let failed = 0;
  let unrecorded = 0;
  const line = (key: Parameters<typeof t>[0], p: Record<string, string>) => ctx.io.out(t(key, p));
  try {
    for (const n of notices) {
      const recipient = cleanInline(n.recipient);
      const c = byName.get(n.recipient);
      const channels: { channel: Channel; to: string }[] = [];
      if (c?.email) channels.push({ channel: 'email', to: c.email });
      if (c?.webhook) {
        const w = parseWebhook(c.webhook);
        if (!('bad' in w)) channels.push({ channel: w.kind, to: `${w.kind}:${maskUrl(w.url)}` });
      }
      if (!channels.length) {
        line('remind.line.noContact', { recipient });
        continue;
      }
      const key = noticeKey(n).join(',');
      for (const ch of channels) {
        const channel = t(`remind.channel.${ch.channel}`);
        if (!o.force && already(n.recipient, ch.channel, key)) {
          line('remind.line.already', { recipient, channel });
          continue;
        }
        if (o.dryRun) {
          line('remind.line.wouldSend', { recipient, channel, to: cleanInline(ch.to) });
          continue;
        }
        const attempt = ch.channel === 'email'
          ? await mailer!.send({ name: n.recipient, address: c!.email! }, n, report)
          : await sender.sendRobot(ch.channel, parseWebhookUrl(c!.webhook!), c!.secret, n, report, o.timeout, ctx.now().getTime());
        if (!attempt.ok) {
          failed++;
          line('remind.line.failed', { recipient, channel, reason: attempt.reason });
          continue;
        }
        // Recorded as soon as it went: one that fails later does not unrecord this one. A server
        // refuses the record when the contact (or an item) changed while the notice was on its
        // way (migration 036): it went all the same, and the rest still go.
        try {
          await ctx.store.write(() => store.recordNotice({ at: localTimestamp(ctx.now()), day, by, recipient: n.recipient, channel: ch.channel, items: noticeKey(n) }));
        } catch (e) {
          if (!(e instanceof RectifyError) || e.key !== 'pg.refused') throw e;
          unrecorded++;
          line('remind.line.notRecorded', { recipient, channel });
          continue;
        }
        line('remind.line.sent', { recipient, channel });
      }
    }
  } finally {
    mailer?.close();
  }
  void smtpShown;
  if (failed) throw new RectifyError('remind.failed', { count: failed }, { exit: EXIT.failure, hint: 'remind.failedHint' });
  if (unrecorded) throw new RectifyError('remind.notRecorded', { count: unrecorded }, { exit: EXIT.failure, hint: 'remind.notRecordedHint' });
}

function parseWebhookUrl(webhook: string): string {
  const w = parseWebhook(webhook);
  if ('bad' in w) throw new RectifyError('contact.badWebhook.url', {}, { exit: EXIT.badInput });
  return w.url;
}
