//! The command line itself: every command, argument, default and help text, as clap
//! definitions. Nothing here touches the disk; `commands` carries them out.

use std::path::PathBuf;

use chrono::NaiveDate;
use clap::{Args, Parser, Subcommand, ValueEnum};
use patrimoine_core::activities::ActivityKind;
use patrimoine_core::money::{parse_decimal, Decimal};
use patrimoine_core::portfolio::{AccountKind, AssetClass, InstitutionKind, Ownership};

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
    /// Accounts: open one at an institution, list them.
    #[command(subcommand)]
    Account(AccountCmd),
    /// Assets: list them, set a dismembered ownership (usufruct, bare ownership).
    #[command(subcommand)]
    Asset(AssetCmd),
    /// Instruments (securities, funds, crypto-assets) shared by every account.
    #[command(subcommand)]
    Instrument(InstrumentCmd),
    /// Instrument prices.
    #[command(subcommand)]
    Price(PriceCmd),
    /// Account activities: deposits, trades, income, fees, transfers, splits.
    #[command(subcommand)]
    Activity(ActivityCmd),
    /// Opening positions held before their history.
    #[command(subcommand)]
    Position(PositionCmd),
    /// An account's cash and positions on a date, with gains and income per year.
    Holdings {
        /// Profile.
        name: String,
        #[command(flatten)]
        account: AccountArg,
        /// Date (default: today).
        #[arg(long)]
        at: Option<NaiveDate>,
        /// JSON output.
        #[arg(long)]
        json: bool,
    },
    /// Loans from their terms: schedules, early repayments, a property's net equity.
    #[command(subcommand)]
    Loan(LoanCmd),
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

/// An account named on the command line.
#[derive(Args)]
pub struct AccountArg {
    /// Institution name (may be left out when the account name is unique).
    #[arg(long)]
    pub institution: Option<String>,
    /// Account name, or its id.
    #[arg(long)]
    pub account: String,
}

#[derive(Subcommand)]
pub enum AccountCmd {
    /// Open an account, and its institution when missing; prints the account's id.
    Add {
        /// Profile.
        name: String,
        /// Institution name.
        #[arg(long)]
        institution: String,
        /// Account name.
        #[arg(long)]
        account: String,
        /// Kind: current, savings, term_deposit, brokerage, pea, pea_pme, life_insurance,
        /// per, crypto, real_estate, loan, other (French labels too).
        #[arg(long, value_parser = account_kind)]
        kind: AccountKind,
        /// Currency (default: the profile's base currency).
        #[arg(long)]
        currency: Option<String>,
        /// Opening date (no activity may be dated before it).
        #[arg(long)]
        opened: Option<NaiveDate>,
        /// Kind of a new institution: bank, insurer, broker, direct, other (default: from
        /// the account's kind).
        #[arg(long, value_parser = institution_kind)]
        institution_kind: Option<InstitutionKind>,
    },
    /// List accounts.
    List {
        /// Profile.
        name: String,
        /// JSON output.
        #[arg(long)]
        json: bool,
    },
}

#[derive(Subcommand)]
pub enum AssetCmd {
    /// List assets with their ids.
    List {
        /// Profile.
        name: String,
        /// JSON output.
        #[arg(long)]
        json: bool,
    },
    /// Set an asset's ownership: usufruct or bare ownership valued by article 669 CGI
    /// from the usufructuary's birth date (life usufruct) or the end date (fixed term),
    /// or full ownership again; shows the rule in use.
    Dismember {
        /// Profile.
        name: String,
        /// Asset name or id.
        asset: String,
        /// Ownership: usufruct, bare or full (French labels too).
        #[arg(long, value_parser = ownership)]
        ownership: Ownership,
        /// The usufructuary's birth date.
        #[arg(long)]
        born: Option<NaiveDate>,
        /// The day a fixed-term usufruct ends.
        #[arg(long)]
        ends: Option<NaiveDate>,
        /// Share held, in percent (default: unchanged).
        #[arg(long, value_parser = decimal)]
        share: Option<Decimal>,
        /// Date on which to show the rule (default: today).
        #[arg(long)]
        at: Option<NaiveDate>,
        /// JSON output.
        #[arg(long)]
        json: bool,
    },
}

/// One allocation weight: `DIMENSION=BUCKET:PERCENT`, e.g. `region=Europe:60`.
#[derive(Clone, Debug)]
pub struct WeightArg {
    /// Dimension (region, sector or one of the profile's).
    pub dimension: String,
    /// Bucket.
    pub bucket: String,
    /// Percentage.
    pub pct: Decimal,
}

