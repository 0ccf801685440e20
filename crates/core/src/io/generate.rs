//! A deterministic synthetic profile for benchmarks and tests: N assets spread over
//! institutions and accounts, value points spaced evenly over a number of years,
//! some assets in USD (with daily rates) and some loans. It is produced as an import
//! CSV, so loading it also exercises the importer.

use chrono::{Days, NaiveDate};
use rand::{Rng, SeedableRng};

use crate::error::Result;
use crate::io::import::{ImportOptions, ImportReport};
use crate::money::Decimal;
use crate::vault::Vault;
use crate::wealth::fx::FxRate;
use crate::wealth::portfolio::{AccountKind, AssetClass};

/// What to generate.
#[derive(Clone, Copy, Debug)]
pub struct Spec {
    /// Number of assets.
    pub assets: usize,
    /// Total number of value points.
    pub points: usize,
    /// Years of history ending at `end`.
    pub years: u32,
    /// Last date of the history.
    pub end: NaiveDate,
    /// Random seed.
    pub seed: u64,
}

impl Spec {
    /// The benchmark profile: 2,000 assets, 1,000,000 points over 10 years.
    pub fn benchmark(end: NaiveDate) -> Spec {
        Spec { assets: 2000, points: 1_000_000, years: 10, end, seed: 42 }
    }

    /// First date of the history.
    pub fn start(&self) -> NaiveDate {
        self.end.checked_sub_days(Days::new(u64::from(self.years) * 365)).unwrap_or(self.end)
    }
}

const KINDS: [(AccountKind, AssetClass); 6] = [
    (AccountKind::Current, AssetClass::Cash),
    (AccountKind::Savings, AssetClass::Cash),
    (AccountKind::Brokerage, AssetClass::Equity),
    (AccountKind::Pea, AssetClass::Fund),
    (AccountKind::LifeInsurance, AssetClass::Fund),
    (AccountKind::Crypto, AssetClass::Crypto),
];

/// Writes the profile's value history as import CSV.
pub fn write_csv(spec: &Spec, mut out: impl std::io::Write) -> std::io::Result<()> {
    let mut rng = rand::rngs::StdRng::seed_from_u64(spec.seed);
    writeln!(out, "date,institution,account,account_kind,asset,asset_class,currency,value")?;
    let start = spec.start();
    let span = (spec.end - start).num_days().max(1) as usize;
    let per_asset = (spec.points / spec.assets.max(1)).max(1);
    // 10 institutions with 10 accounts each; an account's kind decides its assets' class.
    for a in 0..spec.assets {
        let slot = a % 100;
        let (kind, mut class) = KINDS[slot % KINDS.len()];
        let institution = format!("Bank {}", slot / 10);
        let account = format!("{} {}", kind.as_str(), slot % 10);
        let currency = if a % 10 == 7 { "USD" } else { "EUR" };
        let (kind, loan) = if a % 20 == 19 { (AccountKind::Loan, true) } else { (kind, false) };
        if loan {
            class = AssetClass::Loan;
        }
        let account = if loan { format!("loan {}", slot % 10) } else { account };
        let mut cents: i64 = rng.gen_range(100_000..10_000_000);
        for i in 0..per_asset {
            let day = (i * span) / per_asset;
            let date = start.checked_add_days(Days::new(day as u64)).unwrap_or(spec.end);
            let drift = rng.gen_range(-150..=160);
            cents = (cents + cents * drift / 10_000).max(100);
            let value = Decimal::new(cents, 2);
            writeln!(
                out,
                "{date},{institution},{account},{},Asset {a},{},{currency},{value}",
                kind.as_str(),
                class.as_str()
            )?;
        }
    }
    Ok(())
}

/// Daily USD rates over the spec's range.
pub fn usd_rates(spec: &Spec) -> Vec<FxRate> {
    let mut rng = rand::rngs::StdRng::seed_from_u64(spec.seed ^ 0xF00D);
    let mut rate: i64 = 11_000;
    let mut out = vec![];
    let mut d = spec.start();
    while d <= spec.end {
        rate = (rate + rng.gen_range(-40..=40)).clamp(9_000, 13_000);
        out.push(FxRate { currency: "USD".into(), date: d, rate: Decimal::new(rate, 4) });
        d = d.checked_add_days(Days::new(1)).unwrap_or(spec.end.succ_opt().unwrap_or(spec.end));
        if d == spec.end.succ_opt().unwrap_or(spec.end) {
            break;
        }
    }
    out
}

/// Fills a vault with the generated profile.
pub fn populate(vault: &Vault, spec: &Spec) -> Result<ImportReport> {
    let mut csv = Vec::with_capacity(spec.points * 80);
    write_csv(spec, &mut csv).map_err(|e| crate::Error::io("generated csv", e))?;
    vault.set_fx_rates(&usd_rates(spec), "generated")?;
    vault.import_csv(csv.as_slice(), ImportOptions::default())
}
