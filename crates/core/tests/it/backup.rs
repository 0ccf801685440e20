//! Backups and restores through the core's API, on real files: round trips that
//! compare full JSON exports, restore into the same profile and on a new computer,
//! the automatic policy, pre-migration backups, rotation, verification, health and
//! the recovery of interrupted restores.

use std::path::{Path, PathBuf};

use chrono::{Duration, Utc};
use patrimoine_core::backup::{self, BackupSettings, Location};
use patrimoine_core::generate::{self, Spec};
use patrimoine_core::import::ImportOptions;
use patrimoine_core::keys::RecoveryKey;
use patrimoine_core::restore::{Credential, HealthState, RestoreRequest, Target, MARKER};
use patrimoine_core::{DataDir, Session};

use crate::support::*;

pub const CSV: &str = "date,institution,account,account_kind,asset,asset_class,currency,value
2024-01-31,BNP,Courant,current,Cash,cash,EUR,1500.50
2024-01-31,Boursorama,PEA,pea,ETF World,fund,EUR,10000
2024-02-29,Boursorama,PEA,pea,ETF World,fund,EUR,10250.25
2024-01-31,Crédit Agricole,Prêt immo,loan,Mortgage,loan,EUR,200000
";

/// The full JSON export without the fields that differ between two exports of the
/// same data (`exported_at`, `app_version`).
pub fn export(s: &Session) -> serde_json::Value {
    let mut out = Vec::new();
    s.vault().export_json_to(&mut out).unwrap();
    let mut v: serde_json::Value = serde_json::from_slice(&out).unwrap();
    v.as_object_mut().unwrap().remove("exported_at");
    v.as_object_mut().unwrap().remove("app_version");
    v
}

fn request<'a>(credential: Credential<'a>, target: Target<'a>) -> RestoreRequest<'a> {
    RestoreRequest { credential, new_password: None, target, admin: None, kdf: fast() }
}

/// A restore onto a computer that does not have the profile: the restored profile
/// gets a new password (here the same text) and a new recovery key.
fn new_computer<'a>(credential: Credential<'a>, target: Target<'a>) -> RestoreRequest<'a> {
    RestoreRequest { new_password: Some(PASSWORD), ..request(credential, target) }
}

fn pw() -> Credential<'static> {
    Credential::Password(PASSWORD)
}

fn import(s: &Session, csv: &str) {
    s.vault().import_csv(csv.as_bytes(), ImportOptions::default()).unwrap();
}

fn backups_dir(s: &Session) -> PathBuf {
    s.dir().join(backup::BACKUP_DIR)
}

/// Paths and contents of every file under `dir`, to prove nothing was written.
/// Every file under `dir` with its bytes, except the profile lock and the throttle's
/// bookkeeping (its lock and failure counters, checked by the tests that expect them).
pub fn tree(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut out = vec![];
    let mut stack = vec![dir.to_owned()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else if !["lock", "attempts.lock", "unlock-state.json"]
                .contains(&p.file_name().unwrap().to_str().unwrap())
            {
                out.push((p.clone(), std::fs::read(&p).unwrap()));
            }
        }
    }
    out.sort();
    out
}

