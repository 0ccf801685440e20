//! Self-contained encrypted backups of a profile: taking a consistent snapshot of the
//! vault, writing it (profile folder, second destination, export to any path),
//! verifying, rotating, the automatic policy (daily, on lock when data changed,
//! before every schema migration) and the backup settings.
//!
//! `format` is the pure file format; `store` does the file-system work. Restoring is
//! in `crate::restore`. The file format is specified in `docs/backup-format.md`.

pub mod format;
pub mod store;
pub mod verify;

use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};

use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine;
use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::crypto::keys::{random_bytes, SecretKey};
use crate::durable::{create_private_dir, write_atomic};
use crate::error::{Error, Result, VaultError};
use crate::profile::{DataDir, ProfileInfo, Session};
use crate::unlock::slots::{SlotFile, SlotKind};
use crate::vault::audit::AuditKind;
use crate::vault::changes::generation;
use crate::vault::Vault;
use format::{BackupKind, Header, StreamError};
use store::{Found, Retention, Verification, Verifications, WrapWriter};

/// Folder of a profile's own backups, inside the profile folder.
pub const BACKUP_DIR: &str = "backups";
/// Sub-folder the app manages inside a second destination.
pub const SECOND_DIR: &str = "patrimoine-backups";
/// File of a profile's backup settings (plain JSON: no secret, needed while locked).
pub const SETTINGS_FILE: &str = "backup-settings.json";
/// Automatic backups run when the newest one is older than this.
pub const DAILY: Duration = Duration::hours(24);

const BACKED_UP_GENERATION: &str = "backup.generation";

/// Where a backup file was found.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(rename = "BackupLocation")]
pub enum Location {
    /// The profile's own backup folder.
    Profile,
    /// The second destination folder of the backup settings.
    SecondDestination,
    /// A removable medium (`/media/$USER/*`, `/run/media/$USER/*`, `/Volumes/*`, drive letters).
    Removable,
    /// A file the user picked.
    Browsed,
}

/// What can be said about a backup file without a password.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, TS)]
pub struct BackupHeader {
    /// The file.
    pub path: PathBuf,
    /// When the snapshot was taken.
    pub created_at: DateTime<Utc>,
    /// App version that wrote it.
    pub app_version: String,
    /// Schema version of the data inside.
    pub schema_version: i64,
    /// Profile name at backup time.
    pub profile_name: String,
    /// File size in bytes.
    pub size: u64,
    /// Where it was found.
    pub location: Location,
    /// Profile id (to match it with a local profile).
    pub profile_id: String,
    /// Why it was made.
    pub kind: BackupKind,
    /// Its snapshot passed the integrity and foreign-key checks when it was made
    /// (format 1.1; the daily automatic backup and exports).
    pub snapshot_checked: bool,
}

impl BackupHeader {
    fn new(found: &Found, location: Location) -> BackupHeader {
        let h = &found.header;
        BackupHeader {
            path: found.path.clone(),
            created_at: h.created_at,
            app_version: h.app_version.clone(),
            schema_version: h.schema_version,
            profile_name: h.profile_name.clone(),
            size: found.size,
            location,
            profile_id: h.profile_id.clone(),
            kind: h.kind,
            snapshot_checked: h.snapshot_checked,
        }
    }
}

/// A backup of the unlocked profile, with its last verification.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, TS)]
pub struct BackupEntry {
    /// What the header says.
    #[serde(flatten)]
    pub header: BackupHeader,
    /// When "Verify backups" last checked it (writing verifies too, but is not listed here).
    pub verified_at: Option<DateTime<Utc>>,
    /// Result of that check.
    pub ok: Option<bool>,
    /// Whether the file's header verified with the profile's key: only such files are
    /// the profile's backups (counted, rotated, restorable from the session). False
    /// for a file that only names the profile (forged, damaged, or under a key this
    /// profile does not know), and for every file listed without unlocking.
    pub authenticated: bool,
}

/// A backup exported to a path the user chose.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, TS)]
pub struct ExportedBackup {
    /// The file.
    pub path: PathBuf,
    /// Its size in bytes.
    pub size: u64,
    /// SHA-256 of the bytes read back from the destination (also in `<path>.sha256`).
    pub sha256: String,
}

