//! TypeScript view of the IPC contract (docs/ipc.md). Domain objects use the core's
//! snake_case serde names; command arguments are camelCase (see commands.ts).

/** A decimal number as a canonical string ("10250.25"); never a JS number. */
export type Decimal = string;
/** A calendar date "YYYY-MM-DD". */
export type IsoDate = string;

export interface ProfileInfo {
  id: string;
  name: string;
  admin: boolean;
  createdAt: string;
  keychainEnabled: boolean;
}

export interface SessionInfo {
  profile: ProfileInfo;
  baseCurrency: string;
  mustSetPassword: boolean;
  keychainEnabled: boolean;
  autoLockMinutes: number;
}

export interface AppInfo {
  version: string;
  dataDir: string;
  profiles: ProfileInfo[];
  session: SessionInfo | null;
  keychainAvailable: boolean;
  osLocale: string;
}

export const INSTITUTION_KINDS = ['bank', 'insurer', 'broker', 'direct', 'other'] as const;
export type InstitutionKind = (typeof INSTITUTION_KINDS)[number];

export const ACCOUNT_KINDS = [
  'current', 'savings', 'term_deposit', 'brokerage', 'pea', 'pea_pme', 'life_insurance',
  'per', 'crypto', 'real_estate', 'loan', 'other',
] as const;
export type AccountKind = (typeof ACCOUNT_KINDS)[number];

export const ASSET_CLASSES = [
  'cash', 'equity', 'bond', 'fund', 'real_estate', 'scpi', 'crypto', 'precious_metal',
  'private_equity', 'vehicle', 'collectible', 'loan', 'other',
] as const;
export type AssetClass = (typeof ASSET_CLASSES)[number];

export const OWNERSHIPS = ['full', 'usufruct', 'bare'] as const;
export type Ownership = (typeof OWNERSHIPS)[number];

export interface Institution {
  id: number;
  name: string;
  kind: InstitutionKind;
  notes: string;
}

export interface Account {
  id: number;
  institution_id: number;
  name: string;
  kind: AccountKind;
  currency: string;
  opened_on: IsoDate | null;
  closed_on: IsoDate | null;
}

export interface Component {
  asset_id: number;
  weight: Decimal;
}

export interface Weight {
  bucket: string;
  weight: Decimal;
}

export interface Asset {
  id: number;
  account_id: number | null;
  name: string;
  class: AssetClass;
  liability: boolean;
  currency: string;
  isin: string | null;
  ticker: string | null;
  share_pct: Decimal;
  ownership: Ownership;
  archived: boolean;
  components: Component[];
  allocations: Record<string, Weight[]>;
}

export interface Dimension {
  id: number;
  name: string;
  builtin: boolean;
}

export interface ValuePoint {
  asset_id: number;
  date: IsoDate;
  value: Decimal;
  quantity: Decimal | null;
  unit_price: Decimal | null;
  source: 'manual' | 'import';
}

export interface LatestValue {
  asset_id: number;
  date: IsoDate;
  value: Decimal;
}

export interface CashFlow {
  id: number;
  account_id: number;
  date: IsoDate;
  amount: Decimal;
  note: string;
}

/** Units of `currency` per 1 EUR. */
export interface FxRate {
  currency: string;
  date: IsoDate;
  rate: Decimal;
}

export interface NetWorth {
  date: IsoDate;
  currency: string;
  net_worth: Decimal;
  assets: Decimal;
  liabilities: Decimal;
  missing_rates: string[];
}

export type Step = 'daily' | 'weekly' | 'monthly';

export interface Series {
  currency: string;
  dates: IsoDate[];
  totals: Decimal[];
  stacks: { key: string; values: Decimal[] }[];
  missing_rates: string[];
}

export type BreakdownBy =
  | { by: 'class' }
  | { by: 'dimension'; name: string }
  | { by: 'institution' }
  | { by: 'account' }
  | { by: 'account_kind' }
  | { by: 'currency' };

export interface Slice {
  key: string;
  label: string;
  value: Decimal;
  percent: Decimal;
}

export interface Breakdown {
  date: IsoDate;
  currency: string;
  total: Decimal;
  slices: Slice[];
  missing_rates: string[];
}

export interface StaleAsset {
  asset_id: number;
  name: string;
  last_date: IsoDate | null;
  age_days: number | null;
}

