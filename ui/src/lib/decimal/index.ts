//! Exact decimal arithmetic on canonical decimal strings ("-1234.5"), using scaled
//! BigInt. The UI never adds money with JS numbers; this is only used for live sums in
//! editors (weights must total exactly 100) and for differences between backend totals.

const CANONICAL = /^-?\d+(\.\d+)?$/;

interface Scaled {
  units: bigint;
  scale: number;
}

/** True when `s` is a canonical decimal string: optional "-", digits, optional ".digits". */
export function isCanonical(s: string): boolean {
  return CANONICAL.test(s);
}

function toScaled(s: string): Scaled {
  if (!CANONICAL.test(s)) throw new RangeError(`not a decimal: ${s}`);
  const negative = s.startsWith('-');
  const body = negative ? s.slice(1) : s;
  const [int, frac = ''] = body.split('.');
  const units = BigInt(int + frac);
  return { units: negative ? -units : units, scale: frac.length };
}

function rescale(x: Scaled, scale: number): bigint {
  return x.units * 10n ** BigInt(scale - x.scale);
}

function fromScaled(units: bigint, scale: number): string {
  const negative = units < 0n;
  let digits = (negative ? -units : units).toString();
  if (scale > 0) {
    digits = digits.padStart(scale + 1, '0');
    let int = digits.slice(0, digits.length - scale);
    let frac = digits.slice(digits.length - scale).replace(/0+$/, '');
    int = int.replace(/^0+(?=\d)/, '');
    digits = frac ? `${int}.${frac}` : int;
  }
  if (digits === '0') return '0';
  return negative ? `-${digits}` : digits;
}

/** Normalises a canonical decimal: no leading zeros, no trailing fractional zeros, no "-0". */
export function normalize(s: string): string {
  const x = toScaled(s);
  return fromScaled(x.units, x.scale);
}

/** Exact sum of canonical decimal strings ("0" for an empty list). */
export function sum(values: readonly string[]): string {
  const scaled = values.map(toScaled);
  const scale = scaled.reduce((m, x) => Math.max(m, x.scale), 0);
  const total = scaled.reduce((acc, x) => acc + rescale(x, scale), 0n);
  return fromScaled(total, scale);
}

/** Exact `a - b`. */
export function subtract(a: string, b: string): string {
  return sum([a, negate(b)]);
}

/** `-a`. */
export function negate(a: string): string {
  const x = toScaled(a);
  return fromScaled(-x.units, x.scale);
}

/** Absolute value. */
export function abs(a: string): string {
  return a.startsWith('-') ? negate(a) : normalize(a);
}

/** -1, 0 or 1 as `a` is less than, equal to or greater than `b`. */
export function compare(a: string, b: string): -1 | 0 | 1 {
  const x = toScaled(a);
  const y = toScaled(b);
  const scale = Math.max(x.scale, y.scale);
  const d = rescale(x, scale) - rescale(y, scale);
  return d < 0n ? -1 : d > 0n ? 1 : 0;
}

/** Sign of `a`: -1, 0 or 1. */
export function sign(a: string): -1 | 0 | 1 {
  return compare(a, '0');
}

/** Multiplies by 10^`places` exactly (negative places divide): "0.0512", 2 → "5.12". */
export function shift(a: string, places: number): string {
  const x = toScaled(a);
  if (places >= 0) {
    const scale = Math.max(x.scale - places, 0);
    return fromScaled(x.units * 10n ** BigInt(places - (x.scale - scale)), scale);
  }
  return fromScaled(x.units, x.scale - places);
}

/**
 * `(a - b) / |b| × 100`, rounded half away from zero to `digits` decimals; null when
 * `b` is zero (no meaningful relative change).
 */
export function percentChange(a: string, b: string, digits = 2): string | null {
  const x = toScaled(a);
  const y = toScaled(b);
  if (y.units === 0n) return null;
  const scale = Math.max(x.scale, y.scale);
  const diff = rescale(x, scale) - rescale(y, scale);
  const base = rescale(y, scale);
  const absBase = base < 0n ? -base : base;
  // result × 10^digits = diff × 100 × 10^digits / |base|, rounded.
  const num = diff * 100n * 10n ** BigInt(digits);
  const negative = num < 0n;
  const absNum = negative ? -num : num;
  let q = absNum / absBase;
  if ((absNum % absBase) * 2n >= absBase) q += 1n;
  return fromScaled(negative ? -q : q, digits);
}

/** Exact `a × b` (a trade's units × its price). */
export function multiply(a: string, b: string): string {
  const x = toScaled(a);
  const y = toScaled(b);
  return fromScaled(x.units * y.units, x.scale + y.scale);
}
