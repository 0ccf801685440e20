//! What stands between a credential and the master key: the key slots, the attempt
//! throttle, and the keychain trait the keychain crate implements.

pub mod keychain;
pub mod slots;
pub mod throttle;
