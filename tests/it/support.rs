//! Runs the real CLI binary against a temporary data directory.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::OnceLock;

pub const PASSWORD: &str = "correct horse battery staple";

/// Builds the CLI once per test run (a no-op when up to date) and returns its path;
/// `PATRIMOINE_CLI` names another binary instead (the installed package's).
pub fn cli_path() -> &'static Path {
    static PATH: OnceLock<PathBuf> = OnceLock::new();
    PATH.get_or_init(|| {
        if let Some(bin) = std::env::var_os("PATRIMOINE_CLI") {
            let bin = PathBuf::from(bin);
            assert!(bin.exists(), "PATRIMOINE_CLI names no file: {}", bin.display());
            return bin;
        }
        let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
        let status = Command::new(cargo)
            .args(["build", "--quiet", "-p", "patrimoine-cli"])
            .current_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join(".."))
            .status()
            .expect("cargo runs");
        assert!(status.success(), "building patrimoine-cli failed");
        // target/debug/deps/it-<hash> → target/debug/patrimoine-cli
        let exe = std::env::current_exe().unwrap();
        let dir = exe.parent().and_then(Path::parent).unwrap();
        let bin = dir.join(format!("patrimoine-cli{}", std::env::consts::EXE_SUFFIX));
        assert!(bin.exists(), "no CLI binary at {}", bin.display());
        bin
    })
}

pub struct Env {
    pub dir: tempfile::TempDir,
}

pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    pub fn ok(self) -> Run {
        assert_eq!(self.code, 0, "command failed: {}", self.stderr);
        self
    }

    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.stdout).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.stdout))
    }
}

impl Env {
    pub fn new() -> Env {
        Env { dir: tempfile::tempdir().unwrap() }
    }

    pub fn data(&self) -> PathBuf {
        self.dir.path().join("data")
    }

    pub fn file(&self, name: &str, content: &str) -> PathBuf {
        let p = self.dir.path().join(name);
        std::fs::write(&p, content).unwrap();
        p
    }

    /// Runs the CLI with `--data-dir` and the given password (or none).
    pub fn run(&self, password: Option<&str>, args: &[&str]) -> Run {
        self.run_env(password, &[], args)
    }

    pub fn run_env(&self, password: Option<&str>, env: &[(&str, &str)], args: &[&str]) -> Run {
        let Output { status, stdout, stderr } = self.command(password, env, args).output().unwrap();
        Run {
            code: status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&stdout).into_owned(),
            stderr: String::from_utf8_lossy(&stderr).into_owned(),
        }
    }

    /// The CLI command with `--data-dir`, the fast KDF and the given password and
    /// environment, not yet started.
    pub fn command(&self, password: Option<&str>, env: &[(&str, &str)], args: &[&str]) -> Command {
        let mut cmd = Command::new(cli_path());
        cmd.arg("--data-dir").arg(self.data()).args(args);
        cmd.env_remove("PATRIMOINE_PASSWORD")
            .env_remove("PATRIMOINE_NEW_PASSWORD")
            .env_remove("PATRIMOINE_ADMIN_PASSWORD")
            .env_remove("PATRIMOINE_PASSWORD_FILE");
        cmd.env("PATRIMOINE_KDF_MS", "0");
        if let Some(pw) = password {
            cmd.env("PATRIMOINE_PASSWORD", pw);
        }
        for (k, v) in env {
            cmd.env(k, v);
        }
        cmd
    }

    /// Creates a profile and returns its recovery key file.
    pub fn create(&self, name: &str) -> PathBuf {
        let rk = self.dir.path().join(format!("{name}-recovery.txt"));
        self.run(Some(PASSWORD), &["profile", "create", name, "--recovery-key-out", rk.to_str().unwrap()]).ok();
        rk
    }
}
