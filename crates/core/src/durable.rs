//! Crash-safe file writes: write a temporary file beside the target, fsync it, rename
//! it over the target, then fsync the directory so the rename itself is durable.
//! Every file written here is created readable by its owner only (0600 from the first
//! byte, never chmod'ed afterwards), and folders are created 0700; a folder that
//! already exists keeps its mode (it may be the user's, or on a FAT stick).

use std::fs::{self, File, OpenOptions};
use std::io::Write;
use std::path::Path;

use crate::error::{Error, Result};

/// Atomically replaces `path` with `bytes`. After a crash the file holds either the
/// old or the new content, never a mix.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    let tmp_name = atomic_temp_name(path);
    write_atomic_via(path, &tmp_name, bytes)
}

/// Name of the temporary file [`write_atomic`] writes first: `.<name>.<12 hex>.tmp`.
fn atomic_temp_name(path: &Path) -> String {
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    format!(".{name}.{}.tmp", hex::encode(crate::crypto::keys::random_bytes::<6>()))
}

/// Whether `name` is a temporary file of [`write_atomic`] for a file named `target`
/// (any target when `None`): what a crash between its write and its rename leaves.
pub fn is_atomic_temp(name: &str, target: Option<&str>) -> bool {
    let Some(rest) = name.strip_prefix('.').and_then(|n| n.strip_suffix(".tmp")) else { return false };
    let Some((base, random)) = rest.rsplit_once('.') else { return false };
    random.len() == 12
        && random.bytes().all(|b| b.is_ascii_hexdigit())
        && !base.is_empty()
        && target.is_none_or(|t| t == base)
}

/// The folder a file is in: `.` for a bare file name (whose parent is empty).
fn folder_of(path: &Path) -> &Path {
    path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."))
}

fn write_atomic_via(path: &Path, tmp_name: &str, bytes: &[u8]) -> Result<()> {
    let dir = folder_of(path);
    let tmp = dir.join(tmp_name);
    let result = (|| {
        let mut f = create_private_file(&tmp).map_err(|e| Error::io(&tmp, e))?;
        f.write_all(bytes).map_err(|e| Error::io(&tmp, e))?;
        f.sync_all().map_err(|e| Error::io(&tmp, e))?;
        drop(f);
        fs::rename(&tmp, path).map_err(|e| Error::io(path, e))?;
        sync_dir(dir)
    })();
    if result.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    result
}

/// Test hook: in debug builds, aborts the process at the named step when the
/// environment variable `PATRIMOINE_CRASH_AT` names it, so black-box tests can crash
/// the real binary between any two steps of a backup or a restore. Compiled out of
/// release builds.
#[inline]
pub(crate) fn crash_point(name: &str) {
    #[cfg(debug_assertions)]
    if std::env::var_os("PATRIMOINE_CRASH_AT").is_some_and(|v| v == name) {
        std::process::abort();
    }
    #[cfg(not(debug_assertions))]
    let _ = name;
}

/// Fsyncs a directory so that renames and creations inside it survive a power loss.
pub fn sync_dir(dir: &Path) -> Result<()> {
    #[cfg(unix)]
    {
        File::open(dir).and_then(|d| d.sync_all()).map_err(|e| Error::io(dir, e))?;
    }
    #[cfg(not(unix))]
    {
        let _ = dir;
    }
    Ok(())
}

/// Creates a new file (it must not exist) for writing, readable and writable by its
/// owner only from the first byte (mode 0600 on Unix; the umask can only remove bits).
pub fn create_private_file(path: &Path) -> std::io::Result<File> {
    let mut options = OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    options.open(path)
}

/// Opens (creating if needed, 0600, never truncating) a lock file: the profile lock and
/// the attempts lock.
pub(crate) fn open_lock_file(path: &Path) -> Result<File> {
    let mut options = OpenOptions::new();
    options.create(true).truncate(false).write(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    options.open(path).map_err(|e| Error::io(path, e))
}

/// Gives `path` (a file or folder of the app's own, left readable by others by an
/// earlier version) the owner-only `mode`, when group or others have any bit on it.
/// Best effort; missing paths and non-Unix systems are left alone.
pub(crate) fn restrict_to_owner(path: &Path, mode: u32) {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        if fs::metadata(path).is_ok_and(|m| m.permissions().mode() & 0o077 != 0) {
            let _ = fs::set_permissions(path, fs::Permissions::from_mode(mode));
        }
    }
    #[cfg(not(unix))]
    let _ = (path, mode);
}

/// Creates a directory readable only by the current user (0700 on Unix), and its
/// missing parents. A directory that already exists is left as it is: its mode is
/// never changed (it may belong to someone else, or be on a FAT/exFAT stick).
pub fn create_private_dir(dir: &Path) -> Result<()> {
    if dir.is_dir() {
        return Ok(());
    }
    if let Some(parent) = dir.parent().filter(|p| !p.as_os_str().is_empty()) {
        fs::create_dir_all(parent).map_err(|e| Error::io(parent, e))?;
    }
    let mut builder = fs::DirBuilder::new();
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        builder.mode(0o700);
    }
    match builder.create(dir) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists && dir.is_dir() => Ok(()),
        Err(e) => Err(Error::io(dir, e)),
    }
}

/// A file written through a temporary sibling and renamed into place by
/// [`AtomicFile::commit`]; dropped without commit, it leaves nothing behind.
pub struct AtomicFile {
    tmp: std::path::PathBuf,
    target: std::path::PathBuf,
    file: Option<std::io::BufWriter<File>>,
}

