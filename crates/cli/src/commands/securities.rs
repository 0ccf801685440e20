//! Instruments and their prices, account activities, opening positions, and what they
//! give: an account's holdings on a date.

use std::collections::{BTreeMap, HashMap};

use chrono::NaiveDate;
use patrimoine_core::activities::{Activity, ActivityKind, Holdings, Position, YearIncome};
use patrimoine_core::instruments::{Instrument, PricePoint};
use patrimoine_core::money::Decimal;
use patrimoine_core::portfolio::{Account, AssetClass, Weight};
use patrimoine_core::values::Source;
use patrimoine_core::Vault;
use serde::Serialize;

use crate::cli::{AccountArg, ActivityCmd, ActivityFields, InstrumentCmd, PositionCmd, PriceCmd, WeightArg};
use crate::commands::analytics::today;
use crate::commands::lookup;
use crate::ctx::{Ctx, Failure, Outcome};
use crate::output::print_json;

/// `instrument …`.
pub fn instrument(ctx: &Ctx, cmd: InstrumentCmd) -> Outcome {
    match cmd {
        InstrumentCmd::Add { name, title, isin, ticker, currency, class, weight } => {
            let s = ctx.unlock(&name)?;
            let v = s.vault();
            let allocations = weights(v, BTreeMap::new(), &weight)?;
            let id = v.create_instrument(&Instrument {
                id: 0,
                name: title,
                isin,
                ticker,
                currency,
                class,
                archived: false,
                allocations,
            })?;
            println!("{id}");
            Ok(())
        }
        InstrumentCmd::List { name, json } => list_instruments(ctx, &name, json),
        InstrumentCmd::Edit { name, instrument, title, isin, ticker, currency, class, weight, archive, unarchive } => {
            edit_instrument(
                ctx,
                &name,
                &instrument,
                InstrumentEdit { title, isin, ticker, currency, class, weight, archive, unarchive },
            )
        }
        InstrumentCmd::Delete { name, instrument } => {
            let s = ctx.unlock(&name)?;
            let i = lookup::instrument(s.vault(), &instrument)?;
            s.vault().delete_instrument(i.id)?;
            eprintln!("Instrument {} deleted.", i.name);
            Ok(())
        }
    }
}

/// `allocations` with the weights given replacing those of the dimensions they name
/// (named as the profile spells them).
fn weights(
    v: &Vault,
    mut allocations: BTreeMap<String, Vec<Weight>>,
    given: &[WeightArg],
) -> Result<BTreeMap<String, Vec<Weight>>, Failure> {
    if given.is_empty() {
        return Ok(allocations);
    }
    let dims = v.dimensions()?;
    let mut replaced: BTreeMap<String, Vec<Weight>> = BTreeMap::new();
    for w in given {
        let dim = dims
            .iter()
            .find(|d| d.name.to_lowercase() == w.dimension.to_lowercase())
            .map(|d| d.name.clone())
            .ok_or_else(|| Failure::Lookup("not_found", format!("no allocation dimension named {:?}", w.dimension)))?;
        replaced.entry(dim).or_default().push(Weight { bucket: w.bucket.clone(), weight: w.pct });
    }
    for (dim, list) in replaced {
        allocations.retain(|d, _| d.to_lowercase() != dim.to_lowercase());
        allocations.insert(dim, list);
    }
    Ok(allocations)
}

/// The changes `instrument edit` asks for.
struct InstrumentEdit {
    title: Option<String>,
    isin: Option<String>,
    ticker: Option<String>,
    currency: Option<String>,
    class: Option<AssetClass>,
    weight: Vec<WeightArg>,
    archive: bool,
    unarchive: bool,
}

fn edit_instrument(ctx: &Ctx, name: &str, key: &str, e: InstrumentEdit) -> Outcome {
    let s = ctx.unlock(name)?;
    let v = s.vault();
    let mut i = lookup::instrument(v, key)?;
    if let Some(t) = e.title {
        i.name = t;
    }
    if let Some(isin) = e.isin {
        i.isin = Some(isin);
    }
    if let Some(t) = e.ticker {
        i.ticker = Some(t);
    }
    if let Some(c) = e.currency {
        i.currency = c;
    }
    if let Some(c) = e.class {
        i.class = c;
    }
    if e.archive {
        i.archived = true;
    }
    if e.unarchive {
        i.archived = false;
    }
    i.allocations = weights(v, std::mem::take(&mut i.allocations), &e.weight)?;
    v.update_instrument(i.id, &i)?;
    Ok(())
}

