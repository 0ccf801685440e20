//! Fuzzes the whole backup reader on arbitrary bytes: preamble, header caps, checksum,
//! JSON, field rules, then (with a fixed key) the MAC and the chunk layer. It must never
//! panic, allocate without bound or accept garbage.
#![no_main]

use libfuzzer_sys::fuzz_target;
use patrimoine_core::backup::format;
use patrimoine_core::keys::SecretKey;

fuzz_target!(|data: &[u8]| {
    let mut r = data;
    if let Ok(parsed) = format::read_header(&mut r) {
        let _ = parsed.expected_file_len();
        let mk = SecretKey::from_bytes([0; 32]);
        if let Ok(keys) = format::authenticate(&parsed, &mk) {
            let _ = format::decrypt_payload(&parsed, &keys, &mut r, &mut std::io::sink());
        }
    }
});
