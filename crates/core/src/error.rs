//! The core's error type: one `thiserror` enum per concern, wrapped by [`Error`], which
//! gives every failure a stable machine-readable `code()` for the UI and the CLI.
//!
//! Messages never contain passwords, keys or amounts.

use std::path::PathBuf;

use serde::Serialize;
use ts_rs::TS;

/// Errors about keys, passwords and key slots.
#[derive(Debug, thiserror::Error)]
pub enum KeyError {
    /// The password does not open any password slot.
    #[error("wrong password")]
    WrongPassword,
    /// The recovery key is well formed but does not open the recovery slot.
    #[error("wrong recovery key")]
    WrongRecoveryKey,
    /// One group of the recovery key fails its checksum: a typing mistake.
    #[error("recovery key group {group} is mistyped")]
    RecoveryKeyTypo {
        /// 1-based group number, as printed on the Emergency Kit.
        group: usize,
    },
    /// The recovery key does not have the expected number of groups or characters.
    #[error("a recovery key has 8 groups of 8 characters")]
    RecoveryKeyFormat,
    /// The password is shorter than the minimum.
    #[error("the password must have at least {min} characters")]
    WeakPassword {
        /// Minimum number of characters.
        min: usize,
    },
    /// Too many failed unlock attempts: the caller must wait.
    #[error("too many failed attempts; try again in {retry_after_secs} s")]
    Throttled {
        /// Seconds to wait before the next attempt is accepted.
        retry_after_secs: u64,
    },
    /// Neither copy of the key-slot file is valid.
    #[error("the key-slot file is damaged (both copies)")]
    SlotsCorrupt,
    /// The key-slot file is missing.
    #[error("the key-slot file is missing")]
    SlotsMissing,
    /// A slot carries key-derivation parameters beyond what we accept.
    #[error("key-derivation parameters out of bounds")]
    KdfOutOfBounds,
    /// Keychain unlock is not enabled for this profile, or the keychain lost its entry.
    #[error("keychain unlock is not enabled for this profile")]
    KeychainNotEnabled,
    /// The OS keychain failed or is unavailable.
    #[error("the system keychain is unavailable: {0}")]
    Keychain(String),
    /// The key unwrapped from a slot does not match the key-check value.
    #[error("the key-check value does not match")]
    KeyCheckMismatch,
    /// The change needs the current password or recovery key typed again (changing
    /// the password, a new recovery key, keychain unlock), so that someone at an
    /// unlocked session cannot take lasting access.
    #[error("confirm with your current password or recovery key")]
    CredentialNeeded,
}

/// Errors about profiles and the data directory.
#[derive(Debug, thiserror::Error)]
pub enum ProfileError {
    /// No profile with that name.
    #[error("no profile named {0:?}")]
    NotFound(String),
    /// A profile with that name (ignoring case) exists already.
    #[error("a profile named {0:?} exists already")]
    Exists(String),
    /// The household limit of profiles is reached.
    #[error("at most {max} profiles per installation")]
    Limit {
        /// The limit.
        max: usize,
    },
    /// The name is empty, too long or has control characters.
    #[error("a profile name has 1 to 40 characters, without control characters")]
    InvalidName,
    /// The operation needs the admin profile unlocked.
    #[error("only the admin profile can do this")]
    NotAdmin,
    /// The admin profile cannot be deleted while other profiles exist.
    #[error("the admin profile cannot be deleted while other profiles exist")]
    AdminHasProfiles,
    /// Confirmation text typed for a deletion does not match the profile name.
    #[error("the typed name does not match the profile name")]
    ConfirmationMismatch,
    /// The profile registry file is unreadable.
    #[error("the profile list is damaged")]
    RegistryCorrupt,
    /// Another process holds the profile open.
    #[error("the profile is open in another Patrimoine window or process")]
    Busy,
    /// No data folder was given and the system has no home folder to put one in.
    #[error("no data folder: set PATRIMOINE_DATA_DIR or pass --data-dir")]
    NoDataDir,
}

