//! Backup files on disk: the crash-safe write (`NAME.partial` → write → fsync → read
//! back and decrypt-verify → rename → fsync the folder), listing, rotation, `.sha256`
//! sidecars, the verification index, and scanning folders and removable media.
//!
//! A file carries a backup name only once its bytes were read back from the device and
//! authenticated, so after any crash every `*.patrimoine-backup` file is complete; a
//! failed or interrupted write leaves at most a `*.partial`, removed by the next write.

use std::collections::BTreeMap;
use std::fs::{self, File};
use std::io::{BufReader, BufWriter, Read, Write};
use std::path::{Path, PathBuf};

use chrono::{DateTime, Datelike, Utc};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::format::{self, BackupKind, Header, Parsed, StreamError};
use crate::crypto::keys::SecretKey;
use crate::durable::{sync_dir, write_atomic};
use crate::error::{BackupError, Error, Result};

/// Extension of backup files.
pub const EXTENSION: &str = "patrimoine-backup";
/// Suffix of files being written.
pub const PARTIAL_SUFFIX: &str = ".partial";
/// Name of the verification index in a profile's backup folder.
pub const VERIFICATIONS_FILE: &str = "verifications.json";

/// Lets tests put a faulty writer between the backup stream and the file.
pub type WrapWriter<'a> = &'a mut dyn FnMut(File) -> Box<dyn Write>;

/// A backup file just written and verified.
#[derive(Debug, Clone)]
pub struct Written {
    /// Where it is.
    pub path: PathBuf,
    /// Its size in bytes.
    pub size: u64,
    /// SHA-256 of the bytes read back from the device, hex.
    pub sha256: String,
    /// Its header.
    pub header: Header,
}

/// A backup file found in a folder (header read without a key).
#[derive(Debug, Clone)]
pub struct Found {
    /// Where it is.
    pub path: PathBuf,
    /// Its size in bytes.
    pub size: u64,
    /// Its header.
    pub header: Header,
}

/// Turns an I/O error on a destination into the error the user should see: a full
/// disk, or a destination that cannot be written (read-only, removed, no permission).
pub fn destination_error(path: &Path, e: std::io::Error) -> Error {
    use std::io::ErrorKind as K;
    match Error::io(path, e) {
        Error::DiskFull => Error::DiskFull,
        Error::Io { path, source } => {
            // EIO (5), ENXIO (6), ENODEV (19): the device went away or failed.
            let gone = matches!(source.raw_os_error(), Some(5) | Some(6) | Some(19));
            if gone
                || matches!(source.kind(), K::PermissionDenied | K::NotFound | K::ReadOnlyFilesystem | K::NotADirectory)
            {
                BackupError::DestinationUnwritable { path }.into()
            } else {
                Error::Io { path, source }
            }
        }
        other => other,
    }
}

/// Converts a streaming failure, naming the file read and the file written.
pub fn stream_error(e: StreamError, read: &Path, written: &Path) -> Error {
    match e {
        StreamError::Backup(b) => b.into(),
        StreamError::Key(k) => k.into(),
        StreamError::Read(e) => Error::io(read, e),
        StreamError::Write(e) => destination_error(written, e),
    }
}

/// A file name that does not exist yet in `dir`: `stem.ext`, else `stem-2.ext`, ...
pub fn free_name(dir: &Path, stem: &str) -> String {
    let mut name = format!("{stem}.{EXTENSION}");
    let mut n = 2;
    while dir.join(&name).exists() || dir.join(format!("{name}{PARTIAL_SUFFIX}")).exists() {
        name = format!("{stem}-{n}.{EXTENSION}");
        n += 1;
    }
    name
}

/// The usual file stem: `<profile slug>-<UTC time>[-kind]`.
pub fn file_stem(profile_name: &str, at: DateTime<Utc>, kind: BackupKind) -> String {
    // Transliterated first ("Démo foyer" → "Demo foyer"), so accented names keep
    // their letters in the file name.
    let slug: String = deunicode::deunicode(profile_name)
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c.to_ascii_lowercase() } else { '-' })
        .collect::<String>()
        .split('-')
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join("-");
    let slug = if slug.is_empty() { "profile".to_owned() } else { slug };
    let suffix = match kind {
        BackupKind::PreMigration => "-pre-migration",
        _ => "",
    };
    format!("{slug}-{}{suffix}", at.format("%Y%m%dT%H%M%S%.3fZ"))
}

