//! The wealth model on top of the vault: institutions, accounts, assets, values, cash
//! flows, exchange rates.

pub mod fx;
pub mod portfolio;
pub mod values;
