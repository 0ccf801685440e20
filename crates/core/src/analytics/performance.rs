//! What changed over a range, per account or for the whole profile, and why: money
//! brought in (cash flows, and items that appear: an asset's first value is a
//! contribution, not a gain; one whose value drops to zero takes its last value out),
//! revaluation of the assets (the gain), and the debts (new borrowing, capital repaid).
//! Returns are measured on the assets alone: time-weighted (TWR, chain-linked between
//! flows) and money-weighted (XIRR), each only where it is defined, with the reason
//! where it is not. Amounts stay exact decimals; the returns themselves are ratios,
//! computed in `f64` and rounded to six decimals (a return is not money).

use std::collections::{BTreeMap, HashMap};

use chrono::NaiveDate;
use rust_decimal::prelude::ToPrimitive;
use serde::Serialize;
use ts_rs::TS;

use crate::analytics::round_money;
use crate::error::{Error, Result};
use crate::money::Decimal;
use crate::vault::Vault;
use crate::wealth::fx::Converter;
use crate::wealth::portfolio::{Asset, Derived};

/// Why a return is not given.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum NoReturn {
    /// No asset held any value during the range: nothing was invested.
    NothingInvested,
    /// The range holds only debts: a debt has no return (see capital repaid).
    LiabilitiesOnly,
    /// No asset's value was updated within the range (values entered once measure nothing).
    NoRevaluation,
    /// The money-weighted return has no solution for these flows.
    NoSolution,
}

/// Performance over `[from, to]`. The change of net worth is
/// `net_flows + new_items − removed_items + gain − new_debt + capital_repaid`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, TS)]
pub struct Performance {
    /// Account (None: whole profile).
    pub account_id: Option<i64>,
    /// Start of the range.
    pub from: NaiveDate,
    /// End of the range.
    pub to: NaiveDate,
    /// Net value at the start (assets − debts, base currency).
    #[ts(as = "crate::money::DecimalTs")]
    #[serde(with = "rust_decimal::serde::str")]
    pub start_value: Decimal,
    /// Net value at the end.
    #[ts(as = "crate::money::DecimalTs")]
    #[serde(with = "rust_decimal::serde::str")]
    pub end_value: Decimal,
    /// Contributions minus withdrawals entered as cash flows within the range.
    #[ts(as = "crate::money::DecimalTs")]
    #[serde(with = "rust_decimal::serde::str")]
    pub net_flows: Decimal,
    /// First values of the assets that appeared within the range (brought in, not gained).
    #[ts(as = "crate::money::DecimalTs")]
    #[serde(with = "rust_decimal::serde::str")]
    pub new_items: Decimal,
    /// Last values of the assets whose value dropped to zero within the range (taken out).
    #[ts(as = "crate::money::DecimalTs")]
    #[serde(with = "rust_decimal::serde::str")]
    pub removed_items: Decimal,
    /// Revaluation of the assets: end − start − net flows − new items + removed items.
    #[ts(as = "crate::money::DecimalTs")]
    #[serde(with = "rust_decimal::serde::str")]
    pub gain: Decimal,
    /// Outstanding debts at the start (positive).
    #[ts(as = "crate::money::DecimalTs")]
    #[serde(with = "rust_decimal::serde::str")]
    pub debt_start: Decimal,
    /// Outstanding debts at the end (positive).
    #[ts(as = "crate::money::DecimalTs")]
    #[serde(with = "rust_decimal::serde::str")]
    pub debt_end: Decimal,
    /// First amounts of the debts that appeared within the range (new borrowing).
    #[ts(as = "crate::money::DecimalTs")]
    #[serde(with = "rust_decimal::serde::str")]
    pub new_debt: Decimal,
    /// Capital repaid: debt at the start + new debt − debt at the end.
    #[ts(as = "crate::money::DecimalTs")]
    #[serde(with = "rust_decimal::serde::str")]
    pub capital_repaid: Decimal,
    /// Interest paid within the range on the loans held with their terms (their shares
    /// applied): what the debts cost. It is paid from the accounts, so it is already in
    /// their values; it is reported here, not counted twice.
    #[ts(as = "crate::money::DecimalTs")]
    #[serde(with = "rust_decimal::serde::str")]
    pub interest_paid: Decimal,
    /// Time-weighted return of the assets over the range (0.05 = 5 %), if defined.
    #[ts(as = "Option<crate::money::DecimalTs>")]
    #[serde(with = "rust_decimal::serde::str_option")]
    pub twr: Option<Decimal>,
    /// Why `twr` is not given.
    pub twr_missing: Option<NoReturn>,
    /// Annualised money-weighted return (XIRR) of the assets, if defined.
    #[ts(as = "Option<crate::money::DecimalTs>")]
    #[serde(with = "rust_decimal::serde::str_option")]
    pub xirr: Option<Decimal>,
    /// Why `xirr` is not given.
    pub xirr_missing: Option<NoReturn>,
}

