//! The real OS keychain for "unlock with this device": Secret Service on Linux
//! (gnome-keyring, KWallet), Keychain on macOS, Credential Manager on Windows, through
//! `keyring` 3 with its platform backends enabled. Kept out of the core so the core
//! never links a keychain; the core only sees the `Keychain` trait.

use patrimoine_core::error::KeyError;
use patrimoine_core::keychain::Keychain;
use patrimoine_core::keys::{SecretKey, KEY_LEN};
use zeroize::Zeroizing;

/// The platform keychain, with entries under one service name.
pub struct OsKeychain {
    service: String,
}

impl OsKeychain {
    /// The app's keychain entries (service "patrimoine").
    pub fn new() -> OsKeychain {
        Self::with_service("patrimoine")
    }

    /// Entries under another service name (tests use a unique one).
    pub fn with_service(service: &str) -> OsKeychain {
        OsKeychain { service: service.to_owned() }
    }

    /// Whether the platform keychain answers, found without writing to it: a write to a
    /// locked keyring makes it ask for its password, which must not happen when the app
    /// merely starts. On Linux, a Secret Service is on the session bus and lists its
    /// collections; on macOS and Windows the keychain is part of the system. Enabling
    /// keychain unlock then runs the full self-test (write, read back, delete).
    pub fn reachable(&self) -> bool {
        #[cfg(target_os = "linux")]
        {
            use dbus_secret_service::{EncryptionType, SecretService};
            SecretService::connect(EncryptionType::Plain).and_then(|ss| ss.get_all_collections().map(|_| ())).is_ok()
        }
        #[cfg(not(target_os = "linux"))]
        {
            true
        }
    }

    fn entry(&self, profile_id: &str) -> Result<keyring::Entry, KeyError> {
        keyring::Entry::new(&self.service, profile_id).map_err(describe)
    }
}

impl Default for OsKeychain {
    fn default() -> Self {
        Self::new()
    }
}

fn describe(e: keyring::Error) -> KeyError {
    // The keyring error text names the backend failure, never the secret.
    KeyError::Keychain(e.to_string())
}

impl Keychain for OsKeychain {
    fn store(&self, profile_id: &str, secret: &SecretKey) -> Result<(), KeyError> {
        let hex = secret.to_hex();
        self.entry(profile_id)?.set_password(&hex).map_err(describe)
    }

    fn load(&self, profile_id: &str) -> Result<Option<SecretKey>, KeyError> {
        match self.entry(profile_id)?.get_password() {
            Ok(text) => {
                let text = Zeroizing::new(text);
                let bytes = Zeroizing::new(
                    hex::decode(text.trim()).map_err(|_| KeyError::Keychain("the keychain entry is damaged".into()))?,
                );
                let arr: [u8; KEY_LEN] = bytes
                    .as_slice()
                    .try_into()
                    .map_err(|_| KeyError::Keychain("the keychain entry is damaged".into()))?;
                Ok(Some(SecretKey::from_bytes(arr)))
            }
            Err(keyring::Error::NoEntry) => Ok(None),
            Err(e) => Err(describe(e)),
        }
    }

    fn delete(&self, profile_id: &str) -> Result<(), KeyError> {
        match self.entry(profile_id)?.delete_credential() {
            Ok(()) | Err(keyring::Error::NoEntry) => Ok(()),
            Err(e) => Err(describe(e)),
        }
    }
}
