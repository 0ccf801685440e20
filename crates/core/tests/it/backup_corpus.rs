//! The bad-backup corpus (`tests/fixtures/backup-corpus/`): every file must be refused
//! with its own error code and write nothing; `good-v1` must keep restoring exactly,
//! in every future version. Also the bit-flip sweep and property tests of the format.
//!
//! The files are committed. `PATRIMOINE_REGEN_CORPUS=1 cargo test -p patrimoine-core
//! --test it backup_corpus` regenerates them (only needed when cases are added; never
//! for a format change: old files must keep their meaning).

use std::path::{Path, PathBuf};

use patrimoine_core::backup::format::{self, BackupKind, Header, CHUNK_SIZE, TAG_LEN};
use patrimoine_core::keys::{KdfParams, RecoveryKey, SecretKey};
use patrimoine_core::restore::Credential;
use patrimoine_core::slots::Kdf;
use patrimoine_core::DataDir;
use proptest::prelude::*;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::backup::{export, tree, CSV};
use crate::support::*;

const CORPUS_PASSWORD: &str = "corpus password";

fn corpus_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/backup-corpus")
}

#[derive(Serialize, Deserialize)]
struct Case {
    file: String,
    /// "password", "recovery", "wrong_password" or "wrong_recovery".
    credential: String,
    /// Expected error code, or "ok".
    expect: String,
    what: String,
}

/// The parts of a backup file.
struct Parts {
    header: Vec<u8>,
    mac: Vec<u8>,
    payload: Vec<u8>,
}

fn split(file: &[u8]) -> Parts {
    let hl = u32::from_be_bytes(file[12..16].try_into().unwrap()) as usize;
    Parts {
        header: file[16..16 + hl].to_vec(),
        mac: file[16 + hl + 32..16 + hl + 64].to_vec(),
        payload: file[16 + hl + 64..].to_vec(),
    }
}

/// Reassembles a file from a (possibly altered) header; the checksum is recomputed
/// when `fix_checksum` (a forger) and kept stale otherwise (accidental damage).
fn assemble(original: &[u8], header: &[u8], fix_checksum: bool) -> Vec<u8> {
    let p = split(original);
    let mut covered = original[..12].to_vec();
    covered.extend_from_slice(&(header.len() as u32).to_be_bytes());
    covered.extend_from_slice(header);
    let mut out = covered.clone();
    if fix_checksum {
        out.extend_from_slice(&Sha256::digest(&covered));
    } else {
        let hl = p.header.len();
        out.extend_from_slice(&original[16 + hl..16 + hl + 32]);
    }
    out.extend_from_slice(&p.mac);
    out.extend_from_slice(&p.payload);
    out
}

fn with_header(original: &[u8], fix_checksum: bool, change: impl FnOnce(&mut Header)) -> Vec<u8> {
    let p = split(original);
    let mut h: Header = serde_json::from_slice(&p.header).unwrap();
    assert_eq!(serde_json::to_vec(&h).unwrap(), p.header, "headers re-encode byte for byte");
    change(&mut h);
    assemble(original, &serde_json::to_vec(&h).unwrap(), fix_checksum)
}

fn payload_start(file: &[u8]) -> usize {
    16 + split(file).header.len() + 64
}

