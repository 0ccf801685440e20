//! Forward-only schema migrations. Each SQL file in the top-level `migrations/`
//! folder is embedded at compile time, applied in its own transaction, and recorded
//! with its SHA-256 so a changed migration is noticed. `PRAGMA user_version` holds the
//! schema version.

use rusqlite::{Connection, OptionalExtension};
use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::error::{Result, VaultError};

/// One embedded migration.
pub struct Migration {
    /// Schema version this migration produces.
    pub version: i64,
    /// File name without number and extension.
    pub name: &'static str,
    /// SQL text.
    pub sql: &'static str,
}

/// Every migration this build ships, in order. A tidy test checks this list against
/// the files in `migrations/`.
pub const MIGRATIONS: &[Migration] = &[
    Migration { version: 1, name: "initial", sql: include_str!("../../../../migrations/0001_initial.sql") },
    Migration { version: 2, name: "value_month", sql: include_str!("../../../../migrations/0002_value_month.sql") },
    Migration { version: 3, name: "key_history", sql: include_str!("../../../../migrations/0003_key_history.sql") },
    Migration {
        version: 4,
        name: "account_balance",
        sql: include_str!("../../../../migrations/0004_account_balance.sql"),
    },
    Migration { version: 5, name: "wealth_v2", sql: include_str!("../../../../migrations/0005_wealth_v2.sql") },
];

/// The schema version this build writes.
pub fn latest() -> i64 {
    MIGRATIONS.last().map(|m| m.version).unwrap_or(0)
}

fn checksum(sql: &str) -> String {
    hex::encode(Sha256::digest(sql.as_bytes()))
}

/// State of one migration in a vault.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct MigrationStatus {
    /// Version number.
    pub version: i64,
    /// Name.
    pub name: String,
    /// When it was applied, if it was.
    pub applied_at: Option<String>,
    /// Whether the recorded checksum matches the shipped file (true when not applied).
    pub checksum_ok: bool,
}

/// The vault's schema version (`PRAGMA user_version`).
pub fn current(conn: &Connection) -> Result<i64> {
    Ok(conn.query_row("PRAGMA user_version", [], |r| r.get(0))?)
}

fn ensure_table(conn: &Connection) -> Result<()> {
    conn.execute_batch(
        "CREATE TABLE IF NOT EXISTS schema_migration (
            version INTEGER PRIMARY KEY, name TEXT NOT NULL, checksum TEXT NOT NULL, applied_at TEXT NOT NULL)",
    )?;
    Ok(())
}

/// Lists shipped migrations with their state in this vault.
pub fn status(conn: &Connection) -> Result<Vec<MigrationStatus>> {
    let has_table: bool = conn.query_row(
        "SELECT count(*) > 0 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migration'",
        [],
        |r| r.get(0),
    )?;
    let mut out = Vec::new();
    for m in MIGRATIONS {
        let row: Option<(String, String)> = if has_table {
            conn.query_row("SELECT checksum, applied_at FROM schema_migration WHERE version = ?1", [m.version], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })
            .optional()?
        } else {
            None
        };
        out.push(MigrationStatus {
            version: m.version,
            name: m.name.to_owned(),
            checksum_ok: row.as_ref().is_none_or(|(c, _)| *c == checksum(m.sql)),
            applied_at: row.map(|(_, at)| at),
        });
    }
    Ok(out)
}

/// Refuses a vault written by a newer build, before anything is written to it.
pub fn check_not_newer(conn: &Connection) -> Result<()> {
    let found = current(conn)?;
    if found > latest() {
        return Err(VaultError::TooNew { found, supported: latest() }.into());
    }
    Ok(())
}

/// One object of a database schema: type, name, table and SQL text as `sqlite_master`
/// holds them.
pub type SchemaObject = (String, String, String, Option<String>);

/// The schema objects of `conn`'s main database, sorted, without SQLite's own
/// bookkeeping tables (`sqlite_sequence`, `sqlite_stat*`), which SQLite makes itself
/// on demand.
pub fn schema_objects(conn: &Connection) -> Result<Vec<SchemaObject>> {
    let mut st = conn.prepare(
        "SELECT type, name, tbl_name, sql FROM main.sqlite_master
         WHERE name NOT IN ('sqlite_sequence', 'sqlite_stat1', 'sqlite_stat2', 'sqlite_stat3', 'sqlite_stat4')
         ORDER BY type, name",
    )?;
    let rows = st.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The schema objects that the shipped migrations up to `version` create: what a
/// vault of that version holds, and all it may hold.
pub fn expected_schema(version: i64) -> Result<Vec<SchemaObject>> {
    let mut conn = Connection::open_in_memory()?;
    ensure_table(&conn)?;
    for m in MIGRATIONS.iter().filter(|m| m.version <= version) {
        let tx = conn.transaction()?;
        tx.execute_batch(m.sql)?;
        tx.commit()?;
    }
    schema_objects(&conn)
}

/// Applies every pending migration, each in its own transaction. Returns how many ran.
pub fn apply(conn: &mut Connection) -> Result<usize> {
    check_not_newer(conn)?;
    ensure_table(conn)?;
    for s in status(conn)? {
        if !s.checksum_ok {
            return Err(VaultError::MigrationMismatch { version: s.version }.into());
        }
    }
    let from = current(conn)?;
    let mut applied = 0;
    for m in MIGRATIONS.iter().filter(|m| m.version > from) {
        let tx = conn.transaction()?;
        tx.execute_batch(m.sql)?;
        tx.execute(
            "INSERT INTO schema_migration (version, name, checksum, applied_at) VALUES (?1, ?2, ?3, ?4)",
            rusqlite::params![m.version, m.name, checksum(m.sql), chrono::Utc::now().to_rfc3339()],
        )?;
        tx.pragma_update(None, "user_version", m.version)?;
        tx.commit()?;
        applied += 1;
    }
    Ok(applied)
}
