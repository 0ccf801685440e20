//! Activities per account (deposits, trades, income, fees, transfers of units, splits)
//! and what they give at any date: the units of each instrument held, the account's
//! cash, the cost (average cost, fees included, the method French brokers report),
//! realised and unrealised gains, income per year.
//!
//! The rules, in the order of the activities (date, then entry):
//! - deposit / withdrawal: cash ± amount; they are the account's external flows;
//! - buy: units + q, cost + q × price + fees, cash − (amount, or q × price + fees);
//! - sell: units − q (never more than held), cost − q × average cost, realised gain
//!   + q × price − fees − q × average cost, cash + (amount, or q × price − fees);
//! - dividend / interest: cash + amount (income of the year); fee: cash − amount;
//! - transfer in: units + q at a cost of q × unit price (an opening position is one);
//!   transfer out: units − q at the average cost; both move no cash, and count as
//!   external flows at the position's price;
//! - split: units × ratio, the cost unchanged, the last price ÷ ratio.
//!
//! A position is worth its units × the instrument's latest price on or before the
//! date, where a buy or sell of it (in any account) is a price too, and on the same date
//! a price point wins over a trade. Until the first price, a position is worth its cost.
//!
//! The values are derived into `value_point` for the account's position assets and
//! its cash asset (`asset.derived`), in the same transaction as the change: every
//! write here replays the accounts concerned once, and a replay that fails (a sale of
//! more than is held) rolls the whole change back.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use chrono::{Datelike, NaiveDate};
use rusqlite::{params, OptionalExtension, Transaction};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::{Error, InputError, Result};
use crate::money::{self, Decimal};
use crate::vault::Vault;
use crate::wealth::portfolio::{token_enum, AssetClass, Derived};

token_enum!(
    /// What an activity does.
    ActivityKind {
        /// Money paid into the account.
        Deposit = "deposit" | "depot" | "versement" | "apport" => "Versement", "Deposit",
        /// Money taken out of the account.
        Withdrawal = "withdrawal" | "retrait" | "rachat" => "Retrait", "Withdrawal",
        /// Units bought.
        Buy = "buy" | "achat" => "Achat", "Buy",
        /// Units sold.
        Sell = "sell" | "vente" | "cession" => "Vente", "Sell",
        /// A dividend received.
        Dividend = "dividend" | "dividende" | "coupon" => "Dividende", "Dividend",
        /// Interest received.
        Interest = "interest" | "interet" | "interets" => "Intérêts", "Interest",
        /// A fee charged.
        Fee = "fee" | "frais" => "Frais", "Fee",
        /// Units brought in (from another account or as an opening position).
        TransferIn = "transfer_in" | "transfert_entrant" | "entree" => "Transfert entrant", "Transfer in",
        /// Units taken out to another account.
        TransferOut = "transfer_out" | "transfert_sortant" | "sortie" => "Transfert sortant", "Transfer out",
        /// A split: new units per old unit.
        Split = "split" | "division" => "Division", "Split",
    }
);

impl ActivityKind {
    /// Whether it concerns an instrument (required for trades, transfers and splits,
    /// optional for a dividend).
    pub fn needs_instrument(self) -> bool {
        matches!(
            self,
            ActivityKind::Buy
                | ActivityKind::Sell
                | ActivityKind::TransferIn
                | ActivityKind::TransferOut
                | ActivityKind::Split
        )
    }
}

/// One dated activity of an account.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Activity {
    /// Identifier (ignored on input).
    #[serde(default)]
    pub id: i64,
    /// Account.
    pub account_id: i64,
    /// Date.
    pub date: NaiveDate,
    /// What it does.
    pub kind: ActivityKind,
    /// Instrument (trades, transfers, splits; optionally a dividend's).
    #[serde(default)]
    pub instrument_id: Option<i64>,
    /// Units (trades, transfers) or, for a split, the ratio (2 for two new per old).
    #[ts(as = "Option<crate::money::DecimalTs>")]
    #[serde(default, with = "rust_decimal::serde::str_option")]
    pub quantity: Option<Decimal>,
    /// Unit price in the instrument's currency (trades; a transfer in: cost per unit).
    #[ts(as = "Option<crate::money::DecimalTs>")]
    #[serde(default, with = "rust_decimal::serde::str_option")]
    pub unit_price: Option<Decimal>,
    /// Money in the account's currency (deposit, withdrawal, dividend, interest, fee;
    /// for a trade, optionally the cash actually moved, fees included).
    #[ts(as = "Option<crate::money::DecimalTs>")]
    #[serde(default, with = "rust_decimal::serde::str_option")]
    pub amount: Option<Decimal>,
    /// Fees of a trade, in the instrument's currency (≥ 0).
    #[ts(as = "crate::money::DecimalTs")]
    #[serde(default, with = "rust_decimal::serde::str")]
    pub fees: Decimal,
    /// Free note.
    #[serde(default)]
    pub note: String,
}

/// Checks a price: more than zero.
pub(crate) fn check_price(price: Decimal) -> Result<Decimal> {
    if price <= Decimal::ZERO {
        return Err(InputError::PriceNotPositive.into());
    }
    Ok(price.normalize())
}

fn positive(field: &'static str, v: Option<Decimal>) -> Result<Decimal> {
    match v {
        Some(v) if v > Decimal::ZERO => Ok(v.normalize()),
        Some(_) => Err(Error::invalid(field, "must be greater than zero")),
        None => Err(Error::invalid(field, "required for this kind of activity")),
    }
}

