//! The Tauri commands: each takes the state, calls the core, maps the error. The
//! contract (names, arguments, results) is `docs/ipc.md`.

use base64::Engine;
use chrono::NaiveDate;
use patrimoine_core::analytics::{Breakdown, BreakdownBy, LatestValue, NetWorth, Series, StaleAsset, Step};
use patrimoine_core::audit::AuditEvent;
use patrimoine_core::backup::{self, BackupEntry, BackupHeader, BackupSettings, ExportedBackup};
use patrimoine_core::charts::{self, Chart, ChartOptions, Lang};
use patrimoine_core::fx::{FxImportReport, FxRate};
use patrimoine_core::import::{ImportOptions, ImportReport};
use patrimoine_core::keys::RecoveryKey;
use patrimoine_core::performance::Performance;
use patrimoine_core::portfolio::{Account, Asset, Dimension, Institution};
use patrimoine_core::restore::{Credential, RestorePreview, RestoreRequest, Target};
use patrimoine_core::rotation::Rotated;
use patrimoine_core::values::{CashFlow, UpsertCount, ValuePoint};
use patrimoine_core::{CreateOptions, DeleteAuth, KdfChoice, Session};
use serde::{Deserialize, Serialize};
use tauri::State;
use zeroize::Zeroizing;

use crate::error::{CmdResult, CommandError};
use crate::state::AppState;

/// A profile as the UI lists it.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ProfileView {
    id: String,
    name: String,
    admin: bool,
    created_at: String,
    keychain_enabled: bool,
}

/// The unlocked session as the UI sees it.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SessionInfo {
    profile: ProfileView,
    base_currency: String,
    must_set_password: bool,
    keychain_enabled: bool,
    auto_lock_minutes: u32,
}

/// Everything the UI needs at start.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AppInfo {
    version: &'static str,
    data_dir: String,
    profiles: Vec<ProfileView>,
    session: Option<SessionInfo>,
    keychain_available: bool,
    os_locale: String,
}

/// A new profile and its recovery key (shown once).
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CreatedProfile {
    session: SessionInfo,
    recovery_key: String,
}

const AUTO_LOCK_KEY: &str = "auto_lock_minutes";

fn profiles(state: &AppState) -> CmdResult<Vec<ProfileView>> {
    Ok(state
        .data
        .profiles()?
        .into_iter()
        .map(|p| ProfileView {
            keychain_enabled: state.data.keychain_enabled(&p.name).unwrap_or(false),
            id: p.id,
            name: p.name,
            admin: p.admin,
            created_at: p.created_at.to_rfc3339(),
        })
        .collect())
}

fn session_info(s: &Session) -> CmdResult<SessionInfo> {
    let p = s.info();
    let auto_lock = s.vault().setting(AUTO_LOCK_KEY)?.and_then(|v| v.parse().ok()).unwrap_or(5);
    Ok(SessionInfo {
        profile: ProfileView {
            id: p.id.clone(),
            name: p.name.clone(),
            admin: p.admin,
            created_at: p.created_at.to_rfc3339(),
            keychain_enabled: s.keychain_enabled(),
        },
        base_currency: s.base_currency()?,
        must_set_password: s.must_set_password(),
        keychain_enabled: s.keychain_enabled(),
        auto_lock_minutes: auto_lock,
    })
}

/// Makes `session` the open one and starts its background work: the daily backup when
/// due, after the quick integrity check unless the vault was just fully `checked` (a
/// restore verifies its candidate before installing it).
fn install(state: &AppState, session: Session, checked: bool) -> CmdResult<SessionInfo> {
    let info = session_info(&session)?;
    *state.session() = Some(session);
    state.start_background_work(!checked);
    Ok(info)
}

fn today() -> NaiveDate {
    chrono::Local::now().date_naive()
}

// ---- profiles and keys --------------------------------------------------------------

