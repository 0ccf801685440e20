//! The IPC contract, written once: every command with its arguments and result.
//!
//! From this one table come the Tauri commands (thin async wrappers around the plain
//! functions of `crate::commands`, so a table entry that does not match its function
//! does not compile), the handler, a by-name `dispatch` for the scenario tests, and
//! the UI's TypeScript under `ui/src/lib/ipc/generated/`
//! (`types.ts`: every type that crosses the seam, derived with ts-rs; `commands.ts`:
//! the command map; `constants.ts`: error codes, limits, domain lists, defaults).
//! The test at the bottom fails when the committed files differ from what this
//! generates; `PATRIMOINE_BLESS=1 cargo test -p patrimoine-app contract` rewrites them.
//!
//! Every name crossing the seam is snake_case: fields, arguments, enum values.

use patrimoine_core::activities::{Activity, Holdings};
use patrimoine_core::analytics::{
    AccountsOverview, Breakdown, BreakdownBy, LatestValue, NetWorth, Series, StaleAsset, Step,
};
use patrimoine_core::audit::AuditEvent;
use patrimoine_core::backup::{BackupEntry, BackupHeader, BackupSettings, ExportedBackup};
use patrimoine_core::charts::{Chart, ChartRequest};
use patrimoine_core::dismemberment::DismemberedShare;
use patrimoine_core::export::ExportFormat;
use patrimoine_core::fx::{FxImportReport, FxRate};
use patrimoine_core::import::ImportReport;
use patrimoine_core::instruments::{Instrument, LatestPrice, PricePoint};
use patrimoine_core::loan::Repayment;
use patrimoine_core::loans::{Equity, Loan, LoanSchedule};
use patrimoine_core::performance::Performance;
use patrimoine_core::portfolio::{Account, Asset, Dimension, Institution};
use patrimoine_core::restore::{ProfileHealth, RestorePreview};
use patrimoine_core::values::{CashFlow, UpsertCount, ValuePoint};

use crate::commands::{AppInfo, CreatedProfile, CredentialChanged, ProfileView, RestoredView, SessionInfo};
#[cfg(test)]
use crate::error::CommandError;
#[cfg(test)]
use ts_rs::{Config, TypeVisitor, TS};

/// Secrets arrive as `Zeroizing<String>` (wiped after use); in TypeScript, strings.
type Secret = zeroize::Zeroizing<String>;

macro_rules! contract {
    ($( $group:ident { $( $name:ident ( $( $arg:ident : $ty:ty $(as $ts:ty)? ),* $(,)? ) -> $ret:ty ; )* } )*) => {
        /// The Tauri commands: each hands its arguments to its function in
        /// `crate::commands`, off the main thread.
        mod ipc {
            use super::*;
            use crate::state::AppState;
            $( $(
                #[tauri::command(rename_all = "snake_case")]
                pub async fn $name(state: tauri::State<'_, AppState>, $( $arg: $ty ),*) -> crate::error::CmdResult<$ret> {
                    crate::commands::$group::$name(&state, $( $arg ),*)
                }
            )* )*
        }

        /// The handler Tauri dispatches every command of the contract to.
        pub fn handler() -> impl Fn(tauri::ipc::Invoke<tauri::Wry>) -> bool + Send + Sync + 'static {
            tauri::generate_handler![ $( $( ipc::$name ),* ),* ]
        }

        /// Runs a command by name with JSON arguments, as Tauri does (snake_case
        /// keys; a missing `Option` is `None`): the scenario tests drive the real
        /// command layer with it.
        #[cfg(test)]
        pub fn dispatch(
            state: &crate::state::AppState,
            command: &str,
            args: serde_json::Value,
        ) -> Result<serde_json::Value, CommandError> {
            match command {
                $( $(
                    stringify!($name) => {
                        #[derive(serde::Deserialize)]
                        #[serde(deny_unknown_fields)]
                        #[allow(dead_code)]
                        struct Args { $( $arg: $ty ),* }
                        #[allow(unused_variables)]
                        let a: Args = serde_json::from_value(args)
                            .map_err(|e| CommandError::bad_arguments(command, &e.to_string()))?;
                        let out = crate::commands::$group::$name(state, $( a.$arg ),*)?;
                        serde_json::to_value(out).map_err(|e| CommandError::bad_arguments(command, &e.to_string()))
                    }
                )* )*
                _ => Err(CommandError::bad_arguments(command, "no such command")),
            }
        }

        /// The names of the commands, in table order.
        #[cfg(test)]
        pub const COMMANDS: &[&str] = &[ $( $( stringify!($name) ),* ),* ];

        #[cfg(test)]
        fn command_map(cfg: &Config) -> String {
            let mut out = String::new();
            $( $(
                let args: Vec<String> = vec![ $( generate::arg_ts::<contract!(@ts $ty $(as $ts)?)>(stringify!($arg), cfg) ),* ];
                out.push_str(&format!(
                    "  {}: {{ args: {{ {} }}; result: {} }};\n",
                    stringify!($name), args.join("; "), <$ret as TS>::name(cfg)
                ));
            )* )*
            out
        }

        #[cfg(test)]
        fn visit_all(v: &mut impl TypeVisitor) {
            $( $(
                $( v.visit::<contract!(@ts $ty $(as $ts)?)>(); )*
                v.visit::<$ret>();
            )* )*
            v.visit::<CommandError>();
        }
    };
    (@ts $ty:ty) => { $ty };
    (@ts $ty:ty as $ts:ty) => { $ts };
}