#[derive(Serialize)]
struct InstrumentOut<'a> {
    #[serde(flatten)]
    instrument: &'a Instrument,
    /// The latest price, if any.
    latest_price: Option<String>,
    /// Its date.
    latest_price_date: Option<NaiveDate>,
}

fn list_instruments(ctx: &Ctx, name: &str, json: bool) -> Outcome {
    let s = ctx.unlock(name)?;
    let v = s.vault();
    let latest: HashMap<i64, (NaiveDate, Decimal)> =
        v.latest_prices()?.into_iter().map(|p| (p.instrument_id, (p.date, p.price))).collect();
    let instruments = v.instruments()?;
    if json {
        let out: Vec<InstrumentOut<'_>> = instruments
            .iter()
            .map(|i| {
                let p = latest.get(&i.id);
                InstrumentOut {
                    instrument: i,
                    latest_price: p.map(|p| p.1.to_string()),
                    latest_price_date: p.map(|p| p.0),
                }
            })
            .collect();
        print_json(&out);
        return Ok(());
    }
    for i in &instruments {
        let price = match latest.get(&i.id) {
            Some((d, p)) => format!("{p} {} on {d}", i.currency),
            None => format!("no price ({})", i.currency),
        };
        println!(
            "{:>5}  {:<30} {:<12} {:<8} {:<14} {}{}",
            i.id,
            i.name,
            i.isin.as_deref().unwrap_or("-"),
            i.ticker.as_deref().unwrap_or("-"),
            i.class.as_str(),
            price,
            if i.archived { "  (archived)" } else { "" }
        );
    }
    Ok(())
}

/// `price …`.
pub fn price(ctx: &Ctx, cmd: PriceCmd) -> Outcome {
    match cmd {
        PriceCmd::Set { name, instrument, points, date, price } => {
            if date.len() != price.len() {
                return Err(Failure::Usage("usage", "give as many --price as --date, in the same order".into()));
            }
            let mut all = points;
            all.extend(date.into_iter().zip(price));
            if all.is_empty() {
                return Err(Failure::Usage("usage", "give DATE=PRICE, or --date D --price P".into()));
            }
            let s = ctx.unlock(&name)?;
            let v = s.vault();
            let i = lookup::instrument(v, &instrument)?;
            let points: Vec<PricePoint> = all
                .into_iter()
                .map(|(date, price)| PricePoint { instrument_id: i.id, date, price, source: Source::Manual })
                .collect();
            let r = v.set_prices(&points)?;
            println!("{} price(s) for {}: {} new, {} replaced", points.len(), i.name, r.inserted, r.updated);
            Ok(())
        }
        PriceCmd::List { name, instrument, json } => {
            let s = ctx.unlock(&name)?;
            let v = s.vault();
            let i = lookup::instrument(v, &instrument)?;
            let prices = v.prices(i.id)?;
            if json {
                print_json(&prices);
            } else {
                for p in prices {
                    let source = if p.source == Source::Import { "import" } else { "manual" };
                    println!("{} {} {} {source}", p.date, p.price, i.currency);
                }
            }
            Ok(())
        }
        PriceCmd::Delete { name, instrument, date } => {
            let s = ctx.unlock(&name)?;
            let v = s.vault();
            let i = lookup::instrument(v, &instrument)?;
            v.delete_price(i.id, date)?;
            eprintln!("Price of {} on {date} deleted.", i.name);
            Ok(())
        }
    }
}