/// Tells the kernel we will not need the cached pages of this file, so the read-back
/// comes from the device rather than from memory (best effort; Linux only).
fn drop_cache(f: &File) {
    #[cfg(target_os = "linux")]
    {
        use std::os::unix::io::AsRawFd;
        // SAFETY: posix_fadvise only reads the descriptor, which `f` keeps open.
        unsafe {
            libc::posix_fadvise(f.as_raw_fd(), 0, 0, libc::POSIX_FADV_DONTNEED);
        }
    }
    #[cfg(not(target_os = "linux"))]
    let _ = f;
}

/// A reader that hashes what passes through it.
struct Hashing<R> {
    inner: R,
    hash: Sha256,
    len: u64,
}

impl<R: Read> Read for Hashing<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.hash.update(&buf[..n]);
        self.len += n as u64;
        Ok(n)
    }
}

/// Reads a whole backup file and authenticates every byte with `mk`, without writing
/// the plaintext anywhere. Returns the header, the file's SHA-256 and its length.
pub fn verify_file(path: &Path, mk: &SecretKey) -> Result<(Header, String, u64)> {
    let f = File::open(path).map_err(|e| Error::io(path, e))?;
    drop_cache(&f);
    let mut r = Hashing { inner: BufReader::with_capacity(1 << 16, f), hash: Sha256::new(), len: 0 };
    let parsed = format::read_header(&mut r).map_err(|e| stream_error(e, path, path))?;
    let keys = format::authenticate(&parsed, mk)?;
    format::decrypt_payload(&parsed, &keys, &mut r, &mut std::io::sink()).map_err(|e| stream_error(e, path, path))?;
    Ok((parsed.header, hex::encode(r.hash.finalize()), r.len))
}

/// Reads the header of a backup file, without a key. The file's length is compared
/// with the one the header announces: shorter is a truncation, longer is damage.
pub fn read_header_of(path: &Path) -> Result<(Parsed, u64)> {
    let f = File::open(path).map_err(|e| Error::io(path, e))?;
    let size = f.metadata().map_err(|e| Error::io(path, e))?.len();
    let parsed = format::read_header(&mut BufReader::new(f)).map_err(|e| stream_error(e, path, path))?;
    let expected = parsed.expected_file_len();
    if size < expected {
        return Err(BackupError::Truncated.into());
    }
    if size > expected {
        return Err(BackupError::Damaged("data after the final chunk".into()).into());
    }
    Ok((parsed, size))
}

/// Writes a backup file into `dir` under `name` the crash-safe way, verifying it
/// before it gets its name. `produce` writes the file's bytes. On any failure the
/// partial file is removed and nothing else in `dir` is touched.
pub fn write_verified(
    dir: &Path,
    name: &str,
    mk: &SecretKey,
    produce: &mut dyn FnMut(&mut dyn Write) -> std::result::Result<(), StreamError>,
    source_path: &Path,
    wrap: Option<WrapWriter<'_>>,
) -> Result<Written> {
    let final_path = dir.join(name);
    let partial = dir.join(format!("{name}{PARTIAL_SUFFIX}"));
    if final_path.exists() {
        return Err(Error::io(&final_path, std::io::Error::from(std::io::ErrorKind::AlreadyExists)));
    }
    let result = (|| {
        let file = crate::durable::create_private_file(&partial).map_err(|e| destination_error(&partial, e))?;
        let sync_handle = file.try_clone().map_err(|e| destination_error(&partial, e))?;
        {
            let inner: Box<dyn Write> = match wrap {
                Some(w) => w(file),
                None => Box::new(file),
            };
            let mut out = BufWriter::with_capacity(1 << 16, inner);
            produce(&mut out).map_err(|e| stream_error(e, source_path, &partial))?;
            out.flush().map_err(|e| destination_error(&partial, e))?;
        }
        sync_handle.sync_all().map_err(|e| destination_error(&partial, e))?;
        drop(sync_handle);
        crate::durable::crash_point("backup_written");
        let (header, sha256, size) = verify_file(&partial, mk).map_err(|e| match e {
            Error::Io { path, source } => destination_error(&path, source),
            other => other,
        })?;
        if final_path.exists() {
            return Err(Error::io(&final_path, std::io::Error::from(std::io::ErrorKind::AlreadyExists)));
        }
        fs::rename(&partial, &final_path).map_err(|e| destination_error(&final_path, e))?;
        crate::durable::crash_point("backup_renamed");
        sync_dir(dir).map_err(|e| match e {
            Error::Io { path, source } => destination_error(&path, source),
            other => other,
        })?;
        Ok(Written { path: final_path.clone(), size, sha256, header })
    })();
    if result.is_err() {
        let _ = fs::remove_file(&partial);
    }
    result
}

