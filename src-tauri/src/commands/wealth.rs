//! Institutions, accounts, assets, dimensions, values, cash flows and exchange rates.

use chrono::NaiveDate;
use patrimoine_core::analytics::LatestValue;
use patrimoine_core::fx::FxRate;
use patrimoine_core::portfolio::{Account, Asset, Dimension, Institution};
use patrimoine_core::values::{CashFlow, UpsertCount, ValuePoint};

use crate::error::CmdResult;
use crate::state::AppState;

pub fn list_institutions(state: &AppState) -> CmdResult<Vec<Institution>> {
    state.with(|s| Ok(s.vault().institutions()?))
}

pub fn create_institution(state: &AppState, input: Institution) -> CmdResult<i64> {
    state.with(|s| Ok(s.vault().create_institution(&input)?))
}

pub fn update_institution(state: &AppState, id: i64, input: Institution) -> CmdResult<()> {
    state.with(|s| Ok(s.vault().update_institution(id, &input)?))
}

pub fn delete_institution(state: &AppState, id: i64, force: bool) -> CmdResult<()> {
    state.with(|s| Ok(s.vault().delete_institution(id, force)?))
}

pub fn list_accounts(state: &AppState) -> CmdResult<Vec<Account>> {
    state.with(|s| Ok(s.vault().accounts()?))
}

pub fn create_account(state: &AppState, input: Account) -> CmdResult<i64> {
    state.with(|s| Ok(s.vault().create_account(&input)?))
}

pub fn update_account(state: &AppState, id: i64, input: Account) -> CmdResult<()> {
    state.with(|s| Ok(s.vault().update_account(id, &input)?))
}

pub fn delete_account(state: &AppState, id: i64, force: bool) -> CmdResult<()> {
    state.with(|s| Ok(s.vault().delete_account(id, force)?))
}

pub fn list_assets(state: &AppState) -> CmdResult<Vec<Asset>> {
    state.with(|s| Ok(s.vault().assets()?))
}

pub fn create_asset(state: &AppState, input: Asset) -> CmdResult<i64> {
    state.with(|s| Ok(s.vault().create_asset(&input)?))
}

pub fn update_asset(state: &AppState, id: i64, input: Asset) -> CmdResult<()> {
    state.with(|s| Ok(s.vault().update_asset(id, &input)?))
}

pub fn delete_asset(state: &AppState, id: i64, force: bool) -> CmdResult<()> {
    state.with(|s| Ok(s.vault().delete_asset(id, force)?))
}

pub fn list_dimensions(state: &AppState) -> CmdResult<Vec<Dimension>> {
    state.with(|s| Ok(s.vault().dimensions()?))
}

pub fn create_dimension(state: &AppState, name: String) -> CmdResult<i64> {
    state.with(|s| Ok(s.vault().create_dimension(&name)?))
}

pub fn asset_values(state: &AppState, asset_id: i64) -> CmdResult<Vec<ValuePoint>> {
    state.with(|s| Ok(s.vault().values(asset_id)?))
}

pub fn latest_values(state: &AppState) -> CmdResult<Vec<LatestValue>> {
    state.with(|s| Ok(s.vault().latest_values()?))
}

pub fn upsert_values(state: &AppState, points: Vec<ValuePoint>) -> CmdResult<UpsertCount> {
    state.with(|s| Ok(s.vault().upsert_values(&points)?))
}

pub fn delete_value(state: &AppState, asset_id: i64, date: NaiveDate) -> CmdResult<()> {
    state.with(|s| Ok(s.vault().delete_value(asset_id, date)?))
}

pub fn set_account_balance(
    state: &AppState,
    account_id: i64,
    date: NaiveDate,
    amount: patrimoine_core::money::Decimal,
) -> CmdResult<i64> {
    state.with(|s| Ok(s.vault().set_account_balance(account_id, date, amount)?))
}

pub fn list_cash_flows(state: &AppState, account_id: Option<i64>) -> CmdResult<Vec<CashFlow>> {
    state.with(|s| Ok(s.vault().cash_flows(account_id)?))
}

pub fn add_cash_flow(state: &AppState, input: CashFlow) -> CmdResult<i64> {
    state.with(|s| Ok(s.vault().add_cash_flow(&input)?))
}

pub fn update_cash_flow(state: &AppState, id: i64, input: CashFlow) -> CmdResult<()> {
    state.with(|s| Ok(s.vault().update_cash_flow(id, &input)?))
}

pub fn delete_cash_flow(state: &AppState, id: i64) -> CmdResult<()> {
    state.with(|s| Ok(s.vault().delete_cash_flow(id)?))
}

pub fn list_fx_rates(state: &AppState, currency: Option<String>, limit: usize) -> CmdResult<Vec<FxRate>> {
    state.with(|s| Ok(s.vault().fx_rates(currency.as_deref(), limit)?))
}

pub fn set_fx_rate(state: &AppState, rate: FxRate) -> CmdResult<()> {
    state.with(|s| Ok(s.vault().set_fx_rates(&[rate], "manual").map(drop)?))
}

pub fn delete_fx_rate(state: &AppState, currency: String, date: NaiveDate) -> CmdResult<()> {
    state.with(|s| Ok(s.vault().delete_fx_rate(&currency, date)?))
}
