//! Opening a profile: the one step above backup and restore. An unlock first finishes
//! (or undoes) an interrupted restore or key replacement; opening the vault backs it
//! up before a migration changes its format, then installs change tracking.

use std::path::PathBuf;

use crate::crypto::keys::SecretKey;
use crate::error::{KeyError, Result};
use crate::profile::layout::{self, VAULT_FILE};
use crate::profile::{tighten_vault_modes, DataDir, ProfileInfo, ProfileLock, Session, UnlockMethod};
use crate::unlock::slots::{Opened, SlotFile};
use crate::unlock::throttle::{self, UnlockState};
use crate::vault::audit::AuditKind;
use crate::vault::Vault;

impl DataDir {
    pub(crate) fn unlock_with(
        &self,
        name: &str,
        method: UnlockMethod,
        attempt: impl FnOnce(&SlotFile) -> Result<Option<Opened>>,
    ) -> Result<Session> {
        let info = self.profile(name)?;
        let dir = self.profile_dir(&info);
        // An interrupted restore is finished (or undone) before the slots are read:
        // they may be half-way through being replaced.
        if layout::intent_pending(&dir) {
            let lock = ProfileLock::acquire(&dir)?;
            crate::restore::recover_dir(&dir)?;
            drop(lock);
        }
        let (slots, _) = SlotFile::load(&dir)?;
        let open = || -> Result<Opened> {
            match attempt(&slots)? {
                Some(opened) if slots.key_matches(&opened.mk) => Ok(opened),
                Some(_) => Err(KeyError::KeyCheckMismatch.into()),
                None => Err(match method {
                    UnlockMethod::RecoveryKey => KeyError::WrongRecoveryKey,
                    UnlockMethod::Keychain => KeyError::KeychainNotEnabled,
                    _ => KeyError::WrongPassword,
                }
                .into()),
            }
        };
        let opened = match method {
            UnlockMethod::Password | UnlockMethod::RecoveryKey => throttle::guarded(&dir, method.as_str(), open)?,
            _ => open()?,
        };
        let mut session = Session::open(dir, info, opened.mk, method)?;
        // A slot sealed by an older version is resealed with today's associated data
        // now that its key-encryption key is at hand. Best effort: the unlock stands.
        if let Some(slot) = opened.upgraded {
            let _ = session.update_slots(|s| {
                if let Some(old) = s.slots.iter_mut().find(|old| old.id == slot.id) {
                    *old = slot;
                }
                Ok(())
            });
        }
        Ok(session)
    }
}

impl Session {
    pub(crate) fn open(dir: PathBuf, info: ProfileInfo, mk: SecretKey, method: UnlockMethod) -> Result<Session> {
        let lock = ProfileLock::acquire(&dir)?;
        Self::open_locked(dir, info, mk, method, lock)
    }

    /// Opens the session with the profile lock already held. An existing vault with
    /// pending migrations is backed up first (the backup keeps the old schema
    /// version), then migrated; then change tracking for backups is installed.
    pub(crate) fn open_locked(
        dir: PathBuf,
        info: ProfileInfo,
        mk: SecretKey,
        method: UnlockMethod,
        lock: ProfileLock,
    ) -> Result<Session> {
        layout::remove_temp_files(&dir);
        tighten_vault_modes(&dir);
        let (slots, _) = SlotFile::load(&dir)?;
        let mut vault = Vault::open_unmigrated(&dir.join(VAULT_FILE), &mk)?;
        if vault.pending_migrations()? > 0 && vault.schema_version()? > 0 {
            crate::backup::before_migration(
                &dir,
                crate::backup::Source { info: &info, slots: &slots, mk: &mk, vault: &vault },
            )?;
        }
        vault.migrate()?;
        crate::vault::changes::track_changes(&vault)?;
        let history = vault.retired_keys()?;
        if method != UnlockMethod::Created {
            for failure in UnlockState::record_success(&dir)? {
                vault.audit_at(failure.at, AuditKind::UnlockFailed, &failure.method)?;
            }
            vault.audit(AuditKind::UnlockOk, method.as_str())?;
        }
        Ok(Session { info, dir, mk, history, slots, vault, method, _lock: lock })
    }
}
