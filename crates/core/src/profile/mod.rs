//! Profiles and the data directory: up to five profiles per installation, each a
//! folder holding its vault and key-slot file, listed in `profiles.json`. Unlocking a
//! profile yields a [`Session`], which owns the master key, the open vault and a lock
//! file so two processes never open the same vault.
//!
//! Layout:
//! ```text
//! <data dir>/profiles.json
//! <data dir>/profiles/<id>/vault.db (+ -wal, -shm)
//! <data dir>/profiles/<id>/keyslots.a.json, keyslots.b.json
//! <data dir>/profiles/<id>/unlock-state.json
//! <data dir>/profiles/<id>/lock
//! ```

pub mod layout;
pub mod open;
pub mod rotation;

use std::fs::{self, File};
use std::path::{Path, PathBuf};
use std::time::Duration;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use zeroize::Zeroizing;

use crate::crypto::keys::{calibrate, check_password_strength, random_bytes, KdfParams, RecoveryKey, SecretKey};
use crate::durable::{create_private_dir, sync_dir, write_atomic};
use crate::error::{Error, KeyError, ProfileError, Result};
use crate::profile::rotation::{Rotated, SlotChange};
use crate::unlock::keychain::Keychain;
use crate::unlock::slots::{DerivedPassword, Kdf, Opened, Slot, SlotFile, SlotKind};
use crate::unlock::throttle;
use crate::vault::audit::AuditKind;
use crate::vault::Vault;

pub use crate::limits::MAX_PROFILES;
const REGISTRY: &str = "profiles.json";
pub(crate) use layout::VAULT_FILE;

/// A profile as listed in the registry (no secrets).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProfileInfo {
    /// Random identifier, also the folder name.
    pub id: String,
    /// Display name, unique ignoring case.
    pub name: String,
    /// Whether this is the installation's admin profile (the first one created).
    pub admin: bool,
    /// Creation time.
    pub created_at: DateTime<Utc>,
}

#[derive(Default, Serialize, Deserialize)]
struct Registry {
    format: u32,
    profiles: Vec<ProfileInfo>,
}

/// How to choose Argon2id parameters for a new password.
#[derive(Clone, Copy, Debug)]
pub enum KdfChoice {
    /// Calibrate to take about this long here (never below the floor).
    Calibrate(Duration),
    /// Use these parameters (checked against the floor).
    Fixed(KdfParams),
}

impl KdfChoice {
    /// The recommended choice: about one second.
    pub const DEFAULT: KdfChoice = KdfChoice::Calibrate(Duration::from_secs(1));

    pub(crate) fn params(self) -> Result<KdfParams> {
        let p = match self {
            KdfChoice::Calibrate(d) => calibrate(d),
            KdfChoice::Fixed(p) => p,
        };
        p.check_bounds()?;
        Ok(p)
    }
}

/// Options for a new profile.
#[derive(Clone, Debug)]
pub struct CreateOptions {
    /// Base currency (ISO 4217), EUR by default.
    pub base_currency: String,
    /// Password KDF cost.
    pub kdf: KdfChoice,
}

impl Default for CreateOptions {
    fn default() -> Self {
        CreateOptions { base_currency: "EUR".into(), kdf: KdfChoice::DEFAULT }
    }
}

/// A newly created profile: its open session and the recovery key to show once.
pub struct NewProfile {
    /// The unlocked session.
    pub session: Session,
    /// The recovery key; show it once and never store it.
    pub recovery_key: RecoveryKey,
}

/// How a deletion is authorised.
pub enum DeleteAuth<'a> {
    /// The profile's own password.
    Password(&'a str),
    /// The admin's open session plus the profile name typed again.
    Admin {
        /// The admin's session.
        admin: &'a Session,
        /// What the user typed to confirm.
        typed_name: &'a str,
    },
}

