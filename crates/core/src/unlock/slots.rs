//! The key-slot file: the vault's master key wrapped once per unlock method
//! (password, recovery key, OS keychain), plus the key-check value.
//!
//! Slot metadata (profile, slot id, kind, KDF parameters) is bound as associated data,
//! so nobody can swap in weaker parameters. The file is kept in two copies
//! (`keyslots.a.json`, `keyslots.b.json`) with a sequence number and a SHA-256
//! checksum, written one after the other; on load the newest valid copy wins and
//! repairs the other, as LUKS2 does with its two headers.

use std::path::Path;

use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::crypto::keys::{
    argon2id, hkdf_sha256, random_bytes, unwrap_key, wrap_key, KdfParams, RecoveryKey, SecretKey,
};
use crate::durable::write_atomic;
use crate::error::{Error, KeyError, Result};

/// How a slot's key-encryption key is obtained.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SlotKind {
    /// From the user's password with Argon2id.
    Password,
    /// From the recovery key with HKDF (it has full entropy).
    Recovery,
    /// From a random secret kept in the OS keychain, with HKDF.
    Keychain,
}

/// Key-derivation function and its parameters.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "alg", rename_all = "snake_case")]
pub enum Kdf {
    /// Argon2id over a password.
    Argon2id {
        /// Cost parameters.
        params: KdfParams,
        /// Salt, base64.
        salt: String,
    },
    /// HKDF-SHA256 over a high-entropy secret.
    HkdfSha256 {
        /// Salt, base64.
        salt: String,
    },
}

fn b64(bytes: &[u8]) -> String {
    B64.encode(bytes)
}

fn unb64(s: &str) -> Option<Vec<u8>> {
    B64.decode(s).ok()
}

/// One way to unwrap the master key.
///
/// Version 2 (every slot written now) is a *recipient* slot, as in age: the credential
/// derives an X25519 key pair (Argon2id of the password, or HKDF of the recovery key
/// or keychain secret, gives the secret scalar) and the master key is sealed to its
/// public key with a fresh ephemeral key. So the master key can be resealed to the
/// same credentials without them — which is what lets the app replace the master key
/// whenever a credential changes, without asking for the others. A per-slot MAC under
/// a key derived from the master key tells which slots (and public keys) are
/// authentic before any is resealed. Version 1 slots (earlier versions) wrap the
/// master key directly under a key derived from the credential; they still open, and
/// are rewritten as version 2 when they do. Spec: `docs/vault-format.md`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Slot {
    /// Slot number, unique within the file.
    pub id: u32,
    /// Unlock method.
    pub kind: SlotKind,
    /// Derivation of the credential's key (v1: the key-encryption key; v2: the X25519
    /// secret).
    pub kdf: Kdf,
    /// Nonce ‖ AES-256-GCM(master key) ‖ tag, base64.
    pub wrapped: String,
    /// When the slot was made.
    pub created_at: DateTime<Utc>,
    /// Slot version, which is also the encoding of the metadata bound as associated
    /// data: 2 ([`aad_v2`]) for every slot written now; 1 (absent from the JSON) for
    /// slots made by earlier versions ([`aad_v1`]).
    #[serde(default = "legacy_aad", skip_serializing_if = "is_legacy_aad")]
    pub aad: u8,
    /// Version 2: the credential's X25519 public key, base64.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recipient: Option<String>,
    /// Version 2: the ephemeral X25519 public key of this sealing, base64.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ephemeral: Option<String>,
    /// HMAC-SHA256 of the slot (its associated data and wrapped key) under a key
    /// derived from the master key it wraps, base64: proves the slot, its public key
    /// included, was made by someone holding the master key.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mac: Option<String>,
}

fn legacy_aad() -> u8 {
    1
}

fn is_legacy_aad(v: &u8) -> bool {
    *v == 1
}

/// The slot version new slots are written with.
const AAD_VERSION: u8 = 2;
/// HKDF info of a version-1 slot's key-encryption key from a high-entropy secret.
const INFO_KEK_V1: &[u8] = b"patrimoine slot kek v1";
/// HKDF info of a version-2 slot's X25519 secret from a high-entropy secret.
const INFO_SECRET_V2: &[u8] = b"patrimoine slot x25519 v2";
/// HKDF info of a version-2 slot's key-encryption key from the X25519 shared secret.
const INFO_KEK_V2: &[u8] = b"patrimoine slot kek v2";
/// HKDF info of the slot MAC key, derived from the master key.
const INFO_MAC: &[u8] = b"patrimoine slot mac v1";

