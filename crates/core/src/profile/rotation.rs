//! Replacing the master key when a credential changes or is revoked (a new password,
//! a new recovery key, keychain unlock turned off), so that the old credential stops
//! working everywhere: every backup carries copies of the slots of its day, so
//! rewrapping one slot would leave the old credential opening the old backups' key,
//! which would open today's vault and every later backup.
//!
//! The vault is copied into a new file under a new master key (`sqlcipher_export`, never
//! `PRAGMA rekey`), the copy checked, the slots sealed to the new key (version-2 slots
//! are resealed to their credentials' public keys without the credentials), and the
//! copy swapped in crash-safely:
//!
//! candidate written and checked → intent marker (`rekey-intent.json`, holding the new
//! slot file) → new slot file stored → candidate renamed over `vault.db` → marker
//! removed. A start (or an unlock) that finds the marker finishes the swap: the
//! candidate was checked before the marker was written, so after a crash the profile
//! opens with the old credential (before the marker) or the new one (after), never
//! neither. The old master key goes into the vault's `key_history`, so the unlocked
//! profile still reads its own older backups; the old credential opens those only.

use std::fs;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::crypto::keys::{RecoveryKey, SecretKey};
use crate::durable::{crash_point, sync_dir, write_atomic};
use crate::error::{Error, KeyError, Result};
use crate::profile::layout::{remove_intent, REKEY_CANDIDATE};
use crate::profile::{Session, VAULT_FILE};
use crate::unlock::slots::{DerivedPassword, Kdf, Slot, SlotFile, SlotKind};
use crate::vault::integrity::{add_to_history, export_rekeyed, open_candidate, remove_db, sidecar};
use crate::vault::Vault;

/// The intent marker of a master-key replacement in progress, in the profile folder.
pub use crate::profile::layout::REKEY_MARKER as MARKER;

#[derive(Serialize, Deserialize)]
struct Intent {
    /// The slot file that goes with the candidate (public data: wrapped keys only).
    slots: SlotFile,
}

/// What changes in the key slots with the new master key besides a new password. What
/// is not named is carried over: resealed to the same credential when its slot is an
/// authentic version-2 slot.
#[derive(Default)]
pub(crate) struct SlotChange<'a> {
    /// A recovery slot for this recovery key (new, or the current one just typed)
    /// replaces the recovery slot.
    pub recovery: Option<&'a RecoveryKey>,
    /// Keychain unlock is turned off: its slot goes.
    pub drop_keychain: bool,
}

/// What a master-key replacement did besides the change asked for.
pub struct Rotated {
    /// A new recovery key, to show once, when the old recovery slot could not be
    /// carried over to the new key (made by a version before recipient slots, or not
    /// provably authentic): the old recovery key opens only older backups now.
    pub new_recovery_key: Option<RecoveryKey>,
    /// Keychain unlock was turned off because its slot could not be carried over.
    pub keychain_disabled: bool,
}

impl Session {
    /// Replaces the master key: re-encrypts the vault under a new one, seals the new
    /// key to the profile's credentials with `change` applied, and keeps the old key in
    /// the key history. `new_password` gives the new password's slot, when there is
    /// one: it is called once the vault is re-encrypted, so its slow KDF can run on
    /// another thread meanwhile. `password` (the current password, when the user just
    /// typed it) rebuilds a password slot that cannot be resealed. Nothing else may hold
    /// a connection to the vault (the app's backup thread is serialized with this).
    pub(crate) fn rotate_master_key(
        &mut self,
        change: SlotChange<'_>,
        new_password: impl FnOnce() -> Result<Option<DerivedPassword>>,
        password: Option<&str>,
    ) -> Result<Rotated> {
        let new_mk = SecretKey::generate();
        let dir = self.dir.clone();
        let live = dir.join(VAULT_FILE);
        let candidate = dir.join(REKEY_CANDIDATE);
        remove_db(&candidate);
        self.vault.connection().query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))?;
        let prepared = (|| {
            export_rekeyed(&live, &self.mk, &candidate, &new_mk)?;
            // The old key into the history, counted as a change the backup on lock must
            // capture (the new backups carry the new slots).
            add_to_history(&candidate, &new_mk, std::iter::once(&self.mk), true)?;
            check_copy(&self.vault, &candidate, &new_mk)?;
            let derived = new_password()?;
            self.slots_for(&new_mk, change, derived.as_ref(), password)
        })();
        let (next, rotated) = match prepared {
            Ok(x) => x,
            Err(e) => {
                remove_db(&candidate);
                return Err(e);
            }
        };
        crash_point("rekey_candidate");

        // From here on the swap is finished, now or at the next start.
        write_atomic(&dir.join(MARKER), &crate::durable::to_json_pretty(&Intent { slots: next.clone() }))?;
        crash_point("rekey_marker");
        // Close the live connection (the checkpoint above left its WAL empty) so that
        // nothing of the old file stays attached to the path. Should the swap or the
        // reopening fail, the session keeps the placeholder, an empty in-memory database
        // on which every query fails: nothing is written to a vault the next start's
        // recovery would replace.
        drop(std::mem::replace(&mut self.vault, Vault::placeholder()?));
        finish(&dir, next.clone())?;
        self.vault = Vault::open(&live, &new_mk)?;
        crate::vault::changes::track_changes(&self.vault)?;
        self.history.insert(0, std::mem::replace(&mut self.mk, new_mk));
        self.slots = SlotFile::load(&dir)?.0;
        Ok(rotated)
    }

    /// The slot file for `new_mk`: the new password's slot (`derived`) or the current one
    /// carried over (or rebuilt from `password`), the recovery slot made for
    /// `change.recovery` or carried over (or a new recovery key), the keychain slot
    /// carried over unless dropped.
    fn slots_for(
        &self,
        new_mk: &SecretKey,
        change: SlotChange<'_>,
        derived: Option<&DerivedPassword>,
        password: Option<&str>,
    ) -> Result<(SlotFile, Rotated)> {
        let owner = &self.info.id;
        let mut rotated = Rotated { new_recovery_key: None, keychain_disabled: false };
        let mut next = SlotFile::new(owner, new_mk);
        next.seq = self.slots.seq;
        let carry = |kind: SlotKind| -> Option<Slot> {
            self.slots.of_kind(kind).find_map(|s| s.resealed(owner, &self.mk, new_mk))
        };
        let password_slot = match derived {
            Some(derived) => Slot::password_from(owner, self.slots.next_id(), derived, new_mk),
            None => match (carry(SlotKind::Password), password) {
                (Some(slot), _) => slot,
                (None, Some(pw)) => {
                    let params = self
                        .slots
                        .of_kind(SlotKind::Password)
                        .find_map(|s| match &s.kdf {
                            Kdf::Argon2id { params, .. } => Some(*params),
                            Kdf::HkdfSha256 { .. } => None,
                        })
                        .unwrap_or(crate::crypto::keys::KdfParams::MIN);
                    Slot::password(owner, self.slots.next_id(), pw, params, new_mk)?
                }
                (None, None) => return Err(KeyError::CredentialNeeded.into()),
            },
        };
        next.slots.push(password_slot);
        let recovery_slot = match change.recovery {
            Some(rk) => Slot::recovery(owner, self.slots.next_id() + 1, rk, new_mk),
            None => carry(SlotKind::Recovery).unwrap_or_else(|| {
                let rk = RecoveryKey::generate();
                let slot = Slot::recovery(owner, self.slots.next_id() + 1, &rk, new_mk);
                rotated.new_recovery_key = Some(rk);
                slot
            }),
        };
        next.slots.push(recovery_slot);
        if !change.drop_keychain && self.slots.has(SlotKind::Keychain) {
            match carry(SlotKind::Keychain) {
                Some(slot) => next.slots.push(slot),
                None => rotated.keychain_disabled = true,
            }
        }
        next.slots.sort_by_key(|s| s.id);
        Ok((next, rotated))
    }
}

