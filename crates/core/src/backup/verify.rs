//! Verifying a backup file end to end: its header, every payload chunk, then the
//! decrypted vault's integrity, in a temporary file deleted afterwards.

use std::fs;
use std::path::Path;

use crate::backup::format::{self, FileKeys, Parsed};
use crate::backup::store;
use crate::crypto::keys::SecretKey;
use crate::error::{Error, Result};
use crate::profile::layout::temp_db;
use crate::vault::integrity::{check_schema, damaged, remove_db, verify_candidate, Checks};
/// Parses a backup's header and checks its schema is one this build reads.
pub(crate) fn read_supported(path: &Path) -> Result<Parsed> {
    let (parsed, _) = store::read_header_of(path)?;
    check_schema(parsed.header.schema_version)?;
    Ok(parsed)
}

/// Decrypts the payload of `path` into the new file `dest`, then fsyncs it.
pub(crate) fn decrypt_to(path: &Path, parsed: &Parsed, keys: &FileKeys, dest: &Path) -> Result<()> {
    let result = (|| {
        let mut input =
            std::io::BufReader::with_capacity(1 << 16, fs::File::open(path).map_err(|e| Error::io(path, e))?);
        std::io::Seek::seek(&mut input, std::io::SeekFrom::Start(parsed.payload_offset()))
            .map_err(|e| Error::io(path, e))?;
        let file = crate::durable::create_private_file(dest).map_err(|e| Error::io(dest, e))?;
        let mut out = std::io::BufWriter::with_capacity(1 << 16, file);
        format::decrypt_payload(parsed, keys, &mut input, &mut out).map_err(|e| store::stream_error(e, path, dest))?;
        let file = out.into_inner().map_err(|e| Error::io(dest, e.into_error()))?;
        file.sync_all().map_err(|e| Error::io(dest, e))
    })();
    if result.is_err() {
        remove_db(dest);
    }
    result
}

/// The checks a restore of this backup runs on its candidate.
pub(crate) fn checks_for(parsed: &Parsed) -> Checks {
    if parsed.minor >= 1 && parsed.header.snapshot_checked {
        Checks::Identity
    } else {
        Checks::Full
    }
}

/// Decrypts and fully verifies a backup with whichever of `keys` it was made under (the
/// session's "Verify backups"), in a temp vault inside `beside`, deleted afterwards.
pub fn verify_backup_with_keys(path: &Path, keys: &[&SecretKey], beside: &Path) -> Result<()> {
    let parsed = read_supported(path)?;
    let mk = SecretKey::with_key_check(keys.iter().copied(), &parsed.header.key_check)
        .ok_or_else(|| damaged("key check"))?;
    let file_keys = format::authenticate(&parsed, mk)?;
    let tmp = temp_db(beside, "verify");
    let result = decrypt_to(path, &parsed, &file_keys, &tmp)
        .and_then(|_| verify_candidate(&tmp, mk, &parsed.header.profile_id, false, Checks::Full).map(|_| ()));
    remove_db(&tmp);
    result
}
