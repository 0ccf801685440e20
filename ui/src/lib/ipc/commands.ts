//! One typed function per command of docs/ipc.md. Argument keys are camelCase exactly
//! as the contract lists them; results are returned as the backend sends them.
import { call } from './invoke';
import type {
  Account, AppInfo, Asset, AuditEvent, BackupEntry, BackupHeader, BackupSettings, Breakdown,
  BreakdownBy, CashFlow, Chart, ChartRequest, CreatedProfile, CredentialChanged, Dimension, ExportedBackup,
  FxImportReport, FxRate, ImportReport, Input, Institution, IsoDate, LatestValue, NetWorth,
  Performance, ProfileHealth, ProfileInfo, RestorePreview, Restored, Series, SessionInfo, StaleAsset, Step,
  UpsertCount, ValuePoint,
} from './types';

// ---- Application and profiles ----------------------------------------------------

export const appInfo = () => call<AppInfo>('app_info');

export const createProfile = (name: string, password: string, baseCurrency: string) =>
  call<CreatedProfile>('create_profile', { name, password, baseCurrency });

export const unlockPassword = (name: string, password: string) =>
  call<SessionInfo>('unlock_password', { name, password });

export const unlockRecovery = (name: string, recoveryKey: string) =>
  call<SessionInfo>('unlock_recovery', { name, recoveryKey });

export const unlockKeychain = (name: string) => call<SessionInfo>('unlock_keychain', { name });

export const lock = () => call<null>('lock');

/** The current password or recovery key, typed again to confirm a change that gives lasting access. */
export interface CurrentSecret {
  password?: string;
  recoveryKey?: string;
}

function currentArgs(s: CurrentSecret | undefined): Record<string, string> {
  if (!s) return {};
  return s.recoveryKey ? { currentRecoveryKey: s.recoveryKey } : { currentPassword: s.password ?? '' };
}

/** Changes the password; `current` may be left out only right after a recovery-key unlock. */
export const changePassword = (newPassword: string, current?: CurrentSecret) =>
  call<CredentialChanged>('change_password', { newPassword, ...currentArgs(current) });

export const regenerateRecoveryKey = (current: CurrentSecret) =>
  call<CredentialChanged>('regenerate_recovery_key', currentArgs(current));

/** Turning keychain unlock on needs `current`; turning it off does not. */
export const setKeychain = (enabled: boolean, current?: CurrentSecret) =>
  call<CredentialChanged>('set_keychain', { enabled, ...currentArgs(current) });

export interface PreferencesPatch {
  baseCurrency?: string;
  autoLockMinutes?: number;
}

export const setPreferences = (patch: PreferencesPatch) =>
  call<SessionInfo>('set_preferences', { ...patch });

export const renameProfile = (name: string, newName: string) =>
  call<ProfileInfo[]>('rename_profile', { name, newName });

export const deleteProfile = (name: string, typedName: string) =>
  call<ProfileInfo[]>('delete_profile', { name, typedName });

export const auditLog = (limit: number) => call<AuditEvent[]>('audit_log', { limit });

// ---- Institutions, accounts, assets ----------------------------------------------

export const listInstitutions = () => call<Institution[]>('list_institutions', {});
export const createInstitution = (input: Input<Institution>) =>
  call<number>('create_institution', { input });
export const updateInstitution = (id: number, input: Input<Institution>) =>
  call<null>('update_institution', { id, input });
export const deleteInstitution = (id: number, force = false) =>
  call<null>('delete_institution', { id, force });

export const listAccounts = () => call<Account[]>('list_accounts', {});
export const createAccount = (input: Input<Account>) => call<number>('create_account', { input });
export const updateAccount = (id: number, input: Input<Account>) =>
  call<null>('update_account', { id, input });
export const deleteAccount = (id: number, force = false) =>
  call<null>('delete_account', { id, force });

export const listAssets = () => call<Asset[]>('list_assets', {});
export const createAsset = (input: Input<Asset>) => call<number>('create_asset', { input });
export const updateAsset = (id: number, input: Input<Asset>) =>
  call<null>('update_asset', { id, input });
export const deleteAsset = (id: number, force = false) => call<null>('delete_asset', { id, force });

export const listDimensions = () => call<Dimension[]>('list_dimensions', {});
export const createDimension = (name: string) => call<number>('create_dimension', { name });

// ---- Values and cash flows -------------------------------------------------------