/// Checks an activity's fields for its kind and clears the ones it does not use.
/// `account` is (currency, opening date); `instrument_currency` the currency of its
/// instrument, if it names one.
pub(crate) fn normalise(
    a: &Activity,
    account: (&str, Option<NaiveDate>),
    instrument_currency: Option<&str>,
) -> Result<Activity> {
    let mut a = a.clone();
    a.note = a.note.trim().to_owned();
    if a.note.chars().count() > 500 {
        return Err(Error::invalid("note", "a note has at most 500 characters"));
    }
    if account.1.is_some_and(|opened| a.date < opened) {
        return Err(InputError::BeforeAccountOpening.into());
    }
    if a.fees < Decimal::ZERO {
        return Err(Error::invalid("fees", "fees cannot be negative"));
    }
    a.fees = a.fees.normalize();
    if a.kind.needs_instrument() && a.instrument_id.is_none() {
        return Err(Error::invalid("instrument", "required for this kind of activity"));
    }
    match a.kind {
        ActivityKind::Deposit
        | ActivityKind::Withdrawal
        | ActivityKind::Dividend
        | ActivityKind::Interest
        | ActivityKind::Fee => {
            a.amount = Some(positive("amount", a.amount)?);
            (a.quantity, a.unit_price, a.fees) = (None, None, Decimal::ZERO);
            if a.kind != ActivityKind::Dividend {
                a.instrument_id = None;
            }
        }
        ActivityKind::Buy | ActivityKind::Sell => {
            a.quantity = Some(positive("quantity", a.quantity)?);
            let price = a.unit_price.ok_or_else(|| Error::invalid("unit_price", "required for a trade"))?;
            a.unit_price = Some(check_price(price)?);
            if let Some(amount) = a.amount {
                a.amount = Some(positive("amount", Some(amount))?);
            } else if instrument_currency.is_some_and(|c| c != account.0) {
                return Err(Error::invalid(
                    "amount",
                    "the instrument's currency differs from the account's: give the amount moved in the account's currency",
                ));
            }
        }
        ActivityKind::TransferIn => {
            a.quantity = Some(positive("quantity", a.quantity)?);
            let price = a.unit_price.ok_or_else(|| Error::invalid("unit_price", "the cost per unit is required"))?;
            a.unit_price = Some(check_price(price)?);
            a.amount = None;
        }
        ActivityKind::TransferOut => {
            a.quantity = Some(positive("quantity", a.quantity)?);
            (a.unit_price, a.amount) = (None, None);
        }
        ActivityKind::Split => {
            match a.quantity {
                Some(r) if r > Decimal::ZERO => a.quantity = Some(r.normalize()),
                _ => return Err(InputError::SplitRatioInvalid.into()),
            }
            (a.unit_price, a.amount, a.fees) = (None, None, Decimal::ZERO);
        }
    }
    Ok(a)
}

// ---- the replay (pure) ----------------------------------------------------------------

/// One change of a position's value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct PositionPoint {
    pub date: NaiveDate,
    pub units: Decimal,
    pub price: Option<Decimal>,
    pub value: Decimal,
}

/// One instrument's position in an account, after the activities replayed.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct Track {
    pub units: Decimal,
    pub cost: Decimal,
    pub realised: Decimal,
    pub income: Decimal,
    pub price: Option<(NaiveDate, Decimal)>,
    pub points: Vec<PositionPoint>,
}

impl Track {
    fn value(&self) -> Decimal {
        match self.price {
            Some((_, p)) => self.units * p,
            None => self.cost,
        }
    }
}

/// What an account's activities give.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct Replay {
    pub tracks: BTreeMap<i64, Track>,
    pub cash: Decimal,
    /// The cash after each date it changed.
    pub cash_points: Vec<(NaiveDate, Decimal)>,
    /// External flows: (date, amount, instrument whose currency it is in — None: the
    /// account's).
    pub flows: Vec<(NaiveDate, Decimal, Option<i64>)>,
    /// Dividends and interest per year (account currency).
    pub income: BTreeMap<i32, Decimal>,
    /// Realised gains per year (instrument currency, by instrument).
    pub realised: BTreeMap<(i32, i64), Decimal>,
    /// Fees per year (account currency for fee activities; trade fees are in costs).
    pub fees: BTreeMap<i32, Decimal>,
}