#[derive(Subcommand)]
pub enum InstrumentCmd {
    /// Create an instrument; prints its id.
    Add {
        /// Profile.
        name: String,
        /// The instrument's name.
        #[arg(long = "name", value_name = "INSTRUMENT")]
        title: String,
        /// ISIN (its check digit is verified).
        #[arg(long)]
        isin: Option<String>,
        /// Ticker.
        #[arg(long)]
        ticker: Option<String>,
        /// Currency of its prices.
        #[arg(long, default_value = "EUR")]
        currency: String,
        /// Asset class: equity, bond, fund, real_estate, scpi, crypto, precious_metal,
        /// private_equity, cash, other, ... (French labels too).
        #[arg(long, value_parser = asset_class, default_value = "fund")]
        class: AssetClass,
        /// Allocation weight DIMENSION=BUCKET:PERCENT (repeat; each dimension sums to 100).
        #[arg(long, value_parser = weight, value_name = "DIM=BUCKET:PCT")]
        weight: Vec<WeightArg>,
    },
    /// List instruments with their latest price.
    List {
        /// Profile.
        name: String,
        /// JSON output.
        #[arg(long)]
        json: bool,
    },
    /// Change an instrument (the options given; an empty --isin or --ticker clears it).
    Edit {
        /// Profile.
        name: String,
        /// ISIN or name.
        instrument: String,
        /// New name.
        #[arg(long = "name", value_name = "NEW_NAME")]
        title: Option<String>,
        /// ISIN.
        #[arg(long)]
        isin: Option<String>,
        /// Ticker.
        #[arg(long)]
        ticker: Option<String>,
        /// Currency of its prices.
        #[arg(long)]
        currency: Option<String>,
        /// Asset class.
        #[arg(long, value_parser = asset_class)]
        class: Option<AssetClass>,
        /// Allocation weight DIMENSION=BUCKET:PERCENT (repeat); replaces the weights of
        /// the dimensions named.
        #[arg(long, value_parser = weight, value_name = "DIM=BUCKET:PCT")]
        weight: Vec<WeightArg>,
        /// Archive it (left out of price updates).
        #[arg(long, conflicts_with = "unarchive")]
        archive: bool,
        /// Unarchive it.
        #[arg(long)]
        unarchive: bool,
    },
    /// Delete an instrument and its prices (refused while activities use it).
    Delete {
        /// Profile.
        name: String,
        /// ISIN or name.
        instrument: String,
    },
}

#[derive(Subcommand)]
pub enum PriceCmd {
    /// Set prices (new or replacing the one of the same date), all or nothing.
    Set {
        /// Profile.
        name: String,
        /// ISIN or name.
        instrument: String,
        /// Prices as DATE=PRICE, e.g. 2024-01-31=102,5.
        #[arg(value_parser = price_point, value_name = "DATE=PRICE")]
        points: Vec<(NaiveDate, Decimal)>,
        /// Date of a price (repeat, paired in order with --price).
        #[arg(long)]
        date: Vec<NaiveDate>,
        /// A unit price (repeat, paired in order with --date).
        #[arg(long, value_parser = decimal)]
        price: Vec<Decimal>,
    },
    /// List an instrument's prices, oldest first.
    List {
        /// Profile.
        name: String,
        /// ISIN or name.
        instrument: String,
        /// JSON output.
        #[arg(long)]
        json: bool,
    },
    /// Delete the price of a date.
    Delete {
        /// Profile.
        name: String,
        /// ISIN or name.
        instrument: String,
        /// Date.
        #[arg(long)]
        date: NaiveDate,
    },
}

/// The fields of an activity besides its account, type and date.
#[derive(Args)]
pub struct ActivityFields {
    /// Instrument, by ISIN or name (trades, transfers, splits; a dividend's optionally).
    #[arg(long)]
    pub instrument: Option<String>,
    /// Units (trades, transfers) or a split's ratio.
    #[arg(long, value_parser = decimal)]
    pub quantity: Option<Decimal>,
    /// Unit price (trades; a transfer in: cost per unit).
    #[arg(long, value_parser = decimal)]
    pub unit_price: Option<Decimal>,
    /// Money in the account's currency (deposits, income, fees; a trade's cash moved).
    #[arg(long, value_parser = decimal)]
    pub amount: Option<Decimal>,
    /// A trade's fees.
    #[arg(long, value_parser = decimal)]
    pub fees: Option<Decimal>,
    /// Free note.
    #[arg(long)]
    pub note: Option<String>,
}

