//! Accounts and assets: opening an account, listing both, and an asset's dismembered
//! ownership (usufruct or bare ownership by article 669 CGI) with the rule in use.

use chrono::NaiveDate;
use patrimoine_core::dismemberment::DismemberedShare;
use patrimoine_core::money::Decimal;
use patrimoine_core::portfolio::{Account, AccountKind, Asset, Institution, InstitutionKind, Ownership};
use serde::Serialize;

use crate::cli::{AccountCmd, AssetCmd};
use crate::commands::analytics::today;
use crate::commands::lookup;
use crate::ctx::{Ctx, Outcome};
use crate::output::print_json;

/// `account …`.
pub fn account(ctx: &Ctx, cmd: AccountCmd) -> Outcome {
    match cmd {
        AccountCmd::Add { name, institution, account, kind, currency, opened, institution_kind } => {
            add_account(ctx, &name, &institution, &account, kind, currency, opened, institution_kind)
        }
        AccountCmd::List { name, json } => list_accounts(ctx, &name, json),
    }
}

/// `asset …`.
pub fn asset(ctx: &Ctx, cmd: AssetCmd) -> Outcome {
    match cmd {
        AssetCmd::List { name, json } => list_assets(ctx, &name, json),
        AssetCmd::Dismember { name, asset, ownership, born, ends, share, at, json } => {
            dismember(ctx, &name, &asset, ownership, born, ends, share, at, json)
        }
    }
}

/// The kind of institution that usually holds an account of `kind` (as the import does).
fn institution_kind_for(kind: AccountKind) -> InstitutionKind {
    match kind {
        AccountKind::LifeInsurance | AccountKind::Per => InstitutionKind::Insurer,
        AccountKind::RealEstate => InstitutionKind::Direct,
        AccountKind::Crypto => InstitutionKind::Other,
        _ => InstitutionKind::Bank,
    }
}

#[allow(clippy::too_many_arguments)] // one per command-line option
fn add_account(
    ctx: &Ctx,
    name: &str,
    institution: &str,
    account: &str,
    kind: AccountKind,
    currency: Option<String>,
    opened: Option<NaiveDate>,
    institution_kind: Option<InstitutionKind>,
) -> Outcome {
    let s = ctx.unlock(name)?;
    let v = s.vault();
    let institution_id = match v.institution_id(institution)? {
        Some(id) => id,
        None => v.create_institution(&Institution {
            id: 0,
            name: institution.to_owned(),
            kind: institution_kind.unwrap_or_else(|| institution_kind_for(kind)),
            notes: String::new(),
        })?,
    };
    let currency = match currency {
        Some(c) => c,
        None => v.base_currency()?,
    };
    let id = v.create_account(&Account {
        id: 0,
        institution_id,
        name: account.to_owned(),
        kind,
        currency,
        opened_on: opened,
        closed_on: None,
    })?;
    println!("{id}");
    Ok(())
}

#[derive(Serialize)]
struct AccountOut<'a> {
    #[serde(flatten)]
    account: &'a Account,
    institution: String,
}

fn list_accounts(ctx: &Ctx, name: &str, json: bool) -> Outcome {
    let s = ctx.unlock(name)?;
    let v = s.vault();
    let institutions = v.institutions()?;
    let inst = |id: i64| institutions.iter().find(|i| i.id == id).map(|i| i.name.clone()).unwrap_or_default();
    let accounts = v.accounts()?;
    if json {
        let out: Vec<AccountOut<'_>> =
            accounts.iter().map(|a| AccountOut { account: a, institution: inst(a.institution_id) }).collect();
        print_json(&out);
    } else {
        for a in &accounts {
            println!(
                "{:>5}  {:<40} {:<16} {}{}{}",
                a.id,
                format!("{} / {}", inst(a.institution_id), a.name),
                a.kind.as_str(),
                a.currency,
                a.opened_on.map(|d| format!("  opened {d}")).unwrap_or_default(),
                a.closed_on.map(|d| format!("  closed {d}")).unwrap_or_default()
            );
        }
    }
    Ok(())
}

