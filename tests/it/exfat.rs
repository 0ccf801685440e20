//! Exports to a real exFAT stick: a 64 MiB exFAT image attached to a loop device and
//! mounted through FUSE (`mount.exfat-fuse`; this kernel has no FAT/exFAT driver), as a
//! user's stick would be. Through the real CLI: exports into the stick's root and to a
//! named file in a folder of the user's, `backup verify` and `sha256sum -c` of what is
//! on the stick after it was unplugged and plugged in again, and a restore from it on
//! another computer. exFAT has no Unix modes (exfat-fuse shows every file 0777 and
//! takes a chmod as a no-op; the kernel driver refuses modes it cannot store), so the
//! promise that the app never changes the mode of a folder it did not create is checked
//! on the system calls: every CLI run touching the stick runs under strace, and none of
//! its chmod calls may name anything on the stick.
//!
//! Needs root, /dev/fuse, losetup, mkfs.exfat and fsck.exfat (exfatprogs),
//! mount.exfat-fuse (exfat-fuse), umount and strace: `.ci/setup` installs them. The
//! test never skips: a setup step that fails fails it, naming the step.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use crate::backup::values_csv;
use crate::support::*;

const NEW_PASSWORD: &str = "the other computer 789";

/// Runs a setup or cleanup command; `Err` says which step failed and how.
fn try_step(step: &str, cmd: &mut Command) -> Result<String, String> {
    match cmd.output() {
        Err(e) => Err(format!("exFAT stick: step '{step}' could not start ({cmd:?}): {e}")),
        Ok(out) if !out.status.success() => Err(format!(
            "exFAT stick: step '{step}' failed ({cmd:?}, {}): {}{}",
            out.status,
            String::from_utf8_lossy(&out.stderr).trim(),
            String::from_utf8_lossy(&out.stdout).trim()
        )),
        Ok(out) => Ok(String::from_utf8_lossy(&out.stdout).into_owned()),
    }
}

fn step(name: &str, cmd: &mut Command) -> String {
    try_step(name, cmd).unwrap_or_else(|e| panic!("{e}"))
}

/// Whether `dir` is a FUSE block-device mount point (the exFAT stick), from mountinfo.
fn is_fuse_mount(dir: &Path) -> bool {
    let info = std::fs::read_to_string("/proc/self/mountinfo").unwrap_or_default();
    let dir = dir.to_string_lossy();
    info.lines().any(|l| {
        let fields: Vec<&str> = l.split_whitespace().collect();
        let fstype = l.split(" - ").nth(1).and_then(|rest| rest.split_whitespace().next());
        fields.get(4) == Some(&dir.as_ref()) && fstype == Some("fuseblk")
    })
}

/// A 64 MiB exFAT image on a loop device, mounted through FUSE. Dropping it unmounts
/// and detaches it, also when an assertion failed on the way.
struct Stick {
    mount: PathBuf,
    device: Option<String>,
    mounted: bool,
    // Last: removed after the unmount and the detach.
    _dir: tempfile::TempDir,
}

impl Stick {
    fn new() -> Stick {
        let dir = tempfile::tempdir().unwrap();
        // Canonical, so that strace's paths (resolved by the kernel) start with it.
        let root = dir.path().canonicalize().unwrap();
        let image = root.join("stick.img");
        let mount = root.join("stick");
        std::fs::create_dir(&mount).unwrap();
        step("truncate -s 64M (the image)", Command::new("truncate").arg("-s").arg("64M").arg(&image));
        step("mkfs.exfat (exfatprogs)", Command::new("mkfs.exfat").args(["-L", "PATRIMOINE"]).arg(&image));
        let mut stick = Stick { mount, device: None, mounted: false, _dir: dir };
        let device = step(
            "losetup --find --show (attach the image)",
            Command::new("losetup").arg("--find").arg("--show").arg(&image),
        );
        let device = device.trim().to_owned();
        assert!(device.starts_with("/dev/loop"), "exFAT stick: losetup printed no loop device: {device:?}");
        stick.device = Some(device);
        stick.plug_in();
        stick
    }

    fn device(&self) -> &str {
        self.device.as_deref().expect("attached")
    }

