//! `AppError`: the single error type the UI handles. Every rejection coming out of the
//! IPC seam is normalised into it, so views match on `code`, never on message text.
import { ERROR_CODES as BACKEND_ERROR_CODES } from './generated/constants';

/** Every code the backend may fail with (generated from the core), plus the UI's own
 *  `unknown` for anything that is not a contract error. Each has an `error.<code>` sentence
 *  in both languages (checked by a test). */
export const ERROR_CODES = [...BACKEND_ERROR_CODES, 'unknown'] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

const KNOWN: ReadonlySet<string> = new Set(ERROR_CODES);

/** True when `code` is one the UI knows (the contract's or `unknown`). */
export function isErrorCode(code: string): code is ErrorCode {
  return KNOWN.has(code);
}

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly details: Record<string, unknown> | undefined;

  constructor(code: ErrorCode, message: string, details?: Record<string, unknown>) {
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
    // A code outside the contract (a newer backend?) keeps its name in the message.
    if (!isErrorCode(value.code)) return new AppError('unknown', `${value.code}: ${message}`, details);
    return new AppError(value.code, message, details);
  }
  if (value instanceof Error) return new AppError('unknown', value.message);
  return new AppError('unknown', typeof raw === 'string' ? raw : String(raw));
}
