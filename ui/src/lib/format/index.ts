//! Display formatting with `Intl` in the current UI locale (money "1 234,56 €" in
//! French), and `parseDecimalInput`, which turns what a user types into the canonical
//! decimal string the backend expects. Every negative number shown goes through here
//! and gets the typographic minus sign U+2212 ("−12,5 %"), whatever the engine's Intl
//! produces (V8 gives a hyphen-minus); French dates say "1er" for the first
//! day of a month.
import { getLocale } from '../i18n';
import { isCanonical, normalize, shift } from '../decimal';

type NumericInput = number | bigint | string;

// Formatters are costly to build (each loads locale data); tables format hundreds of
// amounts per render, so each (locale, options) pair is built once.
const numberFormats = new Map<string, Intl.NumberFormat>();
const dateFormats = new Map<string, Intl.DateTimeFormat>();

function cached<F, O>(cache: Map<string, F>, locale: string, options: O, make: (locale: string, options: O) => F): F {
  const key = `${locale}|${JSON.stringify(options)}`;
  let f = cache.get(key);
  if (!f) {
    f = make(locale, options);
    cache.set(key, f);
  }
  return f;
}

function nf(locale: string, options: Intl.NumberFormatOptions): Intl.NumberFormat {
  return cached(numberFormats, locale, options, (l, o) => new Intl.NumberFormat(l, o));
}

function df(locale: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  return cached(dateFormats, locale, options, (l, o) => new Intl.DateTimeFormat(l, o));
}

/** The minus sign of every negative number on screen (not the hyphen-minus "-"). */
export const MINUS_SIGN = '\u2212';

/**
 * Intl.NumberFormat (v3) formats decimal strings exactly; passing the string keeps full
 * precision for large amounts. The sign part becomes {@link MINUS_SIGN}: engines differ
 * (V8 writes "-" in French and English, as CLDR does), the screen does not.
 */
function fmt(f: Intl.NumberFormat, value: NumericInput): string {
  return f
    .formatToParts(value as unknown as number)
    .map((p) => (p.type === 'minusSign' ? MINUS_SIGN : p.value))
    .join('');
}

/** Money: `formatMoney("1234.56", "EUR")` → "1 234,56 €" in French. */
export function formatMoney(value: string, currency: string, locale = getLocale()): string {
  if (!isCanonical(value)) return value;
  try {
    return fmt(nf(locale, { style: 'currency', currency }), value);
  } catch {
    return `${fmt(nf(locale, { minimumFractionDigits: 2, maximumFractionDigits: 2 }), value)} ${currency}`;
  }
}

/** Money with an explicit sign ("+1 234,56 €"), for changes. */
export function formatMoneyChange(value: string, currency: string, locale = getLocale()): string {
  if (!isCanonical(value)) return value;
  return fmt(nf(locale, { style: 'currency', currency, signDisplay: 'exceptZero' }), value);
}

/** A plain decimal ("1 234,5") with up to `maxDigits` fraction digits. */
export function formatDecimal(value: string, maxDigits = 6, locale = getLocale()): string {
  if (!isCanonical(value)) return value;
  return fmt(nf(locale, { maximumFractionDigits: maxDigits }), value);
}

/** A decimal written in percent units ("12.5" → "12,5 %"). */
export function formatPercent(
  value: string,
  locale = getLocale(),
  opts: { digits?: number; signed?: boolean; fixed?: boolean } = {},
): string {
  if (!isCanonical(value)) return value;
  const digits = opts.digits ?? 2;
  return fmt(
    nf(locale, {
      style: 'percent',
      // Fixed decimals line up in a table column ("1.50%" under "72.01%").
      minimumFractionDigits: opts.fixed ? digits : 0,
      maximumFractionDigits: digits,
      signDisplay: opts.signed ? 'exceptZero' : 'auto',
    }),
    shift(value, -2),
  );
}

/** A ratio ("0.0512" → "5,12 %", "-0.1" → "-10,00 %"), as returned for TWR and XIRR:
 *  two decimals always, as they are shown in a table column. */
export function formatRatio(value: string, locale = getLocale(), signed = false): string {
  if (!isCanonical(value)) return value;
  return formatPercent(shift(value, 2), locale, { digits: 2, signed, fixed: true });
}

export function formatInteger(value: number, locale = getLocale()): string {
  return fmt(nf(locale, { maximumFractionDigits: 0 }), value);
}

/**
 * A date as Intl writes it, except that French writes the first day of a month as an
 * ordinal: "1er décembre 2026", "1er déc. 2026" (Intl gives "1 décembre"). Numeric
 * styles ("01/12/2026") are left alone.
 */
function fmtDate(f: Intl.DateTimeFormat, d: Date, locale: string): string {
  const french = locale.toLowerCase().startsWith('fr');
  return f
    .formatToParts(d)
    .map((p) => (french && p.type === 'day' && p.value === '1' ? '1er' : p.value))
    .join('');
}

