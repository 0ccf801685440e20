//! The CLI's instruments, prices, activities, holdings, loans and dismembered ownership,
//! against real vault files: every figure checked here is computed by hand (in cents)
//! or by an independent formula in the test.

use chrono::{Datelike, NaiveDate};

use crate::support::*;

/// A profile with a PEA at Boursorama (opened 2024-01-01) and the ETF it holds.
fn pea(env: &Env) {
    env.create("Alice");
    let id = env
        .run(
            Some(PASSWORD),
            &[
                "account",
                "add",
                "Alice",
                "--institution",
                "Boursorama",
                "--account",
                "PEA",
                "--kind",
                "pea",
                "--opened",
                "2024-01-01",
            ],
        )
        .ok();
    assert!(id.stdout.trim().parse::<i64>().is_ok(), "{}", id.stdout);
    env.run(
        Some(PASSWORD),
        &[
            "instrument",
            "add",
            "Alice",
            "--name",
            "ETF World",
            "--isin",
            "IE00B4L5Y983",
            "--class",
            "etf",
            "--weight",
            "region=Monde:100",
        ],
    )
    .ok();
}

/// `activity add Alice --institution Boursorama --account PEA ARGS…`.
fn activity(env: &Env, args: &[&str]) -> Run {
    let mut all = vec!["activity", "add", "Alice", "--institution", "Boursorama", "--account", "PEA"];
    all.extend_from_slice(args);
    env.run(Some(PASSWORD), &all)
}

fn holdings(env: &Env, at: &str) -> serde_json::Value {
    env.run(
        Some(PASSWORD),
        &["holdings", "Alice", "--institution", "Boursorama", "--account", "PEA", "--at", at, "--json"],
    )
    .ok()
    .json()
}

/// Cents as the CLI prints an amount: "4970.05", "-1.50".
fn eur(cents: i64) -> String {
    format!("{}{}.{:02}", if cents < 0 { "-" } else { "" }, cents.abs() / 100, cents.abs() % 100)
}