/// The copy holds what the live vault holds: the same schema objects and the same
/// number of rows in every table (one more in the key history).
fn check_copy(live: &Vault, candidate: &Path, key: &SecretKey) -> Result<()> {
    let copy = open_candidate(candidate, key, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)?;
    let objects = crate::vault::migrations::schema_objects(live.connection())?;
    if crate::vault::migrations::schema_objects(&copy)? != objects {
        return Err(crate::vault::integrity::damaged("re-encrypted copy: schema"));
    }
    for (_, table, _, _) in objects.iter().filter(|o| o.0 == "table") {
        let count = |c: &rusqlite::Connection| -> Result<i64> {
            Ok(c.query_row(&format!("SELECT count(*) FROM main.\"{table}\""), [], |r| r.get(0))?)
        };
        let extra = i64::from(table == "key_history");
        let (a, b) = (count(live.connection())?, count(&copy)?);
        // The history may already have held the retired key (INSERT OR IGNORE).
        if b != a + extra && !(extra == 1 && b == a) {
            return Err(crate::vault::integrity::damaged("re-encrypted copy: rows"));
        }
    }
    Ok(())
}

/// The swap, idempotent so a restart can redo it: store the new slot file, move the
/// candidate over the vault, remove the marker. The caller holds the profile lock and
/// no connection to the vault.
fn finish(dir: &Path, slots: SlotFile) -> Result<()> {
    let candidate = dir.join(REKEY_CANDIDATE);
    let live = dir.join(VAULT_FILE);
    let current = SlotFile::load(dir).ok().map(|(s, _)| s);
    if current.as_ref().is_none_or(|c| c.key_check != slots.key_check || c.slots != slots.slots) {
        let mut slots = slots;
        slots.seq = slots.seq.max(current.map_or(0, |c| c.seq));
        slots.store(dir)?;
    }
    crash_point("rekey_slots");
    if candidate.exists() {
        // The old vault's WAL was checkpointed empty before the marker; a WAL left
        // beside the new file would be replayed into it.
        for suffix in ["-wal", "-shm"] {
            let p = sidecar(&live, suffix);
            if p.exists() {
                fs::remove_file(&p).map_err(|e| Error::io(&p, e))?;
            }
        }
        fs::rename(&candidate, &live).map_err(|e| Error::io(&candidate, e))?;
        sync_dir(dir)?;
    }
    crash_point("rekey_renamed");
    remove_intent(dir, MARKER)
}

/// Finishes a master-key replacement interrupted in `dir` (the caller holds the profile
/// lock). Returns whether there was one.
pub(crate) fn recover(dir: &Path) -> Result<bool> {
    let bytes = match fs::read(dir.join(MARKER)) {
        Ok(b) => b,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(false),
        Err(e) => return Err(Error::io(dir.join(MARKER), e)),
    };
    let intent: Intent = serde_json::from_slice(&bytes).map_err(|_| crate::error::KeyError::SlotsCorrupt)?;
    finish(dir, intent.slots)?;
    Ok(true)
}
