//! The Tauri commands, by concern: each takes the state, calls the core, maps the
//! error. Their names, arguments and results are listed once in `crate::contract`,
//! which checks them against these functions and generates the UI's TypeScript.

pub mod analytics;
pub mod backups;
pub mod io;
pub mod loans;
pub mod profiles;
pub mod securities;
pub mod wealth;

use patrimoine_core::keys::RecoveryKey;
use patrimoine_core::profile::Credential;
use patrimoine_core::rotation::Rotated;
use patrimoine_core::{ProfileInfo, Session};
use serde::Serialize;
use ts_rs::TS;
use zeroize::Zeroizing;

use crate::error::CmdResult;
use crate::state::AppState;

/// A profile as the UI lists it.
#[derive(Serialize, TS)]
pub struct ProfileView {
    id: String,
    name: String,
    admin: bool,
    created_at: String,
    keychain_enabled: bool,
}

/// The unlocked session as the UI sees it.
#[derive(Serialize, TS)]
pub struct SessionInfo {
    profile: ProfileView,
    base_currency: String,
    must_set_password: bool,
    keychain_enabled: bool,
    auto_lock_minutes: u32,
    /// The profile's backup folder (Settings › About).
    backup_dir: String,
}

/// Everything the UI needs at start.
#[derive(Serialize, TS)]
pub struct AppInfo {
    version: String,
    data_dir: String,
    profiles: Vec<ProfileView>,
    session: Option<SessionInfo>,
    keychain_available: bool,
    os_locale: String,
}

/// A new profile and its recovery key (shown once).
#[derive(Serialize, TS)]
pub struct CreatedProfile {
    session: SessionInfo,
    recovery_key: String,
}

/// What changing a credential did: the session after it, a new recovery key to show
/// once when one was made, and whether keychain unlock was turned off because its
/// slot could not follow the new master key.
#[derive(Serialize, TS)]
pub struct CredentialChanged {
    session: SessionInfo,
    new_recovery_key: Option<String>,
    keychain_disabled: bool,
}

/// A restored profile's session, and the new recovery key a profile restored as new
/// gets (shown once).
#[derive(Serialize, TS)]
pub struct RestoredView {
    session: SessionInfo,
    new_recovery_key: Option<String>,
}

impl ProfileView {
    fn of(p: &ProfileInfo, keychain_enabled: bool) -> ProfileView {
        ProfileView {
            id: p.id.clone(),
            name: p.name.clone(),
            admin: p.admin,
            created_at: p.created_at.to_rfc3339(),
            keychain_enabled,
        }
    }
}

fn profiles(state: &AppState) -> CmdResult<Vec<ProfileView>> {
    let list = state.data.profiles()?;
    Ok(list.iter().map(|p| ProfileView::of(p, state.data.keychain_enabled(&p.name).unwrap_or(false))).collect())
}

fn session_info(s: &Session) -> CmdResult<SessionInfo> {
    let p = s.info();
    Ok(SessionInfo {
        profile: ProfileView::of(p, s.keychain_enabled()),
        base_currency: s.base_currency()?,
        must_set_password: s.must_set_password(),
        keychain_enabled: s.keychain_enabled(),
        auto_lock_minutes: s.vault().auto_lock_minutes()?,
        backup_dir: s.backup_dir().display().to_string(),
    })
}

fn changed(s: &Session, rotated: Rotated) -> CmdResult<CredentialChanged> {
    Ok(CredentialChanged {
        session: session_info(s)?,
        new_recovery_key: rotated.new_recovery_key.map(|rk| rk.display().to_string()),
        keychain_disabled: rotated.keychain_disabled,
    })
}

/// Makes `session` the open one and starts its background work: the daily backup when
/// due, after the quick integrity check unless the vault was just fully `checked` (a
/// restore verifies its candidate before installing it).
fn install(state: &AppState, session: Session, checked: bool) -> CmdResult<SessionInfo> {
    let info = session_info(&session)?;
    *state.session() = Some(session);
    state.start_background_work(!checked);
    Ok(info)
}

fn today() -> chrono::NaiveDate {
    chrono::Local::now().date_naive()
}

/// A recovery key as typed, parsed (a typo names its group).
fn parse_rk(text: &Option<Zeroizing<String>>) -> CmdResult<Option<RecoveryKey>> {
    text.as_ref().map(|t| RecoveryKey::parse(t).map_err(|e| patrimoine_core::Error::from(e).into())).transpose()
}

/// The credential given: the parsed recovery key when there is one, else the password
/// (`Credential::choose`).
fn credential<'a>(password: &'a Option<Zeroizing<String>>, rk: &'a Option<RecoveryKey>) -> CmdResult<Credential<'a>> {
    Ok(Credential::choose(password.as_deref().map(String::as_str), rk.as_ref())?)
}

/// The current password or recovery key confirming a change (`Credential::confirming`).
fn confirming<'a>(password: &'a Option<Zeroizing<String>>, rk: &'a Option<RecoveryKey>) -> CmdResult<Credential<'a>> {
    Ok(Credential::confirming(password.as_deref().map(String::as_str), rk.as_ref())?)
}

/// Locks: an automatic backup first when data changed since the last one, then the
/// session (and its key) is dropped. True when a session was open.
pub fn lock_now(state: &AppState) -> bool {
    let backups = state.backup_guard();
    state.end_epoch(&backups);
    match state.session().take() {
        Some(s) => {
            let _ = s.backup_on_lock_if_changed();
            true
        }
        None => false,
    }
}
