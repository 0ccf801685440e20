//! Backup and restore helpers: which profiles need the restore wizard, and ordering of
//! backups found on disk.
import type { BackupHeader, ProfileHealth, ProfileView } from '../ipc';

/** Profiles whose health is not ok: the app opens the restore wizard for them. */
export function unhealthy(health: ProfileHealth[]): ProfileHealth[] {
  return health.filter((h) => h.state !== 'ok');
}

/** Newest first. */
export function sortBackups<T extends BackupHeader>(list: T[]): T[] {
  return [...list].sort((a, b) => (a.created_at < b.created_at ? 1 : a.created_at > b.created_at ? -1 : 0));
}

/** Backups of one profile, newest first, and whether that profile needs restoring. */
export interface BackupGroup<T extends BackupHeader> {
  profileId: string;
  /** The name the newest backup gives the profile (or the local profile's). */
  name: string;
  /** A profile here whose data is missing or damaged: its group comes first. */
  needsRestore: boolean;
  backups: T[];
}

/**
 * The restore wizard's list: backups grouped by profile, the profiles that need
 * restoring first (in the order `health` names them), then the other profiles here,
 * then those of profiles not on this computer; newest first in each group.
 */
export function groupBackups<T extends BackupHeader>(
  list: T[],
  health: ProfileHealth[],
  profiles: ProfileView[],
): BackupGroup<T>[] {
  const broken = unhealthy(health).map((h) => profiles.find((p) => p.name === h.name)?.id).filter((id): id is string => !!id);
  const groups = new Map<string, BackupGroup<T>>();
  for (const b of sortBackups(list)) {
    let g = groups.get(b.profile_id);
    if (!g) {
      const local = profiles.find((p) => p.id === b.profile_id);
      g = { profileId: b.profile_id, name: local?.name ?? b.profile_name, needsRestore: broken.includes(b.profile_id), backups: [] };
      groups.set(b.profile_id, g);
    }
    g.backups.push(b);
  }
  const rank = (g: BackupGroup<T>) => {
    const i = broken.indexOf(g.profileId);
    if (i >= 0) return i;
    return profiles.some((p) => p.id === g.profileId) ? broken.length : broken.length + 1;
  };
  return [...groups.values()].sort((a, b) => rank(a) - rank(b) || a.name.localeCompare(b.name));
}

/** The file name of a path, for display (both separators). */
export function fileName(path: string): string {
  const parts = path.split(/[\\/]/);
  return parts[parts.length - 1] || path;
}
