//! Amortization schedules of French loans ("prêt amortissable à échéances constantes"),
//! computed in exact decimals, with no database and no I/O.
//!
//! The monthly rate is `r = annual_rate / 100 / 12`. A constant loan pays
//! `M = C·r / (1 − (1 + r)^−n)` rounded to the cent (`C / n` at a zero rate); each month the
//! interest is the remaining capital × `r` rounded to the cent, the capital repaid is `M` minus
//! that interest, and the last payment repays exactly what remains. An in-fine loan pays the
//! interest only and the whole capital with its last payment. A deferral covers the first
//! months: partial, the interest only is paid; total, nothing but the insurance is paid and the
//! interest is added to the capital (a negative capital line). The constant payment is then
//! computed on the capital at the end of the deferral over the payments left. Early repayments
//! come after every payment dated on or before them: a total one ends the schedule; a partial one
//! keeps the payment (the term shortens) or the end date (the payment is recomputed on the
//! payments left). Insurance is a fixed monthly amount, paid on every payment and deferral line
//! until the loan ends. Every amount is rounded to the cent, half away from zero.

use chrono::{Months, NaiveDate};
use rust_decimal::RoundingStrategy;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::{Error, InputError, Result};
use crate::money::Decimal;

/// The longest loan accepted, in monthly payments (50 years).
const MAX_MONTHS: u32 = 600;

/// How the capital is repaid.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Amortization {
    /// Constant monthly payments ("échéances constantes"): capital and interest every month.
    Constant,
    /// Interest only every month, the whole capital with the last payment ("in fine").
    InFine,
}

impl Amortization {
    /// The stable token (stored as TEXT): `constant` or `in_fine`.
    pub fn as_str(self) -> &'static str {
        match self {
            Amortization::Constant => "constant",
            Amortization::InFine => "in_fine",
        }
    }

    /// Parses the token written by [`Amortization::as_str`].
    pub fn parse(s: &str) -> Option<Amortization> {
        match s {
            "constant" => Some(Amortization::Constant),
            "in_fine" => Some(Amortization::InFine),
            _ => None,
        }
    }
}

/// A deferral ("différé") at the start of the loan.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Deferral {
    /// No deferral.
    None,
    /// Partial deferral: the deferred months pay the interest only.
    Partial,
    /// Total deferral: the deferred months pay nothing but the insurance; the interest is
    /// capitalised.
    Total,
}

impl Deferral {
    /// The stable token (stored as TEXT): `none`, `partial` or `total`.
    pub fn as_str(self) -> &'static str {
        match self {
            Deferral::None => "none",
            Deferral::Partial => "partial",
            Deferral::Total => "total",
        }
    }

    /// Parses the token written by [`Deferral::as_str`].
    pub fn parse(s: &str) -> Option<Deferral> {
        match s {
            "none" => Some(Deferral::None),
            "partial" => Some(Deferral::Partial),
            "total" => Some(Deferral::Total),
            _ => None,
        }
    }
}

/// What a partial early repayment keeps.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Keep {
    /// Keep the monthly payment: the term shortens.
    Payment,
    /// Keep the end date: the monthly payment falls.
    Term,
}

impl Keep {
    /// The stable token (stored as TEXT): `payment` or `term`.
    pub fn as_str(self) -> &'static str {
        match self {
            Keep::Payment => "payment",
            Keep::Term => "term",
        }
    }

    /// Parses the token written by [`Keep::as_str`].
    pub fn parse(s: &str) -> Option<Keep> {
        match s {
            "payment" => Some(Keep::Payment),
            "term" => Some(Keep::Term),
            _ => None,
        }
    }
}

/// What a schedule line is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Row {
    /// A monthly payment (capital and interest, or interest only for an in-fine loan).
    Payment,
    /// A deferred month (interest only, or nothing with the interest capitalised).
    Deferred,
    /// An early repayment.
    Repayment,
}

impl Row {
    /// The stable token (stored as TEXT): `payment`, `deferred` or `repayment`.
    pub fn as_str(self) -> &'static str {
        match self {
            Row::Payment => "payment",
            Row::Deferred => "deferred",
            Row::Repayment => "repayment",
        }
    }

    /// Parses the token written by [`Row::as_str`].
    pub fn parse(s: &str) -> Option<Row> {
        match s {
            "payment" => Some(Row::Payment),
            "deferred" => Some(Row::Deferred),
            "repayment" => Some(Row::Repayment),
            _ => None,
        }
    }
}

/// The terms of a loan, as written in the loan offer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct LoanTerms {
    /// Capital borrowed, greater than zero (rounded to the cent by [`schedule`]).
    #[ts(as = "crate::money::DecimalTs")]
    #[serde(with = "rust_decimal::serde::str")]
    pub principal: Decimal,
    /// Nominal annual rate in percent (`1.35` for 1.35 %), from 0 to 100.
    #[ts(as = "crate::money::DecimalTs")]
    #[serde(with = "rust_decimal::serde::str")]
    pub annual_rate: Decimal,
    /// Number of monthly payments, deferral months included: 1 to 600.
    pub months: u32,
    /// Date of payment no. 1; payment `k` falls `k − 1` months later (the 31st becomes the
    /// last day of shorter months).
    pub first_payment: NaiveDate,
    /// Monthly insurance, zero or more, paid every month (deferral included) until the loan
    /// ends; not part of the capital.
    #[ts(as = "crate::money::DecimalTs")]
    #[serde(with = "rust_decimal::serde::str")]
    pub insurance: Decimal,
    /// How the capital is repaid.
    pub amortization: Amortization,
    /// Deferral at the start.
    pub deferral: Deferral,
    /// Number of deferred months: 0 without deferral, less than `months`.
    pub deferral_months: u32,
}

