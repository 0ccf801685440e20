//! What every command needs: the data directory, the credential given this run (the
//! recovery key file, a password from the environment or a no-echo prompt), and the
//! `Failure` a command ends with. Secrets are read here and never printed or logged.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::time::Duration;

use patrimoine_core::error::Error;
use patrimoine_core::keys::RecoveryKey;
use patrimoine_core::profile::data_dir;
use patrimoine_core::restore::Credential;
use patrimoine_core::{DataDir, KdfChoice, Session};
use zeroize::Zeroizing;

use crate::cli::Cli;

/// A CLI failure: a core error or a problem with how the CLI was called.
pub enum Failure {
    /// An error of the core, reported with its stable code; exit code 1.
    Core(Error),
    /// A problem with how the CLI was called (or no way to ask for a secret): a code
    /// and a sentence; exit code 2.
    Usage(&'static str, String),
    /// Something named on the command line that the vault does not hold, or names more
    /// than one thing (an account, an instrument, an asset, a loan): a code and a
    /// sentence naming it; exit code 1.
    Lookup(&'static str, String),
}

impl From<Error> for Failure {
    fn from(e: Error) -> Self {
        Failure::Core(e)
    }
}

/// What a command returns: its output is already printed when it succeeds.
pub type Outcome = Result<(), Failure>;

/// A secret from `$VAR`, else from the file named by `$VAR_FILE` (its first line),
/// else a no-echo prompt. The secret is never printed or logged.
pub fn secret_from_env_or_prompt(var: &str, prompt: &str, confirm: bool) -> Result<Zeroizing<String>, Failure> {
    if let Ok(v) = std::env::var(var) {
        return Ok(Zeroizing::new(v));
    }
    if let Some(file) = std::env::var_os(format!("{var}_FILE")) {
        let file = PathBuf::from(file);
        let text = Zeroizing::new(std::fs::read_to_string(&file).map_err(|e| Error::io(&file, e))?);
        let line = text.lines().next().unwrap_or("");
        return Ok(Zeroizing::new(line.to_owned()));
    }
    if !std::io::stdin().is_terminal() {
        return Err(Failure::Usage(
            "no_password",
            format!("set {var} or {var}_FILE, or run in a terminal to be asked"),
        ));
    }
    let first =
        Zeroizing::new(rpassword::prompt_password(prompt).map_err(|e| Failure::Usage("no_password", e.to_string()))?);
    if confirm {
        let again = Zeroizing::new(
            rpassword::prompt_password("Again: ").map_err(|e| Failure::Usage("no_password", e.to_string()))?,
        );
        if *first != *again {
            return Err(Failure::Usage("password_mismatch", "the two passwords differ".into()));
        }
    }
    Ok(first)
}

/// The run's settings from the global flags, with the data directory opened.
pub struct Ctx {
    pub dd: DataDir,
    recovery_key_file: Option<PathBuf>,
    pub kdf: KdfChoice,
}

/// The credential the user gave this run: `--recovery-key-file`, else the password.
pub enum Given {
    Password(Zeroizing<String>),
    RecoveryKey(RecoveryKey),
}

impl Given {
    /// The credential as the core takes it.
    pub fn credential(&self) -> Credential<'_> {
        match self {
            Given::Password(pw) => Credential::Password(pw),
            Given::RecoveryKey(rk) => Credential::RecoveryKey(rk),
        }
    }
}

impl Ctx {
    /// Opens the data directory of `--data-dir` or `PATRIMOINE_DATA_DIR` (else the
    /// platform's data folder), by the rule the app follows too.
    pub fn open(cli: &Cli) -> Result<Ctx, Failure> {
        let root = data_dir(cli.data_dir.clone()).map_err(|e| Failure::Usage("no_data_dir", e.to_string()))?;
        Ok(Ctx {
            dd: DataDir::open(root)?,
            recovery_key_file: cli.recovery_key_file.clone(),
            kdf: KdfChoice::Calibrate(Duration::from_millis(cli.kdf_ms)),
        })
    }

    /// Finishes (or undoes) a restore that was interrupted, and says which it did.
    pub fn recover_interrupted(&self) -> Outcome {
        for r in self.dd.recover_interrupted()? {
            eprintln!(
                "note: an interrupted restore of {} was {}",
                r.profile,
                if r.finished { "completed" } else { "rolled back" }
            );
        }
        Ok(())
    }

    /// Unlocks a profile with the credential given this run.
    pub fn unlock(&self, name: &str) -> Result<Session, Failure> {
        Ok(self.unlock_given(name)?.0)
    }

    /// Unlocks with the credential given, and keeps it: a change that gives lasting
    /// access (password, recovery key, keychain) checks it again.
    pub fn unlock_given(&self, name: &str) -> Result<(Session, Given), Failure> {
        let given = self.given(&format!("Password for {name}: "))?;
        let s = self.dd.unlock(name, &given.credential())?;
        if matches!(given, Given::RecoveryKey(_)) {
            eprintln!("note: unlocked with the recovery key; choose a new password with `patrimoine-cli password change {name}`");
        }
        Ok((s, given))
    }

    /// The credential given this run; `prompt` asks for the password when none is in
    /// the environment.
    pub fn given(&self, prompt: &str) -> Result<Given, Failure> {
        match self.recovery_key()? {
            Some(rk) => Ok(Given::RecoveryKey(rk)),
            None => Ok(Given::Password(secret_from_env_or_prompt("PATRIMOINE_PASSWORD", prompt, false)?)),
        }
    }

    /// The recovery key of `--recovery-key-file`, if given.
    pub fn recovery_key(&self) -> Result<Option<RecoveryKey>, Failure> {
        match &self.recovery_key_file {
            Some(f) => {
                let text = Zeroizing::new(std::fs::read_to_string(f).map_err(|e| Error::io(f, e))?);
                Ok(Some(RecoveryKey::parse(&text).map_err(Error::from)?))
            }
            None => Ok(None),
        }
    }

    /// Unlocks the admin profile authorising a change, with its own password
    /// (`PATRIMOINE_ADMIN_PASSWORD` or a prompt).
    pub fn unlock_admin(&self, admin: &str) -> Result<Session, Failure> {
        let pw =
            secret_from_env_or_prompt("PATRIMOINE_ADMIN_PASSWORD", &format!("Password of admin {admin}: "), false)?;
        Ok(self.dd.unlock_with_password(admin, &pw)?)
    }
}
