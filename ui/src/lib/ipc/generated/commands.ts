// Generated from the Rust types by src-tauri/src/contract.rs; do not edit.
// Regenerate: PATRIMOINE_BLESS=1 cargo test -p patrimoine-app contract

import type * as T from './types';

/** Every command: its arguments (snake_case keys; an optional one may be left out) and result. */
export interface Commands {
  app_info: { args: {  }; result: T.AppInfo };
  create_profile: { args: { name: string; password: string; base_currency: string }; result: T.CreatedProfile };
  unlock_password: { args: { name: string; password: string }; result: T.SessionInfo };
  unlock_recovery: { args: { name: string; recovery_key: string }; result: T.SessionInfo };
  unlock_keychain: { args: { name: string }; result: T.SessionInfo };
  lock: { args: {  }; result: null };
  change_password: { args: { current_password?: string | null; current_recovery_key?: string | null; new_password: string }; result: T.CredentialChanged };
  regenerate_recovery_key: { args: { current_password?: string | null; current_recovery_key?: string | null }; result: T.CredentialChanged };
  set_keychain: { args: { enabled: boolean; current_password?: string | null; current_recovery_key?: string | null }; result: T.CredentialChanged };
  set_preferences: { args: { base_currency?: string | null; auto_lock_minutes?: number | null }; result: T.SessionInfo };
  rename_profile: { args: { name: string; new_name: string }; result: Array<T.ProfileView> };
  delete_profile: { args: { name: string; typed_name: string }; result: Array<T.ProfileView> };
  audit_log: { args: { limit: number }; result: Array<T.AuditEvent> };
  list_institutions: { args: {  }; result: Array<T.Institution> };
  create_institution: { args: { input: T.Institution }; result: number };
  update_institution: { args: { id: number; input: T.Institution }; result: null };
  delete_institution: { args: { id: number; force: boolean }; result: null };
  list_accounts: { args: {  }; result: Array<T.Account> };
  create_account: { args: { input: T.Account }; result: number };
  update_account: { args: { id: number; input: T.Account }; result: null };
  delete_account: { args: { id: number; force: boolean }; result: null };
  list_assets: { args: {  }; result: Array<T.Asset> };
  create_asset: { args: { input: T.Asset }; result: number };
  update_asset: { args: { id: number; input: T.Asset }; result: null };
  delete_asset: { args: { id: number; force: boolean }; result: null };
  list_dimensions: { args: {  }; result: Array<T.Dimension> };
  create_dimension: { args: { name: string }; result: number };
  asset_values: { args: { asset_id: number }; result: Array<T.ValuePoint> };
  latest_values: { args: {  }; result: Array<T.LatestValue> };
  upsert_values: { args: { points: Array<T.ValuePoint> }; result: T.UpsertCount };
  delete_value: { args: { asset_id: number; date: string }; result: null };
  set_account_balance: { args: { account_id: number; date: string; amount: T.Decimal }; result: number };
  list_cash_flows: { args: { account_id?: number | null }; result: Array<T.CashFlow> };
  add_cash_flow: { args: { input: T.CashFlow }; result: number };
  update_cash_flow: { args: { id: number; input: T.CashFlow }; result: null };
  delete_cash_flow: { args: { id: number }; result: null };
  list_fx_rates: { args: { currency?: string | null; limit: number }; result: Array<T.FxRate> };
  set_fx_rate: { args: { rate: T.FxRate }; result: null };
  delete_fx_rate: { args: { currency: string; date: string }; result: null };
  list_instruments: { args: {  }; result: Array<T.Instrument> };
  create_instrument: { args: { input: T.Instrument }; result: number };
  update_instrument: { args: { id: number; input: T.Instrument }; result: null };
  delete_instrument: { args: { id: number }; result: null };
  instrument_prices: { args: { instrument_id: number }; result: Array<T.PricePoint> };
  latest_prices: { args: {  }; result: Array<T.LatestPrice> };
  set_prices: { args: { points: Array<T.PricePoint> }; result: T.UpsertCount };
  delete_price: { args: { instrument_id: number; date: string }; result: null };
  list_activities: { args: { account_id?: number | null }; result: Array<T.Activity> };
  add_activity: { args: { input: T.Activity }; result: number };
  update_activity: { args: { id: number; input: T.Activity }; result: null };
  delete_activity: { args: { id: number }; result: null };
  add_opening_position: { args: { account_id: number; instrument_id: number; date: string; quantity: T.Decimal; average_cost: T.Decimal }; result: number };
  holdings: { args: { account_id: number; date: string }; result: T.Holdings };
  list_loans: { args: {  }; result: Array<T.Loan> };
  create_loan: { args: { input: T.Loan }; result: number };
  update_loan: { args: { asset_id: number; input: T.Loan }; result: null };
  loan_schedule: { args: { asset_id: number; date: string }; result: T.LoanSchedule };
  add_repayment: { args: { asset_id: number; repayment: T.Repayment }; result: number };
  delete_repayment: { args: { id: number }; result: null };
  equity: { args: { asset_id: number; dates: Array<string> }; result: Array<T.Equity> };
  dismembered_share: { args: { asset_id: number; date: string }; result: T.DismemberedShare | null };
  net_worth: { args: { date: string }; result: T.NetWorth };
  accounts_overview: { args: { date: string }; result: T.AccountsOverview };
  series: { args: { from: string; to: string; step: T.Step; stack_by_class: boolean }; result: T.Series };
  breakdown: { args: { date: string; by: T.BreakdownBy }; result: T.Breakdown };
  stale_assets: { args: { date: string; days: number }; result: Array<T.StaleAsset> };
  performance: { args: { account_id?: number | null; from: string; to: string }; result: T.Performance };
  performance_by_account: { args: { from: string; to: string }; result: Array<T.Performance> };
  chart: { args: { request: T.ChartRequest }; result: T.Chart };
  chart_png: { args: { request: T.ChartRequest }; result: string };
  import_csv: { args: { path: string; dry_run: boolean; skip_invalid: boolean }; result: T.ImportReport };
  import_ecb: { args: { path: string }; result: T.FxImportReport };
  export_file: { args: { path: string; format: T.ExportFormat }; result: null };
  startup_health: { args: {  }; result: Array<T.ProfileHealth> };
  scan_backups: { args: {  }; result: Array<T.BackupHeader> };
  inspect_backup: { args: { path: string }; result: T.BackupHeader };
  restore_preview: { args: { path: string; password?: string | null; recovery_key?: string | null }; result: T.RestorePreview };
  restore_backup: { args: { path: string; password?: string | null; recovery_key?: string | null; new_password?: string | null; as_new_name?: string | null }; result: T.RestoredView };
  restore_own_backup: { args: { path: string }; result: T.SessionInfo };
  list_backups: { args: {  }; result: Array<T.BackupEntry> };
  backup_now: { args: {  }; result: T.BackupEntry };
  export_backup: { args: { path: string }; result: T.ExportedBackup };
  verify_backups: { args: {  }; result: Array<T.BackupEntry> };
  get_backup_settings: { args: {  }; result: T.BackupSettings };
  set_backup_settings: { args: { settings: T.BackupSettings }; result: T.BackupSettings };
}

