//! Net worth, its history, breakdowns and stale values.
//!
//! A value counts from its date until the asset's next value ("last known value on or
//! before"). It is multiplied by the ownership share, converted into the base
//! currency with the rate on or before the date, and counted negative for
//! liabilities. Series are built by one date-ordered sweep over the value history
//! (covering index `value_point_by_date`) rather than one query per date.

pub mod performance;

use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::{Datelike, Days, Months, NaiveDate};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::{Error, Result};
use crate::money::{self, Decimal};
use crate::vault::Vault;
use crate::wealth::fx::Converter;
use crate::wealth::portfolio::{AccountKind, Asset, AssetClass, Labels};

/// Key (and default label) of the allocation bucket for the part of an asset that
/// no weight of the dimension covers.
pub const UNCLASSIFIED: &str = "unclassified";
/// What the user reads for the [`UNCLASSIFIED`] bucket.
pub const UNCLASSIFIED_LABELS: Labels = Labels { fr: "Non classé", en: "Unclassified" };

/// Rounds an amount for display and export: 2 decimals, half away from zero.
pub fn round_money(d: Decimal) -> Decimal {
    money::round_cents(d)
}

/// What an account holds on a date ([`Vault::accounts_overview`]).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, TS)]
pub struct AccountBalance {
    /// The account.
    pub account_id: i64,
    /// Everything it holds, net (debts negative), after shares, in the base currency.
    #[ts(as = "crate::money::DecimalTs")]
    #[serde(with = "rust_decimal::serde::str")]
    pub value: Decimal,
    /// Its own balance (the value of the asset that holds it), in the account's currency.
    #[ts(as = "Option<crate::money::DecimalTs>")]
    #[serde(with = "rust_decimal::serde::str_option")]
    pub balance: Option<Decimal>,
    /// The date of that balance.
    pub balance_date: Option<NaiveDate>,
    /// The asset that holds the balance, once one was set.
    pub balance_asset_id: Option<i64>,
    /// The latest date any of its assets was valued (on or before the date).
    pub last_date: Option<NaiveDate>,
    /// How many assets it holds, the balance's included.
    pub holdings: usize,
    /// How many activities it has: with any, its cash comes from them and it takes no
    /// typed balance.
    pub activities: usize,
}

/// An institution's total on a date.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, TS)]
pub struct InstitutionTotal {
    /// The institution.
    pub institution_id: i64,
    /// The sum of its accounts' values (base currency).
    #[ts(as = "crate::money::DecimalTs")]
    #[serde(with = "rust_decimal::serde::str")]
    pub value: Decimal,
}

/// Every account's and institution's value on a date.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, TS)]
pub struct AccountsOverview {
    /// The date.
    pub date: NaiveDate,
    /// Base currency of the values.
    pub currency: String,
    /// One per account, in the order of [`Vault::accounts`].
    pub accounts: Vec<AccountBalance>,
    /// One per institution, in the order of [`Vault::institutions`].
    pub institutions: Vec<InstitutionTotal>,
    /// Currencies without a rate on the date (their assets are left out).
    pub missing_rates: Vec<String>,
}

/// Net worth on a date.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, TS)]
pub struct NetWorth {
    /// The date.
    pub date: NaiveDate,
    /// Base currency.
    pub currency: String,
    /// Assets minus liabilities, rounded to cents.
    #[ts(as = "crate::money::DecimalTs")]
    #[serde(with = "rust_decimal::serde::str")]
    pub net_worth: Decimal,
    /// Sum of what is owned.
    #[ts(as = "crate::money::DecimalTs")]
    #[serde(with = "rust_decimal::serde::str")]
    pub assets: Decimal,
    /// Sum of what is owed (positive number).
    #[ts(as = "crate::money::DecimalTs")]
    #[serde(with = "rust_decimal::serde::str")]
    pub liabilities: Decimal,
    /// Currencies whose values were left out because no rate was known on or before the date.
    pub missing_rates: Vec<String>,
}

/// Sampling step of a series.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Step {
    /// Every day.
    Daily,
    /// Every 7 days from the start.
    Weekly,
    /// Every month end.
    Monthly,
}

