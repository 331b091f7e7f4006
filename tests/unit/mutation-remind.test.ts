// The reminders' rules in process (src/core/remind.ts): who gets a notice as of a day and in
// what order, and how a robot's address is read and shown. Until now only the end-to-end tests
// reached them, through the bundle, where a mutant of src/ never goes: StrykerJS found every
// mutant of remind.ts uncovered (README, "Mutation testing").
import { describe, expect, it } from 'vitest';
import { buildNotices, isEmail, maskUrl, maskWebhook, noticeKey, parseWebhook } from '../../src/core/remind.js';
import type { Item } from '../../src/core/types.js';
import type { Status } from '../../src/core/vocab.js';

const AS_OF = '2026-03-10';
const item = (id: string, owner: string | null, department: string | null, due: string | null, status: Status = 'open'): Item => ({
  id, title: `title of ${id}`, detail: null, addresses: [], owner, department, due, term: 'deadline', status,
  progress: status === 'in_progress' ? 40 : 0, measure: 'M1',
  createdAt: '2026-01-05T09:00:00.000+08:00', updatedAt: '2026-03-09T09:00:00.000+08:00',
});
const summary = (ns: ReturnType<typeof buildNotices>) =>
  ns.map((n) => ({ recipient: n.recipient, as: n.as, red: n.red, yellow: n.yellow, items: n.items.map((i) => `${i.id}:${i.light}:${i.days}`) }));

describe('buildNotices', () => {
  it('gives each owner and each department with red or yellow items one notice; green, undated and finished items none', () => {
    const ns = buildNotices([
      item('A1', '王建国', '办公室', '2026-03-01'), // red, 9 days past
      item('A2', '王建国', '办公室', '2026-03-12', 'in_progress'), // yellow, 2 days left
      item('A3', '李明', '办公室', '2026-04-30'), // green
      item('A4', '李明', '宣传部', null), // green: no due date
      item('A5', '李明', '宣传部', '2026-03-01', 'done'), // finished: no light
      item('A6', '李明', '宣传部', '2026-02-01', 'verified'),
    ], AS_OF, 7);
    expect(summary(ns)).toEqual([
      { recipient: '办公室', as: ['department'], red: 1, yellow: 1, items: ['A1:red:9', 'A2:yellow:2'] },
      { recipient: '王建国', as: ['owner'], red: 1, yellow: 1, items: ['A1:red:9', 'A2:yellow:2'] },
    ]);
    const a2 = ns[0]!.items[1]!;
    expect(a2).toEqual({ id: 'A2', title: 'title of A2', due: '2026-03-12', light: 'yellow', days: 2, owner: '王建国', department: '办公室', progress: 40 });
    expect(ns[0]).toMatchObject({ asOf: AS_OF, window: 7 });
  });

  it('counts yellow up to the window\'s last day (due that day: 0 days left) and red from the day after the due date', () => {
    const ns = buildNotices([
      item('D0', '甲', null, AS_OF), // due today: yellow, 0 days left
      item('D3', '甲', null, '2026-03-13'), // the window's last day with --days 3
      item('D4', '甲', null, '2026-03-14'), // past the window: green
      item('R1', '甲', null, '2026-03-09'), // one day past
    ], AS_OF, 3);
    expect(summary(ns)).toEqual([{ recipient: '甲', as: ['owner'], red: 1, yellow: 2, items: ['R1:red:1', 'D0:yellow:0', 'D3:yellow:3'] }]);
  });

  it('gives a name that is both an owner and a department one notice holding the items of both, each once', () => {
    const ns = buildNotices([
      item('B1', '办公室', '宣传部', '2026-03-02'),
      item('B2', '王五', '办公室', '2026-03-03'),
      item('B3', '办公室', '办公室', '2026-03-04'),
    ], AS_OF, 7);
    const office = ns.find((n) => n.recipient === '办公室')!;
    expect(office.as).toEqual(['owner', 'department']);
    expect(office.items.map((i) => i.id)).toEqual(['B1', 'B2', 'B3']);
    expect(office.red).toBe(3);
  });

  it('lists red before yellow, the most overdue first and the soonest due first, ties in listing order', () => {
    const ns = buildNotices([
      item('Y2', '甲', null, '2026-03-15'),
      item('R2', '甲', null, '2026-03-05'),
      item('Y1', '甲', null, '2026-03-11'),
      item('R1', '甲', null, '2026-02-01'),
      item('Rb', '甲', null, '2026-03-05'),
      item('Ra', '甲', null, '2026-03-05'),
    ], AS_OF, 7);
    expect(ns[0]!.items.map((i) => i.id)).toEqual(['R1', 'R2', 'Rb', 'Ra', 'Y1', 'Y2']);
  });

  it('orders recipients by most red items, then most yellow, then by name', () => {
    const ns = buildNotices([
      item('1', '赵', null, '2026-03-11'),
      item('2', '钱', null, '2026-03-01'),
      item('3', '李', null, '2026-03-11'),
      item('4', '李', null, '2026-03-12'),
      item('5', '孙', null, '2026-03-01'),
      item('6', '孙', null, '2026-03-02'),
      item('7', '周', null, '2026-03-11'),
    ], AS_OF, 7);
    // 孙 2 red; 钱 1 red; 李 2 yellow; 赵 and 周 1 yellow each, by name in pinyin order (zhao before
    // zhou, where code points would put 周 U+5468 first). By name alone: 李 钱 孙 赵 周.
    expect(ns.map((n) => `${n.recipient}${n.red}/${n.yellow}`)).toEqual(['孙2/0', '钱1/0', '李0/2', '赵0/1', '周0/1']);
  });

  it('keeps only the recipients named with `to`, exactly as stored', () => {
    const items = [item('1', '王建国', '办公室', '2026-03-01'), item('2', '李明', '宣传部', '2026-03-01')];
    expect(buildNotices(items, AS_OF, 7, ['宣传部', '王建国', '无此人']).map((n) => n.recipient).sort()).toEqual(['宣传部', '王建国'].sort());
    expect(buildNotices(items, AS_OF, 7, [])).toEqual([]);
    expect(buildNotices(items, AS_OF, 7).length).toBe(4);
  });

  it('sends nobody a notice when nothing is red or yellow', () => {
    expect(buildNotices([item('1', '甲', '乙', '2026-06-01'), item('2', '甲', '乙', '2026-03-01', 'done')], AS_OF, 7)).toEqual([]);
  });
});

