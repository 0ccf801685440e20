//! Restoring backups, crash-safely: into the existing profile of the same id, or as a
//! new profile on a new computer; previews; verification of backup files; the
//! interrupted-restore recovery run at start; and the startup health check.
//!
//! Restore sequence (each step durable before the next):
//! parse with limits → unlock a slot → check the header MAC → decrypt into a temp file
//! beside the vault → fsync → verify the candidate (key first, cipher integrity,
//! integrity, foreign keys, key check, schema; migrate it if older) → write the intent
//! marker → move the live vault with its `-wal`/`-shm` into `pre-restore-<time>/` →
//! install the new slot file if the key differs → rename the candidate in → fsync →
//! reopen and verify → remove the marker. A start that finds a marker finishes the
//! swap (the candidate was verified before the marker was written) or, when the
//! candidate is gone and no vault is in place, moves the set-aside vault back.

use std::fs;
use std::path::{Path, PathBuf};

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::backup::format::{self, FileKeys, Parsed};
use crate::backup::verify::{checks_for, decrypt_to, read_supported};
use crate::backup::BackupHeader;
use crate::crypto::keys::{check_password_strength, RecoveryKey, SecretKey};
use crate::durable::{create_private_dir, sync_dir, write_atomic};
use crate::error::{BackupError, Error, KeyError, ProfileError, Result};
use crate::money::Decimal;
use crate::profile::layout::{remove_intent, remove_temp_files, temp_db, SET_ASIDE_PREFIX, TMP_PREFIX};
use crate::profile::{DataDir, KdfChoice, ProfileInfo, ProfileLock, Session, UnlockMethod, MAX_PROFILES, VAULT_FILE};
use crate::unlock::slots::{DerivedPassword, Slot, SlotFile, SlotKind};
use crate::unlock::throttle;
use crate::vault::audit::AuditKind;
use crate::vault::integrity::{add_to_history, export_rekeyed, remove_db, sidecar, verify_candidate, Checks};
use crate::vault::Vault;

/// The intent marker of a restore in progress, in the profile folder.
pub use crate::profile::layout::RESTORE_MARKER as MARKER;
/// Set-aside vaults are kept at least this long.
pub const KEEP_SET_ASIDE: Duration = Duration::days(30);

pub use crate::profile::Credential;

/// Where to restore.
#[derive(Clone, Copy, Debug)]
pub enum Target<'a> {
    /// Into the local profile with the backup's id if there is one, else as a new
    /// profile named as in the backup.
    Auto,
    /// Into this local profile, which must be the backup's profile.
    Profile(&'a str),
    /// As a new profile with this name (on a computer that does not have it yet).
    AsNew(&'a str),
}

/// A restore request.
pub struct RestoreRequest<'a> {
    /// Into an existing profile: its current password or recovery key. As a new
    /// profile: the backup's own.
    pub credential: Credential<'a>,
    /// The new password: required as a new profile, and with a recovery key (the user
    /// chose to recover because the password is lost).
    pub new_password: Option<&'a str>,
    /// Where to restore.
    pub target: Target<'a>,
    /// The admin's session, needed to create a profile when others exist.
    pub admin: Option<&'a Session>,
    /// Cost of the new password's key derivation.
    pub kdf: KdfChoice,
}

/// What a backup holds, shown before restoring it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, TS)]
pub struct RestorePreview {
    /// When the backup was made.
    pub created_at: DateTime<Utc>,
    /// Profile name in the backup.
    pub profile_name: String,
    /// Number of institutions.
    pub institutions: u64,
    /// Number of accounts.
    pub accounts: u64,
    /// Number of assets.
    pub assets: u64,
    /// Number of values.
    pub values: u64,
    /// Net worth on the backup's date.
    #[ts(as = "crate::money::DecimalTs")]
    #[serde(with = "rust_decimal::serde::str")]
    pub net_worth: Decimal,
    /// Currency of the net worth (the profile's base currency).
    pub currency: String,
}

/// A restored profile: its open session, and the new recovery key when the restore
/// made one (a restore as a new profile always does): show it once.
pub struct Restored {
    /// The unlocked session of the restored profile.
    pub session: Session,
    /// The new recovery key, to show once and print.
    pub new_recovery_key: Option<RecoveryKey>,
}

/// The credentials a restore into an existing profile gives it besides its own: a
/// new password (derived on another thread: a closure that waits for it) and the
/// recovery key the user typed, when restoring with it.
struct NewCredentials<'a, F> {
    password: F,
    recovery_key: Option<&'a RecoveryKey>,
}

/// A failed [`DataDir::restore_from_session`]: why, and the profile's session, open
/// again (`None` only when its vault could not be reopened).
pub struct RestoreFailed {
    /// What went wrong.
    pub error: Error,
    /// The session, to go on with.
    pub session: Option<Session>,
}

