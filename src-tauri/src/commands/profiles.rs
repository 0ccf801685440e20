//! Profiles, unlocking and credentials.

use patrimoine_core::audit::AuditEvent;
use patrimoine_core::keys::RecoveryKey;
use patrimoine_core::rotation::Rotated;
use patrimoine_core::{CreateOptions, DeleteAuth, KdfChoice};
use zeroize::Zeroizing;

use super::{
    changed, confirming, credential, install, parse_rk, profiles, session_info, AppInfo, CreatedProfile,
    CredentialChanged, ProfileView, SessionInfo,
};
use crate::error::CmdResult;
use crate::state::AppState;

pub fn app_info(state: &AppState) -> CmdResult<AppInfo> {
    let session = state.session().as_ref().map(session_info).transpose()?;
    Ok(AppInfo {
        version: env!("CARGO_PKG_VERSION").into(),
        data_dir: state.data.root().display().to_string(),
        profiles: profiles(state)?,
        session,
        keychain_available: state.keychain_available(),
        os_locale: std::env::var("LC_ALL").or_else(|_| std::env::var("LANG")).unwrap_or_else(|_| "en".into()),
    })
}

pub fn create_profile(
    state: &AppState,
    name: String,
    password: Zeroizing<String>,
    base_currency: String,
) -> CmdResult<CreatedProfile> {
    let opts = CreateOptions { base_currency, kdf: KdfChoice::DEFAULT };
    let guard = state.session();
    let created = state.data.create_profile(&name, &password, &opts, guard.as_ref())?;
    let recovery_key = created.recovery_key.display().to_string();
    let info = session_info(&created.session)?;
    if guard.is_none() {
        drop(guard);
        *state.session() = Some(created.session);
    }
    // When the admin creates another profile, the admin stays signed in.
    Ok(CreatedProfile { session: info, recovery_key })
}

pub fn unlock_password(state: &AppState, name: String, password: Zeroizing<String>) -> CmdResult<SessionInfo> {
    crate::state::trace_point("unlock_password start");
    state.end_session();
    let s = state.data.unlock_with_password(&name, &password)?;
    let info = install(state, s, false);
    crate::state::trace_point("unlock_password end");
    info
}

pub fn unlock_recovery(state: &AppState, name: String, recovery_key: Zeroizing<String>) -> CmdResult<SessionInfo> {
    state.end_session();
    let rk = RecoveryKey::parse(&recovery_key).map_err(patrimoine_core::Error::from)?;
    let s = state.data.unlock_with_recovery_key(&name, &rk)?;
    install(state, s, false)
}

pub fn unlock_keychain(state: &AppState, name: String) -> CmdResult<SessionInfo> {
    state.end_session();
    let s = state.data.unlock_with_keychain(&name, &state.keychain)?;
    install(state, s, false)
}

pub fn lock(state: &AppState) -> CmdResult<()> {
    let _ = super::lock_now(state);
    Ok(())
}

/// Changes the password, confirmed by the current password or recovery key (none
/// right after a recovery-key unlock). The master key is replaced, so the backup
/// thread is kept out while the vault file is swapped.
pub fn change_password(
    state: &AppState,
    current_password: Option<Zeroizing<String>>,
    current_recovery_key: Option<Zeroizing<String>>,
    new_password: Zeroizing<String>,
) -> CmdResult<CredentialChanged> {
    let rk = parse_rk(&current_recovery_key)?;
    let current = credential(&current_password, &rk).ok();
    let _backups = state.backup_guard();
    state.with(|s| {
        let rotated = s.change_password(current.as_ref(), &new_password, KdfChoice::DEFAULT)?;
        changed(s, rotated)
    })
}

pub fn regenerate_recovery_key(
    state: &AppState,
    current_password: Option<Zeroizing<String>>,
    current_recovery_key: Option<Zeroizing<String>>,
) -> CmdResult<CredentialChanged> {
    let rk = parse_rk(&current_recovery_key)?;
    let current = confirming(&current_password, &rk)?;
    let _backups = state.backup_guard();
    state.with(|s| {
        let rotated = s.regenerate_recovery_key(&current)?;
        changed(s, rotated)
    })
}

/// Turns keychain unlock on (confirmed by the current password or recovery key) or
/// off (the master key is replaced: a copy of the keychain's secret stops working).
pub fn set_keychain(
    state: &AppState,
    enabled: bool,
    current_password: Option<Zeroizing<String>>,
    current_recovery_key: Option<Zeroizing<String>>,
) -> CmdResult<CredentialChanged> {
    let rk = parse_rk(&current_recovery_key)?;
    let current = confirming(&current_password, &rk);
    let _backups = state.backup_guard();
    state.with(|s| {
        if enabled {
            s.enable_keychain(&current?, &state.keychain)?;
            changed(s, Rotated { new_recovery_key: None, keychain_disabled: false })
        } else {
            let rotated = s.disable_keychain(current.ok().as_ref(), &state.keychain)?;
            changed(s, rotated)
        }
    })
}

pub fn set_preferences(
    state: &AppState,
    base_currency: Option<String>,
    auto_lock_minutes: Option<u32>,
) -> CmdResult<SessionInfo> {
    state.with(|s| {
        if let Some(c) = base_currency {
            s.set_base_currency(&c)?;
        }
        if let Some(m) = auto_lock_minutes {
            s.vault().set_auto_lock_minutes(m)?;
        }
        session_info(s)
    })
}

pub fn rename_profile(state: &AppState, name: String, new_name: String) -> CmdResult<Vec<ProfileView>> {
    state.with(|s| Ok(state.data.rename_profile(s, &name, &new_name)?))?;
    profiles(state)
}

pub fn delete_profile(state: &AppState, name: String, typed_name: String) -> CmdResult<Vec<ProfileView>> {
    state.with(|s| {
        let auth = DeleteAuth::Admin { admin: s, typed_name: &typed_name };
        Ok(state.data.delete_profile(&name, auth, Some(&state.keychain))?)
    })?;
    profiles(state)
}

pub fn audit_log(state: &AppState, limit: usize) -> CmdResult<Vec<AuditEvent>> {
    state.with(|s| Ok(s.vault().audit_log(limit)?))
}