describe('noticeKey', () => {
  it('is the ids a notice names, sorted, whatever order the notice lists them in', () => {
    const ns = buildNotices([item('M2', '甲', null, '2026-03-11'), item('M10', '甲', null, '2026-03-01'), item('M1', '甲', null, '2026-03-12')], AS_OF, 7);
    expect(ns[0]!.items.map((i) => i.id)).toEqual(['M10', 'M2', 'M1']);
    expect(noticeKey(ns[0]!)).toEqual(['M1', 'M10', 'M2']);
  });
});

describe('parseWebhook', () => {
  it('reads a 企业微信 robot by its key and a 钉钉 robot by its access token, the kind in any case', () => {
    expect(parseWebhook(' wecom:https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=K1 ')).toEqual({ kind: 'wecom', url: 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=K1' });
    expect(parseWebhook('DingTalk:https://oapi.dingtalk.com/robot/send?access_token=T1')).toEqual({ kind: 'dingtalk', url: 'https://oapi.dingtalk.com/robot/send?access_token=T1' });
    expect(parseWebhook('wecom:http://127.0.0.1:8080/send?key=K')).toEqual({ kind: 'wecom', url: 'http://127.0.0.1:8080/send?key=K' });
  });

  it('says why a text is no robot: no or an unknown kind, no web address, or no key', () => {
    expect(parseWebhook('https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=K1')).toEqual({ bad: 'kind' });
    expect(parseWebhook('qyapi.weixin.qq.com/send?key=K1')).toEqual({ bad: 'kind' });
    expect(parseWebhook('slack:https://hooks.example/x?key=K')).toEqual({ bad: 'kind' });
    expect(parseWebhook('wecom:not a url')).toEqual({ bad: 'url' });
    expect(parseWebhook('wecom:ftp://example.com/send?key=K')).toEqual({ bad: 'url' });
    expect(parseWebhook('wecom:https://qyapi.weixin.qq.com/send')).toEqual({ bad: 'key' });
    expect(parseWebhook('wecom:https://qyapi.weixin.qq.com/send?key=')).toEqual({ bad: 'key' });
    // Each robot's own parameter: a 钉钉 token does not make a 企业微信 address, nor the reverse.
    expect(parseWebhook('wecom:https://x.example/send?access_token=T')).toEqual({ bad: 'key' });
    expect(parseWebhook('dingtalk:https://x.example/send?key=K')).toEqual({ bad: 'key' });
    // The kind starts the text, and the address runs to its end.
    expect(parseWebhook('my wecom:https://x.example/send?key=K')).toEqual({ bad: 'kind' });
    expect(parseWebhook('wecom:https://x.example/send?key=K\nwecom:https://y.example/send?key=L')).toEqual({ bad: 'kind' });
  });
});

describe('maskUrl and maskWebhook', () => {
  it('hides the key, token, secrets, user and password of an address and keeps the rest', () => {
    expect(maskUrl('https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=K1&debug=1')).toBe('https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=***&debug=1');
    expect(maskUrl('smtps://mailer:hunter2@smtp.example.com:465/')).toBe('smtps://***:***@smtp.example.com:465/');
    expect(maskUrl('smtp://mailer@smtp.example.com/')).toBe('smtp://***@smtp.example.com/');
    expect(maskUrl('https://h.example/s?access_token=T&timestamp=1&sign=S&client_secret=C&passwd=P&Authorization=A'))
      .toBe('https://h.example/s?access_token=***&timestamp=1&sign=***&client_secret=***&passwd=***&Authorization=***');
    expect(maskUrl('https://h.example/plain?page=2')).toBe('https://h.example/plain?page=2');
  });

  it('never echoes a text that is no address, nor a webhook that is none', () => {
    expect(maskUrl('key=K1 not a url')).toBe('***');
    expect(maskWebhook('slack:https://h.example/?key=K')).toBe('***');
    expect(maskWebhook('dingtalk:https://oapi.dingtalk.com/robot/send?access_token=T1')).toBe('dingtalk:https://oapi.dingtalk.com/robot/send?access_token=***');
  });
});

describe('isEmail', () => {
  it('takes one @ with something on each side and a dot in the domain', () => {
    for (const ok of ['wang@example.com', 'wang.jian-guo+ledger@mail.gov.cn', '王@例子.中国']) expect(isEmail(ok), ok).toBe(true);
    for (const bad of ['wang', 'wang@', '@example.com', 'wang@example', 'wang@@example.com', 'wang@exa@mple.com', 'wang @example.com',
      'Wang <wang@example.com>', 'wang@example.com,li@example.com', 'wang@example.com;', 'wang@example.', '"wang"@example.com', 'wang@example.com\n']) {
      expect(isEmail(bad), JSON.stringify(bad)).toBe(false);
    }
  });
});

describe('the notice as sent', () => {
  it('is signed by the unit and the report, naming the unit once when the title begins with it', async () => {
    const { setLang } = await import('../../src/i18n/index.js');
    const { renderNoticeText } = await import('../../src/ui/remind.js');
    setLang('zh');
    const [n] = buildNotices([item('A1', '王建国', null, '2026-03-01')], AS_OF, 7);
    const sign = (unit: string | null, title: string) => renderNoticeText(n!, { title, unit, date: null }).split('\n').find((l) => l.startsWith('发文'));
    expect(sign('市局领导班子', '市局领导班子主题教育对照检查材料')).toBe('发文：市局领导班子主题教育对照检查材料');
    expect(sign('市局办公室', '2026年度巡察整改方案')).toBe('发文：市局办公室·2026年度巡察整改方案');
    expect(sign(null, '整改方案')).toBe('发文：整改方案');
  });
});

describe('the notice in English', () => {
  it('has no Chinese punctuation of its own, as text or as a robot\'s Markdown; in Chinese it keeps them', async () => {
    const { setLang } = await import('../../src/i18n/index.js');
    const { renderNoticeMarkdown, renderNoticeText } = await import('../../src/ui/remind.js');
    const report = { title: 'Inspection report', unit: 'City office', date: null };
    const [n] = buildNotices([item('A1', 'Wang', null, '2026-03-01'), item('A2', 'Wang', null, '2026-03-12')], AS_OF, 7);
    setLang('en');
    const text = renderNoticeText(n!, report);
    const md = renderNoticeMarkdown(n!, report);
    for (const s of [text, md]) expect(s, s).not.toMatch(/[\u3000-\u303f\uff00-\uffef]/);
    expect(text.split('\n')).toContain('Overdue:');
    expect(md.split('\n')[0]).toBe('### Supervision notice: Wang (owner)');
    setLang('zh');
    expect(renderNoticeText(n!, report).split('\n')).toContain('【已逾期】');
    expect(renderNoticeMarkdown(n!, report).split('\n')[0]).toBe('### 督办通知单：Wang（责任人）');
  });
});

describe('a notice that cannot go', () => {
  it('says a host that does not resolve in words, not as a bare Node error', async () => {
    const { setLang } = await import('../../src/i18n/index.js');
    const { sendRobot } = await import('../../src/commands/remind-send.js');
    setLang('en');
    const [n] = buildNotices([item('A1', 'Wang', null, '2026-03-01')], AS_OF, 7);
    const r = await sendRobot('wecom', 'https://no-such-host.invalid/cgi-bin/webhook/send?key=SECRET1', null, n!, { title: 'r', unit: null, date: null }, 5000, 0);
    expect(r).toEqual({ ok: false, reason: 'no such host: no-such-host.invalid' });
  });
});

describe('the notice counts days in the singular too', () => {
  it('says "1 day overdue", "1 day left" and "due within 1 day"', async () => {
    const { setLang } = await import('../../src/i18n/index.js');
    const { renderNoticeText } = await import('../../src/ui/remind.js');
    setLang('en');
    const report = { title: 'Inspection report', unit: null, date: null };
    const [n] = buildNotices([item('A1', 'Wang', null, '2026-03-09'), item('A2', 'Wang', null, '2026-03-11')], AS_OF, 1);
    const text = renderNoticeText(n!, report);
    expect(text).toContain('due 2026-03-09 (1 day overdue)');
    expect(text).toContain('due 2026-03-11 (1 day left)');
    expect(text).toContain('1 overdue, 1 due within 1 day.');
    expect(text).not.toMatch(/\b1 days\b/);
    const [many] = buildNotices([item('A1', 'Wang', null, '2026-03-01'), item('A2', 'Wang', null, '2026-03-13')], AS_OF, 7);
    expect(renderNoticeText(many!, report)).toMatch(/9 days overdue[\s\S]*3 days left/);
  });

  it('says "due today" of a window of no days, not "due within 0 days", in both languages', async () => {
    const { setLang } = await import('../../src/i18n/index.js');
    const { renderNoticeText } = await import('../../src/ui/remind.js');
    const report = { title: 'Inspection report', unit: null, date: null };
    const [n] = buildNotices([item('A1', 'Wang', null, '2026-03-09'), item('A2', 'Wang', null, AS_OF)], AS_OF, 0);
    setLang('en');
    expect(renderNoticeText(n!, report)).toContain('1 overdue, 1 due today.');
    setLang('zh');
    expect(renderNoticeText(n!, report)).toContain('有 1 项已逾期、1 项今日到期：');
    setLang('en');
  });
});
