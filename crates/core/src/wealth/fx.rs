//! Exchange rates: stored as units of a currency per 1 EUR (the European Central
//! Bank's convention), looked up "on or before" a date, and imported from the ECB's
//! historical (`eurofxref-hist.csv`) and daily (`eurofxref.csv`) reference-rate files.

use std::collections::HashMap;

use chrono::NaiveDate;
use rusqlite::{params, OptionalExtension};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::{Error, InputError, Result};
use crate::money::{self, Decimal};
use crate::vault::Vault;

/// A rate: `rate` units of `currency` buy 1 EUR on `date`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct FxRate {
    /// ISO 4217 code.
    pub currency: String,
    /// Date.
    pub date: NaiveDate,
    /// Units per euro.
    #[ts(as = "crate::money::DecimalTs")]
    #[serde(with = "rust_decimal::serde::str")]
    pub rate: Decimal,
}

/// What an ECB import did.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, TS)]
pub struct FxImportReport {
    /// Rates written.
    pub rates: usize,
    /// Currencies seen.
    pub currencies: Vec<String>,
    /// First date in the file.
    pub first_date: Option<NaiveDate>,
    /// Last date in the file.
    pub last_date: Option<NaiveDate>,
}

fn ecb_date(s: &str) -> Option<NaiveDate> {
    let s = s.trim();
    NaiveDate::parse_from_str(s, "%Y-%m-%d").ok().or_else(|| NaiveDate::parse_from_str(s, "%d %B %Y").ok())
}

/// Parses an ECB reference-rate CSV (historical or daily layout): a `Date` column,
/// then one column per currency; `N/A` or empty cells are skipped.
pub fn parse_ecb(bytes: &[u8]) -> Result<Vec<FxRate>> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let mut rdr = csv::ReaderBuilder::new().flexible(true).trim(csv::Trim::All).from_reader(bytes);
    let headers = rdr.headers().map_err(|e| Error::Csv(e.to_string()))?.clone();
    if headers.get(0).map(|h| h.eq_ignore_ascii_case("date")) != Some(true) {
        return Err(Error::Csv("the first column of an ECB file is Date".into()));
    }
    let currencies: Vec<Option<String>> =
        headers.iter().skip(1).map(|h| money::currency(h).ok().filter(|c| c != "EUR")).collect();
    let mut out = Vec::new();
    for (i, rec) in rdr.records().enumerate() {
        let rec = rec.map_err(|e| Error::Csv(e.to_string()))?;
        if rec.iter().all(|f| f.is_empty()) {
            continue;
        }
        let date =
            ecb_date(rec.get(0).unwrap_or("")).ok_or_else(|| Error::Csv(format!("line {}: unreadable date", i + 2)))?;
        for (cur, cell) in currencies.iter().zip(rec.iter().skip(1)) {
            let (Some(cur), cell) = (cur, cell.trim()) else {
                continue;
            };
            if cell.is_empty() || cell.eq_ignore_ascii_case("N/A") {
                continue;
            }
            let rate = cell
                .parse::<Decimal>()
                .ok()
                .filter(|r| *r > Decimal::ZERO)
                .ok_or_else(|| Error::Csv(format!("line {}: unreadable rate for {cur}", i + 2)))?;
            out.push(FxRate { currency: cur.clone(), date, rate });
        }
    }
    if out.is_empty() {
        return Err(Error::Csv("no exchange rate found in the file".into()));
    }
    Ok(out)
}

/// Converts amounts to a base currency with rates looked up on or before a date.
/// Lookups are memoised, so a series over many dates stays cheap.
pub struct Converter<'v> {
    vault: &'v Vault,
    base: String,
    cache: HashMap<String, HashMap<NaiveDate, Option<Decimal>>>,
}