/// Backup settings of a profile.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(default)]
pub struct BackupSettings {
    /// A second folder (USB stick, synced folder) that receives a copy when present.
    #[serde(alias = "secondDestination")]
    pub second_destination: Option<PathBuf>,
    /// Daily backups kept by rotation.
    #[serde(alias = "keepDaily")]
    pub keep_daily: u32,
    /// Weekly backups kept.
    #[serde(alias = "keepWeekly")]
    pub keep_weekly: u32,
    /// Monthly backups kept.
    #[serde(alias = "keepMonthly")]
    pub keep_monthly: u32,
    /// Remind the user when the second destination has been missing this many days.
    #[serde(alias = "missingReminderDays")]
    pub missing_reminder_days: u32,
    /// Newest of the profile's own backups in the profile folder, authenticated with
    /// its key (computed by [`Session::backup_settings`], ignored when saving).
    #[serde(alias = "lastBackupAt")]
    pub last_backup_at: Option<DateTime<Utc>>,
    /// When the second destination was last present during a backup.
    #[serde(alias = "secondDestinationLastSeen")]
    pub second_destination_last_seen: Option<DateTime<Utc>>,
    /// The second destination has been missing for `missing_reminder_days`: remind the
    /// user to plug it in (computed, ignored when saving).
    #[serde(alias = "secondDestinationReminder")]
    pub second_destination_reminder: bool,
}

impl Default for BackupSettings {
    fn default() -> Self {
        BackupSettings {
            second_destination: None,
            keep_daily: 7,
            keep_weekly: 4,
            keep_monthly: 12,
            missing_reminder_days: 14,
            last_backup_at: None,
            second_destination_last_seen: None,
            second_destination_reminder: false,
        }
    }
}

impl BackupSettings {
    /// Loads a profile's settings (defaults when missing or unreadable). The last
    /// backup is left empty: only [`Session::backup_settings`] can tell which files
    /// are the profile's.
    pub fn load(profile_dir: &Path) -> BackupSettings {
        let mut s: BackupSettings = fs::read(profile_dir.join(SETTINGS_FILE))
            .ok()
            .and_then(|b| serde_json::from_slice(&b).ok())
            .unwrap_or_default();
        s.second_destination_reminder = s.second_destination_overdue(Utc::now());
        s
    }

    fn store(&self, profile_dir: &Path) -> Result<()> {
        let mut saved = self.clone();
        saved.last_backup_at = None;
        saved.second_destination_reminder = false;
        write_atomic(&profile_dir.join(SETTINGS_FILE), &crate::durable::to_json_pretty(&saved))
    }

    /// The retention policy.
    pub fn retention(&self) -> Retention {
        Retention { daily: self.keep_daily, weekly: self.keep_weekly, monthly: self.keep_monthly }
    }

    /// Whether the app should remind the user that the second destination (e.g. a USB
    /// stick) has not been seen for `missing_reminder_days`.
    pub fn second_destination_overdue(&self, now: DateTime<Utc>) -> bool {
        self.second_destination.is_some()
            && self
                .second_destination_last_seen
                .is_none_or(|seen| now - seen > Duration::days(i64::from(self.missing_reminder_days)))
    }

    /// The managed folder inside the second destination, when the destination is present.
    fn second_dir(&self) -> Option<PathBuf> {
        self.second_destination.as_ref().filter(|d| d.is_dir()).map(|d| d.join(SECOND_DIR))
    }
}

/// Calls `f` with a consistent read-only stream of the vault's database file and its
/// exact length. The file is already encrypted with the master key, so the snapshot is
/// its bytes: the WAL is checkpointed into it, then a read transaction pins it (no
/// checkpoint can write the file while a reader uses the WAL from frame 0). If the WAL
/// is not empty (another connection wrote meanwhile), the snapshot is taken with
/// SQLite's online backup API into a temporary database keyed with the same key.
///
/// With `check`, the snapshot must first pass [`check_snapshot`] (on the pinned read
/// transaction, or on the temporary copy): what is then streamed is what was checked.
pub(crate) fn with_snapshot<T>(
    vault: &Vault,
    mk: &SecretKey,
    check: bool,
    f: impl FnOnce(u64, &mut dyn Read) -> Result<T>,
) -> Result<T> {
    let conn = vault.connection();
    let path = vault.path().to_owned();
    let (busy, _, _): (i64, i64, i64) =
        conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
    let tx = conn.unchecked_transaction()?;
    let _: i64 = tx.query_row("SELECT count(*) FROM sqlite_master", [], |r| r.get(0))?;
    let wal = crate::vault::integrity::sidecar(&path, "-wal");
    let wal_len = fs::metadata(&wal).map(|m| m.len()).unwrap_or(0);
    if busy == 0 && wal_len == 0 {
        if check {
            check_snapshot(&tx)?;
        }
        let file = fs::File::open(&path).map_err(|e| Error::io(&path, e))?;
        let len = file.metadata().map_err(|e| Error::io(&path, e))?.len();
        let mut reader = std::io::BufReader::with_capacity(1 << 16, file).take(len);
        let out = f(len, &mut reader);
        drop(tx);
        return out;
    }
    drop(tx);
    snapshot_with_backup_api(vault, mk, check, f)
}