#[derive(Subcommand)]
pub enum ActivityCmd {
    /// Record an activity; prints its id. A sale of more than held is refused.
    Add {
        /// Profile.
        name: String,
        #[command(flatten)]
        account: AccountArg,
        /// Type: deposit, withdrawal, buy, sell, dividend, interest, fee, transfer_in,
        /// transfer_out, split (French words too: versement, achat, vente, ...).
        #[arg(long = "type", value_parser = activity_kind, value_name = "TYPE")]
        kind: ActivityKind,
        /// Date.
        #[arg(long)]
        date: NaiveDate,
        #[command(flatten)]
        fields: ActivityFields,
    },
    /// List activities, of one account or institution, or all.
    List {
        /// Profile.
        name: String,
        /// Only this institution's accounts.
        #[arg(long)]
        institution: Option<String>,
        /// Only this account (name or id).
        #[arg(long)]
        account: Option<String>,
        /// JSON output.
        #[arg(long)]
        json: bool,
    },
    /// Change an activity (the options given).
    Edit {
        /// Profile.
        name: String,
        /// Activity id (see `activity list`).
        id: i64,
        /// Institution of the account to move it to.
        #[arg(long, requires = "account")]
        institution: Option<String>,
        /// Account to move it to (name or id).
        #[arg(long)]
        account: Option<String>,
        /// Type.
        #[arg(long = "type", value_parser = activity_kind, value_name = "TYPE")]
        kind: Option<ActivityKind>,
        /// Date.
        #[arg(long)]
        date: Option<NaiveDate>,
        #[command(flatten)]
        fields: ActivityFields,
    },
    /// Delete an activity (refused when a later sale would sell more than held).
    Delete {
        /// Profile.
        name: String,
        /// Activity id.
        id: i64,
    },
}

#[derive(Subcommand)]
pub enum PositionCmd {
    /// Record a position held without its history (units at an average cost, on a
    /// date); prints the activity's id.
    Open {
        /// Profile.
        name: String,
        #[command(flatten)]
        account: AccountArg,
        /// Instrument, by ISIN or name.
        #[arg(long)]
        instrument: String,
        /// Date it is held on.
        #[arg(long)]
        date: NaiveDate,
        /// Units.
        #[arg(long, value_parser = decimal)]
        quantity: Decimal,
        /// Average cost per unit (PRU).
        #[arg(long, value_parser = decimal)]
        average_cost: Decimal,
    },
}

#[derive(Subcommand)]
pub enum LoanCmd {
    /// Record a loan from its terms; prints its asset id. Its values follow its schedule.
    Add {
        /// Profile.
        name: String,
        /// The loan's name.
        #[arg(long = "name", value_name = "LOAN")]
        title: String,
        /// Institution of the loan account.
        #[arg(long, requires = "account")]
        institution: Option<String>,
        /// Loan account (name or id; default: held directly).
        #[arg(long)]
        account: Option<String>,
        /// Capital borrowed.
        #[arg(long, value_parser = decimal)]
        principal: Decimal,
        /// Nominal annual rate in percent (1.35 for 1.35 %).
        #[arg(long, value_parser = decimal)]
        annual_rate: Decimal,
        /// Number of monthly payments, deferral included.
        #[arg(long)]
        months: u32,
        /// Date of the first payment.
        #[arg(long)]
        first_payment: NaiveDate,
        /// Monthly insurance.
        #[arg(long, value_parser = decimal, default_value = "0")]
        insurance: Decimal,
        /// Deferral at the start: partial (interest only) or total (interest capitalised).
        #[arg(long, value_enum, requires = "deferral_months")]
        deferral: Option<DeferralArg>,
        /// Number of deferred months.
        #[arg(long, requires = "deferral")]
        deferral_months: Option<u32>,
        /// In fine: interest only, the capital with the last payment.
        #[arg(long)]
        in_fine: bool,
        /// Share borne, in percent.
        #[arg(long, value_parser = decimal, default_value = "100")]
        share: Decimal,
        /// The property it financed (asset name or id).
        #[arg(long)]
        linked_asset: Option<String>,
        /// Currency (default: the account's, else the profile's base currency).
        #[arg(long)]
        currency: Option<String>,
    },
    /// List loans with their outstanding capital.
    List {
        /// Profile.
        name: String,
        /// Date (default: today).
        #[arg(long)]
        at: Option<NaiveDate>,
        /// JSON output.
        #[arg(long)]
        json: bool,
    },
    /// A loan's amortization schedule, totals and state on a date.
    Schedule {
        /// Profile.
        name: String,
        /// Loan name or asset id.
        loan: String,
        /// Date of the state (default: today).
        #[arg(long)]
        at: Option<NaiveDate>,
        /// Write the schedule as CSV to this file (mode 0600).
        #[arg(long)]
        csv: Option<PathBuf>,
        /// JSON output.
        #[arg(long)]
        json: bool,
    },
    /// Record an early repayment, partial or total; prints its id.
    #[command(group = clap::ArgGroup::new("how_much").required(true).args(["amount", "total"]))]
    Repay {
        /// Profile.
        name: String,
        /// Loan name or asset id.
        loan: String,
        /// Date.
        #[arg(long)]
        date: NaiveDate,
        /// Capital repaid.
        #[arg(long, value_parser = decimal)]
        amount: Option<Decimal>,
        /// Repay everything that remains.
        #[arg(long)]
        total: bool,
        /// What a partial repayment keeps: payment (the term shortens) or term (the
        /// payment falls).
        #[arg(long, value_enum, default_value_t = KeepArg::Payment)]
        keep: KeepArg,
    },
    /// A property's value, the capital of the loans linked to it and its net equity.
    Equity {
        /// Profile.
        name: String,
        /// The property: asset name or id.
        asset: String,
        /// Date (default: today).
        #[arg(long)]
        at: Option<NaiveDate>,
        /// JSON output.
        #[arg(long)]
        json: bool,
    },
}