/// Writes `<file>.sha256` beside a file, in the format `sha256sum -c` reads.
pub fn write_sidecar(file: &Path, sha256: &str) -> Result<PathBuf> {
    let name = file.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let sidecar = file.with_file_name(format!("{name}.sha256"));
    write_atomic(&sidecar, format!("{sha256}  {name}\n").as_bytes()).map_err(|e| match e {
        Error::Io { path, source } => destination_error(&path, source),
        other => other,
    })?;
    Ok(sidecar)
}

/// Removes leftover `*.patrimoine-backup.partial` files of interrupted writes.
pub fn remove_partials(dir: &Path) {
    let Ok(rd) = fs::read_dir(dir) else { return };
    for e in rd.flatten() {
        let name = e.file_name().to_string_lossy().into_owned();
        if name.ends_with(&format!(".{EXTENSION}{PARTIAL_SUFFIX}")) {
            let _ = fs::remove_file(e.path());
        }
    }
}

/// Every readable backup file directly inside `dir`, newest first. Partial files and
/// files whose header is damaged are not backups and are left out.
pub fn list_dir(dir: &Path) -> Vec<Found> {
    let Ok(rd) = fs::read_dir(dir) else { return vec![] };
    let mut out: Vec<Found> = rd
        .flatten()
        .filter(|e| e.path().extension().is_some_and(|x| x == EXTENSION) && e.path().is_file())
        .filter_map(|e| {
            let path = e.path();
            read_header_of(&path).ok().map(|(p, size)| Found { path, size, header: p.header })
        })
        .collect();
    out.sort_by(|a, b| b.header.created_at.cmp(&a.header.created_at).then(b.path.cmp(&a.path)));
    out
}

/// One profile's backup files in a folder, split by whether they are really its own.
#[derive(Debug, Default)]
pub struct Listing {
    /// Files whose header MAC verifies with one of the profile's keys, newest first.
    pub ours: Vec<Found>,
    /// Files that name the profile but whose header does not verify with any of its
    /// keys: forged, damaged, or made under a key this profile does not know. Never
    /// counted as backups and never deleted.
    pub unverified: Vec<Found>,
}

/// The backups of `profile_id` directly inside `dir`. The profile id is public (it
/// is in every header), so a file counts as the profile's only when its header MAC
/// verifies with one of `keys` (an HKDF and an HMAC per key: no KDF, no payload read).
pub fn list_profile(dir: &Path, profile_id: &str, keys: &[&SecretKey]) -> Listing {
    let mut listing = Listing::default();
    for f in list_dir(dir).into_iter().filter(|f| f.header.profile_id == profile_id) {
        if authentic(&f, keys) {
            listing.ours.push(f);
        } else {
            listing.unverified.push(f);
        }
    }
    listing
}

/// Whether a found file's header verifies with one of `keys`. The header is read
/// again: [`Found`] keeps only the parsed fields.
fn authentic(found: &Found, keys: &[&SecretKey]) -> bool {
    let Ok((parsed, _)) = read_header_of(&found.path) else { return false };
    parsed.header == found.header && keys.iter().any(|k| format::authenticate(&parsed, k).is_ok())
}

/// How many backups rotation keeps.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Retention {
    /// Newest backup of each of the last N days that have one.
    pub daily: u32,
    /// Newest backup of each of the last N ISO weeks that have one.
    pub weekly: u32,
    /// Newest backup of each of the last N months that have one.
    pub monthly: u32,
}