/// The checks behind a backup's `snapshot_checked`: SQLite's `integrity_check` and
/// `foreign_key_check`, the same a restore runs on an unchecked backup. A damaged
/// vault is thus found when the backup is made (`vault_corrupt`), not when it is needed.
fn check_snapshot(conn: &rusqlite::Connection) -> Result<()> {
    use crate::vault::integrity::{pragma_rows, INTEGRITY_OK};
    let corrupt = |what: &str| Error::Vault(VaultError::Corrupt(format!("{what} failed while making a backup")));
    // The rows of a check; a file too damaged for the check to run is damage found too.
    let rows = |sql: &str, what: &str| match pragma_rows(conn, sql) {
        Err(Error::Database(e)) if crate::vault::is_corrupt(&e) => Err(corrupt(what)),
        other => other,
    };
    if rows("PRAGMA integrity_check", "the integrity check")? != [INTEGRITY_OK] {
        return Err(corrupt("the integrity check"));
    }
    if !rows("PRAGMA foreign_key_check", "the foreign-key check")?.is_empty() {
        return Err(corrupt("the foreign-key check"));
    }
    Ok(())
}

/// The fallback snapshot: SQLite's online backup API into a temporary SQLCipher file
/// beside the vault, keyed with the same key, deleted afterwards.
pub(crate) fn snapshot_with_backup_api<T>(
    vault: &Vault,
    mk: &SecretKey,
    check: bool,
    f: impl FnOnce(u64, &mut dyn Read) -> Result<T>,
) -> Result<T> {
    let dir = vault.path().parent().unwrap_or(Path::new("."));
    let tmp = dir.join(format!(".tmp-snapshot-{}.db", hex::encode(random_bytes::<6>())));
    let result = (|| {
        {
            // Private from the start (SQLite would create it 0644).
            crate::durable::create_private_file(&tmp).map_err(|e| Error::io(&tmp, e))?;
            let mut dst = rusqlite::Connection::open(&tmp)?;
            dst.execute_batch(&mk.sqlcipher_pragma())?;
            dst.execute_batch("PRAGMA cipher_log_level = NONE;")?;
            let backup = rusqlite::backup::Backup::new(vault.connection(), &mut dst)?;
            // One step copying every page: a single read transaction, so a consistent copy.
            loop {
                match backup.step(-1)? {
                    rusqlite::backup::StepResult::Done => break,
                    _ => std::thread::sleep(std::time::Duration::from_millis(10)),
                }
            }
            drop(backup);
            if check {
                check_snapshot(&dst)?;
            }
        }
        let file = fs::File::open(&tmp).map_err(|e| Error::io(&tmp, e))?;
        let len = file.metadata().map_err(|e| Error::io(&tmp, e))?.len();
        f(len, &mut std::io::BufReader::with_capacity(1 << 16, file).take(len))
    })();
    let _ = fs::remove_file(&tmp);
    let _ = fs::remove_file(crate::vault::integrity::sidecar(&tmp, "-journal"));
    result
}

/// What a backup is made from: the profile, its key slots (copied into the header),
/// the master key and the vault to snapshot.
#[derive(Clone, Copy)]
pub(crate) struct Source<'a> {
    pub info: &'a ProfileInfo,
    pub slots: &'a SlotFile,
    pub mk: &'a SecretKey,
    pub vault: &'a Vault,
}