#[tauri::command]
pub async fn app_info(state: State<'_, AppState>) -> CmdResult<AppInfo> {
    let session = state.session().as_ref().map(session_info).transpose()?;
    Ok(AppInfo {
        version: env!("CARGO_PKG_VERSION"),
        data_dir: state.data.root().display().to_string(),
        profiles: profiles(&state)?,
        session,
        keychain_available: state.keychain_available(),
        os_locale: std::env::var("LC_ALL").or_else(|_| std::env::var("LANG")).unwrap_or_else(|_| "en".into()),
    })
}

#[tauri::command]
pub async fn create_profile(
    state: State<'_, AppState>,
    name: String,
    password: Zeroizing<String>,
    base_currency: String,
) -> CmdResult<CreatedProfile> {
    let opts = CreateOptions { base_currency, kdf: KdfChoice::DEFAULT };
    let guard = state.session();
    let created = state.data.create_profile(&name, &password, &opts, guard.as_ref())?;
    let recovery_key = created.recovery_key.display().to_string();
    let info = session_info(&created.session)?;
    if guard.is_none() {
        drop(guard);
        *state.session() = Some(created.session);
    }
    // When the admin creates another profile, the admin stays signed in.
    Ok(CreatedProfile { session: info, recovery_key })
}

#[tauri::command]
pub async fn unlock_password(
    state: State<'_, AppState>,
    name: String,
    password: Zeroizing<String>,
) -> CmdResult<SessionInfo> {
    crate::state::trace_point("unlock_password start");
    state.end_session();
    let s = state.data.unlock_with_password(&name, &password)?;
    let info = install(&state, s, false);
    crate::state::trace_point("unlock_password end");
    info
}

#[tauri::command]
pub async fn unlock_recovery(
    state: State<'_, AppState>,
    name: String,
    recovery_key: Zeroizing<String>,
) -> CmdResult<SessionInfo> {
    state.end_session();
    let rk = RecoveryKey::parse(&recovery_key).map_err(patrimoine_core::Error::from)?;
    let s = state.data.unlock_with_recovery_key(&name, &rk)?;
    install(&state, s, false)
}

#[tauri::command]
pub async fn unlock_keychain(state: State<'_, AppState>, name: String) -> CmdResult<SessionInfo> {
    state.end_session();
    let s = state.data.unlock_with_keychain(&name, &state.keychain)?;
    install(&state, s, false)
}

/// Locks: an automatic backup first when data changed since the last one, then the
/// session (and its key) is dropped. True when a session was open.
pub fn lock_now(state: &AppState) -> bool {
    let backups = state.backup_guard();
    state.end_epoch(&backups);
    match state.session().take() {
        Some(s) => {
            let _ = s.backup_on_lock_if_changed();
            true
        }
        None => false,
    }
}

#[tauri::command]
pub async fn lock(state: State<'_, AppState>) -> CmdResult<()> {
    let _ = lock_now(&state);
    Ok(())
}

/// What changing a credential did: the session after it, and a new recovery key to
/// show once when one was made.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CredentialChanged {
    session: SessionInfo,
    new_recovery_key: Option<String>,
    keychain_disabled: bool,
}

fn changed(s: &Session, rotated: Rotated) -> CmdResult<CredentialChanged> {
    Ok(CredentialChanged {
        session: session_info(s)?,
        new_recovery_key: rotated.new_recovery_key.map(|rk| rk.display().to_string()),
        keychain_disabled: rotated.keychain_disabled,
    })
}

/// Changes the password, confirmed by the current password or recovery key (none
/// right after a recovery-key unlock). The master key is replaced, so the backup
/// thread is kept out while the vault file is swapped.
#[tauri::command]
pub async fn change_password(
    state: State<'_, AppState>,
    current_password: Option<Zeroizing<String>>,
    current_recovery_key: Option<Zeroizing<String>>,
    new_password: Zeroizing<String>,
) -> CmdResult<CredentialChanged> {
    let rk = parse_rk(&current_recovery_key)?;
    let current = credential_of(&current_password, &rk).ok();
    let _backups = state.backup_guard();
    state.with(|s| {
        let rotated = s.change_password(current.as_ref(), &new_password, KdfChoice::DEFAULT)?;
        changed(s, rotated)
    })
}

