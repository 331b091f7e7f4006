// The JSON shapes of the contract (docs/cli.md), each built by one function.
import type { Light } from '../core/lights.js';
import type { DumpContact, DumpItem, DumpNotice, DumpRecord } from '../core/dump.js';
import { maskWebhook } from '../core/remind.js';
import type { HistoryEntry, Item, ItemDetail } from '../core/types.js';
import type { LedgerExport } from '../store/types.js';

/** An item; with `light` given (list, show), its light as of the day too (docs/cli.md, "Lights"). */
export function itemJson(i: Item, light?: Light | null) {
  return {
    id: i.id,
    title: i.title,
    detail: i.detail,
    measure: i.measure,
    addresses: i.addresses,
    owner: i.owner,
    department: i.department,
    due: i.due,
    term: i.term,
    status: i.status,
    progress: i.progress,
    ...(light === undefined ? {} : { light }),
    createdAt: i.createdAt,
    updatedAt: i.updatedAt,
  };
}

/** One history entry as `show` and `export` print it (oldest first); `changes` is extra. */
export function historyJson(h: HistoryEntry) {
  return { at: h.at, by: h.by, ...dbUserJson(h), action: h.action, status: h.status, progress: h.progress, note: h.note, changes: h.changes };
}

/** One history entry as `log` prints it (newest first). */
export function logJson(h: HistoryEntry) {
  return { at: h.at, by: h.by, ...dbUserJson(h), item: h.item, action: h.action, status: h.status, progress: h.progress, note: h.note, changes: h.changes, ...undoJson(h) };
}

/** What an undo took back, and whether an entry was taken back: facts, worded when shown
 *  (`show` and `log` only; an export's history is the record as written). */
function undoJson(h: HistoryEntry): { undoes?: NonNullable<HistoryEntry['undoes']>; undone?: true } {
  return { ...(h.undoes ? { undoes: h.undoes } : {}), ...(h.undone ? { undone: true as const } : {}) };
}

/** The database role that recorded an entry, where it is known (a ledger on a server). */
function dbUserJson(h: HistoryEntry): { dbUser?: string } {
  return h.dbUser === undefined ? {} : { dbUser: h.dbUser };
}

export function showJson(d: ItemDetail, light?: Light | null) {
  return {
    ...itemJson(d, light),
    problems: d.problems.map((p) => ({ id: p.id, title: p.title })),
    evidence: d.evidence,
    history: d.history.map((h) => ({ ...historyJson(h), ...undoJson(h) })),
  };
}

/** A contact as it may be printed (`export`): the address, the robot's kind and masked URL,
 *  whether a secret is set (`***`), never a key or a secret. Withheld (the reader may see the
 *  names only): `***` in each field, since what is there is not known. */
export function redactContact(c: DumpContact): DumpContact {
  if (c.withheld) return { kind: 'contact', name: c.name, email: '***', webhook: '***', secret: '***', withheld: true };
  return { kind: 'contact', name: c.name, email: c.email, webhook: c.webhook === null ? null : maskWebhook(c.webhook), secret: c.secret === null ? null : '***' };
}

/** A contact in `export --format json` (redacted). */
export function contactJson(c: DumpContact) {
  const r = redactContact(c);
  return { name: r.name, email: r.email, webhook: r.webhook, secret: r.secret };
}

/** A notice sent in `export --format json`: as `log` knows it. */
export function noticeJson(n: DumpNotice) {
  return { at: n.at, day: n.day, by: n.by, ...(n.dbUser === undefined ? {} : { dbUser: n.dbUser }), recipient: n.recipient, channel: n.channel, items: n.items };
}

/** The 督办 part of an export: present only in a ledger that has contacts or notices, so that
 *  every other ledger exports the contract's shape (docs/cli.md) to the byte. */
function supervisionJson(contacts: ReturnType<typeof contactJson>[], notices: ReturnType<typeof noticeJson>[]) {
  return contacts.length === 0 && notices.length === 0 ? {} : { contacts, notices };
}

/** `export --format json` of a whole ledger; `supervision`: its contacts and notices sent, as
 *  the dump has them (the stream, writeExportJson, writes the same bytes). */
export function exportJson(l: LedgerExport, supervision: readonly (DumpContact | DumpNotice)[] = []) {
  return {
    version: l.version,
    report: l.report,
    areas: l.areas,
    causes: l.causes,
    measures: l.measures.map((m) => ({
      id: m.id,
      title: m.title,
      detail: m.detail,
      items: m.items.map((i) => ({ ...itemJson(i), evidence: i.evidence, history: i.history.map(historyJson) })),
    })),
    ...supervisionJson(
      supervision.filter((r): r is DumpContact => r.kind === 'contact').map(contactJson),
      supervision.filter((r): r is DumpNotice => r.kind === 'notice').map(noticeJson),
    ),
  };
}

