//! Data in and out of a vault: importing value history from CSV, exporting everything
//! as JSON or the value history as CSV.

use std::path::{Path, PathBuf};

use patrimoine_core::error::Error;
use patrimoine_core::import::{ImportOptions, ImportReport};

use crate::ctx::{Ctx, Failure, Outcome};
use crate::output::print_json;

/// `import`: the report is printed even when the import is refused.
pub fn import(ctx: &Ctx, name: &str, file: &Path, dry_run: bool, skip_invalid: bool, json: bool) -> Outcome {
    let s = ctx.unlock(name)?;
    let f = std::fs::File::open(file).map_err(|e| Error::io(file, e))?;
    match s.vault().import_csv(f, ImportOptions { dry_run, skip_invalid }) {
        Ok(r) => {
            print_import_report(&r, json);
            if dry_run && !r.errors.is_empty() {
                return Err(Failure::Core(Error::Import(Box::new(r))));
            }
            Ok(())
        }
        Err(Error::Import(r)) => {
            print_import_report(&r, json);
            Err(Failure::Core(Error::Import(r)))
        }
        Err(e) => Err(e.into()),
    }
}

/// `export`: to the `--json` file, else the `--csv` one.
pub fn export(ctx: &Ctx, name: &str, json: Option<PathBuf>, csv: Option<PathBuf>) -> Outcome {
    let s = ctx.unlock(name)?;
    let (path, as_json) = match (json, csv) {
        (Some(p), _) => (p, true),
        (None, Some(p)) => (p, false),
        (None, None) => return Err(Failure::Usage("usage", "pass --json FILE or --csv FILE".into())),
    };
    s.vault().export_to_file(&path, as_json)?;
    eprintln!("Exported to {}", path.display());
    Ok(())
}

fn print_import_report(r: &ImportReport, json: bool) {
    if json {
        print_json(r);
        return;
    }
    let created = match r.layout {
        patrimoine_core::error::ImportLayout::Values => format!(
            "created {} institution(s), {} account(s), {} asset(s); values new {}, updated {}",
            r.institutions_created, r.accounts_created, r.assets_created, r.values_inserted, r.values_updated
        ),
        patrimoine_core::error::ImportLayout::Activities => format!(
            "created {} institution(s), {} account(s), {} instrument(s); activities new {}",
            r.institutions_created, r.accounts_created, r.instruments_created, r.activities_inserted
        ),
        patrimoine_core::error::ImportLayout::Prices => format!(
            "created {} instrument(s); prices new {}, updated {}",
            r.instruments_created, r.prices_inserted, r.prices_updated
        ),
    };
    println!(
        "{}{} file: lines {}, imported {}, skipped {}; {created}",
        if r.dry_run { "dry run: " } else { "" },
        match r.layout {
            patrimoine_core::error::ImportLayout::Values => "values",
            patrimoine_core::error::ImportLayout::Activities => "activities",
            patrimoine_core::error::ImportLayout::Prices => "prices",
        },
        r.lines,
        r.imported,
        r.skipped,
    );
    for e in &r.errors {
        println!(
            "line {}: {}{}: {}",
            e.line,
            e.column.as_deref().map(|c| format!("{c}: ")).unwrap_or_default(),
            e.code,
            e.message
        );
    }
}
