//! Instruments, prices and activities on a real vault: positions and cash derived
//! into the values every computation reads.

use patrimoine_core::activities::{Activity, ActivityKind};
use patrimoine_core::instruments::{Instrument, PricePoint};
use patrimoine_core::portfolio::{AccountKind, AssetClass, Derived};
use patrimoine_core::values::{Source, ValuePoint};
use patrimoine_core::Vault;
use std::collections::BTreeMap;

use crate::support::*;
use crate::wealth::{account, bank};

fn etf(v: &Vault) -> i64 {
    v.create_instrument(&Instrument {
        id: 0,
        name: "iShares Core MSCI World".into(),
        isin: Some("IE00B4L5Y983".into()),
        ticker: Some("IWDA".into()),
        currency: "EUR".into(),
        class: AssetClass::Fund,
        archived: false,
        allocations: BTreeMap::new(),
    })
    .unwrap()
}

fn money(account: i64, date: &str, kind: ActivityKind, amount: &str) -> Activity {
    Activity {
        id: 0,
        account_id: account,
        date: d(date),
        kind,
        instrument_id: None,
        quantity: None,
        unit_price: None,
        amount: Some(dec(amount)),
        fees: dec("0"),
        note: String::new(),
    }
}

fn trade(account: i64, date: &str, kind: ActivityKind, instrument: i64, q: &str, price: &str) -> Activity {
    Activity {
        id: 0,
        account_id: account,
        date: d(date),
        kind,
        instrument_id: Some(instrument),
        quantity: Some(dec(q)),
        unit_price: Some(dec(price)),
        amount: None,
        fees: dec("0"),
        note: String::new(),
    }
}

fn price(instrument: i64, date: &str, p: &str) -> PricePoint {
    PricePoint { instrument_id: instrument, date: d(date), price: dec(p), source: Source::Manual }
}

/// A PEA with deposits, a buy and prices, and a brokerage account holding the same
/// fund from an opening position: one price values both; the PEA's performance uses
/// its deposits as flows (TWR computed by hand: 1.1 × 0.93125 − 1 = 2.4375 %).
#[test]
fn one_price_values_every_account_and_deposits_are_the_flows() {
    let (_t, dd) = data_dir();
    let s = create(&dd, "Alice").session;
    let v = s.vault();
    let b = bank(v, "Boursorama");
    let pea = account(v, b, "PEA", AccountKind::Pea, "EUR");
    let cto = account(v, b, "CTO", AccountKind::Brokerage, "EUR");
    let fund = etf(v);
    v.add_activities(&[
        money(pea, "2024-01-01", ActivityKind::Deposit, "10000"),
        trade(pea, "2024-01-02", ActivityKind::Buy, fund, "100", "100"),
        money(pea, "2024-07-01", ActivityKind::Deposit, "5000"),
    ])
    .unwrap();
    v.add_opening_position(cto, fund, d("2024-03-01"), dec("50"), dec("80")).unwrap();
    v.set_prices(&[price(fund, "2024-06-30", "110"), price(fund, "2024-12-31", "99")]).unwrap();

    // The PEA's buy at 100 is the fund's price on 1 March: the CTO's 50 units are worth
    // 5 000 (not their cost of 4 000).
    assert_eq!(v.net_worth(d("2024-03-01")).unwrap().net_worth, dec("15000.00"));
    // 30 June: 150 × 110; 1 July: + 5 000 cash; 31 December: 150 × 99 + 5 000.
    assert_eq!(v.net_worth(d("2024-06-30")).unwrap().net_worth, dec("16500.00"));
    assert_eq!(v.net_worth(d("2024-12-31")).unwrap().net_worth, dec("19850.00"));

    let h = v.holdings(pea, d("2024-12-31")).unwrap();
    assert_eq!(h.cash, dec("5000.00"));
    assert_eq!(h.positions.len(), 1);
    let p = &h.positions[0];
    assert_eq!((p.units, p.price, p.value, p.cost), (dec("100"), Some(dec("99")), dec("9900.00"), dec("10000.00")));
    assert_eq!(p.unrealised, dec("-100.00"));
    let c = &v.holdings(cto, d("2024-12-31")).unwrap().positions[0];
    assert_eq!((c.cost, c.average_cost, c.unrealised), (dec("4000.00"), Some(dec("80")), dec("950.00")));

    let perf = v.performance(Some(pea), d("2023-12-31"), d("2024-12-31")).unwrap();
    assert_eq!(perf.net_flows, dec("15000.00"));
    assert_eq!(perf.new_items, dec("0.00"), "a buy is not money brought in");
    assert_eq!(perf.gain, dec("-100.00"));
    assert_eq!(perf.twr, Some(dec("0.024375")));

    // The assets are derived: typed values are refused, and the position follows the
    // instrument.
    let assets = v.assets().unwrap();
    let position = assets.iter().find(|a| a.account_id == Some(pea) && a.derived == Some(Derived::Position)).unwrap();
    assert_eq!(position.instrument_id, Some(fund));
    let err = v
        .upsert_values(&[ValuePoint {
            asset_id: position.id,
            date: d("2024-05-01"),
            value: dec("1"),
            quantity: None,
            unit_price: None,
            source: Source::Manual,
        }])
        .unwrap_err();
    assert_eq!(err.code(), "values_derived");
    assert!(assets.iter().any(|a| a.account_id == Some(pea) && a.derived == Some(Derived::Cash)));
    let overview = v.accounts_overview(d("2024-12-31")).unwrap();
    let activities = |acc: i64| overview.accounts.iter().find(|b| b.account_id == acc).unwrap().activities;
    assert_eq!((activities(pea), activities(cto)), (3, 1));
    // Its cash comes from its activities: no balance is typed for it.
    assert_eq!(v.set_account_balance(pea, d("2024-05-01"), dec("1")).unwrap_err().code(), "values_derived");
    assert!(v.health().unwrap().is_ok());
}

