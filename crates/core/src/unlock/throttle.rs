//! Throttling of credential attempts. Every attempt with a password or a recovery
//! key, by any path (unlock, restore, restore preview, backup verification; app and
//! CLI alike), goes through [`guarded`]: under an exclusive lock on the profile's
//! `attempts.lock`, it checks the delay, makes the attempt and records a failure, so
//! parallel processes wait for each other instead of each getting free attempts.
//! Attempts on backups of profiles unknown here share one throttle folder.
//!
//! The count of consecutive failures and their times are kept in `unlock-state.json`
//! in the profile folder (it cannot live in the locked vault), so the delay survives
//! restarts. Only an unlock with the profile's current credential resets it; on that
//! unlock the failures are moved into the vault's audit log.

use std::fs::File;
use std::path::Path;
use std::time::Duration;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::durable::write_atomic;
use crate::error::{Error, KeyError, Result};

/// The file of failed-attempt counters in a profile folder.
pub const STATE_FILE: &str = "unlock-state.json";
/// The lock file that serializes attempts on one profile, across processes.
pub const LOCK_FILE: &str = "attempts.lock";

/// Whether an error means the credential was wrong (the attempt counts as a failure).
fn is_wrong_credential(e: &Error) -> bool {
    matches!(e, Error::Key(KeyError::WrongPassword | KeyError::WrongRecoveryKey))
}

/// Makes one credential attempt under the throttle of the folder `dir` (a profile
/// folder, or the shared folder for unknown profiles): waits for any other attempt on
/// it to finish, refuses with `throttled` while the delay since the last failure runs,
/// runs `attempt`, and records a failure when it says the credential was wrong.
/// `method` names the path in the audit log ("password", "restore:recovery_key"...).
pub fn guarded<T>(dir: &Path, method: &str, attempt: impl FnOnce() -> Result<T>) -> Result<T> {
    let _lock = lock(dir)?;
    UnlockState::load(dir).check(Utc::now())?;
    let result = attempt();
    if let Err(e) = &result {
        if is_wrong_credential(e) {
            UnlockState::record_failure(dir, method, Utc::now())?;
        }
    }
    result
}

/// The exclusive lock on `dir`'s attempts, held for one attempt (blocking: the other
/// attempt takes one key derivation at most).
fn lock(dir: &Path) -> Result<File> {
    crate::durable::create_private_dir(dir)?;
    let path = dir.join(LOCK_FILE);
    let f = crate::durable::open_lock_file(&path)?;
    f.lock().map_err(|e| Error::io(&path, e))?;
    Ok(f)
}

/// One failed attempt, not yet reported in the audit log.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FailedAttempt {
    /// When.
    pub at: DateTime<Utc>,
    /// Which method was tried ("password", "recovery_key").
    pub method: String,
}

/// Persisted throttling state.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnlockState {
    /// Failures since the last success.
    pub consecutive_failures: u32,
    /// Failures not yet written to the audit log (capped at 100).
    pub unreported: Vec<FailedAttempt>,
}

/// Delay imposed after `failures` consecutive failures: none for the first three,
/// then 5 s doubling up to 15 minutes.
pub fn delay_after(failures: u32) -> Duration {
    if failures < 3 {
        return Duration::ZERO;
    }
    let exp = (failures - 3).min(10);
    Duration::from_secs((5u64 << exp).min(900))
}

impl UnlockState {
    /// Reads the state; a missing or unreadable file counts as no failures.
    pub fn load(dir: &Path) -> UnlockState {
        std::fs::read(dir.join(STATE_FILE)).ok().and_then(|b| serde_json::from_slice(&b).ok()).unwrap_or_default()
    }

    fn store(&self, dir: &Path) -> Result<()> {
        write_atomic(&dir.join(STATE_FILE), &crate::durable::to_json_pretty(self))
    }

