//! CSV import of activities and prices (the layouts after values): recognised by the
//! header, French files, hand-computed holdings, one price file for several accounts,
//! all or nothing with the line of a sale beyond the position, and README's examples.

use patrimoine_core::activities::ActivityKind;
use patrimoine_core::error::{Error, ImportLayout, ImportReport};
use patrimoine_core::import::ImportOptions;
use patrimoine_core::portfolio::{Account, AccountKind, AssetClass};
use patrimoine_core::Vault;

use crate::support::*;

const WRITE: ImportOptions = ImportOptions { dry_run: false, skip_invalid: false };
const DRY: ImportOptions = ImportOptions { dry_run: true, skip_invalid: false };
const SKIP: ImportOptions = ImportOptions { dry_run: false, skip_invalid: true };

fn import(v: &Vault, csv: &str, opts: ImportOptions) -> ImportReport {
    v.import_csv(csv.as_bytes(), opts).unwrap()
}

/// The refused import's report.
fn refused(v: &Vault, csv: &str, opts: ImportOptions) -> ImportReport {
    match v.import_csv(csv.as_bytes(), opts) {
        Err(Error::Import(report)) => *report,
        other => panic!("expected an import error, got {other:?}"),
    }
}

fn codes(r: &ImportReport) -> Vec<(usize, &str)> {
    r.errors.iter().map(|e| (e.line, e.code)).collect()
}

fn account_id(v: &Vault, name: &str) -> i64 {
    v.accounts().unwrap().into_iter().find(|a| a.name == name).unwrap().id
}

/// Everything an import may write, to compare before and after a refused one.
fn snapshot(v: &Vault) -> String {
    let prices: Vec<_> = v.instruments().unwrap().iter().map(|i| v.prices(i.id).unwrap()).collect();
    format!(
        "{:?}\n{:?}\n{:?}\n{:?}\n{:?}\n{:?}\n{:?}\n{}",
        v.institutions().unwrap(),
        v.accounts().unwrap(),
        v.assets().unwrap(),
        v.instruments().unwrap(),
        v.activities(None).unwrap(),
        prices,
        v.net_worth(d("2024-12-31")).unwrap(),
        v.audit_log(100).unwrap().len()
    )
}

/// A French broker file: `;`, decimal commas, French headers with accents and spaces,
/// French type words. By hand: deposit 10 000; buy 30 × 250,50 + 4,95 = 7 519,95 (cash
/// 2 480,05); dividend 45,30 (2 525,35); sell 10 × 280,40 − 2,50 = 2 801,50 (5 326,85)
/// for units that cost 7 519,95 × 10 / 30 = 2 506,65, so realised 294,85, 20 units left
/// costing 5 013,30; an account fee of 12 (5 314,85). The 20 units are worth the last
/// trade price: 20 × 280,40 = 5 608, so the net worth is 10 922,85.
const FRENCH_PEA: &str =
    "\u{feff}Date;Établissement;Compte;Type de compte;Opération;ISIN;Titre;Quantité;Prix unitaire;Montant;Frais;Devise
15/01/2024;Boursorama;PEA;PEA;Versement;;;;;10 000,00;;EUR
16/01/2024;Boursorama;PEA;PEA;Achat;FR0010756098;Amundi MSCI World;30;250,50;;4,95;EUR
20/06/2024;Boursorama;PEA;PEA;Dividende;FR0010756098;;;;45,30;;EUR
10/09/2024;Boursorama;PEA;PEA;Vente;FR0010756098;;10;280,40;;2,50;EUR
31/12/2024;Boursorama;PEA;PEA;Frais;;;;;12,00;;EUR
";

