//! Hostile use of the real CLI: parallel processes guessing one profile's password
//! through every path, guesses on backups of profiles unknown here, and destinations
//! that cannot be written; plus the modes of what the CLI writes.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use patrimoine_core::throttle::delay_after;

use crate::backup::values_csv;
use crate::support::*;

const GUESS: &str = "a wrong guess 123";

fn run_of(out: Output) -> Run {
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// The code of a one-line `error[code]: ...` failure.
fn code(r: &Run) -> String {
    assert_ne!(r.code, 0, "expected a failure: {}", r.stdout);
    assert_eq!(r.stderr.trim().lines().count(), 1, "one line: {}", r.stderr);
    let rest = r.stderr.strip_prefix("error[").unwrap_or_else(|| panic!("no error code: {}", r.stderr));
    rest[..rest.find(']').unwrap()].to_owned()
}

/// Starts every command at once and waits for all of them.
fn all_at_once(cmds: Vec<Command>) -> Vec<Run> {
    let children: Vec<_> = cmds
        .into_iter()
        .map(|mut c| c.stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().expect("the CLI starts"))
        .collect();
    children.into_iter().map(|c| run_of(c.wait_with_output().unwrap())).collect()
}

/// Seconds a `throttled` refusal asks to wait.
fn retry_after(r: &Run) -> u64 {
    let at = r.stderr.find("try again in ").unwrap_or_else(|| panic!("no delay in {}", r.stderr)) + 13;
    r.stderr[at..].split_whitespace().next().unwrap().parse().unwrap()
}

/// Runs `args` until it is no longer refused as throttled (waiting the delay it asks).
fn after_the_delay(env: &Env, password: &str, args: &[&str]) -> Run {
    for _ in 0..5 {
        let r = env.run(Some(password), args);
        if r.code == 0 || code(&r) != "throttled" {
            return r;
        }
        std::thread::sleep(Duration::from_secs(retry_after(&r)) + Duration::from_millis(200));
    }
    panic!("still throttled");
}

fn profile_dir(env: &Env) -> PathBuf {
    let dirs: Vec<PathBuf> = std::fs::read_dir(env.data().join("profiles"))
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.is_dir() && !p.file_name().unwrap().to_string_lossy().starts_with('.'))
        .collect();
    assert_eq!(dirs.len(), 1, "{dirs:?}");
    dirs[0].clone()
}

fn net_worth(env: &Env) -> serde_json::Value {
    env.run(Some(PASSWORD), &["networth", "Alice", "--at", "2030-01-01", "--json"]).ok().json()["net_worth"].clone()
}

