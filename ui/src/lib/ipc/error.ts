//! `AppError`: the single error type the UI handles. Every rejection coming out of the
//! IPC seam is normalised into it, so views match on `code`, never on message text.

/** Error codes the backend may return (docs/ipc.md); every one has an `error.<code>` string. */
export const ERROR_CODES = [
  'wrong_password', 'wrong_recovery_key', 'recovery_key_typo', 'recovery_key_format',
  'weak_password', 'throttled', 'slots_corrupt', 'slots_missing', 'kdf_out_of_bounds',
  'keychain_not_enabled', 'keychain_unavailable', 'key_check_mismatch', 'profile_not_found',
  'profile_exists', 'profile_limit', 'profile_name_invalid', 'not_admin', 'admin_has_profiles',
  'confirmation_mismatch', 'registry_corrupt', 'profile_busy', 'vault_missing', 'vault_corrupt',
  'vault_too_new', 'migration_mismatch', 'invalid_input', 'not_found', 'duplicate', 'in_use',
  'weights_not_100', 'composite_cycle', 'import_invalid', 'csv_unreadable', 'disk_full', 'io',
  'database', 'not_a_backup', 'backup_too_new', 'backup_damaged', 'backup_truncated',
  'destination_unwritable', 'backup_other_profile', 'backup_profile_present', 'backup_old_credentials',
  'backup_schema_unknown', 'restore_interrupted', 'credential_needed', 'chart', 'isin_check_digit', 'locked',
  'unknown',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

export class AppError extends Error {
  readonly code: string;
  readonly details: Record<string, unknown> | undefined;

  constructor(code: string, message: string, details?: Record<string, unknown>) {
    super(message);
    this.name = 'AppError';
    this.code = code;
    this.details = details;
  }

  /** A numeric field of `details` (e.g. `retry_after_secs`, `group`), if present. */
  detailNumber(key: string): number | undefined {
    const v = this.details?.[key];
    if (typeof v === 'number' && Number.isFinite(v)) return v;
    if (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))) return Number(v);
    return undefined;
  }

  /** A string field of `details` (e.g. `field` for `invalid_input`), if present. */
  detailString(key: string): string | undefined {
    const v = this.details?.[key];
    return typeof v === 'string' ? v : undefined;
  }
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * Turns anything a rejected `invoke` may produce into an `AppError`: the contract's
 * `{ code, message, details? }`, a JSON string of it, a bare string (Tauri's own errors,
 * e.g. an unknown command), or a JS exception.
 */
export function toAppError(raw: unknown): AppError {
  if (raw instanceof AppError) return raw;
  let value: unknown = raw;
  if (typeof value === 'string') {
    try {
      value = JSON.parse(value);
    } catch {
      return new AppError('unknown', raw as string);
    }
  }
  if (isRecord(value) && typeof value.code === 'string' && value.code !== '') {
    const message = typeof value.message === 'string' ? value.message : '';
    const details = isRecord(value.details) ? value.details : undefined;
    return new AppError(value.code, message, details);
  }
  if (value instanceof Error) return new AppError('unknown', value.message);
  return new AppError('unknown', typeof raw === 'string' ? raw : String(raw));
}