/// Builds the header of a new backup of this profile.
fn new_header(info: &ProfileInfo, slots: &SlotFile, schema: i64, kind: BackupKind, len: u64, checked: bool) -> Header {
    Header {
        created_at: Utc::now(),
        app_version: env!("CARGO_PKG_VERSION").to_owned(),
        schema_version: schema,
        profile_id: info.id.clone(),
        profile_name: info.name.clone(),
        kind,
        plaintext_len: len,
        chunk_size: format::CHUNK_SIZE as u32,
        salt: B64.encode(random_bytes::<{ format::SALT_LEN }>()),
        key_check: slots.key_check.clone(),
        slots: slots
            .slots
            .iter()
            .filter(|s| matches!(s.kind, SlotKind::Password | SlotKind::Recovery))
            .cloned()
            .collect(),
        snapshot_checked: checked,
    }
}

/// Writes one verified backup of the vault into `dir`. With `check`, the snapshot is
/// checked first ([`check_snapshot`]) and the header says so (format 1.1).
pub(crate) fn write_backup(
    dir: &Path,
    src: Source<'_>,
    kind: BackupKind,
    check: bool,
    file_name: Option<&str>,
    wrap: Option<WrapWriter<'_>>,
) -> Result<store::Written> {
    let Source { info, slots, mk, vault } = src;
    create_private_dir(dir).map_err(|e| match e {
        Error::Io { path, source } => store::destination_error(&path, source),
        other => other,
    })?;
    store::remove_partials(dir);
    let schema = vault.schema_version()?;
    let source = vault.path().to_owned();
    with_snapshot(vault, mk, check, |len, reader| {
        let header = new_header(info, slots, schema, kind, len, check);
        let name = match file_name {
            Some(n) => n.to_owned(),
            None => store::free_name(dir, &store::file_stem(&info.name, header.created_at, kind)),
        };
        let mut reader = Some(reader);
        store::write_verified(
            dir,
            &name,
            mk,
            &mut |out| match reader.take() {
                Some(r) => format::write(&header, mk, r, out),
                None => Err(StreamError::Read(std::io::Error::other("snapshot already consumed"))),
            },
            &source,
            wrap,
        )
    })
}

/// The automatic backup taken just before migrating an existing vault: the header
/// carries the old schema version. Not subject to rotation.
pub(crate) fn before_migration(profile_dir: &Path, src: Source<'_>) -> Result<PathBuf> {
    let w = write_backup(&profile_dir.join(BACKUP_DIR), src, BackupKind::PreMigration, false, None, None)?;
    Ok(w.path)
}

/// Every file naming `profile_id` directly in the profile's backup folder and in the
/// second destination, newest first, each with whether its header authenticates with
/// one of `keys` (none without unlocking: then every file is unauthenticated).
fn found_backups(
    dir: &Path,
    settings: &BackupSettings,
    profile_id: &str,
    keys: &[&SecretKey],
) -> Vec<(Found, Location, bool)> {
    let mut folders = vec![(dir.join(BACKUP_DIR), Location::Profile)];
    folders.extend(settings.second_dir().map(|d| (d, Location::SecondDestination)));
    let mut out = vec![];
    for (folder, location) in folders {
        let listing = store::list_profile(&folder, profile_id, keys);
        out.extend(listing.ours.into_iter().map(|f| (f, location, true)));
        out.extend(listing.unverified.into_iter().map(|f| (f, location, false)));
    }
    out.sort_by_key(|b| std::cmp::Reverse(b.0.header.created_at));
    out
}

fn entries(dir: &Path, profile_id: &str, keys: &[&SecretKey]) -> Vec<BackupEntry> {
    let settings = BackupSettings::load(dir);
    let index = Verifications::load(&dir.join(BACKUP_DIR));
    found_backups(dir, &settings, profile_id, keys)
        .into_iter()
        .map(|(f, loc, authenticated)| {
            let v = index.get(&f.path);
            BackupEntry {
                header: BackupHeader::new(&f, loc),
                verified_at: v.map(|v| v.verified_at),
                ok: v.map(|v| v.ok),
                authenticated,
            }
        })
        .collect()
}

impl DataDir {
    /// A profile's backups (profile folder and second destination), newest first.
    /// Needs no password: headers are readable without one.
    ///
    /// Without the key no header can be authenticated, so every entry says
    /// `authenticated: false`: unlock ([`Session::list_backups`]) to know which files
    /// are really the profile's.
    pub fn list_backups(&self, name: &str) -> Result<Vec<BackupEntry>> {
        let info = self.profile(name)?;
        Ok(entries(&self.profile_dir(&info), &info.id, &[]))
    }