/// An early repayment ("remboursement anticipé").
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Repayment {
    /// Date; the repayment comes after every payment dated on or before it.
    pub date: NaiveDate,
    /// Capital repaid (rounded to the cent); `None` repays everything that remains.
    #[ts(as = "Option<crate::money::DecimalTs>")]
    #[serde(default, with = "rust_decimal::serde::str_option")]
    pub amount: Option<Decimal>,
    /// What a partial repayment keeps (ignored for a total one and for in-fine loans).
    pub keep: Keep,
}

/// One line of a schedule.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Installment {
    /// 1-based payment number; a repayment line carries the number of the payment it follows
    /// (0 before the first one).
    pub number: u32,
    /// Date.
    pub date: NaiveDate,
    /// What the line is.
    pub row: Row,
    /// Capital plus interest paid on the line, insurance excluded.
    #[ts(as = "crate::money::DecimalTs")]
    #[serde(with = "rust_decimal::serde::str")]
    pub payment: Decimal,
    /// Interest of the month (for a total deferral: the interest capitalised).
    #[ts(as = "crate::money::DecimalTs")]
    #[serde(with = "rust_decimal::serde::str")]
    pub interest: Decimal,
    /// Capital repaid on the line; negative in a total deferral (interest capitalised).
    #[ts(as = "crate::money::DecimalTs")]
    #[serde(with = "rust_decimal::serde::str")]
    pub capital: Decimal,
    /// Insurance paid on the line.
    #[ts(as = "crate::money::DecimalTs")]
    #[serde(with = "rust_decimal::serde::str")]
    pub insurance: Decimal,
    /// Capital outstanding after the line.
    #[ts(as = "crate::money::DecimalTs")]
    #[serde(with = "rust_decimal::serde::str")]
    pub remaining: Decimal,
}

/// A whole schedule with its totals.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Schedule {
    /// Lines in date order (a repayment after the payments dated on or before it).
    pub installments: Vec<Installment>,
    /// Interest actually paid: payment lines and partially deferred lines. The interest
    /// capitalised by a total deferral is not counted (it is repaid as capital later), so
    /// `total_paid = principal + total_interest + total_insurance + capitalised interest`.
    #[ts(as = "crate::money::DecimalTs")]
    #[serde(with = "rust_decimal::serde::str")]
    pub total_interest: Decimal,
    /// Insurance paid.
    #[ts(as = "crate::money::DecimalTs")]
    #[serde(with = "rust_decimal::serde::str")]
    pub total_insurance: Decimal,
    /// Everything paid: payments (early repayments included) plus insurance.
    #[ts(as = "crate::money::DecimalTs")]
    #[serde(with = "rust_decimal::serde::str")]
    pub total_paid: Decimal,
}

impl Schedule {
    /// The capital outstanding after the last line dated on or before `date`; `principal`
    /// before the first line, zero once the loan is repaid.
    pub fn outstanding_on(&self, date: NaiveDate, principal: Decimal) -> Decimal {
        self.installments.iter().rev().find(|l| l.date <= date).map_or(principal, |l| l.remaining)
    }

    /// Interest and insurance paid on the lines dated after `after` and on or before `until`
    /// (interest counted as in [`Schedule::total_interest`]).
    pub fn paid_between(&self, after: NaiveDate, until: NaiveDate) -> (Decimal, Decimal) {
        self.installments
            .iter()
            .filter(|l| after < l.date && l.date <= until)
            .fold((Decimal::ZERO, Decimal::ZERO), |(interest, insurance), l| {
                (interest + paid_interest(l), insurance + l.insurance)
            })
    }
}

/// Checks the terms; [`schedule`] calls it too.
pub fn validate(terms: &LoanTerms) -> Result<()> {
    if terms.months == 0 || terms.months > MAX_MONTHS {
        return Err(InputError::LoanTermInvalid.into());
    }
    if terms.annual_rate < Decimal::ZERO || terms.annual_rate > Decimal::ONE_HUNDRED {
        return Err(InputError::RateOutOfRange.into());
    }
    if terms.principal <= Decimal::ZERO {
        return Err(Error::invalid("principal", "the capital borrowed must be greater than zero"));
    }
    if terms.insurance < Decimal::ZERO {
        return Err(Error::invalid("insurance", "the insurance cannot be negative"));
    }
    if terms.deferral == Deferral::None && terms.deferral_months > 0 {
        return Err(Error::invalid("deferral_months", "there are deferred months but no deferral"));
    }
    if terms.deferral_months >= terms.months {
        return Err(Error::invalid("deferral_months", "the deferral must be shorter than the loan"));
    }
    Ok(())
}

