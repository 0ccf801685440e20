//! Net worth, series, breakdowns and performance, against hand-computed values and
//! against each other (a series point must equal the net worth computed directly).

use std::collections::BTreeMap;

use patrimoine_core::analytics::{BreakdownBy, Step};
use patrimoine_core::fx::FxRate;
use patrimoine_core::portfolio::{AccountKind, Asset, AssetClass, Component, Ownership, Weight};
use patrimoine_core::values::CashFlow;
use patrimoine_core::{generate, Vault};

use crate::support::*;
use crate::wealth::{account, bank, value};

/// A small household: EUR cash, a USD brokerage holding, a half-owned flat, a loan,
/// and an assurance-vie contract made of two funds.
fn household(v: &Vault) -> (i64, i64) {
    let b = bank(v, "BNP");
    let cur = account(v, b, "Courant", AccountKind::Current, "EUR");
    let bro = account(v, b, "Broker US", AccountKind::Brokerage, "USD");
    let cash = v.create_asset(&Asset::new(Some(cur), "Cash", AssetClass::Cash, "EUR")).unwrap();
    let mut usd = Asset::new(Some(bro), "S&P 500", AssetClass::Equity, "USD");
    usd.allocations =
        BTreeMap::from([("region".into(), vec![Weight { bucket: "North America".into(), weight: dec("100") }])]);
    let usd = v.create_asset(&usd).unwrap();
    let mut flat = Asset::new(None, "Flat", AssetClass::RealEstate, "EUR");
    flat.share_pct = dec("50");
    flat.ownership = Ownership::Full;
    let flat = v.create_asset(&flat).unwrap();
    let loan = v.create_asset(&Asset::new(None, "Mortgage", AssetClass::Loan, "EUR")).unwrap();
    let mut eq = Asset::new(None, "Euro equity fund", AssetClass::Equity, "EUR");
    eq.allocations = BTreeMap::from([(
        "region".into(),
        vec![
            Weight { bucket: "Europe".into(), weight: dec("80") },
            Weight { bucket: "North America".into(), weight: dec("20") },
        ],
    )]);
    let eq = v.create_asset(&eq).unwrap();
    let bond = v.create_asset(&Asset::new(None, "Euro fund", AssetClass::Bond, "EUR")).unwrap();
    let mut av = Asset::new(None, "Assurance-vie", AssetClass::Fund, "EUR");
    av.components =
        vec![Component { asset_id: eq, weight: dec("60") }, Component { asset_id: bond, weight: dec("40") }];
    let av = v.create_asset(&av).unwrap();

    v.set_fx_rates(
        &[
            FxRate { currency: "USD".into(), date: d("2024-01-01"), rate: dec("1.10") },
            FxRate { currency: "USD".into(), date: d("2024-06-01"), rate: dec("1.25") },
        ],
        "manual",
    )
    .unwrap();
    value(v, cash, "2024-01-01", "1000");
    value(v, cash, "2024-03-15", "1500.55");
    value(v, usd, "2024-01-10", "1100");
    value(v, usd, "2024-06-10", "2500");
    value(v, flat, "2024-01-01", "300000");
    value(v, loan, "2024-01-01", "200000");
    value(v, loan, "2024-07-01", "195000");
    value(v, av, "2024-02-01", "10000");
    (cur, bro)
}

#[test]
fn net_worth_with_fx_share_liabilities_and_composites() {
    let (_t, dd) = data_dir();
    let s = create(&dd, "Alice").session;
    let v = s.vault();
    household(v);
    // 2023-12-31: nothing yet.
    assert_eq!(v.net_worth(d("2023-12-31")).unwrap().net_worth, dec("0"));
    // 2024-01-10: cash 1000 + 1100 USD / 1.10 = 1000, + flat 150000 − loan 200000 = −48000.
    let nw = v.net_worth(d("2024-01-10")).unwrap();
    assert_eq!(nw.net_worth, dec("-48000"));
    assert_eq!(nw.liabilities, dec("200000"));
    // 2024-07-01: cash 1500.55 + 2500/1.25 = 2000 + 150000 + AV 10000 − 195000 = −31499.45.
    let nw = v.net_worth(d("2024-07-01")).unwrap();
    assert_eq!(nw.net_worth, dec("-31499.45"));
    assert_eq!(nw.currency, "EUR");
    assert!(nw.missing_rates.is_empty());
}

