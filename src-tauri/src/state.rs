//! What the app holds between commands: the data directory, the unlocked session (at
//! most one), and whether the OS keychain works here.

use std::sync::{Mutex, MutexGuard, OnceLock};

use patrimoine_core::{DataDir, Session};
use patrimoine_keychain::OsKeychain;

use crate::error::{CmdResult, CommandError};

/// Shared state behind every command.
pub struct AppState {
    /// The installation's data directory.
    pub data: DataDir,
    /// The unlocked profile, if any. Dropping it wipes the key from memory.
    pub session: Mutex<Option<Session>>,
    /// The OS keychain.
    pub keychain: OsKeychain,
    /// Whether the keychain passed its self-test (checked once, lazily).
    pub keychain_ok: OnceLock<bool>,
}

impl AppState {
    /// Locks the session mutex (a poisoned lock still yields its data: a panic in a
    /// command must not lock the user out).
    pub fn session(&self) -> MutexGuard<'_, Option<Session>> {
        self.session.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Runs `f` with the unlocked session, or fails with `locked`. With
    /// `PATRIMOINE_TRACE=1`, prints how long each call waited and ran (no data).
    #[track_caller]
    pub fn with<T>(&self, f: impl FnOnce(&mut Session) -> CmdResult<T>) -> CmdResult<T> {
        let caller = std::panic::Location::caller();
        let t0 = std::time::Instant::now();
        let mut guard = self.session();
        let waited = t0.elapsed();
        let s = guard.as_mut().ok_or_else(CommandError::locked)?;
        let out = f(s);
        if std::env::var_os("PATRIMOINE_TRACE").is_some() {
            eprintln!("trace: commands.rs:{} waited {:?} ran {:?}", caller.line(), waited, t0.elapsed() - waited);
        }
        out
    }

    /// Whether keychain unlock can be offered on this machine: false until the
    /// self-test (started in the background at launch, since a missing Secret Service
    /// can take seconds to time out) has passed.
    pub fn keychain_available(&self) -> bool {
        self.keychain_ok.get().copied().unwrap_or(false)
    }

    /// Runs the keychain self-test once.
    pub fn probe_keychain(&self) {
        use patrimoine_core::keychain::Keychain;
        let _ = self.keychain_ok.get_or_init(|| self.keychain.self_test().is_ok());
    }
}