#[tauri::command]
pub async fn regenerate_recovery_key(
    state: State<'_, AppState>,
    current_password: Option<Zeroizing<String>>,
    current_recovery_key: Option<Zeroizing<String>>,
) -> CmdResult<CredentialChanged> {
    let rk = parse_rk(&current_recovery_key)?;
    let current = credential_of(&current_password, &rk)?;
    let _backups = state.backup_guard();
    state.with(|s| {
        let rotated = s.regenerate_recovery_key(&current)?;
        changed(s, rotated)
    })
}

/// Turns keychain unlock on (confirmed by the current password or recovery key) or
/// off (the master key is replaced: a copy of the keychain's secret stops working).
#[tauri::command]
pub async fn set_keychain(
    state: State<'_, AppState>,
    enabled: bool,
    current_password: Option<Zeroizing<String>>,
    current_recovery_key: Option<Zeroizing<String>>,
) -> CmdResult<CredentialChanged> {
    let rk = parse_rk(&current_recovery_key)?;
    let current = credential_of(&current_password, &rk);
    let _backups = state.backup_guard();
    state.with(|s| {
        if enabled {
            s.enable_keychain(&current?, &state.keychain)?;
            changed(s, Rotated { new_recovery_key: None, keychain_disabled: false })
        } else {
            let rotated = s.disable_keychain(current.ok().as_ref(), &state.keychain)?;
            changed(s, rotated)
        }
    })
}

#[tauri::command]
pub async fn set_preferences(
    state: State<'_, AppState>,
    base_currency: Option<String>,
    auto_lock_minutes: Option<u32>,
) -> CmdResult<SessionInfo> {
    state.with(|s| {
        if let Some(c) = base_currency {
            s.set_base_currency(&c)?;
        }
        if let Some(m) = auto_lock_minutes {
            if !(1..=60).contains(&m) {
                return Err(CommandError::invalid("auto_lock_minutes", "between 1 and 60 minutes"));
            }
            s.vault().set_setting(AUTO_LOCK_KEY, &m.to_string())?;
        }
        session_info(s)
    })
}

#[tauri::command]
pub async fn rename_profile(state: State<'_, AppState>, name: String, new_name: String) -> CmdResult<Vec<ProfileView>> {
    state.with(|s| Ok(state.data.rename_profile(s, &name, &new_name)?))?;
    profiles(&state)
}

#[tauri::command]
pub async fn delete_profile(
    state: State<'_, AppState>,
    name: String,
    typed_name: String,
) -> CmdResult<Vec<ProfileView>> {
    state.with(|s| {
        Ok(state.data.delete_profile(
            &name,
            DeleteAuth::Admin { admin: s, typed_name: &typed_name },
            Some(&state.keychain),
        )?)
    })?;
    profiles(&state)
}

#[tauri::command]
pub async fn audit_log(state: State<'_, AppState>, limit: usize) -> CmdResult<Vec<AuditEvent>> {
    state.with(|s| Ok(s.vault().audit_log(limit)?))
}

// ---- wealth model -------------------------------------------------------------------

#[tauri::command]
pub async fn list_institutions(state: State<'_, AppState>) -> CmdResult<Vec<Institution>> {
    state.with(|s| Ok(s.vault().institutions()?))
}

#[tauri::command]
pub async fn create_institution(state: State<'_, AppState>, input: Institution) -> CmdResult<i64> {
    state.with(|s| Ok(s.vault().create_institution(&input)?))
}

#[tauri::command]
pub async fn update_institution(state: State<'_, AppState>, id: i64, input: Institution) -> CmdResult<()> {
    state.with(|s| Ok(s.vault().update_institution(id, &input)?))
}

#[tauri::command]
pub async fn delete_institution(state: State<'_, AppState>, id: i64, force: bool) -> CmdResult<()> {
    state.with(|s| Ok(s.vault().delete_institution(id, force)?))
}

