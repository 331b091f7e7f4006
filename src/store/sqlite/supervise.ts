// Contacts and sent notices in a ledger file (store/supervise.ts says what each method does).
import type { DumpContact, DumpNotice } from '../../core/dump.js';
import type { IsoDate } from '../../core/types.js';
import type { Contact, NoticeRecord, SupervisionStore } from '../supervise.js';
import type { Param, Sql } from './sql.js';

interface NoticeRow { at: string; day: string; by: string; recipient: string; channel: string; items: string; db_user: string | null }

export function sqliteSupervision(sql: Sql, run: <T>(fn: () => T) => Promise<T>, read: <T>(fn: () => T) => Promise<T>, now: () => string): SupervisionStore {
  return {
    contacts: () => read(() => sql.all<Contact>('SELECT name, email, webhook, secret FROM contacts ORDER BY name')),
    contactNames: () => read(() => sql.column<string>('SELECT name FROM contacts ORDER BY name')),
    setContact: (c) => run(() => {
      const old = sql.get<Contact>('SELECT name, email, webhook, secret FROM contacts WHERE name = ?', c.name);
      if (old && old.email === c.email && old.webhook === c.webhook && old.secret === c.secret) return 'same' as const;
      sql.changes(
        `INSERT INTO contacts (name, email, webhook, secret, updated_at) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (name) DO UPDATE SET email = excluded.email, webhook = excluded.webhook, secret = excluded.secret, updated_at = excluded.updated_at`,
        c.name, c.email, c.webhook, c.secret, now());
      return old ? 'updated' as const : 'added' as const;
    }),
    removeContact: (name) => run(() => sql.changes('DELETE FROM contacts WHERE name = ?', name) > 0),
    notices: (f) => read(() => {
      const where: string[] = [];
      const params: Param[] = [];
      if (f.day) { where.push('day = ?'); params.push(f.day); }
      if (f.since) { where.push('day >= ?'); params.push(f.since); }
      const rows = sql.all<NoticeRow>(
        `SELECT at, day, by, recipient, channel, items, db_user FROM notices ${where.length ? 'WHERE ' + where.join(' AND ') : ''} ORDER BY key DESC`,
        ...params);
      return rows.map(toNotice);
    }),
    recordNotice: (n) => run(() => {
      sql.run('INSERT INTO notices (at, day, by, recipient, channel, items) VALUES (?, ?, ?, ?, ?, ?)',
        n.at, n.day, n.by, n.recipient, n.channel, n.items.join(','));
    }),
  };
}

export function toNotice(r: NoticeRow): NoticeRecord {
  return {
    at: r.at, day: r.day as IsoDate, by: r.by, recipient: r.recipient, channel: r.channel as NoticeRecord['channel'],
    items: r.items === '' ? [] : r.items.split(','), ...(r.db_user !== null ? { dbUser: r.db_user } : {}),
  };
}

/** The contacts (by name) and the notices sent (oldest first) as dump records; none on a
 *  ledger made before supervision whose file was not upgraded. */
export function supervisionRecords(sql: Sql): (DumpContact | DumpNotice)[] {
  if (!sql.get(`SELECT 1 AS x FROM sqlite_schema WHERE type = 'table' AND name = 'notices'`)) return [];
  const out: (DumpContact | DumpNotice)[] = [];
  for (const c of sql.all<Contact>('SELECT name, email, webhook, secret FROM contacts ORDER BY name')) {
    out.push({ kind: 'contact', name: c.name, email: c.email, webhook: c.webhook, secret: c.secret });
  }
  for (const r of sql.all<NoticeRow>('SELECT at, day, by, recipient, channel, items, db_user FROM notices ORDER BY key')) {
    out.push({ kind: 'notice', ...toNotice(r) });
  }
  return out;
}

