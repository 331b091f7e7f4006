// Contacts and sent notices on a server (store/supervise.ts says what each method does). The
// server decides who may read the addresses: a role without SELECT on contacts gets the names
// from contact_names, and a write it may not make is refused by the server (exit 4).
import type { DumpContact, DumpNotice } from '../../core/dump.js';
import type { Contact, NoticeRecord, SupervisionStore } from '../supervise.js';
import type { Param } from './connect.js';

interface Db {
  all<T>(text: string, params?: Param[]): Promise<T[]>;
  get<T>(text: string, params?: Param[]): Promise<T | undefined>;
  run(text: string, params?: Param[]): Promise<number>;
}

interface NoticeRow { at: string; day: string; by: string; recipient: string; channel: string; items: string; db_user: string | null }

export function pgSupervision(db: Db, asAdmin: <T>(fn: () => Promise<T>) => Promise<T>, read: <T>(fn: () => Promise<T>) => Promise<T>, now: () => string): SupervisionStore {
  return {
    contacts: () => read(async () => {
      const may = await db.get<{ may: boolean }>(`SELECT has_table_privilege(to_regclass('contacts'), 'SELECT') AS may`);
      if (!may?.may) return null;
      return db.all<Contact>('SELECT name, email, webhook, secret FROM contacts ORDER BY name');
    }),
    contactNames: () => read(async () => (await db.all<{ name: string }>('SELECT name FROM contact_names ORDER BY name')).map((r) => r.name)),
    setContact: (c) => asAdmin(async () => {
      const old = await db.get<Contact>('SELECT name, email, webhook, secret FROM contacts WHERE name = $1 FOR UPDATE', [c.name]);
      if (old && old.email === c.email && old.webhook === c.webhook && old.secret === c.secret) return 'same' as const;
      await db.run(
        `INSERT INTO contacts (name, email, webhook, secret, updated_at) VALUES ($1, $2, $3, $4, $5::timestamptz)
         ON CONFLICT (name) DO UPDATE SET email = excluded.email, webhook = excluded.webhook, secret = excluded.secret, updated_at = excluded.updated_at`,
        [c.name, c.email, c.webhook, c.secret, now()]);
      return old ? 'updated' as const : 'added' as const;
    }),
    removeContact: (name) => asAdmin(async () => (await db.run('DELETE FROM contacts WHERE name = $1', [name])) > 0),
    notices: (f) => read(async () => {
      const where: string[] = [];
      const params: Param[] = [];
      if (f.day) { params.push(f.day); where.push(`day = $${params.length}`); }
      if (f.since) { params.push(f.since); where.push(`day >= $${params.length}`); }
      const rows = await db.all<NoticeRow>(
        `SELECT at, day, by, recipient, channel, items, db_user FROM notices ${where.length ? 'WHERE ' + where.join(' AND ') : ''} ORDER BY key DESC`, params);
      return rows.map((r): NoticeRecord => ({
        at: r.at, day: r.day, by: r.by, recipient: r.recipient, channel: r.channel as NoticeRecord['channel'],
        items: r.items === '' ? [] : r.items.split(','), ...(r.db_user !== null ? { dbUser: r.db_user } : {}),
      }));
    }),
    recordNotice: (n) => asAdmin(async () => {
      await db.run('INSERT INTO notices (at, day, by, recipient, channel, items) VALUES ($1, $2, $3, $4, $5, $6)',
        [n.at, n.day, n.by, n.recipient, n.channel, n.items.join(',')]);
    }),
  };
}

/** The contacts (by name) and the notices sent (oldest first) as dump records. A role that may
 *  read the names only (anyone but an admin) gets each contact withheld. */
export async function supervisionRecords(db: Db): Promise<(DumpContact | DumpNotice)[]> {
  const out: (DumpContact | DumpNotice)[] = [];
  const may = await db.get<{ may: boolean }>(`SELECT has_table_privilege(to_regclass('contacts'), 'SELECT') AS may`);
  if (may?.may) {
    for (const c of await db.all<Contact>('SELECT name, email, webhook, secret FROM contacts ORDER BY name')) {
      out.push({ kind: 'contact', name: c.name, email: c.email, webhook: c.webhook, secret: c.secret });
    }
  } else {
    for (const c of await db.all<{ name: string }>('SELECT name FROM contact_names ORDER BY name')) {
      out.push({ kind: 'contact', name: c.name, email: null, webhook: null, secret: null, withheld: true });
    }
  }
  for (const r of await db.all<NoticeRow>('SELECT at, day, by, recipient, channel, items, db_user FROM notices ORDER BY key')) {
    out.push({
      kind: 'notice', at: r.at, day: r.day, by: r.by, recipient: r.recipient, channel: r.channel as DumpNotice['channel'],
      items: r.items === '' ? [] : r.items.split(','), ...(r.db_user !== null ? { dbUser: r.db_user } : {}),
    });
  }
  return out;
}

