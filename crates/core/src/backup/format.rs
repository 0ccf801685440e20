//! The backup file format, version 1 (spec and test vectors in `docs/backup-format.md`).
//! Pure: it encodes and parses headers and encrypts and decrypts the chunked payload
//! over `Read`/`Write`; it never touches the file system.
//!
//! ```text
//! preamble  magic (8) ‖ major u16 BE ‖ minor u16 BE ‖ header length u32 BE   16 bytes
//! header    JSON (≤ 64 KiB)
//! checksum  SHA-256(preamble ‖ header)                                       32 bytes
//! mac       HMAC-SHA256(K_header, preamble ‖ header)                          32 bytes
//! payload   AES-256-GCM chunks of 64 KiB under K_payload, nonce = counter ‖ last flag
//! ```
//! The unkeyed checksum tells accidental damage ("damaged") apart from a wrong
//! password before any key is tried, and lets `inspect` check a header without one.

use std::io::{Read, Write};

use aes_gcm::aead::{AeadInPlace, KeyInit};
use aes_gcm::{Aes256Gcm, Nonce, Tag};
use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use ts_rs::TS;

use crate::crypto::keys::{RecoveryKey, SecretKey};
use crate::error::{BackupError, KeyError};
use crate::unlock::slots::{Kdf, Slot, SlotKind};

/// The first eight bytes of every backup file. The high byte and the CR LF catch
/// transfers that mangle binary files, as PNG's signature does.
pub const MAGIC: [u8; 8] = *b"\x89PATBK\r\n";
/// Format major version this build writes and reads. A higher major is refused.
pub const MAJOR: u16 = 1;
/// Highest format minor version this build writes. Minor versions only add header
/// fields: 1.1 added `snapshot_checked`. A file is written with the lowest minor that
/// describes its header (1.0 when it uses no 1.1 field).
pub const MINOR: u16 = 1;
/// Length of the preamble (magic, versions, header length).
pub const PREAMBLE_LEN: usize = 16;
/// Largest header accepted, so a crafted length cannot make us allocate without bound.
pub const MAX_HEADER_LEN: u32 = 64 * 1024;
/// Plaintext bytes per chunk (every chunk but the last is full).
pub const CHUNK_SIZE: usize = 64 * 1024;
/// AES-GCM tag length.
pub const TAG_LEN: usize = 16;
/// Largest payload accepted (16 TiB).
pub const MAX_PLAINTEXT_LEN: u64 = 1 << 44;
/// Most key slots a header may carry (a password slot and a recovery slot).
pub const MAX_SLOTS: usize = 2;
/// Length of the per-file salt.
pub const SALT_LEN: usize = 32;

const INFO_HEADER: &[u8] = b"patrimoine backup v1 header mac";
const INFO_PAYLOAD: &[u8] = b"patrimoine backup v1 payload";

/// Why a backup was made.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum BackupKind {
    /// Asked for by the user ("Back up now", `backup create`).
    Manual,
    /// Made by the automatic policy (daily, on lock).
    Automatic,
    /// Made just before a schema migration of the vault.
    PreMigration,
    /// Exported to a file the user chose (e.g. a USB stick).
    Export,
}

/// The header: everything needed to recover the payload key from a password or the
/// recovery key, and to describe the backup without decrypting it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Header {
    /// When the snapshot was taken.
    pub created_at: DateTime<Utc>,
    /// Version of the app that wrote the file.
    pub app_version: String,
    /// Schema version of the vault inside.
    pub schema_version: i64,
    /// Profile id (lowercase hex); also the owner bound into the slots.
    pub profile_id: String,
    /// Profile display name when the backup was made.
    pub profile_name: String,
    /// Why the backup was made.
    pub kind: BackupKind,
    /// Exact length of the payload plaintext (the vault file).
    pub plaintext_len: u64,
    /// Plaintext bytes per chunk; always [`CHUNK_SIZE`] in v1.
    pub chunk_size: u32,
    /// Per-file salt for the header-MAC and payload keys, base64.
    pub salt: String,
    /// HMAC(master key, "patrimoine key-check v1"), hex: which master key this is.
    pub key_check: String,
    /// Copies of the profile's password and recovery slots; they wrap the master key.
    pub slots: Vec<Slot>,
    /// Format 1.1: the snapshot passed SQLite's `integrity_check` and
    /// `foreign_key_check` before it was encrypted. The header is authenticated and the
    /// payload bound to it, so a restore of such a file can rely on those checks instead
    /// of repeating them. Absent (false) in 1.0 files and when the snapshot was not checked.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub snapshot_checked: bool,
}

