// What the supervision commands (contact, remind) keep in a ledger: where reminders go, and
// which notices were sent. One small interface beside Store, written once over both backends
// (the server decides who may read the addresses, and refuses a write a role may not make).
import type { DumpContact, DumpNotice } from '../core/dump.js';
import type { IsoDate } from '../core/types.js';
import type { Channel, Contact } from '../core/remind.js';
import type { Db, Param } from './sql.js';

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
  /** Every contact with its addresses, to send to. A role that may read the names only is
   *  refused as for an admin's write (on a server: exit 4, naming the admin role and who can
   *  grant it), since sending reads the addresses and records what went. */
  contactsToSend(): Promise<Contact[]>;
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
  /** The day a notice sent now is recorded on, given the client's day and time: on a file the
   *  client's day; on a server the one its trigger writes (027, the server's date in the
   *  ledger's offset), so that "already sent today" is asked of the day the notices carry. */
  noticeDay(day: IsoDate, at: string): Promise<IsoDate>;
}

/** Where a backend differs in keeping contacts and notices. */
export interface SupervisionAccess {
  db: Db;
  /** Runs fn as a write (an admin's, on a server). */
  write<T>(fn: () => Promise<T>): Promise<T>;
  read<T>(fn: () => Promise<T>): Promise<T>;
  now(): string;
  /** FOR UPDATE inside a write, where the backend locks what it reads. */
  lock(): string;
  /** Whether this role may read the contacts' addresses (on a server, an admin only: the others
   *  read the names from contact_names); null when the ledger has no such tables (a file made
   *  before supervision and opened without upgrading). */
  mayRead(): Promise<boolean | null>;
  /** SupervisionStore.noticeDay, as the backend records it. */
  noticeDay(day: IsoDate, at: string): Promise<IsoDate>;
}

interface NoticeRow { at: string; day: string; by: string; recipient: string; channel: string; items: string; db_user: string | null }

const NOTICE_COLUMNS = 'at, day, by, recipient, channel, items, db_user';

function toNotice(r: NoticeRow): NoticeRecord {
  return {
    at: r.at, day: r.day as IsoDate, by: r.by, recipient: r.recipient, channel: r.channel as Channel,
    items: r.items === '' ? [] : r.items.split(','), ...(r.db_user !== null ? { dbUser: r.db_user } : {}),
  };
}

async function names(a: SupervisionAccess): Promise<string[]> {
  const from = (await a.mayRead()) === false ? 'contact_names' : 'contacts';
  return (await a.db.all<{ name: string }>(`SELECT name FROM ${from} ORDER BY name`)).map((r) => r.name);
}

export function supervisionOf(a: SupervisionAccess): SupervisionStore {
  const { db } = a;
  const everyContact = () => db.all<Contact>('SELECT name, email, webhook, secret FROM contacts ORDER BY name');
  const contacts = () => a.read(async () => ((await a.mayRead()) === false ? null : everyContact()));
  return {
    contacts,
    // The server refuses this role the addresses: asked for as an admin's write, the refusal
    // is the one every admin's command gets.
    contactsToSend: async () => (await contacts()) ?? a.write(everyContact),
    contactNames: () => a.read(() => names(a)),
    setContact: (c) => a.write(async () => {
      const old = await db.get<Contact>(`SELECT name, email, webhook, secret FROM contacts WHERE name = ?${a.lock()}`, [c.name]);
      if (old && old.email === c.email && old.webhook === c.webhook && old.secret === c.secret) return 'same' as const;
      await db.run(
        `INSERT INTO contacts (name, email, webhook, secret, updated_at) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (name) DO UPDATE SET email = excluded.email, webhook = excluded.webhook, secret = excluded.secret, updated_at = excluded.updated_at`,
        [c.name, c.email, c.webhook, c.secret, a.now()]);
      return old ? 'updated' as const : 'added' as const;
    }),
    removeContact: (name) => a.write(async () => (await db.run('DELETE FROM contacts WHERE name = ?', [name])) > 0),
    notices: (f) => a.read(async () => {
      const where: string[] = [];
      const params: Param[] = [];
      if (f.day) { where.push('day = ?'); params.push(f.day); }
      if (f.since) { where.push('day >= ?'); params.push(f.since); }
      return (await db.all<NoticeRow>(
        `SELECT ${NOTICE_COLUMNS} FROM notices ${where.length ? 'WHERE ' + where.join(' AND ') : ''} ORDER BY key DESC`, params)).map(toNotice);
    }),
    noticeDay: (day, at) => a.read(() => a.noticeDay(day, at)),
    recordNotice: (n) => a.write(async () => {
      await db.run('INSERT INTO notices (at, day, by, recipient, channel, items) VALUES (?, ?, ?, ?, ?, ?)',
        [n.at, n.day, n.by, n.recipient, n.channel, n.items.join(',')]);
    }),
  };
}

/** The contacts (by name) and the notices sent (oldest first) as dump records. A role that may
 *  read the names only (anyone but an admin) gets each contact withheld. */
export async function supervisionRecords(a: SupervisionAccess): Promise<(DumpContact | DumpNotice)[]> {
  const may = await a.mayRead();
  if (may === null) return [];
  const out: (DumpContact | DumpNotice)[] = [];
  if (may) {
    for (const c of await a.db.all<Contact>('SELECT name, email, webhook, secret FROM contacts ORDER BY name')) {
      out.push({ kind: 'contact', name: c.name, email: c.email, webhook: c.webhook, secret: c.secret });
    }
  } else {
    for (const name of await names(a)) out.push({ kind: 'contact', name, email: null, webhook: null, secret: null, withheld: true });
  }
  for (const r of await a.db.all<NoticeRow>(`SELECT ${NOTICE_COLUMNS} FROM notices ORDER BY key`)) out.push({ kind: 'notice', ...toNotice(r) });
  return out;
}