#[tauri::command]
pub async fn list_accounts(state: State<'_, AppState>) -> CmdResult<Vec<Account>> {
    state.with(|s| Ok(s.vault().accounts()?))
}

#[tauri::command]
pub async fn create_account(state: State<'_, AppState>, input: Account) -> CmdResult<i64> {
    state.with(|s| Ok(s.vault().create_account(&input)?))
}

#[tauri::command]
pub async fn update_account(state: State<'_, AppState>, id: i64, input: Account) -> CmdResult<()> {
    state.with(|s| Ok(s.vault().update_account(id, &input)?))
}

#[tauri::command]
pub async fn delete_account(state: State<'_, AppState>, id: i64, force: bool) -> CmdResult<()> {
    state.with(|s| Ok(s.vault().delete_account(id, force)?))
}

#[tauri::command]
pub async fn list_assets(state: State<'_, AppState>) -> CmdResult<Vec<Asset>> {
    state.with(|s| Ok(s.vault().assets()?))
}

#[tauri::command]
pub async fn create_asset(state: State<'_, AppState>, input: Asset) -> CmdResult<i64> {
    state.with(|s| Ok(s.vault().create_asset(&input)?))
}

#[tauri::command]
pub async fn update_asset(state: State<'_, AppState>, id: i64, input: Asset) -> CmdResult<()> {
    state.with(|s| Ok(s.vault().update_asset(id, &input)?))
}

#[tauri::command]
pub async fn delete_asset(state: State<'_, AppState>, id: i64, force: bool) -> CmdResult<()> {
    state.with(|s| Ok(s.vault().delete_asset(id, force)?))
}

#[tauri::command]
pub async fn list_dimensions(state: State<'_, AppState>) -> CmdResult<Vec<Dimension>> {
    state.with(|s| Ok(s.vault().dimensions()?))
}

#[tauri::command]
pub async fn create_dimension(state: State<'_, AppState>, name: String) -> CmdResult<i64> {
    state.with(|s| Ok(s.vault().create_dimension(&name)?))
}

#[tauri::command]
pub async fn asset_values(state: State<'_, AppState>, asset_id: i64) -> CmdResult<Vec<ValuePoint>> {
    state.with(|s| Ok(s.vault().values(asset_id)?))
}

#[tauri::command]
pub async fn latest_values(state: State<'_, AppState>) -> CmdResult<Vec<LatestValue>> {
    state.with(|s| Ok(s.vault().latest_values()?))
}

#[tauri::command]
pub async fn upsert_values(state: State<'_, AppState>, points: Vec<ValuePoint>) -> CmdResult<UpsertCount> {
    state.with(|s| Ok(s.vault().upsert_values(&points)?))
}

#[tauri::command]
pub async fn delete_value(state: State<'_, AppState>, asset_id: i64, date: NaiveDate) -> CmdResult<()> {
    state.with(|s| Ok(s.vault().delete_value(asset_id, date)?))
}

#[tauri::command]
pub async fn list_cash_flows(state: State<'_, AppState>, account_id: Option<i64>) -> CmdResult<Vec<CashFlow>> {
    state.with(|s| Ok(s.vault().cash_flows(account_id)?))
}

#[tauri::command]
pub async fn add_cash_flow(state: State<'_, AppState>, input: CashFlow) -> CmdResult<i64> {
    state.with(|s| Ok(s.vault().add_cash_flow(&input)?))
}

#[tauri::command]
pub async fn update_cash_flow(state: State<'_, AppState>, id: i64, input: CashFlow) -> CmdResult<()> {
    state.with(|s| Ok(s.vault().update_cash_flow(id, &input)?))
}

#[tauri::command]
pub async fn delete_cash_flow(state: State<'_, AppState>, id: i64) -> CmdResult<()> {
    state.with(|s| Ok(s.vault().delete_cash_flow(id)?))
}

#[tauri::command]
pub async fn list_fx_rates(
    state: State<'_, AppState>,
    currency: Option<String>,
    limit: usize,
) -> CmdResult<Vec<FxRate>> {
    state.with(|s| Ok(s.vault().fx_rates(currency.as_deref(), limit)?))
}