    /// Every backup file found in the profiles' backup folders, their second
    /// destinations and removable media, newest first. Headers only: no password.
    pub fn scan_backups(&self) -> Vec<BackupHeader> {
        let mut found: Vec<(Found, Location)> = vec![];
        for p in self.profiles().unwrap_or_default() {
            let dir = self.profile_dir(&p);
            found.extend(store::list_dir(&dir.join(BACKUP_DIR)).into_iter().map(|f| (f, Location::Profile)));
            if let Some(second) = BackupSettings::load(&dir).second_dir() {
                found.extend(store::list_dir(&second).into_iter().map(|f| (f, Location::SecondDestination)));
            }
        }
        for root in store::removable_roots() {
            let mut out = vec![];
            store::scan_tree(&root, 3, 500, &mut out);
            found.extend(out.into_iter().map(|f| (f, Location::Removable)));
        }
        let mut seen = std::collections::HashSet::new();
        let mut out: Vec<BackupHeader> = found
            .into_iter()
            .filter(|(f, _)| seen.insert(fs::canonicalize(&f.path).unwrap_or_else(|_| f.path.clone())))
            .map(|(f, loc)| BackupHeader::new(&f, loc))
            .collect();
        out.sort_by_key(|b| std::cmp::Reverse(b.created_at));
        out
    }
}

/// Reads a backup file's header without a password ("Browse…" in the restore wizard,
/// `backup info`). Errors: `not_a_backup`, `backup_too_new`, `backup_damaged`,
/// `backup_truncated`, `kdf_out_of_bounds`.
pub fn inspect(path: &Path) -> Result<BackupHeader> {
    let (parsed, size) = store::read_header_of(path)?;
    Ok(BackupHeader::new(&Found { path: path.to_owned(), size, header: parsed.header }, Location::Browsed))
}

/// Rotation of the profile folder and the second destination, counting only files
/// that authenticate with `keys`.
fn rotate_all(dir: &Path, profile_id: &str, keys: &[&SecretKey]) -> Result<Vec<PathBuf>> {
    let settings = BackupSettings::load(dir);
    let backups = dir.join(BACKUP_DIR);
    let index = Verifications::load(&backups);
    let mut deleted = store::rotate(&backups, profile_id, settings.retention(), &index, keys)?;
    if let Some(second) = settings.second_dir() {
        deleted.extend(store::rotate(&second, profile_id, settings.retention(), &index, keys)?);
    }
    Ok(deleted)
}

/// Writes a verified backup into the profile's backup folder, copies it to the second
/// destination when that is plugged in, then rotates. The caller records the backed-up
/// generation and the audit entry on its connection.
fn make_backup(
    dir: &Path,
    src: Source<'_>,
    kind: BackupKind,
    check: bool,
    wrap: Option<WrapWriter<'_>>,
) -> Result<BackupEntry> {
    let mut settings = BackupSettings::load(dir);
    let written = write_backup(&dir.join(BACKUP_DIR), src, kind, check, None, wrap)?;
    // The copy goes to the second destination only when it is plugged in; a
    // failure there does not undo the backup in the profile folder.
    if let Some(second) = settings.second_dir() {
        let name = written.path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        let copied = create_private_dir(&second).and_then(|_| {
            store::remove_partials(&second);
            let mut file = fs::File::open(&written.path).map_err(|e| Error::io(&written.path, e))?;
            store::write_verified(
                &second,
                &store::free_name(&second, name.trim_end_matches(&format!(".{}", store::EXTENSION))),
                src.mk,
                &mut |out| std::io::copy(&mut file, out).map(|_| ()).map_err(StreamError::Write),
                &written.path,
                None,
            )
        });
        if copied.is_ok() {
            settings.second_destination_last_seen = Some(Utc::now());
            settings.store(dir)?;
        }
    }
    rotate_all(dir, &src.info.id, &[src.mk])?;
    let found = Found { path: written.path, size: written.size, header: written.header };
    Ok(BackupEntry {
        header: BackupHeader::new(&found, Location::Profile),
        verified_at: None,
        ok: None,
        authenticated: true,
    })
}

/// The daily automatic backup, detached from the session
/// ([`Session::background_backup_if_due`]): it owns a second connection to the vault
/// and a copy of the master key (wiped on drop), and runs on any thread while the
/// session keeps serving queries (WAL lets both read; the snapshot pins its own).
pub struct BackgroundBackup {
    dir: PathBuf,
    info: ProfileInfo,
    slots: SlotFile,
    mk: SecretKey,
    vault: Vault,
    generation: String,
}

