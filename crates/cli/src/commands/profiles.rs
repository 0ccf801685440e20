//! Profiles and their credentials: create, list, rename, delete; change the password;
//! make a new recovery key.

use std::path::Path;

use patrimoine_core::{CreateOptions, DeleteAuth};

use crate::cli::{PasswordCmd, ProfileCmd, RecoveryCmd};
use crate::ctx::{secret_from_env_or_prompt, Ctx, Outcome};
use crate::output::{print_json, show_recovery_key, show_rotation};

/// `profile …`.
pub fn profile(ctx: &Ctx, cmd: ProfileCmd) -> Outcome {
    match cmd {
        ProfileCmd::Create { name, base_currency, recovery_key_out, admin } => {
            create(ctx, &name, base_currency, recovery_key_out.as_deref(), admin.as_deref())
        }
        ProfileCmd::List { json } => list(ctx, json),
        ProfileCmd::Rename { name, new_name, admin } => rename(ctx, &name, &new_name, admin.as_deref()),
        ProfileCmd::Delete { name, admin, confirm } => delete(ctx, &name, admin.as_deref(), confirm),
    }
}

/// `password …`.
pub fn password(ctx: &Ctx, cmd: PasswordCmd) -> Outcome {
    match cmd {
        PasswordCmd::Change { name, recovery_key_out } => change_password(ctx, &name, recovery_key_out.as_deref()),
    }
}

/// `recovery-key …`.
pub fn recovery_key(ctx: &Ctx, cmd: RecoveryCmd) -> Outcome {
    match cmd {
        RecoveryCmd::Regenerate { name, out } => regenerate_recovery_key(ctx, &name, out.as_deref()),
    }
}

fn create(
    ctx: &Ctx,
    name: &str,
    base_currency: String,
    recovery_key_out: Option<&Path>,
    admin: Option<&str>,
) -> Outcome {
    let admin_session = admin.map(|a| ctx.unlock_admin(a)).transpose()?;
    let pw = secret_from_env_or_prompt("PATRIMOINE_PASSWORD", &format!("New password for {name}: "), true)?;
    let created =
        ctx.dd.create_profile(name, &pw, &CreateOptions { base_currency, kdf: ctx.kdf }, admin_session.as_ref())?;
    eprintln!("Profile {} created.", created.session.info().name);
    show_recovery_key(&created.recovery_key, recovery_key_out)
}

fn list(ctx: &Ctx, json: bool) -> Outcome {
    let profiles = ctx.dd.profiles()?;
    if json {
        print_json(&profiles);
    } else {
        for p in profiles {
            println!("{}{}", p.name, if p.admin { " (admin)" } else { "" });
        }
    }
    Ok(())
}

fn rename(ctx: &Ctx, name: &str, new_name: &str, admin: Option<&str>) -> Outcome {
    let by = match admin {
        Some(a) => ctx.unlock_admin(a)?,
        None => ctx.unlock(name)?,
    };
    Ok(ctx.dd.rename_profile(&by, name, new_name)?)
}

fn delete(ctx: &Ctx, name: &str, admin: Option<&str>, confirm: Option<String>) -> Outcome {
    match admin {
        Some(a) => {
            let admin = ctx.unlock_admin(a)?;
            let typed = confirm.unwrap_or_default();
            ctx.dd.delete_profile(name, DeleteAuth::Admin { admin: &admin, typed_name: &typed }, None)?
        }
        None => {
            let pw = secret_from_env_or_prompt("PATRIMOINE_PASSWORD", &format!("Password for {name}: "), false)?;
            ctx.dd.delete_profile(name, DeleteAuth::Password(&pw), None)?
        }
    }
    eprintln!("Profile {name} deleted.");
    Ok(())
}

fn change_password(ctx: &Ctx, name: &str, recovery_key_out: Option<&Path>) -> Outcome {
    let (mut s, given) = ctx.unlock_given(name)?;
    let pw = secret_from_env_or_prompt("PATRIMOINE_NEW_PASSWORD", "New password: ", true)?;
    // Right after a recovery-key unlock the key just typed is the confirmation.
    let current = if s.must_set_password() { None } else { Some(given.credential()) };
    let rotated = s.change_password(current.as_ref(), &pw, ctx.kdf)?;
    eprintln!("Password changed. The old password now opens only the backups made before this change.");
    show_rotation(&rotated, recovery_key_out)
}

fn regenerate_recovery_key(ctx: &Ctx, name: &str, out: Option<&Path>) -> Outcome {
    let (mut s, given) = ctx.unlock_given(name)?;
    let rotated = s.regenerate_recovery_key(&given.credential())?;
    eprintln!("The old recovery key now opens only the backups made before this change.");
    show_rotation(&rotated, out)
}