fn ratio(x: f64) -> Option<Decimal> {
    if !x.is_finite() {
        return None;
    }
    Decimal::from_f64_retain(x).map(|d| d.round_dp(6))
}

/// Time-weighted return: `values[i]` is the value at the end of sub-period `i` (after
/// that day's flows), `flows[i]` the net flow on that day; `values[0]` is the start.
/// Sub-periods starting from zero are skipped.
pub fn time_weighted_return(values: &[f64], flows: &[f64]) -> Option<f64> {
    if values.len() < 2 || values.len() != flows.len() {
        return None;
    }
    let mut growth = 1.0;
    let mut any = false;
    for i in 1..values.len() {
        let start = values[i - 1];
        if start.abs() < 1e-9 {
            continue;
        }
        growth *= (values[i] - flows[i]) / start;
        any = true;
    }
    any.then_some(growth - 1.0)
}

/// XIRR: the annual rate `r` with Σ amountᵢ / (1 + r)^(daysᵢ / 365) = 0, where amounts
/// are from the investor's side (money in negative, money out positive). Newton's
/// method with a bisection fallback; `None` when there is no sign change.
pub fn xirr(flows: &[(NaiveDate, f64)]) -> Option<f64> {
    let first = flows.iter().map(|f| f.0).min()?;
    let t: Vec<(f64, f64)> = flows.iter().map(|(d, a)| ((*d - first).num_days() as f64 / 365.0, *a)).collect();
    if !(t.iter().any(|x| x.1 > 0.0) && t.iter().any(|x| x.1 < 0.0)) {
        return None;
    }
    let npv = |r: f64| t.iter().map(|(y, a)| a / (1.0 + r).powf(*y)).sum::<f64>();
    let dnpv = |r: f64| t.iter().map(|(y, a)| -y * a / (1.0 + r).powf(y + 1.0)).sum::<f64>();
    let mut r = 0.1;
    for _ in 0..50 {
        let (f, df) = (npv(r), dnpv(r));
        if !f.is_finite() || !df.is_finite() || df.abs() < 1e-12 {
            break;
        }
        let next = r - f / df;
        if next <= -0.999_999 || !next.is_finite() {
            break;
        }
        if (next - r).abs() < 1e-10 {
            return Some(next);
        }
        r = next;
    }
    // Bisection over a wide bracket.
    let (mut lo, mut hi) = (-0.999_999, 1.0);
    while npv(lo).signum() == npv(hi).signum() && hi < 1e6 {
        hi *= 2.0;
    }
    if npv(lo).signum() == npv(hi).signum() {
        return None;
    }
    for _ in 0..300 {
        let mid = (lo + hi) / 2.0;
        if npv(lo).signum() == npv(mid).signum() {
            lo = mid;
        } else {
            hi = mid;
        }
        if hi - lo < 1e-12 {
            break;
        }
    }
    Some((lo + hi) / 2.0)
}

/// One asset's values over a range: the value in force at the start and the points
/// within `(from, to]`, in date order, in the asset's currency, before its share.
struct Holding {
    account_id: Option<i64>,
    /// A position or an account's cash from activities: what enters or leaves it is
    /// the account's deposits, withdrawals and transfers, not its first or last value.
    from_activities: bool,
    liability: bool,
    asset: Asset,
    currency: String,
    at_from: Option<Decimal>,
    points: Vec<(NaiveDate, Decimal)>,
}