/// State of a profile found by the startup health check.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum HealthState {
    /// Files present and plausible.
    Ok,
    /// The vault file is missing.
    VaultMissing,
    /// The vault file cannot be a SQLCipher database (empty or cut).
    VaultDamaged,
    /// Both copies of the key-slot file are missing or damaged.
    SlotsDamaged,
    /// A restore was interrupted and not yet finished.
    RestoreInterrupted,
}

/// One profile's health.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, TS)]
pub struct ProfileHealth {
    /// Profile name.
    pub name: String,
    /// What was found.
    pub state: HealthState,
}

/// What the start-up recovery did for one profile.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, TS)]
pub struct Recovered {
    /// Profile name.
    pub profile: String,
    /// True when the restore was completed, false when it was rolled back.
    pub finished: bool,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
struct Intent {
    started_at: DateTime<Utc>,
    candidate: String,
    aside: String,
    new_slots: Option<SlotFile>,
}

fn stamp(t: DateTime<Utc>) -> String {
    t.format("%Y%m%dT%H%M%S%.3fZ").to_string()
}

/// Tries a credential on a backup header's slots of its kind (a password runs the KDF
/// once: a header carries one password slot).
fn open_header(parsed: &Parsed, credential: &Credential<'_>) -> Result<SecretKey, KeyError> {
    match credential {
        Credential::Password(pw) => parsed.header.unlock_with_password(pw),
        Credential::RecoveryKey(rk) => parsed.header.unlock_with_recovery_key(rk),
    }
}

/// Folder of the shared throttle for backups of profiles unknown here.
const UNKNOWN_PROFILES_THROTTLE: &str = "throttle";

impl DataDir {
    /// The folder whose throttle guards credential attempts on a backup of
    /// `profile_id`: that profile's folder when it is here, else one folder shared by
    /// every profile unknown here.
    fn throttle_dir(&self, profile_id: &str) -> Result<PathBuf> {
        Ok(match self.profiles()?.into_iter().find(|p| p.id == profile_id) {
            Some(p) => self.profile_dir(&p),
            None => self.root().join(UNKNOWN_PROFILES_THROTTLE),
        })
    }

    /// Unlocks a slot of a parsed backup with the credential it was made with (one KDF
    /// run), under the throttle of its profile, and authenticates its header.
    fn unlock_backup(&self, parsed: &Parsed, credential: &Credential<'_>) -> Result<(SecretKey, FileKeys)> {
        let dir = self.throttle_dir(&parsed.header.profile_id)?;
        let method = format!("backup:{}", credential.method().as_str());
        let mk = throttle::guarded(&dir, &method, || Ok(open_header(parsed, credential)?))?;
        let keys = format::authenticate(parsed, &mk)?;
        Ok((mk, keys))
    }

    /// [`read_supported`], then [`DataDir::unlock_for`].
    fn open_backup(&self, path: &Path, credential: &Credential<'_>) -> Result<(Parsed, SecretKey, FileKeys)> {
        let parsed = read_supported(path)?;
        let u = self.unlock_for(&parsed, credential)?;
        Ok((parsed, u.mk, u.keys))
    }

    /// The master key of an existing profile from its *current* credential, checked
    /// against its slot file under its throttle (restoring never changes who can open
    /// a profile). `None` when both copies of the slot file are lost: no current
    /// credential can be checked, so nobody can open the profile any more.
    fn current_key(&self, info: &ProfileInfo, credential: &Credential<'_>) -> Result<Option<SecretKey>> {
        let dir = self.profile_dir(info);
        let Ok((slots, _)) = SlotFile::load(&dir) else { return Ok(None) };
        let method = format!("restore:{}", credential.method().as_str());
        let opened = throttle::guarded(&dir, &method, || credential.unlock(&slots))?;
        Ok(Some(opened.mk))
    }

