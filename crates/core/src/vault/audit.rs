//! The audit log: what happened to the profile and when (unlocks, password and
//! recovery-key events, imports, exports, backups). Never secrets or amounts.

use chrono::{DateTime, Utc};
use serde::Serialize;
use ts_rs::TS;

use crate::error::Result;
use crate::vault::Vault;

/// Every word an audit entry's detail can be (besides the `key=number` pairs of imports):
/// the UI has a sentence for each (a tidy test checks), so no raw token reaches the
/// screen. Unlock methods, the paths a failed attempt took (`restore:`, `backup:`,
/// `reauth:`), backup kinds, restore sources and export formats.
pub const DETAIL_TOKENS: &[&str] = &[
    "password",
    "recovery_key",
    "keychain",
    "restore:password",
    "restore:recovery_key",
    "backup:password",
    "backup:recovery_key",
    "reauth:password",
    "reauth:recovery_key",
    "manual",
    "automatic",
    "pre_migration",
    "export",
    "session",
    "json",
    "csv",
];

/// Kinds of audited events. The string form is stable and translated by the UI.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum AuditKind {
    /// Profile created.
    ProfileCreated,
    /// Profile renamed.
    ProfileRenamed,
    /// Unlock succeeded (detail: method).
    UnlockOk,
    /// Unlock failed (detail: method); recorded at the next successful unlock.
    UnlockFailed,
    /// Password changed.
    PasswordChanged,
    /// Recovery key regenerated.
    RecoveryKeyRegenerated,
    /// Keychain unlock enabled.
    KeychainEnabled,
    /// Keychain unlock disabled.
    KeychainDisabled,
    /// CSV import (detail: counts).
    Import,
    /// FX rates import.
    FxImport,
    /// Export written (detail: format).
    Export,
    /// Raw key revealed to the user.
    RawKeyRevealed,
    /// Backup made.
    Backup,
    /// Restore done.
    Restore,
}

impl AuditKind {
    /// Stable identifier.
    pub fn as_str(self) -> &'static str {
        match self {
            AuditKind::ProfileCreated => "profile_created",
            AuditKind::ProfileRenamed => "profile_renamed",
            AuditKind::UnlockOk => "unlock_ok",
            AuditKind::UnlockFailed => "unlock_failed",
            AuditKind::PasswordChanged => "password_changed",
            AuditKind::RecoveryKeyRegenerated => "recovery_key_regenerated",
            AuditKind::KeychainEnabled => "keychain_enabled",
            AuditKind::KeychainDisabled => "keychain_disabled",
            AuditKind::Import => "import",
            AuditKind::FxImport => "fx_import",
            AuditKind::Export => "export",
            AuditKind::RawKeyRevealed => "raw_key_revealed",
            AuditKind::Backup => "backup",
            AuditKind::Restore => "restore",
        }
    }
}

/// One entry of the audit log.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, TS)]
pub struct AuditEvent {
    /// When it happened (UTC).
    pub at: DateTime<Utc>,
    /// Event kind.
    pub kind: String,
    /// Non-sensitive detail (method, counts of rows, file format).
    pub detail: String,
}

impl Vault {
    /// Appends an event at `at`.
    pub fn audit_at(&self, at: DateTime<Utc>, kind: AuditKind, detail: &str) -> Result<()> {
        self.conn.execute(
            "INSERT INTO audit_event (at, kind, detail) VALUES (?1, ?2, ?3)",
            rusqlite::params![at.to_rfc3339(), kind.as_str(), detail],
        )?;
        Ok(())
    }

    /// Appends an event now.
    pub fn audit(&self, kind: AuditKind, detail: &str) -> Result<()> {
        self.audit_at(Utc::now(), kind, detail)
    }

    /// The newest `limit` events, newest first.
    pub fn audit_log(&self, limit: usize) -> Result<Vec<AuditEvent>> {
        let mut st = self.conn.prepare("SELECT at, kind, detail FROM audit_event ORDER BY id DESC LIMIT ?1")?;
        let rows = st.query_map([limit as i64], |r| {
            let at: String = r.get(0)?;
            Ok(AuditEvent {
                at: DateTime::parse_from_rfc3339(&at).map(|d| d.with_timezone(&Utc)).unwrap_or_default(),
                kind: r.get(1)?,
                detail: r.get(2)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}