contract! {
    profiles {
        app_info() -> AppInfo;
        create_profile(name: String, password: Secret as String, base_currency: String) -> CreatedProfile;
        unlock_password(name: String, password: Secret as String) -> SessionInfo;
        unlock_recovery(name: String, recovery_key: Secret as String) -> SessionInfo;
        unlock_keychain(name: String) -> SessionInfo;
        lock() -> ();
        change_password(
            current_password: Option<Secret> as Option<String>,
            current_recovery_key: Option<Secret> as Option<String>,
            new_password: Secret as String,
        ) -> CredentialChanged;
        regenerate_recovery_key(
            current_password: Option<Secret> as Option<String>,
            current_recovery_key: Option<Secret> as Option<String>,
        ) -> CredentialChanged;
        set_keychain(
            enabled: bool,
            current_password: Option<Secret> as Option<String>,
            current_recovery_key: Option<Secret> as Option<String>,
        ) -> CredentialChanged;
        set_preferences(base_currency: Option<String>, auto_lock_minutes: Option<u32>) -> SessionInfo;
        rename_profile(name: String, new_name: String) -> Vec<ProfileView>;
        delete_profile(name: String, typed_name: String) -> Vec<ProfileView>;
        audit_log(limit: usize) -> Vec<AuditEvent>;
    }
    wealth {
        list_institutions() -> Vec<Institution>;
        create_institution(input: Institution) -> i64;
        update_institution(id: i64, input: Institution) -> ();
        delete_institution(id: i64, force: bool) -> ();
        list_accounts() -> Vec<Account>;
        create_account(input: Account) -> i64;
        update_account(id: i64, input: Account) -> ();
        delete_account(id: i64, force: bool) -> ();
        list_assets() -> Vec<Asset>;
        create_asset(input: Asset) -> i64;
        update_asset(id: i64, input: Asset) -> ();
        delete_asset(id: i64, force: bool) -> ();
        list_dimensions() -> Vec<Dimension>;
        create_dimension(name: String) -> i64;
        asset_values(asset_id: i64) -> Vec<ValuePoint>;
        latest_values() -> Vec<LatestValue>;
        upsert_values(points: Vec<ValuePoint>) -> UpsertCount;
        delete_value(asset_id: i64, date: chrono::NaiveDate) -> ();
        set_account_balance(
            account_id: i64,
            date: chrono::NaiveDate,
            amount: patrimoine_core::money::Decimal as patrimoine_core::money::DecimalTs,
        ) -> i64;
        list_cash_flows(account_id: Option<i64>) -> Vec<CashFlow>;
        add_cash_flow(input: CashFlow) -> i64;
        update_cash_flow(id: i64, input: CashFlow) -> ();
        delete_cash_flow(id: i64) -> ();
        list_fx_rates(currency: Option<String>, limit: usize) -> Vec<FxRate>;
        set_fx_rate(rate: FxRate) -> ();
        delete_fx_rate(currency: String, date: chrono::NaiveDate) -> ();
    }
    securities {
        list_instruments() -> Vec<Instrument>;
        create_instrument(input: Instrument) -> i64;
        update_instrument(id: i64, input: Instrument) -> ();
        delete_instrument(id: i64) -> ();
        instrument_prices(instrument_id: i64) -> Vec<PricePoint>;
        latest_prices() -> Vec<LatestPrice>;
        set_prices(points: Vec<PricePoint>) -> UpsertCount;
        delete_price(instrument_id: i64, date: chrono::NaiveDate) -> ();
        list_activities(account_id: Option<i64>) -> Vec<Activity>;
        add_activity(input: Activity) -> i64;
        update_activity(id: i64, input: Activity) -> ();
        delete_activity(id: i64) -> ();
        add_opening_position(
            account_id: i64,
            instrument_id: i64,
            date: chrono::NaiveDate,
            quantity: patrimoine_core::money::Decimal as patrimoine_core::money::DecimalTs,
            average_cost: patrimoine_core::money::Decimal as patrimoine_core::money::DecimalTs,
        ) -> i64;
        holdings(account_id: i64, date: chrono::NaiveDate) -> Holdings;
    }
    loans {
        list_loans() -> Vec<Loan>;
        create_loan(input: Loan) -> i64;
        update_loan(asset_id: i64, input: Loan) -> ();
        loan_schedule(asset_id: i64, date: chrono::NaiveDate) -> LoanSchedule;
        add_repayment(asset_id: i64, repayment: Repayment) -> i64;
        delete_repayment(id: i64) -> ();
        equity(asset_id: i64, dates: Vec<chrono::NaiveDate>) -> Vec<Equity>;
        dismembered_share(asset_id: i64, date: chrono::NaiveDate) -> Option<DismemberedShare>;
        export_schedule_csv(asset_id: i64, path: String) -> ();
    }
    analytics {
        net_worth(date: chrono::NaiveDate) -> NetWorth;
        accounts_overview(date: chrono::NaiveDate) -> AccountsOverview;
        series(from: chrono::NaiveDate, to: chrono::NaiveDate, step: Step, stack_by_class: bool) -> Series;
        breakdown(date: chrono::NaiveDate, by: BreakdownBy) -> Breakdown;
        stale_assets(date: chrono::NaiveDate, days: i64) -> Vec<StaleAsset>;
        performance(account_id: Option<i64>, from: chrono::NaiveDate, to: chrono::NaiveDate) -> Performance;
        performance_by_account(from: chrono::NaiveDate, to: chrono::NaiveDate) -> Vec<Performance>;
        chart(request: ChartRequest) -> Chart;
        chart_png(request: ChartRequest) -> String;
    }
    io {
        import_csv(path: String, dry_run: bool, skip_invalid: bool) -> ImportReport;
        import_ecb(path: String) -> FxImportReport;
        export_file(path: String, format: ExportFormat) -> ();
    }
    backups {
        startup_health() -> Vec<ProfileHealth>;
        scan_backups() -> Vec<BackupHeader>;
        inspect_backup(path: String) -> BackupHeader;
        restore_preview(
            path: String,
            password: Option<Secret> as Option<String>,
            recovery_key: Option<Secret> as Option<String>,
        ) -> RestorePreview;
        restore_backup(
            path: String,
            password: Option<Secret> as Option<String>,
            recovery_key: Option<Secret> as Option<String>,
            new_password: Option<Secret> as Option<String>,
            as_new_name: Option<String>,
        ) -> RestoredView;
        restore_own_backup(path: String) -> SessionInfo;
        list_backups() -> Vec<BackupEntry>;
        backup_now() -> BackupEntry;
        export_backup(path: String) -> ExportedBackup;
        verify_backups() -> Vec<BackupEntry>;
        get_backup_settings() -> BackupSettings;
        set_backup_settings(settings: BackupSettings) -> BackupSettings;
    }
}

