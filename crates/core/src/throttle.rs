//! Throttling of failed unlocks. The count of consecutive failures and their times
//! are kept in `unlock-state.json` in the profile folder (it cannot live in the
//! locked vault), so the delay survives restarts. On the next successful unlock the
//! failures are moved into the vault's audit log.

use std::path::Path;
use std::time::Duration;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::durable::write_atomic;
use crate::error::{KeyError, Result};

/// The file of failed-attempt counters in a profile folder.
pub const STATE_FILE: &str = "unlock-state.json";

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
        write_atomic(&dir.join(STATE_FILE), &serde_json::to_vec_pretty(self).expect("state serializes"))
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

    /// Resets the counter after a success and returns the failures to report.
    pub fn record_success(dir: &Path) -> Result<Vec<FailedAttempt>> {
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
