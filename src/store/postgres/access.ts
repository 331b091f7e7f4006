// Membership of a ledger's group roles: what `grant`, `revoke` and `users` change and show.
// The server checks who may grant (ADMIN OPTION on the group role, which admins hold).
import { EXIT, RectifyError } from '../../errors.js';
import type { LedgerAccess, LedgerRole } from '../types.js';
import { errorCode } from './connect.js';
import type { PgStore } from './store.js';

const RANK: Record<LedgerRole, number> = { viewer: 0, staff: 1, admin: 2 };

export function ledgerAccess(store: PgStore): LedgerAccess {
  const { roles, addr } = store;
  const refused = (e: unknown): unknown =>
    errorCode(e) === '42501' || (e instanceof RectifyError && e.key === 'pg.refused')
      ? new RectifyError('access.notAdmin', { user: addr.user, address: addr.shown, admin: roles.admin }, { exit: EXIT.notAllowed })
      : e;
  // The server decides (grant_role, revoke_role: admins only, existing login roles only, never
  // the last admin); login admins hold no ADMIN OPTION, so psql cannot go around it.
  const change = async (fn: 'grant_role' | 'revoke_role', user: string, role: LedgerRole) =>
    store.write(async () => {
      try {
        return (await store.get<{ done: boolean }>(`SELECT ${fn}($1, $2) AS done`, [user, role]))!.done;
      } catch (e) {
        if (errorCode(e) === 'P0002') throw new RectifyError('access.noUser', { user }, { exit: EXIT.notFound, hint: 'access.noUserHint' });
        if (errorCode(e) === 'P0003') {
          throw new RectifyError('access.lastAdmin', { user, address: addr.shown }, { exit: EXIT.notAllowed, hint: 'access.lastAdminHint' });
        }
        throw refused(e);
      }
    });
  return {
    shown: addr.shown,
    grant: (user, role) => change('grant_role', user, role),
    revoke: (user, role) => change('revoke_role', user, role),
    async users() {
      const rows = await store.reading(() => store.all<{ user: string; grp: string }>(
        `WITH RECURSIVE m (member, grp) AS (
           SELECT member, roleid FROM pg_auth_members WHERE roleid IN (SELECT oid FROM pg_roles WHERE rolname IN ($1, $2, $3))
           UNION
           SELECT am.member, m.grp FROM pg_auth_members am JOIN m ON am.roleid = m.member)
         SELECT u.rolname AS user, g.rolname AS grp
           FROM m JOIN pg_roles u ON u.oid = m.member JOIN pg_roles g ON g.oid = m.grp
          WHERE u.rolcanlogin`, [roles.viewer, roles.staff, roles.admin]));
      const byName: Record<string, LedgerRole> = { [roles.viewer]: 'viewer', [roles.staff]: 'staff', [roles.admin]: 'admin' };
      const best = new Map<string, LedgerRole>();
      for (const r of rows) {
        const role = byName[r.grp]!;
        const had = best.get(r.user);
        if (!had || RANK[role] > RANK[had]) best.set(r.user, role);
      }
      return [...best].map(([user, role]) => ({ user, role }))
        .sort((a, b) => RANK[b.role] - RANK[a.role] || Buffer.compare(Buffer.from(a.user), Buffer.from(b.user)));
    },
  };
}