/// Selling more than held, anywhere in the history, writes nothing; deleting the buy
/// a later sale needs is refused the same way.
#[test]
fn an_impossible_history_is_refused_whole() {
    let (_t, dd) = data_dir();
    let s = create(&dd, "Alice").session;
    let v = s.vault();
    let b = bank(v, "Fortuneo");
    let cto = account(v, b, "CTO", AccountKind::Brokerage, "EUR");
    let fund = etf(v);
    let buy = v.add_activity(&trade(cto, "2024-01-02", ActivityKind::Buy, fund, "10", "50")).unwrap();
    let before = (v.activities(None).unwrap(), v.net_worth(d("2024-12-31")).unwrap());
    let err = v
        .add_activities(&[
            trade(cto, "2024-02-01", ActivityKind::Sell, fund, "4", "55"),
            trade(cto, "2024-03-01", ActivityKind::Sell, fund, "7", "60"),
        ])
        .unwrap_err();
    assert_eq!(err.code(), "sell_exceeds_position");
    assert_eq!((v.activities(None).unwrap(), v.net_worth(d("2024-12-31")).unwrap()), before);
    v.add_activity(&trade(cto, "2024-02-01", ActivityKind::Sell, fund, "4", "55")).unwrap();
    assert_eq!(v.delete_activity(buy).unwrap_err().code(), "sell_exceeds_position");
    assert_eq!(v.activities(None).unwrap().len(), 2);
    // Cash −500 + 220; position 6 × 55.
    assert_eq!(v.net_worth(d("2024-12-31")).unwrap().net_worth, dec("50.00"));
    assert_eq!(v.holdings(cto, d("2024-12-31")).unwrap().years[0].realised, dec("20.00"));
    // Bad input, each with its code, nothing written.
    let mut split = trade(cto, "2024-04-01", ActivityKind::Split, fund, "0", "1");
    split.unit_price = None;
    assert_eq!(v.add_activity(&split).unwrap_err().code(), "split_ratio_invalid");
    assert_eq!(v.set_prices(&[price(fund, "2024-04-01", "0")]).unwrap_err().code(), "price_not_positive");
    let mut bad = Instrument { isin: Some("IE00B4L5Y984".into()), ..v.instrument(fund).unwrap() };
    bad.name = "Other".into();
    assert_eq!(v.create_instrument(&bad).unwrap_err().code(), "isin_check_digit");
    assert_eq!(v.activities(None).unwrap().len(), 2);
    assert_eq!(v.delete_instrument(fund).unwrap_err().code(), "in_use");
}

