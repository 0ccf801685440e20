//! One typed function per command of the generated contract (`generated/commands.ts`).
//! Argument keys are snake_case exactly as the Rust side names them; `call` checks the
//! command name, the arguments and the result type against the generated map.
import { call } from './invoke';
import type { Args } from './generated/commands';
import type {
  Account, Activity, Asset, BackupSettings, BreakdownBy, CashFlow, ChartRequest, ExportFormat, FxRate,
  Institution, Instrument, Loan, PricePoint, Repayment, Step, ValuePoint,
} from './generated/types';
import type { Input, IsoDate } from './types';

// ---- Application and profiles ----------------------------------------------------

export const appInfo = () => call('app_info', {});

export const createProfile = (name: string, password: string, baseCurrency: string) =>
  call('create_profile', { name, password, base_currency: baseCurrency });

export const unlockPassword = (name: string, password: string) =>
  call('unlock_password', { name, password });

export const unlockRecovery = (name: string, recoveryKey: string) =>
  call('unlock_recovery', { name, recovery_key: recoveryKey });

export const unlockKeychain = (name: string) => call('unlock_keychain', { name });

export const lock = () => call('lock', {});

/** The current password or recovery key, typed again to confirm a change that gives lasting access. */
export interface CurrentSecret {
  password?: string;
  recoveryKey?: string;
}

type CurrentArgs = { current_password?: string; current_recovery_key?: string };

function currentArgs(s: CurrentSecret | undefined): CurrentArgs {
  if (!s) return {};
  return s.recoveryKey ? { current_recovery_key: s.recoveryKey } : { current_password: s.password ?? '' };
}

/** Changes the password; `current` may be left out only right after a recovery-key unlock. */
export const changePassword = (newPassword: string, current?: CurrentSecret) =>
  call('change_password', { new_password: newPassword, ...currentArgs(current) });

export const regenerateRecoveryKey = (current: CurrentSecret) =>
  call('regenerate_recovery_key', currentArgs(current));

/** Turning keychain unlock on needs `current`; turning it off does not. */
export const setKeychain = (enabled: boolean, current?: CurrentSecret) =>
  call('set_keychain', { enabled, ...currentArgs(current) });

/** Only the preferences given are changed. */
export type PreferencesPatch = Args<'set_preferences'>;

export const setPreferences = (patch: PreferencesPatch) => call('set_preferences', { ...patch });

export const renameProfile = (name: string, newName: string) =>
  call('rename_profile', { name, new_name: newName });

export const deleteProfile = (name: string, typedName: string) =>
  call('delete_profile', { name, typed_name: typedName });

export const auditLog = (limit: number) => call('audit_log', { limit });

// ---- Institutions, accounts, assets ----------------------------------------------
// The core ignores the `id` of an input; the UI sends 0 so the shape is the domain type.

export const listInstitutions = () => call('list_institutions', {});
export const createInstitution = (input: Input<Institution>) =>
  call('create_institution', { input: { ...input, id: 0 } });
export const updateInstitution = (id: number, input: Input<Institution>) =>
  call('update_institution', { id, input: { ...input, id } });
export const deleteInstitution = (id: number, force = false) =>
  call('delete_institution', { id, force });

export const listAccounts = () => call('list_accounts', {});
export const createAccount = (input: Input<Account>) =>
  call('create_account', { input: { ...input, id: 0 } });
export const updateAccount = (id: number, input: Input<Account>) =>
  call('update_account', { id, input: { ...input, id } });
export const deleteAccount = (id: number, force = false) =>
  call('delete_account', { id, force });

export const listAssets = () => call('list_assets', {});
export const createAsset = (input: Input<Asset>) => call('create_asset', { input: { ...input, id: 0 } });
export const updateAsset = (id: number, input: Input<Asset>) =>
  call('update_asset', { id, input: { ...input, id } });
export const deleteAsset = (id: number, force = false) => call('delete_asset', { id, force });

export const listDimensions = () => call('list_dimensions', {});
export const createDimension = (name: string) => call('create_dimension', { name });

