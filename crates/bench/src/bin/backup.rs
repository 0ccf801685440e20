//! Backup benchmark: on the generated benchmark profile (1,000,000 value points), times
//! a backup with its read-back verification, a verification, and a restore, with the
//! peak memory of each (in a child process), at two profile sizes to show memory does
//! not grow with the vault; and, on the same vault file in the same run, the tools a
//! user would pick instead: `restic backup` + `restic check --read-data`, `gpg
//! --symmetric` + decrypt, `sqlite3 .backup` + `age` encrypt + `age` decrypt.
//!
//! Run: `cargo run --release -p patrimoine-bench --bin backup` (`-- --quick` for a 10×
//! smaller profile). Needs `restic`, `gpg`, `age`, `sqlite3` and GNU `time` on PATH
//! (Debian packages of those names); a missing tool's rows are skipped.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use chrono::NaiveDate;
use patrimoine_core::generate::{self, Spec};
use patrimoine_core::keys::{KdfParams, RecoveryKey};
use patrimoine_core::restore::{Credential, RestoreRequest, Target};
use patrimoine_core::{CreateOptions, DataDir, KdfChoice};

const RUNS: usize = 3;

fn peak_rss_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines().find(|l| l.starts_with("VmHWM:")).and_then(|l| l.split_whitespace().nth(1)?.parse().ok())
        })
        .unwrap_or(0)
}

/// The child side: one operation, then "seconds peak_rss_kib" on stdout.
fn child(mode: &str, data: &Path, rk_file: &Path, arg: Option<&str>) {
    let rk = RecoveryKey::parse(&std::fs::read_to_string(rk_file).expect("rk")).expect("rk parses");
    let dd = DataDir::open(data).expect("data dir");
    let (elapsed, out) = match mode {
        "backup" => {
            let s = dd.unlock_with_recovery_key("Bench", &rk).expect("unlock");
            let t = Instant::now();
            let e = s.backup_now().expect("backup");
            (t.elapsed(), e.header.path.display().to_string())
        }
        "backup-checked" => {
            // An export checks its snapshot (format 1.1), as the daily automatic backup does.
            let s = dd.unlock_with_recovery_key("Bench", &rk).expect("unlock");
            let out = data.parent().expect("parent").join("exports");
            std::fs::create_dir_all(&out).expect("exports");
            let t = Instant::now();
            let e = s.export_backup(&out).expect("export");
            (t.elapsed(), e.path.display().to_string())
        }
        "verify" => {
            let file = PathBuf::from(arg.expect("file"));
            let t = Instant::now();
            dd.verify_backup(&file, &Credential::RecoveryKey(&rk)).expect("verify");
            (t.elapsed(), String::new())
        }
        "restore" => {
            let file = PathBuf::from(arg.expect("file"));
            let target = tempfile::tempdir_in(data.parent().expect("parent")).expect("dir");
            let fresh = DataDir::open(target.path()).expect("fresh");
            let req = RestoreRequest {
                credential: Credential::RecoveryKey(&rk),
                new_password: Some("restored password"),
                target: Target::Auto,
                admin: None,
                kdf: KdfChoice::Fixed(KdfParams::MIN),
            };
            let t = Instant::now();
            let s = fresh.restore(&file, &req).expect("restore");
            let elapsed = t.elapsed();
            drop(s);
            (elapsed, String::new())
        }
        "restore-own" => {
            // Settings > Backups > Restore: one of the profile's own backups, with the
            // open session's key (no KDF).
            let file = PathBuf::from(arg.expect("file"));
            let s = dd.unlock_with_recovery_key("Bench", &rk).expect("unlock");
            let t = Instant::now();
            let s = dd.restore_from_session(s, &file).unwrap_or_else(|f| panic!("restore: {}", f.error));
            let elapsed = t.elapsed();
            drop(s);
            (elapsed, String::new())
        }
        other => panic!("unknown child mode {other}"),
    };
    println!("{} {} {}", elapsed.as_secs_f64(), peak_rss_kib(), out);
}

