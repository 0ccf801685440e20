//! The IPC seam: the only module of the UI that talks to the Tauri backend.
//! Views import `ipc` from here; tests mock it with `@tauri-apps/api/mocks`.
//! The contract itself (types, command map, constants) is generated from the Rust
//! side into `generated/` and re-exported here.
export * as ipc from './commands';
export * from './dialogs';
export * from './events';
export * from './error';
export * from './types';
export type * from './generated/types';
export type { Args, CommandName, Commands, Result } from './generated/commands';
export { COMMAND_NAMES } from './generated/commands';
export {
  ACCOUNT_KINDS, ASSET_CLASSES, BACKUP_DEFAULTS, INSTITUTION_KINDS, LIMITS, OWNERSHIPS, UNCLASSIFIED,
} from './generated/constants';
export type { CurrentSecret, RestoreSecret } from './commands';