#[test]
fn a_french_pea_file_gives_cash_units_and_realised_gain_to_the_cent() {
    let (_t, dd) = data_dir();
    let s = create(&dd, "Alice").session;
    let v = s.vault();
    let r = import(v, FRENCH_PEA, WRITE);
    assert_eq!(r.layout, ImportLayout::Activities);
    assert!(r.errors.is_empty(), "{:?}", r.errors);
    assert_eq!((r.lines, r.imported, r.skipped, r.activities_inserted), (5, 5, 0, 5));
    assert_eq!((r.institutions_created, r.accounts_created, r.instruments_created), (1, 1, 1));
    assert_eq!((r.values_inserted, r.prices_inserted, r.assets_created), (0, 0, 0));

    let pea = v.accounts().unwrap().into_iter().next().unwrap();
    assert_eq!((pea.name.as_str(), pea.kind, pea.currency.as_str()), ("PEA", AccountKind::Pea, "EUR"));
    let fund = v.instruments().unwrap().into_iter().next().unwrap();
    assert_eq!(
        (fund.name.as_str(), fund.isin.as_deref(), fund.currency.as_str(), fund.class),
        ("Amundi MSCI World", Some("FR0010756098"), "EUR", AssetClass::Fund)
    );
    let kinds: Vec<ActivityKind> = v.activities(Some(pea.id)).unwrap().iter().map(|a| a.kind).collect();
    use ActivityKind::*;
    assert_eq!(kinds, vec![Deposit, Buy, Dividend, Sell, Fee]);

    let h = v.holdings(pea.id, d("2024-12-31")).unwrap();
    assert_eq!(h.cash, dec("5314.85"));
    let p = &h.positions[0];
    assert_eq!((p.instrument_id, p.units, p.cost, p.realised), (fund.id, dec("20"), dec("5013.30"), dec("294.85")));
    assert_eq!((p.value, p.income, p.average_cost), (dec("5608.00"), dec("45.30"), Some(dec("250.665"))));
    let y = &h.years[0];
    assert_eq!((y.year, y.income, y.realised, y.fees), (2024, dec("45.30"), dec("294.85"), dec("12.00")));
    assert_eq!(v.net_worth(d("2024-12-31")).unwrap().net_worth, dec("10922.85"));
    // Mid-year: cash 2 525,35 and 30 units at the buy's price 250,50 (7 515).
    assert_eq!(v.net_worth(d("2024-06-30")).unwrap().net_worth, dec("10040.35"));
    assert_eq!(v.holdings(pea.id, d("2024-06-30")).unwrap().cash, dec("2525.35"));
    // One audit entry, with the counts the audit screen reads.
    let log = v.audit_log(10).unwrap();
    let import_entry = log.iter().find(|e| e.kind == "import").unwrap();
    assert_eq!(import_entry.detail, "lines=5 imported=5 skipped=0");
}

/// Every French type word, by hand: deposit 1 000; buy 10 × 50 + 1 (cash 499, cost
/// 501); split 2 for 1 (20 units, the last price 50 → 25); transfer out 5 at the
/// average cost (15 units, cost 501 × 15/20 = 375,75); transfer in 5 at 30 (20 units,
/// cost 525,75); interest 3,21, withdrawal 100, fee 2: cash 400,21. The 20 units are
/// worth 20 × 25 = 500.
#[test]
fn every_french_type_word_is_an_activity() {
    let (_t, dd) = data_dir();
    let s = create(&dd, "Alice").session;
    let v = s.vault();
    let csv = "date;etablissement;compte;type_compte;type_operation;isin;titre;quantite;prix_unitaire;montant;frais;devise;classe
02/01/2024;Fortuneo;CTO;compte-titres;versement;;;;;1000;;EUR;
03/01/2024;Fortuneo;CTO;compte-titres;achat;;Action X;10;50;;1;EUR;actions
01/02/2024;Fortuneo;CTO;compte-titres;division;;Action X;2;;;;EUR;
01/03/2024;Fortuneo;CTO;compte-titres;transfert_sortant;;Action X;5;;;;EUR;
01/04/2024;Fortuneo;CTO;compte-titres;transfert_entrant;;Action X;5;30;;;EUR;
01/05/2024;Fortuneo;CTO;compte-titres;interets;;;;;3,21;;EUR;
01/06/2024;Fortuneo;CTO;compte-titres;retrait;;;;;100;;EUR;
01/07/2024;Fortuneo;CTO;compte-titres;frais;;;;;2;;EUR;
";
    let r = import(v, csv, WRITE);
    assert_eq!((r.imported, r.instruments_created), (8, 1));
    let cto = account_id(v, "CTO");
    let h = v.holdings(cto, d("2024-12-31")).unwrap();
    assert_eq!(h.cash, dec("400.21"));
    let p = &h.positions[0];
    assert_eq!((p.units, p.cost, p.price, p.value), (dec("20"), dec("525.75"), Some(dec("25")), dec("500.00")));
    assert_eq!(v.instruments().unwrap()[0].class, AssetClass::Equity);
    assert_eq!(v.net_worth(d("2024-12-31")).unwrap().net_worth, dec("900.21"));
}

