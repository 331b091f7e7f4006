// 督办 end to end, in this process (the dispatcher as the binary runs it): contacts, remind as
// text and files, sending to real servers started here on 127.0.0.1 (an SMTP server that
// receives the mail, an HTTP server playing the 企业微信 and 钉钉 robots with their documented
// answers, errors included), failures injected, and score; on a ledger file and, with
// RECTIFY_TEST_PG, on a server.
import { createHmac } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createNetServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run } from '../../src/cli.js';
import { sink } from '../helpers/inproc.js';
import { HAS_PG, asUser, dbSql, freshLedgerUrl, loginRole } from '../helpers/pg.js';

const TODAY = '2026-03-10';

async function rectify(db: string, args: string[], env: Record<string, string> = {}) {
  const out = sink();
  const err = sink();
  const code = await run(['--db', db, ...args], { LANG: 'en_US.UTF-8', RECTIFY_USER: 'secretary', RECTIFY_TODAY: TODAY, TZ: 'Asia/Shanghai', ...env },
    { stdout: out.stream, stderr: err.stream, stdinIsTTY: () => false });
  return { code, stdout: out.text(), stderr: err.text() };
}

// --- servers ------------------------------------------------------------------------------

interface Received { mail: ParsedMail; raw: string; to: string[] }
const mails: Received[] = [];
let smtp: SMTPServer;
let smtpPort = 0;

interface Hit { path: string; query: URLSearchParams; body: Record<string, unknown> }
const hits: Hit[] = [];
/** Run before the robot answers (a change made while a notice is on its way). */
let meanwhile: (() => Promise<void>) | null = null;
let http: Server;
let httpPort = 0;
const hanging: ServerResponse[] = [];
const DING_SECRET = 'SECtest0secret';

let refusedPort = 0;

function listen(server: { listen: (port: number, host: string, cb: () => void) => unknown }, address: () => AddressInfo | string | null): Promise<number> {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve((address() as AddressInfo).port)));
}

function robot(req: IncomingMessage, res: ServerResponse, body: string): void {
  const url = new URL(req.url ?? '/', 'http://127.0.0.1');
  const hit: Hit = { path: url.pathname, query: url.searchParams, body: JSON.parse(body || '{}') as Record<string, unknown> };
  hits.push(hit);
  const json = (status: number, answer: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(answer));
  };
  switch (url.pathname) {
    case '/cgi-bin/webhook/send':
      // 企业微信: a key it knows, else its documented error for an invalid key.
      // Its documented limit: markdown.content at most 4096 bytes of UTF-8 (errcode 40058 over it).
      if (Buffer.byteLength(String((hit.body.markdown as { content?: string } | undefined)?.content ?? ''), 'utf8') > 4096) {
        json(200, { errcode: 40058, errmsg: 'markdown.content exceed max length 4096. invalid Request Parameter' });
      } else if (url.searchParams.get('key') === 'good-key') json(200, { errcode: 0, errmsg: 'ok' });
      else json(200, { errcode: 93000, errmsg: 'invalid webhook url' });
      break;
    case '/robot/send': {
      // 钉钉: with a secret, the signature must match (310000 otherwise).
      const ts = url.searchParams.get('timestamp') ?? '';
      const sign = createHmac('sha256', DING_SECRET).update(`${ts}\n${DING_SECRET}`).digest('base64');
      // Its documented limit: a body of at most 20000 bytes (errcode 460101 over it).
      if (Buffer.byteLength(body, 'utf8') > 20_000) json(200, { errcode: 460101, errmsg: 'message too long, exceed 20000 bytes' });
      else if (url.searchParams.get('sign') !== sign) json(200, { errcode: 310000, errmsg: 'sign not match' });
      else json(200, { errcode: 0, errmsg: 'ok' });
      break;
    }
    case '/broken':
      res.writeHead(500);
      res.end('internal error');
      break;
    case '/hang':
      hanging.push(res);
      break;
    default:
      json(404, { errcode: 404 });
  }
}

