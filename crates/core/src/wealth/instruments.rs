//! Instruments (securities, funds, crypto-assets) shared by every account of the
//! profile, with one price history and one allocation each. A price is written once
//! and values every account that holds the instrument.

use std::collections::{BTreeMap, HashSet};

use chrono::NaiveDate;
use rusqlite::{params, OptionalExtension};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::{Error, InputError, Result};
use crate::money::{self, Decimal};
use crate::vault::Vault;
use crate::wealth::activities::check_price;
use crate::wealth::portfolio::{self, AssetClass, Weight};
use crate::wealth::values::Source;

/// A security, fund or crypto-asset.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Instrument {
    /// Identifier (ignored on input).
    #[serde(default)]
    pub id: i64,
    /// Name, unique ignoring case.
    pub name: String,
    /// ISIN, checked with its check digit; unique.
    #[serde(default)]
    pub isin: Option<String>,
    /// Ticker.
    #[serde(default)]
    pub ticker: Option<String>,
    /// ISO 4217 currency of its prices.
    pub currency: String,
    /// Asset class.
    pub class: AssetClass,
    /// Archived instruments are left out of "update prices".
    #[serde(default)]
    pub archived: bool,
    /// Allocation weights per dimension name (each sums to 100 %), shared by every
    /// account holding it.
    #[serde(default)]
    pub allocations: BTreeMap<String, Vec<Weight>>,
}

/// A unit price on a date, in the instrument's currency.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct PricePoint {
    /// Instrument.
    pub instrument_id: i64,
    /// Date.
    pub date: NaiveDate,
    /// Unit price (> 0).
    #[ts(as = "crate::money::DecimalTs")]
    #[serde(with = "rust_decimal::serde::str")]
    pub price: Decimal,
    /// Origin.
    pub source: Source,
}

/// An instrument's latest price.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, TS)]
pub struct LatestPrice {
    /// Instrument.
    pub instrument_id: i64,
    /// Date of the price.
    pub date: NaiveDate,
    /// The price.
    #[ts(as = "crate::money::DecimalTs")]
    #[serde(with = "rust_decimal::serde::str")]
    pub price: Decimal,
}

/// Normalises and checks an ISIN: upper case, shape, then check digit.
pub(crate) fn check_isin(isin: Option<&str>) -> Result<Option<String>> {
    let Some(isin) = isin.map(|s| s.trim().to_ascii_uppercase()).filter(|s| !s.is_empty()) else {
        return Ok(None);
    };
    if isin.len() != 12 || !portfolio::valid_isin_shape(&isin) {
        return Err(Error::invalid("isin", "not a valid ISIN (2 letters, 9 letters or digits, a digit)"));
    }
    if !portfolio::valid_isin(&isin) {
        return Err(InputError::IsinCheckDigit.into());
    }
    Ok(Some(isin))
}

impl Vault {
    /// Every instrument with its allocations, by name.
    pub fn instruments(&self) -> Result<Vec<Instrument>> {
        let mut allocations = portfolio::load_allocations(&self.conn, "instrument_allocation", "instrument_id")?;
        let mut st = self
            .conn
            .prepare_cached("SELECT id, name, isin, ticker, currency, class, archived FROM instrument ORDER BY name")?;
        let rows = st.query_map([], |r| {
            Ok(Instrument {
                id: r.get(0)?,
                name: r.get(1)?,
                isin: r.get(2)?,
                ticker: r.get(3)?,
                currency: r.get(4)?,
                class: r.get(5)?,
                archived: r.get(6)?,
                allocations: BTreeMap::new(),
            })
        })?;
        let mut out: Vec<Instrument> = rows.collect::<rusqlite::Result<_>>()?;
        for i in &mut out {
            i.allocations = allocations.remove(&i.id).unwrap_or_default();
        }
        Ok(out)
    }