/// Two accounts hold the same fund (a PEA bought it, a CTO brought it in); one prices
/// file, naming it once by ISIN and once by name, values both; a third line creates
/// an instrument nobody holds. Importing it again replaces the prices.
#[test]
fn one_prices_file_values_every_account_holding_the_instrument() {
    let (_t, dd) = data_dir();
    let s = create(&dd, "Alice").session;
    let v = s.vault();
    let activities =
        "date,institution,account,account_kind,type,isin,instrument,quantity,unit_price,amount,fees,currency
2024-02-01,Boursorama,PEA,pea,deposit,,,,,5000,,EUR
2024-02-01,Boursorama,PEA,pea,buy,FR0010756098,Amundi MSCI World,10,400,,,EUR
2024-02-15,Fortuneo,CTO,brokerage,transfer_in,,Amundi MSCI World,5,380,,,EUR
";
    let r = import(v, activities, WRITE);
    assert_eq!((r.imported, r.instruments_created, r.accounts_created), (3, 1, 2));
    // Before any price: cash 1 000, and the 15 units at the PEA's buy price (a trade in
    // any account is a price): 7 000.
    assert_eq!(v.net_worth(d("2024-03-01")).unwrap().net_worth, dec("7000"));

    let prices = "date,isin,instrument,price,currency
2024-03-29,FR0010756098,,\"420,5\",EUR
2024-06-28,,amundi msci world,430,
2024-06-28,US0378331005,Apple,210.62,USD
";
    let r = import(v, prices, WRITE);
    assert_eq!(r.layout, ImportLayout::Prices);
    assert!(r.errors.is_empty(), "{:?}", r.errors);
    assert_eq!((r.imported, r.prices_inserted, r.prices_updated, r.instruments_created), (3, 3, 0, 1));
    // Cash 1 000, and 15 units at 420,50, then at 430.
    assert_eq!(v.net_worth(d("2024-04-01")).unwrap().net_worth, dec("7307.50"));
    assert_eq!(v.net_worth(d("2024-07-01")).unwrap().net_worth, dec("7450"));
    let cto = account_id(v, "CTO");
    assert_eq!(v.holdings(cto, d("2024-07-01")).unwrap().positions[0].value, dec("2150.00"));
    let apple = v.instruments().unwrap().into_iter().find(|i| i.name == "Apple").unwrap();
    assert_eq!((apple.isin.as_deref(), apple.currency.as_str()), (Some("US0378331005"), "USD"));

    let r = import(v, prices, WRITE);
    assert_eq!((r.prices_inserted, r.prices_updated, r.instruments_created), (0, 3, 0));
    assert_eq!(v.net_worth(d("2024-07-01")).unwrap().net_worth, dec("7450"));
}

const BEFORE: &str =
    "date,institution,account,account_kind,type,isin,instrument,quantity,unit_price,amount,fees,currency
2024-01-02,Boursorama,PEA,pea,deposit,,,,,3000,,EUR
2024-01-03,Boursorama,PEA,pea,buy,FR0010756098,Amundi MSCI World,5,400,,,EUR
";

