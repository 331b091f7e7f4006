// Membership of a ledger's group roles: what `grant`, `revoke` and `users` change and show.
// The server checks who may grant (ADMIN OPTION on the group role, which admins hold).
import { EXIT, RectifyError } from '../../errors.js';
import type { LedgerAccess, LedgerRole } from '../types.js';
import { quoteIdent } from './address.js';
import { errorCode } from './connect.js';
import type { PgStore } from './store.js';

const RANK: Record<LedgerRole, number> = { viewer: 0, staff: 1, admin: 2 };

export function ledgerAccess(store: PgStore): LedgerAccess {
  const { roles, addr } = store;
  const refused = (e: unknown): unknown =>
    errorCode(e) === '42501' || (e instanceof RectifyError && e.key === 'pg.refused')
      ? new RectifyError('access.notAdmin', { user: addr.user, address: addr.shown, admin: roles.admin }, { exit: EXIT.notAllowed })
      : e;
  const loginRole = async (user: string) => {
    const r = await store.get<{ login: boolean }>('SELECT rolcanlogin AS login FROM pg_roles WHERE rolname = $1', [user]);
    if (!r || !r.login) throw new RectifyError('access.noUser', { user }, { exit: EXIT.notFound, hint: 'access.noUserHint' });
  };
  const isMember = async (user: string, role: LedgerRole) => Boolean(await store.get(
    `SELECT 1 AS x FROM pg_auth_members m JOIN pg_roles g ON g.oid = m.roleid JOIN pg_roles u ON u.oid = m.member
      WHERE g.rolname = $1 AND u.rolname = $2`, [roles[role], user]));
  return {
    shown: addr.shown,
    async grant(user, role) {
      return store.write(async () => {
        await loginRole(user);
        if (await isMember(user, role)) return false;
        // An admin may grant admin in turn: the role comes with its ADMIN OPTION.
        try {
          await store.exec(`GRANT ${quoteIdent(roles[role])} TO ${quoteIdent(user)}${role === 'admin' ? ' WITH ADMIN OPTION' : ''}`);
        } catch (e) {
          throw refused(e);
        }
        return true;
      });
    },
    async revoke(user, role) {
      return store.write(async () => {
        await loginRole(user);
        if (!(await isMember(user, role))) return false;
        try {
          await store.exec(`REVOKE ${quoteIdent(roles[role])} FROM ${quoteIdent(user)}`);
        } catch (e) {
          throw refused(e);
        }
        return true;
      });
    },
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
