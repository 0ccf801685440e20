//! The profile opened last on this computer, remembered in the webview's localStorage so
//! that the unlock screen preselects it. Only the profile's id is kept: never a name,
//! a password, a key or anything else from the vault.

const STORAGE_KEY = 'patrimoine.lastProfile';

/** Remembers the profile just opened. */
export function rememberProfile(id: string): void {
  try {
    globalThis.localStorage?.setItem(STORAGE_KEY, id);
  } catch {
    // Storage may be unavailable: the unlock screen then preselects nothing.
  }
}

/** The id of the profile opened last, if any. */
export function lastProfileId(): string | null {
  try {
    return globalThis.localStorage?.getItem(STORAGE_KEY) ?? null;
  } catch {
    return null;
  }
}