/// What a round trip must preserve: the full JSON export for small vaults; for the
/// long run's vault (over a gigabyte, too big to hold two JSON copies in memory), the
/// SHA-256 of the full CSV export (every value with its institution, account, asset,
/// class and currency) streamed through the hash, and the counts of every table.
fn fingerprint(s: &Session, points: usize) -> serde_json::Value {
    if points <= 1_000_000 {
        return export(s);
    }
    struct Hasher(sha2::Sha256);
    impl std::io::Write for Hasher {
        fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
            sha2::Digest::update(&mut self.0, b);
            Ok(b.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    let mut h = Hasher(<sha2::Sha256 as sha2::Digest>::new());
    s.vault().export_csv_to(&mut h).unwrap();
    let count = |t: &str| -> i64 {
        s.vault().connection().query_row(&format!("SELECT count(*) FROM {t}"), [], |r| r.get(0)).unwrap()
    };
    let counts: Vec<(&str, i64)> =
        ["institution", "account", "asset", "value_point", "value_month", "fx_rate", "cash_flow"]
            .into_iter()
            .map(|t| (t, count(t)))
            .collect();
    serde_json::json!({ "csv_sha256": hex::encode(sha2::Digest::finalize(h.0)), "counts": counts })
}

/// Long run (not in CI): `PATRIMOINE_BACKUP_LARGE_POINTS=25000000 cargo test --release
/// -p patrimoine-core --test it round_trip -- --nocapture` adds a vault of over 1 GiB
/// (20,000 assets, one value per asset and day over enough years to hold them all;
/// the vault's size is printed and checked).
#[test]
fn empty_tiny_and_larger_vaults_round_trip_exactly() {
    let large = std::env::var("PATRIMOINE_BACKUP_LARGE_POINTS").ok().and_then(|v| v.parse::<usize>().ok());
    for points in [0usize, 4, 20_000].into_iter().chain(large) {
        let (_t, dd) = data_dir();
        let s = create(&dd, "Alice").session;
        match points {
            0 => {}
            4 => import(&s, CSV),
            n => {
                let assets = (n / 10_000).clamp(50, 20_000);
                // Enough days that each generated point has a date of its own.
                let years = (n / (assets * 365) + 1).max(3) as u32;
                let spec = Spec { assets, points: n, years, end: d("2025-12-31"), seed: 7 };
                generate::populate(s.vault(), &spec).unwrap();
            }
        }
        let before = fingerprint(&s, points);
        let entry = s.backup_now().unwrap();
        assert!(entry.header.size > 0);
        if large == Some(points) {
            let size = std::fs::metadata(s.vault().path()).unwrap().len();
            eprintln!("long round trip: {points} points, vault {size} bytes, backup {} bytes", entry.header.size);
            assert!(size > 1 << 30, "the long run's vault should pass 1 GiB, has {size} bytes");
        }
        // Change the live data, then restore into the same profile.
        import(&s, "date,institution,account,account_kind,asset,asset_class,currency,value\n2030-01-01,X,Y,current,Z,cash,EUR,1\n");
        assert_ne!(fingerprint(&s, points), before);
        drop(s);
        let s = dd.restore(&entry.header.path, &request(pw(), Target::Auto)).unwrap().session;
        assert_eq!(fingerprint(&s, points), before, "{points} points");
        assert!(s.vault().health().unwrap().is_ok());
        drop(s);
        // And on a blank computer.
        let (_t2, fresh) = data_dir();
        let s = fresh.restore(&entry.header.path, &new_computer(pw(), Target::Auto)).unwrap().session;
        assert_eq!(fingerprint(&s, points), before, "{points} points, new computer");
        assert!(s.info().admin, "the first profile on a blank install is the admin");
    }
}

#[test]
fn restore_with_the_recovery_key_sets_a_new_password() {
    let (_t, dd) = data_dir();
    let created = create(&dd, "Alice");
    let s = created.session;
    import(&s, CSV);
    let before = export(&s);
    let file = s.backup_now().unwrap().header.path;
    let rk = RecoveryKey::parse(&created.recovery_key.display()).unwrap();
    let (_t2, fresh) = data_dir();
    let mut req = request(Credential::RecoveryKey(&rk), Target::AsNew("Alice 2"));
    let err = fresh.restore(&file, &req).err().unwrap();
    assert_eq!(err.code(), "invalid_input", "a new password is required with the recovery key");
    assert!(fresh.profiles().unwrap().is_empty());
    req.new_password = Some("a brand new password");
    let restored = fresh.restore(&file, &req).unwrap();
    let new_rk = restored.new_recovery_key.expect("a profile restored as new gets a new recovery key");
    let s = restored.session;
    assert_eq!(s.info().name, "Alice 2");
    assert_eq!(export(&s), before);
    // The backup's master key is in the new profile's history: its own backups still
    // restore from the session, without the old credential.
    assert!(s.list_backups().unwrap().is_empty());
    drop(s);
    assert_eq!(fresh.unlock_with_password("Alice 2", PASSWORD).err().unwrap().code(), "wrong_password");
    drop(fresh.unlock_with_password("Alice 2", "a brand new password").unwrap());
    // The old recovery key opens the old backup, and nothing of the new profile.
    assert_eq!(fresh.unlock_with_recovery_key("Alice 2", &rk).err().unwrap().code(), "wrong_recovery_key");
    drop(fresh.unlock_with_recovery_key("Alice 2", &new_rk).unwrap());
    // Where the profile is, a backup of it opens with its current credentials (the old
    // backup's key is in its history); elsewhere, with the backup's own.
    assert_eq!(fresh.verify_backup(&file, &Credential::RecoveryKey(&rk)).err().unwrap().code(), "wrong_recovery_key");
    assert!(fresh.verify_backup(&file, &Credential::RecoveryKey(&new_rk)).is_ok());
    let (_t3, elsewhere) = data_dir();
    assert!(elsewhere.verify_backup(&file, &Credential::RecoveryKey(&rk)).is_ok());
}

#[test]
fn wrong_credentials_and_targets_write_nothing() {
    let (t, dd) = data_dir();
    let created = create(&dd, "Alice");
    let s = created.session;
    import(&s, CSV);
    let file = s.backup_now().unwrap().header.path;
    let bob = dd.create_profile("Bob", PASSWORD, &opts(), Some(&s)).unwrap().session;
    drop(bob);
    drop(s);
    let before = tree(t.path());
    let wrong_rk = RecoveryKey::generate();
    let cases: Vec<(RestoreRequest<'_>, &str)> = vec![
        (request(Credential::Password("not the password"), Target::Auto), "wrong_password"),
        (
            RestoreRequest {
                new_password: Some("long enough pw"),
                ..request(Credential::RecoveryKey(&wrong_rk), Target::Auto)
            },
            "wrong_recovery_key",
        ),
        (request(pw(), Target::Profile("Bob")), "backup_other_profile"),
        (request(pw(), Target::Profile("Nobody")), "profile_not_found"),
        (request(pw(), Target::AsNew("Copy")), "backup_profile_present"),
    ];
    for (req, code) in cases {
        let err = dd.restore(&file, &req).err().unwrap();
        assert_eq!(err.code(), code);
        assert_eq!(tree(t.path()), before, "{code}: nothing written");
    }
    // The two wrong credentials were tried against Alice's current slots, under her
    // throttle, and are waiting to go into her audit log.
    let alice_dir = dd.profile_dir(&dd.profile("Alice").unwrap());
    let state = patrimoine_core::throttle::UnlockState::load(&alice_dir);
    assert_eq!(state.consecutive_failures, 2);
    let methods: Vec<_> = state.unreported.iter().map(|f| f.method.as_str()).collect();
    assert_eq!(methods, ["restore:password", "restore:recovery_key"]);
    // A profile open elsewhere cannot be restored into.
    let open = dd.unlock_with_password("Alice", PASSWORD).unwrap();
    let before = tree(t.path());
    assert_eq!(dd.restore(&file, &request(pw(), Target::Auto)).err().unwrap().code(), "profile_busy");
    drop(open);
    let _ = before;
}

#[test]
fn new_profiles_from_backups_follow_the_admin_rule_and_the_limit() {
    let (_t, dd) = data_dir();
    let alice = create(&dd, "Alice").session;
    let file = alice.backup_now().unwrap().header.path;
    drop(alice);
    let (_t2, other) = data_dir();
    let admin = create(&other, "Admin").session;
    // Not the first profile: the admin must authorise it.
    let err = other.restore(&file, &request(pw(), Target::Auto)).err().unwrap();
    assert_eq!(err.code(), "not_admin");
    let req = RestoreRequest { admin: Some(&admin), ..new_computer(pw(), Target::Auto) };
    let s = other.restore(&file, &req).unwrap().session;
    assert!(!s.info().admin);
    assert_eq!(other.profiles().unwrap().len(), 2);
    drop(s);
    // Name taken → --as-new with another name.
    for n in ["C", "D", "E"] {
        other.create_profile(n, PASSWORD, &opts(), Some(&admin)).unwrap();
    }
    let (_t3, third) = data_dir();
    let a3 = create(&third, "Alice").session;
    // Another "Alice" (another profile id) lives here: the name is taken.
    let err = third.restore(&file, &RestoreRequest { admin: Some(&a3), ..request(pw(), Target::Auto) }).err().unwrap();
    assert_eq!(err.code(), "profile_exists");
    let s = third
        .restore(&file, &RestoreRequest { admin: Some(&a3), ..new_computer(pw(), Target::AsNew("Alice B")) })
        .unwrap()
        .session;
    assert_eq!(s.info().name, "Alice B");
    drop(s);
    drop(a3);
    let fourth_dir = tempfile::tempdir().unwrap();
    let fourth = DataDir::open(fourth_dir.path()).unwrap();
    let a4 = fourth.create_profile("Alice", PASSWORD, &opts(), None).unwrap().session;
    for n in ["B", "C", "D", "E"] {
        fourth.create_profile(n, PASSWORD, &opts(), Some(&a4)).unwrap();
    }
    let full = RestoreRequest { admin: Some(&a4), ..request(pw(), Target::AsNew("Other")) };
    assert_eq!(fourth.restore(&file, &full).err().unwrap().code(), "profile_limit");
}

#[test]
fn changes_are_tracked_for_the_backup_on_lock_but_unlocking_is_not_a_change() {
    let (_t, dd) = data_dir();
    let s = create(&dd, "Alice").session;
    // A new, empty profile has nothing to back up: no empty backup on lock.
    assert!(!s.changed_since_backup().unwrap(), "nothing entered yet");
    assert!(s.backup_on_lock_if_changed().unwrap().is_none());
    assert!(s.list_backups().unwrap().is_empty());
    drop(s);
    // Unlocking writes audit entries; that is not a change.
    let s = dd.unlock_with_password("Alice", PASSWORD).unwrap();
    assert!(!s.changed_since_backup().unwrap());
    s.vault().export_to_file(&s.dir().join("x.json"), true).unwrap();
    assert!(!s.changed_since_backup().unwrap(), "an export is not a change");
    import(&s, CSV);
    assert!(s.changed_since_backup().unwrap());
    // The change survives a crash before lock (it is persisted with the data).
    drop(s);
    let s = dd.unlock_with_password("Alice", PASSWORD).unwrap();
    assert!(s.changed_since_backup().unwrap());
    let e = s.backup_on_lock_if_changed().unwrap().unwrap();
    assert_eq!(s.list_backups().unwrap()[0].header.path, e.header.path);
    // A second change in the same session after a backup is seen too.
    s.set_base_currency("USD").unwrap();
    assert!(s.changed_since_backup().unwrap());
    s.backup_now().unwrap();
    s.vault().connection().execute("DELETE FROM value_point WHERE date = '2024-02-29'", []).unwrap();
    assert!(s.changed_since_backup().unwrap());
    // A rolled-back change is not a change.
    s.backup_now().unwrap();
    {
        let tx = s.vault().connection().unchecked_transaction().unwrap();
        tx.execute("DELETE FROM value_point", []).unwrap();
        tx.rollback().unwrap();
    }
    assert!(!s.changed_since_backup().unwrap());
}

#[test]
fn daily_backup_runs_only_when_the_last_one_is_old() {
    let (_t, dd) = data_dir();
    let s = create(&dd, "Alice").session;
    let now = Utc::now();
    // A new, empty profile: nothing to back up yet; its first data calls for one.
    assert!(!s.backup_due(now), "an empty new profile is not backed up");
    assert!(s.backup_if_due(now).unwrap().is_none());
    s.set_base_currency("USD").unwrap();
    assert!(s.backup_due(now), "its first data calls for its first backup");
    assert!(s.backup_if_due(now).unwrap().is_some(), "no backup yet");
    assert!(s.backup_if_due(now + Duration::hours(23)).unwrap().is_none());
    assert!(s.backup_if_due(now + Duration::hours(25)).unwrap().is_some());
    assert!(s.backup_settings().last_backup_at.is_some());
}

#[test]
fn the_daily_backup_runs_on_another_thread_while_the_session_keeps_working() {
    let (_t, dd) = data_dir();
    let s = create(&dd, "Alice").session;
    import(&s, CSV);
    let before = export(&s);
    let now = Utc::now();
    let job = s.background_backup_if_due(now).unwrap().expect("no backup yet: due");
    // The session writes while the job runs on its own connection.
    let worker = std::thread::spawn(move || job.run());
    for i in 0..20 {
        s.vault()
            .connection()
            .execute("INSERT INTO settings (key, value) VALUES (?1, 'x')", [format!("k{i}")])
            .unwrap();
    }
    let entry = worker.join().unwrap().unwrap().expect("made");
    assert_eq!(s.list_backups().unwrap()[0].header.path, entry.header.path);
    assert!(s.background_backup_if_due(now + Duration::hours(1)).unwrap().is_none(), "just backed up");
    // A job prepared before another backup was made does nothing.
    let late = s.background_backup_if_due(now + Duration::hours(25)).unwrap().expect("due a day later");
    assert!(late.run().unwrap().is_none(), "the backup made meanwhile is less than a day old");
    // The changes made while it ran still call for the backup on lock.
    assert!(s.changed_since_backup().unwrap());
    // The file holds at least the data present when the job was prepared.
    let file = entry.header.path.clone();
    drop(s);
    let (_t2, other) = data_dir();
    let restored = other.restore(&file, &new_computer(pw(), Target::AsNew("Alice"))).unwrap().session;
    // (The settings written meanwhile are not part of the export.)
    assert_eq!(export(&restored), before);
}

#[test]
fn an_old_vault_is_backed_up_before_it_is_migrated() {
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/schema-v1");
    let t = tempfile::tempdir().unwrap();
    crate::migrations::copy_dir(&fixtures, t.path());
    let dd = DataDir::open(t.path()).unwrap();
    let s = dd.unlock_with_password("Fixture", "fixture password").unwrap();
    assert_eq!(s.vault().schema_version().unwrap(), patrimoine_core::migrations::latest());
    let list = s.list_backups().unwrap();
    assert_eq!(list.len(), 1);
    assert_eq!(list[0].header.schema_version, 1, "the backup keeps the old schema");
    assert_eq!(list[0].header.kind, backup::format::BackupKind::PreMigration);
    let migrated = export(&s);
    drop(s);
    // The pre-migration backup restores (and is migrated on the way in).
    let (_t2, fresh) = data_dir();
    let r = fresh
        .restore(&list[0].header.path, &new_computer(Credential::Password("fixture password"), Target::Auto))
        .unwrap()
        .session;
    assert_eq!(r.vault().schema_version().unwrap(), patrimoine_core::migrations::latest());
    assert_eq!(export(&r), migrated);
    drop(r);
    // Opening again makes no further backup.
    let s = dd.unlock_with_password("Fixture", "fixture password").unwrap();
    assert_eq!(s.list_backups().unwrap().len(), 1);
}

#[test]
fn rotation_only_touches_this_profiles_backups_in_its_folder() {
    let (_t, dd) = data_dir();
    let s = create(&dd, "Alice").session;
    let dir = backups_dir(&s);
    std::fs::create_dir_all(&dir).unwrap();
    let stranger = dir.join("notes.txt");
    std::fs::write(&stranger, "mine").unwrap();
    let mut settings = s.backup_settings();
    settings.keep_daily = 1;
    settings.keep_weekly = 0;
    settings.keep_monthly = 0;
    s.set_backup_settings(&settings).unwrap();
    // Another profile's backup dropped in the folder is left alone.
    let bob = dd.create_profile("Bob", PASSWORD, &opts(), Some(&s)).unwrap().session;
    let bobs = bob.export_backup(&dir).unwrap().path;
    drop(bob);
    for _ in 0..3 {
        s.backup_now().unwrap();
    }
    let mine: Vec<_> = s.list_backups().unwrap().into_iter().filter(|e| e.header.profile_name == "Alice").collect();
    assert_eq!(mine.len(), 3, "every backup of the last 48 hours is kept (the GFS buckets thin older ones)");
    assert!(stranger.exists() && bobs.exists());
    // Pruning again deletes nothing recent.
    assert!(s.prune_backups().unwrap().is_empty());
    drop(s);
    assert_eq!(dd.list_backups("Alice").unwrap().iter().filter(|e| e.header.profile_name == "Alice").count(), 3);
}

#[test]
fn second_destination_receives_verified_copies_when_present() {
    let (t, dd) = data_dir();
    let s = create(&dd, "Alice").session;
    let usb = t.path().join("usb");
    let mut settings = BackupSettings { second_destination: Some(usb.clone()), ..s.backup_settings() };
    assert_eq!(
        s.set_backup_settings(&BackupSettings { second_destination: Some("relative".into()), ..settings.clone() })
            .err()
            .unwrap()
            .code(),
        "invalid_input"
    );
    s.set_backup_settings(&settings).unwrap();
    // Missing stick: the backup still happens, and a reminder comes after N days.
    s.backup_now().unwrap();
    let now = Utc::now();
    assert!(s.backup_settings().second_destination_overdue(now));
    assert!(s.backup_settings().second_destination_reminder, "the app shows the reminder");
    std::fs::create_dir(&usb).unwrap();
    s.backup_now().unwrap();
    let got = s.backup_settings();
    assert!(got.second_destination_last_seen.is_some());
    assert!(!got.second_destination_overdue(now));
    assert!(!got.second_destination_reminder);
    assert!(got.second_destination_overdue(now + Duration::days(15)));
    let list = s.list_backups().unwrap();
    let second: Vec<_> = list.iter().filter(|e| e.header.location == Location::SecondDestination).collect();
    assert_eq!(second.len(), 1);
    assert!(second[0].header.path.starts_with(usb.join(backup::SECOND_DIR)));
    settings.missing_reminder_days = 30;
    s.set_backup_settings(&settings).unwrap();
    assert!(!s.backup_settings().second_destination_overdue(now + Duration::days(15)));
    drop(s);
    // The restore wizard's scan finds both copies without a password.
    let found = dd.scan_backups();
    assert!(found.iter().any(|h| h.location == Location::SecondDestination));
    assert!(found.iter().any(|h| h.location == Location::Profile));
}

#[test]
fn verify_backups_records_results_with_dates() {
    let (_t, dd) = data_dir();
    let s = create(&dd, "Alice").session;
    import(&s, CSV);
    let b = s.backup_now().unwrap().header.path;
    // Rotation keeps one backup a day; a copy stands for an older one.
    let a = b.with_file_name("older.patrimoine-backup");
    std::fs::copy(&b, &a).unwrap();
    // Damage one byte in the middle of the payload of `a`.
    let mut bytes = std::fs::read(&a).unwrap();
    let mid = bytes.len() - 100;
    bytes[mid] ^= 0x01;
    std::fs::write(&a, bytes).unwrap();
    let results = s.verify_backups().unwrap();
    let get = |p: &Path| results.iter().find(|e| e.header.path == p).unwrap().clone();
    assert_eq!(get(&a).ok, Some(false));
    assert_eq!(get(&b).ok, Some(true));
    assert!(get(&b).verified_at.is_some());
    // Results are kept and visible without unlocking.
    drop(s);
    let listed = dd.list_backups("Alice").unwrap();
    assert_eq!(listed.iter().find(|e| e.header.path == b).unwrap().ok, Some(true));
}

#[test]
fn preview_shows_counts_and_net_worth_without_touching_live_data() {
    let (t, dd) = data_dir();
    let s = create(&dd, "Alice").session;
    import(&s, CSV);
    let file = s.backup_now().unwrap().header.path;
    drop(s);
    let before = tree(t.path().join("data/profiles").as_path());
    let p = dd.restore_preview(&file, &pw()).unwrap();
    assert_eq!((p.institutions, p.accounts, p.assets, p.values), (3, 3, 3, 4));
    assert_eq!(p.net_worth, dec("-188249.25"));
    assert_eq!(p.currency, "EUR");
    assert_eq!(p.profile_name, "Alice");
    assert_eq!(tree(t.path().join("data/profiles").as_path()), before);
    assert_eq!(
        dd.restore_preview(&file, &Credential::Password("wrong password!")).err().unwrap().code(),
        "wrong_password"
    );
    let header = backup::inspect(&file).unwrap();
    assert_eq!(header.location, Location::Browsed);
    assert_eq!(header.profile_name, "Alice");
}

#[test]
fn export_writes_a_sidecar_that_matches_the_bytes_on_disk() {
    let (t, dd) = data_dir();
    let s = create(&dd, "Alice").session;
    import(&s, CSV);
    let usb = t.path().join("usb");
    std::fs::create_dir(&usb).unwrap();
    let e = s.export_backup(&usb).unwrap();
    let bytes = std::fs::read(&e.path).unwrap();
    assert_eq!(bytes.len() as u64, e.size);
    use sha2::Digest;
    assert_eq!(hex::encode(sha2::Sha256::digest(&bytes)), e.sha256);
    let sidecar = std::fs::read_to_string(format!("{}.sha256", e.path.display())).unwrap();
    assert_eq!(sidecar, format!("{}  {}\n", e.sha256, e.path.file_name().unwrap().to_string_lossy()));
    // sha256sum itself agrees.
    let out = std::process::Command::new("sha256sum")
        .arg("-c")
        .arg(format!("{}.sha256", e.path.file_name().unwrap().to_string_lossy()))
        .current_dir(&usb)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stdout));
    // A named file works too; a missing folder is a clear error.
    let named = s.export_backup(&usb.join("my.patrimoine-backup")).unwrap();
    assert!(named.path.ends_with("my.patrimoine-backup"));
    let err = s.export_backup(&t.path().join("gone/x.patrimoine-backup")).err().unwrap();
    assert_eq!(err.code(), "destination_unwritable");
}