/// Replays `activities` (sorted by date, then id), valuing positions with
/// `observations` (per instrument, sorted by date, one price per date).
pub(crate) fn replay(
    activities: &[Activity],
    observations: &HashMap<i64, Vec<(NaiveDate, Decimal)>>,
) -> Result<Replay> {
    // Every date something happens: an activity, or a price of an instrument traded here.
    type Day<'a> = (Vec<&'a Activity>, Vec<(i64, Decimal)>);
    let mut days: BTreeMap<NaiveDate, Day<'_>> = BTreeMap::new();
    let held: HashSet<i64> = activities.iter().filter_map(|a| a.instrument_id).collect();
    for a in activities {
        days.entry(a.date).or_default().0.push(a);
    }
    for i in &held {
        for (d, p) in observations.get(i).into_iter().flatten() {
            days.entry(*d).or_default().1.push((*i, *p));
        }
    }
    let mut r = Replay::default();
    let mut started: HashSet<i64> = HashSet::new();
    let q = |a: &Activity| a.quantity.unwrap_or_default();
    let p = |a: &Activity| a.unit_price.unwrap_or_default();
    let amount = |a: &Activity| a.amount.unwrap_or_default();
    for (day, (acts, prices)) in days {
        let cash_before = r.cash;
        let mut touched: Vec<i64> = vec![];
        for a in acts {
            let year = a.date.year();
            let inst = a.instrument_id;
            if let Some(i) = inst {
                if a.kind.needs_instrument() {
                    started.insert(i);
                    touched.push(i);
                }
            }
            let t = inst.map(|i| r.tracks.entry(i).or_default());
            match (a.kind, t) {
                (ActivityKind::Deposit, _) => {
                    r.cash += amount(a);
                    r.flows.push((day, amount(a), None));
                }
                (ActivityKind::Withdrawal, _) => {
                    r.cash -= amount(a);
                    r.flows.push((day, -amount(a), None));
                }
                (ActivityKind::Dividend, t) => {
                    r.cash += amount(a);
                    *r.income.entry(year).or_default() += amount(a);
                    if let Some(t) = t {
                        t.income += amount(a);
                    }
                }
                (ActivityKind::Interest, _) => {
                    r.cash += amount(a);
                    *r.income.entry(year).or_default() += amount(a);
                }
                (ActivityKind::Fee, _) => {
                    r.cash -= amount(a);
                    *r.fees.entry(year).or_default() += amount(a);
                }
                (ActivityKind::Buy, Some(t)) => {
                    t.units += q(a);
                    t.cost += q(a) * p(a) + a.fees;
                    r.cash -= a.amount.unwrap_or(q(a) * p(a) + a.fees);
                }
                (ActivityKind::Sell, Some(t)) => {
                    if q(a) > t.units {
                        return Err(InputError::SellExceedsPosition.into());
                    }
                    let cost_out = if q(a) == t.units { t.cost } else { t.cost * q(a) / t.units };
                    let gain = q(a) * p(a) - a.fees - cost_out;
                    t.realised += gain;
                    if let Some(i) = inst {
                        *r.realised.entry((year, i)).or_default() += gain;
                    }
                    t.cost -= cost_out;
                    t.units -= q(a);
                    r.cash += a.amount.unwrap_or(q(a) * p(a) - a.fees);
                }
                (ActivityKind::TransferIn, Some(t)) => {
                    t.units += q(a);
                    t.cost += q(a) * p(a) + a.fees;
                    let unit_value = t.price.map_or(p(a), |x| x.1);
                    r.flows.push((day, q(a) * unit_value, inst));
                }
                (ActivityKind::TransferOut, Some(t)) => {
                    if q(a) > t.units {
                        return Err(InputError::SellExceedsPosition.into());
                    }
                    let cost_out = if q(a) == t.units { t.cost } else { t.cost * q(a) / t.units };
                    let unit_value = t.price.map_or(cost_out / q(a), |x| x.1);
                    t.cost -= cost_out;
                    t.units -= q(a);
                    r.flows.push((day, -(q(a) * unit_value), inst));
                }
                (ActivityKind::Split, Some(t)) => {
                    let ratio = q(a);
                    if ratio <= Decimal::ZERO {
                        return Err(InputError::SplitRatioInvalid.into());
                    }
                    t.units *= ratio;
                    t.price = t.price.map(|(d, x)| (d, x / ratio));
                }
                (_, None) => return Err(Error::invalid("instrument", "required for this kind of activity")),
            }
        }
        // The day's prices, after its activities (a price point of the day wins).
        for (i, price) in prices {
            r.tracks.entry(i).or_default().price = Some((day, price));
            if started.contains(&i) {
                touched.push(i);
            }
        }
        touched.sort_unstable();
        touched.dedup();
        for i in touched {
            let Some(t) = r.tracks.get_mut(&i) else { continue };
            let value = t.value();
            let point = PositionPoint { date: day, units: t.units, price: t.price.map(|x| x.1), value };
            match t.points.last_mut() {
                Some(last) if last.date == day => *last = point,
                Some(last) if last.value == value && last.units == point.units => {}
                _ => t.points.push(point),
            }
        }
        if r.cash != cash_before || (r.cash_points.is_empty() && !r.cash.is_zero()) {
            r.cash_points.push((day, r.cash));
        }
    }
    Ok(r)
}

// ---- the vault side -------------------------------------------------------------------

/// A position of an account on a date.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, TS)]
pub struct Position {
    /// The instrument.
    pub instrument_id: i64,
    /// The asset that carries its values.
    pub asset_id: Option<i64>,
    /// Units held.
    #[ts(as = "crate::money::DecimalTs")]
    #[serde(with = "rust_decimal::serde::str")]
    pub units: Decimal,
    /// The price used (the latest on or before the date), if any.
    #[ts(as = "Option<crate::money::DecimalTs>")]
    #[serde(with = "rust_decimal::serde::str_option")]
    pub price: Option<Decimal>,
    /// Its date.
    pub price_date: Option<NaiveDate>,
    /// Units × price (the cost while no price is known), instrument currency.
    #[ts(as = "crate::money::DecimalTs")]
    #[serde(with = "rust_decimal::serde::str")]
    pub value: Decimal,
    /// What the units held cost, fees included (average cost method).
    #[ts(as = "crate::money::DecimalTs")]
    #[serde(with = "rust_decimal::serde::str")]
    pub cost: Decimal,
    /// Cost per unit (PRU), rounded to 4 decimals.
    #[ts(as = "Option<crate::money::DecimalTs>")]
    #[serde(with = "rust_decimal::serde::str_option")]
    pub average_cost: Option<Decimal>,
    /// Value − cost.
    #[ts(as = "crate::money::DecimalTs")]
    #[serde(with = "rust_decimal::serde::str")]
    pub unrealised: Decimal,
    /// Gains realised by sales up to the date.
    #[ts(as = "crate::money::DecimalTs")]
    #[serde(with = "rust_decimal::serde::str")]
    pub realised: Decimal,
    /// Dividends received from it up to the date.
    #[ts(as = "crate::money::DecimalTs")]
    #[serde(with = "rust_decimal::serde::str")]
    pub income: Decimal,
    /// The instrument's currency.
    pub currency: String,
}

/// Income and realised gains of one year.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, TS)]
pub struct YearIncome {
    /// The year.
    pub year: i32,
    /// Dividends and interest (account currency).
    #[ts(as = "crate::money::DecimalTs")]
    #[serde(with = "rust_decimal::serde::str")]
    pub income: Decimal,
    /// Gains realised by sales (instrument currencies summed when they are the account's).
    #[ts(as = "crate::money::DecimalTs")]
    #[serde(with = "rust_decimal::serde::str")]
    pub realised: Decimal,
    /// Fees charged (fee activities).
    #[ts(as = "crate::money::DecimalTs")]
    #[serde(with = "rust_decimal::serde::str")]
    pub fees: Decimal,
}

/// An account's positions and cash on a date, from its activities.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, TS)]
pub struct Holdings {
    /// The account.
    pub account_id: i64,
    /// The date.
    pub date: NaiveDate,
    /// The account's currency.
    pub currency: String,
    /// Cash from the activities (account currency).
    #[ts(as = "crate::money::DecimalTs")]
    #[serde(with = "rust_decimal::serde::str")]
    pub cash: Decimal,
    /// Positions held (units > 0), by instrument name; sold-out ones with a realised gain too.
    pub positions: Vec<Position>,
    /// Per year up to the date.
    pub years: Vec<YearIncome>,
    /// How many activities up to the date.
    pub activities: usize,
}

