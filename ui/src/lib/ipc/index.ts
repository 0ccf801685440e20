//! The IPC seam: the only module of the UI that talks to the Tauri backend.
//! Views import `ipc` from here; tests mock it with `@tauri-apps/api/mocks`.
export * as ipc from './commands';
export * from './dialogs';
export * from './events';
export * from './error';
export * from './types';
export type { PreferencesPatch, RestoreSecret } from './commands';