// ---- Values and cash flows -------------------------------------------------------

export const assetValues = (assetId: number) => call('asset_values', { asset_id: assetId });
export const latestValues = () => call('latest_values', {});
export const upsertValues = (points: ValuePoint[]) => call('upsert_values', { points });
export const deleteValue = (assetId: number, date: IsoDate) =>
  call('delete_value', { asset_id: assetId, date });

/** Sets an account's own balance on a date; returns the asset that holds it. */
export const setAccountBalance = (accountId: number, date: IsoDate, amount: string) =>
  call('set_account_balance', { account_id: accountId, date, amount });

export const listCashFlows = (accountId?: number) =>
  call('list_cash_flows', accountId === undefined ? {} : { account_id: accountId });
export const addCashFlow = (input: Input<CashFlow>) => call('add_cash_flow', { input: { ...input, id: 0 } });
export const updateCashFlow = (id: number, input: Input<CashFlow>) =>
  call('update_cash_flow', { id, input: { ...input, id } });
export const deleteCashFlow = (id: number) => call('delete_cash_flow', { id });

// ---- Exchange rates --------------------------------------------------------------

export const listFxRates = (limit: number, currency?: string) =>
  call('list_fx_rates', currency ? { currency, limit } : { limit });
export const setFxRate = (rate: FxRate) => call('set_fx_rate', { rate });
export const deleteFxRate = (currency: string, date: IsoDate) =>
  call('delete_fx_rate', { currency, date });
export const importEcb = (path: string) => call('import_ecb', { path });

// ---- Instruments, prices, activities ---------------------------------------------

export const listInstruments = () => call('list_instruments', {});
export const createInstrument = (input: Input<Instrument>) =>
  call('create_instrument', { input: { ...input, id: 0 } });
export const updateInstrument = (id: number, input: Input<Instrument>) =>
  call('update_instrument', { id, input: { ...input, id } });
export const deleteInstrument = (id: number) => call('delete_instrument', { id });
export const instrumentPrices = (instrumentId: number) =>
  call('instrument_prices', { instrument_id: instrumentId });
export const latestPrices = () => call('latest_prices', {});
/** Writes prices (all or nothing); every position holding those instruments is revalued. */
export const setPrices = (points: PricePoint[]) => call('set_prices', { points });
export const deletePrice = (instrumentId: number, date: IsoDate) =>
  call('delete_price', { instrument_id: instrumentId, date });

export const listActivities = (accountId?: number) =>
  call('list_activities', accountId === undefined ? {} : { account_id: accountId });
export const addActivity = (input: Input<Activity>) => call('add_activity', { input: { ...input, id: 0 } });
export const updateActivity = (id: number, input: Input<Activity>) =>
  call('update_activity', { id, input: { ...input, id } });
export const deleteActivity = (id: number) => call('delete_activity', { id });
/** "I hold 120 units bought for 25.10 on average": a dated opening position. */
export const addOpeningPosition = (
  accountId: number,
  instrumentId: number,
  date: IsoDate,
  quantity: string,
  averageCost: string,
) =>
  call('add_opening_position', {
    account_id: accountId,
    instrument_id: instrumentId,
    date,
    quantity,
    average_cost: averageCost,
  });
/** An account's positions, cash, gains and income on a date. */
export const holdings = (accountId: number, date: IsoDate) => call('holdings', { account_id: accountId, date });

// ---- Loans and dismembered ownership ---------------------------------------------

export const listLoans = () => call('list_loans', {});
export const createLoan = (input: Omit<Loan, 'asset_id' | 'repayments'>) =>
  call('create_loan', { input: { ...input, asset_id: 0, repayments: [] } });
export const updateLoan = (assetId: number, input: Omit<Loan, 'asset_id' | 'repayments'>) =>
  call('update_loan', { asset_id: assetId, input: { ...input, asset_id: assetId, repayments: [] } });
export const loanSchedule = (assetId: number, date: IsoDate) => call('loan_schedule', { asset_id: assetId, date });
export const addRepayment = (assetId: number, repayment: Repayment) =>
  call('add_repayment', { asset_id: assetId, repayment });
