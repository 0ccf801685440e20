//! Investment performance over a range, per account or for the whole profile:
//! time-weighted return (TWR, chain-linked between cash flows) and money-weighted
//! return (XIRR). Amounts stay exact decimals; the returns themselves are ratios,
//! computed in `f64` and rounded to six decimals (a return is not money).

use std::collections::BTreeMap;

use chrono::NaiveDate;
use rust_decimal::prelude::ToPrimitive;
use serde::Serialize;
use ts_rs::TS;

use crate::analytics::round_money;
use crate::error::{Error, Result};
use crate::money::Decimal;
use crate::vault::Vault;
use crate::wealth::fx::Converter;

/// Performance over `[from, to]`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, TS)]
pub struct Performance {
    /// Account (None: whole profile).
    pub account_id: Option<i64>,
    /// Start of the range.
    pub from: NaiveDate,
    /// End of the range.
    pub to: NaiveDate,
    /// Value at the start (base currency).
    #[ts(as = "crate::money::DecimalTs")]
    #[serde(with = "rust_decimal::serde::str")]
    pub start_value: Decimal,
    /// Value at the end.
    #[ts(as = "crate::money::DecimalTs")]
    #[serde(with = "rust_decimal::serde::str")]
    pub end_value: Decimal,
    /// Contributions minus withdrawals within the range.
    #[ts(as = "crate::money::DecimalTs")]
    #[serde(with = "rust_decimal::serde::str")]
    pub net_flows: Decimal,
    /// Gain: end − start − net flows.
    #[ts(as = "crate::money::DecimalTs")]
    #[serde(with = "rust_decimal::serde::str")]
    pub gain: Decimal,
    /// Time-weighted return over the range (0.05 = 5 %), if defined.
    #[ts(as = "Option<crate::money::DecimalTs>")]
    #[serde(with = "rust_decimal::serde::str_option")]
    pub twr: Option<Decimal>,
    /// Annualised money-weighted return (XIRR), if it converges.
    #[ts(as = "Option<crate::money::DecimalTs>")]
    #[serde(with = "rust_decimal::serde::str_option")]
    pub xirr: Option<Decimal>,
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

/// Assets and their values per date, shared by the accounts of one computation.
struct ValueCache {
    assets: std::collections::HashMap<i64, crate::wealth::portfolio::Asset>,
    totals: std::collections::HashMap<NaiveDate, std::collections::HashMap<Option<i64>, Decimal>>,
}

impl ValueCache {
    fn new(vault: &Vault) -> Result<ValueCache> {
        Ok(ValueCache { assets: vault.assets()?.into_iter().map(|a| (a.id, a)).collect(), totals: Default::default() })
    }
}

impl Vault {
    /// Value of an account (or the profile) on a date, in the base currency. `cache`
    /// keeps every account's value per date, so computing many accounts costs one pass
    /// of seeks per date.
    fn scope_value(
        &self,
        account: Option<i64>,
        date: NaiveDate,
        conv: &mut Converter<'_>,
        cache: &mut ValueCache,
    ) -> Result<Decimal> {
        if !cache.totals.contains_key(&date) {
            // Every account's value (and the profile's, under `None`) on this date.
            let mut totals: std::collections::HashMap<Option<i64>, Decimal> = Default::default();
            for (id, value) in crate::analytics::values_at(self, date)? {
                let Some(a) = cache.assets.get(&id) else { continue };
                let fx = conv
                    .factor(&a.currency, date)?
                    .ok_or_else(|| Error::invalid("fx", format!("no exchange rate for {}", a.currency)))?;
                let v = value * a.share_pct / Decimal::ONE_HUNDRED * fx;
                let v = if a.liability { -v } else { v };
                *totals.entry(None).or_default() += v;
                if a.account_id.is_some() {
                    *totals.entry(a.account_id).or_default() += v;
                }
            }
            cache.totals.insert(date, totals);
        }
        Ok(cache.totals[&date].get(&account).copied().unwrap_or_default())
    }

    /// Performance of every account open during `[from, to]`, in one pass.
    pub fn performance_by_account(&self, from: NaiveDate, to: NaiveDate) -> Result<Vec<Performance>> {
        let mut cache = ValueCache::new(self)?;
        let mut out = vec![];
        for a in self.accounts()? {
            if a.closed_on.is_some_and(|c| c < from) {
                continue;
            }
            out.push(self.performance_cached(Some(a.id), from, to, &mut cache)?);
        }
        Ok(out)
    }

    /// TWR and XIRR of one account (or the whole profile when `None`) over `[from, to]`.
    pub fn performance(&self, account: Option<i64>, from: NaiveDate, to: NaiveDate) -> Result<Performance> {
        self.performance_cached(account, from, to, &mut ValueCache::new(self)?)
    }

    fn performance_cached(
        &self,
        account: Option<i64>,
        from: NaiveDate,
        to: NaiveDate,
        cache: &mut ValueCache,
    ) -> Result<Performance> {
        if to <= from {
            return Err(Error::invalid("to", "the end of the range must be after its start"));
        }
        let base = self.base_currency()?;
        let mut conv = Converter::new(self, &base);
        let currency_of: std::collections::HashMap<i64, String> =
            self.accounts()?.into_iter().map(|a| (a.id, a.currency)).collect();
        // Net flow per date within (from, to], in the base currency.
        let mut flows: BTreeMap<NaiveDate, Decimal> = BTreeMap::new();
        for f in self.cash_flows(account)? {
            if f.date <= from || f.date > to {
                continue;
            }
            let cur = currency_of.get(&f.account_id).cloned().unwrap_or_else(|| base.clone());
            let fx = conv
                .factor(&cur, f.date)?
                .ok_or_else(|| Error::invalid("fx", format!("no exchange rate for {cur}")))?;
            *flows.entry(f.date).or_default() += f.amount * fx;
        }
        let mut dates = vec![from];
        dates.extend(flows.keys().copied().filter(|d| *d < to));
        dates.push(to);
        let mut values = Vec::with_capacity(dates.len());
        for d in &dates {
            values.push(self.scope_value(account, *d, &mut conv, cache)?);
        }
        let flow_at: Vec<Decimal> = dates
            .iter()
            .enumerate()
            .map(|(i, d)| if i == 0 { Decimal::ZERO } else { flows.get(d).copied().unwrap_or_default() })
            .collect();
        let f64s = |v: &[Decimal]| v.iter().map(|d| d.to_f64().unwrap_or(0.0)).collect::<Vec<_>>();
        let twr = time_weighted_return(&f64s(&values), &f64s(&flow_at)).and_then(ratio);
        let start_value = values[0];
        let end_value = values.last().copied().unwrap_or(start_value);
        let mut xf: Vec<(NaiveDate, f64)> = vec![(from, -start_value.to_f64().unwrap_or(0.0))];
        xf.extend(flows.iter().map(|(d, a)| (*d, -a.to_f64().unwrap_or(0.0))));
        xf.push((to, end_value.to_f64().unwrap_or(0.0)));
        let net_flows: Decimal = flows.values().copied().sum();
        Ok(Performance {
            account_id: account,
            from,
            to,
            start_value: round_money(start_value),
            end_value: round_money(end_value),
            net_flows: round_money(net_flows),
            gain: round_money(end_value - start_value - net_flows),
            twr,
            xirr: xirr(&xf).and_then(ratio),
        })
    }
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