#[test]
fn health_and_interrupted_restores_are_recovered_at_start() {
    let (_t, dd) = data_dir();
    let s = create(&dd, "Alice").session;
    import(&s, CSV);
    let file = s.backup_now().unwrap().header.path;
    let dir = s.dir().to_owned();
    let backed_up = export(&s);
    import(
        &s,
        "date,institution,account,account_kind,asset,asset_class,currency,value\n2030-01-01,X,Y,current,Z,cash,EUR,1\n",
    );
    let changed = export(&s);
    drop(s);
    assert_eq!(dd.health().unwrap()[0].state, HealthState::Ok);

    // Simulate a crash right after the marker: candidate in place, live untouched.
    let s = dd.restore(&file, &request(pw(), Target::Auto)).unwrap().session;
    drop(s);
    let set_aside: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.file_name().unwrap().to_string_lossy().starts_with("pre-restore-"))
        .collect();
    assert_eq!(set_aside.len(), 1, "the replaced vault is set aside");
    // Put the "changed" vault back as live and fake an interrupted swap.
    let aside = set_aside[0].clone();
    let candidate = dir.join(".tmp-restore-x.db");
    std::fs::rename(dir.join("vault.db"), &candidate).unwrap();
    std::fs::rename(aside.join("vault.db"), dir.join("vault.db")).unwrap();
    let intent = serde_json::json!({
        "started_at": Utc::now(), "candidate": ".tmp-restore-x.db",
        "aside": "pre-restore-20990101T000000.000Z", "new_slots": null
    });
    std::fs::write(dir.join(MARKER), intent.to_string()).unwrap();
    assert_eq!(dd.health().unwrap()[0].state, HealthState::RestoreInterrupted);
    let r = dd.recover_interrupted().unwrap();
    assert_eq!(r.len(), 1);
    assert!(r[0].finished);
    assert!(!dir.join(MARKER).exists() && !candidate.exists());
    let s = dd.unlock_with_password("Alice", PASSWORD).unwrap();
    assert_eq!(export(&s), backed_up, "the interrupted restore was finished");
    drop(s);

    // Candidate gone and no vault in place: roll back from the set-aside folder.
    let aside2 = dir.join("pre-restore-20990101T000000.000Z");
    assert!(aside2.join("vault.db").exists());
    std::fs::remove_file(dir.join("vault.db")).unwrap();
    std::fs::rename(aside2.join("vault.db"), aside2.join("keep.db")).unwrap();
    std::fs::copy(aside2.join("keep.db"), aside2.join("vault.db")).unwrap();
    std::fs::write(dir.join(MARKER), intent.to_string()).unwrap();
    // Unlocking recovers by itself too.
    let s = dd.unlock_with_password("Alice", PASSWORD).unwrap();
    assert_eq!(export(&s), changed, "rolled back to the vault that was set aside");
    drop(s);

    // Health: missing vault, damaged vault, damaged slots.
    std::fs::rename(dir.join("vault.db"), dir.join("v.bak")).unwrap();
    assert_eq!(dd.health().unwrap()[0].state, HealthState::VaultMissing);
    std::fs::write(dir.join("vault.db"), b"short").unwrap();
    assert_eq!(dd.health().unwrap()[0].state, HealthState::VaultDamaged);
    std::fs::rename(dir.join("v.bak"), dir.join("vault.db")).unwrap();
    for n in ["keyslots.a.json", "keyslots.b.json"] {
        std::fs::write(dir.join(n), b"{}").unwrap();
    }
    assert_eq!(dd.health().unwrap()[0].state, HealthState::SlotsDamaged);
    // The restore wizard: restore into the profile whose slots are damaged.
    let s = dd.restore(&file, &request(pw(), Target::Auto)).unwrap().session;
    assert_eq!(export(&s), backed_up);
    assert!(s.quick_check().unwrap());
    drop(s);
    assert_eq!(dd.health().unwrap()[0].state, HealthState::Ok);
}