/// A credential the user gives: the password, or the recovery key.
pub enum Credential<'a> {
    /// A password.
    Password(&'a str),
    /// A recovery key.
    RecoveryKey(&'a RecoveryKey),
}

impl<'a> Credential<'a> {
    /// The credential a user gave: the recovery key when there is one, else the
    /// password; neither is `invalid_input` on `password`.
    pub fn choose(password: Option<&'a str>, recovery_key: Option<&'a RecoveryKey>) -> Result<Credential<'a>> {
        match (recovery_key, password) {
            (Some(rk), _) => Ok(Credential::RecoveryKey(rk)),
            (None, Some(pw)) => Ok(Credential::Password(pw)),
            (None, None) => Err(Error::invalid("password", "a password or a recovery key is needed")),
        }
    }

    /// The current credential that confirms a change (a new recovery key, keychain
    /// unlock): as [`Credential::choose`], but none given is `credential_needed`, the
    /// answer `change_password` gives too.
    pub fn confirming(password: Option<&'a str>, recovery_key: Option<&'a RecoveryKey>) -> Result<Credential<'a>> {
        if password.is_none() && recovery_key.is_none() {
            return Err(KeyError::CredentialNeeded.into());
        }
        Credential::choose(password, recovery_key)
    }

    /// The unlock method this credential is.
    pub fn method(&self) -> UnlockMethod {
        match self {
            Credential::Password(_) => UnlockMethod::Password,
            Credential::RecoveryKey(_) => UnlockMethod::RecoveryKey,
        }
    }

    /// The error that says this credential is wrong.
    pub(crate) fn wrong(&self) -> Error {
        match self {
            Credential::Password(_) => KeyError::WrongPassword.into(),
            Credential::RecoveryKey(_) => KeyError::WrongRecoveryKey.into(),
        }
    }

    /// Tries the credential on `slots` and checks the key it yields is theirs: the wrong
    /// credential's error, or `key_check_mismatch`.
    pub(crate) fn unlock(&self, slots: &SlotFile) -> Result<Opened> {
        match self.open(slots)? {
            Some(opened) if slots.key_matches(&opened.mk) => Ok(opened),
            Some(_) => Err(KeyError::KeyCheckMismatch.into()),
            None => Err(self.wrong()),
        }
    }

    /// Tries the credential on the slots of its kind (`None`: it opens none of them).
    /// A password runs the KDF once per password slot.
    pub(crate) fn open(&self, slots: &SlotFile) -> Result<Option<Opened>> {
        match self {
            Credential::Password(pw) => {
                for slot in slots.of_kind(SlotKind::Password) {
                    if let Some(opened) = slot.open_password_upgrading(&slots.owner, pw)? {
                        return Ok(Some(opened));
                    }
                }
                Ok(None)
            }
            Credential::RecoveryKey(rk) => {
                Ok(slots.of_kind(SlotKind::Recovery).find_map(|s| s.open_secret_upgrading(&slots.owner, rk.secret())))
            }
        }
    }
}

/// How a session was unlocked.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum UnlockMethod {
    /// Just created.
    Created,
    /// Password.
    Password,
    /// Recovery key: the user must now choose a new password.
    RecoveryKey,
    /// OS keychain.
    Keychain,
}

impl UnlockMethod {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            UnlockMethod::Created => "created",
            UnlockMethod::Password => "password",
            UnlockMethod::RecoveryKey => "recovery_key",
            UnlockMethod::Keychain => "keychain",
        }
    }
}

/// The installation's data directory.
pub struct DataDir {
    root: PathBuf,
}

/// The platform's default data directory (e.g. `~/.local/share/patrimoine`).
pub fn default_data_dir() -> Option<PathBuf> {
    directories::ProjectDirs::from("", "", "patrimoine").map(|d| d.data_dir().to_owned())
}

/// The data folder the app and the CLI use: the one given (`--data-dir` or
/// `PATRIMOINE_DATA_DIR`), else the system's per-user data folder; never a folder
/// relative to wherever the program was started.
pub fn data_dir(given: Option<PathBuf>) -> Result<PathBuf> {
    given.filter(|p| !p.as_os_str().is_empty()).or_else(default_data_dir).ok_or_else(|| ProfileError::NoDataDir.into())
}

pub(crate) fn validate_name(name: &str) -> Result<String> {
    let n = name.trim();
    if n.is_empty() || n.chars().count() > crate::limits::PROFILE_NAME_MAX || n.chars().any(char::is_control) {
        return Err(ProfileError::InvalidName.into());
    }
    Ok(n.to_owned())
}

/// Versions before 0.1.1 created the data root with the default mode (0755 under the
/// usual umask), so anyone on the machine could list the profiles and read
/// `profiles.json`. The root is ours (it holds our `profiles` folder): make it 0700.
fn tighten_legacy_root(root: &Path) {
    crate::durable::restrict_to_owner(root, 0o700);
}

