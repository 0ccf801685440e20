//! The restore wizard's grouping: the profile to restore first, newest first in each group.
import { describe, expect, it } from 'vitest';
import type { BackupHeader, ProfileView } from '../ipc';
import { groupBackups } from './index';

const backup = (profileId: string, profileName: string, createdAt: string): BackupHeader => ({
  path: `/b/${profileId}-${createdAt}`, profile_id: profileId, kind: 'automatic', created_at: createdAt, app_version: '0.1.0',
  schema_version: 3, profile_name: profileName, size: 1, location: 'profile', snapshot_checked: true,
});
const profile = (id: string, name: string): ProfileView => ({ id, name, admin: false, created_at: '', keychain_enabled: false });

describe('groupBackups', () => {
  it('puts the profile to restore first, then the others here, then strangers', () => {
    const list = [
      backup('b', 'Bob', '2026-11-30T10:00:00Z'),
      backup('x', 'Xavier', '2026-12-01T09:00:00Z'),
      backup('a', 'Alice', '2026-11-01T10:00:00Z'),
      backup('a', 'Alice', '2026-11-29T10:00:00Z'),
      backup('b', 'Bob', '2026-12-01T08:00:00Z'),
    ];
    const groups = groupBackups(list, [{ name: 'Alice', state: 'vault_missing' }, { name: 'Bob', state: 'ok' }],
      [profile('a', 'Alice'), profile('b', 'Bob')]);
    expect(groups.map((g) => [g.profileId, g.needsRestore])).toEqual([['a', true], ['b', false], ['x', false]]);
    // Alice's newest is first although Bob's and Xavier's are more recent.
    expect(groups[0]!.backups.map((b) => b.created_at)).toEqual(['2026-11-29T10:00:00Z', '2026-11-01T10:00:00Z']);
    expect(groups[1]!.backups[0]!.created_at).toBe('2026-12-01T08:00:00Z');
  });
});