impl AtomicFile {
    /// Starts writing `target`.
    pub fn create(target: &Path) -> Result<AtomicFile> {
        let dir = folder_of(target);
        let name = target.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        let tmp = dir.join(format!(".{name}.{}.partial", hex::encode(crate::crypto::keys::random_bytes::<6>())));
        let f = create_private_file(&tmp).map_err(|e| Error::io(&tmp, e))?;
        Ok(AtomicFile { tmp, target: target.to_owned(), file: Some(std::io::BufWriter::with_capacity(1 << 16, f)) })
    }

    /// Flushes, fsyncs, renames into place and fsyncs the directory.
    pub fn commit(mut self) -> Result<()> {
        let Some(w) = self.file.take() else { return Ok(()) }; // commit consumes self: never empty
        let f = w.into_inner().map_err(|e| Error::io(&self.tmp, e.into_error()))?;
        f.sync_all().map_err(|e| Error::io(&self.tmp, e))?;
        drop(f);
        fs::rename(&self.tmp, &self.target).map_err(|e| Error::io(&self.target, e))?;
        sync_dir(folder_of(&self.target))
    }
}

impl Write for AtomicFile {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.file.as_mut().ok_or_else(|| std::io::Error::other("already committed"))?.write(buf)
    }
    fn flush(&mut self) -> std::io::Result<()> {
        self.file.as_mut().ok_or_else(|| std::io::Error::other("already committed"))?.flush()
    }
}

impl Drop for AtomicFile {
    fn drop(&mut self) {
        if self.file.take().is_some() {
            let _ = fs::remove_file(&self.tmp);
        }
    }
}

/// Serialises one of our own types (string keys, no floats) as pretty JSON. Such a
/// type cannot fail to serialise; this is the one place that invariant is stated.
pub(crate) fn to_json_pretty<T: serde::Serialize>(value: &T) -> Vec<u8> {
    #[allow(clippy::expect_used)] // invariant: see above; every test serialises these types
    serde_json::to_vec_pretty(value).expect("our own types serialise")
}

/// Compact form of [`to_json_pretty`], same invariant.
pub(crate) fn to_json<T: serde::Serialize>(value: &T) -> Vec<u8> {
    #[allow(clippy::expect_used)] // invariant: see to_json_pretty
    serde_json::to_vec(value).expect("our own types serialise")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn atomic_temp_names_are_recognized() {
        let name = atomic_temp_name(Path::new("/x/keyslots.a.json"));
        assert!(is_atomic_temp(&name, None));
        assert!(is_atomic_temp(&name, Some("keyslots.a.json")));
        assert!(!is_atomic_temp(&name, Some("keyslots.b.json")));
        for other in [
            "keyslots.a.json",
            ".tmp-restore-x.db",
            ".keyslots.a.json.xyz.tmp",
            ".x.0123456789a.tmp",
            "..0123456789ab.tmp",
        ] {
            assert!(!is_atomic_temp(other, None), "{other}");
        }
    }

    #[test]
    fn replaces_content_and_leaves_no_temp_file() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("f.json");
        write_atomic(&p, b"one").unwrap();
        write_atomic(&p, b"two").unwrap();
        assert_eq!(fs::read(&p).unwrap(), b"two");
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[cfg(unix)]
    #[test]
    fn files_are_private_from_the_first_byte_and_existing_folders_keep_their_mode() {
        use std::os::unix::fs::PermissionsExt;
        let mode = |p: &Path| fs::metadata(p).unwrap().permissions().mode() & 0o777;
        let dir = tempfile::tempdir().unwrap();
        let f = dir.path().join("secret.txt");
        write_atomic(&f, b"x").unwrap();
        assert_eq!(mode(&f), 0o600);
        let mut a = AtomicFile::create(&dir.path().join("export.json")).unwrap();
        // The temporary file is already private while it is being written.
        let tmp =
            fs::read_dir(dir.path()).unwrap().flatten().find(|e| e.file_name().to_string_lossy().ends_with(".partial"));
        assert_eq!(mode(&tmp.unwrap().path()), 0o600);
        a.write_all(b"{}").unwrap();
        a.commit().unwrap();
        assert_eq!(mode(&dir.path().join("export.json")), 0o600);
        let new_dir = dir.path().join("a/b");
        create_private_dir(&new_dir).unwrap();
        assert_eq!(mode(&new_dir), 0o700);
        let users = dir.path().join("users-folder");
        fs::create_dir(&users).unwrap();
        fs::set_permissions(&users, fs::Permissions::from_mode(0o755)).unwrap();
        create_private_dir(&users).unwrap();
        assert_eq!(mode(&users), 0o755, "a folder the app did not create keeps its mode");
    }

    #[test]
    fn a_bare_file_name_is_in_the_current_folder() {
        // `Path::parent` of "rk.txt" is "", which is no folder to create a file in.
        assert_eq!(folder_of(Path::new("rk.txt")), Path::new("."));
        assert_eq!(folder_of(Path::new("a/rk.txt")), Path::new("a"));
        assert_eq!(folder_of(Path::new("/rk.txt")), Path::new("/"));
    }

    #[test]
    fn failure_leaves_previous_content() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("sub");
        fs::create_dir(&p).unwrap();
        // Renaming a file over a non-empty directory fails: the directory stays.
        fs::write(p.join("x"), b"keep").unwrap();
        assert!(write_atomic(&p, b"new").is_err());
        assert_eq!(fs::read(p.join("x")).unwrap(), b"keep");
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1);
    }
}
