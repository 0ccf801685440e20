//! The CLI contract.

use crate::support::*;

const CSV: &str = "date,institution,account,account_kind,asset,asset_class,currency,value
2024-01-31,BNP,Courant,current,Cash,cash,EUR,1500.50
2024-01-31,Boursorama,PEA,pea,ETF World,fund,EUR,10000
2024-02-29,Boursorama,PEA,pea,ETF World,fund,EUR,10250.25
2024-01-31,Crédit Agricole,Prêt immo,loan,Mortgage,loan,EUR,200000
";

#[test]
fn create_import_networth_json() {
    let env = Env::new();
    env.create("Alice");
    let file = env.file("values.csv", CSV);
    let dry = env.run(Some(PASSWORD), &["import", "Alice", file.to_str().unwrap(), "--dry-run", "--json"]).ok();
    assert_eq!(dry.json()["imported"], 4);
    assert_eq!(dry.json()["dry_run"], true);
    env.run(Some(PASSWORD), &["import", "Alice", file.to_str().unwrap()]).ok();
    let nw = env.run(Some(PASSWORD), &["networth", "Alice", "--at", "2024-03-01", "--json"]).ok().json();
    assert_eq!(nw["date"], "2024-03-01");
    assert_eq!(nw["currency"], "EUR");
    assert_eq!(nw["net_worth"], "-188249.25");
    let text = env.run(Some(PASSWORD), &["networth", "Alice", "--at", "2024-02-01"]).ok();
    assert_eq!(text.stdout.trim(), "2024-02-01 -188499.50 EUR");
    let b =
        env.run(Some(PASSWORD), &["breakdown", "Alice", "--by", "class", "--at", "2024-03-01", "--json"]).ok().json();
    let slices = b["slices"].as_array().unwrap();
    assert_eq!(slices[0]["key"], "fund");
    assert_eq!(slices[0]["value"], "10250.25");
    for by in ["region", "institution", "account", "currency"] {
        let r = env.run(Some(PASSWORD), &["breakdown", "Alice", "--by", by, "--json"]).ok().json();
        assert!(r["slices"].as_array().is_some(), "{by}");
    }
    let listed = env.run(None, &["profile", "list", "--json"]).ok().json();
    assert_eq!(listed[0]["name"], "Alice");
    assert_eq!(listed[0]["admin"], true);
}

#[test]
fn errors_are_one_line_with_a_code_and_a_non_zero_exit() {
    let env = Env::new();
    env.create("Alice");
    let r = env.run(Some("not the right one"), &["networth", "Alice"]);
    assert_ne!(r.code, 0);
    assert_eq!(r.stderr.trim().lines().count(), 1);
    assert!(r.stderr.starts_with("error[wrong_password]"), "{}", r.stderr);
    let r = env.run(Some(PASSWORD), &["networth", "Nobody"]);
    assert!(r.stderr.starts_with("error[profile_not_found]"), "{}", r.stderr);
    // No password and no terminal.
    let r = env.run(None, &["networth", "Alice"]);
    assert_ne!(r.code, 0);
    assert!(r.stderr.contains("PATRIMOINE_PASSWORD"), "{}", r.stderr);
    let bad = env.file(
        "bad.csv",
        "date,institution,account,account_kind,asset,asset_class,currency,value\n2024-02-30,A,B,current,C,cash,EUR,1\n",
    );
    let r = env.run(Some(PASSWORD), &["import", "Alice", bad.to_str().unwrap()]);
    assert_ne!(r.code, 0);
    assert!(r.stdout.contains("line 2: date: bad_date"), "{}", r.stdout);
    assert!(r.stderr.starts_with("error[import_invalid]"), "{}", r.stderr);
}

