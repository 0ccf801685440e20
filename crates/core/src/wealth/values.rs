//! Value history (what each asset was worth on a date) and cash flows per account.

use chrono::NaiveDate;
use rusqlite::{params, OptionalExtension};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::{Error, InputError, Result};
use crate::money::{self, Decimal};
use crate::vault::Vault;
use crate::wealth::portfolio::AssetClass;

/// Where a value came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Source {
    /// Typed by the user.
    Manual,
    /// From a CSV import.
    Import,
    /// Computed by the app: a position from its activities and prices, an account's
    /// cash from its activities, a loan's capital from its schedule.
    Derived,
}

impl Source {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Source::Manual => "manual",
            Source::Import => "import",
            // Derived points are written by the core for derived assets only; the
            // asset's `derived` column is what marks them.
            Source::Derived => "manual",
        }
    }
}

/// The value of one asset on one date, in the asset's currency.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ValuePoint {
    /// Asset.
    pub asset_id: i64,
    /// Date.
    pub date: NaiveDate,
    /// Value (for a liability: the outstanding amount, positive).
    #[ts(as = "crate::money::DecimalTs")]
    #[serde(with = "rust_decimal::serde::str")]
    pub value: Decimal,
    /// Quantity held, if known.
    #[ts(as = "Option<crate::money::DecimalTs>")]
    #[serde(default, with = "rust_decimal::serde::str_option")]
    pub quantity: Option<Decimal>,
    /// Unit price, if known.
    #[ts(as = "Option<crate::money::DecimalTs>")]
    #[serde(default, with = "rust_decimal::serde::str_option")]
    pub unit_price: Option<Decimal>,
    /// Origin.
    pub source: Source,
}

/// Counts from a bulk upsert.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, TS)]
pub struct UpsertCount {
    /// New points.
    pub inserted: usize,
    /// Points that replaced an existing one on the same date.
    pub updated: usize,
}

/// Money moved into (positive) or out of (negative) an account.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct CashFlow {
    /// Identifier (ignored on input).
    #[serde(default)]
    pub id: i64,
    /// Account.
    pub account_id: i64,
    /// Date.
    pub date: NaiveDate,
    /// Amount in the account's currency: contributions positive, withdrawals negative.
    #[ts(as = "crate::money::DecimalTs")]
    #[serde(with = "rust_decimal::serde::str")]
    pub amount: Decimal,
    /// Free note.
    #[serde(default)]
    pub note: String,
}

pub(crate) fn opt_dec(s: Option<String>) -> rusqlite::Result<Option<Decimal>> {
    s.map(|s| money::from_db(&s)).transpose()
}

pub(crate) fn fk_error(e: rusqlite::Error, what: &'static str) -> Error {
    match &e {
        rusqlite::Error::SqliteFailure(f, _) if f.code == rusqlite::ErrorCode::ConstraintViolation => {
            InputError::NotFound(what).into()
        }
        _ => e.into(),
    }
}

/// Refuses typed values for assets whose values the app computes.
fn refuse_derived(tx: &rusqlite::Connection, assets: impl IntoIterator<Item = i64>) -> Result<()> {
    let mut st = tx.prepare_cached("SELECT derived IS NOT NULL FROM asset WHERE id = ?1")?;
    let mut seen = std::collections::HashSet::new();
    for a in assets {
        if seen.insert(a) && st.query_row([a], |r| r.get::<_, bool>(0)).optional()?.unwrap_or(false) {
            return Err(InputError::ValuesDerived.into());
        }
    }
    Ok(())
}

/// Recomputes `value_month` for the given (asset, `YYYY-MM`) pairs.
pub(crate) fn refresh_months(tx: &rusqlite::Connection, keys: impl IntoIterator<Item = (i64, String)>) -> Result<()> {
    let mut del = tx.prepare_cached("DELETE FROM value_month WHERE asset_id = ?1 AND month = ?2")?;
    let mut ins = tx.prepare_cached(
        "INSERT INTO value_month (asset_id, month, date, value)
         SELECT asset_id, ?2, date, value FROM value_point
         WHERE asset_id = ?1 AND date >= ?2 || '-01' AND date <= ?2 || '-31' ORDER BY date DESC LIMIT 1",
    )?;
    for (asset, month) in keys {
        del.execute(params![asset, month])?;
        ins.execute(params![asset, month])?;
    }
    Ok(())
}