impl BackgroundBackup {
    /// Writes, verifies and rotates like [`Session::backup_now`], then records the
    /// generation captured when the job was prepared. `None` when another backup was
    /// made since the job was prepared (the daily backup is no longer due).
    pub fn run(self) -> Result<Option<BackupEntry>> {
        if !backup_due(&self.dir, &self.info.id, &[&self.mk], &self.generation, Utc::now()) {
            return Ok(None);
        }
        // The daily backup runs in the background: it can afford the full checks of its
        // snapshot, which spares a restore of it those checks and finds a damaged vault
        // the day it happens.
        let src = Source { info: &self.info, slots: &self.slots, mk: &self.mk, vault: &self.vault };
        let entry = make_backup(&self.dir, src, BackupKind::Automatic, true, None)?;
        self.vault.set_setting(BACKED_UP_GENERATION, &self.generation)?;
        self.vault.audit(AuditKind::Backup, kind_str(BackupKind::Automatic))?;
        Ok(Some(entry))
    }
}

/// Whether the automatic backup is due: the newest of the profile's own backups
/// (authenticated with `keys`) in its folder is older than a day, or there is none and
/// the profile holds data (`generation`, its data generation, is past the "0" of a
/// profile nothing was entered in yet: a new profile gets its first backup as soon as
/// it has data, not an empty one). A file with a future date that anyone could have
/// dropped there does not put the backup off.
fn backup_due(profile_dir: &Path, profile_id: &str, keys: &[&SecretKey], generation: &str, now: DateTime<Utc>) -> bool {
    let last =
        store::list_profile(&profile_dir.join(BACKUP_DIR), profile_id, keys).ours.first().map(|f| f.header.created_at);
    match last {
        Some(t) => now - t >= DAILY,
        None => generation != "0",
    }
}

impl Session {
    /// The profile's own backup folder (where automatic and manual backups go).
    pub fn backup_dir(&self) -> std::path::PathBuf {
        self.dir().join(BACKUP_DIR)
    }

    /// Makes a backup now: a verified file in the profile's backup folder, a verified
    /// copy in the second destination when it is present, then rotation. Uses the
    /// session's master key: no slow key derivation.
    pub fn backup_now(&self) -> Result<BackupEntry> {
        self.backup_with(BackupKind::Manual, None)
    }

    /// [`Session::backup_now`] with a faulty writer in the way (fault-injection tests).
    #[doc(hidden)]
    pub fn backup_now_with(&self, wrap: WrapWriter<'_>) -> Result<BackupEntry> {
        self.backup_with(BackupKind::Manual, Some(wrap))
    }

    fn backup_with(&self, kind: BackupKind, wrap: Option<WrapWriter<'_>>) -> Result<BackupEntry> {
        let gen = generation(self.vault())?;
        let entry = make_backup(self.dir(), self.backup_source(), kind, false, wrap)?;
        self.vault().set_setting(BACKED_UP_GENERATION, &gen)?;
        self.vault().connection().execute("DELETE FROM temp.backup_dirty", [])?;
        self.vault().audit(AuditKind::Backup, kind_str(kind))?;
        Ok(entry)
    }

    /// Whether the automatic backup is due: the newest backup in the profile folder is
    /// older than 24 hours, or there is none yet and the profile holds data.
    pub fn backup_due(&self, now: DateTime<Utc>) -> bool {
        let generation = generation(self.vault()).unwrap_or_else(|_| "1".into());
        backup_due(self.dir(), &self.info().id, &self.known_keys(), &generation, now)
    }

    /// The keys this profile's backups may be made under: today's master key and the
    /// ones it replaced (the key history).
    pub(crate) fn known_keys(&self) -> Vec<&SecretKey> {
        std::iter::once(self.master_key()).chain(&self.history).collect()
    }

    /// The known key whose key-check value a backup header names.
    pub(crate) fn key_for(&self, key_check: &str) -> Option<&SecretKey> {
        SecretKey::with_key_check(self.known_keys(), key_check)
    }

    /// Applies rotation to this profile's backup folders now (as after every backup),
    /// counting only files that authenticate with the profile's key. Returns the
    /// deleted files.
    pub fn prune_backups(&self) -> Result<Vec<PathBuf>> {
        rotate_all(self.dir(), &self.info().id, &self.known_keys())
    }