beforeAll(async () => {
  smtp = new SMTPServer({
    disabledCommands: ['STARTTLS'],
    allowInsecureAuth: true,
    authOptional: false,
    logger: false,
    onAuth(auth, _session, cb) {
      if (auth.username === 'office' && auth.password === 'p@ss/w#rd') return cb(null, { user: 'office' });
      return cb(new Error('Invalid username or password'));
    },
    onData(stream, session, cb) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        void simpleParser(raw).then((mail) => {
          mails.push({ mail, raw, to: session.envelope.rcptTo.map((r) => r.address) });
          cb();
        });
      });
    },
  });
  smtpPort = await listen(smtp as never, () => (smtp as unknown as { server: { address(): AddressInfo } }).server.address());
  http = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8').on('data', (d: string) => (body += d)).on('end', () => {
      const before = meanwhile;
      meanwhile = null;
      void (before ? before() : Promise.resolve()).then(() => robot(req, res, body));
    });
  });
  httpPort = await listen(http, () => http.address());
  const closed = createNetServer();
  refusedPort = await listen(closed, () => closed.address());
  await new Promise((r) => closed.close(r));
});

afterAll(async () => {
  for (const res of hanging) res.destroy();
  http?.closeAllConnections();
  await new Promise((r) => http?.close(r));
  await new Promise((r) => smtp?.close(r as () => void));
});

const SMTP = () => `smtp://office:${encodeURIComponent('p@ss/w#rd')}@127.0.0.1:${smtpPort}`;
const FROM = '督查室 <duchashi@example.org>';
const wecom = (key: string) => `wecom:http://127.0.0.1:${httpPort}/cgi-bin/webhook/send?key=${key}`;
const ding = (token: string) => `dingtalk:http://127.0.0.1:${httpPort}/robot/send?access_token=${token}`;

/** A ledger as of TODAY: 办公室 (王建国 M1.1 overdue 9 days, 李明 M1.2 due in 2 days), 宣传部
 *  (张华 M2.1 due in 5 days, M2.2 in May: green). */
async function ledger(db: string): Promise<void> {
  expect((await rectify(db, ['init'])).code).toBe(0);
  for (const [id, owner, dept, due] of [
    ['M1.1', '王建国', '办公室', '2026-03-01'], ['M1.2', '李明', '办公室', '2026-03-12'],
    ['M2.1', '张华', '宣传部', '2026-03-15'], ['M2.2', '张华', '宣传部', '2026-05-15'],
  ] as const) {
    expect((await rectify(db, ['assign', id, owner, '--department', dept, '--due', due])).code).toBe(0);
  }
}

const send = (db: string, extra: string[] = []) => rectify(db, ['remind', '--send', '--smtp', SMTP(), '--from', FROM, '--timeout', '1', ...extra]);

