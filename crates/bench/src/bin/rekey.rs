//! Credential-change benchmark: on the generated benchmark profile (1,000,000 value
//! points), times a password change (which replaces the master key: the vault is
//! re-encrypted to a new file, checked and swapped), the same replacement without any
//! password KDF (a new recovery key confirmed with the recovery key), the password KDF
//! alone at the profile's calibrated parameters, and the restores the key history
//! serves: an older backup restored from the open profile (re-encrypted to today's
//! key) and a backup restored as a new profile (re-encrypted to a new key).
//!
//! Run: `cargo run --release -p patrimoine-bench --bin rekey` (`-- --quick` for a 10×
//! smaller profile). Medians of 3 runs, in one process.

use std::time::{Duration, Instant};

use chrono::NaiveDate;
use patrimoine_core::generate::{self, Spec};
use patrimoine_core::keys::{argon2id, KdfParams, RecoveryKey};
use patrimoine_core::profile::Credential;
use patrimoine_core::restore::{RestoreRequest, Target};
use patrimoine_core::{CreateOptions, DataDir, KdfChoice};

const RUNS: usize = 3;
const PASSWORDS: [&str; 2] = ["benchmark password", "another benchmark password"];

fn median(mut xs: Vec<Duration>) -> Duration {
    xs.sort();
    xs[xs.len() / 2]
}

fn secs(d: Duration) -> String {
    format!("{:.2} s", d.as_secs_f64())
}

fn main() {
    let quick = std::env::args().any(|a| a == "--quick");
    let end = NaiveDate::from_ymd_opt(2026, 6, 30).expect("date");
    let mut spec = Spec::benchmark(end);
    if quick {
        spec.assets /= 10;
        spec.points /= 10;
    }
    let tmp = tempfile::tempdir_in(std::env::var("BENCH_DIR").unwrap_or_else(|_| "/var/tmp".into()))
        .or_else(|_| tempfile::tempdir())
        .expect("temp dir");
    let dd = DataDir::open(tmp.path().join("data")).expect("data dir");
    // The password KDF as a user's profile has it: calibrated to about one second here.
    let created = dd
        .create_profile(
            "Bench",
            PASSWORDS[0],
            &CreateOptions { base_currency: "EUR".into(), kdf: KdfChoice::DEFAULT },
            None,
        )
        .expect("profile");
    let rk = RecoveryKey::parse(&created.recovery_key.display()).expect("rk");
    let params: KdfParams = created.session.password_kdf().expect("password slot");
    let mut s = created.session;
    generate::populate(s.vault(), &spec).expect("populate");
    let vault_size = std::fs::metadata(s.vault().path()).map(|m| m.len()).unwrap_or(0);
    let old_backup = s.export_backup(tmp.path()).expect("backup").path;

    let kdf = median(
        (0..RUNS)
            .map(|_| {
                let t = Instant::now();
                std::hint::black_box(argon2id(PASSWORDS[0].as_bytes(), b"0123456789abcdef", params).expect("kdf"));
                t.elapsed()
            })
            .collect(),
    );
    // A password change: the current password checked (one KDF), the new one derived
    // (one KDF), the master key replaced.
    let mut change = vec![];
    for i in 0..RUNS {
        let (current, next) = (PASSWORDS[i % 2], PASSWORDS[(i + 1) % 2]);
        let t = Instant::now();
        s.change_password(Some(&Credential::Password(current)), next, KdfChoice::Fixed(params)).expect("change");
        change.push(t.elapsed());
    }
    let change = median(change);
    // The replacement alone: a new recovery key confirmed with the recovery key (HKDF,
    // no password KDF); the password slot is resealed without its password.
    let mut rk_now = rk;
    let mut replace = vec![];
    for _ in 0..RUNS {
        let t = Instant::now();
        let rotated = s.regenerate_recovery_key(&Credential::RecoveryKey(&rk_now)).expect("regenerate");
        replace.push(t.elapsed());
        rk_now = rotated.new_recovery_key.expect("new key");
    }
    let replace = median(replace);
    // An older backup (made before all those changes) restored from the open profile:
    // found in the key history, re-encrypted to today's key.
    let mut own = vec![];
    for _ in 0..RUNS {
        let t = Instant::now();
        s = dd.restore_from_session(s, &old_backup).unwrap_or_else(|f| panic!("restore: {}", f.error));
        own.push(t.elapsed());
    }
    let own = median(own);
    drop(s);
    // The same backup restored as a new profile on another computer: opened with its
    // own password (one KDF), re-encrypted to a new key, the new password derived.
    let mut as_new = vec![];
    for _ in 0..RUNS {
        let other = tempfile::tempdir_in(tmp.path()).expect("dir");
        let fresh = DataDir::open(other.path()).expect("fresh");
        let req = RestoreRequest {
            credential: Credential::Password(PASSWORDS[0]),
            new_password: Some(PASSWORDS[1]),
            target: Target::Auto,
            admin: None,
            kdf: KdfChoice::Fixed(params),
        };
        let t = Instant::now();
        drop(fresh.restore(&old_backup, &req).expect("restore as new"));
        as_new.push(t.elapsed());
    }
    let as_new = median(as_new);

    println!(
        "Profile: {} value points; vault file {:.1} MB; password KDF Argon2id m={} MiB t={} ({} here); median of {RUNS}.\n",
        spec.points,
        vault_size as f64 / 1e6,
        params.m_kib / 1024,
        params.t,
        secs(kdf)
    );
    println!("| measure | target | result | beyond its KDF runs |");
    println!("|---|---|---|---|");
    println!(
        "| password change (current password checked while the new one is derived, master key replaced) | ≤ KDF + 1 s | {} | {} |",
        secs(change),
        secs(change.saturating_sub(kdf))
    );
    println!(
        "| master key replaced alone (new recovery key confirmed with the recovery key: no password KDF) | | {} | {} |",
        secs(replace),
        secs(replace)
    );
    println!(
        "| older backup restored from the open profile (key from the history, re-encrypted to today's key) | | {} | {} |",
        secs(own),
        secs(own)
    );
    println!(
        "| backup restored as a new profile (its password, re-encrypted to a new key, new password) | | {} | {} (the backup password's KDF; the new one's runs alongside) |",
        secs(as_new),
        secs(as_new.saturating_sub(kdf))
    );
}