#[test]
fn missing_rates_are_reported_not_guessed() {
    let (_t, dd) = data_dir();
    let s = create(&dd, "Alice").session;
    let v = s.vault();
    let a = v.create_asset(&Asset::new(None, "Swiss account", AssetClass::Cash, "CHF")).unwrap();
    value(v, a, "2024-01-01", "500");
    let nw = v.net_worth(d("2024-02-01")).unwrap();
    assert_eq!(nw.missing_rates, vec!["CHF"]);
    assert_eq!(nw.net_worth, dec("0"));
}

#[test]
fn base_currency_other_than_euro() {
    let (_t, dd) = data_dir();
    let s = create(&dd, "Alice").session;
    s.set_base_currency("usd").unwrap();
    let v = s.vault();
    let a = v.create_asset(&Asset::new(None, "Cash", AssetClass::Cash, "EUR")).unwrap();
    value(v, a, "2024-01-01", "100");
    v.set_fx_rates(&[FxRate { currency: "USD".into(), date: d("2024-01-01"), rate: dec("1.0812") }], "manual").unwrap();
    let nw = v.net_worth(d("2024-01-02")).unwrap();
    assert_eq!(nw.currency, "USD");
    assert_eq!(nw.net_worth, dec("108.12"));
}

#[test]
fn series_agree_with_direct_net_worth_at_every_sample() {
    let (_t, dd) = data_dir();
    let s = create(&dd, "Alice").session;
    let v = s.vault();
    household(v);
    for step in [Step::Daily, Step::Weekly, Step::Monthly] {
        let series = v.net_worth_series(d("2023-12-20"), d("2024-08-15"), step, true).unwrap();
        assert_eq!(series.dates.len(), series.totals.len());
        for (date, total) in series.dates.iter().zip(&series.totals) {
            assert_eq!(*total, v.net_worth(*date).unwrap().net_worth, "{step:?} at {date}");
        }
        // Stacks add up to the total (to the cent, up to rounding of each layer).
        for i in 0..series.dates.len() {
            let sum: rust_decimal::Decimal = series.stacks.iter().map(|s| s.values[i]).sum();
            assert!((sum - series.totals[i]).abs() <= dec("0.05"), "stacks at {}", series.dates[i]);
        }
        let keys: Vec<&str> = series.stacks.iter().map(|s| s.key.as_str()).collect();
        assert!(keys.contains(&"bond") && keys.contains(&"loan"), "{keys:?}");
    }
}

#[test]
fn series_match_on_generated_data() {
    let (_t, dd) = data_dir();
    let s = create(&dd, "Alice").session;
    let v = s.vault();
    let spec = generate::Spec { assets: 40, points: 4000, years: 3, end: d("2024-12-31"), seed: 7 };
    let report = generate::populate(v, &spec).unwrap();
    assert_eq!(report.values_inserted, 4000);
    let series = v.net_worth_series(spec.start(), spec.end, Step::Monthly, false).unwrap();
    for (date, total) in series.dates.iter().zip(&series.totals).step_by(5) {
        assert_eq!(*total, v.net_worth(*date).unwrap().net_worth, "at {date}");
    }
}

#[test]
fn breakdowns_look_through_composites() {
    let (_t, dd) = data_dir();
    let s = create(&dd, "Alice").session;
    let v = s.vault();
    household(v);
    let at = d("2024-07-01");
    let by_class = v.breakdown(at, &BreakdownBy::Class).unwrap();
    let get =
        |b: &patrimoine_core::analytics::Breakdown, k: &str| b.slices.iter().find(|s| s.key == k).map(|s| s.value);
    // AV 10000 → equity 6000 (+ USD equity 2000), bond 4000.
    assert_eq!(get(&by_class, "equity"), Some(dec("8000")));
    assert_eq!(get(&by_class, "bond"), Some(dec("4000")));
    assert_eq!(get(&by_class, "loan"), Some(dec("-195000")));
    assert_eq!(get(&by_class, "fund"), None);
    assert_eq!(by_class.total, dec("-31499.45"));
    let sum: rust_decimal::Decimal = by_class.slices.iter().map(|s| s.value).sum();
    assert_eq!(sum, by_class.total);
    // Region: equity fund 6000 → Europe 4800, North America 1200 (+2000 USD holding).
    let by_region = v.breakdown(at, &BreakdownBy::parse("region")).unwrap();
    assert_eq!(get(&by_region, "Europe"), Some(dec("4800")));
    assert_eq!(get(&by_region, "North America"), Some(dec("3200")));
    assert_eq!(get(&by_region, "unclassified"), Some(dec("-39499.45")));
    let by_currency = v.breakdown(at, &BreakdownBy::Currency).unwrap();
    assert_eq!(get(&by_currency, "USD"), Some(dec("2000")));
    let by_inst = v.breakdown(at, &BreakdownBy::Institution).unwrap();
    assert_eq!(by_inst.slices.iter().find(|s| s.label == "BNP").map(|s| s.value), Some(dec("3500.55")));
    assert_eq!(get(&by_inst, "direct"), Some(dec("-35000")));
    assert_eq!(v.breakdown(at, &BreakdownBy::parse("nonexistent")).err().unwrap().code(), "not_found");
}

