//! Logic of the weights editors (allocation per dimension, composite components): each
//! row's text is parsed as a decimal and the rows are added exactly; the total must be
//! exactly 100.
import { compare, sum } from '../decimal';
import { parseDecimalInput } from '../format';

export interface WeightRowState {
  /** Bucket name (allocation) or asset id as text (components). */
  key: string;
  /** The weight as typed by the user. */
  text: string;
}

export type WeightsStatus =
  | { kind: 'empty' }
  | { kind: 'ok'; total: string }
  | { kind: 'off'; total: string }
  | { kind: 'invalid'; rows: number[] };

/** Sum and validity of a set of rows. Rows with both fields blank are ignored. */
export function weightsStatus(rows: readonly WeightRowState[], locale?: string): WeightsStatus {
  const filled = rows
    .map((r, i) => ({ r, i }))
    .filter(({ r }) => r.key.trim() !== '' || r.text.trim() !== '');
  if (filled.length === 0) return { kind: 'empty' };
  const bad: number[] = [];
  const values: string[] = [];
  for (const { r, i } of filled) {
    const v = parseDecimalInput(r.text, locale);
    if (v === null || r.key.trim() === '' || compare(v, '0') < 0 || compare(v, '100') > 0) bad.push(i);
    else values.push(v);
  }
  if (bad.length > 0) return { kind: 'invalid', rows: bad };
  const total = sum(values);
  return compare(total, '100') === 0 ? { kind: 'ok', total } : { kind: 'off', total };
}

/** Canonical (key, weight) pairs of the filled rows; call only when the status is ok. */
export function weightsValues(rows: readonly WeightRowState[], locale?: string): { key: string; weight: string }[] {
  return rows
    .filter((r) => r.key.trim() !== '' || r.text.trim() !== '')
    .map((r) => ({ key: r.key.trim(), weight: parseDecimalInput(r.text, locale) ?? '0' }));
}