#[test]
fn parallel_processes_guessing_one_profile_get_three_key_derivations_then_wait() {
    let env = Env::new();
    env.create("Alice");
    let csv = env.file("v.csv", &values_csv(30, 0));
    env.run(Some(PASSWORD), &["import", "Alice", csv.to_str().unwrap()]).ok();
    let file = env.run(Some(PASSWORD), &["backup", "create", "Alice"]).ok().stdout.trim().to_owned();
    let file_bytes = std::fs::read(&file).unwrap();
    let before = net_worth(&env);
    let listed_before = env.run(None, &["backup", "list", "Alice", "--json"]).ok().stdout;
    // Every path that tries a password on Alice, and what her audit log calls it: a
    // backup of a profile that is here opens with that profile's current password,
    // checked under its throttle as a restore.
    let paths: Vec<(Vec<&str>, &str)> = vec![
        (vec!["backup", "verify", &file], "restore:password"),
        (vec!["restore", &file, "--profile", "Alice"], "restore:password"),
        (vec!["check", "Alice"], "password"),
        (vec!["backup", "verify", &file], "restore:password"),
        (vec!["restore", &file], "restore:password"),
        (vec!["networth", "Alice"], "password"),
    ];
    let burst = || all_at_once(paths.iter().map(|(args, _)| env.command(Some(GUESS), &[], args)).collect());
    let start = Instant::now();
    let first = burst();
    let first_took = start.elapsed();
    let second = burst();
    let both_took = start.elapsed();
    let mut expected_methods = vec![];
    for (burst, runs) in [("first", &first), ("second", &second)] {
        for (run, (args, method)) in runs.iter().zip(&paths) {
            let c = code(run);
            assert!(c == "wrong_password" || c == "throttled", "{burst} burst, {args:?}: {}", run.stderr);
            if c == "wrong_password" {
                expected_methods.push(method.to_string());
            }
        }
    }
    let wrong = |runs: &[Run]| runs.iter().filter(|r| code(r) == "wrong_password").count();
    // Nobody is refused before three failures; and within the 5 s delay after the
    // third (both bursts are well within it on any ordinary machine) nobody else gets
    // a key derivation: the lock makes check-attempt-record one step across processes.
    assert!(
        wrong(&first) >= 3,
        "the three free attempts ran: {first:?}",
        first = first.iter().map(code).collect::<Vec<_>>()
    );
    if first_took < delay_after(3) {
        assert_eq!(wrong(&first), 3, "first burst: {:?}", first.iter().map(code).collect::<Vec<_>>());
    }
    if both_took < delay_after(3) {
        assert_eq!(wrong(&second), 0, "second burst: {:?}", second.iter().map(code).collect::<Vec<_>>());
    }
    // The right password waits too: the refusal comes before any derivation.
    let r = env.run(Some(PASSWORD), &["check", "Alice"]);
    if start.elapsed() < delay_after(3) {
        assert_eq!(code(&r), "throttled", "{}", r.stderr);
    }
    // Once the delay has passed, the right password opens the profile and the
    // failures go into its audit log: one entry per refused guess, by path, at times
    // that keep the schedule.
    let ok = after_the_delay(&env, PASSWORD, &["check", "Alice"]);
    assert_eq!(ok.code, 0, "{}", ok.stderr);
    let audit = env.run(Some(PASSWORD), &["audit", "Alice", "--limit", "500", "--json"]).ok().json();
    let events = audit.as_array().unwrap();
    let failed: Vec<&serde_json::Value> = events.iter().filter(|e| e["kind"] == "unlock_failed").collect();
    let mut methods: Vec<String> = failed.iter().map(|e| e["detail"].as_str().unwrap().to_owned()).collect();
    methods.sort();
    expected_methods.sort();
    assert_eq!(methods, expected_methods, "every guess is in the audit log, by path");
    let mut times: Vec<chrono::DateTime<chrono::Utc>> =
        failed.iter().map(|e| e["at"].as_str().unwrap().parse().unwrap()).collect();
    times.sort();
    for (k, w) in times.windows(2).enumerate() {
        let n = k as u32 + 1;
        let gap = (w[1] - w[0]).to_std().unwrap();
        assert!(gap >= delay_after(n), "failure {} came {gap:?} after failure {n}, before the delay", n + 1);
    }
    assert!(events.iter().any(|e| e["kind"] == "unlock_ok" && e["detail"] == "password"));
    assert!(!events.iter().any(|e| e["kind"] == "restore"), "no restore happened");
    // The counter was reset by that unlock: a guess now is a plain wrong password.
    assert_eq!(code(&env.run(Some(GUESS), &["check", "Alice"])), "wrong_password");
    // Nothing was lost or replaced.
    assert_eq!(std::fs::read(&file).unwrap(), file_bytes);
    assert_eq!(net_worth(&env), before);
    assert_eq!(env.run(None, &["backup", "list", "Alice", "--json"]).ok().stdout, listed_before);
    let aside = std::fs::read_dir(profile_dir(&env))
        .unwrap()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().starts_with("pre-restore-"))
        .count();
    assert_eq!(aside, 0, "no vault was set aside");
}