/// Errors about the encrypted database itself.
#[derive(Debug, thiserror::Error)]
pub enum VaultError {
    /// The vault file is missing.
    #[error("the vault file is missing")]
    Missing,
    /// The key is right (key check matched) but the database cannot be read.
    #[error("the vault is damaged: {0}")]
    Corrupt(String),
    /// The vault was written by a newer version of the app; it is left untouched.
    #[error("the vault uses schema {found}, this version supports up to {supported}")]
    TooNew {
        /// Schema version found in the file.
        found: i64,
        /// Highest schema version this build knows.
        supported: i64,
    },
    /// An applied migration differs from the one shipped with this build.
    #[error("migration {version} differs from the one this version ships")]
    MigrationMismatch {
        /// Migration number.
        version: i64,
    },
}

/// Errors about backup files: reading, writing and restoring them.
#[derive(Debug, thiserror::Error)]
pub enum BackupError {
    /// The file does not start with the backup magic: it is not a Patrimoine backup.
    #[error("this file is not a Patrimoine backup")]
    NotABackup,
    /// The file (or the data inside it) was made by a newer version of the app.
    #[error("this backup was made by a newer version of Patrimoine ({what})")]
    TooNew {
        /// What is too new: the file format or the schema, with its number.
        what: String,
    },
    /// The file is damaged: a checksum, an authentication tag or a field is wrong.
    #[error("the backup is damaged ({0})")]
    Damaged(String),
    /// The file ends before the end its header announces.
    #[error("the backup is truncated (the file is incomplete)")]
    Truncated,
    /// The destination folder cannot be written (read-only, removed, no permission).
    #[error("cannot write to {path}: the destination is not writable or was removed")]
    DestinationUnwritable {
        /// The destination involved.
        path: PathBuf,
    },
    /// A restore was interrupted and could be neither finished nor rolled back.
    #[error("a restore of this profile was interrupted and needs attention")]
    RestoreInterrupted,
    /// The backup belongs to another profile than the one named.
    #[error("this backup belongs to another profile")]
    OtherProfile,
    /// Restoring as a new profile, but the backup's profile already exists here.
    #[error("this backup's profile already exists here; restore into it instead")]
    ProfilePresent,
    /// The backup was made under credentials the profile no longer has (its master key
    /// differs and the profile's current credential does not open it).
    #[error("this backup was made with a password or recovery key this profile no longer has")]
    OldCredentials,
    /// The database inside holds a schema object that no shipped migration creates
    /// (a trigger, view, table or index someone added): refused before it is read.
    #[error("the data inside this backup holds an object no version of Patrimoine creates ({object})")]
    UnknownSchema {
        /// Type and name of the first unexpected object.
        object: String,
    },
}