/// The schedule of a loan with its early repayments (in any order; sorted by date, the
/// order given kept on the same date).
pub fn schedule(terms: &LoanTerms, repayments: &[Repayment]) -> Result<Schedule> {
    validate(terms)?;
    let rate = terms.annual_rate.checked_div(Decimal::from(1200)).ok_or_else(too_large)?;
    let insurance = cents(terms.insurance);
    let deferred = if terms.deferral == Deferral::None { 0 } else { terms.deferral_months };

    let mut pending = Vec::with_capacity(repayments.len());
    for r in repayments {
        let amount = r.amount.map(cents);
        if amount.is_some_and(|a| a <= Decimal::ZERO) {
            return Err(Error::invalid("amount", "an early repayment must be greater than zero"));
        }
        pending.push(Repayment { date: r.date, amount, keep: r.keep });
    }
    pending.sort_by_key(|r| r.date);
    let mut pending = pending.into_iter().peekable();

    let mut loan = Run { terms, rate, capital: cents(terms.principal), payment: None, last: 0, lines: Vec::new() };
    'months: for k in 1..=terms.months {
        let date = payment_date(terms.first_payment, k)?;
        while let Some(r) = pending.next_if(|r| r.date < date) {
            if loan.repay(&r)? {
                break 'months;
            }
        }
        let interest = cents(loan.capital.checked_mul(rate).ok_or_else(too_large)?);
        if k <= deferred {
            let (payment, capital) = match terms.deferral {
                Deferral::Total => (Decimal::ZERO, Decimal::ZERO - interest),
                Deferral::Partial | Deferral::None => (interest, Decimal::ZERO),
            };
            loan.capital = loan.capital.checked_sub(capital).ok_or_else(too_large)?;
            loan.push(k, date, Row::Deferred, payment, interest, capital, insurance);
            continue;
        }
        let whole = loan.capital.checked_add(interest).ok_or_else(too_large)?;
        let (payment, capital) = match terms.amortization {
            Amortization::InFine if k == terms.months => (whole, loan.capital),
            Amortization::InFine => (interest, Decimal::ZERO),
            Amortization::Constant => {
                let level = match loan.payment {
                    Some(m) => m,
                    None => {
                        let m = level_payment(loan.capital, rate, terms.months - k + 1)?;
                        loan.payment = Some(m);
                        m
                    }
                };
                if k == terms.months || whole <= level {
                    (whole, loan.capital)
                } else {
                    (level, level - interest)
                }
            }
        };
        loan.capital -= capital;
        loan.push(k, date, Row::Payment, payment, interest, capital, insurance);
        if loan.capital <= Decimal::ZERO {
            break;
        }
    }
    if pending.next().is_some() {
        return Err(Error::invalid("date", "the loan is already repaid on that date"));
    }

    let (mut total_interest, mut total_insurance, mut payments) = (Decimal::ZERO, Decimal::ZERO, Decimal::ZERO);
    for l in &loan.lines {
        total_interest = total_interest.checked_add(paid_interest(l)).ok_or_else(too_large)?;
        total_insurance = total_insurance.checked_add(l.insurance).ok_or_else(too_large)?;
        payments = payments.checked_add(l.payment).ok_or_else(too_large)?;
    }
    let total_paid = payments.checked_add(total_insurance).ok_or_else(too_large)?;
    Ok(Schedule { installments: loan.lines, total_interest, total_insurance, total_paid })
}

/// The schedule being built.
struct Run<'a> {
    terms: &'a LoanTerms,
    rate: Decimal,
    /// Capital outstanding.
    capital: Decimal,
    /// The constant payment, once the amortization has started.
    payment: Option<Decimal>,
    /// Number of the last payment or deferral line.
    last: u32,
    lines: Vec<Installment>,
}

impl Run<'_> {
    #[allow(clippy::too_many_arguments)]
    fn push(
        &mut self,
        number: u32,
        date: NaiveDate,
        row: Row,
        payment: Decimal,
        interest: Decimal,
        capital: Decimal,
        insurance: Decimal,
    ) {
        if row != Row::Repayment {
            self.last = number;
        }
        self.lines.push(Installment {
            number,
            date,
            row,
            payment,
            interest,
            capital,
            insurance,
            remaining: self.capital,
        });
    }

    /// Applies an early repayment; true when it repays everything (the schedule ends).
    fn repay(&mut self, r: &Repayment) -> Result<bool> {
        let amount = r.amount.unwrap_or(self.capital);
        if amount > self.capital {
            return Err(InputError::RepaymentExceedsCapital.into());
        }
        let total = amount == self.capital;
        // Keeping the end date: the payments the current plan still has, counted before the
        // capital falls. During a deferral the payment is not fixed yet; it is computed at its
        // end on the capital then, which keeps the end date whatever `keep` says.
        let left = match (self.payment, r.keep, self.terms.amortization) {
            (Some(m), Keep::Term, Amortization::Constant) if !total => Some(self.payments_left(m)?),
            _ => None,
        };
        self.capital -= amount;
        if let Some(n) = left {
            self.payment = Some(level_payment(self.capital, self.rate, n)?);
        }
        self.push(self.last, r.date, Row::Repayment, amount, Decimal::ZERO, amount, Decimal::ZERO);
        Ok(total)
    }

    /// How many payments the plan at the constant payment `m` still makes, by the rules of
    /// [`schedule`] (the last one when it repays the rest or at the loan's last month).
    fn payments_left(&self, m: Decimal) -> Result<u32> {
        let mut capital = self.capital;
        let mut count = 0;
        for k in self.last + 1..=self.terms.months {
            count += 1;
            let interest = cents(capital.checked_mul(self.rate).ok_or_else(too_large)?);
            if k == self.terms.months || capital + interest <= m {
                break;
            }
            capital -= m - interest;
        }
        Ok(count.max(1))
    }
}

