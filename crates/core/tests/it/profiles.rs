//! Profiles, key slots and unlocking.

use patrimoine_core::error::{Error, KeyError, ProfileError, VaultError};
use patrimoine_core::keys::RecoveryKey;
use patrimoine_core::portfolio::{Institution, InstitutionKind};
use patrimoine_core::DeleteAuth;

use patrimoine_core::profile::Credential;

use crate::support::*;

fn add_marker(s: &patrimoine_core::Session) {
    s.vault()
        .create_institution(&Institution {
            id: 0,
            name: "Marker Bank".into(),
            kind: InstitutionKind::Bank,
            notes: String::new(),
        })
        .unwrap();
}

fn has_marker(s: &patrimoine_core::Session) -> bool {
    s.vault().institutions().unwrap().iter().any(|i| i.name == "Marker Bank")
}

#[test]
fn create_unlock_and_wrong_password() {
    let (_t, dd) = data_dir();
    let created = create(&dd, "Alice");
    assert!(created.session.info().admin);
    add_marker(&created.session);
    drop(created);
    let s = dd.unlock_with_password("alice", PASSWORD).unwrap();
    assert!(has_marker(&s));
    drop(s);
    let err = dd.unlock_with_password("Alice", "not the password").err().unwrap();
    assert_eq!(err.code(), "wrong_password");
    assert_eq!(dd.unlock_with_password("Bob", PASSWORD).err().unwrap().code(), "profile_not_found");
}

#[test]
fn the_vault_is_not_a_plain_sqlite_file() {
    let (_t, dd) = data_dir();
    let created = create(&dd, "Alice");
    add_marker(&created.session);
    let path = created.session.vault().path().to_owned();
    drop(created);
    let bytes = std::fs::read(&path).unwrap();
    assert!(!bytes.starts_with(b"SQLite format 3"));
    assert!(!bytes.windows(11).any(|w| w == b"Marker Bank"), "plaintext found in the vault file");
    // No plaintext sidecar either.
    for entry in std::fs::read_dir(path.parent().unwrap()).unwrap() {
        let b = std::fs::read(entry.unwrap().path()).unwrap_or_default();
        assert!(!b.windows(11).any(|w| w == b"Marker Bank"));
    }
}

#[test]
fn recovery_key_unlocks_and_forces_a_new_password() {
    let (_t, dd) = data_dir();
    let created = create(&dd, "Alice");
    add_marker(&created.session);
    let shown = created.recovery_key.display();
    drop(created);
    let rk = RecoveryKey::parse(&shown).unwrap();
    let mut s = dd.unlock_with_recovery_key("Alice", &rk).unwrap();
    assert!(s.must_set_password());
    assert!(has_marker(&s));
    s.change_password(None, "a brand new password", fast()).unwrap();
    assert!(!s.must_set_password());
    drop(s);
    assert_eq!(dd.unlock_with_password("Alice", PASSWORD).err().unwrap().code(), "wrong_password");
    assert!(has_marker(&dd.unlock_with_password("Alice", "a brand new password").unwrap()));
    let other = RecoveryKey::generate();
    assert_eq!(dd.unlock_with_recovery_key("Alice", &other).err().unwrap().code(), "wrong_recovery_key");
}

#[test]
fn password_change_keeps_data_and_refuses_the_old_password() {
    let (_t, dd) = data_dir();
    let mut s = create(&dd, "Alice").session;
    add_marker(&s);
    s.change_password(Some(&Credential::Password(PASSWORD)), "second password here", fast()).unwrap();
    assert_eq!(
        s.change_password(Some(&Credential::Password("second password here")), "short", fast()).err().unwrap().code(),
        "weak_password"
    );
    drop(s);
    assert_eq!(dd.unlock_with_password("Alice", PASSWORD).err().unwrap().code(), "wrong_password");
    let s = dd.unlock_with_password("Alice", "second password here").unwrap();
    assert!(has_marker(&s));
    let kinds: Vec<String> = s.vault().audit_log(50).unwrap().into_iter().map(|e| e.kind).collect();
    assert!(kinds.contains(&"password_changed".to_string()));
    assert!(kinds.contains(&"unlock_failed".to_string()), "{kinds:?}");
}