    /// Opens a backup with a credential, by the rule every path follows (restore,
    /// preview, verification): for a backup of a profile that is here, the credential
    /// is that profile's *current* one (an old password opens old backups only where
    /// the profile is not), and the backup's key is found among the profile's keys
    /// (today's and its history), else opened with the same credential; for a backup of
    /// a profile unknown here, or one whose slot file is lost, its own credential.
    fn unlock_for(&self, parsed: &Parsed, credential: &Credential<'_>) -> Result<Unlocked> {
        let local = self.profiles()?.into_iter().find(|p| p.id == parsed.header.profile_id);
        let current = match &local {
            Some(info) => self.current_key(info, credential)?,
            None => None,
        };
        let Some(cur) = current else {
            let (mk, keys) = self.unlock_backup(parsed, credential)?;
            return Ok(Unlocked { mk, keys, current: None, history: vec![] });
        };
        let history = local.map(|info| live_history(&self.profile_dir(&info), &cur)).unwrap_or_default();
        let known =
            std::iter::once(&cur).chain(&history).find(|k| hex::encode(k.key_check()) == parsed.header.key_check);
        let mk = match known {
            Some(k) => SecretKey::from_bytes(*k.expose()),
            // Made under a key this profile does not know: the credential, just proved
            // the profile's own, is no guess, so trying it on the backup too is not
            // throttled again.
            None => open_header(parsed, credential).map_err(|e| match e {
                KeyError::WrongPassword | KeyError::WrongRecoveryKey => BackupError::OldCredentials.into(),
                other => Error::from(other),
            })?,
        };
        let keys = format::authenticate(parsed, &mk)?;
        Ok(Unlocked { mk, keys, current: Some(cur), history })
    }
}

/// A backup opened by [`DataDir::unlock_for`]: its key and file keys, and, when its
/// profile is here and the user proved its current credential, that profile's key
/// and key history.
struct Unlocked {
    mk: SecretKey,
    keys: FileKeys,
    current: Option<SecretKey>,
    history: Vec<SecretKey>,
}

/// What a restore into an existing profile keeps of it: its current master key (the
/// restored vault is re-encrypted to it when the backup was made under another) and
/// its key history (added to the restored vault's, so no older backup becomes
/// unreadable).
pub(crate) struct Keep<'a> {
    /// The profile's master key.
    pub current: &'a SecretKey,
    /// The keys it replaced.
    pub history: &'a [SecretKey],
}

/// The key history of a profile's live vault, read with its current key; empty when
/// the vault cannot be opened (missing or damaged: what a restore is for).
fn live_history(dir: &Path, current: &SecretKey) -> Vec<SecretKey> {
    let path = dir.join(VAULT_FILE);
    if !path.exists() {
        return vec![];
    }
    Vault::open_unmigrated(&path, current).and_then(|v| v.retired_keys()).unwrap_or_default()
}

impl DataDir {
    /// A private scratch folder for temporary vaults (previews, verifications of
    /// files of no local profile). Leftovers older than a day are removed.
    fn scratch(&self) -> Result<PathBuf> {
        let dir = self.root().join("tmp");
        create_private_dir(&dir)?;
        if let Ok(rd) = fs::read_dir(&dir) {
            for e in rd.flatten() {
                let old = e
                    .metadata()
                    .and_then(|m| m.modified())
                    .ok()
                    .and_then(|t| t.elapsed().ok())
                    .is_some_and(|age| age > std::time::Duration::from_secs(86_400));
                if old {
                    let _ = fs::remove_file(e.path());
                }
            }
        }
        Ok(dir)
    }

    /// Fully verifies a backup file with its password or recovery key: decrypts it into
    /// a temporary vault and runs every check. Writes nothing else.
    pub fn verify_backup(&self, path: &Path, credential: &Credential<'_>) -> Result<BackupHeader> {
        let (parsed, mk, keys) = self.open_backup(path, credential)?;
        let tmp = temp_db(&self.scratch()?, "verify");
        let result = decrypt_to(path, &parsed, &keys, &tmp)
            .and_then(|_| verify_candidate(&tmp, &mk, &parsed.header.profile_id, false, Checks::Full));
        remove_db(&tmp);
        result?;
        crate::backup::inspect(path)
    }

