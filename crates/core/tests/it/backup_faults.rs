//! I/O faults while writing backups: a writer that fails after N bytes (full disk,
//! failing device), the real `/dev/full`, a device that silently corrupts, and
//! destinations that are gone. Each gives a clear error, leaves no partial file and
//! never touches older backups.

use std::fs::File;
use std::io::Write;
use std::path::Path;

use patrimoine_core::Session;

use crate::backup::{tree, CSV};
use crate::support::*;

/// A writer that accepts `left` bytes, then fails with `errno`.
struct FailAfter {
    inner: File,
    left: usize,
    errno: i32,
}

impl Write for FailAfter {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        if self.left == 0 {
            return Err(std::io::Error::from_raw_os_error(self.errno));
        }
        let n = buf.len().min(self.left);
        self.left -= n;
        self.inner.write(&buf[..n])
    }
    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

/// A device that lies: it flips one bit of what it is given and reports success.
struct Corrupting {
    inner: File,
    at: usize,
    seen: usize,
}

impl Write for Corrupting {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let mut b = buf.to_vec();
        if (self.seen..self.seen + b.len()).contains(&self.at) {
            b[self.at - self.seen] ^= 0x10;
        }
        self.seen += b.len();
        self.inner.write_all(&b)?;
        Ok(b.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

fn setup() -> (tempfile::TempDir, Session, Vec<(std::path::PathBuf, Vec<u8>)>) {
    let (t, dd) = data_dir();
    let s = create(&dd, "Alice").session;
    s.vault().import_csv(CSV.as_bytes(), Default::default()).unwrap();
    s.backup_now().unwrap();
    let before = tree(&s.dir().join("backups"));
    (t, s, before)
}

fn no_partials(dir: &Path) {
    for e in std::fs::read_dir(dir).unwrap() {
        let name = e.unwrap().file_name().to_string_lossy().into_owned();
        assert!(!name.ends_with(".partial"), "partial left: {name}");
    }
}

#[test]
fn a_write_failing_after_n_bytes_leaves_older_backups_and_no_partial() {
    let (_t, s, before) = setup();
    let size = before[0].1.len();
    for n in [0, 1, 15, 16, 200, 65_536, 65_600, size - 1] {
        for (errno, code) in [(28, "disk_full"), (5, "destination_unwritable")] {
            let mut wrap = |f: File| -> Box<dyn Write> { Box::new(FailAfter { inner: f, left: n, errno }) };
            let err = s.backup_now_with(&mut wrap).err().unwrap();
            assert_eq!(err.code(), code, "failing after {n} bytes with errno {errno}");
            assert_eq!(tree(&s.dir().join("backups")), before, "older backups untouched");
            no_partials(&s.dir().join("backups"));
        }
    }
    // The next backup works and the vault is fine.
    s.backup_now().unwrap();
    assert!(s.vault().health().unwrap().is_ok());
}

#[test]
fn the_real_dev_full_is_a_full_disk() {
    if !Path::new("/dev/full").exists() {
        return;
    }
    let (_t, s, before) = setup();
    let mut wrap =
        |_f: File| -> Box<dyn Write> { Box::new(std::fs::OpenOptions::new().write(true).open("/dev/full").unwrap()) };
    let err = s.backup_now_with(&mut wrap).err().unwrap();
    assert_eq!(err.code(), "disk_full");
    assert_eq!(tree(&s.dir().join("backups")), before);
    no_partials(&s.dir().join("backups"));
}

#[test]
fn a_device_that_silently_corrupts_is_caught_by_the_read_back() {
    let (t, s, before) = setup();
    for at in [3, 100, 2_000, 70_000] {
        let mut wrap = |f: File| -> Box<dyn Write> { Box::new(Corrupting { inner: f, at, seen: 0 }) };
        let err = s.backup_now_with(&mut wrap).err().unwrap();
        assert!(
            ["backup_damaged", "not_a_backup", "backup_truncated"].contains(&err.code()),
            "corruption at {at}: {}",
            err.code()
        );
        assert_eq!(tree(&s.dir().join("backups")), before);
        no_partials(&s.dir().join("backups"));
        // Same for an export.
        let usb = t.path().join(format!("usb{at}"));
        std::fs::create_dir(&usb).unwrap();
        let mut wrap = |f: File| -> Box<dyn Write> { Box::new(Corrupting { inner: f, at, seen: 0 }) };
        assert!(s.export_backup_with(&usb, Some(&mut wrap)).is_err());
        assert_eq!(std::fs::read_dir(&usb).unwrap().count(), 0, "nothing left on the stick");
    }
}

#[test]
fn a_destination_that_is_gone_or_not_a_folder_is_unwritable() {
    let (t, s, _) = setup();
    let usb = t.path().join("usb");
    std::fs::create_dir(&usb).unwrap();
    // The stick is pulled out during the write: the folder disappears, the device errors.
    let gone = usb.clone();
    let mut wrap = move |f: File| -> Box<dyn Write> {
        std::fs::remove_dir_all(&gone).unwrap();
        Box::new(FailAfter { inner: f, left: 10, errno: 19 })
    };
    let err = s.export_backup_with(&usb, Some(&mut wrap)).err().unwrap();
    assert_eq!(err.code(), "destination_unwritable");
    let file = t.path().join("a-file");
    std::fs::write(&file, "x").unwrap();
    let err = s.export_backup(&file.join("backup.patrimoine-backup")).err().unwrap();
    assert_eq!(err.code(), "destination_unwritable");
    // A second destination that went away does not stop the backup in the profile folder.
    let settings = patrimoine_core::backup::BackupSettings {
        second_destination: Some(t.path().join("gone")),
        ..s.backup_settings()
    };
    s.set_backup_settings(&settings).unwrap();
    s.backup_now().unwrap();
}