#[test]
fn regenerated_recovery_key_replaces_the_old_one() {
    let (_t, dd) = data_dir();
    let created = create(&dd, "Alice");
    let old = RecoveryKey::parse(&created.recovery_key.display()).unwrap();
    let mut s = created.session;
    let new = s.regenerate_recovery_key(&Credential::Password(PASSWORD)).unwrap().new_recovery_key.unwrap();
    drop(s);
    assert_eq!(dd.unlock_with_recovery_key("Alice", &old).err().unwrap().code(), "wrong_recovery_key");
    assert!(dd.unlock_with_recovery_key("Alice", &new).is_ok());
}

#[test]
fn corrupted_slot_copy_is_repaired() {
    let (_t, dd) = data_dir();
    let s = create(&dd, "Alice").session;
    let dir = s.dir().to_owned();
    drop(s);
    std::fs::write(dir.join("keyslots.a.json"), b"garbage").unwrap();
    let s = dd.unlock_with_password("Alice", PASSWORD).unwrap();
    drop(s);
    let a = std::fs::read(dir.join("keyslots.a.json")).unwrap();
    let b = std::fs::read(dir.join("keyslots.b.json")).unwrap();
    assert_eq!(a, b);
    std::fs::write(dir.join("keyslots.a.json"), b"garbage").unwrap();
    std::fs::write(dir.join("keyslots.b.json"), b"garbage").unwrap();
    assert_eq!(dd.unlock_with_password("Alice", PASSWORD).err().unwrap().code(), "slots_corrupt");
}

#[test]
fn damaged_vault_is_told_apart_from_a_wrong_key() {
    let (_t, dd) = data_dir();
    let s = create(&dd, "Alice").session;
    add_marker(&s);
    let path = s.vault().path().to_owned();
    drop(s);
    let mut bytes = std::fs::read(&path).unwrap();
    for b in bytes.iter_mut().take(4096).skip(16) {
        *b ^= 0xA5;
    }
    std::fs::write(&path, bytes).unwrap();
    let err = dd.unlock_with_password("Alice", PASSWORD).err().unwrap();
    assert!(matches!(err, Error::Vault(VaultError::Corrupt(_))), "{err:?}");
    assert_eq!(dd.unlock_with_password("Alice", "wrong wrong wrong").err().unwrap().code(), "wrong_password");
}

#[test]
fn failed_unlocks_are_throttled_across_restarts() {
    let (t, dd) = data_dir();
    drop(create(&dd, "Alice"));
    for _ in 0..3 {
        assert_eq!(dd.unlock_with_password("Alice", "bad password!").err().unwrap().code(), "wrong_password");
    }
    // A new DataDir is what a restarted app sees.
    let dd2 = patrimoine_core::DataDir::open(t.path().join("data")).unwrap();
    match dd2.unlock_with_password("Alice", PASSWORD) {
        Err(Error::Key(KeyError::Throttled { retry_after_secs })) => {
            assert!((1..=5).contains(&retry_after_secs))
        }
        other => panic!("expected throttling, got {:?}", other.err()),
    }
}