/// A net-worth series, optionally split into stacks (e.g. by asset class).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, TS)]
pub struct Series {
    /// Base currency.
    pub currency: String,
    /// Sample dates.
    pub dates: Vec<NaiveDate>,
    /// Net worth at each date (rounded to cents).
    #[ts(as = "Vec<crate::money::DecimalTs>")]
    #[serde(with = "dec_vec")]
    pub totals: Vec<Decimal>,
    /// Stacks: label and value at each date (empty unless asked for).
    pub stacks: Vec<Stack>,
    /// Currencies without a rate at some sample date (their values are left out there).
    pub missing_rates: Vec<String>,
}

/// One stacked layer of a series.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, TS)]
pub struct Stack {
    /// Stable key (e.g. the asset-class token).
    pub key: String,
    /// Values at each date.
    #[ts(as = "Vec<crate::money::DecimalTs>")]
    #[serde(with = "dec_vec")]
    pub values: Vec<Decimal>,
}

mod dec_vec {
    use rust_decimal::Decimal;
    use serde::Serializer;
    pub fn serialize<S: Serializer>(v: &[Decimal], s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(v.iter().map(|d| d.to_string()))
    }
}

/// What a breakdown groups by.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case", tag = "by", content = "name")]
pub enum BreakdownBy {
    /// Asset class, looking through composites.
    Class,
    /// An allocation dimension by name (region, sector, user-defined), looking through composites.
    Dimension(String),
    /// Institution.
    Institution,
    /// Account.
    Account,
    /// Account kind.
    AccountKind,
    /// Currency of the asset.
    Currency,
}

impl BreakdownBy {
    /// Parses the CLI/UI word: class, region, sector, institution, account, account_kind,
    /// currency, or any dimension name.
    pub fn parse(s: &str) -> BreakdownBy {
        match s.trim().to_lowercase().as_str() {
            "class" | "asset_class" => BreakdownBy::Class,
            "institution" => BreakdownBy::Institution,
            "account" => BreakdownBy::Account,
            "account_kind" | "kind" => BreakdownBy::AccountKind,
            "currency" => BreakdownBy::Currency,
            other => BreakdownBy::Dimension(other.to_owned()),
        }
    }
}

/// A breakdown of net worth on a date.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, TS)]
pub struct Breakdown {
    /// The date.
    pub date: NaiveDate,
    /// Base currency.
    pub currency: String,
    /// Net worth.
    #[ts(as = "crate::money::DecimalTs")]
    #[serde(with = "rust_decimal::serde::str")]
    pub total: Decimal,
    /// Slices, largest first.
    pub slices: Vec<Slice>,
    /// Currencies left out for lack of a rate.
    pub missing_rates: Vec<String>,
}

/// One slice of a breakdown.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, TS)]
pub struct Slice {
    /// Stable key: a token (class, kind), a bucket label, an id, or "unclassified" / "direct".
    pub key: String,
    /// Human label (the name for institutions and accounts, otherwise the key).
    pub label: String,
    /// Value (negative for liabilities).
    #[ts(as = "crate::money::DecimalTs")]
    #[serde(with = "rust_decimal::serde::str")]
    pub value: Decimal,
    /// Share of the sum of positive slices, in percent (2 decimals).
    #[ts(as = "crate::money::DecimalTs")]
    #[serde(with = "rust_decimal::serde::str")]
    pub percent: Decimal,
}

/// An asset whose last value is old.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, TS)]
pub struct StaleAsset {
    /// Asset id.
    pub asset_id: i64,
    /// Name.
    pub name: String,
    /// Date of its last value, if any.
    pub last_date: Option<NaiveDate>,
    /// Days since then (None: never valued).
    pub age_days: Option<i64>,
}

/// Assets' values on a date in the base currency, and the currencies without a rate.
struct InBase<'m> {
    values: Vec<(&'m Asset, Decimal)>,
    missing_rates: Vec<String>,
}

/// The signed, ownership-weighted factor of each asset.
struct Meta {
    assets: HashMap<i64, Asset>,
}

impl Meta {
    fn load(vault: &Vault) -> Result<Meta> {
        Ok(Meta { assets: vault.assets()?.into_iter().map(|a| (a.id, a)).collect() })
    }