impl SlotKind {
    fn as_str(self) -> &'static str {
        match self {
            SlotKind::Password => "password",
            SlotKind::Recovery => "recovery",
            SlotKind::Keychain => "keychain",
        }
    }

    fn code(self) -> u8 {
        match self {
            SlotKind::Password => 1,
            SlotKind::Recovery => 2,
            SlotKind::Keychain => 3,
        }
    }
}

/// The associated data of a version-1 slot: the JSON that earlier versions got from
/// `serde_json` (keys sorted, no spaces), written out here byte for byte so that no
/// serializer option can change it. Every string in it is lowercase hex, a fixed
/// word or standard base64, none of which JSON escapes. Spec: `docs/vault-format.md`.
pub fn aad_v1(owner: &str, id: u32, kind: SlotKind, kdf: &Kdf) -> Vec<u8> {
    let kdf = match kdf {
        Kdf::Argon2id { params, salt } => format!(
            r#"{{"alg":"argon2id","params":{{"m_kib":{},"p":{},"t":{}}},"salt":"{}"}}"#,
            params.m_kib,
            params.p,
            params.t,
            json_str(salt)
        ),
        Kdf::HkdfSha256 { salt } => format!(r#"{{"alg":"hkdf_sha256","salt":"{}"}}"#, json_str(salt)),
    };
    format!(r#"{{"kdf":{kdf},"kind":"{}","owner":"{}","slot":{id},"v":1}}"#, kind.as_str(), json_str(owner))
        .into_bytes()
}

/// A string as it appears inside JSON quotes (the escapes `serde_json` writes).
fn json_str(s: &str) -> String {
    serde_json::to_string(s).map(|q| q[1..q.len() - 1].to_owned()).unwrap_or_default()
}

/// Appends a length-prefixed byte string (u16 big-endian length).
fn put_bytes(out: &mut Vec<u8>, bytes: &[u8]) -> Option<()> {
    out.extend_from_slice(&u16::try_from(bytes.len()).ok()?.to_be_bytes());
    out.extend_from_slice(bytes);
    Some(())
}

/// The associated data of a version-2 slot: an explicit byte encoding of the slot's
/// metadata (spec and vector in `docs/vault-format.md`):
/// `"patrimoine slot v2" 0x00 ‖ u16 len ‖ owner ‖ u32 id ‖ u8 kind ‖ u8 kdf ‖
/// [u32 m_kib ‖ u32 t ‖ u32 p] ‖ u16 len ‖ salt ‖ u16 len ‖ recipient ‖ u16 len ‖
/// ephemeral`, integers big-endian.
pub fn aad_v2(owner: &str, id: u32, kind: SlotKind, kdf: &Kdf, recipient: &[u8], ephemeral: &[u8]) -> Option<Vec<u8>> {
    let mut out = b"patrimoine slot v2\0".to_vec();
    put_bytes(&mut out, owner.as_bytes())?;
    out.extend_from_slice(&id.to_be_bytes());
    out.push(kind.code());
    let salt = match kdf {
        Kdf::Argon2id { params, salt } => {
            out.push(1);
            for v in [params.m_kib, params.t, params.p] {
                out.extend_from_slice(&v.to_be_bytes());
            }
            salt
        }
        Kdf::HkdfSha256 { salt } => {
            out.push(2);
            salt
        }
    };
    put_bytes(&mut out, &unb64(salt)?)?;
    put_bytes(&mut out, recipient)?;
    put_bytes(&mut out, ephemeral)?;
    Some(out)
}

/// What a user's credential is, for a slot.
enum Credential<'a> {
    Password(&'a str),
    Secret(&'a SecretKey),
}

/// The X25519 key pair a credential derives for a version-2 slot.
struct Recipient {
    secret: x25519_dalek::StaticSecret,
    public: x25519_dalek::PublicKey,
}

impl Recipient {
    fn from_seed(seed: &SecretKey) -> Recipient {
        let secret = x25519_dalek::StaticSecret::from(*seed.expose());
        let public = x25519_dalek::PublicKey::from(&secret);
        Recipient { secret, public }
    }
}

/// The key-encryption key of a version-2 sealing: HKDF-SHA256 of the X25519 shared
/// secret, salted with ephemeral ‖ recipient. `None` for a shared secret of all zeros
/// (a low-order point someone put in a file).
fn kek_v2(shared: &x25519_dalek::SharedSecret, ephemeral: &[u8; 32], recipient: &[u8; 32]) -> Option<SecretKey> {
    if !shared.was_contributory() {
        return None;
    }
    let mut salt = [0u8; 64];
    salt[..32].copy_from_slice(ephemeral);
    salt[32..].copy_from_slice(recipient);
    Some(hkdf_sha256(shared.as_bytes(), &salt, INFO_KEK_V2))
}

fn key32(b64: Option<&String>) -> Option<[u8; 32]> {
    unb64(b64?)?.try_into().ok()
}

impl Slot {
    /// The associated data this slot is sealed with; `None` when its metadata cannot
    /// be encoded (a field out of range or missing: such a slot opens with nothing).
    fn aad(&self, owner: &str) -> Option<Vec<u8>> {
        match self.aad {
            1 => Some(aad_v1(owner, self.id, self.kind, &self.kdf)),
            AAD_VERSION => aad_v2(
                owner,
                self.id,
                self.kind,
                &self.kdf,
                &key32(self.recipient.as_ref())?,
                &key32(self.ephemeral.as_ref())?,
            ),
            _ => None,
        }
    }

    /// The bytes the slot MAC covers: a label, the associated data, the wrapped key.
    fn mac_input(&self, owner: &str) -> Option<Vec<u8>> {
        let mut out = b"patrimoine slot mac v1\0".to_vec();
        let aad = self.aad(owner)?;
        out.extend_from_slice(&u32::try_from(aad.len()).ok()?.to_be_bytes());
        out.extend_from_slice(&aad);
        let wrapped = unb64(&self.wrapped)?;
        out.extend_from_slice(&u32::try_from(wrapped.len()).ok()?.to_be_bytes());
        out.extend_from_slice(&wrapped);
        Some(out)
    }

    fn compute_mac(&self, owner: &str, mk: &SecretKey) -> Option<[u8; 32]> {
        Some(mk.derive(b"", INFO_MAC).mac(&self.mac_input(owner)?))
    }

    /// Whether this slot's MAC verifies under `mk`: it was made (public key included)
    /// by someone holding the master key, and may be resealed to a new one.
    pub fn authentic(&self, owner: &str, mk: &SecretKey) -> bool {
        let (Some(expected), Some(found)) = (self.compute_mac(owner, mk), self.mac.as_deref().and_then(unb64)) else {
            return false;
        };
        found.len() == 32 && expected.iter().zip(&found).fold(0u8, |acc, (a, b)| acc | (a ^ b)) == 0
    }

    /// Seals `mk` to a recipient: a fresh ephemeral key, the version-2 associated
    /// data, and the slot MAC under `mk`.
    fn seal_to(owner: &str, id: u32, kind: SlotKind, kdf: Kdf, recipient: &[u8; 32], mk: &SecretKey) -> Slot {
        let ephemeral_secret = x25519_dalek::StaticSecret::from(random_bytes::<32>());
        let ephemeral = *x25519_dalek::PublicKey::from(&ephemeral_secret).as_bytes();
        let shared = ephemeral_secret.diffie_hellman(&x25519_dalek::PublicKey::from(*recipient));
        let mut slot = Slot {
            id,
            kind,
            kdf,
            wrapped: String::new(),
            created_at: Utc::now(),
            aad: AAD_VERSION,
            recipient: Some(b64(recipient)),
            ephemeral: Some(b64(&ephemeral)),
            mac: None,
        };
        #[allow(clippy::expect_used)] // invariant: the slot was built just above
        let aad = slot.aad(owner).expect("a slot we make has an owner id, a 16-byte salt and 32-byte keys");
        // The recipient is a public key we derived or authenticated, never a low-order
        // point: the shared secret is contributory.
        #[allow(clippy::expect_used)] // invariant: see the comment above
        let kek = kek_v2(&shared, &ephemeral, recipient).expect("a key pair we made has a contributory shared secret");
        slot.wrapped = b64(&wrap_key(&kek, mk, &aad));
        slot.mac = slot.compute_mac(owner, mk).map(|m| b64(&m));
        slot
    }

    /// A password slot. `owner` names what the slot belongs to (profile or backup id).
    pub fn password(owner: &str, id: u32, password: &str, params: KdfParams, mk: &SecretKey) -> Result<Slot, KeyError> {
        Ok(Self::password_from(owner, id, &DerivedPassword::derive(password, params)?, mk))
    }

    /// A password slot from a key derived beforehand ([`DerivedPassword`]).
    pub fn password_from(owner: &str, id: u32, derived: &DerivedPassword, mk: &SecretKey) -> Slot {
        let kdf = Kdf::Argon2id { params: derived.params, salt: b64(&derived.salt) };
        let recipient = Recipient::from_seed(&derived.kek);
        Self::seal_to(owner, id, SlotKind::Password, kdf, recipient.public.as_bytes(), mk)
    }

    /// A slot opened by a high-entropy secret (recovery key or keychain secret).
    pub fn secret(owner: &str, id: u32, kind: SlotKind, secret: &SecretKey, mk: &SecretKey) -> Slot {
        let salt: [u8; 16] = random_bytes();
        let recipient = Recipient::from_seed(&hkdf_sha256(secret.expose(), &salt, INFO_SECRET_V2));
        Self::seal_to(owner, id, kind, Kdf::HkdfSha256 { salt: b64(&salt) }, recipient.public.as_bytes(), mk)
    }

    /// A recovery-key slot.
    pub fn recovery(owner: &str, id: u32, rk: &RecoveryKey, mk: &SecretKey) -> Slot {
        Self::secret(owner, id, SlotKind::Recovery, rk.secret(), mk)
    }

    /// This slot sealed to the same credential for a new master key, without the
    /// credential: `None` unless it is a version-2 slot whose MAC verifies under the
    /// current master key `mk` (only then is its public key known to be the
    /// credential's, and not one someone put in the file).
    pub fn resealed(&self, owner: &str, mk: &SecretKey, new_mk: &SecretKey) -> Option<Slot> {
        if self.aad != AAD_VERSION || !self.authentic(owner, mk) {
            return None;
        }
        let recipient = key32(self.recipient.as_ref())?;
        let mut next = Self::seal_to(owner, self.id, self.kind, self.kdf.clone(), &recipient, new_mk);
        next.created_at = self.created_at;
        Some(next)
    }

    /// Tries a password on this slot. `Ok(None)` means wrong password.
    pub fn open_password(&self, owner: &str, password: &str) -> Result<Option<SecretKey>, KeyError> {
        Ok(self.open_password_upgrading(owner, password)?.map(|o| o.mk))
    }

    /// [`Slot::open_password`], also giving the slot rewritten as an authentic
    /// version-2 slot when it is not one yet (the credential is at hand only now).
    pub fn open_password_upgrading(&self, owner: &str, password: &str) -> Result<Option<Opened>, KeyError> {
        self.open_with(owner, Credential::Password(password))
    }

    /// Tries a high-entropy secret on this slot. `None` means wrong secret.
    pub fn open_secret(&self, owner: &str, secret: &SecretKey) -> Option<SecretKey> {
        self.open_secret_upgrading(owner, secret).map(|o| o.mk)
    }

    /// [`Slot::open_secret`], with the upgraded slot as in [`Slot::open_password_upgrading`].
    pub fn open_secret_upgrading(&self, owner: &str, secret: &SecretKey) -> Option<Opened> {
        self.open_with(owner, Credential::Secret(secret)).ok().flatten()
    }

    fn open_with(&self, owner: &str, credential: Credential<'_>) -> Result<Option<Opened>, KeyError> {
        // What the credential derives with this slot's parameters: the password's
        // Argon2id output (v1: the key-encryption key; v2: the X25519 secret), or the
        // secret's HKDF output for the slot's version.
        let derived = match (&self.kdf, &credential) {
            (Kdf::Argon2id { params, salt }, Credential::Password(pw)) => {
                let salt = unb64(salt).ok_or(KeyError::SlotsCorrupt)?;
                argon2id(pw.as_bytes(), &salt, *params)?
            }
            (Kdf::HkdfSha256 { salt }, Credential::Secret(secret)) => {
                let Some(salt) = unb64(salt) else { return Ok(None) };
                hkdf_sha256(secret.expose(), &salt, if self.aad == 1 { INFO_KEK_V1 } else { INFO_SECRET_V2 })
            }
            _ => return Ok(None),
        };
        let Some(sealed) = unb64(&self.wrapped) else { return Ok(None) };
        let Some(aad) = self.aad(owner) else { return Ok(None) };
        if self.aad == 1 {
            let Some(mk) = unwrap_key(&derived, &sealed, &aad) else { return Ok(None) };
            // Rewritten as version 2: a password's Argon2id output is its X25519 secret
            // too; a secret's is derived again with the version-2 info.
            let seed = match credential {
                Credential::Password(_) => derived,
                Credential::Secret(secret) => {
                    let Kdf::HkdfSha256 { salt } = &self.kdf else { return Ok(None) };
                    hkdf_sha256(secret.expose(), &unb64(salt).unwrap_or_default(), INFO_SECRET_V2)
                }
            };
            let recipient = Recipient::from_seed(&seed);
            let mut next = Self::seal_to(owner, self.id, self.kind, self.kdf.clone(), recipient.public.as_bytes(), &mk);
            next.created_at = self.created_at;
            return Ok(Some(Opened { mk, upgraded: Some(next) }));
        }
        let recipient = Recipient::from_seed(&derived);
        let (Some(expected), Some(ephemeral)) = (key32(self.recipient.as_ref()), key32(self.ephemeral.as_ref())) else {
            return Ok(None);
        };
        // A wrong credential derives another public key: no AEAD attempt needed.
        if recipient.public.as_bytes() != &expected {
            return Ok(None);
        }
        let shared = recipient.secret.diffie_hellman(&x25519_dalek::PublicKey::from(ephemeral));
        let Some(kek) = kek_v2(&shared, &ephemeral, &expected) else { return Ok(None) };
        let Some(mk) = unwrap_key(&kek, &sealed, &aad) else { return Ok(None) };
        // A slot that opens but whose MAC does not verify (made by an older build of
        // this version, or its MAC stripped) is rewritten with one: the credential
        // just proved the public key.
        let upgraded = (!self.authentic(owner, &mk)).then(|| {
            let mut next = self.clone();
            next.mac = next.compute_mac(owner, &mk).map(|m| b64(&m));
            next
        });
        Ok(Some(Opened { mk, upgraded }))
    }
}

/// A slot that opened: the master key, and the slot rewritten as an authentic
/// version-2 slot when it was not one (to be written back).
pub struct Opened {
    /// The master key.
    pub mk: SecretKey,
    /// The slot as a version-2 slot with its MAC, when it was a version-1 slot or had
    /// no valid MAC.
    pub upgraded: Option<Slot>,
}

/// A password's Argon2id output with its fresh salt, derived before the slot is
/// sealed: the slow KDF can then run on a thread of its own while other work goes on
/// (a restore decrypts and checks the backup meanwhile). The key is wiped on drop.
pub struct DerivedPassword {
    params: KdfParams,
    salt: [u8; 16],
    kek: SecretKey,
}

impl DerivedPassword {
    /// Runs Argon2id on `password` with a new random salt.
    pub fn derive(password: &str, params: KdfParams) -> Result<DerivedPassword, KeyError> {
        let salt: [u8; 16] = random_bytes();
        Ok(DerivedPassword { params, salt, kek: argon2id(password.as_bytes(), &salt, params)? })
    }
}

/// The content of a key-slot file.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SlotFile {
    /// Format version of this file (1).
    pub format: u32,
    /// Profile id the slots belong to (bound into every slot).
    pub owner: String,
    /// Incremented on every write; the highest valid copy wins.
    pub seq: u64,
    /// HMAC(master key, "patrimoine key-check v1"), hex.
    pub key_check: String,
    /// The slots.
    pub slots: Vec<Slot>,
}

#[derive(Serialize, Deserialize)]
struct Envelope {
    sha256: String,
    body: SlotFile,
}

/// The two copies of the slot file in a profile folder.
pub(crate) const COPIES: [&str; 2] = ["keyslots.a.json", "keyslots.b.json"];

/// What loading found: which copies needed repair.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct LoadReport {
    /// Number of copies that were missing, damaged or stale and were rewritten.
    pub repaired: usize,
}

impl SlotFile {
    /// A new slot file for `owner` and the given master key.
    pub fn new(owner: &str, mk: &SecretKey) -> SlotFile {
        SlotFile {
            format: 1,
            owner: owner.to_owned(),
            seq: 0,
            key_check: hex::encode(mk.key_check()),
            slots: Vec::new(),
        }
    }

    /// Whether `mk` is the key this file was made for.
    pub fn key_matches(&self, mk: &SecretKey) -> bool {
        hex::encode(mk.key_check()) == self.key_check
    }

    /// The next free slot id.
    pub fn next_id(&self) -> u32 {
        self.slots.iter().map(|s| s.id + 1).max().unwrap_or(1)
    }

    /// Replaces every slot of `kind` with `slot` (or just removes them when `None`).
    pub fn replace(&mut self, kind: SlotKind, slot: Option<Slot>) {
        self.slots.retain(|s| s.kind != kind);
        self.slots.extend(slot);
    }

    /// Whether a slot of this kind exists.
    pub fn has(&self, kind: SlotKind) -> bool {
        self.slots.iter().any(|s| s.kind == kind)
    }

    /// Slots of one kind.
    pub fn of_kind(&self, kind: SlotKind) -> impl Iterator<Item = &Slot> {
        self.slots.iter().filter(move |s| s.kind == kind)
    }

    fn encode(&self) -> Vec<u8> {
        let body = crate::durable::to_json(self);
        let env = Envelope { sha256: hex::encode(Sha256::digest(&body)), body: self.clone() };
        crate::durable::to_json_pretty(&env)
    }

    fn decode(bytes: &[u8]) -> Option<SlotFile> {
        let env: Envelope = serde_json::from_slice(bytes).ok()?;
        let body = serde_json::to_vec(&env.body).ok()?;
        (hex::encode(Sha256::digest(&body)) == env.sha256 && env.body.format == 1).then_some(env.body)
    }

    /// Writes both copies, one after the other, with the next sequence number.
    pub fn store(&mut self, dir: &Path) -> Result<()> {
        self.seq += 1;
        let bytes = self.encode();
        for name in COPIES {
            write_atomic(&dir.join(name), &bytes)?;
        }
        Ok(())
    }

    /// Reads both copies; the newest valid one wins and is written over the other if
    /// that one is missing, damaged or older.
    pub fn load(dir: &Path) -> Result<(SlotFile, LoadReport)> {
        let copies: Vec<Option<SlotFile>> =
            COPIES.iter().map(|name| std::fs::read(dir.join(name)).ok().and_then(|b| SlotFile::decode(&b))).collect();
        let best = copies.iter().flatten().max_by_key(|f| f.seq).cloned();
        let Some(best) = best else {
            let any_present = COPIES.iter().any(|n| dir.join(n).exists());
            return Err(Error::Key(if any_present { KeyError::SlotsCorrupt } else { KeyError::SlotsMissing }));
        };
        let mut report = LoadReport::default();
        let bytes = best.encode();
        for (name, copy) in COPIES.iter().zip(&copies) {
            if copy.as_ref() != Some(&best) {
                write_atomic(&dir.join(name), &bytes)?;
                report.repaired += 1;
            }
        }
        Ok((best, report))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> (SlotFile, SecretKey) {
        let mk = SecretKey::generate();
        let mut f = SlotFile::new("p1", &mk);
        let rk = RecoveryKey::generate();
        f.slots.push(Slot::recovery("p1", 1, &rk, &mk));
        (f, mk)
    }

    #[test]
    fn a_damaged_copy_is_repaired_from_the_other() {
        let dir = tempfile::tempdir().unwrap();
        let (mut f, _) = sample();
        f.store(dir.path()).unwrap();
        let a = dir.path().join(COPIES[0]);
        let mut bytes = std::fs::read(&a).unwrap();
        let mid = bytes.len() / 2;
        bytes[mid] ^= 0x55;
        std::fs::write(&a, &bytes).unwrap();
        let (loaded, report) = SlotFile::load(dir.path()).unwrap();
        assert_eq!(loaded, f);
        assert_eq!(report.repaired, 1);
        assert_eq!(SlotFile::load(dir.path()).unwrap().1.repaired, 0);
    }

    #[test]
    fn newest_copy_wins_and_missing_copy_is_rewritten() {
        let dir = tempfile::tempdir().unwrap();
        let (mut f, _) = sample();
        f.store(dir.path()).unwrap();
        let old_b = std::fs::read(dir.path().join(COPIES[1])).unwrap();
        f.slots.clear();
        f.store(dir.path()).unwrap();
        // Simulate a crash between the two writes: b still holds the older version.
        std::fs::write(dir.path().join(COPIES[1]), old_b).unwrap();
        let (loaded, report) = SlotFile::load(dir.path()).unwrap();
        assert!(loaded.slots.is_empty());
        assert_eq!(report.repaired, 1);
        std::fs::remove_file(dir.path().join(COPIES[0])).unwrap();
        let (loaded, report) = SlotFile::load(dir.path()).unwrap();
        assert!(loaded.slots.is_empty());
        assert_eq!(report.repaired, 1);
    }

    #[test]
    fn both_copies_damaged_is_an_error() {
        let dir = tempfile::tempdir().unwrap();
        assert!(matches!(SlotFile::load(dir.path()), Err(Error::Key(KeyError::SlotsMissing))));
        for n in COPIES {
            std::fs::write(dir.path().join(n), b"{}").unwrap();
        }
        assert!(matches!(SlotFile::load(dir.path()), Err(Error::Key(KeyError::SlotsCorrupt))));
    }

    /// What versions before the explicit encoding bound as associated data.
    fn serde_aad(owner: &str, id: u32, kind: SlotKind, kdf: &Kdf) -> Vec<u8> {
        serde_json::to_vec(&serde_json::json!({ "v": 1, "owner": owner, "slot": id, "kind": kind, "kdf": kdf }))
            .unwrap()
    }

    #[test]
    fn version_1_associated_data_is_what_serde_json_wrote() {
        let argon = Kdf::Argon2id { params: KdfParams::MIN, salt: b64(&[7u8; 16]) };
        let hkdf = Kdf::HkdfSha256 { salt: b64(&[0xfb; 16]) };
        for (kind, kdf) in [(SlotKind::Password, &argon), (SlotKind::Recovery, &hkdf), (SlotKind::Keychain, &hkdf)] {
            assert_eq!(aad_v1("0123456789abcdef", 7, kind, kdf), serde_aad("0123456789abcdef", 7, kind, kdf));
        }
        assert_eq!(
            String::from_utf8(aad_v1("ab12", 1, SlotKind::Recovery, &hkdf)).unwrap(),
            r#"{"kdf":{"alg":"hkdf_sha256","salt":"+/v7+/v7+/v7+/v7+/v7+w=="},"kind":"recovery","owner":"ab12","slot":1,"v":1}"#
        );
    }

    #[test]
    fn version_2_associated_data_matches_the_spec_vector() {
        let kdf = Kdf::Argon2id { params: KdfParams { m_kib: 65536, t: 3, p: 1 }, salt: b64(&[0x11; 16]) };
        let aad = aad_v2("0123456789abcdef", 1, SlotKind::Password, &kdf, &[0x22; 32], &[0x33; 32]).unwrap();
        // Computed independently (Python's struct.pack) from the layout in the spec.
        assert_eq!(
            hex::encode(aad),
            "70617472696d6f696e6520736c6f7420763200\
             0010303132333435363738396162636465660000000101\
             01000100000000000300000001\
             001011111111111111111111111111111111\
             00202222222222222222222222222222222222222222222222222222222222222222\
             00203333333333333333333333333333333333333333333333333333333333333333"
        );
    }

    fn legacy_slot(mk: &SecretKey, secret: &SecretKey) -> Slot {
        let salt = [3u8; 16];
        let kdf = Kdf::HkdfSha256 { salt: b64(&salt) };
        let kek = hkdf_sha256(secret.expose(), &salt, b"patrimoine slot kek v1");
        let wrapped = wrap_key(&kek, mk, &serde_aad("p1", 2, SlotKind::Recovery, &kdf));
        Slot {
            id: 2,
            kind: SlotKind::Recovery,
            kdf,
            wrapped: b64(&wrapped),
            created_at: Utc::now(),
            aad: 1,
            recipient: None,
            ephemeral: None,
            mac: None,
        }
    }

    #[test]
    fn a_version_1_slot_opens_and_comes_back_upgraded() {
        let mk = SecretKey::generate();
        let secret = SecretKey::generate();
        let legacy = legacy_slot(&mk, &secret);
        let json = serde_json::to_string(&legacy).unwrap();
        assert!(!json.contains("\"aad\""), "a version-1 slot re-encodes as it was read: {json}");
        assert!(!legacy.authentic("p1", &mk), "a version-1 slot has no MAC: never resealed");
        assert!(legacy.resealed("p1", &mk, &SecretKey::generate()).is_none());
        let opened = legacy.open_secret_upgrading("p1", &secret).unwrap();
        assert_eq!(opened.mk.expose(), mk.expose());
        let upgraded = opened.upgraded.unwrap();
        assert_eq!(upgraded.aad, 2);
        assert!(upgraded.authentic("p1", &mk));
        assert!(serde_json::to_string(&upgraded).unwrap().contains("\"aad\":2"));
        let again = upgraded.open_secret_upgrading("p1", &secret).unwrap();
        assert_eq!(again.mk.expose(), mk.expose());
        assert!(again.upgraded.is_none());
        // The version is bound: a version-2 slot relabelled 1 (or 3) opens with nothing.
        for v in [1, 3] {
            let relabelled = Slot { aad: v, ..upgraded.clone() };
            assert!(relabelled.open_secret("p1", &secret).is_none());
        }
    }

    #[test]
    fn a_slot_is_resealed_for_a_new_master_key_without_its_credential() {
        let mk = SecretKey::generate();
        let rk = RecoveryKey::generate();
        let slot = Slot::recovery("p1", 2, &rk, &mk);
        let next_mk = SecretKey::generate();
        let next = slot.resealed("p1", &mk, &next_mk).unwrap();
        assert_eq!(next.recipient, slot.recipient);
        assert_ne!(next.ephemeral, slot.ephemeral);
        assert_eq!(next.open_secret("p1", rk.secret()).unwrap().expose(), next_mk.expose());
        assert!(next.authentic("p1", &next_mk));
        assert!(!next.authentic("p1", &mk), "the MAC follows the master key");
        // Someone who swaps in their own public key (and cannot forge the MAC) gets
        // nothing resealed to it.
        let theirs = RecoveryKey::generate();
        let mut forged = Slot::recovery("p1", 2, &theirs, &SecretKey::generate());
        forged.mac = slot.mac.clone();
        assert!(!forged.authentic("p1", &mk));
        assert!(forged.resealed("p1", &mk, &next_mk).is_none());
        let mut stripped = slot.clone();
        stripped.mac = None;
        assert!(stripped.resealed("p1", &mk, &next_mk).is_none());
        // ...but it still opens with its credential, and comes back with its MAC.
        let opened = stripped.open_secret_upgrading("p1", rk.secret()).unwrap();
        assert!(opened.upgraded.unwrap().authentic("p1", &mk));
    }

    #[test]
    fn a_password_slot_checks_its_public_key_before_any_aead() {
        let mk = SecretKey::generate();
        let slot = Slot::password("p1", 1, "a good password", KdfParams::MIN, &mk).unwrap();
        let mut other = slot.clone();
        other.recipient = Some(b64(&[9u8; 32]));
        assert!(other.open_password("p1", "a good password").unwrap().is_none());
        // A low-order ephemeral point gives an all-zero shared secret: refused.
        let mut low = slot.clone();
        low.ephemeral = Some(b64(&[0u8; 32]));
        assert!(low.open_password("p1", "a good password").unwrap().is_none());
    }

    #[test]
    fn weakened_kdf_parameters_do_not_unwrap() {
        let mk = SecretKey::generate();
        let slot = Slot::password("p1", 1, "a good password", KdfParams::MIN, &mk).unwrap();
        assert!(slot.open_password("p1", "a good password").unwrap().is_some());
        assert!(slot.open_password("p1", "wrong password").unwrap().is_none());
        assert!(slot.open_password("p2", "a good password").unwrap().is_none());
        let mut tampered = slot.clone();
        if let Kdf::Argon2id { params, .. } = &mut tampered.kdf {
            params.t += 1;
        }
        assert!(tampered.open_password("p1", "a good password").unwrap().is_none());
    }
}
