//! What the numbers say: net worth on a date and over time, its breakdown, returns,
//! and the assets whose values are getting old.

use chrono::NaiveDate;
use patrimoine_core::analytics::{BreakdownBy, Step};
use patrimoine_core::money::Decimal;
use patrimoine_core::performance::NoReturn;

use crate::cli::StepArg;
use crate::ctx::{Ctx, Outcome};
use crate::output::print_json;

/// `networth`: a missing exchange rate is a warning, not a failure.
pub fn networth(ctx: &Ctx, name: &str, at: Option<NaiveDate>, json: bool) -> Outcome {
    let s = ctx.unlock(name)?;
    let nw = s.vault().net_worth(at.unwrap_or_else(today))?;
    if json {
        print_json(&nw);
    } else {
        println!("{} {} {}", nw.date, nw.net_worth, nw.currency);
    }
    for c in &nw.missing_rates {
        eprintln!("warning: no exchange rate for {c}; its values are left out");
    }
    Ok(())
}

/// `series`.
pub fn series(ctx: &Ctx, name: &str, from: NaiveDate, to: Option<NaiveDate>, step: StepArg, json: bool) -> Outcome {
    let s = ctx.unlock(name)?;
    let step = match step {
        StepArg::Daily => Step::Daily,
        StepArg::Weekly => Step::Weekly,
        StepArg::Monthly => Step::Monthly,
    };
    let series = s.vault().net_worth_series(from, to.unwrap_or_else(today), step, false)?;
    if json {
        print_json(&series);
    } else {
        for (d, v) in series.dates.iter().zip(&series.totals) {
            println!("{d} {v}");
        }
    }
    Ok(())
}

/// `breakdown`.
pub fn breakdown(ctx: &Ctx, name: &str, by: &str, at: Option<NaiveDate>, json: bool) -> Outcome {
    let s = ctx.unlock(name)?;
    let b = s.vault().breakdown(at.unwrap_or_else(today), &BreakdownBy::parse(by))?;
    if json {
        print_json(&b);
    } else {
        for sl in &b.slices {
            println!("{:<30} {:>16} {:>7} %", sl.label, sl.value.to_string(), sl.percent.to_string());
        }
        println!("{:<30} {:>16} {}", "total", b.total.to_string(), b.currency);
    }
    Ok(())
}

/// `performance`: of one account, or of the whole profile without `--account`.
pub fn performance(
    ctx: &Ctx,
    name: &str,
    account: Option<i64>,
    from: NaiveDate,
    to: Option<NaiveDate>,
    json: bool,
) -> Outcome {
    let s = ctx.unlock(name)?;
    let p = s.vault().performance(account, from, to.unwrap_or_else(today))?;
    if json {
        print_json(&p);
    } else {
        let pct = |d: Option<Decimal>, why: Option<NoReturn>| match (d, why) {
            (Some(d), _) => format!("{} %", (d * Decimal::ONE_HUNDRED).round_dp(2)),
            (None, Some(NoReturn::NothingInvested)) => "n/a (nothing invested)".into(),
            (None, Some(NoReturn::LiabilitiesOnly)) => "n/a (debts only)".into(),
            (None, Some(NoReturn::NoRevaluation)) => "n/a (no value updated in the period)".into(),
            (None, _) => "n/a (no solution)".into(),
        };
        println!("start {}  end {}", p.start_value, p.end_value);
        println!(
            "net flows {}  new items {}  removed items {}  gain {}",
            p.net_flows, p.new_items, p.removed_items, p.gain
        );
        println!(
            "debts {} -> {}  new debt {}  capital repaid {}",
            p.debt_start, p.debt_end, p.new_debt, p.capital_repaid
        );
        println!("TWR {}  XIRR {}", pct(p.twr, p.twr_missing), pct(p.xirr, p.xirr_missing));
    }
    Ok(())
}

/// `stale`.
pub fn stale(ctx: &Ctx, name: &str, days: i64, json: bool) -> Outcome {
    let s = ctx.unlock(name)?;
    let stale = s.vault().stale_assets(today(), days)?;
    if json {
        print_json(&stale);
    } else {
        for a in stale {
            println!("{} {}", a.last_date.map(|d| d.to_string()).unwrap_or_else(|| "never".into()), a.name);
        }
    }
    Ok(())
}

/// Today in the local time zone: the default date of every command.
pub(crate) fn today() -> NaiveDate {
    chrono::Local::now().date_naive()
}