    /// Prepares the daily automatic backup to run *outside* the session (on a thread
    /// of the caller's, with its own connection to the vault), so unlocking and the
    /// first screens do not wait for it. `None` when no backup is due.
    ///
    /// Change tracking is reset here, before the snapshot: a change made while the
    /// job runs bumps the data generation again, so the backup on lock still sees it.
    pub fn background_backup_if_due(&self, now: DateTime<Utc>) -> Result<Option<BackgroundBackup>> {
        if !self.backup_due(now) {
            return Ok(None);
        }
        self.vault().connection().execute("DELETE FROM temp.backup_dirty", [])?;
        let generation = generation(self.vault())?;
        let vault = self.side_vault()?;
        Ok(Some(BackgroundBackup {
            dir: self.dir().to_owned(),
            info: self.info().clone(),
            slots: self.slots().clone(),
            mk: SecretKey::from_bytes(*self.master_key().expose()),
            vault,
            generation,
        }))
    }

    /// The automatic daily backup: makes one when the newest backup in the profile
    /// folder is older than 24 hours (or there is none). Call it after unlocking and
    /// from time to time while unlocked.
    pub fn backup_if_due(&self, now: DateTime<Utc>) -> Result<Option<BackupEntry>> {
        if !self.backup_due(now) {
            return Ok(None);
        }
        self.backup_with(BackupKind::Automatic, None).map(Some)
    }

    /// Whether the user's data changed since the last backup (unlocking, audit
    /// entries and exports do not count).
    pub fn changed_since_backup(&self) -> Result<bool> {
        let now = generation(self.vault())?;
        Ok(match self.vault().setting(BACKED_UP_GENERATION)? {
            Some(backed_up) => backed_up != now,
            // Never backed up: changed once anything was entered ("0" is a new, empty
            // profile, which gets no empty backup on lock either).
            None => now != "0",
        })
    }

    /// The backup on lock or quit: makes one when data changed since the last backup.
    pub fn backup_on_lock_if_changed(&self) -> Result<Option<BackupEntry>> {
        if !self.changed_since_backup()? {
            return Ok(None);
        }
        self.backup_with(BackupKind::Automatic, None).map(Some)
    }

    /// Exports a backup to `path` (e.g. on a USB stick): a file, or a folder to create
    /// a file in. Written, read back and verified like any backup; its SHA-256 is
    /// returned and written beside it as `<file>.sha256` (`sha256sum -c` checks it
    /// without the password).
    pub fn export_backup(&self, path: &Path) -> Result<ExportedBackup> {
        self.export_backup_with(path, None)
    }

