// The notices sent by `remind --send`, shown by `log` among the changes (newest first): each
// is an entry of its own (action `remind`), naming the recipient, the channel and the items.
// They are not history (no item changed); they come from the ledger's notices table.
import type { HistoryEntry, IsoDate } from '../core/types.js';
import type { Action } from '../core/vocab.js';
import { t } from '../i18n/index.js';
import type { Store } from '../store/types.js';
import type { NoticeRecord } from '../store/supervise.js';

export type NoticeEntry = HistoryEntry & { notice: NoticeRecord };

export function isNoticeEntry(h: HistoryEntry): h is NoticeEntry {
  return 'notice' in h;
}

/** The notices as log entries, newest first, of an item or a measure's items when asked. */
export async function noticeEntries(store: Store, filter: { item?: string; measure?: string; since?: IsoDate }): Promise<NoticeEntry[]> {
  const s = store.supervision?.();
  if (!s) return [];
  // `--since` is of the time a notice went, as for every change (the history's day is its
  // time's date), not of its `day`, the day it was sent for (today, RECTIFY_TODAY, --as-of).
  const all = await s.notices({});
  const lower = (x: string) => x.toLowerCase();
  return all
    .filter((n) => !filter.since || n.at.slice(0, 10) >= filter.since)
    .filter((n) => !filter.item || n.items.some((i) => lower(i) === lower(filter.item!)))
    .filter((n) => !filter.measure || n.items.some((i) => lower(i).startsWith(lower(filter.measure!) + '.')))
    .sort((a, b) => Date.parse(b.at) - Date.parse(a.at))
    .map((n) => ({
      seq: 0, at: n.at, by: n.by, item: n.items.join(','), action: 'remind' as Action, status: 'open', progress: 0,
      note: t('remind.log.note', { recipient: n.recipient, channel: t(`remind.channel.${n.channel}`), items: n.items.join(', ') }),
      changes: {}, ...(n.dbUser !== undefined ? { dbUser: n.dbUser } : {}), notice: n,
    }));
}

/** History pages with the notices put among them by time (newest first). */
export async function* withNotices(pages: AsyncIterable<HistoryEntry[]>, notices: readonly NoticeEntry[]): AsyncGenerator<HistoryEntry[]> {
  let k = 0;
  for await (const page of pages) {
    const out: HistoryEntry[] = [];
    for (const h of page) {
      while (k < notices.length && Date.parse(notices[k]!.at) > Date.parse(h.at)) out.push(notices[k++]!);
      out.push(h);
    }
    yield out;
  }
  if (k < notices.length) yield notices.slice(k);
}

/** A notice in `log --json`: the entry's fields, then who it went to, how, and the items. */
export function noticeJson(h: NoticeEntry) {
  return {
    at: h.at, by: h.by, ...(h.dbUser !== undefined ? { dbUser: h.dbUser } : {}), item: h.item, action: 'remind', status: null, progress: null,
    // No note was written: the facts are the fields below, the same in every language.
    note: null, recipient: h.notice.recipient, channel: h.notice.channel, items: h.notice.items,
  };
}