fn generate(dir: &Path) {
    let _ = std::fs::remove_dir_all(dir);
    std::fs::create_dir_all(dir).unwrap();
    // The good backup: a real profile with known data, password slot at the KDF floor.
    let t = tempfile::tempdir().unwrap();
    let dd = DataDir::open(t.path()).unwrap();
    let created = dd.create_profile("Corpus", CORPUS_PASSWORD, &opts(), None).unwrap();
    std::fs::write(dir.join("recovery-key.txt"), format!("{}\n", created.recovery_key.display().as_str())).unwrap();
    let s = created.session;
    s.vault().import_csv(CSV.as_bytes(), Default::default()).unwrap();
    let good_path = dir.join("good-v1.patrimoine-backup");
    s.export_backup(&good_path).unwrap();
    std::fs::remove_file(dir.join("good-v1.patrimoine-backup.sha256")).unwrap();
    std::fs::write(dir.join("good-v1.export.json"), serde_json::to_vec_pretty(&export(&s)).unwrap()).unwrap();
    drop(s);
    let good = std::fs::read(&good_path).unwrap();
    assert!(good.len() > CHUNK_SIZE + 1000 && good.len() < 2 * CHUNK_SIZE, "good-v1 has two chunks");

    // Bases with the same key and slots but chosen payload sizes.
    let parsed = format::read_header(&mut &good[..]).unwrap();
    let mk = parsed.header.unlock_with_password(CORPUS_PASSWORD).unwrap();
    let make = |len: usize| {
        let mut h = parsed.header.clone();
        h.plaintext_len = len as u64;
        let data: Vec<u8> = (0..len).map(|i| (i % 253) as u8).collect();
        let mut out = Vec::new();
        format::write(&h, &mk, &mut &data[..], &mut out).unwrap();
        out
    };
    let small = make(100);
    let multi = make(2 * CHUNK_SIZE + 10);

    let mut cases: Vec<Case> = vec![];
    let mut add = |name: &str, bytes: &[u8], credential: &str, expect: &str, what: &str| {
        std::fs::write(dir.join(format!("{name}.patrimoine-backup")), bytes).unwrap();
        cases.push(Case {
            file: format!("{name}.patrimoine-backup"),
            credential: credential.into(),
            expect: expect.into(),
            what: what.into(),
        });
    };
    let pw = "password";
    // Not a backup at all.
    add("empty", b"", pw, "not_a_backup", "empty file");
    add("text", b"date,institution,account\n2024-01-31,BNP,Courant\n", pw, "not_a_backup", "a CSV file");
    add("sqlite", b"SQLite format 3\0\x10\0\x01\x01\0@  \0\0\0\x01", pw, "not_a_backup", "a SQLite database");
    add("png", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR", pw, "not_a_backup", "a PNG image (same first byte)");
    // Truncations at every level.
    add("trunc-magic", &good[..4], pw, "backup_truncated", "cut inside the magic");
    add("trunc-preamble", &good[..12], pw, "backup_truncated", "cut inside the preamble");
    add("trunc-header", &good[..100], pw, "backup_truncated", "cut inside the header");
    let ps = payload_start(&good);
    add("trunc-checksum", &good[..ps - 50], pw, "backup_truncated", "cut inside the header checksum");
    add("trunc-mac", &good[..ps - 10], pw, "backup_truncated", "cut inside the header MAC");
    add("trunc-payload-start", &good[..ps], pw, "backup_truncated", "no payload at all");
    add("trunc-mid-chunk-0", &good[..ps + 1000], pw, "backup_truncated", "cut inside the first chunk");
    let b1 = ps + CHUNK_SIZE + TAG_LEN;
    add(
        "trunc-boundary-1",
        &good[..b1],
        pw,
        "backup_truncated",
        "cut at the first chunk boundary (final chunk missing)",
    );
    add("trunc-mid-final", &good[..b1 + 100], pw, "backup_truncated", "cut inside the final chunk");
    add("trunc-last-byte", &good[..good.len() - 1], pw, "backup_truncated", "last byte of the final tag missing");
    let mps = payload_start(&multi);
    let m1 = mps + CHUNK_SIZE + TAG_LEN;
    let m2 = m1 + CHUNK_SIZE + TAG_LEN;
    add("multi-trunc-boundary-2", &multi[..m2], pw, "backup_truncated", "three chunks, cut at the second boundary");
    add("multi-trunc-mid-chunk-1", &multi[..m1 + 5000], pw, "backup_truncated", "three chunks, cut inside the second");
    // Chunk order and count.
    let mut doubled = good.clone();
    doubled.extend_from_slice(&good[b1..]);
    add("final-doubled", &doubled, pw, "backup_damaged", "final chunk written twice");
    let mut swapped = multi[..mps].to_vec();
    swapped.extend_from_slice(&multi[m1..m2]);
    swapped.extend_from_slice(&multi[mps..m1]);
    swapped.extend_from_slice(&multi[m2..]);
    add("multi-swap-0-1", &swapped, pw, "backup_damaged", "first two chunks swapped");
    let mut dup = multi[..m1].to_vec();
    dup.extend_from_slice(&multi[mps..m1]);
    dup.extend_from_slice(&multi[m2..]);
    add("multi-chunk-0-repeated", &dup, pw, "backup_damaged", "first chunk repeated in place of the second");
    let mut trailing = good.clone();
    trailing.push(0);
    add("trailing-byte", &trailing, pw, "backup_damaged", "one byte after the final chunk");
    let mut trailing = good.clone();
    trailing.extend_from_slice(&[0x55; 1024]);
    add("trailing-kib", &trailing, pw, "backup_damaged", "1 KiB after the final chunk");
    // Tags and ciphertext.
    let flip = |bytes: &[u8], at: usize| {
        let mut b = bytes.to_vec();
        b[at] ^= 0x01;
        b
    };
    add("tag-chunk-0", &flip(&good, b1 - 1), pw, "backup_damaged", "tag of the first chunk altered");
    add("tag-final", &flip(&good, good.len() - 1), pw, "backup_damaged", "tag of the final chunk altered");
    add("ciphertext-chunk-0", &flip(&good, ps + 10), pw, "backup_damaged", "a ciphertext byte altered");
    add("multi-tag-chunk-1", &flip(&multi, m2 - 1), pw, "backup_damaged", "tag of the middle chunk altered");
    // Preamble.
    let mut major2 = small.clone();
    major2[9] = 2;
    add("major-2", &major2, pw, "backup_too_new", "format major version 2");
    let mut major0 = small.clone();
    major0[9] = 0;
    add("major-0", &major0, pw, "backup_damaged", "format major version 0");
    let mut minor = small.clone();
    minor[11] = 1;
    add("minor-altered", &minor, pw, "backup_damaged", "minor version changed (checksum covers it)");
    let mut hl0 = small.clone();
    hl0[12..16].copy_from_slice(&0u32.to_be_bytes());
    add("header-len-0", &hl0, pw, "backup_damaged", "header length 0");
    let mut hlmax = small.clone();
    hlmax[12..16].copy_from_slice(&u32::MAX.to_be_bytes());
    add("header-len-absurd", &hlmax, pw, "backup_damaged", "header length 4 GiB (over the 64 KiB cap)");
    let mut hl1 = small.clone();
    let hl = u32::from_be_bytes(hl1[12..16].try_into().unwrap());
    hl1[12..16].copy_from_slice(&(hl + 1).to_be_bytes());
    add("header-len-plus-1", &hl1, pw, "backup_damaged", "header length off by one");
    // Header checksum and MAC.
    let sp = 16 + split(&small).header.len();
    add("header-checksum", &flip(&small, sp + 3), pw, "backup_damaged", "header checksum altered");
    add("header-mac", &flip(&small, sp + 40), pw, "backup_damaged", "header MAC altered");
    // Each header field, accidental (stale checksum) and forged (checksum recomputed).
    add(
        "hdr-name-damaged",
        &with_header(&small, false, |h| h.profile_name = "Corpuz".into()),
        pw,
        "backup_damaged",
        "profile name altered, checksum stale",
    );
    let forged: Vec<(&str, Alter, &str, &str)> = vec![
        ("created_at", Box::new(|h| h.created_at += chrono::Duration::days(1)), pw, "backup_damaged"),
        ("app_version", Box::new(|h| h.app_version = "9.9.9".into()), pw, "backup_damaged"),
        ("profile_name", Box::new(|h| h.profile_name = "Mallory".into()), pw, "backup_damaged"),
        ("kind", Box::new(|h| h.kind = BackupKind::PreMigration), pw, "backup_damaged"),
        ("schema_older", Box::new(|h| h.schema_version = 1), pw, "backup_damaged"),
        ("schema_future", Box::new(|h| h.schema_version = 999), pw, "backup_too_new"),
        ("plaintext_len_bigger", Box::new(|h| h.plaintext_len += 1), pw, "backup_truncated"),
        ("plaintext_len_smaller", Box::new(|h| h.plaintext_len -= 1), pw, "backup_damaged"),
        ("plaintext_len_absurd", Box::new(|h| h.plaintext_len = 1 << 62), pw, "backup_damaged"),
        ("chunk_size", Box::new(|h| h.chunk_size = 1024), pw, "backup_damaged"),
        (
            "salt",
            Box::new(|h| {
                let first = if h.salt.starts_with('A') { "B" } else { "A" };
                h.salt = format!("{first}{}", &h.salt[1..]);
            }),
            pw,
            "backup_damaged",
        ),
        ("salt_short", Box::new(|h| h.salt = "AAAA".into()), pw, "backup_damaged"),
        ("key_check", Box::new(|h| h.key_check = "00".repeat(32)), pw, "backup_damaged"),
        ("profile_id", Box::new(|h| h.profile_id = "0000000000000000".into()), pw, "wrong_password"),
        ("profile_id_traversal", Box::new(|h| h.profile_id = "../../etc".into()), pw, "backup_damaged"),
        ("slots_empty", Box::new(|h| h.slots.clear()), pw, "backup_damaged"),
        ("password_slot_wrapped", Box::new(|h| alter_wrapped(h, true)), pw, "wrong_password"),
        ("recovery_slot_wrapped_by_password", Box::new(|h| alter_wrapped(h, false)), pw, "backup_damaged"),
        ("recovery_slot_wrapped", Box::new(|h| alter_wrapped(h, false)), "recovery", "wrong_recovery_key"),
        ("kdf_memory_over_cap", Box::new(|h| set_kdf(h, KdfParams::MAX.m_kib + 1, 3)), pw, "kdf_out_of_bounds"),
        ("kdf_passes_over_cap", Box::new(|h| set_kdf(h, KdfParams::MIN.m_kib, 1000)), pw, "kdf_out_of_bounds"),
        ("kdf_below_floor", Box::new(|h| set_kdf(h, 1024, 1)), pw, "kdf_out_of_bounds"),
        ("kdf_stronger", Box::new(|h| set_kdf(h, KdfParams::MIN.m_kib, 4)), pw, "wrong_password"),
    ];
    for (field, change, cred, expect) in forged {
        let bytes = with_header(&small, true, |h| change(h));
        add(&format!("hdr-{field}-forged"), &bytes, cred, expect, &format!("{field} altered, checksum recomputed"));
    }
    add("hdr-json-garbage", &assemble(&small, b"{\"created_at\": [", true), pw, "backup_damaged", "header not JSON");
    add("hdr-json-empty", &assemble(&small, b"{}", true), pw, "backup_damaged", "header without fields");
    // Credentials.
    for (credential, expect, what) in [
        ("wrong_password", "wrong_password", "good file, wrong password"),
        ("wrong_recovery", "wrong_recovery_key", "good file, wrong recovery key"),
        ("recovery", "ok", "format v1 by recovery key, must restore exactly forever"),
        ("password", "ok", "format v1 by password, must restore exactly forever"),
    ] {
        cases.push(Case {
            file: "good-v1.patrimoine-backup".into(),
            credential: credential.into(),
            expect: expect.into(),
            what: what.into(),
        });
    }
    std::fs::write(dir.join("cases.json"), serde_json::to_vec_pretty(&cases).unwrap()).unwrap();
    // The small base itself, for the bit-flip sweep.
    std::fs::write(dir.join("small-base.bin"), &small).unwrap();
}

/// A change made to a header by a forger.
type Alter = Box<dyn Fn(&mut Header)>;

fn alter_wrapped(h: &mut Header, password: bool) {
    use patrimoine_core::slots::SlotKind;
    let kind = if password { SlotKind::Password } else { SlotKind::Recovery };
    let slot = h.slots.iter_mut().find(|s| s.kind == kind).unwrap();
    let mut c: Vec<char> = slot.wrapped.chars().collect();
    c[20] = if c[20] == 'A' { 'B' } else { 'A' };
    slot.wrapped = c.into_iter().collect();
}

fn set_kdf(h: &mut Header, m_kib: u32, t: u32) {
    for s in &mut h.slots {
        if let Kdf::Argon2id { params, .. } = &mut s.kdf {
            params.m_kib = m_kib;
            params.t = t;
        }
    }
}

fn recovery_key() -> RecoveryKey {
    RecoveryKey::parse(&std::fs::read_to_string(corpus_dir().join("recovery-key.txt")).unwrap()).unwrap()
}

#[test]
fn every_corpus_file_is_refused_with_its_code_and_writes_nothing() {
    let dir = corpus_dir();
    if std::env::var_os("PATRIMOINE_REGEN_CORPUS").is_some_and(|v| v == "1") {
        generate(&dir);
    }
    let cases: Vec<Case> = serde_json::from_slice(&std::fs::read(dir.join("cases.json")).unwrap()).unwrap();
    let files = std::fs::read_dir(&dir)
        .unwrap()
        .filter(|e| e.as_ref().unwrap().path().extension().is_some_and(|x| x == "patrimoine-backup"));
    assert!(files.count() >= 40, "at least 40 files in the corpus");
    let rk = recovery_key();
    let wrong_rk = RecoveryKey::generate();
    let expected_export = without_schema_version(
        serde_json::from_slice(&std::fs::read(dir.join("good-v1.export.json")).unwrap()).unwrap(),
    );
    let mut failures = vec![];
    for case in &cases {
        let path = dir.join(&case.file);
        let credential = match case.credential.as_str() {
            "password" => Credential::Password(CORPUS_PASSWORD),
            "wrong_password" => Credential::Password("not the corpus password"),
            "recovery" => Credential::RecoveryKey(&rk),
            "wrong_recovery" => Credential::RecoveryKey(&wrong_rk),
            other => panic!("unknown credential {other}"),
        };
        let t = tempfile::tempdir().unwrap();
        let dd = DataDir::open(t.path()).unwrap();
        let before = tree(t.path());
        let req = restore_request(credential);
        match (dd.restore(&path, &req), case.expect.as_str()) {
            (Ok(restored), "ok") => {
                if without_schema_version(export(&restored.session)) != expected_export {
                    failures.push(format!("{}: restored data differs", case.file));
                }
            }
            (Ok(_), expect) => failures.push(format!("{}: restored, expected {expect}", case.file)),
            (Err(e), expect) => {
                if e.code() != expect {
                    failures.push(format!("{} ({}): got {} ({e}), expected {expect}", case.file, case.what, e.code()));
                }
                if tree(t.path()) != before {
                    failures.push(format!("{}: something was written to the data dir", case.file));
                }
                // Verifying and previewing give the same answer and write nothing either.
                let again = dd.verify_backup(&path, &req.credential).err().map(|e| e.code().to_owned());
                if again.as_deref() != Some(expect) {
                    failures.push(format!("{}: verify gave {again:?}", case.file));
                }
                if tree(t.path()).iter().any(|(p, _)| !p.starts_with(t.path().join("tmp"))) {
                    failures.push(format!("{}: verify wrote outside its scratch folder", case.file));
                }
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// An export without its schema version: a backup restored by a later version is
/// migrated, and only its data must be the same.
fn without_schema_version(mut export: serde_json::Value) -> serde_json::Value {
    export.as_object_mut().expect("an export is an object").remove("schema_version");
    export
}

/// Opens a file with the recovery key through every layer (fast: HKDF, no Argon2id).
fn open_with_recovery_key(file: &[u8], rk: &RecoveryKey) -> Result<Vec<u8>, String> {
    let mut r = file;
    let parsed = format::read_header(&mut r).map_err(|e| format!("{e:?}"))?;
    if parsed.expected_file_len() != file.len() as u64 {
        return Err("length".into());
    }
    let mk = parsed.header.unlock_with_recovery_key(rk).map_err(|e| e.to_string())?;
    let keys = format::authenticate(&parsed, &mk).map_err(|e| e.to_string())?;
    let mut out = Vec::new();
    format::decrypt_payload(&parsed, &keys, &mut r, &mut out).map_err(|e| format!("{e:?}"))?;
    Ok(out)
}

#[test]
fn every_single_bit_flip_of_a_small_backup_is_rejected() {
    let small = std::fs::read(corpus_dir().join("small-base.bin")).unwrap();
    let rk = recovery_key();
    let plain = open_with_recovery_key(&small, &rk).unwrap();
    assert_eq!(plain.len(), 100);
    let mut accepted = vec![];
    for byte in 0..small.len() {
        for bit in 0..8 {
            let mut b = small.clone();
            b[byte] ^= 1 << bit;
            if open_with_recovery_key(&b, &rk).is_ok() {
                accepted.push((byte, bit));
            }
        }
    }
    assert!(accepted.is_empty(), "flips accepted: {accepted:?}");
}

fn test_header(mk: &SecretKey, len: u64) -> Header {
    let good = std::fs::read(corpus_dir().join("small-base.bin")).unwrap();
    let mut h = format::read_header(&mut &good[..]).unwrap().header;
    h.plaintext_len = len;
    h.key_check = hex::encode(mk.key_check());
    h
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn any_payload_round_trips(len in 0usize..200_000, seed in any::<u8>()) {
        let mk = SecretKey::from_bytes([seed; 32]);
        let data: Vec<u8> = (0..len).map(|i| (i as u8).wrapping_mul(seed | 1)).collect();
        let h = test_header(&mk, len as u64);
        let mut file = Vec::new();
        format::write(&h, &mk, &mut &data[..], &mut file).unwrap();
        let mut r = &file[..];
        let parsed = format::read_header(&mut r).unwrap();
        prop_assert_eq!(parsed.expected_file_len(), file.len() as u64);
        let keys = format::authenticate(&parsed, &mk).unwrap();
        let mut out = Vec::new();
        format::decrypt_payload(&parsed, &keys, &mut r, &mut out).unwrap();
        prop_assert_eq!(out, data);
    }

    #[test]
    fn any_truncation_is_reported_as_truncation(len in 0usize..140_000, cut in any::<prop::sample::Index>()) {
        let mk = SecretKey::from_bytes([5; 32]);
        let data = vec![0xA5u8; len];
        let h = test_header(&mk, len as u64);
        let mut file = Vec::new();
        format::write(&h, &mk, &mut &data[..], &mut file).unwrap();
        let at = 1 + cut.index(file.len() - 1);
        let mut r = &file[..at];
        let result = format::read_header(&mut r).and_then(|parsed| {
            let keys = format::authenticate(&parsed, &mk).map_err(format::StreamError::Backup)?;
            format::decrypt_payload(&parsed, &keys, &mut r, &mut std::io::sink())
        });
        prop_assert!(matches!(result, Err(format::StreamError::Backup(patrimoine_core::error::BackupError::Truncated))), "cut at {at}: {result:?}");
    }
}

/// A frozen backup of format 1.1 (its snapshot checked when made: the daily backup's
/// and exports' format), written once by this version and committed: it must keep
/// restoring to exactly its data with its password and with its recovery key, in every
/// future version. `PATRIMOINE_REGEN_CORPUS=1` writes it only if it is missing.
#[test]
fn a_frozen_format_1_1_backup_keeps_restoring_exactly() {
    // Beside the corpus of bad files (each of which has a case in its cases.json).
    let dir = corpus_dir().with_file_name("good-backups");
    let file = dir.join("good-v1.1.patrimoine-backup");
    if !file.exists() && std::env::var_os("PATRIMOINE_REGEN_CORPUS").is_some_and(|v| v == "1") {
        let t = tempfile::tempdir().unwrap();
        let dd = DataDir::open(t.path()).unwrap();
        let created = dd.create_profile("Corpus 1.1", CORPUS_PASSWORD, &opts(), None).unwrap();
        let rk = created.recovery_key.display().as_str().to_owned();
        std::fs::write(dir.join("good-v1.1.recovery-key.txt"), format!("{rk}\n")).unwrap();
        let s = created.session;
        s.vault().import_csv(CSV.as_bytes(), Default::default()).unwrap();
        s.export_backup(&file).unwrap();
        std::fs::remove_file(dir.join("good-v1.1.patrimoine-backup.sha256")).unwrap();
        std::fs::write(dir.join("good-v1.1.export.json"), serde_json::to_vec_pretty(&export(&s)).unwrap()).unwrap();
    }
    let bytes = std::fs::read(&file).expect("the frozen 1.1 backup is committed");
    let parsed = format::read_header(&mut &bytes[..]).unwrap();
    assert_eq!(parsed.minor, 1, "format 1.1");
    assert!(parsed.header.snapshot_checked);
    let rk_text = std::fs::read_to_string(dir.join("good-v1.1.recovery-key.txt")).unwrap();
    let rk = RecoveryKey::parse(rk_text.trim()).unwrap();
    let want = without_schema_version(
        serde_json::from_slice(&std::fs::read(dir.join("good-v1.1.export.json")).unwrap()).unwrap(),
    );
    for credential in [Credential::Password(CORPUS_PASSWORD), Credential::RecoveryKey(&rk)] {
        let t = tempfile::tempdir().unwrap();
        let dd = DataDir::open(t.path()).unwrap();
        let req = restore_request(credential);
        let restored = dd.restore(&file, &req).unwrap();
        assert_eq!(
            without_schema_version(export(&restored.session)),
            want,
            "the 1.1 backup restores to exactly its data"
        );
    }
}