#[test]
fn first_value_date_is_the_oldest_point_of_any_asset() {
    let (_t, dd) = data_dir();
    let s = create(&dd, "Alice").session;
    let v = s.vault();
    assert_eq!(v.first_value_date().unwrap(), None);
    let (cur, _) = household(v);
    assert_eq!(v.first_value_date().unwrap(), Some(d("2024-01-01")));
    let old = v.create_asset(&Asset::new(Some(cur), "Old savings", AssetClass::Cash, "EUR")).unwrap();
    value(v, old, "2019-05-31", "10");
    value(v, old, "2020-05-31", "20");
    assert_eq!(v.first_value_date().unwrap(), Some(d("2019-05-31")));
}

#[test]
fn stale_assets_are_listed_oldest_first() {
    let (_t, dd) = data_dir();
    let s = create(&dd, "Alice").session;
    let v = s.vault();
    household(v);
    let stale = v.stale_assets(d("2024-08-01"), 60).unwrap();
    let names: Vec<&str> = stale.iter().map(|s| s.name.as_str()).collect();
    // Flat (2024-01-01), Cash (2024-03-15), AV (2024-02-01): older than 60 days. Fund
    // components without values are not listed.
    assert_eq!(names, vec!["Flat", "Assurance-vie", "Cash"]);
    assert_eq!(stale[0].age_days, Some(213));
}

