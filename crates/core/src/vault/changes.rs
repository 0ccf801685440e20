//! Change tracking for backups: the first change of a session to the user's data
//! bumps the vault's persistent `data_generation` setting (temporary triggers on the
//! session's connection, so the schema is unchanged).

use crate::error::Result;
use crate::vault::Vault;

pub(crate) const GENERATION: &str = "data_generation";

/// Installs change tracking on the vault's connection: the first change of a session
/// to any table holding the user's data bumps the persistent `data_generation` setting,
/// in the same transaction as the change. Audit entries (unlocks write some), the
/// derived `value_month` table and backup bookkeeping do not count. Temporary triggers
/// live on this connection only, so the schema is unchanged.
pub(crate) fn track_changes(vault: &Vault) -> Result<()> {
    let conn = vault.connection();
    conn.execute("INSERT OR IGNORE INTO settings (key, value) VALUES (?1, '0')", [GENERATION])?;
    let mut sql = String::from("CREATE TEMP TABLE IF NOT EXISTS backup_dirty (x INTEGER);");
    for table in TRACKED_TABLES {
        for (op, row) in [("INSERT", "NEW"), ("UPDATE", "NEW"), ("DELETE", "OLD")] {
            let filter = if *table == "settings" {
                format!("AND substr({row}.key, 1, 7) <> 'backup.' AND {row}.key <> '{GENERATION}'")
            } else {
                String::new()
            };
            sql.push_str(&format!(
                "CREATE TEMP TRIGGER IF NOT EXISTS backup_track_{table}_{op} AFTER {op} ON main.{table}
                 WHEN NOT EXISTS (SELECT 1 FROM temp.backup_dirty) {filter}
                 BEGIN
                   INSERT INTO backup_dirty VALUES (1);
                   UPDATE settings SET value = CAST(value AS INTEGER) + 1 WHERE key = '{GENERATION}';
                 END;"
            ));
        }
    }
    conn.execute_batch(&sql)?;
    Ok(())
}

/// Tables whose changes call for a backup on lock. A unit test checks every table of
/// the schema is either here or deliberately left out.
pub(crate) const TRACKED_TABLES: &[&str] = &[
    "settings",
    "institution",
    "account",
    "asset",
    "asset_component",
    "dimension",
    "allocation",
    "value_point",
    "cash_flow",
    "fx_rate",
    "key_history",
    "instrument",
    "instrument_allocation",
    "price",
    "activity",
    "loan",
    "loan_repayment",
];

/// Tables whose changes do not call for a backup.
#[cfg(test)]
pub(crate) const UNTRACKED_TABLES: &[&str] = &["audit_event", "schema_migration", "value_month"];

pub(crate) fn generation(vault: &Vault) -> Result<String> {
    Ok(vault.setting(GENERATION)?.unwrap_or_else(|| "0".into()))
}