#[test]
fn pea_deposit_buy_prices_holdings_and_net_worth() {
    let env = Env::new();
    pea(&env);
    // Amounts typed the French way.
    activity(&env, &["--type", "versement", "--date", "2024-01-10", "--amount", "10 000"]).ok();
    let buy = activity(
        &env,
        &[
            "--type",
            "buy",
            "--date",
            "2024-01-15",
            "--instrument",
            "IE00B4L5Y983",
            "--quantity",
            "100",
            "--unit-price",
            "50,25",
            "--fees",
            "4,95",
        ],
    )
    .ok();
    assert!(buy.stdout.trim().parse::<i64>().is_ok(), "{}", buy.stdout);
    let set = env
        .run(
            Some(PASSWORD),
            &["price", "set", "Alice", "ETF World", "2024-02-29=55,10", "--date", "2024-03-31", "--price", "56.2"],
        )
        .ok();
    assert!(set.stdout.starts_with("2 price(s)"), "{}", set.stdout);
    let prices = env.run(Some(PASSWORD), &["price", "list", "Alice", "etf world", "--json"]).ok().json();
    assert_eq!(prices.as_array().unwrap().len(), 2);
    assert_eq!(prices[1]["date"], "2024-03-31");
    let listed = env.run(Some(PASSWORD), &["instrument", "list", "Alice", "--json"]).ok().json();
    assert_eq!(listed[0]["latest_price"], "56.2");
    assert_eq!(listed[0]["latest_price_date"], "2024-03-31");
    assert_eq!(listed[0]["allocations"]["region"][0]["bucket"], "Monde");

    // By hand, in cents: cost = 100 × 50.25 + 4.95; cash = 10 000 − cost.
    let cost = 100 * 5025 + 495;
    assert_eq!(cost, 502_995);
    let cash = 1_000_000 - cost;
    let h = holdings(&env, "2024-03-01");
    assert_eq!(h["cash"], eur(cash));
    let p = &h["positions"][0];
    assert_eq!(p["name"], "ETF World");
    assert_eq!(p["units"], "100");
    assert_eq!((p["price"].as_str(), p["price_date"].as_str()), (Some("55.1"), Some("2024-02-29")));
    assert_eq!(p["value"], eur(100 * 5510));
    assert_eq!(p["cost"], eur(cost));
    assert_eq!(p["average_cost"], "50.2995"); // 5029.95 / 100
    assert_eq!(p["unrealised"], eur(100 * 5510 - cost));

    // A dividend of the ETF and a fee, then the March price.
    activity(&env, &["--type", "dividend", "--date", "2024-03-20", "--instrument", "ETF World", "--amount", "12,34"])
        .ok();
    activity(&env, &["--type", "frais", "--date", "2024-03-25", "--amount", "1.50"]).ok();
    let cash = cash + 1234 - 150;
    let h = holdings(&env, "2024-03-31");
    assert_eq!(h["cash"], eur(cash));
    assert_eq!(h["cash"], "4980.89");
    let p = &h["positions"][0];
    assert_eq!(p["value"], eur(100 * 5620));
    assert_eq!(p["unrealised"], eur(100 * 5620 - cost));
    assert_eq!(p["income"], eur(1234));
    assert_eq!(h["years"][0]["year"], 2024);
    assert_eq!(h["years"][0]["income"], eur(1234));
    assert_eq!(h["years"][0]["fees"], eur(150));
    assert_eq!(h["years"][0]["realised"], "0.00");

    // Net worth holds the cash and the position at its price.
    let nw = env.run(Some(PASSWORD), &["networth", "Alice", "--at", "2024-03-31", "--json"]).ok().json();
    assert_eq!(nw["net_worth"], eur(cash + 100 * 5620));
    assert_eq!(nw["net_worth"], "10600.89");
    let text = env.run(Some(PASSWORD), &["networth", "Alice", "--at", "2024-03-31"]).ok();
    assert_eq!(text.stdout.trim(), "2024-03-31 10600.89 EUR");

    // Sell 40 at 57 with 2 of fees: 40/100 of the cost goes, the rest is realised.
    activity(
        &env,
        &[
            "--type",
            "sell",
            "--date",
            "2024-04-02",
            "--instrument",
            "ETF World",
            "--quantity",
            "40",
            "--unit-price",
            "57",
            "--fees",
            "2",
        ],
    )
    .ok();
    let cost_out = cost * 40 / 100; // 2011.98, exact
    assert_eq!(cost_out * 100, cost * 40);
    let realised = 40 * 5700 - 200 - cost_out;
    let cash = cash + 40 * 5700 - 200;
    let h = holdings(&env, "2024-04-30");
    let p = &h["positions"][0];
    assert_eq!(p["units"], "60");
    assert_eq!(p["cost"], eur(cost - cost_out));
    // The sale is the latest price (57 on 2024-04-02, after the 2024-03-31 point).
    assert_eq!((p["price"].as_str(), p["price_date"].as_str()), (Some("57"), Some("2024-04-02")));
    assert_eq!(p["value"], eur(60 * 5700));
    assert_eq!(p["realised"], eur(realised));
    assert_eq!(h["years"][0]["realised"], eur(realised));
    assert_eq!(h["cash"], eur(cash));
    let nw = env.run(Some(PASSWORD), &["networth", "Alice", "--at", "2024-04-30", "--json"]).ok().json();
    assert_eq!(nw["net_worth"], eur(cash + 60 * 5700));
    // The text table names the instrument and the year.
    let text = env.run(Some(PASSWORD), &["holdings", "Alice", "--account", "PEA", "--at", "2024-04-30"]).ok().stdout;
    assert!(text.contains("ETF World") && text.contains("2024") && text.contains(&eur(cash)), "{text}");
}