export const deleteRepayment = (id: number) => call('delete_repayment', { id });
/** A property's value, its linked loans' capital and its net equity on each date. */
export const equity = (assetId: number, dates: IsoDate[]) => call('equity', { asset_id: assetId, dates });
/** Which article-669 rule gives a dismembered asset's share on a date (null: none). */
export const dismemberedShare = (assetId: number, date: IsoDate) =>
  call('dismembered_share', { asset_id: assetId, date });
/** Writes a loan's amortization table as CSV (the CLI's columns: number,date,kind,payment,interest,capital,insurance,remaining). */
export const exportScheduleCsv = (assetId: number, path: string) =>
  call('export_schedule_csv', { asset_id: assetId, path });

// ---- Analytics and charts --------------------------------------------------------

export const netWorth = (date: IsoDate) => call('net_worth', { date });
export const accountsOverview = (date: IsoDate) => call('accounts_overview', { date });
export const series = (from: IsoDate, to: IsoDate, step: Step, stackByClass: boolean) =>
  call('series', { from, to, step, stack_by_class: stackByClass });
export const breakdown = (date: IsoDate, by: BreakdownBy) => call('breakdown', { date, by });
export const staleAssets = (date: IsoDate, days: number) => call('stale_assets', { date, days });
export const performanceByAccount = (from: IsoDate, to: IsoDate) =>
  call('performance_by_account', { from, to });
export const performance = (from: IsoDate, to: IsoDate, accountId?: number) =>
  call('performance', accountId === undefined ? { from, to } : { account_id: accountId, from, to });

/** The request without its unset optional fields (the core applies its defaults). */
function chartRequest(req: ChartRequest): ChartRequest {
  const out = { ...req };
  for (const k of Object.keys(out) as (keyof ChartRequest)[]) if (out[k] === undefined) delete out[k];
  return out;
}

export const chart = (req: ChartRequest) => call('chart', { request: chartRequest(req) });
export const chartPng = (req: ChartRequest) => call('chart_png', { request: chartRequest(req) });

// ---- Import and export -----------------------------------------------------------

export const importCsv = (path: string, dryRun: boolean, skipInvalid: boolean) =>
  call('import_csv', { path, dry_run: dryRun, skip_invalid: skipInvalid });
export const exportFile = (path: string, format: ExportFormat) => call('export_file', { path, format });

// ---- Backups and restore ---------------------------------------------------------

export const startupHealth = () => call('startup_health', {});
export const scanBackups = () => call('scan_backups', {});
export const inspectBackup = (path: string) => call('inspect_backup', { path });

/** The credential that opens a backup: a password or a recovery key. */
export interface RestoreSecret {
  password?: string;
  recoveryKey?: string;
}

function secretArgs(s: RestoreSecret): { password?: string; recovery_key?: string } {
  return s.recoveryKey ? { recovery_key: s.recoveryKey } : { password: s.password ?? '' };
}

export const restorePreview = (path: string, secret: RestoreSecret) =>
  call('restore_preview', { path, ...secretArgs(secret) });

export const restoreBackup = (
  path: string,
  secret: RestoreSecret,
  newPassword?: string,
  asNewName?: string,
) => {
  const args: Args<'restore_backup'> = { path, ...secretArgs(secret) };
  if (newPassword !== undefined) args.new_password = newPassword;
  if (asNewName !== undefined) args.as_new_name = asNewName;
  return call('restore_backup', args);
};

/** Restores one of the open profile's own backups with the session's key: no password. */
export const restoreOwnBackup = (path: string) => call('restore_own_backup', { path });

export const listBackups = () => call('list_backups', {});
export const backupNow = () => call('backup_now', {});
export const exportBackup = (path: string) => call('export_backup', { path });
export const verifyBackups = () => call('verify_backups', {});
export const getBackupSettings = () => call('get_backup_settings', {});
export const setBackupSettings = (settings: BackupSettings) => call('set_backup_settings', { settings });