#[tauri::command]
pub async fn set_fx_rate(state: State<'_, AppState>, rate: FxRate) -> CmdResult<()> {
    state.with(|s| Ok(s.vault().set_fx_rates(&[rate], "manual").map(drop)?))
}

#[tauri::command]
pub async fn delete_fx_rate(state: State<'_, AppState>, currency: String, date: NaiveDate) -> CmdResult<()> {
    state.with(|s| Ok(s.vault().delete_fx_rate(&currency, date)?))
}

#[tauri::command]
pub async fn import_ecb(state: State<'_, AppState>, path: String) -> CmdResult<FxImportReport> {
    let bytes = std::fs::read(&path).map_err(|e| patrimoine_core::Error::io(&path, e))?;
    state.with(|s| Ok(s.vault().import_ecb(&bytes)?))
}

// ---- analytics and charts ----------------------------------------------------------

#[tauri::command]
pub async fn net_worth(state: State<'_, AppState>, date: NaiveDate) -> CmdResult<NetWorth> {
    state.with(|s| Ok(s.vault().net_worth(date)?))
}

#[tauri::command]
pub async fn series(
    state: State<'_, AppState>,
    from: NaiveDate,
    to: NaiveDate,
    step: Step,
    stack_by_class: bool,
) -> CmdResult<Series> {
    state.with(|s| Ok(s.vault().net_worth_series(from, to, step, stack_by_class)?))
}

#[tauri::command]
pub async fn breakdown(state: State<'_, AppState>, date: NaiveDate, by: BreakdownBy) -> CmdResult<Breakdown> {
    state.with(|s| Ok(s.vault().breakdown(date, &by)?))
}

#[tauri::command]
pub async fn stale_assets(state: State<'_, AppState>, date: NaiveDate, days: i64) -> CmdResult<Vec<StaleAsset>> {
    state.with(|s| Ok(s.vault().stale_assets(date, days)?))
}

#[tauri::command]
pub async fn performance(
    state: State<'_, AppState>,
    account_id: Option<i64>,
    from: NaiveDate,
    to: NaiveDate,
) -> CmdResult<Performance> {
    state.with(|s| Ok(s.vault().performance(account_id, from, to)?))
}

#[tauri::command]
pub async fn performance_by_account(
    state: State<'_, AppState>,
    from: NaiveDate,
    to: NaiveDate,
) -> CmdResult<Vec<Performance>> {
    state.with(|s| Ok(s.vault().performance_by_account(from, to)?))
}

/// What to draw.
#[derive(Deserialize, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum ChartKind {
    /// Net worth line.
    Networth,
    /// Net worth stacked by asset class.
    NetworthByClass,
    /// Allocation bars.
    Allocation,
    /// One asset's history.
    AssetHistory,
}

#[allow(clippy::too_many_arguments)]
fn draw(
    s: &Session,
    kind: ChartKind,
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
    step: Option<Step>,
    by: Option<BreakdownBy>,
    asset_id: Option<i64>,
    opts: &ChartOptions,
) -> CmdResult<Chart> {
    let to = to.unwrap_or_else(today);
    let v = s.vault();
    Ok(match kind {
        ChartKind::Networth | ChartKind::NetworthByClass => {
            // No start: the whole history (from the first value; a year without any).
            let from = match from {
                Some(f) => f,
                None => v.first_value_date()?.filter(|f| *f < to).unwrap_or(to - chrono::Duration::days(365)),
            };
            let series =
                v.net_worth_series(from, to, step.unwrap_or(Step::Monthly), kind == ChartKind::NetworthByClass)?;
            charts::net_worth(&series, opts)?
        }
        ChartKind::Allocation => {
            let b = v.breakdown(to, &by.unwrap_or(BreakdownBy::Class))?;
            charts::allocation(&b, opts)?
        }
        ChartKind::AssetHistory => {
            let id = asset_id.ok_or_else(|| CommandError::invalid("asset_id", "an asset is required"))?;
            let asset = v.asset(id)?;
            charts::asset_history(&v.values(id)?, &asset.currency, opts)?
        }
    })
}