    /// Share × sign: what one unit of the asset's value adds to net worth on `date`
    /// (a usufruct or bare ownership by article 669 follows the usufructuary's age).
    fn factor(&self, id: i64, date: NaiveDate) -> Result<Decimal> {
        let Some(a) = self.assets.get(&id) else { return Ok(Decimal::ZERO) };
        let f = a.share_on(date)? / Decimal::ONE_HUNDRED;
        Ok(if a.liability { -f } else { f })
    }

    /// Expands an asset into leaf assets with fractions (composite look-through).
    fn look_through(&self, id: i64) -> Vec<(i64, Decimal)> {
        let mut out = Vec::new();
        let mut stack = vec![(id, Decimal::ONE, 0usize)];
        while let Some((n, frac, depth)) = stack.pop() {
            match self.assets.get(&n) {
                Some(a) if !a.components.is_empty() && depth < 16 => {
                    for c in &a.components {
                        stack.push((c.asset_id, frac * c.weight / Decimal::ONE_HUNDRED, depth + 1));
                    }
                }
                _ => out.push((n, frac)),
            }
        }
        out
    }
}

/// Raw values (asset currency) on a date: one primary-key seek per asset.
pub(crate) fn values_at(vault: &Vault, date: NaiveDate) -> Result<Vec<(i64, Decimal)>> {
    let mut st = vault.conn.prepare_cached(
        "SELECT a.id, (SELECT value FROM value_point WHERE asset_id = a.id AND date <= ?1 ORDER BY date DESC LIMIT 1)
         FROM asset a",
    )?;
    let mut rows = st.query([date])?;
    let mut out = Vec::new();
    while let Some(r) = rows.next()? {
        if let Some(v) = r.get_ref(1)?.as_str_or_null()? {
            out.push((r.get(0)?, money::from_db(v)?));
        }
    }
    Ok(out)
}

/// Day number (as `NaiveDate::num_days_from_ce`) of a `YYYY-MM-DD` string, parsed
/// without allocating: the series sweep calls it for every value.
fn iso_day_number(b: &[u8]) -> Option<i32> {
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let num = |r: std::ops::Range<usize>| -> Option<u32> {
        b[r].iter().try_fold(0u32, |acc, c| c.is_ascii_digit().then(|| acc * 10 + u32::from(c - b'0')))
    };
    NaiveDate::from_ymd_opt(num(0..4)? as i32, num(5..7)?, num(8..10)?).map(|d| d.num_days_from_ce())
}

/// Sample dates between `from` and `to` inclusive.
pub fn sample_dates(from: NaiveDate, to: NaiveDate, step: Step) -> Vec<NaiveDate> {
    let mut out = vec![];
    if to < from {
        return out;
    }
    match step {
        Step::Daily | Step::Weekly => {
            let n = if step == Step::Daily { 1 } else { 7 };
            let mut d = from;
            while d <= to {
                out.push(d);
                d = match d.checked_add_days(Days::new(n)) {
                    Some(x) => x,
                    None => break,
                };
            }
        }
        Step::Monthly => {
            out.push(from);
            let mut month_start = from.with_day(1).unwrap_or(from);
            while let Some(next) = month_start.checked_add_months(Months::new(1)) {
                let Some(end) = next.pred_opt() else { break };
                if end > from && end <= to {
                    out.push(end);
                }
                if end >= to {
                    break;
                }
                month_start = next;
            }
        }
    }
    if out.last() != Some(&to) {
        out.push(to);
    }
    out
}

/// The latest value of an asset (for the "update values" screen).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, TS)]
pub struct LatestValue {
    /// Asset.
    pub asset_id: i64,
    /// Date of its latest value.
    pub date: NaiveDate,
    /// The value, in the asset's currency.
    #[ts(as = "crate::money::DecimalTs")]
    #[serde(with = "rust_decimal::serde::str")]
    pub value: Decimal,
}

