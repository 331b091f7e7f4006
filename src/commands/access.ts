// grant, revoke, users: who may reach a shared ledger. Membership of the ledger's group roles
// on the server, which the server enforces; a ledger file has none of this.
import type { Context } from '../context.js';
import { EXIT, RectifyError } from '../errors.js';
import { t, type MessageKey } from '../i18n/index.js';
import { isServerAddress } from '../store/postgres/address.js';
import type { LedgerAccess, LedgerRole } from '../store/types.js';
import { toJson } from '../ui/json.js';
import { renderTable } from '../ui/table.js';
import { cleanInline } from '../ui/text.js';
import type { CommandSpec } from './types.js';

const ROLES: readonly string[] = ['viewer', 'staff', 'admin'];

/** Opens the ledger's access, or says that a file has none (before touching the file). */
async function withAccess<T>(ctx: Context, fn: (a: LedgerAccess) => Promise<T>): Promise<T> {
  if (!isServerAddress(ctx.dbPath)) {
    throw new RectifyError('access.fileLedger', {}, { exit: EXIT.badInput, hint: 'access.fileLedgerHint' });
  }
  const { openStore } = await import('../store/index.js');
  const store = await openStore(ctx.dbPath, { create: false, now: ctx.now });
  try {
    return await fn(store.access!());
  } finally {
    await store.close();
  }
}

function role(value: unknown): LedgerRole {
  const r = String(value ?? '').trim().toLowerCase();
  if (!ROLES.includes(r)) throw new RectifyError('access.badRole', { role: cleanInline(String(value ?? '')) }, { exit: EXIT.badInput });
  return r as LedgerRole;
}

const args = [
  { name: '<user>', description: 'access.arg.user' as const },
  { name: '<role>', description: 'access.arg.role' as const },
];

/** grant and revoke: the same command but for the change it asks of the server. */
function membership(name: 'grant' | 'revoke', summary: MessageKey, changed: MessageKey, unchanged: MessageKey): CommandSpec {
  return {
    name,
    summary,
    args,
    ledger: 'none',
    async run({ args: [user, r] }, ctx) {
      // The supervisor of a whole database: every ledger of it, present and future (supervisor.ts).
      if (String(r ?? '').trim().toLowerCase() === 'supervisor') {
        return (await import('./supervisor.js')).changeSupervisorCommand(ctx, String(user), name === 'grant');
      }
      const wanted = role(r);
      const who = String(user);
      await withAccess(ctx, async (a) => {
        const done = await a[name](who, wanted);
        ctx.io.out(t(done ? changed : unchanged, { user: cleanInline(who), role: wanted, address: a.shown }));
      });
    },
  };
}

export const grant = membership('grant', 'access.grant.summary', 'access.granted', 'access.alreadyGranted');
export const revoke = membership('revoke', 'access.revoke.summary', 'access.revoked', 'access.notGranted');

export const users: CommandSpec = {
  name: 'users',
  summary: 'access.users.summary',
  options: [{ flags: '--json', description: 'items.opt.json' }],
  ledger: 'none',
  async run({ opts }, ctx) {
    await withAccess(ctx, async (a) => {
      const list = await a.users();
      if (opts.json) ctx.io.out(toJson(list));
      else if (list.length === 0) ctx.io.out(t('access.none', { address: a.shown }));
      else ctx.io.out(renderTable([{ header: t('access.head.user') }, { header: t('access.head.role') }], list.map((u) => [cleanInline(u.user), u.role])).join('\n'));
    });
  },
};