/// The benchmark's generator, small: its activities are a valid history, every
/// account's positions come out, and each account's value on a date is its cash plus
/// its positions (checked against `holdings`).
#[test]
fn the_generated_securities_profile_is_consistent() {
    use patrimoine_core::generate::{self, SecuritiesSpec, Spec};
    let (_t, dd) = data_dir();
    let s = create(&dd, "Alice").session;
    let v = s.vault();
    let spec = Spec { assets: 20, points: 2000, years: 3, end: d("2025-12-31"), seed: 5 };
    generate::populate(v, &spec).unwrap();
    let sec = SecuritiesSpec { instruments: 12, prices: 1200, activities: 600, accounts: 3, loans: 2 };
    generate::populate_securities(v, &spec, &sec).unwrap();
    assert_eq!(v.activities(None).unwrap().len(), 600);
    assert_eq!(v.loans().unwrap().len(), 2);
    let overview = v.accounts_overview(spec.end).unwrap();
    let mut checked = 0;
    for acc in v.accounts().unwrap().iter().filter(|a| a.name.starts_with("Securities ")) {
        let h = v.holdings(acc.id, spec.end).unwrap();
        let from_holdings: rust_decimal::Decimal =
            h.cash + h.positions.iter().map(|p| p.value).sum::<rust_decimal::Decimal>();
        let listed = overview.accounts.iter().find(|b| b.account_id == acc.id).unwrap().value;
        assert!((from_holdings - listed).abs() <= dec("0.05"), "{} vs {}", from_holdings, listed);
        assert!(h.positions.iter().any(|p| !p.units.is_zero()));
        checked += 1;
    }
    assert_eq!(checked, 3);
    assert!(v.health().unwrap().is_ok());
}

/// On the day of a trade, a price typed for that day wins over the trade's price; a
/// split keeps the value; a transfer out takes units at their average cost and is a
/// flow out at their price.
#[test]
fn a_typed_price_wins_over_a_trade_of_its_day_and_transfers_move_units() {
    let (_t, dd) = data_dir();
    let s = create(&dd, "Alice").session;
    let v = s.vault();
    let b = bank(v, "Bourse Direct");
    let cto = account(v, b, "CTO", AccountKind::Brokerage, "EUR");
    let fund = etf(v);
    v.add_activity(&trade(cto, "2024-01-02", ActivityKind::Buy, fund, "100", "100")).unwrap();
    // 100 units at the trade price, and the cash of the buy (−10 000).
    assert_eq!(v.net_worth(d("2024-01-02")).unwrap().net_worth, dec("0.00"));
    v.set_prices(&[price(fund, "2024-01-02", "95")]).unwrap();
    // 100 units at the typed 95, and the cash of the buy (−10 000).
    assert_eq!(v.net_worth(d("2024-01-02")).unwrap().net_worth, dec("-500.00"));
    let mut split = trade(cto, "2024-02-01", ActivityKind::Split, fund, "4", "1");
    split.unit_price = None;
    v.add_activity(&split).unwrap();
    let h = v.holdings(cto, d("2024-02-01")).unwrap();
    assert_eq!((h.positions[0].units, h.positions[0].value), (dec("400"), dec("9500.00")));
    assert_eq!(h.positions[0].average_cost, Some(dec("25")));
    let mut out = trade(cto, "2024-03-01", ActivityKind::TransferOut, fund, "100", "1");
    out.unit_price = None;
    v.add_activity(&out).unwrap();
    let h = v.holdings(cto, d("2024-03-01")).unwrap();
    assert_eq!((h.positions[0].units, h.positions[0].cost), (dec("300"), dec("7500.00")));
    // The 100 units left at 95 / 4 = 23.75 each.
    let p = v.performance(Some(cto), d("2024-02-15"), d("2024-03-31")).unwrap();
    assert_eq!(p.net_flows, dec("-2375.00"));
    assert_eq!(p.gain, dec("0.00"));
}

