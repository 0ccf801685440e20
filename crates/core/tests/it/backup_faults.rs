//! I/O faults while writing backups: a writer that fails after N bytes (full disk,
//! failing device), the real `/dev/full`, a device that silently corrupts, and
//! destinations that are gone. Each gives a clear error, leaves no partial file and
//! never touches older backups. Hostile inputs too: the corpus's work bombs (KDF
//! parameters and slot counts that would make one guess cost minutes, gigabytes or
//! several derivations) are refused before any key derivation, and a second
//! destination full of junk loses nothing and never pushes a genuine backup out.

use std::fs::File;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use patrimoine_core::backup::format::Header;
use patrimoine_core::backup::store;
use patrimoine_core::keys::{KdfParams, RecoveryKey};
use patrimoine_core::restore::Credential;
use patrimoine_core::slots::{Kdf, Slot, SlotKind};
use patrimoine_core::throttle::UnlockState;
use patrimoine_core::Session;
use sha2::{Digest, Sha256};

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
    // Up to the middle of the first backup's size: a later backup of the same vault is
    // not always as large byte for byte (its snapshot's page count varies), so a cut
    // near the end might come after the new file's last byte.
    for n in [0, 1, 15, 16, 200, 65_536, 65_600, size / 2] {
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

// --- Work bombs in the corpus ------------------------------------------------------

const CORPUS_PASSWORD: &str = "corpus password";

fn corpus_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/backup-corpus")
}

/// A case of `cases.json`, with its fields in the file's order.
#[derive(serde::Serialize, serde::Deserialize, Debug, PartialEq)]
struct Case {
    file: String,
    credential: String,
    expect: String,
    what: String,
}

/// A forger's copy of `original`: its header changed, its checksum recomputed, its MAC
/// and payload kept. The corpus generator (`backup_corpus.rs`, `with_header(.., true, ..)`)
/// builds its forged headers the same way.
fn forge(original: &[u8], change: impl FnOnce(&mut Header)) -> Vec<u8> {
    let hl = u32::from_be_bytes(original[12..16].try_into().unwrap()) as usize;
    let json = &original[16..16 + hl];
    let mut h: Header = serde_json::from_slice(json).unwrap();
    assert_eq!(serde_json::to_vec(&h).unwrap(), json, "headers re-encode byte for byte");
    change(&mut h);
    let json = serde_json::to_vec(&h).unwrap();
    let mut covered = original[..12].to_vec();
    covered.extend_from_slice(&(json.len() as u32).to_be_bytes());
    covered.extend_from_slice(&json);
    let mut out = covered.clone();
    out.extend_from_slice(&Sha256::digest(&covered));
    // The MAC, then the payload.
    out.extend_from_slice(&original[16 + hl + 32..]);
    out
}

fn set_password_kdf(h: &mut Header, params: KdfParams) {
    for s in h.slots.iter_mut().filter(|s| s.kind == SlotKind::Password) {
        if let Kdf::Argon2id { params: p, .. } = &mut s.kdf {
            *p = params;
        }
    }
}

/// Costliest parameters a file may ask for with 1 lane (256 MiB x 16 passes, the work
/// bound): a KDF run there takes about twenty times the floor, seconds, so a refusal
/// under a second shows none ran.
const HEAVIEST_LEGAL: KdfParams = KdfParams { m_kib: 256 * 1024, t: 16, p: 1 };

fn password_slot(h: &Header) -> Slot {
    h.slots.iter().find(|s| s.kind == SlotKind::Password).unwrap().clone()
}

fn recovery_slot(h: &Header) -> Slot {
    h.slots.iter().find(|s| s.kind == SlotKind::Recovery).unwrap().clone()
}

type Forgery = fn(&mut Header);

