//! The Patrimoine desktop app: a thin Tauri shell. It opens the data directory,
//! registers the commands of `commands.rs` (one per entry of `docs/ipc.md`), and adds
//! the single-instance, dialog and window-state plugins. All logic is in the core.

mod commands;
mod contract;
mod error;
#[cfg(test)]
mod scenarios;
mod signals;
mod state;
mod suspend;

use patrimoine_core::DataDir;
use tauri::Manager;

use crate::state::AppState;

/// The data folder, by the rule the CLI follows too (`PATRIMOINE_DATA_DIR`, else the
/// system's per-user data folder).
fn data_dir() -> patrimoine_core::Result<std::path::PathBuf> {
    patrimoine_core::profile::data_dir(std::env::var_os("PATRIMOINE_DATA_DIR").map(Into::into))
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
    let data = match data_dir().and_then(DataDir::open) {
        Ok(d) => d,
        Err(e) => {
            eprintln!("error[{}]: cannot open the data folder: {e}", e.code());
            std::process::exit(1);
        }
    };
    let state = AppState::new(data);
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
        .invoke_handler(contract::handler())
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
