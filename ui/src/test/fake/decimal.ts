//! Exact decimals for the fake backend, with the semantics of the core's
//! `rust_decimal::Decimal`: a mantissa and a scale (so "50.0" and "50" differ in how
//! they print), sums keep the larger scale, products add scales, an exact quotient
//! keeps the difference of scales and an inexact one gets as many digits as fit,
//! trailing zeros stripped. Money is rounded half away from zero to 2 places (the
//! core's `round_money`), `roundDp` rounds half to even like `Decimal::round_dp`.

/** rust_decimal keeps at most 28 decimal places and a 96-bit mantissa. */
const MAX_SCALE = 28;
const MAX_MANTISSA = (1n << 96n) - 1n;

const TEN = 10n;
const pow10 = (n: number): bigint => TEN ** BigInt(n);
const absBig = (x: bigint): bigint => (x < 0n ? -x : x);

/** `n / d` rounded half to even (d > 0). */
function divRoundHalfEven(n: bigint, d: bigint): bigint {
  const neg = n < 0n;
  const a = absBig(n);
  let q = a / d;
  const r2 = (a % d) * 2n;
  if (r2 > d || (r2 === d && q % 2n === 1n)) q += 1n;
  return neg ? -q : q;
}

/** `n / d` rounded half away from zero (d > 0). */
function divRoundHalfAway(n: bigint, d: bigint): bigint {
  const neg = n < 0n;
  const a = absBig(n);
  let q = a / d;
  if ((a % d) * 2n >= d) q += 1n;
  return neg ? -q : q;
}

export class Dec {
  private constructor(readonly m: bigint, readonly s: number) {}

  static readonly ZERO = new Dec(0n, 0);
  static readonly ONE = new Dec(1n, 0);
  static readonly HUNDRED = new Dec(100n, 0);

  static of(m: bigint, s = 0): Dec {
    return new Dec(m, s);
  }

  /** Parses a canonical decimal string as `Decimal::from_str` does (the scale as written); null if it is not one. */
  static parse(text: string): Dec | null {
    const t = text.trim();
    const match = /^([+-])?(\d*)(?:\.(\d*))?$/.exec(t);
    if (!match || (match[2] === '' && (match[3] ?? '') === '')) return null;
    const frac = match[3] ?? '';
    if (frac.length > MAX_SCALE) return null;
    const m = BigInt((match[2] || '0') + frac);
    return new Dec(match[1] === '-' ? -m : m, frac.length);
  }

  isZero(): boolean {
    return this.m === 0n;
  }

  sign(): -1 | 0 | 1 {
    return this.m < 0n ? -1 : this.m > 0n ? 1 : 0;
  }

  neg(): Dec {
    return new Dec(-this.m, this.s);
  }

  private rescaledUp(s: number): bigint {
    return this.m * pow10(s - this.s);
  }

  /** As rust_decimal: adding zero returns the other operand as it is (its scale kept);
   *  otherwise the larger scale, fewer places when the sum would not fit. */
  add(o: Dec): Dec {
    if (this.m === 0n) return o;
    if (o.m === 0n) return this;
    const s = Math.max(this.s, o.s);
    return Dec.fit(this.rescaledUp(s) + o.rescaledUp(s), s);
  }

  sub(o: Dec): Dec {
    return this.add(o.neg());
  }

  /** Scales add; a product of zero is zero (scale 0); a product too long for
   *  rust_decimal loses its last digits, rounded once, half to even. */
  mul(o: Dec): Dec {
    if (this.m === 0n || o.m === 0n) return Dec.ZERO;
    return Dec.fit(this.m * o.m, this.s + o.s);
  }

  /**
   * `m × 10^-s` as rust_decimal keeps it (`Buf24::rescale`): at most 28 places and a
   * 96-bit mantissa, dropping the fewest digits that make it fit and rounding the
   * exact value once, half to even; a carry past 96 bits drops one digit more.
   */
  private static fit(m: bigint, s: number): Dec {
    if (s <= MAX_SCALE && absBig(m) <= MAX_MANTISSA) return new Dec(m, s);
    let drop = Math.max(s - MAX_SCALE, 0);
    while (absBig(m) / pow10(drop) > MAX_MANTISSA) drop += 1;
    if (drop > s) throw new RangeError('decimal overflow');
    let q = divRoundHalfEven(m, pow10(drop));
    if (absBig(q) > MAX_MANTISSA) {
      if (drop + 1 > s) throw new RangeError('decimal overflow');
      q = divRoundHalfEven(q, TEN);
      drop += 1;
    }
    return new Dec(q, s - drop);
  }

