//! Keychain unlock against a real Secret Service. Run under
//! `dbus-run-session` with an unlocked gnome-keyring (see `.ci/run`); without one
//! these tests fail, they do not skip.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is a failed test

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
    let pw = patrimoine_core::profile::Credential::Password("correct horse battery staple");
    let e =
        s.enable_keychain(&patrimoine_core::profile::Credential::Password("a passer-by's guess"), &kc).err().unwrap();
    assert_eq!(e.code(), "wrong_password", "turning keychain unlock on asks for the current password");
    s.enable_keychain(&pw, &kc).unwrap();
    assert!(s.keychain_enabled());
    drop(s);
    assert!(dd.keychain_enabled("Alice").unwrap());
    let s = dd.unlock_with_keychain("Alice", &kc).unwrap();
    assert_eq!(s.info().name, "Alice");
    let mut s = s;
    // Someone who copied the keychain's secret and the slot file before it was turned
    // off gets the master key of that day, which no longer opens the vault.
    let copied_secret = kc.load(&s.info().id).unwrap().unwrap();
    let profile_dir = s.dir().to_owned();
    let copied_slots = std::fs::read(profile_dir.join("keyslots.a.json")).unwrap();
    s.disable_keychain(None, &kc).unwrap();
    let vault = s.vault().path().to_owned();
    drop(s);
    let err = dd.unlock_with_keychain("Alice", &kc).err().unwrap();
    assert_eq!(err.code(), "keychain_not_enabled");
    let old_dir = tempfile::tempdir().unwrap();
    std::fs::write(old_dir.path().join("keyslots.a.json"), copied_slots).unwrap();
    let (old_slots, _) = patrimoine_core::slots::SlotFile::load(old_dir.path()).unwrap();
    let old_key = old_slots
        .of_kind(patrimoine_core::slots::SlotKind::Keychain)
        .find_map(|sl| sl.open_secret(&old_slots.owner, &copied_secret))
        .expect("the copied secret opens the copied slot");
    assert!(patrimoine_core::Vault::open(&vault, &old_key).is_err(), "but not today's vault");
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

/// Runs `script` with `sh -c` in a D-Bus session of its own, with the keyrings in
/// `home` and no display (so any password prompt fails at once).
fn in_own_session(home: &std::path::Path, script: &str, env: &[(&str, &str)]) -> std::process::Output {
    let runtime = home.join("run");
    std::fs::create_dir_all(&runtime).unwrap();
    let mut cmd = std::process::Command::new("dbus-run-session");
    cmd.args(["--", "sh", "-c", script])
        .env("XDG_DATA_HOME", home)
        .env("XDG_RUNTIME_DIR", &runtime)
        .env_remove("GNOME_KEYRING_CONTROL")
        .env_remove("DISPLAY")
        .env_remove("WAYLAND_DISPLAY");
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.output().expect("dbus-run-session runs")
}

#[test]
fn a_locked_keyring_is_found_without_asking_for_its_password() {
    let home = tempfile::tempdir().unwrap();
    // A login keyring with a password…
    let made = in_own_session(
        home.path(),
        "echo -n 'keyring password' | gnome-keyring-daemon --unlock --components=secrets --daemonize >/dev/null && sleep 1",
        &[],
    );
    assert!(made.status.success(), "{}", String::from_utf8_lossy(&made.stderr));
    assert!(home.path().join("keyrings/login.keyring").exists());
    // …locked in the next session, as after a login that did not unlock it. There the
    // next test runs again, in a child process.
    let exe = std::env::current_exe().unwrap();
    let script = format!(
        "gnome-keyring-daemon --start --components=secrets >/dev/null 2>&1; sleep 1; '{}' --exact the_keychain_in_this_session --nocapture",
        exe.display()
    );
    let out = in_own_session(home.path(), &script, &[("PATRIMOINE_TEST_LOCKED_KEYRING", "1")]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{stdout}{}", String::from_utf8_lossy(&out.stderr));
    assert!(stdout.contains("locked keyring: reachable, self-test refused"), "{stdout}");
}

#[test]
fn the_keychain_in_this_session() {
    let kc = OsKeychain::with_service(&format!("{}-session", unique_service()));
    assert!(kc.reachable());
    if std::env::var_os("PATRIMOINE_TEST_LOCKED_KEYRING").is_some() {
        // Writing needs the keyring's password, which nobody can type here: the old
        // start-up check (the self-test) failed, or on a desktop asked for it.
        assert!(kc.self_test().is_err());
        println!("locked keyring: reachable, self-test refused");
    } else {
        kc.self_test().unwrap();
    }
}
