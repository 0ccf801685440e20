//! CSV import (good, bad, French), ECB rates, and exports that round-trip.

use patrimoine_core::error::Error;
use patrimoine_core::import::ImportOptions;

use crate::support::*;

const GOOD: &str = "date,institution,account,account_kind,asset,asset_class,currency,value,quantity,unit_price
2024-01-31,BNP,Courant,current,Cash,cash,EUR,1500.50,,
2024-01-31,Boursorama,PEA,pea,ETF World,fund,EUR,10000,100,100
2024-02-29,Boursorama,PEA,pea,ETF World,fund,EUR,10250.25,100,102.5025
2024-01-31,Crédit Agricole,Prêt immo,loan,Mortgage,loan,EUR,200000,,
";

#[test]
fn good_file_creates_what_is_missing() {
    let (_t, dd) = data_dir();
    let s = create(&dd, "Alice").session;
    let v = s.vault();
    let dry = v.import_csv(GOOD.as_bytes(), ImportOptions { dry_run: true, skip_invalid: false }).unwrap();
    assert_eq!(
        (dry.lines, dry.imported, dry.institutions_created, dry.accounts_created, dry.assets_created),
        (4, 4, 3, 3, 3)
    );
    assert!(v.institutions().unwrap().is_empty(), "a dry run writes nothing");
    let r = v.import_csv(GOOD.as_bytes(), ImportOptions::default()).unwrap();
    assert_eq!((r.values_inserted, r.values_updated), (4, 0));
    assert_eq!(v.net_worth(d("2024-03-01")).unwrap().net_worth, dec("-188249.25"));
    let mortgage = v.assets().unwrap().into_iter().find(|a| a.name == "Mortgage").unwrap();
    assert!(mortgage.liability);
    // Importing again updates in place.
    let r = v.import_csv(GOOD.as_bytes(), ImportOptions::default()).unwrap();
    assert_eq!((r.values_inserted, r.values_updated, r.institutions_created), (0, 4, 0));
    let kinds: Vec<String> = v.audit_log(10).unwrap().into_iter().map(|e| e.kind).collect();
    assert!(kinds.iter().filter(|k| *k == "import").count() == 2);
}

#[test]
fn french_spreadsheet_with_bom_semicolons_and_decimal_commas() {
    let (_t, dd) = data_dir();
    let s = create(&dd, "Alice").session;
    let v = s.vault();
    let csv = "\u{feff}Date;Établissement;Compte;Type_compte;Actif;Classe;Devise;Valeur\n31/01/2024;LCL;Livret A;livret;Livret A;liquidités;eur;1 234,56\n";
    let r = v.import_csv(csv.as_bytes(), ImportOptions::default()).unwrap();
    assert_eq!(r.imported, 1);
    assert_eq!(v.net_worth(d("2024-02-01")).unwrap().net_worth, dec("1234.56"));
}

#[test]
fn bad_lines_are_all_reported_and_nothing_is_written() {
    let (_t, dd) = data_dir();
    let s = create(&dd, "Alice").session;
    let v = s.vault();
    let csv = "date,institution,account,account_kind,asset,asset_class,currency,value
2024-01-31,BNP,Courant,current,Cash,cash,EUR,100
2024-13-01,BNP,Courant,current,Cash,cash,EUR,100
2024-01-31,BNP,Courant,chequing,Cash,cash,EUR,100
2024-01-31,BNP,Courant,current,Cash,cash,EURO,abc
2024-01-31,,Courant,current,Cash,cash,EUR,100
2024-02-28,BNP,Courant,savings,Cash,cash,EUR,100
";
    let err = v.import_csv(csv.as_bytes(), ImportOptions::default()).err().unwrap();
    let Error::Import(report) = err else { panic!("expected an import error") };
    let lines: Vec<(usize, &str)> = report.errors.iter().map(|e| (e.line, e.code)).collect();
    assert_eq!(
        lines,
        vec![
            (3, "bad_date"),
            (4, "bad_account_kind"),
            (5, "bad_currency"),
            (5, "bad_number"),
            (6, "required"),
            (7, "kind_conflict")
        ]
    );
    assert!(v.institutions().unwrap().is_empty());
    assert_eq!(v.net_worth(d("2024-03-01")).unwrap().net_worth, dec("0"));

    // Dry run reports the same without error; skip mode imports the good line.
    let dry = v.import_csv(csv.as_bytes(), ImportOptions { dry_run: true, skip_invalid: false }).unwrap();
    assert_eq!(dry.errors.len(), 6);
    assert_eq!(dry.imported, 1);
    let r = v.import_csv(csv.as_bytes(), ImportOptions { dry_run: false, skip_invalid: true }).unwrap();
    assert_eq!((r.imported, r.skipped), (1, 5));
    assert_eq!(v.net_worth(d("2024-03-01")).unwrap().net_worth, dec("100"));
}

