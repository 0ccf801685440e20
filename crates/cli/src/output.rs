//! What commands print besides their own lines: JSON, and the secrets shown once (a
//! new recovery key, on stdout or in a 0600 file).

use std::path::Path;

use patrimoine_core::keys::RecoveryKey;
use patrimoine_core::rotation::Rotated;
use serde::Serialize;

use crate::ctx::{Failure, Outcome};

/// Prints `v` as pretty JSON on stdout (the `--json` output).
pub fn print_json(v: &impl Serialize) {
    // Our output types always serialise; should one ever fail, print `null` rather than panic.
    println!("{}", serde_json::to_string_pretty(v).unwrap_or_else(|_| "null".into()));
}

fn write_secret_file(path: &Path, text: &str) -> Result<(), Failure> {
    // Created 0600 before the first byte is written (the core's atomic writes).
    patrimoine_core::durable::write_atomic(path, format!("{text}\n").as_bytes())?;
    Ok(())
}

/// Reports what replacing the master key did besides the change asked for.
pub fn show_rotation(rotated: &Rotated, recovery_key_out: Option<&Path>) -> Outcome {
    if rotated.keychain_disabled {
        eprintln!(
            "note: keychain unlock was turned off (its slot was made by an older version); turn it on again in the app"
        );
    }
    match &rotated.new_recovery_key {
        Some(rk) => show_recovery_key(rk, recovery_key_out),
        None => Ok(()),
    }
}

/// Shows a new recovery key once: written to `out` (mode 0600), else printed.
pub fn show_recovery_key(rk: &RecoveryKey, out: Option<&Path>) -> Outcome {
    let shown = rk.display();
    match out {
        Some(p) => {
            write_secret_file(p, &shown)?;
            eprintln!(
                "Recovery key written to {}. Print it or copy it somewhere safe, then delete the file.",
                p.display()
            );
        }
        None => {
            println!("{}", shown.as_str());
            eprintln!("This is your recovery key. It is shown once: write it down and keep it safe.");
        }
    }
    Ok(())
}
