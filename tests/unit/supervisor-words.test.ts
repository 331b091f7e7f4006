// What `rectify grant USER supervisor` says: the count of ledgers in the singular for one.
import { describe, expect, it } from 'vitest';
import { supervisorLine } from '../../src/commands/supervisor.js';

describe('the supervisor grant line', () => {
  it('counts one ledger in the singular and several in the plural, granted or already granted', () => {
    const r = (ledgers: number, changed: boolean) => ({ changed, database: 'county', ledgers, role: 'county_supervisor' });
    expect(supervisorLine('alice', true, r(1, true), 'en')).toBe('alice is now supervisor of database county: reads its 1 ledger and every ledger made there later (role county_supervisor), writes nothing.');
    expect(supervisorLine('alice', true, r(2, true), 'en')).toBe('alice is now supervisor of database county: reads its 2 ledgers and every ledger made there later (role county_supervisor), writes nothing.');
    expect(supervisorLine('alice', true, r(1, false), 'en')).toBe('alice already was supervisor of database county (1 ledger, role county_supervisor).');
    expect(supervisorLine('alice', true, r(0, false), 'en')).toBe('alice already was supervisor of database county (0 ledgers, role county_supervisor).');
    expect(supervisorLine('alice', true, r(1, true), 'zh')).toBe('alice 现为数据库 county 的督查角色：可读其中 1 本台账及以后新建的每本台账（角色 county_supervisor），不能写入。');
    expect(supervisorLine('alice', false, r(1, true), 'en')).toBe('alice is no longer supervisor of database county.');
  });
});