#[derive(Clone, Copy, ValueEnum)]
pub enum DeferralArg {
    /// Interest only during the deferral.
    Partial,
    /// Nothing but insurance; the interest is capitalised.
    Total,
}

#[derive(Clone, Copy, ValueEnum)]
pub enum KeepArg {
    /// Keep the monthly payment: the term shortens.
    Payment,
    /// Keep the end date: the monthly payment falls.
    Term,
}

/// A number as people type it: `1234.56`, `1 234,56`, `1,234.56`.
fn decimal(s: &str) -> Result<Decimal, String> {
    parse_decimal(s).ok_or_else(|| format!("{s:?} is not a number"))
}

fn activity_kind(s: &str) -> Result<ActivityKind, String> {
    ActivityKind::parse(s).ok_or_else(|| {
        format!("unknown type {s:?}: deposit, withdrawal, buy, sell, dividend, interest, fee, transfer_in, transfer_out or split")
    })
}

fn account_kind(s: &str) -> Result<AccountKind, String> {
    AccountKind::parse(s).ok_or_else(|| {
        let all: Vec<&str> = AccountKind::ALL.iter().map(|k| k.as_str()).collect();
        format!("unknown account kind {s:?}: {}", all.join(", "))
    })
}

fn institution_kind(s: &str) -> Result<InstitutionKind, String> {
    InstitutionKind::parse(s)
        .ok_or_else(|| format!("unknown institution kind {s:?}: bank, insurer, broker, direct or other"))
}

fn asset_class(s: &str) -> Result<AssetClass, String> {
    AssetClass::parse(s).ok_or_else(|| {
        let all: Vec<&str> = AssetClass::ALL.iter().map(|k| k.as_str()).collect();
        format!("unknown class {s:?}: {}", all.join(", "))
    })
}

fn ownership(s: &str) -> Result<Ownership, String> {
    Ownership::parse(s).ok_or_else(|| format!("unknown ownership {s:?}: usufruct, bare or full"))
}

/// `DIMENSION=BUCKET:PERCENT`.
fn weight(s: &str) -> Result<WeightArg, String> {
    let bad = || format!("{s:?}: expected DIMENSION=BUCKET:PERCENT, e.g. region=Europe:60");
    let (dimension, rest) = s.split_once('=').ok_or_else(bad)?;
    let (bucket, pct) = rest.rsplit_once(':').ok_or_else(bad)?;
    let (dimension, bucket) = (dimension.trim(), bucket.trim());
    if dimension.is_empty() || bucket.is_empty() {
        return Err(bad());
    }
    Ok(WeightArg { dimension: dimension.to_owned(), bucket: bucket.to_owned(), pct: decimal(pct)? })
}

/// `DATE=PRICE`.
fn price_point(s: &str) -> Result<(NaiveDate, Decimal), String> {
    let (date, price) =
        s.split_once('=').ok_or_else(|| format!("{s:?}: expected DATE=PRICE, e.g. 2024-01-31=102.5"))?;
    let date = date.trim().parse::<NaiveDate>().map_err(|e| format!("{date:?}: {e}"))?;
    Ok((date, decimal(price)?))
}

#[derive(Clone, Copy, ValueEnum)]
pub enum StepArg {
    Daily,
    Weekly,
    Monthly,
}