#[test]
fn a_sale_beyond_the_position_is_refused_and_changes_nothing() {
    let env = Env::new();
    pea(&env);
    activity(&env, &["--type", "deposit", "--date", "2024-01-10", "--amount", "1000"]).ok();
    let buy = activity(
        &env,
        &[
            "--type",
            "buy",
            "--date",
            "2024-01-15",
            "--instrument",
            "ETF World",
            "--quantity",
            "10",
            "--unit-price",
            "50",
        ],
    )
    .ok();
    let buy_id = buy.stdout.trim().to_owned();
    let before = env.run(Some(PASSWORD), &["activity", "list", "Alice", "--account", "PEA", "--json"]).ok().json();
    assert_eq!(before.as_array().unwrap().len(), 2);
    let sell = |date: &str, q: &str| {
        activity(
            &env,
            &["--type", "vente", "--date", date, "--instrument", "ETF World", "--quantity", q, "--unit-price", "55"],
        )
    };
    for (date, q) in [("2024-02-01", "11"), ("2024-01-14", "1")] {
        let r = sell(date, q);
        assert_eq!(r.code, 1, "{}", r.stderr);
        assert!(r.stderr.starts_with("error[sell_exceeds_position]"), "{}", r.stderr);
        assert_eq!(r.stderr.trim().lines().count(), 1);
    }
    let after = env.run(Some(PASSWORD), &["activity", "list", "Alice", "--account", "PEA", "--json"]).ok().json();
    assert_eq!(before, after);
    // A sale of what is held goes through; then lowering the buy below it is refused.
    sell("2024-02-01", "10").ok();
    let r = env.run(Some(PASSWORD), &["activity", "edit", "Alice", &buy_id, "--quantity", "9"]);
    assert!(r.stderr.starts_with("error[sell_exceeds_position]"), "{}", r.stderr);
    let r = env.run(Some(PASSWORD), &["activity", "delete", "Alice", &buy_id]);
    assert!(r.stderr.starts_with("error[sell_exceeds_position]"), "{}", r.stderr);
    let h = holdings(&env, "2024-03-01");
    assert_eq!(h["cash"], "1050.00"); // 1000 − 500 + 550
                                      // Names that match nothing are errors with a code, exit 1.
    let r = env.run(Some(PASSWORD), &["activity", "list", "Alice", "--account", "CTO"]);
    assert_eq!(r.code, 1);
    assert!(r.stderr.starts_with("error[not_found]: no account named \"CTO\""), "{}", r.stderr);
    let r =
        activity(&env, &["--type", "buy", "--date", "2024-02-01", "--instrument", "FR0000120271", "--quantity", "1"]);
    assert!(r.stderr.starts_with("error[not_found]"), "{}", r.stderr);
    // Before the account was opened.
    let r = activity(&env, &["--type", "deposit", "--date", "2023-12-31", "--amount", "5"]);
    assert!(r.stderr.starts_with("error[before_account_opening]"), "{}", r.stderr);
}

#[test]
fn bad_isin_check_digit_is_refused() {
    let env = Env::new();
    env.create("Alice");
    let r = env.run(Some(PASSWORD), &["instrument", "add", "Alice", "--name", "ETF", "--isin", "IE00B4L5Y984"]);
    assert_eq!(r.code, 1);
    assert!(r.stderr.starts_with("error[isin_check_digit]"), "{}", r.stderr);
    let r = env.run(Some(PASSWORD), &["instrument", "add", "Alice", "--name", "ETF", "--isin", "IE00B4L5Y98"]);
    assert!(r.stderr.starts_with("error[invalid_input]: isin"), "{}", r.stderr);
    let listed = env.run(Some(PASSWORD), &["instrument", "list", "Alice", "--json"]).ok().json();
    assert_eq!(listed.as_array().unwrap().len(), 0);
    // The same ISIN with its right check digit (lower case is fine), then edited and deleted.
    env.run(Some(PASSWORD), &["instrument", "add", "Alice", "--name", "ETF", "--isin", "ie00b4l5y983"]).ok();
    let r = env.run(Some(PASSWORD), &["instrument", "edit", "Alice", "ETF", "--isin", "IE00B4L5Y984"]);
    assert!(r.stderr.starts_with("error[isin_check_digit]"), "{}", r.stderr);
    env.run(Some(PASSWORD), &["instrument", "edit", "Alice", "IE00B4L5Y983", "--name", "iShares World"]).ok();
    let listed = env.run(Some(PASSWORD), &["instrument", "list", "Alice", "--json"]).ok().json();
    assert_eq!((listed[0]["name"].as_str(), listed[0]["isin"].as_str()), (Some("iShares World"), Some("IE00B4L5Y983")));
    env.run(Some(PASSWORD), &["instrument", "delete", "Alice", "iShares World"]).ok();
    let listed = env.run(Some(PASSWORD), &["instrument", "list", "Alice", "--json"]).ok().json();
    assert_eq!(listed.as_array().unwrap().len(), 0);
}

