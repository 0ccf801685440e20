//! A bare Tauri window showing an empty page: the baseline of the desktop-app memory
//! benchmark (`tests/e2e/bench.mjs`). Same configuration as the app, no UI, no core.
use tauri::Manager;

fn main() {
    let result = tauri::Builder::default()
        .setup(|app| {
            if let (Some(w), Ok(url)) = (app.get_webview_window("main"), "about:blank".parse()) {
                let _ = w.navigate(url);
            }
            Ok(())
        })
        .run(tauri::generate_context!());
    if let Err(e) = result {
        eprintln!("bare window: {e}");
    }
}
