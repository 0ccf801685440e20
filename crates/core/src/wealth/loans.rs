//! Loans held with their terms: the liability asset's values are the outstanding
//! capital of the amortization schedule ([`crate::wealth::loan`]), derived into
//! `value_point` whenever the terms or the early repayments change. A loan may be
//! linked to the property it financed, whose net equity is then its value minus the
//! linked loans' capital.

use chrono::{Months, NaiveDate};
use rusqlite::{params, OptionalExtension, Transaction};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::{Error, InputError, Result};
use crate::money::{self, Decimal};
use crate::vault::Vault;
use crate::wealth::loan::{self, Amortization, Deferral, Keep, LoanTerms, Repayment, Schedule};
use crate::wealth::portfolio::{self, Derived};

/// An early repayment as recorded.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct RecordedRepayment {
    /// Identifier.
    pub id: i64,
    /// The repayment.
    pub repayment: Repayment,
}

/// A loan: its asset, terms, early repayments and the property it financed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Loan {
    /// The liability asset that carries the outstanding capital (ignored on input).
    #[serde(default)]
    pub asset_id: i64,
    /// The account it is held in (a loan account), or `None` when held directly.
    pub account_id: Option<i64>,
    /// Name, unique within its account.
    pub name: String,
    /// Currency.
    pub currency: String,
    /// Share borne, 0–100 % (a loan taken out by two: 50).
    #[ts(as = "crate::money::DecimalTs")]
    #[serde(with = "rust_decimal::serde::str")]
    pub share_pct: Decimal,
    /// Terms from the loan offer.
    pub terms: LoanTerms,
    /// The property (asset) it financed.
    #[serde(default)]
    pub linked_asset_id: Option<i64>,
    /// Early repayments, by date (ignored on input).
    #[serde(default)]
    pub repayments: Vec<RecordedRepayment>,
}

/// A loan's schedule with its state on a date.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, TS)]
pub struct LoanSchedule {
    /// The loan.
    pub loan: Loan,
    /// Every line and the totals.
    pub schedule: Schedule,
    /// The date of the state below.
    pub date: NaiveDate,
    /// Capital outstanding on the date.
    #[ts(as = "crate::money::DecimalTs")]
    #[serde(with = "rust_decimal::serde::str")]
    pub outstanding: Decimal,
    /// Interest paid up to the date.
    #[ts(as = "crate::money::DecimalTs")]
    #[serde(with = "rust_decimal::serde::str")]
    pub interest_paid: Decimal,
    /// Interest still to pay after the date.
    #[ts(as = "crate::money::DecimalTs")]
    #[serde(with = "rust_decimal::serde::str")]
    pub interest_to_pay: Decimal,
    /// Insurance paid up to the date.
    #[ts(as = "crate::money::DecimalTs")]
    #[serde(with = "rust_decimal::serde::str")]
    pub insurance_paid: Decimal,
    /// Insurance still to pay after the date.
    #[ts(as = "crate::money::DecimalTs")]
    #[serde(with = "rust_decimal::serde::str")]
    pub insurance_to_pay: Decimal,
    /// The date of the last line (the end of the loan).
    pub ends_on: Option<NaiveDate>,
}

/// A property's value, its linked loans and its net equity on a date.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, TS)]
pub struct Equity {
    /// The date.
    pub date: NaiveDate,
    /// The property's value (its share applied).
    #[ts(as = "crate::money::DecimalTs")]
    #[serde(with = "rust_decimal::serde::str")]
    pub value: Decimal,
    /// The linked loans' outstanding capital (their shares applied, positive).
    #[ts(as = "crate::money::DecimalTs")]
    #[serde(with = "rust_decimal::serde::str")]
    pub loans: Decimal,
    /// Value − loans.
    #[ts(as = "crate::money::DecimalTs")]
    #[serde(with = "rust_decimal::serde::str")]
    pub equity: Decimal,
}

/// The day the capital is lent: one month before the first payment (or before the
/// first deferred month).
pub fn start_date(terms: &LoanTerms) -> NaiveDate {
    terms.first_payment.checked_sub_months(Months::new(1)).unwrap_or(terms.first_payment)
}

