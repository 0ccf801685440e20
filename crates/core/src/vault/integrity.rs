//! Is this database intact, and copies of it under another key: the checks every
//! candidate vault passes (a restore's, a verification's, a re-encrypted copy's),
//! SQLCipher's page check, SQLite's integrity and foreign-key checks, the exact
//! schema, and `sqlcipher_export` to a new key.

use std::fs;
use std::path::{Path, PathBuf};

use chrono::Utc;
use rusqlite::{Connection, OpenFlags};

use crate::crypto::keys::SecretKey;
use crate::error::{BackupError, Error, Result};
use crate::vault::migrations;
use crate::vault::Health;
/// `path` with `suffix` appended to its file name (`vault.db` → `vault.db-wal`).
pub fn sidecar(path: &Path, suffix: &str) -> PathBuf {
    let mut s = path.as_os_str().to_owned();
    s.push(suffix);
    PathBuf::from(s)
}

pub(crate) fn remove_db(path: &Path) {
    for suffix in ["", "-wal", "-shm", "-journal"] {
        let _ = fs::remove_file(sidecar(path, suffix));
    }
}

pub(crate) fn check_schema(version: i64) -> Result<()> {
    if version > migrations::latest() {
        return Err(BackupError::TooNew { what: format!("schema {version}") }.into());
    }
    Ok(())
}

/// Page cache of a verification connection: bounded (memory stays flat whatever the
/// vault size), large enough that the foreign-key check finds most pages the
/// integrity check already decrypted.
const VERIFY_CACHE: &str = "PRAGMA cache_size = -65536;";

/// Opens a candidate vault with the key, or says it is damaged.
pub(crate) fn open_candidate(path: &Path, mk: &SecretKey, flags: OpenFlags) -> Result<Connection> {
    let conn = Connection::open_with_flags(path, flags | OpenFlags::SQLITE_OPEN_NO_MUTEX)?;
    conn.execute_batch(&mk.sqlcipher_pragma())?;
    conn.execute_batch("PRAGMA cipher_log_level = NONE;")?;
    crate::vault::harden(&conn)?;
    if conn.query_row("SELECT count(*) FROM sqlite_master", [], |r| r.get::<_, i64>(0)).is_err() {
        return Err(BackupError::Damaged("the data inside cannot be decrypted".into()).into());
    }
    Ok(conn)
}

/// The rows of a pragma, each value in its `Debug` form ([`INTEGRITY_OK`] for a clean
/// `integrity_check`).
pub(crate) fn pragma_rows(conn: &Connection, sql: &str) -> Result<Vec<String>> {
    let mut st = conn.prepare(sql)?;
    let v = st.query_map([], |r| r.get::<_, rusqlite::types::Value>(0))?;
    Ok(v.map(|x| x.map(|v| format!("{v:?}"))).collect::<rusqlite::Result<_>>()?)
}

/// The row of an `integrity_check` that found nothing, as [`pragma_rows`] gives it.
pub(crate) const INTEGRITY_OK: &str = "Text(\"ok\")";

/// A candidate vault failed a check.
pub(crate) fn damaged(what: &str) -> Error {
    Error::Backup(BackupError::Damaged(what.to_owned()))
}

/// Verifies a decrypted candidate vault: the key first, then SQLCipher's page check,
/// SQLite's integrity and foreign-key checks, the profile id and the schema version;
/// migrates it when `migrate` and older. Leaves it as a single file (no WAL).
///
/// The page check (every page's HMAC, free pages included) runs on a second
/// connection and thread while this one runs the integrity and foreign-key checks:
/// the two passes over the file overlap on two cores.
///
/// With [`Checks::Identity`] (a backup whose snapshot was checked when it was made)
/// the three whole-file checks are skipped.
pub(crate) fn verify_candidate(
    path: &Path,
    mk: &SecretKey,
    profile_id: &str,
    migrate: bool,
    checks: Checks,
) -> Result<Health> {
    let mut conn = open_candidate(path, mk, OpenFlags::SQLITE_OPEN_READ_WRITE)?;
    check_schema_objects(&conn)?;
    conn.execute_batch("PRAGMA temp_store = MEMORY; PRAGMA foreign_keys = ON;")?;
    let (cipher_errors, integrity, fk) = match checks {
        Checks::Full => whole_file_checks(&conn, path, mk)?,
        Checks::Identity => (Vec::new(), Vec::new(), 0),
    };
    let schema = check_identity_and_migrate(&mut conn, profile_id, migrate)?;
    drop(conn);
    let _ = fs::remove_file(sidecar(path, "-wal"));
    let _ = fs::remove_file(sidecar(path, "-shm"));
    Ok(Health { cipher_errors, integrity_errors: integrity, foreign_key_errors: fk, schema_version: schema })
}

