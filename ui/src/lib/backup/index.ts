//! Backup and restore helpers: which profiles need the restore wizard, and ordering of
//! backups found on disk.
import type { BackupHeader, ProfileHealth } from '../ipc';

/** Profiles whose health is not ok: the app opens the restore wizard for them. */
export function unhealthy(health: ProfileHealth[]): ProfileHealth[] {
  return health.filter((h) => h.state !== 'ok');
}

/** Newest first. */
export function sortBackups<T extends BackupHeader>(list: T[]): T[] {
  return [...list].sort((a, b) => (a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : 0));
}

/** The file name of a path, for display (both separators). */
export function fileName(path: string): string {
  const parts = path.split(/[\\/]/);
  return parts[parts.length - 1] || path;
}
