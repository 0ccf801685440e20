//! Key material and the primitives that protect it: the vault's master key, the
//! recovery key and its printable form, Argon2id with calibration, HKDF, and
//! AES-256-GCM key wrapping.
//!
//! Every secret lives in a zeroizing buffer and its type implements neither `Clone`
//! nor `Debug`, so it cannot be copied around or printed by accident.

use std::time::{Duration, Instant};

use aes_gcm::aead::{Aead, KeyInit, Payload};
use aes_gcm::{Aes256Gcm, Nonce};
use hmac::{Hmac, Mac};
use rand::RngCore;
use serde::{Deserialize, Serialize};
use sha2::Sha256;
use zeroize::Zeroizing;

use crate::error::KeyError;

/// Length in bytes of every symmetric key we use.
pub const KEY_LEN: usize = 32;

/// Fills a fresh array with bytes from the operating system's CSPRNG.
pub fn random_bytes<const N: usize>() -> [u8; N] {
    let mut out = [0u8; N];
    rand::rngs::OsRng.fill_bytes(&mut out);
    out
}

/// A 256-bit symmetric key that is wiped from memory when dropped.
pub struct SecretKey(Zeroizing<[u8; KEY_LEN]>);

impl SecretKey {
    /// A new random key.
    pub fn generate() -> Self {
        let mut k = Zeroizing::new([0u8; KEY_LEN]);
        rand::rngs::OsRng.fill_bytes(k.as_mut());
        SecretKey(k)
    }

    /// Wraps existing bytes (the caller's copy should be zeroized by the caller).
    pub fn from_bytes(bytes: [u8; KEY_LEN]) -> Self {
        SecretKey(Zeroizing::new(bytes))
    }

    /// The raw bytes. Never log or persist them unwrapped.
    pub fn expose(&self) -> &[u8; KEY_LEN] {
        &self.0
    }

    /// Derives a sub-key with HKDF-SHA256.
    pub fn derive(&self, salt: &[u8], info: &[u8]) -> SecretKey {
        hkdf_sha256(self.expose(), salt, info)
    }

    /// HMAC-SHA256 of `data` under this key.
    pub fn mac(&self, data: &[u8]) -> [u8; 32] {
        #[allow(clippy::expect_used)] // invariant: HMAC takes a key of any length
        let mut m = <Hmac<Sha256> as Mac>::new_from_slice(self.expose()).expect("HMAC takes any key length");
        m.update(data);
        m.finalize().into_bytes().into()
    }

    /// The key-check value: tells a wrong key from a damaged database without
    /// revealing anything about the key.
    pub fn key_check(&self) -> [u8; 32] {
        self.mac(b"patrimoine key-check v1")
    }

    /// The key among `keys` whose key-check value (hex) is `check`: which of a profile's
    /// keys, today's or an older one, a backup header names.
    pub fn with_key_check<'a>(keys: impl IntoIterator<Item = &'a SecretKey>, check: &str) -> Option<&'a SecretKey> {
        keys.into_iter().find(|k| hex::encode(k.key_check()) == check)
    }

    /// The `PRAGMA key` statement that opens a SQLCipher database with this raw key.
    pub fn sqlcipher_pragma(&self) -> Zeroizing<String> {
        let hex = Zeroizing::new(hex::encode(self.expose()));
        Zeroizing::new(format!("PRAGMA key = \"x'{}'\";", hex.as_str()))
    }

    /// Hex form of the key, for the user's own data-portability export.
    pub fn to_hex(&self) -> Zeroizing<String> {
        Zeroizing::new(hex::encode(self.expose()))
    }
}

/// HKDF-SHA256 producing a 256-bit key.
pub fn hkdf_sha256(ikm: &[u8], salt: &[u8], info: &[u8]) -> SecretKey {
    let hk = hkdf::Hkdf::<Sha256>::new(Some(salt), ikm);
    let mut out = Zeroizing::new([0u8; KEY_LEN]);
    #[allow(clippy::expect_used)] // invariant: 32 bytes is a valid HKDF-SHA256 output length
    hk.expand(info, out.as_mut()).expect("32 bytes is a valid HKDF-SHA256 length");
    SecretKey(out)
}