/** A calendar date "YYYY-MM-DD" in the locale's medium style ("31 janv. 2024", "1er févr. 2024"). */
export function formatDate(iso: string, locale = getLocale(), style: 'medium' | 'long' | 'short' = 'medium'): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(iso);
  if (!m) return iso;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return fmtDate(df(locale, { dateStyle: style, timeZone: 'UTC' }), d, locale);
}

/** A timestamp (RFC 3339) as local date and time. */
export function formatDateTime(ts: string, locale = getLocale()): string {
  const d = new Date(ts);
  if (Number.isNaN(d.getTime())) return ts;
  return fmtDate(df(locale, { dateStyle: 'medium', timeStyle: 'short' }), d, locale);
}

/** A byte count ("1,2 Mo" / "1.2 MB"). */
export function formatBytes(bytes: number, locale = getLocale()): string {
  const units = ['byte', 'kilobyte', 'megabyte', 'gigabyte'] as const;
  let v = bytes;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i += 1;
  }
  return fmt(nf(locale, { style: 'unit', unit: units[i], unitDisplay: 'short', maximumFractionDigits: 1 }), v);
}

const SPACES = /[\s\u00a0\u202f\u2009\u2007']/g;

/**
 * In French, "22.950" (one dot followed by exactly three digits, no comma) is
 * ambiguous: many French users put a dot between thousands (22 950), and a dot is also
 * a decimal point (22,95). Never guessed: returns both readings (canonical decimal
 * strings) so the screen can show them, or null when the text is not ambiguous.
 */
export function ambiguousReadings(text: string, locale = getLocale()): { thousands: string; decimal: string } | null {
  if (!locale.toLowerCase().startsWith('fr')) return null;
  const s = text.trim().replace(SPACES, '').replace(/^\u2212/, '-');
  const m = /^([-+]?)(\d{1,3})\.(\d{3})$/.exec(s);
  if (!m || /^0+$/.test(m[2]!)) return null;
  const sign = m[1] === '-' ? '-' : '';
  return { thousands: normalize(`${sign}${m[2]}${m[3]}`), decimal: normalize(`${sign}${m[2]}.${m[3]}`) };
}

/**
 * Parses a number typed by the user into a canonical decimal string, or null.
 * Accepts "1 234,56" (French), "1234.56" (any locale), "1,234.56" and "1.234,56"
 * (the last separator is the decimal one), a leading "+", "-" or "−".
 * With only commas: in French a single comma is decimal; in English "1,234" groups
 * thousands, while "12,5" (not a valid grouping) is read as a decimal comma.
 */
export function parseDecimalInput(text: string, locale = getLocale()): string | null {
  if (ambiguousReadings(text, locale)) return null;
  let s = text.trim().replace(SPACES, '').replace(/^\u2212/, '-');
  if (s === '') return null;
  let negative = false;
  if (s[0] === '-' || s[0] === '+') {
    negative = s[0] === '-';
    s = s.slice(1);
  }
  if (!/^[\d.,]+$/.test(s) || !/\d/.test(s)) return null;
  const lastComma = s.lastIndexOf(',');
  const lastDot = s.lastIndexOf('.');
  const french = locale.toLowerCase().startsWith('fr');
  let decimalSep: ',' | '.' | null = null;
  let groupSep: ',' | '.' | null = null;
  if (lastComma >= 0 && lastDot >= 0) {
    decimalSep = lastComma > lastDot ? ',' : '.';
    groupSep = decimalSep === ',' ? '.' : ',';
  } else if (lastComma >= 0) {
    const count = s.split(',').length - 1;
    const grouped = /^\d{1,3}(,\d{3})+$/.test(s);
    if (count > 1) {
      if (!grouped) return null;
      groupSep = ',';
    } else if (!french && grouped) groupSep = ',';
    else decimalSep = ',';
  } else if (lastDot >= 0) {
    const count = s.split('.').length - 1;
    if (count > 1) {
      if (!/^\d{1,3}(\.\d{3})+$/.test(s)) return null;
      groupSep = '.';
    } else decimalSep = '.';
  }
  if (groupSep) {
    const [intPart] = decimalSep ? s.split(decimalSep) : [s];
    if (intPart !== undefined && intPart.includes(groupSep) && !new RegExp(`^\\d{1,3}(\\${groupSep}\\d{3})+$`).test(intPart)) {
      return null;
    }
    s = s.split(groupSep).join('');
  }
  if (decimalSep) {
    const parts = s.split(decimalSep);
    if (parts.length !== 2) return null;
    s = `${parts[0] === '' ? '0' : parts[0]}.${parts[1]}`;
    if (s.endsWith('.')) s = s.slice(0, -1);
  }
  if (!isCanonical(s)) return null;
  return normalize(negative ? `-${s}` : s);
}

/** Formats a canonical decimal for an input field in the current locale, without grouping. */
export function decimalForInput(value: string, locale = getLocale()): string {
  if (!isCanonical(value)) return value;
  const n = normalize(value);
  return locale.toLowerCase().startsWith('fr') ? n.replace('.', ',') : n;
}
