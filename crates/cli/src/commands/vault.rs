//! The vault itself: its health, its schema migrations, its raw SQLCipher key and its
//! audit log.

use patrimoine_core::error::{Error, VaultError};

use crate::cli::MigrateCmd;
use crate::ctx::{Ctx, Failure, Outcome};
use crate::output::print_json;

/// `check`: exit 0 only when the key check and every integrity check pass.
pub fn check(ctx: &Ctx, name: &str) -> Outcome {
    let s = ctx.unlock(name)?;
    let h = s.vault().health()?;
    if h.is_ok() {
        println!("ok: key check passed, vault intact (schema {})", h.schema_version);
        Ok(())
    } else {
        Err(Failure::Core(Error::Vault(VaultError::Corrupt(format!(
            "{} page error(s), {} integrity error(s), {} foreign-key error(s)",
            h.cipher_errors.len(),
            h.integrity_errors.len(),
            h.foreign_key_errors
        )))))
    }
}

/// `migrate …`.
pub fn migrate(ctx: &Ctx, cmd: MigrateCmd) -> Outcome {
    match cmd {
        MigrateCmd::Status { name, json } => migration_status(ctx, &name, json),
    }
}

fn migration_status(ctx: &Ctx, name: &str, json: bool) -> Outcome {
    let s = ctx.unlock(name)?;
    let st = s.vault().migration_status()?;
    if json {
        print_json(&st);
    } else {
        for m in st {
            println!(
                "{:04} {:<20} {}{}",
                m.version,
                m.name,
                m.applied_at.as_deref().unwrap_or("pending"),
                if m.checksum_ok { "" } else { "  CHECKSUM MISMATCH" }
            );
        }
    }
    Ok(())
}

/// `raw-key`: the key on stdout, the warning on stderr.
pub fn raw_key(ctx: &Ctx, name: &str) -> Outcome {
    let s = ctx.unlock(name)?;
    let key = s.reveal_raw_key()?;
    println!("{}", key.as_str());
    eprintln!("Anyone with this key and the file {} can read your data. Do not store it.", s.vault().path().display());
    Ok(())
}

/// `audit`.
pub fn audit(ctx: &Ctx, name: &str, limit: usize, json: bool) -> Outcome {
    let s = ctx.unlock(name)?;
    let log = s.vault().audit_log(limit)?;
    if json {
        print_json(&log);
    } else {
        for e in log {
            println!("{} {} {}", e.at.to_rfc3339(), e.kind, e.detail);
        }
    }
    Ok(())
}