    /// Mounts the stick. The FUSE daemon of a previous mount may still hold the device
    /// for a moment after its unmount: a refused mount is retried for a few seconds.
    fn plug_in(&mut self) {
        let mut last = String::new();
        for _ in 0..20 {
            match try_step(
                "mount.exfat-fuse (exfat-fuse; needs root and /dev/fuse)",
                Command::new("mount.exfat-fuse").arg(self.device()).arg(&self.mount),
            ) {
                Ok(_) => {
                    self.mounted = true;
                    break;
                }
                Err(e) => last = e,
            }
            std::thread::sleep(Duration::from_millis(250));
        }
        assert!(self.mounted, "{last}");
        for _ in 0..40 {
            if is_fuse_mount(&self.mount) {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        panic!("exFAT stick: mount.exfat-fuse succeeded but {} is not a fuseblk mount", self.mount.display());
    }

    /// Unmounts the stick (what "eject" does: the FUSE daemon writes everything out).
    fn unplug(&mut self) {
        step("umount (unmount the stick)", Command::new("umount").arg(&self.mount));
        self.mounted = false;
        assert!(!is_fuse_mount(&self.mount), "exFAT stick: still mounted after umount");
    }
}

impl Drop for Stick {
    fn drop(&mut self) {
        let mut problems = vec![];
        if self.mounted {
            let unmounted = try_step("umount", Command::new("umount").arg(&self.mount))
                .or_else(|_| try_step("fusermount -u", Command::new("fusermount").arg("-u").arg(&self.mount)))
                .or_else(|_| try_step("umount -l", Command::new("umount").arg("-l").arg(&self.mount)));
            if let Err(e) = unmounted {
                problems.push(e);
            }
        }
        if let Some(dev) = self.device.take() {
            // Busy for a moment while the FUSE daemon exits; `-d` then still marks it
            // to be freed when the last user closes it.
            let mut detached = Err(String::new());
            for _ in 0..20 {
                detached = try_step("losetup -d (detach the image)", Command::new("losetup").arg("-d").arg(&dev));
                if detached.is_ok() {
                    break;
                }
                std::thread::sleep(Duration::from_millis(250));
            }
            if let Err(e) = detached {
                problems.push(e);
            }
        }
        if !problems.is_empty() {
            if std::thread::panicking() {
                eprintln!("exFAT stick cleanup: {}", problems.join("; "));
            } else {
                panic!("exFAT stick cleanup: {}", problems.join("; "));
            }
        }
    }
}

/// Runs the CLI under strace, logging its chmod-family system calls (with the paths of
/// descriptors) to `log`. Returns the run.
fn traced(env: &Env, password: Option<&str>, vars: &[(&str, &str)], args: &[&str], log: &Path) -> Run {
    let inner = env.command(password, vars, args);
    let mut cmd = Command::new("strace");
    cmd.args(["-f", "-y", "-qq", "-e", "trace=/chmod", "-o"]).arg(log).arg("--");
    cmd.arg(inner.get_program()).args(inner.get_args());
    for (k, v) in inner.get_envs() {
        match v {
            Some(v) => cmd.env(k, v),
            None => cmd.env_remove(k),
        };
    }
    let out = cmd.output().unwrap_or_else(|e| panic!("exFAT stick: strace could not start: {e}"));
    let run = Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    };
    assert!(log.exists(), "strace wrote no log for {args:?}: {}", run.stderr);
    run
}

/// The chmod-family calls in strace logs that name something under `root`.
fn chmods_under(logs: &[PathBuf], root: &Path) -> Vec<String> {
    let root = root.to_string_lossy();
    logs.iter()
        .flat_map(|l| std::fs::read_to_string(l).unwrap().lines().map(str::to_owned).collect::<Vec<_>>())
        .filter(|l| l.contains("chmod") && l.contains(root.as_ref()))
        .collect()
}

/// The names in a folder, sorted.
fn names(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> =
        std::fs::read_dir(dir).unwrap().flatten().map(|e| e.file_name().to_string_lossy().into_owned()).collect();
    v.sort();
    v
}

fn net_worth(env: &Env, password: &str) -> serde_json::Value {
    env.run(Some(password), &["networth", "Alice", "--at", "2030-01-01", "--json"]).ok().json()["net_worth"].clone()
}

#[test]
fn exports_to_an_exfat_stick_verify_and_restore_on_another_computer() {
    let mut stick = Stick::new();
    let mnt = stick.mount.clone();
    let logs_dir = tempfile::tempdir().unwrap();
    let mut logs = vec![];
    let mut log = |what: &str| {
        let p = logs_dir.path().join(format!("{}-{what}.strace", logs.len()));
        logs.push(p.clone());
        p
    };

    let env = Env::new();
    env.create("Alice");
    let csv = env.file("v.csv", &values_csv(30, 0));
    env.run(Some(PASSWORD), &["import", "Alice", csv.to_str().unwrap()]).ok();
    let before = net_worth(&env, PASSWORD);
    assert_ne!(before, serde_json::json!(0), "the import gave Alice something to back up");

    // Into the stick's root, as a folder: the app names the file.
    let r =
        traced(&env, Some(PASSWORD), &[], &["backup", "create", "Alice", "--out", mnt.to_str().unwrap()], &log("root"));
    let r = r.ok();
    let in_root = PathBuf::from(r.stdout.trim());
    assert_eq!(in_root.parent(), Some(mnt.as_path()), "{}", r.stdout);
    let root_name = in_root.file_name().unwrap().to_string_lossy().into_owned();
    assert!(root_name.starts_with("alice-") && root_name.ends_with(".patrimoine-backup"), "{root_name}");

    // To a named file in a folder of the user's on the stick (`--out` takes a file path
    // too: a path that is not a folder names the file).
    let sub = mnt.join("Backups of mine");
    std::fs::create_dir(&sub).unwrap();
    let named = sub.join("alice on the stick.patrimoine-backup");
    let r = traced(
        &env,
        Some(PASSWORD),
        &[],
        &["backup", "create", "Alice", "--out", named.to_str().unwrap()],
        &log("named"),
    );
    let r = r.ok();
    assert_eq!(PathBuf::from(r.stdout.trim()), named, "{}", r.stdout);
    let named_bytes = std::fs::read(&named).unwrap();

    // The same named file again: refused, the first left as it was (never renamed over).
    let r = traced(
        &env,
        Some(PASSWORD),
        &[],
        &["backup", "create", "Alice", "--out", named.to_str().unwrap()],
        &log("again"),
    );
    assert_ne!(r.code, 0, "exporting over an existing file was accepted: {}", r.stdout);
    assert!(r.stderr.starts_with("error["), "{}", r.stderr);
    assert_eq!(std::fs::read(&named).unwrap(), named_bytes, "the existing export was changed");

    // Unplug and plug in again: what follows reads what the stick really holds, and the
    // file system the app wrote is consistent.
    stick.unplug();
    step(
        "fsck.exfat -n (the stick's file system after the exports)",
        Command::new("fsck.exfat").arg("-n").arg(stick.device()),
    );
    stick.plug_in();

    // Exactly the exports and their sidecars: no partial or temporary file is left.
    assert_eq!(
        names(&mnt),
        vec![sub.file_name().unwrap().to_string_lossy().into_owned(), root_name.clone(), format!("{root_name}.sha256")]
    );
    let named_name = named.file_name().unwrap().to_string_lossy().into_owned();
    assert_eq!(names(&sub), vec![named_name.clone(), format!("{named_name}.sha256")]);
    assert_eq!(std::fs::read(&named).unwrap(), named_bytes);

    for (dir, file) in [(&mnt, &root_name), (&sub, &named_name)] {
        let sidecar = format!("{file}.sha256");
        let content = std::fs::read_to_string(dir.join(&sidecar)).unwrap();
        assert!(content.ends_with(&format!("  {file}\n")), "{sidecar}: {content:?}");
        let ok = step(
            "sha256sum -c (the sidecar on the stick)",
            Command::new("sha256sum").arg("-c").arg(&sidecar).current_dir(dir),
        );
        assert_eq!(ok.trim(), format!("{file}: OK"));
        let path = dir.join(file);
        let r = traced(&env, Some(PASSWORD), &[], &["backup", "verify", path.to_str().unwrap()], &log("verify")).ok();
        assert!(r.stdout.starts_with("ok: backup of Alice"), "{}", r.stdout);
    }

    // Another computer: each export restores, with its password and a new one there.
    for file in [&in_root, &named] {
        let other = Env::new();
        let r = traced(
            &other,
            Some(PASSWORD),
            &[("PATRIMOINE_NEW_PASSWORD", NEW_PASSWORD)],
            &["restore", file.to_str().unwrap()],
            &log("restore"),
        )
        .ok();
        assert!(r.stdout.starts_with("restored Alice"), "{}", r.stdout);
        assert_eq!(net_worth(&other, NEW_PASSWORD), before, "restored from {}", file.display());
        other.run(Some(NEW_PASSWORD), &["check", "Alice"]).ok();
    }

    // Nothing on the stick, its root or the user's folder, was ever chmod'ed.
    let chmods = chmods_under(&logs, &mnt);
    assert!(chmods.is_empty(), "the CLI changed modes on the stick:\n{}", chmods.join("\n"));
    // Nothing was left on the stick by the runs after the unplugging either.
    assert_eq!(names(&sub), vec![named_name.clone(), format!("{named_name}.sha256")]);
    assert_eq!(names(&mnt).len(), 3, "{:?}", names(&mnt));
}