fn chart_options(locale: &str, width: u32, height: u32) -> ChartOptions {
    ChartOptions {
        width: width.clamp(320, 2400),
        height: height.clamp(160, 1600),
        lang: Lang::from_locale(locale),
        labels: Default::default(),
    }
}

#[tauri::command]
#[allow(clippy::too_many_arguments)]
pub async fn chart(
    state: State<'_, AppState>,
    kind: ChartKind,
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
    step: Option<Step>,
    by: Option<BreakdownBy>,
    asset_id: Option<i64>,
    locale: String,
    width: u32,
    height: u32,
) -> CmdResult<Chart> {
    let opts = chart_options(&locale, width, height);
    state.with(|s| draw(s, kind, from, to, step, by, asset_id, &opts))
}

#[tauri::command]
#[allow(clippy::too_many_arguments)]
pub async fn chart_png(
    state: State<'_, AppState>,
    kind: ChartKind,
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
    step: Option<Step>,
    by: Option<BreakdownBy>,
    asset_id: Option<i64>,
    locale: String,
    width: u32,
    height: u32,
) -> CmdResult<String> {
    let opts = chart_options(&locale, width, height);
    let c = state.with(|s| draw(s, kind, from, to, step, by, asset_id, &opts))?;
    let png = charts::to_png(&c.svg, 2.0)?;
    Ok(base64::engine::general_purpose::STANDARD.encode(png))
}

// ---- import and export --------------------------------------------------------------

#[tauri::command]
pub async fn import_csv(
    state: State<'_, AppState>,
    path: String,
    dry_run: bool,
    skip_invalid: bool,
) -> CmdResult<ImportReport> {
    let file = std::fs::File::open(&path).map_err(|e| patrimoine_core::Error::io(&path, e))?;
    state.with(|s| Ok(s.vault().import_csv(file, ImportOptions { dry_run, skip_invalid })?))
}

/// Export formats.
#[derive(Deserialize, Clone, Copy)]
#[serde(rename_all = "snake_case")]
pub enum ExportFormat {
    /// Full JSON.
    Json,
    /// Value history CSV.
    Csv,
}

#[tauri::command]
pub async fn export_file(state: State<'_, AppState>, path: String, format: ExportFormat) -> CmdResult<()> {
    state.with(|s| Ok(s.vault().export_to_file(std::path::Path::new(&path), matches!(format, ExportFormat::Json))?))
}

// ---- backups and restore ------------------------------------------------------------

#[tauri::command]
pub async fn startup_health(state: State<'_, AppState>) -> CmdResult<Vec<patrimoine_core::restore::ProfileHealth>> {
    // Finish or roll back an interrupted restore before looking at the files.
    state.data.recover_interrupted()?;
    Ok(state.data.health()?)
}

#[tauri::command]
pub async fn scan_backups(state: State<'_, AppState>) -> CmdResult<Vec<BackupHeader>> {
    Ok(state.data.scan_backups())
}

#[tauri::command]
pub async fn inspect_backup(path: String) -> CmdResult<BackupHeader> {
    Ok(backup::inspect(std::path::Path::new(&path))?)
}

fn credential_of<'a>(
    password: &'a Option<Zeroizing<String>>,
    recovery: &'a Option<RecoveryKey>,
) -> CmdResult<Credential<'a>> {
    match (recovery, password) {
        (Some(rk), _) => Ok(Credential::RecoveryKey(rk)),
        (None, Some(pw)) => Ok(Credential::Password(pw.as_str())),
        (None, None) => Err(CommandError::invalid("password", "a password or a recovery key is needed")),
    }
}

fn parse_rk(text: &Option<Zeroizing<String>>) -> CmdResult<Option<RecoveryKey>> {
    text.as_ref().map(|t| RecoveryKey::parse(t).map_err(|e| patrimoine_core::Error::from(e).into())).transpose()
}

