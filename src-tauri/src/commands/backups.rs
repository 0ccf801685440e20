//! Startup health, backups and restore.

use std::path::Path;

use patrimoine_core::backup::{self, BackupEntry, BackupHeader, BackupSettings, ExportedBackup};
use patrimoine_core::restore::{ProfileHealth, RestorePreview, RestoreRequest, Target};
use patrimoine_core::KdfChoice;
use zeroize::Zeroizing;

use super::{credential, install, parse_rk, RestoredView, SessionInfo};
use crate::error::{CmdResult, CommandError};
use crate::state::AppState;

pub fn startup_health(state: &AppState) -> CmdResult<Vec<ProfileHealth>> {
    // Finish or roll back an interrupted restore before looking at the files.
    state.data.recover_interrupted()?;
    Ok(state.data.health()?)
}

pub fn scan_backups(state: &AppState) -> CmdResult<Vec<BackupHeader>> {
    Ok(state.data.scan_backups())
}

pub fn inspect_backup(_state: &AppState, path: String) -> CmdResult<BackupHeader> {
    Ok(backup::inspect(Path::new(&path))?)
}

pub fn restore_preview(
    state: &AppState,
    path: String,
    password: Option<Zeroizing<String>>,
    recovery_key: Option<Zeroizing<String>>,
) -> CmdResult<RestorePreview> {
    let rk = parse_rk(&recovery_key)?;
    let cred = credential(&password, &rk)?;
    Ok(state.data.restore_preview(Path::new(&path), &cred)?)
}

pub fn restore_backup(
    state: &AppState,
    path: String,
    password: Option<Zeroizing<String>>,
    recovery_key: Option<Zeroizing<String>>,
    new_password: Option<Zeroizing<String>>,
    as_new_name: Option<String>,
) -> CmdResult<RestoredView> {
    let rk = parse_rk(&recovery_key)?;
    let credential = credential(&password, &rk)?;
    let target = as_new_name.as_deref().map_or(Target::Auto, Target::AsNew);
    // The open session (if any) is closed first: the restore may replace its vault. An
    // admin session is kept for the duration when a new profile must be created.
    let backups = state.backup_guard();
    state.end_epoch(&backups);
    let admin = state.session().take();
    let req = RestoreRequest {
        credential,
        new_password: new_password.as_deref().map(String::as_str),
        target,
        admin: admin.as_ref().filter(|s| s.info().admin),
        kdf: KdfChoice::DEFAULT,
    };
    let restored = state.data.restore(Path::new(&path), &req);
    drop(admin);
    drop(backups);
    let restored = restored?;
    let new_recovery_key = restored.new_recovery_key.as_ref().map(|rk| rk.display().to_string());
    Ok(RestoredView { session: install(state, restored.session, true)?, new_recovery_key })
}

/// Restores one of the open profile's own backups (Settings > Backups) with the
/// session's key: no password, no key derivation. The session is replaced by the
/// restored profile's; on error the profile is open again, unchanged.
pub fn restore_own_backup(state: &AppState, path: String) -> CmdResult<SessionInfo> {
    let backups = state.backup_guard();
    state.end_epoch(&backups);
    let session = state.session().take().ok_or_else(CommandError::locked)?;
    let restored = state.data.restore_from_session(session, Path::new(&path));
    drop(backups);
    match restored {
        Ok(s) => install(state, s, true),
        Err(failed) => {
            if let Some(s) = failed.session {
                install(state, s, true)?;
            }
            Err(failed.error.into())
        }
    }
}

pub fn list_backups(state: &AppState) -> CmdResult<Vec<BackupEntry>> {
    state.with(|s| Ok(s.list_backups()?))
}

pub fn backup_now(state: &AppState) -> CmdResult<BackupEntry> {
    let _backups = state.backup_guard();
    state.with(|s| Ok(s.backup_now()?))
}

pub fn export_backup(state: &AppState, path: String) -> CmdResult<ExportedBackup> {
    let _backups = state.backup_guard();
    state.with(|s| Ok(s.export_backup(Path::new(&path))?))
}

pub fn verify_backups(state: &AppState) -> CmdResult<Vec<BackupEntry>> {
    let _backups = state.backup_guard();
    state.with(|s| Ok(s.verify_backups()?))
}

pub fn get_backup_settings(state: &AppState) -> CmdResult<BackupSettings> {
    state.with(|s| Ok(s.backup_settings()))
}

pub fn set_backup_settings(state: &AppState, settings: BackupSettings) -> CmdResult<BackupSettings> {
    state.with(|s| Ok(s.set_backup_settings(&settings)?))
}
