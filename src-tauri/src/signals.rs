//! Ending the app from outside locks like closing the window: SIGTERM (logout,
//! shutdown, `kill`), SIGINT (Ctrl-C in a terminal) and SIGHUP (the terminal went
//! away) make the backup on lock when data changed, drop the key, then quit. The
//! bound is that one backup (about a second on the 1,000,000-point profile), well
//! inside the grace a session manager gives before SIGKILL.

use tauri::AppHandle;

/// Starts the watcher thread (Unix; elsewhere the window's close event does it).
pub fn watch(app: AppHandle) {
    #[cfg(unix)]
    {
        use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};
        use signal_hook::iterator::Signals;
        use tauri::Manager;
        let mut signals = match Signals::new([SIGTERM, SIGINT, SIGHUP]) {
            Ok(s) => s,
            Err(e) => {
                crate::state::trace_point(&format!("signal watcher not started: {e}"));
                return;
            }
        };
        std::thread::spawn(move || {
            if let Some(signal) = signals.forever().next() {
                crate::state::trace_point(&format!("signal {signal}: locking"));
                if let Some(state) = app.try_state::<crate::state::AppState>() {
                    let _ = crate::commands::lock_now(&state);
                }
                app.exit(0);
            }
        });
    }
    #[cfg(not(unix))]
    let _ = app;
}