/// Line 5 sells 12 of the 10 bought on line 3: the file is refused with that line and
/// nothing is written (no activity, instrument, institution, account, price, audit
/// entry); a dry run reports the same and the counts of the rest; skipping imports the
/// other lines.
#[test]
fn a_sale_beyond_the_position_names_its_line_and_nothing_is_written() {
    let (_t, dd) = data_dir();
    let s = create(&dd, "Alice").session;
    let v = s.vault();
    import(v, BEFORE, WRITE);
    import(v, "date,isin,price\n2024-06-28,FR0010756098,410\n", WRITE);
    let before = snapshot(v);
    let bad = "date,institution,account,account_kind,type,isin,instrument,quantity,unit_price,amount,fees,currency
2024-03-01,Bourse Direct,CTO,brokerage,deposit,,,,,2000,,EUR
2024-03-02,Bourse Direct,CTO,brokerage,buy,FR0000131104,BNP Paribas,10,60,,,EUR
2024-03-03,Bourse Direct,CTO,brokerage,dividend,FR0000131104,,,,15,,EUR
2024-03-04,Bourse Direct,CTO,brokerage,sell,FR0000131104,,12,62,,,EUR
2024-03-05,Bourse Direct,CTO,brokerage,withdrawal,,,,,100,,EUR
2024-03-06,Boursorama,PEA,pea,buy,FR0010756098,,1,405,,,EUR
";
    let r = refused(v, bad, WRITE);
    assert_eq!(codes(&r), vec![(5, "sell_exceeds_position")]);
    assert_eq!(r.errors[0].column.as_deref(), Some("quantity"));
    assert_eq!((r.lines, r.imported, r.skipped), (6, 5, 1));
    assert_eq!(snapshot(v), before, "a refused import writes nothing");

    // A dry run: the same report, as a result, and nothing written.
    let dry = import(v, bad, DRY);
    assert_eq!(codes(&dry), vec![(5, "sell_exceeds_position")]);
    assert_eq!((dry.imported, dry.activities_inserted, dry.skipped), (5, 5, 1));
    assert_eq!((dry.institutions_created, dry.accounts_created, dry.instruments_created), (1, 1, 1));
    assert!(dry.dry_run);
    assert_eq!(snapshot(v), before, "a dry run writes nothing");

    // Skipping the bad line imports the others: 10 BNP held, cash 2 000 − 600 + 15 − 100.
    let r = import(v, bad, SKIP);
    assert_eq!((r.imported, r.skipped, r.activities_inserted), (5, 1, 5));
    let cto = account_id(v, "CTO");
    let h = v.holdings(cto, d("2024-12-31")).unwrap();
    assert_eq!((h.cash, h.positions[0].units), (dec("1315.00"), dec("10")));
}

/// The replay is in date order, not in the file's: a sale dated before the buy is the
/// one refused, even on an earlier line; a sale the file makes fail among those already
/// recorded is blamed on the file's line that causes it.
#[test]
fn the_sale_is_found_in_date_order_and_recorded_sales_are_blamed_on_the_cause() {
    let (_t, dd) = data_dir();
    let s = create(&dd, "Alice").session;
    let v = s.vault();
    let header =
        "date,institution,account,account_kind,type,isin,instrument,quantity,unit_price,amount,fees,currency\n";
    let out_of_order = format!(
        "{header}2024-03-01,B,CTO,brokerage,buy,,X,10,5,,,EUR
2024-02-01,B,CTO,brokerage,sell,,X,4,5,,,EUR
2024-04-01,B,CTO,brokerage,sell,,X,4,5,,,EUR
"
    );
    let r = refused(v, &out_of_order, WRITE);
    assert_eq!(codes(&r), vec![(3, "sell_exceeds_position")]);

    // Recorded: buy 10 in January, sell 10 in March. The file sells 5 in February (fine
    // on its own date) and so the March sale sells more than held: the file's line 2.
    import(
        v,
        &format!(
            "{header}2024-01-02,B,CTO,brokerage,buy,,X,10,5,,,EUR\n2024-03-01,B,CTO,brokerage,sell,,X,10,6,,,EUR\n"
        ),
        WRITE,
    );
    let before = snapshot(v);
    let r = refused(v, &format!("{header}2024-02-01,B,CTO,brokerage,sell,,X,5,5.5,,,EUR\n"), WRITE);
    assert_eq!(codes(&r), vec![(2, "sell_exceeds_position")]);
    assert!(r.errors[0].message.contains("sell of 2024-03-01"), "{}", r.errors[0].message);
    assert_eq!(snapshot(v), before);
}

