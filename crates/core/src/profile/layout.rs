//! The layout of a profile folder: every file name in it, once, and the clean-up of
//! what an interrupted write leaves there.

use std::fs;
use std::path::{Path, PathBuf};

use crate::crypto::keys::random_bytes;
use crate::durable::sync_dir;
use crate::error::{Error, Result};

/// The vault, in the profile folder.
pub const VAULT_FILE: &str = "vault.db";
/// The advisory lock held while a session is open.
pub const LOCK_FILE: &str = "lock";
/// The intent marker of a restore in progress.
pub const RESTORE_MARKER: &str = "restore-intent.json";
/// The intent marker of a master-key replacement in progress.
pub const REKEY_MARKER: &str = "rekey-intent.json";
/// Prefix of temporary vaults (restore candidates, verifications, re-encrypted copies).
pub(crate) const TMP_PREFIX: &str = ".tmp-";
/// The re-encrypted copy of a master-key replacement while it is made and swapped in
/// (a temporary vault: its name starts with [`TMP_PREFIX`]).
pub(crate) const REKEY_CANDIDATE: &str = ".tmp-rekey.db";

/// Prefix of a vault set aside by a restore (kept [`crate::restore::KEEP_SET_ASIDE`]).
pub(crate) const SET_ASIDE_PREFIX: &str = "pre-restore-";

/// A restore or a master-key replacement was interrupted in this folder.
pub(crate) fn intent_pending(dir: &Path) -> bool {
    dir.join(RESTORE_MARKER).exists() || dir.join(REKEY_MARKER).exists()
}

/// A temp file name in `dir`.
pub(crate) fn temp_db(dir: &Path, what: &str) -> PathBuf {
    dir.join(format!("{TMP_PREFIX}{what}-{}.db", hex::encode(random_bytes::<6>())))
}

/// Removes an intent marker (a restore's, a master-key replacement's) once its work is
/// done, and makes the removal durable; a marker already gone is fine.
pub(crate) fn remove_intent(dir: &Path, name: &str) -> Result<()> {
    match fs::remove_file(dir.join(name)) {
        Ok(()) => {}
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) => return Err(Error::io(dir.join(name), e)),
    }
    sync_dir(dir)
}

/// Removes temporary files (snapshots, candidates, verification vaults) left in a
/// profile folder by an interrupted operation. The caller holds the profile lock, so
/// none of them is in use; a candidate named by a restore marker is kept.
pub(crate) fn remove_temp_files(dir: &Path) {
    let restoring = intent_pending(dir);
    if let Ok(rd) = fs::read_dir(dir) {
        for e in rd.flatten() {
            let name = e.file_name().to_string_lossy().into_owned();
            // Temporary vaults, unless a restore still needs its candidate.
            let temp_vault = !restoring && name.starts_with(TMP_PREFIX);
            // Leftovers of an atomic write cut by a crash (slot files, the restore
            // intent, settings). The profile lock is held, so nothing else writes here,
            // except unlock attempts recording a failure: that one only when stale.
            let stale = || {
                e.metadata().and_then(|m| m.modified()).is_ok_and(|t| t.elapsed().unwrap_or_default().as_secs() > 60)
            };
            let temp_write = crate::durable::is_atomic_temp(&name, None)
                && (!crate::durable::is_atomic_temp(&name, Some(crate::unlock::throttle::STATE_FILE)) || stale());
            if temp_vault || temp_write {
                let _ = fs::remove_file(e.path());
            }
        }
    }
}

#[cfg(test)]
mod tests {
    /// Start-up clean-up removes leftover temporary vaults by their prefix.
    #[test]
    fn the_rekey_candidate_is_named_as_a_temporary_vault() {
        assert!(super::REKEY_CANDIDATE.starts_with(super::TMP_PREFIX));
    }
}
