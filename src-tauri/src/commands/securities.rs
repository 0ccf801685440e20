//! Instruments, prices, activities and the positions they give.

use chrono::NaiveDate;
use patrimoine_core::activities::{Activity, Holdings};
use patrimoine_core::instruments::{Instrument, LatestPrice, PricePoint};
use patrimoine_core::money::Decimal;
use patrimoine_core::values::UpsertCount;

use crate::error::CmdResult;
use crate::state::AppState;

pub fn list_instruments(state: &AppState) -> CmdResult<Vec<Instrument>> {
    state.with(|s| Ok(s.vault().instruments()?))
}

pub fn create_instrument(state: &AppState, input: Instrument) -> CmdResult<i64> {
    state.with(|s| Ok(s.vault().create_instrument(&input)?))
}

pub fn update_instrument(state: &AppState, id: i64, input: Instrument) -> CmdResult<()> {
    state.with(|s| Ok(s.vault().update_instrument(id, &input)?))
}

pub fn delete_instrument(state: &AppState, id: i64) -> CmdResult<()> {
    state.with(|s| Ok(s.vault().delete_instrument(id)?))
}

pub fn instrument_prices(state: &AppState, instrument_id: i64) -> CmdResult<Vec<PricePoint>> {
    state.with(|s| Ok(s.vault().prices(instrument_id)?))
}

pub fn latest_prices(state: &AppState) -> CmdResult<Vec<LatestPrice>> {
    state.with(|s| Ok(s.vault().latest_prices()?))
}

pub fn set_prices(state: &AppState, points: Vec<PricePoint>) -> CmdResult<UpsertCount> {
    state.with(|s| Ok(s.vault().set_prices(&points)?))
}

pub fn delete_price(state: &AppState, instrument_id: i64, date: NaiveDate) -> CmdResult<()> {
    state.with(|s| Ok(s.vault().delete_price(instrument_id, date)?))
}

pub fn list_activities(state: &AppState, account_id: Option<i64>) -> CmdResult<Vec<Activity>> {
    state.with(|s| Ok(s.vault().activities(account_id)?))
}

pub fn add_activity(state: &AppState, input: Activity) -> CmdResult<i64> {
    state.with(|s| Ok(s.vault().add_activity(&input)?))
}

pub fn update_activity(state: &AppState, id: i64, input: Activity) -> CmdResult<()> {
    state.with(|s| Ok(s.vault().update_activity(id, &input)?))
}

pub fn delete_activity(state: &AppState, id: i64) -> CmdResult<()> {
    state.with(|s| Ok(s.vault().delete_activity(id)?))
}

pub fn add_opening_position(
    state: &AppState,
    account_id: i64,
    instrument_id: i64,
    date: NaiveDate,
    quantity: Decimal,
    average_cost: Decimal,
) -> CmdResult<i64> {
    state.with(|s| Ok(s.vault().add_opening_position(account_id, instrument_id, date, quantity, average_cost)?))
}

pub fn holdings(state: &AppState, account_id: i64, date: NaiveDate) -> CmdResult<Holdings> {
    state.with(|s| Ok(s.vault().holdings(account_id, date)?))
}
