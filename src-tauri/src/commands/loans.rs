//! Loans from their terms, their schedules and early repayments; a property's net
//! equity; dismembered ownership.

use chrono::NaiveDate;
use patrimoine_core::dismemberment::DismemberedShare;
use patrimoine_core::loan::Repayment;
use patrimoine_core::loans::{Equity, Loan, LoanSchedule};

use crate::error::CmdResult;
use crate::state::AppState;

pub fn list_loans(state: &AppState) -> CmdResult<Vec<Loan>> {
    state.with(|s| Ok(s.vault().loans()?))
}

pub fn create_loan(state: &AppState, input: Loan) -> CmdResult<i64> {
    state.with(|s| Ok(s.vault().create_loan(&input)?))
}

pub fn update_loan(state: &AppState, asset_id: i64, input: Loan) -> CmdResult<()> {
    state.with(|s| Ok(s.vault().update_loan(asset_id, &input)?))
}

pub fn loan_schedule(state: &AppState, asset_id: i64, date: NaiveDate) -> CmdResult<LoanSchedule> {
    state.with(|s| Ok(s.vault().loan_schedule(asset_id, date)?))
}

pub fn add_repayment(state: &AppState, asset_id: i64, repayment: Repayment) -> CmdResult<i64> {
    state.with(|s| Ok(s.vault().add_repayment(asset_id, &repayment)?))
}

pub fn delete_repayment(state: &AppState, id: i64) -> CmdResult<()> {
    state.with(|s| Ok(s.vault().delete_repayment(id)?))
}

pub fn equity(state: &AppState, asset_id: i64, dates: Vec<NaiveDate>) -> CmdResult<Vec<Equity>> {
    state.with(|s| Ok(s.vault().equity(asset_id, &dates)?))
}

pub fn dismembered_share(state: &AppState, asset_id: i64, date: NaiveDate) -> CmdResult<Option<DismemberedShare>> {
    state.with(|s| Ok(s.vault().asset(asset_id)?.dismembered_share(date)?))
}

pub fn export_schedule_csv(state: &AppState, asset_id: i64, path: String) -> CmdResult<()> {
    state.with(|s| Ok(s.vault().export_schedule(asset_id, std::path::Path::new(&path))?))
}
