// `rectify grant USER supervisor` and `revoke USER supervisor`: read access to every ledger of
// a database, present and future, for a supervising body (store/postgres/supervisor.ts).
import type { Context } from '../context.js';
import { EXIT, RectifyError } from '../errors.js';
import { t, type Lang } from '../i18n/index.js';
import { isServerAddress } from '../store/postgres/address.js';
import { cleanInline } from '../ui/text.js';

export async function changeSupervisorCommand(ctx: Context, user: string, grant: boolean): Promise<void> {
  if (!isServerAddress(ctx.dbPath)) {
    throw new RectifyError('access.fileLedger', {}, { exit: EXIT.badInput, hint: 'access.fileLedgerHint' });
  }
  const { changeSupervisor } = await import('../store/postgres/supervisor.js');
  const r = await changeSupervisor(ctx.dbPath, ctx.env, user, grant);
  ctx.io.out(supervisorLine(user, grant, r));
}

/** What a grant or revoke of the supervisor role says. */
export function supervisorLine(user: string, grant: boolean, r: { changed: boolean; database: string; ledgers: number; role: string }, lang?: Lang): string {
  const key = grant ? (r.changed ? 'supervisor.granted' : 'supervisor.alreadyGranted') : (r.changed ? 'supervisor.revoked' : 'supervisor.notGranted');
  // One ledger in the singular (supervisor.granted.one).
  const one = r.ledgers === 1 && (key === 'supervisor.granted' || key === 'supervisor.alreadyGranted');
  return t(one ? `${key}.one` : key, { user: cleanInline(user), database: cleanInline(r.database), ledgers: r.ledgers, role: cleanInline(r.role) }, lang);
}