fn read_activity(r: &rusqlite::Row<'_>) -> rusqlite::Result<Activity> {
    let fees: String = r.get(8)?;
    Ok(Activity {
        id: r.get(0)?,
        account_id: r.get(1)?,
        date: r.get(2)?,
        kind: r.get(3)?,
        instrument_id: r.get(4)?,
        quantity: crate::wealth::values::opt_dec(r.get(5)?)?,
        unit_price: crate::wealth::values::opt_dec(r.get(6)?)?,
        amount: crate::wealth::values::opt_dec(r.get(7)?)?,
        fees: money::from_db(&fees)?,
        note: r.get(9)?,
    })
}

const ACTIVITY_COLUMNS: &str = "id, account_id, date, kind, instrument_id, quantity, unit_price, amount, fees, note";

fn account_activities(conn: &rusqlite::Connection, account: i64) -> Result<Vec<Activity>> {
    let mut st = conn
        .prepare_cached(&format!("SELECT {ACTIVITY_COLUMNS} FROM activity WHERE account_id = ?1 ORDER BY date, id"))?;
    let rows = st.query_map([account], read_activity)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Prices of the instruments: price points, and trades in any account (a price point
/// wins on its date; among trades of one date, the last entered).
fn observations(
    conn: &rusqlite::Connection,
    instruments: &HashSet<i64>,
) -> Result<HashMap<i64, Vec<(NaiveDate, Decimal)>>> {
    let mut out = HashMap::new();
    let mut prices = conn.prepare_cached("SELECT date, price FROM price WHERE instrument_id = ?1 ORDER BY date")?;
    let mut trades = conn.prepare_cached(
        "SELECT date, unit_price FROM activity WHERE instrument_id = ?1 AND kind IN ('buy', 'sell') ORDER BY date, id",
    )?;
    for &i in instruments {
        let mut by_date: BTreeMap<NaiveDate, (bool, Decimal)> = BTreeMap::new();
        let mut rows = trades.query([i])?;
        while let Some(r) = rows.next()? {
            let p: Option<String> = r.get(1)?;
            if let Some(p) = p {
                by_date.insert(r.get(0)?, (false, money::from_db(&p)?));
            }
        }
        let mut rows = prices.query([i])?;
        while let Some(r) = rows.next()? {
            let p: String = r.get(1)?;
            by_date.insert(r.get(0)?, (true, money::from_db(&p)?));
        }
        out.insert(i, by_date.into_iter().map(|(d, (_, p))| (d, p)).collect());
    }
    Ok(out)
}

/// The accounts whose activities use any of `instruments`.
fn accounts_holding(conn: &rusqlite::Connection, instruments: &HashSet<i64>) -> Result<HashSet<i64>> {
    let mut st = conn.prepare_cached("SELECT DISTINCT account_id FROM activity WHERE instrument_id = ?1")?;
    let mut out = HashSet::new();
    for &i in instruments {
        let rows = st.query_map([i], |r| r.get::<_, i64>(0))?;
        for a in rows {
            out.insert(a?);
        }
    }
    Ok(out)
}

/// Re-derives every account that trades any of `instruments` (their prices changed).
pub(crate) fn rederive_instruments(tx: &Transaction<'_>, instruments: &HashSet<i64>) -> Result<()> {
    let accounts = accounts_holding(tx, instruments)?;
    rederive_accounts(tx, &accounts)
}

/// Re-derives `accounts` (whose activities changed) and every account trading one of
/// `instruments` (those of the changed activities: a trade is a price for every account
/// holding its instrument, so their positions follow).
pub(crate) fn rederive_changed(
    tx: &Transaction<'_>,
    accounts: &HashSet<i64>,
    instruments: &HashSet<i64>,
) -> Result<()> {
    let mut all = accounts_holding(tx, instruments)?;
    all.extend(accounts);
    rederive_accounts(tx, &all)
}

/// For the CSV import, inside its own transaction, once it has inserted activities into
/// `accounts`: the first activity (accounts in id order, then by date and entry) that
/// sells or transfers out more units than its account holds on its date, if any, and
/// then nothing is re-derived. It is the last of the shortest prefix of its account's
/// activities that fails to replay, found by halves (a prefix that fails makes every
/// longer one fail: the replay is sequential, and units do not depend on prices).
/// Else `None`, after re-deriving `accounts` and the accounts trading `instruments`,
/// once, when `rederive` is set.
pub(crate) fn oversold_or_rederive(
    tx: &Transaction<'_>,
    accounts: &HashSet<i64>,
    instruments: &HashSet<i64>,
    rederive: bool,
) -> Result<Option<Activity>> {
    let mut sorted: Vec<i64> = accounts.iter().copied().collect();
    sorted.sort_unstable();
    let no_prices = HashMap::new();
    for account in sorted {
        let acts = account_activities(tx, account)?;
        let fails = |n: usize| match replay(&acts[..n], &no_prices) {
            Ok(_) => Ok(false),
            Err(Error::Input(InputError::SellExceedsPosition)) => Ok(true),
            Err(e) => Err(e),
        };
        if !fails(acts.len())? {
            continue;
        }
        let (mut passes, mut first_failing) = (0, acts.len());
        while first_failing - passes > 1 {
            let mid = passes + (first_failing - passes) / 2;
            if fails(mid)? {
                first_failing = mid;
            } else {
                passes = mid;
            }
        }
        return Ok(acts.get(first_failing - 1).cloned());
    }
    if rederive {
        rederive_changed(tx, accounts, instruments)?;
    }
    Ok(None)
}

fn rederive_accounts(tx: &Transaction<'_>, accounts: &HashSet<i64>) -> Result<()> {
    let mut sorted: Vec<i64> = accounts.iter().copied().collect();
    sorted.sort_unstable();
    for a in sorted {
        rederive_account(tx, a)?;
    }
    Ok(())
}

/// Inserts a checked activity; returns its id (the accounts are re-derived by the caller).
pub(crate) fn insert_activity(tx: &Transaction<'_>, a: &Activity) -> Result<i64> {
    tx.prepare_cached(
        "INSERT INTO activity (account_id, date, kind, instrument_id, quantity, unit_price, amount, fees, note)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
    )?
    .execute(params![
        a.account_id,
        a.date,
        a.kind.as_str(),
        a.instrument_id,
        a.quantity.map(|d| d.to_string()),
        a.unit_price.map(|d| d.to_string()),
        a.amount.map(|d| d.to_string()),
        a.fees.to_string(),
        a.note
    ])?;
    Ok(tx.last_insert_rowid())
}

/// A name for a new derived asset in `account`, unique there.
fn free_name(tx: &Transaction<'_>, account: i64, wanted: &str) -> Result<String> {
    let mut st = tx.prepare_cached("SELECT count(*) > 0 FROM asset WHERE account_id = ?1 AND name = ?2")?;
    for n in 1..100 {
        let candidate = if n == 1 { wanted.to_owned() } else { format!("{wanted} ({n})") };
        if !st.query_row(params![account, candidate], |r| r.get::<_, bool>(0))? {
            return Ok(candidate);
        }
    }
    Err(InputError::Duplicate("asset").into())
}

/// Makes `asset`'s value points exactly `points` (date-ordered), writing only what
/// differs from what is stored: a new activity or price usually changes a few points
/// of a long history, and writes cost far more than reads in an encrypted vault.
fn write_points(
    tx: &Transaction<'_>,
    asset: i64,
    points: impl Iterator<Item = (NaiveDate, Decimal, Option<(Decimal, Option<Decimal>)>)>,
) -> Result<()> {
    type Stored = (String, Option<String>, Option<String>);
    let mut stored: BTreeMap<NaiveDate, Stored> = BTreeMap::new();
    {
        let mut st =
            tx.prepare_cached("SELECT date, value, quantity, unit_price FROM value_point WHERE asset_id = ?1")?;
        let mut rows = st.query([asset])?;
        while let Some(r) = rows.next()? {
            stored.insert(r.get(0)?, (r.get(1)?, r.get(2)?, r.get(3)?));
        }
    }
    let mut upsert = tx.prepare_cached(
        "INSERT INTO value_point (asset_id, date, value, quantity, unit_price, source) VALUES (?1, ?2, ?3, ?4, ?5, 'manual')
         ON CONFLICT (asset_id, date) DO UPDATE SET value = excluded.value, quantity = excluded.quantity,
         unit_price = excluded.unit_price",
    )?;
    let mut months: BTreeSet<String> = BTreeSet::new();
    for (date, value, units) in points {
        let (q, p) = match units {
            Some((q, p)) => (Some(q.normalize().to_string()), p.map(|p| p.normalize().to_string())),
            None => (None, None),
        };
        let row = (value.normalize().to_string(), q, p);
        if stored.remove(&date).as_ref() != Some(&row) {
            upsert.execute(params![asset, date, row.0, row.1, row.2])?;
            months.insert(date.format("%Y-%m").to_string());
        }
    }
    let mut delete = tx.prepare_cached("DELETE FROM value_point WHERE asset_id = ?1 AND date = ?2")?;
    for date in stored.into_keys() {
        delete.execute(params![asset, date])?;
        months.insert(date.format("%Y-%m").to_string());
    }
    crate::wealth::values::refresh_months(tx, months.into_iter().map(|m| (asset, m)))
}

fn rederive_account(tx: &Transaction<'_>, account: i64) -> Result<()> {
    let Some(currency): Option<String> =
        tx.query_row("SELECT currency FROM account WHERE id = ?1", [account], |r| r.get(0)).optional()?
    else {
        return Ok(());
    };
    let acts = account_activities(tx, account)?;
    let instruments: HashSet<i64> =
        acts.iter().filter(|a| a.kind.needs_instrument()).filter_map(|a| a.instrument_id).collect();
    let obs = observations(tx, &instruments)?;
    let r = replay(&acts, &obs)?;

    // Positions: one asset per instrument traded here; the others go.
    let existing: Vec<(i64, i64)> = {
        let mut st = tx.prepare_cached(
            "SELECT id, instrument_id FROM asset WHERE account_id = ?1 AND derived = 'position' AND instrument_id IS NOT NULL",
        )?;
        let rows = st.query_map([account], |r| Ok((r.get(0)?, r.get(1)?)))?;
        rows.collect::<rusqlite::Result<_>>()?
    };
    for (asset, instrument) in &existing {
        if !instruments.contains(instrument) {
            tx.execute("DELETE FROM asset WHERE id = ?1", [asset])?;
        }
    }
    for (instrument, track) in &r.tracks {
        if !instruments.contains(instrument) {
            continue;
        }
        let asset = match existing.iter().find(|(_, i)| i == instrument) {
            Some((a, _)) => *a,
            None => {
                let (name, class, cur, isin, ticker): (String, AssetClass, String, Option<String>, Option<String>) = tx
                    .query_row(
                        "SELECT name, class, currency, isin, ticker FROM instrument WHERE id = ?1",
                        [instrument],
                        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)),
                    )?;
                let name = free_name(tx, account, &name)?;
                tx.execute(
                    "INSERT INTO asset (account_id, name, class, liability, currency, isin, ticker, derived, instrument_id)
                     VALUES (?1, ?2, ?3, 0, ?4, ?5, ?6, 'position', ?7)",
                    params![account, name, class.as_str(), cur, isin, ticker, instrument],
                )?;
                tx.last_insert_rowid()
            }
        };
        write_points(tx, asset, track.points.iter().map(|p| (p.date, p.value, Some((p.units, p.price)))))?;
    }

    // Cash: one asset while any activity moved money.
    let cash_asset: Option<i64> = tx
        .query_row("SELECT id FROM asset WHERE account_id = ?1 AND derived = 'cash'", [account], |r| r.get(0))
        .optional()?;
    match (cash_asset, r.cash_points.is_empty()) {
        (Some(asset), true) => {
            tx.execute("DELETE FROM asset WHERE id = ?1", [asset])?;
        }
        (asset, false) => {
            let asset = match asset {
                Some(a) => a,
                None => {
                    let name = free_name(tx, account, Derived::Cash.labels().fr)?;
                    tx.execute(
                        "INSERT INTO asset (account_id, name, class, liability, currency, derived)
                         VALUES (?1, ?2, 'cash', 0, ?3, 'cash')",
                        params![account, name, currency],
                    )?;
                    tx.last_insert_rowid()
                }
            };
            write_points(tx, asset, r.cash_points.iter().map(|(d, c)| (*d, *c, None)))?;
        }
        (None, true) => {}
    }
    Ok(())
}