#[derive(Serialize)]
struct AssetOut<'a> {
    #[serde(flatten)]
    asset: &'a Asset,
    institution: Option<String>,
    account: Option<String>,
}

fn list_assets(ctx: &Ctx, name: &str, json: bool) -> Outcome {
    let s = ctx.unlock(name)?;
    let v = s.vault();
    let institutions = v.institutions()?;
    let accounts = v.accounts()?;
    let assets = v.assets()?;
    let place = |a: &Asset| -> (Option<String>, Option<String>) {
        let acc = accounts.iter().find(|x| Some(x.id) == a.account_id);
        let inst = acc.and_then(|acc| institutions.iter().find(|i| i.id == acc.institution_id));
        (inst.map(|i| i.name.clone()), acc.map(|a| a.name.clone()))
    };
    if json {
        let out: Vec<AssetOut<'_>> = assets
            .iter()
            .map(|a| {
                let (institution, account) = place(a);
                AssetOut { asset: a, institution, account }
            })
            .collect();
        print_json(&out);
    } else {
        for a in &assets {
            let (inst, acc) = place(a);
            let place = match (inst, acc) {
                (Some(i), Some(acc)) => format!("{i} / {acc}"),
                _ => "held directly".to_owned(),
            };
            println!(
                "{:>5}  {:<30} {:<34} {:<14} {} {} % {}{}",
                a.id,
                a.name,
                place,
                a.class.as_str(),
                a.currency,
                a.share_pct,
                a.ownership.as_str(),
                a.derived.map(|d| format!("  (computed: {})", d.as_str())).unwrap_or_default()
            );
        }
    }
    Ok(())
}

#[derive(Serialize)]
struct DismemberOut<'a> {
    asset: &'a Asset,
    date: NaiveDate,
    /// The part of the full ownership's value held on the date, in percent.
    held_pct: String,
    /// The article-669 rule applied, when the share follows the barème.
    rule: Option<DismemberedShare>,
}

#[allow(clippy::too_many_arguments)] // one per command-line option
fn dismember(
    ctx: &Ctx,
    name: &str,
    key: &str,
    ownership: Ownership,
    born: Option<NaiveDate>,
    ends: Option<NaiveDate>,
    share: Option<Decimal>,
    at: Option<NaiveDate>,
    json: bool,
) -> Outcome {
    let s = ctx.unlock(name)?;
    let v = s.vault();
    let mut a = lookup::asset(v, key)?;
    a.ownership = ownership;
    if born.is_some() {
        a.usufructuary_born = born;
    }
    if ends.is_some() {
        a.usufruct_ends = ends;
    }
    if let Some(share) = share {
        a.share_pct = share;
    }
    v.update_asset(a.id, &a)?;
    let a = v.asset(a.id)?;
    let date = at.unwrap_or_else(today);
    let rule = a.dismembered_share(date)?;
    let held = a.share_on(date)?.round_dp(4).normalize();
    if json {
        print_json(&DismemberOut { asset: &a, date, held_pct: held.to_string(), rule });
        return Ok(());
    }
    println!("{} (id {}): {}, share {} %", a.name, a.id, a.ownership.labels().en.to_lowercase(), a.share_pct);
    match &rule {
        None => println!("on {date}: {held} % held (no barème: full ownership, or no birth or end date)"),
        Some(r) => {
            let basis = match (a.usufruct_ends, r.years_left) {
                (Some(end), Some(years)) => format!(
                    "fixed-term usufruct ending {end}: {years} started year(s) left, {} period(s) of 10 years{}",
                    r.periods.unwrap_or_default(),
                    if r.capped_by_life { ", capped by the life usufruct" } else { "" }
                ),
                _ => "life usufruct".to_owned(),
            };
            let age = r.age.map(|age| format!(", usufructuary aged {age}")).unwrap_or_default();
            println!(
                "rule on {date}: {basis}{age}: usufruct {} %, bare ownership {} % (article 669 CGI, barème from {}, {})",
                r.usufruct_pct, r.bare_pct, r.edition_from, r.source
            );
            println!("held on {date}: {held} % of the full ownership");
        }
    }
    Ok(())
}