    /// One instrument.
    pub fn instrument(&self, id: i64) -> Result<Instrument> {
        self.instruments()?.into_iter().find(|i| i.id == id).ok_or_else(|| InputError::NotFound("instrument").into())
    }

    /// Finds an instrument by ISIN, else by name (ignoring case).
    pub fn find_instrument(&self, isin: Option<&str>, name: Option<&str>) -> Result<Option<i64>> {
        if let Some(isin) = isin.map(|s| s.trim().to_ascii_uppercase()).filter(|s| !s.is_empty()) {
            if let Some(id) =
                self.conn.query_row("SELECT id FROM instrument WHERE isin = ?1", [isin], |r| r.get(0)).optional()?
            {
                return Ok(Some(id));
            }
        }
        match name.map(str::trim).filter(|s| !s.is_empty()) {
            Some(n) => {
                Ok(self.conn.query_row("SELECT id FROM instrument WHERE name = ?1", [n], |r| r.get(0)).optional()?)
            }
            None => Ok(None),
        }
    }

    fn check_instrument(&self, i: &Instrument) -> Result<Instrument> {
        let mut i = i.clone();
        i.name = portfolio::item_name("name", &i.name)?;
        i.currency = money::currency(&i.currency)?;
        i.isin = check_isin(i.isin.as_deref())?;
        i.ticker = i.ticker.map(|s| s.trim().to_owned()).filter(|s| !s.is_empty());
        if i.class == AssetClass::Loan {
            return Err(Error::invalid("class", "an instrument cannot be a loan"));
        }
        let dims: HashSet<String> = self.dimensions()?.into_iter().map(|d| d.name.to_lowercase()).collect();
        for (dim, weights) in &i.allocations {
            if !dims.contains(&dim.to_lowercase()) {
                return Err(InputError::NotFound("dimension").into());
            }
            portfolio::check_weights(dim, weights)?;
        }
        Ok(i)
    }

    fn write_instrument_allocations(tx: &rusqlite::Transaction<'_>, id: i64, i: &Instrument) -> Result<()> {
        portfolio::write_allocations(tx, "instrument_allocation", "instrument_id", id, &i.allocations)
    }

    /// Creates an instrument; returns its id.
    pub fn create_instrument(&self, i: &Instrument) -> Result<i64> {
        let i = self.check_instrument(i)?;
        self.write(|tx| {
            tx.execute(
                "INSERT INTO instrument (name, isin, ticker, currency, class, archived) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                params![i.name, i.isin, i.ticker, i.currency, i.class.as_str(), i.archived],
            )
            .map_err(|e| portfolio::map_unique(e, "instrument"))?;
            let id = tx.last_insert_rowid();
            Self::write_instrument_allocations(tx, id, &i)?;
            Ok(id)
        })
    }

    /// Updates an instrument; the positions holding it follow its name, class and
    /// currency.
    pub fn update_instrument(&self, id: i64, i: &Instrument) -> Result<()> {
        let i = self.check_instrument(i)?;
        self.write(|tx| {
            let changed = tx
                .execute(
                    "UPDATE instrument SET name = ?1, isin = ?2, ticker = ?3, currency = ?4, class = ?5, archived = ?6
                     WHERE id = ?7",
                    params![i.name, i.isin, i.ticker, i.currency, i.class.as_str(), i.archived, id],
                )
                .map_err(|e| portfolio::map_unique(e, "instrument"))?;
            if changed == 0 {
                return Err(InputError::NotFound("instrument").into());
            }
            Self::write_instrument_allocations(tx, id, &i)?;
            tx.execute(
                "UPDATE asset SET name = ?1, class = ?2, currency = ?3, isin = ?4, ticker = ?5 WHERE instrument_id = ?6",
                params![i.name, i.class.as_str(), i.currency, i.isin, i.ticker, id],
            )
            .map_err(|e| portfolio::map_unique(e, "asset"))?;
            Ok(())
        })
    }