/// Each bad line is reported with its line and code, and nothing is written.
#[test]
fn bad_activity_lines_are_all_reported() {
    let (_t, dd) = data_dir();
    let s = create(&dd, "Alice").session;
    let v = s.vault();
    import(v, BEFORE, WRITE);
    let b = v.institutions().unwrap()[0].id;
    v.create_account(&Account {
        id: 0,
        institution_id: b,
        name: "Livret A".into(),
        kind: AccountKind::Savings,
        currency: "EUR".into(),
        opened_on: Some(d("2024-01-01")),
        closed_on: None,
    })
    .unwrap();
    let before = snapshot(v);
    let csv = "date,institution,account,account_kind,type,isin,instrument,quantity,unit_price,amount,fees,currency
2024-02-01,Boursorama,PEA,pea,deposit,,,,,100,,EUR
2024-02-01,Boursorama,PEA,pea,buy,FR0000120272,Total,1,60,,,EUR
2024-02-01,Boursorama,PEA,pea,achats,,,,,100,,EUR
2024-02-01,Boursorama,PEA,pea,buy,,Total,1,,,,EUR
2024-02-01,Boursorama,PEA,pea,buy,,Total,1,0,,,EUR
2024-02-01,Boursorama,PEA,pea,deposit,,,,,-100,,EUR
2024-02-01,Boursorama,PEA,pea,split,,Amundi MSCI World,0,,,,EUR
2024-02-30,Boursorama,PEA,pea,deposit,,,,,100,,EUR
2024-02-01,Boursorama,PEA,pea,deposit,,,,,abc,,EUR
2024-02-01,Boursorama,PEA,brokerage,deposit,,,,,100,,EUR
2024-02-01,Boursorama,PEA,pea,deposit,,,,,100,,USD
2024-02-01,Boursorama,PEA,pea,buy,US0378331005,Apple,1,200,,,USD
2024-02-01,Boursorama,PEA,pea,buy,,,1,200,,,EUR
2024-02-01,Boursorama,PEA,pea,buy,FR0000120271,Amundi MSCI World,1,200,,,EUR
2023-12-31,Boursorama,Livret A,savings,interest,,,,,10,,EUR
2024-02-01,Boursorama,PEA,pea,buy,,Total,1,60,,-1,EUR
";
    let r = refused(v, csv, WRITE);
    assert_eq!(
        codes(&r),
        vec![
            (3, "isin_check_digit"),
            (4, "bad_activity_type"),
            (5, "required"),
            (6, "price_not_positive"),
            (7, "not_positive"),
            (8, "split_ratio_invalid"),
            (9, "bad_date"),
            (10, "bad_number"),
            (11, "kind_conflict"),
            (12, "currency_conflict"),
            (13, "currency_conflict"),
            (14, "required"),
            (15, "isin_conflict"),
            (16, "before_account_opening"),
            (17, "not_positive"),
        ]
    );
    let column = |line: usize| r.errors.iter().find(|e| e.line == line).unwrap().column.clone().unwrap();
    assert_eq!(
        (column(3), column(5), column(14), column(17)),
        ("isin".into(), "unit_price".into(), "instrument".into(), "fees".into())
    );
    assert_eq!(snapshot(v), before);
    // Skipping: the one good line goes in.
    let r = import(v, csv, SKIP);
    assert_eq!((r.imported, r.skipped), (1, 15));
}