/// The outstanding capital after `k` payments by the closed form
/// CRD_k = P(1+r)^k − M((1+r)^k − 1)/r, in f64, with the level payment
/// M = P·r / (1 − (1+r)^−n) rounded to the cent as banks print it.
fn closed_form_outstanding(principal: f64, annual_pct: f64, n: i32, k: i32) -> f64 {
    let r = annual_pct / 100.0 / 12.0;
    let m = (principal * r / (1.0 - (1.0 + r).powi(-n)) * 100.0).round() / 100.0;
    principal * (1.0 + r).powi(k) - m * ((1.0 + r).powi(k) - 1.0) / r
}

/// How many monthly payments from `first` (same day each month) fall on or before `date`.
fn payments_made(first: NaiveDate, date: NaiveDate) -> i32 {
    let months = (date.year() - first.year()) * 12 + date.month() as i32 - first.month() as i32;
    months + i32::from(date.day() >= first.day())
}

fn loan_flat(env: &Env) {
    env.create("Alice");
    let csv = env.file(
        "flat.csv",
        "date,institution,account,account_kind,asset,asset_class,currency,value\n2019-06-01,,,,Appartement,real_estate,EUR,400000\n",
    );
    env.run(Some(PASSWORD), &["import", "Alice", csv.to_str().unwrap()]).ok();
    env.run(
        Some(PASSWORD),
        &[
            "loan",
            "add",
            "Alice",
            "--name",
            "Prêt immobilier",
            "--principal",
            "300 000",
            "--annual-rate",
            "1,35",
            "--months",
            "300",
            "--first-payment",
            "2019-07-15",
            "--insurance",
            "25,50",
            "--linked-asset",
            "Appartement",
        ],
    )
    .ok();
}

#[test]
fn loan_schedule_outstanding_matches_the_closed_form_and_exports_csv() {
    let env = Env::new();
    loan_flat(&env);
    let at = NaiveDate::from_ymd_opt(2022, 7, 1).unwrap();
    let k = payments_made(NaiveDate::from_ymd_opt(2019, 7, 15).unwrap(), at);
    assert_eq!(k, 36);
    let expected = closed_form_outstanding(300_000.0, 1.35, 300, k);
    let ls = env
        .run(Some(PASSWORD), &["loan", "schedule", "Alice", "prêt immobilier", "--at", "2022-07-01", "--json"])
        .ok()
        .json();
    let outstanding: f64 = ls["outstanding"].as_str().unwrap().parse().unwrap();
    assert!((outstanding - expected).abs() < 0.01, "{outstanding} vs closed form {expected}");
    let lines = ls["schedule"]["installments"].as_array().unwrap();
    assert_eq!(lines.len(), 300);
    assert_eq!(lines[0]["payment"], "1178.78"); // M above: 300 000 × r / (1 − (1 + r)^−300)
    assert_eq!(ls["ends_on"], "2044-06-15");
    // loan list says the same on that date.
    let list = env.run(Some(PASSWORD), &["loan", "list", "Alice", "--at", "2022-07-01", "--json"]).ok().json();
    assert_eq!(list[0]["outstanding"], ls["outstanding"]);
    let id = list[0]["asset_id"].as_i64().unwrap().to_string();
    // Net worth and the flat's net equity net the loan off.
    let owed = ls["outstanding"].as_str().unwrap();
    let owed_cents: i64 = owed.replace('.', "").parse().unwrap();
    let eq = env
        .run(Some(PASSWORD), &["loan", "equity", "Alice", "Appartement", "--at", "2022-07-01", "--json"])
        .ok()
        .json();
    assert_eq!((eq["value"].as_str(), eq["loans"].as_str()), (Some("400000.00"), Some(owed)));
    assert_eq!(eq["equity"], eur(40_000_000 - owed_cents));
    let nw = env.run(Some(PASSWORD), &["networth", "Alice", "--at", "2022-07-01", "--json"]).ok().json();
    assert_eq!(nw["net_worth"], eur(40_000_000 - owed_cents));

    // The CSV: a header and one line per month, amounts with 2 decimals, mode 0600.
    let file = env.dir.path().join("schedule.csv");
    env.run(Some(PASSWORD), &["loan", "schedule", "Alice", &id, "--csv", file.to_str().unwrap()]).ok();
    let text = std::fs::read_to_string(&file).unwrap();
    let rows: Vec<&str> = text.lines().collect();
    assert_eq!(rows.len(), 300 + 1);
    assert_eq!(rows[0], "number,date,kind,payment,interest,capital,insurance,remaining");
    assert_eq!(rows[1], "1,2019-07-15,payment,1178.78,337.50,841.28,25.50,299158.72");
    assert!(rows[300].starts_with("300,2044-06-15,payment,") && rows[300].ends_with(",0.00"), "{}", rows[300]);
    for row in &rows[1..] {
        let f: Vec<&str> = row.split(',').collect();
        assert_eq!(f.len(), 8, "{row}");
        assert!(f[3..].iter().all(|a| a.split_once('.').is_some_and(|(_, c)| c.len() == 2)), "{row}");
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(std::fs::metadata(&file).unwrap().permissions().mode() & 0o777, 0o600);
    }
    // The text table ends with the totals.
    let table = env.run(Some(PASSWORD), &["loan", "schedule", "Alice", &id, "--at", "2022-07-01"]).ok().stdout;
    assert_eq!(table.lines().count(), 1 + 300 + 2);
    assert!(table.contains(&format!("outstanding {owed} EUR")), "{table}");
}

