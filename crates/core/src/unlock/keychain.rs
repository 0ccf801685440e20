//! The OS-keychain seam. The core only defines what it needs from a keychain; the
//! real implementation (Secret Service, macOS Keychain, Windows Credential Manager)
//! lives in the `patrimoine-keychain` crate so the core never links a keychain.

use crate::crypto::keys::SecretKey;
use crate::error::KeyError;

/// A place outside the vault that can hold one 256-bit secret per profile.
pub trait Keychain {
    /// Stores (or replaces) the secret for `profile_id`.
    fn store(&self, profile_id: &str, secret: &SecretKey) -> Result<(), KeyError>;
    /// Loads the secret for `profile_id`; `Ok(None)` when there is none.
    fn load(&self, profile_id: &str) -> Result<Option<SecretKey>, KeyError>;
    /// Deletes the secret for `profile_id`; succeeds when there is none.
    fn delete(&self, profile_id: &str) -> Result<(), KeyError>;

    /// Writes, reads back and deletes a throw-away secret, proving the keychain really
    /// persists secrets before the app offers keychain unlock.
    fn self_test(&self) -> Result<(), KeyError> {
        let probe_id = format!("self-test-{}", hex::encode(crate::crypto::keys::random_bytes::<4>()));
        let secret = SecretKey::generate();
        self.store(&probe_id, &secret)?;
        let back = self.load(&probe_id);
        let deleted = self.delete(&probe_id);
        match back? {
            Some(k) if k.expose() == secret.expose() => deleted,
            _ => Err(KeyError::Keychain("the keychain did not return the secret it was given".into())),
        }
    }
}