/// Recomputes `value_month` for whole assets (after a bulk import).
pub(crate) fn rebuild_months(tx: &rusqlite::Connection, assets: impl IntoIterator<Item = i64>) -> Result<()> {
    let mut del = tx.prepare_cached("DELETE FROM value_month WHERE asset_id = ?1")?;
    let mut ins = tx.prepare_cached(
        "INSERT INTO value_month (asset_id, month, date, value)
         SELECT asset_id, substr(date, 1, 7), max(date), value FROM value_point WHERE asset_id = ?1
         GROUP BY substr(date, 1, 7)",
    )?;
    for asset in assets {
        del.execute([asset])?;
        ins.execute([asset])?;
    }
    Ok(())
}

fn month_of(date: NaiveDate) -> String {
    date.format("%Y-%m").to_string()
}

impl Vault {
    pub(crate) fn count_values(&self) -> Result<usize> {
        Ok(self.conn.query_row("SELECT count(*) FROM value_point", [], |r| r.get::<_, i64>(0))? as usize)
    }

    /// Inserts or replaces value points, all or nothing.
    ///
    /// A point given without quantity nor unit price, for an asset whose latest point on
    /// or before its date holds a quantity, keeps that quantity: typing a new value for
    /// a holding of 120 units means the 120 units are now worth that (the unit price is
    /// then left out rather than rounded).
    pub fn upsert_values(&self, points: &[ValuePoint]) -> Result<UpsertCount> {
        let before = self.count_values()?;
        self.write(|tx| {
            refuse_derived(tx, points.iter().map(|p| p.asset_id))?;
            let mut held = tx.prepare_cached(
                "SELECT date, quantity FROM value_point WHERE asset_id = ?1 AND date <= ?2 ORDER BY date DESC LIMIT 1",
            )?;
            let mut carried: Vec<Option<Decimal>> = Vec::with_capacity(points.len());
            for (i, p) in points.iter().enumerate() {
                let quantity = match (p.quantity, p.unit_price) {
                    (None, None) => {
                        // The quantity of the latest earlier point: in the vault, or earlier in
                        // this batch (which wins on the same date, as it is written after).
                        let stored: Option<(NaiveDate, Option<Decimal>)> = held
                            .query_row(params![p.asset_id, p.date], |r| {
                                Ok((r.get(0)?, r.get::<_, Option<String>>(1)?.and_then(|q| q.parse::<Decimal>().ok())))
                            })
                            .optional()?;
                        let batch = points[..i]
                            .iter()
                            .zip(&carried)
                            .filter(|(q, _)| q.asset_id == p.asset_id && q.date <= p.date)
                            .max_by_key(|(q, _)| q.date)
                            .map(|(q, c)| (q.date, *c));
                        match (stored, batch) {
                            (Some(s), Some(b)) => if b.0 >= s.0 { b.1 } else { s.1 },
                            (Some(s), None) => s.1,
                            (None, Some(b)) => b.1,
                            (None, None) => None,
                        }
                    }
                    (q, _) => q,
                };
                carried.push(quantity);
            }
            drop(held);
            let mut st = tx.prepare_cached(
                "INSERT INTO value_point (asset_id, date, value, quantity, unit_price, source) VALUES (?1, ?2, ?3, ?4, ?5, ?6)
                 ON CONFLICT (asset_id, date) DO UPDATE SET value = excluded.value, quantity = excluded.quantity,
                 unit_price = excluded.unit_price, source = excluded.source",
            )?;
            for (p, quantity) in points.iter().zip(carried) {
                st.execute(params![
                    p.asset_id,
                    p.date,
                    p.value.normalize().to_string(),
                    quantity.map(|q| q.normalize().to_string()),
                    p.unit_price.map(|q| q.normalize().to_string()),
                    p.source.as_str()
                ])
                .map_err(|e| fk_error(e, "asset"))?;
            }
            let mut months: Vec<(i64, String)> = points.iter().map(|p| (p.asset_id, month_of(p.date))).collect();
            months.sort();
            months.dedup();
            refresh_months(tx, months)
        })?;
        let inserted = self.count_values()? - before;
        Ok(UpsertCount { inserted, updated: points.len() - inserted })
    }

