//! What the app holds between commands: the data directory, the unlocked session (at
//! most one), and whether the OS keychain works here.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, OnceLock};

use patrimoine_core::{DataDir, Session};
use patrimoine_keychain::OsKeychain;
use tauri::{AppHandle, Emitter, Manager};

use crate::error::{CmdResult, CommandError};

/// Shared state behind every command.
pub struct AppState {
    /// The installation's data directory.
    pub data: DataDir,
    /// The unlocked profile, if any. Dropping it wipes the key from memory.
    pub session: Mutex<Option<Session>>,
    /// The OS keychain.
    pub keychain: OsKeychain,
    /// Whether the keychain was found (checked once, in the background at launch).
    pub keychain_ok: OnceLock<bool>,
    /// Held while a backup or a restore runs, so the automatic backup on its own
    /// thread never overlaps another backup, a restore or the backup on lock.
    /// Always taken before `session`, never while holding it.
    pub backups: Arc<Mutex<()>>,
    /// Bumped (under `backups`) whenever the session ends or its vault is replaced: a
    /// daily backup prepared for an earlier session is dropped instead of run.
    pub epoch: Arc<AtomicU64>,
    /// The app, for events sent from background work (set at start-up).
    pub app: OnceLock<AppHandle>,
}

/// Background work waits this long after an unlock, so the first screens are drawn
/// before it competes with them for the disk and the CPU.
const BACKGROUND_DELAY: std::time::Duration = std::time::Duration::from_secs(5);

impl AppState {
    /// The state of an app over `data`, with no profile unlocked.
    pub fn new(data: DataDir) -> AppState {
        AppState {
            data,
            session: Mutex::new(None),
            keychain: OsKeychain::new(),
            keychain_ok: OnceLock::new(),
            backups: Arc::new(Mutex::new(())),
            epoch: Arc::new(AtomicU64::new(0)),
            app: OnceLock::new(),
        }
    }

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

    /// Closes a session whose vault was found damaged in the background and tells the
    /// window, which opens the restore wizard.
    fn close_damaged(&self, app: &AppHandle, guard: &MutexGuard<'_, ()>) {
        self.end_epoch(guard);
        drop(self.session().take());
        let _ = app.emit(crate::suspend::LOCKED_EVENT, "damaged");
    }

    /// Starts the background work of an unlocked session on a thread of its own, a few
    /// seconds later so the first screens are drawn first: with `probe`, the quick
    /// integrity check of the whole vault (after an unlock); then the daily automatic
    /// backup when it is due. A damaged vault is never backed up: the session is closed
    /// and the window told (`locked` event, "damaged"), which opens the restore wizard.
    /// A backup failure shows in Settings > Backups (no new entry).
    pub fn start_background_work(&self, probe: bool) {
        let Some(app) = self.app.get().cloned() else { return };
        let mine = self.epoch.load(Ordering::SeqCst);
        std::thread::spawn(move || {
            std::thread::sleep(BACKGROUND_DELAY);
            let state = app.state::<AppState>();
            let guard = state.backup_guard();
            if state.epoch.load(Ordering::SeqCst) != mine {
                return; // locked or restored meanwhile: the next unlock decides again
            }
            // The job's own connections are opened only now, under the guard: nothing
            // holds the vault open outside it (a master-key replacement swaps the file).
            let prepared = state.with(|s| {
                let probe = if probe { Some(s.integrity_probe()?) } else { None };
                Ok((probe, s.background_backup_if_due(chrono::Utc::now())?))
            });
            let Ok((probe, job)) = prepared else { return };
            if let Some(probe) = probe {
                let t0 = std::time::Instant::now();
                let sound = probe.run();
                trace_point(&format!("integrity probe {sound:?} in {:?}", t0.elapsed()));
                if matches!(sound, Ok(false)) {
                    state.close_damaged(&app, &guard);
                    return;
                }
            }
            if let Some(job) = job {
                let t0 = std::time::Instant::now();
                let made = job.run();
                trace_point(&format!(
                    "daily backup {} in {:?}",
                    if made.is_ok() { "ok" } else { "failed" },
                    t0.elapsed()
                ));
                // The daily backup checks its snapshot: damage it finds is handled as
                // the probe's is (no backup was written).
                if made.as_ref().is_err_and(|e| e.code() == "vault_corrupt") {
                    state.close_damaged(&app, &guard);
                }
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

    /// Whether keychain unlock can be offered on this machine: false until the check
    /// (started in the background at launch, since a missing Secret Service can take
    /// seconds to time out) has found the keychain.
    pub fn keychain_available(&self) -> bool {
        self.keychain_ok.get().copied().unwrap_or(false)
    }

    /// Looks for the keychain once, without writing to it (a write would make a locked
    /// keyring ask for its password at every start). Enabling keychain unlock runs the
    /// full self-test, when the user asked for it.
    pub fn probe_keychain(&self) {
        let _ = self.keychain_ok.get_or_init(|| self.keychain.reachable());
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
