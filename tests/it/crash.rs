//! Crash tests: the real CLI is killed with SIGKILL at random moments while it makes a
//! backup, restores one, changes the password or imports (≥ 200 kills by default,
//! `PATRIMOINE_CRASH_KILLS=1000` for the long run, `PATRIMOINE_CRASH_SEED` to replay).
//! After every kill: the vault opens and passes its checks, the data is in a state
//! the interrupted command allows, every file named as a backup is complete and
//! authentic, an interrupted restore is finished or rolled back; and the newest
//! backup still restores on a blank data directory.

use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::{Duration, Instant};

use patrimoine_core::backup::store;
use patrimoine_core::keys::RecoveryKey;
use patrimoine_core::restore::{Credential, RestoreRequest, Target, MARKER};
use patrimoine_core::{DataDir, KdfChoice, Session};

use crate::backup::values_csv;
use crate::support::*;

const OTHER_PASSWORD: &str = "the other password 7";
const IMPORT_ROWS: usize = 60;

/// xorshift64*: enough randomness for kill times, and replayable from the seed.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
}

#[derive(Clone, Copy, Debug, PartialEq)]
enum Op {
    Backup,
    Restore,
    PasswordChange,
    Import,
}

struct World {
    env: Env,
    rk: RecoveryKey,
    known_backup: PathBuf,
    known_count: i64,
    password: &'static str,
    count: i64,
    imports: usize,
    /// Interrupted restores found at start: (finished, rolled back).
    recovered: (usize, usize),
    /// Partial backup files found after a kill.
    partials: usize,
}