    /// The asset that holds the balance of `account_id`, if one was made.
    pub fn balance_asset(&self, account_id: i64) -> Result<Option<i64>> {
        Ok(self
            .conn
            .query_row("SELECT id FROM asset WHERE account_id = ?1 AND balance = 1", [account_id], |r| r.get(0))
            .optional()?)
    }

    /// Sets an account's own balance on `date` (in the account's currency): the value of
    /// the one asset that holds it. The first time, that asset is made: named after the
    /// account, its class following the account kind
    /// ([`crate::wealth::portfolio::AccountKind::balance_class`]),
    /// in the account's currency; or, when the account already holds an asset of its own
    /// name (the "Livret A" asset of the "Livret A" account), that one. Returns the
    /// asset's id. All or nothing. An account with activities is refused
    /// ([`InputError::ValuesDerived`]): its cash is what its activities give.
    pub fn set_account_balance(&self, account_id: i64, date: NaiveDate, amount: Decimal) -> Result<i64> {
        let account =
            self.accounts()?.into_iter().find(|a| a.id == account_id).ok_or(InputError::NotFound("account"))?;
        let class = account.kind.balance_class();
        // An account with activities has its cash computed from them.
        let traded: bool =
            self.conn.query_row("SELECT EXISTS (SELECT 1 FROM activity WHERE account_id = ?1)", [account_id], |r| {
                r.get(0)
            })?;
        if traded {
            return Err(InputError::ValuesDerived.into());
        }
        if class == AssetClass::Loan && amount < Decimal::ZERO {
            return Err(Error::invalid("amount", "a loan's outstanding capital cannot be negative"));
        }
        let id = self.write(|tx| {
            let existing: Option<i64> = tx
                .query_row(
                    "SELECT id FROM asset WHERE account_id = ?1 AND (balance = 1 OR name = ?2) ORDER BY balance DESC LIMIT 1",
                    params![account_id, account.name],
                    |r| r.get(0),
                )
                .optional()?;
            let id = match existing {
                Some(id) => {
                    tx.execute("UPDATE asset SET balance = 1 WHERE id = ?1", [id])?;
                    id
                }
                None => {
                    tx.execute(
                        "INSERT INTO asset (account_id, name, class, liability, currency, share_pct, ownership, balance)
                         VALUES (?1, ?2, ?3, ?4, ?5, '100', 'full', 1)",
                        params![account_id, account.name, class.as_str(), class == AssetClass::Loan, account.currency],
                    )?;
                    tx.last_insert_rowid()
                }
            };
            tx.execute(
                "INSERT INTO value_point (asset_id, date, value, quantity, unit_price, source) VALUES (?1, ?2, ?3, NULL, NULL, 'manual')
                 ON CONFLICT (asset_id, date) DO UPDATE SET value = excluded.value, quantity = NULL, unit_price = NULL,
                 source = 'manual'",
                params![id, date, amount.normalize().to_string()],
            )?;
            refresh_months(tx, vec![(id, month_of(date))])?;
            Ok(id)
        })?;
        Ok(id)
    }

    /// Deletes the point of `asset_id` on `date`.
    pub fn delete_value(&self, asset_id: i64, date: NaiveDate) -> Result<()> {
        self.write(|tx| {
            refuse_derived(tx, [asset_id])?;
            if tx.execute("DELETE FROM value_point WHERE asset_id = ?1 AND date = ?2", params![asset_id, date])? == 0 {
                return Err(InputError::NotFound("value").into());
            }
            refresh_months(tx, [(asset_id, month_of(date))])
        })
    }