/// How much of a candidate vault [`verify_candidate`] checks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Checks {
    /// SQLCipher's page check, SQLite's integrity and foreign-key checks, then the key,
    /// profile id and schema version.
    Full,
    /// The key, profile id and schema version only: for a backup whose snapshot passed
    /// the integrity and foreign-key checks when it was made (format 1.1
    /// `snapshot_checked`). Its header is authenticated and every payload chunk too, so
    /// the candidate is byte for byte the snapshot that passed them, and SQLCipher's
    /// page check would re-prove what the AEAD tags already proved.
    Identity,
}

/// The page check on a second connection and thread, the integrity and foreign-key
/// checks on this one; an error when any finds damage.
fn whole_file_checks(conn: &Connection, path: &Path, mk: &SecretKey) -> Result<(Vec<String>, Vec<String>, usize)> {
    conn.execute_batch(VERIFY_CACHE)?;
    let page_check = {
        let (path, mk) = (path.to_owned(), SecretKey::from_bytes(*mk.expose()));
        std::thread::spawn(move || -> Result<Vec<String>> {
            let c = open_candidate(&path, &mk, OpenFlags::SQLITE_OPEN_READ_ONLY)?;
            pragma_rows(&c, "PRAGMA cipher_integrity_check")
        })
    };
    let integrity: Result<Vec<String>> = pragma_rows(conn, "PRAGMA integrity_check")
        .map(|rows| rows.into_iter().filter(|l| l != INTEGRITY_OK).collect());
    let fk = integrity.as_ref().ok().map(|_| pragma_rows(conn, "PRAGMA foreign_key_check").map(|r| r.len()));
    let cipher_errors = page_check.join().map_err(|_| damaged("page authentication"))??;
    if !cipher_errors.is_empty() {
        return Err(damaged("page authentication"));
    }
    let integrity = integrity?;
    if !integrity.is_empty() {
        return Err(damaged("database integrity"));
    }
    let Some(fk) = fk else { return Err(damaged("foreign keys")) };
    let fk = fk?;
    if fk != 0 {
        return Err(damaged("foreign keys"));
    }
    Ok((cipher_errors, integrity, fk))
}

/// A vault from a backup file may have been made by someone else: its schema must be
/// exactly what the shipped migrations create for its version, no extra trigger, view,
/// table or index (a trigger would run on the restored profile's next write). Checked
/// before anything else reads the candidate's tables.
pub(crate) fn check_schema_objects(conn: &Connection) -> Result<()> {
    let version = migrations::current(conn)?;
    check_schema(version)?;
    let found = migrations::schema_objects(conn)?;
    let expected = migrations::expected_schema(version)?;
    if let Some(extra) = found.iter().find(|o| !expected.contains(o)) {
        return Err(BackupError::UnknownSchema { object: format!("{} {}", extra.0, extra.1) }.into());
    }
    if found.len() != expected.len() {
        return Err(damaged("schema"));
    }
    Ok(())
}

