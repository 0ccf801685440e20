//! Shared helpers: a temporary data directory and fast (floor-cost) key derivation.

use chrono::NaiveDate;
use patrimoine_core::keys::KdfParams;
use patrimoine_core::profile::NewProfile;
use patrimoine_core::restore::{Credential, RestoreRequest, Target};
use patrimoine_core::{CreateOptions, DataDir, KdfChoice};

pub const PASSWORD: &str = "correct horse battery staple";

pub fn fast() -> KdfChoice {
    KdfChoice::Fixed(KdfParams::MIN)
}

pub fn opts() -> CreateOptions {
    CreateOptions { base_currency: "EUR".into(), kdf: fast() }
}

pub fn data_dir() -> (tempfile::TempDir, DataDir) {
    let t = tempfile::tempdir().unwrap();
    let dd = DataDir::open(t.path().join("data")).unwrap();
    (t, dd)
}

pub fn create(dd: &DataDir, name: &str) -> NewProfile {
    dd.create_profile(name, PASSWORD, &opts(), None).unwrap()
}

pub fn d(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

pub fn dec(s: &str) -> rust_decimal::Decimal {
    s.parse().unwrap()
}

/// A restore with `credential` where the backup's profile goes (into it, or as a new
/// profile with a fixed new password), at the KDF floor.
pub fn restore_request(credential: Credential<'_>) -> RestoreRequest<'_> {
    RestoreRequest {
        credential,
        new_password: Some("a new password 123"),
        target: Target::Auto,
        admin: None,
        kdf: fast(),
    }
}