/// The interest a line actually pays: all of it on payments and partially deferred lines,
/// none on repayments and on totally deferred lines (capitalised instead).
fn paid_interest(l: &Installment) -> Decimal {
    match l.row {
        Row::Payment => l.interest,
        Row::Deferred if l.capital >= Decimal::ZERO => l.interest,
        Row::Deferred | Row::Repayment => Decimal::ZERO,
    }
}

/// The constant payment repaying `capital` in `n` months at the monthly rate `rate`,
/// rounded to the cent: `C·r / (1 − (1 + r)^−n)`, computed as `C·r·f / (f − 1)` with
/// `f = (1 + r)^n` in full decimal precision; `C / n` at a zero rate.
fn level_payment(capital: Decimal, rate: Decimal, n: u32) -> Result<Decimal> {
    let n = n.max(1);
    if rate.is_zero() {
        return Ok(cents(capital.checked_div(Decimal::from(n)).ok_or_else(too_large)?));
    }
    let growth = Decimal::ONE + rate;
    let mut f = Decimal::ONE;
    for _ in 0..n {
        f = f.checked_mul(growth).ok_or_else(too_large)?;
    }
    let factor = rate.checked_mul(f).and_then(|x| x.checked_div(f - Decimal::ONE)).ok_or_else(too_large)?;
    Ok(cents(capital.checked_mul(factor).ok_or_else(too_large)?))
}

/// The date of payment `k` (1-based), counted from the first payment each time.
fn payment_date(first: NaiveDate, k: u32) -> Result<NaiveDate> {
    first
        .checked_add_months(Months::new(k - 1))
        .ok_or_else(|| Error::invalid("first_payment", "the payment dates fall outside the calendar"))
}

/// Rounds to the cent, half away from zero.
fn cents(d: Decimal) -> Decimal {
    d.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero)
}

