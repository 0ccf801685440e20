//! The encrypted database: a SQLCipher file keyed with the profile's raw master key.
//!
//! Opening sets the key as the very first statement, then the durability and speed
//! settings (WAL with `synchronous=FULL`, a 64 MiB page cache since SQLCipher pays per
//! cache miss, temporary tables in memory so no plaintext temp file is ever written),
//! then applies pending migrations. Domain operations are `impl Vault` blocks in
//! their own modules (`portfolio`, `values`, `fx`, ...).

pub mod audit;
pub mod changes;
pub mod integrity;
pub mod migrations;

use std::path::{Path, PathBuf};

use rusqlite::{Connection, OpenFlags};
use serde::Serialize;

use crate::crypto::keys::SecretKey;
use crate::error::{Error, Result, VaultError};
use crate::limits;

/// Setting key of the auto-lock delay (minutes).
const AUTO_LOCK_KEY: &str = "auto_lock_minutes";

/// An open, unlocked vault.
pub struct Vault {
    pub(crate) conn: Connection,
    path: PathBuf,
}

/// Result of the integrity checks.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Health {
    /// Pages whose HMAC failed (`PRAGMA cipher_integrity_check`).
    pub cipher_errors: Vec<String>,
    /// `PRAGMA integrity_check` lines other than "ok".
    pub integrity_errors: Vec<String>,
    /// Rows violating a foreign key.
    pub foreign_key_errors: usize,
    /// Schema version of the vault.
    pub schema_version: i64,
}

impl Health {
    /// Whether every check passed.
    pub fn is_ok(&self) -> bool {
        self.cipher_errors.is_empty() && self.integrity_errors.is_empty() && self.foreign_key_errors == 0
    }
}

/// Whether SQLite reports the file as damaged or not a database (with SQLCipher: a page
/// that fails its HMAC, or the wrong key).
pub(crate) fn is_corrupt(e: &rusqlite::Error) -> bool {
    matches!(e, rusqlite::Error::SqliteFailure(f, _) if f.code == rusqlite::ErrorCode::NotADatabase
        || f.code == rusqlite::ErrorCode::DatabaseCorrupt)
}

/// Settings every connection to a vault gets. A vault file may come from a backup
/// someone else made: SQLite's defensive mode (no `writable_schema`, no writes to the
/// schema table or shadow tables) and `trusted_schema` off (triggers and views stored
/// in the file cannot call functions with side effects).
pub(crate) fn harden(conn: &Connection) -> Result<()> {
    use rusqlite::config::DbConfig;
    conn.set_db_config(DbConfig::SQLITE_DBCONFIG_DEFENSIVE, true)?;
    conn.set_db_config(DbConfig::SQLITE_DBCONFIG_TRUSTED_SCHEMA, false)?;
    // SQLCipher's `cipher_memory_security` (wipe what it frees) stays off: measured on
    // the benchmark profile it made the 1,000,000-line import 15× slower (6.3 s →
    // 94.6 s, over its 10 s target) and point queries up to 1.6× (BENCHMARKS.md).
    Ok(())
}

impl Vault {
    /// Creates a new, empty vault at `path` (which must not exist) and migrates it.
    pub fn create(path: &Path, key: &SecretKey) -> Result<Vault> {
        if path.exists() {
            return Err(Error::io(path, std::io::Error::from(std::io::ErrorKind::AlreadyExists)));
        }
        // SQLite would create the file with its default mode (0644 less the umask):
        // create it private and empty first (an empty file is an empty database).
        crate::durable::create_private_file(path).map_err(|e| Error::io(path, e))?;
        Self::connect(path, key, OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_CREATE)
    }

    /// Opens an existing vault, refusing one written by a newer version, and applies
    /// pending migrations.
    pub fn open(path: &Path, key: &SecretKey) -> Result<Vault> {
        let mut vault = Self::open_unmigrated(path, key)?;
        vault.migrate()?;
        Ok(vault)
    }

    /// Opens an existing vault without migrating it, so the caller can back it up
    /// first (see [`Vault::pending_migrations`] and [`Vault::migrate`]). A vault from a
    /// newer version is refused before anything is written to it.
    pub fn open_unmigrated(path: &Path, key: &SecretKey) -> Result<Vault> {
        if !path.exists() {
            return Err(VaultError::Missing.into());
        }
        // CREATE is needed so ATTACH can make new files (snapshots); the vault itself
        // was checked to exist above.
        Self::connect_with(path, Some(key), OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_CREATE, false)
    }

    /// Number of shipped migrations not yet applied to this vault.
    pub fn pending_migrations(&self) -> Result<usize> {
        let current = self.schema_version()?;
        Ok(migrations::MIGRATIONS.iter().filter(|m| m.version > current).count())
    }

    /// Applies pending migrations. Returns how many ran.
    pub fn migrate(&mut self) -> Result<usize> {
        migrations::apply(&mut self.conn)
    }

    /// Opens an *unencrypted* SQLite copy of a vault with the same settings. Only the
    /// benchmarks use it, to measure SQLCipher's overhead on synthetic data; the app
    /// never writes or opens a plaintext database.
    pub fn open_unencrypted_for_benchmark(path: &Path) -> Result<Vault> {
        Self::connect_with(path, None, OpenFlags::SQLITE_OPEN_READ_WRITE, true)
    }

    fn connect(path: &Path, key: &SecretKey, flags: OpenFlags) -> Result<Vault> {
        Self::connect_with(path, Some(key), flags, true)
    }

