//! Fuzzes the STREAM chunk layer: arbitrary ciphertext must be rejected without a
//! panic, and anything encrypted must decrypt to itself. The first three bytes give the
//! announced plaintext length.
#![no_main]

use libfuzzer_sys::fuzz_target;
use patrimoine_core::backup::format;
use patrimoine_core::keys::SecretKey;

fuzz_target!(|data: &[u8]| {
    if data.len() < 3 {
        return;
    }
    let key = SecretKey::from_bytes([7; 32]);
    let len = u64::from(data[0]) << 16 | u64::from(data[1]) << 8 | u64::from(data[2]);
    let rest = &data[3..];
    let mut out = Vec::new();
    if format::decrypt_chunks(&key, len, &mut &rest[..], &mut out).is_ok() {
        panic!("random bytes decrypted");
    }
    let mut ct = Vec::new();
    format::encrypt_chunks(&key, rest.len() as u64, &mut &rest[..], &mut ct).expect("encrypts");
    let mut back = Vec::new();
    format::decrypt_chunks(&key, rest.len() as u64, &mut &ct[..], &mut back).expect("decrypts");
    assert_eq!(back, rest);
});