/// An XIRR computed independently: plain bisection on the NPV, written here without
/// reference to the core's implementation.
fn independent_xirr(flows: &[(chrono::NaiveDate, f64)]) -> f64 {
    let t0 = flows[0].0;
    let npv = |r: f64| flows.iter().map(|(d, a)| a / (1.0 + r).powf((*d - t0).num_days() as f64 / 365.0)).sum::<f64>();
    let (mut lo, mut hi) = (-0.99, 10.0);
    for _ in 0..200 {
        let mid = (lo + hi) / 2.0;
        if npv(mid) > 0.0 {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    (lo + hi) / 2.0
}

#[test]
fn performance_of_an_account_with_flows() {
    let (_t, dd) = data_dir();
    let s = create(&dd, "Alice").session;
    let v = s.vault();
    let b = bank(v, "Boursorama");
    let pea = account(v, b, "PEA", AccountKind::Pea, "EUR");
    let etf = v.create_asset(&Asset::new(Some(pea), "ETF World", AssetClass::Fund, "EUR")).unwrap();
    value(v, etf, "2023-01-01", "10000");
    value(v, etf, "2023-07-01", "16000"); // +1000 growth after a 5000 contribution that day
    value(v, etf, "2024-01-01", "17600"); // +10 %
    v.add_cash_flow(&CashFlow {
        id: 0,
        account_id: pea,
        date: d("2023-07-01"),
        amount: dec("5000"),
        note: "versement".into(),
    })
    .unwrap();
    let p = v.performance(Some(pea), d("2023-01-01"), d("2024-01-01")).unwrap();
    // TWR: (16000 − 5000) / 10000 = 1.1, then 17600 / 16000 = 1.1 → 1.21 − 1 = 21 %.
    assert_eq!(p.twr, Some(dec("0.21")));
    assert_eq!(p.net_flows, dec("5000"));
    assert_eq!(p.gain, dec("2600"));
    let expected =
        independent_xirr(&[(d("2023-01-01"), -10000.0), (d("2023-07-01"), -5000.0), (d("2024-01-01"), 17600.0)]);
    let got: f64 = p.xirr.unwrap().to_string().parse().unwrap();
    assert!((got - expected).abs() < 1e-5, "{got} vs {expected}");
    // The batch computation gives the same figures.
    let batch = v.performance_by_account(d("2023-01-01"), d("2024-01-01")).unwrap();
    assert_eq!(batch, vec![p.clone()]);
    // Whole profile gives the same here (one account).
    let all = v.performance(None, d("2023-01-01"), d("2024-01-01")).unwrap();
    assert_eq!(all.twr, p.twr);
    assert_eq!(v.performance(Some(pea), d("2024-01-01"), d("2023-01-01")).err().unwrap().code(), "invalid_input");
}

#[test]
fn an_item_entered_once_this_month_is_brought_in_not_gained() {
    use patrimoine_core::performance::NoReturn;
    let (_t, dd) = data_dir();
    let s = create(&dd, "Alice").session;
    let v = s.vault();
    let flat = v.create_asset(&Asset::new(None, "Flat", AssetClass::RealEstate, "EUR")).unwrap();
    value(v, flat, "2026-11-15", "210000");
    let p = v.performance(None, d("2025-12-01"), d("2026-12-01")).unwrap();
    assert_eq!((p.start_value, p.end_value), (dec("0.00"), dec("210000.00")));
    assert_eq!(p.new_items, dec("210000.00"));
    assert_eq!(p.gain, dec("0.00"));
    // One value measures nothing: no return, and the reason.
    assert_eq!((p.twr, p.twr_missing), (None, Some(NoReturn::NoRevaluation)));
    assert_eq!((p.xirr, p.xirr_missing), (None, Some(NoReturn::NoRevaluation)));
    // Nothing at all: nothing invested.
    let empty = v.performance(None, d("2020-01-01"), d("2021-01-01")).unwrap();
    assert_eq!(empty.twr_missing, Some(NoReturn::NothingInvested));
    assert_eq!(empty.new_items, dec("0.00"));
}

#[test]
fn a_new_item_in_an_account_is_a_contribution_and_the_rest_is_revaluation() {
    let (_t, dd) = data_dir();
    let s = create(&dd, "Alice").session;
    let v = s.vault();
    let b = bank(v, "Boursorama");
    let pea = account(v, b, "PEA", AccountKind::Pea, "EUR");
    let etf = v.create_asset(&Asset::new(Some(pea), "ETF World", AssetClass::Fund, "EUR")).unwrap();
    let small = v.create_asset(&Asset::new(Some(pea), "Small caps", AssetClass::Fund, "EUR")).unwrap();
    value(v, etf, "2024-12-31", "10000");
    value(v, etf, "2025-12-31", "11000");
    value(v, small, "2025-07-01", "5000"); // appears mid-year
    value(v, small, "2025-12-31", "5500");
    let p = v.performance(Some(pea), d("2025-01-01"), d("2025-12-31")).unwrap();
    assert_eq!(p.new_items, dec("5000.00"));
    // 16500 − 10000 − 5000 brought in = 1500 of revaluation.
    assert_eq!(p.gain, dec("1500.00"));
    // TWR: on 1 July 10000 (the ETF's last value) + 5000 new → growth 1; then
    // 16500 / 15000 = 1.1. XIRR: −10000 on 1 Jan, −5000 on 1 Jul, +16500 on 31 Dec.
    assert_eq!(p.twr, Some(dec("0.100000")));
    let expected =
        independent_xirr(&[(d("2025-01-01"), -10000.0), (d("2025-07-01"), -5000.0), (d("2025-12-31"), 16500.0)]);
    let got: f64 = p.xirr.unwrap().to_string().parse().unwrap();
    assert!((got - expected).abs() < 1e-5, "{got} vs {expected}");
}

#[test]
fn an_item_whose_value_drops_to_zero_takes_its_last_value_out() {
    let (_t, dd) = data_dir();
    let s = create(&dd, "Alice").session;
    let v = s.vault();
    let b = bank(v, "Fortuneo");
    let cto = account(v, b, "CTO", AccountKind::Brokerage, "EUR");
    let sold = v.create_asset(&Asset::new(Some(cto), "Sold fund", AssetClass::Fund, "EUR")).unwrap();
    let kept = v.create_asset(&Asset::new(Some(cto), "Kept fund", AssetClass::Fund, "EUR")).unwrap();
    value(v, sold, "2025-01-01", "8000");
    value(v, sold, "2025-06-30", "0");
    value(v, kept, "2025-01-01", "2000");
    value(v, kept, "2025-12-31", "2200");
    let p = v.performance(Some(cto), d("2025-01-01"), d("2025-12-31")).unwrap();
    assert_eq!(p.removed_items, dec("8000.00"));
    // 2200 − 10000 + 8000 taken out = 200 of gain; TWR 10000 → 2000 + 8000 out (×1),
    // then 2000 → 2200 (×1.1).
    assert_eq!(p.gain, dec("200.00"));
    assert_eq!(p.twr, Some(dec("0.100000")));
}

#[test]
fn a_loan_is_capital_repaid_not_gain_and_has_no_return() {
    use patrimoine_core::performance::NoReturn;
    let (_t, dd) = data_dir();
    let s = create(&dd, "Alice").session;
    let v = s.vault();
    let b = bank(v, "Crédit Agricole");
    let home = account(v, b, "Prêt immo", AccountKind::Loan, "EUR");
    let loan = v.create_asset(&Asset::new(Some(home), "Mortgage", AssetClass::Loan, "EUR")).unwrap();
    let flat = v.create_asset(&Asset::new(None, "Flat", AssetClass::RealEstate, "EUR")).unwrap();
    let car = v.create_asset(&Asset::new(None, "Car loan", AssetClass::Loan, "EUR")).unwrap();
    value(v, loan, "2025-01-01", "200000");
    value(v, loan, "2025-12-31", "190000");
    value(v, flat, "2025-01-01", "300000");
    value(v, flat, "2025-12-31", "310000");
    value(v, car, "2025-03-01", "15000"); // borrowed in March
    value(v, car, "2025-12-31", "12000");
    let p = v.performance(Some(home), d("2025-01-01"), d("2025-12-31")).unwrap();
    assert_eq!((p.start_value, p.end_value), (dec("-200000.00"), dec("-190000.00")));
    assert_eq!((p.debt_start, p.debt_end, p.capital_repaid), (dec("200000.00"), dec("190000.00"), dec("10000.00")));
    assert_eq!(p.gain, dec("0.00"));
    assert_eq!((p.twr, p.twr_missing), (None, Some(NoReturn::LiabilitiesOnly)));
    // The profile: the flat's 10000 is the gain, the debts are apart: 15000 borrowed,
    // 10000 + 3000 repaid. Net worth change = gain − new debt + capital repaid.
    let all = v.performance(None, d("2025-01-01"), d("2025-12-31")).unwrap();
    assert_eq!(all.gain, dec("10000.00"));
    assert_eq!((all.new_debt, all.capital_repaid), (dec("15000.00"), dec("13000.00")));
    assert_eq!(all.end_value - all.start_value, all.gain - all.new_debt + all.capital_repaid);
    assert_eq!(all.twr, Some(dec("0.033333"))); // 310000 / 300000 − 1
}

#[test]
fn monthly_series_stay_right_after_edits_and_deletions() {
    use patrimoine_core::values::{Source, ValuePoint};
    let (_t, dd) = data_dir();
    let s = create(&dd, "Alice").session;
    let v = s.vault();
    household(v);
    let cash = v.assets().unwrap().into_iter().find(|a| a.name == "Cash").unwrap().id;
    // Edit a month's last value, delete another month's last value (the previous one
    // of that month must count again), add a value earlier in a month.
    value(v, cash, "2024-03-15", "999.99");
    value(v, cash, "2024-05-10", "2000");
    value(v, cash, "2024-05-20", "2500");
    v.delete_value(cash, "2024-05-20".parse().unwrap()).unwrap();
    v.upsert_values(&[ValuePoint {
        asset_id: cash,
        date: d("2024-06-01"),
        value: dec("10"),
        quantity: None,
        unit_price: None,
        source: Source::Manual,
    }])
    .unwrap();
    let series = v.net_worth_series(d("2024-01-01"), d("2024-09-30"), Step::Monthly, false).unwrap();
    for (date, total) in series.dates.iter().zip(&series.totals) {
        assert_eq!(*total, v.net_worth(*date).unwrap().net_worth, "at {date}");
    }
    // Deleting an asset removes its monthly values with it.
    v.delete_asset(cash, true).unwrap();
    let series = v.net_worth_series(d("2024-01-01"), d("2024-09-30"), Step::Monthly, false).unwrap();
    for (date, total) in series.dates.iter().zip(&series.totals) {
        assert_eq!(*total, v.net_worth(*date).unwrap().net_worth, "at {date}");
    }
    assert!(v.health().unwrap().is_ok());
}
