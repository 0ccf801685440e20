//! The wealth model: validation and deletion rules.

use std::collections::BTreeMap;

use patrimoine_core::portfolio::{
    Account, AccountKind, Asset, AssetClass, Component, Institution, InstitutionKind, Weight,
};
use patrimoine_core::values::{CashFlow, Source, ValuePoint};
use patrimoine_core::Vault;

use crate::support::*;

pub fn bank(v: &Vault, name: &str) -> i64 {
    v.create_institution(&Institution { id: 0, name: name.into(), kind: InstitutionKind::Bank, notes: String::new() })
        .unwrap()
}

pub fn account(v: &Vault, inst: i64, name: &str, kind: AccountKind, cur: &str) -> i64 {
    v.create_account(&Account {
        id: 0,
        institution_id: inst,
        name: name.into(),
        kind,
        currency: cur.into(),
        opened_on: None,
        closed_on: None,
    })
    .unwrap()
}

pub fn value(v: &Vault, asset: i64, date: &str, amount: &str) {
    v.upsert_values(&[ValuePoint {
        asset_id: asset,
        date: d(date),
        value: dec(amount),
        quantity: None,
        unit_price: None,
        source: Source::Manual,
    }])
    .unwrap();
}

#[test]
fn names_are_unique_and_deletes_need_force_when_data_exists() {
    let (_t, dd) = data_dir();
    let s = create(&dd, "Alice").session;
    let v = s.vault();
    let b = bank(v, "BNP");
    let err = v
        .create_institution(&Institution {
            id: 0,
            name: "bnp".into(),
            kind: InstitutionKind::Bank,
            notes: String::new(),
        })
        .err()
        .unwrap();
    assert_eq!(err.code(), "duplicate");
    let acc = account(v, b, "Compte courant", AccountKind::Current, "EUR");
    let asset = v.create_asset(&Asset::new(Some(acc), "Cash", AssetClass::Cash, "EUR")).unwrap();
    value(v, asset, "2024-01-01", "100");
    v.add_cash_flow(&CashFlow {
        id: 0,
        account_id: acc,
        date: d("2024-01-01"),
        amount: dec("100"),
        note: String::new(),
    })
    .unwrap();
    assert_eq!(v.delete_institution(b, false).err().unwrap().code(), "in_use");
    assert_eq!(v.delete_account(acc, false).err().unwrap().code(), "in_use");
    assert_eq!(v.delete_asset(asset, false).err().unwrap().code(), "in_use");
    assert_eq!(v.institutions().unwrap().len(), 1);
    v.delete_institution(b, true).unwrap();
    assert!(v.institutions().unwrap().is_empty());
    assert!(v.accounts().unwrap().is_empty());
    assert!(v.assets().unwrap().is_empty());
    assert!(v.cash_flows(None).unwrap().is_empty());
    assert!(v.health().unwrap().is_ok());
}

#[test]
fn bad_input_is_refused_with_its_field() {
    let (_t, dd) = data_dir();
    let s = create(&dd, "Alice").session;
    let v = s.vault();
    let b = bank(v, "BNP");
    let mut bad = Account {
        id: 0,
        institution_id: b,
        name: "X".into(),
        kind: AccountKind::Pea,
        currency: "EU".into(),
        opened_on: None,
        closed_on: None,
    };
    assert_eq!(v.create_account(&bad).err().unwrap().code(), "invalid_input");
    bad.currency = "EUR".into();
    bad.opened_on = Some(d("2024-02-01"));
    bad.closed_on = Some(d("2024-01-01"));
    assert_eq!(v.create_account(&bad).err().unwrap().code(), "invalid_input");
    bad.institution_id = 999;
    bad.closed_on = None;
    assert_eq!(v.create_account(&bad).err().unwrap().code(), "not_found");

    let mut a = Asset::new(None, "House", AssetClass::RealEstate, "EUR");
    a.share_pct = dec("150");
    assert_eq!(v.create_asset(&a).err().unwrap().code(), "invalid_input");
    a.share_pct = dec("50");
    a.isin = Some("FR0000120272".into());
    assert_eq!(v.create_asset(&a).err().unwrap().code(), "isin_check_digit");
    a.isin = Some("FR00001202".into());
    assert_eq!(v.create_asset(&a).err().unwrap().code(), "invalid_input");
    a.isin = None;
    a.allocations = BTreeMap::from([(
        "region".to_string(),
        vec![
            Weight { bucket: "France".into(), weight: dec("60") },
            Weight { bucket: "Europe".into(), weight: dec("30") },
        ],
    )]);
    let err = v.create_asset(&a).err().unwrap();
    assert_eq!(err.code(), "weights_not_100");
    assert!(err.to_string().contains("90"), "{err}");
    a.allocations.get_mut("region").unwrap()[1].weight = dec("40");
    assert!(v.create_asset(&a).is_ok());
    assert_eq!(v.create_asset(&a).err().unwrap().code(), "duplicate");
    assert!(v
        .upsert_values(&[ValuePoint {
            asset_id: 12345,
            date: d("2024-01-01"),
            value: dec("1"),
            quantity: None,
            unit_price: None,
            source: Source::Manual
        }])
        .is_err());
}

