//! The fake backend's state and the checks the core makes on what it is given: a
//! profile's vault (the core's SQLite tables as arrays), its backups, and the input
//! validation of `wealth::portfolio`, `money` and serde (missing fields, bad tokens,
//! unreadable dates and decimals all fail as `invalid_input`, as the command layer
//! reports them).
import type {
  Account, Activity, Amortization, Asset, AuditEvent, BackupKind, BackupLocation, CashFlow, Deferral, Dimension, FxRate,
  Institution, Instrument, Keep, ValuePoint,
} from '../../lib/ipc/generated/types';
import type { ERROR_CODES } from '../../lib/ipc/generated/constants';
import { LIMITS } from '../../lib/ipc/generated/constants';
import { isIsoDate } from '../../lib/dates';
import { Dec } from './decimal';

export type BackendErrorCode = (typeof ERROR_CODES)[number];

/** A failed command, as the core's command layer serializes it. */
export interface FakeError {
  code: BackendErrorCode;
  message: string;
  details?: Record<string, unknown>;
}

export function fail(code: BackendErrorCode, message: string = code, details?: Record<string, unknown>): never {
  const e: FakeError = { code, message };
  if (details !== undefined) e.details = details;
  throw e;
}

/** `Error::invalid(field, reason)`: `invalid_input` with the field in the details. */
export function invalid(field: string, message = `invalid ${field}`): never {
  return fail('invalid_input', `${field}: ${message}`, { field });
}

export function isFakeError(e: unknown): e is FakeError {
  return typeof e === 'object' && e !== null && typeof (e as FakeError).code === 'string';
}

// ---- A profile's vault -------------------------------------------------------------

export interface Vault {
  institutions: Institution[];
  accounts: Account[];
  assets: Asset[];
  values: ValuePoint[];
  flows: CashFlow[];
  rates: FxRate[];
  dimensions: Dimension[];
  /** Newest last (the core's id order). */
  audit: AuditEvent[];
  baseCurrency: string;
  autoLockMinutes: number;
  /** The assets that hold their account's own balance (`asset.balance` in the core). */
  balances: number[];
  /** Securities, funds and crypto-assets shared by the accounts, with their allocations. */
  instruments: Instrument[];
  /** Unit prices, one per instrument and date (`source`: manual or import). */
  prices: { instrument_id: number; date: string; price: string; source: 'manual' | 'import' }[];
  /** Activities per account, as normalised and stored. */
  activities: Activity[];
  /** Loans held with their terms (`loan` table), by their liability asset. */
  loans: StoredLoan[];
  /** Early repayments (`loan_repayment`). */
  repayments: { id: number; loan_id: number; date: string; amount: string | null; keep: Keep }[];
  /** Data changed since the last backup, which a lock backs up. As in the core, a new
   *  profile with nothing entered has not changed (and a lock makes no empty backup). */
  changed: boolean;
}

/** A loan's row: its terms as stored (normalised decimals) and the property it financed. */
export interface StoredLoan {
  asset_id: number;
  principal: string;
  annual_rate: string;
  months: number;
  first_payment: string;
  insurance: string;
  amortization: Amortization;
  deferral: Deferral;
  deferral_months: number;
  linked_asset_id: number | null;
}

export function emptyVault(baseCurrency: string): Vault {
  return {
    institutions: [], accounts: [], assets: [], values: [], flows: [], rates: [],
    // The migration inserts the two built-in dimensions first.
    dimensions: [{ id: 1, name: 'region', builtin: true }, { id: 2, name: 'sector', builtin: true }],
    // A new profile holds nothing to back up (the core's generation "0").
    audit: [], baseCurrency, autoLockMinutes: LIMITS.auto_lock_default, changed: false, balances: [],
    instruments: [], prices: [], activities: [], loans: [], repayments: [],
  };
}

export function audit(v: Vault, kind: string, detail = ''): void {
  v.audit.push({ at: new Date().toISOString(), kind, detail });
}

/** SQLite's `INTEGER PRIMARY KEY` without AUTOINCREMENT: one more than the largest id. */
export function nextId(rows: readonly { id: number }[]): number {
  return rows.reduce((m, r) => Math.max(m, r.id), 0) + 1;
}

/** SQLite's `COLLATE NOCASE`: ASCII letters fold, nothing else does. */
export function nocase(s: string): string {
  return s.replace(/[A-Z]/g, (c) => c.toLowerCase());
}

export function compareNocase(a: string, b: string): number {
  const x = nocase(a);
  const y = nocase(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

// ---- Backups -----------------------------------------------------------------------

/** A backup file the fake knows: its header and what it holds. */
export interface Backup {
  path: string;
  created_at: string;
  app_version: string;
  schema_version: number;
  profile_name: string;
  size: number;
  location: BackupLocation;
  profile_id: string;
  kind: BackupKind;
  snapshot_checked: boolean;
  snapshot: Vault;
  /** The credentials of the profile when the backup was made. */
  password: string;
  recoveryKey: string;
  /** Forged files name a profile without being made with its key. */
  forged?: boolean;
}

/** What the core keeps in a profile's `backup-settings.json`. */
export interface StoredBackupSettings {
  second_destination: string | null;
  keep_daily: number;
  keep_weekly: number;
  keep_monthly: number;
  missing_reminder_days: number;
  second_destination_last_seen: string | null;
}

export interface Profile {
  id: string;
  name: string;
  admin: boolean;
  created_at: string;
  keychainEnabled: boolean;
  password: string;
  /** As shown to the user (8 dashed groups). */
  recoveryKey: string;
  vault: Vault;
  backups: Backup[];
  backupSettings: StoredBackupSettings;
  verifications: Map<string, { verified_at: string; ok: boolean }>;
  /** The throttle's state (`unlock-state.json`). */
  consecutiveFailures: number;
  lastFailureAt: number | null;
  unreported: { at: string; method: string }[];
}

// ---- What serde and the core accept ------------------------------------------------

export function record(field: string, v: unknown): Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) invalid(field, 'an object');
  return v as Record<string, unknown>;
}

