//! Loans from their terms: recording one, its schedule (printed, as JSON or as a CSV
//! file), early repayments, and a property's net equity.

use std::io::Write;
use std::path::Path;

use chrono::NaiveDate;
use patrimoine_core::loan::{Amortization, Deferral, Keep, LoanTerms, Repayment};
use patrimoine_core::loans::{Loan, LoanSchedule};
use patrimoine_core::money::Decimal;
use serde::Serialize;

use crate::cli::{DeferralArg, KeepArg, LoanCmd};
use crate::commands::analytics::today;
use crate::commands::lookup;
use crate::ctx::{Ctx, Outcome};
use crate::output::print_json;

/// `loan …`.
pub fn loan(ctx: &Ctx, cmd: LoanCmd) -> Outcome {
    match cmd {
        LoanCmd::Add {
            name,
            title,
            institution,
            account,
            principal,
            annual_rate,
            months,
            first_payment,
            insurance,
            deferral,
            deferral_months,
            in_fine,
            share,
            linked_asset,
            currency,
        } => {
            let s = ctx.unlock(&name)?;
            let v = s.vault();
            let account = account.map(|a| lookup::account(v, institution.as_deref(), &a)).transpose()?;
            let linked_asset_id = linked_asset.map(|a| lookup::asset(v, &a)).transpose()?.map(|a| a.id);
            let currency = match (currency, &account) {
                (Some(c), _) => c,
                (None, Some(a)) => a.currency.clone(),
                (None, None) => v.base_currency()?,
            };
            let terms = LoanTerms {
                principal,
                annual_rate,
                months,
                first_payment,
                insurance,
                amortization: if in_fine { Amortization::InFine } else { Amortization::Constant },
                deferral: match deferral {
                    None => Deferral::None,
                    Some(DeferralArg::Partial) => Deferral::Partial,
                    Some(DeferralArg::Total) => Deferral::Total,
                },
                deferral_months: deferral_months.unwrap_or(0),
            };
            let id = v.create_loan(&Loan {
                asset_id: 0,
                account_id: account.map(|a| a.id),
                name: title,
                currency,
                share_pct: share,
                terms,
                linked_asset_id,
                repayments: vec![],
            })?;
            println!("{id}");
            Ok(())
        }
        LoanCmd::List { name, at, json } => list(ctx, &name, at.unwrap_or_else(today), json),
        LoanCmd::Schedule { name, loan, at, csv, json } => {
            let s = ctx.unlock(&name)?;
            let v = s.vault();
            let l = lookup::loan(v, &loan)?;
            let ls = v.loan_schedule(l.asset_id, at.unwrap_or_else(today))?;
            if let Some(path) = &csv {
                write_csv(&ls, path)?;
                eprintln!("Schedule written to {}", path.display());
            }
            if json {
                print_json(&ls);
            } else {
                print_schedule(&ls, csv.is_none());
            }
            Ok(())
        }
        LoanCmd::Repay { name, loan, date, amount, total, keep } => {
            let s = ctx.unlock(&name)?;
            let v = s.vault();
            let l = lookup::loan(v, &loan)?;
            let keep = match keep {
                KeepArg::Payment => Keep::Payment,
                KeepArg::Term => Keep::Term,
            };
            let amount = if total { None } else { amount };
            let id = v.add_repayment(l.asset_id, &Repayment { date, amount, keep })?;
            println!("{id}");
            let after = v.loan_schedule(l.asset_id, date)?;
            eprintln!(
                "Outstanding on {date}: {} {}{}",
                cents(after.outstanding),
                l.currency,
                after.ends_on.map(|d| format!("; the loan ends on {d}")).unwrap_or_default()
            );
            Ok(())
        }
        LoanCmd::Equity { name, asset, at, json } => {
            let s = ctx.unlock(&name)?;
            let v = s.vault();
            let a = lookup::asset(v, &asset)?;
            let date = at.unwrap_or_else(today);
            for e in v.equity(a.id, &[date])? {
                if json {
                    print_json(&EquityOut { asset_id: a.id, name: &a.name, currency: &a.currency, equity: &e });
                } else {
                    println!(
                        "{}: {} value {}, linked loans {}, net equity {} {}",
                        a.name, e.date, e.value, e.loans, e.equity, a.currency
                    );
                }
            }
            Ok(())
        }
    }
}

