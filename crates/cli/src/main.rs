//! `patrimoine-cli`: the headless interface to Patrimoine, for scripts, cron jobs and
//! tests. Passwords come from `PATRIMOINE_PASSWORD`, else from the file named by
//! `PATRIMOINE_PASSWORD_FILE` (for unattended runs), else a no-echo prompt on a
//! terminal; `--recovery-key-file` unlocks with the recovery key instead. Exit code 0
//! on success; otherwise a one-line `error[code]: message` on stderr.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;

use chrono::NaiveDate;
use clap::{Parser, Subcommand, ValueEnum};
use patrimoine_core::analytics::{BreakdownBy, Step};
use patrimoine_core::backup::BackupSettings;
use patrimoine_core::error::Error;
use patrimoine_core::import::{ImportOptions, ImportReport};
use patrimoine_core::keys::RecoveryKey;
use patrimoine_core::profile::default_data_dir;
use patrimoine_core::restore::{Credential, RestoreRequest, Target};
use patrimoine_core::rotation::Rotated;
use patrimoine_core::{CreateOptions, DataDir, DeleteAuth, KdfChoice, Session};
use serde::Serialize;
use zeroize::Zeroizing;

#[derive(Parser)]
#[command(name = "patrimoine-cli", version, about = "Patrimoine: your wealth, in an encrypted vault on this computer.")]
struct Cli {
    /// Data directory (default: the platform's data folder, e.g. ~/.local/share/patrimoine).
    #[arg(long, global = true, env = "PATRIMOINE_DATA_DIR")]
    data_dir: Option<PathBuf>,
    /// Unlock with the recovery key stored in this file instead of the password.
    #[arg(long, global = true)]
    recovery_key_file: Option<PathBuf>,
    /// Target time of the password key derivation in milliseconds, for new passwords
    /// (never below 64 MiB / 3 passes).
    #[arg(long, global = true, env = "PATRIMOINE_KDF_MS", default_value_t = 1000)]
    kdf_ms: u64,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
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
enum ProfileCmd {
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
enum BackupCmd {
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
enum PasswordCmd {
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
enum RecoveryCmd {
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
enum FxCmd {
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
enum MigrateCmd {
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
enum StepArg {
    Daily,
    Weekly,
    Monthly,
}

/// A CLI failure: a core error or a problem with how the CLI was called.
enum Failure {
    Core(Error),
    Usage(&'static str, String),
}

impl From<Error> for Failure {
    fn from(e: Error) -> Self {
        Failure::Core(e)
    }
}

type Outcome = Result<(), Failure>;

/// A secret from `$VAR`, else from the file named by `$VAR_FILE` (its first line),
/// else a no-echo prompt. The secret is never printed or logged.
fn secret_from_env_or_prompt(var: &str, prompt: &str, confirm: bool) -> Result<Zeroizing<String>, Failure> {
    if let Ok(v) = std::env::var(var) {
        return Ok(Zeroizing::new(v));
    }
    if let Some(file) = std::env::var_os(format!("{var}_FILE")) {
        let file = PathBuf::from(file);
        let text = Zeroizing::new(std::fs::read_to_string(&file).map_err(|e| Error::io(&file, e))?);
        let line = text.lines().next().unwrap_or("");
        return Ok(Zeroizing::new(line.to_owned()));
    }
    if !std::io::stdin().is_terminal() {
        return Err(Failure::Usage(
            "no_password",
            format!("set {var} or {var}_FILE, or run in a terminal to be asked"),
        ));
    }
    let first =
        Zeroizing::new(rpassword::prompt_password(prompt).map_err(|e| Failure::Usage("no_password", e.to_string()))?);
    if confirm {
        let again = Zeroizing::new(
            rpassword::prompt_password("Again: ").map_err(|e| Failure::Usage("no_password", e.to_string()))?,
        );
        if *first != *again {
            return Err(Failure::Usage("password_mismatch", "the two passwords differ".into()));
        }
    }
    Ok(first)
}

struct Ctx {
    dd: DataDir,
    recovery_key_file: Option<PathBuf>,
    kdf: KdfChoice,
}

/// The credential the user gave this run: `--recovery-key-file`, else the password.
enum Given {
    Password(Zeroizing<String>),
    RecoveryKey(RecoveryKey),
}

impl Given {
    fn credential(&self) -> Credential<'_> {
        match self {
            Given::Password(pw) => Credential::Password(pw),
            Given::RecoveryKey(rk) => Credential::RecoveryKey(rk),
        }
    }
}

impl Ctx {
    fn unlock(&self, name: &str) -> Result<Session, Failure> {
        Ok(self.unlock_given(name)?.0)
    }

