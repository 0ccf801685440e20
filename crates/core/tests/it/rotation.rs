//! A changed or revoked credential stops working everywhere: the master key is replaced
//! on a password change, a new recovery key and keychain unlock turned off, so an old
//! credential opens the backups made before the change and nothing else; the open
//! profile still reads and restores its own older backups through its key history.

use std::path::Path;

use patrimoine_core::backup::format::{self, Header};
use patrimoine_core::keys::{RecoveryKey, SecretKey};
use patrimoine_core::profile::Credential;
use patrimoine_core::restore::{RestoreRequest, Target};
use patrimoine_core::slots::SlotFile;
use patrimoine_core::Vault;

use crate::backup::{export, CSV};
use crate::support::*;

const NEW_PASSWORD: &str = "a completely new password";

fn header(file: &Path) -> Header {
    format::read_header(&mut std::fs::File::open(file).unwrap()).unwrap().header
}

fn raw_key(s: &patrimoine_core::Session) -> SecretKey {
    let hex = s.reveal_raw_key().unwrap();
    SecretKey::from_bytes(hex::decode(hex.as_str()).unwrap().try_into().unwrap())
}

#[test]
fn an_old_password_opens_the_backups_made_before_the_change_and_nothing_after() {
    let (t, dd) = data_dir();
    let created = create(&dd, "Alice");
    let mut s = created.session;
    s.vault().import_csv(CSV.as_bytes(), Default::default()).unwrap();
    let before = export(&s);
    let old_backup = s.export_backup(t.path()).unwrap().path;
    let old_key = raw_key(&s);
    // Changing the password needs the current one.
    let e = s.change_password(None, NEW_PASSWORD, fast()).err().unwrap();
    assert_eq!(e.code(), "credential_needed");
    let e = s.change_password(Some(&Credential::Password("not my password")), NEW_PASSWORD, fast()).err().unwrap();
    assert_eq!(e.code(), "wrong_password");
    let rotated = s.change_password(Some(&Credential::Password(PASSWORD)), NEW_PASSWORD, fast()).unwrap();
    assert!(rotated.new_recovery_key.is_none(), "a recovery slot made by this version follows the new key");
    assert!(!rotated.keychain_disabled);
    let new_key = raw_key(&s);
    assert_ne!(old_key.expose(), new_key.expose(), "the master key was replaced");
    assert_eq!(export(&s), before, "the data is the same");
    s.vault().import_csv(b"date,institution,account,account_kind,asset,asset_class,currency,value\n2024-06-30,BNP,Courant,current,Later,cash,EUR,5\n".as_slice(), Default::default()).unwrap();
    let new_backup = s.backup_now().unwrap().header.path;
    let vault_path = s.vault().path().to_owned();

    // The old password still opens the old backup, and the key it yields...
    let from_old = header(&old_backup).unlock_with_password(PASSWORD).unwrap();
    assert_eq!(from_old.expose(), old_key.expose());
    // ...opens neither today's vault nor the backup made after the change.
    drop(s);
    assert!(Vault::open(&vault_path, &from_old).is_err(), "the old key does not open today's vault");
    let new_header = format::read_header(&mut std::fs::File::open(&new_backup).unwrap()).unwrap();
    assert!(format::authenticate(&new_header, &from_old).is_err());
    assert_eq!(
        new_header.header.unlock_with_password(PASSWORD).err().map(patrimoine_core::Error::from).unwrap().code(),
        "wrong_password"
    );
    assert!(new_header.header.unlock_with_password(NEW_PASSWORD).is_ok());
    // The slot file on disk holds nothing the old password opens.
    let (slots, _) = SlotFile::load(vault_path.parent().unwrap()).unwrap();
    assert!(slots.slots.iter().all(|sl| sl.open_password(&slots.owner, PASSWORD).unwrap().is_none()));
    assert_eq!(dd.unlock_with_password("Alice", PASSWORD).err().unwrap().code(), "wrong_password");

    // The recovery key is unchanged and opens both.
    let rk = RecoveryKey::parse(&created.recovery_key.display()).unwrap();
    assert!(header(&old_backup).unlock_with_recovery_key(&rk).is_ok());
    assert!(header(&new_backup).unlock_with_recovery_key(&rk).is_ok());

    // The open profile reads its older backup through its key history: listed as its
    // own, verified, and restored without the old password (re-encrypted to today's key).
    let s = dd.unlock_with_password("Alice", NEW_PASSWORD).unwrap();
    let listed = s.list_backups().unwrap();
    assert!(listed.iter().all(|e| e.authenticated), "{listed:?}");
    let verified = s.verify_backups().unwrap();
    assert!(verified.iter().all(|e| e.ok == Some(true)), "{verified:?}");
    let s = match dd.restore_from_session(s, &old_backup) {
        Ok(s) => s,
        Err(f) => panic!("{}", f.error),
    };
    assert_eq!(export(&s), before);
    assert_eq!(raw_key(&s).expose(), new_key.expose(), "the restored data takes today's key");
    drop(s);
    assert_eq!(dd.unlock_with_password("Alice", PASSWORD).err().unwrap().code(), "wrong_password");
    // From the locked screen: the current password restores the old backup too (its
    // key is in the live vault's history); the old password is refused.
    let req = |pw| RestoreRequest {
        credential: Credential::Password(pw),
        new_password: None,
        target: Target::Profile("Alice"),
        admin: None,
        kdf: fast(),
    };
    assert_eq!(dd.restore(&old_backup, &req(PASSWORD)).err().unwrap().code(), "wrong_password");
    let r = dd.restore(&old_backup, &req(NEW_PASSWORD)).unwrap();
    assert_eq!(export(&r.session), before);
    drop(r);
    drop(dd.unlock_with_password("Alice", NEW_PASSWORD).unwrap());
}

