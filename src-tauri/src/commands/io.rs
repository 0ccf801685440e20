//! CSV import, ECB rates import, exports.

use patrimoine_core::export::ExportFormat;
use patrimoine_core::fx::FxImportReport;
use patrimoine_core::import::{ImportOptions, ImportReport};

use crate::error::CmdResult;
use crate::state::AppState;

pub fn import_csv(state: &AppState, path: String, dry_run: bool, skip_invalid: bool) -> CmdResult<ImportReport> {
    let file = std::fs::File::open(&path).map_err(|e| patrimoine_core::Error::io(&path, e))?;
    state.with(|s| Ok(s.vault().import_csv(file, ImportOptions { dry_run, skip_invalid })?))
}

pub fn import_ecb(state: &AppState, path: String) -> CmdResult<FxImportReport> {
    let bytes = std::fs::read(&path).map_err(|e| patrimoine_core::Error::io(&path, e))?;
    state.with(|s| Ok(s.vault().import_ecb(&bytes)?))
}

pub fn export_file(state: &AppState, path: String, format: ExportFormat) -> CmdResult<()> {
    state.with(|s| Ok(s.vault().export_to_file(std::path::Path::new(&path), format == ExportFormat::Json)?))
}