impl Vault {
    /// Activities of one account (or all), by date then entry.
    pub fn activities(&self, account_id: Option<i64>) -> Result<Vec<Activity>> {
        let mut st = self.conn.prepare_cached(&format!(
            "SELECT {ACTIVITY_COLUMNS} FROM activity WHERE ?1 IS NULL OR account_id = ?1 ORDER BY date, id"
        ))?;
        let rows = st.query_map([account_id], read_activity)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    fn check_activity(&self, a: &Activity) -> Result<Activity> {
        let account: Option<(String, Option<NaiveDate>)> = self
            .conn
            .query_row("SELECT currency, opened_on FROM account WHERE id = ?1", [a.account_id], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })
            .optional()?;
        let (currency, opened) = account.ok_or(InputError::NotFound("account"))?;
        let instrument_currency: Option<String> = match a.instrument_id {
            Some(i) => Some(
                self.conn
                    .query_row("SELECT currency FROM instrument WHERE id = ?1", [i], |r| r.get(0))
                    .optional()?
                    .ok_or(InputError::NotFound("instrument"))?,
            ),
            None => None,
        };
        normalise(a, (&currency, opened), instrument_currency.as_deref())
    }

    /// Records activities, all or nothing, and re-derives the accounts concerned.
    /// Returns their ids. A sale of more units than held on its date is refused
    /// ([`InputError::SellExceedsPosition`]) and nothing is written.
    pub fn add_activities(&self, activities: &[Activity]) -> Result<Vec<i64>> {
        let checked: Vec<Activity> = activities.iter().map(|a| self.check_activity(a)).collect::<Result<_>>()?;
        self.write(|tx| {
            let ids = checked.iter().map(|a| insert_activity(tx, a)).collect::<Result<Vec<i64>>>()?;
            let accounts: HashSet<i64> = checked.iter().map(|a| a.account_id).collect();
            let instruments: HashSet<i64> = checked.iter().filter_map(|a| a.instrument_id).collect();
            rederive_changed(tx, &accounts, &instruments)?;
            Ok(ids)
        })
    }