    /// [`Session::export_backup`] with a faulty writer in the way (fault-injection tests).
    #[doc(hidden)]
    pub fn export_backup_with(&self, path: &Path, wrap: Option<WrapWriter<'_>>) -> Result<ExportedBackup> {
        let (dir, name) = if path.is_dir() {
            (path.to_owned(), None)
        } else {
            let dir = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new(".")).to_owned();
            let name = path.file_name().map(|n| n.to_string_lossy().into_owned());
            (dir, name)
        };
        if !dir.is_dir() {
            return Err(crate::error::BackupError::DestinationUnwritable { path: dir }.into());
        }
        // An export is what gets restored on another computer: its snapshot is checked
        // (a second or so on a large vault), so that restore can rely on it.
        let written = write_backup(&dir, self.backup_source(), BackupKind::Export, true, name.as_deref(), wrap)?;
        store::write_sidecar(&written.path, &written.sha256)?;
        self.vault().audit(AuditKind::Backup, "export")?;
        Ok(ExportedBackup { path: written.path, size: written.size, sha256: written.sha256 })
    }

    /// This profile's backups, newest first, with their last verification.
    pub fn list_backups(&self) -> Result<Vec<BackupEntry>> {
        Ok(entries(self.dir(), &self.info().id, &self.known_keys()))
    }

    /// "Verify backups": decrypts each backup into a temporary vault beside the live
    /// one and runs the integrity checks; records and returns the results with dates.
    pub fn verify_backups(&self) -> Result<Vec<BackupEntry>> {
        let dir = self.dir().to_owned();
        let backups = dir.join(BACKUP_DIR);
        let mut index = Verifications::load(&backups);
        for entry in entries(&dir, &self.info().id, &self.known_keys()).into_iter().filter(|e| e.authenticated) {
            let outcome = verify::verify_backup_with_keys(&entry.header.path, &self.known_keys(), &dir);
            index.set(
                &entry.header.path,
                Verification {
                    verified_at: Utc::now(),
                    ok: outcome.is_ok(),
                    error: outcome.err().map(|e| e.code().to_owned()),
                },
            );
        }
        index.retain_existing();
        create_private_dir(&backups)?;
        index.store(&backups)?;
        Ok(entries(&dir, &self.info().id, &self.known_keys()))
    }

    fn backup_source(&self) -> Source<'_> {
        Source { info: self.info(), slots: self.slots(), mk: self.master_key(), vault: self.vault() }
    }

    /// The backup settings. The last backup is the newest file of the profile folder
    /// that authenticates with the profile's key: a forged file with a future date
    /// does not show as the last backup.
    pub fn backup_settings(&self) -> BackupSettings {
        let mut s = BackupSettings::load(self.dir());
        s.last_backup_at = store::list_profile(&self.dir().join(BACKUP_DIR), &self.info().id, &self.known_keys())
            .ours
            .first()
            .map(|f| f.header.created_at);
        s
    }

    /// Saves the backup settings (computed fields are ignored) and returns them.
    pub fn set_backup_settings(&self, settings: &BackupSettings) -> Result<BackupSettings> {
        if settings.keep_daily + settings.keep_weekly + settings.keep_monthly == 0 {
            return Err(Error::invalid("keep", "keep at least one daily, weekly or monthly backup"));
        }
        let mut next = settings.clone();
        next.second_destination_last_seen = BackupSettings::load(self.dir()).second_destination_last_seen;
        if let Some(d) = &next.second_destination {
            if !d.is_absolute() {
                return Err(Error::invalid("second_destination", "choose a folder (an absolute path)"));
            }
            if d.is_dir() {
                next.second_destination_last_seen = Some(Utc::now());
            }
        }
        next.store(self.dir())?;
        Ok(self.backup_settings())
    }
}

fn kind_str(kind: BackupKind) -> &'static str {
    match kind {
        BackupKind::Manual => "manual",
        BackupKind::Automatic => "automatic",
        BackupKind::PreMigration => "pre_migration",
        BackupKind::Export => "export",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Both snapshot paths give a database that opens with the key and holds the data.
    #[test]
    fn the_pinned_file_and_the_backup_api_snapshots_agree() {
        let dir = tempfile::tempdir().unwrap();
        let mk = SecretKey::generate();
        let vault = Vault::create(&dir.path().join("v.db"), &mk).unwrap();
        vault.set_setting("probe", "42").unwrap();
        let mut copies = vec![];
        for (i, fallback) in [false, true].into_iter().enumerate() {
            let copy = dir.path().join(format!("copy{i}.db"));
            let take = |len: u64, r: &mut dyn Read| -> Result<()> {
                let mut f = fs::File::create(&copy).unwrap();
                assert_eq!(std::io::copy(r, &mut f).unwrap(), len);
                Ok(())
            };
            if fallback {
                snapshot_with_backup_api(&vault, &mk, false, take).unwrap();
            } else {
                with_snapshot(&vault, &mk, false, take).unwrap();
            }
            copies.push(copy);
        }
        for copy in copies {
            let v = Vault::open(&copy, &mk).unwrap();
            assert_eq!(v.setting("probe").unwrap().as_deref(), Some("42"));
            assert!(v.health().unwrap().is_ok());
        }
        let leftovers = fs::read_dir(dir.path())
            .unwrap()
            .flatten()
            .filter(|e| e.file_name().to_string_lossy().starts_with(".tmp-"));
        assert_eq!(leftovers.count(), 0);
    }

    #[test]
    fn every_table_is_tracked_or_deliberately_not() {
        let dir = tempfile::tempdir().unwrap();
        let vault = Vault::create(&dir.path().join("v.db"), &SecretKey::generate()).unwrap();
        let mut st = vault
            .connection()
            .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
            .unwrap();
        let tables: Vec<String> = st.query_map([], |r| r.get(0)).unwrap().map(|r| r.unwrap()).collect();
        assert!(tables.len() > 5);
        for t in &tables {
            assert!(
                crate::vault::changes::TRACKED_TABLES.contains(&t.as_str())
                    || crate::vault::changes::UNTRACKED_TABLES.contains(&t.as_str()),
                "table {t} is neither tracked nor listed as untracked for backups on lock"
            );
        }
    }
}