#[test]
fn the_integrity_probe_after_unlock_finds_a_page_damaged_on_disk() {
    let (_t, dd) = data_dir();
    let s = create(&dd, "Alice").session;
    let spec = Spec { assets: 50, points: 20_000, years: 3, end: d("2025-12-31"), seed: 3 };
    generate::populate(s.vault(), &spec).unwrap();
    let probe = s.integrity_probe().unwrap();
    // The probe runs on another thread while the session is used.
    let worker = std::thread::spawn(move || probe.run());
    assert!(s.vault().net_worth(d("2025-12-31")).is_ok());
    assert!(worker.join().unwrap().unwrap(), "a sound vault passes");
    let vault = s.vault().path().to_owned();
    drop(s);
    // Flip one byte in a page in the middle of the file (not the first, which holds
    // the schema: the vault still opens, as after a disk error).
    let mut bytes = std::fs::read(&vault).unwrap();
    let page = bytes.len() / 4096 / 2;
    bytes[page * 4096 + 100] ^= 0x40;
    std::fs::write(&vault, &bytes).unwrap();
    let s = dd.unlock_with_password("Alice", PASSWORD).unwrap();
    assert!(!s.integrity_probe().unwrap().run().unwrap(), "the damaged page is found");
}

#[test]
fn leftovers_of_an_interrupted_atomic_write_are_removed_when_the_profile_opens() {
    let (_t, dd) = data_dir();
    let s = create(&dd, "Alice").session;
    let dir = s.dir().to_owned();
    drop(s);
    let slots_tmp = dir.join(".keyslots.a.json.0123456789ab.tmp");
    let intent_tmp = dir.join(".restore-intent.json.a1b2c3d4e5f6.tmp");
    let counter_tmp = dir.join(".unlock-state.json.00aa11bb22cc.tmp");
    let unrelated = dir.join("notes.tmp");
    for p in [&slots_tmp, &intent_tmp, &counter_tmp, &unrelated] {
        std::fs::write(p, b"{").unwrap();
    }
    let s = dd.unlock_with_password("Alice", PASSWORD).unwrap();
    assert!(!slots_tmp.exists() && !intent_tmp.exists());
    assert!(counter_tmp.exists(), "a fresh one may belong to an unlock attempt in progress");
    assert!(unrelated.exists(), "not ours");
    assert!(s.quick_check().unwrap());
}