/// Encrypts `plaintext` with AES-256-GCM under `key`, binding `aad`. Returns nonce ‖ ciphertext ‖ tag.
pub fn seal(key: &SecretKey, plaintext: &[u8], aad: &[u8]) -> Vec<u8> {
    #[allow(clippy::expect_used)] // invariant: a Key is 32 bytes by construction
    let cipher = Aes256Gcm::new_from_slice(key.expose()).expect("key is 32 bytes");
    let nonce: [u8; 12] = random_bytes();
    let mut out = nonce.to_vec();
    #[allow(clippy::expect_used)] // invariant: AES-GCM fails only beyond 64 GiB
    let ct = cipher
        .encrypt(Nonce::from_slice(&nonce), Payload { msg: plaintext, aad })
        .expect("AES-GCM encryption of a short message cannot fail");
    out.extend_from_slice(&ct);
    out
}

/// Reverses [`seal`]; `None` when the key or associated data is wrong or the bytes were altered.
pub fn open(key: &SecretKey, sealed: &[u8], aad: &[u8]) -> Option<Zeroizing<Vec<u8>>> {
    if sealed.len() < 12 + 16 {
        return None;
    }
    let cipher = Aes256Gcm::new_from_slice(key.expose()).ok()?;
    let (nonce, ct) = sealed.split_at(12);
    cipher.decrypt(Nonce::from_slice(nonce), Payload { msg: ct, aad }).ok().map(Zeroizing::new)
}

/// Wraps a key with [`seal`].
pub fn wrap_key(kek: &SecretKey, key: &SecretKey, aad: &[u8]) -> Vec<u8> {
    seal(kek, key.expose(), aad)
}

/// Unwraps a key sealed by [`wrap_key`].
pub fn unwrap_key(kek: &SecretKey, sealed: &[u8], aad: &[u8]) -> Option<SecretKey> {
    let plain = open(kek, sealed, aad)?;
    let bytes: [u8; KEY_LEN] = plain.as_slice().try_into().ok()?;
    Some(SecretKey::from_bytes(bytes))
}

/// Argon2id cost parameters, stored in each password slot.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct KdfParams {
    /// Memory in KiB.
    pub m_kib: u32,
    /// Passes.
    pub t: u32,
    /// Lanes.
    pub p: u32,
}

impl KdfParams {
    /// The floor: never less than 64 MiB and 3 passes.
    pub const MIN: KdfParams = KdfParams { m_kib: 64 * 1024, t: 3, p: 1 };
    /// Caps applied to parameters read from a file, so a crafted file cannot make us
    /// allocate or compute without bound: 1 GiB, 16 passes, 8 lanes, and at most
    /// [`KdfParams::MAX_WORK`] in all.
    pub const MAX: KdfParams = KdfParams { m_kib: 1024 * 1024, t: 16, p: 8 };
    /// The most memory × passes (KiB × passes) accepted: what the app's own most
    /// expensive calibration can choose (256 MiB × 16 passes), so no file accepted costs
    /// more than the slowest profile this app makes (a few seconds here), and a file
    /// asking for 1 GiB gets at most 4 passes.
    pub const MAX_WORK: u64 = 256 * 1024 * 16;

    /// Whether the parameters are within `[MIN, MAX]` and their work within
    /// [`KdfParams::MAX_WORK`]. Checked before any key derivation runs.
    pub fn check_bounds(&self) -> Result<(), KeyError> {
        let ok = (Self::MIN.m_kib..=Self::MAX.m_kib).contains(&self.m_kib)
            && (Self::MIN.t..=Self::MAX.t).contains(&self.t)
            && (1..=Self::MAX.p).contains(&self.p)
            && u64::from(self.m_kib) * u64::from(self.t) <= Self::MAX_WORK;
        if ok {
            Ok(())
        } else {
            Err(KeyError::KdfOutOfBounds)
        }
    }
}

/// Derives a 256-bit key from a password with Argon2id.
pub fn argon2id(password: &[u8], salt: &[u8], params: KdfParams) -> Result<SecretKey, KeyError> {
    params.check_bounds()?;
    let p =
        argon2::Params::new(params.m_kib, params.t, params.p, Some(KEY_LEN)).map_err(|_| KeyError::KdfOutOfBounds)?;
    let a = argon2::Argon2::new(argon2::Algorithm::Argon2id, argon2::Version::V0x13, p);
    let mut out = Zeroizing::new([0u8; KEY_LEN]);
    a.hash_password_into(password, salt, out.as_mut()).map_err(|_| KeyError::KdfOutOfBounds)?;
    Ok(SecretKey(out))
}