function suite(name: string, address: () => Promise<string>) {
  describe(name, () => {
    it('keeps contacts, shows them without a robot key or a secret, and refuses a bad address', async () => {
      const db = await address();
      await ledger(db);
      expect(await rectify(db, ['contact', 'set', '办公室', '--email', 'office@example.org', '--webhook', wecom('good-key')])).toMatchObject({ code: 0, stdout: 'contact 办公室 added\n' });
      expect(await rectify(db, ['contact', 'set', '宣传部', '--webhook', ding('tok-123456'), '--secret', DING_SECRET])).toMatchObject({ code: 0 });
      expect((await rectify(db, ['contact', 'set', '宣传部', '--webhook', ding('tok-123456')])).stdout).toBe('contact 宣传部 unchanged\n');
      const shown = await rectify(db, ['contacts']);
      expect(shown.code).toBe(0);
      expect(shown.stdout).toContain('office@example.org');
      expect(shown.stdout).toContain('key=***');
      expect(shown.stdout).not.toContain('good-key');
      expect(shown.stdout).not.toContain('tok-123456');
      expect(shown.stdout).not.toContain(DING_SECRET);
      const bad = await rectify(db, ['contact', 'set', '办公室', '--webhook', 'slack:https://hooks.example/x?key=leak-me']);
      expect(bad.code).toBe(2);
      expect(bad.stderr).not.toContain('leak-me');
      expect((await rectify(db, ['contact', 'set', '办公室', '--email', 'not-an-address'])).code).toBe(2);
      // A secret with a control character (C1's U+0085 too): refused before it is written, as
      // the export reader (and on a server migration 039) would refuse it.
      for (const secret of ['SEC\u0085x', 'SEC\u0007x']) {
        const r = await rectify(db, ['contact', 'set', '宣传部', '--secret', secret]);
        expect([r.code, r.stdout, r.stderr]).toEqual([2, '', `rectify: the signing secret holds a control character (${secret === 'SEC\u0085x' ? 'U+0085' : 'U+0007'})\n`]);
      }
      expect((await rectify(db, ['contact', 'rm', '无此人'])).code).toBe(3);
      expect((await rectify(db, ['contact', 'rm', '宣传部'])).stdout).toBe('contact 宣传部 removed\n');
    });

    it('prints one notice per owner and department with red or yellow items, and changes nothing', async () => {
      const db = await address();
      await ledger(db);
      const r = await rectify(db, ['remind']);
      expect(r.code).toBe(0);
      const heads = r.stdout.split('\n').filter((l) => l.startsWith('Supervision notice'));
      expect(heads).toEqual([
        'Supervision notice · 办公室 (department)', 'Supervision notice · 王建国 (owner)', 'Supervision notice · 李明 (owner)',
        'Supervision notice · 宣传部 (department)', 'Supervision notice · 张华 (owner)',
      ]);
      expect(r.stdout).toContain('● RED  [M1.1]');
      expect(r.stdout).toContain('due 2026-03-01 (9 days overdue)');
      expect(r.stdout).toContain('▲ YELLOW  [M1.2]');
      expect(r.stdout).not.toContain('M2.2');
      const one = await rectify(db, ['remind', '--to', '张华', '--days', '3']);
      expect(one.stdout).toBe('');
      expect(one.stderr).toContain('nothing to remind for 张华');
      const log = await rectify(db, ['log', '--json']);
      expect(JSON.parse(log.stdout).filter((e: { action: string }) => e.action === 'remind')).toEqual([]);
    });

    it('writes one Word notice per recipient, or text', async () => {
      const db = await address();
      await ledger(db);
      const dir = mkdtempSync(join(tmpdir(), 'rectify-notices-'));
      try {
        expect((await rectify(db, ['remind', '-o', dir, '--to', '办公室,张华'])).code).toBe(0);
        const files = readdirSync(dir).sort();
        expect(files).toEqual(['supervision-notice-办公室-2026-03-10.docx', 'supervision-notice-张华-2026-03-10.docx']);
        const zip = readFileSync(join(dir, files[0]!));
        expect(zip.subarray(0, 2).toString()).toBe('PK');
        const { default: mammoth } = await import('mammoth');
        const text = (await mammoth.extractRawText({ buffer: zip })).value;
        expect(text).toContain('Supervision notice');
        expect(text).toContain('M1.1');
        expect(text).toContain('9 days overdue');
        expect((await rectify(db, ['remind', '-o', dir, '--format', 'text', '--to', '李明'])).code).toBe(0);
        expect(readFileSync(join(dir, 'supervision-notice-李明-2026-03-10.txt'), 'utf8')).toBe((await rectify(db, ['remind', '--to', '李明'])).stdout);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });

    it('sends the mail and both robots, records each, and does not send it twice the same day', async () => {
      const db = await address();
      await ledger(db);
      await rectify(db, ['contact', 'set', '办公室', '--email', 'office@example.org', '--webhook', wecom('good-key')]);
      await rectify(db, ['contact', 'set', '宣传部', '--webhook', ding('tok-1'), '--secret', DING_SECRET]);
      const mailsBefore = mails.length;
      const hitsBefore = hits.length;
      const r = await send(db);
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      expect(r.stdout.split('\n').filter(Boolean)).toEqual([
        '办公室  e-mail  sent', '办公室  WeCom  sent', '王建国  -  skipped: no contact', '李明  -  skipped: no contact',
        '宣传部  DingTalk  sent', '张华  -  skipped: no contact',
      ]);
      expect(r.stdout + r.stderr).not.toContain('p@ss');

      // The mail, decoded: the names and subject as a mail client shows them, the text part
      // exactly what `remind` prints for that recipient, an HTML part with the table.
      const got = mails.slice(mailsBefore);
      expect(got).toHaveLength(1);
      const { mail, raw, to } = got[0]!;
      expect(to).toEqual(['office@example.org']);
      expect(mail.subject).toBe('Supervision notice: 1 overdue, 1 due soon (2026-03-10)');
      expect(mail.from?.value).toEqual([{ address: 'duchashi@example.org', name: '督查室' }]);
      expect((mail.to as { value: unknown[] }).value).toEqual([{ address: 'office@example.org', name: '办公室' }]);
      expect(raw).toMatch(/^Subject: (Supervision notice:|=\?UTF-8\?)/m);
      expect(raw).toMatch(/^From: =\?UTF-8\?[BQ]\?/m);
      expect(raw).not.toMatch(/[^\x00-\x7f]/);
      expect(mail.text).toBe((await rectify(db, ['remind', '--to', '办公室'])).stdout);
      expect(mail.html).toContain('<td style="border:1px solid #999;padding:4px 8px;white-space:nowrap">M1.1</td>');
      expect(mail.html).toContain('落实理论学习中心组和“第一议题”学习制度');

      // The robots: the documented markdown messages.
      const robotHits = hits.slice(hitsBefore);
      expect(robotHits.map((h) => h.path)).toEqual(['/cgi-bin/webhook/send', '/robot/send']);
      const w = robotHits[0]!.body as { msgtype: string; markdown: { content: string } };
      expect(w.msgtype).toBe('markdown');
      expect(w.markdown.content).toContain('M1.1');
      expect(w.markdown.content).toContain('<font color="warning">● RED</font>');
      const d = robotHits[1]!.body as { msgtype: string; markdown: { title: string; text: string } };
      expect(d.msgtype).toBe('markdown');
      expect(d.markdown.title).toBe('Supervision notice: 0 overdue, 1 due soon (2026-03-10)');
      expect(d.markdown.text).toContain('M2.1');
      expect(Number(robotHits[1]!.query.get('timestamp'))).toBeGreaterThan(1_600_000_000_000);

      // The same day, the same items: nothing goes again, unless forced.
      const again = await send(db);
      expect(again.code).toBe(0);
      expect(again.stdout).toContain('办公室  e-mail  skipped: already sent today');
      expect(again.stdout).toContain('宣传部  DingTalk  skipped: already sent today');
      expect(mails.length - mailsBefore).toBe(1);
      expect(hits.length - hitsBefore).toBe(2);
      const forced = await send(db, ['--force', '--to', '宣传部']);
      expect(forced.stdout).toBe('宣传部  DingTalk  sent\n');

      // log shows what went, newest first.
      const log = JSON.parse((await rectify(db, ['log', '--json'])).stdout) as { action: string; recipient?: string; channel?: string; items?: string[] }[];
      const sent = log.filter((e) => e.action === 'remind');
      expect(sent.map((e) => [e.recipient, e.channel, e.items])).toEqual([
        ['宣传部', 'dingtalk', ['M2.1']], ['宣传部', 'dingtalk', ['M2.1']], ['办公室', 'wecom', ['M1.1', 'M1.2']], ['办公室', 'email', ['M1.1', 'M1.2']],
      ]);
      expect((await rectify(db, ['log'])).stdout).toContain('notice to 办公室 by e-mail: M1.1, M1.2');
      // The JSON is data: the same whatever the language; the notice's facts are its fields.
      const zh = (await rectify(db, ['log', '--json', '--lang', 'zh'])).stdout;
      expect(zh).toBe((await rectify(db, ['log', '--json'])).stdout);
      expect((JSON.parse(zh) as { action: string; note: unknown }[]).filter((e) => e.action === 'remind').every((e) => e.note === null)).toBe(true);
    });

    it('says per recipient and channel what failed and why, sends the rest, exits 1, records only what went', async () => {
      const db = await address();
      await ledger(db);
      // 办公室: mail refused at login; 王建国: a robot whose key the server rejects (errcode in
      // a 200); 李明: a server answering 500; 宣传部: nobody listening; 张华: a server that
      // never answers; and one that works, to show the rest still go.
      const badSmtp = `smtp://office:wrong@127.0.0.1:${smtpPort}`;
      await rectify(db, ['contact', 'set', '办公室', '--email', 'office@example.org']);
      await rectify(db, ['contact', 'set', '王建国', '--webhook', wecom('revoked-key')]);
      await rectify(db, ['contact', 'set', '李明', '--webhook', `wecom:http://127.0.0.1:${httpPort}/broken?key=k1`]);
      await rectify(db, ['contact', 'set', '宣传部', '--webhook', `wecom:http://127.0.0.1:${refusedPort}/cgi-bin/webhook/send?key=k2`]);
      await rectify(db, ['contact', 'set', '张华', '--webhook', `dingtalk:http://127.0.0.1:${httpPort}/hang?access_token=t3`, '--email', 'zh@example.org']);
      const t0 = Date.now();
      const r = await rectify(db, ['remind', '--send', '--smtp', badSmtp, '--from', FROM, '--timeout', '1']);
      expect(Date.now() - t0).toBeLessThan(8000);
      expect(r.code).toBe(1);
      const lines = r.stdout.split('\n').filter(Boolean);
      expect(lines).toEqual([
        '办公室  e-mail  failed: the SMTP server refused the login',
        '王建国  WeCom  failed: the robot answered errcode 93000: invalid webhook url',
        '李明  WeCom  failed: the server answered 500 Internal Server Error',
        `宣传部  WeCom  failed: connection refused by 127.0.0.1:${refusedPort}`,
        '张华  e-mail  failed: the SMTP server refused the login',
        '张华  DingTalk  failed: no answer within 1 s',
      ]);
      expect(r.stderr).toContain('rectify: 6 notice(s) could not be sent');
      expect(r.stdout + r.stderr).not.toMatch(/revoked-key|wrong/);
      let log = JSON.parse((await rectify(db, ['log', '--json'])).stdout) as { action: string }[];
      expect(log.filter((e) => e.action === 'remind')).toEqual([]);

      // The login works now; the robots still fail: the mails go and only they are recorded.
      const mixed = await send(db);
      expect(mixed.code).toBe(1);
      expect(mixed.stdout).toContain('办公室  e-mail  sent');
      expect(mixed.stdout).toContain('张华  e-mail  sent');
      log = JSON.parse((await rectify(db, ['log', '--json'])).stdout) as { action: string }[];
      expect(log.filter((e) => e.action === 'remind').map((e) => (e as { channel?: string }).channel)).toEqual(['email', 'email']);
    });

    it('refuses a connection refused by the SMTP server as a failure of that recipient alone', async () => {
      const db = await address();
      await ledger(db);
      await rectify(db, ['contact', 'set', '办公室', '--email', 'office@example.org', '--webhook', wecom('good-key')]);
      const r = await rectify(db, ['remind', '--send', '--smtp', `smtp://127.0.0.1:${refusedPort}`, '--from', FROM, '--timeout', '1', '--to', '办公室']);
      expect(r.code).toBe(1);
      expect(r.stdout).toBe(`办公室  e-mail  failed: connection refused by 127.0.0.1:${refusedPort}\n办公室  WeCom  sent\n`);
    });

    it('with --dry-run says what would go and sends nothing', async () => {
      const db = await address();
      await ledger(db);
      await rectify(db, ['contact', 'set', '办公室', '--email', 'office@example.org', '--webhook', wecom('good-key')]);
      const before = [mails.length, hits.length];
      const r = await send(db, ['--dry-run']);
      expect(r.code).toBe(0);
      expect(r.stdout).toContain('办公室  e-mail  would be sent (office@example.org)');
      expect(r.stdout).toContain('办公室  WeCom  would be sent (wecom:http://127.0.0.1:');
      expect(r.stdout).not.toContain('good-key');
      expect([mails.length, hits.length]).toEqual(before);
      expect((await rectify(db, ['remind', '--send', '--to', '办公室'])).code).toBe(2);
    });

    it('scores each department as of the day', async () => {
      const db = await address();
      await ledger(db);
      // Brought forward (not an extension), then moved later: one extension.
      expect((await rectify(db, ['assign', 'M2.1', '--due', '2026-03-01'])).code).toBe(0);
      expect((await rectify(db, ['assign', 'M2.1', '--due', '2026-03-02'])).code).toBe(0);
      const r = await rectify(db, ['score', '--json']);
      expect(r.code).toBe(0);
      const rows = JSON.parse(r.stdout) as { name: string | null; items: number; overdue: number; daysOverdue: number; extensions: number }[];
      expect(rows.slice(0, 2).map((x) => [x.name, x.items, x.overdue, x.daysOverdue, x.extensions])).toEqual([
        ['办公室', 2, 1, 9, 0], ['宣传部', 2, 1, 8, 1],
      ]);
      const text = await rectify(db, ['score', '--by', 'owner']);
      expect(text.stdout).toMatch(/^王建国 +1 +0 +0 +1 +9 +0 +0%$/m);
      // The 通报 section ends the text report, within 80 columns; the report without it is unchanged.
      const plain = await rectify(db, ['report']);
      const withScore = await rectify(db, ['report', '--score']);
      expect(withScore.stdout.startsWith(plain.stdout)).toBe(true);
      const section = withScore.stdout.slice(plain.stdout.length);
      expect(section).toContain('Assessment (circular) as of 2026-03-10');
      expect(section).toMatch(/^办公室 +2 +0 +0 +1 +9 +0 +0%$/m);
      // The deadline before its extension (03-01, brought forward) has passed: expected 1, rate 0%.
      expect(section).toMatch(/^宣传部 +2 +0 +0 +1 +8 +1 +0%$/m);
      const { default: stringWidth } = await import('string-width');
      for (const line of withScore.stdout.split('\n')) expect(stringWidth(line)).toBeLessThanOrEqual(80);
      expect((await rectify(db, ['report', '--format', 'md', '--score', 'owner'])).stdout).toContain('## Assessment (circular) as of 2026-03-10');
      // A grouping it does not know is bad input, not a quiet score by department.
      const typo = await rectify(db, ['score', '--by', 'ownr']);
      expect([typo.code, typo.stdout, typo.stderr.trim()]).toEqual([2, '', 'rectify: score groups --by department or owner, not "ownr"']);
      expect((await rectify(db, ['score', '--by', 'OWNER'])).stdout).toBe(text.stdout);
    });
  });
}

let dir = '';
beforeAll(() => void (dir = mkdtempSync(join(tmpdir(), 'rectify-supervise-'))));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
suite('on a ledger file', async () => join(dir, `l${++n}.db`));
if (HAS_PG) suite('on a server', () => freshLedgerUrl());

describe.runIf(HAS_PG)('on a server, who may see the addresses', () => {
  it('lets viewers and staff see the names only, through rectify and through plain SQL alike', async () => {
    const url = await freshLedgerUrl();
    await ledger(url);
    await rectify(url, ['contact', 'set', '办公室', '--email', 'office@example.org', '--webhook', wecom('good-key')]);
    const viewer = await loginRole('sv_viewer', 'pw-v');
    const staff = await loginRole('sv_staff', 'pw-s');
    expect((await rectify(url, ['grant', viewer, 'viewer'])).code).toBe(0);
    expect((await rectify(url, ['grant', staff, 'staff'])).code).toBe(0);
    for (const [user, pw] of [[viewer, 'pw-v'], [staff, 'pw-s']] as const) {
      const as = asUser(url, user, pw);
      const names = await rectify(as, ['contacts']);
      expect(names).toMatchObject({ code: 0, stdout: '办公室\n' });
      expect(names.stderr).toContain('only admins see the addresses');
      const set = await rectify(as, ['contact', 'set', '办公室', '--email', 'evil@example.org']);
      expect(set.code).toBe(4);
      // Refused as any admin's command is (postgres.md: one line naming the role that would
      // allow it and who can grant it), not as the names-only note of `contacts`.
      const send = await rectify(as, ['remind', '--send', '--smtp', SMTP(), '--from', FROM]);
      expect(send.code).toBe(4);
      expect(send.stderr).toMatch(new RegExp(`^rectify: ${user} may not do this on the ledger at .*: it needs the role \\S+_admin, which a member of \\S+_admin can grant \\(\`rectify grant ${user} admin\`\\)\\n$`));
      // Plain SQL as that role: the table is the server's to refuse.
      const u = new URL(as);
      const schema = u.searchParams.get('schema')!;
      u.searchParams.delete('schema');
      const sql = await dbSql(u.toString());
      await expect(sql.unsafe(`SELECT email, webhook, secret FROM "${schema}".contacts`)).rejects.toThrow(/permission denied/);
      await expect(sql.unsafe(`UPDATE "${schema}".contacts SET email = 'evil@example.org'`)).rejects.toThrow(/permission denied/);
      await expect(sql.unsafe(`INSERT INTO "${schema}".notices (at, day, by, recipient, channel, items) VALUES ('x', 'x', 'x', 'x', 'email', 'x')`)).rejects.toThrow(/permission denied/);
      expect(await sql.unsafe(`SELECT name FROM "${schema}".contact_names`)).toEqual([{ name: '办公室' }]);
    }
    expect((await rectify(url, ['contacts'])).stdout).toContain('office@example.org');
  });
});

describe.runIf(HAS_PG)('on a server, an admin whose day is not the server\'s', () => {
  it('is not sent a second reminder the same day: "already sent" is judged on the day the server records', async () => {
    const url = await freshLedgerUrl();
    await ledger(url);
    await rectify(url, ['contact', 'set', '宣传部', '--webhook', ding('tok-day'), '--secret', DING_SECRET]);
    const admin = await loginRole('sv_day', 'pw-d');
    expect((await rectify(url, ['grant', admin, 'admin'])).code).toBe(0);
    const as = asUser(url, admin, 'pw-d');
    // The client's day is TODAY (RECTIFY_TODAY), the server records its own date (027).
    const first = await rectify(as, ['remind', '--send', '--to', '宣传部']);
    expect([first.code, first.stdout, first.stderr]).toEqual([0, '宣传部  DingTalk  sent\n', '']);
    const again = await rectify(as, ['remind', '--send', '--to', '宣传部']);
    expect([again.code, again.stdout, again.stderr]).toEqual([0, '宣传部  DingTalk  skipped: already sent today\n', '']);
    const notices = JSON.parse((await rectify(url, ['log', '--json'])).stdout) as { action: string }[];
    expect(notices.filter((e) => e.action === 'remind')).toHaveLength(1);
  });
});

/** The ledger on a server, 办公室 and 宣传部 with a robot each, and an admin login role sending
 *  to both while `change` is made (as the owner) before 办公室's robot answers. */
async function sendWhile(suffix: string, change: string[]) {
  const url = await freshLedgerUrl();
  await ledger(url);
  await rectify(url, ['contact', 'set', '宣传部', '--webhook', ding(`tok-${suffix}`), '--secret', DING_SECRET]);
  await rectify(url, ['contact', 'set', '办公室', '--webhook', wecom('good-key')]);
  const admin = await loginRole(`sv_${suffix}`, 'pw-r');
  expect((await rectify(url, ['grant', admin, 'admin'])).code).toBe(0);
  // 办公室's notice goes first (its red item).
  meanwhile = async () => {
    expect((await rectify(url, change)).code).toBe(0);
  };
  const r = await rectify(asUser(url, admin, 'pw-r'), ['remind', '--send', '--to', '办公室,宣传部']);
  const recorded = (JSON.parse((await rectify(url, ['log', '--json'])).stdout) as { action: string }[]).filter((e) => e.action === 'remind').length;
  return [r.code, r.stdout, r.stderr, recorded];
}

describe.runIf(HAS_PG)('on a server, a notice whose items or contact change while it is on its way', () => {
  it('is recorded as it went when an item moves to another department, and the rest still go', async () => {
    expect(await sendWhile('race', ['assign', 'M1.1', '王建国', '--department', '宣传部']))
      .toEqual([0, '办公室  WeCom  sent\n宣传部  DingTalk  sent\n', '', 2]);
  });

  it('is said as sent and not recorded when its contact is removed, and the rest still go, exit 1', async () => {
    expect(await sendWhile('gone', ['contact', 'rm', '办公室'])).toEqual([1,
      '办公室  WeCom  sent, not recorded: the ledger refused the record (its contact or an item changed meanwhile, or you may no longer record notices)\n宣传部  DingTalk  sent\n',
      'rectify: 1 notice(s) went but are not recorded as sent\nhint: they went all the same; sending again would send them a second time (rectify contacts shows who has which channel now)\n', 1]);
  });
});

describe('a notice longer than a chat robot takes', () => {
  it('is cut to the robot\'s documented limit, the most urgent items kept, saying how many were left out', async () => {
    const db = join(dir, 'many.db');
    // 160 overdue items of one owner in one department, with long titles: ~17 KB of Markdown.
    const items = Array.from({ length: 160 }, (_, k) => [
      `      - id: M1.${k + 1}`,
      `        title: "第${k + 1}项整改事项：健全完善制度机制并抓好督促检查和跟踪问效工作落实到位"`,
      '        owner: 王建国',
      '        department: 办公室',
      `        due: "2026-02-${String(1 + (k % 28)).padStart(2, '0')}"`,
    ].join('\n'));
    const seed = join(dir, 'many.yaml');
    writeFileSync(seed, ['version: 1', 'report:', '  title: 关于某单位的整改方案', 'areas:', '  - id: A1', '    name: 作风', '    problems:',
      '      - id: P1.1', '        title: 督办不力', 'causes: []', 'measures:', '  - id: M1', '    title: 措施', '    items:', ...items, ''].join('\n'));
    expect((await rectify(db, ['init', seed])).code).toBe(0);
    await rectify(db, ['contact', 'set', '王建国', '--webhook', wecom('good-key')]);
    await rectify(db, ['contact', 'set', '办公室', '--webhook', ding('tok-many'), '--secret', DING_SECRET]);
    hits.length = 0;
    const r = await send(db);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const wecomText = String((hits.find((h) => h.path === '/cgi-bin/webhook/send')!.body.markdown as { content: string }).content);
    const dingText = String((hits.find((h) => h.path === '/robot/send')!.body.markdown as { text: string }).text);
    for (const [text, limit] of [[wecomText, 4096], [dingText, 20_000]] as const) {
      expect(Buffer.byteLength(text, 'utf8')).toBeLessThanOrEqual(limit);
      const listed = text.split('\n').filter((l) => l.startsWith('- ')).length;
      const more = /… and (\d+) more items not listed here \(160 in all\)/.exec(text);
      expect(more, text.slice(-400)).not.toBeNull();
      expect(listed + Number(more![1])).toBe(160);
      // Nearly the whole limit used: no more than one more item would have fitted.
      expect(Buffer.byteLength(text, 'utf8')).toBeGreaterThan(limit * 0.9);
      // The most overdue first: 2026-02-01 is the earliest due date.
      expect(text.split('\n').find((l) => l.startsWith('- '))).toContain('2026-02-01');
    }
    // 钉钉's limit is on the whole body, so it holds many more than 企业微信's.
    expect(dingText.length).toBeGreaterThan(wecomText.length * 3);
  });
});