    /// Records one activity; returns its id.
    pub fn add_activity(&self, a: &Activity) -> Result<i64> {
        self.add_activities(std::slice::from_ref(a))?.first().copied().ok_or_else(|| Error::invalid("activity", "none"))
    }

    /// An opening position without its history: `quantity` units of `instrument_id`
    /// bought for `average_cost` each, held on `date` (a transfer in).
    pub fn add_opening_position(
        &self,
        account_id: i64,
        instrument_id: i64,
        date: NaiveDate,
        quantity: Decimal,
        average_cost: Decimal,
    ) -> Result<i64> {
        self.add_activity(&Activity {
            id: 0,
            account_id,
            date,
            kind: ActivityKind::TransferIn,
            instrument_id: Some(instrument_id),
            quantity: Some(quantity),
            unit_price: Some(average_cost),
            amount: None,
            fees: Decimal::ZERO,
            note: "opening position".into(),
        })
    }

    /// Changes an activity (it may move to another account); both accounts are re-derived.
    pub fn update_activity(&self, id: i64, a: &Activity) -> Result<()> {
        let a = self.check_activity(a)?;
        self.write(|tx| {
            let old: Option<(i64, Option<i64>)> = tx
                .query_row("SELECT account_id, instrument_id FROM activity WHERE id = ?1", [id], |r| {
                    Ok((r.get(0)?, r.get(1)?))
                })
                .optional()?;
            let (old, old_instrument) = old.ok_or(InputError::NotFound("activity"))?;
            tx.execute(
                "UPDATE activity SET account_id = ?1, date = ?2, kind = ?3, instrument_id = ?4, quantity = ?5,
                 unit_price = ?6, amount = ?7, fees = ?8, note = ?9 WHERE id = ?10",
                params![
                    a.account_id,
                    a.date,
                    a.kind.as_str(),
                    a.instrument_id,
                    a.quantity.map(|d| d.to_string()),
                    a.unit_price.map(|d| d.to_string()),
                    a.amount.map(|d| d.to_string()),
                    a.fees.to_string(),
                    a.note,
                    id
                ],
            )?;
            let instruments: HashSet<i64> = old_instrument.into_iter().chain(a.instrument_id).collect();
            rederive_changed(tx, &HashSet::from([old, a.account_id]), &instruments)
        })
    }

    /// Deletes an activity; refused (nothing changed) when a later sale would then sell
    /// more than held.
    pub fn delete_activity(&self, id: i64) -> Result<()> {
        self.write(|tx| {
            let row: Option<(i64, Option<i64>)> = tx
                .query_row("SELECT account_id, instrument_id FROM activity WHERE id = ?1", [id], |r| {
                    Ok((r.get(0)?, r.get(1)?))
                })
                .optional()?;
            let (account, instrument) = row.ok_or(InputError::NotFound("activity"))?;
            tx.execute("DELETE FROM activity WHERE id = ?1", [id])?;
            rederive_changed(tx, &HashSet::from([account]), &instrument.into_iter().collect())
        })
    }