#[derive(Serialize)]
struct EquityOut<'a> {
    asset_id: i64,
    name: &'a str,
    currency: &'a str,
    #[serde(flatten)]
    equity: &'a patrimoine_core::loans::Equity,
}

#[derive(Serialize)]
struct LoanOut<'a> {
    #[serde(flatten)]
    loan: &'a Loan,
    /// The date of `outstanding`.
    date: NaiveDate,
    /// Capital outstanding on the date (before the share).
    outstanding: String,
    /// The date of the last line.
    ends_on: Option<NaiveDate>,
}

fn list(ctx: &Ctx, name: &str, date: NaiveDate, json: bool) -> Outcome {
    let s = ctx.unlock(name)?;
    let v = s.vault();
    let mut rows: Vec<(Loan, Decimal, Option<NaiveDate>)> = vec![];
    for l in v.loans()? {
        let ls = v.loan_schedule(l.asset_id, date)?;
        rows.push((l, ls.outstanding, ls.ends_on));
    }
    if json {
        let out: Vec<LoanOut<'_>> =
            rows.iter().map(|(l, o, e)| LoanOut { loan: l, date, outstanding: o.to_string(), ends_on: *e }).collect();
        print_json(&out);
        return Ok(());
    }
    for (l, outstanding, ends) in &rows {
        let t = &l.terms;
        println!(
            "{:>5}  {:<30} {} at {} % over {} months from {}; outstanding on {date}: {} {}{}{}",
            l.asset_id,
            l.name,
            cents(t.principal),
            t.annual_rate,
            t.months,
            t.first_payment,
            cents(*outstanding),
            l.currency,
            ends.map(|d| format!(", ends {d}")).unwrap_or_default(),
            if l.share_pct == Decimal::ONE_HUNDRED { String::new() } else { format!(", share {} %", l.share_pct) }
        );
    }
    Ok(())
}

/// The schedule as CSV in `path`, atomically and readable by its owner only.
fn write_csv(ls: &LoanSchedule, path: &Path) -> Outcome {
    Ok(patrimoine_core::export::write_schedule(ls, path)?)
}

/// An amount with 2 decimals.
fn cents(d: Decimal) -> String {
    patrimoine_core::money::round_cents(d).to_string()
}

/// The table (when `lines`), then the totals and the state on the date. A closed
/// stdout (`| head`) ends the printing quietly.
fn print_schedule(ls: &LoanSchedule, lines: bool) {
    let _ = write_schedule(&mut std::io::stdout().lock(), ls, lines);
}

fn write_schedule(out: &mut impl Write, ls: &LoanSchedule, lines: bool) -> std::io::Result<()> {
    let cur = &ls.loan.currency;
    if lines {
        writeln!(
            out,
            "{:>4}  {:<10}  {:<9} {:>12} {:>12} {:>12} {:>10} {:>14}",
            "n°", "date", "kind", "payment", "interest", "capital", "insurance", "remaining"
        )?;
        for l in &ls.schedule.installments {
            writeln!(
                out,
                "{:>4}  {}  {:<9} {:>12} {:>12} {:>12} {:>10} {:>14}",
                l.number,
                l.date,
                l.row.as_str(),
                cents(l.payment),
                cents(l.interest),
                cents(l.capital),
                cents(l.insurance),
                cents(l.remaining)
            )?;
        }
    }
    let s = &ls.schedule;
    writeln!(
        out,
        "total paid {} {cur}: interest {}, insurance {}{}",
        cents(s.total_paid),
        cents(s.total_interest),
        cents(s.total_insurance),
        ls.ends_on.map(|d| format!("; ends {d}")).unwrap_or_default()
    )?;
    writeln!(
        out,
        "on {}: outstanding {} {cur}; interest paid {}, to pay {}; insurance paid {}, to pay {}",
        ls.date,
        cents(ls.outstanding),
        cents(ls.interest_paid),
        cents(ls.interest_to_pay),
        cents(ls.insurance_paid),
        cents(ls.insurance_to_pay)
    )
}