/// Picks Argon2id parameters that take about `target` on this machine, never below
/// [`KdfParams::MIN`]. Memory grows first (up to 256 MiB), then passes.
pub fn calibrate(target: Duration) -> KdfParams {
    let probe = KdfParams::MIN;
    let salt = [0u8; 16];
    let started = Instant::now();
    let _ = argon2id(b"calibration", &salt, probe);
    let probe_time = started.elapsed().max(Duration::from_millis(1));
    if probe_time >= target {
        return probe;
    }
    let ratio = target.as_secs_f64() / probe_time.as_secs_f64();
    // Cost is roughly proportional to m × t.
    let max_m = 256 * 1024;
    let m = ((probe.m_kib as f64) * ratio).min(max_m as f64) as u32;
    let m = m.max(probe.m_kib);
    let remaining = ratio * probe.m_kib as f64 / m as f64;
    let t = ((probe.t as f64) * remaining).round() as u32;
    KdfParams { m_kib: m, t: t.clamp(probe.t, KdfParams::MAX.t), p: 1 }
}

/// The recovery key: 256 random bits shown once to the user as 8 groups of 8
/// Crockford base32 characters. Each group carries 4 bytes of key and a CRC-8 byte, so
/// a mistyped character is always detected and its group named.
pub struct RecoveryKey(SecretKey);

const RK_GROUPS: usize = 8;

/// CRC-8 (polynomial x⁸+x²+x+1) of a group's 4 key bytes, seeded with the group's
/// number. A group is 40 bits (32 key bits then the 8 CRC bits) written as 8 base32
/// characters of 5 consecutive bits; a CRC of degree 8 detects every error burst of
/// at most 8 bits, so any single mistyped character is always detected.
fn group_checksum(index: usize, data: &[u8]) -> u8 {
    let mut crc = index as u8;
    for &b in data {
        crc ^= b;
        for _ in 0..8 {
            crc = if crc & 0x80 != 0 { (crc << 1) ^ 0x07 } else { crc << 1 };
        }
    }
    crc
}

impl RecoveryKey {
    /// A new random recovery key.
    pub fn generate() -> Self {
        RecoveryKey(SecretKey::generate())
    }

    /// The key bytes.
    pub fn secret(&self) -> &SecretKey {
        &self.0
    }

    /// The printable form, e.g. `7K3M9Q2A-...` (8 groups joined by dashes).
    pub fn display(&self) -> Zeroizing<String> {
        let mut out = Zeroizing::new(String::with_capacity(RK_GROUPS * 9));
        for (i, chunk) in self.0.expose().chunks(4).enumerate() {
            let mut block = Zeroizing::new([0u8; 5]);
            block[..4].copy_from_slice(chunk);
            block[4] = group_checksum(i, chunk);
            let enc = Zeroizing::new(base32::encode(base32::Alphabet::Crockford, block.as_ref()));
            if i > 0 {
                out.push('-');
            }
            out.push_str(&enc);
        }
        out
    }

    /// Parses the printable form. Case, spaces and dashes are ignored; `O` reads as 0,
    /// `I` and `L` as 1. A group failing its checksum is reported by number.
    pub fn parse(text: &str) -> Result<Self, KeyError> {
        let cleaned: Zeroizing<String> = Zeroizing::new(
            text.chars()
                .filter(|c| !c.is_whitespace() && *c != '-')
                .map(|c| match c.to_ascii_uppercase() {
                    'O' => '0',
                    'I' | 'L' => '1',
                    u => u,
                })
                .collect(),
        );
        if cleaned.len() != RK_GROUPS * 8 || !cleaned.is_ascii() {
            return Err(KeyError::RecoveryKeyFormat);
        }
        let mut key = Zeroizing::new([0u8; KEY_LEN]);
        for i in 0..RK_GROUPS {
            let group = &cleaned[i * 8..(i + 1) * 8];
            let block = base32::decode(base32::Alphabet::Crockford, group)
                .map(Zeroizing::new)
                .ok_or(KeyError::RecoveryKeyTypo { group: i + 1 })?;
            if block.len() != 5 || group_checksum(i, &block[..4]) != block[4] {
                return Err(KeyError::RecoveryKeyTypo { group: i + 1 });
            }
            key[i * 4..(i + 1) * 4].copy_from_slice(&block[..4]);
        }
        Ok(RecoveryKey(SecretKey::from_bytes(*key)))
    }
}

