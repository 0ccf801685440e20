//! The backup and restore commands of the CLI: create, list, info, verify, prune,
//! export with a `.sha256` sidecar, restore (same profile, new computer, recovery key)
//! and the password file for unattended runs.

use crate::support::*;

pub fn values_csv(rows: usize, day_offset: usize) -> String {
    let mut csv = String::from("date,institution,account,account_kind,asset,asset_class,currency,value\n");
    let start = chrono::NaiveDate::from_ymd_opt(2020, 1, 1).unwrap();
    for i in 0..rows {
        let d = start + chrono::Days::new((day_offset + i / 30) as u64);
        csv.push_str(&format!(
            "{d},Bank {},Account {},savings,Asset {},cash,EUR,{}.{:02}\n",
            i % 3,
            i % 5,
            i % 30,
            1000 + i,
            i % 100
        ));
    }
    csv
}

#[test]
fn create_list_info_verify_and_export() {
    let env = Env::new();
    let rk = env.create("Alice");
    let csv = env.file("v.csv", &values_csv(60, 0));
    env.run(Some(PASSWORD), &["import", "Alice", csv.to_str().unwrap()]).ok();
    let created = env.run(Some(PASSWORD), &["backup", "create", "Alice"]).ok();
    let path = created.stdout.trim().to_owned();
    assert!(path.ends_with(".patrimoine-backup") && std::path::Path::new(&path).exists(), "{path}");
    // Listing and inspecting need no password.
    let list = env.run(None, &["backup", "list", "Alice", "--json"]).ok().json();
    assert_eq!(list.as_array().unwrap().len(), 1);
    assert_eq!(list[0]["path"], path.as_str());
    assert_eq!(list[0]["location"], "profile");
    let info = env.run(None, &["backup", "info", &path, "--json"]).ok().json();
    assert_eq!(info["profile_name"], "Alice");
    assert_eq!(info["schema_version"], patrimoine_core::migrations::latest());
    // Verify with the password, the recovery key, and a wrong password.
    let v = env.run(Some(PASSWORD), &["backup", "verify", &path]).ok();
    assert!(v.stdout.starts_with("ok: backup of Alice"), "{}", v.stdout);
    env.run(None, &["--recovery-key-file", rk.to_str().unwrap(), "backup", "verify", &path]).ok();
    let r = env.run(Some("not the password"), &["backup", "verify", &path]);
    assert!(r.stderr.starts_with("error[wrong_password]"), "{}", r.stderr);
    // Damaged and truncated files say so.
    let mut bytes = std::fs::read(&path).unwrap();
    let damaged = env.dir.path().join("damaged.patrimoine-backup");
    let n = bytes.len();
    bytes[n - 5] ^= 1;
    std::fs::write(&damaged, &bytes).unwrap();
    let r = env.run(Some(PASSWORD), &["backup", "verify", damaged.to_str().unwrap()]);
    assert!(r.stderr.starts_with("error[backup_damaged]"), "{}", r.stderr);
    std::fs::write(&damaged, &bytes[..n / 2]).unwrap();
    let r = env.run(None, &["backup", "info", damaged.to_str().unwrap()]);
    assert!(r.stderr.starts_with("error[backup_truncated]"), "{}", r.stderr);
    let r = env.run(None, &["backup", "info", csv.to_str().unwrap()]);
    assert!(r.stderr.starts_with("error[not_a_backup]"), "{}", r.stderr);
    // Export to a "USB stick": the sidecar checks with sha256sum, without the password.
    let usb = env.dir.path().join("usb");
    std::fs::create_dir(&usb).unwrap();
    let out = env.run(Some(PASSWORD), &["backup", "create", "Alice", "--out", usb.to_str().unwrap()]).ok();
    let exported = std::path::PathBuf::from(out.stdout.trim());
    assert!(exported.starts_with(&usb));
    let name = exported.file_name().unwrap().to_string_lossy().into_owned();
    let check = std::process::Command::new("sha256sum")
        .args(["-c", &format!("{name}.sha256")])
        .current_dir(&usb)
        .output()
        .unwrap();
    assert!(check.status.success() && String::from_utf8_lossy(&check.stdout).contains(": OK"));
    // Prune keeps the newest.
    env.run(Some(PASSWORD), &["backup", "prune", "Alice"]).ok();
    assert_eq!(env.run(None, &["backup", "list", "Alice", "--json"]).ok().json().as_array().unwrap().len(), 1);
}

#[test]
fn unattended_backup_reads_the_password_file() {
    let env = Env::new();
    env.create("Alice");
    let pw_file = env.file("pw", &format!("{PASSWORD}\n"));
    let r =
        env.run_env(None, &[("PATRIMOINE_PASSWORD_FILE", pw_file.to_str().unwrap())], &["backup", "create", "Alice"]);
    let r = r.ok();
    assert!(!r.stdout.contains(PASSWORD) && !r.stderr.contains(PASSWORD));
    let wrong = env.file("wrong", "nope nope nope\n");
    let r = env.run_env(None, &[("PATRIMOINE_PASSWORD_FILE", wrong.to_str().unwrap())], &["backup", "create", "Alice"]);
    assert!(r.stderr.starts_with("error[wrong_password]"), "{}", r.stderr);
}

#[test]
fn restore_into_the_profile_and_on_a_new_computer() {
    let env = Env::new();
    let rk = env.create("Alice");
    let csv = env.file("v.csv", &values_csv(30, 0));
    env.run(Some(PASSWORD), &["import", "Alice", csv.to_str().unwrap()]).ok();
    let nw = |env: &Env, pw: &str, name: &str| {
        env.run(Some(pw), &["networth", name, "--at", "2030-01-01", "--json"]).ok().json()["net_worth"].clone()
    };
    let before = nw(&env, PASSWORD, "Alice");
    let file = env.run(Some(PASSWORD), &["backup", "create", "Alice"]).ok().stdout.trim().to_owned();
    let more = env.file("more.csv", "date,institution,account,account_kind,asset,asset_class,currency,value\n2021-06-01,Other,Acc,current,New,cash,EUR,5000\n");
    env.run(Some(PASSWORD), &["import", "Alice", more.to_str().unwrap()]).ok();
    assert_ne!(nw(&env, PASSWORD, "Alice"), before);
    let r = env.run(Some(PASSWORD), &["restore", &file]).ok();
    assert!(r.stdout.starts_with("restored Alice"), "{}", r.stdout);
    assert_eq!(nw(&env, PASSWORD, "Alice"), before);
    env.run(Some(PASSWORD), &["check", "Alice"]).ok();
    // New computer, with the recovery key: a new password is required.
    let other = Env::new();
    let r = other.run(None, &["--recovery-key-file", rk.to_str().unwrap(), "restore", &file, "--as-new", "Alice"]);
    assert!(r.stderr.contains("PATRIMOINE_NEW_PASSWORD"), "{}", r.stderr);
    other
        .run_env(
            None,
            &[("PATRIMOINE_NEW_PASSWORD", "a fresh password 42")],
            &["--recovery-key-file", rk.to_str().unwrap(), "restore", &file, "--as-new", "Alice"],
        )
        .ok();
    assert_eq!(nw(&other, "a fresh password 42", "Alice"), before);
    let profiles = other.run(None, &["profile", "list", "--json"]).ok().json();
    assert_eq!(profiles[0]["admin"], true);
    // Into another profile: refused.
    let third = Env::new();
    third.create("Bob");
    let r = third.run(Some(PASSWORD), &["restore", &file, "--profile", "Bob"]);
    assert!(r.stderr.starts_with("error[backup_other_profile]"), "{}", r.stderr);
}