    /// What a backup holds (counts and net worth at its date), without touching the
    /// live data: it is decrypted into a temporary vault, read, and deleted.
    pub fn restore_preview(&self, path: &Path, credential: &Credential<'_>) -> Result<RestorePreview> {
        let (parsed, mk, keys) = self.open_backup(path, credential)?;
        let tmp = temp_db(&self.scratch()?, "preview");
        let result = (|| {
            decrypt_to(path, &parsed, &keys, &tmp)?;
            verify_candidate(&tmp, &mk, &parsed.header.profile_id, true, checks_for(&parsed))?;
            let vault = Vault::open(&tmp, &mk)?;
            let count = |table: &str| -> Result<u64> {
                Ok(vault.connection().query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0))?)
            };
            let nw = vault.net_worth(parsed.header.created_at.date_naive())?;
            Ok(RestorePreview {
                created_at: parsed.header.created_at,
                profile_name: parsed.header.profile_name.clone(),
                institutions: count("institution")?,
                accounts: count("account")?,
                assets: count("asset")?,
                values: count("value_point")?,
                net_worth: nw.net_worth,
                currency: nw.currency,
            })
        })();
        remove_db(&tmp);
        result
    }

    /// Restores a backup and returns the unlocked session of the restored profile.
    ///
    /// Restoring never changes who can open a profile. Into an existing profile (which
    /// must not be open: lock it first) the credential is that profile's *current*
    /// password or recovery key; the restored data then takes the profile's current
    /// key and slots (a backup made under an older key is found in the live vault's key
    /// history, or opened with the same credential, and re-encrypted). Only when both
    /// copies of the profile's slot file are lost does the backup's own credential
    /// restore into it. As a new profile the backup opens with its own credential, and
    /// the new profile gets a new master key, the new password and a new recovery key
    /// (returned: show it once), so that an old credential of the backup opens that
    /// backup and nothing the new profile makes. Nothing is written when the file, the
    /// credential or the target is refused.
    pub fn restore(&self, path: &Path, req: &RestoreRequest<'_>) -> Result<Restored> {
        let parsed = read_supported(path)?;
        let recovering = matches!(req.credential, Credential::RecoveryKey(_));
        if let Some(pw) = req.new_password {
            check_password_strength(pw)?;
        }
        let id = parsed.header.profile_id.clone();
        let existing = self.profiles()?.into_iter().find(|p| p.id == id);
        enum Plan {
            Into(ProfileInfo),
            New(String),
        }
        let plan = match req.target {
            Target::Profile(name) => {
                let p = self.profile(name)?;
                if p.id != id {
                    return Err(BackupError::OtherProfile.into());
                }
                Plan::Into(p)
            }
            Target::AsNew(name) => match existing {
                Some(_) => return Err(BackupError::ProfilePresent.into()),
                None => Plan::New(name.to_owned()),
            },
            Target::Auto => match existing {
                Some(p) => Plan::Into(p),
                None => Plan::New(parsed.header.profile_name.clone()),
            },
        };
        match &plan {
            Plan::New(name) => {
                self.check_new_profile(name, req.admin)?;
                if req.new_password.is_none() {
                    return Err(Error::invalid(
                        "new_password",
                        "choose a new password for the restored profile (it also gets a new recovery key)",
                    ));
                }
            }
            Plan::Into(_) if recovering && req.new_password.is_none() => {
                return Err(Error::invalid(
                    "new_password",
                    "choose a new password when restoring with the recovery key",
                ));
            }
            Plan::Into(_) => {}
        }
        let Unlocked { mk, keys, current, history } = self.unlock_for(&parsed, &req.credential)?;
        let params = match req.new_password {
            Some(_) => Some(req.kdf.params()?),
            None => None,
        };
        let restored = std::thread::scope(|scope| {
            // The new password's KDF, the slow part of a restore with a new password,
            // runs on a thread of its own while the backup is decrypted and checked.
            let pending = req
                .new_password
                .zip(params)
                .map(|(pw, params)| scope.spawn(move || DerivedPassword::derive(pw, params)));
            let new_password = move || -> Result<Option<DerivedPassword>> {
                match pending {
                    Some(h) => Ok(Some(h.join().unwrap_or_else(|p| std::panic::resume_unwind(p))?)),
                    None => Ok(None),
                }
            };
            let rk = match &req.credential {
                Credential::RecoveryKey(rk) => Some(*rk),
                Credential::Password(_) => None,
            };
            match plan {
                Plan::Into(info) => {
                    let keep = current.as_ref().map(|cur| Keep { current: cur, history: &history });
                    self.restore_into(
                        path,
                        &parsed,
                        (&mk, &keys),
                        keep,
                        info,
                        NewCredentials { password: new_password, recovery_key: rk },
                    )
                }
                Plan::New(name) => self.restore_new(path, &parsed, &mk, &keys, &name, req.admin, new_password),
            }
        })?;
        restored.session.vault().audit(AuditKind::Restore, if recovering { "recovery_key" } else { "password" })?;
        Ok(restored)
    }

    /// Restores one of the open profile's own backups ("Restore" in the backup list)
    /// with the session's keys: no password and no key derivation, since the session
    /// holds the key every backup of this profile is made with (today's, or an older
    /// one from its key history: such a backup is re-encrypted to today's key). The
    /// session is closed first (its vault is replaced) and the restored profile's
    /// session is returned; the same checks and crash-safe steps as [`DataDir::restore`],
    /// the replaced vault set aside. On error nothing changed and the profile is
    /// opened again.
    pub fn restore_from_session(
        &self,
        session: Session,
        path: &Path,
    ) -> std::result::Result<Session, Box<RestoreFailed>> {
        let checked = (|| {
            let parsed = read_supported(path)?;
            if parsed.header.profile_id != session.info().id {
                return Err(BackupError::OtherProfile.into());
            }
            let key = session.key_for(&parsed.header.key_check).ok_or(BackupError::OldCredentials)?;
            let keys = format::authenticate(&parsed, key)?;
            Ok((parsed, SecretKey::from_bytes(*key.expose()), keys))
        })();
        let (parsed, backup_mk, keys) = match checked {
            Ok(x) => x,
            Err(error) => return Err(Box::new(RestoreFailed { error, session: Some(session) })),
        };
        let mk = SecretKey::from_bytes(*session.master_key().expose());
        let history: Vec<SecretKey> = session.history.iter().map(|k| SecretKey::from_bytes(*k.expose())).collect();
        let info = session.info().clone();
        let method = session.method();
        drop(session);
        let keep = Keep { current: &mk, history: &history };
        let none = NewCredentials { password: || Ok(None), recovery_key: None };
        match self.restore_into(path, &parsed, (&backup_mk, &keys), Some(keep), info.clone(), none) {
            Ok(r) => match r.session.vault().audit(AuditKind::Restore, "session") {
                Ok(()) => Ok(r.session),
                Err(error) => Err(Box::new(RestoreFailed { error, session: Some(r.session) })),
            },
            Err(error) => {
                let session = Session::open(self.profile_dir(&info), info, mk, method).ok();
                Err(Box::new(RestoreFailed { error, session }))
            }
        }
    }

    /// Restores into the existing profile `info`. `backup` is the backup's key and file
    /// keys; `keep` the profile's current key and history when known (the user proved
    /// the current credential or holds the session): the restored vault ends under that
    /// key, or under a new one when `new` brings a new password, and keeps every
    /// known key in its history. Without `keep` (the slot file is lost) the backup's
    /// key and slots are installed.
    fn restore_into(
        &self,
        path: &Path,
        parsed: &Parsed,
        backup: (&SecretKey, &FileKeys),
        keep: Option<Keep<'_>>,
        info: ProfileInfo,
        new: NewCredentials<'_, impl FnOnce() -> Result<Option<DerivedPassword>>>,
    ) -> Result<Restored> {
        let (backup_mk, keys) = backup;
        let dir = self.profile_dir(&info);
        create_private_dir(&dir)?;
        let lock = ProfileLock::acquire(&dir)?;
        recover_dir(&dir)?;
        let now = Utc::now();
        let decrypted = dir.join(format!("{TMP_PREFIX}restore-{}.db", stamp(now)));
        decrypt_to(path, parsed, keys, &decrypted)?;
        let checked = match verify_candidate(&decrypted, backup_mk, &info.id, true, checks_for(parsed)) {
            Ok(h) => h,
            Err(e) => {
                remove_db(&decrypted);
                return Err(e);
            }
        };
        let derived = match (new.password)() {
            Ok(d) => d,
            Err(e) => {
                remove_db(&decrypted);
                return Err(e);
            }
        };
        // The key the restored vault ends under: a new one with a new password (a
        // changed credential gets a new key), else the profile's, else the backup's.
        let fresh = derived.as_ref().map(|_| SecretKey::generate());
        let target: &SecretKey = match (&fresh, &keep) {
            (Some(f), _) => f,
            (None, Some(k)) => k.current,
            (None, None) => backup_mk,
        };
        let (candidate, rekeyed) = if target.expose() != backup_mk.expose() {
            let rekeyed = dir.join(format!("{TMP_PREFIX}restore-{}-rekeyed.db", stamp(now)));
            let done = export_rekeyed(&decrypted, backup_mk, &rekeyed, target);
            remove_db(&decrypted);
            if let Err(e) = done {
                remove_db(&rekeyed);
                return Err(e);
            }
            (rekeyed, true)
        } else {
            (decrypted, false)
        };
        let mut retired: Vec<&SecretKey> = vec![];
        if let Some(k) = &keep {
            retired.push(k.current);
            retired.extend(k.history);
        }
        if rekeyed {
            retired.push(backup_mk);
        }
        if let Err(e) = add_to_history(&candidate, target, retired.into_iter(), false) {
            remove_db(&candidate);
            return Err(e);
        }
        crate::durable::crash_point("restore_candidate");
        let current = SlotFile::load(&dir).ok().map(|(s, _)| s);
        let mut new_recovery_key = None;
        let new_slots = match (&derived, &keep, &current) {
            // A new password: new slots under the new key. The recovery slot is made for
            // the recovery key just typed, else carried over, else new (returned).
            (Some(derived), _, _) => {
                let mut slots = SlotFile::new(&info.id, target);
                slots.seq = current.as_ref().map_or(0, |c| c.seq);
                let base = current.as_ref();
                let next_id = base.map_or(1, SlotFile::next_id);
                slots.slots.push(Slot::password_from(&info.id, next_id, derived, target));
                let carried = |kind: SlotKind| -> Option<Slot> {
                    let (c, k) = (base?, keep.as_ref()?);
                    c.of_kind(kind).find_map(|s| s.resealed(&info.id, k.current, target))
                };
                let recovery = match new.recovery_key {
                    Some(rk) => Slot::recovery(&info.id, next_id + 1, rk, target),
                    None => carried(SlotKind::Recovery).unwrap_or_else(|| {
                        let rk = RecoveryKey::generate();
                        let slot = Slot::recovery(&info.id, next_id + 1, &rk, target);
                        new_recovery_key = Some(rk);
                        slot
                    }),
                };
                slots.slots.push(recovery);
                slots.slots.extend(carried(SlotKind::Keychain));
                Some(slots)
            }
            // The profile's key: its slot file stays (it may hold a keychain slot).
            (None, Some(_), Some(c)) if c.key_matches(target) => None,
            // The slot file is lost: the backup's slots.
            _ => Some(slots_from_header(parsed, current.as_ref().map_or(0, |c| c.seq))),
        };
        let mut aside = format!("{SET_ASIDE_PREFIX}{}", stamp(now));
        let mut n = 2;
        while dir.join(&aside).exists() {
            aside = format!("{SET_ASIDE_PREFIX}{}-{n}", stamp(now));
            n += 1;
        }
        let intent = Intent {
            started_at: now,
            candidate: candidate.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default(),
            aside,
            new_slots,
        };
        write_atomic(&dir.join(MARKER), &crate::durable::to_json_pretty(&intent))?;
        crate::durable::crash_point("restore_marker");
        swap(&dir, &intent)?;
        crate::durable::crash_point("restore_swapped");
        // Reopen before declaring success; undo on failure. The bytes were fully checked
        // as the candidate and a rename does not change them, so opening with the key
        // (which reads and authenticates the schema pages) and finding the schema
        // version the candidate had prove the rename.
        let reopened =
            Vault::open(&dir.join(VAULT_FILE), target).and_then(|v| Ok(v.schema_version()? == checked.schema_version));
        match reopened {
            Ok(true) => {}
            Ok(false) | Err(_) => {
                roll_back(&dir, &intent)?;
                remove_marker(&dir)?;
                return Err(BackupError::Damaged("the restored vault did not reopen".into()).into());
            }
        }
        remove_marker(&dir)?;
        let session =
            Session::open_locked(dir, info, SecretKey::from_bytes(*target.expose()), UnlockMethod::Password, lock)?;
        Ok(Restored { session, new_recovery_key })
    }

    fn check_new_profile(&self, name: &str, admin: Option<&Session>) -> Result<()> {
        let name = crate::profile::validate_name(name)?;
        let profiles = self.profiles()?;
        if profiles.len() >= MAX_PROFILES {
            return Err(ProfileError::Limit { max: MAX_PROFILES }.into());
        }
        if profiles.iter().any(|p| p.name.to_lowercase() == name.to_lowercase()) {
            return Err(ProfileError::Exists(name).into());
        }
        if !profiles.is_empty()
            && !admin.is_some_and(|s| s.info().admin && profiles.iter().any(|p| p.id == s.info().id))
        {
            return Err(ProfileError::NotAdmin.into());
        }
        Ok(())
    }

    /// Restores as a new profile: the backup is decrypted and checked in a staging
    /// folder, re-encrypted under a new master key (the backup's goes into its key
    /// history), given the new password and a new recovery key, then renamed into
    /// place and registered.
    #[allow(clippy::too_many_arguments)]
    fn restore_new(
        &self,
        path: &Path,
        parsed: &Parsed,
        mk: &SecretKey,
        keys: &FileKeys,
        name: &str,
        admin: Option<&Session>,
        new_password: impl FnOnce() -> Result<Option<DerivedPassword>>,
    ) -> Result<Restored> {
        let name = crate::profile::validate_name(name)?;
        let id = parsed.header.profile_id.clone();
        let profiles_dir = self.root().join("profiles");
        let final_dir = profiles_dir.join(&id);
        let now = Utc::now();
        let staging = profiles_dir.join(format!(".{id}.restoring"));
        let _ = fs::remove_dir_all(&staging);
        let fresh = SecretKey::generate();
        let rk = RecoveryKey::generate();
        let result = (|| {
            create_private_dir(&staging)?;
            let decrypted = staging.join(format!("{TMP_PREFIX}backup.db"));
            decrypt_to(path, parsed, keys, &decrypted)?;
            verify_candidate(&decrypted, mk, &id, true, checks_for(parsed))?;
            let vault = staging.join(VAULT_FILE);
            export_rekeyed(&decrypted, mk, &vault, &fresh)?;
            remove_db(&decrypted);
            add_to_history(&vault, &fresh, std::iter::once(mk), false)?;
            let derived = new_password()?
                .ok_or_else(|| Error::invalid("new_password", "choose a new password for the restored profile"))?;
            let mut slots = SlotFile::new(&id, &fresh);
            slots.slots.push(Slot::password_from(&id, 1, &derived, &fresh));
            slots.slots.push(Slot::recovery(&id, 2, &rk, &fresh));
            slots.store(&staging)?;
            sync_dir(&staging)
        })();
        if let Err(e) = result {
            let _ = fs::remove_dir_all(&staging);
            return Err(e);
        }
        if final_dir.exists() {
            // A folder with no registry entry (left by a crash): set it aside, never delete it.
            let orphan = profiles_dir.join(format!(".{id}.orphaned-{}", stamp(now)));
            fs::rename(&final_dir, &orphan).map_err(|e| Error::io(&final_dir, e))?;
        }
        fs::rename(&staging, &final_dir).map_err(|e| Error::io(&final_dir, e))?;
        sync_dir(&profiles_dir)?;
        let registered = self.check_new_profile(&name, admin).and_then(|_| {
            let info = ProfileInfo { id: id.clone(), name, admin: self.profiles()?.is_empty(), created_at: now };
            self.add_to_registry(info.clone()).map(|_| info)
        });
        let info = match registered {
            Ok(info) => info,
            Err(e) => {
                let _ = fs::rename(&final_dir, &staging);
                let _ = fs::remove_dir_all(&staging);
                return Err(e);
            }
        };
        let session = Session::open(final_dir, info, fresh, UnlockMethod::Password)?;
        Ok(Restored { session, new_recovery_key: Some(rk) })
    }

    /// Finishes or rolls back every interrupted restore. Call it at start, before
    /// anything else. Profiles open in another process are skipped.
    pub fn recover_interrupted(&self) -> Result<Vec<Recovered>> {
        let mut out = vec![];
        for p in self.profiles()? {
            let dir = self.profile_dir(&p);
            if !crate::profile::layout::intent_pending(&dir) {
                continue;
            }
            let lock = match ProfileLock::acquire(&dir) {
                Ok(l) => l,
                Err(Error::Profile(ProfileError::Busy)) => continue,
                Err(e) => return Err(e),
            };
            if let Some(finished) = recover_dir(&dir)? {
                out.push(Recovered { profile: p.name.clone(), finished });
            }
            drop(lock);
        }
        Ok(out)
    }

    /// The startup health check of every profile, without any key: files present,
    /// slot file valid, vault plausible, no interrupted restore. After unlocking, run
    /// [`Session::quick_check`] too.
    pub fn health(&self) -> Result<Vec<ProfileHealth>> {
        let mut out = vec![];
        for p in self.profiles()? {
            let dir = self.profile_dir(&p);
            let vault = dir.join(VAULT_FILE);
            let state = if dir.join(MARKER).exists() {
                HealthState::RestoreInterrupted
            } else if SlotFile::load(&dir).is_err() {
                HealthState::SlotsDamaged
            } else if !vault.exists() {
                HealthState::VaultMissing
            } else {
                // A SQLCipher file is whole pages of at least 512 bytes; anything else was cut.
                let len = fs::metadata(&vault).map(|m| m.len()).unwrap_or(0);
                if len == 0 || !len.is_multiple_of(512) {
                    HealthState::VaultDamaged
                } else {
                    HealthState::Ok
                }
            };
            out.push(ProfileHealth { name: p.name, state });
        }
        Ok(out)
    }

    /// Removes set-aside vaults (`pre-restore-*`) older than 30 days. Returns them.
    pub fn prune_set_aside(&self, now: DateTime<Utc>) -> Result<Vec<PathBuf>> {
        let mut removed = vec![];
        for p in self.profiles()? {
            let Ok(rd) = fs::read_dir(self.profile_dir(&p)) else { continue };
            for e in rd.flatten() {
                let name = e.file_name().to_string_lossy().into_owned();
                let Some(rest) = name.strip_prefix(SET_ASIDE_PREFIX) else { continue };
                let t = chrono::NaiveDateTime::parse_from_str(rest.get(..15).unwrap_or(""), "%Y%m%dT%H%M%S")
                    .map(|t| t.and_utc());
                if t.is_ok_and(|t| now - t > KEEP_SET_ASIDE) && e.path().is_dir() {
                    fs::remove_dir_all(e.path()).map_err(|err| Error::io(e.path(), err))?;
                    removed.push(e.path());
                }
            }
        }
        Ok(removed)
    }
}