#[test]
fn missing_columns_and_non_utf8_are_refused() {
    let (_t, dd) = data_dir();
    let s = create(&dd, "Alice").session;
    let v = s.vault();
    let err = v.import_csv("date,asset,value\n2024-01-01,X,1\n".as_bytes(), ImportOptions::default()).err().unwrap();
    let Error::Import(report) = err else { panic!() };
    assert!(report.errors.iter().all(|e| e.line == 1 && e.code == "missing_column"));
    assert_eq!(report.errors.len(), 5);
    let latin1 = b"date,institution,account,account_kind,asset,asset_class,currency,value\n2024-01-01,Cr\xe9dit,A,current,B,cash,EUR,1\n";
    assert_eq!(v.import_csv(&latin1[..], ImportOptions::default()).err().unwrap().code(), "csv_unreadable");
}

#[test]
fn ecb_history_converts_values() {
    let (_t, dd) = data_dir();
    let s = create(&dd, "Alice").session;
    let v = s.vault();
    let ecb = "Date,USD,JPY,BGN,CYP,\n2024-01-03,1.0919,155.78,1.9558,N/A,\n2024-01-02,1.0956,155.37,1.9558,N/A,\n";
    let r = v.import_ecb(ecb.as_bytes()).unwrap();
    assert_eq!(r.rates, 6);
    assert_eq!(r.currencies, vec!["BGN", "JPY", "USD"]);
    let csv = "date,institution,account,account_kind,asset,asset_class,currency,value\n2024-01-02,IBKR,Main,brokerage,Apple,equity,USD,10919\n";
    v.import_csv(csv.as_bytes(), ImportOptions::default()).unwrap();
    assert_eq!(v.net_worth(d("2024-01-03")).unwrap().net_worth, dec("10000"));
    assert_eq!(v.net_worth(d("2024-01-02")).unwrap().net_worth, dec("9966.23"));
    assert_eq!(v.fx_rates(Some("USD"), 10).unwrap().len(), 2);
    assert_eq!(v.import_ecb(b"nothing here").err().unwrap().code(), "csv_unreadable");
}

#[test]
fn csv_export_reimports_to_the_same_net_worth() {
    let (t, dd) = data_dir();
    let a = create(&dd, "Alice").session;
    a.vault().import_csv(GOOD.as_bytes(), ImportOptions::default()).unwrap();
    let out = t.path().join("export.csv");
    a.vault().export_to_file(&out, false).unwrap();
    let b = dd.create_profile("Bob", PASSWORD, &opts(), Some(&a)).unwrap().session;
    let r = b.vault().import_csv(std::fs::File::open(&out).unwrap(), ImportOptions::default()).unwrap();
    assert_eq!(r.imported, 4);
    for date in ["2024-01-31", "2024-03-01"] {
        assert_eq!(a.vault().net_worth(d(date)).unwrap(), b.vault().net_worth(d(date)).unwrap());
    }
}