/// A parsed header with the bytes it was read from.
#[derive(Clone, Debug)]
pub struct Parsed {
    /// The header fields.
    pub header: Header,
    /// Minor format version found.
    pub minor: u16,
    /// Preamble ‖ header, as read (what the checksum and the MAC cover).
    pub covered: Vec<u8>,
    /// The header MAC as read.
    pub mac: [u8; 32],
}

impl Parsed {
    /// Offset of the first payload byte in the file.
    pub fn payload_offset(&self) -> u64 {
        self.covered.len() as u64 + 64
    }

    /// The exact file length this header announces.
    pub fn expected_file_len(&self) -> u64 {
        self.payload_offset() + payload_len(self.header.plaintext_len)
    }
}

/// Number of chunks for a plaintext length: at least one (an empty payload is one
/// empty final chunk).
pub fn chunk_count(plaintext_len: u64) -> u64 {
    plaintext_len.div_ceil(CHUNK_SIZE as u64).max(1)
}

/// Length of the encrypted payload for a plaintext length.
pub fn payload_len(plaintext_len: u64) -> u64 {
    plaintext_len + chunk_count(plaintext_len) * TAG_LEN as u64
}

/// The keys of one file, derived from the master key and the file's salt.
pub struct FileKeys {
    header: SecretKey,
    payload: SecretKey,
}

impl FileKeys {
    /// Derives both keys with HKDF-SHA256.
    pub fn derive(mk: &SecretKey, salt: &[u8]) -> FileKeys {
        FileKeys { header: mk.derive(salt, INFO_HEADER), payload: mk.derive(salt, INFO_PAYLOAD) }
    }

    /// The payload key (for the fuzz target and tests of the chunk layer).
    pub fn payload_key(&self) -> &SecretKey {
        &self.payload
    }
}

/// A failure while streaming: either the bytes are not a valid backup, or reading the
/// input or writing the output failed. Callers know which file each side is.
#[derive(Debug)]
pub enum StreamError {
    /// The backup bytes are invalid.
    Backup(BackupError),
    /// A key could not be recovered (wrong password, KDF parameters out of bounds...).
    Key(KeyError),
    /// Reading the input failed (other than by ending early).
    Read(std::io::Error),
    /// Writing the output failed.
    Write(std::io::Error),
}

impl From<BackupError> for StreamError {
    fn from(e: BackupError) -> Self {
        StreamError::Backup(e)
    }
}

impl From<KeyError> for StreamError {
    fn from(e: KeyError) -> Self {
        StreamError::Key(e)
    }
}

fn damaged(what: &str) -> BackupError {
    BackupError::Damaged(what.to_owned())
}

/// Reads exactly `buf.len()` bytes; an early end is a truncation.
fn read_exact(r: &mut (impl Read + ?Sized), buf: &mut [u8]) -> Result<(), StreamError> {
    r.read_exact(buf).map_err(|e| {
        if e.kind() == std::io::ErrorKind::UnexpectedEof {
            StreamError::Backup(BackupError::Truncated)
        } else {
            StreamError::Read(e)
        }
    })
}

