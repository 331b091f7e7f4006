// Sending notices: e-mail over SMTP with nodemailer, and the chat robots by the webhook
// messages 企业微信 and 钉钉 document (msgtype markdown; 钉钉's signed timestamp when a
// secret is set). Loaded by `remind --send` alone (await import), and nodemailer by e-mail
// alone. Each attempt ends as sent or failed with a reason; nothing here writes the ledger.
import { createHmac } from 'node:crypto';
import type { Notice, Robot } from '../core/remind.js';
import type { ReportInfo } from '../core/types.js';
import { t } from '../i18n/index.js';
import { fitNoticeMarkdown, noticeSubject, renderNoticeHtml, renderNoticeText } from '../ui/remind.js';
import { cleanInline } from '../ui/text.js';

export type Attempt = { ok: true } | { ok: false; reason: string };

/** An SMTP address (smtp:// or smtps://, user and password in it) as nodemailer's options. */
export function smtpOptions(address: string, timeoutMs: number): { host: string; port: number; secure: boolean; auth?: { user: string; pass: string }; connectionTimeout: number; greetingTimeout: number; socketTimeout: number } | null {
  let u: URL;
  try {
    u = new URL(address);
  } catch {
    return null;
  }
  if (u.protocol !== 'smtp:' && u.protocol !== 'smtps:') return null;
  if (!u.hostname) return null;
  const secure = u.protocol === 'smtps:';
  const decode = (s: string) => {
    try {
      return decodeURIComponent(s);
    } catch {
      return s;
    }
  };
  return {
    host: u.hostname.replace(/^\[|\]$/g, ''),
    port: u.port ? Number(u.port) : secure ? 465 : 587,
    secure,
    ...(u.username ? { auth: { user: decode(u.username), pass: decode(u.password) } } : {}),
    connectionTimeout: timeoutMs, greetingTimeout: timeoutMs, socketTimeout: timeoutMs,
  };
}

/** A server's words in one line, without anything secret that it might echo. */
function said(message: string, secrets: readonly string[]): string {
  let m = cleanInline(message.replace(/\s+/g, ' ').trim()).slice(0, 200);
  for (const s of secrets) if (s.length >= 3) m = m.split(s).join('***');
  return m;
}

export interface Mailer {
  send(to: { name: string; address: string }, n: Notice, report: ReportInfo): Promise<Attempt>;
  close(): void;
}

export async function makeMailer(opts: NonNullable<ReturnType<typeof smtpOptions>>, from: string): Promise<Mailer> {
  const nodemailer = (await import('nodemailer')).default;
  const transport = nodemailer.createTransport({ ...opts, pool: false });
  const secrets = opts.auth ? [opts.auth.pass, encodeURIComponent(opts.auth.pass)] : [];
  return {
    async send(to, n, report) {
      try {
        await transport.sendMail({
          from,
          to: { name: to.name, address: to.address },
          subject: noticeSubject(n),
          text: renderNoticeText(n, report),
          html: renderNoticeHtml(n, report),
        });
        return { ok: true };
      } catch (e) {
        return { ok: false, reason: mailFailure(e as Error & { code?: string; responseCode?: number; response?: string }, opts, secrets) };
      }
    },
    close: () => transport.close(),
  };
}

function mailFailure(e: Error & { code?: string; responseCode?: number; response?: string }, opts: { host: string; port: number; connectionTimeout: number }, secrets: string[]): string {
  const message = String(e.message ?? e);
  if (/ECONNREFUSED/.test(message)) return t('remind.why.refused', { host: `${opts.host}:${opts.port}` });
  if (e.code === 'EDNS' || /ENOTFOUND|EAI_AGAIN/.test(message)) return t('remind.why.dns', { host: opts.host });
  if (e.code === 'EAUTH') return t('remind.why.auth');
  if (e.code === 'ETIMEDOUT' || /timeout/i.test(message)) return t('remind.why.timeout', { seconds: opts.connectionTimeout / 1000 });
  return t('remind.why.smtp', { message: said(e.response ?? message, secrets) });
}