/// Every backup made in this last stretch is kept, before the GFS buckets apply: the
/// evening's backup does not replace the morning's.
pub const KEEP_ALL_RECENT: chrono::Duration = chrono::Duration::hours(48);

/// Chooses which backups rotation deletes (grandfather-father-son, by UTC date).
/// `files` are (created_at, kind, known_bad) of one profile's backups in one folder.
/// Never chosen: the backups of the last 48 hours before `now` ([`KEEP_ALL_RECENT`]),
/// the newest backup, the newest one not known to be bad, and pre-migration backups.
/// Returns indexes into `files`.
pub fn to_delete(files: &[(DateTime<Utc>, BackupKind, bool)], keep: Retention, now: DateTime<Utc>) -> Vec<usize> {
    let mut order: Vec<usize> = (0..files.len()).collect();
    order.sort_by(|&a, &b| files[b].0.cmp(&files[a].0));
    let mut kept = vec![false; files.len()];
    if let Some(&newest) = order.first() {
        kept[newest] = true;
    }
    if let Some(&good) = order.iter().find(|&&i| !files[i].2) {
        kept[good] = true;
    }
    let mut bucket = |key: &dyn Fn(DateTime<Utc>) -> (i32, u32), n: u32| {
        let mut seen: Vec<(i32, u32)> = vec![];
        for &i in &order {
            let k = key(files[i].0);
            if !seen.contains(&k) {
                if seen.len() as u32 >= n {
                    break;
                }
                seen.push(k);
                kept[i] = true;
            }
        }
    };
    bucket(&|t| (t.year(), t.ordinal()), keep.daily);
    bucket(&|t| (t.iso_week().year(), t.iso_week().week()), keep.weekly);
    bucket(&|t| (t.year(), t.month()), keep.monthly);
    for (i, f) in files.iter().enumerate() {
        if f.1 == BackupKind::PreMigration || now - f.0 < KEEP_ALL_RECENT {
            kept[i] = true;
        }
    }
    order.into_iter().filter(|&i| !kept[i]).collect()
}

/// Applies rotation to one profile's backups in `dir`, touching only files whose
/// header authenticates with one of the profile's `keys` ([`list_profile`]): a file
/// anyone could have dropped there is never counted, so it can never push a genuine
/// backup out. Returns the deleted paths.
pub fn rotate(
    dir: &Path,
    profile_id: &str,
    keep: Retention,
    index: &Verifications,
    keys: &[&SecretKey],
) -> Result<Vec<PathBuf>> {
    let found = list_profile(dir, profile_id, keys).ours;
    let facts: Vec<_> =
        found.iter().map(|f| (f.header.created_at, f.header.kind, index.get(&f.path).is_some_and(|v| !v.ok))).collect();
    let mut deleted = vec![];
    for i in to_delete(&facts, keep, Utc::now()) {
        let p = &found[i].path;
        fs::remove_file(p).map_err(|e| Error::io(p, e))?;
        let _ = fs::remove_file(p.with_file_name(format!(
            "{}.sha256",
            p.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default()
        )));
        deleted.push(p.clone());
    }
    if !deleted.is_empty() {
        sync_dir(dir)?;
    }
    Ok(deleted)
}

/// The outcome of one verification of one backup file.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Verification {
    /// When it was verified.
    pub verified_at: DateTime<Utc>,
    /// Whether every check passed.
    pub ok: bool,
    /// The error code when not.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

/// The verification index: results of "Verify backups" by file path. Plain JSON in
/// the profile's backup folder (it holds no secret), so it is readable while locked.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct Verifications(BTreeMap<String, Verification>);

impl Verifications {
    /// Loads the index of a backup folder (empty when missing or unreadable).
    pub fn load(dir: &Path) -> Verifications {
        fs::read(dir.join(VERIFICATIONS_FILE)).ok().and_then(|b| serde_json::from_slice(&b).ok()).unwrap_or_default()
    }

    /// Writes it atomically.
    pub fn store(&self, dir: &Path) -> Result<()> {
        write_atomic(&dir.join(VERIFICATIONS_FILE), &crate::durable::to_json_pretty(self))
    }