/// `activity …`.
pub fn activity(ctx: &Ctx, cmd: ActivityCmd) -> Outcome {
    match cmd {
        ActivityCmd::Add { name, account, kind, date, fields } => {
            let s = ctx.unlock(&name)?;
            let v = s.vault();
            let acc = resolve(v, &account)?;
            let mut a = Activity {
                id: 0,
                account_id: acc.id,
                date,
                kind,
                instrument_id: None,
                quantity: None,
                unit_price: None,
                amount: None,
                fees: Decimal::ZERO,
                note: String::new(),
            };
            apply(v, &mut a, fields)?;
            println!("{}", v.add_activity(&a)?);
            Ok(())
        }
        ActivityCmd::List { name, institution, account, json } => {
            list_activities(ctx, &name, institution.as_deref(), account.as_deref(), json)
        }
        ActivityCmd::Edit { name, id, institution, account, kind, date, fields } => {
            let s = ctx.unlock(&name)?;
            let v = s.vault();
            let mut a = v
                .activities(None)?
                .into_iter()
                .find(|a| a.id == id)
                .ok_or_else(|| Failure::Lookup("not_found", format!("no activity {id}")))?;
            if let Some(acc) = account {
                a.account_id = lookup::account(v, institution.as_deref(), &acc)?.id;
            }
            if let Some(k) = kind {
                a.kind = k;
            }
            if let Some(d) = date {
                a.date = d;
            }
            apply(v, &mut a, fields)?;
            v.update_activity(id, &a)?;
            Ok(())
        }
        ActivityCmd::Delete { name, id } => {
            let s = ctx.unlock(&name)?;
            s.vault().delete_activity(id)?;
            eprintln!("Activity {id} deleted.");
            Ok(())
        }
    }
}

fn resolve(v: &Vault, a: &AccountArg) -> Result<Account, Failure> {
    lookup::account(v, a.institution.as_deref(), &a.account)
}

/// Sets the fields given on the command line.
fn apply(v: &Vault, a: &mut Activity, f: ActivityFields) -> Result<(), Failure> {
    if let Some(i) = f.instrument {
        a.instrument_id = Some(lookup::instrument(v, &i)?.id);
    }
    if f.quantity.is_some() {
        a.quantity = f.quantity;
    }
    if f.unit_price.is_some() {
        a.unit_price = f.unit_price;
    }
    if f.amount.is_some() {
        a.amount = f.amount;
    }
    if let Some(fees) = f.fees {
        a.fees = fees;
    }
    if let Some(n) = f.note {
        a.note = n;
    }
    Ok(())
}

#[derive(Serialize)]
struct ActivityOut<'a> {
    #[serde(flatten)]
    activity: &'a Activity,
    /// "Institution / account".
    account: String,
    /// The instrument's name.
    instrument: Option<String>,
}

fn list_activities(ctx: &Ctx, name: &str, institution: Option<&str>, account: Option<&str>, json: bool) -> Outcome {
    let s = ctx.unlock(name)?;
    let v = s.vault();
    let accounts = v.accounts()?;
    let only: Option<Vec<i64>> = match (institution, account) {
        (_, Some(acc)) => Some(vec![lookup::account(v, institution, acc)?.id]),
        (Some(inst), None) => {
            let i = lookup::institution(v, inst)?;
            Some(accounts.iter().filter(|a| a.institution_id == i.id).map(|a| a.id).collect())
        }
        (None, None) => None,
    };
    let activities: Vec<Activity> =
        v.activities(None)?.into_iter().filter(|a| only.as_ref().is_none_or(|o| o.contains(&a.account_id))).collect();
    let mut labels: HashMap<i64, String> = HashMap::new();
    for acc in &accounts {
        labels.insert(acc.id, lookup::account_label(v, acc)?);
    }
    let names: HashMap<i64, String> = v.instruments()?.into_iter().map(|i| (i.id, i.name)).collect();
    let out: Vec<ActivityOut<'_>> = activities
        .iter()
        .map(|a| ActivityOut {
            activity: a,
            account: labels.get(&a.account_id).cloned().unwrap_or_default(),
            instrument: a.instrument_id.and_then(|i| names.get(&i).cloned()),
        })
        .collect();
    if json {
        print_json(&out);
        return Ok(());
    }
    let opt = |label: &str, d: Option<Decimal>| d.map(|d| format!(" {label} {d}")).unwrap_or_default();
    for o in &out {
        let a = o.activity;
        println!(
            "{:>5}  {}  {:<12} {:<30} {}{}{}{}{}{}",
            a.id,
            a.date,
            a.kind.as_str(),
            o.account,
            o.instrument.as_deref().unwrap_or("-"),
            opt(if a.kind == ActivityKind::Split { "ratio" } else { "quantity" }, a.quantity),
            opt("price", a.unit_price),
            opt("amount", a.amount),
            if a.fees.is_zero() { String::new() } else { format!(" fees {}", a.fees) },
            if a.note.is_empty() { String::new() } else { format!("  ({})", a.note) }
        );
    }
    Ok(())
}

