//! Encrypted backups: making, listing, verifying, inspecting and pruning them, and
//! restoring one into its profile or as a new profile.

use std::path::{Path, PathBuf};

use patrimoine_core::backup::{BackupHeader, BackupSettings};
use patrimoine_core::restore::{Credential, RestoreRequest, Target};

use crate::cli::BackupCmd;
use crate::ctx::{secret_from_env_or_prompt, Ctx, Failure, Given, Outcome};
use crate::output::{print_json, show_recovery_key};

/// `backup …`.
pub fn backup(ctx: &Ctx, cmd: BackupCmd) -> Outcome {
    match cmd {
        BackupCmd::Create { name, out } => create(ctx, &name, out),
        BackupCmd::List { name, check, json } => list(ctx, &name, check, json),
        BackupCmd::Verify { file } => verify(ctx, &file),
        BackupCmd::Info { file, json } => info(&file, json),
        BackupCmd::Prune { name } => prune(ctx, &name),
    }
}

/// Into `--out DIR` with a `.sha256` file, else into the profile's backup folder.
fn create(ctx: &Ctx, name: &str, out: Option<PathBuf>) -> Outcome {
    let s = ctx.unlock(name)?;
    match out {
        Some(dir) => {
            let e = s.export_backup(&dir)?;
            println!("{}", e.path.display());
            eprintln!("{} bytes, SHA-256 {} (also in {}.sha256)", e.size, e.sha256, e.path.display());
        }
        None => {
            let e = s.backup_now()?;
            println!("{}", e.header.path.display());
            let settings: BackupSettings = s.backup_settings();
            if settings.second_destination_overdue(chrono::Utc::now()) {
                eprintln!("note: the second backup destination has not been seen for a while; plug it in");
            }
        }
    }
    Ok(())
}

/// Only with `--check` are the files authenticated (which needs the password).
fn list(ctx: &Ctx, name: &str, check: bool, json: bool) -> Outcome {
    let list = if check { ctx.unlock(name)?.list_backups()? } else { ctx.dd.list_backups(name)? };
    if json {
        print_json(&list);
        return Ok(());
    }
    for e in list {
        let verified = match (e.ok, e.verified_at) {
            (Some(true), Some(t)) => format!("verified {}", t.to_rfc3339()),
            (Some(false), Some(t)) => format!("FAILED verification {}", t.to_rfc3339()),
            _ if check && !e.authenticated => "NOT AUTHENTICATED (not made with this profile's key)".into(),
            _ => "verified when written".into(),
        };
        println!(
            "{}  {:>12}  {}  {}",
            e.header.created_at.to_rfc3339(),
            e.header.size,
            verified,
            e.header.path.display()
        );
    }
    Ok(())
}

fn verify(ctx: &Ctx, file: &Path) -> Outcome {
    let rk = ctx.recovery_key()?;
    let pw;
    let credential = match &rk {
        Some(rk) => Credential::RecoveryKey(rk),
        None => {
            pw = secret_from_env_or_prompt("PATRIMOINE_PASSWORD", "Password of the backup: ", false)?;
            Credential::Password(&pw)
        }
    };
    let h = ctx.dd.verify_backup(file, &credential)?;
    println!(
        "ok: backup of {} made {}, schema {}, every check passed",
        h.profile_name,
        h.created_at.to_rfc3339(),
        h.schema_version
    );
    Ok(())
}

/// The header only: no password needed.
fn info(file: &Path, json: bool) -> Outcome {
    let h = patrimoine_core::backup::inspect(file)?;
    if json {
        print_json(&h);
    } else {
        println!("profile: {}", h.profile_name);
        println!("created: {}", h.created_at.to_rfc3339());
        println!("app version: {}", h.app_version);
        println!("schema: {}", h.schema_version);
        println!("size: {}", h.size);
        println!("snapshot checked when made: {}", if h.snapshot_checked { "yes" } else { "no" });
    }
    Ok(())
}

fn prune(ctx: &Ctx, name: &str) -> Outcome {
    for p in ctx.unlock(name)?.prune_backups()? {
        println!("deleted {}", p.display());
    }
    for p in ctx.dd.prune_set_aside(chrono::Utc::now())? {
        println!("deleted {}", p.display());
    }
    Ok(())
}

/// `restore`: into `--profile`, as `--as-new`, or (neither) into the backup's profile
/// when it exists here, else as a new profile.
pub fn restore(
    ctx: &Ctx,
    file: &Path,
    profile: Option<&str>,
    as_new: Option<&str>,
    admin: Option<&str>,
    recovery_key_out: Option<&Path>,
) -> Outcome {
    let admin_session = admin.map(|a| ctx.unlock_admin(a)).transpose()?;
    let header = patrimoine_core::backup::inspect(file)?;
    let target = match (profile, as_new) {
        (Some(p), _) => Target::Profile(p),
        (None, Some(n)) => Target::AsNew(n),
        (None, None) => Target::Auto,
    };
    // Into a profile here: its current credential. As a new profile: the
    // backup's, and a new password (the new profile also gets a new recovery key).
    let into = restored_into(ctx, &target, &header)?;
    let prompt = match &into {
        Some(name) => format!("Current password of {name}: "),
        None => "Password of the backup: ".to_owned(),
    };
    let given = ctx.given(&prompt)?;
    let new_pw = match (&into, &given) {
        (Some(_), Given::Password(_)) => None,
        _ => Some(secret_from_env_or_prompt("PATRIMOINE_NEW_PASSWORD", "New password: ", true)?),
    };
    let restored = ctx.dd.restore(
        file,
        &RestoreRequest {
            credential: given.credential(),
            new_password: new_pw.as_deref().map(|s| s.as_str()),
            target,
            admin: admin_session.as_ref(),
            kdf: ctx.kdf,
        },
    )?;
    println!("restored {} from the backup of {}", restored.session.info().name, header.created_at.to_rfc3339());
    match &restored.new_recovery_key {
        Some(rk) => show_recovery_key(rk, recovery_key_out),
        None => Ok(()),
    }
}

/// The existing profile a restore to `target` goes into, or `None` for a new profile.
fn restored_into(ctx: &Ctx, target: &Target, header: &BackupHeader) -> Result<Option<String>, Failure> {
    let local = ctx.dd.profiles()?.into_iter().find(|p| p.id == header.profile_id);
    Ok(match target {
        Target::Profile(p) => Some((*p).to_owned()),
        Target::AsNew(_) => None,
        Target::Auto => local.map(|p| p.name),
    })
}