/// The candidate belongs to this profile and has a schema this build reads; migrated
/// when `migrate` and older. Returns the schema version it ends with.
fn check_identity_and_migrate(conn: &mut Connection, profile_id: &str, migrate: bool) -> Result<i64> {
    let stored_id: Option<String> = conn
        .query_row("SELECT value FROM settings WHERE key = 'profile_id'", [], |r| r.get(0))
        .map(Some)
        .or_else(|e| if e == rusqlite::Error::QueryReturnedNoRows { Ok(None) } else { Err(e) })?;
    if stored_id.is_some_and(|id| id != profile_id) {
        return Err(damaged("profile id"));
    }
    let mut schema = migrations::current(conn)?;
    check_schema(schema)?;
    if migrate && schema < migrations::latest() {
        migrations::apply(conn)?;
        schema = migrations::current(conn)?;
    }
    conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))?;
    conn.query_row("PRAGMA journal_mode = DELETE", [], |_| Ok(()))?;
    Ok(schema)
}

/// Copies the vault at `from` (under `from_key`) into the new file `to`, encrypted
/// under `to_key` (SQLCipher's `sqlcipher_export`, which copies the schema and the
/// data; the user version is set after it), then checks that the copy opens with `to_key` and has the
/// same schema version. `PRAGMA rekey` is not used: it rewrites pages in place and has
/// reported success after a rollback in some versions.
pub(crate) fn export_rekeyed(from: &Path, from_key: &SecretKey, to: &Path, to_key: &SecretKey) -> Result<()> {
    let conn = open_candidate(from, from_key, OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_CREATE)?;
    conn.execute_batch("PRAGMA temp_store = MEMORY;")?;
    let key = zeroize::Zeroizing::new(format!("x'{}'", to_key.to_hex().as_str()));
    let to_str = to.to_str().ok_or_else(|| Error::invalid("path", "the profile folder's path is not valid UTF-8"))?;
    // Created private and empty first: SQLite would give it its default mode (0644).
    crate::durable::create_private_file(to).map_err(|e| Error::io(to, e))?;
    conn.execute("ATTACH DATABASE ?1 AS rekeyed KEY ?2", rusqlite::params![to_str, key.as_str()])?;
    let expected = migrations::current(&conn)?;
    // sqlcipher_export copies the schema and the data; the schema version (the user
    // version in the header) is set on the copy explicitly.
    let exported = conn
        .query_row("SELECT sqlcipher_export('rekeyed')", [], |_| Ok(()))
        .and_then(|_| conn.execute_batch(&format!("PRAGMA rekeyed.user_version = {expected};")));
    conn.execute_batch("DETACH DATABASE rekeyed;")?;
    exported?;
    drop(conn);
    let copy = open_candidate(to, to_key, OpenFlags::SQLITE_OPEN_READ_WRITE)?;
    if migrations::current(&copy)? != expected {
        return Err(damaged("re-encrypted copy"));
    }
    copy.query_row("PRAGMA journal_mode = DELETE", [], |_| Ok(()))?;
    drop(copy);
    fs::File::open(to).and_then(|f| f.sync_all()).map_err(|e| Error::io(to, e))?;
    Ok(())
}

/// Adds `keys` (but never `current`, the key the vault is under) to the key history
/// of the vault file at `path`, then fsyncs it; with `changed`, also counts this as a
/// change of the user's data (the backup on lock then captures it).
pub(crate) fn add_to_history<'k>(
    path: &Path,
    current: &SecretKey,
    keys: impl Iterator<Item = &'k SecretKey>,
    changed: bool,
) -> Result<()> {
    let conn = open_candidate(path, current, OpenFlags::SQLITE_OPEN_READ_WRITE)?;
    let now = Utc::now().to_rfc3339();
    for k in keys.filter(|k| k.expose() != current.expose()) {
        conn.execute(
            "INSERT OR IGNORE INTO key_history (key_check, master_key, retired_at) VALUES (?1, ?2, ?3)",
            rusqlite::params![hex::encode(k.key_check()), k.expose().as_slice(), now],
        )?;
    }
    if changed {
        conn.execute(
            "UPDATE settings SET value = CAST(value AS INTEGER) + 1 WHERE key = ?1",
            [crate::vault::changes::GENERATION],
        )?;
    }
    conn.query_row("PRAGMA journal_mode = DELETE", [], |_| Ok(()))?;
    drop(conn);
    fs::File::open(path).and_then(|f| f.sync_all()).map_err(|e| Error::io(path, e))
}