impl World {
    fn args(&mut self, op: Op) -> (Vec<String>, Vec<(&'static str, String)>, Option<&'static str>) {
        match op {
            Op::Backup => (vec!["backup".into(), "create".into(), "Alice".into()], vec![], Some(self.password)),
            Op::Restore => (
                vec![
                    "restore".into(),
                    self.known_backup.to_string_lossy().into_owned(),
                    "--profile".into(),
                    "Alice".into(),
                ],
                vec![],
                // Into the profile: its current password (the one a kill left working).
                Some(self.password),
            ),
            Op::PasswordChange => {
                let next = if self.password == PASSWORD { OTHER_PASSWORD } else { PASSWORD };
                (
                    vec!["password".into(), "change".into(), "Alice".into()],
                    vec![("PATRIMOINE_NEW_PASSWORD", next.to_owned())],
                    Some(self.password),
                )
            }
            Op::Import => {
                self.imports += 1;
                let csv = self
                    .env
                    .file(&format!("import-{}.csv", self.imports), &values_csv(IMPORT_ROWS, 1000 + self.imports * 10));
                (vec!["import".into(), "Alice".into(), csv.to_string_lossy().into_owned()], vec![], Some(self.password))
            }
        }
    }

    /// Runs `op`; kills it after `after` unless it finished. Returns whether it was killed.
    fn run(&mut self, op: Op, after: Option<Duration>) -> (bool, Duration) {
        let (args, env, pw) = self.args(op);
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let started = Instant::now();
        let mut child = self.env.command(pw, &env, &args).stdout(Stdio::null()).stderr(Stdio::null()).spawn().unwrap();
        let killed = match after {
            Some(d) => {
                std::thread::sleep(d);
                match child.try_wait().unwrap() {
                    Some(_) => false,
                    None => {
                        child.kill().unwrap(); // SIGKILL on Unix
                        true
                    }
                }
            }
            None => false,
        };
        let status = child.wait().unwrap();
        if !killed {
            assert!(status.success(), "{op:?} failed without being killed");
        }
        (killed, started.elapsed())
    }

    /// Unlocks for the checks. The recovery key (HKDF) keeps the checks fast; after a
    /// password change, the password that works now is found (old or new, never none).
    fn unlock(&mut self, dd: &DataDir, op: Op) -> Session {
        if op == Op::PasswordChange {
            let other = if self.password == PASSWORD { OTHER_PASSWORD } else { PASSWORD };
            match dd.unlock_with_password("Alice", self.password) {
                Ok(s) => return s,
                Err(e) if e.code() == "wrong_password" => {
                    self.password = other;
                    return dd.unlock_with_password("Alice", other).unwrap();
                }
                Err(e) => panic!("cannot unlock after {op:?}: {e}"),
            }
        }
        dd.unlock_with_recovery_key("Alice", &self.rk).unwrap_or_else(|e| panic!("cannot unlock after {op:?}: {e}"))
    }

    /// Every invariant that must hold after a kill during `op`.
    fn check(&mut self, op: Op, restore_newest: bool) {
        let dd = DataDir::open(self.env.data()).unwrap();
        for r in dd.recover_interrupted().unwrap() {
            if r.finished {
                self.recovered.0 += 1;
            } else {
                self.recovered.1 += 1;
            }
        }
        let s = self.unlock(&dd, op);
        let dir = s.dir().to_owned();
        assert!(!dir.join(MARKER).exists(), "restore marker left after recovery");
        let h = s.vault().health().unwrap();
        assert!(h.is_ok(), "vault fails its checks after {op:?}: {h:?}");
        let count: i64 =
            s.vault().connection().query_row("SELECT count(*) FROM value_point", [], |r| r.get(0)).unwrap();
        let allowed: Vec<i64> = match op {
            Op::Backup | Op::PasswordChange => vec![self.count],
            Op::Import => vec![self.count, self.count + IMPORT_ROWS as i64],
            Op::Restore => vec![self.count, self.known_count],
        };
        assert!(allowed.contains(&count), "after {op:?}: {count} values, allowed {allowed:?}");
        self.count = count;
        for e in std::fs::read_dir(&dir).unwrap() {
            let name = e.unwrap().file_name().to_string_lossy().into_owned();
            assert!(!name.starts_with(".tmp-"), "temporary file left: {name}");
            // A crash inside an atomic write leaves its temporary file; opening the
            // profile removes it (a fresh one of the unlock counters only once stale).
            let fresh_counter = patrimoine_core::durable::is_atomic_temp(&name, Some("unlock-state.json"));
            assert!(
                !patrimoine_core::durable::is_atomic_temp(&name, None) || fresh_counter,
                "temporary file of an atomic write left: {name}"
            );
        }
        // Every file named as a backup is complete and authentic; partials are not listed.
        let backups = dir.join("backups");
        let listed = dd.list_backups("Alice").unwrap();
        let mut named = 0;
        for e in std::fs::read_dir(&backups).into_iter().flatten() {
            let p = e.unwrap().path();
            if p.to_string_lossy().ends_with(".partial") {
                self.partials += 1;
            }
            if p.extension().is_some_and(|x| x == store::EXTENSION) {
                named += 1;
                verify(&p, &self.rk);
                assert!(listed.iter().any(|l| l.header.path == p), "{} not listed", p.display());
            }
        }
        assert_eq!(named, listed.len());
        assert!(listed.iter().all(|l| !l.header.path.to_string_lossy().ends_with(".partial")));
        drop(s);
        if restore_newest {
            if let Some(newest) = listed.first() {
                let t = tempfile::tempdir().unwrap();
                let fresh = DataDir::open(t.path()).unwrap();
                let req = RestoreRequest {
                    credential: Credential::RecoveryKey(&self.rk),
                    new_password: Some("restored password 1"),
                    target: Target::Auto,
                    admin: None,
                    kdf: KdfChoice::Fixed(patrimoine_core::keys::KdfParams::MIN),
                };
                let r = fresh.restore(&newest.header.path, &req).unwrap();
                assert!(r.session.vault().health().unwrap().is_ok());
            }
        }
    }
}

fn verify(path: &Path, rk: &RecoveryKey) {
    let (parsed, _) = store::read_header_of(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mk = parsed.header.unlock_with_recovery_key(rk).unwrap();
    store::verify_file(path, &mk).unwrap_or_else(|e| panic!("{} does not verify: {e}", path.display()));
}

#[test]
fn killing_the_cli_at_random_moments_never_loses_or_corrupts_data() {
    let kills: usize = std::env::var("PATRIMOINE_CRASH_KILLS").ok().and_then(|v| v.parse().ok()).unwrap_or(200);
    let seed: u64 = std::env::var("PATRIMOINE_CRASH_SEED").ok().and_then(|v| v.parse().ok()).unwrap_or_else(|| {
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_nanos() as u64 | 1
    });
    eprintln!("crash test: {kills} kills, PATRIMOINE_CRASH_SEED={seed}");
    let mut rng = Rng(seed);
    let env = Env::new();
    let rk_file = env.create("Alice");
    let rk = RecoveryKey::parse(&std::fs::read_to_string(&rk_file).unwrap()).unwrap();
    let csv = env.file("base.csv", &values_csv(600, 0));
    env.run(Some(PASSWORD), &["import", "Alice", csv.to_str().unwrap()]).ok();
    let kept = env.dir.path().join("kept");
    std::fs::create_dir(&kept).unwrap();
    let known = env.run(Some(PASSWORD), &["backup", "create", "Alice", "--out", kept.to_str().unwrap()]).ok();
    let mut w = World {
        rk,
        known_backup: PathBuf::from(known.stdout.trim()),
        known_count: 600,
        password: PASSWORD,
        count: 600,
        imports: 0,
        recovered: (0, 0),
        partials: 0,
        env,
    };
    // One import so the live state differs from the known backup, and timings.
    let ops = [Op::Backup, Op::Restore, Op::PasswordChange, Op::Import];
    let mut durations = [Duration::ZERO; 4];
    for (i, op) in ops.iter().enumerate() {
        let (_, took) = w.run(*op, None);
        durations[i] = took;
        w.check(*op, false);
    }
    let started = Instant::now();
    let (mut done, mut attempts) = (0, 0);
    while done < kills {
        let i = attempts % ops.len();
        attempts += 1;
        // Half the kills anywhere in the run, half in its second half, where the work
        // after the key derivation happens (writes, renames, the restore's swap).
        let t = durations[i].as_micros() as u64;
        let after = if attempts % 2 == 0 {
            Duration::from_micros(rng.below(t * 11 / 10))
        } else {
            Duration::from_micros(t / 2 + rng.below(t * 6 / 10))
        };
        let (killed, took) = w.run(ops[i], Some(after));
        if killed {
            done += 1;
        } else {
            // It finished first: the machine got faster; follow it.
            durations[i] = (durations[i] * 3 + took) / 4;
        }
        w.check(ops[i], done % 25 == 0 && killed);
    }
    w.check(Op::Backup, true);
    eprintln!(
        "crash test: {done} kills in {attempts} runs, {:.1} s; interrupted restores finished {}, rolled back {}; \
         partial backup files seen (never listed) {}",
        started.elapsed().as_secs_f64(),
        w.recovered.0,
        w.recovered.1,
        w.partials
    );
    assert!(attempts < kills * 4, "most runs should be killed before they finish");
}

/// Deterministic crashes at each step of a restore and of a backup (debug builds abort
/// at `PATRIMOINE_CRASH_AT`): a restore stopped before its marker is rolled back, one
/// stopped after it is finished; a backup stopped before its rename leaves no backup.
#[test]
fn a_crash_at_each_step_is_finished_or_rolled_back() {
    let env = Env::new();
    let rk_file = env.create("Alice");
    let rk = RecoveryKey::parse(&std::fs::read_to_string(&rk_file).unwrap()).unwrap();
    let csv = env.file("base.csv", &values_csv(90, 0));
    env.run(Some(PASSWORD), &["import", "Alice", csv.to_str().unwrap()]).ok();
    let kept = env.dir.path().join("kept");
    std::fs::create_dir(&kept).unwrap();
    let known = env.run(Some(PASSWORD), &["backup", "create", "Alice", "--out", kept.to_str().unwrap()]).ok();
    let known = known.stdout.trim().to_owned();
    let count = || -> i64 {
        let dd = DataDir::open(env.data()).unwrap();
        dd.recover_interrupted().unwrap();
        let s = dd.unlock_with_password("Alice", PASSWORD).unwrap();
        assert!(s.vault().health().unwrap().is_ok());
        assert!(!s.dir().join(MARKER).exists());
        s.vault().connection().query_row("SELECT count(*) FROM value_point", [], |r| r.get(0)).unwrap()
    };
    for (i, (point, finished)) in
        [("restore_candidate", false), ("restore_marker", true), ("restore_moved", true), ("restore_swapped", true)]
            .into_iter()
            .enumerate()
    {
        let more = env.file(&format!("more{i}.csv"), &values_csv(30, 500 + i * 10));
        env.run(Some(PASSWORD), &["import", "Alice", more.to_str().unwrap()]).ok();
        let before = count();
        assert_ne!(before, 90);
        let r = env.run_env(Some(PASSWORD), &[("PATRIMOINE_CRASH_AT", point)], &["restore", &known]);
        assert_ne!(r.code, 0, "{point}: the CLI should have crashed");
        let after = count();
        assert_eq!(after, if finished { 90 } else { before }, "crash at {point}");
    }
    for (point, named) in [("backup_written", false), ("backup_renamed", true)] {
        let dd = DataDir::open(env.data()).unwrap();
        let listed = dd.list_backups("Alice").unwrap().len();
        let r = env.run_env(Some(PASSWORD), &[("PATRIMOINE_CRASH_AT", point)], &["backup", "create", "Alice"]);
        assert_ne!(r.code, 0, "{point}: the CLI should have crashed");
        let now = dd.list_backups("Alice").unwrap();
        assert_eq!(now.len(), listed + usize::from(named), "crash at {point}");
        for b in &now {
            verify(&b.header.path, &rk);
        }
        // The next backup cleans the partial file up.
        env.run(Some(PASSWORD), &["backup", "create", "Alice"]).ok();
        let dir = now.first().map(|b| b.header.path.parent().unwrap().to_owned());
        if let Some(dir) = dir {
            assert!(std::fs::read_dir(dir)
                .unwrap()
                .flatten()
                .all(|e| !e.file_name().to_string_lossy().ends_with(".partial")));
        }
    }
    // Replacing the master key (a password change): before the intent marker the old
    // password still opens the profile; from the marker on, the next start finishes
    // the swap and the new one does. Never neither, never both, data unchanged.
    let before = count();
    let mut current = PASSWORD;
    for (point, finished) in
        [("rekey_candidate", false), ("rekey_marker", true), ("rekey_slots", true), ("rekey_renamed", true)]
    {
        let next = if current == PASSWORD { OTHER_PASSWORD } else { PASSWORD };
        let r = env.run_env(
            Some(current),
            &[("PATRIMOINE_CRASH_AT", point), ("PATRIMOINE_NEW_PASSWORD", next)],
            &["password", "change", "Alice"],
        );
        assert_ne!(r.code, 0, "{point}: the CLI should have crashed");
        let dd = DataDir::open(env.data()).unwrap();
        dd.recover_interrupted().unwrap();
        let (works, fails) = if finished { (next, current) } else { (current, next) };
        assert_eq!(dd.unlock_with_password("Alice", fails).err().unwrap().code(), "wrong_password", "crash at {point}");
        let s = dd.unlock_with_password("Alice", works).unwrap();
        assert!(s.vault().health().unwrap().is_ok(), "crash at {point}");
        assert!(!s.dir().join(patrimoine_core::rotation::MARKER).exists());
        let n: i64 = s.vault().connection().query_row("SELECT count(*) FROM value_point", [], |r| r.get(0)).unwrap();
        assert_eq!(n, before, "crash at {point}");
        // The recovery key opens it whichever key the vault ended under.
        drop(s);
        drop(dd.unlock_with_recovery_key("Alice", &rk).unwrap());
        current = works;
    }
}