fn too_large() -> Error {
    Error::invalid("principal", "the amounts are too large to compute")
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    fn day(y: i32, m: u32, dd: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, dd).unwrap()
    }

    fn f(x: Decimal) -> f64 {
        x.to_string().parse().unwrap()
    }

    fn terms(principal: &str, rate: &str, months: u32) -> LoanTerms {
        LoanTerms {
            principal: d(principal),
            annual_rate: d(rate),
            months,
            first_payment: day(2020, 1, 5),
            insurance: Decimal::ZERO,
            amortization: Amortization::Constant,
            deferral: Deferral::None,
            deferral_months: 0,
        }
    }

    /// The level payment in f64, `P·r / (1 − (1 + r)^−n)`, an independent reference.
    fn pmt_f64(principal: f64, annual_percent: f64, n: u32) -> f64 {
        let r = annual_percent / 1200.0;
        principal * r / (1.0 - (1.0 + r).powi(-(n as i32)))
    }

    /// Rounded to the cent in f64, as a Decimal (for values far from a half cent).
    fn cents_f64(x: f64) -> Decimal {
        d(&format!("{:.2}", x))
    }

    fn payments(s: &Schedule) -> Vec<&Installment> {
        s.installments.iter().filter(|l| l.row == Row::Payment).collect()
    }

    fn field(err: &Error) -> &'static str {
        match err {
            Error::Input(InputError::Invalid { field, .. }) => field,
            other => panic!("not an invalid field: {other:?}"),
        }
    }

    /// Invariants every schedule keeps: each line's payment is capital + interest, the
    /// remaining capital follows the capital lines, ends at zero, and the totals add up.
    fn check_invariants(t: &LoanTerms, s: &Schedule) {
        let mut remaining = cents(t.principal);
        let mut capitalised = Decimal::ZERO;
        for l in &s.installments {
            assert_eq!(l.payment, l.capital + l.interest, "line {l:?}");
            remaining -= l.capital;
            assert_eq!(l.remaining, remaining, "line {l:?}");
            if l.capital < Decimal::ZERO {
                capitalised -= l.capital;
            }
        }
        assert_eq!(remaining, Decimal::ZERO);
        assert_eq!(s.total_paid, cents(t.principal) + s.total_interest + s.total_insurance + capitalised);
        assert!(s.installments.windows(2).all(|w| w[0].date <= w[1].date), "lines in date order");
    }

    /// Case 1: A 300 000 € loan at 1.35 % over 300 months against the closed-form outstanding
    /// capital CRD_k = P(1+r)^k − M((1+r)^k − 1)/r computed in f64 with the rounded payment M.
    /// The closed form has no monthly rounding of the interest; each month's rounding moves
    /// the schedule by at most half a cent, and these errors compound and partly cancel (a
    /// random walk of ~300 steps of ±0.005 €): 0.10 € is ample, a wrong formula is far off.
    #[test]
    fn constant_loan_follows_the_closed_form() {
        let t = terms("300000", "1.35", 300);
        let s = schedule(&t, &[]).unwrap();
        let reference = pmt_f64(300_000.0, 1.35, 300);
        assert!((1100.0..1300.0).contains(&reference));
        let m = cents_f64(reference);
        let lines = payments(&s);
        assert_eq!(lines.len(), 300);
        assert!(lines[..299].iter().all(|l| l.payment == m), "every payment but the last is {m}");
        assert!((f(lines[0].payment) - reference).abs() <= 0.005);

        let r: f64 = 0.0135 / 12.0;
        let mf = f(m);
        for l in &lines[..299] {
            let g = (1.0 + r).powi(l.number as i32);
            let crd = 300_000.0 * g - mf * (g - 1.0) / r;
            assert!((f(l.remaining) - crd).abs() <= 0.10, "month {}: {} vs {crd:.4}", l.number, l.remaining);
        }
        let last = lines[299];
        assert_eq!(last.remaining, Decimal::ZERO);
        assert_eq!(last.payment, last.capital + last.interest);
        assert!((f(last.payment) - reference).abs() < 2.0, "the last payment is close to the others");
        let capital: Decimal = lines.iter().map(|l| l.capital).sum();
        assert_eq!(capital, d("300000"));
        let interest: Decimal = lines.iter().map(|l| l.interest).sum();
        assert_eq!(s.total_interest, interest);
        assert_eq!(s.total_paid, d("300000") + interest);
        assert_eq!(lines[0].interest, d("337.50"), "300 000 × 1.35 % / 12");
        check_invariants(&t, &s);
    }

    /// Case 2a: Published tables. No French bank's own table with figures was found in the stored
    /// material; these are public calculators' tables:
    ///
    /// - http://www.cosi-immobilier.com/html/loan-calculator_2013.php?action=calc&loan_amount=422000
    ///   422 000 EUR, 25 years, 3 %, monthly: payment 2 001 EUR; shown rounded to the euro:
    ///   no. 1: interest 1 055, capital 946, remaining 421 054; no. 2: 1 053, 949, 420 105;
    ///   no. 3: 1 050, 951, 419 154; no. 24: 999, 1 002, 398 627.
    /// - https://ww2.mathworks.cn/help/finance/amortize.html (MATLAB's `amortize`):
    ///   100 000 at 12 % APR over 360 months: payment 1 028.61.
    #[test]
    fn published_tables() {
        let s = schedule(&terms("422000", "3", 300), &[]).unwrap();
        let lines = payments(&s);
        assert_eq!(lines.len(), 300);
        assert_eq!(lines[0].payment.round(), d("2001"));
        let published = [
            (1, "1055", "946", "421054"),
            (2, "1053", "949", "420105"),
            (3, "1050", "951", "419154"),
            (24, "999", "1002", "398627"),
        ];
        for (n, interest, capital, remaining) in published {
            let l = lines[n - 1];
            assert_eq!(l.number as usize, n);
            assert!((l.interest - d(interest)).abs() <= d("0.5"), "no. {n} interest {}", l.interest);
            assert!((l.capital - d(capital)).abs() <= d("0.5"), "no. {n} capital {}", l.capital);
            assert!((l.remaining - d(remaining)).abs() <= d("0.5"), "no. {n} remaining {}", l.remaining);
        }

        let s = schedule(&terms("100000", "12", 360), &[]).unwrap();
        assert_eq!(s.installments[0].payment, d("1028.61"));
        assert_eq!(s.installments[0].interest, d("1000.00"));
    }

    /// Case 2b: Hand-computed: 1 000 at 12 % over 3 months, r = 1 %.
    /// (1.01)^3 = 1.030301; M = 1000 × 0.01 × 1.030301 / 0.030301 = 340.0221… → 340.02.
    /// no. 1: interest 1000 × 1 % = 10.00, capital 330.02, remaining 669.98;
    /// no. 2: interest 6.6998 → 6.70, capital 333.32, remaining 336.66;
    /// no. 3: interest 3.3666 → 3.37, the last payment repays 336.66: 340.03.
    /// Interest 20.07 in all.
    #[test]
    fn hand_computed_small_loan() {
        let s = schedule(&terms("1000", "12", 3), &[]).unwrap();
        let got: Vec<_> = s.installments.iter().map(|l| (l.payment, l.interest, l.capital, l.remaining)).collect();
        assert_eq!(
            got,
            vec![
                (d("340.02"), d("10.00"), d("330.02"), d("669.98")),
                (d("340.02"), d("6.70"), d("333.32"), d("336.66")),
                (d("340.03"), d("3.37"), d("336.66"), d("0")),
            ]
        );
        assert_eq!(s.total_interest, d("20.07"));
        assert_eq!(s.total_insurance, Decimal::ZERO);
        assert_eq!(s.total_paid, d("1020.07"));
    }

    /// Case 3: Zero rate (PTZ): 10 000 over 3 months.
    #[test]
    fn zero_rate() {
        let s = schedule(&terms("10000", "0", 3), &[]).unwrap();
        let got: Vec<_> = s.installments.iter().map(|l| (l.payment, l.interest)).collect();
        assert_eq!(got, vec![(d("3333.33"), d("0")), (d("3333.33"), d("0")), (d("3333.34"), d("0"))],);
        assert_eq!(s.total_interest, Decimal::ZERO);
        assert_eq!(s.total_paid, d("10000"));
    }

    /// Case 4: In fine: 100 000 at 2.4 % over 12 months, r = 0.2 %.
    #[test]
    fn in_fine() {
        let t = LoanTerms { amortization: Amortization::InFine, ..terms("100000", "2.4", 12) };
        let s = schedule(&t, &[]).unwrap();
        assert_eq!(s.installments.len(), 12);
        for l in &s.installments[..11] {
            assert_eq!((l.payment, l.interest, l.capital, l.remaining), (d("200"), d("200"), d("0"), d("100000")));
        }
        let last = &s.installments[11];
        assert_eq!((last.payment, last.capital, last.remaining), (d("100200"), d("100000"), d("0")));
        assert_eq!(s.total_interest, d("2400"));
        check_invariants(&t, &s);
    }

    /// Case 5a: Partial deferral: 12 months of interest only, then 228 constant payments.
    #[test]
    fn partial_deferral() {
        let t = LoanTerms {
            insurance: d("25"),
            deferral: Deferral::Partial,
            deferral_months: 12,
            ..terms("100000", "2", 240)
        };
        let s = schedule(&t, &[]).unwrap();
        assert_eq!(s.installments.len(), 240);
        for l in &s.installments[..12] {
            assert_eq!(l.row, Row::Deferred);
            // 100 000 × 2 % / 12 = 166.666… → 166.67
            assert_eq!(
                (l.payment, l.interest, l.capital, l.remaining),
                (d("166.67"), d("166.67"), d("0"), d("100000"))
            );
        }
        let m = cents_f64(pmt_f64(100_000.0, 2.0, 228));
        let after = &s.installments[12..];
        assert!(after.iter().all(|l| l.row == Row::Payment));
        assert!(after[..227].iter().all(|l| l.payment == m));
        assert!(s.installments.iter().all(|l| l.insurance == d("25")));
        assert_eq!(s.total_insurance, d("6000"));
        let interest: Decimal = s.installments.iter().map(|l| l.interest).sum();
        assert_eq!(s.total_interest, interest, "deferred interest is paid");
        check_invariants(&t, &s);
    }

    /// Case 5b: Total deferral: 6 months capitalised, then 114 constant payments on the grown capital.
    #[test]
    fn total_deferral() {
        let t = LoanTerms {
            insurance: d("10"),
            deferral: Deferral::Total,
            deferral_months: 6,
            ..terms("100000", "2.4", 120)
        };
        let s = schedule(&t, &[]).unwrap();
        assert_eq!(s.installments.len(), 120);
        // r = 0.2 %: 200.00, then 100 200 × 0.2 % = 200.40, then 100 400.40 × 0.2 % = 200.8008 → 200.80.
        let first: Vec<_> =
            s.installments[..3].iter().map(|l| (l.payment, l.interest, l.capital, l.remaining)).collect();
        assert_eq!(
            first,
            vec![
                (d("0"), d("200.00"), d("-200.00"), d("100200.00")),
                (d("0"), d("200.40"), d("-200.40"), d("100400.40")),
                (d("0"), d("200.80"), d("-200.80"), d("100601.20")),
            ]
        );
        let mut capital = 100_000.0_f64;
        for l in &s.installments[..6] {
            assert_eq!(l.row, Row::Deferred);
            assert_eq!(l.payment, Decimal::ZERO);
            let interest = (capital * 0.002 * 100.0).round() / 100.0;
            assert!((f(l.interest) - interest).abs() < 1e-6, "month {}", l.number);
            capital += interest;
            assert!((f(l.remaining) - capital).abs() < 1e-6);
        }
        let m = cents_f64(pmt_f64(capital, 2.4, 114));
        assert!(s.installments[6..119].iter().all(|l| l.row == Row::Payment && l.payment == m));
        assert!(s.installments.iter().all(|l| l.insurance == d("10")));
        assert_eq!(s.total_insurance, d("1200"));
        let paid: Decimal = s.installments[6..].iter().map(|l| l.interest).sum();
        assert_eq!(s.total_interest, paid, "the capitalised interest is not counted as paid");
        check_invariants(&t, &s);
    }

    /// Case 6a: A partial repayment keeping the payment shortens the term.
    #[test]
    fn repayment_keeping_the_payment_shortens_the_term() {
        let t = terms("100000", "2.4", 120);
        let base = schedule(&t, &[]).unwrap();
        let m = base.installments[0].payment;
        // Paid on the date of payment no. 13: it comes right after it.
        let rep = Repayment { date: day(2021, 1, 5), amount: Some(d("20000")), keep: Keep::Payment };
        let s = schedule(&t, &[rep]).unwrap();
        let line = &s.installments[13];
        assert_eq!((line.row, line.number, line.capital, line.interest), (Row::Repayment, 13, d("20000"), d("0")));
        assert_eq!(line.remaining, s.installments[12].remaining - d("20000"));
        let lines = payments(&s);
        assert!(lines[..lines.len() - 1].iter().all(|l| l.payment == m), "same payment");
        assert!(lines.last().unwrap().payment <= m);
        // Independent count: n = −ln(1 − C·r/M) / ln(1 + r) payments after no. 13.
        let (c, r) = (f(line.remaining), 0.002);
        let n = (-(1.0 - c * r / f(m)).ln() / (1.0_f64 + r).ln()).ceil() as usize;
        assert_eq!(lines.len(), 13 + n);
        assert!(lines.len() < 120);
        assert!(s.total_interest < base.total_interest);
        check_invariants(&t, &s);
    }

    /// Case 6b: A partial repayment keeping the term lowers the payment; the end date stays.
    #[test]
    fn repayment_keeping_the_term_lowers_the_payment() {
        let t = terms("100000", "2.4", 120);
        let base = schedule(&t, &[]).unwrap();
        let rep = Repayment { date: day(2021, 1, 20), amount: Some(d("20000")), keep: Keep::Term };
        let s = schedule(&t, &[rep]).unwrap();
        assert_eq!(s.installments.len(), 121);
        assert_eq!(s.installments[13].row, Row::Repayment);
        assert_eq!(s.installments[13].date, day(2021, 1, 20));
        assert_eq!(s.installments.last().unwrap().date, base.installments.last().unwrap().date);
        let m = cents_f64(pmt_f64(f(s.installments[13].remaining), 2.4, 107));
        assert!(m < base.installments[0].payment);
        assert!(s.installments[14..120].iter().all(|l| l.payment == m));
        check_invariants(&t, &s);
    }

    /// Case 6c: A total repayment (no amount, or the whole remaining capital) ends the schedule.
    #[test]
    fn total_repayment_ends_the_schedule() {
        let t = LoanTerms { insurance: d("15"), ..terms("100000", "2.4", 120) };
        let base = schedule(&t, &[]).unwrap();
        let rep = Repayment { date: day(2022, 2, 10), amount: None, keep: Keep::Payment };
        let s = schedule(&t, std::slice::from_ref(&rep)).unwrap();
        assert_eq!(s.installments.len(), 27);
        let last = s.installments.last().unwrap();
        assert_eq!((last.row, last.number, last.remaining), (Row::Repayment, 26, d("0")));
        assert_eq!(last.capital, base.installments[25].remaining);
        assert_eq!(s.total_insurance, d("390"), "26 months of insurance, none after");
        check_invariants(&t, &s);

        let exact = Repayment { amount: Some(base.installments[25].remaining), ..rep.clone() };
        assert_eq!(schedule(&t, &[exact]).unwrap(), s);

        let later = Repayment { date: day(2023, 1, 1), amount: Some(d("10")), keep: Keep::Term };
        let err = schedule(&t, &[later, rep]).unwrap_err();
        assert_eq!((err.code(), field(&err)), ("invalid_input", "date"));
    }

    /// Case 6d: Repayments before the first payment, during a deferral, and on an in-fine loan.
    #[test]
    fn repayments_before_start_during_deferral_and_in_fine() {
        let t = terms("1000", "12", 3);
        let rep = Repayment { date: day(2019, 12, 1), amount: Some(d("400")), keep: Keep::Term };
        let s = schedule(&t, &[rep]).unwrap();
        assert_eq!((s.installments[0].row, s.installments[0].number), (Row::Repayment, 0));
        assert_eq!(s.installments[1].interest, d("6.00"));
        check_invariants(&t, &s);

        let t = LoanTerms { deferral: Deferral::Partial, deferral_months: 4, ..terms("100000", "2.4", 24) };
        let rep = Repayment { date: day(2020, 2, 15), amount: Some(d("50000")), keep: Keep::Payment };
        let s = schedule(&t, &[rep]).unwrap();
        assert_eq!(s.installments[2].row, Row::Repayment);
        assert_eq!(s.installments[3].row, Row::Deferred);
        assert_eq!(s.installments[3].interest, d("100.00"), "the deferral continues on 50 000");
        let m = cents_f64(pmt_f64(50_000.0, 2.4, 20));
        assert_eq!(s.installments[5].payment, m);
        check_invariants(&t, &s);

        let t = LoanTerms { amortization: Amortization::InFine, ..terms("100000", "2.4", 12) };
        let rep = Repayment { date: day(2020, 6, 5), amount: Some(d("40000")), keep: Keep::Term };
        let s = schedule(&t, &[rep]).unwrap();
        assert_eq!(s.installments[5].interest, d("200.00"));
        assert_eq!(s.installments[7].interest, d("120.00"));
        assert_eq!(s.installments.last().unwrap().payment, d("60120.00"));
        check_invariants(&t, &s);
    }

    /// Case 6e: Bad repayments and bad terms.
    #[test]
    fn errors() {
        let t = terms("1000", "12", 3);
        let too_much = Repayment { date: day(2020, 2, 10), amount: Some(d("700")), keep: Keep::Payment };
        assert_eq!(schedule(&t, &[too_much]).unwrap_err().code(), "repayment_exceeds_capital");
        for amount in ["0", "-5", "0.001"] {
            let bad = Repayment { date: day(2020, 2, 10), amount: Some(d(amount)), keep: Keep::Payment };
            let err = schedule(&t, &[bad]).unwrap_err();
            assert_eq!((err.code(), field(&err)), ("invalid_input", "amount"), "{amount}");
        }
        let after = Repayment { date: day(2020, 3, 5), amount: Some(d("1")), keep: Keep::Payment };
        assert_eq!(field(&schedule(&t, &[after]).unwrap_err()), "date", "on the day of the last payment");

        for months in [0, 601] {
            assert_eq!(validate(&terms("1000", "1", months)).unwrap_err().code(), "loan_term_invalid");
        }
        assert!(validate(&terms("1000", "1", 600)).is_ok());
        for rate in ["-0.01", "100.01"] {
            assert_eq!(validate(&terms("1000", rate, 12)).unwrap_err().code(), "rate_out_of_range");
        }
        assert!(schedule(&terms("1000", "100", 600), &[]).is_ok());
        for principal in ["0", "-1"] {
            let err = validate(&terms(principal, "1", 12)).unwrap_err();
            assert_eq!((err.code(), field(&err)), ("invalid_input", "principal"));
        }
        let err = validate(&LoanTerms { insurance: d("-1"), ..terms("1000", "1", 12) }).unwrap_err();
        assert_eq!((err.code(), field(&err)), ("invalid_input", "insurance"));
        let no_kind = LoanTerms { deferral_months: 2, ..terms("1000", "1", 12) };
        let too_long = LoanTerms { deferral: Deferral::Total, deferral_months: 12, ..terms("1000", "1", 12) };
        for bad in [no_kind, too_long] {
            let err = schedule(&bad, &[]).unwrap_err();
            assert_eq!((err.code(), field(&err)), ("invalid_input", "deferral_months"));
        }
    }

    /// Case 7: Outstanding capital on a date and interest and insurance paid between two dates.
    #[test]
    fn outstanding_and_paid_between() {
        let t = LoanTerms { insurance: d("2.50"), ..terms("1000", "12", 3) };
        let s = schedule(&t, &[]).unwrap();
        assert_eq!(s.outstanding_on(day(2020, 1, 4), d("1000")), d("1000"));
        assert_eq!(s.outstanding_on(day(2020, 1, 5), d("1000")), d("669.98"));
        assert_eq!(s.outstanding_on(day(2020, 2, 4), d("1000")), d("669.98"));
        assert_eq!(s.outstanding_on(day(2020, 2, 5), d("1000")), d("336.66"));
        assert_eq!(s.outstanding_on(day(2030, 1, 1), d("1000")), d("0"));
        assert_eq!(s.paid_between(day(2020, 1, 5), day(2020, 3, 5)), (d("10.07"), d("5.00")));
        assert_eq!(s.paid_between(day(2019, 1, 1), day(2020, 12, 31)), (d("20.07"), d("7.50")));
        assert_eq!(s.paid_between(day(2020, 3, 5), day(2021, 1, 1)), (d("0"), d("0")));

        let t = LoanTerms { deferral: Deferral::Total, deferral_months: 1, ..terms("1000", "12", 3) };
        let s = schedule(&t, &[]).unwrap();
        assert_eq!(s.outstanding_on(day(2020, 1, 5), d("1000")), d("1010.00"));
        assert_eq!(s.paid_between(day(2019, 1, 1), day(2020, 1, 31)).0, d("0"), "capitalised, not paid");
    }

    /// Case 8: Payment dates are counted from the first one: the 31st stays the 31st when it can.
    #[test]
    fn payment_dates() {
        let t = LoanTerms { first_payment: day(2019, 1, 31), ..terms("1000", "12", 4) };
        let s = schedule(&t, &[]).unwrap();
        let dates: Vec<_> = s.installments.iter().map(|l| l.date).collect();
        assert_eq!(dates, vec![day(2019, 1, 31), day(2019, 2, 28), day(2019, 3, 31), day(2019, 4, 30)]);
    }

    /// Tokens round-trip, and decimals cross serde as strings.
    #[test]
    fn tokens_and_serde() {
        for a in [Amortization::Constant, Amortization::InFine] {
            assert_eq!(Amortization::parse(a.as_str()), Some(a));
            assert_eq!(serde_json::to_value(a).unwrap(), a.as_str());
        }
        for x in [Deferral::None, Deferral::Partial, Deferral::Total] {
            assert_eq!(Deferral::parse(x.as_str()), Some(x));
            assert_eq!(serde_json::to_value(x).unwrap(), x.as_str());
        }
        for k in [Keep::Payment, Keep::Term] {
            assert_eq!(Keep::parse(k.as_str()), Some(k));
            assert_eq!(serde_json::to_value(k).unwrap(), k.as_str());
        }
        for r in [Row::Payment, Row::Deferred, Row::Repayment] {
            assert_eq!(Row::parse(r.as_str()), Some(r));
            assert_eq!(serde_json::to_value(r).unwrap(), r.as_str());
        }
        assert_eq!(Amortization::parse("bullet"), None);
        let s = schedule(&terms("1000", "12", 3), &[]).unwrap();
        let json = serde_json::to_value(&s.installments[0]).unwrap();
        assert_eq!(json["payment"], "340.02");
        assert_eq!(json["row"], "payment");
        let rep: Repayment = serde_json::from_str(r#"{"date":"2020-02-01","keep":"term"}"#).unwrap();
        assert_eq!(rep.amount, None);
        assert_eq!(serde_json::from_value::<Schedule>(serde_json::to_value(&s).unwrap()).unwrap(), s);
    }
}
