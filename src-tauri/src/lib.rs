//! The Patrimoine desktop app: a thin Tauri shell. It opens the data directory,
//! registers the commands of `commands.rs` (one per entry of `docs/ipc.md`), and adds
//! the single-instance, dialog and window-state plugins. All logic is in the core.

mod commands;
mod error;
mod signals;
mod state;
mod suspend;

use std::sync::atomic::AtomicU64;
use std::sync::{Arc, Mutex, OnceLock};

use patrimoine_core::profile::default_data_dir;
use patrimoine_core::DataDir;
use patrimoine_keychain::OsKeychain;
use tauri::Manager;

use crate::state::AppState;

fn data_dir() -> std::path::PathBuf {
    std::env::var_os("PATRIMOINE_DATA_DIR")
        .map(Into::into)
        .or_else(default_data_dir)
        .unwrap_or_else(|| std::path::PathBuf::from("patrimoine-data"))
}

/// On Linux without a GPU (no DRM render node, as in a VM or under Xvfb), WebKitGTK
/// would composite every frame through Mesa's software OpenGL (llvmpipe): each repaint
/// of the page then costs a few hundred milliseconds and the web process carries LLVM
/// and GL buffers (about 120 MiB). Its non-composited mode paints the same page on the
/// CPU directly, faster and lighter there. With a GPU the defaults are kept; a value the
/// user set for `WEBKIT_DISABLE_COMPOSITING_MODE` (`0` forces compositing) always wins.
/// Measured in BENCHMARKS.md.
#[cfg(target_os = "linux")]
fn choose_renderer() {
    const VAR: &str = "WEBKIT_DISABLE_COMPOSITING_MODE";
    if std::env::var_os(VAR).is_some() || has_render_node(std::path::Path::new("/dev/dri")) {
        return;
    }
    // Called first thing in `run`, before any other thread exists.
    std::env::set_var(VAR, "1");
}

/// Whether `dir` (normally `/dev/dri`) holds a DRM render node (`renderD128`, ...).
#[cfg(target_os = "linux")]
fn has_render_node(dir: &std::path::Path) -> bool {
    std::fs::read_dir(dir)
        .map(|rd| rd.flatten().any(|e| e.file_name().to_string_lossy().starts_with("renderD")))
        .unwrap_or(false)
}

/// Starts the app.
pub fn run() {
    #[cfg(target_os = "linux")]
    choose_renderer();
    let root = data_dir();
    let data = match DataDir::open(&root) {
        Ok(d) => d,
        Err(e) => {
            eprintln!("error[{}]: cannot open the data folder {}: {e}", e.code(), root.display());
            std::process::exit(1);
        }
    };
    let state = AppState {
        data,
        session: Mutex::new(None),
        keychain: OsKeychain::new(),
        keychain_ok: OnceLock::new(),
        backups: Arc::new(Mutex::new(())),
        epoch: Arc::new(AtomicU64::new(0)),
        app: OnceLock::new(),
    };
    let result = tauri::Builder::default()
        .plugin(tauri_plugin_single_instance::init(|app, _argv, _cwd| {
            // A second launch focuses the running window instead of opening the vault twice.
            if let Some(w) = app.get_webview_window("main") {
                let _ = w.unminimize();
                let _ = w.show();
                let _ = w.set_focus();
            }
        }))
        .plugin(tauri_plugin_window_state::Builder::default().build())
        .plugin(tauri_plugin_dialog::init())
        .manage(state)
        .setup(|app| {
            let _ = app.state::<AppState>().app.set(app.handle().clone());
            let handle = app.handle().clone();
            std::thread::spawn(move || handle.state::<AppState>().probe_keychain());
            suspend::watch(app.handle().clone());
            signals::watch(app.handle().clone());
            // Every minute while unlocked: the automatic backup when it is due (a day
            // after the last one, or a new profile's first data). Deciding costs a look
            // at the backup folder's headers; the backup itself runs only when due.
            let handle = app.handle().clone();
            std::thread::spawn(move || loop {
                std::thread::sleep(std::time::Duration::from_secs(60));
                handle.state::<AppState>().start_background_work(false);
            });
            Ok(())
        })
        .invoke_handler(tauri::generate_handler![
            commands::app_info,
            commands::create_profile,
            commands::unlock_password,
            commands::unlock_recovery,
            commands::unlock_keychain,
            commands::lock,
            commands::change_password,
            commands::regenerate_recovery_key,
            commands::set_keychain,
            commands::set_preferences,
            commands::rename_profile,
            commands::delete_profile,
            commands::audit_log,
            commands::list_institutions,
            commands::create_institution,
            commands::update_institution,
            commands::delete_institution,
            commands::list_accounts,
            commands::create_account,
            commands::update_account,
            commands::delete_account,
            commands::list_assets,
            commands::create_asset,
            commands::update_asset,
            commands::delete_asset,
            commands::list_dimensions,
            commands::create_dimension,
            commands::asset_values,
            commands::latest_values,
            commands::upsert_values,
            commands::delete_value,
            commands::list_cash_flows,
            commands::add_cash_flow,
            commands::update_cash_flow,
            commands::delete_cash_flow,
            commands::list_fx_rates,
            commands::set_fx_rate,
            commands::delete_fx_rate,
            commands::import_ecb,
            commands::net_worth,
            commands::series,
            commands::breakdown,
            commands::stale_assets,
            commands::performance,
            commands::performance_by_account,
            commands::chart,
            commands::chart_png,
            commands::import_csv,
            commands::export_file,
            commands::startup_health,
            commands::scan_backups,
            commands::inspect_backup,
            commands::restore_preview,
            commands::restore_backup,
            commands::restore_own_backup,
            commands::list_backups,
            commands::backup_now,
            commands::export_backup,
            commands::verify_backups,
            commands::get_backup_settings,
            commands::set_backup_settings,
        ])
        .on_window_event(|window, event| {
            // Closing the window locks: the key leaves memory before the process ends.
            if let tauri::WindowEvent::CloseRequested { .. } = event {
                if let Some(state) = window.app_handle().try_state::<AppState>() {
                    let _ = commands::lock_now(&state);
                }
            }
        })
        .run(tauri::generate_context!());
    if let Err(e) = result {
        eprintln!("error[app]: {e}");
        std::process::exit(1);
    }
}

#[cfg(all(test, target_os = "linux"))]
mod tests {
    use super::has_render_node;

    #[test]
    fn a_render_node_is_told_from_a_display_only_card() {
        let dir = tempfile::tempdir().expect("dir");
        assert!(!has_render_node(&dir.path().join("missing")));
        std::fs::write(dir.path().join("card0"), b"").expect("card");
        assert!(!has_render_node(dir.path()), "a display card alone gives no GPU rendering");
        std::fs::write(dir.path().join("renderD128"), b"").expect("node");
        assert!(has_render_node(dir.path()));
    }
}