    /// The last result for a file.
    pub fn get(&self, path: &Path) -> Option<&Verification> {
        self.0.get(&path.to_string_lossy().into_owned())
    }

    /// Records a result.
    pub fn set(&mut self, path: &Path, v: Verification) {
        self.0.insert(path.to_string_lossy().into_owned(), v);
    }

    /// Forgets files that no longer exist.
    pub fn retain_existing(&mut self) {
        self.0.retain(|p, _| Path::new(p).exists());
    }
}

/// Folders where removable media are mounted on this system.
pub fn removable_roots() -> Vec<PathBuf> {
    // The login name: from the environment, or the home folder's name when a launcher
    // started the app with a reduced environment.
    let user = ["USER", "LOGNAME", "USERNAME"]
        .iter()
        .find_map(|v| std::env::var(v).ok().filter(|u| !u.is_empty()))
        .or_else(|| {
            std::env::var_os("HOME").and_then(|h| Path::new(&h).file_name().map(|n| n.to_string_lossy().into_owned()))
        })
        .unwrap_or_default();
    let mut roots = mounted_under(&media_bases(Path::new("/"), &user));
    if cfg!(windows) {
        for letter in b'D'..=b'Z' {
            let p = PathBuf::from(format!("{}:\\", letter as char));
            if p.is_dir() {
                roots.push(p);
            }
        }
    }
    roots
}

/// The folders under `root` in which systems mount removable media for `user`:
/// `/Volumes` (macOS), `/media/USER` (Debian, Ubuntu), `/run/media/USER` (Fedora,
/// Arch, openSUSE: udisks2's default).
fn media_bases(root: &Path, user: &str) -> Vec<PathBuf> {
    let mut bases = vec![root.join("Volumes")];
    if !user.is_empty() {
        bases.push(root.join("media").join(user));
        bases.push(root.join("run/media").join(user));
    }
    bases
}

/// The folders directly inside `bases` (one per mounted medium).
fn mounted_under(bases: &[PathBuf]) -> Vec<PathBuf> {
    let mut roots = vec![];
    for base in bases {
        if let Ok(rd) = fs::read_dir(base) {
            let mut here: Vec<_> = rd.flatten().map(|e| e.path()).filter(|p| p.is_dir()).collect();
            here.sort();
            roots.extend(here);
        }
    }
    roots
}