export function int(field: string, v: unknown): number {
  if (typeof v !== 'number' || !Number.isInteger(v)) invalid(field, 'a whole number');
  return v;
}

export function uint(field: string, v: unknown): number {
  const n = int(field, v);
  if (n < 0) invalid(field, 'a whole number, 0 or more');
  return n;
}

export function bool(field: string, v: unknown): boolean {
  if (typeof v !== 'boolean') invalid(field, 'true or false');
  return v;
}

export function str(field: string, v: unknown): string {
  if (typeof v !== 'string') invalid(field, 'a string');
  return v;
}

export function optStr(field: string, v: unknown): string | null {
  return v === undefined || v === null ? null : str(field, v);
}

/** A `NaiveDate` as serde reads it. */
export function date(field: string, v: unknown): string {
  if (typeof v !== 'string' || !isIsoDate(v)) invalid(field, 'a date YYYY-MM-DD');
  return v;
}

export function optDate(field: string, v: unknown): string | null {
  return v === undefined || v === null ? null : date(field, v);
}

/** A `Decimal` as `rust_decimal::serde::str` reads it. */
export function dec(field: string, v: unknown): Dec {
  const d = typeof v === 'string' ? Dec.parse(v) : null;
  if (!d) invalid(field, 'a decimal number written as a string');
  return d;
}

export function optDec(field: string, v: unknown): Dec | null {
  return v === undefined || v === null ? null : dec(field, v);
}

export function token<T extends string>(field: string, v: unknown, allowed: readonly T[]): T {
  if (typeof v !== 'string' || !(allowed as readonly string[]).includes(v)) invalid(field, `one of ${allowed.join(', ')}`);
  return v as T;
}

/** `portfolio::name`: trimmed, 1 to 120 characters, no control characters. */
export function itemName(field: string, v: unknown): string {
  const n = str(field, v).trim();
  if (n === '' || [...n].length > LIMITS.item_name_max || /\p{Cc}/u.test(n)) invalid(field, `a name has 1 to ${LIMITS.item_name_max} characters`);
  return n;
}

/** `profile::validate_name`. */
export function profileName(v: unknown): string {
  const n = str('name', v).trim();
  if (n === '' || [...n].length > LIMITS.profile_name_max || /\p{Cc}/u.test(n)) fail('profile_name_invalid', 'invalid profile name');
  return n;
}

/** `money::currency`: three ASCII letters, upper-cased. */
export function currency(v: unknown, field = 'currency'): string {
  const c = str(field, v).trim().replace(/[a-z]/g, (x) => x.toUpperCase());
  if (!/^[A-Z]{3}$/.test(c)) invalid('currency', 'a three-letter ISO 4217 code such as EUR');
  return c;
}

/** `keys::check_password_strength`. */
export function checkPassword(password: string): void {
  if ([...password].length < LIMITS.password_min) {
    fail('weak_password', `the password must have at least ${LIMITS.password_min} characters`, { min: LIMITS.password_min });
  }
}

/** `portfolio::isin_shape_ok` and the Luhn check digit. */
export function isinShapeOk(isin: string): boolean {
  return /^[A-Z]{2}[A-Z0-9]{9}[0-9]$/.test(isin);
}

export function isinCheckDigitOk(isin: string): boolean {
  const digits = [...isin].map((c) => (/[0-9]/.test(c) ? c : String(c.charCodeAt(0) - 55))).join('');
  let total = 0;
  [...digits].reverse().forEach((ch, i) => {
    let d = Number(ch);
    if (i % 2 === 1) {
      d *= 2;
      d = Math.floor(d / 10) + (d % 10);
    }
    total += d;
  });
  return total % 10 === 0;
}

/** A decimal as the core stores and returns it (`normalize().to_string()`). */
export function stored(d: Dec): string {
  return d.trimmed().toString();
}

/** `Vault::write`: all or nothing — when `change` fails, the vault is left as it was. */
export function atomically<T>(v: Vault, change: () => T): T {
  const before = JSON.parse(JSON.stringify(v)) as Vault;
  try {
    return change();
  } catch (e) {
    Object.assign(v, before);
    throw e;
  }
}

/** Deletes an asset and what goes with it in the core's schema (ON DELETE CASCADE):
 *  its values, its place in composites, its loan and early repayments; a loan that
 *  financed it keeps no link (ON DELETE SET NULL). */
export function removeAsset(v: Vault, id: number): void {
  v.assets = v.assets.filter((x) => x.id !== id);
  v.balances = v.balances.filter((x) => x !== id);
  v.values = v.values.filter((p) => p.asset_id !== id);
  for (const a of v.assets) a.components = a.components.filter((c) => c.asset_id !== id);
  v.repayments = v.repayments.filter((r) => r.loan_id !== id);
  v.loans = v.loans.filter((l) => l.asset_id !== id);
  for (const l of v.loans) if (l.linked_asset_id === id) l.linked_asset_id = null;
}