    /// An account's positions, cash, gains and income on `date`, from its activities.
    pub fn holdings(&self, account_id: i64, date: NaiveDate) -> Result<Holdings> {
        let currency: String = self
            .conn
            .query_row("SELECT currency FROM account WHERE id = ?1", [account_id], |r| r.get(0))
            .optional()?
            .ok_or(InputError::NotFound("account"))?;
        let acts: Vec<Activity> =
            account_activities(&self.conn, account_id)?.into_iter().filter(|a| a.date <= date).collect();
        let instruments: HashSet<i64> = acts.iter().filter_map(|a| a.instrument_id).collect();
        let mut obs = observations(&self.conn, &instruments)?;
        for list in obs.values_mut() {
            list.retain(|(d, _)| *d <= date);
        }
        let r = replay(&acts, &obs)?;
        let meta: HashMap<i64, (String, String)> =
            self.instruments()?.into_iter().map(|i| (i.id, (i.name, i.currency))).collect();
        let assets: HashMap<i64, i64> = {
            let mut st = self
                .conn
                .prepare_cached("SELECT instrument_id, id FROM asset WHERE account_id = ?1 AND derived = 'position'")?;
            let rows = st.query_map([account_id], |r| Ok((r.get(0)?, r.get(1)?)))?;
            rows.collect::<rusqlite::Result<_>>()?
        };
        let mut positions: Vec<Position> = r
            .tracks
            .iter()
            .filter(|(_, t)| !t.units.is_zero() || !t.realised.is_zero() || !t.income.is_zero())
            .map(|(i, t)| {
                let value = t.value();
                Position {
                    instrument_id: *i,
                    asset_id: assets.get(i).copied(),
                    units: t.units.normalize(),
                    price: t.price.map(|p| p.1.normalize()),
                    price_date: t.price.map(|p| p.0),
                    value: money::round_cents(value),
                    cost: money::round_cents(t.cost),
                    average_cost: (!t.units.is_zero()).then(|| (t.cost / t.units).round_dp(4).normalize()),
                    unrealised: money::round_cents(value - t.cost),
                    realised: money::round_cents(t.realised),
                    income: money::round_cents(t.income),
                    currency: meta.get(i).map(|m| m.1.clone()).unwrap_or_default(),
                }
            })
            .collect();
        positions.sort_by(|a, b| {
            let name = |p: &Position| meta.get(&p.instrument_id).map(|m| m.0.to_lowercase()).unwrap_or_default();
            name(a).cmp(&name(b))
        });
        let mut years: BTreeMap<i32, YearIncome> = BTreeMap::new();
        let year = |y: i32| YearIncome { year: y, income: Decimal::ZERO, realised: Decimal::ZERO, fees: Decimal::ZERO };
        for (y, v) in &r.income {
            years.entry(*y).or_insert_with(|| year(*y)).income += v;
        }
        for ((y, _), v) in &r.realised {
            years.entry(*y).or_insert_with(|| year(*y)).realised += v;
        }
        for (y, v) in &r.fees {
            years.entry(*y).or_insert_with(|| year(*y)).fees += v;
        }
        let years = years
            .into_values()
            .map(|mut y| {
                y.income = money::round_cents(y.income);
                y.realised = money::round_cents(y.realised);
                y.fees = money::round_cents(y.fees);
                y
            })
            .collect();
        Ok(Holdings {
            account_id,
            date,
            currency,
            cash: money::round_cents(r.cash),
            positions,
            years,
            activities: acts.len(),
        })
    }