    /// Deletes an instrument and its prices. One that activities use cannot be deleted.
    pub fn delete_instrument(&self, id: i64) -> Result<()> {
        self.write(|tx| {
            let used: bool =
                tx.query_row("SELECT EXISTS (SELECT 1 FROM activity WHERE instrument_id = ?1)", [id], |r| r.get(0))?;
            if used {
                return Err(InputError::InUse("instrument").into());
            }
            tx.execute("DELETE FROM asset WHERE instrument_id = ?1", [id])?;
            if tx.execute("DELETE FROM instrument WHERE id = ?1", [id])? == 0 {
                return Err(InputError::NotFound("instrument").into());
            }
            Ok(())
        })
    }

    // ---- prices -------------------------------------------------------------------

    /// Inserts or replaces prices, all or nothing, and revalues the positions holding
    /// those instruments. Returns how many were new and how many replaced one.
    pub fn set_prices(&self, points: &[PricePoint]) -> Result<crate::wealth::values::UpsertCount> {
        for p in points {
            check_price(p.price)?;
        }
        let before: i64 = self.conn.query_row("SELECT count(*) FROM price", [], |r| r.get(0))?;
        self.write(|tx| {
            {
                let mut st = tx.prepare_cached(
                    "INSERT INTO price (instrument_id, date, price, source) VALUES (?1, ?2, ?3, ?4)
                     ON CONFLICT (instrument_id, date) DO UPDATE SET price = excluded.price, source = excluded.source",
                )?;
                for p in points {
                    st.execute(params![
                        p.instrument_id,
                        p.date,
                        p.price.normalize().to_string(),
                        if p.source == Source::Import { "import" } else { "manual" }
                    ])
                    .map_err(|e| crate::wealth::values::fk_error(e, "instrument"))?;
                }
            }
            let instruments: HashSet<i64> = points.iter().map(|p| p.instrument_id).collect();
            crate::wealth::activities::rederive_instruments(tx, &instruments)
        })?;
        let after: i64 = self.conn.query_row("SELECT count(*) FROM price", [], |r| r.get(0))?;
        let inserted = (after - before).max(0) as usize;
        Ok(crate::wealth::values::UpsertCount { inserted, updated: points.len().saturating_sub(inserted) })
    }

    /// Deletes the price of an instrument on a date.
    pub fn delete_price(&self, instrument_id: i64, date: NaiveDate) -> Result<()> {
        self.write(|tx| {
            if tx.execute("DELETE FROM price WHERE instrument_id = ?1 AND date = ?2", params![instrument_id, date])?
                == 0
            {
                return Err(InputError::NotFound("price").into());
            }
            crate::wealth::activities::rederive_instruments(tx, &HashSet::from([instrument_id]))
        })
    }

    /// The price history of an instrument, oldest first.
    pub fn prices(&self, instrument_id: i64) -> Result<Vec<PricePoint>> {
        let mut st = self.conn.prepare_cached(
            "SELECT instrument_id, date, price, source FROM price WHERE instrument_id = ?1 ORDER BY date",
        )?;
        let rows = st.query_map([instrument_id], |r| {
            let p: String = r.get(2)?;
            let s: String = r.get(3)?;
            Ok(PricePoint {
                instrument_id: r.get(0)?,
                date: r.get(1)?,
                price: money::from_db(&p)?,
                source: if s == "import" { Source::Import } else { Source::Manual },
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Each instrument's latest price (instruments never priced are absent).
    pub fn latest_prices(&self) -> Result<Vec<LatestPrice>> {
        let mut st = self.conn.prepare_cached(
            "SELECT i.id, p.date, p.price FROM instrument i
             JOIN price p ON p.instrument_id = i.id
              AND p.date = (SELECT max(date) FROM price WHERE instrument_id = i.id)
             ORDER BY i.name",
        )?;
        let rows = st.query_map([], |r| {
            let p: String = r.get(2)?;
            Ok(LatestPrice { instrument_id: r.get(0)?, date: r.get(1)?, price: money::from_db(&p)? })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}
