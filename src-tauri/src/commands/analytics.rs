//! Net worth, series, breakdowns, performance and charts.

use base64::Engine;
use chrono::NaiveDate;
use patrimoine_core::analytics::{AccountsOverview, Breakdown, BreakdownBy, NetWorth, Series, StaleAsset, Step};
use patrimoine_core::charts::{self, Chart, ChartRequest};
use patrimoine_core::performance::Performance;

use super::today;
use crate::error::CmdResult;
use crate::state::AppState;

pub fn net_worth(state: &AppState, date: NaiveDate) -> CmdResult<NetWorth> {
    state.with(|s| Ok(s.vault().net_worth(date)?))
}

pub fn accounts_overview(state: &AppState, date: NaiveDate) -> CmdResult<AccountsOverview> {
    state.with(|s| Ok(s.vault().accounts_overview(date)?))
}

pub fn series(state: &AppState, from: NaiveDate, to: NaiveDate, step: Step, stack_by_class: bool) -> CmdResult<Series> {
    state.with(|s| Ok(s.vault().net_worth_series(from, to, step, stack_by_class)?))
}

pub fn breakdown(state: &AppState, date: NaiveDate, by: BreakdownBy) -> CmdResult<Breakdown> {
    state.with(|s| Ok(s.vault().breakdown(date, &by)?))
}

pub fn stale_assets(state: &AppState, date: NaiveDate, days: i64) -> CmdResult<Vec<StaleAsset>> {
    state.with(|s| Ok(s.vault().stale_assets(date, days)?))
}

pub fn performance(
    state: &AppState,
    account_id: Option<i64>,
    from: NaiveDate,
    to: NaiveDate,
) -> CmdResult<Performance> {
    state.with(|s| Ok(s.vault().performance(account_id, from, to)?))
}

pub fn performance_by_account(state: &AppState, from: NaiveDate, to: NaiveDate) -> CmdResult<Vec<Performance>> {
    state.with(|s| Ok(s.vault().performance_by_account(from, to)?))
}

pub fn chart(state: &AppState, request: ChartRequest) -> CmdResult<Chart> {
    state.with(|s| Ok(s.vault().chart(&request, today())?))
}

/// The chart as a PNG at twice its size, base64-encoded (for "save as image").
pub fn chart_png(state: &AppState, request: ChartRequest) -> CmdResult<String> {
    let c = state.with(|s| Ok(s.vault().chart(&request, today())?))?;
    let png = charts::to_png(&c.svg, 2.0)?;
    Ok(base64::engine::general_purpose::STANDARD.encode(png))
}