/// A prices file: a price of zero and a mistyped ISIN name their lines, an unknown
/// instrument without currency cannot be created; nothing is written.
#[test]
fn bad_price_lines_are_all_reported() {
    let (_t, dd) = data_dir();
    let s = create(&dd, "Alice").session;
    let v = s.vault();
    import(v, BEFORE, WRITE);
    let before = snapshot(v);
    let csv = "date;isin;titre;cours;devise
28/06/2024;FR0010756098;;410,5;EUR
28/06/2024;FR0010756098;;0;EUR
28/06/2024;IE00B4L5Y984;;100;EUR
28/06/2024;;Nouveau fonds;100;
28/06/2024;FR0010756098;;100;USD
28/06/2024;;;100;EUR
";
    let r = refused(v, csv, WRITE);
    assert_eq!(r.layout, ImportLayout::Prices);
    assert_eq!(
        codes(&r),
        vec![
            (3, "price_not_positive"),
            (4, "isin_check_digit"),
            (5, "required"),
            (6, "currency_conflict"),
            (7, "required")
        ]
    );
    assert_eq!(snapshot(v), before);
    let dry = import(v, csv, DRY);
    assert_eq!((dry.imported, dry.prices_inserted, dry.errors.len()), (1, 1, 5));
    assert_eq!(snapshot(v), before);
    // A header with neither isin nor instrument is refused on line 1.
    let r = refused(v, "date,price\n2024-01-01,3\n", WRITE);
    assert_eq!((codes(&r), r.layout), (vec![(1, "missing_column")], ImportLayout::Prices));
    // An activities header without its required columns, too.
    let r = refused(v, "date,compte,operation,montant\n2024-01-01,PEA,versement,3\n", WRITE);
    let missing: Vec<&str> = r.errors.iter().map(|e| e.column.as_deref().unwrap()).collect();
    assert_eq!((missing, r.layout), (vec!["institution", "account_kind", "currency"], ImportLayout::Activities));
}

/// The code blocks of README's CSV section that start with `header`.
fn readme_example(header: &str) -> String {
    let readme = include_str!("../../../../README.md");
    let start = readme.find("## CSV import layout").unwrap();
    let section = &readme[start..];
    let section = &section[..section[3..].find("\n## ").map_or(section.len(), |e| e + 3)];
    let blocks: Vec<&str> = section.split("```\n").skip(1).step_by(2).filter(|b| b.starts_with(header)).collect();
    assert_eq!(blocks.len(), 1, "one README example starts with {header:?}");
    blocks[0].to_owned()
}

/// README's examples are true: each imports as its layout, to the numbers it states.
#[test]
fn the_readme_examples_import_to_what_the_readme_says() {
    let (_t, dd) = data_dir();
    let s = create(&dd, "Alice").session;
    let v = s.vault();
    let r = import(v, &readme_example("date;institution;account;account_kind;asset;"), WRITE);
    assert_eq!((r.layout, r.imported), (ImportLayout::Values, 2));
    assert_eq!(v.net_worth(d("2024-01-31")).unwrap().net_worth, dec("-169749.75"));

    let (_t, dd) = data_dir();
    let s = create(&dd, "Alice").session;
    let v = s.vault();
    let r = import(v, &readme_example("date;etablissement;compte;type_compte;type_operation;"), WRITE);
    assert_eq!((r.layout, r.imported, r.instruments_created), (ImportLayout::Activities, 4, 1));
    let pea = account_id(v, "PEA");
    let h = v.holdings(pea, d("2024-12-31")).unwrap();
    let p = &h.positions[0];
    assert_eq!((p.units, p.cost, p.average_cost), (dec("30"), dec("1837.84"), Some(dec("61.2612"))));
    assert_eq!((h.cash, p.realised), (dec("3311.10"), dec("109.44")));
    assert_eq!(v.instruments().unwrap()[0].class, AssetClass::Equity);

    let r = import(v, &readme_example("date;isin;titre;prix;devise"), WRITE);
    assert_eq!((r.layout, r.prices_inserted, r.instruments_created), (ImportLayout::Prices, 2, 1));
    assert_eq!(v.net_worth(d("2024-12-31")).unwrap().net_worth, dec("4964.10"));
}