impl Holding {
    /// The part of its value held on `date` (0–1).
    fn share(&self, date: NaiveDate) -> Result<Decimal> {
        Ok(self.asset.share_on(date)? / Decimal::ONE_HUNDRED)
    }

    /// The value in force on `date` (in the range), in the asset's currency.
    fn native_at(&self, date: NaiveDate) -> Decimal {
        self.points.iter().rev().find(|(d, _)| *d <= date).map(|p| p.1).or(self.at_from).unwrap_or_default()
    }
}

/// Every asset's values over one range, read once for all the accounts of a computation.
struct Holdings {
    from: NaiveDate,
    to: NaiveDate,
    all: Vec<Holding>,
    /// Deposits, withdrawals and transfers of the accounts with activities within the
    /// range: (account, date, amount, currency).
    activity_flows: Vec<(i64, NaiveDate, Decimal, String)>,
    /// Interest paid within the range per loan held with its terms (before shares).
    loan_interest: Vec<(i64, Decimal)>,
}

impl Holdings {
    fn read(vault: &Vault, from: NaiveDate, to: NaiveDate) -> Result<Holdings> {
        let at_from: HashMap<i64, Decimal> = crate::analytics::values_at(vault, from)?.into_iter().collect();
        let mut points: HashMap<i64, Vec<(NaiveDate, Decimal)>> = HashMap::new();
        let mut st = vault.conn.prepare_cached(
            "SELECT asset_id, date, value FROM value_point WHERE date > ?1 AND date <= ?2 ORDER BY asset_id, date",
        )?;
        let mut rows = st.query([from, to])?;
        while let Some(r) = rows.next()? {
            let v: String = r.get(2)?;
            points.entry(r.get(0)?).or_default().push((r.get(1)?, crate::money::from_db(&v)?));
        }
        let all = vault
            .assets()?
            .into_iter()
            .map(|a| Holding {
                account_id: a.account_id,
                from_activities: matches!(a.derived, Some(Derived::Position | Derived::Cash)),
                liability: a.liability,
                currency: a.currency.clone(),
                at_from: at_from.get(&a.id).copied(),
                points: points.remove(&a.id).unwrap_or_default(),
                asset: a,
            })
            .collect();
        Ok(Holdings {
            from,
            to,
            all,
            activity_flows: vault.activity_flows(None, from, to)?,
            loan_interest: vault.loan_interest_between(from, to)?,
        })
    }
}

/// The factor into the base currency on `date`; a missing rate is an error naming it.
fn factor(conv: &mut Converter<'_>, currency: &str, date: NaiveDate) -> Result<Decimal> {
    conv.factor(currency, date)?.ok_or_else(|| Error::invalid("fx", format!("no exchange rate for {currency}")))
}

impl Vault {
    /// Performance of every account open during `[from, to]`, in one pass.
    pub fn performance_by_account(&self, from: NaiveDate, to: NaiveDate) -> Result<Vec<Performance>> {
        check_range(from, to)?;
        let holdings = Holdings::read(self, from, to)?;
        let mut out = vec![];
        for a in self.accounts()? {
            if a.closed_on.is_some_and(|c| c < from) {
                continue;
            }
            out.push(self.performance_of(Some(a.id), &holdings)?);
        }
        Ok(out)
    }

    /// Performance of one account (or the whole profile when `None`) over `[from, to]`.
    pub fn performance(&self, account: Option<i64>, from: NaiveDate, to: NaiveDate) -> Result<Performance> {
        check_range(from, to)?;
        self.performance_of(account, &Holdings::read(self, from, to)?)
    }