    /// The history of one asset, oldest first.
    pub fn values(&self, asset_id: i64) -> Result<Vec<ValuePoint>> {
        let derived: bool = self
            .conn
            .query_row("SELECT derived IS NOT NULL FROM asset WHERE id = ?1", [asset_id], |r| r.get(0))
            .optional()?
            .unwrap_or(false);
        let mut st = self.conn.prepare_cached(
            "SELECT asset_id, date, value, quantity, unit_price, source FROM value_point WHERE asset_id = ?1 ORDER BY date",
        )?;
        let rows = st.query_map([asset_id], read_point)?;
        let mut out: Vec<ValuePoint> = rows.collect::<rusqlite::Result<_>>()?;
        if derived {
            for p in &mut out {
                p.source = Source::Derived;
            }
        }
        Ok(out)
    }

    /// The latest point of one asset on or before `date`.
    pub fn value_at(&self, asset_id: i64, date: NaiveDate) -> Result<Option<ValuePoint>> {
        let mut st = self.conn.prepare_cached(
            "SELECT asset_id, date, value, quantity, unit_price, source FROM value_point
             WHERE asset_id = ?1 AND date <= ?2 ORDER BY date DESC LIMIT 1",
        )?;
        Ok(st.query_row(params![asset_id, date], read_point).optional()?)
    }

    // ---- cash flows -----------------------------------------------------------------

    /// Records a cash flow; returns its id.
    pub fn add_cash_flow(&self, f: &CashFlow) -> Result<i64> {
        if f.amount.is_zero() {
            return Err(Error::invalid("amount", "a cash flow cannot be zero"));
        }
        self.conn
            .execute(
                "INSERT INTO cash_flow (account_id, date, amount, note) VALUES (?1, ?2, ?3, ?4)",
                params![f.account_id, f.date, f.amount.normalize().to_string(), f.note.trim()],
            )
            .map_err(|e| fk_error(e, "account"))?;
        Ok(self.conn.last_insert_rowid())
    }

    /// Changes a cash flow.
    pub fn update_cash_flow(&self, id: i64, f: &CashFlow) -> Result<()> {
        if f.amount.is_zero() {
            return Err(Error::invalid("amount", "a cash flow cannot be zero"));
        }
        let n = self
            .conn
            .execute(
                "UPDATE cash_flow SET account_id = ?1, date = ?2, amount = ?3, note = ?4 WHERE id = ?5",
                params![f.account_id, f.date, f.amount.normalize().to_string(), f.note.trim(), id],
            )
            .map_err(|e| fk_error(e, "account"))?;
        if n == 0 {
            return Err(InputError::NotFound("cash flow").into());
        }
        Ok(())
    }

    /// Deletes a cash flow.
    pub fn delete_cash_flow(&self, id: i64) -> Result<()> {
        if self.conn.execute("DELETE FROM cash_flow WHERE id = ?1", [id])? == 0 {
            return Err(InputError::NotFound("cash flow").into());
        }
        Ok(())
    }

    /// Cash flows, of one account or of all, oldest first.
    pub fn cash_flows(&self, account_id: Option<i64>) -> Result<Vec<CashFlow>> {
        let mut st = self.conn.prepare_cached(
            "SELECT id, account_id, date, amount, note FROM cash_flow WHERE ?1 IS NULL OR account_id = ?1 ORDER BY date, id",
        )?;
        let rows = st.query_map([account_id], |r| {
            let amount: String = r.get(3)?;
            Ok(CashFlow {
                id: r.get(0)?,
                account_id: r.get(1)?,
                date: r.get(2)?,
                amount: money::from_db(&amount)?,
                note: r.get(4)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}

pub(crate) fn read_point(r: &rusqlite::Row<'_>) -> rusqlite::Result<ValuePoint> {
    let value: String = r.get(2)?;
    let source: String = r.get(5)?;
    Ok(ValuePoint {
        asset_id: r.get(0)?,
        date: r.get(1)?,
        value: money::from_db(&value)?,
        quantity: opt_dec(r.get(3)?)?,
        unit_price: opt_dec(r.get(4)?)?,
        source: if source == "import" { Source::Import } else { Source::Manual },
    })
}