#[test]
fn loan_repayment_larger_than_the_capital_is_refused() {
    let env = Env::new();
    loan_flat(&env);
    let schedule = || {
        env.run(Some(PASSWORD), &["loan", "schedule", "Alice", "Prêt immobilier", "--at", "2024-01-20", "--json"])
            .ok()
            .json()
    };
    let before = schedule();
    let r = env.run(
        Some(PASSWORD),
        &["loan", "repay", "Alice", "Prêt immobilier", "--date", "2024-01-20", "--amount", "300 000"],
    );
    assert_eq!(r.code, 1);
    assert!(r.stderr.starts_with("error[repayment_exceeds_capital]"), "{}", r.stderr);
    assert_eq!(schedule(), before);
    // Neither an amount nor --total: a usage error.
    let r = env.run(Some(PASSWORD), &["loan", "repay", "Alice", "Prêt immobilier", "--date", "2024-01-20"]);
    assert_eq!(r.code, 2);
    // A partial repayment keeping the term: one more line, the same end, less owed.
    env.run(
        Some(PASSWORD),
        &["loan", "repay", "Alice", "Prêt immobilier", "--date", "2024-01-20", "--amount", "10000", "--keep", "term"],
    )
    .ok();
    let after = env
        .run(Some(PASSWORD), &["loan", "schedule", "Alice", "Prêt immobilier", "--at", "2024-01-20", "--json"])
        .ok()
        .json();
    let lines = after["schedule"]["installments"].as_array().unwrap();
    assert_eq!(lines.len(), 301);
    assert_eq!(lines.iter().filter(|l| l["row"] == "repayment").count(), 1);
    assert_eq!(after["ends_on"], "2044-06-15");
    let owed = |v: &serde_json::Value| v["outstanding"].as_str().unwrap().parse::<f64>().unwrap();
    assert!((owed(&before) - 10_000.0 - owed(&after)).abs() < 0.005, "{} {}", owed(&before), owed(&after));
    let r = env.run(Some(PASSWORD), &["loan", "schedule", "Alice", "Nobody"]);
    assert!(r.stderr.starts_with("error[not_found]"), "{}", r.stderr);
}

