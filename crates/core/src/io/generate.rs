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

/// The wealth model v2 on top of a [`Spec`]: instruments with price histories,
/// brokerage accounts with activities, loans held with their terms.
#[derive(Clone, Copy, Debug)]
pub struct SecuritiesSpec {
    /// Instruments.
    pub instruments: usize,
    /// Price points in all (spread evenly over the instruments and the years).
    pub prices: usize,
    /// Activities in all (deposits, buys, sells, dividends, fees).
    pub activities: usize,
    /// Accounts that hold the activities.
    pub accounts: usize,
    /// Loans from their terms.
    pub loans: usize,
}

impl SecuritiesSpec {
    /// The benchmark's: 300 instruments, 200,000 prices, 50,000 activities over 20
    /// accounts, 20 loans.
    pub fn benchmark() -> SecuritiesSpec {
        SecuritiesSpec { instruments: 300, prices: 200_000, activities: 50_000, accounts: 20, loans: 20 }
    }
}

/// Adds the securities, activities and loans of `sec` to a vault holding `spec`'s
/// profile (same date range), through the vault's own API: one `set_prices` and one
/// `add_activities` call (each one transaction, the accounts derived once), then one
/// `create_loan` per loan. The activities never sell more than is held.
pub fn populate_securities(vault: &Vault, spec: &Spec, sec: &SecuritiesSpec) -> Result<()> {
    use crate::wealth::activities::{Activity, ActivityKind};
    use crate::wealth::instruments::{Instrument, PricePoint};
    use crate::wealth::loan::{Amortization, Deferral, LoanTerms};
    use crate::wealth::loans::Loan;
    use crate::wealth::portfolio::{Account, Institution, InstitutionKind};
    use crate::wealth::values::Source;

    let mut rng = rand::rngs::StdRng::seed_from_u64(spec.seed ^ 0x5EC);
    let start = spec.start();
    let span = (spec.end - start).num_days().max(1) as usize;
    let date_at = |day: usize| start.checked_add_days(Days::new(day as u64)).unwrap_or(spec.end);

    // Instruments and their prices: a random walk, one price every `span / per` days.
    let per = (sec.prices / sec.instruments.max(1)).max(1);
    let mut ids = Vec::with_capacity(sec.instruments);
    let mut paths: Vec<Vec<i64>> = Vec::with_capacity(sec.instruments);
    let mut prices = Vec::with_capacity(sec.prices);
    for i in 0..sec.instruments {
        let id = vault.create_instrument(&Instrument {
            id: 0,
            name: format!("Fund {i}"),
            isin: None,
            ticker: Some(format!("F{i}")),
            currency: "EUR".into(),
            class: if i % 3 == 0 { AssetClass::Equity } else { AssetClass::Fund },
            archived: false,
            allocations: Default::default(),
        })?;
        ids.push(id);
        let mut cents: i64 = rng.gen_range(1_000..50_000);
        let mut path = Vec::with_capacity(per);
        for k in 0..per {
            cents = (cents + cents * rng.gen_range(-300..=320) / 10_000).max(100);
            path.push(cents);
            prices.push(PricePoint {
                instrument_id: id,
                date: date_at(k * span / per),
                price: Decimal::new(cents, 2),
                source: Source::Import,
            });
        }
        paths.push(path);
    }
    vault.set_prices(&prices)?;
    let price_on = |i: usize, day: usize| Decimal::new(paths[i][(day * per / span).min(per - 1)], 2);

    // Accounts with activities, each trading its own slice of the instruments.
    let broker = vault.create_institution(&Institution {
        id: 0,
        name: "Broker".into(),
        kind: InstitutionKind::Broker,
        notes: String::new(),
    })?;
    let per_account = (sec.activities / sec.accounts.max(1)).max(1);
    let mut activities = Vec::with_capacity(sec.activities);
    for a in 0..sec.accounts {
        let account = vault.create_account(&Account {
            id: 0,
            institution_id: broker,
            name: format!("Securities {a}"),
            kind: if a % 2 == 0 { AccountKind::Brokerage } else { AccountKind::Pea },
            currency: "EUR".into(),
            opened_on: Some(start),
            closed_on: None,
        })?;
        let mine: Vec<usize> = (0..30).map(|k| (a * 15 + k) % sec.instruments.max(1)).collect();
        let mut held = vec![Decimal::ZERO; mine.len()];
        let base = |kind, day: usize| Activity {
            id: 0,
            account_id: account,
            date: date_at(day),
            kind,
            instrument_id: None,
            quantity: None,
            unit_price: None,
            amount: None,
            fees: Decimal::ZERO,
            note: String::new(),
        };
        for n in 0..per_account {
            let day = n * span / per_account;
            let k = rng.gen_range(0..mine.len());
            let i = mine[k];
            let roll = rng.gen_range(0..100);
            let act = if n % 10 == 0 || roll < 10 {
                Activity {
                    amount: Some(Decimal::new(rng.gen_range(50_000..500_000), 2)),
                    ..base(ActivityKind::Deposit, day)
                }
            } else if roll < 20 && !held[k].is_zero() {
                let q = (held[k] / Decimal::TWO).round_dp(0).max(Decimal::ONE).min(held[k]);
                held[k] -= q;
                Activity {
                    instrument_id: Some(ids[i]),
                    quantity: Some(q),
                    unit_price: Some(price_on(i, day)),
                    fees: Decimal::new(199, 2),
                    ..base(ActivityKind::Sell, day)
                }
            } else if roll < 25 {
                Activity {
                    instrument_id: Some(ids[i]),
                    amount: Some(Decimal::new(rng.gen_range(100..10_000), 2)),
                    ..base(ActivityKind::Dividend, day)
                }
            } else if roll < 27 {
                Activity { amount: Some(Decimal::new(rng.gen_range(100..2_000), 2)), ..base(ActivityKind::Fee, day) }
            } else {
                let q = Decimal::from(rng.gen_range(1..20));
                held[k] += q;
                Activity {
                    instrument_id: Some(ids[i]),
                    quantity: Some(q),
                    unit_price: Some(price_on(i, day)),
                    fees: Decimal::new(99, 2),
                    ..base(ActivityKind::Buy, day)
                }
            };
            activities.push(act);
        }
    }
    vault.add_activities(&activities)?;

    for l in 0..sec.loans {
        let months = [120u32, 180, 240, 300][l % 4];
        let first = date_at((l * span / sec.loans.max(1)) / 2);
        vault.create_loan(&Loan {
            asset_id: 0,
            account_id: None,
            name: format!("Loan {l}"),
            currency: "EUR".into(),
            share_pct: Decimal::ONE_HUNDRED,
            terms: LoanTerms {
                principal: Decimal::from(rng.gen_range(50_000..400_000)),
                annual_rate: Decimal::new(rng.gen_range(50..450), 2),
                months,
                first_payment: first,
                insurance: Decimal::new(rng.gen_range(0..5_000), 2),
                amortization: if l % 7 == 6 { Amortization::InFine } else { Amortization::Constant },
                deferral: Deferral::None,
                deferral_months: 0,
            },
            linked_asset_id: None,
            repayments: vec![],
        })?;
    }
    Ok(())
}