    fn performance_of(&self, account: Option<i64>, holdings: &Holdings) -> Result<Performance> {
        let (from, to) = (holdings.from, holdings.to);
        let base = self.base_currency()?;
        let mut conv = Converter::new(self, &base);
        let scope: Vec<&Holding> =
            holdings.all.iter().filter(|h| account.is_none() || h.account_id == account).collect();

        // External flows into the assets, per date: cash flows, items appearing (+) and
        // items leaving (−).
        let mut flows: BTreeMap<NaiveDate, Decimal> = BTreeMap::new();
        let (mut new_items, mut removed_items, mut new_debt) = (Decimal::ZERO, Decimal::ZERO, Decimal::ZERO);
        let mut revaluations = 0usize;
        let mut invested = false;
        for h in &scope {
            let mut prev = h.at_from.unwrap_or_default();
            invested |= !h.liability && !prev.is_zero();
            for (d, v) in &h.points {
                let (was, is) = (!prev.is_zero(), !v.is_zero());
                if h.from_activities {
                    if was && is {
                        revaluations += 1;
                    }
                    invested |= is;
                } else if h.liability {
                    if !was && is {
                        new_debt += *v * h.share(*d)? * factor(&mut conv, &h.currency, *d)?;
                    }
                } else if !was && is {
                    let amount = *v * h.share(*d)? * factor(&mut conv, &h.currency, *d)?;
                    new_items += amount;
                    *flows.entry(*d).or_default() += amount;
                    invested = true;
                } else if was && !is {
                    let amount = prev * h.share(*d)? * factor(&mut conv, &h.currency, *d)?;
                    removed_items += amount;
                    *flows.entry(*d).or_default() -= amount;
                } else if was {
                    revaluations += 1;
                }
                prev = *v;
            }
        }
        let currency_of: HashMap<i64, String> = self.accounts()?.into_iter().map(|a| (a.id, a.currency)).collect();
        let mut net_flows = Decimal::ZERO;
        for f in self.cash_flows(account)? {
            if f.date <= from || f.date > to {
                continue;
            }
            let cur = currency_of.get(&f.account_id).map_or(base.as_str(), String::as_str);
            let amount = f.amount * factor(&mut conv, cur, f.date)?;
            net_flows += amount;
            *flows.entry(f.date).or_default() += amount;
        }

        // Deposits, withdrawals and transfers of units of the accounts with activities.
        for (_, d, amount, cur) in holdings.activity_flows.iter().filter(|f| account.is_none() || Some(f.0) == account)
        {
            let (d, amount) = (*d, *amount);
            let amount = amount * factor(&mut conv, cur, d)?;
            net_flows += amount;
            *flows.entry(d).or_default() += amount;
        }

        let mut interest_paid = Decimal::ZERO;
        for (id, interest) in &holdings.loan_interest {
            if let Some(h) = scope.iter().find(|h| h.asset.id == *id) {
                interest_paid += interest * h.share(to)? * factor(&mut conv, &h.currency, to)?;
            }
        }

        // Assets' and debts' values (base currency, after shares) on a date.
        let mut totals = |date: NaiveDate, liability: bool| -> Result<Decimal> {
            let mut sum = Decimal::ZERO;
            for h in scope.iter().filter(|h| h.liability == liability) {
                let v = h.native_at(date);
                if !v.is_zero() {
                    sum += v * h.share(date)? * factor(&mut conv, &h.currency, date)?;
                }
            }
            Ok(sum)
        };
        let mut dates = vec![from];
        dates.extend(flows.keys().copied().filter(|d| *d < to));
        dates.push(to);
        let (debt_start, debt_end) = (totals(from, true)?, totals(to, true)?);
        // The assets' value at every flow date: one walk along each asset's points (an
        // account with activities has a flow date per deposit).
        let mut values = vec![Decimal::ZERO; dates.len()];
        for h in scope.iter().filter(|h| !h.liability) {
            let mut next = 0;
            let mut in_force = h.at_from.unwrap_or_default();
            for (i, d) in dates.iter().enumerate() {
                while next < h.points.len() && h.points[next].0 <= *d {
                    in_force = h.points[next].1;
                    next += 1;
                }
                if !in_force.is_zero() {
                    values[i] += in_force * h.share(*d)? * factor(&mut conv, &h.currency, *d)?;
                }
            }
        }
        let (start, end) = (values[0], values.last().copied().unwrap_or_default());

        let missing = if !invested {
            let has_debt = scope.iter().any(|h| h.liability && (h.at_from.is_some() || !h.points.is_empty()));
            Some(if has_debt { NoReturn::LiabilitiesOnly } else { NoReturn::NothingInvested })
        } else if revaluations == 0 {
            Some(NoReturn::NoRevaluation)
        } else {
            None
        };
        let f64s = |v: &[Decimal]| v.iter().map(|d| d.to_f64().unwrap_or(0.0)).collect::<Vec<_>>();
        let flow_at: Vec<Decimal> = dates
            .iter()
            .enumerate()
            .map(|(i, d)| if i == 0 { Decimal::ZERO } else { flows.get(d).copied().unwrap_or_default() })
            .collect();
        let (twr, twr_missing) = match missing {
            Some(why) => (None, Some(why)),
            None => match time_weighted_return(&f64s(&values), &f64s(&flow_at)).and_then(ratio) {
                Some(r) => (Some(r), None),
                None => (None, Some(NoReturn::NothingInvested)),
            },
        };
        let (xirr, xirr_missing) = match twr_missing {
            Some(why) => (None, Some(why)),
            None => {
                let mut xf: Vec<(NaiveDate, f64)> = vec![(from, -start.to_f64().unwrap_or(0.0))];
                xf.extend(flows.iter().map(|(d, a)| (*d, -a.to_f64().unwrap_or(0.0))));
                xf.push((to, end.to_f64().unwrap_or(0.0)));
                match xirr(&xf).and_then(ratio) {
                    Some(r) => (Some(r), None),
                    None => (None, Some(NoReturn::NoSolution)),
                }
            }
        };
        Ok(Performance {
            account_id: account,
            from,
            to,
            start_value: round_money(start - debt_start),
            end_value: round_money(end - debt_end),
            net_flows: round_money(net_flows),
            new_items: round_money(new_items),
            removed_items: round_money(removed_items),
            gain: round_money(end - start - net_flows - new_items + removed_items),
            debt_start: round_money(debt_start),
            debt_end: round_money(debt_end),
            new_debt: round_money(new_debt),
            capital_repaid: round_money(debt_start + new_debt - debt_end),
            interest_paid: round_money(interest_paid),
            twr,
            twr_missing,
            xirr,
            xirr_missing,
        })
    }
}