    fn connect_with(path: &Path, key: Option<&SecretKey>, flags: OpenFlags, migrate: bool) -> Result<Vault> {
        let flags = flags | OpenFlags::SQLITE_OPEN_NO_MUTEX | OpenFlags::SQLITE_OPEN_URI;
        let mut conn = Connection::open_with_flags(path, flags)?;
        if let Some(key) = key {
            // The key must be the very first statement on the connection.
            conn.execute_batch(&key.sqlcipher_pragma())?;
            conn.execute_batch("PRAGMA cipher_log_level = NONE;")?;
        }
        harden(&conn)?;
        let probe: rusqlite::Result<i64> = conn.query_row("SELECT count(*) FROM sqlite_master", [], |r| r.get(0));
        if let Err(e) = probe {
            return Err(if is_corrupt(&e) {
                VaultError::Corrupt("the file cannot be decrypted with the profile's key".into()).into()
            } else {
                e.into()
            });
        }
        conn.execute_batch(
            "PRAGMA foreign_keys = ON;
             PRAGMA cache_size = -65536;
             PRAGMA temp_store = MEMORY;
             PRAGMA busy_timeout = 5000;",
        )?;
        migrations::check_not_newer(&conn)?;
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "FULL")?;
        if migrate {
            migrations::apply(&mut conn)?;
        }
        Ok(Vault { conn, path: path.to_owned() })
    }

    /// A stand-in holding an in-memory database, put in a [`Vault`]'s place while the
    /// real file is closed and swapped (a master-key replacement).
    pub(crate) fn placeholder() -> Result<Vault> {
        Ok(Vault { conn: Connection::open_in_memory()?, path: PathBuf::new() })
    }

    /// The master keys this vault was encrypted with before (its key history),
    /// newest first.
    pub(crate) fn retired_keys(&self) -> Result<Vec<SecretKey>> {
        let mut st = self.conn.prepare("SELECT master_key FROM key_history ORDER BY retired_at DESC")?;
        let rows = st.query_map([], |r| r.get::<_, Vec<u8>>(0))?;
        let mut out = vec![];
        for row in rows {
            let bytes = zeroize::Zeroizing::new(row?);
            if let Ok(key) = <[u8; 32]>::try_from(bytes.as_slice()) {
                out.push(SecretKey::from_bytes(key));
            }
        }
        Ok(out)
    }

    /// The database file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Schema version.
    pub fn schema_version(&self) -> Result<i64> {
        migrations::current(&self.conn)
    }

    /// State of each shipped migration.
    pub fn migration_status(&self) -> Result<Vec<migrations::MigrationStatus>> {
        migrations::status(&self.conn)
    }

    /// Runs SQLCipher's page-HMAC check, SQLite's integrity check and the foreign-key check.
    pub fn health(&self) -> Result<Health> {
        let collect = |sql: &str| -> Result<Vec<String>> {
            let mut st = self.conn.prepare(sql)?;
            let rows = st.query_map([], |r| r.get::<_, String>(0))?;
            Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
        };
        let cipher_errors = collect("PRAGMA cipher_integrity_check")?;
        let integrity_errors = collect("PRAGMA integrity_check")?.into_iter().filter(|l| l != "ok").collect();
        let foreign_key_errors = {
            let mut st = self.conn.prepare("PRAGMA foreign_key_check")?;
            let mut rows = st.query([])?;
            let mut n = 0;
            while rows.next()?.is_some() {
                n += 1;
            }
            n
        };
        Ok(Health { cipher_errors, integrity_errors, foreign_key_errors, schema_version: self.schema_version()? })
    }

    /// Minutes of inactivity before the app locks the profile.
    pub fn auto_lock_minutes(&self) -> Result<u32> {
        let stored = self.setting(AUTO_LOCK_KEY)?.and_then(|v| v.parse().ok());
        Ok(stored
            .filter(|m| (limits::AUTO_LOCK_MIN..=limits::AUTO_LOCK_MAX).contains(m))
            .unwrap_or(limits::AUTO_LOCK_DEFAULT))
    }

    /// Sets the auto-lock delay, within [`limits::AUTO_LOCK_MIN`]..=[`limits::AUTO_LOCK_MAX`] minutes.
    pub fn set_auto_lock_minutes(&self, minutes: u32) -> Result<()> {
        if !(limits::AUTO_LOCK_MIN..=limits::AUTO_LOCK_MAX).contains(&minutes) {
            return Err(Error::invalid("auto_lock_minutes", "between 1 and 60 minutes"));
        }
        self.set_setting(AUTO_LOCK_KEY, &minutes.to_string())
    }

    /// Reads a setting.
    pub(crate) fn setting(&self, key: &str) -> Result<Option<String>> {
        use rusqlite::OptionalExtension;
        Ok(self.conn.query_row("SELECT value FROM settings WHERE key = ?1", [key], |r| r.get(0)).optional()?)
    }

    /// Writes a setting.
    pub(crate) fn set_setting(&self, key: &str, value: &str) -> Result<()> {
        self.conn.execute(
            "INSERT INTO settings (key, value) VALUES (?1, ?2) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            [key, value],
        )?;
        Ok(())
    }

    /// Runs `f` inside a transaction that is committed only if `f` succeeds.
    pub(crate) fn write<T>(&self, f: impl FnOnce(&rusqlite::Transaction<'_>) -> Result<T>) -> Result<T> {
        let tx = self.conn.unchecked_transaction()?;
        let out = f(&tx)?;
        tx.commit()?;
        Ok(out)
    }

    /// Direct access for the CLI's read-only SQL needs and benchmarks.
    pub fn connection(&self) -> &Connection {
        &self.conn
    }
}