    /// Refuses an attempt made before the delay since the last failure has passed.
    pub fn check(&self, now: DateTime<Utc>) -> Result<(), KeyError> {
        let Some(last) = self.unreported.last() else {
            return Ok(());
        };
        let wait = delay_after(self.consecutive_failures);
        let elapsed = (now - last.at).to_std().unwrap_or(Duration::ZERO);
        if elapsed < wait {
            let left = wait - elapsed;
            return Err(KeyError::Throttled { retry_after_secs: left.as_secs() + u64::from(left.subsec_nanos() > 0) });
        }
        Ok(())
    }

    /// Records a failure and persists it.
    pub fn record_failure(dir: &Path, method: &str, now: DateTime<Utc>) -> Result<UnlockState> {
        let mut s = Self::load(dir);
        s.consecutive_failures = s.consecutive_failures.saturating_add(1);
        s.unreported.push(FailedAttempt { at: now, method: method.to_owned() });
        if s.unreported.len() > 100 {
            s.unreported.remove(0);
        }
        s.store(dir)?;
        Ok(s)
    }

    /// Resets the counter after a success and returns the failures to report, under
    /// the attempts lock, so that a failure another process records meanwhile is
    /// neither lost nor reported twice.
    pub fn record_success(dir: &Path) -> Result<Vec<FailedAttempt>> {
        let _lock = lock(dir)?;
        let s = Self::load(dir);
        if s != UnlockState::default() {
            UnlockState::default().store(dir)?;
        }
        Ok(s.unreported)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delays_grow_and_cap() {
        let secs: Vec<u64> = (0..20).map(|n| delay_after(n).as_secs()).collect();
        assert_eq!(&secs[..8], &[0, 0, 0, 5, 10, 20, 40, 80]);
        assert_eq!(secs[19], 900);
        assert!(secs.windows(2).all(|w| w[0] <= w[1]));
    }

    #[test]
    fn guarded_attempts_count_only_wrong_credentials_and_wait_out_the_delay() {
        let dir = tempfile::tempdir().unwrap();
        let wrong = || -> Result<()> { Err(KeyError::WrongPassword.into()) };
        // Other errors (a damaged file, say) are not guesses and count nothing.
        let damaged = || -> Result<()> { Err(crate::error::BackupError::Truncated.into()) };
        assert_eq!(guarded(dir.path(), "restore:password", damaged).unwrap_err().code(), "backup_truncated");
        assert_eq!(UnlockState::load(dir.path()).consecutive_failures, 0);
        for _ in 0..3 {
            assert_eq!(guarded(dir.path(), "restore:password", wrong).unwrap_err().code(), "wrong_password");
        }
        let s = UnlockState::load(dir.path());
        assert_eq!(s.consecutive_failures, 3);
        assert_eq!(s.unreported[0].method, "restore:password");
        // The fourth attempt is refused before it runs.
        let mut ran = false;
        let r = guarded(dir.path(), "password", || {
            ran = true;
            Ok(())
        });
        assert_eq!(r.unwrap_err().code(), "throttled");
        assert!(!ran);
    }

    #[test]
    fn state_persists_and_resets() {
        let dir = tempfile::tempdir().unwrap();
        let t0 = Utc::now();
        for _ in 0..3 {
            UnlockState::record_failure(dir.path(), "password", t0).unwrap();
        }
        let s = UnlockState::load(dir.path());
        assert_eq!(s.consecutive_failures, 3);
        match s.check(t0 + chrono::Duration::seconds(2)) {
            Err(KeyError::Throttled { retry_after_secs }) => assert_eq!(retry_after_secs, 3),
            other => panic!("expected throttling, got {other:?}"),
        }
        assert!(s.check(t0 + chrono::Duration::seconds(5)).is_ok());
        let reported = UnlockState::record_success(dir.path()).unwrap();
        assert_eq!(reported.len(), 3);
        assert_eq!(UnlockState::load(dir.path()), UnlockState::default());
    }
}
