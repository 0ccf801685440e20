//! The vault is opaque to stock SQLite, and an independent SQLCipher 4 build (the
//! `sqlcipher3` Python binding) reads it given the raw key: the data is never locked in.

use std::io::Write;
use std::process::{Command, Stdio};

use crate::support::*;

fn vault_file(env: &Env) -> std::path::PathBuf {
    let profiles = env.data().join("profiles");
    let dir = std::fs::read_dir(&profiles).unwrap().next().unwrap().unwrap().path();
    dir.join("vault.db")
}

fn make(env: &Env) {
    env.create("Alice");
    let f = env.file("v.csv", "date,institution,account,account_kind,asset,asset_class,currency,value\n2024-01-31,BNP,Courant,current,Cash,cash,EUR,1500.50\n");
    env.run(Some(PASSWORD), &["import", "Alice", f.to_str().unwrap()]).ok();
}

#[test]
fn stock_sqlite3_refuses_the_vault() {
    let env = Env::new();
    make(&env);
    let out = Command::new("sqlite3")
        .arg(vault_file(&env))
        .arg("SELECT name FROM institution;")
        .output()
        .expect("the sqlite3 command is installed");
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("not a database"), "{stderr}");
}

#[test]
fn an_independent_sqlcipher_reads_the_vault_with_the_raw_key() {
    let env = Env::new();
    make(&env);
    let key = env.run(Some(PASSWORD), &["raw-key", "Alice"]).ok().stdout.trim().to_owned();
    assert_eq!(key.len(), 64);
    let script = r#"
import sys
from sqlcipher3 import dbapi2 as sqlcipher
key = sys.stdin.readline().strip()
con = sqlcipher.connect(sys.argv[1])
con.execute("PRAGMA key = \"x'%s'\"" % key)
print(con.execute("PRAGMA cipher_version").fetchone()[0])
for row in con.execute("SELECT i.name, v.value FROM value_point v JOIN asset a ON a.id = v.asset_id JOIN account ac ON ac.id = a.account_id JOIN institution i ON i.id = ac.institution_id"):
    print(row[0], row[1])
"#;
    let out = run_python(script, &vault_file(&env), &key);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "python failed (is sqlcipher3-binary installed?): {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let mut lines = stdout.lines();
    assert!(lines.next().unwrap().starts_with('4'), "SQLCipher 4 expected: {stdout}");
    assert_eq!(lines.next(), Some("BNP 1500.5"));
    // A wrong key is refused by the independent build too.
    assert!(!run_python(script, &vault_file(&env), &"0".repeat(64)).status.success());
}

/// Runs a Python script with the vault path as argument and the key on stdin.
fn run_python(script: &str, vault: &std::path::Path, key: &str) -> std::process::Output {
    let mut child = Command::new("python3")
        .arg("-c")
        .arg(script)
        .arg(vault)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(format!("{key}\n").as_bytes()).unwrap();
    child.wait_with_output().unwrap()
}