#[test]
fn set_aside_vaults_are_kept_thirty_days() {
    let (_t, dd) = data_dir();
    let s = create(&dd, "Alice").session;
    let file = s.backup_now().unwrap().header.path;
    drop(s);
    dd.restore(&file, &request(pw(), Target::Auto)).unwrap();
    let now = Utc::now();
    assert!(dd.prune_set_aside(now + Duration::days(29)).unwrap().is_empty());
    assert_eq!(dd.prune_set_aside(now + Duration::days(31)).unwrap().len(), 1);
}

#[test]
fn restoring_into_a_profile_needs_its_current_credential_and_keeps_it() {
    let (t, dd) = data_dir();
    let created = create(&dd, "Alice");
    let rk = created.recovery_key;
    let mut s = created.session;
    import(&s, CSV);
    let before = export(&s);
    let file = s.backup_now().unwrap().header.path;
    s.change_password(Some(&pw()), "the new password 1", fast()).unwrap();
    s.vault().import_csv(b"date,institution,account,account_kind,asset,asset_class,currency,value\n2024-06-30,BNP,Courant,current,Later,cash,EUR,5\n".as_slice(), Default::default()).unwrap();
    drop(s);
    let after_change = tree(t.path());
    // The old password opens the old backup, but never today's profile: refused, nothing
    // changed, and the attempt counts against Alice's throttle.
    let old = dd.restore(&file, &request(pw(), Target::Profile("Alice"))).err().unwrap();
    assert_eq!(old.code(), "wrong_password");
    assert_eq!(tree(t.path()), after_change);
    let old_auto = dd.restore(&file, &request(pw(), Target::Auto)).err().unwrap();
    assert_eq!(old_auto.code(), "wrong_password");
    assert_eq!(tree(t.path()), after_change);
    // With the current password the backup restores, and the profile keeps its
    // current password: the old one still does not open it.
    let s = dd
        .restore(&file, &request(Credential::Password("the new password 1"), Target::Profile("Alice")))
        .unwrap()
        .session;
    assert_eq!(export(&s), before);
    drop(s);
    assert_eq!(dd.unlock_with_password("Alice", PASSWORD).err().unwrap().code(), "wrong_password");
    drop(dd.unlock_with_password("Alice", "the new password 1").unwrap());
    // The recovery key is the profile's current one too: restoring with it and a new
    // password installs that password in the *current* slot file, recovery slot kept.
    let req = RestoreRequest {
        new_password: Some("a third password 1"),
        ..request(Credential::RecoveryKey(&rk), Target::Auto)
    };
    drop(dd.restore(&file, &req).unwrap());
    drop(dd.unlock_with_password("Alice", "a third password 1").unwrap());
    drop(dd.unlock_with_recovery_key("Alice", &rk).unwrap());
}

