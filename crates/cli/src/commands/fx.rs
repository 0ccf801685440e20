//! Exchange rates: importing the ECB's reference-rate CSV and listing the rates held.

use std::path::Path;

use patrimoine_core::error::Error;

use crate::cli::FxCmd;
use crate::ctx::{Ctx, Outcome};

/// `fx …`.
pub fn fx(ctx: &Ctx, cmd: FxCmd) -> Outcome {
    match cmd {
        FxCmd::Import { name, file } => import(ctx, &name, &file),
        FxCmd::List { name, currency, limit } => list(ctx, &name, currency.as_deref(), limit),
    }
}

fn import(ctx: &Ctx, name: &str, file: &Path) -> Outcome {
    let s = ctx.unlock(name)?;
    let bytes = std::fs::read(file).map_err(|e| Error::io(file, e))?;
    let r = s.vault().import_ecb(&bytes)?;
    println!(
        "{} rate(s) for {} currencies, {} to {}",
        r.rates,
        r.currencies.len(),
        r.first_date.map(|d| d.to_string()).unwrap_or_default(),
        r.last_date.map(|d| d.to_string()).unwrap_or_default()
    );
    Ok(())
}

fn list(ctx: &Ctx, name: &str, currency: Option<&str>, limit: usize) -> Outcome {
    let s = ctx.unlock(name)?;
    for r in s.vault().fx_rates(currency.map(str::trim), limit)? {
        println!("{} {} {}", r.date, r.currency, r.rate);
    }
    Ok(())
}