    /// External flows of the accounts with activities within `(from, to]`: deposits,
    /// withdrawals and transfers of units (at the position's price), each with the
    /// currency it is in. Used by performance.
    pub(crate) fn activity_flows(
        &self,
        account: Option<i64>,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<Vec<(i64, NaiveDate, Decimal, String)>> {
        let accounts: Vec<(i64, String)> = {
            let mut st = self.conn.prepare_cached(
                "SELECT DISTINCT t.account_id, a.currency FROM activity t JOIN account a ON a.id = t.account_id
                 WHERE (?1 IS NULL OR t.account_id = ?1) AND t.date > ?2 AND t.date <= ?3",
            )?;
            let rows = st.query_map(params![account, from, to], |r| Ok((r.get(0)?, r.get(1)?)))?;
            rows.collect::<rusqlite::Result<_>>()?
        };
        let currencies: HashMap<i64, String> = self.instruments()?.into_iter().map(|i| (i.id, i.currency)).collect();
        let mut out = vec![];
        for (acc, cur) in accounts {
            let acts: Vec<Activity> =
                account_activities(&self.conn, acc)?.into_iter().filter(|a| a.date <= to).collect();
            let transfers = acts
                .iter()
                .any(|a| a.date > from && matches!(a.kind, ActivityKind::TransferIn | ActivityKind::TransferOut));
            let r = if transfers {
                let instruments: HashSet<i64> = acts.iter().filter_map(|a| a.instrument_id).collect();
                replay(&acts, &observations(&self.conn, &instruments)?)?
            } else {
                // Deposits and withdrawals need no prices.
                let only: Vec<Activity> = acts
                    .into_iter()
                    .filter(|a| matches!(a.kind, ActivityKind::Deposit | ActivityKind::Withdrawal))
                    .collect();
                replay(&only, &HashMap::new())?
            };
            for (d, amount, inst) in r.flows {
                if d > from && d <= to {
                    let c = inst.and_then(|i| currencies.get(&i).cloned()).unwrap_or_else(|| cur.clone());
                    out.push((acc, d, amount, c));
                }
            }
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }
    fn dec(s: &str) -> Decimal {
        s.parse().unwrap()
    }
    #[allow(clippy::too_many_arguments)]
    fn act(
        id: i64,
        date: &str,
        kind: ActivityKind,
        inst: Option<i64>,
        q: &str,
        p: &str,
        amount: &str,
        fees: &str,
    ) -> Activity {
        let opt = |s: &str| (!s.is_empty()).then(|| dec(s));
        Activity {
            id,
            account_id: 1,
            date: d(date),
            kind,
            instrument_id: inst,
            quantity: opt(q),
            unit_price: opt(p),
            amount: opt(amount),
            fees: opt(fees).unwrap_or_default(),
            note: String::new(),
        }
    }

    /// Deposit 10 000, buy 100 at 50 + 5 fees, buy 50 at 62 + 5, sell 75 at 70 − 5,
    /// a dividend of 120, a fee of 10; by hand: cost 5 000 + 5 + 3 100 + 5 = 8 110 for
    /// 150 units (54.0666…/unit); the sale takes 75/150 of it: 4 055, proceeds
    /// 5 250 − 5 = 5 245, realised 1 190; cash 10 000 − 5 005 − 3 105 + 5 245 + 120 − 10
    /// = 7 245; 75 units left at cost 4 055, valued at the last trade price 70 = 5 250.
    #[test]
    fn positions_and_cash_follow_the_hand_computed_case() {
        use ActivityKind::*;
        let acts = vec![
            act(1, "2024-01-02", Deposit, None, "", "", "10000", ""),
            act(2, "2024-01-03", Buy, Some(7), "100", "50", "", "5"),
            act(3, "2024-03-01", Buy, Some(7), "50", "62", "", "5"),
            act(4, "2024-06-03", Sell, Some(7), "75", "70", "", "5"),
            act(5, "2024-06-20", Dividend, Some(7), "", "", "120", ""),
            act(6, "2024-12-31", Fee, None, "", "", "10", ""),
        ];
        let obs = HashMap::from([(
            7,
            vec![(d("2024-01-03"), dec("50")), (d("2024-03-01"), dec("62")), (d("2024-06-03"), dec("70"))],
        )]);
        let r = replay(&acts, &obs).unwrap();
        let t = &r.tracks[&7];
        assert_eq!(t.units, dec("75"));
        assert_eq!(t.cost, dec("4055"));
        assert_eq!(t.realised, dec("1190"));
        assert_eq!(t.value(), dec("5250"));
        assert_eq!(t.income, dec("120"));
        assert_eq!(r.cash, dec("7245"));
        assert_eq!(r.income[&2024], dec("120"));
        assert_eq!(r.flows, vec![(d("2024-01-02"), dec("10000"), None)]);
        // Value points: 5 000 on the first buy, 150 × 62 = 9 300, 75 × 70 = 5 250.
        let values: Vec<(NaiveDate, Decimal)> = t.points.iter().map(|p| (p.date, p.value)).collect();
        assert_eq!(
            values,
            vec![(d("2024-01-03"), dec("5000")), (d("2024-03-01"), dec("9300")), (d("2024-06-03"), dec("5250"))]
        );
        let cash: Vec<Decimal> = r.cash_points.iter().map(|c| c.1).collect();
        assert_eq!(cash, vec![dec("10000"), dec("4995"), dec("1890"), dec("7135"), dec("7255"), dec("7245")]);
    }

    #[test]
    fn selling_more_than_held_is_refused() {
        use ActivityKind::*;
        let acts = vec![
            act(1, "2024-01-03", Buy, Some(7), "10", "50", "", ""),
            act(2, "2024-01-04", Sell, Some(7), "10.5", "50", "", ""),
        ];
        assert_eq!(replay(&acts, &HashMap::new()).unwrap_err().code(), "sell_exceeds_position");
        // The same sale before the buy, on an earlier date, too.
        let acts = vec![
            act(2, "2024-01-02", Sell, Some(7), "1", "50", "", ""),
            act(1, "2024-01-03", Buy, Some(7), "10", "50", "", ""),
        ];
        assert_eq!(replay(&acts, &HashMap::new()).unwrap_err().code(), "sell_exceeds_position");
    }

    /// A price point wins over a trade on its date; a split divides the last price; an
    /// opening position is worth its cost until a first price.
    #[test]
    fn prices_splits_and_opening_positions() {
        use ActivityKind::*;
        let acts = vec![
            act(1, "2024-01-02", TransferIn, Some(3), "120", "25.10", "", ""),
            act(2, "2024-02-01", Split, Some(3), "2", "", "", ""),
        ];
        let obs = HashMap::from([(3, vec![(d("2024-01-15"), dec("30"))])]);
        let r = replay(&acts, &obs).unwrap();
        let t = &r.tracks[&3];
        let values: Vec<(NaiveDate, Decimal, Decimal)> = t.points.iter().map(|p| (p.date, p.units, p.value)).collect();
        assert_eq!(
            values,
            vec![
                (d("2024-01-02"), dec("120"), dec("3012.00")),
                (d("2024-01-15"), dec("120"), dec("3600")),
                // 240 units at 30 / 2: the same 3 600.
                (d("2024-02-01"), dec("240"), dec("3600")),
            ]
        );
        // The opening position is an external flow at its cost (no price known yet).
        assert_eq!(r.flows, vec![(d("2024-01-02"), dec("3012.00"), Some(3))]);
        assert!(r.cash_points.is_empty());
    }

    #[test]
    fn normalise_checks_each_kind() {
        use ActivityKind::*;
        let acc = ("EUR", Some(d("2024-01-01")));
        let code = |a: Activity| normalise(&a, acc, Some("EUR")).unwrap_err().code();
        assert_eq!(code(act(0, "2023-12-31", Deposit, None, "", "", "10", "")), "before_account_opening");
        assert_eq!(code(act(0, "2024-01-02", Split, Some(1), "0", "", "", "")), "split_ratio_invalid");
        assert_eq!(code(act(0, "2024-01-02", Buy, Some(1), "1", "0", "", "")), "price_not_positive");
        assert_eq!(code(act(0, "2024-01-02", Buy, Some(1), "1", "-3", "", "")), "price_not_positive");
        assert_eq!(code(act(0, "2024-01-02", Buy, None, "1", "3", "", "")), "invalid_input");
        assert_eq!(code(act(0, "2024-01-02", Deposit, None, "", "", "0", "")), "invalid_input");
        assert_eq!(code(act(0, "2024-01-02", Buy, Some(1), "1", "3", "", "-1")), "invalid_input");
        // A USD instrument in a EUR account needs the amount moved.
        let usd = act(0, "2024-01-02", Buy, Some(1), "1", "3", "", "");
        assert_eq!(normalise(&usd, acc, Some("USD")).unwrap_err().code(), "invalid_input");
        let ok = normalise(&act(0, "2024-01-02", Deposit, Some(4), "3", "2", "10", "1"), acc, None).unwrap();
        assert_eq!((ok.instrument_id, ok.quantity, ok.unit_price, ok.fees), (None, None, None, Decimal::ZERO));
    }
}