fn read_terms(r: &rusqlite::Row<'_>) -> rusqlite::Result<(LoanTerms, Option<i64>)> {
    let text = |i: usize| -> rusqlite::Result<Decimal> { money::from_db(&r.get::<_, String>(i)?) };
    let amortization: String = r.get(5)?;
    let deferral: String = r.get(6)?;
    Ok((
        LoanTerms {
            principal: text(0)?,
            annual_rate: text(1)?,
            months: r.get(2)?,
            first_payment: r.get(3)?,
            insurance: text(4)?,
            amortization: Amortization::parse(&amortization).unwrap_or(Amortization::Constant),
            deferral: Deferral::parse(&deferral).unwrap_or(Deferral::None),
            deferral_months: r.get(7)?,
        },
        r.get(8)?,
    ))
}

fn repayments_of(conn: &rusqlite::Connection, asset: i64) -> Result<Vec<RecordedRepayment>> {
    let mut st =
        conn.prepare_cached("SELECT id, date, amount, keep FROM loan_repayment WHERE loan_id = ?1 ORDER BY date, id")?;
    let rows = st.query_map([asset], |r| {
        let keep: String = r.get(3)?;
        Ok(RecordedRepayment {
            id: r.get(0)?,
            repayment: Repayment {
                date: r.get(1)?,
                amount: crate::wealth::values::opt_dec(r.get(2)?)?,
                keep: Keep::parse(&keep).unwrap_or(Keep::Payment),
            },
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

fn terms_of(conn: &rusqlite::Connection, asset: i64) -> Result<(LoanTerms, Option<i64>)> {
    conn.query_row(
        "SELECT principal, annual_rate, months, first_payment, insurance, amortization, deferral, deferral_months,
                linked_asset_id FROM loan WHERE asset_id = ?1",
        [asset],
        read_terms,
    )
    .optional()?
    .ok_or_else(|| InputError::NotFound("loan").into())
}

/// Rewrites the loan's values from its schedule: the principal on the day it is lent,
/// then the capital after each date of the schedule.
fn rederive(tx: &Transaction<'_>, asset: i64) -> Result<()> {
    let (terms, _) = terms_of(tx, asset)?;
    let repayments: Vec<Repayment> = repayments_of(tx, asset)?.into_iter().map(|r| r.repayment).collect();
    let s = loan::schedule(&terms, &repayments)?;
    tx.execute("DELETE FROM value_point WHERE asset_id = ?1", [asset])?;
    let mut points: Vec<(NaiveDate, Decimal)> = vec![(start_date(&terms), money::round_cents(terms.principal))];
    for l in &s.installments {
        match points.last_mut() {
            Some(last) if last.0 == l.date => last.1 = l.remaining,
            _ => points.push((l.date, l.remaining)),
        }
    }
    let mut st = tx.prepare_cached(
        "INSERT INTO value_point (asset_id, date, value, quantity, unit_price, source) VALUES (?1, ?2, ?3, NULL, NULL, 'manual')",
    )?;
    for (d, v) in points {
        st.execute(params![asset, d, v.normalize().to_string()])?;
    }
    crate::wealth::values::rebuild_months(tx, [asset])
}

fn check_account(conn: &rusqlite::Connection, account: Option<i64>) -> Result<()> {
    if let Some(acc) = account {
        let exists: bool = conn.query_row("SELECT count(*) > 0 FROM account WHERE id = ?1", [acc], |r| r.get(0))?;
        if !exists {
            return Err(InputError::NotFound("account").into());
        }
    }
    Ok(())
}

fn check_link(conn: &rusqlite::Connection, linked: Option<i64>) -> Result<()> {
    if let Some(l) = linked {
        let liability: Option<bool> =
            conn.query_row("SELECT liability FROM asset WHERE id = ?1", [l], |r| r.get(0)).optional()?;
        match liability {
            None => return Err(InputError::NotFound("linked asset").into()),
            Some(true) => return Err(Error::invalid("linked_asset_id", "a loan finances an asset, not a debt")),
            Some(false) => {}
        }
    }
    Ok(())
}

impl Vault {
    /// Every loan with its terms and repayments.
    pub fn loans(&self) -> Result<Vec<Loan>> {
        let ids: Vec<i64> = {
            let mut st = self.conn.prepare_cached(
                "SELECT l.asset_id FROM loan l JOIN asset a ON a.id = l.asset_id ORDER BY a.name, a.id",
            )?;
            let rows = st.query_map([], |r| r.get(0))?;
            rows.collect::<rusqlite::Result<_>>()?
        };
        ids.into_iter().map(|id| self.loan(id)).collect()
    }

    /// One loan, by its asset.
    pub fn loan(&self, asset_id: i64) -> Result<Loan> {
        let (terms, linked_asset_id) = terms_of(&self.conn, asset_id)?;
        let (account_id, name, currency, share): (Option<i64>, String, String, String) = self.conn.query_row(
            "SELECT account_id, name, currency, share_pct FROM asset WHERE id = ?1",
            [asset_id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )?;
        Ok(Loan {
            asset_id,
            account_id,
            name,
            currency,
            share_pct: money::from_db(&share)?,
            terms,
            linked_asset_id,
            repayments: repayments_of(&self.conn, asset_id)?,
        })
    }

    /// Creates a loan from its terms: its liability asset, whose values the schedule
    /// gives. Returns the asset's id.
    pub fn create_loan(&self, l: &Loan) -> Result<i64> {
        loan::validate(&l.terms)?;
        let name = portfolio::item_name("name", &l.name)?;
        let currency = money::currency(&l.currency)?;
        let share = money::percent("share_pct", l.share_pct)?;
        check_link(&self.conn, l.linked_asset_id)?;
        check_account(&self.conn, l.account_id)?;
        self.write(|tx| {
            tx.execute(
                "INSERT INTO asset (account_id, name, class, liability, currency, share_pct, derived)
                 VALUES (?1, ?2, 'loan', 1, ?3, ?4, ?5)",
                params![l.account_id, name, currency, share.to_string(), Derived::Loan.as_str()],
            )
            .map_err(|e| portfolio::map_unique(e, "asset"))?;
            let id = tx.last_insert_rowid();
            write_terms(tx, id, &l.terms, l.linked_asset_id, true)?;
            rederive(tx, id)?;
            Ok(id)
        })
    }

    /// Changes a loan's terms, name, share or linked property; its values follow.
    pub fn update_loan(&self, asset_id: i64, l: &Loan) -> Result<()> {
        loan::validate(&l.terms)?;
        let name = portfolio::item_name("name", &l.name)?;
        let currency = money::currency(&l.currency)?;
        let share = money::percent("share_pct", l.share_pct)?;
        check_link(&self.conn, l.linked_asset_id)?;
        check_account(&self.conn, l.account_id)?;
        terms_of(&self.conn, asset_id)?;
        self.write(|tx| {
            tx.execute(
                "UPDATE asset SET account_id = ?1, name = ?2, currency = ?3, share_pct = ?4 WHERE id = ?5",
                params![l.account_id, name, currency, share.to_string(), asset_id],
            )
            .map_err(|e| portfolio::map_unique(e, "asset"))?;
            write_terms(tx, asset_id, &l.terms, l.linked_asset_id, false)?;
            rederive(tx, asset_id)
        })
    }

    /// Records an early repayment (partial, keeping the payment or the term, or total:
    /// `amount` None). Refused, with nothing written, when larger than the capital left.
    pub fn add_repayment(&self, asset_id: i64, r: &Repayment) -> Result<i64> {
        terms_of(&self.conn, asset_id)?;
        self.write(|tx| {
            tx.execute(
                "INSERT INTO loan_repayment (loan_id, date, amount, keep) VALUES (?1, ?2, ?3, ?4)",
                params![asset_id, r.date, r.amount.map(|a| a.normalize().to_string()), r.keep.as_str()],
            )?;
            let id = tx.last_insert_rowid();
            rederive(tx, asset_id)?;
            Ok(id)
        })
    }

    /// Deletes an early repayment.
    pub fn delete_repayment(&self, id: i64) -> Result<()> {
        self.write(|tx| {
            let loan: Option<i64> =
                tx.query_row("SELECT loan_id FROM loan_repayment WHERE id = ?1", [id], |r| r.get(0)).optional()?;
            let loan = loan.ok_or(InputError::NotFound("repayment"))?;
            tx.execute("DELETE FROM loan_repayment WHERE id = ?1", [id])?;
            rederive(tx, loan)
        })
    }

    /// A loan's schedule and its state on `date`.
    pub fn loan_schedule(&self, asset_id: i64, date: NaiveDate) -> Result<LoanSchedule> {
        let l = self.loan(asset_id)?;
        let repayments: Vec<Repayment> = l.repayments.iter().map(|r| r.repayment.clone()).collect();
        let schedule = loan::schedule(&l.terms, &repayments)?;
        let before = NaiveDate::MIN;
        let (interest_paid, insurance_paid) = schedule.paid_between(before, date);
        let outstanding = if date < start_date(&l.terms) {
            Decimal::ZERO
        } else {
            schedule.outstanding_on(date, money::round_cents(l.terms.principal))
        };
        Ok(LoanSchedule {
            date,
            outstanding,
            interest_to_pay: schedule.total_interest - interest_paid,
            insurance_to_pay: schedule.total_insurance - insurance_paid,
            interest_paid,
            insurance_paid,
            ends_on: schedule.installments.last().map(|i| i.date),
            schedule,
            loan: l,
        })
    }

    /// Interest paid on the loans within `(after, until]`, per loan asset, before shares.
    pub(crate) fn loan_interest_between(&self, after: NaiveDate, until: NaiveDate) -> Result<Vec<(i64, Decimal)>> {
        let mut out = vec![];
        for l in self.loans()? {
            let repayments: Vec<Repayment> = l.repayments.iter().map(|r| r.repayment.clone()).collect();
            let s = loan::schedule(&l.terms, &repayments)?;
            out.push((l.asset_id, s.paid_between(after, until).0));
        }
        Ok(out)
    }

    /// A property's value, the capital of the loans linked to it and its net equity on
    /// each of `dates` (each amount after its asset's share, in the asset's currency).
    pub fn equity(&self, asset_id: i64, dates: &[NaiveDate]) -> Result<Vec<Equity>> {
        let asset = self.asset(asset_id)?;
        let linked: Vec<(i64, Decimal)> = {
            let mut st = self.conn.prepare_cached(
                "SELECT a.id, a.share_pct FROM loan l JOIN asset a ON a.id = l.asset_id WHERE l.linked_asset_id = ?1",
            )?;
            let rows = st.query_map([asset_id], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?)))?;
            let mut out = vec![];
            for row in rows {
                let (id, share) = row?;
                out.push((id, money::from_db(&share)?));
            }
            out
        };
        let hundred = Decimal::ONE_HUNDRED;
        let mut out = vec![];
        for &date in dates {
            let value =
                self.value_at(asset_id, date)?.map(|p| p.value).unwrap_or_default() * asset.share_on(date)? / hundred;
            let mut loans = Decimal::ZERO;
            for (id, share) in &linked {
                loans += self.value_at(*id, date)?.map(|p| p.value).unwrap_or_default() * share / hundred;
            }
            // Rounded first, so that the three figures shown add up to the cent.
            let (value, loans) = (money::round_cents(value), money::round_cents(loans));
            out.push(Equity { date, value, loans, equity: value - loans });
        }
        Ok(out)
    }
}

fn write_terms(tx: &Transaction<'_>, id: i64, t: &LoanTerms, linked: Option<i64>, insert: bool) -> Result<()> {
    let sql = if insert {
        "INSERT INTO loan (asset_id, principal, annual_rate, months, first_payment, insurance, amortization, deferral,
                           deferral_months, linked_asset_id) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)"
    } else {
        "UPDATE loan SET principal = ?2, annual_rate = ?3, months = ?4, first_payment = ?5, insurance = ?6,
                         amortization = ?7, deferral = ?8, deferral_months = ?9, linked_asset_id = ?10 WHERE asset_id = ?1"
    };
    tx.execute(
        sql,
        params![
            id,
            t.principal.normalize().to_string(),
            t.annual_rate.normalize().to_string(),
            t.months,
            t.first_payment,
            t.insurance.normalize().to_string(),
            t.amortization.as_str(),
            t.deferral.as_str(),
            t.deferral_months,
            linked
        ],
    )?;
    Ok(())
}
