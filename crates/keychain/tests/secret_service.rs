//! Keychain unlock against a real Secret Service. Run under
//! `dbus-run-session` with an unlocked gnome-keyring (see `.ci/run`); without one
//! these tests fail, they do not skip.

use patrimoine_core::keychain::Keychain;
use patrimoine_core::keys::{KdfParams, SecretKey};
use patrimoine_core::{CreateOptions, DataDir, KdfChoice};
use patrimoine_keychain::OsKeychain;

fn unique_service() -> String {
    format!("patrimoine-test-{}", std::process::id())
}

#[test]
fn self_test_and_round_trip_through_the_real_keychain() {
    let kc = OsKeychain::with_service(&unique_service());
    kc.self_test().expect("a working Secret Service (run under dbus-run-session with gnome-keyring)");
    let secret = SecretKey::generate();
    kc.store("profile-x", &secret).unwrap();
    assert_eq!(kc.load("profile-x").unwrap().unwrap().expose(), secret.expose());
    kc.delete("profile-x").unwrap();
    assert!(kc.load("profile-x").unwrap().is_none());
    kc.delete("profile-x").unwrap();
}

#[test]
fn unlock_a_profile_with_the_keychain() {
    let kc = OsKeychain::with_service(&format!("{}-unlock", unique_service()));
    let t = tempfile::tempdir().unwrap();
    let dd = DataDir::open(t.path()).unwrap();
    let opts = CreateOptions { base_currency: "EUR".into(), kdf: KdfChoice::Fixed(KdfParams::MIN) };
    let mut s = dd.create_profile("Alice", "correct horse battery staple", &opts, None).unwrap().session;
    assert!(!dd.keychain_enabled("Alice").unwrap());
    s.enable_keychain(&kc).unwrap();
    assert!(s.keychain_enabled());
    drop(s);
    assert!(dd.keychain_enabled("Alice").unwrap());
    let s = dd.unlock_with_keychain("Alice", &kc).unwrap();
    assert_eq!(s.info().name, "Alice");
    let mut s = s;
    s.disable_keychain(&kc).unwrap();
    drop(s);
    let err = dd.unlock_with_keychain("Alice", &kc).err().unwrap();
    assert_eq!(err.code(), "keychain_not_enabled");
    // The password slot still works: the keychain is never the only slot.
    assert!(dd.unlock_with_password("Alice", "correct horse battery staple").is_ok());
}

#[test]
fn reachable_finds_the_secret_service_and_not_a_missing_one() {
    assert!(OsKeychain::new().reachable(), "a Secret Service runs on this session bus");
    // With no session bus there is no keychain: the next test, run again in a child
    // process whose environment alone points at a bus that does not exist.
    let exe = std::env::current_exe().unwrap();
    let out = std::process::Command::new(exe)
        .args(["--exact", "reachable_says_whether_a_session_bus_answers", "--nocapture"])
        .env("PATRIMOINE_TEST_NO_BUS", "1")
        .env("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/bus")
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stdout));
    assert!(String::from_utf8_lossy(&out.stdout).contains("reachable = false"));
}

#[test]
fn reachable_says_whether_a_session_bus_answers() {
    let expected = std::env::var_os("PATRIMOINE_TEST_NO_BUS").is_none();
    assert_eq!(OsKeychain::new().reachable(), expected);
    println!("reachable = {expected}");
}