#[test]
fn a_backup_under_another_master_key_is_refused_unless_the_profile_lost_its_slots() {
    // Same profile id, different master key and password.
    let (_t, dd) = data_dir();
    let s = create(&dd, "Alice").session;
    import(&s, CSV);
    let before = export(&s);
    let file = s.backup_now().unwrap().header.path;
    let id = s.info().id.clone();
    drop(s);
    let (t2, other) = data_dir();
    let s = other.restore(&file, &new_computer(pw(), Target::Auto)).unwrap().session;
    drop(s);
    // Replace the restored profile's vault and slots with a fresh key's.
    let fresh_dir = tempfile::tempdir().unwrap();
    let fresh = DataDir::open(fresh_dir.path()).unwrap();
    let f = fresh.create_profile("Tmp", "other password 1", &opts(), None).unwrap().session;
    let fdir = f.dir().to_owned();
    drop(f);
    let target = other.root().join("profiles").join(&id);
    for n in ["vault.db", "keyslots.a.json", "keyslots.b.json"] {
        std::fs::copy(fdir.join(n), target.join(n)).unwrap();
    }
    let replaced = tree(t2.path());
    // The backup's password is not the profile's: refused.
    let e = other.restore(&file, &request(pw(), Target::Profile("Alice"))).err().unwrap();
    assert_eq!(e.code(), "wrong_password");
    // The profile's password does not open a backup made under another key with
    // another password: refused with its own code, nothing changed.
    let e = other
        .restore(&file, &request(Credential::Password("other password 1"), Target::Profile("Alice")))
        .err()
        .unwrap();
    assert_eq!(e.code(), "backup_old_credentials");
    assert_eq!(tree(t2.path()), replaced);
    drop(other.unlock_with_password("Alice", "other password 1").unwrap());
    // Both copies of the slot file lost: nobody can open the profile any more, so
    // the backup's own credential restores into it and brings its slots.
    for n in ["keyslots.a.json", "keyslots.b.json"] {
        std::fs::remove_file(target.join(n)).unwrap();
    }
    let s = other.restore(&file, &request(pw(), Target::Profile("Alice"))).unwrap().session;
    assert_eq!(export(&s), before);
    drop(s);
    drop(other.unlock_with_password("Alice", PASSWORD).unwrap());
}