/// Reads as many bytes as possible into `buf` (fewer only at the end of the input).
fn read_full(r: &mut (impl Read + ?Sized), buf: &mut [u8]) -> Result<usize, StreamError> {
    let mut n = 0;
    while n < buf.len() {
        match r.read(&mut buf[n..]) {
            Ok(0) => break,
            Ok(k) => n += k,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(StreamError::Read(e)),
        }
    }
    Ok(n)
}

fn is_profile_id(s: &str) -> bool {
    (1..=64).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

impl Header {
    /// Checks every field against the format's rules and caps.
    pub fn validate(&self) -> Result<(), StreamError> {
        if !is_profile_id(&self.profile_id) {
            return Err(damaged("profile id").into());
        }
        let name_ok = |s: &str, max: usize| !s.is_empty() && s.len() <= max && !s.chars().any(char::is_control);
        if !name_ok(&self.profile_name, 200) || !name_ok(&self.app_version, 64) {
            return Err(damaged("header text field").into());
        }
        if self.chunk_size as usize != CHUNK_SIZE {
            return Err(damaged("chunk size").into());
        }
        if self.plaintext_len > MAX_PLAINTEXT_LEN {
            return Err(damaged("payload length").into());
        }
        if self.schema_version < 1 {
            return Err(damaged("schema version").into());
        }
        if self.salt_bytes().is_none() {
            return Err(damaged("salt").into());
        }
        if self.key_check.len() != 64 || hex::decode(&self.key_check).is_err() {
            return Err(damaged("key check").into());
        }
        // A backup carries one password slot and one recovery slot: never more, so a
        // crafted file cannot make a password attempt run the KDF several times.
        let passwords = self.slots.iter().filter(|s| s.kind == SlotKind::Password).count();
        if self.slots.is_empty() || self.slots.len() > MAX_SLOTS || passwords > 1 {
            return Err(damaged("key slots").into());
        }
        for slot in &self.slots {
            if let Kdf::Argon2id { params, .. } = &slot.kdf {
                params.check_bounds()?;
            }
        }
        Ok(())
    }

    /// The per-file salt.
    pub fn salt_bytes(&self) -> Option<[u8; SALT_LEN]> {
        B64.decode(&self.salt).ok().and_then(|v| v.try_into().ok())
    }

    /// The minor version this header is written with: the lowest describing its fields.
    pub fn minor(&self) -> u16 {
        if self.snapshot_checked {
            1
        } else {
            0
        }
    }

    /// Encodes preamble ‖ header JSON.
    pub fn encode_covered(&self) -> Vec<u8> {
        let json = crate::durable::to_json(self);
        let mut out = Vec::with_capacity(PREAMBLE_LEN + json.len());
        out.extend_from_slice(&MAGIC);
        out.extend_from_slice(&MAJOR.to_be_bytes());
        out.extend_from_slice(&self.minor().to_be_bytes());
        out.extend_from_slice(&(json.len() as u32).to_be_bytes());
        out.extend_from_slice(&json);
        out
    }

    /// Tries a password on the password slots; runs the KDF once per password slot.
    pub fn unlock_with_password(&self, password: &str) -> Result<SecretKey, KeyError> {
        for slot in self.slots.iter().filter(|s| s.kind == SlotKind::Password) {
            if let Some(mk) = slot.open_password(&self.profile_id, password)? {
                return Ok(mk);
            }
        }
        Err(KeyError::WrongPassword)
    }

    /// Tries the recovery key on the recovery slots (HKDF: fast).
    pub fn unlock_with_recovery_key(&self, rk: &RecoveryKey) -> Result<SecretKey, KeyError> {
        self.slots
            .iter()
            .filter(|s| s.kind == SlotKind::Recovery)
            .find_map(|s| s.open_secret(&self.profile_id, rk.secret()))
            .ok_or(KeyError::WrongRecoveryKey)
    }
}

/// Reads and checks the preamble, the header and its checksum, without any key.
/// Errors: not a backup, too new, truncated, damaged, KDF parameters out of bounds.
pub fn read_header(r: &mut (impl Read + ?Sized)) -> Result<Parsed, StreamError> {
    let mut preamble = [0u8; PREAMBLE_LEN];
    let got = read_full(r, &mut preamble[..MAGIC.len()])?;
    if got == 0 || preamble[..got] != MAGIC[..got] {
        return Err(BackupError::NotABackup.into());
    }
    if got < MAGIC.len() {
        return Err(BackupError::Truncated.into());
    }
    read_exact(r, &mut preamble[MAGIC.len()..])?;
    let major = u16::from_be_bytes([preamble[8], preamble[9]]);
    let minor = u16::from_be_bytes([preamble[10], preamble[11]]);
    let header_len = u32::from_be_bytes([preamble[12], preamble[13], preamble[14], preamble[15]]);
    if major > MAJOR {
        return Err(BackupError::TooNew { what: format!("file format {major}") }.into());
    }
    if major == 0 {
        return Err(damaged("format version").into());
    }
    if header_len == 0 || header_len > MAX_HEADER_LEN {
        return Err(damaged("header length").into());
    }
    let mut covered = Vec::with_capacity(PREAMBLE_LEN + header_len as usize);
    covered.extend_from_slice(&preamble);
    covered.resize(PREAMBLE_LEN + header_len as usize, 0);
    read_exact(r, &mut covered[PREAMBLE_LEN..])?;
    let mut checksum = [0u8; 32];
    read_exact(r, &mut checksum)?;
    let mut mac = [0u8; 32];
    read_exact(r, &mut mac)?;
    if Sha256::digest(&covered).as_slice() != checksum {
        return Err(damaged("header checksum").into());
    }
    let header: Header =
        serde_json::from_slice(&covered[PREAMBLE_LEN..]).map_err(|_| StreamError::Backup(damaged("header")))?;
    header.validate()?;
    Ok(Parsed { header, minor, covered, mac })
}

/// Checks that `mk` is the file's master key and that the header is authentic.
pub fn authenticate(parsed: &Parsed, mk: &SecretKey) -> Result<FileKeys, BackupError> {
    if hex::encode(mk.key_check()) != parsed.header.key_check {
        return Err(damaged("key check"));
    }
    let salt = parsed.header.salt_bytes().ok_or_else(|| damaged("salt"))?;
    let keys = FileKeys::derive(mk, &salt);
    let expected = keys.header.mac(&parsed.covered);
    // Constant-time comparison: the MAC is a secret-dependent value.
    let diff = expected.iter().zip(parsed.mac.iter()).fold(0u8, |acc, (a, b)| acc | (a ^ b));
    if diff != 0 {
        return Err(damaged("header authentication"));
    }
    Ok(keys)
}

fn nonce(counter: u64, last: bool) -> [u8; 12] {
    let mut n = [0u8; 12];
    // 11-byte big-endian counter; a u64 fills its low 8 bytes.
    n[3..11].copy_from_slice(&counter.to_be_bytes());
    n[11] = u8::from(last);
    n
}

/// Writes a whole backup: preamble, header, checksum, MAC, then exactly
/// `header.plaintext_len` bytes read from `plaintext`, encrypted in chunks.
/// Memory use is one chunk, whatever the size.
pub fn write(
    header: &Header,
    mk: &SecretKey,
    plaintext: &mut (impl Read + ?Sized),
    out: &mut (impl Write + ?Sized),
) -> Result<(), StreamError> {
    header.validate()?;
    let salt = header.salt_bytes().ok_or_else(|| damaged("salt"))?;
    let keys = FileKeys::derive(mk, &salt);
    let covered = header.encode_covered();
    out.write_all(&covered).map_err(StreamError::Write)?;
    out.write_all(&Sha256::digest(&covered)).map_err(StreamError::Write)?;
    out.write_all(&keys.header.mac(&covered)).map_err(StreamError::Write)?;
    encrypt_chunks(&keys.payload, header.plaintext_len, plaintext, out)
}

/// Encrypts exactly `len` bytes from `plaintext` as STREAM chunks. Fails if the input
/// ends early or has more bytes than announced.
pub fn encrypt_chunks(
    key: &SecretKey,
    len: u64,
    plaintext: &mut (impl Read + ?Sized),
    out: &mut (impl Write + ?Sized),
) -> Result<(), StreamError> {
    #[allow(clippy::expect_used)] // invariant: a Key is 32 bytes by construction
    let cipher = Aes256Gcm::new_from_slice(key.expose()).expect("key is 32 bytes");
    let chunks = chunk_count(len);
    let mut buf = vec![0u8; CHUNK_SIZE + TAG_LEN];
    let mut remaining = len;
    for i in 0..chunks {
        let last = i + 1 == chunks;
        let n = remaining.min(CHUNK_SIZE as u64) as usize;
        let got = read_full(plaintext, &mut buf[..n])?;
        if got < n {
            return Err(StreamError::Read(std::io::Error::new(
                std::io::ErrorKind::UnexpectedEof,
                "the data to back up is shorter than announced",
            )));
        }
        remaining -= n as u64;
        #[allow(clippy::expect_used)] // invariant: a chunk is far below AES-GCM's 64 GiB limit
        let tag = cipher
            .encrypt_in_place_detached(Nonce::from_slice(&nonce(i, last)), b"", &mut buf[..n])
            .expect("AES-GCM encryption of one chunk cannot fail");
        buf[n..n + TAG_LEN].copy_from_slice(&tag);
        out.write_all(&buf[..n + TAG_LEN]).map_err(StreamError::Write)?;
    }
    let mut probe = [0u8; 1];
    if read_full(plaintext, &mut probe)? != 0 {
        return Err(StreamError::Read(std::io::Error::other("the data to back up is longer than announced")));
    }
    Ok(())
}

/// Decrypts the payload that follows a parsed header, writing exactly
/// `plaintext_len` bytes to `out` (pass [`std::io::sink`] to verify only). Detects
/// truncation, reordering, a missing or repeated final chunk, trailing bytes and any
/// altered byte. Returns the number of plaintext bytes.
pub fn decrypt_payload(
    parsed: &Parsed,
    keys: &FileKeys,
    input: &mut (impl Read + ?Sized),
    out: &mut (impl Write + ?Sized),
) -> Result<u64, StreamError> {
    decrypt_chunks(&keys.payload, parsed.header.plaintext_len, input, out)
}

/// The chunk layer of [`decrypt_payload`].
pub fn decrypt_chunks(
    key: &SecretKey,
    len: u64,
    input: &mut (impl Read + ?Sized),
    out: &mut (impl Write + ?Sized),
) -> Result<u64, StreamError> {
    #[allow(clippy::expect_used)] // invariant: a Key is 32 bytes by construction
    let cipher = Aes256Gcm::new_from_slice(key.expose()).expect("key is 32 bytes");
    let chunks = chunk_count(len);
    let mut buf = vec![0u8; CHUNK_SIZE + TAG_LEN];
    let mut remaining = len;
    for i in 0..chunks {
        let last = i + 1 == chunks;
        let n = remaining.min(CHUNK_SIZE as u64) as usize;
        read_exact(input, &mut buf[..n + TAG_LEN])?;
        let (data, tag) = buf[..n + TAG_LEN].split_at_mut(n);
        cipher
            .decrypt_in_place_detached(Nonce::from_slice(&nonce(i, last)), b"", data, Tag::from_slice(tag))
            .map_err(|_| StreamError::Backup(BackupError::Damaged(format!("chunk {i} fails authentication"))))?;
        out.write_all(data).map_err(StreamError::Write)?;
        remaining -= n as u64;
    }
    let mut probe = [0u8; 1];
    if read_full(input, &mut probe)? != 0 {
        return Err(damaged("data after the final chunk").into());
    }
    Ok(len)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::crypto::keys::KdfParams;

    pub(crate) fn sample_header(mk: &SecretKey, len: u64) -> Header {
        let rk = RecoveryKey::generate();
        Header {
            created_at: "2026-01-01T00:00:00Z".parse().unwrap(),
            app_version: "0.1.0".into(),
            schema_version: 2,
            profile_id: "0123456789abcdef".into(),
            profile_name: "Test".into(),
            kind: BackupKind::Manual,
            plaintext_len: len,
            chunk_size: CHUNK_SIZE as u32,
            salt: B64.encode([7u8; SALT_LEN]),
            key_check: hex::encode(mk.key_check()),
            slots: vec![Slot::recovery("0123456789abcdef", 2, &rk, mk)],
            snapshot_checked: false,
        }
    }

    fn encode(mk: &SecretKey, data: &[u8]) -> Vec<u8> {
        let h = sample_header(mk, data.len() as u64);
        let mut out = Vec::new();
        write(&h, mk, &mut &data[..], &mut out).unwrap();
        out
    }

    fn decode(mk: &SecretKey, file: &[u8]) -> Result<Vec<u8>, StreamError> {
        let mut r = file;
        let parsed = read_header(&mut r)?;
        let keys = authenticate(&parsed, mk)?;
        let mut out = Vec::new();
        decrypt_payload(&parsed, &keys, &mut r, &mut out)?;
        Ok(out)
    }

    fn code(e: StreamError) -> String {
        match e {
            StreamError::Backup(b) => crate::Error::Backup(b).code().to_owned(),
            StreamError::Key(k) => crate::Error::Key(k).code().to_owned(),
            StreamError::Read(e) | StreamError::Write(e) => format!("io: {e}"),
        }
    }

    #[test]
    fn round_trips_at_chunk_edges() {
        let mk = SecretKey::from_bytes([1; 32]);
        for len in [0, 1, 100, CHUNK_SIZE - 1, CHUNK_SIZE, CHUNK_SIZE + 1, 3 * CHUNK_SIZE, 3 * CHUNK_SIZE + 7] {
            let data: Vec<u8> = (0..len).map(|i| (i * 31 % 251) as u8).collect();
            let file = encode(&mk, &data);
            let parsed = read_header(&mut &file[..]).unwrap();
            assert_eq!(parsed.expected_file_len(), file.len() as u64, "len {len}");
            assert_eq!(decode(&mk, &file).unwrap(), data, "len {len}");
        }
    }

    #[test]
    fn every_truncation_is_reported_as_truncation() {
        let mk = SecretKey::from_bytes([2; 32]);
        let data = vec![9u8; CHUNK_SIZE + 10];
        let file = encode(&mk, &data);
        let step = 97;
        for cut in (1..file.len()).step_by(step).chain([file.len() - 1, PREAMBLE_LEN, file.len() - 10 - TAG_LEN]) {
            let err = decode(&mk, &file[..cut]).err().unwrap();
            assert_eq!(code(err), "backup_truncated", "cut at {cut}");
        }
        assert_eq!(code(decode(&mk, &[]).err().unwrap()), "not_a_backup");
    }

    #[test]
    fn wrong_key_and_caps_are_refused() {
        let mk = SecretKey::from_bytes([3; 32]);
        let file = encode(&mk, b"hello");
        assert_eq!(code(decode(&SecretKey::from_bytes([4; 32]), &file).err().unwrap()), "backup_damaged");
        let mut h = sample_header(&mk, 5);
        h.slots = vec![Slot::password(&h.profile_id, 1, "a password", KdfParams::MIN, &mk).unwrap()];
        if let Kdf::Argon2id { params, .. } = &mut h.slots[0].kdf {
            params.m_kib = KdfParams::MAX.m_kib + 1;
        }
        let mut out = Vec::new();
        assert_eq!(code(write(&h, &mk, &mut &b"hello"[..], &mut out).err().unwrap()), "kdf_out_of_bounds");
    }

    #[test]
    fn header_mac_and_payload_keys_follow_the_spec() {
        let mk = SecretKey::from_bytes(std::array::from_fn(|i| i as u8));
        let keys = FileKeys::derive(&mk, &[7u8; SALT_LEN]);
        let mut one = Vec::new();
        encrypt_chunks(&keys.payload, 10, &mut &b"Patrimoine"[..], &mut one).unwrap();
        let big: Vec<u8> = (0..CHUNK_SIZE + 1).map(|i| (i % 256) as u8).collect();
        let mut two = Vec::new();
        encrypt_chunks(&keys.payload, big.len() as u64, &mut &big[..], &mut two).unwrap();
        // Values from docs/backup-format.md ("Test vectors").
        assert_eq!(
            [
                hex::encode(keys.header.expose()),
                hex::encode(keys.payload.expose()),
                hex::encode(&one),
                hex::encode(Sha256::digest(&two))
            ],
            [VECTOR_K_HEADER, VECTOR_K_PAYLOAD, VECTOR_CHUNK, VECTOR_TWO_CHUNKS_SHA256]
        );
    }

    const VECTOR_K_HEADER: &str = "c5025469067bda5d2cb14f4f585f994e33c824d8ddd042a94cefa8439145b4b1";
    const VECTOR_K_PAYLOAD: &str = "04377b3b9fe4e48724cbed2a907e0310ebdf1ec1e65b4ab7da2859b4beb38d80";
    const VECTOR_CHUNK: &str = "a277834b43900c83285c6dc9f9393a6bdbfaab2d243ce289c1b9";
    const VECTOR_TWO_CHUNKS_SHA256: &str = "9e12073cefc1340ea5d4819cbf3920976c6769face81b4b3e119dcded1d6ca22";

    /// The whole-file vector of docs/backup-format.md: a fixed header (its slot is
    /// placeholder data: the format layer does not open slots) and plaintext "Patrimoine".
    pub(crate) fn vector_header() -> Header {
        Header {
            created_at: "2026-01-01T00:00:00Z".parse().unwrap(),
            app_version: "0.1.0".into(),
            schema_version: 2,
            profile_id: "0123456789abcdef".into(),
            profile_name: "Vector".into(),
            kind: BackupKind::Manual,
            plaintext_len: 10,
            chunk_size: CHUNK_SIZE as u32,
            salt: B64.encode([7u8; SALT_LEN]),
            key_check: hex::encode(SecretKey::from_bytes(std::array::from_fn(|i| i as u8)).key_check()),
            slots: vec![Slot {
                id: 2,
                kind: SlotKind::Recovery,
                kdf: Kdf::HkdfSha256 { salt: B64.encode([0u8; 16]) },
                wrapped: B64.encode([0u8; 60]),
                created_at: "2026-01-01T00:00:00Z".parse().unwrap(),
                aad: 1,
                recipient: None,
                ephemeral: None,
                mac: None,
            }],
            snapshot_checked: false,
        }
    }

    #[test]
    fn whole_file_vector() {
        let mk = SecretKey::from_bytes(std::array::from_fn(|i| i as u8));
        let mut file = Vec::new();
        write(&vector_header(), &mk, &mut &b"Patrimoine"[..], &mut file).unwrap();
        assert_eq!(
            &file[..16],
            &hex::decode(format!("{}00010000{:08x}", hex::encode(MAGIC), file.len() - 16 - 64 - 26)).unwrap()[..]
        );
        assert_eq!(hex::encode(&file[file.len() - 26..]), VECTOR_CHUNK);
        assert_eq!((file.len(), hex::encode(Sha256::digest(&file))), (VECTOR_FILE_LEN, VECTOR_FILE_SHA256.to_owned()));
        assert_eq!(decode(&mk, &file).unwrap(), b"Patrimoine");
    }

    const VECTOR_FILE_LEN: usize = 655;
    const VECTOR_FILE_SHA256: &str = "aa21d07b8e94eff12f4c8be8397c498a3488c73847455775bf67040f24c4d70a";
}