/// The JSON export carries instruments, prices, activities and loans, and marks the
/// derived assets.
#[test]
fn the_json_export_carries_the_new_model() {
    let (_t, dd) = data_dir();
    let s = create(&dd, "Alice").session;
    let v = s.vault();
    let b = bank(v, "Boursorama");
    let pea = account(v, b, "PEA", AccountKind::Pea, "EUR");
    let fund = etf(v);
    v.add_activities(&[
        money(pea, "2024-01-01", ActivityKind::Deposit, "1000"),
        trade(pea, "2024-01-02", ActivityKind::Buy, fund, "5", "100"),
    ])
    .unwrap();
    v.set_prices(&[price(fund, "2024-02-01", "110")]).unwrap();
    let mut out = vec![];
    v.export_json_to(&mut out).unwrap();
    let doc: serde_json::Value = serde_json::from_slice(&out).unwrap();
    assert_eq!(doc["instruments"][0]["isin"], "IE00B4L5Y983");
    assert_eq!(doc["prices"].as_array().unwrap().len(), 1);
    assert_eq!(doc["activities"].as_array().unwrap().len(), 2);
    assert_eq!(doc["activities"][1]["kind"], "buy");
    let derived: Vec<&str> = doc["assets"].as_array().unwrap().iter().filter_map(|a| a["derived"].as_str()).collect();
    assert_eq!(derived.len(), 2, "{derived:?}");
    assert!(doc.get("loans").is_none(), "no loans: no field");
}

/// The CSV value export leaves the computed values out, so importing it back into the
/// same profile changes nothing; a values line aimed at a position is refused.
#[test]
fn computed_values_stay_out_of_the_values_csv() {
    let (_t, dd) = data_dir();
    let s = create(&dd, "Alice").session;
    let v = s.vault();
    let b = bank(v, "Boursorama");
    let pea = account(v, b, "PEA", AccountKind::Pea, "EUR");
    let fund = etf(v);
    v.add_activities(&[
        money(pea, "2024-01-01", ActivityKind::Deposit, "1000"),
        trade(pea, "2024-01-02", ActivityKind::Buy, fund, "5", "100"),
    ])
    .unwrap();
    let mut out = vec![];
    v.export_csv_to(&mut out).unwrap();
    assert_eq!(String::from_utf8(out.clone()).unwrap().lines().count(), 1, "header only");
    let before = v.net_worth(d("2024-12-31")).unwrap();
    v.import_csv(out.as_slice(), patrimoine_core::import::ImportOptions::default()).unwrap();
    assert_eq!(v.net_worth(d("2024-12-31")).unwrap(), before);
    let csv = "date,institution,account,account_kind,asset,asset_class,currency,value\n\
               2024-06-01,Boursorama,PEA,pea,iShares Core MSCI World,fund,EUR,999\n";
    let err = v.import_csv(csv.as_bytes(), patrimoine_core::import::ImportOptions::default()).unwrap_err();
    let patrimoine_core::Error::Import(report) = err else { panic!("not an import report") };
    assert_eq!(report.errors[0].code, "values_derived");
    assert_eq!(v.net_worth(d("2024-12-31")).unwrap(), before);
}

/// A trade recorded later in one account revalues another account that already holds
/// the instrument (the trade is a price for it), and deleting the trade undoes it.
#[test]
fn a_trade_in_one_account_revalues_the_others_holding_its_instrument() {
    let (_t, dd) = data_dir();
    let s = create(&dd, "Alice").session;
    let v = s.vault();
    let b = bank(v, "Boursorama");
    let pea = account(v, b, "PEA", AccountKind::Pea, "EUR");
    let cto = account(v, b, "CTO", AccountKind::Brokerage, "EUR");
    let fund = etf(v);
    v.add_opening_position(cto, fund, d("2024-03-01"), dec("50"), dec("80")).unwrap();
    // No price yet: the CTO's 50 units are worth their cost.
    assert_eq!(v.net_worth(d("2024-03-01")).unwrap().net_worth, dec("4000.00"));
    let buy = v.add_activity(&trade(pea, "2024-02-01", ActivityKind::Buy, fund, "10", "100")).unwrap();
    // The PEA: 10 × 100 − 1 000 of cash; the CTO: 50 × 100.
    assert_eq!(v.net_worth(d("2024-03-01")).unwrap().net_worth, dec("5000.00"));
    v.delete_activity(buy).unwrap();
    assert_eq!(v.net_worth(d("2024-03-01")).unwrap().net_worth, dec("4000.00"));
}