#[test]
fn guesses_on_backups_of_profiles_unknown_here_share_one_throttle() {
    // Two households' backups, brought to a computer that has no profile.
    let home = Env::new();
    home.create("Alice");
    let csv = home.file("v.csv", &values_csv(20, 0));
    home.run(Some(PASSWORD), &["import", "Alice", csv.to_str().unwrap()]).ok();
    let alice = home.run(Some(PASSWORD), &["backup", "create", "Alice"]).ok().stdout.trim().to_owned();
    let mallory_pw = "mallory's own password";
    let attacker = Env::new();
    let mallory_rk = attacker.dir.path().join("mallory-recovery.txt");
    attacker
        .run(Some(mallory_pw), &["profile", "create", "Mallory", "--recovery-key-out", mallory_rk.to_str().unwrap()])
        .ok();
    let mallory = attacker.run(Some(mallory_pw), &["backup", "create", "Mallory"]).ok().stdout.trim().to_owned();
    let fresh = Env::new();
    let new_pw = [("PATRIMOINE_NEW_PASSWORD", "a new password 123")];
    let start = Instant::now();
    // Three guesses, on two profiles' backups, by verification and by restore.
    let guesses = [
        fresh.run(Some(GUESS), &["backup", "verify", &alice]),
        fresh.run_env(Some(GUESS), &new_pw, &["restore", &alice, "--as-new", "Alice"]),
        fresh.run(Some(GUESS), &["backup", "verify", &mallory]),
    ];
    for r in &guesses {
        assert_eq!(code(r), "wrong_password", "{}", r.stderr);
    }
    // Then every attempt on any unknown profile's backup waits, the right password too.
    let refused = [
        fresh.run(Some(GUESS), &["backup", "verify", &alice]),
        fresh.run(Some(PASSWORD), &["backup", "verify", &alice]),
        fresh.run_env(Some(PASSWORD), &new_pw, &["restore", &alice]),
        fresh.run(Some(mallory_pw), &["backup", "verify", &mallory]),
    ];
    if start.elapsed() < delay_after(3) {
        for r in &refused {
            assert_eq!(code(r), "throttled", "{}", r.stderr);
        }
    }
    assert!(fresh.data().join("throttle").is_dir(), "the shared throttle folder");
    assert_eq!(fresh.run(None, &["profile", "list", "--json"]).ok().json(), serde_json::json!([]));
    // An attacker's own backup opens once the delay has passed, but does not reset the
    // shared counter: the next guess is the fourth failure, and the one after it waits
    // 10 s.
    let own = after_the_delay(&fresh, mallory_pw, &["backup", "verify", &mallory]);
    assert_eq!(own.code, 0, "{}", own.stderr);
    let fourth = fresh.run(Some(GUESS), &["backup", "verify", &alice]);
    assert_eq!(code(&fourth), "wrong_password", "{}", fourth.stderr);
    let fifth = fresh.run(Some(GUESS), &["backup", "verify", &alice]);
    assert_eq!(code(&fifth), "throttled", "{}", fifth.stderr);
    assert!(retry_after(&fifth) > 5, "the delay doubled: {}", fifth.stderr);
    // Nothing was installed.
    assert_eq!(fresh.run(None, &["profile", "list", "--json"]).ok().json(), serde_json::json!([]));
    let profiles: Vec<_> = std::fs::read_dir(fresh.data().join("profiles")).unwrap().flatten().collect();
    assert!(profiles.is_empty(), "{profiles:?}");
}

fn mode(p: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(p).unwrap().permissions().mode() & 0o777
}

fn set_mode(p: &Path, mode: u32) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(p, std::fs::Permissions::from_mode(mode)).unwrap();
}

/// The command without root's power to write anywhere: as root (CI containers) the
/// mode of a folder does not stop writes, so the CLI runs with no capabilities
/// (`setpriv`, util-linux), still as the owner of its own files.
fn as_ordinary_user(cmd: Command, env: &Env) -> Command {
    use std::os::unix::fs::MetadataExt;
    let root = std::fs::metadata(env.dir.path()).unwrap().uid() == 0;
    if !root {
        return cmd;
    }
    let mut w = Command::new("setpriv");
    w.args(["--bounding-set=-all", "--inh-caps=-all", "--"]).arg(cmd.get_program()).args(cmd.get_args());
    for (k, v) in cmd.get_envs() {
        match v {
            Some(v) => w.env(k, v),
            None => w.env_remove(k),
        };
    }
    w
}

fn run_as_ordinary_user(env: &Env, args: &[&str]) -> Run {
    let mut cmd = as_ordinary_user(env.command(Some(PASSWORD), &[], args), env);
    run_of(cmd.output().expect("the CLI (or setpriv, when running as root) starts"))
}

fn names(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> =
        std::fs::read_dir(dir).unwrap().flatten().map(|e| e.file_name().to_string_lossy().into_owned()).collect();
    v.sort();
    v
}