fn check_range(from: NaiveDate, to: NaiveDate) -> Result<()> {
    if to <= from {
        return Err(Error::invalid("to", "the end of the range must be after its start"));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn xirr_matches_the_spreadsheet_reference_example() {
        // The classic XIRR example: result 0.373362535 (37.34 %).
        let flows = [
            (d("2008-01-01"), -10000.0),
            (d("2008-03-01"), 2750.0),
            (d("2008-10-30"), 4250.0),
            (d("2009-02-15"), 3250.0),
            (d("2009-04-01"), 2750.0),
        ];
        let r = xirr(&flows).unwrap();
        assert!((r - 0.373362535).abs() < 1e-6, "{r}");
    }

    #[test]
    fn xirr_of_a_plain_year_is_the_growth() {
        let r = xirr(&[(d("2023-01-01"), -100.0), (d("2024-01-01"), 110.0)]).unwrap();
        assert!((r - 0.1).abs() < 1e-9, "{r}");
        assert!(xirr(&[(d("2023-01-01"), 100.0), (d("2024-01-01"), 110.0)]).is_none());
        let loss = xirr(&[(d("2023-01-01"), -100.0), (d("2024-01-01"), 50.0)]).unwrap();
        assert!((loss + 0.5).abs() < 1e-9, "{loss}");
    }

    #[test]
    fn twr_ignores_the_size_of_flows() {
        // 100 → 110 (+10 %), then +1000 contributed: 1110 → 1221 (+10 %). TWR = 21 %.
        let r = time_weighted_return(&[100.0, 1110.0, 1221.0], &[0.0, 1000.0, 0.0]).unwrap();
        assert!((r - 0.21).abs() < 1e-12, "{r}");
        assert!(time_weighted_return(&[0.0, 0.0], &[0.0, 0.0]).is_none());
    }
}