  /**
   * rust_decimal's division: when the mantissas divide exactly, the scale is the
   * difference of the scales (at least 0) and is kept as is; otherwise the quotient
   * has as many digits as fit, rounded half to even, trailing zeros removed.
   */
  div(o: Dec): Dec {
    if (o.m === 0n) throw new RangeError('division by zero');
    if (this.m === 0n) return Dec.ZERO;
    const neg = (this.m < 0n) !== (o.m < 0n);
    const a = absBig(this.m);
    const b = absBig(o.m);
    const scale = this.s - o.s;
    if (a % b === 0n) {
      const q = a / b;
      const out = scale >= 0 ? new Dec(q, scale) : new Dec(q * pow10(-scale), 0);
      return neg ? out.neg() : out;
    }
    // value = a / b × 10^-scale; find the most digits s (≤ 28) that fit in 96 bits.
    const num = (s: number) => (s - scale >= 0 ? a * pow10(s - scale) : a);
    const den = (s: number) => (s - scale >= 0 ? b : b * pow10(scale - s));
    let s = MAX_SCALE;
    let q = divRoundHalfEven(num(s), den(s));
    while (s > 0 && q > MAX_MANTISSA) {
      s -= 1;
      q = divRoundHalfEven(num(s), den(s));
    }
    return new Dec(neg ? -q : q, s).trimmed();
  }

  /** Trailing zeros removed (`Decimal::normalize`). */
  trimmed(): Dec {
    let { m, s } = this;
    while (s > 0 && m % TEN === 0n) {
      m /= TEN;
      s -= 1;
    }
    return new Dec(m, s);
  }

  /** `Decimal::round_dp`: to `dp` places, half to even, only when there are more. */
  roundDp(dp: number): Dec {
    if (this.s <= dp) return this;
    return new Dec(divRoundHalfEven(this.m, pow10(this.s - dp)), dp);
  }

  /** `Decimal::round_dp_with_strategy(dp, MidpointAwayFromZero)`: only when there are
   *  more places (a shorter scale is kept as it is); the loan engine's `cents`. */
  roundDpAway(dp: number): Dec {
    if (this.s <= dp) return this;
    return new Dec(divRoundHalfAway(this.m, pow10(this.s - dp)), dp);
  }

  /** `Decimal::min`. */
  min(o: Dec): Dec {
    return this.cmp(o) <= 0 ? this : o;
  }

  /** The core's `round_money`: 2 places, half away from zero, always written with 2. */
  money(): Dec {
    if (this.s <= 2) return new Dec(this.rescaledUp(2), 2);
    return new Dec(divRoundHalfAway(this.m, pow10(this.s - 2)), 2);
  }

  cmp(o: Dec): -1 | 0 | 1 {
    const s = Math.max(this.s, o.s);
    const d = this.rescaledUp(s) - o.rescaledUp(s);
    return d < 0n ? -1 : d > 0n ? 1 : 0;
  }

  toNumber(): number {
    return Number(this.toString());
  }

  toString(): string {
    const neg = this.m < 0n;
    let digits = absBig(this.m).toString();
    if (this.s > 0) {
      digits = digits.padStart(this.s + 1, '0');
      digits = `${digits.slice(0, digits.length - this.s)}.${digits.slice(digits.length - this.s)}`;
    }
    return neg && this.m !== 0n ? `-${digits}` : digits;
  }
}

export function sum(values: Iterable<Dec>): Dec {
  let total = Dec.ZERO;
  for (const v of values) total = total.add(v);
  return total;
}

/**
 * `Decimal::from_f64_retain(x).round_dp(6)`, as the core writes a return: the exact
 * binary value of the double, then 6 places (half to even); null when not finite.
 */
export function ratioFromF64(x: number): Dec | null {
  if (!Number.isFinite(x)) return null;
  if (x === 0) return Dec.ZERO;
  // x = mantissa × 2^exponent exactly.
  const buf = new DataView(new ArrayBuffer(8));
  buf.setFloat64(0, x);
  const bits = buf.getBigUint64(0);
  const neg = bits >> 63n === 1n;
  const expBits = Number((bits >> 52n) & 0x7ffn);
  let mant = bits & ((1n << 52n) - 1n);
  let exp: number;
  if (expBits === 0) exp = -1074;
  else {
    mant |= 1n << 52n;
    exp = expBits - 1075;
  }
  let exact: Dec;
  if (exp >= 0) exact = Dec.of(mant << BigInt(exp), 0);
  else {
    // mant / 2^-exp = mant × 5^-exp / 10^-exp, written with its fewest places; past 28
    // places rust_decimal rounds to 28 (and keeps them, trailing zeros included).
    const places = -exp;
    const m = mant * 5n ** BigInt(places);
    exact = Dec.of(m, places).trimmed();
    if (exact.s > MAX_SCALE) exact = Dec.of(divRoundHalfEven(exact.m, pow10(exact.s - MAX_SCALE)), MAX_SCALE);
  }
  const signed = neg ? exact.neg() : exact;
  return signed.roundDp(6);
}
