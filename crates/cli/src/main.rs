//! `patrimoine-cli`: the headless interface to Patrimoine, for scripts, cron jobs and
//! tests. Passwords come from `PATRIMOINE_PASSWORD`, else from the file named by
//! `PATRIMOINE_PASSWORD_FILE` (for unattended runs), else a no-echo prompt on a
//! terminal; `--recovery-key-file` unlocks with the recovery key instead. Exit code 0
//! on success; otherwise a one-line `error[code]: message` on stderr.
//!
//! This file only dispatches: `cli` defines the command line, `ctx` holds the data
//! directory and the credentials, `output` the shared printing, and `commands` one
//! module per command group.

mod cli;
mod commands;
mod ctx;
mod docs;
mod output;

use std::process::ExitCode;

use clap::Parser;

use crate::cli::{Cli, Command};
use crate::commands::{analytics, assets, backups, fx, io, loans, profiles, securities, vault};
use crate::ctx::{Ctx, Failure, Outcome};

fn main() -> ExitCode {
    let cli = Cli::parse();
    // Packaging needs no data folder.
    if let Command::GenerateDocs { dir } = &cli.command {
        return match docs::generate(dir) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("error[io]: {}: {e}", dir.display());
                ExitCode::FAILURE
            }
        };
    }
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(Failure::Core(e)) => {
            eprintln!("error[{}]: {e}", e.code());
            ExitCode::FAILURE
        }
        Err(Failure::Lookup(code, msg)) => {
            eprintln!("error[{code}]: {msg}");
            ExitCode::FAILURE
        }
        Err(Failure::Usage(code, msg)) => {
            eprintln!("error[{code}]: {msg}");
            ExitCode::from(2)
        }
    }
}

fn run(cli: Cli) -> Outcome {
    let ctx = Ctx::open(&cli)?;
    // Finish (or undo) a restore that was interrupted, before anything else.
    ctx.recover_interrupted()?;
    match cli.command {
        Command::Profile(cmd) => profiles::profile(&ctx, cmd),
        Command::Password(cmd) => profiles::password(&ctx, cmd),
        Command::RecoveryKey(cmd) => profiles::recovery_key(&ctx, cmd),
        Command::Import { name, file, dry_run, skip_invalid, json } => {
            io::import(&ctx, &name, &file, dry_run, skip_invalid, json)
        }
        Command::Fx(cmd) => fx::fx(&ctx, cmd),
        Command::Account(cmd) => assets::account(&ctx, cmd),
        Command::Asset(cmd) => assets::asset(&ctx, cmd),
        Command::Instrument(cmd) => securities::instrument(&ctx, cmd),
        Command::Price(cmd) => securities::price(&ctx, cmd),
        Command::Activity(cmd) => securities::activity(&ctx, cmd),
        Command::Position(cmd) => securities::position(&ctx, cmd),
        Command::Holdings { name, account, at, json } => securities::holdings(&ctx, &name, &account, at, json),
        Command::Loan(cmd) => loans::loan(&ctx, cmd),
        Command::Networth { name, at, json } => analytics::networth(&ctx, &name, at, json),
        Command::Series { name, from, to, step, json } => analytics::series(&ctx, &name, from, to, step, json),
        Command::Breakdown { name, by, at, json } => analytics::breakdown(&ctx, &name, &by, at, json),
        Command::Performance { name, account, from, to, json } => {
            analytics::performance(&ctx, &name, account, from, to, json)
        }
        Command::Stale { name, days, json } => analytics::stale(&ctx, &name, days, json),
        Command::Export { name, json, csv } => io::export(&ctx, &name, json, csv),
        Command::Check { name } => vault::check(&ctx, &name),
        Command::Migrate(cmd) => vault::migrate(&ctx, cmd),
        Command::RawKey { name } => vault::raw_key(&ctx, &name),
        Command::Backup(cmd) => backups::backup(&ctx, cmd),
        Command::GenerateDocs { .. } => Ok(()), // answered in main, before any data folder
        Command::Restore { file, profile, as_new, admin, recovery_key_out } => backups::restore(
            &ctx,
            &file,
            profile.as_deref(),
            as_new.as_deref(),
            admin.as_deref(),
            recovery_key_out.as_deref(),
        ),
        Command::Audit { name, limit, json } => vault::audit(&ctx, &name, limit, json),
    }
}