/** The 钉钉 signature: base64(HMAC-SHA256(secret, timestamp + "\n" + secret)). */
export function dingtalkSign(secret: string, timestamp: number): string {
  return createHmac('sha256', secret).update(`${timestamp}\n${secret}`, 'utf8').digest('base64');
}

/** What each robot takes, in bytes of UTF-8, as documented: 企业微信's group robot, markdown.content
 *  at most 4096 bytes (developer.work.weixin.qq.com/document/path/91770; over it, errcode 40058);
 *  钉钉's custom robot, a request body of at most 20000 bytes (errcode 460101, "message too long,
 *  exceed 20000 bytes"). */
export const ROBOT_LIMITS = { wecom: 4096, dingtalk: 20_000 } as const;

/** The URL and body a robot is sent (the body as its documentation gives it). */
export function robotRequest(kind: Robot, url: string, secret: string | null, n: Notice, report: ReportInfo, now: number): { url: string; body: unknown } {
  if (kind === 'wecom') {
    const content = fitNoticeMarkdown(n, report, (text) => Buffer.byteLength(text, 'utf8') <= ROBOT_LIMITS.wecom);
    return { url, body: { msgtype: 'markdown', markdown: { content } } };
  }
  const title = noticeSubject(n);
  const body = (text: string) => ({ msgtype: 'markdown', markdown: { title, text } });
  const text = fitNoticeMarkdown(n, report, (candidate) => Buffer.byteLength(JSON.stringify(body(candidate)), 'utf8') <= ROBOT_LIMITS.dingtalk, 'dingtalk');
  const u = new URL(url);
  if (secret) {
    u.searchParams.set('timestamp', String(now));
    u.searchParams.set('sign', dingtalkSign(secret, now));
  }
  return { url: u.href, body: body(text) };
}

export async function sendRobot(kind: Robot, url: string, secret: string | null, n: Notice, report: ReportInfo, timeoutMs: number, now: number): Promise<Attempt> {
  const req = robotRequest(kind, url, secret, n, report, now);
  const u = new URL(req.url);
  const secrets = [...u.searchParams.values()].filter((v) => v.length >= 3).concat(secret ? [secret] : []);
  try {
    const res = await fetch(req.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json; charset=utf-8' },
      body: JSON.stringify(req.body),
      signal: AbortSignal.timeout(timeoutMs),
      redirect: 'error',
    });
    const body = await res.text();
    if (res.status >= 400) return { ok: false, reason: t('remind.why.http', { status: `${res.status} ${said(res.statusText, secrets)}`.trim() }) };
    let answer: { errcode?: unknown; errmsg?: unknown };
    try {
      answer = JSON.parse(body) as typeof answer;
    } catch {
      return { ok: false, reason: t('remind.why.badAnswer') };
    }
    if (typeof answer !== 'object' || answer === null || typeof answer.errcode !== 'number') return { ok: false, reason: t('remind.why.badAnswer') };
    if (answer.errcode !== 0) return { ok: false, reason: t('remind.why.errcode', { code: answer.errcode, message: said(String(answer.errmsg ?? ''), secrets) }) };
    return { ok: true };
  } catch (e) {
    const err = e as Error & { cause?: { code?: string } };
    if (err.name === 'TimeoutError' || err.name === 'AbortError') return { ok: false, reason: t('remind.why.timeout', { seconds: timeoutMs / 1000 }) };
    if (err.cause?.code === 'ECONNREFUSED') return { ok: false, reason: t('remind.why.refused', { host: u.host }) };
    if (err.cause?.code === 'ENOTFOUND' || err.cause?.code === 'EAI_AGAIN') return { ok: false, reason: t('remind.why.dns', { host: u.hostname }) };
    return { ok: false, reason: t('remind.why.other', { message: said(String(err.cause ?? err.message), secrets) }) };
  }
}