fn run_child(mode: &str, data: &Path, rk: &Path, arg: Option<&str>) -> (f64, u64, String) {
    let exe = std::env::current_exe().expect("exe");
    let mut cmd = Command::new(exe);
    cmd.args(["--child", mode]).arg(data).arg(rk);
    if let Some(a) = arg {
        cmd.arg(a);
    }
    let out = cmd.output().expect("child runs");
    assert!(out.status.success(), "child {mode}: {}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    let mut it = text.split_whitespace();
    let secs = it.next().and_then(|s| s.parse().ok()).expect("secs");
    let rss = it.next().and_then(|s| s.parse().ok()).expect("rss");
    (secs, rss, it.next().unwrap_or("").to_owned())
}

/// Runs a shell pipeline step under GNU time; returns (seconds, peak RSS KiB).
fn timed(cmdline: &str, env: &[(&str, &str)]) -> Option<(f64, u64)> {
    let tmp = std::env::temp_dir().join(format!("bench-time-{}", std::process::id()));
    let mut cmd = Command::new("/usr/bin/time");
    cmd.args(["-f", "%e %M", "-o"]).arg(&tmp).args(["sh", "-c", cmdline]);
    for (k, v) in env {
        cmd.env(k, v);
    }
    let t = Instant::now();
    let out = cmd.output().ok()?;
    let secs = t.elapsed().as_secs_f64();
    if !out.status.success() {
        eprintln!("`{cmdline}` failed: {}", String::from_utf8_lossy(&out.stderr));
        return None;
    }
    let text = std::fs::read_to_string(&tmp).ok()?;
    let _ = std::fs::remove_file(&tmp);
    let rss = text.split_whitespace().nth(1)?.parse().ok()?;
    Some((secs, rss))
}

fn has(tool: &str) -> bool {
    Command::new("sh").args(["-c", &format!("command -v {tool}")]).output().is_ok_and(|o| o.status.success())
}

fn median(mut xs: Vec<f64>) -> f64 {
    xs.sort_by(f64::total_cmp);
    xs[xs.len() / 2]
}

struct Row {
    what: String,
    backup: f64,
    restore: f64,
    /// Peak RSS of the backup side and of the restore side.
    rss_kib: (u64, u64),
}

fn make_profile(root: &Path, spec: &Spec) -> (PathBuf, PathBuf, PathBuf) {
    let data = root.join("data");
    let dd = DataDir::open(&data).expect("data dir");
    let created = dd
        .create_profile(
            "Bench",
            "benchmark password",
            &CreateOptions { base_currency: "EUR".into(), kdf: KdfChoice::Fixed(KdfParams::MIN) },
            None,
        )
        .expect("profile");
    let rk = root.join("rk.txt");
    std::fs::write(&rk, created.recovery_key.display().as_str()).expect("rk");
    generate::populate(created.session.vault(), spec).expect("populate");
    // A plain SQLite copy of the same synthetic data for `sqlite3 .backup`, which cannot
    // open the encrypted vault.
    let plain = root.join("plain.db");
    created
        .session
        .vault()
        .connection()
        .execute_batch(&format!(
            "ATTACH DATABASE '{}' AS plain KEY ''; SELECT sqlcipher_export('plain'); DETACH DATABASE plain;
             PRAGMA wal_checkpoint(TRUNCATE);",
            plain.display()
        ))
        .expect("plain copy");
    drop(created);
    (data, rk, plain)
}

/// The runs of one step: their times and the largest peak RSS.
#[derive(Default)]
struct Samples {
    secs: Vec<f64>,
    rss_kib: u64,
}

impl Samples {
    /// Runs the step in a child process, records it, returns the child's output.
    fn run(&mut self, mode: &str, data: &Path, rk: &Path, arg: Option<&str>) -> String {
        let (secs, rss, out) = run_child(mode, data, rk, arg);
        self.secs.push(secs);
        self.rss_kib = self.rss_kib.max(rss);
        out
    }

    fn median(&self) -> f64 {
        median(self.secs.clone())
    }
}

fn ours(data: &Path, rk: &Path) -> (Row, Row, Row, Row, Row) {
    let (mut b, mut v, mut r) = (Samples::default(), Samples::default(), Samples::default());
    let (mut cb, mut cr) = (Samples::default(), Samples::default());
    let (mut own_checked, mut own) = (Samples::default(), Samples::default());
    for _ in 0..RUNS {
        let file = cb.run("backup-checked", data, rk, None);
        cr.run("restore", data, rk, Some(&file));
        own_checked.run("restore-own", data, rk, Some(&file));
        let _ = std::fs::remove_file(&file);
        let _ = std::fs::remove_file(format!("{file}.sha256"));
        let file = b.run("backup", data, rk, None);
        v.run("verify", data, rk, Some(&file));
        r.run("restore", data, rk, Some(&file));
        own.run("restore-own", data, rk, Some(&file));
    }
    let own_row =
        |what: &str, s: &Samples| Row { what: what.into(), backup: 0.0, restore: s.median(), rss_kib: (0, s.rss_kib) };
    (
        Row {
            what: "Patrimoine: backup (snapshot, encrypt, fsync, read back + verify) / restore (decrypt, checks, swap)"
                .into(),
            backup: b.median(),
            restore: r.median(),
            rss_kib: (b.rss_kib, r.rss_kib),
        },
        Row {
            what: "Patrimoine: \"Verify backups\" of one file (decrypt to a temp vault, every integrity check)".into(),
            backup: v.median(),
            restore: 0.0,
            rss_kib: (v.rss_kib, 0),
        },
        Row {
            what: "Patrimoine, checked snapshot (daily automatic backup, export): backup with integrity + foreign-key checks / restore relying on them (format 1.1)".into(),
            backup: cb.median(),
            restore: cr.median(),
            rss_kib: (cb.rss_kib, cr.rss_kib),
        },
        own_row("Patrimoine, restore from the open app (Settings > Backups; the session's key, no KDF) of a checked backup", &own_checked),
        own_row("Patrimoine, restore from the open app (the session's key, no KDF) of an unchecked backup", &own),
    )
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.get(1).map(String::as_str) == Some("--child") {
        child(&args[2], Path::new(&args[3]), Path::new(&args[4]), args.get(5).map(String::as_str));
        return;
    }
    let quick = args.iter().any(|a| a == "--quick");
    let end = NaiveDate::from_ymd_opt(2026, 6, 30).expect("date");
    let full = Spec::benchmark(end);
    let small = Spec { assets: full.assets / 10, points: full.points / 10, ..full };
    let sizes: Vec<Spec> = if quick { vec![Spec { points: 10_000, ..small }, small] } else { vec![small, full] };
    let tmp = tempfile::tempdir_in(std::env::var("BENCH_DIR").unwrap_or_else(|_| "/var/tmp".into()))
        .or_else(|_| tempfile::tempdir())
        .expect("temp dir");

    let mut memory = vec![];
    let mut rows = vec![];
    let mut vault_size = 0;
    for (i, spec) in sizes.iter().enumerate() {
        let root = tmp.path().join(format!("size{i}"));
        std::fs::create_dir_all(&root).expect("root");
        let (data, rk, plain) = make_profile(&root, spec);
        let dd = DataDir::open(&data).expect("dd");
        let vault = dd.profile_dir(&dd.profile("Bench").expect("p")).join("vault.db");
        let size = std::fs::metadata(&vault).map(|m| m.len()).unwrap_or(0);
        let (row, verify, checked, own_checked, own) = ours(&data, &rk);
        memory.push((spec.points, size, row.rss_kib.0, verify.rss_kib.0, row.rss_kib.1));
        if i + 1 < sizes.len() {
            continue;
        }
        vault_size = size;
        rows.push(row);
        rows.push(verify);
        rows.push(checked);
        rows.push(own_checked);
        rows.push(own);
        peers(&root, &vault, &plain, &mut rows);
    }

    println!(
        "Profile: {} value points; vault file {:.1} MB; median of {RUNS} runs; each step a separate process.\n",
        sizes.last().expect("size").points,
        vault_size as f64 / 1e6
    );
    println!("| tool | backup + verification | restore | peak RSS backup | peak RSS restore |");
    println!("|---|---|---|---|---|");
    for r in &rows {
        let restore = if r.restore > 0.0 { format!("{:.2} s", r.restore) } else { "".into() };
        let rrss = if r.rss_kib.1 > 0 { format!("{} MiB", r.rss_kib.1 / 1024) } else { "".into() };
        let backup = if r.backup > 0.0 { format!("{:.2} s", r.backup) } else { "".into() };
        let brss = if r.rss_kib.0 > 0 { format!("{} MiB", r.rss_kib.0 / 1024) } else { "".into() };
        println!("| {} | {backup} | {restore} | {brss} | {rrss} |", r.what);
    }
    println!("\n| value points | vault file | peak RSS, backup | peak RSS, verify | peak RSS, restore |");
    println!("|---|---|---|---|---|");
    for (points, size, rss, vrss, rrss) in memory {
        println!(
            "| {points} | {:.1} MB | {} MiB | {} MiB | {} MiB |",
            size as f64 / 1e6,
            rss / 1024,
            vrss / 1024,
            rrss / 1024
        );
    }
}

fn peers(root: &Path, vault: &Path, plain: &Path, rows: &mut Vec<Row>) {
    let v = vault.display().to_string();
    let dir = root.join("peers");
    std::fs::create_dir_all(&dir).expect("peers dir");
    let d = dir.display().to_string();
    let pw_file = dir.join("pw");
    std::fs::write(&pw_file, "benchmark password").expect("pw");
    let pw = pw_file.display().to_string();
    let mut add = |what: &str,
                   backup: &[(&str, Vec<(&str, &str)>)],
                   restore: &[(&str, Vec<(&str, &str)>)],
                   setup: &str,
                   env: Vec<(&str, &str)>| {
        let (mut bs, mut rs, mut rss, mut rrss) = (vec![], vec![], 0, 0);
        for _ in 0..RUNS {
            if !setup.is_empty() && timed(setup, &env).is_none() {
                return;
            }
            let mut total = 0.0;
            for (c, e) in backup {
                let Some((s, m)) = timed(c, e) else { return };
                total += s;
                rss = rss.max(m);
            }
            bs.push(total);
            let mut total = 0.0;
            for (c, e) in restore {
                let Some((s, m)) = timed(c, e) else { return };
                total += s;
                rrss = rrss.max(m);
            }
            rs.push(total);
        }
        rows.push(Row { what: what.into(), backup: median(bs), restore: median(rs), rss_kib: (rss, rrss) });
    };
    if has("restic") {
        let env = vec![("RESTIC_PASSWORD", "benchmark password")];
        let repo = format!("{d}/restic");
        let e = |_: ()| vec![("RESTIC_PASSWORD", "benchmark password")];
        add(
            "restic backup + check --read-data / restore",
            &[
                (&format!("restic -q -r {repo} backup {v}"), e(())),
                (&format!("restic -q -r {repo} check --read-data"), e(())),
            ],
            &[(&format!("rm -rf {d}/rr && restic -q -r {repo} restore latest --target {d}/rr"), e(()))],
            &format!("rm -rf {repo} && restic -q -r {repo} init"),
            env,
        );
    }
    if has("gpg") {
        let g =
            format!("gpg --batch --yes --quiet --homedir {d}/gnupg --pinentry-mode loopback --passphrase-file {pw}");
        add(
            "gpg --symmetric (no compression) + decrypt / decrypt",
            &[
                (&format!("{g} --compress-algo none --symmetric -o {d}/v.gpg {v}"), vec![]),
                (&format!("{g} --decrypt -o /dev/null {d}/v.gpg"), vec![]),
            ],
            &[(&format!("{g} --decrypt -o {d}/v.restored {d}/v.gpg"), vec![])],
            &format!("mkdir -p -m 700 {d}/gnupg"),
            vec![],
        );
    }
    if has("age") && has("sqlite3") && has("age-keygen") {
        let p = plain.display().to_string();
        add(
            "sqlite3 .backup + age encrypt + age decrypt (plain SQLite copy) / age decrypt",
            &[
                (&format!("rm -f {d}/snap.db && sqlite3 {p} \".backup {d}/snap.db\""), vec![]),
                (&format!("age -R {d}/age.pub -o {d}/snap.age {d}/snap.db"), vec![]),
                (&format!("age -d -i {d}/age.key -o /dev/null {d}/snap.age"), vec![]),
            ],
            &[(&format!("age -d -i {d}/age.key -o {d}/snap.restored {d}/snap.age"), vec![])],
            &format!(
                "rm -f {d}/age.key && age-keygen -o {d}/age.key 2>/dev/null && age-keygen -y {d}/age.key > {d}/age.pub"
            ),
            vec![],
        );
    }
}