export function toJson(value: unknown): string {
  return JSON.stringify(value, null, 2);
}

/** The item of `export --format json`, from a dump's record of it. */
function dumpItemJson(i: DumpItem) {
  return {
    ...itemJson({ ...i, createdAt: i.createdAt ?? '', updatedAt: i.updatedAt ?? '' }),
    evidence: i.evidence,
    history: (i.history ?? []).map((h) => historyJson({ ...h, dbUser: h.dbUser ?? undefined } as unknown as HistoryEntry)),
  };
}

/** `JSON.stringify(value, null, 2)` as it stands `depth` levels deep inside another value. */
function nested(value: unknown, depth: number): string {
  return JSON.stringify(value, null, 2).replace(/\n/g, '\n' + '  '.repeat(depth));
}

/**
 * `export --format json`, written as the dump is read: the same bytes as
 * `toJson(exportJson(ledger))`, but holding one area or one item at a time, never the ledger.
 * Relies on the dump's order (core/dump.ts): the report, each area followed by its problems,
 * the causes, each measure followed by its items.
 */
export async function writeExportJson(records: AsyncIterable<DumpRecord>, write: (text: string) => void): Promise<void> {
  let out = '';
  const emit = (text: string) => {
    out += text;
    if (out.length >= 65_536) {
      write(out);
      out = '';
    }
  };
  type Section = 'areas' | 'causes' | 'measures';
  let section: Section | null = null;
  let count = 0; // elements written in the open section
  let area: { id: string; name: string; problems: { id: string; title: string; detail: string | null }[] } | null = null;
  let itemsOpen = -1; // items written in the open measure; -1 when no measure is open
  const contacts: ReturnType<typeof contactJson>[] = [];
  const notices: ReturnType<typeof noticeJson>[] = [];
  const element = (text: string) => {
    emit((count++ === 0 ? '\n' : ',\n') + '    ' + text);
  };
  const closeMeasure = () => {
    if (itemsOpen < 0) return;
    emit(itemsOpen === 0 ? '[]\n    }' : '\n      ]\n    }');
    itemsOpen = -1;
  };
  const flushArea = () => {
    if (area) element(nested(area, 2));
    area = null;
  };
  const ORDER: Section[] = ['areas', 'causes', 'measures'];
  /** Closes the open section, writes any between as empty arrays, and opens `next`. */
  const open = (next: Section) => {
    if (section === next) return;
    let k = 0;
    if (section !== null) {
      flushArea();
      closeMeasure();
      emit(count === 0 ? ']' : '\n  ]');
      k = ORDER.indexOf(section) + 1;
    }
    for (; ORDER[k] !== next; k++) emit(`,\n  ${JSON.stringify(ORDER[k])}: []`);
    emit(`,\n  ${JSON.stringify(next)}: [`);
    count = 0;
    section = next;
  };
  for await (const r of records) {
    switch (r.kind) {
      case 'report':
        emit(`{\n  "version": 1,\n  "report": ${nested({ title: r.title, unit: r.unit, date: r.date }, 1)}`);
        break;
      case 'area':
        open('areas');
        flushArea();
        area = { id: r.id, name: r.name, problems: [] };
        break;
      case 'problem':
        area?.problems.push({ id: r.id, title: r.title, detail: r.detail });
        break;
      case 'cause':
        open('causes');
        element(nested({ id: r.id, title: r.title, detail: r.detail }, 2));
        break;
      case 'measure': {
        open('measures');
        closeMeasure();
        const head = nested({ id: r.id, title: r.title, detail: r.detail, items: 0 }, 2);
        element(head.slice(0, head.lastIndexOf('0')));
        itemsOpen = 0;
        break;
      }
      case 'item':
        emit((itemsOpen++ === 0 ? '[\n' : ',\n') + '        ' + nested(dumpItemJson(r), 4));
        break;
      case 'contact':
        contacts.push(contactJson(r));
        break;
      case 'notice':
        notices.push(noticeJson(r));
        break;
      default:
        break;
    }
  }
  open('measures');
  closeMeasure();
  emit(count === 0 ? ']' : '\n  ]');
  // Few beside the items (a contact per recipient, a notice per recipient and day): held whole.
  const extra = JSON.stringify(supervisionJson(contacts, notices), null, 2);
  emit(extra === '{}' ? '\n}' : `,\n${extra.slice(2)}`);
  write(out);
}