impl<'v> Converter<'v> {
    /// A converter into `base`.
    pub fn new(vault: &'v Vault, base: &str) -> Converter<'v> {
        Converter { vault, base: base.to_owned(), cache: HashMap::new() }
    }

    /// The base currency.
    pub fn base(&self) -> &str {
        &self.base
    }

    fn per_eur(&mut self, currency: &str, date: NaiveDate) -> Result<Option<Decimal>> {
        if currency == "EUR" {
            return Ok(Some(Decimal::ONE));
        }
        if let Some(r) = self.cache.get(currency).and_then(|m| m.get(&date)) {
            return Ok(*r);
        }
        let r = self.vault.rate_on_or_before(currency, date)?;
        self.cache.entry(currency.to_owned()).or_default().insert(date, r);
        Ok(r)
    }

    /// The factor that turns an amount in `currency` into the base currency on `date`,
    /// or `None` when a rate is missing.
    pub fn factor(&mut self, currency: &str, date: NaiveDate) -> Result<Option<Decimal>> {
        if currency == self.base {
            return Ok(Some(Decimal::ONE));
        }
        let base = self.base.clone();
        match (self.per_eur(currency, date)?, self.per_eur(&base, date)?) {
            (Some(from), Some(to)) => Ok(Some(to / from)),
            _ => Ok(None),
        }
    }
}

impl Vault {
    /// The rate of `currency` on `date` or the closest earlier date.
    pub fn rate_on_or_before(&self, currency: &str, date: NaiveDate) -> Result<Option<Decimal>> {
        let mut st = self
            .conn
            .prepare_cached("SELECT rate FROM fx_rate WHERE currency = ?1 AND date <= ?2 ORDER BY date DESC LIMIT 1")?;
        let r: Option<String> = st.query_row(params![currency, date], |r| r.get(0)).optional()?;
        Ok(r.map(|s| money::from_db(&s)).transpose()?)
    }

    /// Inserts or replaces rates, all or nothing.
    pub fn set_fx_rates(&self, rates: &[FxRate], source: &str) -> Result<usize> {
        let mut codes = Vec::with_capacity(rates.len());
        for r in rates {
            // The code as validated is the code stored (" usd" is USD).
            codes.push(money::currency(&r.currency)?);
            if r.rate <= Decimal::ZERO {
                return Err(Error::invalid("rate", "a rate must be positive"));
            }
        }
        self.write(|tx| {
            let mut st = tx.prepare_cached(
                "INSERT INTO fx_rate (currency, date, rate, source) VALUES (?1, ?2, ?3, ?4)
                 ON CONFLICT (currency, date) DO UPDATE SET rate = excluded.rate, source = excluded.source",
            )?;
            for (r, code) in rates.iter().zip(&codes) {
                st.execute(params![code, r.date, r.rate.normalize().to_string(), source])?;
            }
            Ok(rates.len())
        })
    }

    /// Deletes one rate.
    pub fn delete_fx_rate(&self, currency: &str, date: NaiveDate) -> Result<()> {
        if self.conn.execute("DELETE FROM fx_rate WHERE currency = ?1 AND date = ?2", params![currency, date])? == 0 {
            return Err(InputError::NotFound("exchange rate").into());
        }
        Ok(())
    }

    /// Rates of one currency (or all), newest first, at most `limit`.
    pub fn fx_rates(&self, currency: Option<&str>, limit: usize) -> Result<Vec<FxRate>> {
        let mut st = self.conn.prepare_cached(
            "SELECT currency, date, rate FROM fx_rate WHERE ?1 IS NULL OR currency = ?1 ORDER BY date DESC, currency LIMIT ?2",
        )?;
        let rows = st.query_map(params![currency, limit as i64], |r| {
            let rate: String = r.get(2)?;
            Ok(FxRate { currency: r.get(0)?, date: r.get(1)?, rate: money::from_db(&rate)? })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Imports an ECB reference-rate file.
    pub fn import_ecb(&self, bytes: &[u8]) -> Result<FxImportReport> {
        let rates = parse_ecb(bytes)?;
        let n = self.set_fx_rates(&rates, "ecb")?;
        let mut currencies: Vec<String> = rates.iter().map(|r| r.currency.clone()).collect();
        currencies.sort();
        currencies.dedup();
        let report = FxImportReport {
            rates: n,
            currencies,
            first_date: rates.iter().map(|r| r.date).min(),
            last_date: rates.iter().map(|r| r.date).max(),
        };
        self.audit(crate::vault::audit::AuditKind::FxImport, &format!("rates={}", report.rates))?;
        Ok(report)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_both_ecb_layouts() {
        let hist = b"Date,USD,JPY,CYP,\n2024-01-03,1.0919,155.78,N/A,\n2024-01-02,1.0956,155.37,N/A,\n";
        let r = parse_ecb(hist).unwrap();
        assert_eq!(r.len(), 4);
        assert!(r.iter().all(|x| x.currency != "CYP"));
        let daily = b"Date, USD, JPY, GBP, \n20 November 2026, 1.0812, 162.50, 0.8421, \n";
        let r = parse_ecb(daily).unwrap();
        assert_eq!(r.len(), 3);
        assert_eq!(r[0].date, NaiveDate::from_ymd_opt(2026, 11, 20).unwrap());
        assert_eq!(r[2].rate.to_string(), "0.8421");
        assert!(parse_ecb(b"Foo,USD\n2024-01-01,1\n").is_err());
        assert!(parse_ecb(b"Date,USD\nyesterday,1\n").is_err());
    }
}
