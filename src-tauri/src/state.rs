//! What the app holds between commands: the data directory, the unlocked session (at
//! most one), and whether the OS keychain works here.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, OnceLock};

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
    /// Held while a backup or a restore runs, so the automatic backup on its own
    /// thread never overlaps another backup, a restore or the backup on lock.
    /// Always taken before `session`, never while holding it.
    pub backups: Arc<Mutex<()>>,
    /// Bumped (under `backups`) whenever the session ends or its vault is replaced: a
    /// daily backup prepared for an earlier session is dropped instead of run.
    pub epoch: Arc<AtomicU64>,
}

/// The daily backup waits this long after an unlock, so the first screens are drawn
/// before it competes with them for the disk and the CPU.
const DAILY_BACKUP_DELAY: std::time::Duration = std::time::Duration::from_secs(5);

impl AppState {
    /// Locks the session mutex (a poisoned lock still yields its data: a panic in a
    /// command must not lock the user out).
    pub fn session(&self) -> MutexGuard<'_, Option<Session>> {
        self.session.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Waits for any backup in progress and keeps others out while the guard lives.
    pub fn backup_guard(&self) -> MutexGuard<'_, ()> {
        self.backups.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Closes the session without the backup on lock (another profile is being
    /// unlocked), after any backup in progress.
    pub fn end_session(&self) {
        let backups = self.backup_guard();
        self.end_epoch(&backups);
        *self.session() = None;
    }

    /// Marks the end of a session (lock, restore): call with the backup guard held.
    pub fn end_epoch(&self, _backups: &MutexGuard<'_, ()>) {
        self.epoch.fetch_add(1, Ordering::SeqCst);
    }

    /// Starts the daily automatic backup on its own thread when it is due: unlocking
    /// and the first screens do not wait for it. A failure shows in Settings > Backups
    /// (no new entry, "last backup" unchanged).
    pub fn start_daily_backup(&self) {
        let Ok(Some(job)) = self.with(|s| Ok(s.background_backup_if_due(chrono::Utc::now())?)) else {
            return;
        };
        let (lock, epoch) = (Arc::clone(&self.backups), Arc::clone(&self.epoch));
        let mine = epoch.load(Ordering::SeqCst);
        std::thread::spawn(move || {
            std::thread::sleep(DAILY_BACKUP_DELAY);
            let _guard = lock.lock().unwrap_or_else(|p| p.into_inner());
            if epoch.load(Ordering::SeqCst) != mine {
                return; // locked or restored meanwhile: the next unlock decides again
            }
            let t0 = std::time::Instant::now();
            let result = job.run();
            if std::env::var_os("PATRIMOINE_TRACE").is_some() {
                eprintln!(
                    "trace: daily backup {} in {:?}",
                    if result.is_ok() { "made" } else { "failed" },
                    t0.elapsed()
                );
            }
        });
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
            eprintln!(
                "trace: at {} commands.rs:{} waited {:?} ran {:?}",
                now_ms(),
                caller.line(),
                waited,
                t0.elapsed() - waited
            );
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

fn now_ms() -> u128 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap_or_default().as_millis()
}

/// With `PATRIMOINE_TRACE=1`, prints a named moment (wall-clock milliseconds, to line
/// up with the page's clock in the app benchmark). No data.
pub fn trace_point(what: &str) {
    if std::env::var_os("PATRIMOINE_TRACE").is_some() {
        eprintln!("trace: at {} {what}", now_ms());
    }
}