/// Files that would make one credential attempt cost minutes, gigabytes, or several
/// key derivations: (name, credential, expected code, what, change of the header).
fn bombs() -> Vec<(&'static str, &'static str, &'static str, &'static str, Forgery)> {
    vec![
        (
            "hdr-kdf_work_1gib_x16-forged",
            "password",
            "kdf_out_of_bounds",
            "Argon2id 1 GiB x 16 passes: memory and passes each at their cap, the work over the bound (minutes per attempt)",
            |h| set_password_kdf(h, KdfParams { m_kib: 1024 * 1024, t: 16, p: 1 }),
        ),
        (
            "hdr-kdf_passes_64-forged",
            "password",
            "kdf_out_of_bounds",
            "Argon2id 64 MiB x 64 passes (the cap before 16)",
            |h| set_password_kdf(h, KdfParams { m_kib: 64 * 1024, t: 64, p: 1 }),
        ),
        (
            "hdr-kdf_lanes_16-forged",
            "password",
            "kdf_out_of_bounds",
            "Argon2id 16 lanes (over the cap of 8), with 256 MiB x 16 passes (the work bound)",
            |h| set_password_kdf(h, KdfParams { p: 16, ..HEAVIEST_LEGAL }),
        ),
        (
            "hdr-kdf_memory_4gib-forged",
            "password",
            "kdf_out_of_bounds",
            "Argon2id 4 GiB x 3 passes (the memory cap before 1 GiB)",
            |h| set_password_kdf(h, KdfParams { m_kib: 4 * 1024 * 1024, t: 3, p: 1 }),
        ),
        (
            "hdr-kdf_bomb_in_recovery_slot-forged",
            "recovery",
            "kdf_out_of_bounds",
            "the recovery slot turned into an Argon2id slot of 1 GiB x 16 passes x 8 lanes, tried with the recovery key",
            |h| {
                for s in h.slots.iter_mut().filter(|s| s.kind == SlotKind::Recovery) {
                    let salt = match &s.kdf {
                        Kdf::HkdfSha256 { salt } | Kdf::Argon2id { salt, .. } => salt.clone(),
                    };
                    s.kdf = Kdf::Argon2id { params: KdfParams { m_kib: 1024 * 1024, t: 16, p: 8 }, salt };
                }
            },
        ),
        (
            "hdr-slots_two_passwords-forged",
            "wrong_password",
            "backup_damaged",
            "two password slots (the second at 256 MiB x 16 passes), no recovery slot: a guess would run two KDFs",
            |h| {
                let mut second = password_slot(h);
                second.id = 2;
                if let Kdf::Argon2id { params, .. } = &mut second.kdf {
                    *params = HEAVIEST_LEGAL;
                }
                h.slots = vec![password_slot(h), second];
            },
        ),
        (
            "hdr-slots_eight_passwords-forged",
            "wrong_password",
            "backup_damaged",
            "eight password slots, seven at 256 MiB x 16 passes: a guess would run eight KDFs",
            |h| {
                let first = password_slot(h);
                h.slots = (1..=8)
                    .map(|id| {
                        let mut s = first.clone();
                        s.id = id;
                        if id > 1 {
                            if let Kdf::Argon2id { params, .. } = &mut s.kdf {
                                *params = HEAVIEST_LEGAL;
                            }
                        }
                        s
                    })
                    .collect();
            },
        ),
        (
            "hdr-slots_eight-forged",
            "password",
            "backup_damaged",
            "eight slots: the password slot and seven recovery slots (over the cap of two)",
            |h| {
                let rec = recovery_slot(h);
                let mut slots = vec![password_slot(h)];
                slots.extend((2..=8).map(|id| Slot { id, ..rec.clone() }));
                h.slots = slots;
            },
        ),
    ]
}