impl DataDir {
    /// Opens (creating if needed) the data directory at `root`.
    pub fn open(root: impl Into<PathBuf>) -> Result<DataDir> {
        let root = root.into();
        let made_by_us = root.join("profiles").is_dir();
        create_private_dir(&root)?;
        create_private_dir(&root.join("profiles"))?;
        if made_by_us {
            tighten_legacy_root(&root);
        }
        Ok(DataDir { root })
    }

    /// The directory itself.
    pub fn root(&self) -> &Path {
        &self.root
    }

    fn registry(&self) -> Result<Registry> {
        match fs::read(self.root.join(REGISTRY)) {
            Ok(bytes) => serde_json::from_slice(&bytes).map_err(|_| ProfileError::RegistryCorrupt.into()),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Registry { format: 1, profiles: vec![] }),
            Err(e) => Err(Error::io(self.root.join(REGISTRY), e)),
        }
    }

    /// Adds a profile made elsewhere (a restore) to the registry.
    pub(crate) fn add_to_registry(&self, info: ProfileInfo) -> Result<()> {
        let mut reg = self.registry()?;
        reg.format = 1;
        reg.profiles.push(info);
        self.store_registry(&reg)
    }

    fn store_registry(&self, reg: &Registry) -> Result<()> {
        write_atomic(&self.root.join(REGISTRY), &crate::durable::to_json_pretty(reg))
    }

    /// Every profile, in creation order.
    pub fn profiles(&self) -> Result<Vec<ProfileInfo>> {
        Ok(self.registry()?.profiles)
    }

    /// The profile with this name (ignoring case).
    pub fn profile(&self, name: &str) -> Result<ProfileInfo> {
        let wanted = name.trim().to_lowercase();
        self.profiles()?
            .into_iter()
            .find(|p| p.name.to_lowercase() == wanted)
            .ok_or_else(|| ProfileError::NotFound(name.to_owned()).into())
    }

    /// The folder of a profile.
    pub fn profile_dir(&self, p: &ProfileInfo) -> PathBuf {
        self.root.join("profiles").join(&p.id)
    }

    /// Creates a profile. The first profile becomes the admin; later ones need the
    /// admin's session.
    pub fn create_profile(
        &self,
        name: &str,
        password: &str,
        opts: &CreateOptions,
        admin: Option<&Session>,
    ) -> Result<NewProfile> {
        let name = validate_name(name)?;
        let base = crate::money::currency(&opts.base_currency)?;
        check_password_strength(password)?;
        let mut reg = self.registry()?;
        if reg.profiles.len() >= MAX_PROFILES {
            return Err(ProfileError::Limit { max: MAX_PROFILES }.into());
        }
        if reg.profiles.iter().any(|p| p.name.to_lowercase() == name.to_lowercase()) {
            return Err(ProfileError::Exists(name).into());
        }
        let is_first = reg.profiles.is_empty();
        if !is_first && !admin.is_some_and(|s| s.info.admin && reg.profiles.iter().any(|p| p.id == s.info.id)) {
            return Err(ProfileError::NotAdmin.into());
        }
        let params = opts.kdf.params()?;
        let id = hex::encode(random_bytes::<8>());
        let info = ProfileInfo { id: id.clone(), name: name.clone(), admin: is_first, created_at: Utc::now() };

        // Build the profile in a hidden staging folder, then rename it into place, so a
        // crash never leaves a half-made profile in the registry.
        let profiles = self.root.join("profiles");
        let staging = profiles.join(format!(".{id}.creating"));
        let result = (|| {
            create_private_dir(&staging)?;
            let mk = SecretKey::generate();
            let rk = RecoveryKey::generate();
            let mut slots = SlotFile::new(&id, &mk);
            slots.slots.push(Slot::password(&id, 1, password, params, &mk)?);
            slots.slots.push(Slot::recovery(&id, 2, &rk, &mk));
            slots.store(&staging)?;
            {
                let vault = Vault::create(&staging.join(VAULT_FILE), &mk)?;
                vault.set_setting("base_currency", &base)?;
                vault.set_setting("profile_id", &id)?;
                vault.audit(AuditKind::ProfileCreated, "")?;
                vault.connection().pragma_update(None, "wal_checkpoint", "TRUNCATE")?;
            }
            sync_dir(&staging)?;
            let final_dir = profiles.join(&id);
            fs::rename(&staging, &final_dir).map_err(|e| Error::io(&final_dir, e))?;
            sync_dir(&profiles)?;
            Ok::<_, Error>((mk, rk))
        })();
        let (mk, rk) = match result {
            Ok(v) => v,
            Err(e) => {
                let _ = fs::remove_dir_all(&staging);
                return Err(e);
            }
        };
        reg.format = 1;
        reg.profiles.push(info.clone());
        if let Err(e) = self.store_registry(&reg) {
            let _ = fs::remove_dir_all(profiles.join(&id));
            return Err(e);
        }
        let session = Session::open(self.profile_dir(&info), info, mk, UnlockMethod::Created)?;
        Ok(NewProfile { session, recovery_key: rk })
    }

    /// Unlocks a profile with a password or its recovery key. With the recovery key
    /// the session then asks for a new password ([`Session::must_set_password`]).
    pub fn unlock(&self, name: &str, credential: &Credential<'_>) -> Result<Session> {
        self.unlock_with(name, credential.method(), |slots| credential.open(slots))
    }

    /// Unlocks a profile with its password.
    pub fn unlock_with_password(&self, name: &str, password: &str) -> Result<Session> {
        self.unlock(name, &Credential::Password(password))
    }

    /// Unlocks a profile with its recovery key. The session then asks for a new
    /// password ([`Session::must_set_password`]).
    pub fn unlock_with_recovery_key(&self, name: &str, rk: &RecoveryKey) -> Result<Session> {
        self.unlock(name, &Credential::RecoveryKey(rk))
    }

    /// Unlocks a profile with the secret kept in the OS keychain.
    pub fn unlock_with_keychain(&self, name: &str, keychain: &dyn Keychain) -> Result<Session> {
        let info = self.profile(name)?;
        let secret = keychain.load(&info.id)?.ok_or(KeyError::KeychainNotEnabled)?;
        self.unlock_with(name, UnlockMethod::Keychain, |slots| {
            Ok(slots.of_kind(SlotKind::Keychain).find_map(|s| s.open_secret_upgrading(&slots.owner, &secret)))
        })
    }

    /// Whether keychain unlock is enabled for a profile (readable while locked).
    pub fn keychain_enabled(&self, name: &str) -> Result<bool> {
        let info = self.profile(name)?;
        Ok(SlotFile::load(&self.profile_dir(&info))?.0.has(SlotKind::Keychain))
    }

    /// Renames a profile. Allowed to the admin (any profile) or the profile itself.
    pub fn rename_profile(&self, by: &Session, name: &str, new_name: &str) -> Result<()> {
        let new_name = validate_name(new_name)?;
        let mut reg = self.registry()?;
        let target = self.profile(name)?;
        if !(by.info.admin || by.info.id == target.id) {
            return Err(ProfileError::NotAdmin.into());
        }
        if reg.profiles.iter().any(|p| p.id != target.id && p.name.to_lowercase() == new_name.to_lowercase()) {
            return Err(ProfileError::Exists(new_name).into());
        }
        for p in &mut reg.profiles {
            if p.id == target.id {
                p.name = new_name.clone();
            }
        }
        self.store_registry(&reg)?;
        by.vault.audit(AuditKind::ProfileRenamed, "")?;
        Ok(())
    }

    /// Deletes a profile and all its data. Needs its password, or the admin's session
    /// and the name typed again. The admin profile goes last.
    pub fn delete_profile(&self, name: &str, auth: DeleteAuth<'_>, keychain: Option<&dyn Keychain>) -> Result<()> {
        let target = self.profile(name)?;
        match auth {
            DeleteAuth::Password(pw) => drop(self.unlock_with_password(name, pw)?),
            DeleteAuth::Admin { admin, typed_name } => {
                if !admin.info.admin {
                    return Err(ProfileError::NotAdmin.into());
                }
                if typed_name.trim() != target.name {
                    return Err(ProfileError::ConfirmationMismatch.into());
                }
            }
        }
        let mut reg = self.registry()?;
        if target.admin && reg.profiles.len() > 1 {
            return Err(ProfileError::AdminHasProfiles.into());
        }
        let dir = self.profile_dir(&target);
        let lock = ProfileLock::acquire(&dir)?;
        reg.profiles.retain(|p| p.id != target.id);
        self.store_registry(&reg)?;
        drop(lock);
        let trash = self.root.join("profiles").join(format!(".{}.deleted", target.id));
        fs::rename(&dir, &trash).map_err(|e| Error::io(&dir, e))?;
        fs::remove_dir_all(&trash).map_err(|e| Error::io(&trash, e))?;
        if let Some(kc) = keychain {
            kc.delete(&target.id)?;
        }
        Ok(())
    }
}