/// The slot file carried by a backup header.
fn slots_from_header(parsed: &Parsed, seq: u64) -> SlotFile {
    SlotFile {
        format: 1,
        owner: parsed.header.profile_id.clone(),
        seq,
        key_check: parsed.header.key_check.clone(),
        slots: parsed.header.slots.clone(),
    }
}

fn remove_marker(dir: &Path) -> Result<()> {
    remove_intent(dir, MARKER)
}

fn rename(from: &Path, to: &Path) -> Result<()> {
    fs::rename(from, to).map_err(|e| Error::io(from, e))
}

/// The swap, idempotent so a restart can redo it: move what is left of the live vault
/// aside, install the new slot file, rename the candidate in.
fn swap(dir: &Path, intent: &Intent) -> Result<()> {
    let candidate = dir.join(&intent.candidate);
    if !candidate.exists() {
        return Ok(());
    }
    let aside = dir.join(&intent.aside);
    create_private_dir(&aside)?;
    // The main file first: if we stop after it, the -wal left behind is moved on restart.
    for suffix in ["", "-wal", "-shm"] {
        let live = sidecar(&dir.join(VAULT_FILE), suffix);
        if live.exists() {
            rename(&live, &sidecar(&aside.join(VAULT_FILE), suffix))?;
            crate::durable::crash_point(&format!("restore_moved{suffix}"));
        }
    }
    sync_dir(&aside)?;
    sync_dir(dir)?;
    if let Some(slots) = &intent.new_slots {
        for name in crate::unlock::slots::COPIES {
            if dir.join(name).exists() && !aside.join(name).exists() {
                fs::copy(dir.join(name), aside.join(name)).map_err(|e| Error::io(dir.join(name), e))?;
            }
        }
        sync_dir(&aside)?;
        let current_seq = SlotFile::load(dir).map(|(s, _)| s.seq).unwrap_or(0);
        let mut next = slots.clone();
        next.seq = next.seq.max(current_seq);
        next.store(dir)?;
        crate::durable::crash_point("restore_slots");
    }
    rename(&candidate, &dir.join(VAULT_FILE))?;
    sync_dir(dir)
}

