// `rectify grant USER supervisor` and `revoke USER supervisor`: read access to every ledger of
// a database, present and future, for a supervising body (store/postgres/supervisor.ts).
import type { Context } from '../context.js';
import { EXIT, RectifyError } from '../errors.js';
import { t } from '../i18n/index.js';
import { isServerAddress } from '../store/postgres/address.js';
import { cleanInline } from '../ui/text.js';

export async function changeSupervisorCommand(ctx: Context, user: string, grant: boolean): Promise<void> {
  if (!isServerAddress(ctx.dbPath)) {
    throw new RectifyError('access.fileLedger', {}, { exit: EXIT.badInput, hint: 'access.fileLedgerHint' });
  }
  const { changeSupervisor } = await import('../store/postgres/supervisor.js');
  const r = await changeSupervisor(ctx.dbPath, ctx.env, user, grant);
  const key = grant ? (r.changed ? 'supervisor.granted' : 'supervisor.alreadyGranted') : (r.changed ? 'supervisor.revoked' : 'supervisor.notGranted');
  ctx.io.out(t(key, { user: cleanInline(user), database: cleanInline(r.database), ledgers: r.ledgers, role: cleanInline(r.role) }));
}
