// What the supervision commands (contact, remind) keep in a ledger: where reminders go, and
// which notices were sent. One small interface beside Store, implemented by each backend in
// its own file (sqlite/supervise.ts, postgres/supervise.ts).
import type { IsoDate } from '../core/types.js';
import type { Channel, Contact } from '../core/remind.js';

export type { Channel, Contact };

/** A notice that went: to whom, by which channel, on which day, about which items. */
export interface NoticeRecord {
  at: string;
  day: IsoDate;
  by: string;
  recipient: string;
  channel: Channel;
  /** The ids of the items the notice named, sorted. */
  items: string[];
  /** On a server: the database role that recorded it. */
  dbUser?: string;
}

export interface SupervisionStore {
  /** Every contact with its addresses, by name; null when this role may read the names only
   *  (on a server, anyone but an admin: the server refuses the addresses). */
  contacts(): Promise<Contact[] | null>;
  /** The names of the contacts (anyone who may read the ledger). */
  contactNames(): Promise<string[]>;
  /** Adds or replaces a contact (call inside write()); 'same' when nothing changed. */
  setContact(c: Contact): Promise<'added' | 'updated' | 'same'>;
  /** Removes a contact (inside write()); false when there was none by that name. */
  removeContact(name: string): Promise<boolean>;
  /** The notices sent, newest first; `day` only those of that day, `since` from that day. */
  notices(filter: { day?: IsoDate; since?: IsoDate }): Promise<NoticeRecord[]>;
  /** Records one notice that went (inside write()). */
  recordNotice(n: Omit<NoticeRecord, 'dbUser'>): Promise<void>;
}