/// The bombs are committed in the corpus (and `cases.json`), where the corpus test and
/// the independent reader check their codes; they must be exactly what [`bombs`]
/// builds from `small-base.bin`. `PATRIMOINE_WRITE_BOMBS=1` writes them (only needed
/// when a bomb is added: the corpus's existing files are never rewritten).
#[test]
fn the_work_bombs_of_the_corpus_are_forged_from_the_small_base() {
    let dir = corpus_dir();
    let small = std::fs::read(dir.join("small-base.bin")).unwrap();
    let cases_path = dir.join("cases.json");
    let mut cases: Vec<Case> = serde_json::from_slice(&std::fs::read(&cases_path).unwrap()).unwrap();
    let write = std::env::var_os("PATRIMOINE_WRITE_BOMBS").is_some_and(|v| v == "1");
    let mut failures = vec![];
    for (name, credential, expect, what, change) in bombs() {
        let file = format!("{name}.patrimoine-backup");
        let bytes = forge(&small, change);
        let case = Case { file: file.clone(), credential: credential.into(), expect: expect.into(), what: what.into() };
        if write {
            std::fs::write(dir.join(&file), &bytes).unwrap();
            match cases.iter_mut().find(|c| c.file == file) {
                Some(c) => *c = case,
                None => cases.push(case),
            }
            continue;
        }
        if std::fs::read(dir.join(&file)).ok().as_deref() != Some(&bytes[..]) {
            failures.push(format!("{file} is missing or differs from what its forgery makes"));
        }
        if !cases.contains(&case) {
            failures.push(format!("{file} has no case {case:?} in cases.json"));
        }
    }
    if write {
        std::fs::write(&cases_path, serde_json::to_vec_pretty(&cases).unwrap()).unwrap();
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// No key derivation runs on a bomb: restore, preview, verification and inspection
/// each refuse it in well under a second (one KDF at the floor takes ~0.1 s; the
/// derivations these files ask for take seconds to minutes, or gigabytes), with the
/// bomb's code, and write nothing.
#[test]
fn the_work_bombs_are_refused_before_any_key_derivation() {
    let dir = corpus_dir();
    let rk = RecoveryKey::parse(&std::fs::read_to_string(dir.join("recovery-key.txt")).unwrap()).unwrap();
    let (t, dd) = data_dir();
    let before = tree(t.path());
    let limit = Duration::from_millis(1000);
    let mut failures = vec![];
    for (name, credential, expect, _, _) in bombs() {
        let path = dir.join(format!("{name}.patrimoine-backup"));
        let credential = match credential {
            "password" => Credential::Password(CORPUS_PASSWORD),
            "wrong_password" => Credential::Password("not the corpus password"),
            "recovery" => Credential::RecoveryKey(&rk),
            other => panic!("{other}"),
        };
        let req = restore_request(credential);
        let timed = |what: &str, f: &dyn Fn() -> Option<String>, failures: &mut Vec<String>| {
            let start = Instant::now();
            let code = f();
            let took = start.elapsed();
            if code.as_deref() != Some(expect) {
                failures.push(format!("{name}: {what} gave {code:?}, expected {expect}"));
            }
            if took >= limit {
                failures.push(format!("{name}: {what} took {took:?}: a key derivation ran"));
            }
        };
        let code = |r: Result<(), patrimoine_core::error::Error>| r.err().map(|e| e.code().to_owned());
        timed("restore", &|| code(dd.restore(&path, &req).map(|_| ())), &mut failures);
        timed("preview", &|| code(dd.restore_preview(&path, &req.credential).map(|_| ())), &mut failures);
        timed("verify", &|| code(dd.verify_backup(&path, &req.credential).map(|_| ())), &mut failures);
        timed("inspect", &|| code(patrimoine_core::backup::inspect(&path).map(|_| ())), &mut failures);
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    // Nothing was written but the scratch folder, and no attempt counted as a guess.
    let written: Vec<_> =
        tree(t.path()).into_iter().filter(|(p, _)| !p.starts_with(dd.root().join("tmp"))).map(|(p, _)| p).collect();
    assert_eq!(written, before.into_iter().map(|(p, _)| p).collect::<Vec<_>>());
    assert_eq!(UnlockState::load(&dd.root().join("throttle")).consecutive_failures, 0);
}

// --- A second destination full of junk ----------------------------------------------

fn random_bytes(n: usize) -> Vec<u8> {
    use rand::RngCore;
    let mut b = vec![0u8; n];
    rand::thread_rng().fill_bytes(&mut b);
    b
}

/// The backup files of a folder that are not junk (the genuine ones), as found.
fn genuine_in(dir: &Path, junk: &[(PathBuf, Vec<u8>)]) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.is_file() && p.extension().is_some_and(|x| x == store::EXTENSION))
        .filter(|p| !junk.iter().any(|(j, _)| j == p))
        .collect();
    out.sort();
    out
}

/// A genuine backup made by the test: where, when, why.
type Made = (PathBuf, chrono::DateTime<chrono::Utc>, patrimoine_core::backup::format::BackupKind);

/// What rotation keeps of `files` (genuine backups of one folder), by the profile's
/// retention: the answer it must give whatever else lies in the folder.
fn kept_by_rotation(files: &[Made], keep: store::Retention) -> Vec<Made> {
    let facts: Vec<_> = files.iter().map(|(_, at, kind)| (*at, *kind, false)).collect();
    let deleted = store::to_delete(&facts, keep, chrono::Utc::now());
    let mut kept: Vec<Made> =
        files.iter().enumerate().filter(|(i, _)| !deleted.contains(i)).map(|(_, f)| f.clone()).collect();
    kept.sort_by(|a, b| a.0.cmp(&b.0));
    kept
}

fn paths(files: &[Made]) -> Vec<PathBuf> {
    files.iter().map(|f| f.0.clone()).collect()
}

#[test]
fn a_second_destination_full_of_junk_loses_nothing_and_keeps_the_genuine_backups() {
    use chrono::{Duration as Days, Utc};
    use patrimoine_core::backup::format::{BackupKind, MAGIC};
    use patrimoine_core::backup::{BackupSettings, SECOND_DIR};

    let (t, dd) = data_dir();
    let s = create(&dd, "Alice").session;
    s.vault().import_csv(CSV.as_bytes(), Default::default()).unwrap();
    let id = s.info().id.clone();
    let first = s.backup_now().unwrap().header.path;
    let genuine = std::fs::read(&first).unwrap();
    // Another computer's profile and its genuine backups.
    let (_t2, dd2) = data_dir();
    let bob = create(&dd2, "Bob").session;
    bob.vault().import_csv(CSV.as_bytes(), Default::default()).unwrap();
    let bobs: Vec<Vec<u8>> = (0..4).map(|_| std::fs::read(bob.backup_now().unwrap().header.path).unwrap()).collect();
    drop(bob);

    // Thirty junk files with the backup extension in the folder the app manages on
    // the stick, before it is chosen as the second destination.
    let usb = t.path().join("usb");
    let second = usb.join(SECOND_DIR);
    std::fs::create_dir_all(&second).unwrap();
    let mut junk: Vec<(PathBuf, Vec<u8>)> = vec![];
    let mut put = |dir: &Path, name: String, bytes: Vec<u8>| {
        let p = dir.join(name);
        std::fs::write(&p, &bytes).unwrap();
        junk.push((p, bytes));
    };
    for (i, n) in [0, 1, 15, 16, 1000, 70_000].into_iter().enumerate() {
        put(&second, format!("random-{i}.patrimoine-backup"), random_bytes(n));
    }
    for (i, n) in [1000, 200_000].into_iter().enumerate() {
        put(&second, format!("magic-then-random-{i}.patrimoine-backup"), [&MAGIC[..], &random_bytes(n)].concat());
    }
    let hl = u32::from_be_bytes(genuine[12..16].try_into().unwrap()) as usize;
    let payload = 16 + hl + 64;
    for cut in [4, 16, 100, payload - 40, payload + 100, genuine.len() - 1] {
        put(&second, format!("alice-truncated-{cut}.patrimoine-backup"), genuine[..cut].to_vec());
    }
    // Forged: the profile's id is public; checksum recomputed, MAC not (no key).
    let now = Utc::now();
    let mut names_alice = vec![];
    for days in [1, 30, 365, 36_500] {
        let name = format!("alice-future-{days}d.patrimoine-backup");
        put(&second, name.clone(), forge(&genuine, |h| h.created_at = now + Days::days(days)));
        names_alice.push(name);
    }
    let forged: Vec<(&str, Change)> = vec![
        (
            "alice-future-pre-migration",
            Box::new(move |h| {
                h.created_at = now + Days::days(7);
                h.kind = BackupKind::PreMigration;
            }),
        ),
        (
            "alice-future-other-version",
            Box::new(move |h| {
                h.created_at = now + Days::days(2);
                h.app_version = "9.9.9".into();
            }),
        ),
        ("alice-past-hour", Box::new(move |h| h.created_at = now - Days::hours(1))),
        ("alice-past-year", Box::new(move |h| h.created_at = now - Days::days(400))),
        (
            "alice-schema-999",
            Box::new(move |h| {
                h.created_at = now + Days::days(5);
                h.schema_version = 999;
            }),
        ),
    ];
    for (name, change) in forged {
        put(&second, format!("{name}.patrimoine-backup"), forge(&genuine, change));
        names_alice.push(format!("{name}.patrimoine-backup"));
    }
    // Another profile's genuine data under this profile's id and name.
    for (i, b) in bobs[..2].iter().enumerate() {
        let name = format!("bob-as-alice-{i}.patrimoine-backup");
        let id = id.clone();
        put(
            &second,
            name.clone(),
            forge(b, move |h| {
                h.profile_id = id;
                h.profile_name = "Alice".into();
                h.created_at = now + Days::days(3 + i as i64);
            }),
        );
        names_alice.push(name);
    }
    // Another profile's genuine backups.
    for (i, b) in bobs.iter().enumerate() {
        put(&second, format!("bob-{i}.patrimoine-backup"), b.clone());
    }
    // Random bytes under a name the app could choose.
    let stem = store::file_stem("Alice", now + Days::seconds(30), BackupKind::Manual);
    put(&second, format!("{stem}.patrimoine-backup"), random_bytes(5000));
    // Other junk: a sidecar of a forged file, a note, a folder with the extension, and
    // copies beside the managed folder; a forged future file in the profile folder.
    put(
        &second,
        "alice-future-1d.patrimoine-backup.sha256".into(),
        b"0000  alice-future-1d.patrimoine-backup\n".to_vec(),
    );
    put(&second, "notes.txt".into(), b"do not delete".to_vec());
    let folder = second.join("folder.patrimoine-backup");
    std::fs::create_dir(&folder).unwrap();
    put(&folder, "inner.patrimoine-backup".into(), forge(&genuine, |h| h.created_at = now + Days::days(9)));
    put(&usb, "alice-future-1d.patrimoine-backup".into(), forge(&genuine, |h| h.created_at = now + Days::days(1)));
    put(&usb, "bob-0.patrimoine-backup".into(), bobs[0].clone());
    let profile_backups = s.dir().join(patrimoine_core::backup::BACKUP_DIR);
    put(
        &profile_backups,
        "alice-forged-in-profile-folder.patrimoine-backup".into(),
        forge(&genuine, |h| h.created_at = now + Days::days(10)),
    );

    let is_backup = |p: &Path| p.parent() == Some(&second) && p.extension().is_some_and(|x| x == store::EXTENSION);
    assert_eq!(junk.iter().filter(|(p, _)| is_backup(p)).count(), 30);
    s.set_backup_settings(&BackupSettings { second_destination: Some(usb.clone()), ..s.backup_settings() }).unwrap();
    let keep = s.backup_settings().retention();
    let unchanged = |when: &str| {
        for (p, bytes) in &junk {
            match std::fs::read(p) {
                Ok(now) => assert!(now == *bytes, "{when}: junk file {} was modified", p.display()),
                Err(e) => panic!("{when}: junk file {} is gone: {e}", p.display()),
            }
        }
    };
    let first_header = store::read_header_of(&first).unwrap().0.header;
    let mut alive_profile: Vec<Made> = vec![(first.clone(), first_header.created_at, first_header.kind)];
    let mut alive_second: Vec<Made> = vec![];
    let mut newest = None;
    for round in 0..4 {
        std::thread::sleep(Duration::from_millis(5));
        let entry = s.backup_now().unwrap();
        let (made, at, kind) = (entry.header.path.clone(), entry.header.created_at, entry.header.kind);
        unchanged(&format!("backup {round}"));
        // Rotation keeps of the genuine backups what it would keep without the junk.
        alive_profile.push((made.clone(), at, kind));
        let expected = kept_by_rotation(&alive_profile, keep);
        assert!(paths(&expected).contains(&made));
        assert_eq!(genuine_in(&profile_backups, &junk), paths(&expected), "backup {round}: profile folder");
        alive_profile = expected;
        let copy = second.join(made.file_name().unwrap());
        assert_eq!(std::fs::read(&copy).unwrap(), std::fs::read(&made).unwrap(), "backup {round}: the copy");
        alive_second.push((copy.clone(), at, kind));
        let expected = kept_by_rotation(&alive_second, keep);
        assert!(paths(&expected).contains(&copy));
        assert_eq!(genuine_in(&second, &junk), paths(&expected), "backup {round}: second destination");
        alive_second = expected;
        newest = Some(at);
    }
    // "Last backup" is the newest genuine one, not a forged date.
    assert_eq!(s.backup_settings().last_backup_at, newest, "last backup");
    assert!(s.backup_settings().second_destination_last_seen.is_some());
    // The list: genuine files authenticated; files naming the profile listed apart;
    // another profile's files, damaged and random ones not listed.
    let listed = s.list_backups().unwrap();
    let mut authentic: Vec<PathBuf> =
        listed.iter().filter(|e| e.authenticated).map(|e| e.header.path.clone()).collect();
    authentic.sort();
    let mut want: Vec<PathBuf> = paths(&alive_profile).into_iter().chain(paths(&alive_second)).collect();
    want.sort();
    assert_eq!(authentic, want);
    let mut unauthenticated: Vec<PathBuf> =
        listed.iter().filter(|e| !e.authenticated).map(|e| e.header.path.clone()).collect();
    unauthenticated.sort();
    let mut want: Vec<PathBuf> = names_alice.iter().map(|n| second.join(n)).collect();
    want.push(profile_backups.join("alice-forged-in-profile-folder.patrimoine-backup"));
    want.sort();
    assert_eq!(unauthenticated, want);
    // Verifying checks the genuine ones only; pruning deletes no junk either.
    let verified = s.verify_backups().unwrap();
    assert!(verified.iter().filter(|e| e.authenticated).all(|e| e.ok == Some(true)), "{verified:?}");
    assert!(verified.iter().filter(|e| !e.authenticated).all(|e| e.ok.is_none()));
    s.prune_backups().unwrap();
    unchanged("prune");
    assert_eq!(genuine_in(&second, &junk), paths(&alive_second));
    drop(s);
    assert!(dd.list_backups("Alice").unwrap().iter().all(|e| !e.authenticated));
    // The newest copy on the stick restores on another computer.
    let (_t3, dd3) = data_dir();
    let copy = &alive_second.iter().max_by_key(|f| f.1).unwrap().0;
    let h = dd3.verify_backup(copy, &Credential::Password(PASSWORD)).unwrap();
    assert_eq!(Some(h.created_at), newest);
}

/// A change a forger makes to a header.
type Change = Box<dyn FnOnce(&mut Header)>;
