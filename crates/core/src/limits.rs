//! The limits the core enforces and the UI checks before it asks (generated into the
//! UI's contract, so both sides read the same numbers).

use serde::Serialize;

/// Minimum password length, in characters.
pub const MIN_PASSWORD_CHARS: usize = 10;
/// Most profiles one installation holds (a household).
pub const MAX_PROFILES: usize = 5;

/// Longest profile name, in characters.
pub const PROFILE_NAME_MAX: usize = 40;
/// Longest name of an institution, account, asset or dimension, in characters.
pub const ITEM_NAME_MAX: usize = 120;
/// Auto-lock delay bounds and default, in minutes.
pub const AUTO_LOCK_MIN: u32 = 1;
/// See [`AUTO_LOCK_MIN`].
pub const AUTO_LOCK_MAX: u32 = 60;
/// See [`AUTO_LOCK_MIN`].
pub const AUTO_LOCK_DEFAULT: u32 = 5;

/// All the limits, as the UI receives them.
#[derive(Serialize)]
pub struct Limits {
    /// [`PROFILE_NAME_MAX`].
    pub profile_name_max: usize,
    /// [`ITEM_NAME_MAX`].
    pub item_name_max: usize,
    /// [`MIN_PASSWORD_CHARS`].
    pub password_min: usize,
    /// [`MAX_PROFILES`].
    pub max_profiles: usize,
    /// [`AUTO_LOCK_MIN`].
    pub auto_lock_min: u32,
    /// [`AUTO_LOCK_MAX`].
    pub auto_lock_max: u32,
    /// [`AUTO_LOCK_DEFAULT`].
    pub auto_lock_default: u32,
}

/// The limits.
pub const LIMITS: Limits = Limits {
    profile_name_max: PROFILE_NAME_MAX,
    item_name_max: ITEM_NAME_MAX,
    password_min: MIN_PASSWORD_CHARS,
    max_profiles: MAX_PROFILES,
    auto_lock_min: AUTO_LOCK_MIN,
    auto_lock_max: AUTO_LOCK_MAX,
    auto_lock_default: AUTO_LOCK_DEFAULT,
};
