//! The command line itself: every command, argument, default and help text, as clap
//! definitions. Nothing here touches the disk; `commands` carries them out.

use std::path::PathBuf;

use chrono::NaiveDate;
use clap::{Parser, Subcommand, ValueEnum};

#[derive(Parser)]
#[command(name = "patrimoine-cli", version, about = "Patrimoine: your wealth, in an encrypted vault on this computer.")]
pub struct Cli {
    /// Data directory (default: the platform's data folder, e.g. ~/.local/share/patrimoine).
    #[arg(long, global = true, env = "PATRIMOINE_DATA_DIR")]
    pub data_dir: Option<PathBuf>,
    /// Unlock with the recovery key stored in this file instead of the password.
    #[arg(long, global = true)]
    pub recovery_key_file: Option<PathBuf>,
    /// Target time of the password key derivation in milliseconds, for new passwords
    /// (never below 64 MiB / 3 passes).
    #[arg(long, global = true, env = "PATRIMOINE_KDF_MS", default_value_t = 1000)]
    pub kdf_ms: u64,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand)]
pub enum Command {
    /// Create, list, rename and delete profiles.
    #[command(subcommand)]
    Profile(ProfileCmd),
    /// Change a profile's password (new one from PATRIMOINE_NEW_PASSWORD or a prompt).
    #[command(subcommand)]
    Password(PasswordCmd),
    /// Make a new recovery key (the old one stops working).
    #[command(subcommand, name = "recovery-key")]
    RecoveryKey(RecoveryCmd),
    /// Import value history from CSV (layout in README.md).
    Import {
        /// Profile.
        name: String,
        /// CSV file.
        file: PathBuf,
        /// Check and count, write nothing.
        #[arg(long)]
        dry_run: bool,
        /// Import the good lines and skip the bad ones.
        #[arg(long)]
        skip_invalid: bool,
        /// Print the report as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Exchange rates.
    #[command(subcommand)]
    Fx(FxCmd),
    /// Net worth on a date (default: today).
    Networth {
        /// Profile.
        name: String,
        /// Date (YYYY-MM-DD).
        #[arg(long)]
        at: Option<NaiveDate>,
        /// JSON output.
        #[arg(long)]
        json: bool,
    },
    /// Net worth over time.
    Series {
        /// Profile.
        name: String,
        /// First date.
        #[arg(long)]
        from: NaiveDate,
        /// Last date (default: today).
        #[arg(long)]
        to: Option<NaiveDate>,
        /// Sampling.
        #[arg(long, value_enum, default_value_t = StepArg::Monthly)]
        step: StepArg,
        /// JSON output.
        #[arg(long)]
        json: bool,
    },
    /// Net worth broken down by class, region, sector, institution, account, account_kind,
    /// currency or any allocation dimension.
    Breakdown {
        /// Profile.
        name: String,
        /// Grouping.
        #[arg(long)]
        by: String,
        /// Date (default: today).
        #[arg(long)]
        at: Option<NaiveDate>,
        /// JSON output.
        #[arg(long)]
        json: bool,
    },
    /// Time- and money-weighted returns of an account or the whole profile.
    Performance {
        /// Profile.
        name: String,
        /// Account id (default: the whole profile).
        #[arg(long)]
        account: Option<i64>,
        /// Start date.
        #[arg(long)]
        from: NaiveDate,
        /// End date (default: today).
        #[arg(long)]
        to: Option<NaiveDate>,
        /// JSON output.
        #[arg(long)]
        json: bool,
    },
    /// Assets whose last value is older than N days.
    Stale {
        /// Profile.
        name: String,
        /// Age threshold in days.
        #[arg(long, default_value_t = 90)]
        days: i64,
        /// JSON output.
        #[arg(long)]
        json: bool,
    },
    /// Export everything as JSON or the value history as CSV.
    Export {
        /// Profile.
        name: String,
        /// JSON file to write.
        #[arg(long, conflicts_with = "csv", required_unless_present = "csv")]
        json: Option<PathBuf>,
        /// CSV file to write.
        #[arg(long)]
        csv: Option<PathBuf>,
    },
    /// Check the key and the vault's integrity; exit 0 when healthy.
    Check {
        /// Profile.
        name: String,
    },
    /// Schema migrations.
    #[command(subcommand)]
    Migrate(MigrateCmd),
    /// Print the vault's raw SQLCipher key, to open your data with any SQLCipher 4 tool.
    #[command(name = "raw-key")]
    RawKey {
        /// Profile.
        name: String,
    },
    /// Encrypted backups: create, list, verify, inspect, prune.
    #[command(subcommand)]
    Backup(BackupCmd),
    /// Write the man page and the bash, zsh and fish completions into DIR (for
    /// packagers; hidden from --help).
    #[command(name = "generate-docs", hide = true)]
    GenerateDocs {
        /// Folder to write into (created if missing).
        dir: PathBuf,
    },
    /// Restore a backup file: into the profile it was made from (default when it
    /// exists here), or as a new profile. Password of the backup from
    /// PATRIMOINE_PASSWORD, or --recovery-key-file (then the new password comes from
    /// PATRIMOINE_NEW_PASSWORD).
    Restore {
        /// The backup file.
        file: PathBuf,
        /// Restore into this existing profile (it must be the backup's profile).
        #[arg(long, conflicts_with = "as_new")]
        profile: Option<String>,
        /// Restore as a new profile with this name.
        #[arg(long)]
        as_new: Option<String>,
        /// The admin profile authorising a new profile when others exist (password from
        /// PATRIMOINE_ADMIN_PASSWORD or a prompt).
        #[arg(long)]
        admin: Option<String>,
        /// Write the new recovery key a profile restored as new gets to this file
        /// (mode 0600) instead of printing it.
        #[arg(long)]
        recovery_key_out: Option<PathBuf>,
    },
    /// Show the audit log.
    Audit {
        /// Profile.
        name: String,
        /// Number of entries.
        #[arg(long, default_value_t = 50)]
        limit: usize,
        /// JSON output.
        #[arg(long)]
        json: bool,
    },
}

#[derive(Subcommand)]
pub enum ProfileCmd {
    /// Create a profile. The first one is the admin; later ones need --admin.
    Create {
        /// Name.
        name: String,
        /// Base currency.
        #[arg(long, default_value = "EUR")]
        base_currency: String,
        /// Write the recovery key to this file (mode 0600) instead of printing it.
        #[arg(long)]
        recovery_key_out: Option<PathBuf>,
        /// The admin profile authorising the creation (password from PATRIMOINE_ADMIN_PASSWORD or a prompt).
        #[arg(long)]
        admin: Option<String>,
    },
    /// List profiles.
    List {
        /// JSON output.
        #[arg(long)]
        json: bool,
    },
    /// Rename a profile (its own password, or --admin).
    Rename {
        /// Current name.
        name: String,
        /// New name.
        new_name: String,
        /// Authorise as this admin profile instead.
        #[arg(long)]
        admin: Option<String>,
    },
    /// Delete a profile and its data (its own password, or --admin with --confirm NAME).
    Delete {
        /// Name.
        name: String,
        /// Authorise as this admin profile instead.
        #[arg(long, requires = "confirm")]
        admin: Option<String>,
        /// The profile name typed again.
        #[arg(long)]
        confirm: Option<String>,
    },
}

#[derive(Subcommand)]
pub enum BackupCmd {
    /// Make a verified backup now and print its path. Into the profile's backup folder
    /// (with a copy in the second destination and rotation), or into --out DIR.
    Create {
        /// Profile.
        name: String,
        /// Write the backup into this folder (e.g. a USB stick) instead, with a .sha256 file.
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// List a profile's backups. Without --check no password is needed, but no file
    /// can be authenticated: anyone can drop a file naming the profile into a folder.
    List {
        /// Profile.
        name: String,
        /// Unlock the profile and check which files are really its backups (their
        /// header's MAC); the others are listed as "NOT AUTHENTICATED".
        #[arg(long)]
        check: bool,
        /// JSON output.
        #[arg(long)]
        json: bool,
    },
    /// Decrypt a backup file into a temporary vault and run every check.
    Verify {
        /// The backup file.
        file: PathBuf,
    },
    /// Show a backup file's header (no password needed).
    Info {
        /// The backup file.
        file: PathBuf,
        /// JSON output.
        #[arg(long)]
        json: bool,
    },
    /// Apply rotation to a profile's backups (needs the password: only files whose
    /// header authenticates with the profile's key are counted or deleted) and remove
    /// set-aside vaults older than 30 days.
    Prune {
        /// Profile.
        name: String,
    },
}

#[derive(Subcommand)]
pub enum PasswordCmd {
    /// Change the password (confirmed by the current password, or by the recovery key
    /// with --recovery-key-file). The master key is replaced too: the old password
    /// then opens only the backups made before the change.
    Change {
        /// Profile.
        name: String,
        /// Where to write a new recovery key, when the old one cannot follow the new
        /// master key (made by an older version); printed otherwise.
        #[arg(long)]
        recovery_key_out: Option<PathBuf>,
    },
}

#[derive(Subcommand)]
pub enum RecoveryCmd {
    /// Make a new recovery key.
    Regenerate {
        /// Profile.
        name: String,
        /// Write it to this file (mode 0600) instead of printing it.
        #[arg(long)]
        out: Option<PathBuf>,
    },
}

#[derive(Subcommand)]
pub enum FxCmd {
    /// Import an ECB reference-rate CSV (eurofxref-hist.csv or eurofxref.csv).
    Import {
        /// Profile.
        name: String,
        /// File.
        file: PathBuf,
    },
    /// List rates.
    List {
        /// Profile.
        name: String,
        /// Only this currency.
        #[arg(long)]
        currency: Option<String>,
        /// Number of rows.
        #[arg(long, default_value_t = 30)]
        limit: usize,
    },
}

#[derive(Subcommand)]
pub enum MigrateCmd {
    /// Show applied and pending migrations.
    Status {
        /// Profile.
        name: String,
        /// JSON output.
        #[arg(long)]
        json: bool,
    },
}

#[derive(Clone, Copy, ValueEnum)]
pub enum StepArg {
    Daily,
    Weekly,
    Monthly,
}