/// Undoes a swap: the restored vault goes into the set-aside folder as
/// `failed-restore.db`, the set-aside vault and slot files come back.
fn roll_back(dir: &Path, intent: &Intent) -> Result<()> {
    let aside = dir.join(&intent.aside);
    let live = dir.join(VAULT_FILE);
    if aside.join(VAULT_FILE).exists() || !live.exists() {
        for suffix in ["", "-wal", "-shm"] {
            let p = sidecar(&live, suffix);
            if p.exists() {
                rename(&p, &sidecar(&aside.join("failed-restore.db"), suffix))?;
            }
        }
        for suffix in ["", "-wal", "-shm"] {
            let p = sidecar(&aside.join(VAULT_FILE), suffix);
            if p.exists() {
                rename(&p, &sidecar(&live, suffix))?;
            }
        }
    }
    if intent.new_slots.is_some() {
        for name in ["keyslots.a.json", "keyslots.b.json"] {
            if aside.join(name).exists() {
                let bytes = fs::read(aside.join(name)).map_err(|e| Error::io(aside.join(name), e))?;
                write_atomic(&dir.join(name), &bytes)?;
            }
        }
    }
    sync_dir(dir)
}

/// Handles a marker left in `dir` (the caller holds the profile lock): finishes the
/// swap when the verified candidate is there, else rolls back if no vault is in place.
/// Also removes stale temporary files. Returns `Some(finished)` when a marker was found.
pub(crate) fn recover_dir(dir: &Path) -> Result<Option<bool>> {
    // A master-key replacement is finished first: a restore never starts while one is
    // pending, so at most one of the two markers is there.
    crate::profile::rotation::recover(dir)?;
    let marker = dir.join(MARKER);
    let result = match fs::read(&marker) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        Err(e) => return Err(Error::io(&marker, e)),
        Ok(bytes) => {
            let intent: Intent = serde_json::from_slice(&bytes).map_err(|_| BackupError::RestoreInterrupted)?;
            let finished = if dir.join(&intent.candidate).exists() {
                swap(dir, &intent)?;
                true
            } else if dir.join(VAULT_FILE).exists() {
                true
            } else {
                roll_back(dir, &intent)?;
                if !dir.join(VAULT_FILE).exists() {
                    return Err(BackupError::RestoreInterrupted.into());
                }
                false
            };
            remove_marker(dir)?;
            Some(finished)
        }
    };
    remove_temp_files(dir);
    Ok(result)
}