#[test]
fn composites_validate_weights_and_refuse_cycles() {
    let (_t, dd) = data_dir();
    let s = create(&dd, "Alice").session;
    let v = s.vault();
    let x = v.create_asset(&Asset::new(None, "Fund X", AssetClass::Fund, "EUR")).unwrap();
    let y = v.create_asset(&Asset::new(None, "Fund Y", AssetClass::Bond, "EUR")).unwrap();
    let mut c = Asset::new(None, "Contract", AssetClass::Fund, "EUR");
    c.components = vec![Component { asset_id: x, weight: dec("70") }, Component { asset_id: y, weight: dec("20") }];
    assert_eq!(v.create_asset(&c).err().unwrap().code(), "weights_not_100");
    c.components[1].weight = dec("30");
    let cid = v.create_asset(&c).unwrap();
    // Make X contain the contract: a cycle.
    let mut xa = v.asset(x).unwrap();
    xa.components = vec![Component { asset_id: cid, weight: dec("100") }];
    assert_eq!(v.update_asset(x, &xa).err().unwrap().code(), "composite_cycle");
    let mut self_ref = v.asset(cid).unwrap();
    self_ref.components = vec![Component { asset_id: cid, weight: dec("100") }];
    assert_eq!(v.update_asset(cid, &self_ref).err().unwrap().code(), "composite_cycle");
    assert_eq!(v.asset(cid).unwrap().components.len(), 2);
}

#[test]
fn values_upsert_and_delete() {
    let (_t, dd) = data_dir();
    let s = create(&dd, "Alice").session;
    let v = s.vault();
    let a = v.create_asset(&Asset::new(None, "Gold", AssetClass::PreciousMetal, "EUR")).unwrap();
    let mk = |date: &str, val: &str| ValuePoint {
        asset_id: a,
        date: d(date),
        value: dec(val),
        quantity: Some(dec("2")),
        unit_price: None,
        source: Source::Manual,
    };
    let c = v.upsert_values(&[mk("2024-01-01", "100"), mk("2024-02-01", "110")]).unwrap();
    assert_eq!((c.inserted, c.updated), (2, 0));
    let c = v.upsert_values(&[mk("2024-02-01", "120.50"), mk("2024-03-01", "130")]).unwrap();
    assert_eq!((c.inserted, c.updated), (1, 1));
    let hist = v.values(a).unwrap();
    assert_eq!(hist.len(), 3);
    assert_eq!(hist[1].value, dec("120.5"));
    v.delete_value(a, d("2024-02-01")).unwrap();
    assert_eq!(v.values(a).unwrap().len(), 2);
    assert_eq!(v.delete_value(a, d("2024-02-01")).err().unwrap().code(), "not_found");
}

#[test]
fn a_new_value_typed_without_quantity_keeps_the_quantity_held() {
    let (_t, dd) = data_dir();
    let s = create(&dd, "Alice").session;
    let v = s.vault();
    let a = v.create_asset(&Asset::new(None, "ETF World", AssetClass::Fund, "EUR")).unwrap();
    let point = |date: &str, val: &str, qty: Option<&str>| ValuePoint {
        asset_id: a,
        date: d(date),
        value: dec(val),
        quantity: qty.map(dec),
        unit_price: qty.map(|_| dec("25")),
        source: Source::Manual,
    };
    v.upsert_values(&[point("2024-01-31", "3000", Some("120"))]).unwrap();
    // Update values sends the value alone: the 120 units are kept.
    v.upsert_values(&[point("2024-02-29", "3120", None)]).unwrap();
    let hist = v.values(a).unwrap();
    assert_eq!(hist[1].quantity, Some(dec("120")));
    assert_eq!(hist[1].unit_price, None, "no rounded price is made up");
    // An explicit quantity wins; a value-only asset stays value-only.
    v.upsert_values(&[point("2024-03-31", "2600", Some("100"))]).unwrap();
    assert_eq!(v.values(a).unwrap()[2].quantity, Some(dec("100")));
    let flat = v.create_asset(&Asset::new(None, "Flat", AssetClass::RealEstate, "EUR")).unwrap();
    let mut p = point("2024-01-31", "250000", None);
    p.asset_id = flat;
    v.upsert_values(&[p]).unwrap();
    assert_eq!(v.values(flat).unwrap()[0].quantity, None);
}

#[test]
fn a_mistyped_isin_check_digit_has_its_own_error() {
    let (_t, dd) = data_dir();
    let s = create(&dd, "Alice").session;
    let v = s.vault();
    let with_isin = |isin: &str| {
        let mut a = Asset::new(None, "TotalEnergies", AssetClass::Equity, "EUR");
        a.isin = Some(isin.into());
        a
    };
    assert_eq!(v.create_asset(&with_isin("FR0000120272")).err().unwrap().code(), "isin_check_digit");
    assert_eq!(v.create_asset(&with_isin("FR00001202")).err().unwrap().code(), "invalid_input");
    assert_eq!(v.create_asset(&with_isin("FR000012027X")).err().unwrap().code(), "invalid_input");
    // Typed in lower case with spaces around: normalised, and valid.
    assert!(v.create_asset(&with_isin(" fr0000120271 ")).is_ok());
}
