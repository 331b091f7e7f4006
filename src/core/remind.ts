// Reminders (督办通知): who gets one as of a day, and about which items. Pure: the notices are
// built here from the items; the words are ui/remind.ts's, the sending commands/remind-send.ts's.
import { daysBetween } from './dates.js';
import { lightsAsOf } from './lights.js';
import { compareNames } from './summary.js';
import type { IsoDate, Item } from './types.js';

/** The ways a notice can go: e-mail, the 企业微信 group robot, the 钉钉 custom robot. */
export const CHANNELS = ['email', 'wecom', 'dingtalk'] as const;
export type Channel = (typeof CHANNELS)[number];
export const ROBOTS = ['wecom', 'dingtalk'] as const;
export type Robot = (typeof ROBOTS)[number];

/** Where reminders for an owner or a department go. */
export interface Contact {
  name: string;
  email: string | null;
  /** `wecom:URL` or `dingtalk:URL`, as given to `contact set --webhook`. */
  webhook: string | null;
  /** The 钉钉 robot's signing secret (加签). */
  secret: string | null;
}

export interface NoticeItem {
  id: string;
  title: string;
  due: IsoDate;
  light: 'red' | 'yellow';
  /** Days past due (red) or days left (yellow; 0 = due that day). */
  days: number;
  owner: string | null;
  department: string | null;
  progress: number;
}

export interface Notice {
  recipient: string;
  /** What the recipient answers for: as owner (责任人), as department (责任部门), or both. */
  as: ('owner' | 'department')[];
  asOf: IsoDate;
  window: number;
  /** Red items first (most overdue first), then yellow (soonest first); ties in listing order. */
  items: NoticeItem[];
  red: number;
  yellow: number;
}

/**
 * One notice per recipient with red or yellow items as of `asOf`: each owner and each
 * department (a name that is both gets one notice holding the items of both). `items` come in
 * listing order. `to`, when given, keeps only the recipients named (exactly as stored).
 * Recipients: most red items first, then most yellow, then by name (pinyin order, as `status` orders owners).
 */
export function buildNotices(items: readonly Item[], asOf: IsoDate, window: number, to?: readonly string[]): Notice[] {
  const light = lightsAsOf(asOf, window);
  const by = new Map<string, { as: Set<'owner' | 'department'>; items: NoticeItem[]; order: Map<string, number> }>();
  items.forEach((item, pos) => {
    const l = light(item);
    if (l !== 'red' && l !== 'yellow') return;
    const due = item.due!;
    const n: NoticeItem = {
      id: item.id, title: item.title, due, light: l,
      days: l === 'red' ? daysBetween(due, asOf) : daysBetween(asOf, due),
      owner: item.owner, department: item.department, progress: item.progress,
    };
    for (const [as, name] of [['owner', item.owner], ['department', item.department]] as const) {
      if (name === null) continue;
      let r = by.get(name);
      if (!r) by.set(name, (r = { as: new Set(), items: [], order: new Map() }));
      r.as.add(as);
      if (!r.order.has(n.id)) {
        r.order.set(n.id, pos);
        r.items.push(n);
      }
    }
  });
  const wanted = to ? new Set(to) : null;
  const notices: Notice[] = [];
  for (const [recipient, r] of by) {
    if (wanted && !wanted.has(recipient)) continue;
    const sorted = [...r.items].sort((a, b) => {
      if (a.light !== b.light) return a.light === 'red' ? -1 : 1;
      if (a.due !== b.due) return a.due < b.due ? -1 : 1;
      return r.order.get(a.id)! - r.order.get(b.id)!;
    });
    notices.push({
      recipient,
      as: (['owner', 'department'] as const).filter((a) => r.as.has(a)),
      asOf, window, items: sorted,
      red: sorted.filter((i) => i.light === 'red').length,
      yellow: sorted.filter((i) => i.light === 'yellow').length,
    });
  }
  return notices.sort((a, b) => b.red - a.red || b.yellow - a.yellow || compareNames(a.recipient, b.recipient));
}

/** What makes two notices "the same": the items they name, sorted. */
export function noticeKey(n: Pick<Notice, 'items'>): string[] {
  return n.items.map((i) => i.id).sort();
}

/** The longest robot address and signing secret a contact keeps (what an export reloads). */
export const WEBHOOK_MAX = 2000;
export const SECRET_MAX = 500;

/** A chat robot's address as `contact set --webhook` takes it. */
export type Webhook = { kind: Robot; url: string };

/** `wecom:https://…/webhook/send?key=K` or `dingtalk:https://…/robot/send?access_token=T`:
 *  the robot and its URL, or why it is none ('kind', 'url', 'key'). */
export function parseWebhook(text: string): Webhook | { bad: 'kind' | 'url' | 'key' } {
  const m = /^([a-z]+):(.*)$/i.exec(text.trim());
  if (!m) return { bad: 'kind' };
  const kind = m[1]!.toLowerCase();
  if (kind !== 'wecom' && kind !== 'dingtalk') return { bad: 'kind' };
  let url: URL;
  try {
    url = new URL(m[2]!);
  } catch {
    return { bad: 'url' };
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return { bad: 'url' };
  const param = kind === 'wecom' ? 'key' : 'access_token';
  if (!url.searchParams.get(param)) return { bad: 'key' };
  return { kind, url: url.href };
}

/** A URL as it may be shown: the robot's key or token, any other secret-looking parameter and
 *  any user and password replaced by `***`. Unparseable text is not echoed. */
export function maskUrl(text: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return '***';
  }
  if (url.username) url.username = '***';
  if (url.password) url.password = '***';
  const params = [...url.searchParams.keys()];
  for (const k of params) {
    if (/key|token|secret|sign|pass|auth/i.test(k)) url.searchParams.set(k, '***');
  }
  return url.href.replace(/%2A%2A%2A/g, '***');
}

/** A webhook as it may be shown: its kind and masked URL. */
export function maskWebhook(text: string): string {
  const w = parseWebhook(text);
  return 'bad' in w ? '***' : `${w.kind}:${maskUrl(w.url)}`;
}

/** A simple check of an e-mail address: one @, something on each side, no spaces or brackets. */
export function isEmail(text: string): boolean {
  return /^[^\s@<>(),;:"]+@[^\s@<>(),;:"]+\.[^\s@<>(),;:"]+$/.test(text);
}