export interface Performance {
  account_id: number | null;
  from: IsoDate;
  to: IsoDate;
  start_value: Decimal;
  end_value: Decimal;
  net_flows: Decimal;
  gain: Decimal;
  /** Ratio: "0.05" means 5 %. */
  twr: Decimal | null;
  /** Annualised ratio: "0.05" means 5 % a year. */
  xirr: Decimal | null;
}

export interface LineError {
  line: number;
  column: string | null;
  code: string;
  message: string;
}

export interface ImportReport {
  lines: number;
  imported: number;
  skipped: number;
  institutions_created: number;
  accounts_created: number;
  assets_created: number;
  values_inserted: number;
  values_updated: number;
  dry_run: boolean;
  errors: LineError[];
}

export interface FxImportReport {
  rates: number;
  currencies: string[];
  first_date: IsoDate | null;
  last_date: IsoDate | null;
}

export interface AuditEvent {
  at: string;
  kind: string;
  detail: string;
}

export interface ChartPlot {
  left: number;
  top: number;
  width: number;
  height: number;
}

export interface Chart {
  svg: string;
  plot: ChartPlot;
  width: number;
  height: number;
  /** Hover data for line charts (empty for allocation charts). */
  dates: IsoDate[];
  values: Decimal[];
}

export type ChartKind = 'networth' | 'networth_by_class' | 'allocation' | 'asset_history';

export interface ChartRequest {
  kind: ChartKind;
  from?: IsoDate;
  to?: IsoDate;
  step?: Step;
  by?: BreakdownBy;
  assetId?: number;
  locale: string;
  width: number;
  height: number;
}

export interface UpsertCount {
  inserted: number;
  updated: number;
}

export interface CreatedProfile {
  session: SessionInfo;
  recoveryKey: string;
}

// ---- Backups and restore -------------------------------------------------------

export type ProfileHealthState =
  | 'ok' | 'vault_missing' | 'vault_damaged' | 'slots_damaged' | 'restore_interrupted';

export interface ProfileHealth {
  name: string;
  state: ProfileHealthState;
}

export type BackupLocation = 'profile' | 'second_destination' | 'removable' | 'browsed';

export interface BackupHeader {
  path: string;
  /** The profile the backup belongs to (to match it with a profile here). */
  profileId: string;
  /** Why it was made. */
  kind: 'manual' | 'automatic' | 'pre_migration' | 'export';
  createdAt: string;
  appVersion: string;
  schemaVersion: number;
  profileName: string;
  size: number;
  location: BackupLocation;
  /** Format 1.1: the snapshot passed the integrity checks when the backup was made. */
  snapshotChecked: boolean;
}

export interface BackupEntry extends BackupHeader {
  verifiedAt: string | null;
  ok: boolean | null;
  /**
   * The file's header verified with the profile's key: it is really one of its
   * backups. False for a file that only names the profile (forged, damaged, or made
   * under a key the profile does not know): never counted, rotated or restored.
   */
  authenticated: boolean;
}

/** What changing a credential did (the master key is replaced). */
export interface CredentialChanged {
  session: SessionInfo;
  /** A new recovery key to show once, when one was made. */
  newRecoveryKey: string | null;
  /** Keychain unlock was turned off because its slot could not follow the new key. */
  keychainDisabled: boolean;
}

/** A restored profile; one restored as new gets a new recovery key (shown once). */
export interface Restored {
  session: SessionInfo;
  newRecoveryKey: string | null;
}

export interface BackupSettings {
  secondDestination: string | null;
  keepDaily: number;
  keepWeekly: number;
  keepMonthly: number;
  missingReminderDays: number;
  lastBackupAt: string | null;
  secondDestinationLastSeen: string | null;
  /** Computed by the backend: the second destination has been missing too long. */
  secondDestinationReminder: boolean;
}

export interface RestorePreview {
  createdAt: string;
  profileName: string;
  institutions: number;
  accounts: number;
  assets: number;
  values: number;
  netWorth: Decimal;
  currency: string;
}

export interface ExportedBackup {
  path: string;
  size: number;
  sha256: string;
}

/** Input of create/update commands: the domain object, its `id` ignored by the core. */
export type Input<T extends { id: number }> = Omit<T, 'id'>;