#[test]
fn a_new_recovery_key_and_the_password_from_a_recovery_unlock_replace_the_key_too() {
    let (t, dd) = data_dir();
    let created = create(&dd, "Alice");
    let old_rk = RecoveryKey::parse(&created.recovery_key.display()).unwrap();
    let mut s = created.session;
    let old_backup = s.export_backup(t.path()).unwrap().path;
    let e = s.regenerate_recovery_key(&Credential::RecoveryKey(&RecoveryKey::generate())).err().unwrap();
    assert_eq!(e.code(), "wrong_recovery_key");
    let rotated = s.regenerate_recovery_key(&Credential::RecoveryKey(&old_rk)).unwrap();
    let new_rk = rotated.new_recovery_key.unwrap();
    let new_backup = s.backup_now().unwrap().header.path;
    drop(s);
    assert_eq!(dd.unlock_with_recovery_key("Alice", &old_rk).err().unwrap().code(), "wrong_recovery_key");
    assert!(header(&old_backup).unlock_with_recovery_key(&old_rk).is_ok());
    assert_eq!(
        header(&new_backup).unlock_with_recovery_key(&old_rk).err().map(patrimoine_core::Error::from).unwrap().code(),
        "wrong_recovery_key"
    );
    // The password was not changed: it still opens the profile (its slot followed).
    drop(dd.unlock_with_password("Alice", PASSWORD).unwrap());
    // Forgotten password: unlock with the recovery key, set a new one without typing
    // the old; the old password then stops working everywhere new.
    let mut s = dd.unlock_with_recovery_key("Alice", &new_rk).unwrap();
    assert!(s.must_set_password());
    s.change_password(None, NEW_PASSWORD, fast()).unwrap();
    let after = s.backup_now().unwrap().header.path;
    drop(s);
    assert_eq!(dd.unlock_with_password("Alice", PASSWORD).err().unwrap().code(), "wrong_password");
    assert_eq!(
        header(&after).unlock_with_password(PASSWORD).err().map(patrimoine_core::Error::from).unwrap().code(),
        "wrong_password"
    );
    drop(dd.unlock_with_recovery_key("Alice", &new_rk).unwrap());
}

#[test]
fn a_recovery_slot_made_by_an_older_version_is_replaced_by_a_new_key_shown_once() {
    // The schema-3 fixture's recovery slot is a version-1 slot: it cannot be resealed
    // without the recovery key, so a password change makes a new recovery key.
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/schema-v3");
    let t = tempfile::tempdir().unwrap();
    crate::migrations::copy_dir(&fixtures, t.path());
    let dd = patrimoine_core::DataDir::open(t.path()).unwrap();
    let mut s = dd.unlock_with_password("Fixture", "fixture password").unwrap();
    let before = export(&s);
    let rotated = s.change_password(Some(&Credential::Password("fixture password")), NEW_PASSWORD, fast()).unwrap();
    let rk = rotated.new_recovery_key.expect("a new recovery key");
    drop(s);
    let s = dd.unlock_with_recovery_key("Fixture", &rk).unwrap();
    assert_eq!(export(&s), before);
}

#[test]
fn reauthentication_attempts_count_against_the_throttle() {
    let (_t, dd) = data_dir();
    let mut s = create(&dd, "Alice").session;
    for _ in 0..3 {
        let e = s.regenerate_recovery_key(&Credential::Password("a guess at it")).err().unwrap();
        assert_eq!(e.code(), "wrong_password");
    }
    let e = s.regenerate_recovery_key(&Credential::Password(PASSWORD)).err().unwrap();
    assert_eq!(e.code(), "throttled", "a passer-by at an unlocked session gets no free guesses");
}
