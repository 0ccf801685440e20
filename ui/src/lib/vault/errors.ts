//! Maps an `AppError` to the form field it concerns (for inline display), using
//! `details.field` of `invalid_input` and the codes tied to one field.
import type { AppError } from '../ipc';

const FIELD_OF_CODE: Record<string, string> = {
  weak_password: 'password',
  profile_name_invalid: 'name',
  profile_exists: 'name',
  wrong_password: 'password',
  wrong_recovery_key: 'recoveryKey',
  recovery_key_typo: 'recoveryKey',
  recovery_key_format: 'recoveryKey',
  confirmation_mismatch: 'typedName',
  weights_not_100: 'weights',
  composite_cycle: 'components',
  isin_check_digit: 'isin',
  sell_exceeds_position: 'quantity',
  before_account_opening: 'date',
  split_ratio_invalid: 'quantity',
  price_not_positive: 'price',
  loan_term_invalid: 'months',
  rate_out_of_range: 'annual_rate',
  repayment_exceeds_capital: 'amount',
  birth_date_in_future: 'usufructuary_born',
  duplicate: 'name',
};

/** The field an error belongs to, or null for a form-level error. */
export function errorField(err: AppError | null | undefined): string | null {
  if (!err) return null;
  if (err.code === 'invalid_input') return err.detailString('field') ?? null;
  return FIELD_OF_CODE[err.code] ?? null;
}