/// Vaults made before every file was created private were 0644 (SQLite's default less
/// the umask): the vault and its WAL files in our profile folder are made 0600 when
/// the profile opens. The folder itself was always 0700.
fn tighten_vault_modes(dir: &Path) {
    for suffix in ["", "-wal", "-shm"] {
        crate::durable::restrict_to_owner(&crate::vault::integrity::sidecar(&dir.join(VAULT_FILE), suffix), 0o600);
    }
}

/// An exclusive advisory lock on a profile folder, held while a session is open (and
/// while a restore or a rotation works on the folder).
pub(crate) struct ProfileLock(#[allow(dead_code)] File);

impl ProfileLock {
    pub(crate) fn acquire(dir: &Path) -> Result<ProfileLock> {
        let path = dir.join(layout::LOCK_FILE);
        let f = crate::durable::open_lock_file(&path)?;
        match f.try_lock() {
            Ok(()) => Ok(ProfileLock(f)),
            Err(std::fs::TryLockError::WouldBlock) => Err(ProfileError::Busy.into()),
            Err(std::fs::TryLockError::Error(e)) => Err(Error::io(&path, e)),
        }
    }
}

/// An unlocked profile: master key, open vault, slots. Dropping it locks the profile
/// (the key is wiped from memory).
pub struct Session {
    pub(crate) info: ProfileInfo,
    pub(crate) dir: PathBuf,
    pub(crate) mk: SecretKey,
    /// The master keys the vault had before (its key history), newest first: the keys
    /// of the profile's older backups.
    pub(crate) history: Vec<SecretKey>,
    pub(crate) slots: SlotFile,
    pub(crate) vault: Vault,
    method: UnlockMethod,
    _lock: ProfileLock,
}

impl Session {
    /// The profile.
    pub fn info(&self) -> &ProfileInfo {
        &self.info
    }

    /// The profile folder.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The master key, for backups made while unlocked (no key derivation needed).
    pub(crate) fn master_key(&self) -> &SecretKey {
        &self.mk
    }

    /// The open vault.
    pub fn vault(&self) -> &Vault {
        &self.vault
    }

    /// A second connection to the vault, for work run on another thread while the
    /// session keeps serving queries (the background backup, the integrity probe). Its
    /// page cache stays small: that work makes one pass over the file.
    pub(crate) fn side_vault(&self) -> Result<Vault> {
        let vault = Vault::open_unmigrated(self.vault.path(), &self.mk)?;
        vault.connection().execute_batch("PRAGMA cache_size = -2048;")?;
        Ok(vault)
    }

    /// How this session was unlocked.
    pub fn method(&self) -> UnlockMethod {
        self.method
    }

    /// True after a recovery-key unlock, until a new password is set.
    pub fn must_set_password(&self) -> bool {
        self.method == UnlockMethod::RecoveryKey
    }

    /// The key slots (public metadata only; the master key is never exposed here).
    pub fn slots(&self) -> &SlotFile {
        &self.slots
    }

    pub(crate) fn update_slots(&mut self, change: impl FnOnce(&mut SlotFile) -> Result<()>) -> Result<()> {
        let mut next = self.slots.clone();
        change(&mut next)?;
        next.store(&self.dir)?;
        self.slots = next;
        Ok(())
    }

    /// Checks that the user at this session knows its current password or recovery
    /// key (a change that gives lasting access asks for it again), under the
    /// profile's throttle like any other attempt.
    pub fn reauthenticate(&self, credential: &Credential<'_>) -> Result<()> {
        let method = format!("reauth:{}", credential.method().as_str());
        // The session's slot file wraps the session's key (a rotation reloads both).
        throttle::guarded(&self.dir, &method, || credential.unlock(&self.slots).map(|_| ()))
    }

    /// Replaces the password, after checking `current` (not needed right after a
    /// recovery-key unlock, which asks for a new password). The master key is replaced
    /// too ([`crate::profile::rotation`]): the old password then opens only backups made before
    /// the change, and nothing made after it. When the recovery slot was made by an
    /// older version it cannot follow the new key: a new recovery key is made and
    /// returned, to show once.
    pub fn change_password(
        &mut self,
        current: Option<&Credential<'_>>,
        new_password: &str,
        kdf: KdfChoice,
    ) -> Result<Rotated> {
        if current.is_none() && !self.must_set_password() {
            return Err(KeyError::CredentialNeeded.into());
        }
        check_password_strength(new_password)?;
        let params = kdf.params()?;
        // The new password's KDF runs on a thread of its own while the current one is
        // checked and the vault re-encrypted: a change costs about one KDF, not two.
        let rotated = std::thread::scope(|scope| {
            let pending = scope.spawn(move || DerivedPassword::derive(new_password, params));
            let new_slot = move || -> Result<Option<DerivedPassword>> {
                Ok(Some(pending.join().unwrap_or_else(|p| std::panic::resume_unwind(p))?))
            };
            if let Some(c) = current {
                self.reauthenticate(c)?;
            }
            self.rotate_master_key(SlotChange::default(), new_slot, None)
        })?;
        if self.method == UnlockMethod::RecoveryKey {
            self.method = UnlockMethod::Password;
        }
        self.vault.audit(AuditKind::PasswordChanged, "")?;
        Ok(rotated)
    }

    /// Makes a new recovery key after checking `current`; the master key is replaced,
    /// so the old recovery key opens only backups made before. The new key is in
    /// [`Rotated::new_recovery_key`]: show it once.
    pub fn regenerate_recovery_key(&mut self, current: &Credential<'_>) -> Result<Rotated> {
        self.reauthenticate(current)?;
        let rk = RecoveryKey::generate();
        let password = match current {
            Credential::Password(pw) => Some(*pw),
            Credential::RecoveryKey(_) => None,
        };
        let mut rotated =
            self.rotate_master_key(SlotChange { recovery: Some(&rk), ..Default::default() }, || Ok(None), password)?;
        rotated.new_recovery_key = Some(rk);
        self.vault.audit(AuditKind::RecoveryKeyRegenerated, "")?;
        Ok(rotated)
    }

    /// Enables "unlock with this device's keychain" after checking `current` and the
    /// keychain's self-test. Adding a way in needs no new master key.
    pub fn enable_keychain(&mut self, current: &Credential<'_>, keychain: &dyn Keychain) -> Result<()> {
        self.reauthenticate(current)?;
        keychain.self_test()?;
        let secret = SecretKey::generate();
        keychain.store(&self.info.id, &secret)?;
        let slot = Slot::secret(&self.info.id, self.slots.next_id(), SlotKind::Keychain, &secret, &self.mk);
        if let Err(e) = self.update_slots(|s| {
            s.replace(SlotKind::Keychain, Some(slot));
            Ok(())
        }) {
            let _ = keychain.delete(&self.info.id);
            return Err(e);
        }
        self.vault.audit(AuditKind::KeychainEnabled, "")
    }

    /// Disables keychain unlock: the master key is replaced without the keychain slot
    /// (a copy of the keychain's secret then opens only older backups), and the
    /// keychain entry is removed. `current` is needed only when the password slot was
    /// made by an older version and must be rebuilt from the password.
    pub fn disable_keychain(&mut self, current: Option<&Credential<'_>>, keychain: &dyn Keychain) -> Result<Rotated> {
        if let Some(c) = current {
            self.reauthenticate(c)?;
        }
        let password = match current {
            Some(Credential::Password(pw)) => Some(*pw),
            _ => None,
        };
        let rotated =
            self.rotate_master_key(SlotChange { drop_keychain: true, ..Default::default() }, || Ok(None), password)?;
        keychain.delete(&self.info.id)?;
        self.vault.audit(AuditKind::KeychainDisabled, "")?;
        Ok(rotated)
    }

    /// Whether keychain unlock is on.
    pub fn keychain_enabled(&self) -> bool {
        self.slots.has(SlotKind::Keychain)
    }

    /// The Argon2id parameters of the password slot.
    pub fn password_kdf(&self) -> Option<KdfParams> {
        self.slots.of_kind(SlotKind::Password).find_map(|s| match &s.kdf {
            Kdf::Argon2id { params, .. } => Some(*params),
            Kdf::HkdfSha256 { .. } => None,
        })
    }

    /// The vault's raw SQLCipher key in hex, so the user can open their data with any
    /// SQLCipher 4 tool. Audited.
    pub fn reveal_raw_key(&self) -> Result<Zeroizing<String>> {
        self.vault.audit(AuditKind::RawKeyRevealed, "")?;
        Ok(self.mk.to_hex())
    }

    /// The profile's base currency.
    pub fn base_currency(&self) -> Result<String> {
        self.vault.base_currency()
    }

    /// Changes the base currency.
    pub fn set_base_currency(&self, currency: &str) -> Result<()> {
        self.vault.set_setting("base_currency", &crate::money::currency(currency)?)
    }
}