pub use crate::limits::MIN_PASSWORD_CHARS;

/// Refuses passwords shorter than [`MIN_PASSWORD_CHARS`].
pub fn check_password_strength(password: &str) -> Result<(), KeyError> {
    if password.chars().count() < MIN_PASSWORD_CHARS {
        Err(KeyError::WeakPassword { min: MIN_PASSWORD_CHARS })
    } else {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recovery_key_round_trips_and_names_the_mistyped_group() {
        const ALPHABET: &str = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
        for _ in 0..4 {
            let rk = RecoveryKey::generate();
            let shown = rk.display();
            assert_eq!(shown.len(), 8 * 8 + 7);
            let back = RecoveryKey::parse(&shown.to_lowercase()).unwrap();
            assert_eq!(back.secret().expose(), rk.secret().expose());
            // Every single-character substitution, in every position, is caught and
            // blamed on the right group.
            for pos in 0..shown.len() {
                if pos % 9 == 8 {
                    continue; // a dash
                }
                for c in ALPHABET.chars() {
                    let mut chars: Vec<char> = shown.chars().collect();
                    if chars[pos] == c {
                        continue;
                    }
                    chars[pos] = c;
                    let typo: String = chars.into_iter().collect();
                    match RecoveryKey::parse(&typo) {
                        Err(KeyError::RecoveryKeyTypo { group }) => assert_eq!(group, pos / 9 + 1),
                        Err(other) => panic!("unexpected error {other}"),
                        Ok(_) => panic!("typo at {pos} not detected"),
                    }
                }
            }
        }
        assert!(matches!(RecoveryKey::parse("ABCD"), Err(KeyError::RecoveryKeyFormat)));
    }

    #[test]
    fn wrapping_binds_associated_data() {
        let kek = SecretKey::generate();
        let mk = SecretKey::generate();
        let sealed = wrap_key(&kek, &mk, b"slot 1");
        assert_eq!(unwrap_key(&kek, &sealed, b"slot 1").unwrap().expose(), mk.expose());
        assert!(unwrap_key(&kek, &sealed, b"slot 2").is_none());
        assert!(unwrap_key(&SecretKey::generate(), &sealed, b"slot 1").is_none());
        let mut tampered = sealed.clone();
        tampered[20] ^= 1;
        assert!(unwrap_key(&kek, &tampered, b"slot 1").is_none());
    }

    #[test]
    fn kdf_bounds_are_enforced() {
        assert!(KdfParams { m_kib: 1024, t: 3, p: 1 }.check_bounds().is_err());
        assert!(KdfParams { m_kib: 65536, t: 2, p: 1 }.check_bounds().is_err());
        assert!(KdfParams { m_kib: u32::MAX, t: 3, p: 1 }.check_bounds().is_err());
        // Each cap on its own, and the work bound on parameters each within its cap.
        assert!(KdfParams { m_kib: 1024 * 1024 + 1, t: 3, p: 1 }.check_bounds().is_err());
        assert!(KdfParams { m_kib: 65536, t: 17, p: 1 }.check_bounds().is_err());
        assert!(KdfParams { m_kib: 65536, t: 3, p: 9 }.check_bounds().is_err());
        assert!(KdfParams { m_kib: 1024 * 1024, t: 5, p: 1 }.check_bounds().is_err());
        assert!(KdfParams { m_kib: 1024 * 1024, t: 4, p: 1 }.check_bounds().is_ok());
        assert!(KdfParams { m_kib: 256 * 1024, t: 16, p: 1 }.check_bounds().is_ok());
        assert!(KdfParams::MIN.check_bounds().is_ok());
        let a = argon2id(b"pw", b"0123456789abcdef", KdfParams::MIN).unwrap();
        let b = argon2id(b"pw", b"0123456789abcdef", KdfParams::MIN).unwrap();
        let c = argon2id(b"pX", b"0123456789abcdef", KdfParams::MIN).unwrap();
        assert_eq!(a.expose(), b.expose());
        assert_ne!(a.expose(), c.expose());
    }

    #[test]
    fn calibration_never_goes_below_the_floor() {
        let p = calibrate(Duration::from_millis(1));
        assert_eq!(p, KdfParams::MIN);
    }

    #[test]
    fn weak_passwords_are_refused() {
        assert!(check_password_strength("short").is_err());
        assert!(check_password_strength("long enough pass").is_ok());
    }
}