/// `position …`.
pub fn position(ctx: &Ctx, cmd: PositionCmd) -> Outcome {
    match cmd {
        PositionCmd::Open { name, account, instrument, date, quantity, average_cost } => {
            let s = ctx.unlock(&name)?;
            let v = s.vault();
            let acc = resolve(v, &account)?;
            let i = lookup::instrument(v, &instrument)?;
            println!("{}", v.add_opening_position(acc.id, i.id, date, quantity, average_cost)?);
            Ok(())
        }
    }
}

#[derive(Serialize)]
struct PositionOut<'a> {
    #[serde(flatten)]
    position: &'a Position,
    /// The instrument's name.
    name: String,
    /// Its ISIN.
    isin: Option<String>,
}

#[derive(Serialize)]
struct HoldingsOut<'a> {
    account_id: i64,
    /// "Institution / account".
    account: String,
    date: NaiveDate,
    currency: &'a str,
    cash: String,
    positions: Vec<PositionOut<'a>>,
    years: &'a [YearIncome],
    activities: usize,
}

/// `holdings`.
pub fn holdings(ctx: &Ctx, name: &str, account: &AccountArg, at: Option<NaiveDate>, json: bool) -> Outcome {
    let s = ctx.unlock(name)?;
    let v = s.vault();
    let acc = resolve(v, account)?;
    let h: Holdings = v.holdings(acc.id, at.unwrap_or_else(today))?;
    let instruments: HashMap<i64, Instrument> = v.instruments()?.into_iter().map(|i| (i.id, i)).collect();
    let positions: Vec<PositionOut<'_>> = h
        .positions
        .iter()
        .map(|p| {
            let i = instruments.get(&p.instrument_id);
            PositionOut {
                position: p,
                name: i.map(|i| i.name.clone()).unwrap_or_default(),
                isin: i.and_then(|i| i.isin.clone()),
            }
        })
        .collect();
    let out = HoldingsOut {
        account_id: h.account_id,
        account: lookup::account_label(v, &acc)?,
        date: h.date,
        currency: &h.currency,
        cash: h.cash.to_string(),
        positions,
        years: &h.years,
        activities: h.activities,
    };
    if json {
        print_json(&out);
        return Ok(());
    }
    println!("{} on {} ({} activities)", out.account, out.date, out.activities);
    println!("cash {} {}", out.cash, out.currency);
    if !out.positions.is_empty() {
        println!(
            "{:<30} {:>12} {:>12} {:>10} {:>14} {:>14} {:>10} {:>12} {:>12} {:>10}",
            "instrument", "units", "price", "date", "value", "cost", "avg cost", "unrealised", "realised", "income"
        );
    }
    for p in &out.positions {
        let q = p.position;
        println!(
            "{:<30} {:>12} {:>12} {:>10} {:>14} {:>14} {:>10} {:>12} {:>12} {:>10} {}",
            p.name,
            q.units.to_string(),
            q.price.map(|d| d.to_string()).unwrap_or_else(|| "-".into()),
            q.price_date.map(|d| d.to_string()).unwrap_or_else(|| "-".into()),
            q.value.to_string(),
            q.cost.to_string(),
            q.average_cost.map(|d| d.to_string()).unwrap_or_else(|| "-".into()),
            q.unrealised.to_string(),
            q.realised.to_string(),
            q.income.to_string(),
            q.currency
        );
    }
    if !out.years.is_empty() {
        println!("{:<6} {:>12} {:>12} {:>12}", "year", "income", "realised", "fees");
    }
    for y in out.years {
        println!(
            "{:<6} {:>12} {:>12} {:>12}",
            y.year,
            y.income.to_string(),
            y.realised.to_string(),
            y.fees.to_string()
        );
    }
    Ok(())
}