/// Finds backup files under `root`, up to `depth` folders deep and at most `limit`
/// files, skipping hidden folders. Unreadable folders are skipped silently.
pub fn scan_tree(root: &Path, depth: usize, limit: usize, out: &mut Vec<Found>) {
    if out.len() >= limit {
        return;
    }
    let Ok(rd) = fs::read_dir(root) else { return };
    let mut dirs = vec![];
    for e in rd.flatten() {
        let p = e.path();
        let hidden = e.file_name().to_string_lossy().starts_with('.');
        let Ok(ft) = e.file_type() else { continue };
        if ft.is_dir() && !hidden {
            dirs.push(p);
        } else if ft.is_file() && p.extension().is_some_and(|x| x == EXTENSION) {
            if let Ok((parsed, size)) = read_header_of(&p) {
                out.push(Found { path: p, size, header: parsed.header });
                if out.len() >= limit {
                    return;
                }
            }
        }
    }
    if depth > 0 {
        for d in dirs {
            scan_tree(&d, depth - 1, limit, out);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: &str) -> DateTime<Utc> {
        s.parse().unwrap()
    }

    /// A rotation run long after the test's files: none is recent.
    fn later() -> DateTime<Utc> {
        t("2030-01-01T00:00:00Z")
    }

    #[test]
    fn every_backup_of_the_last_48_hours_is_kept() {
        // Four backups a day for three days; one daily backup kept by GFS.
        let now = t("2026-03-03T22:00:00Z");
        let files: Vec<_> = (0..12)
            .map(|i| (t("2026-03-01T06:00:00Z") + chrono::Duration::hours(i * 5), BackupKind::Automatic, false))
            .collect();
        let deleted = to_delete(&files, Retention { daily: 1, weekly: 0, monthly: 0 }, now);
        for (i, f) in files.iter().enumerate() {
            let recent = now - f.0 < KEEP_ALL_RECENT;
            assert_eq!(deleted.contains(&i), !recent && i != 11, "{i} at {}", f.0);
        }
        // The morning's backup survives the evening's.
        assert!(!deleted.contains(&8) && !deleted.contains(&11));
        assert!(!deleted.is_empty(), "older ones are still thinned out");
    }

    #[test]
    fn removable_media_are_found_where_each_system_mounts_them() {
        let root = tempfile::tempdir().unwrap();
        let r = root.path();
        let sticks = [r.join("media/alice/USB"), r.join("run/media/alice/KINGSTON"), r.join("Volumes/Backup Disk")];
        for s in &sticks {
            fs::create_dir_all(s).unwrap();
        }
        // Not media: a file in a base, another user's stick.
        fs::write(r.join("media/alice/notes.txt"), "x").unwrap();
        fs::create_dir_all(r.join("media/bob/OTHER")).unwrap();
        let found = mounted_under(&media_bases(r, "alice"));
        assert_eq!(found, vec![sticks[2].clone(), sticks[0].clone(), sticks[1].clone()]);
        // Without a user name only /Volumes is looked at.
        assert_eq!(mounted_under(&media_bases(r, "")), vec![sticks[2].clone()]);
    }

    #[test]
    fn rotation_keeps_daily_weekly_monthly_and_the_newest() {
        // One backup a day for 120 days, oldest first.
        let start = t("2026-01-01T03:00:00Z");
        let files: Vec<_> =
            (0..120).map(|d| (start + chrono::Duration::days(d), BackupKind::Automatic, false)).collect();
        let keep = Retention { daily: 7, weekly: 4, monthly: 12 };
        let deleted = to_delete(&files, keep, later());
        let kept: Vec<usize> = (0..120).filter(|i| !deleted.contains(i)).collect();
        // 7 newest days, plus the newest of 4 weeks and of 4 months (some overlap).
        assert!(kept.contains(&119) && kept.contains(&113));
        assert!(!kept.contains(&112) || kept.len() <= 7 + 4 + 12);
        assert!(kept.len() >= 7 && kept.len() <= 7 + 4 + 12, "{kept:?}");
        // The newest of each month (Jan 31 = day 30, Feb 28 = day 58, Mar 31 = day 89).
        for i in [30, 58, 89] {
            assert!(kept.contains(&i), "month end {i} kept: {kept:?}");
        }
        // Nothing is ever deleted when keeping everything, and the newest is never deleted.
        assert!(to_delete(&files, Retention { daily: 1000, weekly: 0, monthly: 0 }, later()).is_empty());
        let none = to_delete(&files, Retention { daily: 0, weekly: 0, monthly: 0 }, later());
        assert_eq!(none.len(), 119);
        assert!(!none.contains(&119));
    }

    #[test]
    fn rotation_keeps_the_newest_good_backup_and_pre_migration_ones() {
        let files = vec![
            (t("2026-01-01T00:00:00Z"), BackupKind::Automatic, false),
            (t("2026-01-02T00:00:00Z"), BackupKind::PreMigration, false),
            (t("2026-01-03T00:00:00Z"), BackupKind::Automatic, true),
        ];
        // The newest is known bad: the newest good one (the pre-migration backup) stays too.
        let deleted = to_delete(&files, Retention { daily: 0, weekly: 0, monthly: 0 }, later());
        assert_eq!(deleted, vec![0]);
        let files2 = vec![files[0], files[2]];
        assert!(to_delete(&files2, Retention { daily: 0, weekly: 0, monthly: 0 }, later()).is_empty());
    }

    #[test]
    fn stems_are_safe_file_names() {
        let at = t("2026-07-01T03:04:05.678Z");
        assert_eq!(file_stem("Élodie & Co", at, BackupKind::Manual), "elodie-co-20260701T030405.678Z");
        assert_eq!(file_stem("Démo foyer", at, BackupKind::Manual), "demo-foyer-20260701T030405.678Z");
        assert_eq!(file_stem("Zoë Œuvre", at, BackupKind::Automatic), "zoe-oeuvre-20260701T030405.678Z");
        assert_eq!(file_stem("../..", at, BackupKind::PreMigration), "profile-20260701T030405.678Z-pre-migration");
    }
}
