//! The wealth model on top of the vault: institutions, accounts, assets, values, cash
//! flows, exchange rates, instruments with prices and activities, loans, dismembered
//! ownership.

pub mod activities;
pub mod dismemberment;
pub mod fx;
pub mod instruments;
pub mod loan;
pub mod loans;
pub mod portfolio;
pub mod values;