#[test]
fn dismember_with_a_future_birth_date_is_refused() {
    let env = Env::new();
    env.create("Alice");
    let csv = env.file(
        "flat.csv",
        "date,institution,account,account_kind,asset,asset_class,currency,value\n2019-06-01,,,,Maison,real_estate,EUR,400000\n",
    );
    env.run(Some(PASSWORD), &["import", "Alice", csv.to_str().unwrap()]).ok();
    let next_year = chrono::Local::now().date_naive() + chrono::Duration::days(400);
    let r = env.run(
        Some(PASSWORD),
        &["asset", "dismember", "Alice", "Maison", "--ownership", "usufruct", "--born", &next_year.to_string()],
    );
    assert_eq!(r.code, 1);
    assert!(r.stderr.starts_with("error[birth_date_in_future]"), "{}", r.stderr);
    let assets = env.run(Some(PASSWORD), &["asset", "list", "Alice", "--json"]).ok().json();
    assert_eq!(assets[0]["ownership"], "full");
    assert!(assets[0].get("usufructuary_born").is_none());
    // A life usufruct: 67 on 2024-06-01, the 2004 barème gives 40 % (61 to 70 years).
    let out = env
        .run(
            Some(PASSWORD),
            &[
                "asset",
                "dismember",
                "Alice",
                "Maison",
                "--ownership",
                "usufruit",
                "--born",
                "1957-03-02",
                "--at",
                "2024-06-01",
                "--json",
            ],
        )
        .ok()
        .json();
    assert_eq!(out["rule"]["age"], 67);
    assert_eq!(out["rule"]["usufruct_pct"], "40");
    assert_eq!(out["rule"]["edition_from"], "2004-01-01");
    assert!(out["rule"]["source"].as_str().unwrap().contains("legifrance"), "{out}");
    assert_eq!(out["held_pct"], "40");
    let nw = env.run(Some(PASSWORD), &["networth", "Alice", "--at", "2024-06-01", "--json"]).ok().json();
    assert_eq!(nw["net_worth"], "160000.00");
    // The text says which rule, with the age and the barème.
    let text = env
        .run(
            Some(PASSWORD),
            &["asset", "dismember", "Alice", "Maison", "--ownership", "bare", "--share", "50", "--at", "2024-06-01"],
        )
        .ok()
        .stdout;
    assert!(
        text.contains("aged 67") && text.contains("bare ownership 60 %") && text.contains("30 % of the full"),
        "{text}"
    );
}

/// `import` reads an activities file and a prices file by their headers and says what
/// it read; the positions follow.
#[test]
fn import_reads_activities_and_prices_files_by_their_header() {
    let env = Env::new();
    env.create("Alice");
    let activities = env.file(
        "ops.csv",
        "date;etablissement;compte;type_compte;type_operation;isin;titre;quantite;prix_unitaire;montant;frais;devise\n\
         02/01/2024;Boursorama;PEA;pea;versement;;;;;5 000;;EUR\n\
         03/01/2024;Boursorama;PEA;pea;achat;IE00B4L5Y983;ETF World;40;100;;2,50;EUR\n",
    );
    let out = env.run(Some(PASSWORD), &["import", "Alice", activities.to_str().unwrap()]).ok();
    assert!(out.stdout.contains("activities file: lines 2, imported 2"), "{}", out.stdout);
    assert!(out.stdout.contains("1 instrument(s); activities new 2"), "{}", out.stdout);
    let prices = env.file("cours.csv", "date;isin;prix\n31/01/2024;IE00B4L5Y983;105,5\n");
    let out = env.run(Some(PASSWORD), &["import", "Alice", prices.to_str().unwrap()]).ok();
    assert!(out.stdout.contains("prices file: lines 1, imported 1"), "{}", out.stdout);
    assert!(out.stdout.contains("prices new 1, updated 0"), "{}", out.stdout);
    // 5 000 − 4 002,50 of cash and 40 × 105,5.
    let nw = env.run(Some(PASSWORD), &["networth", "Alice", "--at", "2024-01-31", "--json"]).ok();
    let nw: serde_json::Value = serde_json::from_str(&nw.stdout).unwrap();
    assert_eq!(nw["net_worth"], "5217.50");
}