#[test]
fn household_rules_admin_limit_rename_delete() {
    let (_t, dd) = data_dir();
    let admin = create(&dd, "Admin").session;
    // Without the admin session nobody else can create a profile.
    let err = dd.create_profile("Bob", PASSWORD, &opts(), None).err().unwrap();
    assert_eq!(err.code(), "not_admin");
    for name in ["Bob", "Carol", "Dan", "Eve"] {
        let p = dd.create_profile(name, PASSWORD, &opts(), Some(&admin)).unwrap();
        assert!(!p.session.info().admin);
    }
    let err = dd.create_profile("Frank", PASSWORD, &opts(), Some(&admin)).err().unwrap();
    assert!(matches!(err, Error::Profile(ProfileError::Limit { max: 5 })));
    assert_eq!(dd.create_profile("bob", PASSWORD, &opts(), Some(&admin)).err().unwrap().code(), "profile_limit");

    let bob = dd.unlock_with_password("Bob", PASSWORD).unwrap();
    assert_eq!(dd.create_profile("Zed", PASSWORD, &opts(), Some(&bob)).err().unwrap().code(), "profile_limit");
    assert_eq!(dd.rename_profile(&bob, "Carol", "Caroline").err().unwrap().code(), "not_admin");
    drop(bob);
    dd.rename_profile(&admin, "Carol", "Caroline").unwrap();
    assert!(dd.profile("caroline").is_ok());
    assert_eq!(dd.rename_profile(&admin, "Caroline", "bob").err().unwrap().code(), "profile_exists");

    // Delete with the admin and the typed name, or with the profile's own password.
    let err = dd.delete_profile("Dan", DeleteAuth::Admin { admin: &admin, typed_name: "Dam" }, None).err().unwrap();
    assert_eq!(err.code(), "confirmation_mismatch");
    dd.delete_profile("Dan", DeleteAuth::Admin { admin: &admin, typed_name: "Dan" }, None).unwrap();
    assert_eq!(
        dd.delete_profile("Eve", DeleteAuth::Password("nope nope nope"), None).err().unwrap().code(),
        "wrong_password"
    );
    dd.delete_profile("Eve", DeleteAuth::Password(PASSWORD), None).unwrap();
    let names: Vec<String> = dd.profiles().unwrap().into_iter().map(|p| p.name).collect();
    assert_eq!(names, vec!["Admin", "Bob", "Caroline"]);
    assert_eq!(
        dd.delete_profile("Admin", DeleteAuth::Admin { admin: &admin, typed_name: "Admin" }, None)
            .err()
            .unwrap()
            .code(),
        "admin_has_profiles"
    );
    // The deleted profile's folder is gone.
    assert_eq!(std::fs::read_dir(dd.root().join("profiles")).unwrap().count(), 3);
}

#[test]
fn a_profile_is_opened_by_one_session_at_a_time() {
    let (_t, dd) = data_dir();
    let s = create(&dd, "Alice").session;
    assert_eq!(dd.unlock_with_password("Alice", PASSWORD).err().unwrap().code(), "profile_busy");
    drop(s);
    assert!(dd.unlock_with_password("Alice", PASSWORD).is_ok());
}

#[test]
fn bad_profile_names_and_currencies_are_refused() {
    let (_t, dd) = data_dir();
    assert_eq!(dd.create_profile("  ", PASSWORD, &opts(), None).err().unwrap().code(), "profile_name_invalid");
    let mut o = opts();
    o.base_currency = "EURO".into();
    assert_eq!(dd.create_profile("Alice", PASSWORD, &o, None).err().unwrap().code(), "invalid_input");
    assert_eq!(dd.create_profile("Alice", "short", &opts(), None).err().unwrap().code(), "weak_password");
    assert!(dd.profiles().unwrap().is_empty());
    // Failed creations leave no folder behind.
    assert_eq!(std::fs::read_dir(dd.root().join("profiles")).unwrap().count(), 0);
}

#[test]
fn every_vault_connection_is_hardened() {
    use rusqlite::config::DbConfig;
    let (_t, dd) = data_dir();
    let s = create(&dd, "Alice").session;
    let c = s.vault().connection();
    assert!(c.db_config(DbConfig::SQLITE_DBCONFIG_DEFENSIVE).unwrap(), "defensive mode");
    assert!(!c.db_config(DbConfig::SQLITE_DBCONFIG_TRUSTED_SCHEMA).unwrap(), "trusted_schema off");
    // Defensive mode: the schema table cannot be written, even with writable_schema.
    let _ = c.execute_batch("PRAGMA writable_schema = ON;");
    assert!(c.execute("DELETE FROM sqlite_master WHERE name = 'asset'", []).is_err());
}