export const assetValues = (assetId: number) => call<ValuePoint[]>('asset_values', { assetId });
export const latestValues = () => call<LatestValue[]>('latest_values');
export const upsertValues = (points: ValuePoint[]) =>
  call<UpsertCount>('upsert_values', { points });
export const deleteValue = (assetId: number, date: IsoDate) =>
  call<null>('delete_value', { assetId, date });

export const listCashFlows = (accountId?: number) =>
  call<CashFlow[]>('list_cash_flows', accountId === undefined ? {} : { accountId });
export const addCashFlow = (input: Input<CashFlow>) => call<number>('add_cash_flow', { input });
export const updateCashFlow = (id: number, input: Input<CashFlow>) =>
  call<null>('update_cash_flow', { id, input });
export const deleteCashFlow = (id: number) => call<null>('delete_cash_flow', { id });

// ---- Exchange rates --------------------------------------------------------------

export const listFxRates = (limit: number, currency?: string) =>
  call<FxRate[]>('list_fx_rates', currency ? { currency, limit } : { limit });
export const setFxRate = (rate: FxRate) => call<null>('set_fx_rate', { rate });
export const deleteFxRate = (currency: string, date: IsoDate) =>
  call<null>('delete_fx_rate', { currency, date });
export const importEcb = (path: string) => call<FxImportReport>('import_ecb', { path });

// ---- Analytics and charts --------------------------------------------------------

export const netWorth = (date: IsoDate) => call<NetWorth>('net_worth', { date });
export const series = (from: IsoDate, to: IsoDate, step: Step, stackByClass: boolean) =>
  call<Series>('series', { from, to, step, stackByClass });
export const breakdown = (date: IsoDate, by: BreakdownBy) =>
  call<Breakdown>('breakdown', { date, by });
export const staleAssets = (date: IsoDate, days: number) =>
  call<StaleAsset[]>('stale_assets', { date, days });
export const performanceByAccount = (from: IsoDate, to: IsoDate) =>
  call<Performance[]>('performance_by_account', { from, to });
export const performance = (from: IsoDate, to: IsoDate, accountId?: number) =>
  call<Performance>('performance', accountId === undefined ? { from, to } : { accountId, from, to });

function chartArgs(req: ChartRequest): Record<string, unknown> {
  const args: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(req)) if (v !== undefined) args[k] = v;
  return args;
}

export const chart = (req: ChartRequest) => call<Chart>('chart', chartArgs(req));
export const chartPng = (req: ChartRequest) => call<string>('chart_png', chartArgs(req));

// ---- Import and export -----------------------------------------------------------

export const importCsv = (path: string, dryRun: boolean, skipInvalid: boolean) =>
  call<ImportReport>('import_csv', { path, dryRun, skipInvalid });
export const exportFile = (path: string, format: 'json' | 'csv') =>
  call<null>('export_file', { path, format });

// ---- Backups and restore ---------------------------------------------------------

export const startupHealth = () => call<ProfileHealth[]>('startup_health');
export const scanBackups = () => call<BackupHeader[]>('scan_backups');
export const inspectBackup = (path: string) => call<BackupHeader>('inspect_backup', { path });

export interface RestoreSecret {
  password?: string;
  recoveryKey?: string;
}

function secretArgs(s: RestoreSecret): Record<string, string> {
  return s.recoveryKey ? { recoveryKey: s.recoveryKey } : { password: s.password ?? '' };
}

export const restorePreview = (path: string, secret: RestoreSecret) =>
  call<RestorePreview>('restore_preview', { path, ...secretArgs(secret) });

export const restoreBackup = (
  path: string,
  secret: RestoreSecret,
  newPassword?: string,
  asNewName?: string,
) => {
  const args: Record<string, unknown> = { path, ...secretArgs(secret) };
  if (newPassword !== undefined) args.newPassword = newPassword;
  if (asNewName !== undefined) args.asNewName = asNewName;
  return call<Restored>('restore_backup', args);
};

/** Restores one of the open profile's own backups with the session's key: no password. */
export const restoreOwnBackup = (path: string) => call<SessionInfo>('restore_own_backup', { path });

export const listBackups = () => call<BackupEntry[]>('list_backups');
export const backupNow = () => call<BackupEntry>('backup_now');
export const exportBackup = (path: string) => call<ExportedBackup>('export_backup', { path });
export const verifyBackups = () => call<BackupEntry[]>('verify_backups');
export const getBackupSettings = () => call<BackupSettings>('get_backup_settings');
export const setBackupSettings = (settings: BackupSettings) =>
  call<BackupSettings>('set_backup_settings', { settings });