impl Vault {
    /// Each asset's latest value (assets never valued are absent); for an asset whose
    /// values the app computes, the latest on or before today.
    pub fn latest_values(&self) -> Result<Vec<LatestValue>> {
        // Scalar subqueries: one primary-key seek per asset.
        // A computed asset's values may run ahead (a loan's schedule): its latest is the
        // one of today.
        let today = chrono::Utc::now().date_naive();
        let mut st = self.conn.prepare_cached(
            "SELECT id, d, (SELECT value FROM value_point WHERE asset_id = x.id AND date = x.d) FROM
               (SELECT a.id, (SELECT date FROM value_point WHERE asset_id = a.id
                               AND (a.derived IS NULL OR date <= ?1) ORDER BY date DESC LIMIT 1) AS d
                FROM asset a) x
             WHERE d IS NOT NULL",
        )?;
        let rows = st.query_map([today], |r| {
            let v: String = r.get(2)?;
            Ok(LatestValue { asset_id: r.get(0)?, date: r.get(1)?, value: money::from_db(&v)? })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// The profile's base currency (EUR unless set).
    pub fn base_currency(&self) -> Result<String> {
        Ok(self.setting("base_currency")?.unwrap_or_else(|| "EUR".into()))
    }

    /// Each asset's value on `date` converted to `base` (before its share is applied),
    /// and the currencies without a rate on that date, sorted (their assets are left
    /// out): what net worth and breakdowns both start from.
    fn in_base_currency<'m>(&self, meta: &'m Meta, base: &str, date: NaiveDate) -> Result<InBase<'m>> {
        let mut conv = Converter::new(self, base);
        let mut values = Vec::new();
        let mut missing = std::collections::BTreeSet::new();
        for (id, value) in values_at(self, date)? {
            let Some(a) = meta.assets.get(&id) else {
                continue;
            };
            match conv.factor(&a.currency, date)? {
                Some(fx) => values.push((a, value * fx)),
                None => {
                    missing.insert(a.currency.clone());
                }
            }
        }
        Ok(InBase { values, missing_rates: missing.into_iter().collect() })
    }

    /// Every account's value, its own balance and its institution's total on `date`.
    pub fn accounts_overview(&self, date: NaiveDate) -> Result<AccountsOverview> {
        let meta = Meta::load(self)?;
        let base = self.base_currency()?;
        let InBase { values, missing_rates } = self.in_base_currency(&meta, &base, date)?;
        let mut value: HashMap<i64, Decimal> = HashMap::new();
        for (a, v) in values {
            if let Some(acc) = a.account_id {
                *value.entry(acc).or_default() += v * meta.factor(a.id, date)?;
            }
        }
        let mut last: HashMap<i64, NaiveDate> = HashMap::new();
        let mut holdings: HashMap<i64, usize> = HashMap::new();
        for a in meta.assets.values() {
            if let Some(acc) = a.account_id {
                *holdings.entry(acc).or_default() += 1;
            }
        }
        {
            let mut st = self.conn.prepare_cached(
                "SELECT a.account_id, max(v.date) FROM value_point v JOIN asset a ON a.id = v.asset_id
                 WHERE v.date <= ?1 AND a.account_id IS NOT NULL GROUP BY a.account_id",
            )?;
            let mut rows = st.query([date])?;
            while let Some(r) = rows.next()? {
                last.insert(r.get(0)?, r.get(1)?);
            }
        }
        let mut activities: HashMap<i64, usize> = HashMap::new();
        {
            let mut st = self.conn.prepare_cached("SELECT account_id, count(*) FROM activity GROUP BY account_id")?;
            let mut rows = st.query([])?;
            while let Some(r) = rows.next()? {
                activities.insert(r.get(0)?, r.get::<_, i64>(1)? as usize);
            }
        }
        let mut accounts = Vec::new();
        let mut by_institution: HashMap<i64, Decimal> = HashMap::new();
        for acc in self.accounts()? {
            let balance_asset_id = self.balance_asset(acc.id)?;
            let point = match balance_asset_id {
                Some(id) => self.value_at(id, date)?,
                None => None,
            };
            let v = value.get(&acc.id).copied().unwrap_or_default();
            *by_institution.entry(acc.institution_id).or_default() += v;
            accounts.push(AccountBalance {
                account_id: acc.id,
                value: round_money(v),
                balance: point.as_ref().map(|p| p.value),
                balance_date: point.map(|p| p.date),
                balance_asset_id,
                last_date: last.get(&acc.id).copied(),
                holdings: holdings.get(&acc.id).copied().unwrap_or_default(),
                activities: activities.get(&acc.id).copied().unwrap_or_default(),
            });
        }
        let institutions = self
            .institutions()?
            .into_iter()
            .map(|i| InstitutionTotal {
                institution_id: i.id,
                value: round_money(by_institution.get(&i.id).copied().unwrap_or_default()),
            })
            .collect();
        Ok(AccountsOverview { date, currency: base, accounts, institutions, missing_rates })
    }

    /// Net worth on `date`.
    pub fn net_worth(&self, date: NaiveDate) -> Result<NetWorth> {
        let meta = Meta::load(self)?;
        let base = self.base_currency()?;
        let InBase { values, missing_rates } = self.in_base_currency(&meta, &base, date)?;
        let (mut assets, mut liabilities) = (Decimal::ZERO, Decimal::ZERO);
        for (a, value) in values {
            let v = value * a.share_on(date)? / Decimal::ONE_HUNDRED;
            if a.liability {
                liabilities += v;
            } else {
                assets += v;
            }
        }
        Ok(NetWorth {
            date,
            currency: base,
            net_worth: round_money(assets - liabilities),
            assets: round_money(assets),
            liabilities: round_money(liabilities),
            missing_rates,
        })
    }

    /// Net worth from `from` to `to`, sampled by `step`. With `stack_by_class`, also
    /// one layer per asset class (looking through composites).
    pub fn net_worth_series(&self, from: NaiveDate, to: NaiveDate, step: Step, stack_by_class: bool) -> Result<Series> {
        if to < from {
            return Err(Error::invalid("to", "the end of the range is before its start"));
        }
        let meta = Meta::load(self)?;
        let base = self.base_currency()?;
        let mut conv = Converter::new(self, &base);
        let dates = sample_dates(from, to, step);
        let date_keys: Vec<String> = dates.iter().map(|d| d.to_string()).collect();

        // Each asset feeds one or more "slots" (stack × currency) with a factor (share,
        // sign, composite weight). Sums are kept in the asset currency per slot and
        // converted at each sample date. Asset ids index plain vectors.
        let mut group_keys: Vec<String> = vec![];
        let mut currencies: Vec<String> = vec![];
        let mut slots: Vec<(usize, usize)> = vec![]; // (group, currency)
        let max_id = meta.assets.keys().copied().max().unwrap_or(0).max(0) as usize;
        let mut routes: Vec<Vec<(usize, Decimal)>> = vec![Vec::new(); max_id + 1];
        let intern = |list: &mut Vec<String>, key: &str| -> usize {
            list.iter().position(|k| k == key).unwrap_or_else(|| {
                list.push(key.to_owned());
                list.len() - 1
            })
        };
        let mut ids: Vec<i64> = meta.assets.keys().copied().collect();
        ids.sort_unstable();
        // Assets whose share changes within the range (article 669 as the usufructuary
        // ages) are summed apart, sample by sample, with the share of each date.
        let mut varying: Vec<(i64, Vec<(usize, Decimal)>)> = vec![];
        for id in ids {
            let a = &meta.assets[&id];
            let cur = intern(&mut currencies, &a.currency);
            let varies = !a.share_changes(from, to).is_empty();
            let factor = if varies {
                if a.liability {
                    -Decimal::ONE
                } else {
                    Decimal::ONE
                }
            } else {
                meta.factor(a.id, from)?
            };
            let parts = if stack_by_class {
                let mut parts: Vec<(usize, Decimal)> = vec![];
                for (leaf, frac) in meta.look_through(a.id) {
                    let class = meta.assets.get(&leaf).map_or(AssetClass::Other, |l| l.class);
                    let g = intern(&mut group_keys, class.as_str());
                    match parts.iter_mut().find(|(pg, _)| *pg == g) {
                        Some(p) => p.1 += frac,
                        None => parts.push((g, frac)),
                    }
                }
                parts
            } else {
                vec![(0, Decimal::ONE)]
            };
            let r = parts
                .into_iter()
                .map(|(g, frac)| {
                    let s = slots.iter().position(|x| *x == (g, cur)).unwrap_or_else(|| {
                        slots.push((g, cur));
                        slots.len() - 1
                    });
                    (s, factor * frac)
                })
                .collect();
            if varies {
                varying.push((a.id, r));
            } else if let Ok(i) = usize::try_from(a.id) {
                routes[i] = r;
            }
        }
        let groups = if stack_by_class { group_keys.len() } else { 1 };
        let n = dates.len();
        // deltas[k][slot]: change of the slot's sum that takes effect at sample k.
        let width = slots.len();
        let mut deltas = vec![Decimal::ZERO; n * width];
        let day_numbers: Vec<i32> = dates.iter().map(|d| d.num_days_from_ce()).collect();
        let mut initial: Vec<Option<Decimal>> = vec![None; max_id + 1];
        for (id, v) in values_at(self, dates[0])? {
            if let Ok(i) = usize::try_from(id) {
                if i <= max_id {
                    for (s, f) in &routes[i] {
                        deltas[*s] += v * f;
                    }
                    initial[i] = Some(v);
                }
            }
        }

        // Scan values after the first sample in primary-key order (asset, date), so the
        // previous value of the same asset is simply the last row seen. Monthly samples
        // fall on month ends, so up to the last whole month it is enough to read each
        // asset's last value per month (`value_month`). Dates compare as ISO strings;
        // values are parsed from SQLite's buffer without allocating.
        let last = n - 1;
        let month_cut = if step == Step::Monthly {
            dates.iter().rposition(|d| d.succ_opt().is_some_and(|x| x.day() == 1)).filter(|i| *i > 0)
        } else {
            None
        };
        // (query, first key, last key, values after this day, up to this day). Each query
        // is a primary-key range per asset: `asset_id = ?1 AND key BETWEEN ?2 AND ?3`.
        let by_month =
            "SELECT date, value FROM value_month WHERE asset_id = ?1 AND month >= ?2 AND month <= ?3 ORDER BY month";
        let by_date =
            "SELECT date, value FROM value_point WHERE asset_id = ?1 AND date > ?2 AND date <= ?3 ORDER BY date";
        let mut passes: Vec<(&str, String, String, i32, i32)> = vec![];
        match month_cut {
            Some(cut) => {
                passes.push((
                    by_month,
                    date_keys[0][..7].to_owned(),
                    date_keys[cut][..7].to_owned(),
                    day_numbers[0],
                    day_numbers[cut],
                ));
                if cut < last {
                    passes.push((
                        by_date,
                        date_keys[cut].clone(),
                        date_keys[last].clone(),
                        day_numbers[cut],
                        day_numbers[last],
                    ));
                }
            }
            None => {
                passes.push((by_date, date_keys[0].clone(), date_keys[last].clone(), day_numbers[0], day_numbers[last]))
            }
        }
        let bad_date = || Error::invalid("date", "unreadable date in the vault");
        for (sql, lo, hi, after_day, until_day) in passes {
            let mut st = self.conn.prepare_cached(sql)?;
            for (id, route) in routes.iter().enumerate() {
                if route.is_empty() {
                    continue;
                }
                let mut prev = initial[id].unwrap_or(Decimal::ZERO);
                let mut rows = st.query(rusqlite::params![id as i64, lo, hi])?;
                while let Some(r) = rows.next()? {
                    // Bytes straight from SQLite's buffer: no UTF-8 check, no allocation.
                    let day = iso_day_number(r.get_ref(0)?.as_bytes()?).ok_or_else(bad_date)?;
                    if day <= after_day || day > until_day {
                        continue;
                    }
                    let v = money::from_db_bytes(r.get_ref(1)?.as_bytes()?)?;
                    let delta = v - prev;
                    prev = v;
                    if delta.is_zero() {
                        continue;
                    }
                    // The first sample on or after the value's date.
                    let k = day_numbers.partition_point(|x| *x < day).min(last);
                    for (s, f) in route {
                        deltas[k * width + s] += if *f == Decimal::ONE { delta } else { delta * f };
                    }
                }
                initial[id] = Some(prev);
            }
        }

        for (id, route) in &varying {
            let Some(a) = meta.assets.get(id) else { continue };
            let points = self.values(*id)?;
            let mut next = 0;
            let mut in_force = Decimal::ZERO;
            let mut previous = Decimal::ZERO;
            for (k, date) in dates.iter().enumerate() {
                while next < points.len() && points[next].date <= *date {
                    in_force = points[next].value;
                    next += 1;
                }
                let contribution = in_force * a.share_on(*date)? / Decimal::ONE_HUNDRED;
                let delta = contribution - previous;
                previous = contribution;
                for (s, f) in route {
                    deltas[k * width + s] += delta * f;
                }
            }
        }

        let mut totals = Vec::with_capacity(n);
        let mut stacks: Vec<Vec<Decimal>> = vec![Vec::with_capacity(n); groups];
        let mut missing = HashSet::new();
        let mut sums = vec![Decimal::ZERO; slots.len()];
        for (k, date) in dates.iter().enumerate() {
            for (s, d) in sums.iter_mut().zip(&deltas[k * width..(k + 1) * width]) {
                *s += *d;
            }
            let mut per_group = vec![Decimal::ZERO; groups];
            for (i, &(g, c)) in slots.iter().enumerate() {
                if sums[i].is_zero() {
                    continue;
                }
                match conv.factor(&currencies[c], *date)? {
                    Some(fx) => per_group[g] += sums[i] * fx,
                    None => {
                        missing.insert(currencies[c].clone());
                    }
                }
            }
            totals.push(round_money(per_group.iter().copied().sum()));
            for (g, v) in per_group.into_iter().enumerate() {
                stacks[g].push(round_money(v));
            }
        }
        let stacks = if stack_by_class {
            group_keys.into_iter().zip(stacks).map(|(key, values)| Stack { key, values }).collect()
        } else {
            vec![]
        };
        let mut missing_rates: Vec<String> = missing.into_iter().collect();
        missing_rates.sort();
        Ok(Series { currency: base, dates, totals, stacks, missing_rates })
    }

    /// Net worth on `date` broken down by `by`.
    pub fn breakdown(&self, date: NaiveDate, by: &BreakdownBy) -> Result<Breakdown> {
        let meta = Meta::load(self)?;
        let base = self.base_currency()?;
        let accounts: HashMap<i64, (i64, String, AccountKind)> =
            self.accounts()?.into_iter().map(|a| (a.id, (a.institution_id, a.name, a.kind))).collect();
        let institutions: HashMap<i64, String> = self.institutions()?.into_iter().map(|i| (i.id, i.name)).collect();
        let dim_name = match by {
            BreakdownBy::Dimension(name) => {
                let dims = self.dimensions()?;
                let d = dims
                    .into_iter()
                    .find(|d| d.name.eq_ignore_ascii_case(name))
                    .ok_or(crate::error::InputError::NotFound("dimension"))?;
                Some(d.name)
            }
            _ => None,
        };
        let mut buckets: BTreeMap<String, (String, Decimal)> = BTreeMap::new();
        let InBase { values, missing_rates } = self.in_base_currency(&meta, &base, date)?;
        let mut total = Decimal::ZERO;
        for (a, value) in values {
            let id = a.id;
            let v = value * meta.factor(id, date)?;
            total += v;
            let mut add = |key: String, label: String, amount: Decimal| {
                buckets.entry(key).or_insert_with(|| (label, Decimal::ZERO)).1 += amount;
            };
            match by {
                BreakdownBy::Class => {
                    for (leaf, frac) in meta.look_through(id) {
                        let class = meta.assets.get(&leaf).map_or(AssetClass::Other, |l| l.class).as_str();
                        add(class.into(), class.into(), v * frac);
                    }
                }
                BreakdownBy::Dimension(_) => {
                    let dim = dim_name.as_deref().unwrap_or_default();
                    for (leaf, frac) in meta.look_through(id) {
                        match meta.assets.get(&leaf).and_then(|l| l.allocations.get(dim)).filter(|w| !w.is_empty()) {
                            Some(weights) => {
                                for w in weights {
                                    add(w.bucket.clone(), w.bucket.clone(), v * frac * w.weight / Decimal::ONE_HUNDRED);
                                }
                            }
                            None => add(UNCLASSIFIED.into(), UNCLASSIFIED.into(), v * frac),
                        }
                    }
                }
                BreakdownBy::Institution => match a.account_id.and_then(|acc| accounts.get(&acc)) {
                    Some((inst, _, _)) => {
                        add(format!("institution:{inst}"), institutions.get(inst).cloned().unwrap_or_default(), v)
                    }
                    None => add("direct".into(), "direct".into(), v),
                },
                BreakdownBy::Account => match a.account_id.and_then(|acc| accounts.get(&acc).map(|x| (acc, x))) {
                    Some((acc, (_, name, _))) => add(format!("account:{acc}"), name.clone(), v),
                    None => add("direct".into(), "direct".into(), v),
                },
                BreakdownBy::AccountKind => match a.account_id.and_then(|acc| accounts.get(&acc)) {
                    Some((_, _, kind)) => add(kind.as_str().into(), kind.as_str().into(), v),
                    None => add("direct".into(), "direct".into(), v),
                },
                BreakdownBy::Currency => add(a.currency.clone(), a.currency.clone(), v),
            }
        }
        let positive: Decimal = buckets.values().map(|(_, v)| *v).filter(|v| *v > Decimal::ZERO).sum();
        let mut slices: Vec<Slice> = buckets
            .into_iter()
            .map(|(key, (label, value))| Slice {
                key,
                label,
                value: round_money(value),
                percent: if positive.is_zero() {
                    Decimal::ZERO
                } else {
                    (value / positive * Decimal::ONE_HUNDRED).round_dp(2)
                },
            })
            .collect();
        slices.sort_by(|a, b| b.value.cmp(&a.value).then(a.key.cmp(&b.key)));
        Ok(Breakdown { date, currency: base, total: round_money(total), slices, missing_rates })
    }

    /// Date of the oldest value point of any asset (the start of the dashboard's "All"
    /// range), or `None` without values. One primary-key seek per asset.
    pub fn first_value_date(&self) -> Result<Option<NaiveDate>> {
        Ok(self.conn.query_row(
            "SELECT min((SELECT date FROM value_point v WHERE v.asset_id = a.id ORDER BY date LIMIT 1)) FROM asset a",
            [],
            |r| r.get::<_, Option<NaiveDate>>(0),
        )?)
    }

    /// Active (non-archived) assets whose last value on or before `date` is older than
    /// `max_age_days`, or that have none; oldest first. Assets whose values the app
    /// computes (positions, activity cash, loans with terms) are not listed: their
    /// values follow prices, activities and schedules. Composite components are skipped
    /// when they have no value of their own.
    pub fn stale_assets(&self, date: NaiveDate, max_age_days: i64) -> Result<Vec<StaleAsset>> {
        let components: HashSet<i64> =
            self.assets()?.iter().flat_map(|a| a.components.iter().map(|c| c.asset_id)).collect();
        let mut st = self.conn.prepare_cached(
            "SELECT a.id, a.name, (SELECT max(date) FROM value_point WHERE asset_id = a.id AND date <= ?1)
             FROM asset a WHERE a.archived = 0 AND a.derived IS NULL",
        )?;
        let rows = st.query_map([date], |r| {
            Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?, r.get::<_, Option<NaiveDate>>(2)?))
        })?;
        let mut out = vec![];
        for row in rows {
            let (asset_id, name, last_date) = row?;
            if last_date.is_none() && components.contains(&asset_id) {
                continue;
            }
            let age_days = last_date.map(|d| (date - d).num_days());
            if age_days.is_none_or(|a| a > max_age_days) {
                out.push(StaleAsset { asset_id, name, last_date, age_days });
            }
        }
        out.sort_by_key(|s| (s.last_date, s.asset_id));
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn sample_dates_cover_the_range() {
        assert_eq!(
            sample_dates(d("2024-01-15"), d("2024-04-10"), Step::Monthly),
            vec![d("2024-01-15"), d("2024-01-31"), d("2024-02-29"), d("2024-03-31"), d("2024-04-10")]
        );
        assert_eq!(
            sample_dates(d("2024-01-31"), d("2024-02-29"), Step::Monthly),
            vec![d("2024-01-31"), d("2024-02-29")]
        );
        assert_eq!(sample_dates(d("2024-01-01"), d("2024-01-03"), Step::Daily).len(), 3);
        assert_eq!(
            sample_dates(d("2024-01-01"), d("2024-01-16"), Step::Weekly),
            vec![d("2024-01-01"), d("2024-01-08"), d("2024-01-15"), d("2024-01-16")]
        );
        assert!(sample_dates(d("2024-01-02"), d("2024-01-01"), Step::Daily).is_empty());
    }
}