/// The preamble's minor version of a backup file.
fn minor_of(file: &Path) -> u16 {
    let bytes = std::fs::read(file).unwrap();
    u16::from_be_bytes([bytes[10], bytes[11]])
}

#[test]
fn the_daily_backup_and_exports_check_their_snapshot_and_say_so_in_format_1_1() {
    let (t, dd) = data_dir();
    let s = create(&dd, "Alice").session;
    import(&s, CSV);
    let before = export(&s);
    let manual = s.backup_now().unwrap().header;
    assert!(!manual.snapshot_checked, "\"Back up now\" does not run the checks");
    assert_eq!(minor_of(&manual.path), 0, "a header without 1.1 fields is written as 1.0");
    for f in std::fs::read_dir(backups_dir(&s)).unwrap() {
        std::fs::remove_file(f.unwrap().path()).unwrap(); // make the daily backup due
    }
    let daily = s.background_backup_if_due(Utc::now()).unwrap().expect("due").run().unwrap().expect("made").header;
    assert!(daily.snapshot_checked);
    assert_eq!(minor_of(&daily.path), 1);
    assert!(backup::inspect(&daily.path).unwrap().snapshot_checked, "readable without the password");
    let usb = t.path().join("usb");
    std::fs::create_dir(&usb).unwrap();
    let exported = s.export_backup(&usb).unwrap();
    assert!(backup::inspect(&exported.path).unwrap().snapshot_checked);
    drop(s);
    // Checked backups restore (without repeating the checks) to the same data, into the
    // profile and on a blank computer; "Verify backups" still runs every check on them.
    for file in [&daily.path, &exported.path] {
        let s = dd.restore(file, &request(pw(), Target::Auto)).unwrap().session;
        assert_eq!(export(&s), before);
        assert!(s.vault().health().unwrap().is_ok());
        drop(s);
        let (_t2, fresh) = data_dir();
        let s = fresh.restore(file, &new_computer(pw(), Target::Auto)).unwrap().session;
        assert_eq!(export(&s), before);
        assert!(fresh.verify_backup(file, &pw()).is_ok());
    }
}

#[test]
fn a_damaged_vault_is_found_by_the_daily_backup_and_an_unchecked_backup_of_it_is_refused_at_restore() {
    let (t, dd) = data_dir();
    let s = create(&dd, "Alice").session;
    import(&s, CSV);
    let good = s.backup_now().unwrap().header.path;
    // Damage SQLite's pages cannot show: an account whose institution does not exist.
    s.vault()
        .connection()
        .execute_batch(
            "PRAGMA foreign_keys = OFF;
             INSERT INTO account (institution_id, name, kind, currency) VALUES (9999, 'Orphan', 'current', 'EUR');
             PRAGMA foreign_keys = ON;",
        )
        .unwrap();
    for f in std::fs::read_dir(backups_dir(&s)).unwrap() {
        let p = f.unwrap().path();
        if p != good {
            std::fs::remove_file(p).unwrap();
        }
    }
    std::fs::rename(&good, good.with_extension("keep")).unwrap(); // make the daily backup due
    let before = tree(&backups_dir(&s));
    let job = s.background_backup_if_due(Utc::now()).unwrap().expect("due");
    let err = job.run().expect_err("the checks of the snapshot find the damage");
    assert_eq!(err.code(), "vault_corrupt");
    assert_eq!(tree(&backups_dir(&s)), before, "no backup file, no partial file");
    // Kept aside: rotation keeps one backup a day, and the next one is of the same day.
    let good = {
        let aside = t.path().join("good.patrimoine-backup");
        std::fs::rename(good.with_extension("keep"), &aside).unwrap();
        aside
    };
    // "Back up now" does not check: its backup of the damaged vault is refused at restore,
    // and the live profile is left as it was.
    let damaged = s.backup_now().unwrap().header;
    assert!(!damaged.snapshot_checked);
    let dir = s.dir().to_owned();
    drop(s);
    let live = tree(&dir);
    let err = dd.restore(&damaged.path, &request(pw(), Target::Auto)).err().expect("refused");
    assert_eq!(err.code(), "backup_damaged");
    assert_eq!(tree(&dir), live, "nothing written");
    // The good backup made before the damage still restores.
    let s = dd.restore(&good, &request(pw(), Target::Auto)).unwrap().session;
    assert!(s.vault().health().unwrap().is_ok());
}