export type CommandName = keyof Commands;
export type Args<C extends CommandName> = Commands[C]['args'];
export type Result<C extends CommandName> = Commands[C]['result'];

export const COMMAND_NAMES = ["app_info","create_profile","unlock_password","unlock_recovery","unlock_keychain","lock","change_password","regenerate_recovery_key","set_keychain","set_preferences","rename_profile","delete_profile","audit_log","list_institutions","create_institution","update_institution","delete_institution","list_accounts","create_account","update_account","delete_account","list_assets","create_asset","update_asset","delete_asset","list_dimensions","create_dimension","asset_values","latest_values","upsert_values","delete_value","set_account_balance","list_cash_flows","add_cash_flow","update_cash_flow","delete_cash_flow","list_fx_rates","set_fx_rate","delete_fx_rate","list_instruments","create_instrument","update_instrument","delete_instrument","instrument_prices","latest_prices","set_prices","delete_price","list_activities","add_activity","update_activity","delete_activity","add_opening_position","holdings","list_loans","create_loan","update_loan","loan_schedule","add_repayment","delete_repayment","equity","dismembered_share","net_worth","accounts_overview","series","breakdown","stale_assets","performance","performance_by_account","chart","chart_png","import_csv","import_ecb","export_file","startup_health","scan_backups","inspect_backup","restore_preview","restore_backup","restore_own_backup","list_backups","backup_now","export_backup","verify_backups","get_backup_settings","set_backup_settings"] as const satisfies readonly CommandName[];
