//! Keys and primitives: the zeroizing `SecretKey`, recovery keys, Argon2id, HKDF,
//! AES-256-GCM. Depends on nothing of the crate but `error`.

pub mod keys;
