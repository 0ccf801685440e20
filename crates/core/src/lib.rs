//! Patrimoine's core: everything the app does, with no GUI, webview or keychain
//! dependency. See ARCHITECTURE.md for the map and for which module may use which
//! (checked by `tests/it/tidy.rs`).

pub mod error;
pub mod limits;
pub mod money;

pub mod crypto;
pub mod durable;
pub mod unlock;
pub mod vault;

pub mod analytics;
pub mod charts;
pub mod io;
pub mod wealth;

pub mod backup;
pub mod profile;
pub mod restore;

pub use error::{Error, Result};
pub use profile::{CreateOptions, DataDir, DeleteAuth, KdfChoice, ProfileInfo, Session};
pub use vault::Vault;

// The public API's short paths, used by the app, the CLI and the tests.
pub use analytics::performance;
pub use crypto::keys;
pub use io::{export, generate, import};
pub use profile::rotation;
pub use unlock::{keychain, slots, throttle};
pub use vault::{audit, migrations};
pub use wealth::{activities, dismemberment, fx, instruments, loan, loans, portfolio, values};