/// The TypeScript written from the table (tests only: the contract test compares it
/// with the committed files).
#[cfg(test)]
mod generate {
    use std::any::TypeId;
    use std::collections::{BTreeMap, HashSet};

    use patrimoine_core::backup::BackupSettings;
    use ts_rs::{Config, TypeVisitor, TS};

    use super::{command_map, visit_all, COMMANDS};

    /// Codes the app's shell returns besides the core's.
    pub const APP_CODES: &[&str] = &["locked"];

    /// One argument of the command map: an `Option` may be left out.
    pub(super) fn arg_ts<T: TS>(name: &str, cfg: &Config) -> String {
        if T::IS_OPTION {
            format!("{name}?: {}", T::name(cfg))
        } else {
            format!("{name}: {}", T::name(cfg))
        }
    }

    /// Collects the declaration of every named type reachable from the contract.
    struct Declarations<'a> {
        cfg: &'a Config,
        seen: HashSet<TypeId>,
        decls: BTreeMap<String, String>,
    }

    impl TypeVisitor for Declarations<'_> {
        fn visit<T: TS + 'static + ?Sized>(&mut self) {
            if !self.seen.insert(TypeId::of::<T>()) {
                return;
            }
            if T::output_path().is_some() {
                let docs = T::docs().unwrap_or_default();
                self.decls.insert(T::ident(self.cfg), format!("{docs}export {}\n", T::decl(self.cfg)));
            }
            T::visit_dependencies(self);
            T::visit_generics(self);
        }
    }

    const HEADER: &str = "// Generated from the Rust types by src-tauri/src/contract.rs; do not edit.\n\
    // Regenerate: PATRIMOINE_BLESS=1 cargo test -p patrimoine-app contract\n";

    fn config() -> Config {
        Config::new().with_large_int("number")
    }

    fn tokens<T: Copy>(all: &[T], f: impl Fn(T) -> &'static str) -> String {
        serde_json::to_string(&all.iter().map(|t| f(*t)).collect::<Vec<_>>()).unwrap_or_default()
    }

    /// The user-facing names of every token, keyed as the UI's dictionaries key them
    /// (`assetClass.cash`), per language: `{"fr": {...}, "en": {...}}`.
    fn labels() -> String {
        use patrimoine_core::activities::ActivityKind;
        use patrimoine_core::portfolio::{AccountKind, AssetClass, Derived, InstitutionKind, Labels, Ownership};
        let mut all: Vec<(String, Labels)> = Vec::new();
        all.extend(InstitutionKind::ALL.iter().map(|t| (format!("institutionKind.{}", t.as_str()), t.labels())));
        all.extend(AccountKind::ALL.iter().map(|t| (format!("accountKind.{}", t.as_str()), t.labels())));
        all.extend(AssetClass::ALL.iter().map(|t| (format!("assetClass.{}", t.as_str()), t.labels())));
        all.extend(Ownership::ALL.iter().map(|t| (format!("ownership.{}", t.as_str()), t.labels())));
        all.extend(ActivityKind::ALL.iter().map(|t| (format!("activityKind.{}", t.as_str()), t.labels())));
        all.extend(Derived::ALL.iter().map(|t| (format!("derived.{}", t.as_str()), t.labels())));
        all.push(("alloc.unclassified".into(), patrimoine_core::analytics::UNCLASSIFIED_LABELS));
        let lang = |pick: fn(&Labels) -> &'static str| {
            all.iter().map(|(k, l)| (k.clone(), pick(l).into())).collect::<serde_json::Map<_, _>>()
        };
        let by_lang = serde_json::json!({ "fr": lang(|l| l.fr), "en": lang(|l| l.en) });
        serde_json::to_string(&by_lang).unwrap_or_default()
    }

    /// The generated files: name → content.
    pub fn generate() -> BTreeMap<&'static str, String> {
        use patrimoine_core::portfolio::{AccountKind, AssetClass, InstitutionKind, Ownership};
        let cfg = config();
        let mut d = Declarations { cfg: &cfg, seen: HashSet::new(), decls: BTreeMap::new() };
        visit_all(&mut d);
        let types = format!("{HEADER}\n{}", d.decls.into_values().collect::<Vec<_>>().join("\n"));

        let commands = format!(
            "{HEADER}\nimport type * as T from './types';\n\n\
    /** Every command: its arguments (snake_case keys; an optional one may be left out) and result. */\n\
    export interface Commands {{\n{}}}\n\n\
    export type CommandName = keyof Commands;\n\
    export type Args<C extends CommandName> = Commands[C]['args'];\n\
    export type Result<C extends CommandName> = Commands[C]['result'];\n\n\
    export const COMMAND_NAMES = {} as const satisfies readonly CommandName[];\n",
            qualify(&command_map(&cfg)),
            serde_json::to_string(COMMANDS).unwrap_or_default()
        );

        let codes: Vec<&str> = patrimoine_core::Error::ALL_CODES.iter().chain(APP_CODES).copied().collect();
        let constants = format!(
            "{HEADER}\n\
    /** Every code a command can fail with; each has a sentence in both languages. */\n\
    export const ERROR_CODES = {} as const;\n\n\
    /** What the core accepts: the UI checks the same numbers before it asks. */\n\
    export const LIMITS = {} as const;\n\n\
    export const INSTITUTION_KINDS = {} as const;\n\
    export const ACCOUNT_KINDS = {} as const;\n\
    export const ASSET_CLASSES = {} as const;\n\
    export const OWNERSHIPS = {} as const;\n\
    export const ACTIVITY_KINDS = {} as const;\n\n\
    /** The key of the allocation bucket for the part of an asset no weight covers. */\n\
    export const UNCLASSIFIED = {} as const;\n\n\
    /** What the user reads for each token above, in each language: the dictionaries include these. */\n\
    export const LABELS = {} as const;\n\n\
    /** A profile's backup settings before the user changes them. */\n\
    export const BACKUP_DEFAULTS = {} as const;\n\n\
    /** The CSV import layout: header, French header, required. */\n\
    export const CSV_COLUMNS = {} as const;\n\
    /** The activities and prices import layouts, the same way. */\n\
    export const ACTIVITY_COLUMNS = {} as const;\n\
    export const PRICE_COLUMNS = {} as const;\n\n\
    /** The version of the app and of the vault schema it writes. */\n\
    export const APP_VERSION = {} as const;\n\
    export const SCHEMA_VERSION = {} as const;\n",
            serde_json::to_string(&codes).unwrap_or_default(),
            serde_json::to_string(&patrimoine_core::limits::LIMITS).unwrap_or_default(),
            tokens(InstitutionKind::ALL, InstitutionKind::as_str),
            tokens(AccountKind::ALL, AccountKind::as_str),
            tokens(AssetClass::ALL, AssetClass::as_str),
            tokens(Ownership::ALL, Ownership::as_str),
            tokens(patrimoine_core::activities::ActivityKind::ALL, patrimoine_core::activities::ActivityKind::as_str),
            serde_json::to_string(patrimoine_core::analytics::UNCLASSIFIED).unwrap_or_default(),
            labels(),
            serde_json::to_string(&BackupSettings::default()).unwrap_or_default(),
            serde_json::to_string(&patrimoine_core::import::CSV_COLUMNS).unwrap_or_default(),
            serde_json::to_string(&patrimoine_core::import::ACTIVITY_COLUMNS).unwrap_or_default(),
            serde_json::to_string(&patrimoine_core::import::PRICE_COLUMNS).unwrap_or_default(),
            serde_json::to_string(env!("CARGO_PKG_VERSION")).unwrap_or_default(),
            patrimoine_core::migrations::latest(),
        );
        BTreeMap::from([("types.ts", types), ("commands.ts", commands), ("constants.ts", constants)])
    }

    /// Prefixes the contract's named types with `T.` in the command map (it imports them
    /// as a namespace), leaving TypeScript's own words alone.
    fn qualify(map: &str) -> String {
        let mut out = String::with_capacity(map.len() + 256);
        let mut word = String::new();
        let flush = |word: &mut String, out: &mut String| {
            let builtin = matches!(word.as_str(), "Array" | "Record" | "Partial");
            if word.starts_with(|c: char| c.is_ascii_uppercase()) && !builtin {
                out.push_str("T.");
            }
            out.push_str(word);
            word.clear();
        };
        for c in map.chars() {
            if c.is_ascii_alphanumeric() || c == '_' {
                word.push(c);
            } else {
                flush(&mut word, &mut out);
                out.push(c);
            }
        }
        flush(&mut word, &mut out);
        out
    }
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    fn folder() -> PathBuf {
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../ui/src/lib/ipc/generated")
    }

    /// The committed TypeScript is what the Rust types generate: a changed type, a
    /// new command or a new error code without regenerating fails here (and in CI).
    #[test]
    fn contract_generated_files_are_current() {
        let files = super::generate::generate();
        let dir = folder();
        if std::env::var_os("PATRIMOINE_BLESS").is_some() {
            std::fs::create_dir_all(&dir).unwrap();
            for (name, text) in &files {
                std::fs::write(dir.join(name), text).unwrap();
            }
        }
        for (name, text) in &files {
            let committed = std::fs::read_to_string(dir.join(name)).unwrap_or_default();
            assert!(
                committed == *text,
                "ui/src/lib/ipc/generated/{name} is out of date: PATRIMOINE_BLESS=1 cargo test -p patrimoine-app contract"
            );
        }
        let mut present: Vec<String> =
            std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
        present.sort();
        assert_eq!(present, files.keys().map(|k| k.to_string()).collect::<Vec<_>>(), "stray files in generated/");
    }

    #[test]
    fn contract_lists_each_command_once() {
        let mut names = super::COMMANDS.to_vec();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), super::COMMANDS.len());
    }
}