    /// Unlocks with the credential given, and keeps it: a change that gives lasting
    /// access (password, recovery key, keychain) checks it again.
    fn unlock_given(&self, name: &str) -> Result<(Session, Given), Failure> {
        let given = self.given(&format!("Password for {name}: "))?;
        let s = self.dd.unlock(name, &given.credential())?;
        if matches!(given, Given::RecoveryKey(_)) {
            eprintln!("note: unlocked with the recovery key; choose a new password with `patrimoine-cli password change {name}`");
        }
        Ok((s, given))
    }

    fn given(&self, prompt: &str) -> Result<Given, Failure> {
        match self.recovery_key()? {
            Some(rk) => Ok(Given::RecoveryKey(rk)),
            None => Ok(Given::Password(secret_from_env_or_prompt("PATRIMOINE_PASSWORD", prompt, false)?)),
        }
    }

    fn recovery_key(&self) -> Result<Option<RecoveryKey>, Failure> {
        match &self.recovery_key_file {
            Some(f) => {
                let text = Zeroizing::new(std::fs::read_to_string(f).map_err(|e| Error::io(f, e))?);
                Ok(Some(RecoveryKey::parse(&text).map_err(Error::from)?))
            }
            None => Ok(None),
        }
    }

    fn unlock_admin(&self, admin: &str) -> Result<Session, Failure> {
        let pw =
            secret_from_env_or_prompt("PATRIMOINE_ADMIN_PASSWORD", &format!("Password of admin {admin}: "), false)?;
        Ok(self.dd.unlock_with_password(admin, &pw)?)
    }
}

fn print_json(v: &impl Serialize) {
    println!("{}", serde_json::to_string_pretty(v).expect("serializable output"));
}

fn write_secret_file(path: &Path, text: &str) -> Result<(), Failure> {
    // Created 0600 before the first byte is written (the core's atomic writes).
    patrimoine_core::durable::write_atomic(path, format!("{text}\n").as_bytes())?;
    Ok(())
}

/// Reports what replacing the master key did besides the change asked for.
fn show_rotation(rotated: &Rotated, recovery_key_out: Option<&Path>) -> Outcome {
    if rotated.keychain_disabled {
        eprintln!(
            "note: keychain unlock was turned off (its slot was made by an older version); turn it on again in the app"
        );
    }
    match &rotated.new_recovery_key {
        Some(rk) => show_recovery_key(rk, recovery_key_out),
        None => Ok(()),
    }
}

fn show_recovery_key(rk: &RecoveryKey, out: Option<&Path>) -> Outcome {
    let shown = rk.display();
    match out {
        Some(p) => {
            write_secret_file(p, &shown)?;
            eprintln!(
                "Recovery key written to {}. Print it or copy it somewhere safe, then delete the file.",
                p.display()
            );
        }
        None => {
            println!("{}", shown.as_str());
            eprintln!("This is your recovery key. It is shown once: write it down and keep it safe.");
        }
    }
    Ok(())
}

fn print_import_report(r: &ImportReport, json: bool) {
    if json {
        print_json(r);
        return;
    }
    println!(
        "{}lines {}, imported {}, skipped {}; created {} institution(s), {} account(s), {} asset(s); values new {}, updated {}",
        if r.dry_run { "dry run: " } else { "" },
        r.lines,
        r.imported,
        r.skipped,
        r.institutions_created,
        r.accounts_created,
        r.assets_created,
        r.values_inserted,
        r.values_updated
    );
    for e in &r.errors {
        println!(
            "line {}: {}{}: {}",
            e.line,
            e.column.as_deref().map(|c| format!("{c}: ")).unwrap_or_default(),
            e.code,
            e.message
        );
    }
}

fn today() -> NaiveDate {
    chrono::Local::now().date_naive()
}

fn run(cli: Cli) -> Outcome {
    let root = cli
        .data_dir
        .clone()
        .or_else(default_data_dir)
        .ok_or_else(|| Failure::Usage("no_data_dir", "no data directory: pass --data-dir".into()))?;
    let ctx = Ctx {
        dd: DataDir::open(root)?,
        recovery_key_file: cli.recovery_key_file.clone(),
        kdf: KdfChoice::Calibrate(Duration::from_millis(cli.kdf_ms)),
    };
    // Finish (or undo) a restore that was interrupted, before anything else.
    for r in ctx.dd.recover_interrupted()? {
        eprintln!(
            "note: an interrupted restore of {} was {}",
            r.profile,
            if r.finished { "completed" } else { "rolled back" }
        );
    }
    match cli.command {
        Command::Profile(ProfileCmd::Create { name, base_currency, recovery_key_out, admin }) => {
            let admin_session = admin.as_deref().map(|a| ctx.unlock_admin(a)).transpose()?;
            let pw = secret_from_env_or_prompt("PATRIMOINE_PASSWORD", &format!("New password for {name}: "), true)?;
            let created = ctx.dd.create_profile(
                &name,
                &pw,
                &CreateOptions { base_currency, kdf: ctx.kdf },
                admin_session.as_ref(),
            )?;
            eprintln!("Profile {} created.", created.session.info().name);
            show_recovery_key(&created.recovery_key, recovery_key_out.as_deref())
        }
        Command::Profile(ProfileCmd::List { json }) => {
            let profiles = ctx.dd.profiles()?;
            if json {
                print_json(&profiles);
            } else {
                for p in profiles {
                    println!("{}{}", p.name, if p.admin { " (admin)" } else { "" });
                }
            }
            Ok(())
        }
        Command::Profile(ProfileCmd::Rename { name, new_name, admin }) => {
            let by = match admin {
                Some(a) => ctx.unlock_admin(&a)?,
                None => ctx.unlock(&name)?,
            };
            Ok(ctx.dd.rename_profile(&by, &name, &new_name)?)
        }
        Command::Profile(ProfileCmd::Delete { name, admin, confirm }) => {
            match admin {
                Some(a) => {
                    let admin = ctx.unlock_admin(&a)?;
                    let typed = confirm.unwrap_or_default();
                    ctx.dd.delete_profile(&name, DeleteAuth::Admin { admin: &admin, typed_name: &typed }, None)?
                }
                None => {
                    let pw =
                        secret_from_env_or_prompt("PATRIMOINE_PASSWORD", &format!("Password for {name}: "), false)?;
                    ctx.dd.delete_profile(&name, DeleteAuth::Password(&pw), None)?
                }
            }
            eprintln!("Profile {name} deleted.");
            Ok(())
        }
        Command::Password(PasswordCmd::Change { name, recovery_key_out }) => {
            let (mut s, given) = ctx.unlock_given(&name)?;
            let pw = secret_from_env_or_prompt("PATRIMOINE_NEW_PASSWORD", "New password: ", true)?;
            // Right after a recovery-key unlock the key just typed is the confirmation.
            let current = if s.must_set_password() { None } else { Some(given.credential()) };
            let rotated = s.change_password(current.as_ref(), &pw, ctx.kdf)?;
            eprintln!("Password changed. The old password now opens only the backups made before this change.");
            show_rotation(&rotated, recovery_key_out.as_deref())
        }
        Command::RecoveryKey(RecoveryCmd::Regenerate { name, out }) => {
            let (mut s, given) = ctx.unlock_given(&name)?;
            let rotated = s.regenerate_recovery_key(&given.credential())?;
            eprintln!("The old recovery key now opens only the backups made before this change.");
            show_rotation(&rotated, out.as_deref())
        }
        Command::Import { name, file, dry_run, skip_invalid, json } => {
            let s = ctx.unlock(&name)?;
            let f = std::fs::File::open(&file).map_err(|e| Error::io(&file, e))?;
            match s.vault().import_csv(f, ImportOptions { dry_run, skip_invalid }) {
                Ok(r) => {
                    print_import_report(&r, json);
                    if dry_run && !r.errors.is_empty() {
                        return Err(Failure::Core(Error::Import(Box::new(r))));
                    }
                    Ok(())
                }
                Err(Error::Import(r)) => {
                    print_import_report(&r, json);
                    Err(Failure::Core(Error::Import(r)))
                }
                Err(e) => Err(e.into()),
            }
        }
        Command::Fx(FxCmd::Import { name, file }) => {
            let s = ctx.unlock(&name)?;
            let bytes = std::fs::read(&file).map_err(|e| Error::io(&file, e))?;
            let r = s.vault().import_ecb(&bytes)?;
            println!(
                "{} rate(s) for {} currencies, {} to {}",
                r.rates,
                r.currencies.len(),
                r.first_date.map(|d| d.to_string()).unwrap_or_default(),
                r.last_date.map(|d| d.to_string()).unwrap_or_default()
            );
            Ok(())
        }
        Command::Fx(FxCmd::List { name, currency, limit }) => {
            let s = ctx.unlock(&name)?;
            for r in s.vault().fx_rates(currency.as_deref().map(str::trim), limit)? {
                println!("{} {} {}", r.date, r.currency, r.rate);
            }
            Ok(())
        }
        Command::Networth { name, at, json } => {
            let s = ctx.unlock(&name)?;
            let nw = s.vault().net_worth(at.unwrap_or_else(today))?;
            if json {
                print_json(&nw);
            } else {
                println!("{} {} {}", nw.date, nw.net_worth, nw.currency);
            }
            for c in &nw.missing_rates {
                eprintln!("warning: no exchange rate for {c}; its values are left out");
            }
            Ok(())
        }
        Command::Series { name, from, to, step, json } => {
            let s = ctx.unlock(&name)?;
            let step = match step {
                StepArg::Daily => Step::Daily,
                StepArg::Weekly => Step::Weekly,
                StepArg::Monthly => Step::Monthly,
            };
            let series = s.vault().net_worth_series(from, to.unwrap_or_else(today), step, false)?;
            if json {
                print_json(&series);
            } else {
                for (d, v) in series.dates.iter().zip(&series.totals) {
                    println!("{d} {v}");
                }
            }
            Ok(())
        }
        Command::Breakdown { name, by, at, json } => {
            let s = ctx.unlock(&name)?;
            let b = s.vault().breakdown(at.unwrap_or_else(today), &BreakdownBy::parse(&by))?;
            if json {
                print_json(&b);
            } else {
                for sl in &b.slices {
                    println!("{:<30} {:>16} {:>7} %", sl.label, sl.value.to_string(), sl.percent.to_string());
                }
                println!("{:<30} {:>16} {}", "total", b.total.to_string(), b.currency);
            }
            Ok(())
        }
        Command::Performance { name, account, from, to, json } => {
            let s = ctx.unlock(&name)?;
            let p = s.vault().performance(account, from, to.unwrap_or_else(today))?;
            if json {
                print_json(&p);
            } else {
                let pct = |d: Option<patrimoine_core::money::Decimal>| {
                    d.map(|d| format!("{} %", (d * patrimoine_core::money::Decimal::ONE_HUNDRED).round_dp(2)))
                        .unwrap_or("n/a".into())
                };
                println!("start {}  end {}  net flows {}  gain {}", p.start_value, p.end_value, p.net_flows, p.gain);
                println!("TWR {}  XIRR {}", pct(p.twr), pct(p.xirr));
            }
            Ok(())
        }
        Command::Stale { name, days, json } => {
            let s = ctx.unlock(&name)?;
            let stale = s.vault().stale_assets(today(), days)?;
            if json {
                print_json(&stale);
            } else {
                for a in stale {
                    println!("{} {}", a.last_date.map(|d| d.to_string()).unwrap_or_else(|| "never".into()), a.name);
                }
            }
            Ok(())
        }
        Command::Export { name, json, csv } => {
            let s = ctx.unlock(&name)?;
            let (path, as_json) = match (json, csv) {
                (Some(p), _) => (p, true),
                (None, Some(p)) => (p, false),
                (None, None) => return Err(Failure::Usage("usage", "pass --json FILE or --csv FILE".into())),
            };
            s.vault().export_to_file(&path, as_json)?;
            eprintln!("Exported to {}", path.display());
            Ok(())
        }
        Command::Check { name } => {
            let s = ctx.unlock(&name)?;
            let h = s.vault().health()?;
            if h.is_ok() {
                println!("ok: key check passed, vault intact (schema {})", h.schema_version);
                Ok(())
            } else {
                Err(Failure::Core(Error::Vault(patrimoine_core::error::VaultError::Corrupt(format!(
                    "{} page error(s), {} integrity error(s), {} foreign-key error(s)",
                    h.cipher_errors.len(),
                    h.integrity_errors.len(),
                    h.foreign_key_errors
                )))))
            }
        }
        Command::Migrate(MigrateCmd::Status { name, json }) => {
            let s = ctx.unlock(&name)?;
            let st = s.vault().migration_status()?;
            if json {
                print_json(&st);
            } else {
                for m in st {
                    println!(
                        "{:04} {:<20} {}{}",
                        m.version,
                        m.name,
                        m.applied_at.as_deref().unwrap_or("pending"),
                        if m.checksum_ok { "" } else { "  CHECKSUM MISMATCH" }
                    );
                }
            }
            Ok(())
        }
        Command::RawKey { name } => {
            let s = ctx.unlock(&name)?;
            let key = s.reveal_raw_key()?;
            println!("{}", key.as_str());
            eprintln!(
                "Anyone with this key and the file {} can read your data. Do not store it.",
                s.vault().path().display()
            );
            Ok(())
        }
        Command::Backup(cmd) => run_backup(&ctx, cmd),
        Command::Restore { file, profile, as_new, admin, recovery_key_out } => {
            let admin_session = admin.as_deref().map(|a| ctx.unlock_admin(a)).transpose()?;
            let header = patrimoine_core::backup::inspect(&file)?;
            let target = match (&profile, &as_new) {
                (Some(p), _) => Target::Profile(p),
                (None, Some(n)) => Target::AsNew(n),
                (None, None) => Target::Auto,
            };
            // Into a profile here: its current credential. As a new profile: the
            // backup's, and a new password (the new profile also gets a new recovery key).
            let local = ctx.dd.profiles()?.into_iter().find(|p| p.id == header.profile_id);
            let into = match target {
                Target::Profile(p) => Some(p.to_owned()),
                Target::AsNew(_) => None,
                Target::Auto => local.map(|p| p.name),
            };
            let prompt = match &into {
                Some(name) => format!("Current password of {name}: "),
                None => "Password of the backup: ".to_owned(),
            };
            let given = ctx.given(&prompt)?;
            let new_pw = match (&into, &given) {
                (Some(_), Given::Password(_)) => None,
                _ => Some(secret_from_env_or_prompt("PATRIMOINE_NEW_PASSWORD", "New password: ", true)?),
            };
            let restored = ctx.dd.restore(
                &file,
                &RestoreRequest {
                    credential: given.credential(),
                    new_password: new_pw.as_deref().map(|s| s.as_str()),
                    target,
                    admin: admin_session.as_ref(),
                    kdf: ctx.kdf,
                },
            )?;
            println!("restored {} from the backup of {}", restored.session.info().name, header.created_at.to_rfc3339());
            match &restored.new_recovery_key {
                Some(rk) => show_recovery_key(rk, recovery_key_out.as_deref()),
                None => Ok(()),
            }
        }
        Command::Audit { name, limit, json } => {
            let s = ctx.unlock(&name)?;
            let log = s.vault().audit_log(limit)?;
            if json {
                print_json(&log);
            } else {
                for e in log {
                    println!("{} {} {}", e.at.to_rfc3339(), e.kind, e.detail);
                }
            }
            Ok(())
        }
    }
}

fn run_backup(ctx: &Ctx, cmd: BackupCmd) -> Outcome {
    match cmd {
        BackupCmd::Create { name, out } => {
            let s = ctx.unlock(&name)?;
            match out {
                Some(dir) => {
                    let e = s.export_backup(&dir)?;
                    println!("{}", e.path.display());
                    eprintln!("{} bytes, SHA-256 {} (also in {}.sha256)", e.size, e.sha256, e.path.display());
                }
                None => {
                    let e = s.backup_now()?;
                    println!("{}", e.header.path.display());
                    let settings: BackupSettings = s.backup_settings();
                    if settings.second_destination_overdue(chrono::Utc::now()) {
                        eprintln!("note: the second backup destination has not been seen for a while; plug it in");
                    }
                }
            }
            Ok(())
        }
        BackupCmd::List { name, check, json } => {
            let list = if check { ctx.unlock(&name)?.list_backups()? } else { ctx.dd.list_backups(&name)? };
            if json {
                print_json(&list);
            } else {
                for e in list {
                    let verified = match (e.ok, e.verified_at) {
                        (Some(true), Some(t)) => format!("verified {}", t.to_rfc3339()),
                        (Some(false), Some(t)) => format!("FAILED verification {}", t.to_rfc3339()),
                        _ if check && !e.authenticated => "NOT AUTHENTICATED (not made with this profile's key)".into(),
                        _ => "verified when written".into(),
                    };
                    println!(
                        "{}  {:>12}  {}  {}",
                        e.header.created_at.to_rfc3339(),
                        e.header.size,
                        verified,
                        e.header.path.display()
                    );
                }
            }
            Ok(())
        }
        BackupCmd::Verify { file } => {
            let rk = ctx.recovery_key()?;
            let pw;
            let credential = match &rk {
                Some(rk) => Credential::RecoveryKey(rk),
                None => {
                    pw = secret_from_env_or_prompt("PATRIMOINE_PASSWORD", "Password of the backup: ", false)?;
                    Credential::Password(&pw)
                }
            };
            let h = ctx.dd.verify_backup(&file, &credential)?;
            println!(
                "ok: backup of {} made {}, schema {}, every check passed",
                h.profile_name,
                h.created_at.to_rfc3339(),
                h.schema_version
            );
            Ok(())
        }
        BackupCmd::Info { file, json } => {
            let h = patrimoine_core::backup::inspect(&file)?;
            if json {
                print_json(&h);
            } else {
                println!("profile: {}", h.profile_name);
                println!("created: {}", h.created_at.to_rfc3339());
                println!("app version: {}", h.app_version);
                println!("schema: {}", h.schema_version);
                println!("size: {}", h.size);
                println!("snapshot checked when made: {}", if h.snapshot_checked { "yes" } else { "no" });
            }
            Ok(())
        }
        BackupCmd::Prune { name } => {
            for p in ctx.unlock(&name)?.prune_backups()? {
                println!("deleted {}", p.display());
            }
            for p in ctx.dd.prune_set_aside(chrono::Utc::now())? {
                println!("deleted {}", p.display());
            }
            Ok(())
        }
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(Failure::Core(e)) => {
            eprintln!("error[{}]: {e}", e.code());
            ExitCode::FAILURE
        }
        Err(Failure::Usage(code, msg)) => {
            eprintln!("error[{code}]: {msg}");
            ExitCode::from(2)
        }
    }
}
