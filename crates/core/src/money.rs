//! Exact decimal amounts and the parsing of what people type: `1234.56`,
//! `1 234,56` (French), `1,234.56`. Amounts are `rust_decimal::Decimal`, never floats.

pub use rust_decimal::Decimal;

use crate::error::{Error, Result};

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

/// Reads a decimal stored as TEXT in the vault.
pub(crate) fn from_db(text: &str) -> rusqlite::Result<Decimal> {
    text.parse::<Decimal>()
        .map_err(|e| rusqlite::Error::FromSqlConversionFailure(0, rusqlite::types::Type::Text, Box::new(e)))
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
    fn percentages_are_bounded() {
        assert!(percent("share", Decimal::from(101)).is_err());
        assert!(percent("share", Decimal::from(-1)).is_err());
        assert_eq!(percent("share", Decimal::from(50)).unwrap(), Decimal::from(50));
    }
}