impl Session {
    /// The quick integrity check to run after unlocking (`PRAGMA quick_check`).
    pub fn quick_check(&self) -> Result<bool> {
        quick_check(self.vault())
    }

    /// The same check prepared to run on another thread, on its own connection, so the
    /// first screens after an unlock do not wait for a pass over the whole file.
    pub fn integrity_probe(&self) -> Result<IntegrityProbe> {
        Ok(IntegrityProbe { vault: self.side_vault()? })
    }
}

fn quick_check(vault: &Vault) -> Result<bool> {
    match vault.connection().query_row("PRAGMA quick_check(1)", [], |r| r.get::<_, String>(0)) {
        Ok(r) => Ok(r == "ok"),
        // A page that fails its HMAC or a broken b-tree stops the check with an error.
        Err(e) if crate::vault::is_corrupt(&e) => Ok(false),
        Err(e) => Err(e.into()),
    }
}

/// [`Session::quick_check`] on its own connection to the vault ([`Session::integrity_probe`]).
pub struct IntegrityProbe {
    vault: Vault,
}

impl IntegrityProbe {
    /// True when the vault passes `PRAGMA quick_check`; false when it is damaged.
    pub fn run(&self) -> Result<bool> {
        quick_check(&self.vault)
    }
}

/// Parses a recovery key for a restore (convenience for front ends).
pub fn parse_recovery_key(text: &str) -> Result<RecoveryKey, KeyError> {
    RecoveryKey::parse(text)
}