#[test]
fn a_half_owned_flat_held_directly_round_trips_through_csv() {
    use patrimoine_core::portfolio::{Asset, AssetClass, Ownership};
    use patrimoine_core::values::{Source, ValuePoint};
    let (t, dd) = data_dir();
    let a = create(&dd, "Alice").session;
    a.vault().import_csv(GOOD.as_bytes(), ImportOptions::default()).unwrap();
    let mut flat = Asset::new(None, "Appartement", AssetClass::RealEstate, "EUR");
    flat.share_pct = dec("50");
    flat.ownership = Ownership::Usufruct;
    let flat = a.vault().create_asset(&flat).unwrap();
    let point = ValuePoint {
        asset_id: flat,
        date: d("2024-01-31"),
        value: dec("300000"),
        quantity: None,
        unit_price: None,
        source: Source::Manual,
    };
    a.vault().upsert_values(&[point]).unwrap();
    let out = t.path().join("export.csv");
    a.vault().export_to_file(&out, false).unwrap();
    let text = std::fs::read_to_string(&out).unwrap();
    assert!(text.lines().next().unwrap().ends_with(",share_pct,ownership"), "{text}");
    assert!(text.contains("2024-01-31,,,,Appartement,real_estate,EUR,300000,,,50,usufruct"), "{text}");
    // Into a new profile: the same net worth (the flat counts at 50 %, held directly).
    let b = dd.create_profile("Bob", PASSWORD, &opts(), Some(&a)).unwrap().session;
    b.vault().import_csv(std::fs::File::open(&out).unwrap(), ImportOptions::default()).unwrap();
    assert_eq!(a.vault().net_worth(d("2024-02-29")).unwrap(), b.vault().net_worth(d("2024-02-29")).unwrap());
    let copy = b.vault().assets().unwrap().into_iter().find(|x| x.name == "Appartement").unwrap();
    assert_eq!((copy.account_id, copy.share_pct, copy.ownership), (None, dec("50"), Ownership::Usufruct));
    // Into the same profile: values replaced, nothing doubled.
    let before = a.vault().assets().unwrap().len();
    let r = a.vault().import_csv(std::fs::File::open(&out).unwrap(), ImportOptions::default()).unwrap();
    assert_eq!((r.assets_created, r.values_inserted), (0, 0));
    assert_eq!(a.vault().assets().unwrap().len(), before);
    assert_eq!(a.vault().net_worth(d("2024-02-29")).unwrap(), b.vault().net_worth(d("2024-02-29")).unwrap());
    // A line giving another share for an existing asset is refused, nothing written.
    let bad = "date,institution,account,account_kind,asset,asset_class,currency,value,part\n\
               2024-05-31,,,,Appartement,real_estate,EUR,310000,100\n";
    let e = a.vault().import_csv(bad.as_bytes(), ImportOptions::default()).unwrap_err();
    match e {
        Error::Import(r) => assert_eq!(r.errors[0].code, "share_conflict"),
        other => panic!("{other:?}"),
    }
}

#[test]
fn json_export_is_versioned_and_complete() {
    let (t, dd) = data_dir();
    let s = create(&dd, "Alice").session;
    s.vault().import_csv(GOOD.as_bytes(), ImportOptions::default()).unwrap();
    let out = t.path().join("export.json");
    s.vault().export_to_file(&out, true).unwrap();
    let doc: serde_json::Value = serde_json::from_slice(&std::fs::read(&out).unwrap()).unwrap();
    assert_eq!(doc["format"], "patrimoine-export");
    assert_eq!(doc["version"], 1);
    assert_eq!(doc["profile"]["base_currency"], "EUR");
    assert_eq!(doc["institutions"].as_array().unwrap().len(), 3);
    assert_eq!(doc["values"].as_array().unwrap().len(), 4);
    assert_eq!(doc["values"][2]["value"], "10250.25");
    // No temp file is left beside the export.
    let names: Vec<String> =
        std::fs::read_dir(t.path()).unwrap().map(|e| e.unwrap().file_name().into_string().unwrap()).collect();
    assert!(names.iter().all(|n| !n.contains("partial")), "{names:?}");
}

#[test]
fn export_to_a_missing_folder_fails_cleanly() {
    let (t, dd) = data_dir();
    let s = create(&dd, "Alice").session;
    let err = s.vault().export_to_file(&t.path().join("nope/export.json"), true).err().unwrap();
    assert_eq!(err.code(), "io");
}
