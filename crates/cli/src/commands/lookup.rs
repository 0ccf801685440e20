//! What the command line names, found in the vault: accounts (by institution and
//! name, or id), instruments (ISIN or name), assets and loans (name or id). A name
//! matches ignoring case; a name that matches nothing or several things is an
//! `error[not_found]` or `error[ambiguous]` naming it.

use patrimoine_core::instruments::Instrument;
use patrimoine_core::loans::Loan;
use patrimoine_core::portfolio::{Account, Asset, Institution};
use patrimoine_core::Vault;

use crate::ctx::Failure;

fn same(a: &str, b: &str) -> bool {
    a.trim().to_lowercase() == b.trim().to_lowercase()
}

fn not_found(what: String) -> Failure {
    Failure::Lookup("not_found", what)
}

/// The institution named `name`.
pub fn institution(v: &Vault, name: &str) -> Result<Institution, Failure> {
    v.institutions()?
        .into_iter()
        .find(|i| same(&i.name, name))
        .ok_or_else(|| not_found(format!("no institution named {name:?}")))
}

/// The account named `account` at `institution`; without an institution, the only
/// account of that name, else the account with that id.
pub fn account(v: &Vault, institution: Option<&str>, account: &str) -> Result<Account, Failure> {
    let accounts = v.accounts()?;
    let id = account.trim().parse::<i64>().ok();
    match institution {
        Some(inst) => {
            let i = self::institution(v, inst)?;
            let here: Vec<&Account> = accounts.iter().filter(|a| a.institution_id == i.id).collect();
            here.iter()
                .find(|a| same(&a.name, account))
                .or_else(|| here.iter().find(|a| Some(a.id) == id))
                .map(|a| (*a).clone())
                .ok_or_else(|| not_found(format!("no account named {account:?} at {}", i.name)))
        }
        None => {
            let named: Vec<&Account> = accounts.iter().filter(|a| same(&a.name, account)).collect();
            match named.as_slice() {
                [one] => Ok((*one).clone()),
                [] => accounts
                    .iter()
                    .find(|a| Some(a.id) == id)
                    .cloned()
                    .ok_or_else(|| not_found(format!("no account named {account:?}"))),
                _ => Err(Failure::Lookup(
                    "ambiguous",
                    format!("several accounts are named {account:?}: give --institution"),
                )),
            }
        }
    }
}

/// "Institution / account" for the output.
pub fn account_label(v: &Vault, a: &Account) -> Result<String, Failure> {
    let inst = v.institutions()?.into_iter().find(|i| i.id == a.institution_id).map(|i| i.name).unwrap_or_default();
    Ok(format!("{inst} / {}", a.name))
}

/// The instrument with ISIN `key`, else named `key`, else with id `key`.
pub fn instrument(v: &Vault, key: &str) -> Result<Instrument, Failure> {
    if let Some(id) = v.find_instrument(Some(key), Some(key))? {
        return Ok(v.instrument(id)?);
    }
    let id = key.trim().parse::<i64>().ok();
    v.instruments()?
        .into_iter()
        .find(|i| Some(i.id) == id)
        .ok_or_else(|| not_found(format!("no instrument with ISIN or name {key:?}")))
}

/// The asset named `key` (when only one is), else with id `key`.
pub fn asset(v: &Vault, key: &str) -> Result<Asset, Failure> {
    let assets = v.assets()?;
    let named: Vec<&Asset> = assets.iter().filter(|a| same(&a.name, key)).collect();
    match named.as_slice() {
        [one] => Ok((*one).clone()),
        [] => {
            let id = key.trim().parse::<i64>().ok();
            assets
                .iter()
                .find(|a| Some(a.id) == id)
                .cloned()
                .ok_or_else(|| not_found(format!("no asset named {key:?}")))
        }
        _ => Err(Failure::Lookup("ambiguous", format!("several assets are named {key:?}: give its id (asset list)"))),
    }
}

/// The loan named `key` (when only one is), else whose asset id is `key`.
pub fn loan(v: &Vault, key: &str) -> Result<Loan, Failure> {
    let loans = v.loans()?;
    let named: Vec<&Loan> = loans.iter().filter(|l| same(&l.name, key)).collect();
    match named.as_slice() {
        [one] => Ok((*one).clone()),
        [] => {
            let id = key.trim().parse::<i64>().ok();
            loans
                .iter()
                .find(|l| Some(l.asset_id) == id)
                .cloned()
                .ok_or_else(|| not_found(format!("no loan named {key:?}")))
        }
        _ => Err(Failure::Lookup("ambiguous", format!("several loans are named {key:?}: give its id (loan list)"))),
    }
}