#[test]
fn an_own_backup_restores_from_the_open_session_without_a_password() {
    let (_t, dd) = data_dir();
    let s = create(&dd, "Alice").session;
    import(&s, CSV);
    let before = export(&s);
    let file = s.backup_now().unwrap().header.path;
    import(&s, "date,institution,account,account_kind,asset,asset_class,currency,value\n2024-03-31,BNP,Courant,current,Cash,cash,EUR,99\n");
    assert_ne!(export(&s), before);
    let dir = s.dir().to_owned();

    // Another profile's backup is refused, and the session is handed back untouched.
    let (_t2, other) = data_dir();
    let bob = create(&other, "Bob").session;
    let bobs = bob.backup_now().unwrap().header.path;
    drop(bob);
    let failed = match dd.restore_from_session(s, &bobs) {
        Err(f) => f,
        Ok(_) => panic!("another profile's backup was restored"),
    };
    assert_eq!(failed.error.code(), "backup_other_profile");
    let s = failed.session.expect("the session comes back");
    assert_ne!(export(&s), before, "nothing changed");

    let s = dd.restore_from_session(s, &file).unwrap_or_else(|f| panic!("{}", f.error));
    assert_eq!(export(&s), before, "the data is the backup's");
    let log = s.vault().audit_log(5).unwrap();
    assert!(log.iter().any(|e| e.kind == "restore" && e.detail == "session"), "{log:?}");
    let aside = std::fs::read_dir(&dir)
        .unwrap()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().starts_with("pre-restore-"))
        .count();
    assert_eq!(aside, 1, "the replaced vault is set aside");
    drop(s);
    // The password still opens the restored profile.
    let again = dd.unlock_with_password("Alice", PASSWORD).unwrap();
    assert_eq!(export(&again), before);
}

/// A file that looks like one of `profile_id`'s backups (its id is public: it is in
/// every header) but is made under a key the profile does not have, as anyone who can
/// write to a synced or shared folder could make it.
fn forged_backup(profile_id: &str, created_at: chrono::DateTime<Utc>) -> Vec<u8> {
    use base64::Engine;
    use patrimoine_core::backup::format::{self, BackupKind, Header};
    use patrimoine_core::keys::SecretKey;
    use patrimoine_core::slots::Slot;
    let mk = SecretKey::generate();
    let b64 = base64::engine::general_purpose::STANDARD;
    let header = Header {
        created_at,
        app_version: "0.1.0".into(),
        schema_version: 2,
        profile_id: profile_id.into(),
        profile_name: "Alice".into(),
        kind: BackupKind::Automatic,
        plaintext_len: 0,
        chunk_size: format::CHUNK_SIZE as u32,
        salt: b64.encode([9u8; format::SALT_LEN]),
        key_check: hex::encode(mk.key_check()),
        slots: vec![Slot::recovery(profile_id, 2, &RecoveryKey::generate(), &mk)],
        snapshot_checked: false,
    };
    let mut out = Vec::new();
    format::write(&header, &mk, &mut &[][..], &mut out).unwrap();
    out
}

#[test]
fn forged_files_never_count_as_backups_nor_push_genuine_ones_out() {
    let (t, dd) = data_dir();
    let s = create(&dd, "Alice").session;
    import(&s, CSV);
    let usb = t.path().join("usb");
    std::fs::create_dir(&usb).unwrap();
    s.set_backup_settings(&BackupSettings { second_destination: Some(usb.clone()), ..s.backup_settings() }).unwrap();
    let id = s.info().id.clone();
    // Twelve forged files with future dates, in the profile folder and on the stick.
    let second = usb.join(backup::SECOND_DIR);
    std::fs::create_dir_all(backups_dir(&s)).unwrap();
    std::fs::create_dir_all(&second).unwrap();
    let mut forged = vec![];
    for month in 1..=12 {
        let bytes = forged_backup(&id, Utc::now() + Duration::days(31 * month));
        for dir in [backups_dir(&s), second.clone()] {
            let p = dir.join(format!("alice-forged-{month}.patrimoine-backup"));
            std::fs::write(&p, &bytes).unwrap();
            forged.push(p);
        }
    }
    // A future-dated forgery does not put the daily backup off.
    assert!(s.backup_due(Utc::now()));
    let first = s.backup_now().unwrap().header.path;
    let second_backup = s.backup_now().unwrap().header.path;
    for p in &forged {
        assert!(p.exists(), "rotation never deletes a file it could not authenticate: {}", p.display());
    }
    assert!(second_backup.exists(), "the backup just written survives");
    let on_stick: Vec<_> = std::fs::read_dir(&second)
        .unwrap()
        .flatten()
        .filter(|e| !e.file_name().to_string_lossy().contains("forged"))
        .collect();
    assert!(!on_stick.is_empty(), "the genuine copy on the stick survives");
    let _ = first;
    // The list says which files are the profile's; without the key, none can be told.
    let listed = s.list_backups().unwrap();
    let genuine: Vec<_> = listed.iter().filter(|e| e.authenticated).collect();
    assert!(genuine.iter().all(|e| !e.header.path.to_string_lossy().contains("forged")));
    assert!(genuine.iter().any(|e| e.header.path == second_backup));
    assert_eq!(listed.iter().filter(|e| !e.authenticated).count(), 24);
    assert!(!s.backup_due(Utc::now()));
    // Verifying skips what is not the profile's; pruning counts only genuine files.
    let verified = s.verify_backups().unwrap();
    assert!(verified.iter().filter(|e| e.authenticated).all(|e| e.ok == Some(true)));
    s.prune_backups().unwrap();
    assert!(forged.iter().all(|p| p.exists()));
    drop(s);
    assert!(dd.list_backups("Alice").unwrap().iter().all(|e| !e.authenticated));
}

#[test]
fn a_backup_whose_vault_holds_objects_no_migration_creates_is_refused() {
    let (_t, dd) = data_dir();
    let s = create(&dd, "Alice").session;
    import(&s, CSV);
    // Someone else's file: a trigger that would run on the restored profile's next write.
    s.vault()
        .connection()
        .execute_batch(
            "CREATE TRIGGER steal AFTER INSERT ON value_point BEGIN DELETE FROM value_point; END;
             CREATE VIEW everything AS SELECT * FROM value_point;",
        )
        .unwrap();
    let file = s.export_backup(&dd.root().join("evil.patrimoine-backup")).unwrap().path;
    drop(s);
    let (t2, other) = data_dir();
    for result in [
        other.restore(&file, &new_computer(pw(), Target::Auto)).err().unwrap(),
        other.restore_preview(&file, &pw()).err().unwrap(),
        other.verify_backup(&file, &pw()).err().unwrap(),
    ] {
        assert_eq!(result.code(), "backup_schema_unknown", "{result}");
    }
    assert!(tree(t2.path()).iter().all(|(p, _)| p.starts_with(t2.path().join("data/tmp"))), "nothing installed");
    assert!(other.profiles().unwrap().is_empty());
}