#[test]
fn recovery_key_file_and_password_change() {
    let env = Env::new();
    let rk = env.create("Alice");
    let key = std::fs::read_to_string(&rk).unwrap();
    assert_eq!(key.trim().len(), 71);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(std::fs::metadata(&rk).unwrap().permissions().mode() & 0o777, 0o600);
    }
    // Forgotten password: unlock with the recovery key and set a new one.
    env.run_env(
        None,
        &[("PATRIMOINE_NEW_PASSWORD", "my new password 123")],
        &["--recovery-key-file", rk.to_str().unwrap(), "password", "change", "Alice"],
    )
    .ok();
    assert_ne!(env.run(Some(PASSWORD), &["check", "Alice"]).code, 0);
    let check = env.run(Some("my new password 123"), &["check", "Alice"]).ok();
    assert!(check.stdout.starts_with("ok"));
    // A mistyped recovery key names the group.
    let mut typo: Vec<char> = key.trim().chars().collect();
    typo[10] = if typo[10] == 'Z' { 'Y' } else { 'Z' };
    let typo_file = env.file("typo.txt", &typo.into_iter().collect::<String>());
    let r = env.run(None, &["--recovery-key-file", typo_file.to_str().unwrap(), "check", "Alice"]);
    assert!(r.stderr.starts_with("error[recovery_key_typo]: recovery key group 2"), "{}", r.stderr);
}

#[test]
fn household_of_five_and_admin_only_creation() {
    let env = Env::new();
    env.create("Admin");
    let r = env.run(Some(PASSWORD), &["profile", "create", "Bob"]);
    assert!(r.stderr.starts_with("error[not_admin]"), "{}", r.stderr);
    for n in ["Bob", "Carol", "Dan", "Eve"] {
        env.run_env(
            Some(PASSWORD),
            &[("PATRIMOINE_ADMIN_PASSWORD", PASSWORD)],
            &["profile", "create", n, "--admin", "Admin"],
        )
        .ok();
    }
    let r = env.run_env(
        Some(PASSWORD),
        &[("PATRIMOINE_ADMIN_PASSWORD", PASSWORD)],
        &["profile", "create", "Frank", "--admin", "Admin"],
    );
    assert!(r.stderr.starts_with("error[profile_limit]"), "{}", r.stderr);
    env.run_env(
        None,
        &[("PATRIMOINE_ADMIN_PASSWORD", PASSWORD)],
        &["profile", "delete", "Eve", "--admin", "Admin", "--confirm", "Eve"],
    )
    .ok();
    env.run(Some(PASSWORD), &["profile", "rename", "Bob", "Robert"]).ok();
    let names: Vec<String> = env
        .run(None, &["profile", "list", "--json"])
        .ok()
        .json()
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["name"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(names, vec!["Admin", "Robert", "Carol", "Dan"]);
}

#[test]
fn exports_check_and_migration_status() {
    let env = Env::new();
    env.create("Alice");
    let file = env.file("values.csv", CSV);
    env.run(Some(PASSWORD), &["import", "Alice", file.to_str().unwrap()]).ok();
    let json = env.dir.path().join("out.json");
    let csv = env.dir.path().join("out.csv");
    env.run(Some(PASSWORD), &["export", "Alice", "--json", json.to_str().unwrap()]).ok();
    env.run(Some(PASSWORD), &["export", "Alice", "--csv", csv.to_str().unwrap()]).ok();
    let doc: serde_json::Value = serde_json::from_slice(&std::fs::read(&json).unwrap()).unwrap();
    assert_eq!(doc["format"], "patrimoine-export");
    assert_eq!(std::fs::read_to_string(&csv).unwrap().lines().count(), 5);
    env.run(Some(PASSWORD), &["check", "Alice"]).ok();
    let st = env.run(Some(PASSWORD), &["migrate", "status", "Alice", "--json"]).ok().json();
    assert_eq!(st[0]["version"], 1);
    assert_eq!(st[0]["checksum_ok"], true);
    let audit = env.run(Some(PASSWORD), &["audit", "Alice", "--json"]).ok().json();
    let kinds: Vec<&str> = audit.as_array().unwrap().iter().map(|e| e["kind"].as_str().unwrap()).collect();
    assert!(kinds.contains(&"export") && kinds.contains(&"import") && kinds.contains(&"profile_created"), "{kinds:?}");
    let ecb = env.file("ecb.csv", "Date,USD,GBP,\n2024-01-02,1.0956,0.8675,\n");
    let r = env.run(Some(PASSWORD), &["fx", "import", "Alice", ecb.to_str().unwrap()]).ok();
    assert!(r.stdout.starts_with("2 rate(s)"), "{}", r.stdout);
}
