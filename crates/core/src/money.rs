//! Exact decimal amounts and the parsing of what people type: `1234.56`,
//! `1 234,56` (French), `1,234.56`. Amounts are `rust_decimal::Decimal`, never floats.

pub use rust_decimal::Decimal;

use crate::error::{Error, Result};

/// Rounds an amount to the cent, half away from zero, with exactly 2 decimals.
pub fn round_cents(d: Decimal) -> Decimal {
    let mut r = d.round_dp_with_strategy(2, rust_decimal::RoundingStrategy::MidpointAwayFromZero);
    r.rescale(2);
    r
}

/// Parses a decimal number as people write it in English or French spreadsheets.
/// Spaces (including non-breaking ones) and apostrophes group digits; when both `.`
/// and `,` appear the last one is the decimal separator; a lone `,` is a decimal comma.
pub fn parse_decimal(text: &str) -> Option<Decimal> {
    let cleaned: String =
        text.trim().chars().filter(|c| !matches!(c, ' ' | '\u{a0}' | '\u{202f}' | '\'' | '_')).collect();
    if cleaned.is_empty() {
        return None;
    }
    let last_dot = cleaned.rfind('.');
    let last_comma = cleaned.rfind(',');
    let normal = match (last_dot, last_comma) {
        (Some(d), Some(c)) if c > d => cleaned.replace('.', "").replace(',', "."),
        (Some(_), Some(_)) => cleaned.replace(',', ""),
        (None, Some(_)) => {
            if cleaned.matches(',').count() > 1 {
                return None;
            }
            cleaned.replace(',', ".")
        }
        _ => cleaned,
    };
    if !normal.chars().enumerate().all(|(i, c)| c.is_ascii_digit() || c == '.' || (i == 0 && (c == '-' || c == '+'))) {
        return None;
    }
    normal.parse::<Decimal>().ok().map(|d| d.normalize())
}

/// Parses an amount for `field`, with a clear error.
pub fn amount(field: &'static str, text: &str) -> Result<Decimal> {
    parse_decimal(text).ok_or_else(|| Error::invalid(field, "not a number"))
}

/// Validates a percentage in `[0, 100]`.
pub fn percent(field: &'static str, value: Decimal) -> Result<Decimal> {
    if value < Decimal::ZERO || value > Decimal::ONE_HUNDRED {
        return Err(Error::invalid(field, "a percentage between 0 and 100"));
    }
    Ok(value.normalize())
}

/// Validates and normalises an ISO 4217 currency code.
pub fn currency(text: &str) -> Result<String> {
    let c = text.trim().to_ascii_uppercase();
    if c.len() != 3 || !c.chars().all(|ch| ch.is_ascii_uppercase()) {
        return Err(Error::invalid("currency", "a three-letter ISO 4217 code such as EUR"));
    }
    Ok(c)
}

/// Reads a decimal stored as TEXT in the vault. The common shape (`-123456.78`, up to
/// 18 digits) is parsed by hand, which is several times faster than the general parser
/// and matters in the series sweep; anything else goes through `Decimal::from_str`.
pub(crate) fn from_db(text: &str) -> rusqlite::Result<Decimal> {
    from_db_bytes(text.as_bytes())
}

/// [`from_db`] on raw bytes (non-UTF-8 input is an error).
pub(crate) fn from_db_bytes(b: &[u8]) -> rusqlite::Result<Decimal> {
    let (neg, digits) = match b.first() {
        Some(b'-') => (true, &b[1..]),
        _ => (false, b),
    };
    if !digits.is_empty() && digits.len() <= 19 {
        let mut mantissa: i64 = 0;
        let mut scale: Option<u32> = None;
        let mut ok = true;
        for &c in digits {
            match c {
                b'0'..=b'9' => {
                    mantissa = mantissa * 10 + i64::from(c - b'0');
                    if let Some(s) = scale.as_mut() {
                        *s += 1;
                    }
                }
                b'.' if scale.is_none() => scale = Some(0),
                _ => {
                    ok = false;
                    break;
                }
            }
        }
        if ok && scale != Some(0) {
            return Ok(Decimal::new(if neg { -mantissa } else { mantissa }, scale.unwrap_or(0)));
        }
    }
    let text = std::str::from_utf8(b)
        .map_err(|e| rusqlite::Error::FromSqlConversionFailure(0, rusqlite::types::Type::Text, Box::new(e)))?;
    from_db_slow(text)
}

fn from_db_slow(text: &str) -> rusqlite::Result<Decimal> {
    text.parse::<Decimal>()
        .map_err(|e| rusqlite::Error::FromSqlConversionFailure(0, rusqlite::types::Type::Text, Box::new(e)))
}

/// The TypeScript view of a [`Decimal`] crossing the IPC seam (ts-rs): a canonical
/// decimal string such as `"10250.25"`, declared once as `type Decimal = string`.
pub struct DecimalTs;

impl ts_rs::TS for DecimalTs {
    type WithoutGenerics = Self;
    type OptionInnerType = Self;

    fn docs() -> Option<String> {
        Some("/** A decimal number as a canonical string (\"10250.25\"); never a JS number. */\n".into())
    }
    fn name(_: &ts_rs::Config) -> String {
        "Decimal".into()
    }
    fn inline(_: &ts_rs::Config) -> String {
        "string".into()
    }
    fn decl(_: &ts_rs::Config) -> String {
        "type Decimal = string;".into()
    }
    fn decl_concrete(cfg: &ts_rs::Config) -> String {
        Self::decl(cfg)
    }
    fn output_path() -> Option<std::path::PathBuf> {
        Some("Decimal.ts".into())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn check(input: &str, expected: Option<&str>) {
        assert_eq!(parse_decimal(input), expected.map(|e| Decimal::from_str(e).unwrap()), "input {input:?}");
    }

    #[test]
    fn parses_what_people_type() {
        check("1234.56", Some("1234.56"));
        check("1234,56", Some("1234.56"));
        check("1 234,56", Some("1234.56"));
        check("1\u{a0}234,56", Some("1234.56"));
        check("1\u{202f}234,56", Some("1234.56"));
        check("1,234.56", Some("1234.56"));
        check("1.234,56", Some("1234.56"));
        check("-12,5", Some("-12.5"));
        check("0.00012345", Some("0.00012345"));
        check("1,2,3", None);
        check("abc", None);
        check("", None);
        check("12e3", None);
        check("--1", None);
    }

    #[test]
    fn stored_decimals_read_back_exactly() {
        for s in [
            "0",
            "1",
            "-1",
            "123456.78",
            "-0.5",
            "0.00012345",
            "999999999999999999",
            "1e5",
            "12.",
            "1234567890123456789012.5",
        ] {
            let fast = from_db(s).ok();
            let slow = Decimal::from_str(s).ok();
            assert_eq!(fast, slow, "{s}");
            if let Some(d) = fast {
                assert_eq!(d.to_string(), slow.unwrap().to_string(), "{s}");
            }
        }
    }

    #[test]
    fn percentages_are_bounded() {
        assert!(percent("share", Decimal::from(101)).is_err());
        assert!(percent("share", Decimal::from(-1)).is_err());
        assert_eq!(percent("share", Decimal::from(50)).unwrap(), Decimal::from(50));
    }
}