#[test]
fn a_read_only_destination_is_refused_and_what_the_cli_writes_is_private() {
    let env = Env::new();
    let rk = env.create("Alice");
    let csv = env.file("v.csv", &values_csv(20, 0));
    env.run(Some(PASSWORD), &["import", "Alice", csv.to_str().unwrap()]).ok();
    env.run(Some(PASSWORD), &["backup", "create", "Alice"]).ok();
    let backups = profile_dir(&env).join("backups");
    let own_before = names(&backups);

    // A folder nobody may write to: refused, nothing left in it, its mode kept.
    let ro = env.dir.path().join("read-only");
    std::fs::create_dir(&ro).unwrap();
    set_mode(&ro, 0o555);
    let mut touch = Command::new("touch");
    touch.arg(ro.join("probe"));
    let mut probe = as_ordinary_user(touch, &env);
    let probe = probe.stderr(Stdio::null()).status().unwrap();
    assert!(!probe.success(), "the test's read-only folder is writable");
    let named = ro.join("mine.patrimoine-backup");
    for out in [ro.to_str().unwrap(), named.to_str().unwrap()] {
        let r = run_as_ordinary_user(&env, &["backup", "create", "Alice", "--out", out]);
        assert_eq!(code(&r), "destination_unwritable", "--out {out}: {}", r.stderr);
        assert!(r.stdout.is_empty(), "no path printed: {}", r.stdout);
        assert_eq!(names(&ro), Vec::<String>::new(), "nothing left in the folder");
        assert_eq!(mode(&ro), 0o555);
    }
    assert_eq!(names(&backups), own_before, "the profile's own backups are untouched");
    // The same export works as soon as the folder can be written.
    set_mode(&ro, 0o755);
    let exported = PathBuf::from(
        run_as_ordinary_user(&env, &["backup", "create", "Alice", "--out", ro.to_str().unwrap()]).ok().stdout.trim(),
    );
    assert!(exported.starts_with(&ro));

    // A user's own export folder keeps its mode; the files are the owner's only.
    for folder_mode in [0o755, 0o750, 0o777] {
        let usb = env.dir.path().join(format!("usb-{folder_mode:o}"));
        std::fs::create_dir(&usb).unwrap();
        set_mode(&usb, folder_mode);
        let out = env.run(Some(PASSWORD), &["backup", "create", "Alice", "--out", usb.to_str().unwrap()]).ok();
        let file = PathBuf::from(out.stdout.trim());
        assert_eq!(mode(&usb), folder_mode, "the export folder's mode");
        assert_eq!(mode(&file), 0o600, "{}", file.display());
        let sidecar = PathBuf::from(format!("{}.sha256", file.display()));
        assert_eq!(mode(&sidecar), 0o600, "{}", sidecar.display());
        env.run(Some(PASSWORD), &["backup", "verify", file.to_str().unwrap()]).ok();
    }
    // The recovery key file, the JSON and CSV exports.
    assert_eq!(mode(&rk), 0o600);
    let json = env.dir.path().join("out.json");
    let csv_out = env.dir.path().join("out.csv");
    env.run(Some(PASSWORD), &["export", "Alice", "--json", json.to_str().unwrap()]).ok();
    env.run(Some(PASSWORD), &["export", "Alice", "--csv", csv_out.to_str().unwrap()]).ok();
    assert_eq!((mode(&json), mode(&csv_out)), (0o600, 0o600));
    // Replacing the master key (a password change) and restoring a backup made under
    // the old one (re-encrypted to the new key) write new vault files too.
    let old_backup = env.run(Some(PASSWORD), &["backup", "create", "Alice"]).ok().stdout.trim().to_owned();
    let new_pw = "a new password 456";
    env.run_env(Some(PASSWORD), &[("PATRIMOINE_NEW_PASSWORD", new_pw)], &["password", "change", "Alice"]).ok();
    env.run(Some(new_pw), &["restore", &old_backup]).ok();
    env.run(Some(new_pw), &["backup", "create", "Alice"]).ok();
    // The data folder: the root and every folder in it 0700, every file 0600.
    assert_eq!(mode(&env.data()), 0o700);
    assert_eq!(mode(&env.data().join("profiles.json")), 0o600);
    assert_private(&env.data());
    // The same on another computer, restoring as a new profile.
    let other = Env::new();
    let rk_out = other.dir.path().join("new-recovery.txt");
    other
        .run_env(
            Some(PASSWORD),
            &[("PATRIMOINE_NEW_PASSWORD", "the other computer 789")],
            &["restore", &old_backup, "--as-new", "Alice", "--recovery-key-out", rk_out.to_str().unwrap()],
        )
        .ok();
    assert_eq!(mode(&rk_out), 0o600);
    assert_eq!(mode(&other.data()), 0o700);
    assert_private(&other.data());
}

/// Every folder under `root` is 0700 and every file 0600.
fn assert_private(root: &Path) {
    let mut stack = vec![root.to_owned()];
    let (mut seen, mut wrong) = (0, vec![]);
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap().flatten() {
            let p = e.path();
            let ft = e.file_type().unwrap();
            if ft.is_dir() {
                if mode(&p) != 0o700 {
                    wrong.push(format!("{} {:o}", p.display(), mode(&p)));
                }
                stack.push(p);
            } else if ft.is_file() {
                if mode(&p) != 0o600 {
                    wrong.push(format!("{} {:o} ({} bytes)", p.display(), mode(&p), e.metadata().unwrap().len()));
                }
                seen += 1;
            }
        }
    }
    assert!(wrong.is_empty(), "not private:\n{}", wrong.join("\n"));
    assert!(seen >= 5, "files checked: {seen}");
}