#[tauri::command]
pub async fn restore_preview(
    state: State<'_, AppState>,
    path: String,
    password: Option<Zeroizing<String>>,
    recovery_key: Option<Zeroizing<String>>,
) -> CmdResult<RestorePreview> {
    let rk = parse_rk(&recovery_key)?;
    let cred = credential_of(&password, &rk)?;
    Ok(state.data.restore_preview(std::path::Path::new(&path), &cred)?)
}

#[tauri::command]
pub async fn restore_backup(
    state: State<'_, AppState>,
    path: String,
    password: Option<Zeroizing<String>>,
    recovery_key: Option<Zeroizing<String>>,
    new_password: Option<Zeroizing<String>>,
    as_new_name: Option<String>,
) -> CmdResult<RestoredView> {
    let rk = parse_rk(&recovery_key)?;
    let cred = credential_of(&password, &rk)?;
    let target = match &as_new_name {
        Some(n) => Target::AsNew(n),
        None => Target::Auto,
    };
    // The open session (if any) is closed first: the restore may replace its vault. An
    // admin session is kept for the duration when a new profile must be created.
    let backups = state.backup_guard();
    state.end_epoch(&backups);
    let admin = state.session().take();
    let req = RestoreRequest {
        credential: cred,
        new_password: new_password.as_deref().map(String::as_str),
        target,
        admin: admin.as_ref().filter(|s| s.info().admin),
        kdf: KdfChoice::DEFAULT,
    };
    let restored = state.data.restore(std::path::Path::new(&path), &req);
    drop(admin);
    drop(backups);
    let restored = restored?;
    let new_recovery_key = restored.new_recovery_key.as_ref().map(|rk| rk.display().to_string());
    Ok(RestoredView { session: install(&state, restored.session, true)?, new_recovery_key })
}

/// A restored profile's session, and the new recovery key a profile restored as new
/// gets (shown once).
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RestoredView {
    session: SessionInfo,
    new_recovery_key: Option<String>,
}

/// Restores one of the open profile's own backups (Settings > Backups) with the
/// session's key: no password, no key derivation. The session is replaced by the
/// restored profile's; on error the profile is open again, unchanged.
#[tauri::command]
pub async fn restore_own_backup(state: State<'_, AppState>, path: String) -> CmdResult<SessionInfo> {
    let backups = state.backup_guard();
    state.end_epoch(&backups);
    let session = state.session().take().ok_or_else(CommandError::locked)?;
    let restored = state.data.restore_from_session(session, std::path::Path::new(&path));
    drop(backups);
    match restored {
        Ok(s) => install(&state, s, true),
        Err(failed) => {
            if let Some(s) = failed.session {
                install(&state, s, true)?;
            }
            Err(failed.error.into())
        }
    }
}

#[tauri::command]
pub async fn list_backups(state: State<'_, AppState>) -> CmdResult<Vec<BackupEntry>> {
    state.with(|s| Ok(s.list_backups()?))
}

#[tauri::command]
pub async fn backup_now(state: State<'_, AppState>) -> CmdResult<BackupEntry> {
    let _backups = state.backup_guard();
    state.with(|s| Ok(s.backup_now()?))
}

#[tauri::command]
pub async fn export_backup(state: State<'_, AppState>, path: String) -> CmdResult<ExportedBackup> {
    let _backups = state.backup_guard();
    state.with(|s| Ok(s.export_backup(std::path::Path::new(&path))?))
}

#[tauri::command]
pub async fn verify_backups(state: State<'_, AppState>) -> CmdResult<Vec<BackupEntry>> {
    let _backups = state.backup_guard();
    state.with(|s| Ok(s.verify_backups()?))
}

#[tauri::command]
pub async fn get_backup_settings(state: State<'_, AppState>) -> CmdResult<BackupSettings> {
    state.with(|s| Ok(s.backup_settings()))
}

#[tauri::command]
pub async fn set_backup_settings(state: State<'_, AppState>, settings: BackupSettings) -> CmdResult<BackupSettings> {
    state.with(|s| Ok(s.set_backup_settings(&settings)?))
}
