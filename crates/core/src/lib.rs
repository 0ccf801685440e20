//! Patrimoine's core: everything the app does, with no GUI, webview or keychain
//! dependency. See ARCHITECTURE.md for the map.

pub mod audit;
pub mod backup;
pub mod durable;
pub mod error;
pub mod keychain;
pub mod keys;
pub mod limits;
pub mod migrations;
pub mod profile;
pub mod restore;
pub mod rotation;
pub mod slots;
pub mod throttle;
pub mod vault;

pub use error::{Error, Result};
pub use profile::{CreateOptions, DataDir, DeleteAuth, KdfChoice, ProfileInfo, Session};
pub use vault::Vault;
pub mod analytics;
pub mod charts;
pub mod export;
pub mod fx;
pub mod generate;
pub mod import;
pub mod money;
pub mod performance;
pub mod portfolio;
pub mod values;