/// A user-supplied value is unacceptable.
#[derive(Debug, thiserror::Error)]
pub enum InputError {
    /// A field is invalid; `reason` says why in a short English phrase.
    #[error("{field}: {reason}")]
    Invalid {
        /// Field name (stable, used by the UI to highlight the field).
        field: &'static str,
        /// Short explanation.
        reason: String,
    },
    /// The referenced object does not exist.
    #[error("{0} not found")]
    NotFound(&'static str),
    /// An object with the same name exists already.
    #[error("{0} with this name exists already")]
    Duplicate(&'static str),
    /// The object still holds data and cannot be deleted without `force`.
    #[error("{0} still holds data")]
    InUse(&'static str),
    /// Allocation or composite weights do not sum to exactly 100 %.
    #[error("weights for {dimension:?} sum to {sum} %, not 100 %")]
    WeightsSum {
        /// Dimension (or "components") whose weights are wrong.
        dimension: String,
        /// The sum found (a percentage, not an amount).
        sum: String,
    },
    /// A composite would contain itself.
    #[error("a composite asset cannot contain itself")]
    CompositeCycle,
    /// An ISIN has the right shape but its last character (the check digit) does not
    /// match the others: a typo somewhere in it.
    #[error("the last character of this ISIN does not match the others")]
    IsinCheckDigit,
    /// A sale (or a transfer out) of more units than the account holds on that date.
    #[error("this sells more units than the account holds on that date")]
    SellExceedsPosition,
    /// An activity dated before its account was opened.
    #[error("this activity is dated before the account was opened")]
    BeforeAccountOpening,
    /// A split ratio that is zero or negative.
    #[error("a split ratio must be positive")]
    SplitRatioInvalid,
    /// A price of zero or less.
    #[error("a price must be greater than zero")]
    PriceNotPositive,
    /// A loan without any monthly payment, or with more than the limit.
    #[error("a loan has 1 to 600 monthly payments")]
    LoanTermInvalid,
    /// A rate below zero or above 100 %.
    #[error("a rate must be between 0 and 100 %")]
    RateOutOfRange,
    /// An early repayment larger than the capital that remains on its date.
    #[error("the repayment is larger than the capital remaining on that date")]
    RepaymentExceedsCapital,
    /// Values typed for an asset whose values the app computes (a position, an
    /// account's cash from its activities, a loan from its schedule).
    #[error("this asset's values are computed from its activities or its schedule")]
    ValuesDerived,
    /// A birth date after today.
    #[error("the birth date is in the future")]
    BirthDateInFuture,
}

/// Any error the core returns.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Key and password errors.
    #[error(transparent)]
    Key(#[from] KeyError),
    /// Profile errors.
    #[error(transparent)]
    Profile(#[from] ProfileError),
    /// Vault errors.
    #[error(transparent)]
    Vault(#[from] VaultError),
    /// Invalid input.
    #[error(transparent)]
    Input(#[from] InputError),
    /// Backup and restore errors.
    #[error(transparent)]
    Backup(#[from] BackupError),
    /// A CSV import found bad lines; nothing was written.
    #[error("the import has {} invalid line(s); nothing was written", .0.errors.len())]
    Import(Box<ImportReport>),
    /// A file could not be read as CSV at all.
    #[error("not a readable CSV file: {0}")]
    Csv(String),
    /// The disk is full.
    #[error("the disk is full")]
    DiskFull,
    /// Another I/O failure, with the path involved.
    #[error("cannot access {path}: {source}")]
    Io {
        /// Path involved.
        path: PathBuf,
        /// Underlying error.
        source: std::io::Error,
    },
    /// Unexpected database failure.
    #[error("database error: {0}")]
    Database(#[from] rusqlite::Error),
    /// A chart could not be drawn.
    #[error("the chart could not be drawn: {0}")]
    Chart(String),
}

impl Error {
    /// Every code [`Error::code`] can return, in its order: the list the UI's
    /// sentences are checked against (a tidy test reads `code` and compares).
    pub const ALL_CODES: &'static [&'static str] = &[
        "wrong_password",
        "wrong_recovery_key",
        "recovery_key_typo",
        "recovery_key_format",
        "weak_password",
        "throttled",
        "slots_corrupt",
        "slots_missing",
        "kdf_out_of_bounds",
        "keychain_not_enabled",
        "keychain_unavailable",
        "key_check_mismatch",
        "credential_needed",
        "profile_not_found",
        "profile_exists",
        "profile_limit",
        "profile_name_invalid",
        "not_admin",
        "admin_has_profiles",
        "confirmation_mismatch",
        "registry_corrupt",
        "profile_busy",
        "no_data_dir",
        "vault_missing",
        "vault_corrupt",
        "vault_too_new",
        "migration_mismatch",
        "invalid_input",
        "not_found",
        "duplicate",
        "in_use",
        "weights_not_100",
        "composite_cycle",
        "isin_check_digit",
        "sell_exceeds_position",
        "before_account_opening",
        "split_ratio_invalid",
        "price_not_positive",
        "loan_term_invalid",
        "rate_out_of_range",
        "repayment_exceeds_capital",
        "values_derived",
        "birth_date_in_future",
        "not_a_backup",
        "backup_too_new",
        "backup_damaged",
        "backup_truncated",
        "destination_unwritable",
        "restore_interrupted",
        "backup_other_profile",
        "backup_profile_present",
        "backup_old_credentials",
        "backup_schema_unknown",
        "import_invalid",
        "csv_unreadable",
        "disk_full",
        "io",
        "database",
        "chart",
    ];

    /// A stable identifier for this error, for the UI's translations and scripts.
    pub fn code(&self) -> &'static str {
        match self {
            Error::Key(e) => match e {
                KeyError::WrongPassword => "wrong_password",
                KeyError::WrongRecoveryKey => "wrong_recovery_key",
                KeyError::RecoveryKeyTypo { .. } => "recovery_key_typo",
                KeyError::RecoveryKeyFormat => "recovery_key_format",
                KeyError::WeakPassword { .. } => "weak_password",
                KeyError::Throttled { .. } => "throttled",
                KeyError::SlotsCorrupt => "slots_corrupt",
                KeyError::SlotsMissing => "slots_missing",
                KeyError::KdfOutOfBounds => "kdf_out_of_bounds",
                KeyError::KeychainNotEnabled => "keychain_not_enabled",
                KeyError::Keychain(_) => "keychain_unavailable",
                KeyError::KeyCheckMismatch => "key_check_mismatch",
                KeyError::CredentialNeeded => "credential_needed",
            },
            Error::Profile(e) => match e {
                ProfileError::NotFound(_) => "profile_not_found",
                ProfileError::Exists(_) => "profile_exists",
                ProfileError::Limit { .. } => "profile_limit",
                ProfileError::InvalidName => "profile_name_invalid",
                ProfileError::NotAdmin => "not_admin",
                ProfileError::AdminHasProfiles => "admin_has_profiles",
                ProfileError::ConfirmationMismatch => "confirmation_mismatch",
                ProfileError::RegistryCorrupt => "registry_corrupt",
                ProfileError::Busy => "profile_busy",
                ProfileError::NoDataDir => "no_data_dir",
            },
            Error::Vault(e) => match e {
                VaultError::Missing => "vault_missing",
                VaultError::Corrupt(_) => "vault_corrupt",
                VaultError::TooNew { .. } => "vault_too_new",
                VaultError::MigrationMismatch { .. } => "migration_mismatch",
            },
            Error::Input(e) => match e {
                InputError::Invalid { .. } => "invalid_input",
                InputError::NotFound(_) => "not_found",
                InputError::Duplicate(_) => "duplicate",
                InputError::InUse(_) => "in_use",
                InputError::WeightsSum { .. } => "weights_not_100",
                InputError::CompositeCycle => "composite_cycle",
                InputError::IsinCheckDigit => "isin_check_digit",
                InputError::SellExceedsPosition => "sell_exceeds_position",
                InputError::BeforeAccountOpening => "before_account_opening",
                InputError::SplitRatioInvalid => "split_ratio_invalid",
                InputError::PriceNotPositive => "price_not_positive",
                InputError::LoanTermInvalid => "loan_term_invalid",
                InputError::RateOutOfRange => "rate_out_of_range",
                InputError::RepaymentExceedsCapital => "repayment_exceeds_capital",
                InputError::ValuesDerived => "values_derived",
                InputError::BirthDateInFuture => "birth_date_in_future",
            },
            Error::Backup(e) => match e {
                BackupError::NotABackup => "not_a_backup",
                BackupError::TooNew { .. } => "backup_too_new",
                BackupError::Damaged(_) => "backup_damaged",
                BackupError::Truncated => "backup_truncated",
                BackupError::DestinationUnwritable { .. } => "destination_unwritable",
                BackupError::RestoreInterrupted => "restore_interrupted",
                BackupError::OtherProfile => "backup_other_profile",
                BackupError::ProfilePresent => "backup_profile_present",
                BackupError::OldCredentials => "backup_old_credentials",
                BackupError::UnknownSchema { .. } => "backup_schema_unknown",
            },
            Error::Import(_) => "import_invalid",
            Error::Csv(_) => "csv_unreadable",
            Error::DiskFull => "disk_full",
            Error::Io { .. } => "io",
            Error::Database(_) => "database",
            Error::Chart(_) => "chart",
        }
    }

    /// Wraps an I/O error with the path it concerns, recognising a full disk.
    pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        // ENOSPC (28) and EDQUOT (122 on Linux): no room left for this user.
        if matches!(source.raw_os_error(), Some(28) | Some(122)) || source.kind() == std::io::ErrorKind::StorageFull {
            Error::DiskFull
        } else {
            Error::Io { path: path.into(), source }
        }
    }

    /// Shorthand for an invalid field.
    pub fn invalid(field: &'static str, reason: impl Into<String>) -> Self {
        Error::Input(InputError::Invalid { field, reason: reason.into() })
    }
}

/// The core's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;

impl From<rusqlite::types::FromSqlError> for Error {
    fn from(e: rusqlite::types::FromSqlError) -> Self {
        Error::Database(rusqlite::Error::FromSqlConversionFailure(0, rusqlite::types::Type::Text, Box::new(e)))
    }
}

/// One problem on one line.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, TS)]
pub struct LineError {
    /// 1-based line number in the file (the header is line 1).
    pub line: usize,
    /// Column concerned, if one.
    pub column: Option<String>,
    /// Stable code. Every layout: `missing_column` (line 1), `malformed`, `required`,
    /// `bad_date`, `bad_number`, `bad_currency`, `too_long`. Values: `bad_account_kind`,
    /// `bad_asset_class`, `bad_share`, `bad_ownership`, `kind_conflict`,
    /// `currency_conflict`, `share_conflict`, `values_derived`. Activities: `bad_account_kind`,
    /// `bad_activity_type`, `bad_asset_class`, `bad_name`, `bad_isin`, `isin_check_digit`,
    /// `isin_conflict`, `not_positive`, `price_not_positive`, `split_ratio_invalid`,
    /// `before_account_opening`, `sell_exceeds_position`, `kind_conflict`,
    /// `currency_conflict`, and `invalid_input` (any other rule of an activity). Prices:
    /// `bad_name`, `bad_isin`, `isin_check_digit`, `isin_conflict`, `bad_asset_class`,
    /// `price_not_positive`, `currency_conflict`.
    pub code: &'static str,
    /// English explanation (never contains amounts).
    pub message: String,
}

/// Which CSV layout a file was read as, from its header.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ImportLayout {
    /// Values of assets on dates.
    #[default]
    Values,
    /// Activities of accounts (deposits, trades, income, fees, transfers, splits).
    Activities,
    /// Prices of instruments.
    Prices,
}

/// What an import did, or would do.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, TS)]
pub struct ImportReport {
    /// The layout the header was recognised as.
    pub layout: ImportLayout,
    /// Data lines read.
    pub lines: usize,
    /// Lines imported (or importable in a dry run).
    pub imported: usize,
    /// Lines skipped because invalid.
    pub skipped: usize,
    /// Institutions created.
    pub institutions_created: usize,
    /// Accounts created.
    pub accounts_created: usize,
    /// Assets created.
    pub assets_created: usize,
    /// New value points.
    pub values_inserted: usize,
    /// Value points replaced.
    pub values_updated: usize,
    /// Activities recorded.
    pub activities_inserted: usize,
    /// New prices.
    pub prices_inserted: usize,
    /// Prices replaced.
    pub prices_updated: usize,
    /// Instruments created.
    pub instruments_created: usize,
    /// Whether nothing was written.
    pub dry_run: bool,
    /// Problems, by line.
    pub errors: Vec<LineError>,
}

#[cfg(test)]
mod tests {
    use super::Error;

    /// `ALL_CODES` is exactly the codes `code()` returns, read from this file, so a new
    /// error cannot miss the list (and so the UI's sentences).
    #[test]
    fn all_codes_lists_every_code_once() {
        let src = include_str!("error.rs");
        let start = src.find("pub fn code(&self)").expect("code() is in this file");
        let end = start + src[start..].find("/// Wraps an I/O error").expect("io() follows code()");
        let returned: Vec<&str> = src[start..end]
            .split("=> \"")
            .skip(1)
            .map(|rest| &rest[..rest.find('"').expect("a closing quote")])
            .collect();
        assert_eq!(returned, Error::ALL_CODES);
        let mut unique = returned.clone();
        unique.sort_unstable();
        unique.dedup();
        assert_eq!(unique.len(), returned.len(), "a code is used twice");
    }
}
